#!/usr/bin/env node
// Fleet synth: 100 and 1000 clusters (registry on S3 plus a MinIO each), median wall time and
// peak memory of several runs, side by side with a naive single-App cdk8s fleet
// (bench/naive-fleet.ts), then `kubectl kustomize` once per cluster folder of the 1000-cluster
// output (what Argo CD's repo server does per Application).
// Usage: npm run bench:fleet [-- --rounds N] [--skip-naive] [--skip-kustomize]. Needs /usr/bin/time
// (Debian package `time`) for memory.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const flag = process.argv.indexOf('--rounds');
const rounds = flag >= 0 ? Number(process.argv[flag + 1]) : 5;
const work = mkdtempSync(join(tmpdir(), 'bench-fleet-'));
// Removed however the bench ends (a failing command throws).
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const hasTime = existsSync('/usr/bin/time');

function fleet(size) {
  const dir = join(work, `config-${size}`);
  mkdirSync(dir);
  for (let i = 0; i < size; i++) {
    const name = `cluster-${String(i).padStart(4, '0')}`;
    writeFileSync(join(dir, `${name}.yaml`), `name: ${name}
minio:
  size: ${10 + (i % 50)}Gi
  rootCredentials:
    externalSecret:
      store: {name: vault}
      data:
        MINIO_ROOT_USER: {key: ${name}/minio, property: user}
        MINIO_ROOT_PASSWORD: {key: ${name}/minio, property: password}
registry:
  replicas: 2
  defaultRoute: true
  storage:
    s3:
      credentials:
        externalSecret:
          store: {name: vault}
          data:
            REGISTRY_STORAGE_S3_ACCESSKEY: {key: ${name}/registry, property: accessKey}
            REGISTRY_STORAGE_S3_SECRETKEY: {key: ${name}/registry, property: secretKey}
`);
  }
  return dir;
}

/** Wall seconds and peak RSS (MiB) of one run of `args`. */
function measure(args) {
  const cmd = hasTime ? '/usr/bin/time' : args[0];
  const full = hasTime ? ['-f', '%e %M', ...args] : args.slice(1);
  const start = process.hrtime.bigint();
  const result = spawnSync(cmd, full, { cwd: root, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed:\n${result.stderr}`);
  const rss = hasTime ? Number(result.stderr.trim().split('\n').pop().split(' ')[1]) / 1024 : NaN;
  return { wall, rss };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const naiveEntry = `import { runTs } from ${JSON.stringify(pathToFileURL(join(root, 'scripts', 'bundle.mjs')).href)}; await runTs('bench/naive-fleet.ts');`;
const commands = {
  'this project (node bin/cli.mjs synth)': (config, out) => ['node', 'bin/cli.mjs', 'synth', '--config', config, '--outdir', out],
  'naive single-App cdk8s': (config, out) => ['node', '--input-type=module', '-e', naiveEntry, 'x', config, out],
};
if (process.argv.includes('--skip-naive')) delete commands['naive single-App cdk8s'];

// Warm both bundles so no run pays for esbuild.
const warm = fleet(1);
for (const make of Object.values(commands)) measure(make(warm, join(work, `warm-${Math.random()}`)));

// Outputs are only deleted at the end: on this machine kind, deleting thousands of files slows
// the disk for the writes that follow (ext4 with discard), which would hit the next run.
const results = [];
let lastOutput;
for (const size of [100, 1000]) {
  const config = fleet(size);
  for (const [name, make] of Object.entries(commands)) {
    const runs = [];
    const outputs = Array.from({ length: rounds }, (_, r) => join(work, `out-${size}-${r}-${name.length}`));
    for (const out of outputs) runs.push(measure(make(config, out)));
    if (name.startsWith('this') && size === 1000) lastOutput = outputs[0];
    // The same output folder again: nothing changed, nothing is rewritten.
    const unchanged = name.startsWith('this') ? median(outputs.map((out) => measure(make(config, out)).wall)) : undefined;
    results.push({ size, name, wall: median(runs.map((r) => r.wall)), min: Math.min(...runs.map((r) => r.wall)), rss: Math.max(...runs.map((r) => r.rss)), unchanged });
    process.stderr.write(`${size} clusters, ${name}: done\n`);
  }
}

const kustomize = [];
if (!process.argv.includes('--skip-kustomize') && spawnSync('kubectl', ['version', '--client']).status === 0) {
  // Only the cluster folders: the output also holds the synth's own record file.
  const clusters = readdirSync(lastOutput, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  for (const cluster of clusters) {
    const start = process.hrtime.bigint();
    const r = spawnSync('kubectl', ['kustomize', join(lastOutput, cluster)]);
    if (r.status !== 0) throw new Error(`kubectl kustomize ${cluster} failed: ${r.stderr}`);
    kustomize.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
}

console.log(`Fleet synth, ${rounds} runs each, node ${process.version}, ${new Date().toISOString().slice(0, 10)}; fresh output folder per run\n`);
console.log('("output unchanged": the same synth again into a folder that already holds its output: every cluster is synthesized and validated, no file is written.)\n');
console.log('| clusters | command | median s | min s | peak RSS MiB | median s, output unchanged |');
console.log('|---:|---|---:|---:|---:|---:|');
for (const r of results) console.log(`| ${r.size} | ${r.name} | ${r.wall.toFixed(3)} | ${r.min.toFixed(3)} | ${Number.isNaN(r.rss) ? 'n/a' : r.rss.toFixed(0)} | ${r.unchanged === undefined ? '' : r.unchanged.toFixed(3)} |`);
for (const name of Object.keys(commands)) {
  const [small, large] = [100, 1000].map((size) => results.find((r) => r.size === size && r.name === name).wall);
  console.log(`\n${name}: time(1000) / time(100) = ${(large / small).toFixed(2)}`);
}
const ours = results.find((r) => r.size === 1000 && r.name.startsWith('this')).wall;
const naive = results.find((r) => r.size === 1000 && r.name.startsWith('naive'))?.wall;
if (naive) console.log(`1000 clusters: ${(naive / ours).toFixed(1)}x faster than the naive single-App fleet`);
if (kustomize.length) {
  console.log(`\nkubectl kustomize, once per cluster folder of the 1000-cluster output: ${kustomize.length} folders, median ${(median(kustomize) * 1000).toFixed(0)} ms, total ${kustomize.reduce((a, b) => a + b, 0).toFixed(1)} s`);
}
