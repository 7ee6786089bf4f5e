// Rules for images.config.openshift.io `cluster` (the cluster-wide image policy), each written
// once: the ImageConfig construct runs them on the spec it is about to write, `validate` on
// manifests from disk. The CRD's own CEL rules (allowed or blocked registries, the registry
// scope pattern, per OpenShift minor) are not copied here: they are evaluated from the CRD
// (cel/crd-rules.ts). Sources: the Image CRD of openshift/api (its patterns),
// openshift/cluster-openshift-apiserver-operator (configobservation/images: how the hostnames are
// used), openshift/machine-config-operator (container-runtime-config: how registrySources reach
// the nodes).
import { INTERNAL_REGISTRY_HOSTNAME } from '../registry/constants';
import { builtInCelSchema, checkBuiltInSpecRules } from './cel/crd-rules';
import { DNS_SUBDOMAIN_MAX } from './kubernetes';
import { checkVersionFields, DEFAULT_OPENSHIFT_VERSION, OpenShiftVersion } from './openshift-version';
import type { RuleFinding } from './registry-rules';
import { asList, asMap, asString, isMap, Obj, show } from './shapes';

/** The CRD's bounds on each registry scope list. */
export const REGISTRY_SCOPE_MAX_LENGTH = 256;
export const REGISTRY_SCOPE_MAX_ITEMS = 1024;
/**
 * `host[:port]`: what externalRegistryHostnames and containerRuntimeSearchRegistries hold (a
 * DNS name, lower-case as the router and image references write it, and an optional port).
 */
export const REGISTRY_HOST_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:[0-9]{1,5})?$';
/**
 * An allowedRegistriesForImport domain: `domain[:port]`, where the domain may hold the `*` and
 * `?` wildcards the API server matches with.
 */
export const IMPORT_DOMAIN_PATTERN = '^[a-zA-Z0-9*?]([-a-zA-Z0-9.*?]*[a-zA-Z0-9*?])?(:[0-9]{1,5})?$';

/**
 * Registries an allow-list must cover: the release payload and most operator images come from
 * quay.io, Red Hat's operator, sample and add-on images from registry.redhat.io.
 */
export const REQUIRED_PLATFORM_REGISTRIES = ['quay.io', 'registry.redhat.io'] as const;

const host = new RegExp(REGISTRY_HOST_PATTERN);
const importDomain = new RegExp(IMPORT_DOMAIN_PATTERN);
const configMapName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

type Add = (field: string, message: string, severity?: RuleFinding['severity']) => void;

/**
 * Checks the `spec` of images.config.openshift.io `cluster` on an OpenShift minor (any shape:
 * nothing here throws). The CRD's CEL rules are not among these (see above).
 */
export function checkImageConfig(spec: unknown, openshiftVersion: OpenShiftVersion = DEFAULT_OPENSHIFT_VERSION, facts: ImageConfigFacts = {}): RuleFinding[] {
  // Fields the cluster's CRD lacks first (imageStreamImportMode before 4.21).
  const findings: RuleFinding[] = checkVersionFields('Image', spec, openshiftVersion);
  const add: Add = (field, message, severity = 'error') => findings.push({ field, message, severity });
  const s = asMap(spec);
  for (const rule of RULES) rule(s, add, openshiftVersion, facts);
  return findings;
}

/** What the image config's rules know of the rest of the cluster. */
export interface ImageConfigFacts {
  /**
   * Whether the cluster runs its internal registry (its registry Config is not Removed).
   * @default - not known
   */
  readonly registryInUse?: boolean;
}

const RULES: ((spec: Obj, add: Add, openshiftVersion: OpenShiftVersion, facts: ImageConfigFacts) => void)[] = [
  allowedOrBlockedBeforeTheCrd, allowListCoversPlatform, registryScopes, scopesBeforeTheCrd, externalHostnames, searchRegistries,
  importDomains, trustedCA,
];

/**
 * Before the Image CRD refuses both lists (its CEL rule on registrySources, from OpenShift 4.18:
 * openshift/api 79fcfda), the API server takes them and the machine-config-operator refuses them
 * when it writes the nodes' policy.json (pkg/controller/container-runtime-config/helpers.go
 * updatePolicyJSON): its sync fails and the nodes keep their old policy.
 */
function allowedOrBlockedBeforeTheCrd(spec: Obj, add: Add, openshiftVersion: OpenShiftVersion): void {
  const sources = asMap(spec.registrySources);
  // The machine-config-operator checks the lists' lengths: an empty list is none.
  if (!asList(sources.allowedRegistries).length || !asList(sources.blockedRegistries).length) return;
  if (builtInCelSchema('config.openshift.io/v1 Image', openshiftVersion)?.properties?.spec?.properties?.registrySources?.rules?.length) return;
  add('registrySources', `the machine-config-operator refuses both allowedRegistries and blockedRegistries ("invalid images config: only one of AllowedRegistries or BlockedRegistries may be specified") and the nodes keep their old registry policy; OpenShift ${openshiftVersion}'s API server takes it, later ones refuse it. An allow-list already blocks every registry not on it: keep one of the two`);
}

/** Whether the scope `entry` lets images from registry `name` (`host[:port]`) through. */
function covers(listed: string, name: string): boolean {
  // Host names match in any case; a path after the host does not. A wildcard is read leniently:
  // it covers the host on any port.
  const slash = listed.indexOf('/');
  const entry = slash < 0 ? listed.toLowerCase() : listed.slice(0, slash).toLowerCase() + listed.slice(slash);
  if (entry.startsWith('*.')) return name.replace(/:\d+$/, '').endsWith(entry.slice(1));
  return entry === name || entry.startsWith(`${name}/`);
}

/**
 * machine-config-operator writes allowedRegistries into every node's policy.json as the only
 * registries allowed, with a default of reject (pkg/controller/container-runtime-config/helpers.go
 * updatePolicyJSON); it adds the release payload's repository only when it is in blockedRegistries
 * (getValidBlockedAndAllowedRegistries), and never the internal registry.
 */
function allowListCoversPlatform(spec: Obj, add: Add, _version: OpenShiftVersion, facts: ImageConfigFacts): void {
  const allowed = asMap(spec.registrySources).allowedRegistries;
  // An empty list is no allow-list (updatePolicyJSON checks its length).
  if (!Array.isArray(allowed) || !allowed.length) return;
  const entries = allowed.filter((e): e is string => typeof e === 'string');
  const missing = REQUIRED_PLATFORM_REGISTRIES.filter((name) => !entries.some((entry) => covers(entry, name)));
  if (missing.length) {
    // Nodes check the policy against an image's own name, also when a mirror serves it.
    add('registrySources.allowedRegistries', `does not include ${missing.join(' or ')}: an allow-list blocks every other registry on every node, including the release images (quay.io/openshift-release-dev) and Red Hat's operator images (registry.redhat.io), also when a mirror serves them (the policy is checked against their own names), so new nodes, upgrades and operators fail to pull; add ${missing.join(' and ')}`);
  }
  if (facts.registryInUse !== false && !entries.some((entry) => covers(entry, INTERNAL_REGISTRY_HOSTNAME))) {
    add('registrySources.allowedRegistries', `does not include the internal registry ${INTERNAL_REGISTRY_HOSTNAME}: the machine-config-operator does not add it, so nodes refuse every image pulled from it (image streams, builds, images pushed to the cluster's registry); add ${INTERNAL_REGISTRY_HOSTNAME}${facts.registryInUse ? '' : ' (unless the cluster runs no internal registry: managementState Removed)'}`, facts.registryInUse ? 'error' : 'warning');
  }
}

/**
 * The lengths and item count the CRD (from OpenShift 4.23) gives each scope list; its CEL rule on
 * each entry runs from the CRD. Duplicates say nothing new.
 */
function registryScopes(spec: Obj, add: Add): void {
  const sources = asMap(spec.registrySources);
  for (const key of ['allowedRegistries', 'blockedRegistries', 'insecureRegistries']) {
    const list = sources[key];
    if (list === undefined) continue;
    const field = `registrySources.${key}`;
    if (!Array.isArray(list)) {
      add(field, `must be a list of registry scopes, got ${show(list)}`);
      continue;
    }
    if (list.length > REGISTRY_SCOPE_MAX_ITEMS) add(field, `has ${list.length} entries; the CRD allows at most ${REGISTRY_SCOPE_MAX_ITEMS}`);
    list.forEach((entry, i) => {
      if (typeof entry !== 'string' || entry.length < 1 || entry.length > REGISTRY_SCOPE_MAX_LENGTH) {
        add(`${field}[${i}]`, `${quote(entry)} is not a registry scope: use host[:port][/path] or *.domain, from 1 to ${REGISTRY_SCOPE_MAX_LENGTH} characters`);
      }
    });
    duplicates(list, field, add, 'warning');
  }
}

const IMAGE_CRD = 'config.openshift.io/v1 Image';
const SCOPE_LISTS = ['allowedRegistries', 'blockedRegistries', 'insecureRegistries'] as const;

/**
 * Before the Image CRD checks each registry scope (its CEL rule, from OpenShift 4.23: openshift/api
 * 9dd6a39), the API server takes any string, and the nodes are left to refuse it: the
 * machine-config-operator writes the lists into every node's registries.conf and policy.json
 * (pkg/controller/container-runtime-config/helpers.go). It refuses a `*` anywhere but a leading
 * `*.domain` itself (runtime-utils IsValidRegistriesConfScope: its sync fails, the nodes keep their
 * old policy), and the container runtime refuses a scheme (containers/image sysregistriesv2
 * parseLocation: "URI schemes are not supported"). Anything else the newest CRD's rule refuses (a
 * tag, a digest, an upper-case path) reaches the nodes as written: a warning.
 */
function scopesBeforeTheCrd(spec: Obj, add: Add, openshiftVersion: OpenShiftVersion): void {
  const sources = asMap(spec.registrySources);
  if (!SCOPE_LISTS.some((key) => Array.isArray(sources[key]))) return;
  const scopeRule = (version: OpenShiftVersion) => builtInCelSchema(IMAGE_CRD, version)?.properties?.spec?.properties?.registrySources?.properties?.allowedRegistries?.items?.rules?.length;
  if (scopeRule(openshiftVersion) || !scopeRule(DEFAULT_OPENSHIFT_VERSION)) return;
  const lists = Object.fromEntries(SCOPE_LISTS.map((key) => [key, asList(sources[key]).filter((e) => typeof e === 'string' && e.length >= 1 && e.length <= REGISTRY_SCOPE_MAX_LENGTH)]));
  for (const finding of checkBuiltInSpecRules(IMAGE_CRD, { registrySources: lists }, DEFAULT_OPENSHIFT_VERSION)) {
    const at = /^registrySources\.(\w+)\[(\d+)\]$/.exec(finding.field);
    if (!at) continue;
    const entry = lists[at[1]][Number(at[2])] as string;
    const field = `registrySources.${at[1]}[${asList(sources[at[1]]).indexOf(entry)}]`;
    const what = `${quote(entry)} is not a registry scope (host[:port][/path] or *.domain, without a scheme, tag or digest): OpenShift ${openshiftVersion}'s API server takes it (the Image CRD checks scopes from ${DEFAULT_OPENSHIFT_VERSION})`;
    if (entry.includes('*') && !/^\*\.[^/@:*]+$/.test(entry)) {
      add(field, `${what}, but the machine-config-operator refuses it ("invalid entry for ${at[1].replace('Registries', '')} registries") and the nodes keep their old registry policy`);
    } else if (entry.includes('://')) {
      add(field, `${what}, but the machine-config-operator writes it into every node's registries configuration, whose parser refuses a scheme ("URI schemes are not supported"), and image pulls fail on the nodes`);
    } else {
      add(field, `${what}; the nodes get it as written, where it does not match the images meant; write it as the newer CRD requires`, 'warning');
    }
  }
}

/**
 * The first hostname of spec (then status) becomes every image stream's public repository
 * (cluster-openshift-apiserver-operator, ObserveExternalRegistryHostnames): a scheme or path
 * there gives pull specs that no client can use.
 */
function externalHostnames(spec: Obj, add: Add): void {
  hostList(spec.externalRegistryHostnames, 'externalRegistryHostnames', add, 'warning');
}

/** CRI-O prefixes each to short image names; the CRD makes the list a set (no duplicates). */
function searchRegistries(spec: Obj, add: Add): void {
  const list = asMap(spec.registrySources).containerRuntimeSearchRegistries;
  if (Array.isArray(list) && !list.length) add('registrySources.containerRuntimeSearchRegistries', 'must not be empty (the CRD needs at least one entry); leave it out instead');
  hostList(list, 'registrySources.containerRuntimeSearchRegistries', add, 'error');
}

function hostList(list: unknown, field: string, add: Add, duplicateSeverity: RuleFinding['severity']): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    add(field, `must be a list of host[:port] names, got ${show(list)}`);
    return;
  }
  list.forEach((entry, i) => {
    const name = typeof entry === 'string' ? entry.replace(/:[0-9]+$/, '') : '';
    const port = typeof entry === 'string' ? /:([0-9]+)$/.exec(entry)?.[1] : undefined;
    if (typeof entry !== 'string' || !host.test(entry) || name.length > DNS_SUBDOMAIN_MAX || name.split('.').some((l) => l.length > 63) || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
      add(`${field}[${i}]`, `${quote(entry)} is not host[:port]: use a lower-case DNS name (labels of at most 63 letters, digits and '-') and an optional port from 1 to 65535, without a scheme or path`);
    }
  });
  duplicates(list, field, add, duplicateSeverity);
}

/** domain[:port] with wildcards; an empty domain or two colons never match a registry. */
function importDomains(spec: Obj, add: Add): void {
  const list = spec.allowedRegistriesForImport;
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    add('allowedRegistriesForImport', `must be a list of {domainName, insecure}, got ${show(list)}`);
    return;
  }
  list.forEach((entry, i) => {
    const domain = isMap(entry) ? entry.domainName : undefined;
    const port = typeof domain === 'string' ? /:(\d+)$/.exec(domain)?.[1] : undefined;
    if (typeof domain !== 'string' || !importDomain.test(domain) || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
      add(`allowedRegistriesForImport[${i}].domainName`, `${quote(domain)} is not a registry domain: use domain[:port] (wildcards * and ? allowed, e.g. *.example.com or registry.example.com:5000), without a scheme or path`);
    }
  });
  duplicates(list.map((entry) => (isMap(entry) ? entry.domainName : undefined)).filter((d) => d !== undefined), 'allowedRegistriesForImport', add, 'warning', (d) => `domainName ${quote(d)}`);
}

/** A ConfigMap in openshift-config: its name is a DNS subdomain. */
function trustedCA(spec: Obj, add: Add): void {
  if (spec.additionalTrustedCA === undefined) return;
  const name = asString(asMap(spec.additionalTrustedCA).name);
  // An empty name is no extra CA (the operators skip it).
  if (name === '') return;
  if (name === undefined || name.length > DNS_SUBDOMAIN_MAX || !configMapName.test(name)) {
    add('additionalTrustedCA.name', `${quote(asMap(spec.additionalTrustedCA).name)} is not a ConfigMap name: use at most ${DNS_SUBDOMAIN_MAX} lower-case letters, digits, '-' and '.', starting and ending with a letter or digit (the ConfigMap is read from openshift-config)`);
  }
}

function duplicates(list: readonly unknown[], field: string, add: Add, severity: RuleFinding['severity'], what = quote): void {
  const seen = new Map<unknown, number>();
  list.forEach((entry, i) => {
    const first = seen.get(entry);
    if (first === undefined) seen.set(entry, i);
    else add(`${field}[${i}]`, `${what(entry)} is also entry ${first}${severity === 'error' ? ': the CRD makes this list a set, and the API server refuses duplicates' : ': list it once'}`, severity);
  });
}

function quote(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(show(value)) : show(value);
}

