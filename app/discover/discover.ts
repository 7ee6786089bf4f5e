import { escapeControl } from '../output/terminal-text';
import { DiscoverError } from './http';
import { isDigest, isRepositoryName, isTagName } from './names';
import { msg, shorten, warnOnStderr } from './messages';
import { RegistryClient } from './registry-client';

export interface TagDigest {
  readonly tag: string;
  readonly digest: string;
}

export interface RepositoryListing {
  readonly repository: string;
  readonly tags: TagDigest[];
}

export interface DiscoverOptions {
  /** Glob patterns (`*` within a path segment, `**` across them); a repository must match one. */
  readonly patterns?: readonly string[];
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Page size asked for (`n`). */
  readonly pageSize?: number;
  /** Called as repositories are done. */
  readonly onProgress?: (done: number, total: number, tags: number) => void;
  /** Where warnings go (names skipped); default: a `warning: ...` line on stderr. */
  readonly onWarning?: (message: string) => void;
  /** Most repository names the catalog may list (default MAX_REPOSITORIES). */
  readonly maxRepositories?: number;
  /** Most tag names all the tag lists together may hold (default MAX_TAGS). */
  readonly maxTags?: number;
}

/**
 * A million repositories at most, and a million tags over all of them: the largest OpenShift
 * registries hold tens of thousands of image streams. Names beyond are not kept: a registry that
 * sends page after page of distinct names cannot fill the memory (it did: 1.7 GB, then a crash).
 */
export const MAX_REPOSITORIES = 1_000_000;
export const MAX_TAGS = 1_000_000;

/**
 * Every repository (matching the patterns), its tags and the digest of each, sorted. Names the
 * distribution spec does not allow are skipped with a warning: they would go into request paths.
 * So are tags whose digest is not a sha256 or sha512 digest: it would be printed as one.
 */
export async function discover(client: RegistryClient, options: DiscoverOptions): Promise<RepositoryListing[]> {
  const pageSize = options.pageSize ?? 100;
  const warn = options.onWarning ?? warnOnStderr;
  await client.ping();
  const matchers = (options.patterns ?? []).map(globMatcher);
  const maxRepositories = options.maxRepositories ?? MAX_REPOSITORIES;
  const maxTags = options.maxTags ?? MAX_TAGS;
  const found = new Set<string>();
  const invalidRepositories = new Set<string>();
  let listed = 0;
  for await (const page of client.repositories(pageSize)) {
    listed += page.length;
    if (listed > maxRepositories) throw new DiscoverError(msg`${client.host} listed more than ${maxRepositories.toLocaleString('en-US')} repositories in its catalog: discover stops there (its limit; the largest registries hold tens of thousands)`);
    for (const name of page) {
      if (!isRepositoryName(name)) invalidRepositories.add(name);
      else if (!matchers.length || matchers.some((matches) => matches(name))) found.add(name);
    }
  }
  if (invalidRepositories.size) warn(skipped([...invalidRepositories], 'repositories whose names the distribution spec does not allow'));
  const repositories = [...found].sort();

  const limit = limiter(options.concurrency);
  let done = 0;
  let tagCount = 0;
  let tagsListed = 0;
  const invalidTags: string[] = [];
  const invalidDigests: string[] = [];
  const listRepository = async (repository: string): Promise<RepositoryListing> => {
    const tags = new Set<string>();
    await limit(async () => {
      for await (const page of client.tags(repository, pageSize)) {
        tagsListed += page.length;
        if (tagsListed > maxTags) throw new DiscoverError(msg`${client.host} listed more than ${maxTags.toLocaleString('en-US')} tags in all (at ${repository}): discover stops there (its limit; a registry of tens of thousands of repositories holds far fewer)`);
        for (const tag of page) {
          if (isTagName(tag)) tags.add(tag);
          else invalidTags.push(`${repository}:${tag}`);
        }
      }
    });
    const digests = await Promise.all([...tags].sort().map((tag) => limit(async () => ({ tag, digest: await client.digest(repository, tag) }))));
    const valid: TagDigest[] = [];
    for (const { tag, digest } of digests) {
      if (isDigest(digest)) valid.push({ tag, digest });
      else invalidDigests.push(`${repository}:${tag} ${digest}`);
    }
    tagCount += valid.length;
    options.onProgress?.(++done, repositories.length, tagCount);
    return { repository, tags: valid };
  };
  // A few repositories at a time, not a pending task for each of up to a million.
  const listings: RepositoryListing[] = [];
  let next = 0;
  const worker = async () => {
    while (next < repositories.length) {
      const i = next++;
      listings[i] = await listRepository(repositories[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, repositories.length) }, worker));
  if (invalidTags.length) warn(skipped(invalidTags.sort(), 'tags whose names the distribution spec does not allow'));
  if (invalidDigests.length) warn(skipped(invalidDigests.sort(), 'tags whose Docker-Content-Digest is not sha256: and 64 lowercase hex digits or sha512: and 128 (the OCI digest grammar)', 100));
  return listings;
}

/** One line for many skipped items: a few of them, and how many more. */
function skipped(items: string[], what: string, max = 60): string {
  const shown = items.slice(0, 5).map((item) => msg`'${shorten(item, max)}'`).join(', ');
  const more = items.length > 5 ? ` and ${items.length - 5} more` : '';
  return `skipped ${items.length} ${what}: ${shown}${more}`;
}

/** At most `n` of the given tasks run at once. */
function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/**
 * A --repository glob as a test: `*` and `?` within a path segment, `**` across them. RE2 (re2js)
 * matches in time linear in the name: a JS RegExp backtracks, and `**a**a**a**a**b` took 23 s
 * on a name of 200 characters.
 */
export function globMatcher(glob: string): (name: string) => boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { RE2JS } = require('re2js') as typeof import('re2js'); // loaded when a glob is given
  const source = glob.split(/(\*\*|\*|\?)/).map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : RE2JS.quote(part))).join('');
  const re = RE2JS.compile(source, RE2JS.DOTALL);
  return (name) => re.matches(name); // the whole name
}

/** A table for people: one line per tag. */
export function formatTable(listings: readonly RepositoryListing[]): string {
  const rows = listings
    .flatMap((l) => (l.tags.length ? l.tags.map((t) => [l.repository, t.tag, t.digest]) : [[l.repository, '(no tags)', '']]))
    .map((row) => row.map(escapeControl));
  const all = [['REPOSITORY', 'TAG', 'DIGEST'], ...rows];
  // A loop, not Math.max(...rows): a spread of 100k+ arguments overflows the stack.
  const widths = [0, 1].map((i) => all.reduce((max, r) => Math.max(max, r[i].length), 0));
  return all.map((r) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}`.trimEnd()).join('\n') + '\n';
}
