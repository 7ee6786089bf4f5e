import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Image, ImageSpec } from '../../imports/imageconfig-config.openshift.io';
import type { RegistryRoute } from '../registry/image-registry';
import { checkBuiltInSpecRules } from '../rules/cel/crd-rules';
import { checkImageConfig } from '../rules/image-config-rules';
import { checkOpenShiftVersion, DEFAULT_OPENSHIFT_VERSION, OPENSHIFT_VERSIONS, OpenShiftVersion } from '../rules/openshift-version';
import type { RuleFinding } from '../rules/registry-rules';
import { ValidationError } from '../rules/validation-error';
import { checkFirstInCluster } from '../registry/cluster-scope';
import { IMAGE_CONFIG_NAME } from '../registry/constants';
import { ROUTE } from '../registry/shared-props';
import { checkProps, is, propTypes } from '../rules/prop-types';

export { IMAGE_CONFIG_NAME };

/** A registry that users may import images from (`allowedRegistriesForImport`). */
export interface RegistryLocation {
  /** `domain[:port]`; `*` and `?` wildcards allowed (e.g. `*.example.com`). */
  readonly domainName: string;
  /**
   * Whether the registry is reached over plain HTTP or with an untrusted certificate.
   * @default false (https with a trusted certificate)
   */
  readonly insecure?: boolean;
}

/** How the nodes' container runtime treats registries (`registrySources`). */
export interface RegistrySources {
  /**
   * The only registries nodes may pull from and push to (registry scopes: `host[:port][/path]` or
   * `*.domain`). Not with `blockedRegistries`. List quay.io and registry.redhat.io (or their
   * mirrors): the release and operator images come from there.
   * @default - not set: every registry is allowed
   */
  readonly allowedRegistries?: string[];
  /**
   * Registries nodes may not pull from or push to. Not with `allowedRegistries`.
   * @default - not set: no registry is blocked
   */
  readonly blockedRegistries?: string[];
  /**
   * Registries reached over plain HTTP or with an untrusted certificate.
   * @default - not set: every registry needs valid TLS
   */
  readonly insecureRegistries?: string[];
  /**
   * Registries CRI-O searches, in order, for short image names (`host[:port]`); not used by
   * builds or image stream imports.
   * @default - not set: short names are not resolved by search
   */
  readonly containerRuntimeSearchRegistries?: string[];
}

export interface ImageConfigProps {
  /**
   * Hostnames (`host[:port]`) under which the internal registry is reached from outside. They come
   * before the ones the registry operator publishes in status (its routes: `default-route` first,
   * then the others sorted), and the first of all becomes every image stream's public repository.
   * Add registry routes with `addRoute` rather than typing their hostnames again.
   * @default - not set: image streams show the first hostname the registry operator publishes
   */
  readonly externalRegistryHostnames?: string[];
  /**
   * Registries that users without image-create permission may import images from.
   * @default - not set: imports from any registry are allowed
   */
  readonly allowedRegistriesForImport?: RegistryLocation[];
  /**
   * How nodes treat registries: an allow-list or a block-list (never both), insecure and search registries.
   * @default - not set: nodes pull from any registry over TLS
   */
  readonly registrySources?: RegistrySources;
  /**
   * Name of a ConfigMap in `openshift-config` whose keys are registry hostnames (`host..port` for a
   * port) and values PEM CA bundles, trusted for image stream imports, pulls, builds and the
   * registry's pull-through.
   * @default - not set: only the cluster's trust bundle
   */
  readonly additionalTrustedCA?: string;
  /**
   * The cluster's OpenShift minor: the Image CRD's rules differ by version (both allow- and
   * block-list are refused by the API server from 4.18, by the machine-config-operator before;
   * registry scopes are checked by the API server from 4.23).
   * @default DEFAULT_OPENSHIFT_VERSION (the newest known)
   */
  readonly openshiftVersion?: OpenShiftVersion;
  /**
   * Whether the cluster runs its internal registry (its registry Config is not `Removed`): an
   * allow-list without the internal registry's host name then blocks every image pulled from it.
   * @default - not known: such an allow-list is a warning
   */
  readonly internalRegistry?: boolean;
}

/** The props' types, for callers without TypeScript (lib/rules/prop-types.ts). */
const PROP_TYPES = propTypes<ImageConfigProps>('ImageConfig', {
  externalRegistryHostnames: is.listOf(is.string),
  allowedRegistriesForImport: is.listOf(is.shape<RegistryLocation>({ domainName: is.string.isRequired, insecure: is.boolean })),
  registrySources: is.shape<RegistrySources>({
    allowedRegistries: is.listOf(is.string),
    blockedRegistries: is.listOf(is.string),
    insecureRegistries: is.listOf(is.string),
    containerRuntimeSearchRegistries: is.listOf(is.string),
  }),
  additionalTrustedCA: is.string,
  openshiftVersion: is.oneOf(OPENSHIFT_VERSIONS, 'a known OpenShift version'),
  internalRegistry: is.boolean,
});

/**
 * The cluster-wide image policy, `images.config.openshift.io/cluster`, as a partial object: only
 * the fields given here are written, so that a server-side apply leaves the fields other teams
 * and the registry operator (status) own alone. The rules (rules/image-config-rules.ts) are
 * checked when it is made and on each addition.
 */
export class ImageConfig extends Construct {
  /** The typed Image object, for escape hatches. */
  public readonly apiObject: Image;
  public readonly openshiftVersion: OpenShiftVersion;
  private readonly internalRegistry?: boolean;
  private readonly hostnames: string[];
  private readonly spec: Omit<ImageSpec, 'externalRegistryHostnames'>;

  constructor(scope: Construct, id: string, props: ImageConfigProps = {}) {
    super(scope, id);
    checkProps(PROP_TYPES, props);
    const sources = props.registrySources;
    this.openshiftVersion = checkOpenShiftVersion('openshiftVersion', props.openshiftVersion ?? DEFAULT_OPENSHIFT_VERSION);
    this.internalRegistry = props.internalRegistry;
    this.hostnames = [...props.externalRegistryHostnames ?? []];
    this.spec = {
      additionalTrustedCa: props.additionalTrustedCA === undefined ? undefined : { name: props.additionalTrustedCA },
      allowedRegistriesForImport: nonEmpty(props.allowedRegistriesForImport?.map((r) => ({ domainName: r.domainName, insecure: r.insecure }))),
      registrySources: sources && nothingUndefined({
        allowedRegistries: nonEmpty(sources.allowedRegistries),
        blockedRegistries: nonEmpty(sources.blockedRegistries),
        insecureRegistries: nonEmpty(sources.insecureRegistries),
        containerRuntimeSearchRegistries: nonEmpty(sources.containerRuntimeSearchRegistries),
      }),
    };
    this.check();
    checkFirstInCluster(this, Image.GVK.apiVersion, Image.GVK.kind, IMAGE_CONFIG_NAME);
    this.apiObject = new Image(this, 'Resource', {
      metadata: { name: IMAGE_CONFIG_NAME },
      spec: {
        ...this.spec,
        // Lazy: hostnames added later still land here; none at all leaves the field out.
        externalRegistryHostnames: Lazy.any({ produce: () => nonEmpty([...this.hostnames]) }) as unknown as string[],
      },
    });
  }

  /** Lists `hostname` (`host[:port]`) after the hostnames already listed. */
  public addExternalRegistryHostname(hostname: string): void {
    is.string.isRequired.check(hostname, 'hostname');
    this.hostnames.push(hostname);
    try {
      this.check();
    } catch (e) {
      this.hostnames.pop();
      throw e;
    }
  }

  /**
   * Lists the hostname of one of the registry's routes (`ImageRegistryProps.routes`), making it the
   * image streams' public repository if it is the first listed. A route without a hostname gets
   * one from the router, which the registry operator publishes in status by itself.
   */
  public addRoute(route: RegistryRoute): void {
    ROUTE.isRequired.check(route, 'route');
    if (route.hostname === undefined) {
      throw new ValidationError('externalRegistryHostnames', `route ${JSON.stringify(route.name)} has no hostname: the router makes one up, and the registry operator already publishes it in the Image config's status; give the route a hostname to list it here`);
    }
    this.addExternalRegistryHostname(route.hostname);
  }

  /** The hostnames listed in spec, in order. */
  public get externalRegistryHostnames(): readonly string[] {
    return [...this.hostnames];
  }

  /** What the rules say without refusing (an allow-list without quay.io, ...): `field: message`. */
  public get warnings(): readonly string[] {
    return this.findings().filter((f) => f.severity === 'warning').map((f) => `${f.field}: ${f.message}`);
  }

  /** The spec as the rules see it: what `validate` reads back from the written YAML. */
  private json(): unknown {
    return Image.manifest({ metadata: { name: IMAGE_CONFIG_NAME }, spec: { ...this.spec, externalRegistryHostnames: nonEmpty(this.hostnames) } }).spec;
  }

  /** The rules of lib/rules and the CRD's CEL rules, as the cluster's version has them. */
  private findings(): RuleFinding[] {
    const spec = this.json();
    return [...checkBuiltInSpecRules(Image.GVK.apiVersion + ' ' + Image.GVK.kind, spec, this.openshiftVersion), ...checkImageConfig(spec, this.openshiftVersion, { registryInUse: this.internalRegistry })];
  }

  private check(): void {
    const error = this.findings().find((f) => f.severity === 'error');
    if (error) throw new ValidationError(error.field, error.message);
  }
}

function nonEmpty<T>(list: T[] | undefined): T[] | undefined {
  return list?.length ? list : undefined;
}

function nothingUndefined<T extends object>(value: T): T | undefined {
  const defined = Object.entries(value).filter(([, v]) => v !== undefined);
  return defined.length ? Object.fromEntries(defined) as T : undefined;
}
