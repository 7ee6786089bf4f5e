import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
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
      { change: 'removed', cluster: 'old', object: 'imageregistry.operator.openshift.io/v1 Config cluster', fields: [] },
      { change: 'changed', cluster: 'prod', object: 'v1 PersistentVolumeClaim openshift-image-registry/image-registry-pvc', fields: [{ path: 'spec.resources.requests.storage', before: '100Gi', after: '200Gi' }] },
    ]);
    expect(formatText(changes)).toBe([
      '1 added, 1 changed, 1 removed',
      '+ lab: imageregistry.operator.openshift.io/v1 Config cluster',
      '- old: imageregistry.operator.openshift.io/v1 Config cluster',
      '~ prod: v1 PersistentVolumeClaim openshift-image-registry/image-registry-pvc',
      '    spec.resources.requests.storage: "100Gi" -> "200Gi"',
      '',
    ].join('\n'));
    expect(formatMarkdown(changes)).toContain('| changed | prod | `v1 PersistentVolumeClaim openshift-image-registry/image-registry-pvc` | `spec.resources.requests.storage`: `"100Gi"` → `"200Gi"` |');
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

  test('no changes reads as such', () => {
    expect(formatText([])).toBe('no drift: dist/ is what the configs synthesize\n');
    expect(formatMarkdown([])).toBe('### Registry config: no change to dist/\n');
  });
});

describe('the diff command', () => {
  const run = (args: string[]) => spawnSync('node', [join(root, 'scripts', 'cli.mjs'), 'diff', ...args], { encoding: 'utf8' });

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

  test('a bad config or bad usage exits 2 with a message', () => {
    const config = mkdtempSync(join(tmpdir(), 'diff-config-'));
    writeFileSync(join(config, 'bad.yaml'), 'name: bad\n');
    const bad = run(['--config', config]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('registry: is required');
    const usage = run(['--format', 'html']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toBe('openshift-image-registry-cdk8s diff: --format must be text or markdown, got "html"\nusage: openshift-image-registry-cdk8s diff [--config DIR] [--dist DIR] [--format text|markdown]\n');
  });
});
