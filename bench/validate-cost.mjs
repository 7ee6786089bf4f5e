#!/usr/bin/env node
// What validation adds to synth: this tree's app against a baseline commit from before synth
// validated its output, side by side, on the default config and on generated fleets.
// Usage: npm run bench:validate [-- --baseline REV] (default: the last commit without validation).
// Both apps are bundled the same way (esbuild, no V8 code cache) and run alternately, 7 times each.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const flag = process.argv.indexOf('--baseline');
const baseline = flag >= 0 ? process.argv[flag + 1] : '9cab8086031741740997ddcb50e778f81e8e9db0';
const work = mkdtempSync(join(tmpdir(), 'bench-validate-'));
const git = (...args) => execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const esbuild = join(root, 'node_modules', '.bin', 'esbuild');
const bundle = (tree, out) => execFileSync(esbuild, [join(tree, 'main.ts'), '--bundle', '--platform=node', '--target=node20', '--minify-whitespace', `--outfile=${out}`, '--log-level=error'], { cwd: tree });

try {
  git('worktree', 'add', '--detach', join(work, 'baseline'), baseline);
  symlinkSync(join(root, 'node_modules'), join(work, 'baseline', 'node_modules'));
  bundle(join(work, 'baseline'), join(work, 'without.cjs'));
  bundle(root, join(work, 'with.cjs'));
  const fleet = (size) => {
    const dir = join(work, `fleet-${size}`);
    mkdirSync(dir);
    for (let i = 0; i < size; i++) {
      writeFileSync(join(dir, `c${i}.yaml`), `name: c${i}\nminio:\n  rootCredentials: {existingSecret: {}}\nregistry:\n  replicas: 2\n  storage:\n    s3:\n      credentials: {existingSecret: {}}\n`);
    }
    return dir;
  };
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  // The baseline also lacks what was built since (the storage switch, NetworkPolicy, ...): the
  // ratio is this tree's synth against the baseline's, of which validation is the largest part.
  console.log('| input | baseline (no validation), median s | this tree, median s | ratio |');
  console.log('|---|---:|---:|---:|');
  // Generated configs only: the baseline reads none of the keys added since (openshiftVersion, pruner, ...).
  for (const [label, config] of [['1 cluster', fleet(1)], ['100 clusters', fleet(100)], ['1000 clusters', fleet(1000)]]) {
    const times = { without: [], with: [] };
    for (let r = 0; r < 7; r++) {
      for (const which of ['without', 'with']) {
        const start = process.hrtime.bigint();
        // The baseline app took its options directly; this one has commands.
        const command = which === 'with' ? ['synth'] : [];
        const result = spawnSync('node', [join(work, `${which}.cjs`), ...command, '--config', config, '--outdir', join(work, `out-${which}-${label.length}`)], { cwd: root, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
        if (result.status !== 0) throw new Error(result.stderr.toString());
        times[which].push(Number(process.hrtime.bigint() - start) / 1e9);
      }
    }
    console.log(`| ${label} | ${median(times.without).toFixed(3)} | ${median(times.with).toFixed(3)} | ${(median(times.with) / median(times.without)).toFixed(2)} |`);
  }
} finally {
  try { git('worktree', 'remove', '--force', join(work, 'baseline')); } catch { /* already gone */ }
  rmSync(work, { recursive: true, force: true });
}
