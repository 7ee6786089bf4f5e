// What a container's process sees of its `env` and `command`, as the kubelet makes them:
// kubernetes third_party/forked/golang/expansion/expand.go (Expand, MappingFuncFor), ported;
// pkg/kubelet/kubelet_pods.go makeEnvironmentVariables expands each `env` value with the
// variables defined before it and the service variables; pkg/kubelet/container/helpers.go
// ExpandContainerCommandAndArgs expands `command` with the container's whole environment.

/** MappingFuncFor: the first context that defines `name`, else `$(name)` unchanged. */
function mappingFor(...contexts: Record<string, string>[]): (name: string) => string {
  return (name) => {
    for (const vars of contexts) if (Object.hasOwn(vars, name)) return vars[name];
    return `$(${name})`;
  };
}

/** Expand: `$(NAME)` through `mapping`, `$$` to `$`, any other `$` as it is. */
export function expand(input: string, mapping: (name: string) => string): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor += 1) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let read: string;
    let isVar = false;
    let advance = 1;
    if (rest[0] === '$') {
      read = '$';
    } else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close >= 0) {
        read = rest.slice(1, close);
        isVar = true;
        advance = close + 1;
      } else {
        read = '$(';
      }
    } else {
      const ch = String.fromCodePoint(rest.codePointAt(0)!);
      read = `$${ch}`;
      advance = ch.length;
    }
    out += isVar ? mapping(read) : read;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/** Service variables a pod in openshift-image-registry gets (enableServiceLinks), enough to test against. */
export const SERVICE_ENV: Readonly<Record<string, string>> = {
  KUBERNETES_SERVICE_HOST: '172.30.0.1',
  KUBERNETES_SERVICE_PORT: '443',
  KUBERNETES_PORT: 'tcp://172.30.0.1:443',
  IMAGE_REGISTRY_SERVICE_HOST: '172.30.12.34',
};

export interface ContainerSpec {
  readonly command: string[];
  readonly env?: { name: string; value?: string }[];
}

/** The environment and command line the container's process gets. */
export function containerSees(container: ContainerSpec): { env: Record<string, string>; command: string[] } {
  const env: Record<string, string> = {};
  const mapping = mappingFor(env, SERVICE_ENV);
  for (const { name, value = '' } of container.env ?? []) env[name] = value === '' ? '' : expand(value, mapping);
  const all = { ...SERVICE_ENV, ...env };
  return { env: all, command: container.command.map((part) => expand(part, mappingFor(all))) };
}
