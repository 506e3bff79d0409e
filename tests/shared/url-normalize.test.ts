import { describe, expect, it } from 'vitest';
import { normalizeUrl } from '../../shared/url-normalize';

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
