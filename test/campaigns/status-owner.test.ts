import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canMove, moves } from '../../src/campaigns/status';

const SRC = join(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe("a campaign's status has one owner", () => {
  it('only src/campaigns/status.ts writes a campaign status', () => {
    const writers = sources(SRC).filter((file) => {
      const text = readFileSync(file, 'utf8');
      // The SET part of a raw `update campaigns set … where …`: does it write status?
      const rawSets = [...text.matchAll(/update campaigns set([\s\S]*?)(\bwhere\b|`)/gi)].map((m) => m[1]!);
      return /\.update\(campaigns\)/.test(text) || rawSets.some((set) => /\bstatus\s*=/.test(set));
    });
    expect(writers.map((f) => f.slice(SRC.length + 1))).toEqual(['campaigns/status.ts']);
  });

  it('src/campaigns/ does not depend on src/sending/ (the dependency runs one way)', () => {
    const back = sources(join(SRC, 'campaigns')).filter((f) => /from '\.\.\/sending\//.test(readFileSync(f, 'utf8')));
    expect(back).toEqual([]);
  });

  it('every system pause starts from sending, and only an editor resumes', () => {
    const pauses = Object.entries(moves).filter(([, m]) => m.to === 'paused').map(([name]) => name);
    expect(pauses.sort()).toEqual(
      ['holdAtStart', 'holdForComplaints', 'pause', 'pauseForAuth', 'pauseForDeadLetter', 'pauseForOutage', 'pauseForQuota', 'pauseForUnknownOutcome'].sort(),
    );
    expect(canMove('pauseForOutage', 'paused')).toBe(false);
    expect(canMove('finish', 'paused')).toBe(false);
    expect(Object.entries(moves).filter(([, m]) => (m.from as readonly string[]).includes('paused')).map(([n]) => n).sort()).toEqual(
      ['cancel', 'resumeScheduled', 'resumeSending'],
    );
  });
});
