import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, SynthError } from '../../../app/config/config-error';
import { loadConfigFile, parseConfigText, parseDefaultsText } from '../../../app/config/loader';

/** The problems parseConfigText reports, one line each. */
function problems(text: string): string[] {
  try {
    parseConfigText(text, 'clusters/prod.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message.split('\n');
  }
  throw new Error('expected a ConfigError');
}

const valid = `name: prod
registry:
  storage:
    pvc: {}
`;

describe('config loader', () => {
  test('a valid file loads into a typed config', () => {
    const loaded = parseConfigText(valid, 'prod.yaml');
    expect(loaded.config).toEqual({ name: 'prod', registry: { storage: { pvc: {} } } });
  });

  test('openshiftVersion: a quoted known minor; an unquoted one is a number, named with the string meant', () => {
    expect(parseConfigText(`openshiftVersion: "4.20"\n${valid}`, 'prod.yaml').config.openshiftVersion).toBe('4.20');
    expect(parseConfigText(valid, 'prod.yaml').config.openshiftVersion).toBeUndefined();
    const allowed = 'use one of 4.12, 4.13, 4.14, 4.15, 4.16, 4.17, 4.18, 4.19, 4.20, 4.21, 4.22, 4.23';
    expect(problems(`openshiftVersion: 4.20\n${valid}`)).toEqual([`clusters/prod.yaml:1:19: openshiftVersion: number 4.2 is not allowed; ${allowed}; write it in quotes, "4.20" (YAML reads an unquoted 4.20 as the number 4.2)`]);
    expect(problems(`openshiftVersion: 4.16\n${valid}`)).toEqual([`clusters/prod.yaml:1:19: openshiftVersion: number 4.16 is not allowed; ${allowed}; write it in quotes, "4.16"`]);
    // 4.1 is no known minor: no string to suggest.
    expect(problems(`openshiftVersion: 4.1\n${valid}`)).toEqual([`clusters/prod.yaml:1:19: openshiftVersion: number 4.1 is not allowed; ${allowed}`]);
  });

  test('malformed YAML names the file, line and column', () => {
    expect(problems('name: prod\nregistry: [a\n')).toEqual([expect.stringMatching(/^clusters\/prod\.yaml:\d+:\d+: invalid YAML: /)]);
  });

  test('duplicate keys are YAML errors', () => {
    expect(problems('name: a\nname: b\n')).toEqual(['clusters/prod.yaml:2:1: invalid YAML: Map keys must be unique']);
  });

  test('an empty file and several documents are refused', () => {
    expect(problems('')).toEqual(['clusters/prod.yaml: the file is empty; it must hold one cluster config (name, registry)']);
    expect(problems('# only a comment\n')).toEqual(['clusters/prod.yaml: the file is empty; it must hold one cluster config (name, registry)']);
    expect(problems(`${valid}---\nname: other\n`)).toEqual(['clusters/prod.yaml:6:1: the file holds more than one YAML document; it must hold one cluster config (name, registry)']);
  });

  test('unknown keys are errors that list the allowed keys, at the key', () => {
    expect(problems(`${valid}  replica: 2\n`)).toEqual([
      'clusters/prod.yaml:5:3: registry: unknown key "replica"; allowed: managementState, replicas, rolloutStrategy, storage, defaultRoute, routes, disableRedirect, nodeSelector, tolerations, affinity, resources, logLevel, proxy',
    ]);
    expect(problems('name: prod\nregistry:\n  storage:\n    pvc:\n      sise: 1Gi\n')).toEqual([
      'clusters/prod.yaml:5:7: registry.storage.pvc: unknown key "sise"; allowed: name, size, storageClassName, accessMode, managementState',
    ]);
  });

  test('wrong types say what was expected and what was found', () => {
    expect(problems(`${valid}  replicas: "2"\n`)).toEqual(['clusters/prod.yaml:5:13: registry.replicas: expected a number, got string "2"']);
    expect(problems(`${valid}  replicas: 1.5\n`)).toEqual(['clusters/prod.yaml:5:13: registry.replicas: expected a whole number, got number 1.5']);
    expect(problems(`${valid}  defaultRoute: yes\n`)).toEqual(['clusters/prod.yaml:5:17: registry.defaultRoute: expected true or false, got string "yes"']);
    expect(problems(`${valid}  routes: {name: a}\n`)).toEqual(['clusters/prod.yaml:5:11: registry.routes: expected a list, got a map']);
  });

  test('negative replicas are refused', () => {
    expect(problems(`${valid}  replicas: -1\n`)).toEqual(['clusters/prod.yaml:5:13: registry.replicas: number -1 is not valid: expected number to be >=0']);
  });

  test('missing required fields are named', () => {
    expect(problems('name: prod\n')).toEqual(['clusters/prod.yaml:1:1: registry: is required (a map)']);
    expect(problems('registry:\n  storage: {emptyDir: {}}\n')).toEqual(['clusters/prod.yaml:1:1: name: is required (a string)']);
  });

  test('bad sizes and names show the value and what is allowed', () => {
    expect(problems('name: prod\nregistry:\n  storage:\n    pvc:\n      size: 100GB\n')).toEqual([
      'clusters/prod.yaml:5:13: registry.storage.pvc.size: string "100GB" is not valid: expected a Kubernetes quantity such as 100Gi, 512Mi or 500m (binary suffixes Ki..Ei, decimal k..E; not GB)',
    ]);
    expect(problems('name: Prod\nregistry:\n  storage: {emptyDir: {}}\n')).toEqual([
      "clusters/prod.yaml:1:7: name: string \"Prod\" is not valid: expected a DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit",
    ]);
  });

  test('enums list the allowed values; Force is not one the operator acts on', () => {
    expect(problems(`${valid}  managementState: Force\n`)).toEqual([
      'clusters/prod.yaml:5:20: registry.managementState: string "Force" is not allowed; use one of Managed, Unmanaged, Removed',
    ]);
  });

  test('exactly one storage back end', () => {
    expect(problems('name: prod\nregistry:\n  storage:\n    pvc: {}\n    emptyDir: {}\n')).toEqual([
      'clusters/prod.yaml:4:5: registry.storage: exactly one storage back end must be set (one of pvc, existingClaim, emptyDir, s3, gcs, azure, swift, ibmcos), got pvc and emptyDir',
    ]);
    expect(problems('name: prod\nregistry:\n  storage: {}\n')).toEqual([
      'clusters/prod.yaml:3:12: registry.storage: exactly one storage back end must be set (one of pvc, existingClaim, emptyDir, s3, gcs, azure, swift, ibmcos), got none',
    ]);
  });

  test('every problem in a file is reported, in file order', () => {
    const lines = problems('name: Prod\nregistry:\n  replicas: x\n  storage: {pvc: {size: 1GB}}\n  colour: blue\n');
    expect(lines).toHaveLength(4);
    expect(lines.map((l) => l.split(': ')[0])).toEqual(['clusters/prod.yaml:1:7', 'clusters/prod.yaml:3:13', 'clusters/prod.yaml:4:25', 'clusters/prod.yaml:5:3']);
  });

  test('LoadedConfig.error points at a field found later', () => {
    const loaded = parseConfigText(`${valid}  replicas: 2\n`, 'prod.yaml');
    expect(loaded.error('registry.replicas', 'too many').message).toBe('prod.yaml:5:13: registry.replicas: too many');
    // A field that is not in the file points at its nearest parent.
    expect(loaded.error('registry.rolloutStrategy', 'missing').message).toBe('prod.yaml:3:3: registry.rolloutStrategy: missing');
  });

  test('an unreadable file is a ConfigError naming it', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'nope.yaml');
    expect(() => loadConfigFile(missing)).toThrow(`${missing}: cannot read the file`);
    const file = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'ok.yaml');
    writeFileSync(file, valid);
    expect(loadConfigFile(file).config.name).toBe('prod');
  });
});

test('YAML\'s .nan and .inf where a number is expected are named as written, not as null', () => {
  expect(problems('name: a\nregistry:\n  storage: {emptyDir: {}}\npruner:\n  keepTagRevisions: .nan\n'))
    .toEqual(['clusters/prod.yaml:5:21: pruner.keepTagRevisions: expected a number, got NaN (YAML\'s .nan)']);
  expect(problems('name: a\nregistry:\n  storage: {emptyDir: {}}\npruner:\n  failedJobsHistoryLimit: -.inf\n'))
    .toEqual(['clusters/prod.yaml:5:27: pruner.failedJobsHistoryLimit: expected a number, got -Infinity (YAML\'s -.inf)']);
});

test('.inf and .nan where the schema takes any value (affinity terms) are refused at their field: an object is JSON, which has neither', () => {
  const affinity = (weight: string) => `name: a\nregistry:\n  storage: {emptyDir: {}}\n  affinity:\n    podAntiAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n        - weight: ${weight}\n          podAffinityTerm: {topologyKey: kubernetes.io/hostname}\n`;
  expect(problems(affinity('.inf'))).toEqual(['clusters/prod.yaml:7:19: registry.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Infinity (YAML\'s .inf) is not a number a Kubernetes object can hold (objects are JSON, which has no infinity or NaN); write a finite number']);
  expect(problems(affinity('.NaN'))).toEqual(['clusters/prod.yaml:7:19: registry.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: NaN (YAML\'s .nan) is not a number a Kubernetes object can hold (objects are JSON, which has no infinity or NaN); write a finite number']);
  expect(parseConfigText(affinity('100'), 'clusters/prod.yaml').config.registry.affinity).toEqual({ podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname' } }] } });
  expect(problems('name: a\nregistry:\n  storage: {emptyDir: {}}\npruner:\n  keepYoungerThan: -.inf\n')).toEqual([expect.stringContaining('clusters/prod.yaml:5:20: pruner.keepYoungerThan: ')]);
});

describe('config over fleet defaults: each problem in the file where its value was written', () => {
  const defaultsFile = 'config/_defaults.yaml';
  /** Every problem parsing `text` over `defaults` reports, as `file -> lines`. */
  function problemsByFile(text: string, defaults: string): Record<string, string[]> {
    try {
      parseConfigText(text, 'config/prod.yaml', parseDefaultsText(defaults, defaultsFile));
    } catch (e) {
      const errors = e instanceof SynthError ? e.errors : [e as ConfigError];
      expect(errors.every((error) => error instanceof ConfigError)).toBe(true);
      return Object.fromEntries(errors.map((error) => [error.file, error.message.split('\n')]));
    }
    throw new Error('expected an error');
  }

  test('a value the cluster inherits whole is the defaults\' problem, at its line', () => {
    expect(problemsByFile('name: prod\n', 'registry:\n  storage:\n    pvc: {size: 1GB}\n')).toEqual({
      [defaultsFile]: [`${defaultsFile}:3:17: registry.storage.pvc.size: string "1GB" is not valid: expected a Kubernetes quantity such as 100Gi, 512Mi or 500m (binary suffixes Ki..Ei, decimal k..E; not GB)`],
    });
  });

  test('unknown keys go each to its own file, even in a map both files have', () => {
    expect(problemsByFile('name: prod\nregistry:\n  colour: blue\n', 'registry:\n  storage: {emptyDir: {}}\n  replica: 2\nprunner: {}\n')).toEqual({
      [defaultsFile]: [
        `${defaultsFile}:3:3: registry: unknown key "replica"; allowed: managementState, replicas, rolloutStrategy, storage, defaultRoute, routes, disableRedirect, nodeSelector, tolerations, affinity, resources, logLevel, proxy`,
        `${defaultsFile}:4:1: unknown key "prunner"; allowed: openshiftVersion, minio, registry, imageConfig, pruner, storageSwitch, applierRbac, gitops`,
      ],
      'config/prod.yaml': ['config/prod.yaml:3:3: registry: unknown key "colour"; allowed: managementState, replicas, rolloutStrategy, storage, defaultRoute, routes, disableRedirect, nodeSelector, tolerations, affinity, resources, logLevel, proxy'],
    });
  });

  test('a value of the cluster that replaces the defaults\' is the cluster\'s problem alone', () => {
    expect(problemsByFile('name: prod\nregistry:\n  replicas: x\n', 'registry:\n  storage: {emptyDir: {}}\n  replicas: y\n')).toEqual({
      'config/prod.yaml': ['config/prod.yaml:3:13: registry.replicas: expected a number, got string "x"'],
    });
  });

  test('a map merged from both files that breaks a rule names both places', () => {
    expect(problemsByFile('name: prod\nregistry:\n  storage:\n    emptyDir: {}\n', 'registry:\n  storage:\n    pvc: {}\n')).toEqual({
      'config/prod.yaml': [`config/prod.yaml:4:5: registry.storage (merged with ${defaultsFile}:3:5): exactly one storage back end must be set (one of pvc, existingClaim, emptyDir, s3, gcs, azure, swift, ibmcos), got pvc and emptyDir`],
    });
  });

  test('a required field missing from a section the cluster inherits whole is the defaults\' problem', () => {
    expect(problemsByFile('name: prod\nregistry:\n  storage: {emptyDir: {}}\n', 'minio: {size: 10Gi}\n')).toEqual({
      [defaultsFile]: [`${defaultsFile}:1:8: minio.rootCredentials: is required (a map)`],
    });
  });

  test('null in the cluster removes an inherited bad value: no problem', () => {
    expect(parseConfigText('name: prod\nprunner: null\n', 'config/prod.yaml', parseDefaultsText('registry:\n  storage: {emptyDir: {}}\nprunner: {}\n', defaultsFile)).config.name).toBe('prod');
  });
});

describe('plainSecret variables', () => {
  const config = (minioVariables: string, registryVariables: string) => `name: prod
minio:
  rootCredentials:
    plainSecret:
      fromEnv: {${minioVariables}}
registry:
  storage:
    s3:
      credentials:
        plainSecret:
          fromEnv: {${registryVariables}}
`;

  test('every unset variable is listed in one run, each with the field that names it', () => {
    for (const v of ['PLAIN_SECRET_T_USER', 'PLAIN_SECRET_T_PASSWORD', 'PLAIN_SECRET_T_ACCESS', 'PLAIN_SECRET_T_SECRET']) delete process.env[v];
    process.env.PLAIN_SECRET_T_PASSWORD = 'set';
    try {
      const text = config('MINIO_ROOT_USER: PLAIN_SECRET_T_USER, MINIO_ROOT_PASSWORD: PLAIN_SECRET_T_PASSWORD', 'REGISTRY_STORAGE_S3_ACCESSKEY: PLAIN_SECRET_T_ACCESS, REGISTRY_STORAGE_S3_SECRETKEY: PLAIN_SECRET_T_SECRET');
      const advice = 'is not set (or empty); export it before synth, or choose existingSecret, externalSecret or sealedSecret';
      expect(problems(text)).toEqual([
        `clusters/prod.yaml:5:34: minio.rootCredentials.plainSecret.fromEnv.MINIO_ROOT_USER: environment variable PLAIN_SECRET_T_USER ${advice}`,
        `clusters/prod.yaml:11:52: registry.storage.s3.credentials.plainSecret.fromEnv.REGISTRY_STORAGE_S3_ACCESSKEY: environment variable PLAIN_SECRET_T_ACCESS ${advice}`,
        `clusters/prod.yaml:11:106: registry.storage.s3.credentials.plainSecret.fromEnv.REGISTRY_STORAGE_S3_SECRETKEY: environment variable PLAIN_SECRET_T_SECRET ${advice}`,
      ]);
      // An empty variable is unset too; with every variable set, the config loads.
      process.env.PLAIN_SECRET_T_USER = '';
      expect(problems(text)).toHaveLength(3);
      Object.assign(process.env, { PLAIN_SECRET_T_USER: 'u', PLAIN_SECRET_T_ACCESS: 'a', PLAIN_SECRET_T_SECRET: 's' });
      expect(parseConfigText(text, 'prod.yaml').config.name).toBe('prod');
    } finally {
      for (const v of ['PLAIN_SECRET_T_USER', 'PLAIN_SECRET_T_PASSWORD', 'PLAIN_SECRET_T_ACCESS', 'PLAIN_SECRET_T_SECRET']) delete process.env[v];
    }
  });

  test('a variable named in the defaults is the defaults\' problem', () => {
    delete process.env.PLAIN_SECRET_T_ROOT;
    const defaults = parseDefaultsText('minio:\n  rootCredentials:\n    plainSecret:\n      fromEnv: {MINIO_ROOT_USER: PLAIN_SECRET_T_ROOT, MINIO_ROOT_PASSWORD: PLAIN_SECRET_T_ROOT}\n', 'config/_defaults.yaml');
    let error: unknown;
    try {
      parseConfigText('name: prod\nregistry:\n  storage:\n    s3:\n      credentials: {existingSecret: {}}\n', 'config/prod.yaml', defaults);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).file).toBe('config/_defaults.yaml');
    expect((error as ConfigError).message.split('\n').map((line) => line.split(': ').slice(0, 2).join(': '))).toEqual([
      'config/_defaults.yaml:4:34: minio.rootCredentials.plainSecret.fromEnv.MINIO_ROOT_USER',
      'config/_defaults.yaml:4:76: minio.rootCredentials.plainSecret.fromEnv.MINIO_ROOT_PASSWORD',
    ]);
  });
});
