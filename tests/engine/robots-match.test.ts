import robotsParser from 'robots-parser';
import { describe, expect, it } from 'vitest';
import { RobotsRules } from '../../electron/engine/robots-match';

const ORIGIN = 'http://example.com';
const rulesOf = (text: string, agent = 'Trawl') =>
  new RobotsRules(robotsParser(`${ORIGIN}/robots.txt`, text), agent);

/** A seeded generator: the same cases on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The escapes of unreserved characters the random cases use, decoded:
 * robots-parser compares `%7E` and `~` as different, where RFC 9309 §2.2.2
 * decodes them first, so it judges the file and URL decoded.
 */
const rfcDecoded = (text: string) => text.replace(/%7e/gi, '~').replace(/%61/g, 'a');

describe('robots.txt rules', () => {
  it('follow RFC 9309: longest match, Allow wins a tie, * and a final $', () => {
    const rules = rulesOf(
      [
        'User-agent: *',
        'Disallow: /',
        'User-agent: trawl',
        'Disallow: /private',
        'Allow: /private/open',
        'Disallow: /*.pdf$',
        'Allow: /tie',
        'Disallow: /tie',
        'Disallow: /a$b',
        'Disallow: /%7euser',
      ].join('\n'),
    );
    const verdicts = [
      '/',
      '/private/x',
      '/private/open/y',
      '/doc.pdf',
      '/doc.pdf?x',
      '/tie',
      '/a$b',
      '/%7Euser',
    ].map((path) => [path, rules.isDisallowed(ORIGIN + path)]);
    expect(verdicts).toEqual([
      ['/', false],
      ['/private/x', true],
      ['/private/open/y', false],
      ['/doc.pdf', true],
      ['/doc.pdf?x', false],
      ['/tie', false],
      ['/a$b', true],
      ['/%7Euser', true],
    ]);
    // A token with no group of its own takes the * group.
    expect(rulesOf('User-agent: *\nDisallow: /\n', 'Other').isDisallowed(`${ORIGIN}/x`)).toBe(true);
  });

  it('compare unreserved characters decoded and reserved ones encoded, on both sides (RFC 9309 §2.2.2)', () => {
    const verdicts = (rule: string, paths: string[]) => {
      const rules = rulesOf(`User-agent: *\nDisallow: ${rule}\n`);
      return paths.map((path) => [path, rules.isDisallowed(ORIGIN + path)]);
    };
    expect(verdicts('/%7euser', ['/~user', '/%7Euser', '/%7euser/x', '/~other'])).toEqual([
      ['/~user', true],
      ['/%7Euser', true],
      ['/%7euser/x', true],
      ['/~other', false],
    ]);
    expect(verdicts('/~user', ['/%7Euser', '/%7euser'])).toEqual([
      ['/%7Euser', true],
      ['/%7euser', true],
    ]);
    // The RFC's own example.
    expect(verdicts('/foo/bar/%62%61%7A', ['/foo/bar/baz'])).toEqual([['/foo/bar/baz', true]]);
    // A reserved character stays encoded: %2F is not the path's separator, %2A no wildcard.
    expect(verdicts('/a%2fb', ['/a/b', '/a%2Fb'])).toEqual([
      ['/a/b', false],
      ['/a%2Fb', true],
    ]);
    expect(verdicts('/a/b', ['/a%2Fb'])).toEqual([['/a%2Fb', false]]);
    expect(verdicts('/x%2Ay', ['/xzy'])).toEqual([['/xzy', false]]);
    // One path spelt two ways is one rule's length: Allow wins the tie.
    const tie = rulesOf('User-agent: *\nDisallow: /%7Euser\nAllow: /~user\n');
    expect(tie.isDisallowed(`${ORIGIN}/~user`)).toBe(false);
  });

  it("judge every URL as robots-parser's own matcher does", () => {
    const next = random(23);
    const pick = (parts: string[], most: number) =>
      Array.from(
        { length: Math.floor(next() * most) },
        () => parts[Math.floor(next() * parts.length)],
      ).join('');
    const differences: string[] = [];
    for (let file = 0; file < 300; file++) {
      const lines = Array.from(
        { length: 1 + Math.floor(next() * 6) },
        () =>
          `${next() < 0.5 ? 'Allow' : 'Disallow'}: /${pick(['a', 'b', '/', '*', '$', '%2f', '?', '~', '%7e', '%61'], 7)}`,
      );
      const text = `User-agent: *\n${lines.join('\n')}`;
      const library = robotsParser(`${ORIGIN}/robots.txt`, rfcDecoded(text));
      const ours = rulesOf(text);
      for (let check = 0; check < 30; check++) {
        const url = `${ORIGIN}/${pick(['a', 'b', '/', '$', '%2F', '?', '*', '~', '%7E', '%61'], 10)}`;
        if (ours.isDisallowed(url) !== library.isDisallowed(rfcDecoded(url), 'Trawl')) {
          differences.push(`${url} under ${JSON.stringify(lines)}`);
        }
      }
    }
    expect(differences).toEqual([]);
  });
});
