import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A disk that fills while the lock is written: the file is created, then the write fails.
jest.mock('node:fs', () => {
  const fs = jest.requireActual('node:fs');
  return {
    ...fs,
    writeFileSync: (path: string, data: string, options: { flag?: string }) => {
      if (String(path).endsWith('.synth-lock') && options?.flag === 'wx' && process.env.FILL_DISK === '1') {
        fs.writeFileSync(path, '', options);
        throw Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: 'ENOSPC' });
      }
      return fs.writeFileSync(path, data, options);
    },
  };
});

import { lock, LOCK } from '../../../app/output/output-lock';

describe('the output lock', () => {
  afterEach(() => {
    delete process.env.FILL_DISK;
  });

  test('a lock file created but not written (a full disk) is not left behind, and the error is the disk\'s', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    process.env.FILL_DISK = '1';
    expect(() => lock(dir, 'dist')).toThrow(/ENOSPC/);
    expect(existsSync(join(dir, LOCK))).toBe(false);
    // With room again, the next run takes the lock.
    delete process.env.FILL_DISK;
    const release = lock(dir, 'dist');
    expect(existsSync(join(dir, LOCK))).toBe(true);
    release();
    expect(existsSync(join(dir, LOCK))).toBe(false);
  });
});
