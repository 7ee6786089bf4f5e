import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffOutputs, formatMarkdown, formatText } from '../../app/diff/object-diff';
import { repoRoot } from '../helpers';

const root = repoRoot;
const pvc = (size: string) => `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: image-registry-pvc\n  namespace: openshift-image-registry\nspec:\n  resources:\n    requests:\n      storage: ${size}\n`;
const config = (replicas: number) => `apiVersion: imageregistry.operator.openshift.io/v1\nkind: Config\nmetadata:\n  name: cluster\nspec:\n  replicas: ${replicas}\n`;

describe('diffOutputs', () => {
  test('a known change: one changed field, one added and one removed object, by cluster', () => {
    const before = new Map([['prod/registry/registry.yaml', `${pvc('100Gi')}---\n${config(1)}`], ['old/registry/registry.yaml', config(1)]]);
    const after = new Map([['prod/registry/registry.yaml', `${pvc('200Gi')}---\n${config(1)}`], ['lab/registry/registry.yaml', config(1)]]);
    const changes = diffOutputs(before, after);
    expect(changes).toEqual([
      { change: 'added', cluster: 'lab', object: 'imageregistry.operator.openshift.io/v1 Config cluster', fields: [] },
      // Pruned, the Config's finalizer removes the registry and its Managed storage.
      { change: 'removed', cluster: 'old', object: 'imageregistry.operator.openshift.io/v1 Config cluster', fields: [], data: { loss: true, message: expect.stringContaining('will delete the registry Config: its finalizer has the operator remove the registry and its storage when Managed') } },
      { change: 'changed', cluster: 'prod', object: 'v1 PersistentVolumeClaim openshift-image-registry/image-registry-pvc', fields: [{ path: 'spec.resources.requests.storage', before: '100Gi', after: '200Gi' }] },
    ]);
    expect(formatText(changes).split('\n')).toEqual([
      expect.stringMatching(/^!!! DATA LOSS: old: imageregistry\.operator\.openshift\.io\/v1 Config cluster: leaves dist\/ without prune protection: /),
      '1 added, 1 changed, 1 removed',
      '+ lab: imageregistry.operator.openshift.io/v1 Config cluster',
      '- old: imageregistry.operator.openshift.io/v1 Config cluster  !!! DATA LOSS (above)',
      '~ prod: v1 PersistentVolumeClaim openshift-image-registry/image-registry-pvc',
      '    spec.resources.requests.storage: "100Gi" -> "200Gi"',
      '',
    ]);
    expect(formatMarkdown(changes)).toContain('| changed | prod | `v1 PersistentVolumeClaim openshift-image-registry/image-registry-pvc` | `spec.resources.requests.storage`: `"100Gi"` → `"200Gi"` |');
  });

  test('Markdown: a change between normal names reads as it did, every name as it is', () => {
    const before = new Map([['prod/registry/registry.yaml', `${pvc('100Gi')}---\n${config(1)}`], ['old/registry/registry.yaml', config(1)]]);
    const after = new Map([['prod/registry/registry.yaml', `${pvc('200Gi')}---\n${config(1)}`], ['lab/registry/registry.yaml', config(1)]]);
    const lines = formatMarkdown(diffOutputs(before, after)).split('\n');
    expect(lines.slice(0, 4)).toEqual(['### Registry config: 1 added, 1 changed, 1 removed', '', '> [!CAUTION]', '> **Data loss**']);
    expect(lines[4]).toMatch(/^> - old: `imageregistry\.operator\.openshift\.io\/v1 Config cluster`: leaves dist\/ without prune protection: Argo CD \(no Prune=false\) and Flux \(no kustomize\.toolkit\.fluxcd\.io\/prune: disabled\) will delete the registry Config: /);
    expect(lines.slice(5)).toEqual([
      '',
      '| change | cluster | object | fields |',
      '|---|---|---|---|',
      '| added | lab | `imageregistry.operator.openshift.io/v1 Config cluster` |  |',
      '| removed | old | `imageregistry.operator.openshift.io/v1 Config cluster` |  |',
      '| changed | prod | `v1 PersistentVolumeClaim openshift-image-registry/image-registry-pvc` | `spec.resources.requests.storage`: `"100Gi"` → `"200Gi"` |',
      '',
    ]);
  });

  test('Markdown: a cluster folder, name, key or value from a pull request adds no link, image, HTML, mention or table cell', () => {
    const cluster = '@octocat [click here](https:evil.example) <img src=x> | #1';
    const claim = (name: string, key: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${JSON.stringify(name)}, namespace: ns}\ndata: {${JSON.stringify(key)}: ${JSON.stringify(value)}}\n`;
    const changes = diffOutputs(new Map([[`${cluster}/a.yaml`, claim('a`b|c', 'k|`', 'v1')]]), new Map([[`${cluster}/a.yaml`, claim('a`b|c', 'k|`', '`| <b>')]]));
    const row = formatMarkdown(changes).split('\n').find((l) => l.startsWith('| changed |'))!;
    // cmark-gfm ends a cell at a `|` without a backslash before it (extensions/ext_scanners.re).
    expect(row.split(/(?<!\\)\|/)).toEqual([
      '',
      ' changed ',
      ' @&#8203;octocat \\[click here\\](https:evil.example) \\<img src=x\\> \\| #&#8203;1 ',
      ' ``v1 ConfigMap ns/a`b\\|c`` ',
      ' `` data.k\\|` ``: `"v1"` → ``"`\\| <b>"`` ',
      '',
    ]);
  });

  test('moving an object between files is not a change; a field that appears is', () => {
    const before = new Map([['prod/a.yaml', config(1)]]);
    expect(diffOutputs(before, new Map([['prod/b.yaml', config(1)]]))).toEqual([]);
    const withRoute = config(1) + '  defaultRoute: true\n';
    expect(diffOutputs(before, new Map([['prod/a.yaml', withRoute]]))[0].fields).toEqual([{ path: 'spec.defaultRoute', before: undefined, after: true }]);
    expect(formatText(diffOutputs(before, new Map([['prod/a.yaml', withRoute]])))).toContain('spec.defaultRoute: (none) -> true');
  });

  test('documents that are not API objects are compared by file', () => {
    const kustomization = (r: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${r}\n`;
    const changes = diffOutputs(new Map([['prod/kustomization.yaml', kustomization('a.yaml')]]), new Map([['prod/kustomization.yaml', kustomization('b.yaml')]]));
    expect(changes).toEqual([{ change: 'changed', cluster: 'prod', object: 'kustomization.yaml', fields: [{ path: 'resources[0]', before: 'a.yaml', after: 'b.yaml' }] }]);
  });

  test('a Secret value is never shown, in text or Markdown: only which key was added, changed or removed', () => {
    const secret = (data: Record<string, string>, stringData: Record<string, string>) =>
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: ns\ntype: Opaque\ndata: ${JSON.stringify(data)}\nstringData: ${JSON.stringify(stringData)}\n`;
    const before = new Map([['prod/s.yaml', secret({ A: 'b2xkLWE=', GONE: 'b2xkLWdvbmU=' }, { KEY: 'old-secret-value', SAME: 'same-value' })]]);
    const after = new Map([['prod/s.yaml', secret({ A: 'bmV3LWE=', NEW: 'bmV3LW5ldw==' }, { KEY: 'new-secret-value', SAME: 'same-value' }).replace('Opaque', 'Other')]]);
    const changes = diffOutputs(before, after);
    const text = formatText(changes);
    const markdown = formatMarkdown(changes);
    for (const value of ['b2xkLWE=', 'b2xkLWdvbmU=', 'old-secret-value', 'bmV3LWE=', 'bmV3LW5ldw==', 'new-secret-value', 'same-value']) {
      expect(text).not.toContain(value);
      expect(markdown).not.toContain(value);
      expect(JSON.stringify(changes)).not.toContain(value);
    }
    expect(text).toBe([
      '0 added, 1 changed, 0 removed',
      '~ prod: v1 Secret ns/creds',
      '    data.A: changed (Secret value not shown)',
      '    data.GONE: removed (Secret value not shown)',
      '    data.NEW: added (Secret value not shown)',
      '    stringData.KEY: changed (Secret value not shown)',
      '    type: "Opaque" -> "Other"',
      '',
    ].join('\n'));
    expect(markdown).toContain('`stringData.KEY`: changed (Secret value not shown)');
    // A whole values map that appears or goes: still one line per key, no value.
    const bare = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n';
    expect(formatText(diffOutputs(new Map([['p/s.yaml', bare]]), new Map([['p/s.yaml', `${bare}stringData: {K: v-a-l-u-e}\n`]])))).toContain('    stringData.K: added (Secret value not shown)\n');
    expect(formatText(diffOutputs(new Map([['p/s.yaml', `${bare}data: {K: djE=}\n`]]), new Map([['p/s.yaml', `${bare}data: null\n`]])))).not.toContain('djE=');
    // kubectl's last-applied copy holds the values again: shown as changed, never its text; other annotations as usual.
    const applied = (value: string, owner: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  annotations:\n    owner: ${owner}\n    kubectl.kubernetes.io/last-applied-configuration: '${JSON.stringify({ apiVersion: 'v1', kind: 'Secret', stringData: { K: value } })}'\n`;
    const lastApplied = formatText(diffOutputs(new Map([['p/s.yaml', applied('old-secret-value', 'a')]]), new Map([['p/s.yaml', applied('new-secret-value', 'b')]])));
    expect(lastApplied).not.toMatch(/(old|new)-secret-value/);
    expect(lastApplied).toBe([
      '0 added, 1 changed, 0 removed',
      '~ p: v1 Secret creds',
      '    metadata.annotations.kubectl.kubernetes.io/last-applied-configuration: changed (Secret value not shown)',
      '    metadata.annotations.owner: "a" -> "b"',
      '',
    ].join('\n'));
  });

  test('a long value is cut around what changed, so the two sides never look the same; --full shows both whole', () => {
    const patch = (endpoint: string) => JSON.stringify({ op: 'add', path: '/spec/storage/s3', value: { region: 'eu-west-1', bucket: 'acme-registry-images', regionEndpoint: endpoint, virtualHostedStyle: false } });
    const job = (endpoint: string) => `apiVersion: batch/v1\nkind: Job\nmetadata: {name: switch, namespace: ns}\nspec:\n  env:\n    - {name: SET, value: ${JSON.stringify(patch(endpoint))}}\n`;
    const changes = diffOutputs(new Map([['c/job.yaml', job('https://s3.eu-west-1.example.com')]]), new Map([['c/job.yaml', job('https://s3.eu-west-2.example.com')]]));
    const [line] = formatText(changes).split('\n').filter((l) => l.startsWith('    spec.env[0].value: '));
    const [before, after] = line.slice('    spec.env[0].value: '.length).split(' -> ');
    expect(before).not.toBe(after);
    // 30 characters of context on each side of the one that differs.
    expect(before).toBe('...dpoint\\":\\"https://s3.eu-west-1.example.com\\",\\"virtualHosted...');
    expect(after).toBe('...dpoint\\":\\"https://s3.eu-west-2.example.com\\",\\"virtualHosted...');
    // Whole, as JSON: what the Job gets, with nothing left out.
    expect(formatText(changes, { full: true })).toContain(`    spec.env[0].value: ${JSON.stringify(patch('https://s3.eu-west-1.example.com'))} -> ${JSON.stringify(patch('https://s3.eu-west-2.example.com'))}\n`);
    expect(formatMarkdown(changes, { full: true })).toContain(`\`${JSON.stringify(patch('https://s3.eu-west-2.example.com'))}\``);
    expect(formatMarkdown(changes)).toContain('`...dpoint\\":\\"https://s3.eu-west-2.example.com\\",\\"virtualHosted...`');
    // A long value on one side only: its start, cut at 100 characters.
    const added = diffOutputs(new Map([['c/job.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n']]), new Map([['c/job.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {k: ${JSON.stringify('y'.repeat(300))}}\n`]]));
    expect(formatText(added)).toContain(`    data: (none) -> {"k":"${'y'.repeat(91)}...\n`);
    expect(formatText(added, { full: true })).toContain(`    data: (none) -> {"k":"${'y'.repeat(300)}"}\n`);
  });

  test('no changes reads as such', () => {
    expect(formatText([])).toBe('no drift: dist/ is what the configs synthesize\n');
    expect(formatMarkdown([])).toBe('### Registry config: no change to dist/\n');
  });
});

describe('the diff command', () => {
  // The commands, in one place: their launchers are about to change.
  const run = (args: string[], env = process.env) => spawnSync(process.execPath, [join(root, 'bin', 'cli.mjs'), 'diff', ...args], { encoding: 'utf8', env });
  const synthCommand = (args: string[], env = process.env) => spawnSync(process.execPath, [join(root, 'bin', 'cli.mjs'), 'synth', ...args], { encoding: 'utf8', env });

  test('exit 0 without drift, 1 with drift, and the changed field in both formats', () => {
    const config = mkdtempSync(join(tmpdir(), 'diff-config-'));
    cpSync(join(root, 'config'), config, { recursive: true });
    expect(run(['--config', config, '--dist', join(root, 'dist')]).status).toBe(0);
    writeFileSync(join(config, 'default.yaml'), 'name: default\nregistry:\n  managementState: Managed\n  storage:\n    pvc:\n      name: image-registry-pvc\n      size: 200Gi\n');
    const text = run(['--config', config, '--dist', join(root, 'dist')]);
    expect(text.status).toBe(1);
    expect(text.stdout).toBe('0 added, 1 changed, 0 removed\n~ default: v1 PersistentVolumeClaim openshift-image-registry/image-registry-pvc\n    spec.resources.requests.storage: "100Gi" -> "200Gi"\n');
    const markdown = run(['--config', config, '--dist', join(root, 'dist'), '--format', 'markdown']);
    expect(markdown.status).toBe(1);
    expect(markdown.stdout).toMatch(/^### Registry config: 0 added, 1 changed, 0 removed\n/);
  });

  test('--full shows the storage switch\'s patch whole, as the Job carries it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'diff-full-'));
    mkdirSync(join(dir, 'config'));
    const config = (endpoint: string) => `name: aws\nregistry:\n  storage:\n    s3:\n      bucket: acme-registry-images\n      region: eu-west-1\n      regionEndpoint: ${endpoint}\n      credentials: {existingSecret: {}}\n`;
    writeFileSync(join(dir, 'config', 'aws.yaml'), config('https://s3.eu-west-1.example.com'));
    expect(synthCommand(['--config', join(dir, 'config'), '--outdir', join(dir, 'dist')]).status).toBe(0);
    writeFileSync(join(dir, 'config', 'aws.yaml'), config('https://s3.eu-west-2.example.com'));
    const setOf = (yaml: string) => (parseAllDocuments(yaml).map((d) => d.toJS()).find((o) => o.kind === 'Job').spec.template.spec.containers[0].env as { name: string; value: string }[]).find((e) => e.name === 'SET')!.value;
    const before = setOf(readFileSync(join(dir, 'dist', 'aws', 'storage-switch', 'storage-switch.yaml'), 'utf8'));
    expect(before.length).toBeGreaterThan(100);
    const full = run(['--config', join(dir, 'config'), '--dist', join(dir, 'dist'), '--full']);
    expect(full.status).toBe(1);
    expect(full.stdout).toContain(`: ${JSON.stringify(before)} -> ${JSON.stringify(before.replace('eu-west-1.example', 'eu-west-2.example'))}\n`);
    const cut = run(['--config', join(dir, 'config'), '--dist', join(dir, 'dist')]);
    expect(cut.stdout).not.toContain(JSON.stringify(before));
    expect(cut.stdout).toContain('https://s3.eu-west-1.example.com\\",\\"virtualHosted... -> ...');
  });

  test('a plain Secret whose values changed: the diff names the keys, never the old or new values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'diff-secret-'));
    mkdirSync(join(dir, 'config'));
    writeFileSync(join(dir, 'config', 'lab.yaml'), 'name: lab\nminio:\n  rootCredentials:\n    plainSecret:\n      fromEnv: {MINIO_ROOT_USER: PLAIN_SECRET_USER, MINIO_ROOT_PASSWORD: PLAIN_SECRET_PASSWORD}\nregistry:\n  storage:\n    s3:\n      credentials: {existingSecret: {}}\n');
    const env = (password: string) => ({ ...process.env, PLAIN_SECRET_USER: 'admin-user-name', PLAIN_SECRET_PASSWORD: password });
    expect(synthCommand(['--config', join(dir, 'config'), '--outdir', join(dir, 'dist')], env('old-password-1234')).status).toBe(0);
    for (const format of ['text', 'markdown']) {
      const result = run(['--config', join(dir, 'config'), '--dist', join(dir, 'dist'), '--format', format], env('new-password-5678'));
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('stringData.MINIO_ROOT_PASSWORD');
      expect(result.stdout).toContain('changed (Secret value not shown)');
      expect(result.stdout + result.stderr).not.toMatch(/old-password-1234|new-password-5678|admin-user-name/);
    }
  });

  test('a URL\'s user and password in a changed value are never shown, in text or Markdown', () => {
    const route = (endpoint: string) => `apiVersion: imageregistry.operator.openshift.io/v1\nkind: Config\nmetadata: {name: cluster}\nspec:\n  storage:\n    s3: {bucket: b, regionEndpoint: "${endpoint}"}\n`;
    const changes = diffOutputs(new Map([['p/c.yaml', route('https://AKIA:old-secret@s3.example.com')]]), new Map([['p/c.yaml', route('https://AKIA:new-secret@s3.example.com')]]));
    for (const shown of [formatText(changes), formatMarkdown(changes)]) {
      expect(shown).not.toMatch(/old-secret|new-secret|AKIA/);
      expect(shown).toContain('https://***@s3.example.com');
    }
  });

  test('what a killed synth leaves in dist/ (its work folder, its lock) is not output: no drift', () => {
    const dist = mkdtempSync(join(tmpdir(), 'diff-dist-'));
    cpSync(join(root, 'dist'), dist, { recursive: true });
    const work = join(dist, '.synth-4242');
    mkdirSync(join(work, 'new', 'ghost'), { recursive: true });
    writeFileSync(join(work, 'new', 'ghost', 'registry.yaml'), config(3));
    cpSync(join(dist, 'default'), join(work, 'old', 'default'), { recursive: true });
    writeFileSync(join(dist, '.synth-lock'), '4242 build-host\n');
    const result = run(['--config', join(root, 'config'), '--dist', dist]);
    expect(result.stdout).toBe(`no drift: ${dist}/ is what the configs synthesize\n`);
    expect(result.status).toBe(0);
  });

  test('what synth leaves alone in its folder (a README, a folder of notes) is not drift, and is named', () => {
    const dist = mkdtempSync(join(tmpdir(), 'diff-dist-'));
    cpSync(join(root, 'dist'), dist, { recursive: true });
    writeFileSync(join(dist, 'README.md'), 'Applied by Argo CD.\n');
    mkdirSync(join(dist, 'notes'));
    writeFileSync(join(dist, 'notes', 'extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: n, namespace: x}\n');
    const result = run(['--config', join(root, 'config'), '--dist', dist]);
    expect(result.stderr).toBe(`note: ${dist}/README.md was not written by synth: not compared\nnote: ${dist}/notes was not written by synth: not compared\n`);
    expect(result.stdout).toBe(`no drift: ${dist}/ is what the configs synthesize\n`);
    expect(result.status).toBe(0);
  });

  test('an output folder that does not exist: every object is added, and a note says the folder is missing', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'diff-dist-')), 'nope');
    const result = run(['--config', join(root, 'config'), '--dist', missing]);
    expect(result.stderr).toBe(`note: ${missing} does not exist: every object is new\n`);
    expect(result.stdout).toMatch(/^\+ default: /m);
    expect(result.status).toBe(1);
  });

  test('a bad config or bad usage exits 2 with a message', () => {
    const config = mkdtempSync(join(tmpdir(), 'diff-config-'));
    writeFileSync(join(config, 'bad.yaml'), 'name: bad\n');
    const bad = run(['--config', config]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('registry: is required');
    const usage = run(['--format', 'html']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toBe('openshift-image-registry-cdk8s diff: --format must be text or markdown, got "html"\nusage: openshift-image-registry-cdk8s diff [--config DIR] [--dist DIR] [--format text|markdown] [--full]\n');
  });
});

describe('the diff command on a hostile dist/', () => {
  const copyOfDist = () => {
    const dist = mkdtempSync(join(tmpdir(), 'diff-dist-'));
    cpSync(join(repoRoot, 'dist'), dist, { recursive: true });
    return dist;
  };
  const diff = (dist: string, args: string[] = []) => spawnSync(process.execPath, [join(repoRoot, 'bin', 'cli.mjs'), 'diff', '--dist', dist, ...args], { encoding: 'utf8', cwd: repoRoot });
  const diffWith = (file: string, text: string) => {
    const dist = copyOfDist();
    writeFileSync(join(dist, 'default', file), text);
    return { ...diff(dist), dist };
  };

  test('a file that is not YAML in a cluster folder (a README, a .gitattributes, a FIFO) is not read: a file the next synth removes', () => {
    const dist = copyOfDist();
    writeFileSync(join(dist, 'default', 'README.md'), '# Manifests\n\nApply: oc apply -k dist/<cluster>\n- storage switch first\n');
    writeFileSync(join(dist, 'default', '.gitattributes'), '* text=auto\n');
    mkdirSync(join(dist, 'default', 'notes'));
    writeFileSync(join(dist, 'default', 'notes', 'plan.txt'), 'a: [\n');
    // Opened, a FIFO would block diff until something writes to it.
    expect(spawnSync('mkfifo', [join(dist, 'default', 'pipe')]).status).toBe(0);
    const result = diff(dist);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('0 added, 0 changed, 4 removed\n- default: .gitattributes\n- default: README.md\n- default: notes/plan.txt\n- default: pipe\n');
    expect(result.status).toBe(1);
    // The next synth does remove them: diff then finds nothing.
    const config = mkdtempSync(join(tmpdir(), 'diff-config-'));
    cpSync(join(repoRoot, 'config'), config, { recursive: true });
    expect(spawnSync(process.execPath, [join(repoRoot, 'bin', 'cli.mjs'), 'synth', '--config', config, '--outdir', dist], { encoding: 'utf8' }).status).toBe(0);
    expect(diff(dist, ['--config', config])).toMatchObject({ status: 0, stdout: `no drift: ${dist}/ is what the configs synthesize\n` });
  });

  test('a YAML file at the top of an output folder without a marker is named alone, not as a cluster with a dangling colon', () => {
    const dist = copyOfDist();
    rmSync(join(dist, '.synth-output'));
    writeFileSync(join(dist, 'notes.yaml'), 'owner: platform\n');
    expect(diff(dist)).toMatchObject({ status: 1, stdout: '0 added, 0 changed, 1 removed\n- notes.yaml\n' });
  });

  test('an alias bomb, a broken alias or a duplicate key in a dist file: one line naming it, exit 2, no stack trace', () => {
    // Nine levels of ten aliases each: a billion values once expanded.
    const laughs = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`)].join('\n');
    const cases: [string, RegExp][] = [
      [laughs, /^\/default\/extra\.yaml: the file expands to more than 1000000 values \(maps, lists and scalars[^\n]*; the limit is 1000000: use fewer aliases\n$/],
      ['a: *nope\n', /^\/default\/extra\.yaml: cannot be read as YAML: unidentified alias "nope"[^\n]*\n$/],
      ['a: 1\nb: 2\na: 3\n', /^\/default\/extra\.yaml: cannot be read as YAML: duplicated mapping key[^\n]*\n$/],
      ['a:\n  __proto__: {x: 1}\n', /^\/default\/extra\.yaml: a\.__proto__: "__proto__" cannot be a key[^\n]*\n$/],
    ];
    for (const [text, message] of cases) {
      const result = diffWith('extra.yaml', text);
      expect(result.status).toBe(2);
      // Named as the user sees it: in the folder given by --dist.
      expect(result.stderr.startsWith(result.dist)).toBe(true);
      expect(result.stderr.slice(result.dist.length)).toMatch(message);
    }
  });

  test('a map of 40000 keys in a dist file is read and compared (it took 19 s when the duplicate-key check was quadratic)', () => {
    const keys = Array.from({ length: 40000 }, (_, i) => `  k${i}: v`).join('\n');
    const result = diffWith('big.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  namespace: x\ndata:\n${keys}\n`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('- default: v1 ConfigMap x/big');
  });
});
