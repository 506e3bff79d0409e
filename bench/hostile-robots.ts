/**
 * What one robots.txt check costs main's thread for hostile or huge files:
 * robotsParser once per file, then for each URL robots-parser's own
 * isDisallowed (what RobotsCache ran before the twenty-third session) and
 * RobotsRules (what it runs since). Files are capped at 500 KB as read (ROBOTS_MAX_BYTES), URLs at
 * 2,048 characters (MAX_URL_LENGTH). Prints the parse time and the median
 * time a check for each case.
 *
 *   npx tsx bench/hostile-robots.ts [--checks 20]
 */
import robotsParser from 'robots-parser';
import { RobotsRules } from '../electron/engine/robots-match';
import { median, positiveInteger } from './bench-options';

const CHECKS = positiveInteger('checks', '20');
const MAX_BYTES = 500 * 1024;
const ORIGIN = 'http://example.com';

/** As many `line(n)` lines as fit in 500 KB, under `User-agent: *`. */
function fileOf(line: (n: number) => string): { text: string; rules: number } {
  const lines = ['User-agent: *'];
  let bytes = lines[0]!.length + 1;
  for (let n = 0; ; n++) {
    const next = line(n);
    if (bytes + next.length + 1 > MAX_BYTES) break;
    lines.push(next);
    bytes += next.length + 1;
  }
  return { text: lines.join('\n'), rules: lines.length - 1 };
}

const STARS = `Disallow: /${'*a'.repeat(10)}*`;
const cases: { name: string; text: string; rules: number; url: string }[] = [
  {
    name: 'plain rules, a 40-character path',
    ...fileOf((n) => `Disallow: /section-${n}/private-page-${n}.html`),
    url: `${ORIGIN}/section-x/some-page/with-a-longer-path.html`,
  },
  {
    name: 'one rule /*a*a*…(10), a 2,000-character path of a',
    text: `User-agent: *\n${STARS}`,
    rules: 1,
    url: `${ORIGIN}/${'a'.repeat(2000)}`,
  },
  {
    name: '500 KB of /*a*a*…(10) rules, a 100-character path of a',
    ...fileOf(() => STARS),
    url: `${ORIGIN}/${'a'.repeat(100)}`,
  },
  {
    name: '500 KB of /*a*a*…(10) rules, a 2,000-character path of a',
    ...fileOf(() => STARS),
    url: `${ORIGIN}/${'a'.repeat(2000)}`,
  },
  {
    name: "500 KB of /*b rules, a 2,000-character path of a (each rule's search fails)",
    ...fileOf(() => 'Disallow: /*b'),
    url: `${ORIGIN}/${'a'.repeat(2000)}`,
  },
  {
    name: '500 KB of /*a…(30)b rules, a 2,000-character path of a (long segments)',
    ...fileOf(() => `Disallow: /*${'a'.repeat(30)}b`),
    url: `${ORIGIN}/${'a'.repeat(2000)}`,
  },
  {
    name: 'one 500 KB rule /*a*a*…, a 2,000-character path of a',
    text: `User-agent: *\nDisallow: /${'*a'.repeat(250_000)}`,
    rules: 1,
    url: `${ORIGIN}/${'a'.repeat(2000)}`,
  },
];

/** The median time of CHECKS calls, each on a URL of its own (no cache of a verdict helps). */
function timed(url: string, check: (url: string) => unknown): number {
  const times: number[] = [];
  for (let n = 0; n < CHECKS; n++) {
    const start = performance.now();
    check(`${url}?${n}`);
    times.push(performance.now() - start);
  }
  return median(times);
}

for (const { name, text, rules, url } of cases) {
  const parseStart = performance.now();
  const robots = robotsParser(`${ORIGIN}/robots.txt`, text);
  const parseMs = performance.now() - parseStart;
  const compileStart = performance.now();
  const ours = new RobotsRules(robots, 'Trawl');
  const compileMs = performance.now() - compileStart;
  const library = timed(url, (each) => robots.isDisallowed(each, 'Trawl'));
  const matched = timed(url, (each) => ours.isDisallowed(each));
  console.log(
    `${name}: ${rules} rules, ${Math.round(text.length / 1024)} KB; parse ${parseMs.toFixed(1)} ms ` +
      `+ ${compileMs.toFixed(1)} ms; a check: robots-parser ${library.toFixed(3)} ms, ` +
      `RobotsRules ${matched.toFixed(3)} ms (medians of ${CHECKS})`,
  );
}
