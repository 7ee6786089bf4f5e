// The unit tier's groups (members.cjs, jest.unit.config.js): every unit test file runs in
// `npm run test:unit`, once, alone or in exactly one group.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

const root = join(__dirname, '..', '..');
const members = require('./members.cjs') as {
  GROUP_FILES: number;
  unitTierFiles(): string[];
  needsOwnFile(source: string): boolean;
  sourcesOf(file: string, within: string): Set<string>;
  runsAlone(file: string): boolean;
  groups(count: number): string[][];
};
const { GROUP_FILES, groups, needsOwnFile, runsAlone, sourcesOf, unitTierFiles } = members;
const rel = (files: string[]) => files.map((file) => relative(root, file));

test('the unit tier is main.test.ts and the test files of test/lib and test/app, but their *.slow.test.ts', () => {
  const files = rel(unitTierFiles());
  expect(files).toContain('main.test.ts');
  expect(files).toContain('test/lib/rules/cron.test.ts');
  expect(files).toContain('test/app/validate/validate.test.ts');
  expect(files.filter((file) => file.endsWith('.slow.test.ts'))).toEqual([]);
  expect(files.filter((file) => !(file === 'main.test.ts' || /^test\/(lib|app)\/.*\.test\.ts$/.test(file)))).toEqual([]);
});

test.each([1, 2, 3, GROUP_FILES, GROUP_FILES + 4])('%i workers: each file is in one group or runs alone, and no group is empty', (workers) => {
  const all = unitTierFiles();
  const grouped = groups(workers);
  expect(grouped).toHaveLength(Math.min(workers, GROUP_FILES));
  for (const group of grouped) expect(group.length).toBeGreaterThan(0);
  const alone = all.filter(runsAlone);
  expect([...grouped.flat(), ...alone].sort()).toEqual(all);
  expect(new Set(grouped.flat()).size).toBe(grouped.flat().length);
  expect(alone.length).toBeLessThan(all.length / 4);
});

test('files that mock modules, reset the registry, fake timers, set a timeout, use .only or snapshots run alone', () => {
  for (const source of [
    "jest.mock('node:fs', () => ({}));",
    'jest.resetModules();',
    'jest.useFakeTimers();',
    'jest.setTimeout(10_000);',
    "test.only('x', () => {});",
    "describe.only('x', () => {});",
    'expect(out).toMatchSnapshot();',
    'expect(out).toMatchInlineSnapshot(`x`);',
    'expect(f).toThrowErrorMatchingSnapshot();',
  ]) expect([source, needsOwnFile(source)]).toEqual([source, true]);
  for (const source of ["jest.isolateModules(() => { jest.doMock('x', () => ({})); });", "jest.spyOn(fs, 'renameSync');", "test('only the first', () => {});", 'expect(x).toMatchObject({});']) {
    expect([source, needsOwnFile(source)]).toEqual([source, false]);
  }
  expect(rel(unitTierFiles().filter(runsAlone))).toEqual(expect.arrayContaining(['main.test.ts', 'test/app/output/output-lock.test.ts', 'test/app/cli/cli.test.ts']));
});

test('the modules of test/ a test file imports, at any depth, are read too: a helper can mock or snapshot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unit-tier-'));
  const within = join(dir, 'test');
  const write = (path: string, text: string) => { mkdirSync(dirname(join(dir, path)), { recursive: true }); writeFileSync(join(dir, path), text); return join(dir, path); };
  try {
    const file = write('test/app/a.test.ts', "import { fixture } from '../helpers';\nimport { synth } from '../../app/synth';\nconst more = require('./more.cjs');\n");
    const helpers = write('test/helpers.ts', "export * from './deeper';\nimport '../app/synth';\n");
    const deeper = write('test/deeper/index.ts', "import { fixture } from '../helpers';\njest.mock('node:fs');\n");
    const more = write('test/app/more.cjs', '');
    write('app/synth.ts', "jest.mock('node:fs');\n");
    expect([...sourcesOf(file, within)].sort()).toEqual([deeper, file, helpers, more].sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a grouped file that takes a snapshot fails its group, named, though no pattern saw it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unit-tier-'));
  try {
    writeFileSync(join(dir, 'probe.test.js'), "test('probe', () => { expect('x')['toMatch' + 'Snapshot'](); });\n");
    writeFileSync(join(dir, 'plain.test.js'), "test('plain', () => { expect(1).toBe(1); });\n");
    writeFileSync(join(dir, 'group-1.unit.js'), `require(${JSON.stringify(join(__dirname, 'members.cjs'))}).defineGroup(__filename, 1, ${JSON.stringify([join(dir, 'plain.test.js'), join(dir, 'probe.test.js')])});\n`);
    writeFileSync(join(dir, 'jest.config.js'), "module.exports = { testMatch: ['**/group-1.unit.js'], transform: {} };\n");
    // Not --ci: the snapshot is written, as on a developer's machine, and still fails the group.
    const run = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '-c', join(dir, 'jest.config.js'), '--ci=false'], { cwd: dir, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${relative(root, join(dir, 'probe.test.js'))} took a snapshot in a group`);
    expect(run.stderr).not.toContain(`${relative(root, join(dir, 'plain.test.js'))} took a snapshot`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('jest.unit.config.js runs the groups the machine has workers for, and the files that run alone', () => {
  const config = require('../../jest.unit.config.js') as { testMatch: string[]; globals: { unitTierGroups: number } };
  const count = config.globals.unitTierGroups;
  expect(count).toBeGreaterThan(0);
  expect(config.testMatch).toEqual([
    ...Array.from({ length: count }, (_, i) => `<rootDir>/test/unit-tier/group-${i + 1}.unit.js`),
    ...rel(unitTierFiles().filter(runsAlone)).map((file) => `<rootDir>/${file}`),
  ]);
  for (let i = 1; i <= GROUP_FILES; i++) expect(existsSync(join(__dirname, `group-${i}.unit.js`))).toBe(true);
});

test('npm run test:unit registers every test file of the tier once: in one group, under its path, or alone', () => {
  // Collect only (a name no test has): jest's own account of which file each test came from.
  const dir = mkdtempSync(join(tmpdir(), 'unit-tier-'));
  const out = join(dir, 'results.json');
  const run = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '-c', 'jest.unit.config.js', '-t', 'a name no test has', '--json', `--outputFile=${out}`], { cwd: root, encoding: 'utf8' });
  const report = existsSync(out) ? readFileSync(out, 'utf8') : '';
  rmSync(dir, { recursive: true, force: true });
  expect([run.status, run.status === 0 ? '' : run.stderr]).toEqual([0, '']);
  const results = (JSON.parse(report) as { testResults: { name: string; assertionResults: { ancestorTitles: string[] }[] }[] }).testResults;
  const seen: string[] = [];
  for (const result of results) {
    const file = relative(root, result.name);
    if (file.startsWith('test/unit-tier/')) seen.push(...new Set(result.assertionResults.map((test) => test.ancestorTitles[0])));
    else seen.push(file);
  }
  expect(seen.sort()).toEqual(rel(unitTierFiles()));
  expect(results.flatMap((result) => result.assertionResults).length).toBeGreaterThan(1000);
});
