/**
 * A local Resend-compatible server for tests and benchmarks. Use it through the real SDK:
 *
 *   const fake = await startFakeResend({ rate: 50 });
 *   const resend = new Resend(fake.apiKey, { baseUrl: fake.url });
 *   …
 *   await fake.stop();
 */
export { startFakeResend } from './server';
export type { Fault, FakeResend, FakeResendOptions, RecordedRequest, SentEmail } from './types';
