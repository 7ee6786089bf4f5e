import { App, Yaml } from 'cdk8s';
import { ObjectStoreChart } from './object-store-chart';
import { RegistryChart } from './registry-chart';
import { RegistryStorageChart } from './registry-storage-chart';
import { secretSourceFromConfig } from './secret-source-from-config';
import { LoadedConfig } from '../config/loader';
import { REGISTRY_S3_SECRET_KEYS } from '../registry/registry-s3-credentials';
import { ValidationError, withinField } from '../validation/validation-error';

/**
 * Builds the charts one cluster config needs and renders them: file name (one per chart,
 * `<chart>.yaml`) -> YAML. Charts without objects are left out. Rule violations become
 * ConfigErrors that point at the config file's field.
 */
export function synthesizeCluster(loaded: LoadedConfig): Map<string, string> {
  const app = new App();
  const { minio, registry } = loaded.config;
  try {
    const s3 = registry.storage.s3;
    let objectStore: ObjectStoreChart | undefined;
    if (minio) {
      const sealed = s3?.credentials.sealedSecret;
      if (sealed && sealed.scope !== 'cluster-wide') {
        // The same sealed values open in two namespaces (MinIO's and the registry's) only when
        // sealed cluster-wide.
        throw new ValidationError('registry.storage.s3.credentials.sealedSecret.scope', `is ${sealed.scope ?? 'strict (the default)'}, but with a minio section the registry's credentials are needed in two namespaces (${minio.namespace ?? 'minio'} and openshift-image-registry); seal them with kubeseal --scope cluster-wide and set scope: cluster-wide`);
      }
      // The registry's credentials also make its MinIO user: check them where the file has them.
      const bucketUser = s3 && withinField('registry.storage.s3.credentials', () => {
        const source = secretSourceFromConfig(s3.credentials);
        source.validate(REGISTRY_S3_SECRET_KEYS);
        return source;
      });
      objectStore = new ObjectStoreChart(app, 'object-store', { minio, bucketUser });
    }
    const storage = new RegistryStorageChart(app, 'registry-storage', { storage: registry.storage, minioBucket: objectStore?.bucket });
    new RegistryChart(app, 'registry', { registry, storage: storage.storage });
  } catch (e) {
    throw e instanceof ValidationError ? loaded.error(e.field, e.problem) : e;
  }
  const files = new Map<string, string>();
  for (const chart of app.charts) {
    const objects = chart.toJson();
    if (objects.length) files.set(`${chart.node.id}.yaml`, Yaml.stringify(...objects));
  }
  return files;
}
