import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `vite build` writes dist/; `vite` (dev) proxies /graphql, HTTP and WebSocket, to the router.
const router = process.env.ROUTER_ORIGIN ?? 'http://localhost:4000';

export default defineConfig({
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: { port: 3001, proxy: { '/graphql': { target: router, ws: true } } },
  plugins: [react()],
});
