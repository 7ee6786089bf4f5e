// Measures `validate` against the corpus in test/corpus/validate: realistic manifests, each with the
// verdict a reader of the operator's, API server's and MCO's sources gives (see its README.md).
// Every case runs the CLI as a user would; a finding that matches no expected or acceptable problem
// is a false alarm, an expected problem that no finding reports with its severity is a miss.
// `node scripts/corpus-report.mjs` prints the same table without failing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaseResult, corpusDir, details, kustomizeSource, loadCases, manifestFiles, passed, runCases, table } from '../corpus/corpus';

const cases = loadCases();
let results: CaseResult[] = [];

beforeAll(async () => {
  results = await runCases(cases);
}, 600_000);

afterAll(() => {
  if (results.length > 0) console.log(`validate corpus (${results.length} cases)\n${table(results)}`);
});

describe('the corpus itself', () => {
  test('has at least 40 cases, about 60% that work, and every kind of input the issue names', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    const works = cases.filter((c) => c.verdict === 'works').length / cases.length;
    expect(works).toBeGreaterThanOrEqual(0.5);
    expect(works).toBeLessThanOrEqual(0.7);
    const count = (source: string) => cases.filter((c) => c.source === source).length;
    expect(count('acm')).toBeGreaterThanOrEqual(4);
    expect(count('kustomize')).toBeGreaterThanOrEqual(4);
    expect(count('helm')).toBeGreaterThanOrEqual(2);
    expect(cases.filter((c) => c.openshiftVersion !== undefined && c.openshiftVersion !== '4.23').length).toBeGreaterThanOrEqual(3);
    expect(cases.some((c) => c.kustomize !== undefined && /op: |"op":/.test(readSources(c)))).toBe(true);
  });

  test('its README counts the cases as they are', () => {
    const readme = readFileSync(join(corpusDir, 'README.md'), 'utf8');
    const n = (verdict: string) => cases.filter((c) => c.verdict === verdict).length;
    const stdin = cases.filter((c) => c.input === 'stdin').length;
    expect(readme).toContain(`${cases.length} cases: ${n('works')} work, ${n('refused')} are refused, ${n('breaks')} break; ${cases.length - stdin} folders and ${stdin} stdin streams; ${cases.filter((c) => c.crds).length} bring \`--crds\`.`);
    for (const cls of new Set(cases.map((c) => c.class))) expect(readme).toContain(`| ${cls} | ${cases.filter((c) => c.class === cls).length} |`);
  });

  test.each(cases.map((c) => [c.name, c] as const))('%s: its verdict agrees with its files', (_, c) => {
    const errors = c.expect.filter((e) => e.severity === 'error');
    if (c.verdict === 'works') expect(errors).toEqual([]);
    else expect(c.expect.length).toBeGreaterThan(0);
    if (c.input === 'stdin') expect(existsSync(join(c.dir, 'stdin.yaml'))).toBe(true);
    else expect(manifestFiles(c).length).toBeGreaterThan(0);
    expect(existsSync(join(c.dir, 'crds'))).toBe(c.crds);
    for (const e of [...c.expect, ...c.acceptable]) {
      if (c.input === 'folder' && e.file !== undefined) expect(manifestFiles(c)).toContain(e.file);
    }
  });
});

function readSources(c: (typeof cases)[number]): string {
  const dir = kustomizeSource(c);
  if (dir === undefined) return '';
  const kustomization = readFileSync(join(dir, 'kustomization.yaml'), 'utf8');
  const patchFiles = [...kustomization.matchAll(/path: (\S+)/g)].map((m) => join(dir, m[1]));
  return [kustomization, ...patchFiles.filter(existsSync).map((f) => readFileSync(f, 'utf8'))].join('\n');
}

// stdin.yaml of a kustomize case is what `kubectl kustomize` builds (as the discover and health tests
// do for their Debian tools: loud without kubectl on a developer machine, never skipped under CI).
const kubectlMissing = (spawnSync('kubectl', ['version', '--client']).error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
if (kubectlMissing) console.error('\n*** validate corpus: kubectl not installed, the kustomize builds are not compared ***\n');
const withKubectl = kubectlMissing && !process.env.CI ? describe.skip : describe;
withKubectl('kustomize cases', () => {
  test.each(cases.filter((c) => c.kustomize !== undefined).map((c) => [c.name, c] as const))('%s: stdin.yaml is the kustomize build', (_, c) => {
    const dir = kustomizeSource(c);
    expect(dir).toBeDefined();
    const built = spawnSync('kubectl', ['kustomize', dir!], { encoding: 'utf8' });
    expect(built.stderr).toBe('');
    expect(built.stdout).toBe(readFileSync(join(c.dir, 'stdin.yaml'), 'utf8'));
  });
});

describe('validate on the corpus: no false alarm, no miss', () => {
  test.each(cases.map((c) => [c.name, c.verdict] as const))('%s (%s)', (name) => {
    const result = results.find((r) => r.case.name === name)!;
    const report = [`${name}:`, ...details(result)].join('\n');
    expect({ passed: passed(result), report }).toEqual({ passed: true, report: `${name}:` });
  });
});
