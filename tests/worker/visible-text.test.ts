import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { analyzePage, linkRulesFor } from '../../electron/worker/analyze-page';
import { fingerprintText } from '../../electron/worker/visible-text';
import { DEFAULT_URL_RULES } from '../../shared/url-normalize';

const rules = linkRulesFor({
  scope: { scope: 'host', startUrls: ['http://site.test/'], include: [], exclude: [] },
  urls: DEFAULT_URL_RULES,
  honourNofollow: true,
  robotsAgent: 'Trawl',
});

const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');

/** A page of `body` bytes, given as one char a byte. */
function page(body: string, contentType = 'text/html; charset=utf-8') {
  return analyzePage(Buffer.from(body, 'latin1'), contentType, 'http://site.test/', rules);
}

/** Seeded, so a failure can be run again. */
function randomTexts(alphabet: string, count: number, seed: number): string[] {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return Array.from({ length: count }, () => {
    let text = '';
    for (let n = Math.floor(next() * 40); n > 0; n--)
      text += alphabet[Math.floor(next() * alphabet.length)];
    return text;
  });
}

describe('visible text', () => {
  // The content hashes of stored crawls were made this way: a page must hash
  // as it did for an unchanged page not to show as changed in a comparison.
  it('collapses whitespace as earlier versions did, odd spaces included', () => {
    const cases: [string, string, number][] = [
      ['<p>a  \tb</p>', 'a  b', 2],
      ['<p>a \t b\r\n\fc</p>', 'a b c', 3],
      ['<p>\v a\u000bb \xa0</p>', 'a\u000bb', 1],
      ['<p>\xa0\xa0x\xa0y\xa0</p>', 'x\xa0y', 1],
      [
        '<p>\xe2\x80\x94 | caf\xc3\xa9 \xc2\xa0 \xe3\x80\x82 \xe6\x97\xa5</p>',
        '\xe2\x80\x94 | caf\xc3\xa9 \xc2\xa0 \xe3\x80\x82 \xe6\x97\xa5',
        2,
      ],
      ['<p>a</p><p>b</p>\n<span>c</span> <span>d</span>', 'a b c d', 4],
      ['<p>      </p>', '', 0],
    ];
    for (const [body, text, words] of cases) {
      const analysis = page(body);
      expect({ body, hash: analysis.contentHash, words: analysis.wordCount }).toEqual({
        body,
        hash: sha1(Buffer.from(text, 'latin1')),
        words,
      });
    }
  });

  it('reads bytes as text alike: ASCII hashes and every count match decoded text', () => {
    for (const text of randomTexts(' \t\n\v\f\r a-|5Z', 3000, 7))
      expect(fingerprintText(text, true)).toEqual(fingerprintText(text, false));
    for (const text of randomTexts(
      ' \t\n\v\f\r\xa0\x85\x00a-|\xe2\xe3\x80\x81\xc2\xc3\xbf',
      3000,
      11,
    ))
      expect(fingerprintText(text, true).wordCount).toBe(fingerprintText(text, false).wordCount);
  });

  it('fingerprints a text longer than the shared buffer', () => {
    const text = 'word  \tand\n\n more '.repeat(20_000);
    expect(text.length).toBeGreaterThan(256 * 1024);
    const bytes = fingerprintText(text, true);
    expect(bytes).toEqual(fingerprintText(text, false));
    expect(bytes.wordCount).toBe(60_000);
    // The shared buffer is not left holding the long text's bytes.
    expect(fingerprintText('a b', true)).toEqual(fingerprintText('a b', false));
  });
});
