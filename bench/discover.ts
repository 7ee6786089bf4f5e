// Discover: 1000 tags across 100 repositories of a local docker-registry, this project's discover
// at its default concurrency (8) against the seed's sequential curl loop (catalog, then tags of
// each repository, then the manifest of each tag), side by side, median of several runs.
// Usage: npm run bench:discover [-- --rounds N], from the project folder. Needs docker-registry,
// skopeo, openssl, curl.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOciLayout, missingTools, push, startRegistry } from '../test/integration/discover/registry-fixture';

async function main(): Promise<void> {
  const missing = missingTools();
  if (missing.length) throw new Error(`missing: ${missing.join(', ')} (apt-get install docker-registry skopeo openssl apache2-utils curl)`);
  const flag = process.argv.indexOf('--rounds');
  const rounds = flag >= 0 ? Number(process.argv[flag + 1]) : 5;
  const work = mkdtempSync(join(tmpdir(), 'bench-discover-'));
  const images = buildOciLayout(join(work, 'oci'));
  const registry = await startRegistry();
  try {
    const targets = Array.from({ length: 100 }, (_, r) => Array.from({ length: 10 }, (__, t) => `bench/repo-${String(r).padStart(3, '0')}:tag-${t}`)).flat();
    await push(registry, images, 'single', targets);
    const seed = join(work, 'seed-loop.sh');
    // The seed's curl calls, in a loop over everything (jq-free: sed pulls the names out).
    writeFileSync(seed, [
      'set -eu',
      `R=${registry.url}`,
      'for repo in $(curl -s "$R/v2/_catalog?n=1000" | sed -e \'s/.*\\[//\' -e \'s/\\].*//\' -e \'s/"//g\' -e \'s/,/ /g\'); do',
      '  for tag in $(curl -s "$R/v2/$repo/tags/list" | sed -e \'s/.*\\[//\' -e \'s/\\].*//\' -e \'s/"//g\' -e \'s/,/ /g\'); do',
      '    curl -s -o /dev/null -D - -H "Accept: application/vnd.oci.image.manifest.v1+json" "$R/v2/$repo/manifests/$tag" | grep -i docker-content-digest',
      '  done',
      'done',
    ].join('\n') + '\n');
    const commands: [string, string[]][] = [
      ['seed: sequential curl loop', ['bash', seed]],
      ['discover (concurrency 8)', ['node', join(process.cwd(), 'bin', 'cli.mjs'), 'discover', '--registry', registry.url, '--format', 'json']],
    ];
    const times = new Map(commands.map(([name]) => [name, [] as number[]]));
    const lines = new Map<string, number>();
    for (let r = 0; r < rounds; r++) {
      for (const [name, [cmd, ...args]] of commands) {
        const start = process.hrtime.bigint();
        const result = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
        times.get(name)!.push(Number(process.hrtime.bigint() - start) / 1e9);
        if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
        lines.set(name, name.startsWith('seed') ? result.stdout.trim().split('\n').length : (JSON.parse(result.stdout) as { tags: unknown[] }[]).reduce((n, l) => n + l.tags.length, 0));
      }
    }
    const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
    const base = median(times.get(commands[0][0])!);
    console.log(`Discover 1000 tags in 100 repositories (docker-registry 2.8 on 127.0.0.1), ${rounds} runs each, node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
    console.log('| command | digests found | median s | min s | vs seed |');
    console.log('|---|---:|---:|---:|---:|');
    for (const [name] of commands) {
      const xs = times.get(name)!;
      console.log(`| ${name} | ${lines.get(name)} | ${median(xs).toFixed(3)} | ${Math.min(...xs).toFixed(3)} | ${(base / median(xs)).toFixed(1)}x faster |`);
    }
  } finally {
    registry.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

void main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
