import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// `vite build` writes dist/; `vite` (dev, :5173) proxies /graphql, HTTP and WebSocket, to the
// router, and the session endpoints (/auth/*: the refresh-token cookie) to the storefront server
// of `npm start`, which owns them.
const router = process.env.ROUTER_ORIGIN ?? 'http://localhost:4000';
const storefront = process.env.STOREFRONT_ORIGIN ?? 'http://localhost:3000';

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Libraries change less often than the app: their own chunk stays cached across releases.
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'vendor', test: /node_modules/ }] } } },
  },
  server: { port: 5173, proxy: { '/graphql': { target: router, ws: true }, '/auth': { target: storefront } } },
  plugins: [
    react(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      includeAssets: ['icon.svg', 'icon-192.png', 'icon-512.png'],
      manifest: {
        name: 'Shop',
        short_name: 'Shop',
        description: 'Browse the catalogue, order and follow your delivery live.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#1f4f46',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      workbox: {
        // Page routes get the shell; the page then routes itself.
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/graphql/],
        runtimeCaching: [
          {
            // Catalogue queries are hashed GETs (APQ) without credentials: the same answer for
            // everyone, so the last ones seen are kept for offline browsing. Signed-in requests
            // are POSTs and never cached.
            urlPattern: ({ url, request }) => url.pathname === '/graphql' && request.method === 'GET' && !request.headers.has('authorization'),
            handler: 'NetworkFirst',
            options: {
              cacheName: 'catalogue',
              networkTimeoutSeconds: 4,
              expiration: { maxEntries: 60, maxAgeSeconds: 7 * 24 * 3600 },
              cacheableResponse: { statuses: [200] },
            },
          },
        ],
      },
    }),
  ],
});
