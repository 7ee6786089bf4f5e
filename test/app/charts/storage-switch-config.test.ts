import { synthesizeCluster } from '../../../app/charts/cluster';
import { parseConfigText } from '../../../app/config/loader';
import { MC_IMAGE } from '../../../lib/minio/minio-bucket';
import { MINIO_IMAGE } from '../../../lib/minio/minio-object-store';
import { OC_IMAGE } from '../../../lib/registry/storage-switch';
import { readObjects } from '../../helpers';

// The storageSwitch section and the images a disconnected cluster sets to its mirrors.
const synthText = (text: string) => synthesizeCluster(parseConfigText(text, 'c.yaml'));
const objects = (yaml: string) => readObjects(yaml);
const digest = (name: string) => `mirror.example.com:5000/${name}@sha256:${'0123456789abcdef'.repeat(4)}`;
const minio = (extra: string) => `name: c
minio:
${extra}  rootCredentials: {existingSecret: {}}
registry:
  storage:
    s3:
      credentials: {existingSecret: {}}
`;
const images = (files: Map<string, string>) => Object.fromEntries([...files].filter(([f]) => !f.endsWith('kustomization.yaml'))
  .flatMap(([, yaml]) => objects(yaml)).filter((o) => o.kind === 'Job' || o.kind === 'Deployment')
  .map((o) => [`${o.kind} ${o.metadata.name}`, o.spec.template.spec.containers[0].image]));

describe('storageSwitch', () => {
  test('by default every cluster has the switch Job, with the pinned CLI image and a deadline', () => {
    const files = synthText('name: c\nregistry:\n  storage:\n    emptyDir: {}\n');
    const job = objects(files.get('storage-switch/storage-switch.yaml')!).find((o) => o.kind === 'Job');
    expect(job.spec.template.spec.containers[0].image).toBe(OC_IMAGE);
    expect(job.spec.activeDeadlineSeconds).toBe(600);
  });

  test('enabled: false leaves the stage out: no Job, no RBAC, and the cluster kustomization does not name it', () => {
    const files = synthText('name: c\nregistry:\n  storage:\n    emptyDir: {}\nstorageSwitch:\n  enabled: false\n');
    expect([...files.keys()].filter((f) => f.startsWith('storage-switch/'))).toEqual([]);
    expect(files.get('kustomization.yaml')).not.toContain('storage-switch');
    expect(objects(files.get('registry/registry.yaml')!).find((o) => o.kind === 'Config').spec.storage).toEqual({ emptyDir: {} });
  });

  test('image: a mirror by digest', () => {
    const files = synthText(`name: c\nregistry:\n  storage:\n    emptyDir: {}\nstorageSwitch:\n  image: ${digest('openshift/origin-cli')}\n`);
    expect(images(files)).toEqual({ 'Job image-registry-storage-switch': digest('openshift/origin-cli') });
  });
});

describe('minio images', () => {
  test('the defaults are the pinned releases', () => {
    expect(images(synthText(minio('')))).toEqual({
      'Deployment minio': MINIO_IMAGE, 'Job minio-bucket-image-registry': MC_IMAGE, 'Job image-registry-storage-switch': OC_IMAGE,
      'Deployment minio-bucket-image-registry-user-sync': MC_IMAGE,
    });
  });

  test('image and mcImage name mirrors, by tag or digest; mcImage is the bucket Job\'s and the user-sync Deployment\'s', () => {
    const mc = 'mirror.example.com/minio/mc:RELEASE.2025-04-16T18-13-26Z';
    const files = synthText(minio(`  image: ${digest('minio/minio')}\n  mcImage: ${mc}\n`));
    expect(images(files)).toEqual({
      'Deployment minio': digest('minio/minio'), 'Job minio-bucket-image-registry': mc, 'Deployment minio-bucket-image-registry-user-sync': mc,
      'Job image-registry-storage-switch': OC_IMAGE,
    });
  });
});
