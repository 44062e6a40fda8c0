import { DASHBOARD_SESSION } from '../../scripts/src/sessionEndpoints.js';
import { startStorefront, type Storefront } from '../../scripts/src/storefront.js';
import { buildApp, openBrowser, type BrowserSession } from './browser.js';

/**
 * Both web apps for a Chromium suite: built fresh (while the caller starts its supergraph), then
 * served against its router as `npm start` serves them (the dashboard with its own session
 * rules), with browsers that may reach both; `stop` closes and removes everything.
 */
export async function buildWebApps() {
  const builds = await Promise.all([buildApp('web'), buildApp('admin-web')]);
  const browsers: BrowserSession[] = [];
  let served: { web: Storefront; dashboard: Storefront } | null = null;
  const apps = () => {
    if (!served) throw new Error('serve(routerUrl) first');
    return served;
  };
  return {
    async serve(routerUrl: string): Promise<void> {
      const [web, admin] = builds;
      served = {
        web: await startStorefront({ port: 0, distDir: web.dir, routerUrl }),
        dashboard: await startStorefront({ port: 0, distDir: admin.dir, routerUrl, session: DASHBOARD_SESSION }),
      };
    },
    get web(): Storefront {
      return apps().web;
    },
    get dashboard(): Storefront {
      return apps().dashboard;
    },
    /** A fresh browser profile that may reach both apps. */
    async browser(viewport?: { width: number; height: number }): Promise<BrowserSession> {
      const session = await openBrowser({ origins: [new URL(apps().web.url).origin, new URL(apps().dashboard.url).origin], ...(viewport ? { viewport } : {}) });
      browsers.push(session);
      return session;
    },
    async stop(): Promise<void> {
      for (const browser of browsers) await browser.close();
      await served?.web.stop();
      await served?.dashboard.stop();
      for (const build of builds) build.remove();
    },
  };
}
