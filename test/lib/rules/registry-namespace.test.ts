import { EgressPolicies, registryNamespaceTrafficProblem } from '../../../lib/rules/registry-namespace';

const policy = (spec: object, namespace = 'openshift-image-registry') => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace }, spec });
const allows = (objects: object[], labels: Record<string, string>) => new EgressPolicies(objects, 'openshift-image-registry').allow(labels);
const egress = [{}];

describe('EgressPolicies: which pods a namespace\'s NetworkPolicies let out', () => {
  test('an empty selector lets every pod out; matchLabels only the pods with all of them', () => {
    expect(allows([policy({ podSelector: {}, policyTypes: ['Egress'], egress })], {})).toBe(true);
    const both = policy({ podSelector: { matchLabels: { app: 'switch', tier: 'job' } }, policyTypes: ['Egress'], egress });
    expect(allows([both], { app: 'switch', tier: 'job', other: 'x' })).toBe(true);
    expect(allows([both], { app: 'switch' })).toBe(false);
    expect(allows([both], { tier: 'job' })).toBe(false);
  });

  test('expressions alone, and expressions beside labels', () => {
    expect(allows([policy({ podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'b'] }] }, policyTypes: ['Egress'], egress })], { app: 'b' })).toBe(true);
    expect(allows([policy({ podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['a'] }] }, policyTypes: ['Egress'], egress })], { app: 'a' })).toBe(false);
    expect(allows([policy({ podSelector: { matchLabels: { app: 'a' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, policyTypes: ['Egress'], egress })], { app: 'a' })).toBe(false);
  });

  test('only egress that is allowed, in that namespace, counts (policyTypes defaults to Egress when egress rules are given)', () => {
    expect(allows([policy({ podSelector: {}, egress })], {})).toBe(true);
    expect(allows([policy({ podSelector: {}, policyTypes: ['Ingress'], egress })], {})).toBe(false);
    expect(allows([policy({ podSelector: {}, policyTypes: ['Egress'] })], {})).toBe(false);
    expect(allows([policy({ podSelector: {}, policyTypes: ['Egress'], egress }, 'minio')], {})).toBe(false);
  });

  test('the problem is said only in the registry\'s namespace, from OpenShift 4.22', () => {
    const none = new EgressPolicies([], 'openshift-image-registry');
    expect(registryNamespaceTrafficProblem('openshift-image-registry', { app: 'x' }, none, '4.22')).toMatch(/^from OpenShift 4\.22 \(checked here for 4\.22\) the registry operator denies all traffic/);
    expect(registryNamespaceTrafficProblem('openshift-image-registry', { app: 'x' }, none, '4.21')).toBeUndefined();
    expect(registryNamespaceTrafficProblem('minio', { app: 'x' }, none, '4.23')).toBeUndefined();
  });
});
