import { describe, expect, it } from 'vitest';
import { CRAWLER_REQUEST_SCHEMAS, describeArgumentsError } from '../../shared/crawler-api-schemas';
import { conflictingFilters, keptSources } from '../../shared/filter-row-sources';
import type { PageFilters } from '../../shared/results';

/** Values of each filter that keep different kinds of rows (undefined: not given). */
const VALUES: { [F in keyof PageFilters]-?: PageFilters[F][] } = {
  statusClasses: [
    undefined,
    ['2xx'],
    ['failed'],
    ['blocked'],
    ['failed', 'blocked'],
    ['4xx', 'blocked'],
  ],
  contentType: [undefined, 'text/html'],
  depth: [undefined, { min: 1 }],
  indexable: [undefined, true, false],
  scope: [undefined, 'internal', 'external', 'all'],
  text: [undefined, 'shoes'],
  extraction: [undefined, { name: 'price', op: 'absent' }],
};

function* combinations(): Generator<PageFilters> {
  const fields = Object.keys(VALUES) as (keyof PageFilters)[];
  const walk = function* (index: number, filters: PageFilters): Generator<PageFilters> {
    if (index === fields.length) return yield filters;
    const field = fields[index]!;
    for (const value of VALUES[field]) {
      yield* walk(index + 1, value === undefined ? filters : { ...filters, [field]: value });
    }
  };
  yield* walk(0, {});
}

describe('filters that keep no row together', () => {
  it('are found as a pair whenever no kind of row can hold every filter', () => {
    let refused = 0;
    let kept = 0;
    for (const filters of combinations()) {
      const conflict = conflictingFilters(filters);
      expect({ filters, refused: conflict !== null }).toEqual({
        filters,
        refused: keptSources(filters).length === 0,
      });
      if (conflict === null) kept++;
      else refused++;
    }
    // Both answers are exercised, not one of them everywhere.
    expect({ refused: refused > 100, kept: kept > 100 }).toEqual({ refused: true, kept: true });
  });

  it('are refused in an export request, as the app and trawl serve send it', () => {
    const request = { jobId: 1, format: 'csv', filters: { scope: 'external', depth: { min: 1 } } };
    const parsed = CRAWLER_REQUEST_SCHEMAS.exportJob.safeParse([request]);
    expect(parsed.success).toBe(false);
    expect(describeArgumentsError('exportJob', parsed.error!)).toBe(
      'filters: the depth filter and the URLs filter keep no row together: the depth filter ' +
        'keeps only fetched pages and failed or blocked URLs, the URLs filter only checked external URLs',
    );
    const external = { ...request, filters: { scope: 'external', statusClasses: ['failed'] } };
    expect(CRAWLER_REQUEST_SCHEMAS.exportJob.safeParse([external]).success).toBe(true);
  });
});
