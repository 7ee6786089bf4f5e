// The corpus scorer's reading of validate's output and its matching rules (test/corpus/corpus.ts).
import { CorpusCase, Expected, matches, parseLine, score, unmatched } from './corpus';

const dir = '/tmp/validate-corpus-x/case';

const expected = (over: Partial<Expected> = {}): Expected => ({ kind: 'Config', name: 'cluster', fields: ['spec.storage'], severity: 'error', why: 'w', file: 'registry.yaml', ...over });

const corpusCase = (over: Partial<CorpusCase> = {}): CorpusCase => ({
  name: 'case', dir, pattern: 'p', class: 'c', source: 's', verdict: 'breaks', input: 'folder', crds: false,
  expect: [expected()], acceptable: [], ...over,
});

describe('parseLine', () => {
  test('reads an error, a warning and a note in the documented format', () => {
    expect(parseLine(`${dir}/registry.yaml: Config cluster: spec.storage: has pvc and emptyDir`, dir)).toEqual({
      line: `${dir}/registry.yaml: Config cluster: spec.storage: has pvc and emptyDir`,
      severity: 'error', file: 'registry.yaml', kind: 'Config', namespace: undefined, name: 'cluster', field: 'spec.storage', message: 'has pvc and emptyDir',
    });
    expect(parseLine(`warning: ${dir}/sub/pvc.yaml: PersistentVolumeClaim openshift-image-registry/data: metadata.name: is the operator's name`, dir))
      .toMatchObject({ severity: 'warning', file: 'sub/pvc.yaml', kind: 'PersistentVolumeClaim', namespace: 'openshift-image-registry', name: 'data', field: 'metadata.name' });
    expect(parseLine(`note: ${dir}/obc.yaml: ObjectBucketClaim ns/b: no CRD given; pass it with --crds`, dir)).toMatchObject({ severity: 'note', kind: 'ObjectBucketClaim', name: 'b' });
  });

  test('a line naming no field keeps its message, and an object without a name is read', () => {
    expect(parseLine(`${dir}/r.yaml: PersistentVolumeClaim x/(no name): every object needs apiVersion, kind and metadata.name`, dir))
      .toMatchObject({ kind: 'PersistentVolumeClaim', namespace: 'x', name: '(no name)', field: '', message: 'every object needs apiVersion, kind and metadata.name' });
  });

  test('stdin: the stream name is optional and any word', () => {
    expect(parseLine('-: Config cluster: spec.replicas: is required')).toMatchObject({ file: '-', kind: 'Config', field: 'spec.replicas' });
    expect(parseLine('<stdin>: Config cluster: spec.replicas: is required')).toMatchObject({ file: '<stdin>', kind: 'Config' });
    expect(parseLine('Config cluster: spec.replicas: is required')).toMatchObject({ file: '', kind: 'Config', name: 'cluster', field: 'spec.replicas' });
  });

  test('a line it cannot read is kept whole, with no kind (it can only be a false alarm)', () => {
    expect(parseLine(`${dir}/x.yaml: document 2 is a list, not a Kubernetes object`, dir)).toMatchObject({ kind: '', field: '', message: 'document 2 is a list, not a Kubernetes object' });
  });
});

describe('matches', () => {
  const at = (field: string, severity = '') => parseLine(`${severity}${dir}/registry.yaml: Config cluster: ${field}: message`, dir);

  test('the same field or one below it, with the same severity', () => {
    expect(matches(at('spec.storage'), expected(), true)).toBe(true);
    expect(matches(at('spec.storage.pvc.claim'), expected(), true)).toBe(true);
    expect(matches(at('spec.storageClass'), expected(), true)).toBe(false);
    expect(matches(at('spec.replicas'), expected(), true)).toBe(false);
    expect(matches(at('spec.storage', 'warning: '), expected(), true)).toBe(false);
  });

  test('file, kind, name and namespace must agree; stdin cases do not compare files', () => {
    expect(matches(at('spec.storage'), expected({ file: 'other.yaml' }), true)).toBe(false);
    expect(matches(at('spec.storage'), expected({ file: 'other.yaml' }), false)).toBe(true);
    expect(matches(at('spec.storage'), expected({ name: 'other' }), true)).toBe(false);
    expect(matches(at('spec.storage'), expected({ kind: 'ImagePruner' }), true)).toBe(false);
    const pvc = parseLine(`${dir}/registry.yaml: PersistentVolumeClaim a/b: spec.accessModes: must be array`, dir);
    expect(matches(pvc, expected({ kind: 'PersistentVolumeClaim', name: undefined, namespace: 'a', fields: ['spec.accessModes'] }), true)).toBe(true);
    expect(matches(pvc, expected({ kind: 'PersistentVolumeClaim', name: undefined, namespace: 'c', fields: ['spec.accessModes'] }), true)).toBe(false);
  });

  test('alternatives, an exact path ending in $, and the inner object of a wrapper', () => {
    const list = expected({ fields: ['spec.registrySources.insecureRegistries[0]', 'spec.registrySources.insecureRegistries$'] });
    expect(matches(at('spec.registrySources.insecureRegistries'), list, true)).toBe(true);
    expect(matches(at('spec.registrySources.insecureRegistries[0]'), list, true)).toBe(true);
    expect(matches(at('spec.registrySources.insecureRegistries[1]'), list, true)).toBe(false);
    const wrapped = expected({ kind: 'Policy', name: 'p', fields: ['spec.policy-templates[0].objectDefinition.spec.object-templates[0].objectDefinition.spec.storage'], alsoAs: { kind: 'Config', name: 'cluster', fields: ['spec.storage'] } });
    expect(matches(at('spec.storage.s3'), wrapped, true)).toBe(true);
    expect(matches(parseLine(`${dir}/registry.yaml: Policy p: spec.policy-templates[0].objectDefinition.spec.object-templates[0].objectDefinition.spec.storage: m`, dir), wrapped, true)).toBe(true);
  });

  test('a line without a field matches when its message names the field', () => {
    const line = parseLine(`${dir}/registry.yaml: PersistentVolumeClaim x/(no name): every object needs apiVersion, kind and metadata.name`, dir);
    expect(matches(line, expected({ kind: 'PersistentVolumeClaim', name: undefined, fields: ['metadata.name'] }), true)).toBe(true);
    expect(matches(line, expected({ kind: 'PersistentVolumeClaim', name: undefined, fields: ['metadata.namespace'] }), true)).toBe(false);
    expect(matches(line, expected({ kind: 'PersistentVolumeClaim', name: undefined, fields: ['metadata.nam'] }), true)).toBe(false);
  });
});

describe('unmatched and score', () => {
  test('one finding stands for one expected problem only', () => {
    const both = [expected({ fields: ['spec.registrySources'] }), expected({ fields: ['spec.registrySources.containerRuntimeSearchRegistries'] })];
    const one = [parseLine(`${dir}/registry.yaml: Config cluster: spec.registrySources.containerRuntimeSearchRegistries: m`, dir)];
    expect(unmatched(both, one, true)).toHaveLength(1);
    const two = [...one, parseLine(`${dir}/registry.yaml: Config cluster: spec.registrySources: m`, dir)];
    expect(unmatched(both, two, true)).toEqual([]);
  });

  test('false alarms, misses, notes, exit status and run failures', () => {
    const acceptable = [expected({ severity: 'warning', fields: ['spec.storage.pvc.claim'] })];
    const stdout = [
      `${dir}/registry.yaml: Config cluster: spec.replicas: is required`,
      `warning: ${dir}/registry.yaml: Config cluster: spec.storage.pvc.claim: not among these objects`,
      `note: ${dir}/registry.yaml: Widget w: no CRD given`,
      '',
    ].join('\n');
    const result = score(corpusCase({ acceptable }), { status: 1, stdout, stderr: '' }, dir);
    expect(result.findings.map((f) => f.field)).toEqual(['spec.replicas', 'spec.storage.pvc.claim']);
    expect(result.notes).toHaveLength(1);
    expect(result.falseAlarms.map((f) => f.field)).toEqual(['spec.replicas']);
    expect(result.missed).toEqual([expected()]);
    expect(result.exitMismatch).toBe(false);
    expect(result.runFailure).toBe(false);

    const works = score(corpusCase({ verdict: 'works', expect: [], acceptable }), { status: 0, stdout: `warning: ${dir}/registry.yaml: Config cluster: spec.storage.pvc.claim: m\n`, stderr: '' }, dir);
    expect([works.falseAlarms, works.missed, works.exitMismatch]).toEqual([[], [], false]);
    expect(score(corpusCase({ verdict: 'works', expect: [] }), { status: 1, stdout: '', stderr: '' }, dir).exitMismatch).toBe(true);

    const usage = score(corpusCase(), { status: 2, stdout: '', stderr: 'validate: no files in -\n' });
    expect([usage.runFailure, usage.missed]).toEqual([true, [expected()]]);
  });
});
