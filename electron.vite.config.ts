import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { RENDERER_CSP, RENDERER_DEV_CSP } from './shared/content-security-policy';

/**
 * Build layout:
 *   out/main/index.js       Electron main (ESM)      electron/main/index.ts
 *   out/main/worker.js      worker process (ESM)     electron/worker/index.ts
 *   out/main/results-thread.js  results queries (worker thread)  electron/engine/results/results-thread.ts
 *   out/main/store-writer-thread.js  a job's writes (worker thread)  electron/engine/store-writer/store-writer-thread.ts
 *   out/main/chunks/*.js    code both of them share
 *   out/preload/index.cjs   preload (CommonJS: sandboxed preloads cannot be ESM)
 *   out/renderer/           the page (index.html + assets/)
 * Packages in package.json "dependencies" stay external (loaded from node_modules
 * at run time); better-sqlite3 must, being a native module.
 */
export default defineConfig({
  main: {
    build: {
      externalizeDeps: { include: ['better-sqlite3'] },
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          worker: resolve('electron/worker/index.ts'),
          'results-thread': resolve('electron/engine/results/results-thread.ts'),
          'store-writer-thread': resolve('electron/engine/store-writer/store-writer-thread.ts'),
        },
        output: {
          format: 'es',
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks/[name]-[hash].js',
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only 'electron': bundle everything else.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    build: {
      rollupOptions: { input: resolve('renderer/index.html') },
    },
    plugins: [react(), rendererCsp()],
  },
});

/**
 * Keeps the CSP `<meta>` tag in renderer/index.html equal to `RENDERER_CSP`
 * (the build fails if they drift) and relaxes it for the dev server only.
 */
function rendererCsp(): Plugin {
  const metaTag = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/i;
  let isDevServer = false;
  return {
    name: 'trawl:renderer-csp',
    configResolved(config) {
      isDevServer = config.command === 'serve';
    },
    transformIndexHtml(html) {
      const match = metaTag.exec(html);
      if (match === null) {
        throw new Error('renderer/index.html has no Content-Security-Policy <meta> tag');
      }
      if (match[2] !== RENDERER_CSP) {
        throw new Error(
          'The CSP <meta> tag in renderer/index.html differs from RENDERER_CSP ' +
            `(shared/content-security-policy.ts):\n  html: ${match[2]}\n  ts:   ${RENDERER_CSP}`,
        );
      }
      if (!isDevServer) return html;
      return html.replace(metaTag, (_all, start: string, _policy, end: string) => {
        return `${start}${RENDERER_DEV_CSP}${end}`;
      });
    },
  };
}
