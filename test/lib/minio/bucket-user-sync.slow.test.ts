import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { MinioBucket, USER_SYNC_SCRIPT } from '../../../lib/minio/minio-bucket';
import { MinioObjectStore } from '../../../lib/minio/minio-object-store';
import { SecretSource } from '../../../lib/secrets/secret-source';

// The Deployment that keeps a bucket's MinIO user in step with its Secret, run with `sh` against a
// stand-in for `mc` that keeps MinIO's users and policies in a file, as strict as MinIO is:
// - `mc alias set` fails unless MinIO is up and takes the root credentials (mc checks them when it
//   sets an alias); later admin calls fail when the root credentials changed since;
// - `mc admin user add` creates the user or rewrites its secret key, keeping its policies (MinIO
//   `cmd/iam.go` CreateUser: "if user already exists they shall be rewritten"); an access key
//   shorter than 3 characters or with `=` or `,`, or a secret key shorter than 8, is refused
//   (MinIO `internal/auth/credentials.go`);
// - `mc admin policy attach` fails for a user or policy that does not exist, and when the policy
//   is already attached (MinIO `cmd/iam-store.go`, errNoPolicyToAttachOrDetach);
// - `mc admin user info` prints AccessKey, Status, PolicyName, MemberOf lines (mc
//   `cmd/admin-user-add.go` userMessage).

const MC = `#!${process.execPath}
const fs = require('fs'); const path = require('path');
const state = path.join(process.env.STATE_DIR, 'minio.json');
const s = JSON.parse(fs.readFileSync(state, 'utf8'));
const fail = (m) => { console.error('mc: <ERROR> ' + m); process.exit(1); };
// minio/cli (an urfave/cli v1 fork) Command.Run: an argument that starts with '-' is a flag wherever
// it stands, until '--'; an unknown flag is a usage error that prints it (mc onUsageError).
const raw = process.argv.slice(2);
const end = raw.indexOf('--');
const flags = {};
const args = [];
(end < 0 ? raw : raw.slice(0, end)).forEach((a, i, all) => {
  if (!a.startsWith('-') || a === '-') { if (!(i > 0 && all[i - 1] === '--user')) args.push(a); return; }
  const [name, value] = a.split(/=(.*)/s);
  if (!['--user', '--ignore-existing'].includes(name)) fail('Invalid command usage, flag provided but not defined: ' + a);
  flags[name] = value ?? (name === '--user' ? all[i + 1] : true);
});
if (end >= 0) args.push(...raw.slice(end + 1));
fs.appendFileSync(path.join(process.env.STATE_DIR, 'calls.log'), args.slice(0, 3).join(' ') + '\\n');
const aliases = path.join(process.env.MC_CONFIG_DIR, 'aliases.json');
const save = () => fs.writeFileSync(state, JSON.stringify(s));
if (!s.up) fail('Unable to reach MinIO');
if (args[0] === 'alias' && args[1] === 'set') {
  const [, , name, url, user, password] = args;
  // mc alias-set.go checkAliasSetSyntax: keys too short are refused, and printed.
  if ((user ?? '').length < 3) fail('Invalid access key \\x60' + user + '\\x60.');
  if ((password ?? '').length < 8) fail('Invalid secret key \\x60' + password + '\\x60.');
  if (user !== s.root.user || password !== s.root.password) fail('Unable to initialize new alias from the provided credentials. The Access Key Id you provided does not exist in our records.');
  fs.mkdirSync(process.env.MC_CONFIG_DIR, { recursive: true });
  fs.writeFileSync(aliases, JSON.stringify({ [name]: { url, user, password } }));
  process.exit(0);
}
if (args[0] !== 'admin') fail('unexpected call ' + args.join(' '));
const alias = JSON.parse(fs.readFileSync(aliases, 'utf8'))[args[3]];
if (!alias || alias.user !== s.root.user || alias.password !== s.root.password) fail('The Access Key Id you provided does not exist in our records.');
const cmd = args.slice(1, 3).join(' ');
if (cmd === 'policy create') { JSON.parse(fs.readFileSync(args[5], 'utf8')); s.policies[args[4]] = fs.readFileSync(args[5], 'utf8'); save(); }
else if (cmd === 'user add') {
  const [access, secret] = args.slice(4);
  if (access.length < 3 || /[=,]/.test(access)) fail('access key invalid');
  if (secret.length < 8) fail('secret key must be minimum 8 or more characters long');
  s.users[access] = { secret, policies: s.users[access]?.policies ?? [] }; save();
} else if (cmd === 'policy attach') {
  const [policy] = args.slice(4);
  const access = flags['--user'];
  if (!access || !s.users[access]) fail('The specified user does not exist.');
  if (!(policy in s.policies)) fail('The canned policy does not exist.');
  if (s.users[access].policies.includes(policy)) fail('The specified policy change is already in effect.');
  s.users[access].policies.push(policy); save();
} else if (cmd === 'user info') {
  const u = s.users[args[4]]; if (!u) fail('The specified user does not exist.');
  console.log(['AccessKey: ' + args[4], 'Status: enabled', 'PolicyName: ' + u.policies.join(','), 'MemberOf: '].join('\\n'));
} else fail('unexpected call ' + args.join(' '));
`;

/** The env of the user sync container, as the construct writes it. */
function syncEnv(): Record<string, string> {
  const chart = Testing.chart();
  const objectStore = new MinioObjectStore(chart, 'Minio', { rootCredentials: SecretSource.existing() });
  new MinioBucket(chart, 'Bucket', { objectStore, bucket: 'image-registry', user: SecretSource.existing() });
  const sync = Testing.synth(chart).find((o) => o.kind === 'Deployment' && o.metadata.name === 'minio-bucket-image-registry-user-sync');
  expect(sync.spec.template.spec.containers[0].command).toEqual(['/bin/sh', '-c', USER_SYNC_SCRIPT]);
  return Object.fromEntries(sync.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
}

/**
 * Runs the loop for as many rounds as `steps`: after each round, the test runs that round's step
 * (it changes the Secret's files or MinIO) while the stand-in `sleep` waits; the loop is stopped
 * after the last round, whose step is not run.
 */
async function runSync(steps: ((world: World) => void)[], initial: { access: string; secret: string }) {
  const dir = mkdtempSync(join(tmpdir(), 'bucket-user-sync-'));
  const world = new World(dir);
  world.setUser(initial.access, initial.secret);
  world.setRoot('minio-admin', 'root-password-1');
  world.minio = { up: true, root: { user: 'minio-admin', password: 'root-password-1' }, policies: {}, users: {} };
  writeFileSync(join(dir, 'bin', 'mc'), MC);
  // The loop's \`sleep\`: record what the ready file says after the round, wait until the test has
  // run that round's step, and stop the loop after the last round (whose step is never run).
  const realSleep = existsSync('/usr/bin/sleep') ? '/usr/bin/sleep' : '/bin/sleep';
  writeFileSync(join(dir, 'bin', 'sleep'), `#!/bin/sh
n=$(cat "${dir}/round" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "${dir}/round"
if [ -e "$READY_FILE" ]; then echo ready >> "${dir}/ready.log"; else echo unready >> "${dir}/ready.log"; fi
[ "$n" -lt ${steps.length} ] || { kill -TERM $PPID; exit 0; }
until [ -e "${dir}/done-$n" ]; do ${realSleep} 0.01; done
`);
  for (const f of ['mc', 'sleep']) chmodSync(join(dir, 'bin', f), 0o755);
  // Only what the mc image (ubi-micro: a shell and coreutils) has besides mc: no grep, sed or awk.
  for (const tool of ['cat', 'rm']) symlinkSync(['/usr/bin', '/bin'].map((d) => join(d, tool)).find(existsSync)!, join(dir, 'bin', tool));
  const env = { ...syncEnv(), USER_DIR: join(dir, 'credentials'), ROOT_DIR: join(dir, 'root'), POLICY_FILE: join(dir, 'policy.json'),
    READY_FILE: join(dir, 'in-sync'), MC_CONFIG_DIR: join(dir, 'mc'), STATE_DIR: dir, PATH: join(dir, 'bin') };
  writeFileSync(join(dir, 'policy.json'), '{"Version": "2012-10-17", "Statement": []}\n');
  // Steps run between rounds, from a watcher on the round counter.
  let done = 0;
  const child = execFile('/bin/sh', ['-c', USER_SYNC_SCRIPT], { env });
  let stdout = ''; let stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const timer = setInterval(() => {
    const round = Number(existsSync(join(dir, 'round')) ? readFileSync(join(dir, 'round'), 'utf8') : 0);
    while (done < round && done < steps.length) {
      steps[done++](world);
      writeFileSync(join(dir, `done-${done}`), '');
    }
  }, 5);
  await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  return { world, stdout, stderr, calls: readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n'), ready: readFileSync(join(dir, 'ready.log'), 'utf8').trim().split('\n') };
}

class World {
  constructor(private readonly dir: string) {
    for (const d of ['credentials', 'root', 'bin', 'mc']) mkdirSync(join(dir, d), { recursive: true });
  }
  get minio() { return JSON.parse(readFileSync(join(this.dir, 'minio.json'), 'utf8')); }
  set minio(value) { writeFileSync(join(this.dir, 'minio.json'), JSON.stringify(value)); }
  setUser(access: string, secret: string) {
    writeFileSync(join(this.dir, 'credentials', 'REGISTRY_STORAGE_S3_ACCESSKEY'), access);
    writeFileSync(join(this.dir, 'credentials', 'REGISTRY_STORAGE_S3_SECRETKEY'), secret);
  }
  setRoot(user: string, password: string) {
    writeFileSync(join(this.dir, 'root', 'MINIO_ROOT_USER'), user);
    writeFileSync(join(this.dir, 'root', 'MINIO_ROOT_PASSWORD'), password);
  }
}

// The stand-in's first call per round is `alias set`: counting them counts the rounds that set the user.
const rounds = (calls: string[]) => calls.filter((c) => c === 'alias set store').length;

describe('the bucket user sync', () => {
  test('sets the user and its policy, then does nothing while the Secret is unchanged', async () => {
    const { world, calls, ready, stdout } = await runSync([() => {}, () => {}, () => {}], { access: 'registry', secret: 'secret-key-1' });
    expect(world.minio.users).toEqual({ registry: { secret: 'secret-key-1', policies: ['minio-bucket-image-registry-policy'] } });
    expect(rounds(calls)).toBe(1);
    expect(ready).toEqual(['ready', 'ready', 'ready']);
    expect(stdout).not.toContain('secret-key-1');
  }, 20_000);

  test('a rotated secret key reaches MinIO: the user gets it, keeps its policy, and the pod is ready again', async () => {
    const { world, calls, ready } = await runSync([(w) => w.setUser('registry', 'secret-key-2'), () => {}, () => {}], { access: 'registry', secret: 'secret-key-1' });
    expect(world.minio.users.registry).toEqual({ secret: 'secret-key-2', policies: ['minio-bucket-image-registry-policy'] });
    expect(rounds(calls)).toBe(2);
    expect(ready).toEqual(['ready', 'ready', 'ready']);
  }, 20_000);

  test('MinIO down or refusing the root credentials: unready, and it tries again until MinIO takes them', async () => {
    const { world, ready, stderr } = await runSync([
      (w) => { w.minio = { ...w.minio, up: false }; w.setUser('registry', 'secret-key-2'); },
      (w) => { w.minio = { ...w.minio, up: true }; w.setRoot('minio-admin', 'root-password-2'); },
      // MinIO restarted with the new root credentials.
      (w) => { w.minio = { ...w.minio, root: { user: 'minio-admin', password: 'root-password-2' } }; },
      () => {},
    ], { access: 'registry', secret: 'secret-key-1' });
    expect(ready).toEqual(['ready', 'unready', 'unready', 'ready']);
    expect(world.minio.users.registry.secret).toBe('secret-key-2');
    expect(stderr).toContain('could not set the bucket user');
    expect(stderr).not.toMatch(/secret-key|root-password/);
  }, 20_000);

  test('a new access key makes a new user with the policy; the old user is left for an administrator to remove', async () => {
    const { world, ready } = await runSync([(w) => w.setUser('registry-2', 'secret-key-2'), () => {}], { access: 'registry', secret: 'secret-key-1' });
    expect(ready).toEqual(['ready', 'ready']);
    expect(world.minio.users).toEqual({
      'registry': { secret: 'secret-key-1', policies: ['minio-bucket-image-registry-policy'] },
      'registry-2': { secret: 'secret-key-2', policies: ['minio-bucket-image-registry-policy'] },
    });
  }, 20_000);

  test('a secret key MinIO refuses (too short) leaves it unready', async () => {
    const { world, ready } = await runSync([(w) => w.setUser('registry', 'short'), () => {}], { access: 'registry', secret: 'secret-key-1' });
    expect(ready).toEqual(['ready', 'unready']);
    expect(world.minio.users.registry.secret).toBe('secret-key-1');
  }, 20_000);

  test('no credential reaches the log, not even one mc refuses and prints (a leading -, too short)', async () => {
    const { world, ready, stdout, stderr } = await runSync([
      (w) => w.setUser('registry', '-Xq9SuperSecretKey'),
      (w) => { w.setRoot('minio-admin', '-rootpw'); },
      () => {},
    ], { access: 'registry', secret: 'secret-key-1' });
    // A key that starts with '-' is a value, not a flag, after `--`.
    expect(ready[0]).toBe('ready');
    expect(world.minio.users.registry.secret).toBe('-Xq9SuperSecretKey');
    expect(`${stdout}${stderr}`).not.toMatch(/Xq9SuperSecretKey|-rootpw|secret-key-1/);
    expect(stderr).toContain('could not set the bucket user');
  }, 20_000);
});
