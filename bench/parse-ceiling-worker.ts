/**
 * One process of the parse ceiling: builds the same synthetic site, takes its
 * share of the HTML pages, and on "go" runs the worker's whole per-page CPU
 * path (decode, parse, resolve links) over them, with no network.
 */
import { analyzePage, linkRulesFor } from '../electron/worker/analyze-page';
import { generateSite, withOrigin } from './site-generator';
import { DEFAULT_URL_RULES } from '../shared/url-normalize';

const [index, count, pages, seed] = process.argv.slice(2).map(Number) as [
  number,
  number,
  number,
  number,
];
const origin = 'http://127.0.0.1:8080';
const site = generateSite({ pages, seed });
const share: { url: string; body: Buffer; contentType: string }[] = [];
let n = 0;
for (const [path, page] of site.pages) {
  if (page.body === undefined || !page.contentType.startsWith('text/html')) continue;
  if (n++ % count !== index) continue;
  share.push({
    url: origin + path,
    body: withOrigin(page.body, origin),
    contentType: page.contentType,
  });
}
const rules = linkRulesFor({
  scope: { scope: 'host', startUrls: [`${origin}/`], include: [], exclude: [] },
  urls: DEFAULT_URL_RULES,
  honourNofollow: true,
  robotsAgent: 'Trawl',
});

process.on('message', () => {
  const started = performance.now();
  let links = 0;
  for (const page of share)
    links += analyzePage(page.body, page.contentType, page.url, rules).links.length;
  process.send!({ pages: share.length, links, ms: performance.now() - started }, () =>
    process.exit(0),
  );
});
process.send!('ready');
