import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { containerSees, expand } from './kubelet';
import { operatorWritesBack } from './operator-write';
import { MinioBucket } from '../../../lib/minio/minio-bucket';
import { MinioObjectStore } from '../../../lib/minio/minio-object-store';
import { AzureNetworkAccessType } from '../../../lib/registry/azure-storage';
import { RegistryPvc } from '../../../lib/registry/registry-pvc';
import { RegistryStorage, StorageManagementState } from '../../../lib/registry/registry-storage';
import { OC_IMAGE, STORAGE_SWITCH_DEADLINE_SECONDS, STORAGE_SWITCH_SCRIPT, StorageSwitch } from '../../../lib/registry/storage-switch';
import { ValidationError } from '../../../lib/rules/validation-error';
import { SecretSource } from '../../../lib/secrets/secret-source';

type Obj = Record<string, any>;

const claim = RegistryStorage.fromExistingClaim({ name: 'image-registry-pvc' });
const pvcStorage = { pvc: { claim: 'image-registry-pvc' }, managementState: 'Unmanaged' };

/** The library's MinIO, as the app makes it. */
function minioStorage(chart = new Chart(Testing.app(), 'minio')) {
  const store = new MinioObjectStore(chart, 'Minio', { rootCredentials: SecretSource.existing() });
  return RegistryStorage.fromMinio({ bucket: new MinioBucket(chart, 'Bucket', { objectStore: store, bucket: 'image-registry' }) });
}

function synth(storage: RegistryStorage, image?: string) {
  const chart = new Chart(Testing.app(), 'test');
  new StorageSwitch(chart, 'Switch', { storage, image });
  return Testing.synth(chart);
}
const jobOf = (storage: RegistryStorage) => synth(storage).find((o) => o.kind === 'Job')!;

/** A cluster that AWS installed: the operator's own bucket, Managed, encrypted, as its Go client wrote it. */
const awsCluster = {
  apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' },
  spec: {
    managementState: 'Managed', replicas: 2, httpSecret: 'operator-secret', logLevel: 'Normal', operatorLogLevel: 'Normal',
    storage: { s3: { bucket: 'cluster-abc-image-registry-us-west-2-xyz', region: 'us-west-2', encrypt: true, virtualHostedStyle: false, trustedCA: { name: '' } }, managementState: 'Managed' },
  },
};
const withStorage = (storage: Obj | undefined) => {
  const spec: Obj = { ...awsCluster.spec, storage };
  if (storage === undefined) delete spec.storage;
  return { ...awsCluster, spec };
};

interface Run {
  status: number | null;
  output: string;
  stderr: string;
  after: Obj;
  /** The patches written (not the dry runs), as sent. */
  patches: unknown[][];
  sleeps: number;
}

/**
 * Runs the Job's container as the kubelet starts it (env and command expanded, see kubelet.ts)
 * with /bin/sh, against fake-oc.cjs (a stand-in for oc and the API server, as strict as they are
 * for these calls) holding `cluster`, and a `sleep` that returns at once.
 */
function runSwitch(storage: RegistryStorage, cluster: Obj, options: { race?: 'once' | 'always'; shell?: string } = {}): Run {
  const dir = mkdtempSync(join(tmpdir(), 'storage-switch-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(cluster));
  writeFileSync(join(dir, 'calls.log'), '');
  writeFileSync(join(dir, 'oc'), `#!/bin/sh\nexec "${process.execPath}" "${join(__dirname, 'fake-oc.cjs')}" "$@"\n`);
  writeFileSync(join(dir, 'sleep'), `#!/bin/sh\necho '["sleep"]' >> "${join(dir, 'calls.log')}"\n`);
  chmodSync(join(dir, 'oc'), 0o755);
  chmodSync(join(dir, 'sleep'), 0o755);
  const container = jobOf(storage).spec.template.spec.containers[0];
  const { env, command } = containerSees(container);
  const [shell, ...shellArgs] = command;
  const result = spawnSync(options.shell ?? shell, shellArgs, {
    env: { ...env, PATH: `${dir}:/usr/bin:/bin`, FAKE_OC_DIR: dir, ...(options.race ? { FAKE_OC_RACE: options.race } : {}) },
    encoding: 'utf8',
  });
  const calls: string[][] = readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return {
    status: result.status,
    output: result.stdout,
    stderr: result.stderr,
    after: JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')),
    patches: calls.filter((c) => c[1] === 'patch' && !c.includes('--dry-run=server')).map((c) => JSON.parse(c[c.indexOf('-p') + 1])),
    sleeps: calls.filter((c) => c[0] === 'sleep').length,
  };
}

/** The Config after the operator has decoded and written back its spec. */
const afterOperatorWrite = (config: Obj, fill: (storage: Obj) => void = () => undefined) => {
  const storage = operatorWritesBack(config.spec.storage);
  fill(storage);
  return { ...config, spec: { ...config.spec, storage } };
};

describe('StorageSwitch', () => {
  test('RBAC can read and patch the Config `cluster` and nothing else', () => {
    const role = synth(claim).find((o) => o.kind === 'ClusterRole')!;
    expect(role.rules).toEqual([{ apiGroups: ['imageregistry.operator.openshift.io'], resources: ['configs'], resourceNames: ['cluster'], verbs: ['get', 'patch'] }]);
    const binding = synth(claim).find((o) => o.kind === 'ClusterRoleBinding')!;
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'image-registry-storage-switch', namespace: 'openshift-image-registry' }]);
  });

  test('the Job runs as the restricted profile asks, with the pinned image', () => {
    const pod = jobOf(claim).spec.template.spec;
    expect(pod.serviceAccountName).toBe('image-registry-storage-switch');
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true });
    expect(pod.containers[0].image).toBe(OC_IMAGE);
    expect(OC_IMAGE).toMatch(/^quay\.io\/openshift\/origin-cli:\d+\.\d+$/);
  });

  test('first adoption on AWS: the operator\'s S3 is removed and the claim set, in one patch; no other field changes', () => {
    const { after, patches, status } = runSwitch(claim, awsCluster);
    expect(status).toBe(0);
    expect(after.spec.storage).toEqual(pvcStorage);
    expect({ ...after.spec, storage: undefined }).toEqual({ ...awsCluster.spec, storage: undefined });
    expect(patches).toEqual([[
      { op: 'remove', path: '/spec/storage/s3' },
      { op: 'add', path: '/spec/storage/pvc', value: { claim: 'image-registry-pvc' } },
      { op: 'add', path: '/spec/storage/managementState', value: 'Unmanaged' },
    ]]);
  });

  test('a no-op when the configured back end is already the only one, with the configured value', () => {
    const cluster = withStorage(pvcStorage);
    const { after, patches, output, sleeps } = runSwitch(claim, cluster);
    expect(patches).toEqual([]);
    expect(sleeps).toBe(0);
    expect(after).toEqual(cluster);
    expect(output).toBe('spec.storage holds pvc {"claim":"image-registry-pvc"}, managementState Unmanaged, as configured: nothing to change\n');
  });

  test('idempotent: a second run after a switch changes nothing', () => {
    const first = runSwitch(claim, awsCluster).after;
    const second = runSwitch(claim, first);
    expect(second.patches).toEqual([]);
    expect(second.after).toEqual(first);
  });

  test('the same key with stale fields (AWS bucket -> MinIO bucket): replaced whole, encrypt: true gone', () => {
    const { after } = runSwitch(minioStorage(), awsCluster);
    expect(after.spec.storage).toEqual({
      s3: { bucket: 'image-registry', region: 'us-east-1', regionEndpoint: 'http://minio.minio.svc:9000', virtualHostedStyle: false, trustedCA: { name: '' } },
      managementState: 'Unmanaged',
    });
  });

  test('two back ends already (a claim and emptyDir): the one not configured is removed', () => {
    const cluster = withStorage({ pvc: { claim: 'image-registry-pvc' }, emptyDir: {}, managementState: 'Unmanaged' });
    expect(runSwitch(claim, cluster).after.spec.storage).toEqual(pvcStorage);
  });

  describe('a Config without spec.storage (left by `oc patch --type=json -p \'[{"op":"remove","path":"/spec/storage"}]\'`)', () => {
    test('gets the configured storage whole, in one patch that adds /spec/storage', () => {
      const { status, after, patches, output } = runSwitch(claim, withStorage(undefined));
      expect(status).toBe(0);
      expect(after.spec.storage).toEqual(pvcStorage);
      expect(patches).toEqual([[{ op: 'add', path: '/spec/storage', value: pvcStorage }]]);
      expect(output).toContain('switching spec.storage from: nothing (the Config has no spec.storage)\n');
    });

    test('an empty spec.storage gets the back end added to it', () => {
      const { after, patches } = runSwitch(claim, withStorage({}));
      expect(after.spec.storage).toEqual(pvcStorage);
      expect(patches).toHaveLength(1);
    });

    test('the stand-in refuses what the API server refuses: adding below a missing /spec/storage', () => {
      const dir = mkdtempSync(join(tmpdir(), 'fake-oc-'));
      writeFileSync(join(dir, 'config.json'), JSON.stringify(withStorage(undefined)));
      const result = spawnSync(process.execPath, [join(__dirname, 'fake-oc.cjs'), 'patch', 'configs.imageregistry.operator.openshift.io/cluster', '--type=json', '-p', '[{"op":"add","path":"/spec/storage/pvc","value":{"claim":"x"}}]'], { env: { FAKE_OC_DIR: dir }, encoding: 'utf8' });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('add operation does not apply: doc is missing path: "/spec/storage/pvc"');
    });
  });

  describe('compares the back end as the operator writes it back', () => {
    test.each([
      ['a MinIO bucket (virtualHostedStyle: false and trustedCA: {name: ""} written by the Go client)', () => minioStorage(), (s: Obj) => s],
      ['an S3 bucket with a trusted CA', () => RegistryStorage.s3({ bucket: 'images', region: 'eu-west-1', regionEndpoint: 'https://rgw.example.com', trustedCa: 'rgw-ca' }), (s: Obj) => s],
      ['S3 with encrypt: false (omitempty drops it)', () => RegistryStorage.s3({ bucket: 'images', region: 'eu-west-1', regionEndpoint: 'https://rgw.example.com', encrypt: false }), (s: Obj) => s],
      ['a Managed AWS bucket the operator encrypted and gave the cluster\'s region', () => RegistryStorage.s3({ bucket: 'images', managementState: StorageManagementState.MANAGED }),
        (s: Obj) => { s.s3.encrypt = true; s.s3.region = 'us-west-2'; }],
      ['an Internal Azure account whose network names the operator found (and the CRD default)', () => RegistryStorage.azure({ accountName: 'acmeregistry', container: 'images', networkAccess: { type: AzureNetworkAccessType.INTERNAL } }),
        (s: Obj) => { s.azure.networkAccess.internal = { vnetName: 'vnet', subnetName: 'subnet', privateEndpointName: 'acmeregistrype' }; }],
      ['an Azure account (networkAccess: {type: External} is the CRD default)', () => RegistryStorage.azure({ accountName: 'acmeregistry', container: 'images' }), (s: Obj) => s],
      ['a GCS bucket given the cluster\'s region and project', () => RegistryStorage.gcs({ bucket: 'images' }), (s: Obj) => { s.gcs.region = 'europe-west1'; s.gcs.projectID = 'acme'; }],
      ['an IBM COS bucket with the service instance the operator made', () => RegistryStorage.ibmcos({ bucket: 'images' }),
        (s: Obj) => { Object.assign(s.ibmcos, { location: 'eu-de', resourceGroupName: 'rg', serviceInstanceCRN: 'crn:v1:bluemix:public:cloud-object-storage:global:a/1:2::', resourceKeyCRN: 'crn:v1:bluemix:public:cloud-object-storage:global:a/1:2:resource-key:3' }); }],
    ])('%s: the next run changes nothing', (_, storage, fill) => {
      const switched = runSwitch(storage(), awsCluster);
      expect(switched.status).toBe(0);
      const written = afterOperatorWrite(switched.after, fill as (s: Obj) => void);
      const again = runSwitch(storage(), written);
      expect(again.patches).toEqual([]);
      expect(again.output).toMatch(/as configured: nothing to change\n$/);
    });

    test('a field the configuration leaves unset but the live Config holds from an older value is still stale', () => {
      // The MinIO bucket with a leftover KMS key from an AWS configuration under the same key.
      const cluster = withStorage({ s3: { bucket: 'image-registry', region: 'us-east-1', regionEndpoint: 'http://minio.minio.svc:9000', keyID: 'arn:aws:kms:key', virtualHostedStyle: false, trustedCA: { name: '' } }, managementState: 'Unmanaged' });
      const { after, patches } = runSwitch(minioStorage(), cluster);
      expect(patches).toHaveLength(1);
      expect(after.spec.storage.s3.keyID).toBeUndefined();
    });

    test('virtual-hosted style left on by an older configuration is switched off for MinIO', () => {
      const cluster = withStorage({ s3: { bucket: 'image-registry', region: 'us-east-1', regionEndpoint: 'http://minio.minio.svc:9000', virtualHostedStyle: true, trustedCA: { name: '' } }, managementState: 'Unmanaged' });
      expect(runSwitch(minioStorage(), cluster).after.spec.storage.s3.virtualHostedStyle).toBe(false);
    });
  });

  describe('values with `$` reach the script as they are, whatever the kubelet expands', () => {
    const tricky = 'team$(HOME)$$1$';
    const swift = () => RegistryStorage.fromStorageSpec({ swift: { container: 'images', tenant: tricky, domain: '$(KUBERNETES_SERVICE_HOST)' }, managementState: 'Unmanaged' });

    test('a Swift tenant of $(VAR), $$ and $ is written exactly', () => {
      const { after, status } = runSwitch(swift(), awsCluster);
      expect(status).toBe(0);
      expect(after.spec.storage.swift).toEqual({ container: 'images', tenant: tricky, domain: '$(KUBERNETES_SERVICE_HOST)' });
      expect(runSwitch(swift(), after).patches).toEqual([]);
    });

    test('every env value is escaped, so that the kubelet gives back the value', () => {
      const container = jobOf(swift()).spec.template.spec.containers[0];
      const set = container.env.find((e: Obj) => e.name === 'SET').value;
      expect(set).toContain('team$$(HOME)$$$$1$$');
      expect(JSON.parse(containerSees(container).env.SET).value.tenant).toBe(tricky);
    });

    test('the script itself is passed unchanged by the kubelet (no $$, no $(NAME) of a variable)', () => {
      const container = jobOf(swift()).spec.template.spec.containers[0];
      expect(containerSees(container).command).toEqual(['/bin/sh', '-c', STORAGE_SWITCH_SCRIPT]);
      const everyName = Object.fromEntries([...container.env.map((e: Obj) => e.name), 'HOSTNAME', 'PATH'].map((n) => [n, 'X']));
      expect(expand(STORAGE_SWITCH_SCRIPT, (name) => everyName[name] ?? `$(${name})`)).toBe(STORAGE_SWITCH_SCRIPT);
    });
  });

  describe('takes exactly one known back end', () => {
    const refused = (storage: unknown) => {
      try {
        synth(storage as RegistryStorage);
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        return `${(e as ValidationError).field}: ${(e as ValidationError).problem}`;
      }
      throw new Error('not refused');
    };

    test('only managementState', () => {
      expect(refused(RegistryStorage.fromStorageSpec({ managementState: 'Managed' }))).toMatch(/^storage: sets no back end: the Job would remove the live back end and set nothing/);
    });

    test('two back ends', () => {
      expect(refused(RegistryStorage.fromStorageSpec({ s3: { bucket: 'a' }, emptyDir: {} }))).toBe('storage: sets s3 and emptyDir: the operator accepts exactly one back end');
    });

    test('a key that is no back end', () => {
      expect(refused(RegistryStorage.fromStorageSpec({ nfs: { server: 'x' } } as never))).toMatch(/^storage\.nfs: is not a storage back end; use one of s3, gcs, swift, azure, pvc, emptyDir, ibmcos, oss$/);
    });

    test('a managementState the CRD refuses', () => {
      expect(refused(RegistryStorage.fromStorageSpec({ emptyDir: {}, managementState: 'Removed' }))).toMatch(/^storage\.managementState: "Removed" is not allowed; use one of Managed, Unmanaged$/);
    });

    test('a plain object instead of a RegistryStorage', () => {
      expect(refused({ pvc: { claim: 'x' } })).toBe('storage: must be a RegistryStorage (RegistryStorage.fromPvc, .s3, .fromMinio, ...), not a map');
    });

    test('every factory gives a Job', () => {
      const chart = new Chart(Testing.app(), 'pvc');
      for (const storage of [
        RegistryStorage.fromPvc(new RegistryPvc(chart, 'Pvc', {})), claim, RegistryStorage.emptyDir(), minioStorage(),
        RegistryStorage.gcs({ bucket: 'images' }), RegistryStorage.azure({ accountName: 'acct', container: 'images' }),
        RegistryStorage.swift({ container: 'images' }), RegistryStorage.ibmcos({ bucket: 'images' }),
      ]) expect(jobOf(storage).spec.template.spec.containers[0].env.find((e: Obj) => e.name === 'BACKEND').value).toBe(storage.backend);
    });
  });

  describe('cannot hold a sync open for ever', () => {
    test(`the Job fails after ${STORAGE_SWITCH_DEADLINE_SECONDS} seconds, image pull included`, () => {
      expect(jobOf(claim).spec.activeDeadlineSeconds).toBe(600);
    });

    test('the image can be a mirror, by tag or digest', () => {
      const digest = `mirror.example.com:5000/openshift/origin-cli@sha256:${'a'.repeat(64)}`;
      expect(synth(claim, digest).find((o) => o.kind === 'Job')!.spec.template.spec.containers[0].image).toBe(digest);
      expect(synth(claim, 'mirror.example.com/openshift/origin-cli:4.20').find((o) => o.kind === 'Job')!.spec.template.spec.containers[0].image).toBe('mirror.example.com/openshift/origin-cli:4.20');
    });

    test.each([
      ['quay.io/OpenShift/origin-cli:4.20'], ['quay.io/openshift/origin-cli@sha256:abc'], ['quay.io/openshift/origin-cli:'], [' quay.io/openshift/origin-cli:4.20'],
    ])('a malformed image is refused: %j', (image) => {
      expect(() => synth(claim, image)).toThrow(ValidationError);
      expect(() => synth(claim, image)).toThrow(/^image: /);
    });
  });

  describe('checks the Config after patching', () => {
    test('a switch is read back, and the log says what was switched from and to', () => {
      const cluster = withStorage({ pvc: { claim: 'image-registry-storage' }, managementState: 'Managed' });
      const { output, after, sleeps } = runSwitch(claim, cluster);
      expect(after.spec.storage).toEqual(pvcStorage);
      expect(sleeps).toBe(1);
      expect(output).toBe([
        'switching spec.storage from: pvc {"claim":"image-registry-storage"}, managementState Managed',
        'to: pvc {"claim":"image-registry-pvc"}, managementState Unmanaged',
        "the registry's claim changes from image-registry-storage to image-registry-pvc: image-registry-storage is left as it is, with its images",
        'configs.imageregistry.operator.openshift.io/cluster patched',
        'checked: spec.storage now holds pvc {"claim":"image-registry-pvc"}, managementState Unmanaged',
        '',
      ].join('\n'));
    });

    test('a switch away from a claim names the claim left behind', () => {
      const { output } = runSwitch(minioStorage(), withStorage({ pvc: { claim: 'image-registry-storage' }, managementState: 'Managed' }));
      expect(output).toContain("the registry's claim changes from image-registry-storage to none: image-registry-storage is left as it is, with its images\n");
    });

    test('the operator\'s update of its whole spec undoes the first patch: patched again, then checked', () => {
      const { status, after, patches, output } = runSwitch(claim, awsCluster, { race: 'once' });
      expect(status).toBe(0);
      expect(after.spec.storage).toEqual(pvcStorage);
      expect(patches).toHaveLength(2);
      expect(output).toContain('spec.storage changed again after the patch (the operator writes its whole spec back); patch 2 of 5\n');
      expect(output).toMatch(/checked: spec\.storage now holds pvc/);
    });

    test('a writer that undoes every patch fails the Job after 5 patches, saying what the Config holds', () => {
      const { status, patches, stderr } = runSwitch(claim, awsCluster, { race: 'always' });
      expect(status).toBe(1);
      expect(patches).toHaveLength(5);
      expect(stderr).toBe('spec.storage still differs after 5 patches: it holds s3 {"bucket":"cluster-abc-image-registry-us-west-2-xyz","encrypt":true,"region":"us-west-2","trustedCA":{"name":""},"virtualHostedStyle":false}, managementState Managed; something else keeps writing it\n');
    });

    test('an old managementState is dropped with the old storage when none is configured', () => {
      const { after } = runSwitch(RegistryStorage.emptyDir(), awsCluster);
      expect(after.spec.storage).toEqual({ emptyDir: {} });
    });
  });

  test('bash (the shell of the OpenShift CLI image) runs it alike', () => {
    const bash = runSwitch(claim, awsCluster, { shell: '/bin/bash' });
    expect(bash.status).toBe(0);
    expect(bash.after.spec.storage).toEqual(pvcStorage);
    expect(bash.output).toBe(runSwitch(claim, awsCluster).output);
  });
});
