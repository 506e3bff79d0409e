import type { PageColumn } from '../../../shared/results';
import { formatBytes } from '../common/format';

type Value = string | number | boolean | null | undefined;

/** Column headings for the URL table. */
export const COLUMN_LABELS: Record<PageColumn, string> = {
  url: 'URL',
  finalUrl: 'Final URL',
  finalStatus: 'Final status',
  kind: 'Kind',
  status: 'Status',
  error: 'Error',
  contentType: 'Content type',
  depth: 'Depth',
  bytes: 'Size',
  wireBytes: 'Transferred',
  responseMs: 'Response (ms)',
  ttfbMs: 'TTFB (ms)',
  title: 'Title',
  metaDescription: 'Meta description',
  h1: 'H1',
  h1Count: 'H1 count',
  h2Count: 'H2 count',
  canonical: 'Canonical',
  metaRefresh: 'Meta refresh',
  metaRobots: 'Meta robots',
  xRobotsTag: 'X-Robots-Tag',
  lang: 'Language',
  charset: 'Charset',
  wordCount: 'Words',
  contentHash: 'Content hash',
  imagesWithoutAlt: 'Images without alt',
  indexable: 'Indexable',
  indexability: 'Indexability',
  linkCount: 'Links',
  redirectCount: 'Redirects',
  attempts: 'Attempts',
  fetchedAt: 'Fetched',
};

export const NUMERIC_COLUMNS = new Set<PageColumn>([
  'status',
  'finalStatus',
  'depth',
  'bytes',
  'wireBytes',
  'responseMs',
  'ttfbMs',
  'h1Count',
  'h2Count',
  'wordCount',
  'imagesWithoutAlt',
  'linkCount',
  'redirectCount',
  'attempts',
]);

/** A stored value as the text of a cell: crawled text is only ever text, never markup. */
export function cellText(column: string, value: Value): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if ((column === 'bytes' || column === 'wireBytes') && typeof value === 'number')
    return formatBytes(value);
  if (column === 'fetchedAt' && typeof value === 'number') return new Date(value).toLocaleString();
  return String(value);
}
