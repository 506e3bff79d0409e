import { getDomain } from 'tldts';
import { applyUrlRules, isUrlTrap, type UrlRules } from './url-normalize';

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

/**
 * The folder of a URL: its host (and port) and its path up to and including
 * the last "/". Not its scheme, as for the host scope: `http://host/blog/`
 * that redirects to `https://host/blog/` is one folder.
 */
function folderOf(url: URL): string {
  return url.host + url.pathname.slice(0, url.pathname.lastIndexOf('/') + 1);
}

/** What a start URL contributes to the boundary of `scope`: its host, site or folder. */
function boundaryKey(scope: Exclude<ScopeMode, 'all'>, url: URL): string {
  if (scope === 'host') return url.host;
  if (scope === 'site') return siteOf(url.hostname);
  return folderOf(url);
}

/**
 * Decides whether a discovered link is followed. `host`: the host (and port)
 * of a start URL, either scheme; `site`: the same registrable domain, so
 * subdomains too (public suffix list via tldts); `folder`: under the folder
 * of a start URL, on its host (and port), either scheme; `all`: anything.
 * Then include and exclude patterns.
 * `withPatterns: false` checks the boundary only (main re-checks workers'
 * links that way, without running user regular expressions on its loop).
 * A test costs the same for one start URL or a million (list mode).
 */
export function createScope(
  settings: ScopeSettings,
  options: { withPatterns?: boolean } = {},
): (url: URL) => boolean {
  const { scope } = settings;
  let boundary: (url: URL) => boolean = () => true;
  if (scope !== 'all') {
    const keys = new Set(settings.startUrls.map((href) => boundaryKey(scope, new URL(href))));
    boundary =
      scope === 'folder'
        ? (url) => underFolder(url, keys)
        : (url) => keys.has(boundaryKey(scope, url));
  }
  if (options.withPatterns === false) return boundary;
  const patterns = createPatternFilter(settings);
  return (url) => boundary(url) && patterns(url);
}

/** Why a redirect is not followed: its target is outside the boundary, left out by the patterns, or a URL trap. */
export type NotFollowedBecause = 'scope' | 'patterns' | 'trap';

/**
 * Judges a redirect's target as a link to it is judged: inside the boundary,
 * then, with the URL rules applied, passing the patterns and no URL trap.
 * Null when the redirect is followed, else why not: the worker follows by
 * it, and `trawl crawl` says why a start URL's redirect was not followed.
 */
export function redirectJudge(
  settings: ScopeSettings,
  urls: UrlRules,
): (target: URL) => NotFollowedBecause | null {
  const boundary = createScope(settings, { withPatterns: false });
  const patterns = createPatternFilter(settings);
  return (target) => {
    if (!boundary(target)) return 'scope';
    const url = applyUrlRules(new URL(target), urls);
    if (!patterns(url)) return 'patterns';
    return isUrlTrap(url, urls) ? 'trap' : null;
  };
}

/** Whether one of the folders a URL is under, from its host's root down, is in `folders`. */
function underFolder(url: URL, folders: ReadonlySet<string>): boolean {
  const { host, pathname } = url;
  for (let end = pathname.indexOf('/'); end >= 0; end = pathname.indexOf('/', end + 1))
    if (folders.has(host + pathname.slice(0, end + 1))) return true;
  return false;
}

/**
 * The fewest start URLs that draw the same boundary: the first of each host,
 * site or folder, added one parsed URL at a time. What workers and the store
 * writer are sent, so a list of a million URLs on one site costs them one
 * URL, not a million.
 */
export class ScopeRoots {
  private readonly roots = new Map<string, string>();

  constructor(private readonly scope: ScopeMode) {}

  add(url: URL): void {
    const key = this.scope === 'all' ? '' : boundaryKey(this.scope, url);
    if (!this.roots.has(key)) this.roots.set(key, url.href);
  }

  list(): string[] {
    return [...this.roots.values()];
  }
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
