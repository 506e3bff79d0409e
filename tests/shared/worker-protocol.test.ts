import { describe, expect, it } from 'vitest';
import { MAX_URL_LENGTH } from '../../shared/limits';
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

  it.each([
    ['urls', [`${O}/${'a'.repeat(MAX_URL_LENGTH)}`, `${O}/b`], 'URLs of at most 2048 characters'],
    ['urls', null, 'URLs of at most'],
    ['texts', ['A', 7], 'a list of strings'],
    ['rels', [null, 1], 'a list of strings or nulls'],
    ['internal', [true, 'yes'], 'a list of booleans'],
  ] as const)('are refused, the message naming the list, when %s holds %j', (list, value, says) => {
    const parsed = results(fetchedPage(`${O}/`, { outlinks: { ...outlinks, [list]: value } }));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toContainEqual(
      expect.objectContaining({ path: ['results', 0, 'outlinks', list] }),
    );
    expect(parsed.error?.message).toContain(says);
  });
});

describe("a worker's links to follow", () => {
  it('are taken as sent, and refused when one is longer than a URL may be', () => {
    const links = [`${O}/a`, `${O}/b`];
    const parsed = results(fetchedPage(`${O}/`, { links }));
    expect(
      parsed.success && parsed.data.type === 'results' && parsed.data.results[0],
    ).toMatchObject({ links });
    const long = results(fetchedPage(`${O}/`, { links: [`${O}/${'a'.repeat(MAX_URL_LENGTH)}`] }));
    expect(long.success).toBe(false);
    expect(long.error?.issues[0]?.path).toEqual(['results', 0, 'links']);
  });
});

describe("a worker's word that a host asked to wait", () => {
  it('is taken for an absolute URL, and refused for anything main cannot take a host from', () => {
    const wait = (url: string) =>
      workerToMainSchema.safeParse({
        type: 'host-wait',
        url,
        status: 429,
        delayMs: 2000,
        retryAfter: true,
      });
    expect(wait(`${O}/page`).success).toBe(true);
    const relative = wait('/page');
    expect(relative.success).toBe(false);
    expect(relative.error?.message).toContain('expected an absolute URL');
  });
});
