import type robotsParser from 'robots-parser';
import { canonicalEscapes } from '../../shared/url-normalize';

type Robot = ReturnType<typeof robotsParser>;

/**
 * What robots-parser 3.0.x keeps of a file's groups (`Robots._rules`, not
 * in its typings): rules by lowercased product token, each pattern
 * percent-encoded as encodeURI does. The parsing and group merging stay
 * the library's; only the matching is done here.
 */
interface ParsedGroups {
  _rules: Record<string, { pattern: string; allow: boolean }[] | undefined>;
}

/** A rule's pattern split at its `*`s; `anchored`: it ended in `$`. */
interface Rule {
  segments: string[];
  anchored: boolean;
  /** The pattern's length, by which the longest match wins (RFC 9309 §2.2.2). */
  length: number;
  allow: boolean;
}

/**
 * Whether `rule` matches the start of `path` (all of it when anchored).
 * Each `*` takes the leftmost place its next segment fits: a path is read
 * once a segment, where robots-parser's matcher kept every length a `*`
 * could have taken, costing rule × path for each rule (a 500 KB file of
 * `/*a*a*…` rules took 2.8 s a check of a 2,000-character URL,
 * bench/RESULTS.md, twenty-third session).
 */
function matches(rule: Rule, path: string): boolean {
  const { segments, anchored } = rule;
  const first = segments[0]!;
  if (segments.length === 1) return anchored ? path === first : path.startsWith(first);
  if (!path.startsWith(first)) return false;
  let at = first.length;
  const middle = anchored ? segments.length - 1 : segments.length;
  for (let index = 1; index < middle; index++) {
    const found = path.indexOf(segments[index]!, at);
    if (found < 0) return false;
    at = found + segments[index]!.length;
  }
  if (!anchored) return true;
  const last = segments.at(-1)!;
  return path.length - last.length >= at && path.endsWith(last);
}

/**
 * The rules of one robots.txt for one product token, matched as RFC 9309
 * says and robots-parser does: `*` is any run of characters, a final `$`
 * ends the path, the longest matching pattern wins and Allow wins a tie; a
 * token with no group of its own takes the `*` group. Patterns and paths
 * are compared with their escapes as Trawl writes URLs (RFC 9309 §2.2.2:
 * an unreserved character's decoded, others in upper case), where
 * robots-parser only upper-cases them: `Disallow: /%7euser` blocked
 * nothing, as a link to `/%7Euser` is crawled as `/~user`.
 */
export class RobotsRules {
  private readonly rules: Rule[];

  constructor(robot: Robot, agent: string) {
    const groups = (robot as unknown as ParsedGroups)._rules;
    if (typeof groups !== 'object' || groups === null) {
      throw new Error('robots-parser keeps its rules elsewhere than in 3.0.x: see robots-match.ts');
    }
    const parsed = groups[agent.toLowerCase()] ?? groups['*'] ?? [];
    this.rules = parsed.map(({ pattern: parsedPattern, allow }) => {
      const pattern = canonicalEscapes(parsedPattern);
      const anchored = pattern.endsWith('$');
      const segments = (anchored ? pattern.slice(0, -1) : pattern).split('*');
      return { segments, anchored, length: pattern.length, allow };
    });
  }

  /** Whether the rules disallow `url` (an absolute URL of the file's origin). */
  isDisallowed(url: string): boolean {
    const { pathname, search } = new URL(url);
    const path = canonicalEscapes(pathname + search);
    let best: Rule | null = null;
    for (const rule of this.rules) {
      if (best && rule.length < best.length) continue;
      if (best && rule.length === best.length && (best.allow || !rule.allow)) continue;
      if (matches(rule, path)) best = rule;
    }
    return best !== null && !best.allow;
  }
}
