import type { EngineEnv } from './engine-env';

export interface CountingSite {
  origin: string;
  /** Page URLs a crawl from "/" reaches. */
  pages: string[];
  /** Arrival time (ms) of every page request, robots.txt excluded, in order. */
  starts: number[];
  /** Most page requests open at once. */
  maxInFlight: number;
}

export interface CountingSiteOptions {
  pages: number;
  /** Time each page takes to answer, so requests overlap. */
  delayMs: number;
  robotsTxt?: string;
  /** "/" links to /r/N instead, which redirect (302) to /p/N of this origin (or "self"). */
  redirectTo?: string;
}

/**
 * A site on 127.0.0.1 that counts what politeness limits are about: how
 * many page requests are open at once and when each arrives. "/" links to
 * every page, so after the first page a crawler could fetch all of them at
 * once unless its limits hold it back.
 */
export async function startCountingSite(
  env: EngineEnv,
  options: CountingSiteOptions,
): Promise<CountingSite> {
  let inFlight = 0;
  const starts: number[] = [];
  const first = options.redirectTo === undefined ? 'p' : 'r';
  const links = Array.from(
    { length: options.pages },
    (_, n) => `<a href="/${first}/${n}">${n}</a>`,
  );
  const site = { starts, maxInFlight: 0 };
  const origin = await env.listen((request, response) => {
    if (request.url === '/robots.txt') {
      if (options.robotsTxt === undefined) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'text/plain' });
      return void response.end(options.robotsTxt);
    }
    starts.push(Date.now());
    const redirect = /^\/r\/(\d+)$/.exec(request.url ?? '');
    if (redirect && options.redirectTo !== undefined) {
      const target = options.redirectTo === 'self' ? origin : options.redirectTo;
      return void response.writeHead(302, { location: `${target}/p/${redirect[1]}` }).end();
    }
    inFlight++;
    site.maxInFlight = Math.max(site.maxInFlight, inFlight);
    setTimeout(() => {
      inFlight--;
      const body =
        request.url === '/'
          ? `<title>home</title>${links.join('')}`
          : `<title>${request.url}</title><a href="/">home</a>`;
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(body);
    }, options.delayMs);
  });
  const pages = Array.from({ length: options.pages }, (_, n) => `${origin}/${first}/${n}`);
  return Object.assign(site, { origin, pages: [`${origin}/`, ...pages] });
}

/** The shortest time between two consecutive request arrivals. */
export function minGap(starts: readonly number[]): number {
  let gap = Infinity;
  for (let index = 1; index < starts.length; index++) {
    gap = Math.min(gap, starts[index]! - starts[index - 1]!);
  }
  return gap;
}

/** The most requests that arrived within any window of `windowMs`. */
export function maxInWindow(starts: readonly number[], windowMs: number): number {
  let most = 0;
  let first = 0;
  for (let last = 0; last < starts.length; last++) {
    while (starts[last]! - starts[first]! >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}
