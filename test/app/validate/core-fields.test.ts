import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { readTree } from '../../../app/output/read-tree';
import { toYaml } from '../../../app/output/to-yaml';
import { builtInSchemas } from '../../../app/validate/built-in-schemas';
import { CoreFields, UNKNOWN_FIELDS_LISTED, unknownFields } from '../../../app/validate/core-fields';
import { formatProblems, validateTree } from '../../../app/validate/validate-manifests';
import { repoRoot } from '../../helpers';

// Unknown fields in built-in kinds, as the API server refuses them under strict field validation
// (kubectl and oc apply, server-side apply): see app/validate/core-fields.ts.

const schemas = builtInSchemas();

/** validate's lines for one file of one cluster. */
function check(text: string, options: { allowPlainSecrets?: boolean } = {}): string[] {
  const report = validateTree(new Map([['kustomization.yaml', ''], ['x.yaml', text]]), { schemas, ...options });
  const out = formatProblems(report.problems);
  return out ? out.slice(0, -1).split('\n') : [];
}

const pvc = (spec: object, metadata: object = {}) => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'x', ...metadata },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
});
const deployment = (container: object, pod: object = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', namespace: 'x' },
  spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'app', image: 'example/app:1', ...container }], ...pod } } },
});
const crd = (properties: object) => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties } } } } }],
  },
});

describe('unknown fields in built-in kinds', () => {
  test('at the top level', () => {
    expect(check(toYaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'x' }, datas: { a: 'b' } })))
      .toEqual(['x.yaml: ConfigMap x/c: datas: unknown field']);
  });

  test('in spec: storageClass for storageClassName in a claim', () => {
    expect(check(toYaml(pvc({ storageClass: 'gp3-csi' })))).toEqual(['x.yaml: PersistentVolumeClaim x/data: spec.storageClass: unknown field']);
    expect(check(toYaml(pvc({ storageClassName: 'gp3-csi' })))).toEqual([]);
  });

  test('in a list item: a container, a volume, an env entry', () => {
    expect(check(toYaml(deployment({ imagePullPolicyy: 'Always', env: [{ name: 'A', value: 'b' }, { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k', optinal: true } } }] }, { volumes: [{ name: 'v', emptyDir: {}, readOnly: true }] })))).toEqual([
      'x.yaml: Deployment x/app: spec.template.spec.containers[0].imagePullPolicyy: unknown field',
      'x.yaml: Deployment x/app: spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.optinal: unknown field',
      'x.yaml: Deployment x/app: spec.template.spec.volumes[0].readOnly: unknown field',
    ]);
  });

  test('in a map value\'s type: the property schemas of a CRD', () => {
    expect(check(toYaml(crd({ size: { type: 'string', descripton: 'typo' }, tags: { type: 'object', properties: { a: { type: 'string', 'x-kubernetes-foo': true } } } }))))
      .toEqual([
        'x.yaml: CustomResourceDefinition widgets.example.com: spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.size.descripton: unknown field',
        'x.yaml: CustomResourceDefinition widgets.example.com: spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.tags.properties.a.x-kubernetes-foo: unknown field',
      ]);
  });

  test('in metadata (ObjectMeta), also in a pod template\'s and a claim template\'s', () => {
    expect(check(toYaml(pvc({}, { label: { a: 'b' } })))).toEqual(['x.yaml: PersistentVolumeClaim x/data: metadata.label: unknown field']);
    const statefulSet = {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'x' },
      spec: {
        serviceName: 'db', selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' }, annotaions: { c: 'd' } }, spec: { containers: [{ name: 'db', image: 'example/db:1' }] } },
        volumeClaimTemplates: [{ metadata: { name: 'data', storageClassName: 'gp3-csi' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    };
    expect(check(toYaml(statefulSet))).toEqual([
      'x.yaml: StatefulSet x/db: spec.template.metadata.annotaions: unknown field',
      'x.yaml: StatefulSet x/db: spec.volumeClaimTemplates[0].metadata.storageClassName: unknown field',
    ]);
  });

  test('beside the model\'s own problems, all of them', () => {
    expect(check(toYaml(pvc({ storageClass: 'gp3-csi', volumeName: 5 })))).toEqual([
      'x.yaml: PersistentVolumeClaim x/data: spec.volumeName: must be string',
      'x.yaml: PersistentVolumeClaim x/data: spec.storageClass: unknown field',
    ]);
  });

  test('in each version of a kind as its own type: autoscaling/v1 and v2 HorizontalPodAutoscaler', () => {
    const hpa = (apiVersion: string, spec: object) => toYaml({ apiVersion, kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'x' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'app' }, maxReplicas: 3, ...spec } });
    expect(check(hpa('autoscaling/v1', { targetCPUUtilizationPercentage: 80 }))).toEqual([]);
    expect(check(hpa('autoscaling/v2', { targetCPUUtilizationPercentage: 80 }))).toEqual(['x.yaml: HorizontalPodAutoscaler x/h: spec.targetCPUUtilizationPercentage: unknown field']);
    expect(check(hpa('autoscaling/v2', { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] }))).toEqual([]);
  });

  test('core Event and events.k8s.io Event are different types', () => {
    const event = (apiVersion: string, fields: object) => toYaml({ apiVersion, kind: 'Event', metadata: { name: 'e', namespace: 'x' }, ...fields });
    expect(check(event('v1', { involvedObject: { kind: 'Pod', name: 'p' }, reason: 'Started' }))).toEqual([]);
    expect(check(event('events.k8s.io/v1', { eventTime: '2026-01-01T00:00:00.000000Z', regarding: { kind: 'Pod', name: 'p' }, reason: 'Started' }))).toEqual([]);
    expect(check(event('events.k8s.io/v1', { eventTime: '2026-01-01T00:00:00.000000Z', involvedObject: { kind: 'Pod', name: 'p' } }))).toEqual(['x.yaml: Event x/e: involvedObject: unknown field']);
  });

  test('free-form places are not looked into', () => {
    // Map values (labels, annotations, ConfigMap data, quantities), JSON (a CRD's defaults, examples,
    // items and additionalProperties schemas; a ControllerRevision's data) and status.
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'x', labels: { anything: 'x' }, annotations: { 'a/b': 'c' } }, data: { any: 'thing' } };
    expect(check(toYaml(configMap))).toEqual([]);
    const freeForm = crd({
      settings: { type: 'object', default: { whatever: { nested: 1 } }, example: { also: 2 } },
      list: { type: 'array', items: { type: 'object', notASchemaField: true } },
      map: { type: 'object', additionalProperties: { type: 'string', notASchemaFieldEither: 1 } },
    });
    expect(check(toYaml(freeForm))).toEqual([]);
    const revision = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r', namespace: 'x' }, revision: 1, data: { spec: { whatever: 1 } } };
    expect(check(toYaml(revision))).toEqual([]);
    expect(check(toYaml({ ...pvc({}), status: { phase: 'Bound', madeUp: true } }))).toEqual([]);
  });

  test('a value of the wrong shape is the model\'s problem, not a cascade of unknown fields', () => {
    expect(check(toYaml(deployment({}, { containers: 'x', volumes: { a: { b: 1 } } })))).toEqual([
      'x.yaml: Deployment x/app: spec.template.spec.containers: must be array',
      'x.yaml: Deployment x/app: spec.template.spec.volumes: must be array',
    ]);
    expect(check(toYaml({ ...pvc({}), metadata: { name: 'data', namespace: 'x', labels: ['a'] }, spec: { resources: 'x' } })))
      .toEqual(expect.not.arrayContaining([expect.stringContaining('unknown field')]));
  });

  test('never throws on hostile shapes, and never reads a prototype', () => {
    const hostile: unknown[] = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: 'x' },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [null, 'x', 5, [1], { name: 'a', env: 'x', ports: [{ containerPort: 1, constructor: 1, toString: 2, hasOwnProperty: 3 }] }] } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: [] },
      { apiVersion: 'v1', kind: 'constructor' },
      { apiVersion: 'constructor', kind: 'toString' },
      { apiVersion: 'v1', kind: 'hasOwnProperty' },
      { apiVersion: { toString: 1 }, kind: 'Pod' },
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', spec: { versions: [{ schema: { openAPIV3Schema: { properties: 'x', allOf: { a: 1 }, not: [1] } } }] } },
    ];
    for (const object of hostile) expect(() => unknownFields(object as { apiVersion: unknown })).not.toThrow();
    expect(unknownFields(hostile[1] as object)).toEqual([
      { field: 'spec.containers[4].ports[0].constructor', message: 'unknown field' },
      { field: 'spec.containers[4].ports[0].toString', message: 'unknown field' },
      { field: 'spec.containers[4].ports[0].hasOwnProperty', message: 'unknown field' },
    ]);
    expect(unknownFields({ apiVersion: 'v1', kind: 'constructor' })).toBeUndefined();
    expect(unknownFields({ apiVersion: 'example.com/v1', kind: 'Widget' })).toBeUndefined();
  });

  test(`at most ${UNKNOWN_FIELDS_LISTED} are listed, and one line counts the rest`, () => {
    const data = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`k${i}`, 'v']));
    const lines = check(toYaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'x' }, ...data }));
    expect(lines).toHaveLength(UNKNOWN_FIELDS_LISTED + 1);
    expect(lines[0]).toBe('x.yaml: ConfigMap x/c: k0: unknown field');
    expect(lines[UNKNOWN_FIELDS_LISTED - 1]).toBe(`x.yaml: ConfigMap x/c: k${UNKNOWN_FIELDS_LISTED - 1}: unknown field`);
    expect(lines[UNKNOWN_FIELDS_LISTED]).toBe(`x.yaml: ConfigMap x/c: ${250 - UNKNOWN_FIELDS_LISTED} more unknown fields (only the first ${UNKNOWN_FIELDS_LISTED} are listed)`);
  });

  test('the walk follows the table it is given: T, T[], {T} and fields it does not look into', () => {
    const table: CoreFields = {
      kinds: { 'v1 Box': 'Box' },
      types: { Box: 'apiVersion kind one:Item many:Item[] byName:{Item} loose', Item: 'a b' },
    };
    const box = { apiVersion: 'v1', kind: 'Box', one: { a: 1, c: 1 }, many: [{ b: 1 }, { d: 1 }], byName: { x: { e: 1 } }, loose: { f: 1 }, g: 1 };
    expect(unknownFields(box, table)).toEqual([
      { field: 'one.c', message: 'unknown field' },
      { field: 'many[1].d', message: 'unknown field' },
      { field: 'byName.x.e', message: 'unknown field' },
      { field: 'g', message: 'unknown field' },
    ]);
  });
});

describe('no false alarm on real manifests', () => {
  test('every built-in object synth writes to dist/ has only known fields', () => {
    const checked: string[] = [];
    for (const [file, text] of readTree(join(repoRoot, 'dist'))) {
      for (const object of loadAll(text, { schema: CORE_SCHEMA }) as { apiVersion: string; kind: string }[]) {
        const problems = unknownFields(object);
        if (problems === undefined) continue;
        expect({ file, kind: object.kind, problems }).toEqual({ file, kind: object.kind, problems: [] });
        checked.push(object.kind);
      }
    }
    // At least the kinds of the example configs' output (a user's own clusters may add more).
    expect([...new Set(checked)]).toEqual(expect.arrayContaining(['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'Deployment', 'Job', 'Namespace', 'NetworkPolicy', 'PersistentVolumeClaim', 'Service', 'ServiceAccount']));
  });

  test('Helm-rendered and hand-written manifests with the fields public charts use validate clean', () => {
    // test/app/validate/realistic: written for this test after the patterns of public charts'
    // rendered output and operators' install manifests (every common field we could find).
    const dir = join(__dirname, 'realistic');
    const files = new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
    const report = validateTree(files, { schemas, allowPlainSecrets: true });
    expect(formatProblems(report.problems)).toBe('');
    expect(report.objects).toBeGreaterThan(40);
    // ...and the table knows each built-in kind among them (the CRD-backed Route is checked by its CRD).
    const kinds = [...files.values()].flatMap((text) => loadAll(text, { schema: CORE_SCHEMA }) as { apiVersion: string; kind: string }[])
      .filter((object) => unknownFields(object) !== undefined).map((object) => `${object.apiVersion} ${object.kind}`);
    expect([...new Set(kinds)]).toEqual(expect.arrayContaining([
      'apps/v1 Deployment', 'apps/v1 StatefulSet', 'apps/v1 DaemonSet', 'batch/v1 CronJob', 'batch/v1 Job', 'v1 Service', 'v1 ConfigMap',
      'v1 PersistentVolumeClaim', 'v1 PersistentVolume', 'storage.k8s.io/v1 StorageClass', 'networking.k8s.io/v1 Ingress',
      'networking.k8s.io/v1 NetworkPolicy', 'rbac.authorization.k8s.io/v1 ClusterRole', 'rbac.authorization.k8s.io/v1 RoleBinding',
      'autoscaling/v2 HorizontalPodAutoscaler', 'policy/v1 PodDisruptionBudget', 'apiextensions.k8s.io/v1 CustomResourceDefinition',
      'admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration',
    ]));
    expect(new Set(kinds).size).toBe(32);
  });
});
