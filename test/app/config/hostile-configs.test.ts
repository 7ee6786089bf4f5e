import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeCluster } from '../../../app/charts/cluster';
import { ConfigError } from '../../../app/config/config-error';
import { loadConfigFile, parseConfigText, parseDefaultsText } from '../../../app/config/loader';
import { mergeDefaults } from '../../../app/config/merge';
import { countNodes, TreeError } from '../../../app/config/yaml-bounds';
import { CONFIG_FILE_LIMIT, CONFIG_NODE_LIMIT } from '../../../app/config/yaml-source';
import { readConfigFolder, synth, synthesizeFleet } from '../../../app/synth';
import { manyProblems } from './hostile-config-sizes';
import { fleetError } from './fleet-error';

// Config files written by someone else, or by no one: hostile keys and values, files that are
// not config files, prototype keys, alias bombs, and files large enough to make error
// reporting slow. Each must fail with our one-line errors naming the file, quickly.

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const valid = 'name: prod\nregistry:\n  storage: {emptyDir: {}}\n';

/** A scratch config folder holding `files`. */
function folder(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'hostile-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The message of the ConfigError that parsing `text` (over optional defaults) throws. */
function configError(text: string, defaults?: string): string {
  try {
    const loaded = parseConfigText(text, 'config/prod.yaml', defaults === undefined ? undefined : parseDefaultsText(defaults, 'config/_defaults.yaml'));
    synthesizeCluster(loaded);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as Error).message).not.toMatch(/\n\s+at /);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

const mkfifo = (path: string) => execFileSync('mkfifo', [path]);
const canMkfifo = (() => {
  try {
    mkfifo(join(mkdtempSync(join(tmpdir(), 'fifo-probe-')), 'p'));
    return true;
  } catch {
    return false;
  }
})();
const withFifo = canMkfifo ? test : test.skip;

describe('class 4: terminal injection in config messages', () => {
  test('an unknown key with escape sequences is printed escaped', () => {
    const message = configError(`${valid}  "\\e]0;pwned\\a\\e[2J": 1\n`);
    expect(message).not.toMatch(CONTROL);
    expect(message).toContain('config/prod.yaml:4:3: registry: unknown key "\\u001b]0;pwned\\u0007\\u001b[2J"');
  });

  test('a value with a bidi override or a C1 control is printed escaped', () => {
    const message = configError('name: "prod\\u202Eevil"\nregistry:\n  storage: {emptyDir: {}}\n');
    expect(message).not.toMatch(CONTROL);
    expect(message).toContain('string "prod\\u202eevil" is not valid');
    expect(configError(`${valid}  "\\x9B31m": 1\n`)).toContain('unknown key "\\x9b31m"');
  });

  test('a file name with a newline and an escape sequence stays on its one line', () => {
    const dir = folder({ 'evil\n\x1b[31mname.yaml': `${valid}  replica: 2\n` });
    const message = fleetError(dir);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).not.toMatch(CONTROL);
    expect(message).toContain('evil\\n\\x1b[31mname.yaml:4:3: registry: unknown key "replica"');
  });

  test('a long key from the file is cut short in the field path', () => {
    const message = configError(`${valid}  nodeSelector: {${'k'.repeat(5000)}: 5}\n`);
    expect(message).toBe(`config/prod.yaml:4:5020: registry.nodeSelector.${'k'.repeat(120 - 'registry.nodeSelector.'.length)}…: expected a string, got number 5`);
  });

  test('a folder name with control characters is escaped in "set in" references too', () => {
    const dir = folder();
    const nested = join(dir, 'cfg\x1b]0;x\x07');
    mkdirSync(nested);
    writeFileSync(join(nested, '_defaults.yaml'), 'registry:\n  replica: 2\n');
    writeFileSync(join(nested, 'a.yaml'), 'name: a\nregistry:\n  storage: {emptyDir: {}}\n');
    const message = fleetError(nested);
    expect(message).not.toMatch(CONTROL);
    expect(message).toContain('cfg\\x1b]0;x\\x07/_defaults.yaml:2:3');
  });
});

describe('class 10: files that are not config files', () => {
  test('a symbolic link to a file outside the folder is refused, and its content is not printed', () => {
    const secrets = folder({ '.npmrc': '//registry.npmjs.org/:_authToken=npm_SECRETTOKEN1234567890\n', shadow: 'root:$6$saltsalt$hashhashhash:19000:0:99999:7:::\n' });
    const dir = folder();
    symlinkSync(join(secrets, '.npmrc'), join(dir, 'npmrc.yaml'));
    symlinkSync(join(secrets, 'shadow'), join(dir, 'shadow.yaml'));
    const message = fleetError(dir);
    expect(message).not.toContain('SECRETTOKEN');
    expect(message).not.toContain('hashhash');
    expect(message.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${dir}/npmrc\\.yaml: is a symbolic link to .*\\.npmrc, outside ${dir}; only links to files within the folder are followed`)),
      expect.stringMatching(new RegExp(`^${dir}/shadow\\.yaml: is a symbolic link to .*shadow, outside ${dir}`)),
    ]);
  });

  test('a symbolic link to /dev/zero is refused at once', () => {
    const dir = folder();
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
    expect(fleetError(dir)).toMatch(/zero\.yaml: is a symbolic link to \/dev\/zero, outside/);
  });

  test('a device given directly is refused without reading it', () => {
    expect(() => loadConfigFile('/dev/zero')).toThrow('/dev/zero: is a character device, not a regular file');
  });

  withFifo('a FIFO named like a config is refused without blocking', () => {
    const dir = folder({ 'a.yaml': valid.replace('prod', 'a') });
    mkfifo(join(dir, 'b.yaml'));
    expect(fleetError(dir)).toBe(`${join(dir, 'b.yaml')}: is a FIFO (named pipe), not a regular file`);
  });

  test('a folder named like a config is refused', () => {
    const dir = folder({ 'a.yaml': valid });
    mkdirSync(join(dir, 'b.yaml'));
    expect(fleetError(dir)).toContain(`${join(dir, 'b.yaml')}: is a folder, not a regular file`);
  });

  test('a symbolic link to a file within the folder is followed', () => {
    const dir = folder();
    mkdirSync(join(dir, 'shared'));
    writeFileSync(join(dir, 'shared', 'base.yml.txt'), valid);
    symlinkSync(join('shared', 'base.yml.txt'), join(dir, 'prod.yaml'));
    expect([...synthesizeFleet(readConfigFolder(dir)).keys()]).toContain('prod/kustomization.yaml');
  });

  test('a file over 1 MiB is refused, on disk or as text', () => {
    const big = `${valid}# ${'x'.repeat(CONFIG_FILE_LIMIT)}\n`;
    const dir = folder({ 'prod.yaml': big });
    expect(fleetError(dir)).toBe(`${join(dir, 'prod.yaml')}: is ${Buffer.byteLength(big)} bytes; the limit is 1 MiB (1048576 bytes)`);
    expect(configError(big)).toBe(`config/prod.yaml: is ${Buffer.byteLength(big)} bytes; the limit is 1 MiB (1048576 bytes)`);
  });

  test('a file that is not a map is quoted in a short excerpt only', () => {
    const message = configError('"-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ SECRETPART"\n');
    expect(message).toBe('config/prod.yaml:1:1: expected a map, got string "-----BEGIN OPENSSH PRIVATE KEY----- b3Bl…" (89 characters)');
  });

  test('a map that is not a config shows at most five keys, each cut short', () => {
    const kubeconfig = Array.from({ length: 8 }, (_, i) => `token-${i}-${'s'.repeat(60)}: x`).join('\n');
    const message = configError(`${kubeconfig}\n`);
    expect(message).toContain(`config/prod.yaml:1:1: unknown keys "token-0-${'s'.repeat(32)}…" (68 characters), "token-1-${'s'.repeat(32)}…" (68 characters), "token-2-${'s'.repeat(32)}…" (68 characters), "token-3-${'s'.repeat(32)}…" (68 characters), "token-4-${'s'.repeat(32)}…" (68 characters) and 3 more; allowed: name, openshiftVersion, minio, registry`);
    expect(message).not.toContain('s'.repeat(41));
  });

  test('nothing is written to the output folder when a config is not a file', async () => {
    const secrets = folder({ token: 'secret: x\n' });
    const dir = folder({ 'a.yaml': valid.replace('prod', 'a') });
    symlinkSync(join(secrets, 'token'), join(dir, 'b.yaml'));
    const out = join(folder({}), 'dist');
    await expect(synth({ configDir: dir, outdir: out })).rejects.toThrow('b.yaml: is a symbolic link to');
    expect(existsSync(join(out, 'a'))).toBe(false);
  });
});

describe('class 11: __proto__ and friends', () => {
  test('registry.__proto__ over fleet defaults is an error, never a prototype (no Removed, no 3 replicas)', () => {
    const dir = folder({
      '_defaults.yaml': 'registry:\n  logLevel: Normal\n',
      'prod.yaml': 'name: prod\nregistry:\n  __proto__: {managementState: Removed, replicas: 3}\n  storage: {emptyDir: {}}\n',
    });
    expect(fleetError(dir)).toBe(`${join(dir, 'prod.yaml')}:3:3: registry: "__proto__" cannot be a key: JavaScript reads it as the prototype of the object; remove or rename it`);
  });

  test('__proto__ in a map of strings is an error, not dropped silently', () => {
    expect(configError('name: prod\nregistry:\n  storage: {emptyDir: {}}\n  nodeSelector: {__proto__: x, zone: a}\n'))
      .toBe('config/prod.yaml:4:18: registry.nodeSelector: "__proto__" cannot be a key: JavaScript reads it as the prototype of the object; remove or rename it');
  });

  test('__proto__ at the top of the defaults file is an error naming that file', () => {
    const dir = folder({ '_defaults.yaml': '__proto__: {registry: {replicas: 3}}\n', 'a.yaml': valid.replace('prod', 'a') });
    expect(fleetError(dir)).toBe(`${join(dir, '_defaults.yaml')}:1:1: "__proto__" cannot be a key: JavaScript reads it as the prototype of the object; remove or rename it`);
  });

  test('constructor, on which cdk8s fails to write a map, is an error and not a crash', () => {
    expect(configError(`${valid}  nodeSelector: {constructor: a}\n`)).toBe('config/prod.yaml:4:18: registry.nodeSelector: "constructor" cannot be a key: cdk8s, which writes the manifests, cannot write a map with this key; remove or rename it');
  });

  test('prototype, toString, hasOwnProperty and valueOf are plain keys, written as given', () => {
    const loaded = parseConfigText(`${valid}  nodeSelector: {prototype: a, toString: b, hasOwnProperty: c, valueOf: d}\n`, 'prod.yaml', parseDefaultsText('registry:\n  nodeSelector: {zone: z}\n', '_defaults.yaml'));
    expect(loaded.config.registry.nodeSelector).toEqual({ zone: 'z', prototype: 'a', toString: 'b', hasOwnProperty: 'c', valueOf: 'd' });
    const registry = [...synthesizeCluster(loaded)].find(([path]) => path.endsWith('registry.yaml'))![1];
    expect(registry).toContain('nodeSelector:\n    hasOwnProperty: c\n    prototype: a\n    toString: b\n    valueOf: d\n    zone: z\n');
    expect(configError(`${valid}  toString: x\n`)).toContain('registry: unknown key "toString"');
  });

  test('merging keeps __proto__ a plain own key and never changes a prototype', () => {
    const cluster = JSON.parse('{"registry": {"__proto__": {"managementState": "Removed"}, "storage": {}}}');
    const merged = mergeDefaults({ registry: { logLevel: 'Normal' } }, cluster) as { registry: Record<string, unknown> };
    expect(Object.getPrototypeOf(merged.registry)).toBe(Object.prototype);
    expect(merged.registry.managementState).toBeUndefined();
    expect(Object.keys(merged.registry)).toEqual(['logLevel', '__proto__', 'storage']);
  });

  test('merging only counts own keys of the defaults: null for an inherited name is kept', () => {
    expect(mergeDefaults({ registry: {} }, { registry: { constructor: null, toString: null } })).toEqual({ registry: { constructor: null, toString: null } });
    expect(configError(`${valid}  toString: null\n`, 'registry: {logLevel: Normal}\n')).toContain('registry: unknown key "toString"');
  });

  test('<< is a plain key, not a YAML merge', () => {
    expect(configError('name: prod\nbase: &base {replicas: 3}\nregistry:\n  <<: *base\n  storage: {emptyDir: {}}\n')).toContain('config/prod.yaml:2:1: unknown key "base"');
    expect(configError('name: prod\nregistry:\n  <<: {replicas: 3}\n  storage: {emptyDir: {}}\n')).toBe('config/prod.yaml:3:3: registry: unknown key "<<"; allowed: managementState, replicas, rolloutStrategy, storage, defaultRoute, routes, disableRedirect, nodeSelector, tolerations, affinity, resources, logLevel, proxy');
  });

  test('countNodes refuses __proto__ at any depth, with its path', () => {
    const data = JSON.parse('{"a": [{"b": {"__proto__": 1}}]}');
    expect(() => countNodes(data, 100)).toThrow(expect.objectContaining({ reason: 'key', path: ['a', 0, 'b', '__proto__'] }));
  });
});

/** A config of `width` affinity terms of `width` expressions of `width` values, through aliases. */
function affinityBomb(width: number): string {
  const values = Array.from({ length: width }, (_, i) => `v${i}`).join(', ');
  return `name: prod
registry:
  storage: {emptyDir: {}}
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - &term
            matchExpressions:
              - &expr {key: zone, operator: In, values: [${values}]}
${'              - *expr\n'.repeat(width - 1)}${'          - *term\n'.repeat(width - 1)}`;
}

describe('class 12: alias amplification', () => {
  test('aliases that pass the schema but expand a 5 KB file past the limit are refused at once', () => {
    const text = affinityBomb(100);
    expect(text.length).toBeLessThan(5000);
    expect(configError(text)).toBe(`config/prod.yaml: the file expands to more than ${CONFIG_NODE_LIMIT} values (maps, lists and scalars, a long string one per 64 characters, each alias counted as a copy of its anchor); the limit is ${CONFIG_NODE_LIMIT}: use fewer aliases`);
  });

  test('a billion laughs is refused in milliseconds', () => {
    const levels = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 9; i++) levels.push(`${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(9).fill(`*${'abcdefghi'[i - 1]}`).join(', ')}]`);
    expect(configError(`${valid}${levels.join('\n')}\n`)).toContain('the file expands to more than');
  });

  test('a bomb in the defaults file names that file', () => {
    const defaults = affinityBomb(60).replace('name: prod\n', '');
    const dir = folder({ '_defaults.yaml': defaults, 'a.yaml': 'name: a\nregistry:\n  replicas: 1\n' });
    expect(fleetError(dir)).toMatch(new RegExp(`^${join(dir, '_defaults.yaml')}: the file expands to more than ${CONFIG_NODE_LIMIT} values`));
  });

  test('a recursive alias is an error at its field, not a stack overflow', () => {
    expect(configError(`${valid}  affinity:\n    nodeAffinity: &n {loop: *n}\n`))
      .toBe('config/prod.yaml:5:29: registry.affinity.nodeAffinity.loop: an alias refers to a node that contains it (a recursive alias); the document must be a tree');
  });

  test('aliases within the limit still work', () => {
    const loaded = parseConfigText(affinityBomb(5), 'prod.yaml');
    const terms = (loaded.config.registry.affinity!.nodeAffinity as { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: unknown[] } }).requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(terms).toHaveLength(5);
    expect(synthesizeCluster(loaded).size).toBeGreaterThan(0);
  });

  test('countNodes counts shared nodes as copies, in time linear in the parsed size', () => {
    let node: unknown = 'lol';
    for (let i = 0; i < 30; i++) node = [node, node];
    expect(() => countNodes(node, 1e6)).toThrow(TreeError);
    let small: unknown = 'x';
    for (let i = 0; i < 3; i++) small = [small, small];
    expect(countNodes(small, 100)).toBe(15);
  });
});

// Many bad values and keys, at 400 here and at 40000 in the integration tier (hostile-configs.slow.test.ts).
manyProblems(400);

describe('class 14: error reporting stays linear', () => {
  test('a file full of syntax errors: the first, and how many more', () => {
    const message = configError(`${valid}${'  - [a\n: b\n'.repeat(300)}`);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/^config\/prod\.yaml:\d+:\d+: invalid YAML: .* \(and \d+ more YAML errors\)$/);
  });

  test('deep nesting: one line, at once', () => {
    expect(configError('['.repeat(500_000))).toBe('config/prod.yaml:1:100: invalid YAML: nested more than 100 levels deep');
  });
});
