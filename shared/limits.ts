/** Bounds that every host (CLI, desktop, serve) enforces the same way. */
export const MAX_WORKERS = 64;
export const MAX_CONCURRENCY_PER_WORKER = 256;
export const DEFAULT_CONCURRENCY_PER_WORKER = 16;
/** A URL that has been in flight on this many dead workers is quarantined. */
export const QUARANTINE_AFTER_WORKER_DEATHS = 3;
export const MAX_URL_LENGTH = 2048;
/**
 * Response headers taken, in bytes: what browsers take, where Node's 16 KB
 * default failed pages with a long Content-Security-Policy or many cookies.
 */
export const MAX_HEADER_BYTES = 256 * 1024;
/** Progress snapshots per second sent to any UI channel. */
export const PROGRESS_HZ = 10;
/** Outlinks recorded per page; links beyond it are counted, followed, not stored. */
export const MAX_OUTLINKS_PER_PAGE = 1000;
/**
 * Values an "every match" extraction rule keeps per page: a list page's items fit many
 * times over, while a pattern such as `.` cannot store a value per character.
 */
export const MAX_VALUES_PER_RULE = 10_000;
/** Anchor texts and header values are stored up to this many characters. */
export const MAX_STORED_TEXT = 500;
