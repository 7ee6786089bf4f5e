import { checkRegistryConfig, RuleFinding } from '../../../lib/rules/registry-rules';

// One plain assertion per operator rule, on a Config spec and the other objects of its cluster.
// The constructs and `validate` both run these; their own tests show that they do.

const NS = 'openshift-image-registry';
const claim = (accessModes: string[], name = 'image-registry-pvc', annotations?: Record<string, string>) => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: NS, annotations }, spec: { accessModes },
});
const rwo = { replicas: 1, rolloutStrategy: 'Recreate', storage: { pvc: { claim: 'image-registry-pvc' } } };
const credentials = (keys = ['REGISTRY_STORAGE_S3_ACCESSKEY', 'REGISTRY_STORAGE_S3_SECRETKEY']) => ({
  apiVersion: 'v1', kind: 'Secret', metadata: { name: 'image-registry-private-configuration-user', namespace: NS },
  data: Object.fromEntries(keys.map((k) => [k, 'eA=='])),
});
const service = (tls: boolean) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'minio', namespace: 'minio', annotations: tls ? { 'service.beta.openshift.io/serving-cert-secret-name': 'minio-tls' } : undefined },
  spec: { ports: [{ port: 9000 }, { port: 9001 }] },
});
const s3 = (fields: object, managementState?: string) => ({ storage: { s3: { bucket: 'registry', ...fields }, managementState }, disableRedirect: true });

/** `field: message` of each error (and `warning field: message`), for exact assertions. */
function check(spec: object, objects: object[] = [claim(['ReadWriteOnce']), credentials()]): string[] {
  return checkRegistryConfig({ managementState: 'Managed', replicas: 1, ...spec }, objects)
    .map((f: RuleFinding) => `${f.severity === 'warning' ? 'warning ' : ''}${f.field}: ${f.message}`);
}

describe('the operator\'s rules', () => {
  test('a valid Config gives nothing', () => {
    expect(check(rwo)).toEqual([]);
  });

  test('managementState: only Managed, Unmanaged and Removed are acted on', () => {
    expect(check({ ...rwo, managementState: 'Force' })).toEqual(['managementState: "Force" is not acted on by the operator (it only logs it); use Managed, Unmanaged or Removed']);
  });

  test('replicas: 0 is refused, pointing at managementState Removed', () => {
    expect(check({ ...rwo, replicas: 0 })).toEqual(['replicas: 0 does not stop the registry: the operator reports NoReplicasAvailable and degrades (or the Deployment is refused); set managementState: Removed to remove the registry']);
  });

  test('replicas: 0 is fine with managementState Removed (the registry is removed anyway)', () => {
    expect(check({ ...rwo, replicas: 0, managementState: 'Removed' })).toEqual([]);
  });

  test('replicas: negative, fractions and values beyond int32 are refused', () => {
    for (const replicas of [-1, 1.5, 2 ** 31]) expect(check({ ...rwo, replicas }, [claim(['ReadWriteMany'])])).toEqual([`replicas: ${replicas} must be a whole number from 1 to 2147483647`]);
  });

  test('exactly one back end: two make the operator keep the old registry (Progressing with an error)', () => {
    expect(check({ storage: { pvc: { claim: 'image-registry-pvc' }, emptyDir: {} }, rolloutStrategy: 'Recreate' })).toContain(
      'storage: has pvc and emptyDir: exactly one back end may be set; with two the operator reports Progressing with an error, keeps the old registry running and does not use the new storage');
    expect(check({ storage: {} })[0]).toMatch(/^storage: names no back end/);
  });

  test('oss is refused by default (the newest version): no OSS driver since OpenShift 4.17', () => {
    expect(check({ storage: { oss: { bucket: 'b' } } })).toEqual(['storage.oss: is ignored by the operator of OpenShift 4.23 (its Alibaba Cloud OSS driver was removed in 4.17): alone it counts as no storage (StorageNotConfigured, the operator degrades); use s3 (OSS is S3-compatible) or another back end']);
  });

  describe('claims (pvc.go checkPVC)', () => {
    test('ReadWriteOnce: one replica', () => {
      expect(check({ ...rwo, replicas: 2 })).toEqual(['replicas: 2 replicas cannot share the ReadWriteOnce claim image-registry-pvc: the operator refuses it; use 1 replica, or a ReadWriteMany claim']);
    });

    test('ReadWriteOnce: Recreate, also when no strategy is set (the Deployment default is RollingUpdate)', () => {
      expect(check({ ...rwo, rolloutStrategy: undefined })).toEqual(['rolloutStrategy: must be Recreate with the ReadWriteOnce claim image-registry-pvc (a rolling update would start a second pod on the volume; no strategy means RollingUpdate), got none']);
    });

    test('ReadWriteMany: any replicas and strategy', () => {
      expect(check({ ...rwo, replicas: 3, rolloutStrategy: 'RollingUpdate' }, [claim(['ReadWriteMany'])])).toEqual([]);
    });

    test('neither ReadWriteOnce nor ReadWriteMany (only ReadWriteOncePod or ReadOnlyMany) is refused', () => {
      expect(check(rwo, [claim(['ReadWriteOncePod'])])).toEqual(['storage.pvc.claim: claim image-registry-pvc has access modes "ReadWriteOncePod": the operator needs ReadWriteMany or ReadWriteOnce ("does not contain the necessary access modes")']);
    });

    test('a claim not among the objects is a warning; its described access modes are used', () => {
      expect(check(rwo, [])).toEqual(['warning storage.pvc.claim: claim openshift-image-registry/image-registry-pvc is not among these objects, so its access modes are unknown; it must exist, with ReadWriteMany, or ReadWriteOnce with one replica and rolloutStrategy Recreate']);
      expect(checkRegistryConfig({ ...rwo, replicas: 2 }, [], { claimAccessModes: ['ReadWriteOnce'] }).map((f) => f.field)).toEqual(['replicas']);
    });

    test('image-registry-storage named explicitly is used as it is (pvc.go CreateStorage): without the operator\'s annotation, a warning of what breaks later', () => {
      const own = { ...rwo, storage: { pvc: { claim: 'image-registry-storage' } } };
      expect(check(own, [claim(['ReadWriteMany'], 'image-registry-storage', { 'imageregistry.openshift.io': 'true' })])).toEqual([]);
      expect(check(own, [claim(['ReadWriteMany'], 'image-registry-storage')])).toEqual([
        expect.stringMatching(/^warning storage\.pvc\.claim: "image-registry-storage" is the name of the claim the operator creates for itself \(annotated imageregistry\.openshift\.io\)\. Named here, this claim is used as it is; but if storage\.pvc\.claim is ever left empty, the operator finds this claim without its annotation and refuses it/),
      ]);
      expect(checkRegistryConfig(own, [], { claimAccessModes: ['ReadWriteMany'] })).toEqual([]);
    });

    test('an empty claim is the operator\'s own, which it refuses when it did not create it (no annotation)', () => {
      const empty = { ...rwo, storage: { pvc: { claim: '' } } };
      const message = 'storage.pvc.claim: is empty, so the operator uses its own claim image-registry-storage; the one among these objects lacks the annotation imageregistry.openshift.io that marks the operator\'s claim, and the operator refuses it ("could not create default PVC, it already exists and is not owned by the operator"): name the claim in storage.pvc.claim, or leave its creation to the operator';
      expect(check(empty, [claim(['ReadWriteOnce'], 'image-registry-storage')])).toEqual([message]);
      expect(check({ ...rwo, storage: { pvc: {} } }, [claim(['ReadWriteOnce'], 'image-registry-storage')])).toEqual([message]);
      expect(check(empty, [claim(['ReadWriteMany'], 'image-registry-storage', { 'imageregistry.openshift.io': 'true' })])).toEqual([]);
      expect(check(empty, [])).toEqual([]);
      // Merged into the live Config, a claim left out keeps its live name; an empty one is still empty.
      expect(checkRegistryConfig({ storage: { pvc: {} } }, [claim(['ReadWriteOnce'], 'image-registry-storage')], { merged: true })).toEqual([]);
      expect(checkRegistryConfig(empty, [claim(['ReadWriteOnce'], 'image-registry-storage')], { merged: true }).map((f) => f.severity)).toEqual(['error']);
    });
  });

  test('emptyDir with more than one replica is refused (each pod keeps its own images)', () => {
    expect(check({ storage: { emptyDir: {} }, replicas: 2 })).toEqual(['replicas: 2 replicas on emptyDir storage would each keep their own images (a push to one pod is missing from the others); use 1 replica, or shared storage']);
  });

  describe('routes', () => {
    const secret = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: NS } });
    test('not named default-route, names unique', () => {
      expect(check({ ...rwo, routes: [{ name: 'default-route' }] })).toEqual(['routes[0].name: "default-route" is the route the operator makes for defaultRoute: true; set defaultRoute instead, or choose another name']);
      expect(check({ ...rwo, routes: [{ name: 'a' }, { name: 'a' }] })).toEqual(['routes[1].name: route name "a" is also routes[0]\'s; route names must be unique']);
    });

    test('two routes with the same hostname are refused (the router admits one, the operator degrades)', () => {
      expect(check({ ...rwo, routes: [{ name: 'a', hostname: 'r.example.com' }, { name: 'b', hostname: 'r.example.com' }] })).toEqual(['routes[1].hostname: "r.example.com" is also routes[0]\'s hostname: the router admits only one of them and the operator degrades (RouteDegraded)']);
    });

    test('secretName: a warning when the Secret is not among the objects, nothing when it is', () => {
      const spec = { ...rwo, routes: [{ name: 'a', secretName: 'public-tls' }] };
      expect(check(spec)).toEqual(['warning routes[0].secretName: Secret openshift-image-registry/public-tls is not among these objects; it must exist in the cluster (keys tls.crt, tls.key, optional tls.cacrt) or the route is not made']);
      expect(check(spec, [claim(['ReadWriteOnce']), secret('public-tls')])).toEqual([]);
    });
  });

  test('requests: maxRunning and maxInQueue are not negative', () => {
    expect(check({ ...rwo, requests: { read: { maxRunning: -1 }, write: { maxInQueue: -5, maxWaitInQueue: '-1s' } } })).toEqual([
      'requests.read.maxRunning: -1 must not be negative (0 means no limit)',
      'requests.write.maxInQueue: -5 must not be negative (0 means no limit)',
      'requests.write.maxWaitInQueue: "-1s" must not be negative',
    ]);
  });

  test('nodeSelector: keys and values as the API server checks labels', () => {
    expect(check({ ...rwo, nodeSelector: { 'bad key!': 'v v', 'node-role.kubernetes.io/infra': '' } })).toEqual([
      'nodeSelector.bad key!: the key "bad key!" is not a label key: it must be at most 63 letters, digits, -, _ and ., starting and ending with a letter or digit (after an optional prefix/)',
      'nodeSelector.bad key!: the value "v v" is not a label value: it must be empty or at most 63 letters, digits, -, _ and ., starting and ending with a letter or digit',
    ]);
  });

  test('affinity: weights from 1 to 100, a topology key, selector operators and their values, as the API server checks the pod the operator makes', () => {
    const hostname = { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'docker-registry': 'default' } } };
    // A Config that spreads its pods as the operator's docs show: nothing to say.
    expect(check({ ...rwo, affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'node-role.kubernetes.io/infra', operator: 'Exists' }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }] },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'cpu-count', operator: 'Gt', values: ['4'] }] } }, { weight: 100, preference: {} }],
      },
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ ...hostname, namespaces: ['openshift-image-registry'] }],
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: { ...hostname, labelSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['x'] }] } } }],
      },
    } })).toEqual([]);
    expect(check({ ...rwo, affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] },
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 0, preference: { matchExpressions: [{ key: 'a', operator: 'In' }, { key: 'b', operator: 'Exists', values: ['x'] }, { key: 'c', operator: 'Gt', values: ['1', '2'] }, { key: 'bad key', operator: 'Near' }] } },
          { weight: 101, preference: { matchFields: [{ key: 'metadata.labels', operator: 'Exists' }, { key: 'metadata.name', operator: 'In', values: ['a', 'b'] }, { key: 'metadata.name', operator: 'NotIn', values: ['Bad_Node!'] }] } },
        ],
      },
      podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: '', namespaces: ['Upper'] }, { topologyKey: 'a/b/c' }] },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: -5, podAffinityTerm: { topologyKey: 'two words', labelSelector: { matchLabels: { 'k!': 'v v' }, matchExpressions: [{ key: 'app', operator: 'In', values: [] }] } } }] },
    } })).toEqual([
      'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: must have at least one node selector term: the API server refuses an empty list',
      'affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: 0 is not allowed: the API server takes weights from 1 to 100',
      'affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].values: must be given when operator is In',
      'affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[1].values: must be left out when operator is Exists',
      'affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[2].values: must be one value when operator is Gt',
      'affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[3].operator: "Near" is not allowed; use In, NotIn, Exists, DoesNotExist, Gt or Lt',
      'affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[3].key: "bad key" is not a label key: it must be at most 63 letters, digits, -, _ and ., starting and ending with a letter or digit (after an optional prefix/)',
      'affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[1].weight: 101 is not allowed: the API server takes weights from 1 to 100',
      'affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[1].preference.matchFields[0].operator: "Exists" is not allowed; use In or NotIn',
      'affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[1].preference.matchFields[0].key: "metadata.labels" is not allowed; the only node field is metadata.name',
      'affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[1].preference.matchFields[1].values: must be one value when operator is In (a node\'s name)',
      'affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[1].preference.matchFields[2].values[0]: "Bad_Node!" is not a node name: a DNS subdomain (lower-case letters, digits, - and .)',
      'affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].namespaces[0]: "Upper" is not a namespace name: at most 63 lower-case letters, digits and \'-\', starting and ending with a letter or digit',
      'affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: must not be empty: it names the node label that groups nodes (kubernetes.io/hostname, topology.kubernetes.io/zone)',
      'affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[1].topologyKey: "a/b/c" is not a label key: it must have a prefix (before the /) that is a DNS subdomain (lower-case letters, digits, - and .)',
      'affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: -5 is not allowed: the API server takes weights from 1 to 100',
      'affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchLabels.k!: "k!" is not a label key: it must be at most 63 letters, digits, -, _ and ., starting and ending with a letter or digit (after an optional prefix/)',
      'affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchLabels.k!: "v v" is not a label value: it must be empty or at most 63 letters, digits, -, _ and ., starting and ending with a letter or digit',
      'affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchExpressions[0].values: must be given when operator is In',
      'affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey: "two words" is not a label key: it must be at most 63 letters, digits, -, _ and ., starting and ending with a letter or digit (after an optional prefix/)',
    ]);
    // A term that is not a map, or a term left out, is the schema's to report: nothing more here.
    expect(check({ ...rwo, affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [null, 'x'], preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1 }, null] }, nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1 }], requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [null] } } } })).toEqual([]);
    // Any shape: the schema reports wrong types; these rules never throw.
    expect(() => check({ ...rwo, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: 'x' }, preferredDuringSchedulingIgnoredDuringExecution: [null, 3, { preference: [] }] }, podAffinity: 'x', podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [null, { labelSelector: 'x', namespaces: [1] }] } } })).not.toThrow();
  });

  test('tolerations: Exists has no value; tolerationSeconds only with NoExecute; known operators and effects', () => {
    expect(check({ ...rwo, tolerations: [
      { key: 'a', operator: 'Exists', value: 'v' },
      { key: 'b', operator: 'Equal', value: 'v', effect: 'NoSchedule', tolerationSeconds: 30 },
      { key: 'c', operator: 'Like', effect: 'Sometimes' },
      { operator: 'Equal', value: 'v' },
    ] })).toEqual([
      'tolerations[0].value: must be empty when operator is Exists',
      'tolerations[1].tolerationSeconds: is only allowed with effect NoExecute',
      'tolerations[2].operator: "Like" is not allowed; use Equal or Exists',
      'tolerations[2].effect: "Sometimes" is not allowed; use NoSchedule, PreferNoSchedule, NoExecute or leave it out (every effect)',
      'tolerations[3].operator: must be Exists when key is empty (a toleration of every taint)',
    ]);
  });

  test('tolerations: an Equal value is a label value; route hostnames have DNS labels of at most 63', () => {
    expect(check({ ...rwo, tolerations: [{ key: 'a', operator: 'Equal', value: 'not a label value!' }] })[0]).toMatch(/^tolerations\[0\]\.value: "not a label value!" is not a valid taint value/);
    expect(check({ ...rwo, routes: [{ name: 'a', hostname: `${'x'.repeat(64)}.example.com` }] })[0]).toMatch(/^routes\[0\]\.hostname: ".*" has a label longer than 63 characters/);
  });

  test('an endpoint with credentials in it is refused without quoting them', () => {
    for (const regionEndpoint of ['https://AKIAEXAMPLE:verysecret@s3.example.com', 'AKIAEXAMPLE:verysecret@minio.example.com:9000', 'https://AKIAEXAMPLE:wJalr/K7MDENG/bPxRfi@s3.example.com']) {
      const [finding] = check(s3({ region: 'us-east-1', regionEndpoint }));
      expect(finding).toBe('storage.s3.regionEndpoint: carries credentials (user:password@); the registry reads them from the credentials Secret: remove them from the endpoint');
    }
  });

  test('resources: requests above limits are refused', () => {
    expect(check({ ...rwo, resources: { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '500m', memory: '2Gi' } } })).toEqual([
      'resources.requests.cpu: "2" is more than the limit "500m"; the API server refuses requests above limits',
    ]);
  });

  describe('S3 (s3.go)', () => {
    const minio = 'http://minio.minio.svc:9000';
    test('AWS S3 with neither region nor endpoint: the operator takes the cluster\'s region', () => {
      expect(check(s3({}))).toEqual([]);
    });

    test('a custom endpoint needs a region; an empty region is refused', () => {
      expect(check(s3({ regionEndpoint: 'https://s3.example.com' }))).toEqual(['storage.s3.region: is required with a custom regionEndpoint (the registry refuses to start with "no region parameter provided"); MinIO and most S3-compatible stores accept us-east-1']);
      expect(check(s3({ region: ' ' }))).toEqual(['storage.s3.region: must not be empty (the S3 driver fails with MissingRegion); leave it out for AWS S3 to use the cluster\'s region, or set it (MinIO accepts us-east-1)']);
    });

    test('the endpoint carries its scheme (the registry assumes https without one)', () => {
      expect(check(s3({ region: 'us-east-1', regionEndpoint: 'minio.minio.svc:9000' }))).toEqual(['storage.s3.regionEndpoint: "minio.minio.svc:9000" has no scheme; write http://minio.minio.svc:9000 for a plain-HTTP endpoint such as MinIO or https://minio.minio.svc:9000 (without a scheme the registry assumes https)']);
      expect(check(s3({ region: 'us-east-1', regionEndpoint: 'https://s3.example.com/path' }))).toEqual(['storage.s3.regionEndpoint: "https://s3.example.com/path" must be http:// or https:// followed by a host and an optional port, nothing else']);
    });

    test('an in-cluster endpoint matches a port of its Service and the Service\'s TLS', () => {
      expect(check(s3({ region: 'us-east-1', regionEndpoint: minio }), [service(false), credentials()])).toEqual([]);
      expect(check(s3({ region: 'us-east-1', regionEndpoint: 'https://minio.minio.svc:9000' }), [service(false), credentials()])).toEqual(['storage.s3.regionEndpoint: "https://minio.minio.svc:9000" uses https, but Service minio/minio serves plain HTTP; use http://']);
      expect(check(s3({ region: 'us-east-1', regionEndpoint: minio }), [service(true), credentials()])).toEqual(['storage.s3.regionEndpoint: "http://minio.minio.svc:9000" uses http, but Service minio/minio serves TLS; use https://']);
      expect(check(s3({ region: 'us-east-1', regionEndpoint: 'http://minio.minio.svc:9090' }), [service(false), credentials()])).toEqual(['storage.s3.regionEndpoint: Service minio/minio has no port 9090 (ports: 9000, 9001)']);
    });

    test('encrypt: false with Managed is refused (the operator writes encrypt: true back); keyID needs encrypt', () => {
      expect(check(s3({ encrypt: false }, 'Managed'))).toContain('storage.s3.encrypt: is false, but with managementState Managed the operator turns encryption on and writes encrypt: true back into the Config, and every sync would turn it off again; remove encrypt, or set managementState: Unmanaged');
      expect(check(s3({ encrypt: false }, 'Unmanaged'))).toEqual([]);
      expect(check(s3({ keyID: 'k' }))).toEqual(['storage.s3.keyID: is only used with encrypt: true (the registry ignores it otherwise); set encrypt: true or remove keyID']);
    });

    test('credentials: both keys; a warning when the Secret is not among the objects', () => {
      expect(check(s3({}), [credentials(['REGISTRY_STORAGE_S3_ACCESSKEY'])])).toEqual(['storage.s3: Secret openshift-image-registry/image-registry-private-configuration-user lacks REGISTRY_STORAGE_S3_SECRETKEY; the operator needs every key']);
      // Without it the operator uses the cluster's cloud credentials: fine for AWS S3, not for another store.
      expect(check(s3({}), [])).toEqual([]);
      expect(check(s3({ region: 'us-east-1', regionEndpoint: 'https://s3.example.com' }), [])).toEqual(['warning storage.s3: no Secret, ExternalSecret or SealedSecret openshift-image-registry/image-registry-private-configuration-user among these objects; for a custom regionEndpoint it must exist in the cluster with REGISTRY_STORAGE_S3_ACCESSKEY and REGISTRY_STORAGE_S3_SECRETKEY']);
    });

    test('credentials: the keys of an ExternalSecret\'s target template and a SealedSecret\'s template count; an ExternalSecret\'s dataFrom keys cannot be known', () => {
      const external = (spec: object) => ({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'image-registry-private-configuration-user', namespace: NS }, spec });
      const keys = { REGISTRY_STORAGE_S3_ACCESSKEY: '{{ .a }}', REGISTRY_STORAGE_S3_SECRETKEY: '{{ .b }}' };
      expect(check(s3({}), [external({ dataFrom: [{ extract: { key: 'registry' } }] })])).toEqual([]);
      expect(check(s3({}), [external({ target: { template: { data: keys } } })])).toEqual([]);
      expect(check(s3({}), [external({ data: [] })])).toEqual([expect.stringMatching(/^storage\.s3: ExternalSecret openshift-image-registry\/image-registry-private-configuration-user lacks REGISTRY_STORAGE_S3_ACCESSKEY and REGISTRY_STORAGE_S3_SECRETKEY/)]);
      const sealed = { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'image-registry-private-configuration-user', namespace: NS }, spec: { encryptedData: { REGISTRY_STORAGE_S3_ACCESSKEY: 'x' }, template: { data: { REGISTRY_STORAGE_S3_SECRETKEY: 'y' } } } };
      expect(check(s3({}), [sealed])).toEqual([]);
    });
  });

  test('gcs, azure, swift and ibmcos: the factories\' rules, on the Config\'s JSON field names', () => {
    expect(check({ storage: { gcs: { bucket: 'b', region: 'us-central1' } } }, [])).toEqual([
      'storage.gcs.bucket: "b" is not a valid Cloud Storage bucket name: use lower-case letters, digits, -, _ and ., at least 3, starting and ending with a letter or digit',
      'storage.gcs.projectID: is required with region: the operator takes the project from the cluster only when region is empty, and creating a missing bucket without a project fails; set projectID, or remove region to use the cluster\'s region and project',
    ]);
    expect(check({ storage: { azure: { accountName: 'Bad_Account', container: 'registry' } } }, [])[0]).toMatch(/^storage\.azure\.accountName: "Bad_Account" is not a valid storage account name/);
    expect(check({ storage: { azure: { accountName: 'acct', container: 'registry', networkAccess: { type: 'Internal', internal: { vnetName: 'v' } } } } }, [])[0]).toMatch(/^storage\.azure\.networkAccess\.internal\.vnetName: "v" is not valid/);
    // internal with another type: the CRD's CEL rule (test/lib/rules/cel), not one of these.
    expect(check({ storage: { azure: { accountName: 'acct', container: 'registry', networkAccess: { type: 'External', internal: { vnetName: 'vnet' } } } } }, [])).toEqual([]);
    expect(check({ storage: { swift: { container: 'registry', authURL: 'keystone.example.com:5000' } } }, [])[0]).toMatch(/^storage\.swift\.authURL: /);
    expect(check({ storage: { ibmcos: { bucket: 'registry', resourceKeyCRN: 'crn:v1:bluemix:public:cloud-object-storage:global:a/1:2:resource-key:3' } } }, [])[0]).toMatch(/^storage\.ibmcos\./);
  });

  test('cloud back ends: credentials are optional (the cluster\'s own are used), but a Secret holds one whole key set', () => {
    const swift = { storage: { swift: { container: 'registry' } } };
    expect(check(swift, [])).toEqual([]);
    expect(check(swift, [credentials(['REGISTRY_STORAGE_SWIFT_USERNAME'])])).toEqual([
      'storage.swift: Secret openshift-image-registry/image-registry-private-configuration-user holds none of the key sets the operator reads: REGISTRY_STORAGE_SWIFT_USERNAME and REGISTRY_STORAGE_SWIFT_PASSWORD; or REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID and REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME and REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET; or REGISTRY_STORAGE_SWIFT_TOKENID',
    ]);
    expect(check(swift, [credentials(['REGISTRY_STORAGE_SWIFT_TOKENID'])])).toEqual([]);
  });

  test('proxy: http and https are proxy URLs Go reads ([scheme://][user@]host[:port], scheme http, https, socks5, socks5h)', () => {
    const bad = (url: string) => check({ ...rwo, proxy: { http: url } }).filter((f) => f.startsWith('proxy.http: '));
    for (const url of ['http://proxy.example.com:3128', 'proxy.example.com:3128', 'https://user:pass@proxy:8443/', 'socks5://[fd00::1]:1080', 'PROXY:3128']) expect(bad(url)).toEqual([]);
    expect(bad('not a url')).toEqual(['proxy.http: "not a url" holds a space or a control character: the registry could not use it, and every request through the proxy would fail ("invalid proxy address"); write [http://]host[:port], such as http://proxy.example.com:3128']);
    expect(bad('ftp://proxy:21')).toEqual([expect.stringContaining('has scheme "ftp"; Go\'s net/http speaks to a proxy over http, https, socks5, socks5h only')]);
    expect(bad('http://')).toEqual([expect.stringContaining('has no host[:port] after the scheme')]);
    // A password in the URL is never shown.
    expect(bad('ftp://user:s3cret@proxy:21')).toEqual([expect.stringMatching(/^proxy\.http: "ftp:\/\/\*\*\*@proxy:21" has scheme "ftp"/)]);
    expect(bad('user:s3cret@proxy host')).toEqual([expect.stringMatching(/^proxy\.http: "\*\*\*@proxy host" holds a space/)]);
    expect(check({ ...rwo, proxy: { https: 'http://:3128' } })).toEqual([expect.stringMatching(/^proxy\.https: "http:\/\/:3128" has no host/)]);
  });

  test('proxy: noProxy must cover an in-cluster store (proxy fields replace the cluster\'s)', () => {
    const spec = (noProxy?: string) => ({ ...s3({ region: 'us-east-1', regionEndpoint: 'http://minio.minio.svc:9000' }), proxy: { https: 'http://proxy:3128', noProxy } });
    expect(check(spec(), [service(false), credentials()])).toEqual(['proxy.noProxy: does not cover the in-cluster store minio.minio.svc: the registry would reach it through the proxy (proxy fields replace the cluster\'s, they are not merged); add .svc (or minio.minio.svc) to noProxy']);
    expect(check(spec('.cluster.local,.svc'), [service(false), credentials()])).toEqual([]);
    expect(check(spec('minio.minio.svc'), [service(false), credentials()])).toEqual([]);
  });

  test('Managed storage: a warning that says what Removed would delete', () => {
    expect(check({ ...rwo, storage: { pvc: { claim: 'image-registry-pvc' }, managementState: 'Managed' } })).toEqual(['warning storage.managementState: is Managed: setting managementState: Removed, or deleting the Config, deletes the claim openshift-image-registry/image-registry-pvc and every image in it; use Unmanaged to keep it']);
    expect(check(s3({}, 'Managed'))).toEqual(['warning storage.managementState: is Managed: setting managementState: Removed, or deleting the Config, empties and deletes the bucket "registry" with every image in it; use Unmanaged to keep it']);
  });

  test('malformed objects never throw: wrong shapes read as empty', () => {
    expect(() => checkRegistryConfig({ storage: 'x', routes: 'y', tolerations: [null], nodeSelector: [], resources: { limits: null } }, [null, 'x', { kind: 'PersistentVolumeClaim', metadata: null }])).not.toThrow();
  });

  describe('found on configurations the corpus had not seen', () => {
    const cfg = (spec: object) => ({ ...rwo, ...spec });

    test('an in-cluster store needs disableRedirect: nodes cannot resolve .svc names the registry redirects them to', () => {
      const inCluster = { storage: { s3: { bucket: 'b', region: 'us-east-1', regionEndpoint: 'http://minio.minio.svc.cluster.local:9000' } } };
      expect(check(inCluster, [credentials()])).toEqual([expect.stringMatching(/^disableRedirect: must be true with the in-cluster store minio\.minio\.svc\.cluster\.local: otherwise the registry redirects image pulls/)]);
      expect(check({ ...inCluster, disableRedirect: false }, [credentials()])).toHaveLength(1);
      expect(check({ ...inCluster, disableRedirect: true }, [credentials()])).toEqual([]);
      expect(check({ storage: { s3: { bucket: 'b', region: 'us-east-1', regionEndpoint: 'https://s3.example.com' } } }, [credentials()])).toEqual([]);
      expect(checkRegistryConfig(inCluster, [credentials()], { merged: true }).map((f) => [f.severity, f.message.endsWith('(left out here, it keeps its live value: false as the operator starts the Config)')])).toEqual([['error', true]]);
    });

    test('requests.maxWaitInQueue is a Go duration (the API server takes 1d, the operator cannot read it)', () => {
      expect(check(cfg({ requests: { read: { maxWaitInQueue: '1d' } } }))).toEqual([expect.stringMatching(/^requests\.read\.maxWaitInQueue: "1d" has the unit "d".*time\.ParseDuration/)]);
      expect(check(cfg({ requests: { write: { maxWaitInQueue: '1m30s' } } }))).toEqual([]);
    });

    test('a route hostname must be a host name; a route Secret made in another namespace is never read', () => {
      expect(check(cfg({ routes: [{ name: 'a', hostname: 'https://registry.example.com' }] }))).toEqual([expect.stringMatching(/^routes\[0\]\.hostname: "https:\/\/registry\.example\.com" is not a host name: the operator makes a Route with it/)]);
      const tls = (namespace: string, kind = 'Secret') => ({ apiVersion: kind === 'Certificate' ? 'cert-manager.io/v1' : 'v1', kind, metadata: { name: kind === 'Certificate' ? 'registry-cert' : 'registry-tls', namespace }, ...(kind === 'Certificate' ? { spec: { secretName: 'registry-tls' } } : {}) });
      const routed = cfg({ routes: [{ name: 'a', secretName: 'registry-tls' }] });
      expect(check(routed, [claim(['ReadWriteOnce']), tls('openshift-config')])).toEqual(['routes[0].secretName: Secret "registry-tls" is made in openshift-config, but the operator reads it only from openshift-image-registry: the route is never made; make the Secret in openshift-image-registry']);
      expect(check(routed, [claim(['ReadWriteOnce']), tls(NS)])).toEqual([]);
      // A cert-manager Certificate issues the Secret it names.
      expect(check(routed, [claim(['ReadWriteOnce']), tls(NS, 'Certificate')])).toEqual([]);
    });

    test('an S3 trusted CA ConfigMap needs the key ca-bundle.crt (the service CA injects service-ca.crt)', () => {
      const ca = (metadata: object, data?: object) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'store-ca', namespace: 'openshift-config', ...metadata }, data });
      const spec = s3({ region: 'us-east-1', regionEndpoint: 'https://s3.example.com', trustedCA: { name: 'store-ca' } });
      expect(check(spec, [credentials(), ca({ annotations: { 'service.beta.openshift.io/inject-cabundle': 'true' } })])).toEqual([expect.stringMatching(/^storage\.s3\.trustedCA\.name: ConfigMap openshift-config\/store-ca has no key ca-bundle\.crt \(the service CA injects service-ca\.crt/)]);
      expect(check(spec, [credentials(), ca({}, { 'ca-bundle.crt': 'x' })])).toEqual([]);
      expect(check(spec, [credentials(), ca({ labels: { 'config.openshift.io/inject-trusted-cabundle': 'true' } })])).toEqual([]);
      expect(check(spec, [credentials()])).toEqual([]);
    });
  });
});
