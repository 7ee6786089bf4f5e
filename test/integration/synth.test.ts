import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotDir, repoRoot } from '../helpers';
import { synth, SynthError } from '../../app/synth';

const root = repoRoot;

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
      'prod/kustomization.yaml', 'prod/registry/kustomization.yaml', 'prod/registry/registry-storage.yaml', 'prod/registry/registry.yaml',
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
    await expect(synth({ ...ws, configDir: join(ws.configDir, 'nope') })).rejects.toThrow('cannot read the config folder');
  });
});

describe('the synth command (scripts/synth.mjs)', () => {
  const run = (args: string[]) => spawnSync('node', [join(root, 'scripts', 'synth.mjs'), ...args], { encoding: 'utf8' });

  test('exits 0 and writes the output', () => {
    const ws = workspace({ 'prod.yaml': good });
    const result = run(['--config', ws.configDir, '--outdir', ws.outdir]);
    expect(result.status).toBe(0);
    expect(Object.keys(snapshotDir(ws.outdir)).sort()).toEqual(['prod/kustomization.yaml', 'prod/registry/kustomization.yaml', 'prod/registry/registry-storage.yaml', 'prod/registry/registry.yaml']);
  });

  test('a bad config: one clear message per problem, no stack trace, exit 1, output untouched', () => {
    const ws = workspace({ 'prod.yaml': good });
    expect(run(['--config', ws.configDir, '--outdir', ws.outdir]).status).toBe(0);
    const before = snapshotDir(ws.outdir);
    writeFileSync(join(ws.configDir, 'prod.yaml'), 'name: prod\nregistry:\n  storage: {pvc: {}}\n  rolloutStrategy: RollingUpdate\n');
    const result = run(['--config', ws.configDir, '--outdir', ws.outdir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `${join(ws.configDir, 'prod.yaml')}:4:20: registry.rolloutStrategy: ReadWriteOnce storage (claim "image-registry-pvc") needs rolloutStrategy Recreate, got RollingUpdate (a rolling update would start a second pod on the volume); remove rolloutStrategy or set it to Recreate\n` +
      `synth failed: ${ws.outdir}/ was left unchanged\n`);
    expect(snapshotDir(ws.outdir)).toEqual(before);
  });

  test('the committed dist/ is what the default config synthesizes', () => {
    const ws = workspace({});
    cpSync(join(root, 'config'), ws.configDir, { recursive: true });
    execFileSync('node', [join(root, 'scripts', 'synth.mjs'), '--config', ws.configDir, '--outdir', ws.outdir], { stdio: 'pipe' });
    expect(snapshotDir(ws.outdir)).toEqual(snapshotDir(join(root, 'dist')));
  });
});
