import { getDomain } from 'tldts';

export const SCOPE_MODES = ['host', 'site', 'folder', 'all'] as const;
export type ScopeMode = (typeof SCOPE_MODES)[number];

export interface ScopeSettings {
  scope: ScopeMode;
  startUrls: readonly string[];
  /** Regular expressions on the whole URL: when any are given, a link must match one. */
  include: readonly string[];
  /** Regular expressions on the whole URL: a link that matches one is not followed. */
  exclude: readonly string[];
}

/** The registrable domain ("example.co.uk" for "a.b.example.co.uk"), or the host for IPs and local names. */
function siteOf(hostname: string): string {
  return getDomain(hostname) ?? hostname;
}

/** The folder of a URL: its path up to and including the last "/". */
function folderOf(url: URL): string {
  return url.origin + url.pathname.slice(0, url.pathname.lastIndexOf('/') + 1);
}

/**
 * Decides whether a discovered link is followed. `host`: the host (and port)
 * of a start URL, either scheme; `site`: the same registrable domain, so
 * subdomains too (public suffix list via tldts); `folder`: under the folder
 * of a start URL; `all`: anything. Then include and exclude patterns.
 * `withPatterns: false` checks the boundary only (main re-checks workers'
 * links that way, without running user regular expressions on its loop).
 */
export function createScope(
  settings: ScopeSettings,
  options: { withPatterns?: boolean } = {},
): (url: URL) => boolean {
  const starts = settings.startUrls.map((href) => new URL(href));
  const hosts = new Set(starts.map((url) => url.host));
  const sites = new Set(starts.map((url) => siteOf(url.hostname)));
  const folders = starts.map(folderOf);
  const boundary: (url: URL) => boolean = {
    host: (url: URL) => hosts.has(url.host),
    site: (url: URL) => sites.has(siteOf(url.hostname)),
    folder: (url: URL) => folders.some((folder) => url.href.startsWith(folder)),
    all: () => true,
  }[settings.scope];
  if (options.withPatterns === false) return boundary;
  const patterns = createPatternFilter(settings);
  return (url) => boundary(url) && patterns(url);
}

/** The include and exclude patterns alone, for callers that have checked the boundary. */
export function createPatternFilter(
  settings: Pick<ScopeSettings, 'include' | 'exclude'>,
): (url: URL) => boolean {
  const include = settings.include.map((pattern) => new RegExp(pattern));
  const exclude = settings.exclude.map((pattern) => new RegExp(pattern));
  return (url) =>
    (include.length === 0 || include.some((re) => re.test(url.href))) &&
    !exclude.some((re) => re.test(url.href));
}

/** Null when the pattern compiles, else why not. */
export function regexError(pattern: string): string | null {
  try {
    new RegExp(pattern);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** A URL test for URL strings; one that does not parse fails it. */
export function forHrefs(test: (url: URL) => boolean): (href: string) => boolean {
  return (href) => URL.canParse(href) && test(new URL(href));
}
