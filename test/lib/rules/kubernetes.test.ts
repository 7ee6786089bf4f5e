import { checkDnsLabel, checkDnsSubdomain, checkQuantity, checkWholeNumber, objectMetaProblems } from '../../../lib/rules/kubernetes';
import { ValidationError } from '../../../lib/rules/validation-error';

describe('Kubernetes quantities', () => {
  test.each(['100Gi', '1Ti', '512Mi', '500m', '1', '1.5Gi', '1e3', '.5', '10k', '2E'])('accepts %s', (value) => {
    expect(() => checkQuantity('size', value)).not.toThrow();
  });

  test.each(['100GB', '100 Gi', 'Gi', '-1Gi', '100gi', '', '1.2.3', '10KiB'])('rejects %p with the field and an example', (value) => {
    expect(() => checkQuantity('size', value)).toThrow(`size: ${JSON.stringify(value)} is not a Kubernetes quantity`);
    expect(() => checkQuantity('size', value)).toThrow(/e\.g\. 100Gi/);
  });

  test('positive rejects zero in any spelling', () => {
    for (const zero of ['0', '0Gi', '0.0', '0e5']) {
      expect(() => checkQuantity('size', zero, { positive: true })).toThrow('must be greater than zero');
    }
    expect(() => checkQuantity('size', '0.5Gi', { positive: true })).not.toThrow();
  });
});

describe('DNS names', () => {
  test('subdomains allow dots and reject capitals, underscores and edges', () => {
    expect(() => checkDnsSubdomain('name', 'image-registry.pvc-1')).not.toThrow();
    for (const bad of ['Image', 'a_b', '-a', 'a-', 'a..b', '', 'a'.repeat(254)]) {
      expect(() => checkDnsSubdomain('name', bad)).toThrow(/^name: .* is not a valid name: use at most 253 lower-case letters/);
    }
  });

  test('labels reject dots and more than 63 characters', () => {
    expect(() => checkDnsLabel('name', 'prod-1')).not.toThrow();
    expect(() => checkDnsLabel('name', 'a.b')).toThrow('is not a valid name');
    expect(() => checkDnsLabel('name', 'a'.repeat(64))).toThrow('at most 63');
  });
});

test('whole numbers', () => {
  expect(() => checkWholeNumber('replicas', 0)).not.toThrow();
  expect(() => checkWholeNumber('replicas', -1)).toThrow('replicas: -1 must be a whole number >= 0');
  expect(() => checkWholeNumber('replicas', 1.5)).toThrow('replicas: 1.5 must be a whole number >= 0');
});

test('ValidationError.within prefixes the field', () => {
  const error = new ValidationError('routes[1].name', 'bad').within('registry');
  expect(error.field).toBe('registry.routes[1].name');
  expect(error.message).toBe('registry.routes[1].name: bad');
});

describe('object metadata as the API server checks it', () => {
  const problems = (apiVersion: string, kind: string, metadata: Record<string, unknown>) => objectMetaProblems(apiVersion, kind, metadata).map((p) => `${p.field}: ${p.message}`);

  test('names by kind: a DNS subdomain, a Namespace a DNS label, a Service a DNS-1035 label, RBAC and OpenShift API kinds a path segment', () => {
    expect(problems('apps/v1', 'Deployment', { name: 'Bad_Name!' })).toEqual(['metadata.name: "Bad_Name!" is not a valid Deployment name: at most 253 lower-case letters, digits, \'-\' and \'.\', starting and ending with a letter or digit']);
    expect(problems('apps/v1', 'Deployment', { name: 'web.v2' })).toEqual([]);
    expect(problems('v1', 'Namespace', { name: 'a.b' })).toEqual([expect.stringMatching(/^metadata\.name: "a\.b" is not a valid Namespace name/)]);
    expect(problems('v1', 'Service', { name: '1minio' })).toEqual([expect.stringMatching(/^metadata\.name: "1minio" is not a valid Service name: .*starting with a letter/)]);
    expect(problems('v1', 'ConfigMap', { name: '1minio' })).toEqual([]);
    expect(problems('rbac.authorization.k8s.io/v1', 'ClusterRole', { name: 'system:openshift:scc:anyuid' })).toEqual([]);
    expect(problems('rbac.authorization.k8s.io/v1', 'ClusterRole', { name: 'a/b' })).toEqual([expect.stringMatching(/may not be "\." or "\.\." nor hold "\/" or "%"/)]);
    expect(problems('route.openshift.io/v1', 'Route', { name: 'Registry' })).toEqual([]);
    expect(problems('example.com/v1', 'Widget', { name: 'Widget' })).toEqual([expect.stringMatching(/is not a valid Widget name/)]);
  });

  test('the namespace is a DNS label; label keys and values, annotation keys (in lower case) are qualified names', () => {
    expect(problems('v1', 'ConfigMap', { name: 'c', namespace: 'UPPER_ns' })).toEqual([expect.stringMatching(/^metadata\.namespace: "UPPER_ns" is not a namespace name/)]);
    expect(problems('v1', 'ConfigMap', { name: 'c', labels: { 'bad key!': 'v a l', 'app.kubernetes.io/name': 'registry', empty: '' } })).toEqual([
      expect.stringMatching(/^metadata\.labels\.bad key!: the label key must be/),
      expect.stringMatching(/^metadata\.labels\.bad key!: "v a l" must be empty or/),
    ]);
    expect(problems('v1', 'ConfigMap', { name: 'c', annotations: { 'Argocd.Argoproj.io/Sync-Options': 'x', 'not valid/key/x': 'y', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } })).toEqual([
      expect.stringMatching(/^metadata\.annotations\.not valid\/key\/x: the annotation key /),
    ]);
  });
});
