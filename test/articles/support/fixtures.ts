import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const folder = fileURLToPath(new URL('../../fixtures/feeds/', import.meta.url));

/** A feed fixture's bytes, exactly as a server would send them. */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(folder + name);
}

export function fixture(name: string): string {
  return fixtureBytes(name).toString('utf8');
}
