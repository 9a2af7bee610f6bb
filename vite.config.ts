import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The renderer build: renderer/ -> dist/renderer, served by the web console and by Electron's
 * wf-app:// handler. Relative asset URLs, so the same build works under either origin. In
 * development (`npx vite`), /rpc, /media-socket and /media are passed to a running web console.
 */
export default defineConfig({
  root: here('./renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: here('./dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // The CSP allows no inline script: keep even small modules as files.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2048,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/rpc': { target: 'https://127.0.0.1:7410', ws: true, secure: false },
      '/media-socket': { target: 'https://127.0.0.1:7410', ws: true, secure: false },
      '/media': { target: 'https://127.0.0.1:7410', secure: false },
    },
  },
});
