import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * Serves the built renderer from `root`. Only files inside it, only GET/HEAD;
 * `/` is index.html. Built assets have hashed names and may be cached;
 * index.html may not (a rebuild must show up on reload).
 */
export async function serveStatic(root: string, pathname: string, response: ServerResponse) {
  const base = resolve(root);
  let relative: string;
  try {
    relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    return sendText(response, 400, 'bad path');
  }
  const file = resolve(join(base, relative));
  if (!file.startsWith(base + sep) || relative.includes('\0')) {
    return sendText(response, 404, 'not found');
  }
  const info = await stat(file).catch(() => null);
  if (info === null || !info.isFile()) return sendText(response, 404, 'not found');
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': relative.startsWith('/assets/')
      ? 'private, max-age=31536000, immutable'
      : 'no-store',
  });
  if (response.req.method === 'HEAD') return response.end();
  createReadStream(file).pipe(response);
}

export function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}
