/**
 * The sender's JavaScript per chunk, without SQLite or the network: prepares a digest like
 * bench/digest-stages.ts, freezes its chunks once, then builds each chunk's messages and its batch
 * body over and over, summing each step's CPU time. With `--against DIR` (a copy of an older
 * tree's `src/` under DIR, e.g. `git archive main src | tar -x -C DIR`, with DIR/node_modules a
 * link to this tree's) the older code runs in the same process in alternate rounds, so the two are
 * measured side by side in the same minutes.
 * A diagnostic for issue 14, not part of `npm run bench`.
 * `npx tsx bench/sender-js.ts [readers=2000] [rounds=20] [--against DIR]`; SENDER_JS_HTTP=1 also posts
 * each batch to the stand-in provider; run it with the sender's `--max-semi-space-size=4`
 * (bench/digest-send.ts) to see the garbage collector as a sender does.
 */
import '../src/node/production-mode';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCampaign } from '../src/campaigns/create';
import { getCampaign } from '../src/campaigns/queries';
import { parseConfig } from '../src/config';
import type { Logger } from '../src/deps';
import { buildNodeDeps } from '../src/node/deps';
import { claimChunk, freezeChunk, type ChunkMember } from '../src/sending/chunk-queries';
import { startSend } from '../src/sending/start-send';
import { seedArticles, seedReaders } from '../test/support/factories';

const args = process.argv.slice(2);
const againstAt = args.indexOf('--against');
const against = againstAt >= 0 ? resolve(args.splice(againstAt, 2)[1]!) : undefined;
const readers = Number(args[0] ?? 2_000);
const rounds = Number(args[1] ?? 20);

const dir = mkdtempSync(join(tmpdir(), 'broadside-sender-js-'));
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: (m, f) => console.error(m, f) };
const env = { SECRET: 'bench-secret-0123456789abcdef0123456789abcdef', ADMIN_TOKEN: 'bench-admin-token-0123456789', MAIL_FROM: 'The Riverside Ledger <newsletter@news.example.org>' };
const { deps, close } = await buildNodeDeps(parseConfig({ ...process.env, ...env, DATABASE_URL: `file:${join(dir, 'js.db')}` }), quiet);
await seedReaders(deps.db, readers, { name: 'Reader' });
const found = await seedArticles(deps.db, 10, Date.now());
const draft = await createCampaign(deps, { kind: 'digest', subject: 'This week', intro: 'Good morning.', articleIds: found.map((a) => a.id), featuredId: found[0]!.id });
await startSend(deps, draft.id);
const campaign = (await getCampaign(deps.db, draft.id))!;
const chunks: ChunkMember[][] = [];
for (;;) {
  const claim = await claimChunk(deps.db, { now: Date.now(), leaseMs: 600_000 });
  if (!claim) break;
  chunks.push(await freezeChunk(deps.db, campaign, claim.chunk, Date.now()));
}

interface Tree {
  name: string;
  ResendMailer: typeof import('../src/mailer/resend-mailer').ResendMailer;
  CampaignMessages: typeof import('../src/sending/campaign-messages').CampaignMessages;
  resendBatchBody: typeof import('../src/mailer/resend-batch-body').resendBatchBody;
}
const load = async (name: string, root: string): Promise<Tree> => ({
  name,
  ResendMailer: (await import(pathToFileURL(join(root, 'src/mailer/resend-mailer.ts')).href)).ResendMailer,
  CampaignMessages: (await import(pathToFileURL(join(root, 'src/sending/campaign-messages.ts')).href)).CampaignMessages,
  resendBatchBody: (await import(pathToFileURL(join(root, 'src/mailer/resend-batch-body.ts')).href)).resendBatchBody,
});
const trees = [await load('this tree', resolve(import.meta.dirname, '..'))];
if (against) trees.unshift(await load(against, against));

if (process.env.SENDER_JS_DUMP) {
  const batch = await Promise.all(chunks[0]!.map((m) => new trees[0]!.CampaignMessages(deps, campaign).build(m)));
  (await import('node:fs')).writeFileSync(process.env.SENDER_JS_DUMP, JSON.stringify(batch));
}
if (process.env.SENDER_JS_SHOW) {
  const m = await new trees[0]!.CampaignMessages(deps, campaign).build(chunks[0]![0]!);
  for (const t of [m.html, m.text]) if (typeof t !== 'string') console.log(t.parts.length, t.parts.map((p) => p.length).join(','), t.values.join(' | '));
  console.log(JSON.stringify({ ...m, html: undefined, text: undefined }));
}

const round2 = (x: number) => Math.round(x * 100) / 100;
// The process's CPU (V8's helper threads too, as the send bench counts it).
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
// SENDER_JS_HTTP=1: each batch is also posted by the tree's ResendMailer to the bench's stand-in
// provider in a process of its own (bench/digest-provider.ts, no rate limit): the CPU from the
// call to its answer is the body plus the HTTP request, this process's only work meanwhile.
let provider: { url: string; apiKey: string; stop(): void } | undefined;
if (process.env.SENDER_JS_HTTP) {
  const { spawn } = await import('node:child_process');
  const { createInterface } = await import('node:readline');
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'digest-provider.ts'), '1000000'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const first = (await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next()).value as string;
  provider = { ...(JSON.parse(first) as { url: string; apiKey: string }), stop: () => child.stdin!.end('quit\n') };
}
const mailers = new Map(trees.map((t) => [t.name, provider ? new t.ResendMailer({ apiKey: provider.apiKey, baseUrl: provider.url, rate: 1_000_000 }) : undefined]));
let sends = 0;
const totals = new Map<string, { build: number; body: number; send: number; sendSystem: number; chunks: number; bytes: number }>();
for (let round = 0; round < rounds; round++) {
  for (const tree of round % 2 === 0 ? trees : [...trees].reverse()) {
    const messages = new tree.CampaignMessages(deps, campaign);
    const t = totals.get(tree.name) ?? { build: 0, body: 0, send: 0, sendSystem: 0, chunks: 0, bytes: 0 };
    const mailer = mailers.get(tree.name);
    let spare: Uint8Array<ArrayBuffer> | undefined;
    // The first two rounds warm both trees up and are not counted.
    const counted = round >= 2;
    for (const members of chunks) {
      const a = cpu();
      const batch = await Promise.all(members.map((m) => messages.build(m)));
      const b = cpu();
      const body = tree.resendBatchBody(batch, spare);
      const c = cpu();
      spare = new Uint8Array(body.buffer);
      const d = cpu();
      const sys0 = process.cpuUsage().system;
      if (mailer) {
        const sent = await mailer.sendBatch(batch, { idempotencyKey: `sender-js-${sends++}`, attempts: 1 });
        if (!sent.ok) throw new Error(sent.error.message);
      }
      const e = cpu();
      if (counted) {
        t.send += e - d;
        t.sendSystem += (process.cpuUsage().system - sys0) / 1000;
      }
      if (round < 2 && process.env.SENDER_JS_COLD) console.log(tree.name, 'round', round, 'build', round2(b - a), 'body', round2(c - b));
      if (counted) {
        t.build += b - a;
        t.body += c - b;
        t.chunks++;
        t.bytes += body.byteLength;
      }
    }
    totals.set(tree.name, t);
  }
}
// The body alone, written again and again from one chunk's messages (no build's garbage between).
const alone: Record<string, number> = {};
const ALONE = Number(process.env.SENDER_JS_ALONE ?? 300);
for (const tree of trees) {
  const messages = new tree.CampaignMessages(deps, campaign);
  const batch = await Promise.all(chunks[0]!.map((m) => messages.build(m)));
  let spare = new Uint8Array(tree.resendBatchBody(batch).buffer);
  for (let i = 0; i < 100; i++) spare = new Uint8Array(tree.resendBatchBody(batch, spare).buffer);
  let spent = 0;
  for (let i = 0; i < ALONE; i++) {
    const fresh = process.env.SENDER_JS_FRESH ? await Promise.all(chunks[i % chunks.length]!.map((m) => messages.build(m))) : batch;
    const t = cpu();
    spare = new Uint8Array(tree.resendBatchBody(fresh, spare).buffer);
    spent += cpu() - t;
  }
  alone[tree.name] = spent / ALONE;
}
provider?.stop();
close();
rmSync(dir, { recursive: true, force: true });
console.table(
  Object.fromEntries(
    [...totals].map(([name, t]) => [
      name,
      { 'build ms/chunk': round2(t.build / t.chunks), 'body ms/chunk': round2(t.body / t.chunks), 'together': round2((t.build + t.body) / t.chunks), 'sendBatch ms/chunk': round2(t.send / t.chunks), 'of it system': round2(t.sendSystem / t.chunks), 'body alone': round2(alone[name]!), 'body KB': Math.round(t.bytes / t.chunks / 1024) },
    ]),
  ),
);
