// Baseline for bench/fleet.mjs: the naive cdk8s way to build a fleet, one App holding every
// cluster's charts and App.synth() writing one file per chart. Same configs, same constructs.
import { App, YamlOutputType } from 'cdk8s';
import { ObjectStoreChart } from '../app/charts/object-store-chart';
import { RegistryChart } from '../app/charts/registry-chart';
import { RegistryStorageChart } from '../app/charts/registry-storage-chart';
import { secretSourceFromConfig } from '../app/charts/secret-source-from-config';
import { loadConfigFile } from '../app/config/loader';
import { readConfigFolder } from '../app/synth';

const [configDir, outdir] = process.argv.slice(2);
const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
for (const file of readConfigFolder(configDir).clusters) {
  const { config } = loadConfigFile(file);
  const s3 = config.registry.storage.s3;
  const objectStore = config.minio && new ObjectStoreChart(app, `${config.name}-object-store`, {
    minio: config.minio, bucketUser: s3 && secretSourceFromConfig(s3.credentials),
  });
  const storage = new RegistryStorageChart(app, `${config.name}-registry-storage`, { storage: config.registry.storage, minioBucket: objectStore?.bucket });
  new RegistryChart(app, `${config.name}-registry`, { registry: config.registry, storage: storage.storage });
}
app.synth();
