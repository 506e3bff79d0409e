import { z } from 'zod';
import './schema-messages';
import { conflictingFilters, describeConflict } from './filter-row-sources';
import type { StoredJobSettings } from './job-settings';
import type { AnsweredAsJson } from './json-text';
import { MAX_URL_LENGTH } from './limits';

/**
 * The results contract: what a UI (renderer over IPC or the serve
 * WebSocket) and the CLI may ask about a job's stored results, and the plain,
 * structured-cloneable data they get back. Requests come from a less trusted
 * side: hosts validate them with `RESULTS_REQUEST_SCHEMAS` where they enter.
 */

/** Rows per screen (and per request) at most. */
export const MAX_PAGE_LIMIT = 500;

/**
 * Columns of the URL table. Every column is sortable. A row is a fetched
 * page (internal), a URL that got no response (failed, or blocked by
 * robots.txt: response columns null), or a checked external URL. `status`
 * is the URL's own answer (a redirect's 301, 302…); `finalStatus` is the
 * answer where it ended (`finalUrl`), the same without redirects.
 */
export const PAGE_COLUMNS = [
  'url',
  'finalUrl',
  'finalStatus',
  'kind',
  'status',
  'error',
  'contentType',
  'depth',
  'bytes',
  'wireBytes',
  'responseMs',
  'ttfbMs',
  'title',
  'metaDescription',
  'h1',
  'h1Count',
  'h2Count',
  'canonical',
  'metaRefresh',
  'metaRobots',
  'xRobotsTag',
  'lang',
  'charset',
  'wordCount',
  'contentHash',
  'imagesWithoutAlt',
  'indexable',
  'indexability',
  'linkCount',
  'redirectCount',
  'attempts',
  'fetchedAt',
] as const;
export type PageColumn = (typeof PAGE_COLUMNS)[number];

/** `page`: fetched; `failed`: no response; `blocked`: robots.txt; `external`: a checked external link. */
export type RowKind = 'page' | 'failed' | 'blocked' | 'external';

/** One row of the URL table: the requested columns, the rest absent. */
export type PageRow = Partial<Record<PageColumn, string | number | boolean | null>> & {
  /** Always present: the URL identifies the row within its job (see `PageDetailRequest`). */
  url: string;
  kind: RowKind;
};

export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx', 'failed', 'blocked'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

/** Which URLs the table lists: `internal` (pages, failed, blocked), `external` (checked), `all`. */
export const PAGE_SCOPES = ['internal', 'external', 'all'] as const;

const jobId = z.number().int().min(1);
const limit = z.number().int().min(1).max(MAX_PAGE_LIMIT);
/** Opaque: pass back `nextCursor` exactly as received (it carries a sort value, e.g. a long title). */
const cursor = z.string().max(256 * 1024);

export const pageFiltersSchema = z.strictObject({
  /** Any of these classes; `failed`/`blocked` are URLs without a response. */
  statusClasses: z.array(z.enum(STATUS_CLASSES)).min(1).optional(),
  /** Content type prefix, case-insensitive: `text/html`, `image/`. */
  contentType: z.string().min(1).max(200).optional(),
  depth: z
    .strictObject({
      min: z.number().int().min(0).optional(),
      max: z.number().int().min(0).optional(),
    })
    .optional(),
  indexable: z.boolean().optional(),
  /** Internal URLs (the default), checked external URLs, or both. */
  scope: z.enum(PAGE_SCOPES).optional(),
  /** Full-text search over URL, title, meta description and h1: every word must match (prefixes). */
  text: z.string().min(1).max(500).optional(),
  /** A custom extraction rule's value: equal to, containing, or any value at all. */
  extraction: z
    .strictObject({
      name: z.string().min(1).max(64),
      op: z.enum(['equals', 'contains', 'present', 'absent']),
      value: z.string().max(2000).optional(),
    })
    .refine((rule) => rule.op === 'present' || rule.op === 'absent' || rule.value !== undefined, {
      message: 'extraction filter: "equals" and "contains" need a value',
    })
    .optional(),
});
export type PageFilters = z.infer<typeof pageFiltersSchema>;

/** Columns in the order shown, each once (a CSV with two `url` columns reads back as one). */
const columnList = z
  .array(z.enum(PAGE_COLUMNS))
  .min(1)
  .superRefine((columns, context) => {
    const twice = columns.find((column, index) => columns.indexOf(column) !== index);
    if (twice !== undefined)
      context.addIssue({ code: 'custom', message: `${twice} is named twice` });
  });

export const pageQuerySchema = z.strictObject({
  jobId,
  /** Columns to return (url and kind always come); default: a useful overview set. */
  columns: columnList.optional(),
  /** Default: crawl order. Ties are broken by a stable row key, so paging never skips or repeats. */
  sort: z
    .strictObject({ column: z.enum(PAGE_COLUMNS), direction: z.enum(['asc', 'desc']) })
    .optional(),
  filters: pageFiltersSchema.optional(),
  limit: limit.optional(),
  cursor: cursor.optional(),
  /** Count the whole filtered set too (costs a scan: ask once, not per screen). */
  withTotal: z.boolean().optional(),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

/** Where row `row` (1-based) of a sorted, filtered URL table starts: "go to row N". */
export const pageSeekSchema = pageQuerySchema
  .pick({ jobId: true, sort: true, filters: true })
  .extend({ row: z.number().int().min(1) });
export type PageSeek = z.infer<typeof pageSeekSchema>;

export interface PageSeekResult {
  /** Pass to `queryPages` (same sort and filters) to get rows from `row` on; null: from the first row. */
  cursor: string | null;
}

export interface PageQueryResult {
  rows: PageRow[];
  /** Null on the last screen. */
  nextCursor: string | null;
  total?: number;
}

export const DEFAULT_PAGE_COLUMNS: readonly PageColumn[] = [
  'url',
  'kind',
  'status',
  'contentType',
  'depth',
  'title',
  'indexable',
  'responseMs',
  'bytes',
];

/** Everything stored about one URL of a job. */
export interface PageDetail {
  url: string;
  kind: RowKind;
  /** Every column of the URL table (null where it does not apply). */
  fields: Record<PageColumn, string | number | boolean | null>;
  /** Redirect responses before the final URL, in order. */
  redirects: { hop: number; url: string; status: number; location: string }[];
  /** The final response's headers, names lowercased. */
  headers: Record<string, string>;
  hreflang: { lang: string; url: string }[];
  retryReasons: string[];
  /** Custom extraction values by rule name. */
  extracted: Record<string, string | string[] | null>;
  /** The page that first linked this URL (null for start URLs). */
  foundOn: string | null;
  inSitemap: boolean;
  inlinkCount: number;
  outlinkCount: number;
}

export const pageDetailRequestSchema = z.strictObject({
  jobId,
  url: z.string().min(1).max(MAX_URL_LENGTH),
});
export type PageDetailRequest = z.infer<typeof pageDetailRequestSchema>;

export const linkQuerySchema = z.strictObject({
  jobId,
  url: z.string().min(1).max(MAX_URL_LENGTH),
  /** `in`: links pointing to the URL; `out`: links on the page. */
  direction: z.enum(['in', 'out']),
  limit: limit.optional(),
  cursor: cursor.optional(),
});
export type LinkQuery = z.infer<typeof linkQuerySchema>;

export interface LinkRow {
  fromUrl: string;
  toUrl: string;
  anchor: string;
  rel: string | null;
  internal: boolean;
  /** The target's status when it was fetched or checked; null if unknown or no response. */
  toStatus: number | null;
}

export interface LinkQueryResult {
  rows: LinkRow[];
  nextCursor: string | null;
}

/** The reports, each a ready-made question about a job. */
export const REPORT_NAMES = [
  'broken-links',
  'redirect-chains',
  'duplicate-titles',
  'duplicate-descriptions',
  'duplicate-content',
  'missing-titles',
  'missing-descriptions',
  'missing-h1',
  'multiple-h1',
  'non-indexable',
  'blocked-by-robots',
  'slowest-pages',
  'largest-pages',
  'depth-distribution',
  'status-codes',
  'sitemap-not-linked',
  'external-links',
  'extracted-values',
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

/** A report cell: plain values only. */
export type ReportValue = string | number | boolean | null;
export type ReportRow = Record<string, ReportValue>;

export const reportRequestSchema = z.strictObject({
  jobId,
  name: z.enum(REPORT_NAMES),
  limit: limit.optional(),
  cursor: cursor.optional(),
});
export type ReportRequest = z.infer<typeof reportRequestSchema>;

export interface ReportResult {
  name: ReportName;
  title: string;
  /** Column names in display order; every row has each of them. */
  columns: string[];
  rows: ReportRow[];
  nextCursor: string | null;
}

export const EXPORT_FORMATS = ['csv', 'json', 'ndjson', 'xlsx', 'sitemap', 'sqlite'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Formats that hold the job's pages, never a report or chosen columns: a
 * sitemap lists those of its pages the filters keep; a SQLite copy takes no
 * filters (it copies the whole job, links and queue included).
 */
export const WHOLE_JOB_FORMATS: readonly ExportFormat[] = ['sitemap', 'sqlite'];

export const exportRequestSchema = z
  .strictObject({
    jobId,
    format: z.enum(EXPORT_FORMATS),
    /** Export a report instead of the URL table (not in sitemap or sqlite). */
    report: z.enum(REPORT_NAMES).optional(),
    /**
     * A filtered view of the URL table; a sitemap of the pages it keeps. Not for a
     * report (its rows are its own) nor sqlite (a copy of the whole job).
     */
    filters: pageFiltersSchema.optional(),
    /** Its rows in this order, as the table sorts them (default: crawl order). */
    sort: pageQuerySchema.shape.sort,
    /** Exactly these columns, in this order (default: every column). */
    columns: columnList.optional(),
    /** CSV only: start with a UTF-8 byte order mark, for Excel. */
    bom: z.boolean().optional(),
    /**
     * CSV only: a text cell starting with =, +, -, @, a tab or a carriage return (or
     * their full-width forms) gets a leading apostrophe, so a spreadsheet shows it
     * as text instead of running it as a formula.
     */
    escapeFormulas: z.boolean().optional(),
  })
  .superRefine((request, context) => {
    // A script asking for a report must not silently get the job's pages instead.
    if (request.report !== undefined && WHOLE_JOB_FORMATS.includes(request.format)) {
      context.addIssue({
        code: 'custom',
        path: ['report'],
        message: `a ${request.format} export holds the job's pages, not a report: choose csv, json, ndjson or xlsx`,
      });
    }
    const refusal = filtersRefusal(request);
    if (refusal !== null) {
      context.addIssue({ code: 'custom', path: ['filters', refusal.filter], message: refusal.why });
    }
    const conflict = refusal === null ? conflictingFilters(request.filters ?? {}) : null;
    if (conflict !== null) {
      // `params` lets the CLI name the two filters by its options instead.
      context.addIssue({
        code: 'custom',
        path: ['filters'],
        message: describeConflict(
          request.filters!,
          conflict,
          (field) => `the ${FILTER_NAMES[field]} filter`,
        ),
        params: { conflict },
      });
    }
    if (request.sort !== undefined && request.report !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['sort'],
        message: 'a report has its own order: sort is for the URL table',
      });
    }
    if (request.bom === true && request.format !== 'csv') {
      context.addIssue({
        code: 'custom',
        path: ['bom'],
        message: 'a byte order mark is for csv only',
      });
    }
    if (request.escapeFormulas === true && request.format !== 'csv') {
      context.addIssue({
        code: 'custom',
        path: ['escapeFormulas'],
        message: 'escaping formulas is for csv only (xlsx cells are never formulas)',
      });
    }
  });
export type ExportRequest = z.infer<typeof exportRequestSchema>;

/** Filters as the app's filter bar names them (its "URLs" is the CLI's --scope). */
export const FILTER_NAMES: Record<keyof PageFilters, string> = {
  statusClasses: 'status',
  contentType: 'content type',
  depth: 'depth',
  indexable: 'indexable',
  scope: 'URLs',
  text: 'search',
  extraction: 'extraction',
};

/**
 * The first filter that keeps none of the pages a sitemap lists (indexable,
 * answered 200), or null: known from the filters alone, so the app says so
 * before anything is sent.
 */
export function sitemapExcludedBy(filters: PageFilters): keyof PageFilters | null {
  const none: [keyof PageFilters, boolean][] = [
    [
      'statusClasses',
      filters.statusClasses !== undefined && !filters.statusClasses.includes('2xx'),
    ],
    ['indexable', filters.indexable === false],
    ['scope', filters.scope === 'external'],
  ];
  return none.find(([, keepsNone]) => keepsNone)?.[0] ?? null;
}

/**
 * The filter an export cannot honor and why, or null: refused rather than
 * ignored, so a script never gets more rows than it asked for.
 */
function filtersRefusal(
  request: Pick<ExportRequest, 'format' | 'report' | 'filters'>,
): { filter: keyof PageFilters; why: string } | null {
  const filters = request.filters ?? {};
  const first = Object.keys(filters)[0] as keyof PageFilters | undefined;
  if (first === undefined) return null;
  if (request.report !== undefined) {
    return { filter: first, why: 'a report has its own rows: filters are for the URL table' };
  }
  if (request.format === 'sqlite') {
    return {
      filter: first,
      why: 'a sqlite export copies the whole job: filters are for csv, json, ndjson, xlsx and sitemap',
    };
  }
  if (request.format !== 'sitemap') return null;
  const empty = sitemapExcludedBy(filters);
  return empty === null
    ? null
    : {
        filter: empty,
        why: 'a sitemap lists only indexable pages that answered 200, which this filter leaves out',
      };
}

export interface ExportProgress {
  rows: number;
  /** Rows expected in all, when known. */
  total: number | null;
}

export const compareRequestSchema = z.strictObject({
  /** The older job. */
  base: jobId,
  /** The newer job. */
  other: jobId,
  limit: limit.optional(),
  cursor: cursor.optional(),
});
export type CompareRequest = z.infer<typeof compareRequestSchema>;

export const COMPARED_FIELDS = ['status', 'title', 'canonical', 'contentHash'] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

export interface CompareRow {
  url: string;
  change: 'added' | 'removed' | 'changed';
  /** For `changed`: the fields that differ, with both values. */
  fields: { field: ComparedField; before: string | number | null; after: string | number | null }[];
}

export interface CompareResult {
  summary: { added: number; removed: number; changed: number; unchanged: number };
  rows: CompareRow[];
  nextCursor: string | null;
}

/**
 * What a host answers about results, one method per question. Hosts check
 * each call's arguments with the schema of the same name.
 */
export interface ResultsRequests {
  queryPages(query: PageQuery): Promise<PageQueryResult>;
  seekPages(request: PageSeek): Promise<PageSeekResult>;
  pageDetail(request: PageDetailRequest): Promise<PageDetail>;
  queryLinks(query: LinkQuery): Promise<LinkQueryResult>;
  runReport(request: ReportRequest): Promise<ReportResult>;
  compareJobs(request: CompareRequest): Promise<CompareResult>;
  renameJob(jobId: number, name: string): Promise<void>;
  deleteJob(jobId: number): Promise<void>;
  /**
   * A job's stored settings and start URLs, for the New crawl form to start
   * from; settings an older Trawl did not store have their defaults. A clear
   * error for a job whose settings cannot be read.
   */
  getJobSettings(jobId: number): Promise<JobSettingsAndUrls>;
}

/** The results questions as the results thread answers them: a job's settings as JSON text. */
export type ResultsAnswers = AnsweredAsJson<ResultsRequests, 'getJobSettings'>;

/** A job's settings and its start URLs one a line, as stored (a list can be 64 MB: never split). */
export interface JobSettingsAndUrls {
  settings: StoredJobSettings;
  startUrls: string;
}

/** A job's new name; an empty one gives the job back its default name (`defaultJobName`). */
export const jobNameSchema = z
  .string()
  .trim()
  .max(200, 'a job name has at most 200 characters')
  // Listed one job a line on terminals: a line break or an escape code would garble the list.
  .regex(/^\P{Cc}*$/u, 'a job name cannot hold line breaks, tabs or other control characters');

/** The name a job gets when it is created: its first start URL's host (and port); null for no URL. */
export function defaultJobName(firstStartUrl: string | null): string | null {
  return firstStartUrl === null ? null : (URL.parse(firstStartUrl)?.host ?? null);
}

export const RESULTS_REQUEST_SCHEMAS = {
  queryPages: z.tuple([pageQuerySchema]),
  seekPages: z.tuple([pageSeekSchema]),
  pageDetail: z.tuple([pageDetailRequestSchema]),
  queryLinks: z.tuple([linkQuerySchema]),
  runReport: z.tuple([reportRequestSchema]),
  compareJobs: z.tuple([compareRequestSchema]),
  renameJob: z.tuple([jobId, jobNameSchema]),
  deleteJob: z.tuple([jobId]),
  getJobSettings: z.tuple([jobId]),
} as const satisfies { [K in keyof ResultsRequests]: z.ZodType };

export type ResultsRequestMethod = keyof ResultsRequests;
