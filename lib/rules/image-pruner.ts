// The image pruner's rules, over the ImagePruner's spec. The operator copies the spec into
// CronJob openshift-image-registry/image-pruner running `oc adm prune images`
// (pkg/resource/prunercronjob.go): what that CronJob or `oc` refuses fails there, after the
// ImagePruner was accepted, and shows only as Degraded on the ImagePruner. Constructs run these
// rules on what they write, `validate` on manifests from disk: the same messages.
import { PRUNER_CRONJOB_NAME, REGISTRY_NAMESPACE } from '../registry/constants';
import { cronScheduleProblem, cronScheduleRarity } from './cron';
import { formatGoDuration, parseGoDuration } from './go-duration';
import { checkPodPlacement } from './pod-placement';
import { checkVersionFields, DEFAULT_OPENSHIFT_VERSION, OpenShiftVersion } from './openshift-version';
import type { RuleFinding } from './registry-rules';
import { asMap, Obj, quote } from './shapes';

const MAX_INT32 = 2 ** 31 - 1;
/** An @every schedule shorter than this is a warning. */
const EVERY_WARNING_BELOW = 3_600_000_000_000n;
const CRONJOB = `CronJob ${REGISTRY_NAMESPACE}/${PRUNER_CRONJOB_NAME}`;

/** What the pruner's rules know of the cluster. */
export interface PrunerFacts {
  /**
   * The cluster's OpenShift version: fields its ImagePruner CRD lacks are errors.
   * @default DEFAULT_OPENSHIFT_VERSION (the newest known)
   */
  readonly openshiftVersion?: OpenShiftVersion;
}

/** Checks an ImagePruner's `spec` (any shape: nothing here throws on a malformed one). */
export function checkImagePruner(spec: unknown, facts: PrunerFacts = {}): RuleFinding[] {
  // Fields the cluster's CRD lacks first: the other rules assume the field exists.
  const findings: RuleFinding[] = checkVersionFields('ImagePruner', spec, facts.openshiftVersion ?? DEFAULT_OPENSHIFT_VERSION);
  const add = (field: string, message: string, severity: RuleFinding['severity'] = 'error') => findings.push({ field, message, severity });
  const s = asMap(spec);
  schedule(s, add);
  keepYoungerThanDuration(s, add);
  keepYoungerThan(s, add);
  keepTagRevisions(s, add);
  historyLimits(s, add);
  checkPodPlacement(s, add);
  return findings;
}

type Add = (field: string, message: string, severity?: RuleFinding['severity']) => void;

/** An empty schedule is the operator's default ("0 0 * * *"); any other must pass the CronJob API. */
function schedule(spec: Obj, add: Add): void {
  const value = spec.schedule;
  if (value === undefined || value === '' || typeof value !== 'string') return;
  const problem = cronScheduleProblem(value);
  if (problem) {
    add('schedule', `${quote(value)} ${problem}. The operator copies the schedule into ${CRONJOB}, the API server refuses it, and the pruner stops running (Degraded, SyncError); write five fields (minute hour day-of-month month day-of-week) such as "0 0 * * *", or @daily, @hourly, @every 6h`);
    return;
  }
  // The API server takes a date that never comes (robfig/cron reads each field alone); the
  // CronJob then never starts a Job, and the ImagePruner still reports Scheduled, not Degraded
  // (pkg/operator/controllerimagepruner.go syncPrunerStatus).
  const rarity = cronScheduleRarity(value);
  if (rarity === 'never') {
    add('schedule', `${quote(value)} names a day of month that none of its months has (the 30th of February, the 31st of April, ...): the API server accepts it, but the CronJob never starts the pruner, and the ImagePruner still reports Scheduled, not Degraded, while no image is ever pruned. Name a day every chosen month has (1 to 28 for February), or a day of week instead of the day of month`, 'warning');
  } else if (rarity === 'leap-years') {
    add('schedule', `${quote(value)} matches only the 29th of February: the pruner runs once in four years. Name a day every year has`, 'warning');
  }
  const every = /^@every (.*)$/s.exec(value);
  const interval = every ? parseGoDuration(every[1]).nanoseconds : undefined;
  if (interval !== undefined && interval < EVERY_WARNING_BELOW) {
    // robfig/cron's Every() rounds anything under a second (zero and negatives too) up to one second.
    const runs = interval < 1_000_000_000n ? 'every second (the CronJob rounds shorter intervals up to 1s)' : `every ${formatGoDuration(interval)}`;
    add('schedule', `${quote(value)} starts the pruner ${runs}; each run reads every image and image stream of the cluster, so runs that close together load the API server and may overlap. Prune at most hourly: @hourly, @every 6h or @daily`, 'warning');
  }
}

/**
 * metav1.Duration is read with Go's time.ParseDuration. The CRD's `format: duration` lets the API
 * server take more (7d, 1w), which the operator then cannot read at all; `oc` refuses negatives.
 */
function keepYoungerThanDuration(spec: Obj, add: Add): void {
  const value = spec.keepYoungerThanDuration;
  if (typeof value !== 'string') return;
  const parsed = parseGoDuration(value);
  if (parsed.problem !== undefined) {
    const days = /^\s*(\d+)\s*d(ays?)?\s*$/i.exec(value);
    const hint = days ? ` (${value} is ${Number(days[1]) * 24}h)` : '';
    add('keepYoungerThanDuration', `${quote(value)} ${parsed.problem}: write hours, minutes and seconds such as 60m, 1h30m or 168h${hint}; the API server may take more (7d), but the operator reads the field with Go's time.ParseDuration and fails on anything else`);
  } else if (parsed.nanoseconds < 0n) {
    add('keepYoungerThanDuration', `${quote(value)} is negative: oc adm prune images refuses it ("--keep-younger-than must be greater than or equal to 0") and every pruner job fails`);
  }
}

/** The deprecated nanosecond field: still read, but only when keepYoungerThanDuration is not set. */
function keepYoungerThan(spec: Obj, add: Add): void {
  const value = spec.keepYoungerThan;
  if (value === undefined) return;
  if (spec.keepYoungerThanDuration !== undefined) {
    add('keepYoungerThan', 'is deprecated and ignored, as keepYoungerThanDuration is set: remove it', 'warning');
    return;
  }
  if (typeof value === 'number' && Number.isInteger(value) && value < 0) {
    add('keepYoungerThan', `${value} is negative: oc adm prune images refuses it and every pruner job fails`);
    return;
  }
  const instead = typeof value === 'number' && Number.isSafeInteger(value) ? ` (${value} nanoseconds is keepYoungerThanDuration: ${formatGoDuration(BigInt(value))})` : '';
  add('keepYoungerThan', `is deprecated (nanoseconds); write keepYoungerThanDuration instead${instead}`, 'warning');
}

/** `oc adm prune images` refuses a negative --keep-tag-revisions; the operator passes the value on. */
function keepTagRevisions(spec: Obj, add: Add): void {
  const value = spec.keepTagRevisions;
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    add('keepTagRevisions', `${quote(value)} must be a whole number >= 0: oc adm prune images refuses a negative count ("--keep-tag-revisions must be greater than or equal to 0") and every pruner job fails`);
  }
}

/** int32 in the ImagePruner, copied into the CronJob, which refuses negatives. */
function historyLimits(spec: Obj, add: Add): void {
  for (const field of ['successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) {
    const value = spec[field];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_INT32) {
      add(field, `${quote(value)} must be a whole number from 0 to ${MAX_INT32} (an int32): the operator copies it into ${CRONJOB}, which refuses negatives, and the pruner stops running (Degraded, SyncError)`);
    }
  }
}
