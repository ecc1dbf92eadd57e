// The portal's build: React and nothing else. The widget's files (wasm, parts,
// stylesheet, catalogues) need no entry here: the package names each with
// `new URL('./…', import.meta.url)` and Vite copies and hashes them.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
});
