import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { canMountPrivately, repoRoot } from '../helpers';

// bin/run-bundle.mjs: runs a CommonJS bundle with a V8 code cache made when a run ends well, one
// cache file per bundle file and command, beside the bundle.

const dir = mkdtempSync(join(tmpdir(), 'run-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A URL, not a path: an import specifier is a URL, so a `#` or `%` in the checkout's path would be misread.
const LOADER = JSON.stringify(pathToFileURL(join(repoRoot, 'bin', 'run-bundle.mjs')).href);
const RUN = ['--input-type=module', '-e', `import { runBundle } from ${LOADER}; runBundle(process.argv[1]);`];

/** Runs `bundle` as bin/cli.mjs does, with `args` as the command line (given up after 20 s: status null). */
function run(bundle: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [...RUN, bundle, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const key = (file: string) => sha256(readFileSync(file));
/** A cache file for `bundle` holding `payload`: the bundle's hash, the hash of the rest, the bytecode size it was made at (16 hex digits), the payload. */
const cacheFileOf = (bundle: string, payload: Buffer, bytecode = 0) => {
  const rest = Buffer.concat([Buffer.from(bytecode.toString(16).padStart(16, '0'), 'latin1'), payload]);
  return Buffer.concat([Buffer.from(key(bundle) + sha256(rest), 'latin1'), rest]);
};
/** Where the bytecode size starts in a cache file: the second hash covers the size and the cache. */
const SIZE_AT = 64 + 64;
/** Where the cache starts in a cache file. */
const HEADER = SIZE_AT + 16;
const cacheOf = (bundle: string, command: string) => `${bundle}.${command}.v8cache`;
const inode = (file: string) => statSync(file).ino;

/**
 * A bundle whose `big` command runs a function with a large body (compiled only when it runs),
 * whose commands given `huge` also run one far larger than the rest of the process's code, and
 * whose `fail` command exits 1.
 */
function writeBundle(name: string, marker = 'a') {
  const file = join(dir, name);
  const body = (lines: number) => Array.from({ length: lines }, (_, i) => `  total += ${i} * n;`).join('\n');
  writeFileSync(file, [
    `function big(n) {\n  let total = 0;\n${body(400)}\n  return total;\n}`,
    `function huge(n) {\n  let total = 0;\n${body(40_000)}\n  return total;\n}`,
    `const command = process.argv[2];`,
    `if (command === 'fail') process.exitCode = 1;`,
    `if (process.argv[3] === 'huge') huge(1);`,
    `console.log(${JSON.stringify(marker)}, command === 'big' ? big(1) : 0);`,
    '',
  ].join('\n'));
  return file;
}

describe('running a bundle with a code cache', () => {
  test('a run that ends well writes a cache for its command, keyed by the bundle\'s hash; the next run reads it and leaves it', () => {
    const bundle = writeBundle('ok.cjs');
    expect(run(bundle, 'synth')).toMatchObject({ status: 0, stdout: 'a 0\n' });
    const cache = cacheOf(bundle, 'synth');
    expect(readFileSync(cache).subarray(0, 64).toString('latin1')).toBe(key(bundle));
    const written = inode(cache);
    expect(run(bundle, 'synth')).toMatchObject({ status: 0, stdout: 'a 0\n' });
    expect(inode(cache)).toBe(written); // accepted: not written again
  });

  test('the cache holds the functions the run compiled, not only those compiled at load', () => {
    const bundle = writeBundle('lazy.cjs');
    expect(run(bundle, 'synth').stdout).toBe('a 0\n');
    expect(run(bundle, 'big').stdout).toBe(`a ${(399 * 400) / 2}\n`);
    // `big`'s body, compiled when it ran, is in the big command's cache only.
    expect(statSync(cacheOf(bundle, 'big')).size).toBeGreaterThan(statSync(cacheOf(bundle, 'synth')).size + 2000);
  });

  test('a bundle changed to one of the same length is run as it now is, and its cache made again', () => {
    const bundle = writeBundle('same-length.cjs', 'a');
    run(bundle, 'synth');
    const before = key(bundle);
    writeBundle('same-length.cjs', 'b'); // V8 itself checks only the source's length
    expect(run(bundle, 'synth')).toMatchObject({ status: 0, stdout: 'b 0\n' });
    expect(key(bundle)).not.toBe(before);
    expect(readFileSync(cacheOf(bundle, 'synth')).subarray(0, 64).toString('latin1')).toBe(key(bundle));
  });

  test('a cache V8 refuses (cut short, or made under other flags) is made again', () => {
    const bundle = writeBundle('refused.cjs');
    writeFileSync(cacheOf(bundle, 'synth'), cacheFileOf(bundle, Buffer.from('not a code cache')));
    expect(run(bundle, 'synth')).toMatchObject({ status: 0, stdout: 'a 0\n' });
    expect(statSync(cacheOf(bundle, 'synth')).size).toBeGreaterThan(128 + 100);
  });

  test('a cache damaged past V8\'s header (which V8 does not check, and which crashed the process on every run) is made again', () => {
    const bundle = writeBundle('damaged.cjs');
    expect(run(bundle, 'big').status).toBe(0);
    const cache = cacheOf(bundle, 'big');
    const damaged = readFileSync(cache);
    damaged.fill(0, damaged.length / 2, damaged.length / 2 + 64); // a block of zeros, as a crash mid-write leaves
    writeFileSync(cache, damaged);
    expect(run(bundle, 'big')).toMatchObject({ status: 0, stdout: `a ${(399 * 400) / 2}\n` });
    const made = readFileSync(cache);
    expect(made.equals(damaged)).toBe(false);
    expect(made.subarray(64, 128).toString('latin1')).toBe(sha256(made.subarray(SIZE_AT)));
  });

  test('a FIFO where the cache goes is not read (it would wait for a writer forever), and is replaced', () => {
    const bundle = writeBundle('fifo.cjs');
    execFileSync('mkfifo', [cacheOf(bundle, 'synth')]);
    expect(run(bundle, 'synth')).toMatchObject({ status: 0, stdout: 'a 0\n' });
    expect(lstatSync(cacheOf(bundle, 'synth')).isFile()).toBe(true);
  });

  test('a link where a run writes its cache aside is not followed: the file it points to is left alone', () => {
    const bundle = writeBundle('aside.cjs');
    const other = join(dir, 'other-file');
    writeFileSync(other, 'not the cache');
    // The shell's pid is the run's (exec): the link is at the name the run writes aside.
    const shell = spawnSync('sh', ['-c', `ln -s "$0" "${dir}/.aside.cjs.synth.v8cache.$$" && exec "$@"`, other, process.execPath, ...RUN, bundle, 'synth'], { encoding: 'utf8', timeout: 20_000 });
    expect(shell).toMatchObject({ status: 0, stdout: 'a 0\n' });
    expect(readFileSync(other, 'utf8')).toBe('not the cache');
    expect(lstatSync(cacheOf(bundle, 'synth')).isFile()).toBe(true);
    expect(readFileSync(cacheOf(bundle, 'synth')).subarray(0, 64).toString('latin1')).toBe(key(bundle));
  });

  test('what runs killed while writing left aside is removed when a cache is written; a live run\'s is left', () => {
    const bundle = writeBundle('leftovers.cjs');
    const aside = (pid: number) => join(dir, `.leftovers.cjs.synth.v8cache.${pid}`);
    writeFileSync(aside(99_999_999), 'half a cache'); // no process has this pid (above any pid_max)
    writeFileSync(aside(process.pid), 'being written');
    expect(run(bundle, 'synth')).toMatchObject({ status: 0, stdout: 'a 0\n' });
    expect(existsSync(cacheOf(bundle, 'synth'))).toBe(true);
    expect(existsSync(aside(99_999_999))).toBe(false);
    expect(readFileSync(aside(process.pid), 'utf8')).toBe('being written');
  });

  test('a run that fails writes no cache', () => {
    const bundle = writeBundle('fails.cjs');
    expect(run(bundle, 'fail').status).toBe(1);
    expect(existsSync(cacheOf(bundle, 'fail'))).toBe(false);
  });

  test('a cache that cannot be written is gone without: the run succeeds and leaves nothing aside', () => {
    const bundle = writeBundle('unwritable.cjs');
    mkdirSync(cacheOf(bundle, 'synth')); // a folder where the cache would go
    expect(run(bundle, 'synth')).toMatchObject({ status: 0, stdout: 'a 0\n' });
    expect(readdirSync(dir).filter((file) => file.includes('unwritable.cjs.synth.v8cache.'))).toEqual([]);
  });

  test('a first argument that is not a plain word shares one cache, named "run"', () => {
    const bundle = writeBundle('argv.cjs');
    run(bundle, '../x');
    run(bundle, '--help');
    expect(readdirSync(dir).filter((file) => file.startsWith('argv.cjs.')).sort()).toEqual(['argv.cjs.run.v8cache']);
  });

  test('a run that compiles much more than the run that made the cache (a synth after a `synth --help`) makes it again, holding both; a run that compiles less leaves it', () => {
    const bundle = writeBundle('wider.cjs');
    const cache = cacheOf(bundle, 'synth');
    expect(run(bundle, 'synth').status).toBe(0);
    const narrow = { inode: inode(cache), size: statSync(cache).size };
    expect(run(bundle, 'synth').status).toBe(0);
    expect(inode(cache)).toBe(narrow.inode); // the same run again: left
    expect(run(bundle, 'synth', 'huge')).toMatchObject({ status: 0, stdout: 'a 0\n' });
    const wide = { inode: inode(cache), size: statSync(cache).size };
    expect(wide.inode).not.toBe(narrow.inode);
    expect(wide.size).toBeGreaterThan(narrow.size + 100_000); // huge's body, compiled when it ran
    expect(run(bundle, 'synth', 'huge').status).toBe(0);
    expect(run(bundle, 'synth').status).toBe(0);
    expect(inode(cache)).toBe(wide.inode); // neither the same nor a narrower run makes it again
    // The bytecode size it was made at, in its header.
    expect(Number.parseInt(readFileSync(cache).subarray(SIZE_AT, HEADER).toString('latin1'), 16)).toBeGreaterThan(100_000);
  });

  test('a cache whose header lacks the bytecode size (made by an older version of this loader) is made again', () => {
    const bundle = writeBundle('older.cjs');
    expect(run(bundle, 'synth').status).toBe(0);
    const cache = cacheOf(bundle, 'synth');
    const made = readFileSync(cache);
    const older = Buffer.concat([made.subarray(0, 64), Buffer.from(sha256(made.subarray(HEADER)), 'latin1'), made.subarray(HEADER)]);
    writeFileSync(cache, older);
    const written = inode(cache);
    expect(run(bundle, 'synth')).toMatchObject({ status: 0, stdout: 'a 0\n' });
    expect(inode(cache)).not.toBe(written);
    expect(readFileSync(cache).subarray(64, 128).toString('latin1')).toBe(sha256(readFileSync(cache).subarray(SIZE_AT)));
  });

  test('a cache whose bytecode size is damaged is made again (a larger size would leave it never widened)', () => {
    const bundle = writeBundle('size.cjs');
    expect(run(bundle, 'synth').status).toBe(0);
    const cache = cacheOf(bundle, 'synth');
    const damaged = readFileSync(cache);
    damaged.write('001fffffffffffff', SIZE_AT, 'latin1'); // the largest size a header can hold; the hashes left as they were
    writeFileSync(cache, damaged);
    const written = inode(cache);
    expect(run(bundle, 'synth', 'huge')).toMatchObject({ status: 0, stdout: 'a 0\n' });
    expect(inode(cache)).not.toBe(written);
    const made = readFileSync(cache);
    expect(Number.parseInt(made.subarray(SIZE_AT, HEADER).toString('latin1'), 16)).toBeLessThan(2 ** 40);
    expect(made.subarray(64, 128).toString('latin1')).toBe(sha256(made.subarray(SIZE_AT)));
  });

  test('the bundle\'s parts load once, each with its own cache, and a stack trace has their own line numbers', () => {
    const main = join(dir, 'parts.cjs');
    writeFileSync(join(dir, 'parts.vendor.cjs'), 'globalThis.loads = (globalThis.loads ?? 0) + 1;\nexports.fail = () => {\n  throw new Error("from the part");\n};\n');
    writeFileSync(main, 'const a = require("./parts.vendor.cjs");\nconst b = require("./parts.vendor.cjs");\nconsole.log(globalThis.loads, a === b, require("node:path").basename(__filename));\nif (process.argv[2] === "throw") a.fail();\n');
    expect(run(main, 'synth')).toMatchObject({ status: 0, stdout: '1 true parts.cjs\n' });
    expect(existsSync(cacheOf(main, 'synth')) && existsSync(cacheOf(join(dir, 'parts.vendor.cjs'), 'synth'))).toBe(true);
    const thrown = run(main, 'throw');
    expect(thrown.status).toBe(1);
    expect(thrown.stderr).toContain(`${join(dir, 'parts.vendor.cjs')}:3:`);
    expect(thrown.stderr).toContain(`${main}:4:`);
  });

  test('the bundle\'s worker threads run it the same way: through this loader, with the command\'s cache, which only the main thread writes', () => {
    const bundle = join(dir, 'threads.cjs');
    // On the main thread it starts a worker from module.workerEntry; the worker reports how it was loaded.
    writeFileSync(bundle, [
      'const { isMainThread, parentPort, Worker } = require("node:worker_threads");',
      'if (isMainThread) {',
      '  new Worker(module.workerEntry).once("message", (m) => console.log(m));',
      '} else {',
      '  parentPort.postMessage([typeof module.paths, module.workerEntry instanceof URL, process.argv.slice(2).join(" ")].join(" "));',
      '}',
      '',
    ].join('\n'));
    // Node's module object has `paths`; this loader's has not. The worker gets no command line.
    expect(run(bundle, 'synth', 'x')).toMatchObject({ status: 0, stdout: 'undefined true \n' });
    const written = inode(cacheOf(bundle, 'synth'));
    expect(run(bundle, 'synth', 'x')).toMatchObject({ status: 0, stdout: 'undefined true \n' });
    expect(inode(cacheOf(bundle, 'synth'))).toBe(written);
    expect(readdirSync(dir).filter((file) => file.startsWith('threads.cjs.') || file.startsWith('.threads.cjs.'))).toEqual(['threads.cjs.synth.v8cache']);
  });

  describe('preloading the packages a command read (bin/cli.mjs does it while esbuild builds the sources after an edit)', () => {
    const PRELOAD = ['--input-type=module', '-e', `import { bundleRunner } from ${LOADER};
      const runner = bundleRunner(process.argv[3]);
      runner.preload(process.argv[2]);
      globalThis.log.push('run');
      runner.run(process.argv[1]);`];
    /** Preloads `vendor`, then runs `main`, as bin/cli.mjs does: what it printed. */
    const preloadAndRun = (main: string, vendor: string, command: string) => {
      const result = spawnSync(process.execPath, ['--import', `data:text/javascript,globalThis.log=[]`, ...PRELOAD, main, vendor, command], { encoding: 'utf8', timeout: 20_000 });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    /** A packages' bundle whose packages log when they load, and a bundle that reads `reads` of them, then prints the log. */
    function writePackages(name: string, reads: string[], value = 1) {
      const vendor = join(dir, `${name}.vendor.cjs`);
      const main = join(dir, `${name}.cjs`);
      // As esbuild's: each package loads when first read, once.
      writeFileSync(vendor, `const loaded = {};\nObject.defineProperties(module.exports, {\n${['a', 'b', 'c'].map((p) => `  ${p}: { get: () => (loaded.${p} ??= ((globalThis.log ??= []).push('load ${p}'), ${value})), enumerable: true },`).join('\n')}\n});\n`);
      writeFileSync(main, `const vendor = require("./${name}.vendor.cjs");\n${reads.map((p) => `vendor.${p};`).join('\n')}\nconsole.log((globalThis.log ??= []).join(", "), ${reads.map((p) => `vendor.${p}`).join(' + ') || 0});\n`);
      return { main, vendor };
    }

    test('a run records the packages it read, in order; the next run preloads them, each loaded once', () => {
      const { main, vendor } = writePackages('reads', ['c', 'a']);
      expect(preloadAndRun(main, vendor, 'synth')).toMatchObject({ status: 0, stdout: 'run, load c, load a 2\n' }); // nothing recorded yet
      expect(JSON.parse(readFileSync(`${vendor}.synth.read`, 'utf8'))).toEqual(['c', 'a']);
      expect(preloadAndRun(main, vendor, 'synth')).toMatchObject({ status: 0, stdout: 'load c, load a, run 2\n' });
      // Another command has its own list.
      expect(preloadAndRun(main, vendor, 'diff').stdout).toBe('run, load c, load a 2\n');
    });

    test('the list grows with what later runs read; a run that reads less leaves it', () => {
      const { main, vendor } = writePackages('grows', ['a']);
      preloadAndRun(main, vendor, 'synth');
      writePackages('grows', ['b']);
      preloadAndRun(main, vendor, 'synth');
      expect(JSON.parse(readFileSync(`${vendor}.synth.read`, 'utf8'))).toEqual(['a', 'b']);
      const written = inode(`${vendor}.synth.read`);
      writePackages('grows', []);
      expect(preloadAndRun(main, vendor, 'synth').stdout).toBe('load a, load b, run 0\n');
      expect(inode(`${vendor}.synth.read`)).toBe(written);
    });

    test('a packages\' bundle built again after it was preloaded is loaded again: the run never sees the old one', () => {
      const { main, vendor } = writePackages('rebuilt', ['a']);
      preloadAndRun(main, vendor, 'synth');
      // The preload loads the old file; the run then finds it changed (here: replaced before the run, by the preloading script).
      const script = ['--input-type=module', '-e', `import { writeFileSync, readFileSync } from 'node:fs';
        import { bundleRunner } from ${LOADER};
        globalThis.log = [];
        const runner = bundleRunner('synth');
        runner.preload(process.argv[2]);
        writeFileSync(process.argv[2], readFileSync(process.argv[2], 'utf8').replaceAll(', 1)', ', 40)'));
        runner.run(process.argv[1]);`, main, vendor];
      expect(spawnSync(process.execPath, script, { encoding: 'utf8' })).toMatchObject({ status: 0, stdout: 'load a, load a 40\n' });
    });

    test('a packages\' bundle written again in place, with the same size and modification time, after it was preloaded is loaded again', () => {
      const { main, vendor } = writePackages('in-place', ['a']);
      const fixed = new Date(2_000_000_000_000);
      utimesSync(vendor, fixed, fixed);
      preloadAndRun(main, vendor, 'synth');
      // As `cp -p` over it: the same inode, size and modification time, other bytes.
      const script = ['--input-type=module', '-e', `import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
        import { bundleRunner } from ${LOADER};
        globalThis.log = [];
        const runner = bundleRunner('synth');
        runner.preload(process.argv[2]);
        writeFileSync(process.argv[2], readFileSync(process.argv[2], 'utf8').replaceAll(', 1)', ', 4)'));
        utimesSync(process.argv[2], new Date(${fixed.getTime()}), new Date(${fixed.getTime()}));
        runner.run(process.argv[1]);`, main, vendor];
      const before = statSync(vendor);
      expect(spawnSync(process.execPath, script, { encoding: 'utf8' })).toMatchObject({ status: 0, stdout: 'load a, load a 4\n' });
      expect(statSync(vendor)).toMatchObject({ ino: before.ino, size: before.size, mtimeMs: before.mtimeMs });
    });

    test.each([
      ['not JSON', 'not json'],
      ['not a list of names', '{"a": 1}'],
      ['names that are not packages of the bundle', '["__proto__", "constructor", "toString", "d"]'],
      ['too long a list', JSON.stringify(Array.from({ length: 1001 }, () => 'a'))],
      ['larger than any list of names (a huge file would cost seconds and its size in memory)', `["a"${' '.repeat(2_000_000)}]`],
    ])('a list that is %s preloads nothing of it, and the run goes on', (_, contents) => {
      const { main, vendor } = writePackages(`bad-list-${contents.length}`, ['b']);
      writeFileSync(`${vendor}.synth.read`, contents);
      expect(preloadAndRun(main, vendor, 'synth')).toMatchObject({ status: 0, stdout: 'run, load b 1\n' });
    });

    (canMountPrivately() ? test : test.skip)('in a folder that cannot be written, nothing is preloaded: the run loads the bundle as Node does, and each package once', () => {
      const { main, vendor } = writePackages('read-only-preload', ['a']);
      preloadAndRun(main, vendor, 'synth'); // the list, made while the folder could be written
      const result = spawnSync('unshare', ['-m', 'sh', '-c', 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" && exec "$@"', dir,
        process.execPath, '--import', 'data:text/javascript,globalThis.log=[]', ...PRELOAD, main, vendor, 'synth'], { encoding: 'utf8', timeout: 20_000 });
      expect(result).toMatchObject({ status: 0, stdout: 'run, load a 1\n' });
    });

    test('a FIFO where the list goes is not read (it would wait for a writer forever)', () => {
      const { main, vendor } = writePackages('fifo-list', ['a']);
      execFileSync('mkfifo', [`${vendor}.synth.read`]);
      expect(preloadAndRun(main, vendor, 'synth')).toMatchObject({ status: 0, stdout: 'run, load a 1\n' });
    });
  });

  // A folder no cache can be written to: a read-only mount (root can write anywhere else), which
  // needs root and unshare; the check is skipped, saying so, where they are missing.
  const readOnlyMounts = canMountPrivately();
  (readOnlyMounts ? test : test.skip)(`a bundle in a folder that cannot be written runs as Node loads it, with Node's compile cache${readOnlyMounts ? '' : ' (SKIPPED: needs root and unshare -m)'}`, () => {
    const folder = mkdtempSync(join(dir, 'read-only-'));
    const bundle = join(folder, 'ro.cjs');
    writeFileSync(bundle, 'console.log(typeof module.paths, typeof require("node:module").getCompileCacheDir?.());\n');
    const result = spawnSync('unshare', ['-m', 'sh', '-c', 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" && shift && exec "$@"', 'sh', folder,
      process.execPath, ...RUN, bundle, 'synth'], { encoding: 'utf8', timeout: 20_000 });
    expect(result).toMatchObject({ status: 0, stdout: 'object string\n' }); // Node's module object, and its compile cache on
    expect(readdirSync(folder)).toEqual(['ro.cjs']);
    // The same bundle where it can be written: this tool's loader and cache.
    expect(run(bundle, 'synth')).toMatchObject({ status: 0, stdout: 'undefined undefined\n' });
    expect(existsSync(cacheOf(bundle, 'synth'))).toBe(true);
  });
});
