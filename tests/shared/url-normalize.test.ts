import { describe, expect, it } from 'vitest';
import {
  applyUrlRules,
  DEFAULT_URL_RULES,
  isUrlTrap,
  normalizeUrl,
  parseCrawlableUrl,
  repeatsPathSegments,
  type UrlRules,
} from '../../shared/url-normalize';

describe('normalizeUrl', () => {
  it.each([
    ['HTTP://Example.COM:80/a/./b/../c#frag', 'http://example.com/a/c'],
    ['https://example.com:443/?', 'https://example.com/'],
    ['https://example.com/a#', 'https://example.com/a'],
    ['https://example.com/a?#', 'https://example.com/a'],
    ['https://example.com/a?q#x', 'https://example.com/a?q'],
    ['https://example.com:8443/x?b=1&a=2', 'https://example.com:8443/x?b=1&a=2'],
    ['/rel', 'http://base.test/rel'],
    ['http://bücher.example/', 'http://xn--bcher-kva.example/'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeUrl(input, 'http://base.test/dir/')).toBe(expected);
  });

  it.each([
    'mailto:a@b.test',
    'javascript:alert(1)',
    'ftp://x.test/',
    'http://',
    `http://x.test/${'a'.repeat(3000)}`,
  ])('rejects %s', (input) => {
    expect(normalizeUrl(input)).toBeNull();
  });
});

describe('percent-escapes in the canonical form (RFC 3986 §6.2.2)', () => {
  it.each([
    // Unreserved characters are the same URL escaped or not.
    ['http://x.test/%7Euser', 'http://x.test/~user'],
    ['http://x.test/%7euser', 'http://x.test/~user'],
    ['http://x.test/%41%7a%30%2D%2e%5f', 'http://x.test/Az0-._'],
    ['http://x.test/p?q=%7e&%61=1', 'http://x.test/p?q=~&a=1'],
    // Reserved ones keep their escape, in uppercase hex.
    ['http://x.test/a%2fb', 'http://x.test/a%2Fb'],
    ['http://x.test/p?a=%26%3d%2b%3f', 'http://x.test/p?a=%26%3D%2B%3F'],
    ['http://x.test/%c3%a9?%c3%a9', 'http://x.test/%C3%A9?%C3%A9'],
    ['http://x.test/100%25', 'http://x.test/100%25'],
    // A "%" that starts no escape is left as the parser leaves it.
    ['http://x.test/a%zz%4?b=%', 'http://x.test/a%zz%4?b=%'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeUrl(input)).toBe(expected);
  });

  it('makes every spelling of one URL the same string', () => {
    const spellings = ['/~user/a-b', '/%7Euser/a%2Db', '/%7euser/%61-b', '/%7E%75ser/a-%62'];
    const forms = new Set(spellings.map((path) => normalizeUrl(path, 'http://x.test/')));
    expect([...forms]).toEqual(['http://x.test/~user/a-b']);
  });
});

describe('URL rules', () => {
  const rules = { ...DEFAULT_URL_RULES, stripTrackingParams: true, sortQueryParams: true };
  // As start URLs and links take them: the canonical form, then the job's rules.
  const normalizeWithRules = (href: string, urlRules: UrlRules) => {
    const url = parseCrawlableUrl(href);
    return url === null ? null : applyUrlRules(url, urlRules).href;
  };

  it.each([
    ['http://x.test/p?utm_source=n&utm_medium=e&id=3', 'http://x.test/p?id=3'],
    [
      'http://x.test/p?fbclid=1&gclid=2&msclkid=3&mc_cid=4&mc_eid=5&_ga=6&yclid=7&igshid=8',
      'http://x.test/p',
    ],
    ['http://x.test/p?b=1&a=2&a=1', 'http://x.test/p?a=2&a=1&b=1'],
    ['http://x.test/p?q=a%20b&path=/x&UTM_Campaign=z', 'http://x.test/p?path=/x&q=a%20b'],
    ['http://x.test/p?id=1#frag', 'http://x.test/p?id=1'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeWithRules(input, rules)).toBe(expected);
  });

  it('changes nothing when the rules are off', () => {
    const off = { ...rules, stripTrackingParams: false, sortQueryParams: false };
    expect(normalizeWithRules('http://x.test/p?utm_source=n&b=1&a=2', off)).toBe(
      'http://x.test/p?utm_source=n&b=1&a=2',
    );
    expect(normalizeWithRules('mailto:a@b.test', off)).toBeNull();
  });

  it('flags a path that repeats one segment more than the limit', () => {
    expect(repeatsPathSegments(new URL('http://x.test/a/b/a/b/a/b/a/b/'), 3)).toBe(true);
    expect(repeatsPathSegments(new URL('http://x.test/a/b/a/b/a/b/'), 3)).toBe(false);
    expect(repeatsPathSegments(new URL('http://x.test/cal/2024/cal/2024/cal'), 2)).toBe(true);
    expect(repeatsPathSegments(new URL('http://x.test/a//////b'), 1)).toBe(false);
  });

  it.each([
    ['http://x.test/a;jsessionid=A1/b;JSESSIONID=B2?x=1', 'http://x.test/a/b?x=1'],
    ['http://x.test/p;v=2;jsessionid=A1?PHPSESSID=9&Sid=3&side=4', 'http://x.test/p;v=2?side=4'],
    ['http://x.test/p?sid&q=a%20b&sid=', 'http://x.test/p?q=a%20b'],
  ])('strips named parameters, in any case, from the path and the query: %s', (input, expected) => {
    const strip = { ...DEFAULT_URL_RULES, stripParams: ['jsessionid', 'phpsessid', 'SID'] };
    expect(normalizeWithRules(input, strip)).toBe(expected);
  });

  it('takes a URL over the query-parameter or length limit for a trap', () => {
    const limits = { ...DEFAULT_URL_RULES, maxQueryParams: 2, maxUrlLength: 30 };
    expect(isUrlTrap(new URL('http://x.test/p?a=1&b=2'), limits)).toBe(false);
    expect(isUrlTrap(new URL('http://x.test/p?a=1&b=2&c=3'), limits)).toBe(true);
    expect(isUrlTrap(new URL('http://x.test/p?a=1&&b=2&'), limits)).toBe(false);
    expect(isUrlTrap(new URL(`http://x.test/${'p'.repeat(16)}`), limits)).toBe(false);
    expect(isUrlTrap(new URL(`http://x.test/${'p'.repeat(17)}`), limits)).toBe(true);
    expect(isUrlTrap(new URL('http://x.test/p?a=1&b=2&c=3'), DEFAULT_URL_RULES)).toBe(false);
  });
});
