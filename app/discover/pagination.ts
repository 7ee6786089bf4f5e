// Lists of the registry API come in pages: `Link: </v2/_catalog?last=x&n=100>; rel="next"` leads
// to the next one. A registry decides where that Link goes and when the list ends, so both are
// checked: the next page must be on the same list, and a list must end.
import { DiscoverError } from './http';
import { msg, shorten } from './messages';
import { onRegistry } from './origin';

/** Pages of one list at most: 10,000 pages of 100 are a million names. */
export const MAX_PAGES = 10_000;

/** The next page from a Link header (`</v2/_catalog?last=x&n=100>; rel="next"`), as sent. */
export function nextLink(header: string | undefined): string | undefined {
  for (const [, target, params] of (header ?? '').matchAll(/<([^>]*)>([^,<]*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
    if (rel && (rel[1] ?? rel[2]).toLowerCase().split(/\s+/).includes('next')) return target;
  }
  return undefined;
}

/** The next page of the list at `current`: only on the registry's origin, only the same list. */
export function nextPage(header: string | undefined, current: URL, registry: URL): URL | undefined {
  const link = nextLink(header);
  if (link === undefined) return undefined;
  const next = onRegistry(link, current, registry, 'Link');
  if (next.pathname !== current.pathname) {
    throw new DiscoverError(msg`${registry.host} sent a Link from ${current.pathname} to another list (${shorten(next.pathname)}); not followed`);
  }
  return next;
}

/** Stops a list whose Links lead back to a page already fetched, or that does not end. */
export class PageGuard {
  private readonly seen = new Set<string>();

  constructor(private readonly registry: URL, private readonly maxPages = MAX_PAGES) {}

  public visit(url: URL): void {
    if (this.seen.size >= this.maxPages) {
      throw new DiscoverError(msg`${this.registry.host} sent more than ${this.maxPages} pages for ${url.pathname}; discover stops there (a list that does not end)`);
    }
    // The cursor (`last`) names the page; without one, the query does. `n` is left out: a page
    // asked for with another size is the same page.
    const query = new URLSearchParams(url.search);
    query.delete('n');
    const last = query.get('last');
    const key = last !== null ? `last=${last}` : `?${query}`;
    if (this.seen.has(key)) {
      throw new DiscoverError(msg`${this.registry.host} sent a Link back to a page of ${url.pathname} it already gave (${shorten(url.search || '?')}): its pagination loops`);
    }
    this.seen.add(key);
  }
}
