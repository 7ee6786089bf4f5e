import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { mergeDefaults } from '../../app/config/merge';
import { writeOutputDir } from '../../app/output/write-output-dir';
import { readConfigFolder, synthesizeFleet, synth, SynthError } from '../../app/synth';
import { snapshotDir, repoRoot } from '../helpers';
import { fleetError } from '../app/config/fleet-error';

// The synth command, in one place: its launcher is about to change.
const synthCommand = (args: string[], env = process.env) => spawnSync(process.execPath, [join(repoRoot, 'bin', 'cli.mjs'), 'synth', ...args], { encoding: 'utf8', env });

function folder(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const defaults = `registry:
  managementState: Managed
  nodeSelector: {node-role.kubernetes.io/infra: ""}
  tolerations: [{key: infra, operator: Exists}]
  routes: [{name: internal}]
  storage:
    pvc: {size: 200Gi, storageClassName: thin}
`;

const configOf = (files: Map<string, string>, cluster: string) =>
  parseAllDocuments(files.get(`${cluster}/registry/registry.yaml`)!).map((d) => d.toJS()).find((o) => o.kind === 'Config');

describe('fleet merge rules', () => {
  test('maps merge key by key, the cluster wins', () => {
    expect(mergeDefaults({ a: { b: 1, c: 2 } }, { a: { c: 3, d: 4 } })).toEqual({ a: { b: 1, c: 3, d: 4 } });
  });

  test('lists are replaced whole, never concatenated', () => {
    expect(mergeDefaults({ routes: [{ name: 'a' }, { name: 'b' }] }, { routes: [{ name: 'c' }] })).toEqual({ routes: [{ name: 'c' }] });
  });

  test('null removes an inherited key; a null for a key the defaults lack is kept for the schema to report', () => {
    expect(mergeDefaults({ a: 1, b: { c: 1 } }, { a: null, b: { c: null } })).toEqual({ b: {} });
    expect(mergeDefaults({}, { x: null })).toEqual({ x: null });
  });

  test('a scalar replaces a map and the other way round', () => {
    expect(mergeDefaults({ a: { b: 1 } }, { a: 2 })).toEqual({ a: 2 });
    expect(mergeDefaults({ a: 2 }, { a: { b: 1 } })).toEqual({ a: { b: 1 } });
  });
});

describe('fleet of clusters with shared defaults', () => {
  test('each cluster gets the defaults, overrides them, and its own folder', () => {
    const dir = folder({
      '_defaults.yaml': defaults,
      'prod.yaml': 'name: prod\nregistry:\n  storage:\n    pvc: {size: 500Gi}\n  routes: [{name: public, hostname: registry.apps.prod.example.com}]\n',
      'lab.yaml': 'name: lab\nregistry:\n  storage:\n    pvc: {storageClassName: null}\n  tolerations: null\n',
    });
    const files = synthesizeFleet(readConfigFolder(dir));
    expect([...new Set([...files.keys()].map((p) => p.split('/')[0]))]).toEqual(['lab', 'prod']);
    const prodPvc = parse(files.get('prod/registry/registry-storage.yaml')!);
    expect(prodPvc.spec).toMatchObject({ resources: { requests: { storage: '500Gi' } }, storageClassName: 'thin' });
    expect(configOf(files, 'prod').spec).toMatchObject({ routes: [{ name: 'public', hostname: 'registry.apps.prod.example.com' }], tolerations: [{ key: 'infra', operator: 'Exists' }] });
    const labPvc = parse(files.get('lab/registry/registry-storage.yaml')!);
    expect(labPvc.spec.storageClassName).toBeUndefined();
    expect(labPvc.spec.resources.requests.storage).toBe('200Gi');
    expect(configOf(files, 'lab').spec.tolerations).toBeUndefined();
    expect(configOf(files, 'lab').spec.routes).toEqual([{ name: 'internal' }]);
  });

  test('an error in the defaults is reported once, at the defaults file, line and column, not once per cluster', () => {
    const dir = folder({ '_defaults.yaml': defaults.replace('size: 200Gi', 'size: 200GB'), 'prod.yaml': 'name: prod\nregistry:\n  replicas: 2\n', 'lab.yaml': 'name: lab\nregistry:\n  replicas: 1\n' });
    expect(fleetError(dir).split('\n')).toEqual([
      `${join(dir, '_defaults.yaml')}:7:17: registry.storage.pvc.size: string "200GB" is not valid: expected a Kubernetes quantity such as 100Gi, 512Mi or 500m (binary suffixes Ki..Ei, decimal k..E; not GB)`,
    ]);
    // A cluster that overrides the value does not inherit the problem; the others still do.
    writeFileSync(join(dir, 'lab.yaml'), 'name: lab\nregistry:\n  replicas: 1\n  storage:\n    pvc: {size: 1Gi}\n');
    expect(() => synthesizeFleet(readConfigFolder(dir))).toThrow(`${join(dir, '_defaults.yaml')}:7:17: registry.storage.pvc.size: string "200GB"`);
    writeFileSync(join(dir, 'prod.yaml'), 'name: prod\nregistry:\n  replicas: 1\n  storage:\n    pvc: {size: 1Gi}\n');
    expect(synthesizeFleet(readConfigFolder(dir)).size).toBeGreaterThan(0);
  });

  test('a typo at the top of the defaults: once, at its line, with the keys the defaults allow (not name)', () => {
    const dir = folder({ '_defaults.yaml': 'registry:\n  storage: {emptyDir: {}}\nprunner:\n  schedule: "0 0 * * *"\n', 'a.yaml': 'name: a\n', 'b.yaml': 'name: b\n', 'c.yaml': 'name: c\ncolour: blue\n' });
    expect(fleetError(dir).split('\n')).toEqual([
      `${join(dir, '_defaults.yaml')}:3:1: unknown key "prunner"; allowed: openshiftVersion, minio, registry, imageConfig, pruner, storageSwitch, applierRbac, gitops`,
      `${join(dir, 'c.yaml')}:2:1: unknown key "colour"; allowed: name, openshiftVersion, minio, registry, imageConfig, pruner, storageSwitch, applierRbac, gitops`,
    ]);
  });

  test('two back ends, one from the defaults and one from the cluster: both places are named', () => {
    const dir = folder({ '_defaults.yaml': defaults, 'lab.yaml': 'name: lab\nregistry:\n  storage:\n    emptyDir: {}\n' });
    expect(() => synthesizeFleet(readConfigFolder(dir))).toThrow(
      `${join(dir, 'lab.yaml')}:4:5: registry.storage (merged with ${join(dir, '_defaults.yaml')}:7:5): exactly one storage back end must be set (one of pvc, existingClaim, emptyDir, s3, gcs, azure, swift, ibmcos), got pvc and emptyDir`);
  });

  test('a rule broken by the merge points at the cluster file', () => {
    const dir = folder({ '_defaults.yaml': defaults, 'prod.yaml': 'name: prod\nregistry:\n  replicas: 2\n' });
    expect(() => synthesizeFleet(readConfigFolder(dir))).toThrow(`${join(dir, 'prod.yaml')}:3:13: registry.replicas: 2 replicas cannot share the ReadWriteOnce claim`);
  });

  test('a rule broken by a value from the defaults names the cluster, and where the value is set', () => {
    const dir = folder({ '_defaults.yaml': `${defaults}  replicas: 2\n`, 'prod.yaml': 'name: prod\nregistry:\n  logLevel: Debug\n' });
    expect(() => synthesizeFleet(readConfigFolder(dir))).toThrow(`${join(dir, 'prod.yaml')}: registry.replicas (set in ${join(dir, '_defaults.yaml')}:8:13): 2 replicas cannot share the ReadWriteOnce claim`);
  });

  test('the defaults may not name a cluster, and must be a map', () => {
    expect(() => synthesizeFleet(readConfigFolder(folder({ '_defaults.yaml': 'name: x\n', 'a.yaml': 'name: a\n' })))).toThrow('_defaults.yaml:1:1: name: each cluster names itself; remove name from the defaults');
    expect(() => synthesizeFleet(readConfigFolder(folder({ '_defaults.yaml': '- a\n', 'a.yaml': 'name: a\n' })))).toThrow('defaults must be a map of config keys');
    expect(() => synthesizeFleet(readConfigFolder(folder({ '_defaults.yaml': 'registry: [\n', 'a.yaml': 'name: a\n' })))).toThrow('invalid YAML');
  });

  test('unknown keys in the defaults are reported with the defaults file, at the key', () => {
    const dir = folder({ '_defaults.yaml': 'registry:\n  replica: 1\n', 'a.yaml': 'name: a\nregistry:\n  storage: {emptyDir: {}}\n  colour: blue\n' });
    expect(() => synthesizeFleet(readConfigFolder(dir))).toThrow([
      `${join(dir, '_defaults.yaml')}:2:3: registry: unknown key "replica"; allowed: managementState, replicas, rolloutStrategy, storage, defaultRoute, routes, disableRedirect, nodeSelector, tolerations, affinity, resources, logLevel, proxy`,
      `${join(dir, 'a.yaml')}:4:3: registry: unknown key "colour"; allowed: managementState, replicas, rolloutStrategy, storage, defaultRoute, routes, disableRedirect, nodeSelector, tolerations, affinity, resources, logLevel, proxy`,
    ].join('\n'));
  });

  test('other _ files are refused', () => {
    expect(() => readConfigFolder(folder({ '_default.yaml': '', 'a.yaml': '' }))).toThrow('names starting with _ are reserved; the only one used is _defaults.yaml');
  });
});

describe('determinism', () => {
  const clusters: Record<string, string> = {};
  for (let i = 0; i < 12; i++) {
    clusters[`c${i}.yaml`] = i % 2
      ? `name: c${i}\nminio:\n  rootCredentials: {existingSecret: {}}\nregistry:\n  replicas: ${i}\n  storage:\n    s3:\n      credentials: {existingSecret: {}}\n`
      : `name: c${i}\nregistry:\n  storage:\n    pvc: {size: ${i + 1}Gi}\n`;
  }

  test('shuffled input order gives byte-identical output', () => {
    const dir = folder({ '_defaults.yaml': 'registry:\n  logLevel: Debug\n', ...clusters });
    const listing = readConfigFolder(dir);
    const reference = synthesizeFleet(listing);
    for (let round = 0; round < 5; round++) {
      const shuffled = [...listing.clusters].sort(() => Math.random() - 0.5);
      const output = synthesizeFleet({ ...listing, clusters: shuffled });
      expect([...output]).toEqual([...reference]);
    }
  });

  test('two runs into two folders, files created in opposite orders, are byte-identical', async () => {
    const names = Object.keys(clusters);
    const a = folder(Object.fromEntries(names.map((n) => [n, clusters[n]])));
    const b = folder(Object.fromEntries([...names].reverse().map((n) => [n, clusters[n]])));
    const outA = join(mkdtempSync(join(tmpdir(), 'det-')), 'dist');
    const outB = join(mkdtempSync(join(tmpdir(), 'det-')), 'dist');
    await synth({ configDir: a, outdir: outA });
    await synth({ configDir: b, outdir: outB });
    expect(snapshotDir(outA)).toEqual(snapshotDir(outB));
  });

  test('worker threads (a fleet large enough to use them) give the same bytes as one thread', () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 220; i++) many[`c${String(i).padStart(3, '0')}.yaml`] = clusters[`c${i % 12}.yaml`].replace(/^name: c\d+$/m, `name: c${String(i).padStart(3, '0')}`);
    const dir = folder(many);
    const out = join(mkdtempSync(join(tmpdir(), 'threads-')), 'dist');
    const result = synthCommand(['--config', dir, '--outdir', out]);
    expect(result.status).toBe(0);
    const expected = Object.fromEntries(synthesizeFleet(readConfigFolder(dir)));
    expect(snapshotDir(out)).toEqual(expected);
  }, 60_000);

  test('on worker threads too, an error in the defaults is one line, whichever threads met it', () => {
    const many: Record<string, string> = { '_defaults.yaml': 'registry:\n  storage: {emptyDir: {}}\nprunner: {}\n' };
    for (let i = 0; i < 220; i++) many[`c${String(i).padStart(3, '0')}.yaml`] = `name: c${String(i).padStart(3, '0')}\n`;
    const dir = folder(many);
    const result = synthCommand(['--config', dir, '--outdir', join(mkdtempSync(join(tmpdir(), 'threads-')), 'dist')]);
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      `${join(dir, '_defaults.yaml')}:3:1: unknown key "prunner"; allowed: openshiftVersion, minio, registry, imageConfig, pruner, storageSwitch, applierRbac, gitops`,
      expect.stringMatching(/^synth failed: /),
    ]);
  }, 60_000);

  /** A config folder of `count` clusters (220: enough for synth to start worker threads). */
  const folderOnThreads = (count = 220) => {
    const many: Record<string, string> = {};
    for (let i = 0; i < count; i++) many[`c${String(i).padStart(3, '0')}.yaml`] = `name: c${String(i).padStart(3, '0')}\nregistry:\n  storage: {emptyDir: {}}\n`;
    return folder(many);
  };

  // synth starts worker threads only on a machine with more than one core.
  (availableParallelism() > 1 ? test : test.skip)('a file system error on a worker thread is the same one line, and nothing is written', () => {
    const dir = folderOnThreads();
    const out = join(mkdtempSync(join(tmpdir(), 'threads-')), 'dist');
    // Only worker threads find the disk full. The main thread's first staged file waits until a
    // worker has failed, so that the worker (which loads the code first) gets chunks to stage.
    const full = join(dir, 'full-disk.js');
    writeFileSync(full, `const fs = require('fs'); const { isMainThread } = require('worker_threads'); const write = fs.writeFileSync;
const failed = __filename + '.failed';
fs.writeFileSync = (path, ...rest) => {
  if (String(path).includes('/new/')) {
    if (!isMainThread) {
      write(failed, '');
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    }
    for (let i = 0; i < 600 && !fs.existsSync(failed); i++) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
  return write(path, ...rest);
};\n`);
    const result = synthCommand(['--config', dir, '--outdir', out], { ...process.env, NODE_OPTIONS: `--require ${full}` });
    expect(result.stderr).toMatch(new RegExp(`^cannot write ${out}/c\\d{3}/storage-switch/storage-switch.yaml: no space left on device \\(ENOSPC\\); ${out}/ was left unchanged\n$`));
    expect(result.status).toBe(1);
    expect(existsSync(out)).toBe(false); // a new output folder is not left behind
  }, 60_000);

  // A worker thread that ends without posting its clusters (process.exit in some code it runs):
  // the promise synth waits on must not be left pending, or the process ends with status 0 and
  // no message, as if nothing needed writing.
  (availableParallelism() > 1 ? test : test.skip)('a worker thread that exits without a result fails the synth, and nothing is written', () => {
    const dir = folderOnThreads();
    const out = join(mkdtempSync(join(tmpdir(), 'threads-')), 'dist');
    const quits = join(dir, 'worker-quits.js');
    writeFileSync(quits, "if (!require('worker_threads').isMainThread) process.exit(0);\n");
    const result = synthCommand(['--config', dir, '--outdir', out], { ...process.env, NODE_OPTIONS: `--require ${quits}` });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^openshift-image-registry-cdk8s synth: internal error, please report it: Error: a synth worker thread ended \(exit code 0\) without its clusters\n/);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  // With three threads or more (four cores), one can fail while another is still staging: that
  // one must stop before synth removes the work folder, or it makes it again in the output folder.
  test('a worker thread that fails while another stages: its error, and the output folder as it was (no work folder, no lock)', () => {
    const dir = folderOnThreads(300);
    const out = join(mkdtempSync(join(tmpdir(), 'threads-')), 'dist');
    expect(synthCommand(['--config', dir, '--outdir', out]).status).toBe(0);
    const before = readdirSync(out).sort();
    const files = snapshotDir(out);
    // A change, so that every cluster is staged again.
    for (const name of readdirSync(dir)) writeFileSync(join(dir, name), `${readFileSync(join(dir, name), 'utf8')}pruner: {schedule: '@daily'}\n`);
    // Three threads whatever the machine. Of the two workers, the first to reach its first
    // cluster throws a defect when it writes; the other waits there until the work folder has
    // been made and removed. The main thread stages once both have got that far.
    const hook = join(dir, 'worker-fails.js');
    writeFileSync(hook, `const fs = require('fs'); const { isMainThread } = require('worker_threads');
require('os').availableParallelism = () => 3;
const { mkdirSync: mkdir, writeFileSync: write } = fs;
const thrown = __filename + '.thrown'; const waiting = __filename + '.waiting';
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
let role;
fs.mkdirSync = (path, ...rest) => {
  const work = /^(.*)\\/new\\/[^/]+$/.exec(String(path))?.[1];
  if (!isMainThread && work && role === undefined) {
    try { fs.closeSync(fs.openSync(__filename + '.failing', 'wx')); role = 'fail'; } catch { role = 'wait'; }
    if (role === 'wait') {
      write(waiting, '');
      for (let i = 0; i < 500 && !fs.existsSync(work); i++) sleep(20);
      for (let i = 0; i < 500 && fs.existsSync(work); i++) sleep(20);
    }
  }
  return mkdir(path, ...rest);
};
fs.writeFileSync = (path, ...rest) => {
  if (String(path).includes('/new/')) {
    if (role === 'fail') { write(thrown, ''); throw new TypeError('a defect on a worker thread'); }
    if (isMainThread && role === undefined) {
      role = 'main';
      for (let i = 0; i < 600 && !(fs.existsSync(thrown) && fs.existsSync(waiting)); i++) sleep(50);
    }
  }
  return write(path, ...rest);
};\n`);
    const result = synthCommand(['--config', dir, '--outdir', out], { ...process.env, NODE_OPTIONS: `--require ${hook}` });
    expect(existsSync(`${hook}.waiting`)).toBe(true); // the other worker had a chunk
    expect(result.stderr).toMatch(/^openshift-image-registry-cdk8s synth: internal error, please report it: TypeError: a defect on a worker thread\n/);
    expect(result.status).toBe(1);
    expect(readdirSync(out).sort()).toEqual(before);
    expect(snapshotDir(out)).toEqual(files);
  }, 120_000);

  test('atomicity: a failing config leaves a copy of dist/ byte-identical, clusters that vanish go only on success', async () => {
    const dir = folder(clusters);
    const out = join(mkdtempSync(join(tmpdir(), 'atomic-')), 'dist');
    await synth({ configDir: dir, outdir: out });
    const before = snapshotDir(out);
    writeFileSync(join(dir, 'c3.yaml'), 'name: c3\nregistry:\n  storage: {pvc: {}}\n  replicas: 2\n');
    writeFileSync(join(dir, 'c4.yaml'), 'name: c4\nregistry: {storage: {emptyDir: {}}, bogus: 1}\n');
    await expect(synth({ configDir: dir, outdir: out })).rejects.toThrow(SynthError);
    expect(snapshotDir(out)).toEqual(before);
    writeFileSync(join(dir, 'c3.yaml'), clusters['c3.yaml']);
    writeFileSync(join(dir, 'c4.yaml'), clusters['c4.yaml']);
    rmSync(join(dir, 'c5.yaml'));
    await synth({ configDir: dir, outdir: out });
    expect(readdirSync(out)).not.toContain('c5');
    expect(readdirSync(out)).toContain('c4');
  });
});

describe('kustomize build of every cluster folder', () => {
  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  const dist = join(repoRoot, 'dist');
  const fleet = (() => {
    const dir = folder({ '_defaults.yaml': defaults, 'a.yaml': 'name: a\n', 'b.yaml': 'name: b\nminio:\n  rootCredentials: {existingSecret: {}}\nregistry:\n  storage:\n    pvc: null\n    s3:\n      credentials: {existingSecret: {}}\n' });
    const out = join(mkdtempSync(join(tmpdir(), 'kust-')), 'dist');
    writeOutputDir(out, synthesizeFleet(readConfigFolder(dir)));
    return out;
  })();
  const clusterFolders = (d: string) => readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(d, e.name));
  const folders = [...clusterFolders(dist), ...clusterFolders(fleet)];
  const stageFolders = folders.flatMap((f) => readdirSync(f, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(f, e.name)));

  if (kubectl.status !== 0) {
    test('kubectl is installed (CI installs it)', () => {
      throw new Error(`kubectl is not on the PATH: ${kubectl.error?.message ?? kubectl.stderr}`);
    });
    return;
  }

  test.each([...folders, ...stageFolders])('%s builds, with every object of its YAML files', (path) => {
    const result = spawnSync('kubectl', ['kustomize', path], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const built = parseAllDocuments(result.stdout).map((d) => d.toJS());
    const listed: string[] = parse(snapshotDir(path)['kustomization.yaml']).resources;
    const expected = listed.flatMap((file) => parseAllDocuments(snapshotDir(path)[file]).map((d) => d.toJS()));
    const key = (o: { kind: string; metadata: { name: string; namespace?: string } }) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    expect(built.map(key).sort()).toEqual(expected.map(key).sort());
  });
});

test('the config folder must exist', () => {
  expect(() => readConfigFolder(join(tmpdir(), 'does-not-exist-' + process.pid))).toThrow('the config folder does not exist (give it with --config DIR)');
  expect(() => readConfigFolder(join(repoRoot, 'README.md'))).toThrow('README.md: is not a folder: --config names the folder of cluster configs');
  const empty = mkdtempSync(join(tmpdir(), 'empty-'));
  mkdirSync(join(empty, 'sub'));
  expect(() => readConfigFolder(empty)).toThrow('no cluster config (*.yaml) in this folder');
});
