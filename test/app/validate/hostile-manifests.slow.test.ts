import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_NODE_LIMIT } from '../../../app/output/read-tree';
import { COMPILE_PROPERTY_BUDGET, CrdSchemas, toStrictJsonSchema } from '../../../app/validate/crd-schemas';
import { runCli } from '../../helpers';
import { check, crdFolder, laughs, manyObjects, patternSchema, widget, widgetCrd } from './hostile-sizes';

// The integration tier's part of hostile-manifests.test.ts: the sweeps and budgets at full size,
// and the validate command (a process) on hostile folders.

manyObjects(60_000);

describe('class 13: budgets at full size', () => {
  test('the alias budget is per file, across its documents', () => {
    const doc = laughs(6); // 9^6 = 531441 values: each document fits, two do not
    // The first document is checked (its bomb sits in a field a ConfigMap does not have), the second is refused.
    expect(check(`${doc}---\n${doc}`)).toEqual([
      expect.stringMatching(/^x\.yaml: the file expands to more than \d+ values by document 2 /),
      'x.yaml: ConfigMap x/lol: lol: unknown field',
    ]);
  });

  test('a backtracking pattern the linear engine cannot run is given up after the time limit, with a warning', () => {
    const sources = [CrdSchemas.fromDirectory(crdFolder({ 'widget.yaml': widgetCrd(patternSchema('^(a|a)+(?=b)')) }))];
    expect(check(widget({ value: 'aab' }), 'x.yaml', sources)).toEqual([]);
    expect(check(widget({ value: 'c' }), 'x.yaml', sources)).toEqual(['x.yaml: Widget x/w: spec.value: must match pattern "^(a|a)+(?=b)"']);
    const warning = 'warning: x.yaml: Widget x/w: not checked against the CRD pattern "^(a|a)+(?=b)": it ran longer than the time limit (a pattern that backtracks; see docs/validate.md)';
    expect(check(widget({ value: `${'a'.repeat(40)}!` }), 'x.yaml', sources)).toEqual([warning]);
    // Given up: the time limit is spent once per pattern, not once per value.
    for (let i = 0; i < 50; i++) expect(check(widget({ value: `${'a'.repeat(40 + i)}!` }), 'x.yaml', sources)).toEqual([warning]);
    // A new value the pattern refuses at once is not run either: the pattern is given up, not retried.
    expect(check(widget({ value: 'd' }), 'x.yaml', sources)).toEqual([warning]);
  });

  test('uniqueItems (which the API server refuses in a CRD) is not checked: 40000 items take no quadratic time', () => {
    const schema = { type: 'object', properties: { spec: { type: 'object', properties: { items: { type: 'array', uniqueItems: true, items: { type: 'string' } } } } } };
    const sources = [CrdSchemas.fromDirectory(crdFolder({ 'widget.yaml': widgetCrd(schema) }))];
    const items = Array.from({ length: 40_000 }, (_, i) => `item-${i}`);
    expect(check(widget({ items: [...items, 'item-0'] }), 'x.yaml', sources)).toEqual([]);
    expect(toStrictJsonSchema(schema as never)).not.toHaveProperty('properties.spec.properties.items.uniqueItems');
  });

  test('CRD schemas past the compile budget (properties, in all) are not compiled: a warning for their objects', () => {
    const wide = (n: number) => ({ type: 'object', properties: { spec: { type: 'object', properties: Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, { type: 'string' }])) } } });
    const sources = [CrdSchemas.fromDirectory(crdFolder({ 'widget.yaml': widgetCrd(wide(COMPILE_PROPERTY_BUDGET)) }))];
    expect(check(widget({ p1: 1 }), 'x.yaml', sources)).toEqual([`warning: x.yaml: Widget x/w: not checked against the CRD's schema for example.com/v1 Widget: it has ${COMPILE_PROPERTY_BUDGET + 1} properties, and the CRD schemas compiled in one run may have ${COMPILE_PROPERTY_BUDGET} in all (the largest common CRDs have about 8000)`]);
    // A wide schema under the budget is compiled and judges.
    const small = [CrdSchemas.fromDirectory(crdFolder({ 'widget.yaml': widgetCrd(wide(1000)) }))];
    expect(check(widget({ p1: 1 }), 'x.yaml', small)).toEqual(['x.yaml: Widget x/w: spec.p1: must be string']);
  });
});

describe('the validate command on hostile input', () => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.CRD_DIR;
  const run = (args: string[]) => runCli(['validate', ...args], { timeout: 60_000, env });

  test('a FIFO or a link out of the folder: exit 2 naming the files, no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-hostile-'));
    writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n');
    symlinkSync('/etc/hostname', join(dir, 'b.yaml'));
    try {
      execFileSync('mkfifo', [join(dir, 'c.yaml')]);
    } catch {
      writeFileSync(join(dir, 'c.yaml'), ''); // no mkfifo here
    }
    const result = run([dir]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${dir}/b.yaml: is a symbolic link to /etc/hostname, outside ${dir}`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test('a bomb and a bad CRD folder: one line each, quickly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-hostile-'));
    writeFileSync(join(dir, 'bomb.yaml'), laughs(9));
    const bomb = run([dir]);
    expect(bomb.status).toBe(1);
    expect(bomb.stdout).toBe(`${dir}/bomb.yaml: the file expands to more than ${MANIFEST_NODE_LIMIT} values by document 1 (maps, lists and scalars, a long string one per 64 characters, each alias counted as a copy of its anchor); the limit is ${MANIFEST_NODE_LIMIT}: use fewer aliases\n`);
    const crds = crdFolder({ 'x.yaml': 'kind: CustomResourceDefinition\n' });
    const bad = run([dir, '--crds', crds]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`${crds}/x.yaml: document 1: a CustomResourceDefinition needs spec.group`);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
