// The tool when its output closes early (`discover ... | head -1`): every command stops quietly
// with the exit status of a program killed by SIGPIPE, 141, as coreutils and git do.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLOSED_OUTPUT_EXIT } from '../../app/cli/cli';
import { repoRoot } from '../helpers';
import { closeAll, json, registry, serve } from './discover/hostile-server';

jest.setTimeout(60_000);
afterAll(closeAll);

const CLI = join(repoRoot, 'bin', 'cli.mjs');

/**
 * Runs the tool with `stream` (standard output or error) a pipe whose reader has already gone:
 * the parent closes its end before the child starts, so the child's first write to it fails with
 * EPIPE, as when `head` has exited. Resolves with the exit status and what reached the other stream.
 */
function withClosed(stream: 'stdout' | 'stderr', args: string[]): Promise<{ status: number | null; signal: string | null; other: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PATH: '/usr/bin:/bin', REGISTRY_TOKEN: '' } });
    child[stream].destroy();
    let other = '';
    child[stream === 'stdout' ? 'stderr' : 'stdout'].on('data', (d) => { other += d; });
    child.on('close', (status, signal) => resolve({ status, signal, other }));
  });
}

/** A folder of manifests with a finding validate prints on standard output (a plain Secret). */
function manifestsWithFinding(): string {
  const dir = mkdtempSync(join(tmpdir(), 'closed-validate-'));
  writeFileSync(join(dir, 'secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: ns}\nstringData: {key: value}\n');
  return dir;
}

/** A config folder whose synth differs from the repository's dist/. */
function driftingConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'closed-diff-'));
  cpSync(join(repoRoot, 'config'), dir, { recursive: true });
  writeFileSync(join(dir, 'default.yaml'), 'name: default\nregistry:\n  storage:\n    pvc: {size: 200Gi}\n');
  return dir;
}

/** A registry with `repositories` repositories of `tags` tags each. */
async function registryOf(repositories: number, tags: number) {
  return serve(registry((_, res, url) => {
    if (url.pathname === '/v2/_catalog') json(res, 200, { repositories: Array.from({ length: repositories }, (_r, i) => `team/app-${String(i).padStart(4, '0')}`) });
    else if (url.pathname.endsWith('/tags/list')) json(res, 200, { tags: Array.from({ length: tags }, (_t, i) => `v1.${i}`) });
  }));
}

describe('standard output closed early: a quiet stop, exit 141, for every command', () => {
  test('the exit status is the shell\'s for a program killed by SIGPIPE (128 + 13), as `seq | head -1` gives', () => {
    expect(CLOSED_OUTPUT_EXIT).toBe(128 + 13);
    const seq = spawnSync('bash', ['-c', 'seq 1 1000000 | head -1 >/dev/null; echo "${PIPESTATUS[0]}"'], { encoding: 'utf8' });
    expect(seq.stdout.trim()).toBe(String(CLOSED_OUTPUT_EXIT));
  });

  test.each([
    ['--help', () => ['--help']],
    ['--version', () => ['--version']],
    ['validate (a report with findings)', () => ['validate', manifestsWithFinding()]],
    ['diff (drift)', () => ['diff', '--config', driftingConfig(), '--dist', join(repoRoot, 'dist')]],
    ['synth --help', () => ['synth', '--help']],
  ])('%s', async (_name, args) => {
    const result = await withClosed('stdout', args());
    expect({ status: result.status, signal: result.signal }).toEqual({ status: CLOSED_OUTPUT_EXIT, signal: null });
    // What the command says on standard error (validate's count) may come; no error about the pipe.
    expect(result.other).not.toMatch(/EPIPE|internal error|\n\s+at /);
  });

  test('discover', async () => {
    const server = await registryOf(3, 2);
    const result = await withClosed('stdout', ['discover', '--registry', server.url]);
    expect(result.status).toBe(CLOSED_OUTPUT_EXIT);
    expect(result.other).not.toMatch(/EPIPE|internal error|\n\s+at /);
  });

  test('discover | head -1 in a shell: the first line, then a quiet stop (141 under pipefail), no stack trace', async () => {
    // More than a pipe holds (64 KiB): the tool is still writing when head has gone.
    const server = await registryOf(40, 25);
    const script = `set -o pipefail; "${process.execPath}" "${CLI}" discover --registry ${server.url} | head -1; echo "status \${PIPESTATUS[0]}"`;
    const result = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
      const child = spawn('bash', ['-c', script], { env: { ...process.env, PATH: '/usr/bin:/bin', REGISTRY_TOKEN: '' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('close', () => resolve({ stdout, stderr }));
    });
    expect(result.stdout.split('\n')[0]).toMatch(/^REPOSITORY\s+TAG\s+DIGEST$/);
    expect(result.stdout).toContain(`status ${CLOSED_OUTPUT_EXIT}\n`);
    expect(result.stderr).not.toMatch(/EPIPE|internal error|\n\s+at /);
  });

  test('synth writes nothing to standard output: it finishes its work, exit 0', async () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'closed-synth-')), 'dist');
    const result = await withClosed('stdout', ['synth', '--outdir', outdir]);
    expect(result.status).toBe(0);
    expect(existsSync(join(outdir, 'default', 'kustomization.yaml'))).toBe(true);
  });
});

describe('standard error closed early: messages are dropped, the command finishes with its own status', () => {
  test('no command: the help on standard error is lost, exit 2 as always, not a crash', async () => {
    expect(await withClosed('stderr', [])).toEqual({ status: 2, signal: null, other: '' });
  });

  test('synth still writes dist/, exit 0', async () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'closed-synth-')), 'dist');
    mkdirSync(outdir, { recursive: true });
    const result = await withClosed('stderr', ['synth', '--outdir', outdir]);
    expect(result.status).toBe(0);
    expect(existsSync(join(outdir, 'minio-s3', 'kustomization.yaml'))).toBe(true);
  });
});
