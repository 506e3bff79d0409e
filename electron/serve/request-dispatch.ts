import type { HostRequests } from '../../shared/crawler-api';
import {
  CRAWLER_REQUEST_SCHEMAS,
  describeArgumentsError,
  isCrawlerRequestMethod,
} from '../../shared/crawler-api-schemas';
import type { WireError } from '../../shared/ui-protocol';
import { UserError } from '../engine/user-error';

/**
 * Runs one request from a UI (IPC in the desktop app, the WebSocket in
 * `trawl serve`): the method must exist and its arguments must match the
 * method's schema before the host sees them. A refusal is worded for the
 * person using the UI, who never sees method names.
 */
export async function dispatchRequest(
  api: HostRequests,
  method: string,
  args: unknown[],
): Promise<unknown> {
  if (!isCrawlerRequestMethod(method)) throw new UserError(`unknown method "${method}"`);
  const parsed = CRAWLER_REQUEST_SCHEMAS[method].safeParse(args);
  if (!parsed.success) {
    throw new UserError(describeArgumentsError(method, parsed.error));
  }
  const call = api[method] as (...callArgs: unknown[]) => Promise<unknown>;
  return call.apply(api, parsed.data as unknown[]);
}

/** An error as a UI receives it: user errors verbatim, others by name and message. */
export function toWireError(error: unknown): WireError {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}
