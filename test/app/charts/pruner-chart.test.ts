import { synthesizeCluster } from '../../../app/charts/cluster';
import { parseConfigText, parseDefaultsText } from '../../../app/config/loader';
import { readObject } from '../../helpers';

const base = 'name: a\nregistry:\n  storage: {emptyDir: {}}\n';
const synthText = (text: string) => synthesizeCluster(parseConfigText(text, 'cluster.yaml'));

describe('the pruner section', () => {
  test('without it, no ImagePruner is written', () => {
    const files = synthText(base);
    expect([...files.keys()].some((f) => f.includes('pruner'))).toBe(false);
    expect([...files.values()].some((text) => text.includes('ImagePruner'))).toBe(false);
  });

  test('with it, registry/pruner.yaml holds the ImagePruner cluster, after the Config in the registry stage', () => {
    const files = synthText(`${base}pruner: {}\n`);
    expect(readObject(files.get('registry/kustomization.yaml')!).resources).toEqual(['registry.yaml', 'pruner.yaml']);
    expect(readObject(files.get('kustomization.yaml')!).resources.slice(-2)).toEqual(['registry/registry.yaml', 'registry/pruner.yaml']);
    expect(readObject(files.get('registry/pruner.yaml')!)).toEqual({
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'ImagePruner',
      metadata: {
        name: 'cluster',
        annotations: {
          'argocd.argoproj.io/sync-wave': '2',
          'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=false,Delete=false',
          'kustomize.toolkit.fluxcd.io/ssa': 'merge',
          'kustomize.toolkit.fluxcd.io/prune': 'disabled',
        },
      },
      spec: {},
    });
  });

  test('every field reaches the ImagePruner\'s spec as written', () => {
    const pruner = {
      schedule: '30 1 * * sun',
      suspend: false,
      keepTagRevisions: 5,
      keepYoungerThanDuration: '168h',
      ignoreInvalidImageReferences: true,
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } },
      nodeSelector: { 'node-role.kubernetes.io/infra': '' },
      tolerations: [{ key: 'node-role.kubernetes.io/infra', operator: 'Exists', effect: 'NoSchedule' }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } },
      logLevel: 'Debug',
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 4,
    };
    const files = synthText(`${base}pruner: ${JSON.stringify(pruner)}\n`);
    expect(readObject(files.get('registry/pruner.yaml')!).spec).toEqual(pruner);
  });

  test('rule errors point at the config field, with line and column', () => {
    expect(() => synthText(`${base}pruner:\n  schedule: "*/0 * * * *"\n`)).toThrow('cluster.yaml:5:13: pruner.schedule: "*/0 * * * *" minute "*/0": the step must be a positive number');
    expect(() => synthText(`${base}pruner:\n  tolerations: [{operator: Exists, value: x}]\n`)).toThrow('cluster.yaml:5:43: pruner.tolerations[0].value: must be empty when operator is Exists');
    expect(() => synthText(`${base}pruner:\n  resources: {requests: {cpu: "2"}, limits: {cpu: "1"}}\n`)).toThrow('pruner.resources.requests.cpu: "2" is more than the limit "1"');
  });

  test('a misspelt affinity field is refused at its config path, against the ImagePruner\'s CRD', () => {
    expect(() => synthText(`${base}pruner:\n  affinity: {nodeAffinity: {requiredDuringScheduling: {}}}\n`)).toThrow(/pruner\.affinity\.nodeAffinity/);
  });

  test('a pruner in _defaults.yaml reaches every cluster, and a cluster may override a field of it', () => {
    const defaults = parseDefaultsText('pruner:\n  schedule: "0 2 * * *"\n  keepTagRevisions: 5\n', '_defaults.yaml');
    const files = synthesizeCluster(parseConfigText(`${base}pruner:\n  keepTagRevisions: 2\n`, 'cluster.yaml', defaults));
    expect(readObject(files.get('registry/pruner.yaml')!).spec).toEqual({ schedule: '0 2 * * *', keepTagRevisions: 2 });
  });

  test('a pruner field the cluster\'s OpenShift version lacks is refused at its config field, naming where the version is set', () => {
    const affinity = '{podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{topologyKey: zone, matchLabelKeys: [app]}]}}';
    expect(() => synthText(`name: a\nopenshiftVersion: "4.15"\nregistry:\n  storage: {emptyDir: {}}\npruner:\n  affinity: ${affinity}\n`)).toThrow(
      'pruner.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].matchLabelKeys: is not in OpenShift 4.15\'s ImagePruner CRD; it first appears in 4.16 (openshiftVersion: "4.15" at cluster.yaml:2:19;');
    expect(readObject(synthText(`name: a\nopenshiftVersion: "4.16"\nregistry:\n  storage: {emptyDir: {}}\npruner:\n  affinity: ${affinity}\n`).get('registry/pruner.yaml')!)
      .spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].matchLabelKeys).toEqual(['app']);
  });
});
