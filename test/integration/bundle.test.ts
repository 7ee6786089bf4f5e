import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildSync } from 'esbuild';
import { canMountPrivately, repoRoot } from '../helpers';

// scripts/bundle.mjs's bundleIfStale, as bin/cli.mjs runs it in a checkout: the sources and the
// packages they import in two bundles, each built again only when one of its inputs changed.

const cacheDir = join(repoRoot, 'node_modules', '.cache', 'image-registry-synth');
// The test's own sources live in node_modules/.cache (never in the repository's tree), so that a
// failed run leaves nothing for git to see.
const workDir = mkdtempSync(join(repoRoot, 'node_modules', '.cache', 'bundle-test-'));
const entry = relative(repoRoot, join(workDir, 'entry.ts'));
const name = entry.replace(/\.ts$/, '').replace(/\//g, '__');
const sourcesFile = join(cacheDir, `${name}.cjs`);
const vendorFile = join(cacheDir, `${name}.vendor.cjs`);

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
  for (const file of readdirSync(cacheDir)) if (file.startsWith(name)) rmSync(join(cacheDir, file), { force: true });
});

/** Writes the test's sources: an entry that prints what a helper module and a package give. */
function writeSources(message: string, extraImport = '') {
  writeFileSync(join(workDir, 'message.ts'), `export const message = ${JSON.stringify(message)};\n`);
  writeFileSync(join(workDir, 'entry.ts'), `${extraImport}import { dump } from 'js-yaml';\nimport { message } from './message';\nprocess.stdout.write(dump({ message }));\n`);
}

/** bundleIfStale(entry), then the bundle run: what it printed, or the build's error output. */
function buildAndRun() {
  const built = spawnSync(process.execPath, ['--input-type=module', '-e', "import { bundleIfStale } from './scripts/bundle.mjs'; console.log(await bundleIfStale(process.argv[1]));", entry],
    { cwd: repoRoot, encoding: 'utf8' });
  if (built.status !== 0) return { status: built.status, output: built.stderr };
  const ran = spawnSync(process.execPath, [built.stdout.trim()], { encoding: 'utf8' });
  return { status: ran.status, output: ran.stdout + ran.stderr };
}

const mtime = (file: string) => statSync(file).mtimeMs;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the bundles a checkout runs', () => {
  test('the sources and the packages are two bundles; the first run builds both', () => {
    writeSources('one');
    expect(buildAndRun()).toEqual({ status: 0, output: 'message: one\n' });
    expect(statSync(sourcesFile).size).toBeLessThan(20_000); // no js-yaml in it
    expect(statSync(vendorFile).size).toBeGreaterThan(50_000); // js-yaml is here
  });

  test('an edit to a source builds the sources again, not the packages', () => {
    writeSources('one');
    buildAndRun();
    const [sourcesBefore, vendorBefore] = [mtime(sourcesFile), mtime(vendorFile)];
    writeSources('two, edited');
    expect(buildAndRun()).toEqual({ status: 0, output: 'message: two, edited\n' });
    expect(mtime(sourcesFile)).toBeGreaterThan(sourcesBefore);
    expect(mtime(vendorFile)).toBe(vendorBefore);
  });

  test('a package imported for the first time builds the packages again', () => {
    writeSources('three');
    buildAndRun();
    const vendorBefore = mtime(vendorFile);
    writeSources('three', "import { parse } from 'yaml';\nif (parse('a: 1').a !== 1) throw new Error('yaml');\n");
    expect(buildAndRun()).toEqual({ status: 0, output: 'message: three\n' });
    expect(mtime(vendorFile)).toBeGreaterThan(vendorBefore);
  });

  test('a bundle deleted or cut short, or a stamp of the wrong shape, is built again', () => {
    writeSources('four');
    buildAndRun();
    rmSync(vendorFile);
    expect(buildAndRun()).toEqual({ status: 0, output: 'message: four\n' });
    truncateSync(sourcesFile, 10);
    expect(buildAndRun()).toEqual({ status: 0, output: 'message: four\n' });
    writeFileSync(join(cacheDir, `${name}.inputs.json`), '{"inputs":{}}');
    writeFileSync(join(cacheDir, `${name}.vendor.inputs.json`), '{"inputs":{"x":"missing"},"imports":[]}');
    expect(buildAndRun()).toEqual({ status: 0, output: 'message: four\n' });
    // Of the right shape but empty: nothing in it says the bundles were built.
    writeFileSync(join(cacheDir, `${name}.inputs.json`), '{"inputs":{},"outputs":{},"imports":{}}');
    expect(buildAndRun()).toEqual({ status: 0, output: 'message: four\n' });
  });

  test('an input that changed after the build started (an edit saved during the build) is not recorded as built', () => {
    writeSources('five');
    buildAndRun();
    // As if saved while esbuild read the files: a modification time after the build's start.
    const later = new Date(Date.now() + 60_000);
    writeSources('five, saved during the build');
    utimesSync(join(workDir, 'message.ts'), later, later);
    expect(buildAndRun()).toEqual({ status: 0, output: 'message: five, saved during the build\n' });
    const built = mtime(sourcesFile);
    expect(buildAndRun().status).toBe(0);
    expect(mtime(sourcesFile)).toBeGreaterThan(built); // not recorded: built again
  });

  // Two checks (scripts/bundle.mjs), each naming the import as esbuild names a path it cannot
  // resolve: packages not installed, and generated validators that are not there.
  test.each([
    ['a package that is not installed', 'six', "import 'no-such-package-here';\n", 'no-such-package-here', '1:7'],
    ['a package that is not installed, named in a comment and a string above its import', 'six', "// 'no-such-package-here' is not installed\nconst name = 'no-such-package-here';\nimport 'no-such-package-here';\nconsole.log(name);\n", 'no-such-package-here', '3:7'],
    ['a package that is not installed, required by a template literal', 'six', 'require(`no-such-package-here`);\n', 'no-such-package-here', '1:8'],
    ['a path to generated validators that are not there', 'eight', "import './generated/crd-validators';\n", './generated/crd-validators', '1:7'],
  ])('%s is an error at the source line that imports it', (_, message, source, path, location) => {
    writeSources(message, source);
    const result = buildAndRun();
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(`Could not resolve "${path}"`);
    expect(result.output).toContain(`${entry}:${location}`);
  });

  test('a package imported for its types only needs not be installed (the bundle does not require it)', () => {
    writeSources('twelve', "import { NoSuchType } from 'no-such-package-here';\nexport type Kept = NoSuchType;\n");
    expect(buildAndRun()).toEqual({ status: 0, output: 'message: twelve\n' });
  });

  test('while esbuild builds the sources, whileBuilding is called with the packages\' bundle if that is up to date, before the new sources\' bundle is written', () => {
    writeSources('nine');
    buildAndRun();
    /** bundleIfStale with a whileBuilding that reports the file it was given and the sources' bundle as it was then. */
    const calls = () => {
      const built = spawnSync(process.execPath, ['--input-type=module', '-e',
        `import { statSync } from 'node:fs'; import { bundleIfStale } from './scripts/bundle.mjs';
         await bundleIfStale(process.argv[1], { whileBuilding: (file) => console.log(file, statSync(process.argv[2]).mtimeMs) });`,
        entry, sourcesFile], { cwd: repoRoot, encoding: 'utf8' });
      expect(built.stderr).toBe('');
      return built.stdout;
    };
    expect(calls()).toBe(''); // nothing to build
    const before = mtime(sourcesFile);
    writeSources('nine, edited');
    expect(calls()).toBe(`${vendorFile} ${before}\n`);
    expect(mtime(sourcesFile)).toBeGreaterThan(before);
    writeSources('nine, edited again');
    rmSync(vendorFile); // to be built again: nothing to load
    expect(calls()).toBe('');
    expect(buildAndRun()).toEqual({ status: 0, output: 'message: nine, edited again\n' });
  });

  test('esbuild builds the sources while whileBuilding runs (not after it: node is busy loading the packages then)', () => {
    // A source that is a FIFO: esbuild's read of it waits for a writer, which whileBuilding is. If
    // esbuild waits for node instead (a build with a plugin waits for node to answer its start),
    // whileBuilding gives up after 10 s and puts a plain file there.
    const fifo = join(workDir, 'fifo.ts');
    const contents = "export const fromFifo = 'fifo';\n";
    writeFileSync(fifo, contents);
    writeSources('eleven', "import { fromFifo } from './fifo';\nif (fromFifo !== 'fifo') throw new Error(fromFifo);\n");
    expect(buildAndRun()).toEqual({ status: 0, output: 'message: eleven\n' });
    rmSync(fifo);
    execFileSync('mkfifo', [fifo]);
    try {
      const built = spawnSync(process.execPath, ['--input-type=module', '-e',
        `import { closeSync, constants, openSync, rmSync, writeFileSync } from 'node:fs'; import { bundleIfStale } from './scripts/bundle.mjs';
         const [fifo, contents] = process.argv.slice(2);
         await bundleIfStale(process.argv[1], { whileBuilding() {
           for (const deadline = Date.now() + 10_000; Date.now() < deadline; Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5)) {
             let fd;
             try { fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK); } catch { continue; } // no reader yet
             writeFileSync(fd, contents);
             closeSync(fd);
             return console.log('read while loading');
           }
           rmSync(fifo);
           writeFileSync(fifo, contents);
           console.log('not read while loading');
         } });`,
        entry, fifo, contents], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
      expect(built.stderr).toBe('');
      expect(built.stdout).toBe('read while loading\n');
    } finally {
      rmSync(fifo, { force: true });
      writeFileSync(fifo, contents);
    }
    expect(buildAndRun()).toEqual({ status: 0, output: 'message: eleven\n' });
  });

  test('the packages\' bundle is loaded by the first require of a package, not before (the CLI\'s --version requires none)', () => {
    writeFileSync(join(workDir, 'entry.ts'), `export {};
const vendorLoaded = () => Object.keys(require.cache).some((file) => file.endsWith('.vendor.cjs'));
console.log(vendorLoaded(), require('node:path').sep);
const { dump } = require('js-yaml') as typeof import('js-yaml');
console.log(vendorLoaded(), dump({ message: 'thirteen' }).trim());
`);
    expect(buildAndRun()).toEqual({ status: 0, output: 'false /\ntrue message: thirteen\n' });
  });

  test('a package imported by import() comes from the packages\' bundle too, as one required does', () => {
    writeFileSync(join(workDir, 'entry.ts'), `export {};
import('js-yaml').then(({ dump }) => console.log(dump === (require('js-yaml') as typeof import('js-yaml')).dump, dump({ message: 'fourteen' }).trim()));
`);
    expect(buildAndRun()).toEqual({ status: 0, output: 'true message: fourteen\n' });
  });

  test('the sources\' bundle runs strict, as the ES modules it came from', () => {
    writeSources('ten', "(function () { if (this !== undefined) throw new Error('not strict'); })();\n");
    expect(buildAndRun()).toEqual({ status: 0, output: 'message: ten\n' });
  });

  test('a link left where a bundle is written aside is replaced, never written through', () => {
    writeSources('seven');
    const victim = join(workDir, 'victim.txt');
    writeFileSync(victim, 'keep me');
    // The build writes each file as <file>.<its pid> first: the child links that name to the victim.
    const built = spawnSync(process.execPath, ['--input-type=module', '-e',
      `import { symlinkSync } from 'node:fs'; import { bundleIfStale } from './scripts/bundle.mjs';
       symlinkSync(process.argv[2], \`\${process.argv[3]}.\${process.pid}\`); console.log(await bundleIfStale(process.argv[1]));`,
      entry, victim, sourcesFile], { cwd: repoRoot, encoding: 'utf8' });
    expect(built.status).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(buildAndRun()).toEqual({ status: 0, output: 'message: seven\n' });
  });
});

describe('the CLI\'s own bundles', () => {
  test('the generated CRD validators go with the packages: an edit to a source bundles a third as much', () => {
    const built = spawnSync(process.execPath, ['--input-type=module', '-e', "import { bundleIfStale } from './scripts/bundle.mjs'; await bundleIfStale('main.ts');"], { cwd: repoRoot, encoding: 'utf8' });
    expect(built.stderr).toBe('');
    const stamp = (file: string) => JSON.parse(readFileSync(join(cacheDir, file), 'utf8')) as { inputs: Record<string, string>; imports: Record<string, string> };
    const validators = 'app/validate/generated/crd-validators.js';
    expect(Object.keys(stamp('main.inputs.json').inputs)).not.toContain(validators);
    // Named as the sources' bundle requires them: from its folder.
    expect(stamp('main.inputs.json').imports).toHaveProperty([relative(cacheDir, join(repoRoot, validators))]);
    expect(Object.keys(stamp('main.vendor.inputs.json').inputs)).toContain(validators);
    expect(statSync(join(cacheDir, 'main.cjs')).size).toBeLessThan(statSync(join(repoRoot, validators)).size);
  });

  // The bundle's folder read-only and empty (a read-only tmpfs over it, in a mount namespace of the
  // run's own: the real folder is untouched), which needs root and unshare; skipped, saying so,
  // where they are missing.
  const readOnlyMounts = canMountPrivately();
  (readOnlyMounts ? test : test.skip)(`sources whose bundle cannot be written: one line naming the file and why, exit 1, nothing written${readOnlyMounts ? '' : ' (SKIPPED: needs root and unshare -m)'}`, () => {
    const out = join(workDir, 'read-only-out');
    const result = spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs -o ro tmpfs "$1" && shift && exec "$@"', 'sh', cacheDir,
      process.execPath, join(repoRoot, 'bin', 'cli.mjs'), 'synth', '--outdir', out], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^openshift-image-registry-cdk8s: the sources changed, and their bundle cannot be written in ${escapeRegExp(cacheDir)}: EROFS: read-only file system, open '[^\\n]*main\\.cjs[^\\n]*'\\n$`));
    expect(existsSync(out)).toBe(false);
  });

  (readOnlyMounts ? test : test.skip)(`a full disk: one line, exit 1, and no half-written file left in the bundle's folder${readOnlyMounts ? '' : ' (SKIPPED: needs root and unshare -m)'}`, () => {
    const out = join(workDir, 'full-disk-out');
    // A 64 KiB tmpfs over the bundle's folder: the source map (about 350 KB) does not fit. The
    // folder's listing is printed after the run, from inside the same mount namespace.
    const result = spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs "$0" && "$@"; status=$?; ls -A "$0"; exit $status', cacheDir,
      process.execPath, join(repoRoot, 'bin', 'cli.mjs'), 'synth', '--outdir', out], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`openshift-image-registry-cdk8s: the sources changed, and their bundle cannot be written in ${cacheDir}: ENOSPC: no space left on device, write\n`);
    expect(result.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });
});

// What each command loads at start: a module reached from the entry by static imports only is run
// when the bundle starts; one behind an `import()` (each command, app/cli/cli.ts) when first used.
describe('the CLI loads what its command needs', () => {
  const { metafile } = buildSync({ entryPoints: [join(repoRoot, 'main.ts')], absWorkingDir: repoRoot, bundle: true, platform: 'node', format: 'cjs', write: false, metafile: true, logLevel: 'silent', outfile: 'out.cjs' });

  /** The modules `from` reaches by static imports (dynamic imports left out). */
  function staticallyReached(from: string): string[] {
    const reached = new Set([from]);
    for (const file of reached) {
      for (const imported of metafile.inputs[file]?.imports ?? []) if (imported.kind !== 'dynamic-import' && !imported.external) reached.add(imported.path);
    }
    return [...reached];
  }
  const packagesOf = (files: string[]) => [...new Set(files.filter((f) => f.startsWith('node_modules/')).map((f) => f.split('/').slice(1, f.split('/')[1].startsWith('@') ? 3 : 2).join('/')))].sort();

  test('the tool itself (its help, --version) and discover load no package', () => {
    expect(metafile.inputs['main.ts']).toBeDefined();
    expect(packagesOf(staticallyReached('main.ts'))).toEqual([]);
    // re2js is discover's repository filter: a pattern matcher of linear time.
    expect(packagesOf(staticallyReached('app/cli/discover-command.ts'))).toEqual(['re2js']);
  });

  test('validate loads neither the constructs (cdk8s, cdk8s-plus-28) nor the config schema (zod)', () => {
    const packages = packagesOf(staticallyReached('app/cli/validate-command.ts'));
    expect(packages).toEqual(expect.arrayContaining(['ajv', 'js-yaml', 'kubernetes-models']));
    for (const heavy of ['cdk8s', 'cdk8s-plus-28', 'constructs', 'zod']) expect([heavy, packages.includes(heavy)]).toEqual([heavy, false]);
  });

  test('synth loads the constructs, the config schema and the validators', () => {
    expect(packagesOf(staticallyReached('app/cli/synth-command.ts'))).toEqual(expect.arrayContaining(['ajv', 'cdk8s', 'cdk8s-plus-28', 'constructs', 'kubernetes-models', 'zod']));
  });
});
