import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SynthError } from '../../../app/config/config-error';
import { MANIFEST_FILE_LIMIT, readTree } from '../../../app/output/read-tree';

// readTree reads dist/ for diff and any folder for validate: files that are not files are
// refused by name, before anything is read (class 10).

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'read-tree-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function refused(dir: string): string[] {
  try {
    readTree(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(SynthError);
    return (e as Error).message.split('\n');
  }
  throw new Error('expected a SynthError');
}

const canMkfifo = (() => {
  try {
    execFileSync('mkfifo', [join(mkdtempSync(join(tmpdir(), 'fifo-probe-')), 'p')]);
    return true;
  } catch {
    return false;
  }
})();

describe('readTree', () => {
  test('reads regular files, sorted, and follows links to files within the tree', () => {
    const dir = tree({ 'b/registry.yaml': 'kind: Config\n', 'a.yaml': 'a: 1\n' });
    symlinkSync(join('b', 'registry.yaml'), join(dir, 'link.yaml'));
    expect([...readTree(dir)]).toEqual([['a.yaml', 'a: 1\n'], [join('b', 'registry.yaml'), 'kind: Config\n'], ['link.yaml', 'kind: Config\n']]);
  });

  (canMkfifo ? test : test.skip)('a FIFO in the tree is refused by name, without blocking', () => {
    const dir = tree({ 'a.yaml': 'a: 1\n' });
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    expect(refused(dir)).toEqual([`${join(dir, 'pipe.yaml')}: is a FIFO (named pipe), not a regular file`]);
  });

  test('links to a device, to a file outside the tree or to a folder are refused, every one named', () => {
    const outside = tree({ 'token.yaml': 'token: SECRET\n' });
    const dir = tree({ 'a.yaml': 'a: 1\n', 'sub/x.yaml': 'x: 1\n' });
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
    symlinkSync(join(outside, 'token.yaml'), join(dir, 'token.yaml'));
    symlinkSync('sub', join(dir, 'subdir'));
    const lines = refused(dir);
    expect(lines).toEqual([
      `${join(dir, 'subdir')}: is a folder, not a regular file`,
      expect.stringMatching(/token\.yaml: is a symbolic link to .*token\.yaml, outside .*; only links to files within the folder are followed$/),
      expect.stringMatching(/zero\.yaml: is a symbolic link to \/dev\/zero, outside /),
    ]);
    expect(lines.join('\n')).not.toContain('SECRET');
  });

  test('a file over the manifest limit is refused', () => {
    const dir = tree({ 'big.yaml': 'x'.repeat(MANIFEST_FILE_LIMIT + 1) });
    expect(refused(dir)).toEqual([`${join(dir, 'big.yaml')}: is ${MANIFEST_FILE_LIMIT + 1} bytes; the limit is 4 MiB (4194304 bytes)`]);
  });

  test('files the caller does not want are not opened: neither read nor refused', () => {
    const dir = tree({ 'a.yaml': 'a: 1\n', 'sub/image.tar': 'x'.repeat(MANIFEST_FILE_LIMIT + 1), 'sub/b.yml': 'b: 2\n' });
    symlinkSync('/dev/zero', join(dir, 'sub', 'zero.bin'));
    const unread: string[] = [];
    expect([...readTree(dir, { wanted: (path) => /\.ya?ml$/.test(path), unread: (path) => unread.push(path) }).keys()]).toEqual(['a.yaml', 'sub/b.yml']);
    // ...and named to the caller, who may count them (diff: files the next synth removes).
    expect(unread).toEqual(['sub/image.tar', 'sub/zero.bin']);
    expect(refused(dir)).toHaveLength(2);
  });

  test('a folder whose files pass the total limit is refused, in one line naming the folder', () => {
    const dir = tree({ 'a.yaml': 'x'.repeat(600), 'b.yaml': 'y'.repeat(600) });
    expect([...readTree(dir, { treeLimit: 1200 }).keys()]).toEqual(['a.yaml', 'b.yaml']);
    expect(() => readTree(dir, { treeLimit: 1199 })).toThrow(new Error(`${dir}: holds more than 1199 bytes of files to read, the most read from one folder; give a folder within it (a cluster folder)`));
  });

  test('a file name with control characters is escaped in the message', () => {
    const dir = tree({});
    symlinkSync('/dev/null', join(dir, 'a\n\x1b[2J.yaml'));
    expect(refused(dir)).toEqual([expect.stringContaining('a\\n\\x1b[2J.yaml: is a symbolic link to /dev/null, outside')]);
  });
});
