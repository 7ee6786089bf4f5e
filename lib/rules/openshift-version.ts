// Which spec fields a cluster's OpenShift version has. Each minor installs its own registry Config
// and ImagePruner CRDs: a field the cluster's CRD lacks is dropped by a client-side apply and
// refused by a server-side apply with strict field validation. The table is generated from each
// minor's CRDs (generated/openshift-versions.ts, `npm run versions`).
import { OPENSHIFT_VERSIONS, VERSIONED_FIELDS } from './generated/openshift-versions';
import type { RuleFinding } from './registry-rules';
import { asMap, isMap, Obj } from './shapes';
import { ValidationError } from './validation-error';

export { OPENSHIFT_VERSIONS };

/** An OpenShift minor version this library knows the registry CRDs of, such as `"4.16"`. */
export type OpenShiftVersion = (typeof OPENSHIFT_VERSIONS)[number];

/**
 * The version assumed when none is given: the newest known. The typed imports and the compiled
 * validators come from its CRDs, so every field they offer is accepted.
 */
export const DEFAULT_OPENSHIFT_VERSION: OpenShiftVersion = OPENSHIFT_VERSIONS[OPENSHIFT_VERSIONS.length - 1];

/** The version from which the operator has no Alibaba Cloud OSS driver (pkg/storage/storage.go). */
export const OSS_REMOVED_IN: OpenShiftVersion = '4.17';

/** The kinds of group imageregistry.operator.openshift.io whose spec fields differ by version. */
export const VERSIONED_KINDS: readonly string[] = Object.keys(VERSIONED_FIELDS);

/** True when `value` is a known version. */
export function isOpenShiftVersion(value: unknown): value is OpenShiftVersion {
  return (OPENSHIFT_VERSIONS as readonly unknown[]).includes(value);
}

/** Throws a ValidationError for `field` unless `value` is a known version. */
export function checkOpenShiftVersion(field: string, value: unknown): OpenShiftVersion {
  if (isOpenShiftVersion(value)) return value;
  throw new ValidationError(field, `${JSON.stringify(value) ?? String(value)} is not a known OpenShift version; use one of ${OPENSHIFT_VERSIONS.join(', ')}`);
}

const order = (version: string) => OPENSHIFT_VERSIONS.indexOf(version as OpenShiftVersion);

/** A tree of the table's paths below `spec`: a field's range where the table has one, and its children. */
interface Node {
  range?: { readonly first: string; readonly last?: string };
  readonly children: Map<string, Node>;
}

// Built once per kind: the walk then visits only fields the table knows a prefix of.
const TREES = new Map<string, Node>(Object.entries(VERSIONED_FIELDS).map(([kind, fields]) => {
  const tree: Node = { children: new Map() };
  for (const [path, range] of Object.entries(fields)) {
    let node = tree;
    for (const segment of path.replace(/^spec/, '').match(/\.[^.[\]]+|\[\]/g) ?? []) {
      const key = segment === '[]' ? '[]' : segment.slice(1);
      if (!node.children.has(key)) node.children.set(key, { children: new Map() });
      node = node.children.get(key)!;
    }
    node.range = range;
  }
  return [kind, tree];
}));

/**
 * Fields of `spec` (a registry Config's or ImagePruner's, any shape) that the CRD of OpenShift
 * `version` lacks, and for a Config an `oss` storage from 4.17 on. Fields are relative to spec
 * (`storage.s3.chunkSizeMiB`, `affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].matchLabelKeys`).
 */
export function checkVersionFields(kind: string, spec: unknown, version: OpenShiftVersion): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const at = order(version);
  const visit = (value: unknown, node: Node, field: string) => {
    if (Array.isArray(value)) {
      const items = node.children.get('[]');
      if (items) value.forEach((item, i) => visit(item, items, `${field}[${i}]`));
      return;
    }
    if (!isMap(value)) return;
    for (const [key, child] of node.children) {
      if (key === '[]' || !Object.hasOwn(value, key)) continue;
      const path = field ? `${field}.${key}` : key;
      const range = child.range;
      if (range && at < order(range.first)) {
        findings.push({ field: path, message: `is not in OpenShift ${version}'s ${kind} CRD; it first appears in ${range.first}`, severity: 'error', versionBound: true });
      } else if (range?.last !== undefined && at > order(range.last)) {
        findings.push({ field: path, message: `is not in OpenShift ${version}'s ${kind} CRD; ${range.last} is the last version with it`, severity: 'error', versionBound: true });
      } else {
        visit(value[key], child, path);
      }
    }
  };
  const tree = TREES.get(kind);
  if (tree) visit(asMap(spec), tree, '');
  if (kind === 'Config' && at >= order(OSS_REMOVED_IN)) oss(asMap(spec), version, findings);
  return findings;
}

/**
 * pkg/storage/storage.go NewDriver (release-4.17 on, "remove alibaba") no longer reads
 * `storage.oss`: alone it counts as no storage (StorageNotConfigured, a permanent error).
 */
function oss(spec: Obj, version: OpenShiftVersion, findings: RuleFinding[]): void {
  if (asMap(spec.storage).oss === undefined) return;
  findings.push({
    field: 'storage.oss',
    message: `is ignored by the operator of OpenShift ${version} (its Alibaba Cloud OSS driver was removed in ${OSS_REMOVED_IN}): alone it counts as no storage (StorageNotConfigured, the operator degrades); use s3 (OSS is S3-compatible) or another back end`,
    severity: 'error',
    versionBound: true,
  });
}
