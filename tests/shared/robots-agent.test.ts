import { describe, expect, it } from 'vitest';
import { jobSettingsSchema } from '../../shared/job-settings';
import { productToken, robotsAgent } from '../../shared/robots-agent';

describe('productToken', () => {
  it.each([
    ['Trawl/0.1 (+https://github.com/trawl-crawler/trawl)', 'Trawl'],
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'Googlebot'],
    // Googlebot smartphone: Android's Build/… and the browser tokens come first.
    [
      'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.126 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'Googlebot',
    ],
    [
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36',
      'bingbot',
    ],
    ['Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)', 'MJ12bot'],
    ['MyBot (+https://example.com/bot)', 'MyBot'],
    ['MyBot', 'MyBot'],
    ['  my-bot_2 crawls', 'my-bot_2'],
    // A browser names no crawler: its first word, which robots.txt groups do not use.
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      'Mozilla',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0',
      'Mozilla',
    ],
  ])('%s -> %s', (userAgent, token) => {
    expect(productToken(userAgent)).toBe(token);
  });
});

describe('robotsAgent', () => {
  const settings = (input: object) =>
    jobSettingsSchema.parse({ startUrls: ['https://example.com/'], workers: 1, ...input });

  it('is the explicit setting, else the token of the User-Agent requests carry', () => {
    expect(robotsAgent(settings({}))).toBe('Trawl');
    expect(robotsAgent(settings({ headers: { 'User-Agent': 'OtherBot/1.0' } }))).toBe('OtherBot');
    expect(
      robotsAgent(settings({ userAgent: 'OtherBot/1.0', robotsUserAgent: 'Googlebot-Image' })),
    ).toBe('Googlebot-Image');
  });

  it('refuses a setting that is not one robots.txt token', () => {
    for (const robotsUserAgent of ['Googlebot/2.1', 'My Bot', ''])
      expect(settings.bind(null, { robotsUserAgent })).toThrow(/one word/);
  });
});
