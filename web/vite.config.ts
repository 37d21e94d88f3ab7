import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webDir = path.dirname(fileURLToPath(import.meta.url));

/**
 * The inbox's production build (run by `npm install` through `prepare`) into web/dist, which
 * Parley serves at `/`. JSX goes through Vite's own oxc transform: no React plugin is needed for
 * a production build, and `npm run dev:web` simply reloads the page on changes.
 */
export default defineConfig({
  root: webDir,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: path.join(webDir, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      // React libraries mark files "use client" for server components; meaningless in this bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  // `npm run dev:web` next to `npm start`: API calls go to the running server.
  server: { proxy: { '/api': process.env.PARLEY_URL ?? 'http://127.0.0.1:3000' } },
});
