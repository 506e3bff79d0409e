import type { ExtractionPreview } from '../../shared/crawler-api';
import type { JobSettings } from '../../shared/job-settings';
import { workerToMainSchema, type PageResult } from '../../shared/worker-protocol';
import type { ProcessLauncher } from './process-launcher';
import { UserError } from './user-error';
import { scopeOf, workerConfigFor } from './worker-config';

/** Time for the worker to start and to parse and extract, on top of the fetch's own timeout. */
const SPARE_MS = 15_000;

/**
 * Fetches one URL and runs the job's extraction rules on it in a one-off
 * worker process (the same code a crawl runs), so a hostile page or a
 * pathological rule costs that process, never the host's event loop: past
 * the time limit the worker is killed and the preview fails with a clear
 * error. No retries; nothing is stored.
 */
export async function previewExtraction(
  launcher: ProcessLauncher,
  settings: JobSettings,
  url: string,
  limitMs = settings.timeoutMs + SPARE_MS,
): Promise<ExtractionPreview> {
  const result = await fetchInWorker(
    launcher,
    // Scoped to the tested URL's host, so its redirects within the host are followed.
    { ...settings, startUrls: [url], concurrency: 1, retries: 0 },
    url,
    limitMs,
  );
  if (!result.ok) throw new UserError(`could not fetch ${url}: ${result.error}`);
  // A URL that redirected holds none of its target's values: they are the target's own.
  const extracted = result.target?.extracted ?? result.extracted;
  return {
    finalUrl: result.finalUrl,
    status: result.status,
    contentType: result.contentType,
    html: result.charset !== null,
    values: settings.extract.map(({ name }) => ({ name, value: extracted[name] ?? null })),
  };
}

function fetchInWorker(
  launcher: ProcessLauncher,
  settings: JobSettings,
  url: string,
  limitMs: number,
): Promise<PageResult> {
  const worker = launcher.launch('preview');
  return new Promise<PageResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new UserError(
          `no answer within ${Math.round(limitMs / 1000)} s: the page is too slow, or a rule takes too long on it`,
        ),
      );
      worker.kill();
    }, limitMs);
    const settle = (settleWith: () => void) => {
      clearTimeout(timer);
      settleWith();
      worker.kill();
    };
    worker.onMessage((raw) => {
      const message = workerToMainSchema.safeParse(raw);
      if (!message.success) {
        settle(() => reject(new Error('the preview worker sent an invalid message')));
      } else if (message.data.type === 'results' && message.data.results.length > 0) {
        const result = message.data.results[0]!;
        settle(() => resolve(result));
      }
    });
    worker.onExit((code) =>
      settle(() => reject(new Error(`the preview worker exited (code ${code}) before answering`))),
    );
    // One URL the user chose, fetched like a browser visit: its redirects are not put to robots.txt.
    worker.send({
      type: 'configure',
      config: {
        ...workerConfigFor(settings, scopeOf(settings, settings.startUrls)),
        askBeforeRedirects: false,
      },
    });
    worker.send({ type: 'crawl', tasks: [{ id: 1, url, depth: 0 }] });
  });
}
