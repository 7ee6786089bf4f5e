import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ImageConfigChart } from './image-config-chart';
import { ObjectStoreChart } from './object-store-chart';
import { PrunerChart } from './pruner-chart';
import { RegistryChart } from './registry-chart';
import { RegistryStorageChart } from './registry-storage-chart';
import { asksForPlainSecrets, secretSourceFromConfig } from './secret-source-from-config';
import { LoadedConfig } from '../config/loader';
import { ApplierRbac } from '../../lib/gitops/applier-rbac';
import { OutputObject } from '../../lib/gitops/applier-permissions';
import { gitOpsAnnotations, GitOpsTools } from '../../lib/gitops/gitops-annotations';
import { kustomizationYaml } from '../output/kustomization';
import { toYaml } from '../output/to-yaml';
import { CoreSchemas } from '../validate/core-schemas';
import { CompiledSchemas } from '../validate/crd-schemas';
import { byKind } from '../validate/generated/crd-validators';
import { formatProblems, isPlainSecret, validateManifests } from '../validate/validate-manifests';
import { REGISTRY_S3_SECRET_KEYS } from '../../lib/registry/registry-s3-credentials';
import { StorageSwitch } from '../../lib/registry/storage-switch';
import { DEFAULT_OPENSHIFT_VERSION } from '../../lib/rules/openshift-version';
import { ValidationError, withinField } from '../../lib/rules/validation-error';

/** Schemas of everything this project writes: its custom resources, compiled ahead of time, and core kinds. */
const OUTPUT_SCHEMAS = [new CompiledSchemas(byKind), new CoreSchemas()];

/**
 * Output stages: folders applied in this order, each with its own kustomization.yaml so that
 * Flux users can chain one Kustomization per stage with dependsOn.
 */
export const STAGES: Readonly<Record<string, string>> = {
  // Only with an applierRbac section: the GitOps tool's rights, and the namespaces they live in.
  'applier-rbac': 'applier-rbac',
  'object-store': 'object-store',
  'storage-switch': 'storage-switch',
  'registry-storage': 'registry',
  'registry': 'registry',
  // Only when the config has an imageConfig section that sets something.
  'image-config': 'registry',
  // Only when the config has a pruner section.
  'pruner': 'registry',
};

/**
 * Builds the charts one cluster config needs and renders them, relative path -> content:
 * `<stage>/<chart>.yaml` (one file per chart, objects annotated for Argo CD and Flux),
 * `<stage>/kustomization.yaml`, and a `kustomization.yaml` for the whole cluster. Charts without
 * objects are left out. Rule violations become ConfigErrors that point at the config's field.
 */
export function synthesizeCluster(loaded: LoadedConfig): Map<string, string> {
  // One chart per stage, held by one construct: the library's rules see this cluster's objects
  // across its charts (lib/registry/cluster-scope.ts).
  const cluster = new Construct(new App(), loaded.config.name);
  const { minio, registry, imageConfig, pruner, storageSwitch } = loaded.config;
  const gitOpsTools = loaded.config.gitops ?? GitOpsTools.BOTH;
  const openshiftVersion = loaded.config.openshiftVersion ?? DEFAULT_OPENSHIFT_VERSION;
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
      objectStore = new ObjectStoreChart(cluster, 'object-store', { minio, bucketUser });
      if (!s3) {
        const backEnd = Object.keys(registry.storage).find((key) => key !== 'managementState') ?? 'none';
        loaded.warn('minio', `deploys MinIO in namespace ${minio.namespace ?? 'minio'}, but the registry's storage is ${backEnd}, not s3: nothing here uses it. Keep the section only while images move off it; removing it later leaves the namespace and its claim, with their data, in the cluster (they are never pruned)`);
      }
    }
    const switchChart = new Chart(cluster, 'storage-switch');
    const storage = new RegistryStorageChart(cluster, 'registry-storage', { storage: registry.storage, minioBucket: objectStore?.bucket });
    // Before the Config: any other back end already in spec.storage goes (see StorageSwitch).
    if (storageSwitch?.enabled !== false) {
      withinField('storageSwitch', () => new StorageSwitch(switchChart, 'StorageSwitch', { storage: storage.storage, image: storageSwitch?.image }));
    }
    const registryChart = new RegistryChart(cluster, 'registry', { registry, storage: storage.storage, openshiftVersion });
    for (const [field, message] of registryChart.warnings) loaded.warn(field, message);
    // Only when the section sets something: the object is shared, and an empty one says nothing.
    if (imageConfig && setsAnything(imageConfig)) {
      const imageConfigChart = new ImageConfigChart(cluster, 'image-config', { imageConfig, routes: registry.routes, openshiftVersion });
      for (const [field, message] of imageConfigChart.warnings) loaded.warn(field, message);
    }
    if (pruner) {
      for (const [field, message] of new PrunerChart(cluster, 'pruner', { pruner, openshiftVersion }).warnings) loaded.warn(field, message);
    }
  } catch (e) {
    throw asConfigError(loaded, e);
  }
  let rendered = render(cluster.node.children.filter(Chart.isChart), gitOpsTools);
  if (loaded.config.applierRbac) {
    // The applier's rights come first, with the namespaces they live in (a Role needs its
    // namespace; whoever applies this stage creates both, so the applier needs no right to create
    // namespaces), computed from everything else it applies.
    const isNamespace = (o: { apiVersion: string; kind: string }) => o.apiVersion === 'v1' && o.kind === 'Namespace';
    const namespaces = rendered.flatMap((chart) => chart.objects.filter(isNamespace));
    rendered = rendered.map((chart) => ({ ...chart, objects: chart.objects.filter((o) => !isNamespace(o)) })).filter((chart) => chart.objects.length);
    const chart = new Chart(cluster, 'applier-rbac');
    try {
      withinField('applierRbac', () => new ApplierRbac(chart, 'ApplierRbac', {
        objects: rendered.flatMap((c) => c.objects) as OutputObject[],
        serviceAccount: loaded.config.applierRbac!.serviceAccount,
        gitOpsTools,
      }));
    } catch (e) {
      throw asConfigError(loaded, e);
    }
    const [rbac] = render([chart], gitOpsTools);
    rendered = [{ file: rbac.file, objects: [...namespaces, ...rbac.objects] }, ...rendered];
  }

  // Each object's YAML, written once: a file's text is its objects' texts (toYaml(a, b) is
  // toYaml(a), ---, toYaml(b)), and validation keys its memo by them.
  const texts = rendered.map(({ objects }) => objects.map((object) => toYaml(object)));
  // Nothing invalid reaches dist/: the same checks as `validate`, on the objects themselves.
  const manifests = rendered.flatMap(({ file, objects }, chart) => objects.map((object, i) => ({ file, object, yaml: texts[chart][i] })));
  const problems = validateManifests(manifests, {
    schemas: OUTPUT_SCHEMAS,
    openshiftVersion,
    allowPlainSecrets: asksForPlainSecrets(loaded.config),
  }).filter((p) => p.severity === 'error');
  if (problems.length) {
    throw loaded.error('', `the objects made from this config would be refused by the API server or the operator; this is a defect of this tool, please report it:\n${formatProblems(problems).trimEnd()}`);
  }

  const files = new Map<string, string>();
  const stages = new Map<string, string[]>();
  for (const [chart, { file }] of rendered.entries()) {
    const [stage, name] = file.split('/');
    files.set(file, texts[chart].join('---\n'));
    stages.set(stage, [...(stages.get(stage) ?? []), name]);
  }
  const ordered = Object.values(STAGES).filter((stage, i, all) => stages.has(stage) && all.indexOf(stage) === i);
  for (const stage of ordered) files.set(`${stage}/kustomization.yaml`, kustomizationYaml(stages.get(stage)!));
  // For `validate` to judge this cluster by its config: the version, when the config sets one,
  // and the plain Secrets it asked for (a plainSecret), by name.
  const plainSecrets = rendered.flatMap((chart) => chart.objects).filter(isPlainSecret).map((secret) => `${secret.metadata.namespace}/${secret.metadata.name}`);
  files.set('kustomization.yaml', kustomizationYaml(ordered.flatMap((stage) => stages.get(stage)!.map((file) => `${stage}/${file}`)), { openshiftVersion: loaded.config.openshiftVersion, plainSecrets }));
  return files;
}

/**
 * Each chart's objects with their GitOps annotations, in construct order (what Chart.toJson gives
 * for objects without dependencies, minus re-validating the app per chart), after validating the
 * charts once; charts without objects are left out.
 */
function render(charts: readonly Chart[], tools: GitOpsTools) {
  const invalid = charts.flatMap((chart) => chart.node.findAll()).flatMap((c) => c.node.validate().map((message) => `[${c.node.path}] ${message}`));
  if (invalid.length) throw new Error(`validation failed:\n  ${invalid.join('\n  ')}`);
  return charts.map((chart) => ({
    file: `${STAGES[chart.node.id]}/${chart.node.id}.yaml`,
    objects: chart.node.findAll()
      .filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart)
      .map((o) => withGitOpsAnnotations(o.toJson(), tools)),
  })).filter((chart) => chart.objects.length);
}

/** A rule violation as an error at the config's field; anything else as it is. */
function asConfigError(loaded: LoadedConfig, e: unknown): unknown {
  if (!(e instanceof ValidationError)) return e;
  // A field the cluster's version lacks: say where that version comes from.
  return loaded.error(e.field, e.versionBound ? `${e.problem} (${versionSource(loaded)})` : e.problem);
}

/** Whether a config section holds any value (not only empty maps). */
function setsAnything(value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'object' || value === null) return true;
  return Object.values(value).some(setsAnything);
}

/**
 * `object` with its GitOps annotations after the ones it has (what the library's
 * addGitOpsAnnotations gives, with metadata keys in the order dist/ has always had).
 */
function withGitOpsAnnotations(object: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } }, tools: GitOpsTools) {
  const annotations = { ...object.metadata.annotations, ...gitOpsAnnotations(object, tools) };
  return { ...object, metadata: { ...object.metadata, ...(Object.keys(annotations).length ? { annotations } : {}) } };
}

/** Where the cluster's OpenShift version comes from, for a message about a field it lacks. */
function versionSource(loaded: LoadedConfig): string {
  const version = loaded.config.openshiftVersion;
  return version === undefined
    ? `openshiftVersion is not set, and the default is ${DEFAULT_OPENSHIFT_VERSION}`
    : `openshiftVersion: "${version}" at ${loaded.locate('openshiftVersion')}; remove the field, or raise openshiftVersion once the cluster runs a version that has it`;
}
