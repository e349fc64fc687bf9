// Vite configuration for the desktop UI. The Tauri shell (crates/crm-desktop) embeds
// `dist/` in release and debug builds, and loads http://localhost:1420 only in `tauri dev`.
import { defineConfig } from 'vite';

export default defineConfig({
  // Relative asset paths: the bundle is served from Tauri's custom protocol, not a web root.
  base: './',
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // WebKitGTK 2.50 (Debian 12) and WebView2 both handle ES2022.
    target: 'es2022',
    sourcemap: false,
  },
});
