// The Argo CD health checks (health/argocd/*.lua) run by a real Lua 5.1 interpreter, and the
// Flux healthCheckExprs of docs/examples/flux.yaml run by a CEL evaluator, against the states the
// image registry operator writes (test/integration/health/operator-states.ts).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../helpers';
import { CONFIG_MESSAGE_MAX, malformedConfigStates, malformedPrunerStates, PART_MAX } from './health/malformed-states';
import { ArgoHealth, configStates, OperatorState, prunerStates } from './health/operator-states';

const GROUP = 'imageregistry.operator.openshift.io';
const scriptPath = (kind: string) => join(repoRoot, 'health', 'argocd', `${GROUP}_${kind}.lua`);
const harness = join(__dirname, 'health', 'run-health-check.lua');

/** A JSON value as a Lua table literal (strings byte for byte: Lua 5.1 has no \u escapes). */
function luaLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    return `"${value.replace(/[\\"]/g, (ch) => `\\${ch}`).replace(/[\x00-\x1f\x7f]/g, (ch) => `\\${ch.charCodeAt(0)}`)}"`;
  }
  if (Array.isArray(value)) return `{${value.map(luaLiteral).join(', ')}}`;
  return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `[${luaLiteral(k)}] = ${luaLiteral(v)}`).join(', ')}}`;
}

// As the discover tests do for their Debian tools: loud on a developer machine without lua5.1,
// and never skipped under CI (.ci/run installs it).
const luaMissing = (spawnSync('lua5.1', ['-v']).error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
if (luaMissing) console.error('\n*** Argo CD health check tests: lua5.1 not installed (apt-get install lua5.1) ***\n');
const withLua = luaMissing && !process.env.CI ? describe.skip : describe;

/** Runs one health check script on `object` with lua5.1, as Argo CD would. */
function argoHealth(kind: string, object: unknown): ArgoHealth {
  const run = spawnSync('lua5.1', [harness, scriptPath(kind)], { input: luaLiteral(object), maxBuffer: 64 * 1024 * 1024 });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error('lua5.1 is not installed: the Argo CD health checks are tested with a real Lua 5.1. Install it with `apt-get install -y lua5.1` (Debian/Ubuntu; .ci/run does).');
  }
  if (run.status !== 0) throw new Error(`lua5.1 exited ${run.status}: ${run.stderr.toString()}`);
  // Fatal decoding: a message cut inside a UTF-8 character fails here instead of turning into U+FFFD.
  let out: string;
  try {
    out = new TextDecoder('utf-8', { fatal: true }).decode(run.stdout);
  } catch {
    throw new Error(`the ${kind} health check wrote output that is not valid UTF-8 (a message cut inside a character?)`);
  }
  const [status, ...message] = out.split('\n');
  return { status, message: message.join('\n') } as ArgoHealth;
}

const fluxExample = parseAllDocuments(readFileSync(join(repoRoot, 'docs', 'examples', 'flux.yaml'), 'utf8')).map((d) => d.toJS());
const healthCheckExprs: Array<Record<string, string>> = fluxExample.flatMap((doc) => doc.spec?.healthCheckExprs ?? []);
const fluxCheck = (kind: string) => healthCheckExprs.find((e) => e.kind === kind)!;

/** Flux's verdict for each object, from the example's expressions for `kind`. */
function fluxStatuses(kind: string, objects: unknown[]): string[] {
  const run = spawnSync(process.execPath, [join(__dirname, 'health', 'flux-cel-status.mjs')], {
    input: JSON.stringify({ check: fluxCheck(kind), objects }), encoding: 'utf8', cwd: repoRoot,
  });
  if (run.status !== 0) throw new Error(`CEL evaluation failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

const byKind: Array<[string, OperatorState[]]> = [['Config', configStates], ['ImagePruner', prunerStates]];

withLua.each(byKind)('Argo CD health check for %s (lua5.1)', (kind, states) => {
  test.each(states.map((s) => [s.name, s] as const))('%s', (_, state) => {
    expect(argoHealth(kind, state.object)).toEqual(state.argocd);
  });
});

const malformedByKind: Array<[string, typeof malformedConfigStates]> = [['Config', malformedConfigStates], ['ImagePruner', malformedPrunerStates]];

withLua.each(malformedByKind)('Argo CD health check for %s on malformed objects: an answer, never a Lua error', (kind, states) => {
  test.each(states.map((s) => [s.name, s] as const))('%s', (_, state) => {
    expect(argoHealth(kind, state.object)).toEqual(state.argocd);
  });

  test('a 50 MB message is cut to 1000 bytes with an ellipsis', () => {
    const object = { metadata: { generation: 1 }, status: { observedGeneration: 1, conditions: [{ type: 'Available', status: 'True' }, { type: 'Degraded', status: 'True', message: 'x'.repeat(50 * 1024 * 1024) }] } };
    expect(argoHealth(kind, object)).toEqual({ status: 'Degraded', message: `${'x'.repeat(PART_MAX - 3)}...` });
  });

  test('the cut falls between UTF-8 characters', () => {
    // 600 two-byte characters: byte 998 is the second half of the 499th, so 498 are kept.
    const object = { status: { conditions: [{ type: 'Available', status: 'True' }, { type: 'Degraded', status: 'True', message: 'é'.repeat(600) }] } };
    expect(argoHealth(kind, object)).toEqual({ status: 'Degraded', message: `${'é'.repeat(498)}...` });
  });
});

withLua('Argo CD health checks on random status shapes (property)', () => {
  const anything = fc.jsonValue({ maxDepth: 2 });
  const text = fc.oneof(fc.string(), fc.string({ unit: 'binary', minLength: 300, maxLength: 1200 }), anything);
  const generation = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }).map(String), anything);
  const types = ['Available', 'Progressing', 'Degraded', 'Scheduled', 'StorageEncrypted', 'StorageTagged'];
  const condition = fc.oneof(
    anything,
    fc.record({
      type: fc.oneof(fc.constantFrom(...types), anything),
      status: fc.oneof(fc.constantFrom('True', 'False', 'Unknown'), anything),
      reason: fc.oneof(fc.constantFrom('Error', 'Removed', 'Unmanaged', 'Suspended'), text),
      message: text,
    }, { requiredKeys: [] }),
  );
  const status = fc.oneof(anything, fc.record({ observedGeneration: generation, conditions: fc.oneof(anything, fc.array(condition, { maxLength: 8 })) }, { requiredKeys: [] }));
  const object = fc.record({ metadata: fc.oneof(anything, fc.record({ generation }, { requiredKeys: [] })), status }, { requiredKeys: [] });
  const cases: Array<[string, number]> = [['Config', CONFIG_MESSAGE_MAX], ['ImagePruner', PART_MAX]];

  test.each(cases)('%s: Healthy, Progressing or Degraded with a UTF-8 message of at most %d bytes', (kind, max) => {
    fc.assert(fc.property(object, (obj) => {
      // argoHealth throws on a Lua error, a missing {status, message} or a message that is not UTF-8.
      const health = argoHealth(kind, obj);
      expect(['Healthy', 'Progressing', 'Degraded']).toContain(health.status);
      expect(Buffer.byteLength(health.message, 'utf8')).toBeLessThanOrEqual(max);
    }), { numRuns: 150 });
  });
});

withLua('Argo CD health checks: what they rely on', () => {
  test('Argo CD\'s verdicts, never Suspended: a Suspended resource never completes a sync with waves', () => {
    const statuses = new Set([...configStates, ...prunerStates].map((s) => s.argocd.status));
    expect([...statuses].sort()).toEqual(['Degraded', 'Healthy', 'Progressing']);
  });

  test('the harness sees what the script returns: an unknown condition set is not Healthy', () => {
    const object = { metadata: { generation: 1 }, status: { observedGeneration: 1, conditions: [{ type: 'Something', status: 'True' }] } };
    expect(argoHealth('Config', object)).toEqual({ status: 'Progressing', message: 'Waiting for the image registry operator to report the Available condition' });
    expect(argoHealth('ImagePruner', object)).toEqual({ status: 'Progressing', message: 'Waiting for the image registry operator to create the pruner CronJob' });
  });

  test('a message with quotes, backslashes and control characters reaches Lua unchanged', () => {
    const message = 'route "a\\b" not admitted:\n\tcode 403 – é';
    const object = { metadata: { generation: 1 }, status: { observedGeneration: 1, conditions: [{ type: 'Available', status: 'True', reason: 'Ready' }, { type: 'Degraded', status: 'True', reason: 'RouteDegraded', message }] } };
    expect(argoHealth('Config', object)).toEqual({ status: 'Degraded', message });
  });

  test('the scripts name no library beyond base, string, table and math', () => {
    for (const kind of ['Config', 'ImagePruner']) {
      const source = readFileSync(scriptPath(kind), 'utf8');
      // The harness gives the scripts no other library; this catches a branch the states miss.
      expect(source).not.toMatch(/\b(goto|os\.|io\.|require|loadstring|dofile|setfenv|debug\.)/);
    }
  });
});

describe('the install examples hold the shipped scripts byte for byte', () => {
  const example = (file: string) => parseAllDocuments(readFileSync(join(repoRoot, 'docs', 'examples', file), 'utf8')).map((d) => d.toJS());
  const fix = 'run `node scripts/write-health-examples.mjs` after changing health/argocd/*.lua';

  test('argocd-cm patch: one resource.customizations.health key per kind', () => {
    const [cm] = example('argocd-health-checks.yaml');
    expect(cm).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm' } });
    expect(Object.keys(cm.data).sort()).toEqual([`resource.customizations.health.${GROUP}_Config`, `resource.customizations.health.${GROUP}_ImagePruner`]);
    for (const kind of ['Config', 'ImagePruner']) {
      expect({ kind, check: cm.data[`resource.customizations.health.${GROUP}_${kind}`], fix }).toEqual({ kind, check: readFileSync(scriptPath(kind), 'utf8'), fix });
    }
  });

  test('OpenShift GitOps ArgoCD resource: spec.resourceHealthChecks {group, kind, check}, the same argocd-cm keys', () => {
    const [argocd] = example('openshift-gitops-health-checks.yaml');
    expect(argocd).toMatchObject({ apiVersion: 'argoproj.io/v1beta1', kind: 'ArgoCD' });
    const checks = argocd.spec.resourceHealthChecks as Array<Record<string, string>>;
    // The operator's ResourceHealthCheck (api/v1beta1) has exactly these three string fields.
    for (const check of checks) expect(Object.keys(check).sort()).toEqual(['check', 'group', 'kind']);
    // ...and writes each into argocd-cm as resource.customizations.health.<group>_<kind>.
    const [cm] = example('argocd-health-checks.yaml');
    expect(checks.map((c) => `resource.customizations.health.${c.group}_${c.kind}`).sort()).toEqual(Object.keys(cm.data).sort());
    for (const c of checks) expect({ kind: c.kind, check: c.check, fix }).toEqual({ kind: c.kind, check: readFileSync(scriptPath(c.kind), 'utf8'), fix });
  });
});

describe('Flux healthCheckExprs in docs/examples/flux.yaml', () => {
  test('the registry Kustomization waits, with current, inProgress and failed for Config and ImagePruner', () => {
    const registry = fluxExample.find((d) => d.kind === 'Kustomization' && d.spec.healthCheckExprs);
    expect(registry.spec.wait).toBe(true);
    expect(registry.spec.path).toMatch(/\/registry$/);
    expect(healthCheckExprs.map((e) => [e.apiVersion, e.kind, Object.keys(e).sort()])).toEqual([
      [`${GROUP}/v1`, 'Config', ['apiVersion', 'current', 'failed', 'inProgress', 'kind']],
      [`${GROUP}/v1`, 'ImagePruner', ['apiVersion', 'current', 'failed', 'inProgress', 'kind']],
    ]);
  });

  test.each(byKind)('%s: the same verdict as the Argo CD check in every operator state', (kind, states) => {
    const verdicts = fluxStatuses(kind, states.map((s) => s.object));
    expect(Object.fromEntries(states.map((s, i) => [s.name, verdicts[i]]))).toEqual(Object.fromEntries(states.map((s) => [s.name, s.flux])));
  });

  test('the Flux verdicts agree with the Argo CD ones (Healthy = Current, Progressing = InProgress, Degraded = Failed)', () => {
    const same: Record<string, string> = { Healthy: 'Current', Progressing: 'InProgress', Degraded: 'Failed' };
    for (const s of [...configStates, ...prunerStates].filter((s) => s.flux !== 'error')) expect([s.name, s.flux]).toEqual([s.name, same[s.argocd.status]]);
    // Without a status, the expressions cannot be evaluated; Flux then polls again until the
    // operator has written one (seconds after the apply), within the Kustomization's timeout.
    expect([...configStates, ...prunerStates].filter((s) => s.flux === 'error').map((s) => s.name)).toEqual(['just applied: no status yet', 'just applied: no status yet']);
  });

  test('the evaluator tells the expressions apart: a wrong one changes the verdict', () => {
    const broken = { ...fluxCheck('Config'), failed: "status.?conditions.orValue([]).exists(c, c.type == 'Degraded' && c.status == 'True')" };
    const twoBackends = configStates.find((s) => s.name.startsWith('two storage back ends'))!;
    const run = spawnSync(process.execPath, [join(__dirname, 'health', 'flux-cel-status.mjs')], { input: JSON.stringify({ check: broken, objects: [twoBackends.object] }), encoding: 'utf8', cwd: repoRoot });
    expect(JSON.parse(run.stdout)).toEqual(['InProgress']);
  });
});
