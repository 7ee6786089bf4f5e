import { join } from 'node:path';
import { synthesizeCluster } from '../../../app/charts/cluster';
import { loadConfigFile, parseConfigText } from '../../../app/config/loader';
import { PLAIN_SECRETS_ANNOTATION } from '../../../app/output/kustomization';
import { readObject, readObjects, repoRoot } from '../../helpers';

const root = repoRoot;
const synthText = (text: string) => synthesizeCluster(parseConfigText(text, 'lab.yaml'));
const objects = (yaml: string) => readObjects(yaml);
/** The objects that make credentials Secrets: all that differs between the ways (the rest is the example's, in main.test.ts's snapshot). */
const credentialObjects = (files: Map<string, string>) => [...files.values()].flatMap(objects).filter((o) => ['Secret', 'ExternalSecret', 'SealedSecret'].includes(o.kind));
/** The registry stage and the storage switch's inputs: what an S3 store of its own changes (the rest is in main.test.ts's snapshot). */
const registryAndSwitchInputs = (files: Map<string, string>) => ({
  'registry/registry.yaml': files.get('registry/registry.yaml'),
  'storage-switch env': objects(files.get('storage-switch/storage-switch.yaml')!).find((o) => o.kind === 'Job').spec.template.spec.containers[0].env,
});

const minio = (credentials: string) => `name: lab
minio:
  rootCredentials: {existingSecret: {}}
registry:
  storage:
    s3:
      credentials:
${credentials.replace(/^/gm, '        ')}
`;

describe('S3 on MinIO: the example config', () => {
  // Its whole output is main.test.ts's snapshot.
  const files = synthesizeCluster(loadConfigFile(join(root, 'config', 'minio-s3.yaml')));

  test('one chart per concern: the object store, the storage switch, the registry, the image config and the pruner, in that order', () => {
    const charts = ['object-store/object-store.yaml', 'storage-switch/storage-switch.yaml', 'registry/registry.yaml', 'registry/image-config.yaml', 'registry/pruner.yaml'];
    expect([...files.keys()].filter((f) => !f.endsWith('kustomization.yaml'))).toEqual(charts);
    expect(readObject(files.get('kustomization.yaml')!).resources).toEqual(charts);
  });

  test('the registry Config points at the MinIO service with a derived http endpoint, serves blobs itself, bucket Unmanaged', () => {
    const config = objects(files.get('registry/registry.yaml')!).find((o) => o.kind === 'Config');
    expect(config.spec.storage).toEqual({
      managementState: 'Unmanaged',
      s3: { bucket: 'image-registry', region: 'us-east-1', regionEndpoint: 'http://minio.minio.svc:9000' },
    });
    expect(config.spec.disableRedirect).toBe(true);
    const service = objects(files.get('object-store/object-store.yaml')!).find((o) => o.kind === 'Service');
    expect(`http://${service.metadata.name}.${service.metadata.namespace}.svc:${service.spec.ports[0].port}`).toBe(config.spec.storage.s3.regionEndpoint);
  });

  test('no credential value is in the output', () => {
    const all = [...files.values()].join('\n');
    expect(all).not.toMatch(/kind: Secret\n/);
    expect(all).not.toMatch(/stringData|minio123/);
  });
});

describe('credentials ways', () => {
  test('existing secret: nothing rendered for the registry credentials', () => {
    const files = synthText(minio('existingSecret: {}'));
    expect(objects(files.get('registry/registry.yaml')!).map((o) => o.kind)).toEqual(['Config']);
    expect(objects(files.get('object-store/object-store.yaml')!).map((o) => o.kind)).toEqual(['Namespace', 'PersistentVolumeClaim', 'Service', 'Deployment', 'ConfigMap', 'Deployment', 'Job']);
    expect(credentialObjects(files)).toEqual([]);
  });

  test('ExternalSecret: one per namespace that needs the credentials', () => {
    const files = synthText(minio('externalSecret:\n  store: {name: vault, kind: ClusterSecretStore}\n  refreshInterval: 15m\n  data:\n    REGISTRY_STORAGE_S3_ACCESSKEY: {key: reg, property: a}\n    REGISTRY_STORAGE_S3_SECRETKEY: {key: reg, property: s}'));
    const external = [...files.values()].flatMap(objects).filter((o) => o.kind === 'ExternalSecret');
    expect(external.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['minio/minio-bucket-image-registry-user', 'openshift-image-registry/image-registry-private-configuration-user']);
    expect(external[1].spec.refreshInterval).toBe('15m');
    expect(credentialObjects(files)).toMatchSnapshot();
  });

  test('SealedSecret: sealed cluster-wide, the same values open in both namespaces', () => {
    const files = synthText(minio('sealedSecret:\n  scope: cluster-wide\n  encryptedData:\n    REGISTRY_STORAGE_S3_ACCESSKEY: AgBy3i4OJSWK\n    REGISTRY_STORAGE_S3_SECRETKEY: AgCx9f2LLpQ'));
    const sealed = [...files.values()].flatMap(objects).filter((o) => o.kind === 'SealedSecret');
    expect(sealed).toHaveLength(2);
    expect(sealed.every((o) => o.metadata.annotations['sealedsecrets.bitnami.com/cluster-wide'] === 'true')).toBe(true);
    expect(credentialObjects(files)).toMatchSnapshot();
  });

  test('SealedSecret sealed strict cannot serve two namespaces', () => {
    expect(() => synthText(minio('sealedSecret:\n  encryptedData:\n    REGISTRY_STORAGE_S3_ACCESSKEY: a\n    REGISTRY_STORAGE_S3_SECRETKEY: b'))).toThrow(
      'lab.yaml:9:11: registry.storage.s3.credentials.sealedSecret.scope: is strict (the default), but with a minio section the registry\'s credentials are needed in two namespaces (minio and openshift-image-registry); seal them with kubeseal --scope cluster-wide');
  });

  test('plain Secret: only when asked for, values from the environment at synth time', () => {
    process.env.PLAIN_SECRET_LAB_S3_ACCESS = 'registry';
    process.env.PLAIN_SECRET_LAB_S3_SECRET = 'registry-secret-from-env';
    const files = synthText(minio('plainSecret:\n  fromEnv:\n    REGISTRY_STORAGE_S3_ACCESSKEY: PLAIN_SECRET_LAB_S3_ACCESS\n    REGISTRY_STORAGE_S3_SECRETKEY: PLAIN_SECRET_LAB_S3_SECRET'));
    const secrets = [...files.values()].flatMap(objects).filter((o) => o.kind === 'Secret');
    expect(secrets.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['minio/minio-bucket-image-registry-user', 'openshift-image-registry/image-registry-private-configuration-user']);
    expect(secrets[1].stringData).toEqual({ REGISTRY_STORAGE_S3_ACCESSKEY: 'registry', REGISTRY_STORAGE_S3_SECRETKEY: 'registry-secret-from-env' });
    // The choice travels with the output: validate lets exactly these through (docs/validate.md).
    expect(readObject(files.get('kustomization.yaml')!).metadata.annotations).toEqual({ [PLAIN_SECRETS_ANNOTATION]: 'minio/minio-bucket-image-registry-user, openshift-image-registry/image-registry-private-configuration-user' });
    expect(files.get('object-store/kustomization.yaml')).not.toContain(PLAIN_SECRETS_ANNOTATION);
    expect(credentialObjects(files)).toMatchSnapshot();
  });

  test('plain Secret with an unset variable names the field and the variable', () => {
    delete process.env.PLAIN_SECRET_LAB_UNSET;
    expect(() => synthText(minio('plainSecret:\n  fromEnv:\n    REGISTRY_STORAGE_S3_ACCESSKEY: PLAIN_SECRET_LAB_UNSET\n    REGISTRY_STORAGE_S3_SECRETKEY: PLAIN_SECRET_LAB_UNSET'))).toThrow(
      'lab.yaml:10:44: registry.storage.s3.credentials.plainSecret.fromEnv.REGISTRY_STORAGE_S3_ACCESSKEY: environment variable PLAIN_SECRET_LAB_UNSET is not set');
  });

  test('plain Secret: only variables named PLAIN_SECRET_*, never other variables of the machine (CI tokens, cloud keys)', () => {
    process.env.GITHUB_TOKEN ??= 'ghp_not-a-real-token';
    expect(() => synthText(minio('plainSecret:\n  fromEnv:\n    REGISTRY_STORAGE_S3_ACCESSKEY: GITHUB_TOKEN\n    REGISTRY_STORAGE_S3_SECRETKEY: AWS_SECRET_ACCESS_KEY'))).toThrow(
      'lab.yaml:10:44: registry.storage.s3.credentials.plainSecret.fromEnv.REGISTRY_STORAGE_S3_ACCESSKEY: string "GITHUB_TOKEN" is not valid: expected an environment variable named PLAIN_SECRET_<something>');
    expect(() => synthText(minio('plainSecret:\n  fromEnv:\n    REGISTRY_STORAGE_S3_ACCESSKEY: PLAIN_SECRET_A\n    REGISTRY_STORAGE_S3_SECRETKEY: AWS_SECRET_ACCESS_KEY'))).toThrow(
      'lab.yaml:11:44: registry.storage.s3.credentials.plainSecret.fromEnv.REGISTRY_STORAGE_S3_SECRETKEY: string "AWS_SECRET_ACCESS_KEY" is not valid');
  });

  test('incomplete credentials name the missing key', () => {
    expect(() => synthText(minio('externalSecret:\n  store: {name: vault}\n  data:\n    REGISTRY_STORAGE_S3_ACCESSKEY: {key: reg}'))).toThrow(
      'registry.storage.s3.credentials.externalSecret.data: credentials are incomplete: missing REGISTRY_STORAGE_S3_SECRETKEY');
    expect(() => synthText(minio('existingSecret: {}').replace('rootCredentials: {existingSecret: {}}', 'rootCredentials: {sealedSecret: {encryptedData: {MINIO_ROOT_USER: x}}}'))).toThrow(
      'lab.yaml:3:51: minio.rootCredentials.sealedSecret.encryptedData: credentials are incomplete: missing MINIO_ROOT_PASSWORD');
  });

  test('two ways at once, or none, is a config error', () => {
    expect(() => synthText(minio('existingSecret: {}\nplainSecret: {fromEnv: {A: B}}'))).toThrow(
      'registry.storage.s3.credentials: exactly one way to provide credentials must be set (one of existingSecret, externalSecret, sealedSecret, plainSecret), got existingSecret and plainSecret');
    expect(() => synthText(minio('{}'))).toThrow('got none');
  });
});

describe('S3 rules in a config file', () => {
  const external = (s3: string) => `name: lab\nregistry:\n  storage:\n    s3:\n${s3.replace(/^/gm, '      ')}\n      credentials: {existingSecret: {}}\n`;

  test('any S3-compatible endpoint, with the same checks', () => {
    const files = synthText(external('bucket: registry\nregion: us-east-1\nregionEndpoint: https://rgw.example.com\ntrustedCA: rgw-ca'));
    const config = objects(files.get('registry/registry.yaml')!).find((o) => o.kind === 'Config');
    expect(config.spec.storage).toEqual({ s3: { bucket: 'registry', region: 'us-east-1', regionEndpoint: 'https://rgw.example.com', trustedCA: { name: 'rgw-ca' } }, managementState: 'Unmanaged' });
    expect(config.spec.disableRedirect).toBeUndefined();
    // The storage switch patches with the CRD's field names, as the Config has them.
    expect(files.get('storage-switch/storage-switch.yaml')).toContain('\\"trustedCA\\":{\\"name\\":\\"rgw-ca\\"}');
    expect(registryAndSwitchInputs(files)).toMatchSnapshot();
  });

  test('a custom endpoint without a region: the file\'s line and what to set', () => {
    expect(() => synthText(external('bucket: registry\nregionEndpoint: https://rgw.example.com'))).toThrow(
      'lab.yaml:5:7: registry.storage.s3.region: is required with a custom regionEndpoint');
  });

  test('AWS S3 without region or endpoint: neither is written, the operator takes the cluster\'s region', () => {
    const files = synthText(external('bucket: registry'));
    expect(objects(files.get('registry/registry.yaml')!).find((o) => o.kind === 'Config').spec.storage).toEqual({ s3: { bucket: 'registry' }, managementState: 'Unmanaged' });
  });

  test('an endpoint without scheme', () => {
    expect(() => synthText(external('bucket: registry\nregionEndpoint: minio.svc.cluster.local:9000'))).toThrow('lab.yaml:6:23: registry.storage.s3.regionEndpoint: "minio.svc.cluster.local:9000" has no scheme');
  });

  test('an empty region', () => {
    expect(() => synthText(external('bucket: registry\nregion: ""'))).toThrow('lab.yaml:6:15: registry.storage.s3.region: must not be empty');
  });

  test('a bucket S3 rejects, and a missing one', () => {
    expect(() => synthText(external('bucket: Minio_Service'))).toThrow('lab.yaml:5:15: registry.storage.s3.bucket: "Minio_Service" is not a valid S3 bucket name');
    expect(() => synthText(external('region: us-east-1'))).toThrow('registry.storage.s3.bucket: is required for S3 storage');
  });

  test('https to a MinIO without TLS, and http to one with TLS', () => {
    const plain = minio('existingSecret: {}').replace('    s3:\n', '    s3:\n      regionEndpoint: https://minio.minio.svc:9000\n');
    expect(() => synthText(plain)).toThrow('lab.yaml:7:23: registry.storage.s3.regionEndpoint: "https://minio.minio.svc:9000" uses https, but Service minio/minio serves plain HTTP; use http://');
    const tls = minio('existingSecret: {}').replace('minio:\n', 'minio:\n  tls: true\n').replace('    s3:\n', '    s3:\n      regionEndpoint: http://minio.minio.svc:9000\n      trustedCA: service-ca\n');
    expect(() => synthText(tls)).toThrow('registry.storage.s3.regionEndpoint: "http://minio.minio.svc:9000" uses http, but Service minio/minio serves TLS; use https://');
  });

  test('TLS MinIO: https endpoint derived, trustedCA required', () => {
    const tls = minio('existingSecret: {}').replace('minio:\n', 'minio:\n  tls: true\n');
    expect(() => synthText(tls)).toThrow('registry.storage.s3.trustedCA: MinIO minio/minio serves TLS');
    const files = synthText(tls.replace('    s3:\n', '    s3:\n      trustedCA: service-ca\n'));
    expect(readObject(files.get('registry/registry.yaml')!).spec.storage.s3).toMatchObject({ regionEndpoint: 'https://minio.minio.svc:9000', trustedCA: { name: 'service-ca' } });
  });

  test('the bucket is never typed twice', () => {
    const twice = minio('existingSecret: {}').replace('    s3:\n', '    s3:\n      bucket: image-registry\n');
    expect(() => synthText(twice)).toThrow('lab.yaml:7:15: registry.storage.s3.bucket: comes from the minio section of this file (bucket image-registry, path-style, no server-side encryption); remove bucket');
  });

  test('two storage back ends at once', () => {
    expect(() => synthText(external('bucket: registry').replace('  storage:\n', '  storage:\n    pvc: {}\n'))).toThrow(
      'registry.storage: exactly one storage back end must be set (one of pvc, existingClaim, emptyDir, s3, gcs, azure, swift, ibmcos), got pvc and s3');
  });

  test('MinIO without S3 storage is a standalone object store with no bucket user', () => {
    const files = synthText('name: lab\nminio:\n  rootCredentials: {existingSecret: {}}\nregistry:\n  storage: {pvc: {}}\n');
    expect([...files.keys()].filter((f) => !f.endsWith('kustomization.yaml'))).toEqual(['object-store/object-store.yaml', 'storage-switch/storage-switch.yaml', 'registry/registry-storage.yaml', 'registry/registry.yaml']);
    expect(objects(files.get('object-store/object-store.yaml')!).map((o) => o.kind)).not.toContain('ConfigMap');
  });
});
