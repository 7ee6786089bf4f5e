import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, snapshotDir } from '../helpers';

// scripts/import-crds.mjs (npm run import): a run refused for a bad CRD folder changes nothing,
// and leaves no folder behind. (The folder is refused before cdk8s import runs: imports/ is safe.)
describe('npm run import, refused', () => {
  const crds = (JSON.parse(readFileSync(join(repoRoot, 'crd-sources.json'), 'utf8')) as { crds: { file: string; import?: boolean }[] }).crds;
  const run = (crdDir: string, tmp: string) => spawnSync(process.execPath, [join(repoRoot, 'scripts', 'import-crds.mjs'), '--crds', crdDir],
    { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp } });

  test.each(['missing', 'altered'])('a CRD file %s: one line naming it, exit 1, imports/ as it was, no temporary folder left', (how) => {
    const crdDir = mkdtempSync(join(tmpdir(), 'crds- #\'"'));
    const tmp = mkdtempSync(join(tmpdir(), 'import-tmp-'));
    const cacheBefore = readdirSync(join(repoRoot, 'node_modules', '.cache')).sort();
    const importsBefore = snapshotDir(join(repoRoot, 'imports'));
    const imported = crds.filter((c) => c.import);
    // Only the first file, and it altered, or none: either way the first one is refused.
    if (how === 'altered') copyFileSync(join(repoRoot, 'crd-sources.json'), join(crdDir, imported[0].file));
    const result = run(crdDir, tmp);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(join(crdDir, imported[0].file));
    expect(snapshotDir(join(repoRoot, 'imports'))).toEqual(importsBefore);
    expect(readdirSync(tmp)).toEqual([]);
    expect(readdirSync(join(repoRoot, 'node_modules', '.cache')).sort()).toEqual(cacheBefore);
    rmSync(crdDir, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  });
});
