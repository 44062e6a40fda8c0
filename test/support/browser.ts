import { beforeAll, describe } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core (no browser download). */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true' || process.env.CI === '1';

/**
 * `describe` for tests that drive Chromium. Outside CI a machine without it skips them and says
 * so (`label: skipped: ...`); in CI a skip would pass without testing anything, so there they run
 * and fail at once on the missing browser.
 */
export function describeWithChromium(label: string, name: string, tests: () => void): void {
  if (!hasChromium && !inCi) {
    process.stdout.write(`${label}: skipped: no ${CHROMIUM} (apt-get install -y chromium)\n`);
    describe.skip(name, tests);
    return;
  }
  describe(name, () => {
    beforeAll(() => {
      if (!hasChromium) throw new Error(`CI=true and no ${CHROMIUM}: the browser tests must run in CI (apt-get install -y chromium)`);
    });
    tests();
  });
}

const root = join(new URL('.', import.meta.url).pathname, '..', '..');

// Flags for a closed network and a root user; without the background-networking ones Chromium
// keeps trying to reach Google's hosts.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Builds a Vite app (clients/<name>) fresh into a temp dir: a test never runs a stale dist/. */
export async function buildApp(name: 'web' | 'admin-web'): Promise<{ dir: string; remove(): void }> {
  const appDir = join(root, 'clients', name);
  const dir = mkdtempSync(join(tmpdir(), `${name}-dist-`));
  await promisify(execFile)(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', appDir, '--outDir', dir, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: appDir,
  });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions in the page: a test expects none. */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * A fresh profile; requests that leave `origins` are refused (the machine has no network). With
 * service workers allowed nothing is intercepted, so the worker sees every request itself.
 */
export async function openBrowser(options: { origins: string[]; viewport?: { width: number; height: number }; serviceWorkers?: 'allow' | 'block' }): Promise<BrowserSession> {
  const { chromium } = await import('playwright-core');
  const userDataDir = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    serviceWorkers: options.serviceWorkers ?? 'block',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(30_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  if (options.serviceWorkers !== 'allow') {
    await context.route('**/*', (route) => {
      const url = route.request().url();
      return options.origins.some((origin) => url.startsWith(origin)) || url.startsWith('data:') ? route.continue() : route.abort();
    });
  }
  return {
    context,
    page,
    pageErrors,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
