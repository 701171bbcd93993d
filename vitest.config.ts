import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { unstable_readConfig } from 'wrangler';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Two projects: `node` (everything under test/ except test/worker, on Node with libSQL) and
 * `workers` (test/worker, inside workerd with D1, Queues and the real Worker entry).
 */
export default defineConfig(async () => {
  const wrangler = unstable_readConfig({ config: here('./wrangler.toml') }, { hideWarnings: true });
  // The Worker is bundled with wrangler.toml's [alias] (mjml → mjml-browser and the left-out
  // modules); the tests load it through Vite, which must resolve the same way.
  const aliases = (wrangler.alias ?? {}) as Record<string, string>;
  const alias = Object.fromEntries(Object.entries(aliases).map(([name, path]) => [name, here(path)]));
  const migrations = await readD1Migrations(here('./drizzle'));

  return {
    test: {
      projects: [
        {
          test: {
            name: 'node',
            include: ['test/**/*.test.{ts,tsx}'],
            exclude: ['test/worker/**', 'node_modules/**'],
            testTimeout: 20_000,
            hookTimeout: 30_000,
          },
        },
        {
          plugins: [
            cloudflareTest(({ inject }) => ({
              main: './src/worker.ts',
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: {
                  PUBLIC_URL: 'http://broadside.test',
                  SITE_URL: 'https://news.example.org',
                  SITE_NAME: 'The Riverside Ledger',
                  ADMIN_TOKEN: 'workers-test-admin-token-0123456789',
                  SECRET: 'workers-test-secret-0123456789abcdef0123456789',
                  RESEND_API_KEY: inject('fakeResendKey'),
                  RESEND_BASE_URL: inject('fakeResendUrl'),
                  RESEND_WEBHOOK_SECRET: 'whsec_d29ya2Vycy10ZXN0LXdlYmhvb2stc2VjcmV0',
                  FEED_URL: `${inject('controlUrl')}/feed.xml`,
                  SEND_RATE: String(inject('sendRate')),
                  DIGEST_MODE: 'auto',
                  TEST_MIGRATIONS: migrations,
                },
                // Deliver queued jobs at once rather than after wrangler.toml's one second.
                queueConsumers: { 'broadside-send-chunks': { maxBatchTimeout: 0.05 } },
              },
            })),
          ],
          resolve: { alias },
          test: {
            name: 'workers',
            include: ['test/worker/**/*.test.ts'],
            // Two CommonJS packages that Vite's module runner resolves differently from wrangler:
            // sanitize-html requires postcss, which requires the ESM-only build of nanoid, and
            // mjml-browser requires cheerio, whose require() export is the Node build (undici).
            // Pre-bundled with esbuild, as wrangler bundles them for production, they load.
            deps: { optimizer: { ssr: { enabled: true, include: ['sanitize-html', 'mjml-browser'] } } },
            globalSetup: ['test/worker/support/global-setup.ts'],
            setupFiles: ['test/worker/support/setup-file.ts'],
            // One file at a time: they share the fake Resend server, whose faults and log are global.
            fileParallelism: false,
            // A hang guard, not a speed check: the first MJML compile inside workerd took over 30 s
            // on a loaded 2-core machine, and a test that times out leaves its send running into
            // the next test's faults.
            testTimeout: 60_000,
          },
        },
      ],
    },
  };
});
