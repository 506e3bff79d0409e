import { z } from 'zod';
import type { ExportUpdate } from './crawler-api';
import type { ProgressSnapshot } from './progress';
import { MAX_URL_LIST_BYTES } from './url-list';

/**
 * The `trawl serve` WebSocket: the browser calls `CrawlerRequests` methods
 * with numbered requests; the host answers each by number and pushes
 * progress snapshots, and word that the jobs changed, on its own. JSON text frames, one message each.
 */

/** Browser → host. Validated by the host before anything else looks at it. */
export const clientMessageSchema = z.strictObject({
  type: z.literal('request'),
  seq: z.number().int().min(0),
  method: z.string().min(1).max(64),
  args: z.array(z.unknown()).max(8),
});
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export interface WireError {
  /** `UserError` for a problem the user can act on (bad settings, unknown job). */
  name: string;
  message: string;
}

/** Host → browser. */
export type ServerMessage =
  | { type: 'response'; seq: number; ok: true; value: unknown }
  | { type: 'response'; seq: number; ok: false; error: WireError }
  | { type: 'progress'; snapshot: ProgressSnapshot }
  | { type: 'export-progress'; update: ExportUpdate }
  | { type: 'jobs-changed' };

/** The WebSocket's path on the serve host. */
export const UI_SOCKET_PATH = '/api/socket';
/**
 * Largest request frame the host accepts: job settings with the largest URL
 * list, each URL quoted (a quarter more for short URLs), and the other settings.
 */
export const MAX_CLIENT_MESSAGE_BYTES = MAX_URL_LIST_BYTES * 1.25;
