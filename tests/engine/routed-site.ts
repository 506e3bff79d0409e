import type { EngineEnv } from './engine-env';

/**
 * A site of `routes` (HTML, or `redirect:STATUS:LOCATION`) that counts the
 * requests for each path; a path in `delaysMs` answers its first request that
 * much later.
 */
export async function routedSite(
  env: Pick<EngineEnv, 'listen'>,
  routes: Record<string, string>,
  delaysMs: Record<string, number> = {},
): Promise<{ origin: string; hits: Map<string, number> }> {
  const hits = new Map<string, number>();
  const origin = await env.listen((request, response) => {
    const path = request.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = routes[path];
    if (route === undefined) return void response.writeHead(404).end();
    const [, status, location] = /^redirect:(\d+):(.*)$/.exec(route) ?? [];
    const answer = () =>
      location
        ? response.writeHead(Number(status), { location }).end()
        : response.writeHead(200, { 'content-type': 'text/html' }).end(route);
    const delayMs = hits.get(path) === 1 ? delaysMs[path] : undefined;
    if (delayMs === undefined) answer();
    else setTimeout(answer, delayMs);
  });
  return { origin, hits };
}
