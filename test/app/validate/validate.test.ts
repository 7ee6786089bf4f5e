import { join } from 'node:path';
import { readTree } from '../../../app/output/read-tree';
import { kustomizationYaml, OPENSHIFT_VERSION_ANNOTATION } from '../../../app/output/kustomization';
import { toYaml } from '../../../app/output/to-yaml';
import { builtInSchemas } from '../../../app/validate/built-in-schemas';
import { formatProblems, validateManifests, validateTree } from '../../../app/validate/validate-manifests';
import { OpenShiftVersion } from '../../../lib/rules/openshift-version';
import { repoRoot } from '../../helpers';
import { Testing } from 'cdk8s';
import { ImagePruner } from '../../../lib/registry/image-pruner';

const schemas = builtInSchemas();

/** The problems of one cluster's objects, as `Kind/name field: message`. */
function problems(objects: object[], options: { allowPlainSecrets?: boolean; openshiftVersion?: OpenShiftVersion } = {}): string[] {
  const report = validateTree(new Map([['kustomization.yaml', ''], ['all.yaml', toYaml(...objects)]]), { schemas, ...options });
  return report.problems.map((p) => `${p.severity === 'error' ? '' : `${p.severity} `}${p.manifest.object.kind}/${p.manifest.object.metadata?.name} ${p.field}: ${p.message}`);
}

const pvc = (accessMode = 'ReadWriteOnce', name = 'image-registry-pvc') => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'openshift-image-registry' },
  spec: { accessModes: [accessMode], resources: { requests: { storage: '100Gi' } } },
});
const config = (spec: object) => ({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { managementState: 'Managed', replicas: 1, ...spec } });
const rwo = { rolloutStrategy: 'Recreate', storage: { pvc: { claim: 'image-registry-pvc' } } };
const restrictedPod = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'app', image: 'example/app:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
};
const deployment = (pod: object) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', namespace: 'minio' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: pod } } });

describe('validate', () => {
  test('the committed dist/ is valid: no error in any cluster, not even a warning in the examples', () => {
    const report = validateTree(readTree(join(repoRoot, 'dist')), { schemas });
    // A cluster of your own may have warnings (a Secret made elsewhere, say): they do not fail synth either.
    const examples = report.problems.filter((p) => ['default/', 'minio-s3/'].some((cluster) => p.manifest.file.startsWith(cluster)));
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(examples).toEqual([]);
    expect(report.objects).toBeGreaterThan(10);
  });

  test('valid objects give no problem', () => {
    expect(problems([pvc(), config(rwo), deployment(restrictedPod)])).toEqual([]);
  });

  describe('schemas', () => {
    test('a custom resource: unknown fields, enums and types, strictly', () => {
      expect(problems([pvc(), config({ ...rwo, replicass: 2, logLevel: 'Verbose' })])).toEqual([
        'Config/cluster spec.replicass: unknown field',
        'Config/cluster spec.logLevel: must be one of "", Normal, Debug, Trace, TraceAll',
      ]);
      expect(problems([{ apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'r', namespace: 'minio' }, spec: { to: { kind: 'Service', name: 's' }, tls: { termination: 'terminate' } } }]))
        .toEqual(['Route/r spec.tls.termination: must be one of edge, reencrypt, passthrough']);
    });

    test('a core kind: types, formats and required fields (kubernetes-models)', () => {
      const bad = pvc();
      bad.spec.resources.requests.storage = '100GB';
      expect(problems([bad, config(rwo)])).toEqual(['PersistentVolumeClaim/image-registry-pvc spec.resources.requests.storage: must match format "quantity"']);
      expect(problems([deployment({ ...restrictedPod, containers: [] }), deployment({ securityContext: restrictedPod.securityContext })]))
        .toContain('Deployment/app spec.template.spec.containers: is required');
    });

    test('a custom resource without a schema is a note naming --crds, not an error', () => {
      expect(problems([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }])).toEqual([
        'note Widget/w : not checked: no schema for example.com/v1 Widget, a custom resource; pass its CRD with --crds DIR to check it',
      ]);
      expect(problems([{ apiVersion: 'image.openshift.io/v1', kind: 'ImageStream', metadata: { name: 'i', namespace: 'x' } }])).toEqual([
        'note ImageStream/i : not checked: validate has no schema for image.openshift.io/v1 ImageStream (an OpenShift API)',
      ]);
    });

    test('every built-in kind is checked against its schema; a version the cluster no longer serves is refused', () => {
      const storageClass = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'ebs.csi.aws.com', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' };
      expect(problems([storageClass])).toEqual([]);
      const { provisioner: _, ...noProvisioner } = storageClass;
      expect(problems([{ ...noProvisioner, allowVolumeExpansion: 'yes' }])).toEqual([
        'StorageClass/fast provisioner: is required',
        'StorageClass/fast allowVolumeExpansion: must be boolean',
      ]);
      const cronJob = { apiVersion: 'batch/v1beta1', kind: 'CronJob', metadata: { name: 'c', namespace: 'x' }, spec: {} };
      expect(problems([cronJob])).toEqual(['CronJob/c : batch/v1beta1 CronJob is not served by OpenShift 4.23 (Kubernetes 1.25 removed it): the API server refuses it; use batch/v1']);
      expect(problems([{ apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kind: 'FlowSchema', metadata: { name: 'f' } }], { openshiftVersion: '4.18' }))
        .toEqual(['note FlowSchema/f : not checked: flowcontrol.apiserver.k8s.io/v1beta3 is not a generally available Kubernetes API version, and validate has no schema for it']);
      expect(problems([{ apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kind: 'FlowSchema', metadata: { name: 'f' } }], { openshiftVersion: '4.19' }))
        .toEqual(['FlowSchema/f : flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema is not served by OpenShift 4.19 (Kubernetes 1.32 removed it): the API server refuses it; use flowcontrol.apiserver.k8s.io/v1']);
      expect(problems([{ apiVersion: 'v1', kind: 'Widget', metadata: { name: 'w' } }])).toEqual(['Widget/w : the API server has no kind Widget in v1']);
      // A GA version newer than the cluster is refused too.
      const flowSchema = { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'FlowSchema', metadata: { name: 'f' }, spec: { priorityLevelConfiguration: { name: 'p' } } };
      expect(problems([flowSchema], { openshiftVersion: '4.15' })).toEqual(['FlowSchema/f apiVersion: flowcontrol.apiserver.k8s.io/v1 FlowSchema is served from Kubernetes 1.29 (OpenShift 4.16) on: OpenShift 4.15\'s API server refuses it']);
      expect(problems([flowSchema], { openshiftVersion: '4.16' })).toEqual([]);
    });

    test('an object without a name gets that error and every other one of the object', () => {
      expect(problems([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {}, data: { a: 1 } }])).toEqual([
        'ConfigMap/undefined metadata.name: is required: every object needs a name (or, for objects only ever created, metadata.generateName)',
        'ConfigMap/undefined data.a: must be string',
      ]);
      expect(problems([{ apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { namespace: 'x' }, spec: { host: 5, tls: { termination: 'x' } } }])).toEqual([
        'Route/undefined metadata.name: is required: every object needs a name (or, for objects only ever created, metadata.generateName)',
        'Route/undefined spec.to: is required',
        'Route/undefined spec.host: must be string',
        'Route/undefined spec.tls.termination: must be one of edge, reencrypt, passthrough',
        expect.stringMatching(/^note Route\/undefined : not checked: some validation rules were not run because the object was invalid/),
      ]);
      expect(problems([{ apiVersion: 'batch/v1', kind: 'Job', metadata: { generateName: 'run-', namespace: 'x' }, spec: { template: { spec: { containers: [{ name: 'a', image: 'a' }], restartPolicy: 'Never' } } } }])).toEqual([]);
    });
  });

  describe('Pod Security, where a namespace among the manifests enforces it', () => {
    const namespace = (name: string, level?: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(level ? { labels: { 'pod-security.kubernetes.io/enforce': level } } : {}) } });
    const c = restrictedPod.containers[0];
    const bad = {
      hostNetwork: true,
      securityContext: { runAsUser: 1000, fsGroup: 2000, seccompProfile: { type: 'Unconfined' } },
      volumes: [{ name: 'host', hostPath: { path: '/' } }, { name: 'nfs', nfs: { server: 's', path: '/' } }],
      containers: [{ ...c, securityContext: { privileged: true, allowPrivilegeEscalation: true, runAsNonRoot: false, capabilities: { add: ['SYS_ADMIN', 'CHOWN'] } }, ports: [{ containerPort: 80, hostPort: 80 }] }],
    };

    test('restricted: what the pod sets that no SCC default can make pass', () => {
      expect(problems([namespace('minio', 'restricted'), deployment(bad)])).toEqual([
        'Deployment/app spec.template.spec.hostNetwork: must not be true (restricted)',
        'Deployment/app spec.template.spec.volumes[0].hostPath: volume type hostPath is not allowed (restricted)',
        'Deployment/app spec.template.spec.volumes[1].nfs: volume type nfs is not allowed (restricted allows configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret) (restricted)',
        'Deployment/app spec.template.spec.securityContext.seccompProfile.type: must not be Unconfined; use RuntimeDefault or Localhost (restricted)',
        "Deployment/app spec.template.spec.securityContext.runAsUser: must not be set: OpenShift's restricted-v2 SCC assigns it from the namespace's range and refuses other values (unless the service account may use nonroot-v2 or anyuid) (restricted)",
        "Deployment/app spec.template.spec.securityContext.fsGroup: must not be set: OpenShift's restricted-v2 SCC assigns it from the namespace's range and refuses other values (unless the service account may use nonroot-v2 or anyuid) (restricted)",
        'Deployment/app spec.template.spec.containers[0].securityContext.privileged: must not be true (restricted)',
        'Deployment/app spec.template.spec.containers[0].securityContext.capabilities.add: SYS_ADMIN may not be added (restricted allows only NET_BIND_SERVICE) (restricted)',
        'Deployment/app spec.template.spec.containers[0].securityContext.capabilities.add: CHOWN may not be added (restricted allows only NET_BIND_SERVICE) (restricted)',
        'Deployment/app spec.template.spec.containers[0].ports[0].hostPort: must not be set (restricted)',
        'Deployment/app spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation: must not be true (restricted)',
        'Deployment/app spec.template.spec.containers[0].securityContext.runAsNonRoot: must not be false (restricted)',
      ]);
    });

    test('restricted: what a pod leaves unset is filled in by the restricted-v2 SCC before Pod Security sees it', () => {
      const bare = { containers: [{ name: 'app', image: 'example/app:1' }] };
      expect(problems([namespace('minio', 'restricted'), deployment(bare)])).toEqual([]);
    });

    test('baseline: host access, privilege and added capabilities beyond its list', () => {
      expect(problems([namespace('minio', 'baseline'), deployment(bad)])).toEqual([
        'Deployment/app spec.template.spec.hostNetwork: must not be true (baseline)',
        'Deployment/app spec.template.spec.volumes[0].hostPath: volume type hostPath is not allowed (baseline)',
        'Deployment/app spec.template.spec.securityContext.seccompProfile.type: must not be Unconfined; use RuntimeDefault or Localhost (baseline)',
        'Deployment/app spec.template.spec.containers[0].securityContext.privileged: must not be true (baseline)',
        'Deployment/app spec.template.spec.containers[0].securityContext.capabilities.add: SYS_ADMIN may not be added (baseline allows AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT) (baseline)',
        'Deployment/app spec.template.spec.containers[0].ports[0].hostPort: must not be set (baseline)',
      ]);
    });

    test('privileged, unlabelled or unknown namespaces (openshift-*, or not among the manifests) refuse nothing', () => {
      expect(problems([namespace('minio', 'privileged'), deployment(bad)])).toEqual([]);
      expect(problems([namespace('minio'), deployment(bad)])).toEqual([]);
      expect(problems([deployment(bad)])).toEqual([]);
      expect(problems([{ ...deployment(bad), metadata: { name: 'app', namespace: 'openshift-logging' } }])).toEqual([]);
    });

    test('Jobs and CronJobs are checked too', () => {
      const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'minio' }, spec: { template: { spec: { ...restrictedPod, restartPolicy: 'Never', securityContext: { seccompProfile: { type: 'Unconfined' } } } } } };
      expect(problems([namespace('minio', 'restricted'), job])).toEqual(['Job/j spec.template.spec.securityContext.seccompProfile.type: must not be Unconfined; use RuntimeDefault or Localhost (restricted)']);
      const cronJob = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'minio' }, spec: { schedule: '@daily', jobTemplate: job.spec ? { spec: job.spec } : {} } };
      expect(problems([namespace('minio', 'restricted'), cronJob])).toEqual(['CronJob/c spec.jobTemplate.spec.template.spec.securityContext.seccompProfile.type: must not be Unconfined; use RuntimeDefault or Localhost (restricted)']);
    });
  });

  test('no plaintext Secret unless the config asked for one', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'minio' }, stringData: { KEY: 'value' } };
    expect(problems([secret])).toEqual(['Secret/s stringData: a plain Secret puts credentials in git; use an existing secret, an ExternalSecret or a SealedSecret (or --allow-plain-secrets; this tool\'s configs ask for one with plainSecret, for labs)']);
    expect(problems([secret], { allowPlainSecrets: true })).toEqual([]);
  });

  describe("the operator's rules, across objects (lib/rules/registry-rules.ts, as the constructs run them)", () => {
    test('ReadWriteOnce claim: one replica and Recreate', () => {
      expect(problems([pvc(), config({ ...rwo, replicas: 2, rolloutStrategy: 'RollingUpdate' })])).toEqual([
        'Config/cluster spec.replicas: 2 replicas cannot share the ReadWriteOnce claim image-registry-pvc: the operator refuses it; use 1 replica, or a ReadWriteMany claim',
        'Config/cluster spec.rolloutStrategy: must be Recreate with the ReadWriteOnce claim image-registry-pvc (a rolling update would start a second pod on the volume; no strategy means RollingUpdate), got "RollingUpdate"',
      ]);
      expect(problems([pvc('ReadWriteMany'), config({ storage: { pvc: { claim: 'image-registry-pvc' } }, replicas: 3 })])).toEqual([]);
    });

    test('a claim that is not among the manifests is a warning; image-registry-storage made and named without the operator\'s annotation is a warning', () => {
      expect(problems([config({ ...rwo, replicas: 2 })])).toEqual(['warning Config/cluster spec.storage.pvc.claim: claim openshift-image-registry/image-registry-pvc is not among these objects, so its access modes are unknown; it must exist, with ReadWriteMany, or ReadWriteOnce with one replica and rolloutStrategy Recreate']);
      expect(problems([pvc('ReadWriteOnce', 'image-registry-storage'), config({ ...rwo, storage: { pvc: { claim: 'image-registry-storage' } } })])[0])
        .toMatch(/^warning Config\/cluster spec\.storage\.pvc\.claim: "image-registry-storage" is the name of the claim the operator creates for itself/);
    });

    test('an object of the same kind and name in another API group is not the one a rule looks for', () => {
      // A Knative Service (or any CRD's kind called PersistentVolumeClaim) is not the core kind.
      const lookalike = { ...pvc('ReadWriteMany'), apiVersion: 'storage.example.com/v1' };
      expect(problems([lookalike, config({ storage: { pvc: { claim: 'image-registry-pvc' } }, replicas: 2 })]).filter((p) => p.startsWith('warning Config'))).toEqual([
        expect.stringMatching(/^warning Config\/cluster spec\.storage\.pvc\.claim: claim openshift-image-registry\/image-registry-pvc is not among these objects/),
      ]);
      // The samples operator's Config is also named cluster: it says nothing of the registry.
      const samples = { apiVersion: 'samples.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { managementState: 'Removed' } };
      const image = { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: { registrySources: { allowedRegistries: ['quay.io', 'registry.redhat.io'] } } };
      expect(problems([samples, config({ storage: { emptyDir: {} } }), image]).filter((p) => !p.startsWith('note'))).toEqual([
        expect.stringMatching(/^Image\/cluster spec\.registrySources\.allowedRegistries: .*image-registry\.openshift-image-registry\.svc:5000/),
      ]);
    });

    test('exactly one back end, route names, management state', () => {
      expect(problems([pvc(), config({ ...rwo, storage: { pvc: { claim: 'image-registry-pvc' }, emptyDir: {} }, routes: [{ name: 'default-route' }, { name: 'a' }, { name: 'a' }], managementState: 'Force' })])).toEqual([
        'Config/cluster spec.managementState: "Force" is not acted on by the operator (it only logs it); use Managed, Unmanaged or Removed',
        'Config/cluster spec.storage: has pvc and emptyDir: exactly one back end may be set; with two the operator reports Progressing with an error, keeps the old registry running and does not use the new storage',
        'Config/cluster spec.routes[0].name: "default-route" is the route the operator makes for defaultRoute: true; set defaultRoute instead, or choose another name',
        'Config/cluster spec.routes[2].name: route name "a" is also routes[1]\'s; route names must be unique',
      ]);
    });

    // One hand-written manifest per rule added with the rules module: the field validate names.
    test.each([
      ['oss', { storage: { oss: {} } }, 'spec.storage.oss'],
      ['replicas 0', { storage: { emptyDir: {} }, replicas: 0 }, 'spec.replicas'],
      ['replicas beyond int32', { storage: { emptyDir: {} }, replicas: 2 ** 31 }, 'spec.replicas'],
      ['emptyDir with two replicas', { storage: { emptyDir: {} }, replicas: 2 }, 'spec.replicas'],
      ['a claim with only ReadWriteOncePod', { ...rwo, storage: { pvc: { claim: 'rwop' } } }, 'spec.storage.pvc.claim'],
      ['two routes with one hostname', { storage: { emptyDir: {} }, routes: [{ name: 'a', hostname: 'r.example.com' }, { name: 'b', hostname: 'r.example.com' }] }, 'spec.routes[1].hostname'],
      ['negative requests', { storage: { emptyDir: {} }, requests: { read: { maxRunning: -1 } } }, 'spec.requests.read.maxRunning'],
      ['a node selector key', { storage: { emptyDir: {} }, nodeSelector: { 'bad key!': 'v' } }, 'spec.nodeSelector.bad key!'],
      ['a toleration Exists with a value', { storage: { emptyDir: {} }, tolerations: [{ key: 'a', operator: 'Exists', value: 'v' }] }, 'spec.tolerations[0].value'],
      ['requests above limits', { storage: { emptyDir: {} }, resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }, 'spec.resources.requests.cpu'],
      ['a proxy that does not cover the store', { storage: { s3: { bucket: 'b', region: 'us-east-1', regionEndpoint: 'http://minio.minio.svc:9000' } }, proxy: { https: 'http://p:3128' }, disableRedirect: true }, 'spec.proxy.noProxy'],
      ['encrypt false with Managed', { storage: { s3: { bucket: 'b', encrypt: false }, managementState: 'Managed' } }, 'spec.storage.s3.encrypt'],
    ])('%s', (_, spec, field) => {
      const rwop = { ...pvc('ReadWriteOncePod', 'rwop') };
      const found = problems([rwop, config(spec)]).filter((p) => !p.startsWith('warning'));
      // (replicas beyond int32 is also the schema's: one field, two findings)
      expect([...new Set(found.map((p) => p.replace(/^Config\/cluster (\S+(?: key!)?): .*$/, '$1')))]).toEqual([field]);
    });

    describe('a partial Config, merged into the live one (the Config every cluster has), as applied', () => {
      const replaced = (object: ReturnType<typeof config>) => ({ ...object, metadata: { ...object.metadata, annotations: { 'argocd.argoproj.io/sync-options': 'Replace=true' } } });
      const partial = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { managementState: 'Managed' } };

      test('fields it leaves out keep their live values: no "required" and no "names no back end"', () => {
        expect(problems([partial])).toEqual([]);
        expect(problems([{ ...partial, spec: { storage: { emptyDir: {} } } }])).toEqual([]);
      });

      test('a null that removes where the images are (spec, storage, a back end with none in its place, a bucket) is an error; a null back end beside a new one is a switch', () => {
        const removal = 'null removes the live value when merged (oc apply, Argo CD, a merge patch): the operator then sets up new, empty storage (the platform\'s default store, or a new bucket) and the registry no longer serves its images; leave the field out to keep the live value';
        expect(problems([{ ...partial, spec: null }])).toEqual([`Config/cluster spec: ${removal}`]);
        expect(problems([{ ...partial, spec: { storage: null } }])).toEqual([`Config/cluster spec.storage: ${removal}`]);
        expect(problems([{ ...partial, spec: { storage: { pvc: null } } }])).toEqual([`Config/cluster spec.storage.pvc: ${removal}`]);
        expect(problems([{ ...partial, spec: { storage: { s3: { bucket: null, region: 'us-east-1' } } } }])).toEqual([`Config/cluster spec.storage.s3.bucket: ${removal}`]);
        // A blank claim names the operator's own claim, as the docs ask; a merge patch that switches back ends; nulls elsewhere.
        expect(problems([{ ...partial, spec: { storage: { pvc: { claim: null } } } }])).toEqual([]);
        // ...and is read as "" (removed, not the live value): an unannotated claim of that name is refused, as with claim: "".
        const own = { ...pvc('ReadWriteMany', 'image-registry-storage') };
        const refused = (claim: string | null) => problems([own, { ...partial, spec: { storage: { pvc: { claim } } } }]).filter((p) => p.startsWith('Config/cluster spec.storage.pvc.claim: is empty, so the operator uses its own claim image-registry-storage'));
        expect(refused(null)).toHaveLength(1);
        expect(refused(null)).toEqual(refused(''));
        expect(problems([pvc('ReadWriteMany'), { ...partial, spec: { storage: { emptyDir: null, pvc: { claim: 'image-registry-pvc' } } } }])).toEqual([]);
        expect(problems([{ ...partial, spec: { storage: { managementState: null, s3: { region: null } }, nodeSelector: null } }])).toEqual([]);
        // Replaced whole, the Config is refused for that already; an ACM musthave keeps the live value.
        expect(problems([replaced({ ...partial, spec: { storage: null } } as unknown as ReturnType<typeof config>)]).filter((p) => p.includes(removal))).toEqual([]);
        const policy = { apiVersion: 'policy.open-cluster-management.io/v1', kind: 'ConfigurationPolicy', metadata: { name: 'registry', namespace: 'policies' },
          spec: { remediationAction: 'enforce', 'object-templates': [{ complianceType: 'musthave', objectDefinition: { ...partial, spec: { storage: null } } }] } };
        expect(problems([policy]).filter((p) => p.includes(removal))).toEqual([]);
      });

      test('replaced whole (Argo CD Replace=true), the same manifest is the whole Config', () => {
        expect(problems([replaced(partial as ReturnType<typeof config>)])).toEqual([
          'Config/cluster spec.replicas: is required',
          expect.stringMatching(/^Config\/cluster metadata\.annotations\.argocd\.argoproj\.io\/sync-options: Replace=true on the registry Config removes/),
          'Config/cluster spec.storage: names no back end (one of s3, gcs, swift, azure, pvc, emptyDir, ibmcos); the operator would write the platform\'s default storage into the Config, or report StorageNotConfigured',
        ]);
      });

      test('what the fields given show is still checked: a required field inside a list item, two back ends, a wrong value', () => {
        expect(problems([{ ...partial, spec: { routes: [{ hostname: 'r.example.com' }], storage: { emptyDir: {}, pvc: {} } } }])).toEqual([
          'Config/cluster spec.routes[0].name: is required',
          'Config/cluster spec.storage: has pvc and emptyDir: exactly one back end may be set; with two the operator reports Progressing with an error, keeps the old registry running and does not use the new storage',
        ]);
      });

      test('a rule that needs a field left out: a warning where the live value may satisfy it, an error where the operator\'s own value would not', () => {
        const endpoint = { storage: { s3: { bucket: 'b', regionEndpoint: 'https://s3.example.com' } } };
        expect(problems([replaced(config(endpoint))])).toContain('Config/cluster spec.storage.s3.region: is required with a custom regionEndpoint (the registry refuses to start with "no region parameter provided"); MinIO and most S3-compatible stores accept us-east-1');
        expect(problems([{ ...partial, spec: endpoint }])).toContain('Config/cluster spec.storage.s3.region: is required with a custom regionEndpoint (the registry refuses to start with "no region parameter provided"); MinIO and most S3-compatible stores accept us-east-1 (left out here, it keeps its live value, which a Config that did not use S3 before has not)');
        expect(problems([{ ...partial, spec: { storage: { s3: { bucket: 'b', keyID: 'k' } } } }])).toContain('warning Config/cluster spec.storage.s3.keyID: is only used with encrypt: true (the registry ignores it otherwise); set encrypt: true or remove keyID (not set here: the live Config keeps its value, which must allow this)');
        // replicas left out keep the live value: 1 on bare metal and single-node clusters, 2 on clouds; not known here.
        expect(problems([pvc(), { ...partial, spec: { storage: { pvc: { claim: 'image-registry-pvc' } } } }])).toEqual([
          'Config/cluster spec.rolloutStrategy: must be Recreate with the ReadWriteOnce claim image-registry-pvc (a rolling update would start a second pod on the volume; no strategy means RollingUpdate), got none here, so the live value stays: RollingUpdate as the operator starts the Config, on every platform but OpenStack without Swift and oVirt',
        ]);
      });
    });

    describe('the cluster\'s OpenShift version (openshiftVersion), for the Config and the ImagePruner', () => {
      const pruner = (spec: object) => ({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'ImagePruner', metadata: { name: 'cluster' }, spec: { schedule: '0 0 * * *', ...spec } });
      const term = { topologyKey: 'kubernetes.io/hostname', matchLabelKeys: ['pod-template-hash'] };

      test('a Config field the version lacks: chunkSizeMiB on 4.16, azure.networkAccess on 4.14', () => {
        const chunked = config({ storage: { emptyDir: {} }, replicas: 1 });
        const s3 = { ...chunked, spec: { ...chunked.spec, storage: { s3: { bucket: 'b', chunkSizeMiB: 10 } } } };
        expect(problems([s3], { openshiftVersion: '4.16' }).filter((p) => !p.startsWith('warning')))
          .toEqual(["Config/cluster spec.storage.s3.chunkSizeMiB: is not in OpenShift 4.16's Config CRD; it first appears in 4.17"]);
        expect(problems([s3], { openshiftVersion: '4.17' }).filter((p) => !p.startsWith('warning'))).toEqual([]);
        expect(problems([config({ storage: { azure: { accountName: 'acct', container: 'images', networkAccess: { type: 'External' } } } })], { openshiftVersion: '4.14' }))
          .toEqual(["Config/cluster spec.storage.azure.networkAccess: is not in OpenShift 4.14's Config CRD; it first appears in 4.15"]);
      });

      test('oss: valid on 4.16, refused on 4.17', () => {
        expect(problems([config({ storage: { oss: { bucket: 'images' } } })], { openshiftVersion: '4.16' })).toEqual([]);
        expect(problems([config({ storage: { oss: { bucket: 'images' } } })], { openshiftVersion: '4.17' })).toEqual([
          'Config/cluster spec.storage.oss: is ignored by the operator of OpenShift 4.17 (its Alibaba Cloud OSS driver was removed in 4.17): alone it counts as no storage (StorageNotConfigured, the operator degrades); use s3 (OSS is S3-compatible) or another back end',
        ]);
      });

      test('an ImagePruner (any object of the group and kind, by kind): resources.claims before 4.13, matchLabelKeys before 4.16', () => {
        const objects = [pruner({ resources: { claims: [{ name: 'gpu' }] }, affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } })];
        expect(problems(objects, { openshiftVersion: '4.12' })).toEqual([
          "ImagePruner/cluster spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].matchLabelKeys: is not in OpenShift 4.12's ImagePruner CRD; it first appears in 4.16",
          "ImagePruner/cluster spec.resources.claims: is not in OpenShift 4.12's ImagePruner CRD; it first appears in 4.13",
        ]);
        expect(problems(objects, { openshiftVersion: '4.15' })).toEqual([
          "ImagePruner/cluster spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].matchLabelKeys: is not in OpenShift 4.15's ImagePruner CRD; it first appears in 4.16",
        ]);
        expect(problems(objects, { openshiftVersion: '4.16' })).toEqual([]);
        // Another group's kind of the same name is not the operator's.
        expect(problems([{ ...objects[0], apiVersion: 'example.com/v1' }], { openshiftVersion: '4.12' }).some((p) => p.includes('OpenShift 4.12'))).toBe(false);
      });

      test('without a version, the newest: what the built-in schemas accept passes', () => {
        expect(problems([pruner({ resources: { claims: [{ name: 'gpu', request: 'r' }] } })])).toEqual([]);
      });
    });

    describe('S3', () => {
      const service = (tls: boolean) => ({
        apiVersion: 'v1', kind: 'Service', metadata: { name: 'minio', namespace: 'minio', ...(tls ? { annotations: { 'service.beta.openshift.io/serving-cert-secret-name': 'minio-tls' } } : {}) },
        spec: { selector: { a: 'b' }, ports: [{ name: 'api', port: 9000 }] },
      });
      const credentials = (keys: string[]) => ({
        apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' },
        spec: { secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' }, data: keys.map((k) => ({ secretKey: k, remoteRef: { key: 'x' } })) },
      });
      const both = credentials(['REGISTRY_STORAGE_S3_ACCESSKEY', 'REGISTRY_STORAGE_S3_SECRETKEY']);
      const s3 = (s3: object) => config({ storage: { s3: { bucket: 'b', region: 'us-east-1', ...s3 } }, disableRedirect: true });

      test('the endpoint matches a Service port and its TLS', () => {
        expect(problems([service(false), both, s3({ regionEndpoint: 'http://minio.minio.svc:9000' })])).toEqual([]);
        expect(problems([service(false), both, s3({ regionEndpoint: 'https://minio.minio.svc:9000' })])).toEqual(['Config/cluster spec.storage.s3.regionEndpoint: "https://minio.minio.svc:9000" uses https, but Service minio/minio serves plain HTTP; use http://']);
        expect(problems([service(true), both, s3({ regionEndpoint: 'http://minio.minio.svc.cluster.local:9000' })])).toEqual(['Config/cluster spec.storage.s3.regionEndpoint: "http://minio.minio.svc.cluster.local:9000" uses http, but Service minio/minio serves TLS; use https://']);
        expect(problems([service(false), both, s3({ regionEndpoint: 'http://minio.minio.svc:9001' })])).toEqual(['Config/cluster spec.storage.s3.regionEndpoint: Service minio/minio has no port 9001 (ports: 9000)']);
        expect(problems([both, s3({ regionEndpoint: 'minio.minio.svc:9000' })])).toEqual(['Config/cluster spec.storage.s3.regionEndpoint: "minio.minio.svc:9000" has no scheme; write http://minio.minio.svc:9000 for a plain-HTTP endpoint such as MinIO or https://minio.minio.svc:9000 (without a scheme the registry assumes https)']);
      });

      test('an empty region', () => {
        expect(problems([both, s3({ region: '' })])).toEqual(['Config/cluster spec.storage.s3.region: must not be empty (the S3 driver fails with MissingRegion); leave it out for AWS S3 to use the cluster\'s region, or set it (MinIO accepts us-east-1)']);
      });

      test('the credentials exist with both keys', () => {
        expect(problems([credentials(['REGISTRY_STORAGE_S3_ACCESSKEY']), s3({})])).toEqual(['Config/cluster spec.storage.s3: ExternalSecret openshift-image-registry/image-registry-private-configuration-user lacks REGISTRY_STORAGE_S3_SECRETKEY; the operator needs every key']);
        expect(problems([s3({})])).toEqual([]);
        expect(problems([s3({ regionEndpoint: 'https://s3.example.com' })])).toEqual(['warning Config/cluster spec.storage.s3: no Secret, ExternalSecret or SealedSecret openshift-image-registry/image-registry-private-configuration-user among these objects; for a custom regionEndpoint it must exist in the cluster with REGISTRY_STORAGE_S3_ACCESSKEY and REGISTRY_STORAGE_S3_SECRETKEY']);
      });
    });
  });

  describe('the pruner\'s rules (lib/rules/image-pruner.ts, as the ImagePruner construct runs them)', () => {
    const pruner = (spec: object, name = 'cluster') => ({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'ImagePruner', metadata: { name }, spec });

    test('a valid pruner gives no problem', () => {
      expect(problems([pruner({ schedule: '0 3 * * 0', keepYoungerThanDuration: '168h', keepTagRevisions: 5 })])).toEqual([]);
    });

    test('the same message as the construct, at spec.<field>', () => {
      let constructError = '';
      try {
        new ImagePruner(Testing.chart(), 'Pruner', { schedule: '0 0 * * 7' });
      } catch (e) {
        constructError = (e as Error).message;
      }
      expect(problems([pruner({ schedule: '0 0 * * 7' })])).toEqual([`ImagePruner/cluster spec.${constructError}`]);
    });

    test('a schedule that never fires: the same warning as the construct\'s', () => {
      const { warnings } = new ImagePruner(Testing.chart(), 'Pruner', { schedule: '0 0 31 4,6,9,11 *' });
      expect(warnings).toHaveLength(1);
      expect(problems([pruner({ schedule: '0 0 31 4,6,9,11 *' })])).toEqual([`warning ImagePruner/cluster spec.${warnings[0]}`]);
      expect(warnings[0]).toContain('the CronJob never starts the pruner');
    });

    test('only the pruner named cluster is read by the operator', () => {
      expect(problems([pruner({}, 'nightly')])).toEqual(['ImagePruner/nightly metadata.name: the operator only reads the ImagePruner named cluster (it ignores others and creates its own)']);
    });

    test.each([
      ['a bad cron schedule', { schedule: '61 * * * *' }, 'spec.schedule'],
      ['a time zone in the schedule', { schedule: 'CRON_TZ=UTC 0 0 * * *' }, 'spec.schedule'],
      ['a duration in days', { keepYoungerThanDuration: '7d' }, 'spec.keepYoungerThanDuration'],
      ['a negative duration', { keepYoungerThanDuration: '-60m' }, 'spec.keepYoungerThanDuration'],
      ['negative revisions', { keepTagRevisions: -1 }, 'spec.keepTagRevisions'],
      ['a negative history limit', { failedJobsHistoryLimit: -1 }, 'spec.failedJobsHistoryLimit'],
      ['requests above limits', { resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }, 'spec.resources.requests.cpu'],
    ])('%s', (_, spec, field) => {
      const found = problems([pruner(spec)]).filter((p) => !p.startsWith('warning'));
      expect([...new Set(found.map((p) => p.replace(/^ImagePruner\/cluster (\S+): .*$/s, '$1')))]).toEqual([field]);
    });

    test('the deprecated keepYoungerThan is a warning, not an error', () => {
      expect(problems([pruner({ keepYoungerThan: 3_600_000_000_000 })])).toEqual(['warning ImagePruner/cluster spec.keepYoungerThan: is deprecated (nanoseconds); write keepYoungerThanDuration instead (3600000000000 nanoseconds is keepYoungerThanDuration: 1h)']);
    });
  });
});

describe('one object per identity in a cluster', () => {
  const pruner = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'ImagePruner', metadata: { name: 'cluster' }, spec: {} };

  test('a second object of the same group, kind, namespace and name is an error naming the first one\'s file', () => {
    expect(problems([pruner, { ...pruner, spec: { suspend: true } }])).toEqual([
      'ImagePruner/cluster metadata.name: the same object as in all.yaml (ImagePruner cluster): a cluster has each object once; kustomize refuses two of one name',
    ]);
    // The version is not part of an object's identity.
    expect(problems([pruner, { ...pruner, apiVersion: 'imageregistry.operator.openshift.io/v2' }])).toContain(
      'ImagePruner/cluster metadata.name: the same object as in all.yaml (ImagePruner cluster): a cluster has each object once; kustomize refuses two of one name');
  });

  test('the same name in another namespace, another kind or another cluster folder is not', () => {
    const secret = (namespace: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace }, data: {} });
    expect(problems([secret('a'), secret('b'), pruner, { ...pruner, kind: 'Config', spec: { managementState: 'Removed' } }]).filter((p) => p.includes('the same object'))).toEqual([]);
    const report = validateTree(new Map([
      ['a/kustomization.yaml', ''], ['a/pruner.yaml', toYaml(pruner)],
      ['b/kustomization.yaml', ''], ['b/pruner.yaml', toYaml(pruner)],
    ]), { schemas });
    expect(report.problems).toEqual([]);
  });

  test('without a kustomization.yaml (a cdk8s app\'s dist/, a file per chart), only within a file', () => {
    const flat = validateTree(new Map([['lab.k8s.yaml', toYaml(pruner)], ['prod.k8s.yaml', toYaml(pruner)]]), { schemas });
    expect(flat.problems).toEqual([]);
    const twice = validateTree(new Map([['lab.k8s.yaml', toYaml(pruner, pruner)]]), { schemas });
    expect(twice.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^the same object as in lab.k8s.yaml/)]);
  });
});

describe('each cluster against its own OpenShift version', () => {
  const chunked = { ...config({ storage: { s3: { bucket: 'b', region: 'us-east-1', chunkSizeMiB: 10 } } }) };
  const fleet = (version416: string) => new Map([
    ['old/kustomization.yaml', kustomizationYaml(['registry.yaml'], { openshiftVersion: version416 })], ['old/registry.yaml', toYaml(chunked)],
    ['new/kustomization.yaml', kustomizationYaml(['registry.yaml'])], ['new/registry.yaml', toYaml(chunked)],
  ]);
  const versionErrors = (report: ReturnType<typeof validateTree>) => report.problems
    .filter((p) => p.field === 'spec.storage.s3.chunkSizeMiB' || p.manifest.file.endsWith('kustomization.yaml'))
    .map((p) => `${p.manifest.file}: ${p.field ? `${p.field}: ` : ''}${p.message}`);

  test('without --openshift-version, each cluster folder is checked against the version synth recorded in its kustomization.yaml', () => {
    expect(versionErrors(validateTree(fleet('4.16'), { schemas }))).toEqual([
      'old/registry.yaml: spec.storage.s3.chunkSizeMiB: is not in OpenShift 4.16\'s Config CRD; it first appears in 4.17',
    ]);
  });

  test('--openshift-version wins over the recorded versions', () => {
    expect(versionErrors(validateTree(fleet('4.16'), { schemas, openshiftVersion: '4.23' }))).toEqual([]);
    expect(versionErrors(validateTree(fleet('4.23'), { schemas, openshiftVersion: '4.16' }))).toHaveLength(2);
  });

  test('a recorded version that is not one is an error on the kustomization.yaml, and the cluster gets the default', () => {
    expect(versionErrors(validateTree(fleet('4.99'), { schemas }))).toEqual([
      `old/kustomization.yaml: metadata.annotations.${OPENSHIFT_VERSION_ANNOTATION}: "4.99" is not a known OpenShift version; use one of 4.12, 4.13, 4.14, 4.15, 4.16, 4.17, 4.18, 4.19, 4.20, 4.21, 4.22, 4.23`,
    ]);
  });
});

describe('kustomization files and identities as kustomize reads them', () => {
  const cm = (namespace?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', ...(namespace === undefined ? {} : { namespace }) }, data: {} });
  const duplicates = (objects: object[]) => problems(objects).filter((p) => p.includes('the same object'));

  test('a namespaced object without a namespace is in default; a cluster-scoped one has no namespace', () => {
    expect(duplicates([cm(), cm('default')])).toHaveLength(1);
    expect(duplicates([cm('a'), cm('default')])).toEqual([]);
    const role = (namespace?: string) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r', ...(namespace === undefined ? {} : { namespace }) }, rules: [] });
    expect(duplicates([role(), role('foo')])).toHaveLength(1);
  });

  test('a second document in a kustomization file, or metadata that is not a map, is an error on that file', () => {
    const messages = (kustomization: string) => validateTree(new Map([['kustomization.yaml', kustomization]]), { schemas }).problems.map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`);
    const first = kustomizationYaml(['a.yaml'], { openshiftVersion: '4.16' });
    expect(messages(`${first}---\n${kustomizationYaml(['a.yaml'], { openshiftVersion: '4.23' })}`)).toEqual(['a second document in this file: kustomize reads only the first, the Kustomization; keep one']);
    expect(messages('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nmetadata: 5\n')).toEqual(['metadata: must be a map, got 5']);
    expect(messages('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nmetadata: {annotations: [1]}\n')).toEqual(['metadata.annotations: must be a map, got a list']);
  });
});

describe('ACM policies: the objects of their ConfigurationPolicy templates, as the policy controller applies them', () => {
  const policy = (templates: object[], kind = 'Policy') => {
    const configurationPolicy = { apiVersion: 'policy.open-cluster-management.io/v1', kind: 'ConfigurationPolicy', metadata: { name: 'registry' }, spec: { remediationAction: 'enforce', 'object-templates': templates } };
    return kind === 'ConfigurationPolicy' ? { ...configurationPolicy, metadata: { name: 'registry', namespace: 'policies' } }
      : { apiVersion: 'policy.open-cluster-management.io/v1', kind: 'Policy', metadata: { name: 'registry', namespace: 'policies' }, spec: { 'policy-templates': [{ objectDefinition: configurationPolicy }] } };
  };
  const lines = (...objects: object[]) => formatProblems(validateTree(new Map([['policy.yaml', toYaml(...objects)]]), { schemas }).problems).trimEnd().split('\n').filter(Boolean);
  const at = 'spec.policy-templates[0].objectDefinition.spec.object-templates';

  test('a problem of an object the policy applies names the policy and the path of the object in it', () => {
    expect(lines(policy([{ complianceType: 'musthave', objectDefinition: config({ storage: { emptyDir: {} }, replicas: 2 }) }]))).toEqual([
      `policy.yaml: Policy policies/registry: ${at}[0].objectDefinition.spec.replicas: 2 replicas on emptyDir storage would each keep their own images (a push to one pod is missing from the others); use 1 replica, or shared storage`,
    ]);
    expect(lines(policy([{ complianceType: 'musthave', objectDefinition: { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'ImagePruner', metadata: { name: 'cluster' }, spec: { keepYoungerThanDuration: '7d' } } }], 'ConfigurationPolicy'))[0])
      .toMatch(/^policy\.yaml: ConfigurationPolicy policies\/registry: spec\.object-templates\[0\]\.objectDefinition\.spec\.keepYoungerThanDuration: "7d" has the unit "d"/);
  });

  test('musthave merges: a partial singleton is fine; mustnothave applies nothing; templates are left out', () => {
    const partial = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { managementState: 'Managed' } };
    expect(lines(policy([{ complianceType: 'musthave', objectDefinition: partial }]))).toEqual([]);
    expect(lines(policy([{ complianceType: 'mustnothave', objectDefinition: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'y' }, data: { a: 5 } } }]))).toEqual([]);
    const templated = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c', namespace: 'openshift-image-registry' }, spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '{{hub fromConfigMap "" "sizes" "registry" hub}}' } } } };
    expect(lines(policy([{ complianceType: 'musthave', objectDefinition: templated }]))).toEqual([]);
    expect(lines(policy([]), { ...policy([]), spec: { 'policy-templates': [{ objectDefinition: { apiVersion: 'policy.open-cluster-management.io/v1', kind: 'ConfigurationPolicy', metadata: { name: 'raw' }, spec: { 'object-templates-raw': '{{ range ... }}' } } }] } }))
      .toEqual(['note: policy.yaml: Policy policies/registry: spec.policy-templates[0].objectDefinition.spec.object-templates-raw: not checked: object-templates-raw is a Go template, whose objects are known only when the policy controller renders it']);
  });

  test('the registry Config applied whole (mustonlyhave, Replace=true) fights what the operator writes back', () => {
    expect(lines(policy([{ complianceType: 'mustonlyhave', objectDefinition: config({ storage: { emptyDir: {} } }) }]))).toEqual([
      `policy.yaml: Policy policies/registry: ${at}[0].complianceType: mustonlyhave on the registry Config removes on every apply what the operator writes back into the spec (httpSecret, storage.managementState, what it fills in of the storage); the operator writes them again, rolling the registry out with each new httpSecret, and the next apply removes them: use musthave, which merges into the live Config`,
    ]);
    const replaced = { ...config({ storage: { emptyDir: {} } }), metadata: { name: 'cluster', annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false,Replace=true' } } };
    expect(lines(replaced)).toEqual([expect.stringMatching(/^policy\.yaml: Config cluster: metadata\.annotations\.argocd\.argoproj\.io\/sync-options: Replace=true on the registry Config removes on every apply/)]);
  });
});

describe('ACM templates, mustnothave and inform', () => {
  const configurationPolicy = (templates: object[], remediationAction = 'enforce') => ({ apiVersion: 'policy.open-cluster-management.io/v1', kind: 'ConfigurationPolicy', metadata: { name: 'registry', namespace: 'policies' }, spec: { remediationAction, 'object-templates': templates } });
  const lines = (...objects: object[]) => formatProblems(validateTree(new Map([['policy.yaml', toYaml(...objects)]]), { schemas }).problems).trimEnd().split('\n').filter((l) => l && !l.startsWith('note:'));
  const partial = (spec: object) => ({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec });

  test('a template renders to a string unless it ends in toBool, toInt or toLiteral: its type is checked, not its value', () => {
    const hub = '{{hub index .ManagedClusterLabels "route" | default "false" hub}}';
    expect(lines(configurationPolicy([{ complianceType: 'musthave', objectDefinition: partial({ defaultRoute: hub }) }]))).toEqual([
      'policy.yaml: ConfigurationPolicy policies/registry: spec.object-templates[0].objectDefinition.spec.defaultRoute: must be boolean',
    ]);
    expect(lines(configurationPolicy([{ complianceType: 'musthave', objectDefinition: partial({ defaultRoute: '{{hub index .ManagedClusterLabels "route" | toBool hub}}', replicas: '{{ fromConfigMap "a" "b" "c" | toInt }}' }) }]))).toEqual([]);
    // A string field holding a template: its value is not known, so its pattern is not checked.
    expect(lines(configurationPolicy([{ complianceType: 'musthave', objectDefinition: partial({ storage: { s3: { bucket: 'b', region: 'us-east-1', regionEndpoint: '{{hub .ManagedClusterName hub}}' } }, disableRedirect: true }) }])).filter((l) => !l.startsWith('warning:'))).toEqual([]);
  });

  test('a Secret whose values all come from templates (fromSecret) puts nothing in git', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' }, data: { REGISTRY_STORAGE_S3_ACCESSKEY: '{{hub fromSecret "policies" "s3" "key" hub}}', REGISTRY_STORAGE_S3_SECRETKEY: '{{hub fromSecret "policies" "s3" "secret" hub}}' } };
    expect(lines(configurationPolicy([{ complianceType: 'musthave', objectDefinition: secret }]))).toEqual([]);
    expect(lines(configurationPolicy([{ complianceType: 'musthave', objectDefinition: { ...secret, data: { ...secret.data, REGISTRY_STORAGE_S3_SECRETKEY: 'c2VjcmV0' } } }]))[0]).toMatch(/objectDefinition\.data: a plain Secret puts credentials in git/);
  });

  test('mustnothave on an object the cluster always has deletes it at every evaluation; informing applies nothing', () => {
    expect(lines(configurationPolicy([{ complianceType: 'mustnothave', objectDefinition: partial({}) }]))).toEqual([
      expect.stringMatching(/^policy\.yaml: ConfigurationPolicy policies\/registry: spec\.object-templates\[0\]\.complianceType: mustnothave deletes Config cluster at every evaluation/),
    ]);
    expect(lines(configurationPolicy([{ complianceType: 'mustnothave', objectDefinition: partial({}) }], 'inform'))).toEqual([]);
    expect(lines(configurationPolicy([{ complianceType: 'mustonlyhave', objectDefinition: config({ storage: { emptyDir: {} } }) }], 'inform'))).toEqual([]);
  });

  test('a claim the policy deletes (mustnothave, or pruned with the policy) is a warning: its volume\'s data goes with it', () => {
    const claim = pvc('ReadWriteMany', 'image-registry-storage');
    expect(lines(configurationPolicy([{ complianceType: 'MustNotHave', objectDefinition: claim }]))).toEqual([
      'warning: policy.yaml: ConfigurationPolicy policies/registry: spec.object-templates[0].complianceType: mustnothave deletes PersistentVolumeClaim openshift-image-registry/image-registry-storage wherever it exists, and with it the data on its volume (the registry\'s images, if the registry uses it)',
    ]);
    expect(lines(configurationPolicy([{ complianceType: 'mustnothave', objectDefinition: claim }], 'inform'))).toEqual([]);
    const pruned = (behavior: string) => ({ ...configurationPolicy([{ complianceType: 'musthave', objectDefinition: claim }]), spec: { ...configurationPolicy([]).spec, pruneObjectBehavior: behavior, 'object-templates': [{ complianceType: 'musthave', objectDefinition: claim }] } });
    expect(lines(pruned('DeleteIfCreated'))).toEqual([
      'warning: policy.yaml: ConfigurationPolicy policies/registry: spec.pruneObjectBehavior: DeleteIfCreated: removing this policy deletes PersistentVolumeClaim openshift-image-registry/image-registry-storage where the policy created it, and with it the data on its volume (the registry\'s images, if the registry uses it); use None to keep it',
    ]);
    expect(lines(pruned('None'))).toEqual([]);
  });

  test('an object whose apiVersion or kind is a template is a note, not an unknown kind', () => {
    const all = (objects: object[]) => formatProblems(validateTree(new Map([['policy.yaml', toYaml(...objects)]]), { schemas }).problems).trimEnd().split('\n');
    expect(all([configurationPolicy([
      { complianceType: 'musthave', objectDefinition: { ...partial({ managementState: 'Managed' }), apiVersion: '{{ fromConfigMap "policies" "api" "registry" }}' } },
      { complianceType: 'musthave', objectDefinition: { apiVersion: 'v1', kind: '{{hub .Kind hub}}', metadata: { name: 'x', namespace: 'y' } } },
    ])])).toEqual([
      'note: policy.yaml: ConfigurationPolicy policies/registry: spec.object-templates[0].objectDefinition: not checked: its apiVersion is a template, known only once the policy controller renders it',
      'note: policy.yaml: ConfigurationPolicy policies/registry: spec.object-templates[1].objectDefinition: not checked: its kind is a template, known only once the policy controller renders it',
    ]);
  });
});

describe('built-in kinds as the API server checks them beyond their schema, Lists, status', () => {
  test('ConfigMap and Secret keys: letters, digits, -, _ and . (a registry\'s host:port is host..port)', () => {
    const cm = (data: object) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'registry-cas', namespace: 'openshift-config' }, data });
    expect(problems([cm({ 'registry.example.com:5000': 'x' })])).toEqual([expect.stringMatching(/^ConfigMap\/registry-cas data\.registry\.example\.com:5000: "registry\.example\.com:5000" is not a valid key/)]);
    expect(problems([cm({ 'registry.example.com..5000': 'x', 'ca-bundle.crt': 'x' })])).toEqual([]);
  });

  test('a ServiceAccount in a ClusterRoleBinding names its namespace', () => {
    const crb = (subject: object) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' }, subjects: [subject] });
    expect(problems([crb({ kind: 'ServiceAccount', name: 'sa' })])).toEqual(['ClusterRoleBinding/b subjects[0].namespace: is required for a ServiceAccount in a ClusterRoleBinding (the API server refuses it)']);
    expect(problems([crb({ kind: 'ServiceAccount', name: 'sa', namespace: 'x' })])).toEqual([]);
  });

  test('a List is checked item by item; status is not checked (the API server takes it apart)', () => {
    const list = { apiVersion: 'v1', kind: 'List', metadata: {}, items: [pvc(), config({ ...rwo, replicas: 2 })] };
    expect(problems([list])).toEqual([expect.stringMatching(/^Config\/cluster spec\.replicas: 2 replicas cannot share the ReadWriteOnce claim/)]);
    const pruner = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'ImagePruner', metadata: { name: 'cluster' }, spec: { schedule: '0 0 * * *' }, status: { conditions: [{ type: 'x' }] } };
    expect(problems([pruner])).toEqual([]);
  });

  test('a pod on the host network is not cut off by the registry namespace\'s NetworkPolicy', () => {
    const daemonSet = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd', namespace: 'openshift-image-registry' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { hostNetwork: true, containers: [{ name: 'a', image: 'a' }] } } } };
    expect(problems([daemonSet], { openshiftVersion: '4.23' })).toEqual([]);
  });
});

test('a YAML document that is not a Kubernetes object at all (Helm values, a tool\'s settings) is a note, not an error', () => {
  const report = validateTree(new Map([['values.yaml', 'replicaCount: 2\nimage: {tag: v1}\n']]), { schemas });
  expect(report.problems.map((p) => [p.severity, p.message])).toEqual([['note', 'not checked: not a Kubernetes object (no apiVersion and no kind)']]);
  expect(validateTree(new Map([['x.yaml', 'kind: ConfigMap\n']]), { schemas }).problems.map((p) => p.severity)).toEqual(['error']);
});

describe('pods in the registry\'s namespace from OpenShift 4.22 (the operator\'s default-deny-all NetworkPolicy)', () => {
  const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'housekeeping', namespace: 'openshift-image-registry' }, spec: { template: { metadata: { labels: { app: 'housekeeping' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'a' }] } } } };
  const policy = (podSelector: object, spec: object = { policyTypes: ['Egress'], egress: [{}] }) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'openshift-image-registry' }, spec: { podSelector, ...spec } });
  const cutOff = (objects: object[], openshiftVersion: OpenShiftVersion = '4.22') => problems(objects, { openshiftVersion }).filter((p) => p.includes('default-deny-all'));

  test('a pod no NetworkPolicy lets out is an error from 4.22, not before', () => {
    expect(cutOff([job])).toEqual([expect.stringMatching(/^Job\/housekeeping metadata\.namespace: from OpenShift 4\.22 \(checked here for 4\.22\) the registry operator denies all traffic to and from the pods of openshift-image-registry/)]);
    expect(cutOff([job], '4.21')).toEqual([]);
    expect(cutOff([{ ...job, metadata: { name: 'housekeeping', namespace: 'elsewhere' } }])).toEqual([]);
  });

  test('a NetworkPolicy that selects the pod and allows egress lets it out; one that does not select it, or only allows ingress, does not', () => {
    expect(cutOff([job, policy({ matchLabels: { app: 'housekeeping' } })])).toEqual([]);
    expect(cutOff([job, policy({})])).toEqual([]);
    expect(cutOff([job, policy({ matchExpressions: [{ key: 'app', operator: 'In', values: ['housekeeping'] }] })])).toEqual([]);
    expect(cutOff([job, policy({ matchLabels: { app: 'other' } })])).toHaveLength(1);
    expect(cutOff([job, policy({ matchLabels: { app: 'housekeeping' } }, { ingress: [{}] })])).toHaveLength(1);
    expect(cutOff([job, policy({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] })])).toHaveLength(1);
  });

  test('the storage switch Job this tool writes comes with its own NetworkPolicy', () => {
    const report = validateTree(readTree(join(repoRoot, 'dist')), { schemas, openshiftVersion: '4.23' });
    expect(report.problems.filter((p) => p.message.includes('default-deny-all'))).toEqual([]);
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});

describe('Pod Security and the anyuid SCC', () => {
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'minio', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } };
  const pod = { serviceAccountName: 'minio', securityContext: { runAsUser: 1001, fsGroup: 1001 }, containers: [{ name: 'minio', image: 'minio' }] };
  const anyuid = (subject: object, kind = 'RoleBinding') => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'anyuid', namespace: 'minio' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:openshift:scc:anyuid' }, subjects: [subject] });
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'minio', namespace: 'minio' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: pod } } };
  const fields = (objects: object[]) => problems(objects).map((p) => p.replace(/^Deployment\/minio (\S+): .*$/, '$1'));

  test('a service account granted anyuid gets no restricted-v2 defaults: restricted then needs them written, and any UID goes', () => {
    expect(fields([namespace, anyuid({ kind: 'ServiceAccount', name: 'minio', namespace: 'minio' }), deployment])).toEqual([
      'spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation',
      'spec.template.spec.containers[0].securityContext.capabilities.drop',
      'spec.template.spec.containers[0].securityContext.runAsNonRoot',
      'spec.template.spec.containers[0].securityContext.seccompProfile.type',
    ]);
    expect(fields([namespace, anyuid({ kind: 'Group', name: 'system:serviceaccounts:minio' }), deployment])).toHaveLength(4);
  });

  test('without the grant, restricted-v2 fills in the rest and refuses a fixed UID', () => {
    expect(fields([namespace, deployment])).toEqual(['spec.template.spec.securityContext.runAsUser', 'spec.template.spec.securityContext.fsGroup']);
    expect(fields([namespace, anyuid({ kind: 'ServiceAccount', name: 'other', namespace: 'minio' }), deployment])).toHaveLength(2);
  });

  test('nonroot-v2 takes any non-root UID and still fills in the rest; a UID in the namespace\'s range is restricted-v2\'s own', () => {
    const nonroot = { ...anyuid({ kind: 'ServiceAccount', name: 'minio', namespace: 'minio' }), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:openshift:scc:nonroot-v2' } };
    expect(fields([namespace, nonroot, deployment])).toEqual([]);
    const ranged = (range: string) => ({ ...namespace, metadata: { ...namespace.metadata, annotations: { 'openshift.io/sa.scc.uid-range': range } } });
    expect(fields([ranged('1000/10000'), deployment])).toEqual([]);
    expect(fields([ranged('1000680000/10000'), deployment])).toEqual(['spec.template.spec.securityContext.runAsUser', 'spec.template.spec.securityContext.fsGroup']);
  });
});

describe('each distinct object\'s schema checked once per process (a fleet repeats objects)', () => {
  // synth hands each object's YAML (Manifest.yaml), which it writes anyway, as the memo's key;
  // validate, the object's JSON.
  const verdict = (object: Record<string, unknown>, yaml: string | undefined, openshiftVersion?: OpenShiftVersion) =>
    validateManifests([{ file: 'all.yaml', object, yaml }], { schemas, openshiftVersion }, false).map((p) => `${p.severity} ${p.field}: ${p.message}`);
  // One name: the texts differ only where the values do (true, "yes", false, 1).
  const configMap = (immutable: unknown) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'memo', namespace: 'n' }, immutable });

  test('two objects, two texts, two verdicts; the same object by its text or by its JSON, one verdict', () => {
    const [good, bad] = [configMap(true), configMap('yes')];
    expect(verdict(good, toYaml(good))).toEqual([]);
    expect(verdict(bad, toYaml(bad))).toEqual(['error immutable: must be boolean']);
    expect(verdict(bad, undefined)).toEqual(verdict(bad, toYaml(bad)));
    expect(verdict(good, undefined)).toEqual([]);
  });

  test('the key is the text synth wrote: an object handed another\'s text gets that text\'s schema verdict (synth hands each its own)', () => {
    const [good, bad] = [configMap(false), configMap(1)];
    expect(verdict(good, toYaml(good))).toEqual([]);
    expect(verdict(bad, toYaml(good))).toEqual([]);
    expect(verdict(bad, undefined)).toEqual(['error immutable: must be boolean']);
  });

  test('one text, one verdict per OpenShift version: the CRD rules of each version', () => {
    const image = { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: { registrySources: { blockedRegistries: ['a.example'], allowedRegistries: ['b.example'] } } };
    const text = toYaml(image);
    const ruleOf418 = 'error spec.registrySources: Only one of blockedRegistries or allowedRegistries may be set';
    // 4.17's CRD has no such rule (this tool's own rule says it there); 4.18's has.
    expect(verdict(image, text, '4.17')).not.toContain(ruleOf418);
    expect(verdict(image, text, '4.18')).toContain(ruleOf418);
    expect(verdict(image, text, '4.17')).not.toContain(ruleOf418);
  });
});
