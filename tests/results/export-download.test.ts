import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import type { ExportRequest } from '../../shared/results';
import { httpRequest, servePerFile } from '../helpers/serve';
import { storeJob } from './stored-job';

const O = 'http://127.0.0.1:9';

/** One job: a page to export, and one a sitemap leaves out (noindex). */
const env = servePerFile((dbFile) => {
  const db = openDatabase(dbFile);
  try {
    storeJob(db, [
      { url: `${O}/`, page: {} },
      { url: `${O}/hidden`, depth: 1, page: { metaRobots: 'noindex' } },
    ]);
  } finally {
    db.close();
  }
});

/** The browser's download of an export from trawl serve, as the export dialog starts it. */
function download(request: ExportRequest) {
  const encoded = Buffer.from(JSON.stringify(request)).toString('base64url');
  const cookie = `trawl_token_${env.serve.port}=${env.serve.token}`;
  return httpRequest(`${env.serve.origin}/api/export?request=${encoded}`, { cookie });
}

describe('trawl serve: export downloads', () => {
  it('sends the file as an attachment', async () => {
    const answer = await download({ jobId: 1, format: 'csv', columns: ['url'] });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-disposition']).toBe('attachment; filename="trawl-job-1.csv"');
    expect(answer.body.split('\r\n').filter(Boolean)).toEqual(['url', `${O}/`, `${O}/hidden`]);
  });

  it('answers an export that fails before its first byte with its message, not a cut-off download', async () => {
    // A job deleted while its results were open: the browser must not save an empty file.
    const answer = await download({ jobId: 99, format: 'csv' });
    expect(answer).toMatchObject({ status: 400, body: 'no job with id 99' });
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(answer.headers['content-disposition']).toBeUndefined();

    // A sitemap of no page would be an invalid empty urlset.
    const sitemap = await download({
      jobId: 1,
      format: 'sitemap',
      filters: { text: 'nothing like this' },
    });
    expect(sitemap).toMatchObject({
      status: 400,
      body: 'no indexable 200 page of job 1 matches the filters: the sitemap would be empty, which the protocol does not allow',
    });
  });
});
