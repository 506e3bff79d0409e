import { describe, expect, it } from 'vitest';
import { nonIndexableReason } from '../../shared/indexability';
import { robotsSay } from '../../shared/robots-directives';

const page = (metaRobots: string | null, xRobotsTag: string | null = null) =>
  nonIndexableReason({
    redirects: [],
    status: 200,
    contentType: 'text/html',
    finalUrl: 'http://site.test/',
    metaRobots,
    xRobotsTag,
    canonical: null,
  });

describe('robots directives', () => {
  it.each([
    'noindex',
    'NoIndex, follow',
    'index,none',
    'max-snippet:0, noindex',
    'noindex nofollow',
    ' noarchive ,  noindex ',
  ])('%s says noindex', (value) => {
    expect(robotsSay('noindex', value)).toBe(true);
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
    expect(robotsSay('noindex', value)).toBe(false);
  });

  it('reads nofollow the same way, from every value given', () => {
    expect(robotsSay('nofollow', 'index', 'nofollow')).toBe(true);
    expect(robotsSay('nofollow', null, 'none')).toBe(true);
    expect(robotsSay('nofollow', 'max-image-preview:none', undefined)).toBe(false);
    expect(robotsSay('nofollow', 'otherbot: nofollow')).toBe(false);
    expect(robotsSay('nofollow', 'noindex')).toBe(false);
  });

  it('decide indexability from meta robots and X-Robots-Tag', () => {
    expect(page('index, follow, max-image-preview:none')).toBeNull();
    expect(page(null, 'max-snippet:0, max-image-preview:none')).toBeNull();
    expect(page(null, 'otherbot: noindex')).toBeNull();
    expect(page('max-image-preview:large', 'noindex')).toBe('noindex');
    expect(page('none')).toBe('noindex');
  });
});
