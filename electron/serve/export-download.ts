import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ExportOutcome } from '../../shared/crawler-api';
import { describeSchemaError } from '../../shared/job-settings';
import { exportRequestSchema, type ExportFormat, type ExportRequest } from '../../shared/results';
import { exportFileName } from '../engine/export/export-job';
import type { ExportRuns } from '../engine/export/export-runs';
import type { Logger } from '../engine/logger';
import { openDatabase } from '../engine/store/database';
import { sendText } from './static-files';

/** Where the browser downloads exports from (behind the same token as everything else). */
export const EXPORT_PATH = '/api/export';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  sitemap: 'application/xml; charset=utf-8',
  sqlite: 'application/vnd.sqlite3',
};

/** `exportJob` of the serve host: the browser fetches the file from this URL. */
export function exportDownload(request: ExportRequest): ExportOutcome {
  const encoded = Buffer.from(JSON.stringify(request)).toString('base64url');
  return {
    kind: 'download',
    url: `${EXPORT_PATH}?request=${encoded}`,
    fileName: exportFileName(request),
  };
}

/**
 * Streams an export to the browser as an attachment. The request (from the
 * URL) is validated like any other; the export reads through its own
 * connection, so the crawl's writes never wait on a long read.
 */
export async function sendExport(
  dbFile: string,
  url: URL,
  response: ServerResponse,
  logger: Logger,
  exports: ExportRuns,
): Promise<void> {
  let request: ExportRequest;
  try {
    const raw = JSON.parse(
      Buffer.from(url.searchParams.get('request') ?? '', 'base64url').toString(),
    );
    const parsed = exportRequestSchema.safeParse(raw);
    if (!parsed.success)
      return sendText(response, 400, `bad export request: ${describeSchemaError(parsed.error)}`);
    request = parsed.data;
  } catch {
    return sendText(response, 400, 'bad export request: not JSON');
  }
  const db = openDatabase(dbFile, { mustExist: true });
  const scratch =
    request.format === 'sqlite' ? await mkdtemp(join(tmpdir(), 'trawl-export-')) : null;
  try {
    // Set, not written: Node sends them with the first byte, so an export that fails
    // before it (a job deleted meanwhile, a sitemap too big for one file) is answered
    // with its message below instead of a download cut off at once.
    response.statusCode = 200;
    response.setHeader('content-type', CONTENT_TYPES[request.format]);
    response.setHeader('content-disposition', `attachment; filename="${exportFileName(request)}"`);
    response.setHeader('cache-control', 'no-store');
    if (scratch !== null) {
      // A SQLite file cannot be written to a stream: build it aside, then send it.
      const file = join(scratch, 'export.sqlite');
      if ((await exports.run(db, request, { file })) === null)
        return sendError(response, 409, 'export cancelled');
      await pipeline(createReadStream(file), response);
    } else if ((await exports.run(db, request, { stream: response })) === null) {
      // Cancelled midway: the download is cut off, so the browser marks it failed, not complete.
      if (response.headersSent) response.destroy();
      else sendError(response, 409, 'export cancelled');
    } else response.end();
  } catch (error) {
    logger('warn', `export of job ${request.jobId} failed: ${(error as Error).message}`);
    if (!response.headersSent)
      sendError(
        response,
        (error as Error).name === 'UserError' ? 400 : 500,
        (error as Error).message,
      );
    else response.destroy(error as Error);
  } finally {
    db.close();
    if (scratch !== null) await rm(scratch, { recursive: true, force: true });
  }
}

/** An error in place of the download: the attachment's headers go, or the browser saves the message. */
function sendError(response: ServerResponse, status: number, text: string): void {
  for (const name of response.getHeaderNames()) response.removeHeader(name);
  sendText(response, status, text);
}
