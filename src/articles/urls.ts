/**
 * Resolves a URL from a feed against its base and keeps it only when it is http(s): a feed is
 * untrusted input, and its links end up in emails, where `javascript:` or `data:` has no place.
 * Returns null for anything else, including text that is not a URL at all.
 */
export function safeUrl(raw: string | undefined | null, base?: string): string | null {
  const trimmed = raw?.trim();
  if (!trimmed) return null;
  let url: URL;
  try {
    url = base ? new URL(trimmed, base) : new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // Credentials in a link would be mailed to every reader.
  if (url.username || url.password) return null;
  return url.href;
}
