// The command-line tool: `npm run cli -- <command>` (bundled by scripts/cli.mjs).
//   diff [--config DIR] [--dist DIR] [--format text|markdown]
//       Synthesizes in memory and compares with dist/ object by object; exit 1 on drift.
//   validate [DIR] [--crds DIR] [--allow-plain-secrets]
//       Checks every manifest under DIR (default dist) offline; exit 1 on any error.
//   discover --registry HOST [auth] [--repository GLOB]... [--concurrency N] [--format table|json]
//       Lists the repositories, tags and digests of a registry (see docs/discover.md).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { diffOutputs, formatMarkdown, formatText } from '../diff/object-diff';
import { discover as discoverRegistry, formatTable } from '../discover/discover';
import { DiscoverError } from '../discover/http';
import { registryUrl } from '../discover/origin';
import { RegistryAuth, RegistryClient } from '../discover/registry-client';
import { readTree } from '../output/read-tree';
import { readConfigFolder, synthesizeFleet, SynthError } from '../synth';
import { ALL_CORE_MODELS } from '../validate/core-models-all';
import { CoreSchemas } from '../validate/core-schemas';
import { CrdSchemas } from '../validate/crd-schemas';
import { crdDirectory, formatProblems, validateTree } from '../validate/validate-manifests';

const USAGE = [
  'usage: cli diff [--config DIR] [--dist DIR] [--format text|markdown]',
  '       cli validate [DIR] [--crds DIR] [--allow-plain-secrets]   (CRD folder: --crds, $CRD_DIR, ../shared/crds)',
  '       cli discover --registry HOST [--token TOKEN | --username USER] [--repository GLOB]... [--concurrency N]',
  '                    [--format table|json] [--ca-file PEM] [--insecure] [--timeout SECONDS]',
  '       (token: --token, $REGISTRY_TOKEN, or `oc whoami -t`; password: $REGISTRY_PASSWORD or --password)',
].join('\n');

function diff(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string', default: 'config' },
      dist: { type: 'string', default: 'dist' },
      format: { type: 'string', default: 'text' },
    },
  });
  if (values.format !== 'text' && values.format !== 'markdown') throw new UsageError(`--format must be text or markdown, got ${values.format}`);
  const changes = diffOutputs(readTree(values.dist!), synthesizeFleet(readConfigFolder(values.config!)));
  process.stdout.write(values.format === 'markdown' ? formatMarkdown(changes) : formatText(changes));
  return changes.length ? 1 : 0;
}

function validate(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { crds: { type: 'string' }, 'allow-plain-secrets': { type: 'boolean', default: false } },
  });
  if (positionals.length > 1) throw new UsageError('validate takes one folder');
  let crds: CrdSchemas;
  try {
    crds = CrdSchemas.fromDirectory(crdDirectory(values.crds, process.cwd()));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const dir = positionals[0] ?? 'dist';
  const files = readTree(dir);
  if (!files.size) throw new UsageError(`no files in ${dir}`);
  const report = validateTree(files, { schemas: [crds, new CoreSchemas(ALL_CORE_MODELS)], allowPlainSecrets: values['allow-plain-secrets'] });
  const errors = report.problems.filter((p) => p.severity === 'error').length;
  process.stdout.write(formatProblems(report.problems.map((p) => ({ ...p, manifest: { ...p.manifest, file: `${dir}/${p.manifest.file}` } }))));
  console.error(`${report.objects} objects checked in ${dir}: ${errors} errors, ${report.problems.length - errors} warnings`);
  return errors ? 1 : 0;
}

async function discover(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      registry: { type: 'string' },
      token: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      repository: { type: 'string', multiple: true },
      concurrency: { type: 'string', default: '8' },
      format: { type: 'string', default: 'table' },
      'ca-file': { type: 'string' },
      insecure: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '30' },
    },
  });
  if (!values.registry) throw new UsageError('--registry is required (the host of the registry, e.g. the default-route host)');
  const baseUrl = registryUrl(values.registry);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency must be a whole number from 1 to 64, got ${values.concurrency}`);
  const timeout = Number(values.timeout);
  if (!(timeout > 0)) throw new UsageError(`--timeout must be a number of seconds above 0, got ${values.timeout}`);
  if (values.format !== 'table' && values.format !== 'json') throw new UsageError(`--format must be table or json, got ${values.format}`);
  let ca: string | undefined;
  if (values['ca-file']) {
    try {
      ca = readFileSync(values['ca-file'], 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read --ca-file: ${(e as Error).message}`);
    }
  }
  if (values.insecure) console.error(`warning: --insecure: the TLS certificate of ${baseUrl.host} is not checked; anyone in the path can read the token`);
  const client = new RegistryClient({ baseUrl, auth: credentials(values), ca, insecure: values.insecure, timeoutMs: timeout * 1000, maxSockets: concurrency });
  const progress = process.stderr.isTTY
    ? (done: number, total: number, tags: number) => { if (total > 20) process.stderr.write(`\r${done}/${total} repositories, ${tags} tags`); }
    : undefined;
  try {
    const listings = await discoverRegistry(client, { patterns: values.repository, concurrency, onProgress: progress });
    if (progress) process.stderr.write('\r\x1b[K');
    process.stdout.write(values.format === 'json' ? `${JSON.stringify(listings, null, 2)}\n` : formatTable(listings));
    return 0;
  } finally {
    client.close();
  }
}

/** --token, $REGISTRY_TOKEN, --username with $REGISTRY_PASSWORD (or --password), or `oc whoami -t`. */
function credentials(values: { token?: string; username?: string; password?: string }): RegistryAuth {
  const token = values.token ?? process.env.REGISTRY_TOKEN;
  if (token && values.username) throw new UsageError('give a token or a user name, not both');
  if (token) return { kind: 'bearer', token };
  if (values.username) {
    const password = values.password ?? process.env.REGISTRY_PASSWORD;
    if (!password) throw new UsageError('--username needs a password: set $REGISTRY_PASSWORD (or --password)');
    return { kind: 'basic', username: values.username, password };
  }
  try {
    const fromOc = execFileSync('oc', ['whoami', '-t'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
    if (fromOc) return { kind: 'bearer', token: fromOc };
  } catch {
    // No oc, or not logged in: go on without credentials.
  }
  return { kind: 'anonymous' };
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'diff') return diff(rest);
    if (command === 'validate') return validate(rest);
    if (command === 'discover') return await discover(rest);
    throw new UsageError(command ? `unknown command ${command}` : 'a command is required');
  } catch (e) {
    if (e instanceof SynthError) {
      console.error(e.message);
      return 2;
    }
    if (e instanceof DiscoverError) {
      console.error(`discover: ${e.message}`);
      return 1;
    }
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(e as Error).message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
