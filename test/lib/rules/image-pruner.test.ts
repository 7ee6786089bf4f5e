import { checkImagePruner } from '../../../lib/rules/image-pruner';

const errors = (spec: unknown) => checkImagePruner(spec).filter((f) => f.severity === 'error').map((f) => `${f.field}: ${f.message}`);
const warnings = (spec: unknown) => checkImagePruner(spec).filter((f) => f.severity === 'warning').map((f) => `${f.field}: ${f.message}`);

describe('the image pruner\'s rules', () => {
  test('an empty spec and the operator\'s own values pass', () => {
    expect(checkImagePruner({})).toEqual([]);
    expect(checkImagePruner({ schedule: '', suspend: false, keepTagRevisions: 3, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3, ignoreInvalidImageReferences: true })).toEqual([]);
  });

  test('schedule: one the CronJob API refuses is an error that says what happens and what to write', () => {
    expect(errors({ schedule: '0 0 * * 7' })).toEqual([
      'schedule: "0 0 * * 7" day of week "7": 7 is above the maximum 6; Sunday is 0. The operator copies the schedule into CronJob openshift-image-registry/image-pruner, the API server refuses it, and the pruner stops running (Degraded, SyncError); write five fields (minute hour day-of-month month day-of-week) such as "0 0 * * *", or @daily, @hourly, @every 6h',
    ]);
    expect(errors({ schedule: 'CRON_TZ=UTC 0 0 * * *' })[0]).toContain('names a time zone');
    expect(errors({ schedule: '@weekly' })).toEqual([]);
  });

  test('keepYoungerThanDuration: a Go duration, never days, never negative', () => {
    expect(errors({ keepYoungerThanDuration: '1h30m' })).toEqual([]);
    expect(errors({ keepYoungerThanDuration: '0' })).toEqual([]);
    expect(errors({ keepYoungerThanDuration: '7d' })).toEqual([
      'keepYoungerThanDuration: "7d" has the unit "d", which Go does not know (ns, us, ms, s, m, h; no days or weeks): write hours, minutes and seconds such as 60m, 1h30m or 168h (7d is 168h); the API server may take more (7d), but the operator reads the field with Go\'s time.ParseDuration and fails on anything else',
    ]);
    expect(errors({ keepYoungerThanDuration: '-1h' })).toEqual([
      'keepYoungerThanDuration: "-1h" is negative: oc adm prune images refuses it ("--keep-younger-than must be greater than or equal to 0") and every pruner job fails',
    ]);
  });

  test('keepYoungerThan (nanoseconds) is deprecated: a warning with the duration to write instead; ignored beside keepYoungerThanDuration', () => {
    expect(warnings({ keepYoungerThan: 5_400_000_000_000 })).toEqual(['keepYoungerThan: is deprecated (nanoseconds); write keepYoungerThanDuration instead (5400000000000 nanoseconds is keepYoungerThanDuration: 1h30m)']);
    expect(warnings({ keepYoungerThan: 1, keepYoungerThanDuration: '1h' })).toEqual(['keepYoungerThan: is deprecated and ignored, as keepYoungerThanDuration is set: remove it']);
    expect(errors({ keepYoungerThan: -1 })).toEqual(['keepYoungerThan: -1 is negative: oc adm prune images refuses it and every pruner job fails']);
    expect(errors({ keepYoungerThan: -1, keepYoungerThanDuration: '1h' })).toEqual([]);
  });

  test('keepTagRevisions: a whole number >= 0', () => {
    expect(errors({ keepTagRevisions: 0 })).toEqual([]);
    expect(errors({ keepTagRevisions: -1 })).toEqual(['keepTagRevisions: -1 must be a whole number >= 0: oc adm prune images refuses a negative count ("--keep-tag-revisions must be greater than or equal to 0") and every pruner job fails']);
    expect(errors({ keepTagRevisions: 1.5 })).toHaveLength(1);
  });

  test('job history limits: int32 >= 0, as the CronJob takes them', () => {
    expect(errors({ successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 2 ** 31 - 1 })).toEqual([]);
    expect(errors({ successfulJobsHistoryLimit: -1 })).toEqual(['successfulJobsHistoryLimit: -1 must be a whole number from 0 to 2147483647 (an int32): the operator copies it into CronJob openshift-image-registry/image-pruner, which refuses negatives, and the pruner stops running (Degraded, SyncError)']);
    expect(errors({ failedJobsHistoryLimit: 2 ** 31 })).toEqual([expect.stringMatching(/^failedJobsHistoryLimit: 2147483648 must be a whole number from 0/)]);
  });

  test('nodeSelector, tolerations, affinity and resources: the same rules as the registry\'s', () => {
    expect(errors({ affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 101, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname' } }] } } })).toEqual(['affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: 101 is not allowed: the API server takes weights from 1 to 100']);
    expect(errors({ nodeSelector: { 'bad key!': 'x' } })).toEqual([expect.stringMatching(/^nodeSelector\.bad key!: the key "bad key!" is not a label key/)]);
    expect(errors({ tolerations: [{ operator: 'Exists', value: 'x' }] })).toEqual(['tolerations[0].value: must be empty when operator is Exists']);
    expect(errors({ resources: { requests: { memory: '1Gi' }, limits: { memory: '512Mi' } } })).toEqual(['resources.requests.memory: "1Gi" is more than the limit "512Mi"; the API server refuses requests above limits']);
  });

  test('never throws on a malformed spec', () => {
    for (const spec of [null, 'x', [], { schedule: 5, keepYoungerThanDuration: {}, tolerations: 'x', resources: [] }]) {
      expect(() => checkImagePruner(spec)).not.toThrow();
    }
  });
});

test('a schedule that never fires is a warning, as the API server takes it and the pruner never runs', () => {
  const warnings = (schedule: string) => checkImagePruner({ schedule }).filter((f) => f.severity === 'warning');
  for (const schedule of ['0 0 30 2 *', '0 0 31 4,6,9,11 *', '0 0 31 2,4 *']) {
    expect(warnings(schedule)).toEqual([{ field: 'schedule', severity: 'warning', message: expect.stringMatching(/names a day of month that none of its months has .*the CronJob never starts the pruner, and the ImagePruner still reports Scheduled/) }]);
  }
  expect(warnings('0 0 29 2 *')).toEqual([{ field: 'schedule', severity: 'warning', message: '"0 0 29 2 *" matches only the 29th of February: the pruner runs once in four years. Name a day every year has' }]);
  // Day of month and day of week both restricted: either matches, so every Monday in February.
  expect(warnings('0 0 30 2 1')).toEqual([]);
  expect(checkImagePruner({ schedule: '0 0 30 2 *' }).filter((f) => f.severity === 'error')).toEqual([]);
});

test('an @every schedule under an hour is a warning; under a second it says the CronJob runs every second', () => {
  const warnings = (schedule: string) => checkImagePruner({ schedule }).filter((f) => f.severity === 'warning');
  expect(warnings('@every 30m')).toEqual([{ field: 'schedule', severity: 'warning', message: expect.stringMatching(/^"@every 30m" starts the pruner every 30m; each run reads every image/) }]);
  expect(warnings('@every 1ns')[0].message).toMatch(/^"@every 1ns" starts the pruner every second \(the CronJob rounds shorter intervals up to 1s\)/);
  expect(warnings('@every -1h')[0].message).toMatch(/every second/);
  expect(warnings('@every 1h')).toEqual([]);
  expect(warnings('@hourly')).toEqual([]);
  expect(checkImagePruner({ schedule: '@every 1ns' }).filter((f) => f.severity === 'error')).toEqual([]);
});
