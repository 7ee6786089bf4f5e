// Objects no operator writes, from a hostile-input review: a status of the wrong shape, entries
// that are not conditions, fields of any type, generations as strings or tables, huge messages.
// The Argo CD health checks must still answer {status, message} and never raise a Lua error.
import { ArgoHealth } from './operator-states';

export interface MalformedState { name: string; object: Record<string, unknown>; argocd: ArgoHealth }

const READY = 'The registry is ready';
const available = { type: 'Available', status: 'True', reason: 'Ready', message: READY };
const withStatus = (status: unknown, generation: unknown = 2) => ({ metadata: { name: 'cluster', generation }, status });
const withConditions = (conditions: unknown, observedGeneration: unknown = 2, generation: unknown = 2) => withStatus({ observedGeneration, conditions }, generation);

/** The caps the scripts put on messages, in UTF-8 bytes: one condition's words, and the joined message. */
export const PART_MAX = 1000;
export const CONFIG_MESSAGE_MAX = 2000;

const noStatus = (kind: 'Config' | 'ImagePruner'): ArgoHealth => ({
  status: 'Progressing',
  message: kind === 'Config' ? 'Waiting for the image registry operator to report status' : 'Waiting for the image registry operator to report the pruner\'s status',
});

/** Shapes both scripts read the same way; `noAvailable` is each script's answer without an Available condition. */
function common(kind: 'Config' | 'ImagePruner', noAvailable: string, healthy: string, healthyObject: (extra: unknown[]) => unknown[]): MalformedState[] {
  return [
    { name: 'status.conditions is a number', object: withConditions(5), argocd: noStatus(kind) },
    { name: 'status.conditions is a string', object: withConditions('abc'), argocd: noStatus(kind) },
    { name: 'status.conditions is a map, not a list', object: withConditions({ Available: available }), argocd: noStatus(kind) },
    { name: 'status is a number', object: withStatus(5), argocd: noStatus(kind) },
    { name: 'status is a string', object: withStatus('Ready'), argocd: noStatus(kind) },
    { name: 'metadata is a number, status missing', object: { metadata: 5 }, argocd: noStatus(kind) },
    { name: 'status.conditions holds a number', object: withConditions([5]), argocd: { status: 'Progressing', message: noAvailable } },
    { name: 'a condition whose type is not a string is no condition', object: withConditions([{ type: ['Available'], status: 'True' }, { type: 5 }]), argocd: { status: 'Progressing', message: noAvailable } },
    { name: 'entries that are not tables are skipped', object: withConditions([5, 'Available', true, [], ...healthyObject([])]), argocd: { status: 'Healthy', message: healthy } },
    // Like Flux (fluxcd/pkg runtime/cel: unstructured.NestedInt64), only integers are generations.
    { name: 'observedGeneration "3" (a string): ignored', object: withConditions(healthyObject([]), '3', 4), argocd: { status: 'Healthy', message: healthy } },
    { name: 'generation "4" (a string): ignored', object: withConditions(healthyObject([]), 3, '4'), argocd: { status: 'Healthy', message: healthy } },
    { name: 'observedGeneration 3.5: ignored', object: withConditions(healthyObject([]), 3.5, 4), argocd: { status: 'Healthy', message: healthy } },
    { name: 'generation 1e300 (past int64): ignored', object: withConditions(healthyObject([]), 3, 1e300), argocd: { status: 'Healthy', message: healthy } },
    { name: 'observedGeneration above generation: waiting, as Flux compares with !=', object: withConditions(healthyObject([]), 5, 4), argocd: { status: 'Progressing', message: 'Waiting for the image registry operator to observe generation 4 (status is for generation 5)' } },
    { name: 'a generation of 2^53 + 2 is written out in full', object: withConditions(healthyObject([]), 1, 2 ** 53 + 2), argocd: { status: 'Progressing', message: 'Waiting for the image registry operator to observe generation 9007199254740994 (status is for generation 1)' } },
    { name: 'observedGeneration a table: ignored', object: withConditions(healthyObject([]), { value: 1 }, 4), argocd: { status: 'Healthy', message: healthy } },
    { name: 'generation not numeric: ignored', object: withConditions(healthyObject([]), 1, 'four'), argocd: { status: 'Healthy', message: healthy } },
    { name: 'metadata a number: generation ignored', object: { metadata: 5, status: { observedGeneration: 1, conditions: healthyObject([]) } }, argocd: { status: 'Healthy', message: healthy } },
    { name: 'Available with status true (a boolean) is not True', object: withConditions([{ type: 'Available', status: true, reason: 'Ready' }]), argocd: { status: 'Progressing', message: 'Ready' } },
  ];
}

const configReady = (extra: unknown[]) => [{ type: 'Progressing', status: 'False', reason: 'Ready', message: READY }, available, { type: 'Degraded', status: 'False' }, ...extra];

export const malformedConfigStates: MalformedState[] = [
  ...common('Config', 'Waiting for the image registry operator to report the Available condition', READY, configReady),
  {
    name: 'Degraded message a table: its reason; Progressing Error message a list: its reason',
    object: withConditions([available, { type: 'Degraded', status: 'True', reason: 'VerificationFailed', message: { text: 'x' } }, { type: 'Progressing', status: 'True', reason: 'Error', message: [1, 2] }]),
    argocd: { status: 'Degraded', message: 'VerificationFailed; Error' },
  },
  {
    name: 'Degraded message and reason tables: the condition type',
    object: withConditions([available, { type: 'Degraded', status: 'True', reason: {}, message: {} }]),
    argocd: { status: 'Degraded', message: 'Degraded' },
  },
  {
    name: 'a number message is no text: the reason',
    object: withConditions([available, { type: 'Degraded', status: 'True', reason: 'RouteDegraded', message: 403 }]),
    argocd: { status: 'Degraded', message: 'RouteDegraded' },
  },
  {
    name: 'hardening condition with table message and reason: its type',
    object: withConditions(configReady([{ type: 'StorageEncrypted', status: 'False', reason: [], message: { a: 1 } }])),
    argocd: { status: 'Healthy', message: `${READY}; StorageEncrypted: StorageEncrypted` },
  },
  {
    name: 'two long problems: each part capped at 1000 bytes, the joined message at 2000',
    object: withConditions([available, { type: 'Degraded', status: 'True', message: 'a'.repeat(1500) }, { type: 'Progressing', status: 'True', reason: 'Error', message: 'b'.repeat(1500) }]),
    // 997 + "..." + "; " + 995 + "..." = 2000 bytes.
    argocd: { status: 'Degraded', message: `${'a'.repeat(997)}...; ${'b'.repeat(995)}...` },
  },
  {
    name: 'the cut falls in a separator: as cutting the joined text, the separator cut too',
    object: withConditions([available, { type: 'Degraded', status: 'True', message: 'a'.repeat(1500) }, { type: 'XDegraded', status: 'True', message: 'b'.repeat(983) }, { type: 'Progressing', status: 'True', reason: 'Error', message: 'ccc' }]),
    // 1000 + 2 + 994 ("XDegraded: " and 983 bytes) + 2 + 3 = 2001 bytes: cut at 1997, one into "; ".
    argocd: { status: 'Degraded', message: `${'a'.repeat(997)}...; XDegraded: ${'b'.repeat(983)};...` },
  },
  {
    name: 'Degraded Unknown: not settled, waiting',
    object: withConditions([{ type: 'Progressing', status: 'False' }, available, { type: 'Degraded', status: 'Unknown', message: 'not known' }]),
    argocd: { status: 'Progressing', message: 'not known' },
  },
  {
    name: 'a type of 316 bytes ending in Degraded counts (Kubernetes\' limit for a condition type)',
    object: withConditions(configReady([{ type: `${'Z'.repeat(308)}Degraded`, status: 'True', message: 'm' }])),
    argocd: { status: 'Degraded', message: `${'Z'.repeat(308)}Degraded: m` },
  },
  {
    name: 'a type of 317 bytes is none of the summed-up conditions',
    object: withConditions(configReady([{ type: `${'Z'.repeat(309)}Degraded`, status: 'True', message: 'm' }])),
    argocd: { status: 'Healthy', message: READY },
  },
  {
    name: 'a type that only contains Degraded is not summed up',
    object: withConditions(configReady([{ type: 'DegradedCount', status: 'True', message: 'm' }, { type: 'degraded', status: 'True' }])),
    argocd: { status: 'Healthy', message: READY },
  },
];

const prunerScheduled = (extra: unknown[]) => [{ type: 'Available', status: 'True', reason: 'AsExpected', message: 'Pruner CronJob has been created' }, { type: 'Scheduled', status: 'True', reason: 'Scheduled', message: 'The pruner job has been scheduled' }, ...extra];

export const malformedPrunerStates: MalformedState[] = [
  ...common('ImagePruner', 'Waiting for the image registry operator to create the pruner CronJob', 'The pruner job has been scheduled', prunerScheduled),
  {
    name: 'Degraded message a table: its reason',
    object: withConditions(prunerScheduled([{ type: 'Degraded', status: 'True', reason: 'JobFailed', message: { text: 'x' } }])),
    argocd: { status: 'Degraded', message: 'JobFailed' },
  },
  {
    name: 'Degraded message and reason tables: the condition type',
    object: withConditions(prunerScheduled([{ type: 'Degraded', status: 'True', reason: [1], message: [2] }])),
    argocd: { status: 'Degraded', message: 'Degraded' },
  },
  {
    name: 'Degraded message a number, reason a table: the condition type',
    object: withConditions(prunerScheduled([{ type: 'Degraded', status: 'True', reason: {}, message: 137 }])),
    argocd: { status: 'Degraded', message: 'Degraded' },
  },
  {
    name: 'Scheduled reason a number, no message: the condition type',
    object: withConditions([{ type: 'Available', status: 'True' }, { type: 'Scheduled', status: 'False', reason: 7 }]),
    argocd: { status: 'Healthy', message: 'Scheduled' },
  },
];
