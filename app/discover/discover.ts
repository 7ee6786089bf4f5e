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
}

/** Every repository (matching the patterns), its tags and the digest of each, sorted. */
export async function discover(client: RegistryClient, options: DiscoverOptions): Promise<RepositoryListing[]> {
  const pageSize = options.pageSize ?? 100;
  await client.ping();
  const matchers = (options.patterns ?? []).map(globToRegExp);
  const repositories: string[] = [];
  for await (const page of client.pages<{ repositories?: string[] | null }>('/v2/_catalog', pageSize)) {
    repositories.push(...(page.repositories ?? []).filter((r) => !matchers.length || matchers.some((m) => m.test(r))));
  }
  repositories.sort();

  const limit = limiter(options.concurrency);
  let done = 0;
  let tagCount = 0;
  const listings = await Promise.all(repositories.map(async (repository): Promise<RepositoryListing> => {
    const tags: string[] = [];
    await limit(async () => {
      for await (const page of client.pages<{ tags?: string[] | null }>(`/v2/${repository}/tags/list`, pageSize)) tags.push(...(page.tags ?? []));
    });
    tags.sort();
    const digests = await Promise.all(tags.map((tag) => limit(async () => ({ tag, digest: await client.digest(repository, tag) }))));
    tagCount += digests.length;
    options.onProgress?.(++done, repositories.length, tagCount);
    return { repository, tags: digests };
  }));
  return listings;
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

/** `openshift/*` -> /^openshift\/[^/]*$/; `**` crosses slashes. */
export function globToRegExp(glob: string): RegExp {
  const source = glob.split(/(\*\*|\*|\?)/).map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`);
}

/** A table for people: one line per tag. */
export function formatTable(listings: readonly RepositoryListing[]): string {
  const rows = listings.flatMap((l) => (l.tags.length ? l.tags.map((t) => [l.repository, t.tag, t.digest]) : [[l.repository, '(no tags)', '']]));
  const all = [['REPOSITORY', 'TAG', 'DIGEST'], ...rows];
  const widths = [0, 1].map((i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((r) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}`.trimEnd()).join('\n') + '\n';
}
