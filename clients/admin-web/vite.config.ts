import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `vite build` writes dist/; `vite` (dev, on :5174) proxies /graphql, HTTP and WebSocket, to the
// router, and the session endpoints (/auth/*: the refresh-token cookie) to the dashboard server
// that `npm start` runs on :3001.
const router = process.env.ROUTER_ORIGIN ?? 'http://localhost:4000';
const dashboard = process.env.DASHBOARD_ORIGIN ?? 'http://localhost:3001';

export default defineConfig({
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: { port: 5174, proxy: { '/graphql': { target: router, ws: true }, '/auth': { target: dashboard } } },
  plugins: [react()],
});
