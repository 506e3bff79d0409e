import { describe, expect, it } from 'vitest';
import { outlinkColumns } from '../../shared/outlinks';
import { workerToMainSchema } from '../../shared/worker-protocol';
import { fetchedPage } from '../results/stored-job';

const O = 'http://127.0.0.1:9';
const outlinks = outlinkColumns([
  { url: `${O}/a`, text: 'A', rel: null, internal: true },
  { url: 'https://away.invalid/', text: 'Away', rel: 'nofollow', internal: false },
]);
const results = (page: ReturnType<typeof fetchedPage>) =>
  workerToMainSchema.safeParse({ type: 'results', results: [page] });

describe("a worker's page outlinks", () => {
  it('are taken as one entry a link in each of their four lists', () => {
    const parsed = results(fetchedPage(`${O}/`, { outlinks }));
    expect(parsed.success && parsed.data).toMatchObject({
      results: [{ outlinks }],
    });
  });

  it.each(['urls', 'texts', 'rels', 'internal'] as const)(
    'are refused, the message naming them, when %s has a link too few',
    (list) => {
      const short = { ...outlinks, [list]: outlinks[list].slice(1) };
      const parsed = results(fetchedPage(`${O}/`, { outlinks: short }));
      expect(parsed.success).toBe(false);
      expect(parsed.error?.message).toContain('outlinks: urls, texts, rels and internal');
    },
  );

  it("are refused where they don't line up in a redirect target's links too", () => {
    const target = {
      url: `${O}/b`,
      outlinks: { ...outlinks, texts: ['A'] },
      links: [],
      linkCount: 2,
      metaRefresh: null,
      extracted: {},
    };
    expect(results(fetchedPage(`${O}/`, { target })).success).toBe(false);
  });
});
