// ISO 8601 date-time without a zone, as WordPress writes date_gmt: the value is UTC, but
// Date.parse would read it as local time.
const zonelessIso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * Reads a feed date (RFC 822 in RSS, RFC 3339 in Atom, zone-less ISO in WordPress JSON) as
 * milliseconds since the epoch, or null when it is missing or not a date.
 */
export function parseFeedDate(raw: string | undefined | null): number | null {
  const value = raw?.trim();
  if (!value) return null;
  const ms = Date.parse(zonelessIso.test(value) ? `${value}Z` : value);
  return Number.isFinite(ms) ? ms : null;
}
