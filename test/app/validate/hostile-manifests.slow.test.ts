import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_NODE_LIMIT } from '../../../app/output/read-tree';
import { runCli } from '../../helpers';
import { crdFolder, laughs, manyObjects } from './hostile-sizes';

// The integration tier's part of hostile-manifests.test.ts: the sweeps at full size, and the
// validate command (a process) on hostile folders.

manyObjects(60_000);

describe('the validate command on hostile input', () => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.CRD_DIR;
  const run = (args: string[]) => runCli(['validate', ...args], { timeout: 60_000, env });

  test('a FIFO or a link out of the folder: exit 2 naming the files, no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-hostile-'));
    writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n');
    symlinkSync('/etc/hostname', join(dir, 'b.yaml'));
    try {
      execFileSync('mkfifo', [join(dir, 'c.yaml')]);
    } catch {
      writeFileSync(join(dir, 'c.yaml'), ''); // no mkfifo here
    }
    const result = run([dir]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${dir}/b.yaml: is a symbolic link to /etc/hostname, outside ${dir}`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test('a bomb and a bad CRD folder: one line each, quickly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-hostile-'));
    writeFileSync(join(dir, 'bomb.yaml'), laughs(9));
    const bomb = run([dir]);
    expect(bomb.status).toBe(1);
    expect(bomb.stdout).toBe(`${dir}/bomb.yaml: the file expands to more than ${MANIFEST_NODE_LIMIT} values by document 1 (maps, lists and scalars, a long string one per 64 characters, each alias counted as a copy of its anchor); the limit is ${MANIFEST_NODE_LIMIT}: use fewer aliases\n`);
    const crds = crdFolder({ 'x.yaml': 'kind: CustomResourceDefinition\n' });
    const bad = run([dir, '--crds', crds]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`${crds}/x.yaml: document 1: a CustomResourceDefinition needs spec.group`);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
