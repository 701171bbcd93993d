/**
 * Paired reader links (src/tokens.ts `readerPair`): one MAC per campaign email, whose halves sign
 * the unsubscribe token and the tracking reader token. What must hold: each token verifies where
 * it belongs and nowhere else; altering its reader, campaign or issue time fails; the MAC is the
 * one the format says (checked against node:crypto); and every token made before pairing (the
 * fixtures below were made with main's code of 1 December 2026, commit 458118e) verifies
 * exactly as before.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, textToBase64Url, toBase64Url } from '../src/base64url';
import { campaignReaderLinks } from '../src/subscribers/links';
import { TokenSigner } from '../src/tokens';
import { TrackingSigner, pairedReaderToken } from '../src/tracking/tracking-tokens';

const secret = 'paired-links-test-secret-0123456789abcdef';
const signer = new TokenSigner(secret);
const trackingKey = 'dHJhY2tpbmcta2V5LWZvci10aGUtZml4dHVyZXMtMDE';
const t0 = 1795400000;

/** Made by main before pairing, with `secret` and `trackingKey` (campaign 7, reader 48211). */
const before = {
  readerSignerUnsubscribe: 'dW5zdWJzY3JpYmU6NDgyMTE6MTc5NTQwMDAwMDo3.4FyWDukPLu4jl32C2url1dhR7m9mrsUdHi3g5TRTyuo',
  unsubscribeNoCampaign: 'dW5zdWJzY3JpYmU6NDgyMTE6MTc2NDAwMDAwMA.dGlVp_6corJBEP_BUJ-9U45FDOBMv7sXTRELnYz-wMQ',
  preferences: 'cHJlZmVyZW5jZXM6NDgyMTE6MTc2NDAwMDAwMA.vEvr2UYwa7Qk67wJWJerGJnheQh9naKHP6RLIrPlhR8',
  confirm: 'Y29uZmlybTo0ODIxMToxNzk1NDAwMDAw.a_pZ4Yak0_UPwUmfZjxpBwRwRTRmPCJ5Jdy6YL4kMSk',
  session: 'c2Vzc2lvbjoxOjE3OTU0MDAwMDA.TtE1rN6UvjzcFK92OSA-_39voTIwPamLlkbp8IeqUMo',
  readerToken: '7.48211.BXZlM1uJAKXXpg4cxwyq1Q',
  linkToken: '7.3.SlZA4CugLry-KIKrK18vNA',
};

const pairOf = (campaignId: number, subscriberId: number, issuedAt = t0) => signer.readerPair(campaignId, issuedAt)(subscriberId);
const trackingOf = (issuedAt = t0) => TrackingSigner.fromKey(trackingKey, signer.pairedReaderCheck(issuedAt));
const payloadOf = (token: string) => new TextDecoder().decode(fromBase64Url(token.split('.')[0]!)!);
const macOf = (token: string) => token.split('.').at(-1)!;
/** A token with another payload and the same MAC. */
const withPayload = (token: string, payload: string) => `${textToBase64Url(payload)}.${macOf(token)}`;

describe('paired reader links', () => {
  it('are the halves of HMAC-SHA256(SECRET, "pair:c:id:t"), as the format says, for any ids (fast-check, against node:crypto)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 2 ** 34 }), (c, id, t) => {
        const mac = createHmac('sha256', secret).update(`pair:${c}:${id}:${t}`).digest();
        const pair = signer.readerPair(c, t)(id);
        expect(pair.unsubscribe).toBe(`${toBase64Url(new TextEncoder().encode(`unsubscribe:${id}:${t}:${c}`))}.${toBase64Url(mac.subarray(0, 16))}`);
        expect(pair.readerToken).toBe(pairedReaderToken(c, id, toBase64Url(mac.subarray(16))));
      }),
      { numRuns: 300, seed: 14 },
    );
  });

  it('one signer per send gives each reader their own pair, whatever the ids before (the buffers it reuses keep nothing)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), fc.array(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), { minLength: 2, maxLength: 20 }), (c, ids) => {
        const pairFor = signer.readerPair(c, t0);
        for (const id of ids) {
          const mac = createHmac('sha256', secret).update(`pair:${c}:${id}:${t0}`).digest();
          const pair = pairFor(id);
          expect(pair.unsubscribe).toBe(`${toBase64Url(new TextEncoder().encode(`unsubscribe:${id}:${t0}:${c}`))}.${toBase64Url(mac.subarray(0, 16))}`);
          expect(pair.readerToken).toBe(pairedReaderToken(c, id, toBase64Url(mac.subarray(16))));
        }
      }),
      { numRuns: 200, seed: 15 },
    );
  });

  it("a paired email's three links keep their exact bytes (pinned with the code of 2 December 2026, 05:45 UTC: links in inboxes)", () => {
    const pinned: [number, number, string, string, string][] = [
      [7, 48211, 'unsubscribe/dW5zdWJzY3JpYmU6NDgyMTE6MTc5NTQwMDAwMDo3.w4qDxL8yl8dedbPoVCvknQ', 'preferences/dW5zdWJzY3JpYmU6NDgyMTE6MTc5NTQwMDAwMDo3.w4qDxL8yl8dedbPoVCvknQ', '7.48211.XxNSGYXz4kYQfIjAtO6LCg'],
      [123, 1, 'unsubscribe/dW5zdWJzY3JpYmU6MToxNzk1NDAwMDAwOjEyMw.4pEC1Numv8N7UsTHMhQWtA', 'preferences/dW5zdWJzY3JpYmU6MToxNzk1NDAwMDAwOjEyMw.4pEC1Numv8N7UsTHMhQWtA', '123.1.H8Z2WRmkpBEWrjlXd5vlGg'],
      [31, 9007199254740991, 'unsubscribe/dW5zdWJzY3JpYmU6OTAwNzE5OTI1NDc0MDk5MToxNzk1NDAwMDAwOjMx.oectsi-XuBezUxkvTWc8Xg', 'preferences/dW5zdWJzY3JpYmU6OTAwNzE5OTI1NDc0MDk5MToxNzk1NDAwMDAwOjMx.oectsi-XuBezUxkvTWc8Xg', '31.9007199254740991.rPpAcjZ48gtqpR-XQlt1rw'],
    ];
    const base = 'https://newsletter.example.org';
    // Twice over, in both orders, with one signer per campaign: ids of other lengths in between.
    for (const order of [pinned, [...pinned].reverse(), pinned]) {
      for (const [c, id, unsubscribe, preferences, readerToken] of order) {
        const links = campaignReaderLinks({ signer, config: { publicUrl: base } }, c, t0 * 1000, true);
        for (const other of [id, 5, 123456789, id]) {
          const l = links(other);
          if (other !== id) continue;
          expect([l.unsubscribeUrl, l.preferencesUrl, l.readerToken]).toEqual([`${base}/${unsubscribe}`, `${base}/${preferences}`, readerToken]);
        }
      }
    }
  });

  it('the unsubscribe half opens unsubscribe and preferences, with the reader, the campaign and the issue time', async () => {
    const { unsubscribe } = pairOf(7, 48211);
    const claims = { purpose: 'unsubscribe', subscriberId: 48211, issuedAt: t0, extra: '7' };
    expect(await signer.verify(unsubscribe, 'unsubscribe')).toEqual(claims);
    expect(await signer.verify(unsubscribe, ['preferences', 'unsubscribe'])).toEqual(claims);
    for (const purpose of ['confirm', 'session', 'preferences'] as const) expect(await signer.verify(unsubscribe, purpose), purpose).toBeNull();
    expect(await new TokenSigner(`${secret}x`).verify(unsubscribe, 'unsubscribe')).toBeNull();
  });

  it('the tracking half is a reader token of its campaign, for that reader and send only', async () => {
    const token = pairOf(7, 48211).readerToken;
    const trackingMac = macOf(token);
    expect(await (await trackingOf()).verify('reader', token)).toEqual({ campaignId: 7, value: 48211 });
    expect(await (await trackingOf(t0 + 1)).verify('reader', token)).toBeNull(); // another send
    expect(await (await trackingOf()).verify('reader', pairedReaderToken(7, 48212, trackingMac))).toBeNull();
    expect(await (await trackingOf()).verify('reader', pairedReaderToken(8, 48211, trackingMac))).toBeNull();
    expect(await (await trackingOf()).verify('link', token)).toBeNull();
    // An unpaired campaign's check (its own key) does not take a pair half.
    expect(await (await TrackingSigner.fromKey(trackingKey)).verify('reader', token)).toBeNull();
  });

  it('a tracking half never unsubscribes, and an unsubscribe half is no reader token', async () => {
    const pair = pairOf(7, 48211);
    // A forwarded tracked link's MAC, put into the unsubscribe token's place.
    const forged = `${pair.unsubscribe.split('.')[0]}.${macOf(pair.readerToken)}`;
    expect(await signer.verify(forged, 'unsubscribe')).toBeNull();
    expect(await signer.verify(forged, ['preferences', 'unsubscribe'])).toBeNull();
    expect(await (await trackingOf()).verify('reader', pairedReaderToken(7, 48211, macOf(pair.unsubscribe)))).toBeNull();
  });

  it('altering the reader, the campaign, the issue time or the spelling of a number fails', async () => {
    const { unsubscribe } = pairOf(7, 48211);
    expect(payloadOf(unsubscribe)).toBe(`unsubscribe:48211:${t0}:7`);
    for (const payload of [
      `unsubscribe:48212:${t0}:7`,
      `unsubscribe:48211:${t0}:8`,
      `unsubscribe:48211:${t0 + 1}:7`,
      `unsubscribe:048211:${t0}:7`,
      `unsubscribe:48211:${t0}:07`,
      `unsubscribe:48211:${t0}`,
      `unsubscribe:48211:${t0}:7:x`,
      `preferences:48211:${t0}:7`,
      `confirm:48211:${t0}:7`,
      `pair:7:48211:${t0}`,
    ]) {
      expect(await signer.verify(withPayload(unsubscribe, payload), ['confirm', 'unsubscribe', 'preferences', 'session']), payload).toBeNull();
    }
    const flipped = unsubscribe.slice(0, -2) + (unsubscribe.at(-2) === 'A' ? 'B' : 'A') + unsubscribe.at(-1);
    expect(await signer.verify(flipped, 'unsubscribe')).toBeNull();
  });

  it('a 32-byte MAC cut to 16 bytes is no pair half, and a pair half is not a 32-byte token', async () => {
    const full = await signer.sign({ purpose: 'unsubscribe', subscriberId: 48211, issuedAt: t0, extra: '7' });
    const cut = `${full.split('.')[0]}.${toBase64Url(fromBase64Url(macOf(full))!.subarray(0, 16))}`;
    expect(await signer.verify(cut, 'unsubscribe')).toBeNull();
    const { unsubscribe } = pairOf(7, 48211);
    const padded = `${unsubscribe.split('.')[0]}.${toBase64Url(new Uint8Array([...fromBase64Url(macOf(unsubscribe))!, ...new Uint8Array(16)]))}`;
    expect(await signer.verify(padded, 'unsubscribe')).toBeNull();
  });

  it('every token made before pairing verifies exactly as before', async () => {
    expect(await signer.verify(before.readerSignerUnsubscribe, 'unsubscribe')).toEqual({ purpose: 'unsubscribe', subscriberId: 48211, issuedAt: t0, extra: '7' });
    expect(await signer.verify(before.readerSignerUnsubscribe, ['preferences', 'unsubscribe'])).not.toBeNull();
    expect(await signer.verify(before.unsubscribeNoCampaign, 'unsubscribe')).toEqual({ purpose: 'unsubscribe', subscriberId: 48211, issuedAt: 1764000000, extra: undefined });
    expect(await signer.verify(before.preferences, 'preferences')).toEqual({ purpose: 'preferences', subscriberId: 48211, issuedAt: 1764000000, extra: undefined });
    expect(await signer.verify(before.preferences, 'unsubscribe')).toBeNull();
    expect(await signer.verify(before.confirm, 'confirm')).toMatchObject({ subscriberId: 48211, issuedAt: t0 });
    expect(await signer.verify(before.session, 'session')).toMatchObject({ subscriberId: 1 });
    const unpaired = await TrackingSigner.fromKey(trackingKey);
    expect(await unpaired.verify('reader', before.readerToken)).toEqual({ campaignId: 7, value: 48211 });
    expect(await unpaired.verify('link', before.linkToken)).toEqual({ campaignId: 7, value: 3 });
    // The signers for unpaired sends still make those very bytes (a retried chunk of a send
    // started before pairing is identical to its first try).
    expect(signer.readerSigner({ purpose: 'unsubscribe', issuedAt: t0, extra: '7' })(48211)).toBe(before.readerSignerUnsubscribe);
    expect(unpaired.readerSigner(7)(48211)).toBe(before.readerToken);
    // A paired campaign's link tokens are still its key's.
    expect(await (await trackingOf()).verify('link', before.linkToken)).toEqual({ campaignId: 7, value: 3 });
  });
});
