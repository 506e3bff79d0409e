import { describe, expect, it } from 'vitest';
import { createScope, type ScopeMode } from '../../shared/scope';

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
