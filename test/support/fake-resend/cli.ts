/**
 * Runs the fake Resend server on its own, for benchmarks and manual trials:
 *
 *   tsx test/support/fake-resend/cli.ts --port 3001 --rate 50 [--api-key re_test_key] [--verbose]
 *
 * Point Broadside at it with RESEND_BASE_URL=http://127.0.0.1:3001 RESEND_API_KEY=re_test_key.
 * Ctrl-C stops it and prints how many emails it accepted.
 */
import { parseArgs } from 'node:util';
import { startFakeResend } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '3001' },
    rate: { type: 'string', default: '2' },
    'api-key': { type: 'string', default: 're_test_key' },
    verbose: { type: 'boolean', default: false },
    /** Forget email bodies (benchmarks with 100,000 emails). */
    lean: { type: 'boolean', default: false },
  },
});

const port = Number(values.port);
const rate = values.rate === 'unlimited' ? Infinity : Number(values.rate);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port: ${values.port}`);
if (!(rate > 0)) throw new Error(`--rate: must be a positive number or "unlimited": ${values.rate}`);

const fake = await startFakeResend({ port, rate, apiKey: values['api-key'], keepBodies: !values.lean });
console.log(`fake Resend listening on ${fake.url} (API key ${fake.apiKey}, ${rate} requests/s)`);

let shown = 0;
const timer = values.verbose
  ? setInterval(() => {
      const requests = fake.requests();
      for (const r of requests.slice(shown)) {
        console.log(`${new Date(r.at).toISOString()} ${r.method} ${r.path} ${r.status ?? '-'} ${r.outcome ?? ''}`);
      }
      shown = requests.length;
    }, 250)
  : undefined;

process.once('SIGINT', () => {
  clearInterval(timer);
  const requests = fake.requests();
  const refused = requests.filter((r) => r.status === 429).length;
  console.log(`\n${fake.emails().length} emails accepted, ${requests.length} requests, ${refused} answered 429`);
  void fake.stop().then(() => process.exit(0));
});
