// The unit tier's groups (members.cjs, jest.unit.config.js): every unit test file runs in
// `npm run test:unit`, once, alone or in exactly one group.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');
const members = require('./members.cjs') as {
  GROUP_FILES: number;
  unitTierFiles(): string[];
  needsOwnFile(source: string): boolean;
  runsAlone(file: string): boolean;
  groups(count: number): string[][];
};
const { GROUP_FILES, groups, needsOwnFile, runsAlone, unitTierFiles } = members;
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
