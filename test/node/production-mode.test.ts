import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * `npm start` and the campaign CLI render with React's production build (src/node/production-mode.ts):
 * react-dom reads NODE_ENV once, when it is first loaded, so the module must come before any other.
 */
describe("Node's entries and NODE_ENV", () => {
  const modeAfterLoading = (env: NodeJS.ProcessEnv) =>
    execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', "await import('./src/node/production-mode.ts'); console.log(process.env.NODE_ENV)"],
      { env, encoding: 'utf8' },
    ).trim();

  it('is production when the operator set nothing, and theirs when they did', () => {
    const { NODE_ENV: _unset, ...env } = process.env;
    expect(modeAfterLoading(env)).toBe('production');
    expect(modeAfterLoading({ ...env, NODE_ENV: 'development' })).toBe('development');
  });

  it.each(['src/node/main.ts', 'scripts/campaign.ts'])('%s imports it before anything else', (entry) => {
    const firstImport = /^import [^;]*;/m.exec(readFileSync(entry, 'utf8'))?.[0];
    expect(firstImport).toMatch(/^import '(\.\/|\.\.\/src\/node\/)production-mode';$/);
  });
});
