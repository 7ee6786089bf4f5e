import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { builtInCelSchema, checkBuiltInCelRules, checkBuiltInSpecRules, kubernetesMinorOf } from '../../../../lib/rules/cel/crd-rules';
import { CEL_RULES } from '../../../../lib/rules/generated/cel-rules';
import { OpenShiftVersion } from '../../../../lib/rules/openshift-version';
import { rawCrdDir } from '../../../helpers';
import { agreesWithTheOldScopePattern, refused } from './scope-property';

// One plain assertion per CEL rule of the pinned CRDs: an input that passes and one that fails,
// with the CRD's message at the rule's field; and which OpenShift minor has which rule.

const IMAGE = 'config.openshift.io/v1 Image';
const CONFIG = 'imageregistry.operator.openshift.io/v1 Config';
const ROUTE = 'route.openshift.io/v1 Route';
const errors = (key: string, spec: unknown, version?: OpenShiftVersion) => checkBuiltInSpecRules(key, spec, version).filter((f) => f.severity === 'error').map((f) => `${f.field}: ${f.message}`);

describe('the Image config CRD (config.openshift.io/v1 Image)', () => {
  const scopeMessage = 'each registry must be a valid hostname[:port][/path] or wildcard *.hostname format without tags or digests';

  test('registrySources: only one of allowedRegistries and blockedRegistries', () => {
    expect(errors(IMAGE, { registrySources: { allowedRegistries: ['quay.io'], blockedRegistries: ['x.example.com'] } })).toEqual(['registrySources: Only one of blockedRegistries or allowedRegistries may be set']);
    expect(errors(IMAGE, { registrySources: { blockedRegistries: ['x.example.com'] } })).toEqual([]);
    expect(errors(IMAGE, { registrySources: { allowedRegistries: ['quay.io'] } })).toEqual([]);
  });

  test.each(['allowedRegistries', 'blockedRegistries', 'insecureRegistries'])('registrySources.%s: each entry a registry scope, reported at its index', (list) => {
    expect(errors(IMAGE, { registrySources: { [list]: ['quay.io', 'registry.example.com:5000/team/app', '*.mirror.example.com'] } })).toEqual([]);
    expect(errors(IMAGE, { registrySources: { [list]: ['quay.io', 'registry.example.com/app:1.0'] } })).toEqual([`registrySources.${list}[1]: ${scopeMessage}`]);
  });

  test.each([
    'https://registry.example.com', 'registry.example.com:latest-tag', 'registry.example.com/app:1.0',
    'registry.example.com/app@sha256:abc', '-bad.example.com', 'registry.example.com/Upper', '', '*example.com',
  ])('the registry scope %p is refused', (entry) => {
    expect(errors(IMAGE, { registrySources: { blockedRegistries: [entry] } })).toEqual([`registrySources.blockedRegistries[0]: ${scopeMessage}`]);
  });

  test('which minor has which rule: none before 4.18, allowed-or-blocked from 4.18, the scope pattern from 4.23', () => {
    const both = { registrySources: { allowedRegistries: ['quay.io'], blockedRegistries: ['x.example.com'] } };
    const badScope = { registrySources: { blockedRegistries: ['registry.example.com/app:1.0'] } };
    for (const version of ['4.12', '4.15', '4.17'] as const) {
      expect(builtInCelSchema(IMAGE, version)).toBeUndefined();
      expect(errors(IMAGE, both, version)).toEqual([]);
    }
    for (const version of ['4.18', '4.20', '4.22'] as const) {
      expect(errors(IMAGE, both, version)).toEqual(['registrySources: Only one of blockedRegistries or allowedRegistries may be set']);
      expect(errors(IMAGE, badScope, version)).toEqual([]);
    }
    expect(errors(IMAGE, badScope, '4.23')).toEqual([`registrySources.blockedRegistries[0]: ${scopeMessage}`]);
  });

  agreesWithTheOldScopePattern(300); // 3000 runs in crd-rules.slow.test.ts

  test('a path that makes the CRD\'s pattern backtrack for minutes in JavaScript is refused at once (RE2)', () => {
    const hostile = `a/${'a'.repeat(5000)}A`;
    expect(refused(hostile)).toBe(true);
    expect(refused(`a/${'a'.repeat(5000)}`)).toBe(false);
  });
});

describe('the registry Config CRD (imageregistry.operator.openshift.io/v1 Config)', () => {
  const access = (networkAccess: object) => ({ storage: { azure: { accountName: 'acct', container: 'images', networkAccess } } });

  test('storage.azure.networkAccess: internal only with type Internal (from 4.15, when the field came)', () => {
    expect(errors(CONFIG, access({ type: 'External', internal: { vnetName: 'vnet' } }))).toEqual(['storage.azure.networkAccess: internal is forbidden when type is not Internal']);
    expect(errors(CONFIG, access({ internal: { vnetName: 'vnet' } }))).toEqual(['storage.azure.networkAccess: internal is forbidden when type is not Internal']);
    expect(errors(CONFIG, access({ type: 'Internal', internal: { vnetName: 'vnet' } }))).toEqual([]);
    expect(errors(CONFIG, access({ type: 'External' }))).toEqual([]);
    expect(builtInCelSchema(CONFIG, '4.14')).toBeUndefined();
    expect(errors(CONFIG, access({ type: 'External', internal: { vnetName: 'vnet' } }), '4.15')).toHaveLength(1);
  });

  test('the status rule only the API server\'s update runs (self >= oldSelf, 4.18 on) is left out', () => {
    expect(JSON.stringify(CEL_RULES[CONFIG])).not.toContain('oldSelf');
    expect(checkBuiltInCelRules({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', status: { latestAvailableRevision: 0 } }, '4.23')).toEqual([]);
  });
});

describe('the Route CRD (route.openshift.io/v1 Route)', () => {
  const headers = (direction: 'request' | 'response', actions: object[]) => ({ to: { kind: 'Service', name: 's' }, httpHeaders: { actions: { [direction]: actions } } });
  const set = (name: string, value: string) => ({ name, action: { type: 'Set', set: { value } } });
  const valueMessage = /^Either the header value provided is not in correct format or the sample fetcher\/converter specified is not allowed/;

  test('spec: no header actions with passthrough termination', () => {
    expect(errors(ROUTE, { ...headers('request', [set('X-A', 'b')]), tls: { termination: 'passthrough' } })).toEqual([': header actions are not permitted when tls termination is passthrough.']);
    expect(errors(ROUTE, { ...headers('request', [set('X-A', 'b')]), tls: { termination: 'edge' } })).toEqual([]);
  });

  test.each(['request', 'response'] as const)('httpHeaders.actions.%s: values an HAProxy format string of the allowed fetchers, in RE2 syntax ([[:cntrl:]])', (direction) => {
    const fetcher = direction === 'request' ? 'req.hdr(host)' : 'res.hdr(server)';
    expect(errors(ROUTE, headers(direction, [set('X-A', `plain %[${fetcher},lower]`), { name: 'X-B', action: { type: 'Delete' } }]))).toEqual([]);
    for (const bad of ['tab\tinside', `%[${direction === 'request' ? 'res' : 'req'}.hdr(x)]`, 'lone % sign']) {
      const found = errors(ROUTE, headers(direction, [set('X-A', bad)]));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(new RegExp(`^httpHeaders\\.actions\\.${direction}: ${valueMessage.source.slice(1)}`));
    }
  });

  test.each(['request', 'response'] as const)('httpHeaders.actions.%s[].action: set exactly when type is Set', (direction) => {
    expect(errors(ROUTE, headers(direction, [{ name: 'X-A', action: { type: 'Set' } }]))).toContain(`httpHeaders.actions.${direction}[0].action: set is required when type is Set, and forbidden otherwise`);
    expect(errors(ROUTE, headers(direction, [{ name: 'X-A', action: { type: 'Delete', set: { value: 'x' } } }]))).toEqual([`httpHeaders.actions.${direction}[0].action: set is required when type is Set, and forbidden otherwise`]);
  });

  test.each([
    ['request', 'Strict-Transport-Security', 'strict-transport-security'], ['request', 'PROXY', 'proxy'], ['request', 'Cookie', 'cookie'], ['request', 'Set-Cookie', 'set-cookie'],
    ['response', 'Strict-Transport-Security', 'strict-transport-security'], ['response', 'Proxy', 'proxy'], ['response', 'cookie', 'cookie'], ['response', 'SET-COOKIE', 'set-cookie'],
  ] as const)('httpHeaders.actions.%s[].name: %s may not be modified (lowerAscii)', (direction, name, lower) => {
    expect(errors(ROUTE, headers(direction, [set(name, 'x')]))).toEqual([`httpHeaders.actions.${direction}[0].name: ${lower} header may not be modified via header actions`]);
    expect(errors(ROUTE, headers(direction, [set(`X-${name}`, 'x')]))).toEqual([]);
  });

  test('tls: no passthrough with insecureEdgeTerminationPolicy Allow; not both certificate and externalCertificate', () => {
    expect(errors(ROUTE, { tls: { termination: 'passthrough', insecureEdgeTerminationPolicy: 'Allow' } })).toEqual(['tls: cannot have both spec.tls.termination: passthrough and spec.tls.insecureEdgeTerminationPolicy: Allow']);
    expect(errors(ROUTE, { tls: { termination: 'passthrough', insecureEdgeTerminationPolicy: 'Redirect' } })).toEqual([]);
    expect(errors(ROUTE, { tls: { termination: 'edge', certificate: 'PEM', externalCertificate: { name: 'tls' } } })).toEqual(['tls: cannot have both spec.tls.certificate and spec.tls.externalCertificate']);
    expect(errors(ROUTE, { tls: { termination: 'edge', externalCertificate: { name: 'tls' } } })).toEqual([]);
  });
});

describe('the Flux CRDs', () => {
  const whole = (apiVersion: string, kind: string, spec: object) => checkBuiltInCelRules({ apiVersion, kind, metadata: { name: 'x' }, spec }).map((f) => `${f.field}: ${f.message}`);

  test('Kustomization spec.kubeConfig: exactly one of configMapRef and secretRef (two rules)', () => {
    const k = (kubeConfig: object) => whole('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', { kubeConfig });
    const message = 'spec.kubeConfig: exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified';
    expect(k({ secretRef: { name: 'k' } })).toEqual([]);
    expect(k({})).toEqual([message]);
    expect(k({ secretRef: { name: 'k' }, configMapRef: { name: 'k' } })).toEqual([message]);
  });

  test('GitRepository spec: serviceAccountName only with provider azure or aws', () => {
    const g = (spec: object) => whole('source.toolkit.fluxcd.io/v1', 'GitRepository', spec);
    expect(g({ serviceAccountName: 'sa', provider: 'azure' })).toEqual([]);
    expect(g({ serviceAccountName: 'sa', provider: 'generic' })).toEqual(["spec: serviceAccountName can only be set when provider is 'azure' or 'aws'"]);
  });
});

test('OpenShift 4.x runs Kubernetes 1.(x+13)', () => {
  expect(kubernetesMinorOf('4.12')).toBe(25);
  expect(kubernetesMinorOf('4.23')).toBe(36);
});

test('every rule in the table is one of the CRDs\' rules as written (the pinned CRDs, when they are here)', () => {
  const dir = rawCrdDir('the CEL rules against the pinned CRDs');
  if (!dir) return;
  const crdRules = new Set<string>();
  for (const file of ['config.openshift.io_images.yaml', 'imageregistry.operator.openshift.io_configs.yaml', 'route.openshift.io_routes.yaml', 'kustomize.toolkit.fluxcd.io_kustomizations.yaml', 'source.toolkit.fluxcd.io_gitrepositories.yaml']) {
    JSON.stringify(load(readFileSync(join(dir, file), 'utf8')), (key, value) => {
      if (key === 'rule' && typeof value === 'string') crdRules.add(value);
      return value;
    });
  }
  const tableRules = new Set<string>();
  JSON.stringify(CEL_RULES, (key, value) => {
    if (key === 'rule' && typeof value === 'string') tableRules.add(value);
    return value;
  });
  expect(tableRules.size).toBe(16); // 20 rules: the Route's request and response rules share their text
  for (const rule of tableRules) expect(crdRules).toContain(rule);
});
