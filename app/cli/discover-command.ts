import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { command, oneOf, UsageError } from './command';
import { discover, formatTable, MAX_REPOSITORIES, MAX_TAGS } from '../discover/discover';
import { MAX_RUN_MS, MAX_TOTAL_BYTES } from '../discover/http';
import { InputFileError, readInputFile } from '../output/read-tree';
import { escapeControl } from '../output/terminal-text';
import { registryUrl } from '../discover/origin';
import { RegistryAuth, RegistryClient } from '../discover/registry-client';

/** Longest --timeout, in seconds: an hour for one request is already more than any registry needs. */
export const MAX_TIMEOUT_SECONDS = 3600;

/** Largest --ca-file: a system's whole CA bundle is some 200 KiB. */
export const CA_FILE_LIMIT = 1024 * 1024;

/** `discover`: what an exposed registry holds (see docs/discover.md). */
export const discoverCommand = command({
  name: 'discover',
  synopsis: '--registry HOST [--token TOKEN | --username USER] [--repository GLOB]... [--concurrency N]\n' +
    '       [--format table|json] [--ca-file PEM] [--insecure] [--timeout SECONDS]',
  details: [
    '  --registry HOST     the registry host (e.g. the default-route host), or an https:// or http:// URL',
    '  --token TOKEN       bearer token (else $REGISTRY_TOKEN, else `oc whoami -t`)',
    '  --username USER     basic auth; the password from $REGISTRY_PASSWORD (or --password)',
    '  --repository GLOB   only repositories that match (repeatable; * and ? within a segment, ** across)',
    '  --concurrency N     requests at once, 1 to 64 (default 8)',
    '  --format FORMAT     table (default) or json',
    '  --ca-file PEM       trust this CA bundle for the registry',
    '  --insecure          do not check the registry\'s TLS certificate (prints a warning)',
    `  --timeout SECONDS   deadline for each request, above 0 and at most ${MAX_TIMEOUT_SECONDS} (default 30)`,
    `A run stops at ${MAX_REPOSITORIES.toLocaleString('en-US')} repositories, ${MAX_TAGS.toLocaleString('en-US')} tags, ${MAX_TOTAL_BYTES / 1024 / 1024} MiB of answers or ${MAX_RUN_MS / 3_600_000} hours (docs/discover.md).`,
    'Exit 0 on success, 1 when the registry cannot be listed, 2 on bad usage.',
  ],
  options: {
    'registry': { type: 'string' },
    'token': { type: 'string' },
    'username': { type: 'string' },
    'password': { type: 'string' },
    'repository': { type: 'string', multiple: true },
    'concurrency': { type: 'string', default: '8' },
    'format': { type: 'string', default: 'table' },
    'ca-file': { type: 'string' },
    'insecure': { type: 'boolean', default: false },
    'timeout': { type: 'string', default: '30' },
  },
  async run({ values }) {
    if (!values.registry) throw new UsageError('--registry is required (the host of the registry, e.g. the default-route host)');
    const baseUrl = registryUrl(values.registry);
    const concurrency = Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency must be a whole number from 1 to 64, got ${values.concurrency}`);
    const timeout = Number(values.timeout);
    // Node's timers take at most 2^31-1 ms (about 24.8 days): above that they fire at once.
    if (!(timeout > 0 && timeout <= MAX_TIMEOUT_SECONDS)) throw new UsageError(`--timeout must be a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}, got ${values.timeout}`);
    const format = oneOf('--format', values.format, ['table', 'json']);
    const ca = values['ca-file'] ? readCaFile(values['ca-file']) : undefined;
    if (values.insecure) console.error(`warning: --insecure: the TLS certificate of ${baseUrl.host} is not checked; anyone in the path can read the token`);
    const client = new RegistryClient({ baseUrl, auth: credentials(values, baseUrl), ca, insecure: values.insecure, timeoutMs: timeout * 1000, maxSockets: concurrency });
    const progress = process.stderr.isTTY
      ? (done: number, total: number, tags: number) => { if (total > 20) process.stderr.write(`\r${done}/${total} repositories, ${tags} tags`); }
      : undefined;
    try {
      const listings = await discover(client, { patterns: values.repository, concurrency, onProgress: progress });
      if (progress) process.stderr.write('\r\x1b[K');
      process.stdout.write(format === 'json' ? `${JSON.stringify(listings, null, 2)}\n` : formatTable(listings));
      return 0;
    } finally {
      client.close();
    }
  },
});

/**
 * The PEM bundle of --ca-file: a regular file of at most CA_FILE_LIMIT (/dev/zero or a FIFO would
 * never end). The user named it, so a symbolic link is followed wherever it leads
 * (/etc/ssl/certs/ca-certificates.crt often is one).
 */
function readCaFile(file: string): string {
  try {
    const target = realpathSync(file);
    return readInputFile(target, CA_FILE_LIMIT, dirname(target));
  } catch (e) {
    throw new UsageError(e instanceof InputFileError ? `--ca-file ${file} ${e.message}` : `cannot read --ca-file ${file}: ${(e as Error).message}`);
  }
}

/**
 * --token, $REGISTRY_TOKEN, --username with $REGISTRY_PASSWORD (or --password), or the token of
 * the cluster `oc` is logged in to, for that cluster's own routes only.
 */
function credentials(values: { token?: string; username?: string; password?: string }, registry: URL): RegistryAuth {
  const token = values.token ?? process.env.REGISTRY_TOKEN;
  if (token && values.username) throw new UsageError('give a token or a user name, not both');
  if (token) return { kind: 'bearer', token };
  if (values.username) {
    const password = values.password ?? process.env.REGISTRY_PASSWORD;
    if (!password) throw new UsageError('--username needs a password: set $REGISTRY_PASSWORD (or --password)');
    return { kind: 'basic', username: values.username, password };
  }
  const oc = (...args: string[]) => execFileSync('oc', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
  let server: string;
  try {
    server = oc('whoami', '--show-server');
  } catch {
    return { kind: 'anonymous' }; // no oc, or not logged in
  }
  // The user's cluster token goes only to that cluster's routes (*.apps.<cluster domain>), over https.
  const domain = /^https:\/\/api\.([^/:]+)/.exec(server)?.[1];
  if (!domain || registry.protocol !== 'https:' || !registry.hostname.endsWith(`.apps.${domain}`)) {
    console.error(`discover: not sending the token of \`oc\` (logged in to ${escapeControl(server)}) to ${escapeControl(registry.host)}, which is not one of that cluster's https routes; pass --token or set REGISTRY_TOKEN to send a token there`);
    return { kind: 'anonymous' };
  }
  try {
    const token = oc('whoami', '-t');
    return token ? { kind: 'bearer', token } : { kind: 'anonymous' };
  } catch {
    return { kind: 'anonymous' };
  }
}
