import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../helpers';

export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `cli discover ARGS` (no `oc` on the PATH, no $REGISTRY_TOKEN unless given); resolves with
 * exit code and output. Killed after `killAfterMs` (status -1): a hang must not outlive the test.
 */
export function cli(args: string[], env: Record<string, string> = {}, killAfterMs = 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'cli.mjs'), 'discover', ...args], { env: { ...process.env, PATH: '/usr/bin:/bin', REGISTRY_TOKEN: '', ...env } });
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr });
    });
  });
}
