import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { kustomizationYaml } from '../../../app/output/kustomization';
import { OutputError } from '../../../app/output/output-error';
import { readTree } from '../../../app/output/read-tree';
import { LOCK, MARKER, OutputTransaction, writeOutputDir } from '../../../app/output/write-output-dir';

// The module object itself, not an import's copy of it: the file system errors below are simulated by replacing its functions.
const fs: typeof import('node:fs') = require('node:fs');

const fresh = () => mkdtempSync(join(tmpdir(), 'out-'));
/** Collects warnings instead of printing them. */
const warnings = () => {
  const seen: string[] = [];
  return { seen, warn: (m: string) => seen.push(m) };
};
/** A pid no process has (above any pid_max). */
const DEAD = 99_999_999;

/** Every file and symbolic link below `dir`, synth's own included: path -> content. */
function listing(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, e.name);
      if (e.isSymbolicLink()) out[relative(dir, path)] = `-> ${fs.readlinkSync(path)}`;
      else if (e.isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** A cluster as synth writes it: `<name>/kustomization.yaml` and `<name>/registry.yaml`. */
const cluster = (name: string, content: string): [string, string][] => [[`${name}/kustomization.yaml`, kustomizationYaml(['registry.yaml'])], [`${name}/registry.yaml`, content]];
const files = (...clusters: [string, string][][]) => new Map(clusters.flat());

describe('writeOutputDir', () => {
  test('replaces the whole folder: new files written, stale files and clusters gone', () => {
    const parent = fresh();
    const outdir = join(parent, 'dist');
    writeOutputDir(outdir, new Map([['old-cluster/registry.yaml', 'old']]));
    writeOutputDir(outdir, new Map([['prod/registry.yaml', 'a: 1\n'], ['prod/registry-storage.yaml', 'b: 2\n']]));
    expect(readdirSync(outdir).sort()).toEqual([MARKER, 'prod']);
    expect(readFileSync(join(outdir, 'prod', 'registry.yaml'), 'utf8')).toBe('a: 1\n');
    expect(readdirSync(parent)).toEqual(['dist']);
  });

  test('a failed write leaves the folder as it was and no staging folder behind', () => {
    const parent = fresh();
    const outdir = join(parent, 'dist');
    writeOutputDir(outdir, new Map([['prod/registry.yaml', 'kept']]));
    expect(() => writeOutputDir(outdir, new Map([['a.yaml', 'x'], ['../escape.yaml', 'y']]))).toThrow('output path ../escape.yaml leaves the output folder');
    expect(readFileSync(join(outdir, 'prod', 'registry.yaml'), 'utf8')).toBe('kept');
    expect(readdirSync(parent)).toEqual(['dist']);
    expect(readdirSync(outdir).sort()).toEqual([MARKER, 'prod']);
    expect(existsSync(join(parent, 'escape.yaml'))).toBe(false);
  });

  test('creates the folder when it does not exist', () => {
    const outdir = join(fresh(), 'dist');
    writeOutputDir(outdir, new Map([['x/y.yaml', 'z']]));
    expect(readFileSync(join(outdir, 'x', 'y.yaml'), 'utf8')).toBe('z');
  });
});

describe('only what synth wrote is ever replaced or removed', () => {
  test('a folder that is not empty, has no marker and holds anything synth did not write is refused, unchanged', () => {
    const outdir = fresh();
    mkdirSync(join(outdir, 'config'));
    writeFileSync(join(outdir, 'config', 'prod.yaml'), 'name: prod\n');
    writeFileSync(join(outdir, 'README.md'), '# project\n');
    const before = listing(outdir);
    expect(() => writeOutputDir(outdir, files(cluster('prod', 'a: 1\n')))).toThrow(
      new OutputError(`refusing to write into ${outdir}: it is not empty and synth did not write it (it holds README.md, config); give the output an empty or new folder with --outdir, or move those entries away; ${outdir}/ was left unchanged`));
    expect(listing(outdir)).toEqual(before);
  });

  test('the marker lists what synth wrote, sorted, with no time or pid: the same bytes every time', () => {
    const a = join(fresh(), 'dist');
    const b = join(fresh(), 'dist');
    writeOutputDir(a, files(cluster('prod', '1'), cluster('lab', '2')));
    writeOutputDir(b, files(cluster('lab', '2'), cluster('prod', '1')));
    const marker = readFileSync(join(a, MARKER), 'utf8');
    expect(readFileSync(join(b, MARKER), 'utf8')).toBe(marker);
    expect(marker).toMatch(/^# Written by synth\..*\n# .*\nlab\nprod\n$/);
    expect(marker).not.toContain(String(process.pid));
  });

  test('output of a synth older than the marker (cluster folders with its kustomization.yaml) is taken over', () => {
    const outdir = fresh();
    for (const [path, content] of files(cluster('prod', 'old'), cluster('gone', 'old'))) {
      mkdirSync(join(outdir, path, '..'), { recursive: true });
      writeFileSync(join(outdir, path), content);
    }
    writeOutputDir(outdir, files(cluster('prod', 'new')));
    expect(Object.keys(listing(outdir)).sort()).toEqual([MARKER, 'prod/kustomization.yaml', 'prod/registry.yaml']);
    // One that records the cluster's OpenShift version is synth's too.
    fs.rmSync(join(outdir, MARKER));
    writeFileSync(join(outdir, 'prod', 'kustomization.yaml'), kustomizationYaml(['registry.yaml'], { openshiftVersion: '4.16' }));
    writeOutputDir(outdir, files(cluster('prod', 'newer')));
    expect(readFileSync(join(outdir, 'prod', 'registry.yaml'), 'utf8')).toBe('newer');
    // And one that records the plain Secrets its config asked for.
    fs.rmSync(join(outdir, MARKER));
    writeFileSync(join(outdir, 'prod', 'kustomization.yaml'), kustomizationYaml(['registry.yaml'], { openshiftVersion: '4.16', plainSecrets: ['minio/root'] }));
    writeOutputDir(outdir, files(cluster('prod', 'newest')));
    expect(readFileSync(join(outdir, 'prod', 'registry.yaml'), 'utf8')).toBe('newest');
    // One with an annotation value synth never writes is not.
    fs.rmSync(join(outdir, MARKER));
    mkdirSync(join(outdir, 'notes'));
    writeFileSync(join(outdir, 'notes', 'kustomization.yaml'), kustomizationYaml(['registry.yaml'], { openshiftVersion: 'my own notes' }));
    expect(() => writeOutputDir(outdir, files(cluster('prod', 'new')))).toThrow('it is not empty and synth did not write it (it holds notes)');
    writeFileSync(join(outdir, 'notes', 'kustomization.yaml'), kustomizationYaml(['registry.yaml']).replace('kind: Kustomization\n', 'kind: Kustomization\nmetadata:\n  annotations:\n    openshift-image-registry-cdk8s/plain-secrets: "*"\n'));
    expect(() => writeOutputDir(outdir, files(cluster('prod', 'new')))).toThrow('it is not empty and synth did not write it (it holds notes)');
    fs.rmSync(join(outdir, 'notes'), { recursive: true });
    writeOutputDir(outdir, files(cluster('prod', 'new')));
    // A folder with a hand-written kustomization is not synth's.
    writeFileSync(join(outdir, MARKER + '.bak'), '');
    fs.rmSync(join(outdir, MARKER));
    mkdirSync(join(outdir, 'mine'));
    writeFileSync(join(outdir, 'mine', 'kustomization.yaml'), 'resources: [a.yaml]\n');
    expect(() => writeOutputDir(outdir, files(cluster('prod', 'new')))).toThrow('it is not empty and synth did not write it (it holds mine)');
  });

  test('in a marked folder, what synth did not write is left alone and reported, and never replaced', () => {
    const outdir = fresh();
    writeOutputDir(outdir, files(cluster('prod', '1'), cluster('lab', '1')));
    writeFileSync(join(outdir, 'README.md'), 'notes\n');
    mkdirSync(join(outdir, 'hand'));
    writeFileSync(join(outdir, 'hand', 'kustomization.yaml'), kustomizationYaml(['x.yaml']));
    const { seen, warn } = warnings();
    writeOutputDir(outdir, files(cluster('prod', '2')), { warn });
    expect(Object.keys(listing(outdir)).sort()).toEqual([MARKER, 'README.md', 'hand/kustomization.yaml', 'prod/kustomization.yaml', 'prod/registry.yaml']);
    expect(seen).toEqual([`${outdir}/README.md was not written by synth: left as it is`, `${outdir}/hand was not written by synth: left as it is`]);
    const before = listing(outdir);
    expect(() => writeOutputDir(outdir, files(cluster('prod', '3'), cluster('hand', '3')), { warn })).toThrow(
      `refusing to replace ${outdir}/hand: synth did not write it (it is not listed in ${outdir}/${MARKER}); move it away, or rename the cluster; ${outdir}/ was left unchanged`);
    expect(listing(outdir)).toEqual(before);
  });

  test('a marker that names something outside the folder, or synth\'s own files, names nothing', () => {
    const parent = fresh();
    const outdir = join(parent, 'dist');
    writeOutputDir(outdir, files(cluster('prod', '1')));
    mkdirSync(join(parent, 'victim'));
    writeFileSync(join(parent, 'victim', 'keep.txt'), 'keep');
    writeFileSync(join(outdir, MARKER), `prod\n../victim\n${parent}/victim\n.\n..\n.synth-lock\n`);
    writeOutputDir(outdir, files(cluster('lab', '1')), warnings());
    expect(readFileSync(join(parent, 'victim', 'keep.txt'), 'utf8')).toBe('keep');
    expect(readdirSync(outdir).sort()).toEqual([MARKER, 'lab']);
  });

  test('an output folder that is a symbolic link is refused, and what it points to is unchanged', () => {
    const parent = fresh();
    mkdirSync(join(parent, 'elsewhere'));
    writeFileSync(join(parent, 'elsewhere', 'important.txt'), 'x');
    symlinkSync(join(parent, 'elsewhere'), join(parent, 'dist'));
    const before = listing(parent);
    expect(() => writeOutputDir(join(parent, 'dist'), files(cluster('prod', '1')))).toThrow(`refusing to write into ${join(parent, 'dist')}: it is a symbolic link (to ${join(parent, 'elsewhere')})`);
    expect(listing(parent)).toEqual(before);
  });

  test('an output folder that is, or holds, a folder synth reads (the config folder) is refused', () => {
    const project = fresh();
    mkdirSync(join(project, 'config'));
    writeFileSync(join(project, 'config', 'prod.yaml'), 'name: prod\n');
    const before = listing(project);
    for (const outdir of [project, join(project, 'config')]) {
      expect(() => writeOutputDir(outdir, files(cluster('prod', '1')), { inputs: [join(project, 'config')] })).toThrow(
        `refusing to write into ${outdir}: it holds ${join(project, 'config')}, which synth reads; give the output a folder of its own with --outdir (e.g. dist)`);
    }
    expect(listing(project)).toEqual(before);
  });
});

describe('staging', () => {
  test('a cluster\'s folders are made with one plain mkdir each, the cluster\'s own first', () => {
    const outdir = fresh();
    const transaction = OutputTransaction.begin(outdir);
    const made: string[] = [];
    const real = fs.mkdirSync;
    fs.mkdirSync = ((path: string, options?: unknown) => {
      made.push(`${relative(outdir, path)}${options === undefined ? '' : ' (with options)'}`);
      return real(path, options as undefined);
    }) as typeof fs.mkdirSync;
    try {
      for (const name of ['prod', 'lab']) {
        transaction.stage(name, new Map([['kustomization.yaml', 'k'], ['registry/registry.yaml', 'r'], ['registry/kustomization.yaml', 'k'], ['object-store/object-store.yaml', 'o']]));
      }
    } finally {
      fs.mkdirSync = real;
    }
    const work = relative(outdir, transaction.work);
    expect(made).toEqual([
      // The work folder and its new/ do not exist yet: the first mkdirs fail, and the parents are made.
      `${work}/new/prod`, `${work}/new`, work, `${work}/new`, `${work}/new/prod`, `${work}/new/prod/registry`, `${work}/new/prod/object-store`,
      `${work}/new/lab`, `${work}/new/lab/registry`, `${work}/new/lab/object-store`,
    ]);
    transaction.commit(['prod', 'lab']);
    expect(readFileSync(join(outdir, 'lab', 'registry', 'registry.yaml'), 'utf8')).toBe('r');
  });

  test('a folder another thread makes between a failed mkdir and its retry is taken as it is (worker threads stage into one work folder)', () => {
    const outdir = fresh();
    const transaction = OutputTransaction.begin(outdir);
    const real = fs.mkdirSync;
    // The other thread makes the work folder and its new/ as soon as this one has made the work folder.
    fs.mkdirSync = ((path: string, options?: unknown) => {
      const made = real(path, options as undefined);
      if (path === transaction.work) real(join(transaction.work, 'new'));
      return made;
    }) as typeof fs.mkdirSync;
    try {
      transaction.stage('prod', new Map([['kustomization.yaml', 'k'], ['registry/registry.yaml', 'r']]));
    } finally {
      fs.mkdirSync = real;
    }
    transaction.commit(['prod']);
    expect(readFileSync(join(outdir, 'prod', 'registry', 'registry.yaml'), 'utf8')).toBe('r');
  });

  test('a file, a link or a FIFO where a staged folder goes is an error naming the entry', () => {
    const outdir = fresh();
    const transaction = OutputTransaction.begin(outdir);
    mkdirSync(join(transaction.work, 'new'), { recursive: true });
    const elsewhere = fresh();
    writeFileSync(join(transaction.work, 'new', 'prod'), 'a file');
    symlinkSync(elsewhere, join(transaction.work, 'new', 'lab'));
    execFileSync('mkfifo', [join(transaction.work, 'new', 'edge')]);
    for (const name of ['prod', 'lab', 'edge']) {
      expect(() => transaction.stage(name, new Map([['registry/registry.yaml', 'r']]))).toThrow(`cannot write ${outdir}/${name}/registry/registry.yaml: file already exists (EEXIST); ${outdir}/ was left unchanged`);
    }
    transaction.abort();
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});

describe('one synth at a time', () => {
  test('a second writer while a transaction is open fails with the first one\'s pid and leaves its work alone', () => {
    const outdir = join(fresh(), 'dist');
    writeOutputDir(outdir, files(cluster('prod', '1'), cluster('lab', '1')));
    const first = OutputTransaction.begin(outdir);
    first.stage('prod', new Map(cluster('prod', '2').map(([p, c]) => [p.slice('prod/'.length), c])));
    expect(() => writeOutputDir(outdir, files(cluster('prod', '3')))).toThrow(`another synth is running (pid ${process.pid}) and writing ${outdir}/`);
    first.commit(['prod', 'lab']);
    expect(readFileSync(join(outdir, 'prod', 'registry.yaml'), 'utf8')).toBe('2');
    expect(readdirSync(outdir).sort()).toEqual([MARKER, 'lab', 'prod']);
  });

  test('a lock left by a dead run is taken over, and released after', () => {
    const outdir = fresh();
    writeFileSync(join(outdir, LOCK), `${DEAD} ${hostname()}\n`);
    writeOutputDir(outdir, files(cluster('prod', '1')));
    expect(readdirSync(outdir).sort()).toEqual([MARKER, 'prod']);
  });

  test('a lock held by a live process (or on another host) is respected', () => {
    const outdir = fresh();
    writeFileSync(join(outdir, LOCK), `${process.ppid} ${hostname()}\n`);
    expect(() => writeOutputDir(outdir, files(cluster('prod', '1')))).toThrow(`another synth is running (pid ${process.ppid})`);
    writeFileSync(join(outdir, LOCK), `${DEAD} build-host-7\n`);
    expect(() => writeOutputDir(outdir, files(cluster('prod', '1')))).toThrow(`another synth is running (pid ${DEAD} on build-host-7)`);
    expect(readdirSync(outdir)).toEqual([LOCK]);
  });

  test('beginWhenFree waits for the other run to finish', async () => {
    const outdir = fresh();
    const first = OutputTransaction.begin(outdir);
    first.stage('prod', new Map([['registry.yaml', '1']]));
    setTimeout(() => first.commit(['prod']), 150); // past the first look (beginWhenFree looks every 100 ms)
    const second = await OutputTransaction.beginWhenFree(outdir, { waitMs: 10_000 });
    second.stage('lab', new Map([['registry.yaml', '1']]));
    second.commit(['prod', 'lab']);
    expect(readdirSync(outdir).sort()).toEqual([MARKER, 'lab', 'prod']);
    await expect(OutputTransaction.beginWhenFree(outdir, { waitMs: 10 }).then((t) => t.abort())).resolves.toBeUndefined();
  });
});

describe('a run killed during the swap is finished by the next one', () => {
  /** A copy of `outdir` as a kill at this moment would leave it: the run's pid is then dead. */
  function asIfKilled(outdir: string, into: string): string {
    cpSync(outdir, into, { recursive: true, verbatimSymlinks: true });
    const work = join(into, `.synth-${process.pid}`);
    if (existsSync(work)) renameSync(work, join(into, `.synth-${DEAD}`));
    if (existsSync(join(into, LOCK))) writeFileSync(join(into, LOCK), `${DEAD} ${hostname()}\n`);
    return into;
  }
  const output = (dir: string) => Object.fromEntries(Object.entries(listing(dir)).filter(([p]) => !p.startsWith('.synth-')));

  test('at every step: the next run rolls back before the journal, forward after it; no cluster is lost or mixed', () => {
    const outdir = join(fresh(), 'dist');
    const before = files(cluster('changed', 'v1'), cluster('same', 'v1'), cluster('gone', 'v1'));
    const after = files(cluster('changed', 'v2'), cluster('same', 'v1'), cluster('added', 'v2'));
    writeOutputDir(outdir, before);
    const old = output(outdir);

    const snapshots: { step: string; dir: string }[] = [];
    const scratch = fresh();
    const transaction = OutputTransaction.begin(outdir);
    transaction.onStep = (step) => snapshots.push({ step, dir: asIfKilled(outdir, join(scratch, String(snapshots.length))) });
    const groups = new Map<string, Map<string, string>>();
    for (const [path, content] of after) {
      const [top, ...rest] = path.split('/');
      groups.set(top, (groups.get(top) ?? new Map()).set(rest.join('/'), content));
    }
    for (const [name, group] of groups) transaction.stage(name, group);
    expect(transaction.staged.sort()).toEqual(['added', 'changed']);
    transaction.commit([...groups.keys()]);
    const next = output(outdir);
    expect(next).toEqual(Object.fromEntries(after));

    expect(snapshots.map((s) => s.step)).toEqual(expect.arrayContaining(['marker', 'journal', 'final marker', 'remove journal']));
    expect(snapshots.filter((s) => s.step.startsWith('rename')).length).toBeGreaterThanOrEqual(5);
    const journaled = snapshots.findIndex((s) => s.step === 'journal') + 1;
    snapshots.forEach(({ step, dir }, i) => {
      // diff and validate never count synth's own files as output.
      expect([...readTree(dir).keys()].filter((p) => p.startsWith('.synth-'))).toEqual([]);
      OutputTransaction.begin(dir).abort();
      expect({ step, output: output(dir) }).toEqual({ step, output: i < journaled ? old : next });
      expect(readdirSync(dir).filter((e) => e.startsWith('.synth-'))).toEqual([MARKER]);
      const listed = readFileSync(join(dir, MARKER), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
      expect(listed).toEqual(expect.arrayContaining(readdirSync(dir).filter((e) => e !== MARKER)));
    });
  });

  test('an older synth\'s work folder: a cluster found only there is put back, never deleted', () => {
    const outdir = fresh();
    for (const [path, content] of files(cluster('lab', 'v1'))) {
      mkdirSync(join(outdir, path, '..'), { recursive: true });
      writeFileSync(join(outdir, path), content);
    }
    // Killed after moving prod aside, before moving the new prod in.
    const work = join(outdir, `.synth-${DEAD}`);
    for (const [path, content] of files(cluster('prod', 'v1'))) {
      mkdirSync(join(work, 'old', path, '..'), { recursive: true });
      writeFileSync(join(work, 'old', path), content);
      mkdirSync(join(work, 'new', path, '..'), { recursive: true });
      writeFileSync(join(work, 'new', path), content.replace('v1', 'v2'));
    }
    OutputTransaction.begin(outdir).abort();
    expect(listing(outdir)).toEqual(Object.fromEntries(files(cluster('lab', 'v1'), cluster('prod', 'v1'))));
  });

  test('readTree (diff, validate) skips the marker, the lock and work folders; a cluster\'s own dot files are read', () => {
    const dir = fresh();
    for (const [path, content] of [[MARKER, 'prod\n'], [LOCK, '1 h\n'], ['.synth-123/new/ghost/registry.yaml', 'x'], ['prod/registry.yaml', 'a'], ['prod/.synth-note', 'b']]) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    expect([...readTree(dir).keys()]).toEqual(['prod/.synth-note', 'prod/registry.yaml']);
  });
});

describe('file system errors: one line, and the folder unchanged', () => {
  const fail = (code: string) => Object.assign(new Error(`${code}: simulated, open 'x'`), { code, syscall: 'open' });
  afterEach(() => jest.restoreAllMocks());

  test.each([
    ['ENOSPC', 'no space left on device'],
    ['EROFS', 'read-only file system'],
    ['EACCES', 'permission denied'],
  ])('%s while staging', (code, reason) => {
    const outdir = fresh();
    writeOutputDir(outdir, files(cluster('prod', '1')));
    const before = listing(outdir);
    const write = fs.writeFileSync;
    jest.spyOn(fs, 'writeFileSync').mockImplementation((path, ...rest) => {
      if (String(path).endsWith('registry.yaml')) throw fail(code);
      return write(path, ...rest);
    });
    expect(() => writeOutputDir(outdir, files(cluster('prod', '2')))).toThrow(new OutputError(`cannot write ${outdir}/prod/registry.yaml: ${reason} (${code}); ${outdir}/ was left unchanged`));
    expect(listing(outdir)).toEqual(before);
  });

  test('a rename that fails half-way through the swap is undone', () => {
    const outdir = fresh();
    writeOutputDir(outdir, files(cluster('a', '1'), cluster('b', '1'), cluster('c', '1')));
    const before = listing(outdir);
    const rename = fs.renameSync;
    let failed = false;
    jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      // Moving the new b in fails, once: a and b's old version are already moved.
      if (String(to) === join(outdir, 'b') && !failed) {
        failed = true;
        throw Object.assign(new Error('EROFS'), { code: 'EROFS', syscall: 'rename' });
      }
      return rename(from, to);
    });
    expect(() => writeOutputDir(outdir, files(cluster('a', '2'), cluster('b', '2')))).toThrow(new OutputError(`cannot write ${outdir}/b: read-only file system (EROFS); ${outdir}/ was left unchanged`));
    expect(listing(outdir)).toEqual(before);
  });

  test('when undoing fails too, the message says so and the next run finishes the change', () => {
    const outdir = fresh();
    writeOutputDir(outdir, files(cluster('a', '1'), cluster('b', '1')));
    const rename = fs.renameSync;
    const spy = jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      if (String(to) === join(outdir, 'b') || String(to).endsWith(join('new', 'a'))) throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC', syscall: 'rename' });
      return rename(from, to);
    });
    expect(() => writeOutputDir(outdir, files(cluster('a', '2'), cluster('b', '2')))).toThrow(`${outdir}/ is part-way through the change and the next synth finishes it`);
    spy.mockRestore();
    writeOutputDir(outdir, files(cluster('a', '2'), cluster('b', '2')));
    expect(listing(outdir)).toEqual({ ...Object.fromEntries(files(cluster('a', '2'), cluster('b', '2'))), [MARKER]: expect.any(String) });
  });

  test('a folder that cannot be created', () => {
    const parent = fresh();
    writeFileSync(join(parent, 'file'), '');
    expect(() => writeOutputDir(join(parent, 'file', 'dist'), files(cluster('prod', '1')))).toThrow(new OutputError(`cannot write ${join(parent, 'file', 'dist')}: not a directory (ENOTDIR); ${join(parent, 'file', 'dist')}/ was left unchanged`));
    expect(lstatSync(join(parent, 'file')).isFile()).toBe(true);
  });
});

describe('a work folder found in the output folder is not trusted', () => {
  test('links in it never move files outside, and a journal cannot remove what synth did not write', () => {
    const outdir = fresh();
    writeOutputDir(outdir, files(cluster('prod', '1')));
    const outside = fresh();
    writeFileSync(join(outside, 'secret.txt'), 'secret');
    const work = join(outdir, `.synth-${DEAD}`);
    mkdirSync(work);
    writeFileSync(join(work, 'journal.json'), JSON.stringify({ swap: ['secret.txt'], remove: ['notes.txt'], entries: ['prod'] }));
    symlinkSync(outside, join(work, 'new'));
    writeFileSync(join(outdir, 'notes.txt'), 'mine');
    expect(() => OutputTransaction.begin(outdir)).toThrow(`refusing to recover ${outdir}/.synth-${DEAD}: it is not a work folder synth made`);
    expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('secret');
    rmSync(join(work, 'new'));
    OutputTransaction.begin(outdir).abort();
    // The journal named notes.txt, which the marker does not list: kept.
    expect(readFileSync(join(outdir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('secret');
  });
});

test('a link to /dev/zero or a FIFO inside a cluster folder is never read (it would hang synth or fill its memory)', () => {
  const outdir = fresh();
  writeOutputDir(outdir, files(cluster('prod', '1')));
  symlinkSync('/dev/zero', join(outdir, 'prod', 'zero.yaml'));
  writeOutputDir(outdir, files(cluster('prod', '2')));
  expect(readFileSync(join(outdir, 'prod', 'registry.yaml'), 'utf8')).toBe('2');
  expect(existsSync(join(outdir, 'prod', 'zero.yaml'))).toBe(false);
});

describe('an aborted synth into a new folder', () => {
  test('leaves no folder behind: not the output folder, nor the parents it had to make', () => {
    const parent = fresh();
    const outdir = join(parent, 'a', 'b', 'dist');
    OutputTransaction.begin(outdir).abort();
    expect(readdirSync(parent)).toEqual([]);
  });

  test('an existing output folder stays, even empty, and so does a folder that is not empty', () => {
    const outdir = fresh();
    OutputTransaction.begin(outdir).abort();
    expect(existsSync(outdir)).toBe(true);
    const parent = fresh();
    const tx = OutputTransaction.begin(join(parent, 'new', 'dist'));
    writeFileSync(join(parent, 'new', 'keep.txt'), 'someone else wrote this meanwhile');
    tx.abort();
    expect(readdirSync(join(parent, 'new'))).toEqual(['keep.txt']);
  });
});
