#!/usr/bin/env node
// Wall time of the synth commands on the default config, side by side in one run, with the
// stock cdk8s flow (`npx ts-node main.ts`, what `cdk8s init` sets as `app:`) as the baseline.
// Each round runs every command once, in turn, so machine noise hits them alike; we report the
// median (and min/max) of the rounds and the ratio to the baseline's median.
// Usage: npm run bench [-- --rounds N] [--stock-rev REV]   Output goes to temporary folders, never
// to dist/. The stock flow runs on this repository at REV, in a temporary git worktree (default:
// the last commit before the app depended on kubernetes-models, which ships ES modules only: ts-node
// in the CommonJS mode that `cdk8s init` sets up cannot load it, and the type-check-only tsconfig
// this project moved to for it is not one ts-node runs).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const flag = process.argv.indexOf('--rounds');
const rounds = flag >= 0 ? Number(process.argv[flag + 1]) : 7;
const revFlag = process.argv.indexOf('--stock-rev');
const stockRev = revFlag >= 0 ? process.argv[revFlag + 1] : '0f4a8713efc9483b7006774ac1f15aaad5eaf378';
const stockTree = join(mkdtempSync(join(tmpdir(), 'bench-stock-')), 'tree');
execFileSync('git', ['worktree', 'add', '--detach', stockTree, stockRev], { cwd: root, stdio: 'ignore' });
symlinkSync(join(root, 'node_modules'), join(stockTree, 'node_modules'));
process.on('exit', () => spawnSync('git', ['worktree', 'remove', '--force', stockTree], { cwd: root }));
const out = () => mkdtempSync(join(tmpdir(), 'bench-synth-'));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const cache = join(root, 'node_modules', '.cache', 'image-registry-synth');

const commands = [
  { name: 'stock: npx ts-node main.ts', cwd: stockTree, run: (o) => ['npx', ['ts-node', 'main.ts', '--outdir', o]], baseline: true },
  { name: 'node bin/cli.mjs synth (bundle cached)', run: (o) => ['node', ['bin/cli.mjs', 'synth', '--outdir', o]] },
  // After an edit to a source: only the sources' part of the bundle is built again, and its code
  // caches no longer match it (touching a file gives the same bytes: they would still).
  { name: 'node bin/cli.mjs synth (after an edit)', before: () => {
    utimesSync(join(root, 'app', 'synth.ts'), new Date(), new Date());
    for (const file of readdirSync(cache)) if (file.startsWith('main.cjs.') && file.endsWith('.v8cache')) rmSync(join(cache, file));
  }, run: (o) => ['node', ['bin/cli.mjs', 'synth', '--outdir', o]] },
  // No bundle at all (npm ci builds it in `prepare`; this is a run without that): both parts built.
  // (Only main.ts's bundle and stamps: the cache also holds jest's and the scripts'.)
  { name: 'node bin/cli.mjs synth (no bundle)', before: () => { for (const file of readdirSync(cache)) if (file.startsWith('main.')) rmSync(join(cache, file)); }, run: (o) => ['node', ['bin/cli.mjs', 'synth', '--outdir', o]] },
  { name: 'npm run synth (adds npm start-up)', run: (o) => ['npm', ['run', '--silent', 'synth', '--', '--outdir', o]] },
  // --app keeps dist/ out of it: the app writes its --outdir, cdk8s-cli its --output.
  { name: 'cdk8s synth', run: (o) => [bin('cdk8s'), ['synth', '--app', `node bin/cli.mjs synth --outdir ${o}`, '--output', `${o}.cdk8s`]] },
];

const env = { ...process.env, CDK8S_CHECK_UPGRADE: 'false' };
const times = new Map(commands.map((c) => [c.name, []]));
spawnSync('node', ['bin/cli.mjs', 'synth', '--outdir', out()], { cwd: root, env }); // warm the bundle cache
for (let round = 0; round < rounds; round++) {
  for (const command of commands) {
    command.before?.();
    const dir = out();
    const [cmd, args] = command.run(dir);
    const start = process.hrtime.bigint();
    const result = spawnSync(cmd, args, { cwd: command.cwd ?? root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.status !== 0) throw new Error(`${command.name} failed: ${result.stderr}`);
    times.get(command.name).push(seconds);
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}.cdk8s`, { recursive: true, force: true });
  }
  process.stderr.write(`round ${round + 1}/${rounds}\n`);
}
// Leave a fresh bundle for the next user.
spawnSync('node', ['bin/cli.mjs', 'synth', '--outdir', out()], { cwd: root, env });

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const base = median(times.get(commands.find((c) => c.baseline).name));
console.log(`Synth of the default config, ${rounds} rounds, node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
console.log('| command | median s | min s | max s | vs stock |');
console.log('|---|---:|---:|---:|---:|');
for (const command of commands) {
  const xs = times.get(command.name);
  const m = median(xs);
  const ratio = command.baseline ? '1.000' : `${(m / base).toFixed(3)} (${m <= base ? `${(base / m).toFixed(1)}x faster` : `${(m / base).toFixed(1)}x slower`})`;
  console.log(`| ${command.name} | ${m.toFixed(3)} | ${Math.min(...xs).toFixed(3)} | ${Math.max(...xs).toFixed(3)} | ${ratio} |`);
}
