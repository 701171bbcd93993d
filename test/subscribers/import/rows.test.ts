import { describe, expect, it } from 'vitest';
import { parseTime, readRow } from '../../../src/subscribers/import/rows';

describe('reading one import row', () => {
  it('reads "YYYY-MM-DD hh:mm:ss" as UTC, as Date.parse reads the ISO form, and refuses what is not a date', () => {
    for (const v of ['2023-03-14 08:15:02', '2024-02-29 23:59:59', '1999-12-31T00:00:00', '2024-02-30 10:00:00']) {
      expect(parseTime(v)).toBe(Date.parse(`${v.replace(' ', 'T')}Z`));
    }
    expect(parseTime('2024-13-01 00:00:00')).toBe('invalid');
    expect(parseTime('2024-01-01 25:00:00')).toBe('invalid');
    expect(parseTime(' ')).toBeNull();
    expect(parseTime('1700000000')).toBe(1_700_000_000_000);
  });

  it('keeps quoted Mailchimp tags, the address as typed, and reads two files with different columns apart', () => {
    const a = readRow([' Ann@Example.ORG ', '"donor","Paying member"'], 2, new Map([['Email Address', 0], ['TAGS', 1]]), { email: 'Email Address', tags: 'TAGS' }, undefined);
    expect(a.ok && [a.row.email, a.row.key, a.row.tags]).toEqual(['Ann@example.org', 'ann@example.org', ['donor', 'paying-member']]);
    // The same mapping object over another header order: the columns are the second file's.
    const mapping = { email: 'email', name: 'name' };
    const b = readRow(['x@example.org', 'Xavier'], 2, new Map([['email', 0], ['name', 1]]), mapping, undefined);
    const c = readRow(['Yvonne', 'y@example.org'], 2, new Map([['name', 0], ['email', 1]]), mapping, undefined);
    expect(b.ok && [b.row.email, b.row.name]).toEqual(['x@example.org', 'Xavier']);
    expect(c.ok && [c.row.email, c.row.name]).toEqual(['y@example.org', 'Yvonne']);
    expect(readRow(['ann\u202e@example.org'], 2, new Map([['email', 0]]), { email: 'email' }, undefined).ok).toBe(false);
  });
});
