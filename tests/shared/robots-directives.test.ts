import { describe, expect, it } from 'vitest';
import { nonIndexableReason } from '../../shared/indexability';
import { forAgent, robotsSay } from '../../shared/robots-directives';

const page = (metaRobots: string | null, xRobotsTag: string | null = null) =>
  nonIndexableReason(
    {
      redirects: [],
      status: 200,
      contentType: 'text/html',
      finalUrl: 'http://site.test/',
      metaRobots,
      xRobotsTag,
      canonical: null,
    },
    'Trawl',
  );

describe('robots directives', () => {
  it.each([
    'noindex',
    'NoIndex, follow',
    'index,none',
    'max-snippet:0, noindex',
    'noindex nofollow',
    ' noarchive ,  noindex ',
  ])('%s says noindex', (value) => {
    expect(robotsSay('noindex', 'Trawl', value)).toBe(true);
  });

  it.each([
    'index, follow, max-image-preview:none',
    'max-snippet:0, max-image-preview:none, max-video-preview:-1',
    'max-image-preview: none',
    'unavailable_after: 2030-06-25, noarchive',
    'nosnippet, noimageindex, notranslate',
    'otherbot: noindex',
    'otherbot: none',
    'otherbot:noindex, follow',
  ])('%s does not say noindex', (value) => {
    expect(robotsSay('noindex', 'Trawl', value)).toBe(false);
  });

  it('reads nofollow the same way, from every value given', () => {
    expect(robotsSay('nofollow', 'Trawl', 'index', 'nofollow')).toBe(true);
    expect(robotsSay('nofollow', 'Trawl', null, 'none')).toBe(true);
    expect(robotsSay('nofollow', 'Trawl', 'max-image-preview:none', undefined)).toBe(false);
    expect(robotsSay('nofollow', 'Trawl', 'otherbot: nofollow')).toBe(false);
    expect(robotsSay('nofollow', 'Trawl', 'noindex')).toBe(false);
  });

  it('decide indexability from meta robots and X-Robots-Tag', () => {
    expect(page('index, follow, max-image-preview:none')).toBeNull();
    expect(page(null, 'max-snippet:0, max-image-preview:none')).toBeNull();
    expect(page(null, 'otherbot: noindex')).toBeNull();
    expect(page('max-image-preview:large', 'noindex')).toBe('noindex');
    expect(page('none')).toBe('noindex');
  });

  it('read directives addressed to the crawler by its product token, in any case', () => {
    expect(robotsSay('noindex', 'Googlebot', 'googlebot: noindex')).toBe(true);
    expect(robotsSay('noindex', 'googlebot', 'GoogleBot: none')).toBe(true);
    expect(robotsSay('nofollow', 'Googlebot', 'googlebot: noindex nofollow')).toBe(true);
    expect(robotsSay('noindex', 'Googlebot', 'bingbot: noindex, googlebot: max-snippet: 0')).toBe(
      false,
    );
    // The prefix names a crawler, not a directive: Googlebot-News is another crawler.
    expect(robotsSay('noindex', 'Googlebot', 'googlebot-news: noindex')).toBe(false);
  });

  it('address the rest of a list to a crawler named in it, as Google reads X-Robots-Tag', () => {
    // Google's example: both directives are otherbot's.
    expect(robotsSay('noindex', 'Trawl', 'otherbot: noindex, nofollow')).toBe(false);
    expect(robotsSay('nofollow', 'Trawl', 'otherbot: noindex, nofollow')).toBe(false);
    expect(robotsSay('nofollow', 'OtherBot', 'otherbot: noindex, nofollow')).toBe(true);
    // Up to the next name; what comes before the first is for every crawler.
    expect(robotsSay('noindex', 'Googlebot', 'googlebot: nofollow, otherbot: noindex')).toBe(false);
    expect(robotsSay('nofollow', 'Googlebot', 'otherbot: noindex, googlebot: nofollow')).toBe(true);
    expect(robotsSay('noindex', 'Trawl', 'noindex, otherbot: nofollow')).toBe(true);
    // A line is one header: the next one is for every crawler again.
    expect(robotsSay('nofollow', 'Trawl', 'otherbot: noindex\nnofollow')).toBe(true);
    expect(robotsSay('noindex', 'Trawl', 'otherbot: noindex\nnofollow')).toBe(false);
  });

  it('read unavailable_after and its date (colons, an RFC 850 comma) as no crawler name', () => {
    const date = 'unavailable_after: Friday, 25-Jun-2010 15:00:00 PST';
    expect(robotsSay('noindex', 'Trawl', `${date}, noindex`)).toBe(true);
    expect(robotsSay('noindex', 'Trawl', `otherbot: ${date}, noindex`)).toBe(false);
    expect(robotsSay('noindex', 'Googlebot', `googlebot: ${date}, noindex`)).toBe(true);
    expect(robotsSay('noindex', 'Trawl', 'unavailable_after: 25 Jun 2010 15:00:00 PST')).toBe(
      false,
    );
  });

  it('let the most restrictive win between all crawlers and the named one', () => {
    expect(robotsSay('noindex', 'Googlebot', 'index, follow', 'googlebot: noindex')).toBe(true);
    expect(robotsSay('noindex', 'Googlebot', 'noindex', 'googlebot: index')).toBe(true);
    expect(page('index', 'trawl: noindex')).toBe('noindex');
    expect(page(forAgent('trawl', 'noindex, follow'))).toBe('noindex');
  });

  it("write a crawler's own meta tag as X-Robots-Tag names a crawler", () => {
    expect(forAgent('googlebot', 'noindex, max-snippet: 0')).toBe(
      'googlebot: noindex, googlebot: max-snippet: 0',
    );
    expect(robotsSay('noindex', 'Googlebot', forAgent('googlebot', 'max-snippet: 0'))).toBe(false);
  });
});
