/**
 * The fake Resend server reads bodies as Latin-1 and decodes only the strings that need it
 * (test/support/fake-resend/json-body.ts): it must read every body exactly as decoding the UTF-8
 * first and then parsing would, whatever the text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonBody } from '../support/fake-resend/json-body';

/** What a server that decodes first reads (with U+FFFD for bytes that are not UTF-8). */
const plain = (raw: Buffer) => {
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { ok: false };
  }
};

// Any UTF-16 code unit, lone surrogates too (JSON.stringify escapes those).
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: codeUnit }), fc.string());
const email = fc.record({ from: text, to: fc.array(text, { maxLength: 3 }), html: text, text, headers: fc.dictionary(text, text, { maxKeys: 3 }) });

describe('reading a request body as JSON', () => {
  it('reads what decoding the UTF-8 first reads, for any JSON the SDK could send (fast-check)', () => {
    fc.assert(
      fc.property(fc.oneof(email, fc.array(email, { maxLength: 4 }), fc.jsonValue()), (value) => {
        const raw = Buffer.from(JSON.stringify(value));
        expect(parseJsonBody(raw)).toEqual(plain(raw));
      }),
    );
  });

  it('reads escaped and raw non-ASCII characters side by side, and bytes that are not UTF-8, as the plain path does', () => {
    const bodies = [
      '{"html":"caf\\u00e9 and café, \\u00ff, \\\\u00e9 ‘quoted’ 💌"}',
      '["\\u0080é", "\\\\u00e9", "naïve"]',
      '{"a":"\\ud83d\\udc8c é","b":"\\ud800é","c":"\\u20ac€"}',
      '{"ключ":"значение","a":"\\u00c0"}',
    ].map((s) => Buffer.from(s));
    bodies.push(Buffer.concat([Buffer.from('{"html":"'), Buffer.from([0xc3, 0x28, 0xff, 0xe2, 0x82]), Buffer.from('"}')]));
    bodies.push(Buffer.from('{"html":"é"'), Buffer.from(''), Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]));
    for (const raw of bodies) expect(parseJsonBody(raw)).toEqual(plain(raw));
  });

  it('leaves the emails’ html and text undecoded only when asked, and decodes everything else', () => {
    const raw = Buffer.from(JSON.stringify([{ from: 'Zoë <z@example.org>', html: '<p>é</p>', text: 'é', headers: { html: 'é' } }]));
    const read = parseJsonBody(raw, true);
    expect(read).toEqual({ ok: true, value: [{ from: 'Zoë <z@example.org>', html: '<p>Ã©</p>', text: 'Ã©', headers: { html: 'é' } }] });
    expect(parseJsonBody(raw)).toEqual(plain(raw));
  });

  it('without bodies, reads every other field as the plain path does, and html and text as strings exactly when it does (fast-check)', () => {
    // What a server that keeps no bodies relies on: the same verdict on every field it checks.
    const shape = (v: unknown) => (typeof v === 'string' ? (v === '' ? 'empty' : 'string') : v);
    const withoutBodies = (value: unknown) => {
      const strip = (item: unknown) => {
        if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
        const copy: Record<string, unknown> = { ...(item as Record<string, unknown>) };
        for (const key of ['html', 'text']) if (key in copy) copy[key] = shape(copy[key]);
        return copy;
      };
      return Array.isArray(value) ? value.map(strip) : strip(value);
    };
    const check = (raw: Buffer) => {
      const lean = parseJsonBody(raw, true);
      const expected = plain(raw);
      expect(lean.ok).toBe(expected.ok);
      if (lean.ok && expected.ok) expect(withoutBodies(lean.value)).toEqual(withoutBodies(expected.value));
    };
    fc.assert(
      fc.property(fc.oneof(email, fc.array(email, { maxLength: 4 }), fc.jsonValue()), (value) => check(Buffer.from(JSON.stringify(value)))),
    );
    // Escaped and raw non-ASCII beside the bodies, and bytes that are not UTF-8 inside them.
    for (const s of [
      '[{"from":"Zo\\u00eb <z@example.org>","html":"<p>\\u00e9</p>","text":"é"}]',
      '[{"to":["caf\\u00e9@example.org"],"html":"x"},{"subject":"\\ud800","text":""}]',
      '{"headers":{"X-\\u00c0":"a"},"html":"💌"}',
      '[{"html":{"nested":"é"}}]',
    ]) check(Buffer.from(s));
    check(Buffer.concat([Buffer.from('[{"subject":"ok","html":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}]')]));
    check(Buffer.concat([Buffer.from('[{"subject":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('","html":"x"}]')]));
  });
});
