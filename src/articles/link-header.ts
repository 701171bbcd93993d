/**
 * The targets of an HTTP Link header (RFC 8288) with a given rel, resolved against `base`:
 * WordPress sends `<https://site/page/2/…>; rel="next"` on REST lists and
 * `<https://site/wp-json/>; rel="https://api.w.org/"` on its pages.
 */
export function linkTargets(header: string | null, rel: string, base: string): string[] {
  if (!header) return [];
  const out: string[] = [];
  for (const m of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const rels = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(m[2] ?? '');
    const values = (rels?.[1] ?? rels?.[2] ?? '').toLowerCase().split(/\s+/);
    if (!values.includes(rel.toLowerCase())) continue;
    try {
      out.push(new URL(m[1]!, base).href);
    } catch {
      // A target that is not a URL is ignored, like a browser would.
    }
  }
  return out;
}
