import { spawn, spawnSync, SpawnSyncOptions } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotDir, repoRoot } from '../helpers';
import { MARKER } from '../../app/output/write-output-dir';
import { synth, SynthError } from '../../app/synth';

const root = repoRoot;

// The synth command, in one place: its launcher is about to change.
const SYNTH = [join(root, 'bin', 'cli.mjs'), 'synth'];
const synthCommand = (args: string[], options: SpawnSyncOptions = {}) => spawnSync(process.execPath, [...SYNTH, ...args], { encoding: 'utf8', ...options }) as { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };
/** Starts the synth command; resolves with its exit code and stderr. */
const startSynth = (args: string[]) => new Promise<{ status: number | null; stderr: string }>((resolve) => {
  const child = spawn(process.execPath, [...SYNTH, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.on('close', (status) => resolve({ status, stderr }));
});

/** Every file below `dir`, dot files and synth's own files included. */
function everything(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
      else out[`${prefix}${e.name}`] = e.isSymbolicLink() ? 'link' : readFileSync(join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

function workspace(configs: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'synth-'));
  mkdirSync(join(dir, 'config'));
  for (const [name, text] of Object.entries(configs)) writeFileSync(join(dir, 'config', name), text);
  return { configDir: join(dir, 'config'), outdir: join(dir, 'dist') };
}

const good = 'name: prod\nregistry:\n  storage: {pvc: {}}\n';

describe('synth', () => {
  test('writes dist/<cluster>/<chart>.yaml for every config file', async () => {
    const ws = workspace({ 'prod.yaml': good, 'lab.yml': 'name: lab\nregistry:\n  storage: {emptyDir: {}}\n', 'notes.txt': 'ignored' });
    const expected = [
      'lab/kustomization.yaml', 'lab/registry/kustomization.yaml', 'lab/registry/registry.yaml',
      'lab/storage-switch/kustomization.yaml', 'lab/storage-switch/storage-switch.yaml',
      'prod/kustomization.yaml', 'prod/registry/kustomization.yaml', 'prod/registry/registry-storage.yaml', 'prod/registry/registry.yaml',
      'prod/storage-switch/kustomization.yaml', 'prod/storage-switch/storage-switch.yaml',
    ];
    expect([...(await synth(ws)).keys()]).toEqual(expected);
    expect(Object.keys(snapshotDir(ws.outdir)).sort()).toEqual(expected);
  });

  test('a bad config leaves dist/ byte-identical and reports every broken file', async () => {
    const ws = workspace({ 'prod.yaml': good });
    await synth(ws);
    const before = snapshotDir(ws.outdir);
    writeFileSync(join(ws.configDir, 'a.yaml'), 'name: a\nregistry:\n  storage: {pvc: {}}\n  replicas: 3\n');
    writeFileSync(join(ws.configDir, 'b.yaml'), 'name: b\nregistry: [\n');
    writeFileSync(join(ws.configDir, 'prod.yaml'), good.replace('pvc: {}', 'pvc: {size: 10GB}'));
    let error: SynthError | undefined;
    try {
      await synth(ws);
    } catch (e) {
      error = e as SynthError;
    }
    expect(error).toBeInstanceOf(SynthError);
    expect(error!.errors.map((e) => e.file)).toEqual(['a.yaml', 'b.yaml', 'prod.yaml'].map((f) => join(ws.configDir, f)));
    expect(snapshotDir(ws.outdir)).toEqual(before);
  });

  test('two files may not define the same cluster', async () => {
    const ws = workspace({ 'a.yaml': good, 'b.yaml': good });
    await expect(synth(ws)).rejects.toThrow(`${join(ws.configDir, 'b.yaml')}:1:7: name: cluster "prod" is already defined in ${join(ws.configDir, 'a.yaml')}`);
  });

  test('an empty or missing config folder is an error', async () => {
    const ws = workspace({});
    await expect(synth(ws)).rejects.toThrow('no cluster config (*.yaml) in this folder');
    await expect(synth({ ...ws, configDir: join(ws.configDir, 'nope') })).rejects.toThrow('the config folder does not exist (give it with --config DIR)');
  });
});

describe('the synth command', () => {
  const run = (args: string[]) => synthCommand(args);

  test('exits 0 and writes the output', () => {
    const ws = workspace({ 'prod.yaml': good });
    const result = run(['--config', ws.configDir, '--outdir', ws.outdir]);
    expect(result.status).toBe(0);
    expect(Object.keys(snapshotDir(ws.outdir)).sort()).toEqual([
      'prod/kustomization.yaml', 'prod/registry/kustomization.yaml', 'prod/registry/registry-storage.yaml', 'prod/registry/registry.yaml',
      'prod/storage-switch/kustomization.yaml', 'prod/storage-switch/storage-switch.yaml',
    ]);
  });

  test("the bundle it runs has its dependencies' rewrites: cdk8s-plus-28's toJson maps linear and struct filters direct (scripts/linear-maps.mjs), cdk8s's resolve looking the App up once per object, with a fast path for its own resolvers (scripts/cdk8s-resolve.mjs)", () => {
    const located = spawnSync(process.execPath, ['--input-type=module', '-e', "import { bundleIfStale } from './scripts/bundle.mjs'; console.log(await bundleIfStale('main.ts'));"],
      { cwd: repoRoot, encoding: 'utf8' });
    expect(located.status).toBe(0);
    // The packages' part of it (bundle.mjs keeps them beside the sources' part) holds cdk8s-plus-28.
    const bundled = readFileSync(located.stdout.trim().replace(/\.cjs$/, '.vendor.cjs'), 'utf8');
    expect(bundled).toContain('toJson_KubeSecretProps');
    expect(bundled).not.toMatch(/\.\.\.r,\[i\[0\]\]/);
    expect(bundled).toContain('return definedFields(result)');
    expect(bundled).not.toContain('Object.entries(result)');
    expect(bundled).toContain('resolversByObject');
    expect(bundled).toContain('resolveBuiltIn');
    expect(bundled).not.toContain('const resolvers=app_1.App.of(apiObject).resolvers');
  });

  test('a stale CDK8S_OUTDIR naming a folder of other files: exit 1, the output folder as it was, the variable named', () => {
    const ws = workspace({ 'prod.yaml': good });
    expect(synthCommand(['--config', ws.configDir, '--outdir', ws.outdir]).status).toBe(0);
    const before = everything(ws.outdir);
    writeFileSync(join(ws.configDir, 'prod.yaml'), good.replace('{pvc: {}}', '{pvc: {size: 50Gi}}'));
    const scratch = mkdtempSync(join(tmpdir(), 'scratch-'));
    writeFileSync(join(scratch, 'notes.md'), 'notes\n');
    const result = synthCommand(['--config', ws.configDir, '--outdir', ws.outdir], { env: { ...process.env, CDK8S_OUTDIR: scratch } });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`(CDK8S_OUTDIR names ${scratch}, the scratch folder cdk8s synth writes too; unset it outside cdk8s synth)`);
    expect(everything(ws.outdir)).toEqual(before);
    expect(everything(scratch)).toEqual({ 'notes.md': 'notes\n' });
  });

  test('a bad config: one clear message per problem, no stack trace, exit 1, output untouched', () => {
    const ws = workspace({ 'prod.yaml': good });
    expect(run(['--config', ws.configDir, '--outdir', ws.outdir]).status).toBe(0);
    const before = snapshotDir(ws.outdir);
    writeFileSync(join(ws.configDir, 'prod.yaml'), 'name: prod\nregistry:\n  storage: {pvc: {}}\n  rolloutStrategy: RollingUpdate\n');
    const result = run(['--config', ws.configDir, '--outdir', ws.outdir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `${join(ws.configDir, 'prod.yaml')}:4:20: registry.rolloutStrategy: must be Recreate with the ReadWriteOnce claim image-registry-pvc (a rolling update would start a second pod on the volume; no strategy means RollingUpdate), got "RollingUpdate"\n` +
      `synth failed: ${ws.outdir}/ was left unchanged\n`);
    expect(snapshotDir(ws.outdir)).toEqual(before);
  });

  test('the committed dist/ is what the default config synthesizes', () => {
    const ws = workspace({});
    cpSync(join(root, 'config'), ws.configDir, { recursive: true });
    expect(run(['--config', ws.configDir, '--outdir', ws.outdir]).status).toBe(0);
    expect(snapshotDir(ws.outdir)).toEqual(snapshotDir(join(root, 'dist')));
    expect(readFileSync(join(ws.outdir, MARKER), 'utf8')).toBe(readFileSync(join(root, 'dist', MARKER), 'utf8'));
  });
});

describe('the synth command only removes what it wrote', () => {
  /** A project: config/, a README and notes, run from its folder. */
  function project() {
    const dir = mkdtempSync(join(tmpdir(), 'project-'));
    mkdirSync(join(dir, 'config'));
    writeFileSync(join(dir, 'config', 'prod.yaml'), good);
    writeFileSync(join(dir, 'README.md'), '# my project\n');
    return dir;
  }

  test.each([['.'], ['config'], ['config/']])('--outdir %s (the project or the config folder): refused, exit 1, nothing changed', (outdir) => {
    const dir = project();
    const before = everything(dir);
    const result = synthCommand(['--outdir', outdir], { cwd: dir });
    expect(result.stderr).toBe(`refusing to write into ${outdir.replace(/\/$/, '')}: it holds config, which synth reads; give the output a folder of its own with --outdir (e.g. dist)\n`);
    expect(result.status).toBe(1);
    expect(everything(dir)).toEqual(before);
  });

  test('an output folder that holds files synth did not write: refused, exit 1, nothing changed', () => {
    const dir = project();
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs', 'notes.md'), 'notes\n');
    const before = everything(dir);
    const result = synthCommand(['--outdir', 'docs'], { cwd: dir });
    expect(result.stderr).toBe('refusing to write into docs: it is not empty and synth did not write it (it holds notes.md); give the output an empty or new folder with --outdir, or move those entries away; docs/ was left unchanged\n');
    expect(result.status).toBe(1);
    expect(everything(dir)).toEqual(before);
  });

  test('dist/ as a symbolic link: refused, exit 1, what it points to unchanged', () => {
    const dir = project();
    mkdirSync(join(dir, 'elsewhere'));
    writeFileSync(join(dir, 'elsewhere', 'important.txt'), 'x');
    symlinkSync('elsewhere', join(dir, 'dist'));
    const before = everything(dir);
    const result = synthCommand([], { cwd: dir });
    expect(result.stderr).toBe('refusing to write into dist: it is a symbolic link (to elsewhere); synth replaces and removes entries of its output folder, so give it a real folder with --outdir, or replace the link with a folder\n');
    expect(result.status).toBe(1);
    expect(everything(dir)).toEqual(before);
  });

  test('in its own folder, a file synth did not write is kept and reported; a cluster whose config is gone is removed', () => {
    const dir = project();
    writeFileSync(join(dir, 'config', 'lab.yaml'), 'name: lab\nregistry:\n  storage: {emptyDir: {}}\n');
    expect(synthCommand([], { cwd: dir }).status).toBe(0);
    writeFileSync(join(dir, 'dist', 'README.md'), 'what dist/ is\n');
    spawnSync('rm', [join(dir, 'config', 'lab.yaml')]);
    const result = synthCommand([], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('warning: dist/README.md was not written by synth: left as it is\nsynthesized 6 files into dist/\n');
    expect(readdirSync(join(dir, 'dist')).sort()).toEqual([MARKER, 'README.md', 'prod']);
  });
});

describe('two synth commands at once', () => {
  test('on one folder they take turns: all succeed, every cluster is there, nothing is left behind', async () => {
    // Enough clusters that the runs overlap (without the lock, 60 made them fail every time).
    const names = Array.from({ length: 60 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    const ws = workspace(Object.fromEntries(names.map((n) => [`${n}.yaml`, good.replace('prod', n)])));
    const runs = await Promise.all(Array.from({ length: 4 }, () => startSynth(['--config', ws.configDir, '--outdir', ws.outdir])));
    for (const run of runs) expect(run).toEqual({ status: 0, stderr: `synthesized 360 files into ${ws.outdir}/\n` });
    expect(readdirSync(ws.outdir).sort()).toEqual([MARKER, ...names]);
    expect(Object.keys(snapshotDir(ws.outdir))).toHaveLength(360);
  }, 60_000);
});

describe('a file system error while writing', () => {
  test('is one line naming the file and the reason, exit 1, output unchanged', () => {
    const ws = workspace({ 'prod.yaml': good });
    expect(synthCommand(['--config', ws.configDir, '--outdir', ws.outdir]).status).toBe(0);
    const before = everything(ws.outdir);
    writeFileSync(join(ws.configDir, 'prod.yaml'), good.replace('pvc: {}', 'pvc: {size: 1Ti}'));
    // The disk fills up: every file written into the staging folder fails.
    const full = join(ws.configDir, '..', 'full-disk.js');
    writeFileSync(full, `const fs = require('fs'); const write = fs.writeFileSync;
fs.writeFileSync = (path, ...rest) => {
  if (String(path).includes('/new/')) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
  return write(path, ...rest);
};\n`);
    const result = synthCommand(['--config', ws.configDir, '--outdir', ws.outdir], { env: { ...process.env, NODE_OPTIONS: `--require ${full}` } });
    expect(result.stderr).toBe(`cannot write ${ws.outdir}/prod/storage-switch/storage-switch.yaml: no space left on device (ENOSPC); ${ws.outdir}/ was left unchanged\n`);
    expect(result.status).toBe(1);
    expect(everything(ws.outdir)).toEqual(before);
    expect(existsSync(join(ws.outdir, 'prod', 'registry', 'registry-storage.yaml'))).toBe(true);
  });

  test('an output folder that cannot be made is one line, at once: under /proc, Node\'s recursive mkdir retried for ever', () => {
    const ws = workspace({ 'prod.yaml': good });
    for (const outdir of ['/proc/no-such-output', '/proc/no-such-output/cluster/dist']) {
      const result = synthCommand(['--config', ws.configDir, '--outdir', outdir], { timeout: 20_000 });
      expect([result.signal, result.status]).toEqual([null, 1]);
      expect(result.stderr).toBe(`cannot write ${outdir}: no such file or directory (ENOENT); ${outdir}/ was left unchanged\n`);
    }
  });

  test('an output folder below a link to a folder is made (a parent may be a link, as /var/run is); below a link to nothing, it is missing', () => {
    const ws = workspace({ 'prod.yaml': good });
    const link = join(ws.configDir, '..', 'link');
    symlinkSync(mkdtempSync(join(tmpdir(), 'link-target-')), link);
    const result = synthCommand(['--config', ws.configDir, '--outdir', join(link, 'a', 'b')]);
    expect(result.stderr).toBe(`synthesized ${readdirSync(join(link, 'a', 'b', 'prod'), { recursive: true }).filter((f) => String(f).endsWith('.yaml')).length} files into ${join(link, 'a', 'b')}/\n`);
    expect(existsSync(join(link, 'a', 'b', 'prod', 'kustomization.yaml'))).toBe(true);
    // A link to nothing on the way: what is missing is named, as Node's own mkdir names it.
    const dangling = join(ws.configDir, '..', 'dangling');
    symlinkSync(join(ws.configDir, '..', 'nowhere'), dangling);
    const refused = synthCommand(['--config', ws.configDir, '--outdir', join(dangling, 'a', 'b')]);
    expect([refused.status, refused.stderr]).toEqual([1, `cannot write ${join(dangling, 'a', 'b')}: no such file or directory (ENOENT); ${join(dangling, 'a', 'b')}/ was left unchanged\n`]);
  });
});
