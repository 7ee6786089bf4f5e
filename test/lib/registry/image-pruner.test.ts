import { App, Chart, Testing } from 'cdk8s';
import { ConfigSpecResourcesLimits, ConfigSpecResourcesRequests } from '../../../imports/imageregistry-imageregistry.operator.openshift.io';
import { ImagePruner, ImagePrunerProps } from '../../../lib/registry/image-pruner';
import { LogLevel } from '../../../lib/registry/image-registry';
import { ValidationError } from '../../../lib/rules/validation-error';

function synth(props?: ImagePrunerProps) {
  const chart = Testing.chart();
  new ImagePruner(chart, 'Pruner', props);
  return Testing.synth(chart);
}

function thrown(props: ImagePrunerProps): ValidationError {
  try {
    synth(props);
  } catch (e) {
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('ImagePruner', () => {
  test('is the ImagePruner named cluster, cluster-scoped, and by default writes no field: the operator\'s values stay', () => {
    const objects = synth();
    expect(objects).toEqual([{ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'ImagePruner', metadata: { name: 'cluster' }, spec: {} }]);
  });

  test('writes every field it is given, as the operator reads it', () => {
    const [pruner] = synth({
      schedule: '30 2 * * 0',
      suspend: false,
      keepTagRevisions: 5,
      keepYoungerThanDuration: '168h',
      ignoreInvalidImageReferences: true,
      resources: { requests: { cpu: ConfigSpecResourcesRequests.fromString('50m') }, limits: { memory: ConfigSpecResourcesLimits.fromString('1Gi') } },
      nodeSelector: { 'node-role.kubernetes.io/infra': '' },
      tolerations: [{ key: 'node-role.kubernetes.io/infra', operator: 'Exists', effect: 'NoSchedule' }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } },
      logLevel: LogLevel.DEBUG,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 5,
    });
    expect(pruner.spec).toEqual({
      schedule: '30 2 * * 0',
      suspend: false,
      keepTagRevisions: 5,
      keepYoungerThanDuration: '168h',
      ignoreInvalidImageReferences: true,
      resources: { requests: { cpu: '50m' }, limits: { memory: '1Gi' } },
      nodeSelector: { 'node-role.kubernetes.io/infra': '' },
      tolerations: [{ key: 'node-role.kubernetes.io/infra', operator: 'Exists', effect: 'NoSchedule' }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } },
      logLevel: 'Debug',
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 5,
    });
  });

  test('false and 0 are written, not dropped (they differ from the operator\'s values)', () => {
    const [pruner] = synth({ suspend: true, ignoreInvalidImageReferences: false, keepTagRevisions: 0, successfulJobsHistoryLimit: 0 });
    expect(pruner.spec).toEqual({ suspend: true, ignoreInvalidImageReferences: false, keepTagRevisions: 0, successfulJobsHistoryLimit: 0 });
  });

  test('refuses what the rules refuse, with the rule\'s message at the prop\'s name', () => {
    const error = thrown({ schedule: '0 0 * * 7' });
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe('schedule');
    expect(error.problem).toMatch(/^"0 0 \* \* 7" day of week "7": 7 is above the maximum 6; Sunday is 0\. The operator copies/);
    expect(thrown({ keepYoungerThanDuration: '7d' }).field).toBe('keepYoungerThanDuration');
    expect(thrown({ keepTagRevisions: -1 }).field).toBe('keepTagRevisions');
    expect(thrown({ failedJobsHistoryLimit: -1 }).field).toBe('failedJobsHistoryLimit');
    expect(thrown({ tolerations: [{ operator: 'Exists', value: 'x' }] }).field).toBe('tolerations[0].value');
  });

  test('refuses a log level outside the enum and a quantity that is not one', () => {
    expect(thrown({ logLevel: 'Verbose' as LogLevel }).message).toBe('logLevel: "Verbose" is not allowed; use one of Normal, Debug, Trace, TraceAll');
    expect(thrown({ resources: { limits: { memory: ConfigSpecResourcesLimits.fromString('1GB') } } }).field).toBe('resources.limits.memory');
  });

  test('has no warnings for props it accepts', () => {
    const chart = Testing.chart();
    expect(new ImagePruner(chart, 'Pruner', { schedule: '@daily' }).warnings).toEqual([]);
  });

  test('refuses a field the cluster\'s OpenShift version lacks, and takes it from the version that has it', () => {
    const resources = { claims: [{ name: 'gpu' }] } as unknown as ImagePrunerProps['resources'];
    expect(() => new ImagePruner(new Chart(new App(), 'c'), 'P', { resources, openshiftVersion: '4.12' }))
      .toThrow('resources.claims: is not in OpenShift 4.12\'s ImagePruner CRD; it first appears in 4.13');
    expect(new ImagePruner(new Chart(new App(), 'c'), 'P', { resources, openshiftVersion: '4.13' }).openshiftVersion).toBe('4.13');
    expect(() => new ImagePruner(new Chart(new App(), 'c'), 'P', { openshiftVersion: '4.11' as never })).toThrow('openshiftVersion: "4.11" is not a known OpenShift version');
  });
});

test('a cluster holds one ImagePruner: a second is refused, one in another cluster is not', () => {
  const app = new App();
  const chart = new Chart(app, 'prod');
  new ImagePruner(chart, 'P');
  expect(() => new ImagePruner(chart, 'Q')).toThrow('Q: cluster prod already has the ImagePruner cluster: a cluster has one');
  expect(() => new ImagePruner(new Chart(app, 'lab'), 'P')).not.toThrow();
});
