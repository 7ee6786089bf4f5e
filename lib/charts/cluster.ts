import { App, Yaml } from 'cdk8s';
import { LoadedConfig } from '../config/loader';
import { RegistryChart } from './registry-chart';
import { RegistryStorageChart } from './registry-storage-chart';
import { ValidationError } from '../validation/validation-error';

/**
 * Builds the charts one cluster config needs and renders them: file name (one per chart,
 * `<chart>.yaml`) -> YAML. Charts without objects are left out. Rule violations become
 * ConfigErrors that point at the config file's field.
 */
export function synthesizeCluster(loaded: LoadedConfig): Map<string, string> {
  const app = new App();
  try {
    const storage = new RegistryStorageChart(app, 'registry-storage', { storage: loaded.config.registry.storage });
    new RegistryChart(app, 'registry', { registry: loaded.config.registry, storage: storage.storage });
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
