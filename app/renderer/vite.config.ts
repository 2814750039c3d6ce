// Builds the till UI (one bundle for Electron file:// and the web host) into dist/renderer,
// and the customer display page (display/index.html -> dist/renderer/display/) in the same build.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Relative asset URLs so index.html also works when Electron loads it from file://.
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome120',
    // The polyfill would be an inline script, which the CSP forbids; Chromium does not need it.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        display: fileURLToPath(new URL('./display/index.html', import.meta.url)),
      },
    },
  },
});
