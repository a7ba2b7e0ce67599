/**
 * @module The root Playwright config: browser tests live in `e2e/` folders of
 * the packages and examples (`packages/x/e2e/*.spec.ts`). Run with
 * `pnpm run test:browser`; `./scripts/test` runs it after building.
 *
 * It drives Debian's Chromium (`apt-get install chromium`), never a browser
 * that Playwright downloads. Two servers: the SDK demo on 127.0.0.1:4173
 * (its page, its in-memory toy backend, and the widget's test pages at
 * `/__fixtures/`), and the collector server on 127.0.0.1:4174, which those
 * test pages load the widget from and send complaints to, cross-origin.
 */
import { defineConfig } from '@playwright/test'
import chromium from './scripts/lib/chromium.json' with { type: 'json' }

const baseURL = 'http://127.0.0.1:4173/'

export default defineConfig({
  testDir: '.',
  testMatch: ['packages/**/e2e/**/*.spec.ts', 'examples/**/e2e/**/*.spec.ts'],
  testIgnore: ['**/node_modules/**', '**/dist/**'],
  outputDir: 'test-results',
  reporter: 'list',
  forbidOnly: true,
  retries: 0,
  // One worker: the specs share the two servers, whose state is global.
  workers: 1,
  // Lists the test pages' origin on the collector's demo site.
  globalSetup: './scripts/lib/e2e-setup.ts',
  use: {
    baseURL,
    headless: true,
    // Debian's Chromium with the flags this machine needs: without the networking
    // ones it keeps calling home, which a closed network answers with refusals.
    launchOptions: chromium,
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: [
    {
      command: 'pnpm --filter @redress/example-sdk-demo start',
      url: baseURL,
      env: { PORT: '4173', HOST: '127.0.0.1' },
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      // The collector server as ./scripts/start runs it (with the demo site, its page
      // and its stand-in shop backend), on a fresh embedded database.
      command: 'node packages/server/dist/cli.js serve --demo --port 4174 --data "$(mktemp -d)"',
      url: 'http://127.0.0.1:4174/',
      env: {
        HOST: '127.0.0.1',
        REDRESS_ADMIN_TOKEN: 'rdk_e2e',
        // Every customer of the run writes from 127.0.0.1: the default of 10 new
        // complaints a minute per address would hold most of them back.
        REDRESS_RATE_LIMIT_IP: '600',
      },
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
})
