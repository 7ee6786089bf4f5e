import { synthesizeCluster } from '../../../app/charts/cluster';
import { ConfigError } from '../../../app/config/config-error';
import { parseConfigText } from '../../../app/config/loader';
import { toYaml } from '../../../app/output/to-yaml';
import { builtInSchemas } from '../../../app/validate/built-in-schemas';
import { validateTree } from '../../../app/validate/validate-manifests';
import { readObject } from '../../helpers';

const base = 'name: prod\nregistry:\n  storage: {emptyDir: {}}\n  routes:\n    - {name: public, hostname: registry.apps.example.com}\n    - {name: internal}\n';
const synth = (text: string) => {
  const loaded = parseConfigText(text, 'cluster.yaml');
  return { files: synthesizeCluster(loaded), warnings: loaded.warnings };
};
const failure = (text: string) => {
  try {
    synth(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('no error');
};

describe('imageConfig section', () => {
  test('without the section nothing is written, even with a route that has a hostname (the operator publishes it)', () => {
    expect([...synth(base).files.keys()].filter((f) => f.includes('image-config'))).toEqual([]);
  });

  test('a section that sets nothing writes nothing', () => {
    expect(synth(`${base}imageConfig:\n  registrySources: {}\n`).files.has('registry/image-config.yaml')).toBe(false);
  });

  test('publicRoute puts that route\'s hostname first, before the other hostnames; only the fields set are written', () => {
    const { files } = synth(`${base}imageConfig:\n  publicRoute: public\n  externalRegistryHostnames: [lb.example.com:8443]\n`);
    const image = readObject(files.get('registry/image-config.yaml')!);
    expect(image.metadata.name).toBe('cluster');
    expect(image.spec).toEqual({ externalRegistryHostnames: ['registry.apps.example.com', 'lb.example.com:8443'] });
    expect(readObject(files.get('registry/kustomization.yaml')!).resources).toEqual(['registry.yaml', 'image-config.yaml']);
  });

  test('a bad hostname is reported at its index in the config\'s list, after publicRoute\'s hostname', () => {
    const bad = 'externalRegistryHostnames: [lb.example.com, "https://x.example.com"]';
    expect(failure(`${base}imageConfig:\n  publicRoute: public\n  ${bad}\n`)).toMatch(/: imageConfig\.externalRegistryHostnames\[1\]: "https:\/\/x\.example\.com" is not host\[:port\]/);
    expect(failure(`${base}imageConfig:\n  ${bad}\n`)).toMatch(/: imageConfig\.externalRegistryHostnames\[1\]: "https:\/\/x\.example\.com" is not host\[:port\]/);
  });

  test('publicRoute must name a route of registry.routes that has a hostname', () => {
    expect(failure(`${base}imageConfig:\n  publicRoute: other\n`)).toBe('cluster.yaml:8:16: imageConfig.publicRoute: "other" is not among registry.routes (public, internal); name a route there that has a hostname');
    expect(failure(`${base}imageConfig:\n  publicRoute: internal\n`)).toMatch(/^cluster\.yaml:8:16: imageConfig\.publicRoute: route "internal" has no hostname/);
  });

  test('an allow-list without the internal registry is refused: this app runs the registry', () => {
    expect(failure(`${base}imageConfig:\n  registrySources:\n    allowedRegistries: [quay.io, registry.redhat.io, registry.example.com]\n`))
      .toMatch(/^cluster\.yaml:9:\d+: imageConfig\.registrySources\.allowedRegistries: does not include the internal registry image-registry\.openshift-image-registry\.svc:5000: /);
  });

  test('the allow-list warning points at the config field, and validate gives the same message on the written object', () => {
    const { files, warnings } = synth(`${base}imageConfig:\n  registrySources:\n    allowedRegistries: [quay.io, registry.redhat.io, image-registry.openshift-image-registry.svc:5000, registry.example.com, registry.example.com]\n`);
    expect(warnings).toHaveLength(1);
    const [, message] = /^warning: cluster\.yaml:9:\d+: imageConfig\.registrySources\.allowedRegistries\[4\]: (.*)$/.exec(warnings[0])!;
    expect(message).toBe('"registry.example.com" is also entry 3: list it once');
    const report = validateTree(new Map([['kustomization.yaml', ''], ['image-config.yaml', files.get('registry/image-config.yaml')!]]), { schemas: builtInSchemas() });
    expect(report.problems.map((p) => [p.severity, p.field, p.message])).toEqual([['warning', 'spec.registrySources.allowedRegistries[4]', message]]);
  });

  test('validate refuses an image config from disk with the rules\' messages (the CRD\'s CEL rule, then the operator\'s rules)', () => {
    const image = { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'images' }, spec: { registrySources: { allowedRegistries: ['quay.io', 'registry.redhat.io'], blockedRegistries: ['x.example.com'] } } };
    const report = validateTree(new Map([['kustomization.yaml', ''], ['image.yaml', toYaml(image)]]), { schemas: builtInSchemas() });
    expect(report.problems.filter((p) => p.severity === 'error').map((p) => `${p.field}: ${p.message.split(' (')[0]}`)).toEqual([
      'spec.registrySources: Only one of blockedRegistries or allowedRegistries may be set',
      'metadata.name: the cluster only reads the Image config named cluster',
    ]);
  });
});
