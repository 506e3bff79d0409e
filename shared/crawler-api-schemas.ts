import { z } from 'zod';
import type { CrawlerRequestMethod } from './crawler-api';
import { jobSettingsSchema } from './job-settings';
import { MAX_URL_LENGTH, MAX_WORKERS } from './limits';
import { exportRequestSchema, RESULTS_REQUEST_SCHEMAS } from './results';

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
  startJob: z.tuple([z.record(z.string(), z.unknown())]),
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
