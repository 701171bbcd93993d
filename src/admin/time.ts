/**
 * Dates in SITE_TIMEZONE with Intl only (no time-zone library: Intl carries the IANA database on
 * Node and in workerd alike).
 */

function partsIn(ms: number, zone: string) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** How far the zone's wall clock is ahead of UTC at `ms`, in ms. */
function offsetAt(ms: number, zone: string): number {
  const p = partsIn(ms, zone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-11-30 08:00" as the zone's clock shows it. */
export function wallClock(ms: number, zone: string): string {
  const p = partsIn(ms, zone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** The value a datetime-local input needs: "2026-11-30T08:00". */
export const datetimeLocal = (ms: number, zone: string) => wallClock(ms, zone).replace(' ', 'T');

/** "2026-11-30 08:00 Europe/Berlin (07:00 UTC)", or just UTC when the zone is UTC. */
export function formatInZone(ms: number, zone: string): string {
  const local = `${wallClock(ms, zone)} ${zone}`;
  if (zone === 'UTC' || zone === 'Etc/UTC') return local;
  const utc = wallClock(ms, 'UTC');
  return `${local} (${utc.slice(0, 10) === wallClock(ms, zone).slice(0, 10) ? utc.slice(11) : utc} UTC)`;
}

/**
 * A wall-clock time in `zone` ("2026-11-30T08:00") as epoch ms, or null if it is not a valid
 * time. In the hour a clock skips or repeats (daylight saving), one of the two readings is
 * taken; the desk always shows the UTC time next to it, so the editor sees which.
 */
export function zonedToUtc(local: string, zone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(guess).getUTCDate() !== d) return null; // 31 November
  let ms = guess - offsetAt(guess, zone);
  const second = guess - offsetAt(ms, zone);
  if (second !== ms) ms = Math.max(ms, second);
  return ms;
}
