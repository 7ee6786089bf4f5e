import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeCluster } from '../../../app/charts/cluster';
import { parseConfigText } from '../../../app/config/loader';
import { isAdopted, pruneProtection } from '../../../lib/gitops/gitops-annotations';
import { readObjects, repoRoot } from '../../helpers';

// `gitops: argocd` or `gitops: flux` writes one tool's annotations only, and each is complete:
// every claim, namespace and adopted object is protected from that tool exactly as with both.

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> } };

const PREFIX = { argocd: 'argocd.argoproj.io/', flux: 'kustomize.toolkit.fluxcd.io/' } as const;
type Tool = keyof typeof PREFIX;

const configs: Record<string, string> = {
  'config/default.yaml': readFileSync(join(repoRoot, 'config', 'default.yaml'), 'utf8'),
  'config/minio-s3.yaml with applierRbac': `${readFileSync(join(repoRoot, 'config', 'minio-s3.yaml'), 'utf8').trimEnd()}\napplierRbac: {}\n`,
};

/** A cluster's files with `gitops` set (or not), as `file -> objects`, without the kustomizations. */
function synth(config: string, gitops?: Tool): Map<string, Manifest[]> {
  const text = gitops ? `${config.trimEnd()}\ngitops: ${gitops}\n` : config;
  return new Map([...synthesizeCluster(parseConfigText(text, 'cluster.yaml'))]
    .filter(([file]) => !file.endsWith('kustomization.yaml'))
    .map(([file, yaml]) => [file, readObjects(yaml) as Manifest[]]));
}

const label = (o: Manifest) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
/** `o`'s annotations that start with `prefix`. */
const annotationsOf = (o: Manifest, prefix: string) => Object.fromEntries(Object.entries(o.metadata?.annotations ?? {}).filter(([k]) => k.startsWith(prefix)));
/** `o` without any GitOps annotation (and without an annotations map left empty). */
function withoutGitOps(o: Manifest): Manifest {
  const rest = Object.fromEntries(Object.entries(o.metadata?.annotations ?? {}).filter(([k]) => !k.startsWith(PREFIX.argocd) && !k.startsWith(PREFIX.flux)));
  const { annotations: _annotations, ...metadata } = o.metadata ?? {};
  return { ...o, metadata: { ...metadata, ...(Object.keys(rest).length ? { annotations: rest } : {}) } } as Manifest;
}
const isHolder = (o: Manifest) => o.apiVersion === 'v1' && (o.kind === 'PersistentVolumeClaim' || o.kind === 'Namespace');

describe.each(Object.keys(configs))('%s', (name) => {
  const both = synth(configs[name]);

  // (The applier's rights follow from the annotations: applier-rbac.test.ts checks them.)
  test.each(['argocd', 'flux'] as const)('gitops: %s writes exactly that tool\'s annotations of both, and nothing else changes', (tool) => {
    const only = synth(configs[name], tool);
    const other = tool === 'argocd' ? PREFIX.flux : PREFIX.argocd;
    expect([...only.keys()]).toEqual([...both.keys()]);
    for (const [file, objects] of [...only].filter(([f]) => !f.startsWith('applier-rbac/'))) {
      const reference = both.get(file)!;
      expect(objects.map(label)).toEqual(reference.map(label));
      objects.forEach((object, i) => {
        expect(annotationsOf(object, PREFIX[tool])).toEqual(annotationsOf(reference[i], PREFIX[tool]));
        expect(annotationsOf(object, other)).toEqual({});
        expect(withoutGitOps(object)).toEqual(withoutGitOps(reference[i]));
      });
    }
  });

  test.each(['argocd', 'flux'] as const)('gitops: %s protects every claim, namespace and adopted object from that tool, as both do', (tool) => {
    const objects = [...synth(configs[name], tool).values()].flat();
    const protectedObjects = objects.filter((o) => isHolder(o) || isAdopted(o));
    expect(protectedObjects.map(label)).toEqual([...both.values()].flat().filter((o) => isHolder(o) || isAdopted(o)).map(label));
    expect(protectedObjects.length).toBeGreaterThanOrEqual(2);
    for (const object of protectedObjects) {
      expect({ object: label(object), kept: pruneProtection(object.metadata)[tool] }).toEqual({ object: label(object), kept: true });
      if (tool === 'argocd') expect(object.metadata.annotations![`${PREFIX.argocd}sync-options`]).toMatch(/(^|,)Delete=false(,|$)/);
    }
    // Adopted objects are applied server-side; Jobs are re-created when they change.
    for (const object of objects.filter(isAdopted)) {
      if (tool === 'argocd') expect(object.metadata.annotations![`${PREFIX.argocd}sync-options`]).toContain('ServerSideApply=true');
      else expect(object.metadata.annotations![`${PREFIX.flux}ssa`]).toBe('merge');
    }
    for (const job of objects.filter((o) => o.kind === 'Job')) {
      if (tool === 'argocd') expect(job.metadata.annotations![`${PREFIX.argocd}sync-options`]).toBe('Force=true,Replace=true');
      else expect(job.metadata.annotations![`${PREFIX.flux}force`]).toBe('enabled');
    }
    // Argo CD: every object keeps its wave.
    if (tool === 'argocd') expect(objects.every((o) => o.metadata.annotations?.[`${PREFIX.argocd}sync-wave`] !== undefined)).toBe(true);
  });
});

test('gitops takes argocd, flux or both; anything else is an error naming the field and what is allowed', () => {
  const text = readFileSync(join(repoRoot, 'config', 'default.yaml'), 'utf8');
  expect(synthesizeCluster(parseConfigText(`${text}gitops: both\n`, 'c.yaml'))).toEqual(synthesizeCluster(parseConfigText(text, 'c.yaml')));
  expect(() => parseConfigText(`${text}gitops: argo\n`, 'c.yaml')).toThrow(/^c\.yaml:\d+:9: gitops: string "argo" is not allowed; use one of both, argocd, flux$/);
});
