import { z } from 'zod';
import type { CrawlerRequestMethod } from './crawler-api';
import { describeIssues, jobSettingsSchema } from './job-settings';
import { MAX_URL_LENGTH, MAX_WORKERS } from './limits';
import { exportRequestSchema, jobNameSchema, RESULTS_REQUEST_SCHEMAS } from './results';

/** Job settings as a UI sends them: `workers` may be left to the host (all cores). */
export const jobStartSchema = jobSettingsSchema.extend({
  workers: jobSettingsSchema.shape.workers.optional(),
});

const jobId = z.number().int().min(1);
const workers = z.number().int().min(1).max(MAX_WORKERS);
const poolSize = z.strictObject({ workers: workers.optional() }).optional();

/**
 * The arguments of each request method, checked where a request enters a
 * host (main's IPC handlers, the serve WebSocket). Extra or missing fields
 * are refused with a message naming them.
 */
export const CRAWLER_REQUEST_SCHEMAS = {
  getVersion: z.tuple([]),
  getCoreCount: z.tuple([]),
  listJobs: z.tuple([]),
  startJob: z.tuple([
    z.record(z.string(), z.unknown()),
    z.strictObject({ name: jobNameSchema.optional() }).optional(),
  ]),
  stopJob: z.tuple([jobId, z.strictObject({ force: z.boolean().optional() }).optional()]),
  resumeJob: z.tuple([jobId, poolSize]),
  rerunJob: z.tuple([jobId, poolSize]),
  resizePool: z.tuple([jobId, workers]),
  exportJob: z.tuple([exportRequestSchema]),
  cancelExport: z.tuple([z.number().int().min(1)]),
  previewExtraction: z.tuple([
    z.strictObject({
      url: z.string().max(MAX_URL_LENGTH, `URL longer than ${MAX_URL_LENGTH} characters`),
      settings: z.record(z.string(), z.unknown()),
    }),
  ]),
  ...RESULTS_REQUEST_SCHEMAS,
} as const satisfies Record<CrawlerRequestMethod, z.ZodType>;

export function isCrawlerRequestMethod(name: string): name is CrawlerRequestMethod {
  return Object.hasOwn(CRAWLER_REQUEST_SCHEMAS, name);
}

/**
 * What each argument of a method is, to name it in an error: the tuple index
 * of a schema issue means nothing to a person. Empty where the argument's
 * own fields, or its schema's own messages ("a job name has at most 200
 * characters"), say it.
 */
const ARGUMENT_NAMES: Record<CrawlerRequestMethod, readonly string[]> = {
  getVersion: [],
  getCoreCount: [],
  listJobs: [],
  startJob: ['job settings', ''],
  getJobSettings: ['job'],
  stopJob: ['job', ''],
  resumeJob: ['job', ''],
  rerunJob: ['job', ''],
  resizePool: ['job', 'workers'],
  exportJob: [''],
  cancelExport: ['export'],
  previewExtraction: [''],
  queryPages: [''],
  seekPages: [''],
  pageDetail: [''],
  queryLinks: [''],
  runReport: [''],
  compareJobs: [''],
  renameJob: ['job', ''],
  deleteJob: ['job'],
};

/**
 * A request's refused arguments as the user reads them in the UI ("workers:
 * must be at most 64", "a job name has at most 200 characters"): named by
 * what they are, never by the method or an argument's position.
 */
export function describeArgumentsError(method: CrawlerRequestMethod, error: z.ZodError): string {
  const issues = error.issues.map(({ path: [index, ...field], message }) => {
    // No index: the count of arguments is wrong ("needs at least 1").
    const name = index === undefined ? 'arguments' : (ARGUMENT_NAMES[method][Number(index)] ?? '');
    return { path: field.length > 0 ? field : name === '' ? [] : [name], message };
  });
  return describeIssues(issues);
}
