import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOutputDir } from '../../../app/output/write-output-dir';

const fresh = () => mkdtempSync(join(tmpdir(), 'out-'));

describe('writeOutputDir', () => {
  test('replaces the whole folder: new files written, stale files and clusters gone', () => {
    const parent = fresh();
    const outdir = join(parent, 'dist');
    mkdirSync(join(outdir, 'old-cluster'), { recursive: true });
    writeFileSync(join(outdir, 'old-cluster', 'registry.yaml'), 'old');
    writeOutputDir(outdir, new Map([['prod/registry.yaml', 'a: 1\n'], ['prod/registry-storage.yaml', 'b: 2\n']]));
    expect(readdirSync(outdir)).toEqual(['prod']);
    expect(readFileSync(join(outdir, 'prod', 'registry.yaml'), 'utf8')).toBe('a: 1\n');
    expect(readdirSync(parent)).toEqual(['dist']);
  });

  test('a failed write leaves the folder as it was and no staging folder behind', () => {
    const parent = fresh();
    const outdir = join(parent, 'dist');
    mkdirSync(join(outdir, 'prod'), { recursive: true });
    writeFileSync(join(outdir, 'prod', 'registry.yaml'), 'kept');
    expect(() => writeOutputDir(outdir, new Map([['a.yaml', 'x'], ['../escape.yaml', 'y']]))).toThrow('output path ../escape.yaml leaves the output folder');
    expect(readFileSync(join(outdir, 'prod', 'registry.yaml'), 'utf8')).toBe('kept');
    expect(readdirSync(parent)).toEqual(['dist']);
    expect(existsSync(join(parent, 'escape.yaml'))).toBe(false);
  });

  test('creates the folder when it does not exist', () => {
    const outdir = join(fresh(), 'dist');
    writeOutputDir(outdir, new Map([['x/y.yaml', 'z']]));
    expect(readFileSync(join(outdir, 'x', 'y.yaml'), 'utf8')).toBe('z');
  });
});
