// The validate corpus (test/corpus/validate/<case>/): loading the cases and their verdicts, running
// `validate` on each as a user would (a process; stdin cases piped into `validate -`), reading its
// output and scoring it against the verdict. Used by test/integration/validate-corpus.test.ts (which
// fails on any false alarm or miss) and scripts/corpus-report.mjs (which only prints the table).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { parse } from 'yaml';

/** The repository root: the folder above this file (or above the bundle scripts/corpus-report.mjs runs) holding the corpus. */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'test', 'corpus', 'validate')) && existsSync(join(dir, 'bin', 'cli.mjs'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no test/corpus/validate above ${from}`);
  }
}

const repoRoot = findRoot(__dirname);
export const corpusDir = join(repoRoot, 'test', 'corpus', 'validate');

export type Severity = 'error' | 'warning';
export type Verdict = 'works' | 'refused' | 'breaks';

/** Where a problem is: one object and field. `field` alternatives: a finding at any of them (or below it) matches. */
export interface Place {
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  /** Dotted paths; one ending in `$` matches only that exact path. */
  readonly fields: readonly string[];
}

export interface Expected extends Place {
  readonly file?: string;
  readonly severity: Severity;
  /** The same problem named by the object inside a wrapper (an ACM Policy's objectDefinition). */
  readonly alsoAs?: Place;
  readonly who?: string;
  readonly why: string;
}

export interface CorpusCase {
  readonly name: string;
  readonly dir: string;
  readonly pattern: string;
  readonly class: string;
  readonly source: string;
  readonly verdict: Verdict;
  readonly input: 'folder' | 'stdin';
  readonly openshiftVersion?: string;
  readonly crds: boolean;
  /** For a stdin case: the kustomize folder (relative to the case) whose build stdin.yaml is. */
  readonly kustomize?: string;
  readonly expect: readonly Expected[];
  readonly acceptable: readonly Expected[];
}

/** One line of validate's output, `[warning: |note: ]file: Kind namespace/name: field: message`. */
export interface Finding {
  readonly line: string;
  readonly severity: Severity | 'note';
  readonly file: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** '' when the line names no field. */
  readonly field: string;
  readonly message: string;
}

export interface CaseResult {
  readonly case: CorpusCase;
  readonly status: number | null;
  readonly stderr: string;
  /** Errors and warnings (notes are never counted). */
  readonly findings: readonly Finding[];
  readonly notes: readonly Finding[];
  readonly falseAlarms: readonly Finding[];
  readonly missed: readonly Expected[];
  /** validate exited other than 0 or 1: bad usage or a crash; nothing it printed is a verdict. */
  readonly runFailure: boolean;
  /** Exit status differs from the verdict's (1 when an error is expected, else 0). */
  readonly exitMismatch: boolean;
}

const VERDICTS = ['works', 'refused', 'breaks'];
const SEVERITIES = ['error', 'warning'];

/** Every case folder's name, sorted. */
export function caseNames(): string[] {
  return readdirSync(corpusDir).filter((entry) => statSync(join(corpusDir, entry)).isDirectory()).sort();
}

function fail(name: string, message: string): never {
  throw new Error(`${join('test/corpus/validate', name, 'verdict.yaml')}: ${message}`);
}

function place(name: string, where: string, raw: Record<string, unknown>): Place {
  if (typeof raw.kind !== 'string' || raw.kind === '') fail(name, `${where}: kind is required`);
  const fields = Array.isArray(raw.field) ? raw.field : [raw.field];
  if (fields.length === 0 || !fields.every((f) => typeof f === 'string' && f !== '')) fail(name, `${where}: field must be a path or a list of paths`);
  for (const key of ['name', 'namespace'] as const) {
    if (raw[key] !== undefined && typeof raw[key] !== 'string') fail(name, `${where}: ${key} must be a string`);
  }
  return { kind: raw.kind, name: raw.name as string | undefined, namespace: raw.namespace as string | undefined, fields: fields as string[] };
}

function expected(name: string, where: string, raw: unknown, defaultSeverity?: Severity): Expected {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(name, `${where} must be a map`);
  const entry = raw as Record<string, unknown>;
  const severity = entry.severity ?? defaultSeverity;
  if (typeof severity !== 'string' || !SEVERITIES.includes(severity)) fail(name, `${where}: severity must be error or warning`);
  if (typeof entry.why !== 'string' || entry.why.trim() === '') fail(name, `${where}: why is required`);
  if (entry.file !== undefined && typeof entry.file !== 'string') fail(name, `${where}: file must be a string`);
  const alsoAs = entry.alsoAs === undefined ? undefined : place(name, `${where}.alsoAs`, entry.alsoAs as Record<string, unknown>);
  return { ...place(name, where, entry), file: entry.file as string | undefined, severity: severity as Severity, alsoAs, who: entry.who as string | undefined, why: entry.why };
}

/** Reads and checks one case's verdict.yaml. */
export function loadCase(name: string): CorpusCase {
  const dir = join(corpusDir, name);
  const raw = parse(readFileSync(join(dir, 'verdict.yaml'), 'utf8')) as Record<string, unknown>;
  for (const key of ['pattern', 'class', 'source'] as const) {
    if (typeof raw[key] !== 'string' || raw[key] === '') fail(name, `${key} is required`);
  }
  if (typeof raw.verdict !== 'string' || !VERDICTS.includes(raw.verdict)) fail(name, 'verdict must be works, refused or breaks');
  const input = raw.input ?? 'folder';
  if (input !== 'folder' && input !== 'stdin') fail(name, 'input must be folder or stdin');
  if (raw.openshiftVersion !== undefined && (typeof raw.openshiftVersion !== 'string' || !/^4\.\d+$/.test(raw.openshiftVersion))) fail(name, 'openshiftVersion must be a quoted "4.x"');
  if (!Array.isArray(raw.expect)) fail(name, 'expect must be a list (empty when it works)');
  const acceptableRaw = raw.acceptable ?? [];
  if (!Array.isArray(acceptableRaw)) fail(name, 'acceptable must be a list');
  return {
    name,
    dir,
    pattern: raw.pattern as string,
    class: raw.class as string,
    source: raw.source as string,
    verdict: raw.verdict as Verdict,
    input,
    openshiftVersion: raw.openshiftVersion as string | undefined,
    crds: raw.crds === true,
    kustomize: raw.kustomize as string | undefined,
    expect: raw.expect.map((entry, i) => expected(name, `expect[${i}]`, entry)),
    acceptable: acceptableRaw.map((entry, i) => expected(name, `acceptable[${i}]`, entry, 'warning')),
  };
}

export function loadCases(only?: readonly string[]): CorpusCase[] {
  return caseNames().filter((name) => only === undefined || only.length === 0 || only.includes(name)).map(loadCase);
}

/** The manifest files of a folder case, relative to its folder (not verdict.yaml, crds/ or source/). */
export function manifestFiles(corpusCase: CorpusCase): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = relative(corpusCase.dir, path);
      if (rel === 'verdict.yaml' || rel === 'crds' || rel === 'source') continue;
      if (entry.isDirectory()) walk(path);
      else files.push(rel.split(sep).join('/'));
    }
  };
  walk(corpusCase.dir);
  return files.sort();
}

const FIELD = /^[A-Za-z0-9_.\-[\]/"'~$@]+$/;
const LINE = /^(?:(warning|note|error): )?(.*)$/;
const OBJECT = /^([A-Z][A-Za-z0-9]*) (.+?): (.*)$/;

/**
 * Reads one output line. `filePrefix` is the folder validate was given (its lines name files below
 * it); undefined for stdin, whose file name (`-`, `<stdin>`...) is optional and not compared.
 */
export function parseLine(line: string, filePrefix?: string): Finding {
  const [, prefix, rest0] = LINE.exec(line)!;
  const severity = prefix === 'warning' ? 'warning' : prefix === 'note' ? 'note' : 'error';
  let file = '';
  let rest = rest0;
  const start = filePrefix === undefined ? undefined : `${filePrefix}/`;
  if (start !== undefined && rest.startsWith(start)) {
    const end = rest.indexOf(': ', start.length);
    file = rest.slice(start.length, end < 0 ? undefined : end);
    rest = end < 0 ? '' : rest.slice(end + 2);
  } else {
    // Otherwise a leading word without spaces followed by an object is the file's (or stream's) name.
    const head = /^(\S+): (.*)$/.exec(rest);
    if (head && OBJECT.test(head[2])) [, file, rest] = head;
  }
  const object = OBJECT.exec(rest);
  if (!object) return { line, severity, file, kind: '', name: '', field: '', message: rest };
  const [, kind, ident, tail] = object;
  const slash = ident.indexOf('/');
  const namespace = slash < 0 ? undefined : ident.slice(0, slash);
  const name = slash < 0 ? ident : ident.slice(slash + 1);
  const colon = tail.indexOf(': ');
  const first = colon < 0 ? tail : tail.slice(0, colon);
  const hasField = colon >= 0 && FIELD.test(first);
  return { line, severity, file, kind, namespace, name, field: hasField ? first : '', message: hasField ? tail.slice(colon + 2) : tail };
}

function fieldMatches(found: Finding, wanted: string): boolean {
  if (wanted.endsWith('$')) return found.field === wanted.slice(0, -1);
  if (found.field === '') return new RegExp(`(^|[^A-Za-z0-9_.])${wanted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_])`).test(found.message);
  return found.field === wanted || found.field.startsWith(`${wanted}.`) || found.field.startsWith(`${wanted}[`);
}

function placeMatches(found: Finding, wanted: Place): boolean {
  if (found.kind !== wanted.kind) return false;
  if (wanted.name !== undefined && found.name !== wanted.name) return false;
  if (wanted.namespace !== undefined && found.namespace !== undefined && found.namespace !== wanted.namespace) return false;
  return wanted.fields.some((field) => fieldMatches(found, field));
}

/** Whether `found` reports the problem `wanted` (stdin cases do not compare files). */
export function matches(found: Finding, wanted: Expected, compareFile: boolean): boolean {
  if (found.severity !== wanted.severity) return false;
  if (compareFile && wanted.file !== undefined && found.file !== wanted.file) return false;
  return placeMatches(found, wanted) || (wanted.alsoAs !== undefined && placeMatches(found, wanted.alsoAs));
}

/**
 * The expected problems no finding reports, each finding counting for at most one problem (a
 * maximum bipartite matching): one line cannot stand for two problems.
 */
export function unmatched(expect: readonly Expected[], findings: readonly Finding[], compareFile: boolean): Expected[] {
  const owner = new Array<number>(findings.length).fill(-1);
  const assign = (e: number, seen: boolean[]): boolean => {
    for (let f = 0; f < findings.length; f++) {
      if (seen[f] || !matches(findings[f], expect[e], compareFile)) continue;
      seen[f] = true;
      if (owner[f] < 0 || assign(owner[f], seen)) {
        owner[f] = e;
        return true;
      }
    }
    return false;
  };
  return expect.filter((_, e) => !assign(e, new Array<boolean>(findings.length).fill(false)));
}

/** Scores validate's output for one case. */
export function score(corpusCase: CorpusCase, run: { status: number | null; stdout: string; stderr: string }, filePrefix?: string): CaseResult {
  const lines = run.stdout.split('\n').filter((line) => line.trim() !== '');
  const parsed = lines.map((line) => parseLine(line, filePrefix));
  const findings = parsed.filter((f) => f.severity !== 'note');
  const notes = parsed.filter((f) => f.severity === 'note');
  const compareFile = corpusCase.input === 'folder';
  const known = [...corpusCase.expect, ...corpusCase.acceptable];
  const falseAlarms = findings.filter((f) => !known.some((wanted) => matches(f, wanted, compareFile)));
  const runFailure = run.status !== 0 && run.status !== 1;
  const wantStatus = corpusCase.expect.some((e) => e.severity === 'error') ? 1 : 0;
  return {
    case: corpusCase,
    status: run.status,
    stderr: run.stderr,
    findings,
    notes,
    falseAlarms,
    missed: runFailure ? [...corpusCase.expect] : unmatched(corpusCase.expect, findings, compareFile),
    runFailure,
    exitMismatch: run.status !== wantStatus,
  };
}

function spawnValidate(args: string[], input: string | undefined): Promise<{ status: number | null; stdout: string; stderr: string }> {
  // Only the built-in schemas and a case's own crds/: a CRD_DIR of the machine would change the verdicts.
  const env: NodeJS.ProcessEnv = { ...process.env, CDK8S_CHECK_UPGRADE: 'false' };
  delete env.CRD_DIR;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'cli.mjs'), 'validate', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    // A validate that does not read its input closes the pipe early: not an error of the corpus.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs `validate` on one case: a copy of its manifests, or stdin.yaml piped into `validate -`. */
export async function runCase(corpusCase: CorpusCase): Promise<CaseResult> {
  const flags: string[] = [];
  if (corpusCase.openshiftVersion !== undefined) flags.push('--openshift-version', corpusCase.openshiftVersion);
  if (corpusCase.crds) flags.push('--crds', join(corpusCase.dir, 'crds'));
  if (corpusCase.input === 'stdin') {
    const run = await spawnValidate(['-', ...flags], readFileSync(join(corpusCase.dir, 'stdin.yaml'), 'utf8'));
    return score(corpusCase, run);
  }
  // The case folder also holds verdict.yaml (not a manifest): validate a copy of the manifests alone,
  // under the case's own name so that messages read naturally.
  const tmp = mkdtempSync(join(tmpdir(), 'validate-corpus-'));
  const target = join(tmp, corpusCase.name);
  try {
    for (const file of manifestFiles(corpusCase)) cpSync(join(corpusCase.dir, file), join(target, file));
    const run = await spawnValidate([target, ...flags], undefined);
    return score(corpusCase, run, target);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Runs every case, `parallel` at a time, in the cases' order. */
export async function runCases(cases: readonly CorpusCase[], parallel = 2): Promise<CaseResult[]> {
  const results = new Array<CaseResult>(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      results[i] = await runCase(cases[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, cases.length) }, worker));
  return results;
}

/** Whether a case's result matches its verdict exactly. */
export function passed(result: CaseResult): boolean {
  return !result.runFailure && !result.exitMismatch && result.falseAlarms.length === 0 && result.missed.length === 0;
}

interface Row { readonly label: string; readonly results: readonly CaseResult[] }

function rowCells({ label, results }: Row): string[] {
  const findings = results.reduce((n, r) => n + r.findings.length, 0);
  const falseAlarms = results.reduce((n, r) => n + r.falseAlarms.length, 0);
  const expected = results.reduce((n, r) => n + r.case.expect.length, 0);
  const misses = results.reduce((n, r) => n + r.missed.length, 0);
  const precision = findings === 0 ? '-' : `${Math.round((100 * (findings - falseAlarms)) / findings)}%`;
  return [
    label,
    String(results.length),
    String(results.filter(passed).length),
    String(results.filter((r) => r.runFailure).length),
    String(expected),
    String(misses),
    String(findings),
    String(falseAlarms),
    precision,
  ];
}

/**
 * The score table: one row per class, per verdict, per source and per input, and the total.
 * precision = findings that match an expected or acceptable problem / all errors and warnings.
 */
export function table(results: readonly CaseResult[]): string {
  const header = ['', 'cases', 'pass', 'run failed', 'problems', 'misses', 'findings', 'false alarms', 'precision'];
  const groups: Row[][] = [];
  for (const key of ['class', 'verdict', 'source', 'input'] as const) {
    const labels = [...new Set(results.map((r) => r.case[key]))].sort();
    groups.push(labels.map((label) => ({ label: `${key}: ${label}`, results: results.filter((r) => r.case[key] === label) })));
  }
  groups.push([{ label: 'total', results }]);
  const rows = groups.map((group) => group.map(rowCells));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.flat().map((cells) => cells[i].length)));
  const format = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [format(header), ...rows.flatMap((group) => [rule, ...group.map(format)])].join('\n');
}

/** What went wrong in one case, one line per false alarm or miss. */
export function details(result: CaseResult): string[] {
  const lines: string[] = [];
  if (result.runFailure) lines.push(`  validate exited ${result.status}: ${result.stderr.trim().split('\n')[0] ?? ''}`);
  else if (result.exitMismatch) lines.push(`  exit status ${result.status}, expected ${result.case.expect.some((e) => e.severity === 'error') ? 1 : 0}`);
  for (const f of result.falseAlarms) lines.push(`  false alarm: ${f.line}`);
  for (const e of result.missed) lines.push(`  missed ${e.severity}: ${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name ?? ''} ${e.fields.join(' | ')}: ${e.why.replace(/\s+/g, ' ').slice(0, 160)}`);
  return lines;
}

/** Whether stdin.yaml is what `kubectl kustomize` builds from the case's kustomize folder (undefined: nothing to build). */
export function kustomizeSource(corpusCase: CorpusCase): string | undefined {
  if (corpusCase.kustomize === undefined) return undefined;
  const dir = join(corpusCase.dir, corpusCase.kustomize);
  return existsSync(dir) ? dir : undefined;
}
