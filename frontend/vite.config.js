import { defineConfig } from 'vite';

// The build goes into the Python package, so `videoforge serve` needs no Node at run time.
// (Not `dist/`: the repository ignores every `dist/` folder, and hatchling leaves ignored files
// out of the wheel.)
export default defineConfig({
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: '../src/videoforge/web/static',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2020',
    chunkSizeWarningLimit: 700,
  },
  server: {
    // `npm run dev` serves the app with hot reload and forwards the API to a running server.
    proxy: {
      '/api': 'http://127.0.0.1:8000',
      '/media': 'http://127.0.0.1:8000',
    },
  },
});
