import type { Outlinks } from './worker-protocol';

/*
 * Kept out of worker-protocol.ts, whose schemas need zod: the worker builds its
 * outlinks here, and a value imported from there put zod and every schema of the
 * protocol into each worker's live heap, about 4 MB, which V8's growth policy
 * made 5-8 MB of each worker's peak (bench/RESULTS.md, sixteenth session).
 */

/** One link of Outlinks. */
export interface Outlink {
  url: string;
  text: string;
  rel: string | null;
  internal: boolean;
}

/** Outlinks from one object a link, as tests and benches write them; `[]` gives empty lists. */
export function outlinkColumns(links: readonly Outlink[]): Outlinks {
  return {
    urls: links.map((link) => link.url),
    texts: links.map((link) => link.text),
    rels: links.map((link) => link.rel),
    internal: links.map((link) => link.internal),
  };
}
