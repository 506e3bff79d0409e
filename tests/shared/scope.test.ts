import { describe, expect, it } from 'vitest';
import { createScope, ScopeRoots, type ScopeMode } from '../../shared/scope';

const inScope = (
  scope: ScopeMode,
  url: string,
  patterns: { include?: string[]; exclude?: string[] } = {},
) =>
  createScope({
    scope,
    startUrls: ['https://www.example.co.uk/docs/intro.html'],
    include: patterns.include ?? [],
    exclude: patterns.exclude ?? [],
  })(new URL(url));

describe('createScope', () => {
  it.each<[ScopeMode, string, boolean]>([
    ['host', 'https://www.example.co.uk/other', true],
    ['host', 'http://www.example.co.uk/other', true],
    ['host', 'https://blog.example.co.uk/', false],
    ['site', 'https://blog.example.co.uk/', true],
    ['site', 'https://example.co.uk/', true],
    ['site', 'https://other.co.uk/', false],
    ['folder', 'https://www.example.co.uk/docs/deeper/page', true],
    ['folder', 'https://www.example.co.uk/blog/', false],
    // Either scheme, as for the host scope: http://host/docs/ redirecting to https is one folder.
    ['folder', 'http://www.example.co.uk/docs/deeper/page', true],
    ['folder', 'http://www.example.co.uk/blog/', false],
    ['folder', 'https://www.example.co.uk:8443/docs/deeper/page', false],
    ['folder', 'https://blog.example.co.uk/docs/deeper/page', false],
    ['all', 'https://anything.test/', true],
  ])('%s scope: %s -> %s', (scope, url, expected) => {
    expect(inScope(scope, url)).toBe(expected);
  });

  it('applies include then exclude patterns to the whole URL', () => {
    const patterns = { include: ['/docs/'], exclude: ['\\.pdf$', 'print=1'] };
    expect(inScope('host', 'https://www.example.co.uk/docs/a', patterns)).toBe(true);
    expect(inScope('host', 'https://www.example.co.uk/blog/a', patterns)).toBe(false);
    expect(inScope('host', 'https://www.example.co.uk/docs/a.pdf', patterns)).toBe(false);
    expect(inScope('host', 'https://www.example.co.uk/docs/a?print=1', patterns)).toBe(false);
  });

  it('treats an IP host as its own site', () => {
    const scope = createScope({
      scope: 'site',
      startUrls: ['http://127.0.0.1:8080/'],
      include: [],
      exclude: [],
    });
    expect(scope(new URL('http://127.0.0.1:9090/'))).toBe(true);
    expect(scope(new URL('http://127.0.0.2/'))).toBe(false);
  });
});

describe('ScopeRoots (what workers are sent for a long URL list)', () => {
  const scopeRoots = (scope: ScopeMode, urls: readonly string[]) => {
    const roots = new ScopeRoots(scope);
    for (const href of urls) roots.add(new URL(href));
    return roots.list();
  };
  const list = [
    'https://shop.example.com/a/1',
    'http://shop.example.com/a/2',
    'https://shop.example.com/b/c/3',
    'https://blog.example.com/a/4',
    'https://other.test/5',
    'https://shop.example.com/a/6?x=1',
  ];

  it.each<[ScopeMode, string[]]>([
    ['host', [list[0]!, list[3]!, list[4]!]],
    ['site', [list[0]!, list[4]!]],
    // list[1] is list[0]'s folder over http.
    ['folder', [list[0]!, list[2]!, list[3]!, list[4]!]],
    ['all', [list[0]!]],
  ])('%s scope: the first URL of each boundary', (scope, roots) => {
    expect(scopeRoots(scope, list)).toEqual(roots);
  });

  it.each<ScopeMode>(['host', 'site', 'folder', 'all'])(
    '%s scope: the roots draw the same boundary as the whole list',
    (scope) => {
      const settings = { scope, include: [], exclude: [] };
      const whole = createScope({ ...settings, startUrls: list });
      const roots = createScope({ ...settings, startUrls: scopeRoots(scope, list) });
      for (const link of [
        ...list,
        'https://shop.example.com/',
        'https://shop.example.com/a/deeper/7',
        'http://shop.example.com/b/c/',
        'https://shop.example.com/b/',
        'https://blog.example.com/b/8',
        'https://www.example.com/a/9',
        'https://other.test:8443/a/',
        'https://elsewhere.test/a/1',
      ]) {
        expect([link, roots(new URL(link))]).toEqual([link, whole(new URL(link))]);
      }
    },
  );

  it("folder scope: a link is in when one of its own folders is a start URL's folder", () => {
    const starts = ['https://big.test/item/42/', 'https://big.test/guide/intro.html'];
    const inScope = createScope({ scope: 'folder', startUrls: starts, include: [], exclude: [] });
    for (const [link, expected] of [
      ['https://big.test/item/42/reviews?page=2', true],
      ['https://big.test/guide/deeper/part', true],
      ['https://big.test/item/42', false],
      ['https://big.test/item/420/', false],
      ['https://big.test/item/', false],
      // The scheme does not count, the port does (as for the host scope).
      ['http://big.test/item/42/', true],
      ['https://big.test:8443/item/42/', false],
    ] as const) {
      expect([link, inScope(new URL(link))]).toEqual([link, expected]);
    }
  });
});
