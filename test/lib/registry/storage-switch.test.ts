import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { STORAGE_SWITCH_SCRIPT, StorageSwitch } from '../../../lib/registry/storage-switch';

const pvcStorage = { pvc: { claim: 'image-registry-pvc' }, managementState: 'Unmanaged' };
const minioStorage = { s3: { bucket: 'image-registry', region: 'us-east-1', regionEndpoint: 'http://minio.minio.svc:9000' }, managementState: 'Unmanaged' };

function synth(storage: Record<string, unknown>) {
  const chart = new Chart(Testing.app(), 'test');
  new StorageSwitch(chart, 'Switch', { storage });
  return Testing.synth(chart);
}

/**
 * Runs the Job's script with `sh` against a stand-in for `oc` that keeps the Config in a file,
 * answers `oc get -o jsonpath={.spec.storage.KEY}` and applies `oc patch --type=json` (add,
 * remove, test; --dry-run=server changes nothing) as the API server would.
 */
function runSwitch(storage: Record<string, unknown>, cluster: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'storage-switch-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(cluster));
  writeFileSync(join(dir, 'oc'), `#!${process.execPath}
const fs = require('fs'); const path = require('path');
const file = path.join(__dirname, 'config.json'); const log = path.join(__dirname, 'calls.log');
const args = process.argv.slice(2);
fs.appendFileSync(log, JSON.stringify(args) + '\\n');
if (args[1] !== 'configs.imageregistry.operator.openshift.io/cluster') { console.error('wrong object'); process.exit(1); }
const config = JSON.parse(fs.readFileSync(file, 'utf8'));
if (args[0] === 'get') {
  const key = args[3].match(/^jsonpath=\\{\\.spec\\.storage\\.(\\w+)\\}$/)[1];
  const value = config.spec.storage?.[key];
  if (value !== undefined) process.stdout.write(typeof value === 'string' ? value : JSON.stringify(value));
} else if (args[0] === 'patch' && args.includes('--type=json')) {
  const ops = JSON.parse(args[args.indexOf('-p') + 1]);
  const next = JSON.parse(JSON.stringify(config));
  for (const op of ops) {
    const keys = op.path.split('/').slice(1); const last = keys.pop();
    const parent = keys.reduce((o, k) => o?.[k], next);
    if (parent === undefined) { console.error('path not found ' + op.path); process.exit(1); }
    const canonical = (v) => JSON.stringify(v, (k, x) => x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x);
    if (op.op === 'test' && canonical(parent[last]) !== canonical(op.value)) { console.error('testing value ' + op.path + ' failed'); process.exit(1); }
    if (op.op === 'remove') { if (!(last in parent)) { console.error('missing ' + op.path); process.exit(1); } delete parent[last]; }
    if (op.op === 'add') parent[last] = op.value;
  }
  if (!args.includes('--dry-run=server')) fs.writeFileSync(file, JSON.stringify(next));
} else { console.error('unexpected call'); process.exit(1); }
`);
  chmodSync(join(dir, 'oc'), 0o755);
  const job = synth(storage).find((o) => o.kind === 'Job')!;
  const env = Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
  const output = execFileSync('sh', ['-c', STORAGE_SWITCH_SCRIPT], { env: { ...env, PATH: `${dir}:/usr/bin:/bin` }, encoding: 'utf8' });
  const calls: string[][] = readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  return {
    output,
    after: JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')),
    patches: calls.filter((c) => c[0] === 'patch' && !c.includes('--dry-run=server')),
  };
}

/** A cluster that AWS installed: the operator's own bucket, Managed, encrypted. */
const awsCluster = {
  apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' },
  spec: {
    managementState: 'Managed', replicas: 2, httpSecret: 'operator-secret', logLevel: 'Normal',
    storage: { s3: { bucket: 'cluster-abc-image-registry-us-west-2-xyz', region: 'us-west-2', encrypt: true, virtualHostedStyle: false }, managementState: 'Managed' },
  },
};

describe('StorageSwitch', () => {
  test('RBAC can read and patch the Config `cluster` and nothing else', () => {
    const role = synth(pvcStorage).find((o) => o.kind === 'ClusterRole')!;
    expect(role.rules).toEqual([{ apiGroups: ['imageregistry.operator.openshift.io'], resources: ['configs'], resourceNames: ['cluster'], verbs: ['get', 'patch'] }]);
    const binding = synth(pvcStorage).find((o) => o.kind === 'ClusterRoleBinding')!;
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'image-registry-storage-switch', namespace: 'openshift-image-registry' }]);
  });

  test('the Job runs as the restricted profile asks, with a pinned image', () => {
    const pod = synth(pvcStorage).find((o) => o.kind === 'Job')!.spec.template.spec;
    expect(pod.serviceAccountName).toBe('image-registry-storage-switch');
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true });
    expect(pod.containers[0].image).toMatch(/^quay\.io\/openshift\/origin-cli:\d+\.\d+$/);
  });

  test('first adoption on AWS: the operator\'s S3 is removed and the claim set, in one patch; no other field changes', () => {
    const { after, patches } = runSwitch(pvcStorage, awsCluster);
    expect(after.spec.storage).toEqual(pvcStorage);
    expect({ ...after.spec, storage: undefined }).toEqual({ ...awsCluster.spec, storage: undefined });
    expect(patches).toHaveLength(1);
  });

  test('a no-op when the configured back end is already the only one, with the configured value', () => {
    const cluster = { ...awsCluster, spec: { ...awsCluster.spec, storage: pvcStorage } };
    const { after, patches, output } = runSwitch(pvcStorage, cluster);
    expect(patches).toEqual([]);
    expect(after).toEqual(cluster);
    expect(output).toContain('nothing to change');
  });

  test('idempotent: a second run after a switch changes nothing', () => {
    const first = runSwitch(pvcStorage, awsCluster).after;
    const second = runSwitch(pvcStorage, first);
    expect(second.patches).toEqual([]);
    expect(second.after).toEqual(first);
  });

  test('the same key with stale fields (AWS bucket -> MinIO bucket): replaced whole, encrypt: true gone', () => {
    const { after } = runSwitch(minioStorage, awsCluster);
    expect(after.spec.storage).toEqual(minioStorage);
  });

  test('two back ends already (a claim and emptyDir): the one not configured is removed', () => {
    const cluster = { ...awsCluster, spec: { ...awsCluster.spec, storage: { pvc: { claim: 'image-registry-pvc' }, emptyDir: {}, managementState: 'Unmanaged' } } };
    expect(runSwitch(pvcStorage, cluster).after.spec.storage).toEqual(pvcStorage);
  });

  test('a bootstrapped operator claim (Managed) becomes the configured claim, Unmanaged: Removed would not delete it', () => {
    const cluster = { ...awsCluster, spec: { ...awsCluster.spec, storage: { pvc: { claim: 'image-registry-storage' }, managementState: 'Managed' } } };
    expect(runSwitch(pvcStorage, cluster).after.spec.storage).toEqual(pvcStorage);
  });
});
