/**
 * The Worker's size budget: gzips what `wrangler deploy --dry-run --outdir dist/worker` wrote
 * (every module but source maps), prints the size and exits non-zero over 1 MiB, so
 * `npm run build:worker`, and `npm test` with it, fail when the bundle grows past the target in
 * DESIGN.md. Cloudflare's own limits are higher (3 MiB Free, 10 MiB Paid, compressed); the budget
 * is about start-up time, which grows with the script every isolate must parse.
 *
 *   npx tsx scripts/build-worker-size.ts [dir]     (default dist/worker)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const LIMIT = 1024 * 1024;
const dir = process.argv[2] ?? 'dist/worker';

const modules = readdirSync(dir).filter((name) => /\.(m?js|wasm)$/.test(name) && statSync(join(dir, name)).isFile());
if (modules.length === 0) {
  console.error(`No Worker modules in ${dir}: run \`wrangler deploy --dry-run --outdir ${dir}\` first.`);
  process.exit(1);
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
let raw = 0;
let gzipped = 0;
for (const name of modules) {
  const bytes = readFileSync(join(dir, name));
  const gz = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gzipped += gz;
  console.log(`  ${name}: ${kib(bytes.length)}, gzip ${kib(gz)}`);
}
const share = ((gzipped / LIMIT) * 100).toFixed(0);
console.log(`Worker bundle: ${kib(raw)} minified, ${kib(gzipped)} gzipped (${share}% of the 1 MiB budget)`);
if (gzipped > LIMIT) {
  console.error(`The Worker bundle is over budget by ${kib(gzipped - LIMIT)}. See which packages grew with:
  npx wrangler deploy --dry-run --outdir ${dir} --metafile ${dir}/meta.json`);
  process.exit(1);
}
