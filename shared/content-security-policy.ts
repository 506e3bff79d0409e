/**
 * The renderer's Content-Security-Policy, the one source for both places it
 * is delivered:
 *
 * - `renderer/index.html` carries the production policy in a `<meta>` tag
 *   (the packaged app loads the page from `file://`, which has no response
 *   headers). The renderer build checks the tag against `RENDERER_CSP` and
 *   swaps in `RENDERER_DEV_CSP` for the dev server.
 * - main adds the same policy as a response header to the app's own pages
 *   served over http (the dev server), via `webRequest.onHeadersReceived`.
 * - `trawl serve` sends it as a header on every answer (`SERVE_CSP`).
 *
 * Plain strings, no Electron import: `electron.vite.config.ts` uses them too.
 */

function serialize(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

const PRODUCTION = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
};

/** Production: nothing inline, nothing remote, no eval. */
export const RENDERER_CSP = serialize(PRODUCTION);

/**
 * `trawl serve`: the production policy as a header, which also covers its
 * other answers (401 and error texts) and forbids framing, which a `<meta>`
 * policy cannot.
 */
export const SERVE_CSP = serialize({ ...PRODUCTION, 'frame-ancestors': ["'none'"] });

/**
 * Dev server only: React Fast Refresh injects an inline module script, Vite
 * injects CSS as `<style>` elements and talks HMR over a local WebSocket.
 */
export const RENDERER_DEV_CSP = serialize({
  'default-src': ["'none'"],
  'script-src': ["'self'", "'unsafe-inline'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'", 'ws://localhost:*', 'ws://127.0.0.1:*'],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
});
