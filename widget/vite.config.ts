import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const widgetDir = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(widgetDir, 'dist');

/**
 * The widget's two builds, both into widget/dist (`npm run build:widget` runs them in turn):
 * - the frame (default mode): frame.html and its hashed assets, served by Parley under /widget/;
 * - the loader (`--mode loader`): one classic IIFE file, widget.js, that a business pastes into
 *   its pages with a plain <script async>, so it cannot be an ES module or load chunks.
 * JSX is Preact's (oxc's automatic runtime pointed at preact), not React: the frame has a 60 KB
 * budget that React alone would exceed.
 */
export default defineConfig(({ mode }) => {
  if (mode === 'loader') {
    return {
      root: widgetDir,
      publicDir: false,
      build: {
        outDir,
        emptyOutDir: false,
        target: 'es2019',
        lib: { entry: path.join(widgetDir, 'src/loader/loader.ts'), formats: ['iife'], name: 'ParleyLoader', fileName: () => 'widget.js' },
        minify: true,
        sourcemap: false,
      },
    };
  }
  return {
    root: widgetDir,
    base: '/widget/',
    publicDir: false,
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2020',
      // The frame's CSP (script-src 'self') forbids inline scripts; Vite's module preload
      // polyfill is not needed by the browsers that run ES modules anyway.
      modulePreload: { polyfill: false },
      rolldownOptions: { input: path.join(widgetDir, 'frame.html') },
    },
  };
});
