import type { PageFilters } from './results';

/**
 * The URL table merges three kinds of rows: fetched pages, URLs without a
 * response (failed, or blocked by robots.txt) and checked external URLs.
 * Most filters can only hold on some of them (external URLs have no depth,
 * only pages have a content type). The query leaves out the kinds the
 * filters rule out, and an export refuses filters that rule out every kind
 * (they could never keep a row, whatever the job holds).
 */
export const ROW_SOURCES = ['pages', 'unanswered', 'external'] as const;
export type RowSource = (typeof ROW_SOURCES)[number];

type Field = keyof PageFilters;

const INTERNAL: readonly RowSource[] = ['pages', 'unanswered'];
const HTTP_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];

const SOURCE_WORDS: Record<RowSource, string> = {
  pages: 'fetched pages',
  unanswered: 'failed or blocked URLs',
  external: 'checked external URLs',
};

/** The kinds of rows a given filter can keep: what the query for each kind can match. */
function sourcesOf(filters: PageFilters, field: Field): readonly RowSource[] {
  switch (field) {
    case 'statusClasses': {
      const classes: readonly string[] = filters.statusClasses ?? [];
      const http = classes.some((name) => HTTP_CLASSES.includes(name));
      return ROW_SOURCES.filter((source) =>
        source === 'pages'
          ? http
          : source === 'unanswered'
            ? classes.includes('failed') || classes.includes('blocked')
            : // A checked external URL answered, or failed; robots.txt never blocks a check.
              http || classes.includes('failed'),
      );
    }
    case 'scope':
      return filters.scope === 'external'
        ? ['external']
        : filters.scope === 'all'
          ? ROW_SOURCES
          : INTERNAL;
    case 'contentType':
    case 'extraction':
      return ['pages'];
    case 'depth':
      return INTERNAL;
    case 'indexable':
      // Failed and blocked URLs are not indexable; external URLs are neither.
      return filters.indexable === true ? ['pages'] : INTERNAL;
    case 'text':
      return ROW_SOURCES;
  }
}

/** The filters given, with the scope every view has (internal unless said otherwise). */
function givenFields(filters: PageFilters): Field[] {
  const given = (Object.keys(filters) as Field[]).filter((field) => filters[field] !== undefined);
  return given.includes('scope') ? given : [...given, 'scope'];
}

/** The kinds of rows that can hold every filter. */
export function keptSources(filters: PageFilters): RowSource[] {
  return givenFields(filters).reduce<RowSource[]>(
    (kept, field) => kept.filter((source) => sourcesOf(filters, field).includes(source)),
    [...ROW_SOURCES],
  );
}

/**
 * Two filters that no row can hold together (`scope` external and `depth`),
 * or null when some kind of row can hold them all. No three filters rule
 * out every kind without two of them doing so already.
 */
export function conflictingFilters(filters: PageFilters): [Field, Field] | null {
  const fields = givenFields(filters);
  for (const [index, first] of fields.entries()) {
    for (const second of fields.slice(index + 1)) {
      const kept = sourcesOf(filters, second);
      if (!sourcesOf(filters, first).some((source) => kept.includes(source))) {
        return [first, second];
      }
    }
  }
  return null;
}

/** Why two filters keep no row together, each named by `name` (an option, a field). */
export function describeConflict(
  filters: PageFilters,
  [first, second]: [Field, Field],
  name: (field: Field) => string,
): string {
  const keeps = (field: Field) =>
    sourcesOf(filters, field)
      .map((source) => SOURCE_WORDS[source])
      .join(' and ');
  return (
    `${name(first)} and ${name(second)} keep no row together: ${name(first)} keeps only ` +
    `${keeps(first)}, ${name(second)} only ${keeps(second)}`
  );
}
