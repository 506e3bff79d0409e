/**
 * Prints how many URLs a same-origin crawl of the synthetic site must store.
 * A separate process, so the site's bodies never count against main's memory.
 */
import { expectedCrawl, generateSite } from './site-generator';

const [pages, seed] = process.argv.slice(2).map(Number) as [number, number];
process.stdout.write(
  `${expectedCrawl(generateSite({ pages, seed, lazyBodies: true })).urls.length}\n`,
);
