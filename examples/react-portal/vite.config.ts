// The portal's build: React and nothing else. The widget's files (wasm, parts,
// stylesheet, catalogues) need no entry here: the package names each with
// `new URL('./…', import.meta.url)` and `vite build` copies and hashes them.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // For `vite` (the dev server) only: its pre-bundling would move the package's code
  // away from its files, so it is served as it is.
  optimizeDeps: { exclude: ['@aitronos/connector-refresh'] },
});
