/**
 * The stand-in provider of bench/digest-send.ts in a process of its own, as a provider is: the
 * local Resend-compatible server (test/support/fake-resend, lean: no bodies, no per-email
 * records) allowing `rate` requests per second. Its CPU is then its own: in the benchmark's
 * process it also paid for collecting a heap holding every benchmark's modules (react, MJML,
 * workerd's tooling), about a third of its CPU per request (BENCHMARKS.md, issue 14).
 *
 * Prints one JSON line with its address, then one JSON line of figures for each line read on
 * stdin ("quit" stops it). `npx tsx bench/digest-provider.ts 50`
 */
import { createInterface } from 'node:readline';
import { startFakeResend } from '../test/support/fake-resend';

export interface ProviderFigures {
  cpuMs: number;
  requests: number;
  refused: number;
  emails: number;
  recipients: number;
  /** When each request arrived (ms since the epoch), in order: the send's timeline. */
  arrivals: number[];
}

const rate = Number(process.argv[2] ?? 50);
const fake = await startFakeResend({ rate, keepBodies: false, keepEmails: false });
// BENCH_PROVIDER_LATENCY_MS: every sending request is answered that much later (after it is
// counted and accepted), as a provider across the internet answers: the send loop's lanes and
// pacing then show what they do with real round trips rather than 127.0.0.1's.
const latencyMs = Number(process.env.BENCH_PROVIDER_LATENCY_MS ?? 0);
if (latencyMs > 0) fake.inject({ kind: 'delay', ms: latencyMs, times: 1_000_000 });
console.log(JSON.stringify({ url: fake.url, apiKey: fake.apiKey }));
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === 'quit') break;
  const u = process.cpuUsage();
  const requests = fake.requests();
  const { emails, recipients } = fake.accepted();
  const figures: ProviderFigures = {
    cpuMs: (u.user + u.system) / 1000,
    requests: requests.length,
    refused: requests.filter((q) => q.status === 429).length,
    emails,
    recipients,
    arrivals: requests.filter((q) => q.path === '/emails/batch').map((q) => q.at),
  };
  console.log(JSON.stringify(figures));
}
await fake.stop();
process.exit(0);
