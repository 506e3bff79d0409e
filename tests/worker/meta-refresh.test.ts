import { describe, expect, it } from 'vitest';
import { refreshTarget } from '../../electron/worker/meta-refresh';

const base = 'http://site.test/dir/page';

describe('meta refresh', () => {
  it.each([
    ['0; url=/next', 'http://site.test/next'],
    ['0;URL=next', 'http://site.test/dir/next'],
    ["5; url='https://other.test/a b'", 'https://other.test/a%20b'],
    ['3, url="/q?x=1"', 'http://site.test/q?x=1'],
    ['0.5 ; URL = /spaced ', 'http://site.test/spaced'],
    ['0; /bare', 'http://site.test/bare'],
  ])('reads %j as a move to %s', (content, url) => {
    expect(refreshTarget(content, base)).toBe(url);
  });

  it.each([['30'], [''], ['soon; url=/x'], ['0; url=javascript:alert(1)'], [null]])(
    'finds no target in %j (a reload, unreadable, or not a web page)',
    (content) => {
      expect(refreshTarget(content, base)).toBeNull();
    },
  );
});
