// The Argo CD health checks (health/argocd/*.lua) run by a real Lua 5.1 interpreter in a sandbox
// cut down to what Argo CD gives an argocd-cm script (health/run-health-check.lua), and the Flux
// healthCheckExprs of docs/examples/flux.yaml run by a CEL evaluator set up as kustomize-controller
// sets up its own (health/flux-cel-status.mjs), against the states the image registry operator
// writes (test/integration/health/operator-states.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../helpers';
import { CONFIG_MESSAGE_MAX, malformedConfigStates, malformedPrunerStates, PART_MAX } from './health/malformed-states';
import { ArgoHealth, configStates, OperatorState, prunerStates } from './health/operator-states';

const GROUP = 'imageregistry.operator.openshift.io';
const scriptPath = (kind: string) => join(repoRoot, 'health', 'argocd', `${GROUP}_${kind}.lua`);
const harness = join(__dirname, 'health', 'run-health-check.lua');

/**
 * `value` as Argo CD hands it to a health script as `obj`: read from the API server as JSON
 * (apimachinery unstructured), then made Lua values by argo-cd util/lua/lua.go decodeValue with
 * gopher-lua: every number a float64 (LNumber), a null dropped (a map loses the key; in a list,
 * LTable.Append skips it and later items move up), empty lists and maps alike an empty table.
 */
function argoObject(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(argoObject);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, argoObject(v)]));
  }
  return value;
}

/** A JSON value as a Lua table literal (strings byte for byte: Lua 5.1 has no \u escapes). */
function luaLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    // Three-digit escapes: "\1" followed by "2" would read as "\12".
    return `"${value.replace(/[\\"]/g, (ch) => `\\${ch}`).replace(/[\x00-\x1f\x7f]/g, (ch) => `\\${String(ch.charCodeAt(0)).padStart(3, '0')}`)}"`;
  }
  if (Array.isArray(value)) return `{${value.map(luaLiteral).join(', ')}}`;
  return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `[${luaLiteral(k)}] = ${luaLiteral(v)}`).join(', ')}}`;
}

// As the discover tests do for their Debian tools: loud on a developer machine without lua5.1,
// and never skipped under CI (.ci/install-tools installs it).
const luaMissing = (spawnSync('lua5.1', ['-v']).error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
if (luaMissing) console.error('\n*** Argo CD health check tests: lua5.1 not installed (apt-get install lua5.1) ***\n');
const withLua = luaMissing && !process.env.CI ? describe.skip : describe;

/** Runs a health check script (by kind, or a path) on `object` with lua5.1, as Argo CD would. */
function argoHealth(kind: string, object: unknown): ArgoHealth {
  const script = kind.endsWith('.lua') ? kind : scriptPath(kind);
  // JSON first, as the API server's object is: undefined fields and -0 are gone.
  const obj = argoObject(JSON.parse(JSON.stringify(object)));
  const run = spawnSync('lua5.1', [harness, script], { input: luaLiteral(obj), maxBuffer: 64 * 1024 * 1024 });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error('lua5.1 is not installed: the Argo CD health checks are tested with a real Lua 5.1. Install it with `apt-get install -y lua5.1` (Debian/Ubuntu; .ci/install-tools does).');
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

  // Larger than any object the API server stores (etcd's default request limit is 1.5 MiB).
  test('a 3 MiB message is cut to 1000 bytes with an ellipsis', () => {
    const object = { metadata: { generation: 1 }, status: { observedGeneration: 1, conditions: [{ type: 'Available', status: 'True' }, { type: 'Degraded', status: 'True', message: 'x'.repeat(3 * 1024 * 1024) }] } };
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
  const types = ['Available', 'Progressing', 'Degraded', 'Scheduled', 'StorageEncrypted', 'StorageTagged', 'NodeCADaemonAvailable', 'NodeCADaemonProgressing', 'NodeCADaemonControllerDegraded'];
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
    const message = 'route "a\\b" not admitted:\n\tcode 403 – é \u0001' + '2';
    const object = { metadata: { generation: 1 }, status: { observedGeneration: 1, conditions: [{ type: 'Available', status: 'True', reason: 'Ready' }, { type: 'Degraded', status: 'True', reason: 'RouteDegraded', message }] } };
    expect(argoHealth('Config', object)).toEqual({ status: 'Degraded', message });
  });

  test('obj is shaped as Argo CD shapes it: nulls dropped, and a list closes up over them', () => {
    const object = { metadata: { generation: null }, status: { observedGeneration: 1, conditions: [null, { type: 'Available', status: 'True', message: 'ok', reason: null }, null, { type: 'Degraded', status: 'True', message: 'second' }] } };
    // Without the closing up, Lua 5.1's # and ipairs would stop at the first hole and miss both.
    expect(argoHealth('Config', object)).toEqual({ status: 'Degraded', message: 'second' });
  });

  // What argo-cd util/lua/lua.go gives a script from argocd-cm (useOpenLibs unset): gopher-lua's
  // OpenPackage, OpenBase (baselib.go baseFuncs, ipairs, pairs) and OpenTable (tablelib.go
  // tableFuncs); OpenSafeOs registers under the table library's name and adds nothing, so only
  // require("os") reaches the safe os, through PreloadModule.
  const probe = `
    local function keys(t) local list = {} for k in pairs(t) do table.insert(list, k) end table.sort(list) return table.concat(list, ",") end
    local function fails(f) return (pcall(f)) and "runs" or "fails" end
    return { status = "Healthy", message = table.concat({
      keys(_G), keys(table), keys(package), keys(package.loaded), keys(require("os")),
      tostring(getmetatable("")), fails(function() return ("x"):len() end), fails(function() return require("string") end),
      tostring(2 ^ 53), fails(function() return tostring(0.5) end), fails(function() return tonumber("1") end),
    }, "|") }`;
  test('the sandbox holds exactly the globals, libraries and modules Argo CD gives an argocd-cm script', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lua-probe-'));
    writeFileSync(join(dir, 'probe.lua'), probe);
    const parts = argoHealth(join(dir, 'probe.lua'), {}).message.split('|');
    expect(parts).toEqual([
      '_G,_GOPHER_LUA_VERSION,_VERSION,_printregs,actionParams,assert,collectgarbage,dofile,error,getfenv,getmetatable,ipairs,load,loadfile,loadstring,module,newproxy,next,obj,package,pairs,pcall,print,rawequal,rawget,rawset,require,select,setfenv,setmetatable,table,tonumber,tostring,type,unpack,xpcall',
      'concat,getn,insert,maxn,remove,sort',
      'config,cpath,loaded,loaders,loadlib,path,preload,seeall',
      '_G,table',
      'date,time',
      // No string methods: gopher-lua sets the string metatable only in OpenString.
      'nil', 'fails', 'fails',
      // tostring as gopher-lua's LNumber.String writes integers (Lua 5.1 would say 9.007199254741e+15);
      // what the sandbox does not reproduce, it refuses.
      '9007199254740992', 'fails', 'fails',
    ]);
  });

  test('a script that runs past the budget fails, as Argo CD stops one after 1 s', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lua-probe-'));
    writeFileSync(join(dir, 'loop.lua'), 'while true do end');
    expect(() => argoHealth(join(dir, 'loop.lua'), {})).toThrow(/budget/);
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

  // Functions cel-js and cel-go (with Flux's extensions) both implement, and alike; see
  // flux-cel-status.mjs for what cel-js lacks or adds.
  const MODELED_FUNCTIONS = ['endsWith', 'exists', 'orValue'];
  test('the expressions call only functions the test evaluator implements as cel-go does', () => {
    const called = new Set(healthCheckExprs.flatMap((e) => ['inProgress', 'failed', 'current'].flatMap((f) => [...e[f].matchAll(/(\w+)\s*\(/g)].map((m) => m[1]))));
    expect([...called].sort()).toEqual(MODELED_FUNCTIONS);
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

  test('the evaluator follows kustomize-controller: generations first, then inProgress, failed, current', () => {
    const check = (inProgress: string, failed: string, current: string) => ({ apiVersion: `${GROUP}/v1`, kind: 'Config', inProgress, failed, current });
    const object = (observedGeneration: unknown, generation: unknown) => ({ metadata: { generation }, status: { observedGeneration } });
    const run = (c: Record<string, string>, objects: unknown[]) => JSON.parse(spawnSync(process.execPath, [join(__dirname, 'health', 'flux-cel-status.mjs')], { input: JSON.stringify({ check: c, objects }), encoding: 'utf8', cwd: repoRoot }).stdout);
    expect(run(check('true', 'true', 'true'), [object(1, 1)])).toEqual(['InProgress']);
    expect(run(check('false', 'true', 'true'), [object(1, 1)])).toEqual(['Failed']);
    expect(run(check('false', 'false', 'true'), [object(1, 1)])).toEqual(['Current']);
    expect(run(check('false', 'false', 'false'), [object(1, 1)])).toEqual(['InProgress']);
    // An int64 observedGeneration other than the generation is InProgress before any expression;
    // one that is not an int64 skips that check.
    expect(run(check('false', 'true', 'true'), [object(1, 2), object('1', 2), object(1.5, 2)])).toEqual(['InProgress', 'Failed', 'Failed']);
    // An expression that fails (no status at all) or is not a bool leaves Flux waiting.
    expect(run(check('status.x', 'false', 'true'), [{ metadata: {} }])).toEqual(['error']);
    expect(run(check('1', 'false', 'true'), [object(1, 1)])).toEqual(['error']);
  });
});

withLua('Argo CD and Flux agree on any well-formed condition set (property)', () => {
  // Condition types the operator writes, others with the same endings, and unrelated ones.
  const types = ['Available', 'Progressing', 'Degraded', 'Removed', 'StorageExists', 'StorageEncrypted', 'Scheduled', 'Failed',
    'NodeCADaemonAvailable', 'NodeCADaemonProgressing', 'NodeCADaemonControllerDegraded', 'ImageRegistryCertificatesControllerDegraded',
    'ImageConfigControllerDegraded', 'AzureStackCloudControllerDegraded', 'AzurePathFixProgressing', 'AzurePathFixControllerDegraded',
    'ConfigObservationDegraded', 'SomeFutureControllerDegraded', 'degraded', 'DegradedNot', 'Available '];
  const condition = fc.record({
    type: fc.oneof(fc.constantFrom(...types), fc.string({ maxLength: 12 }).map((t) => `${t}Degraded`), fc.string({ maxLength: 12 })),
    status: fc.constantFrom('True', 'False', 'Unknown'),
    reason: fc.constantFrom('Error', 'Ready', 'AsExpected', 'Removed', 'Unmanaged'),
    message: fc.string({ maxLength: 20 }),
  }, { requiredKeys: ['type', 'status'] });
  const generation = fc.integer({ min: 1, max: 3 });
  const object = fc.record({ metadata: fc.record({ generation }), status: fc.record({ observedGeneration: generation, conditions: fc.array(condition, { maxLength: 8 }) }) });
  const same: Record<string, string> = { Healthy: 'Current', Progressing: 'InProgress', Degraded: 'Failed' };

  test.each(byKind.map(([kind]) => [kind]))('%s', (kind) => {
    const objects = fc.sample(object, { numRuns: 120, seed: 17 });
    const flux = fluxStatuses(kind, objects);
    for (const [i, obj] of objects.entries()) expect({ obj, verdict: same[argoHealth(kind, obj).status] }).toEqual({ obj, verdict: flux[i] });
  });
});
