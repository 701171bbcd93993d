import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Walks every route the app registers under /admin (Hono's app.routes), so a new admin route is
 * covered without anyone remembering to add a test: without auth it does nothing (401, or the
 * sign-in page for a browser's GET), and every answer carries the admin's protective headers.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const routes = () => {
  const seen = new Set<string>();
  return (
    // app.use registers middleware as method ALL; what is left are the routes.
    t.app.routes
      .filter((r) => r.path.startsWith('/admin') && r.method !== 'ALL')
      .map((r) => ({ method: r.method, path: r.path.replace(/:[A-Za-z]+/g, '1').replace(/\*$/, 'x') }))
      .filter((r) => !seen.has(`${r.method} ${r.path}`) && !!seen.add(`${r.method} ${r.path}`))
  );
};

const protective = (res: Response) => {
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
};

describe('every /admin route', () => {
  it('is found in the route table (the walk is not empty)', () => {
    const list = routes();
    expect(list.length).toBeGreaterThan(30);
    for (const p of ['/admin', '/admin/logout', '/admin/api/campaigns/1/send', '/admin/digest', '/admin/campaigns/1/send', '/admin/accounts']) {
      expect(list.map((r) => r.path)).toContain(p);
    }
  });

  it('without auth: 401, or the sign-in page for a GET page; never a change; always the headers', async () => {
    for (const { method, path } of routes()) {
      if (path === '/admin/login') continue;
      const res = await t.app.request(path, {
        method,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        body: method === 'GET' || method === 'HEAD' ? undefined : 'x=1',
      });
      const page = method === 'GET' && !path.startsWith('/admin/api');
      if (page) {
        expect(res.status, `${method} ${path}`).toBe(303);
        expect(res.headers.get('location'), `${method} ${path}`).toMatch(/^\/admin\/login\?next=/);
      } else {
        expect(res.status, `${method} ${path}`).toBe(401);
      }
      protective(res);
    }
  });

  it('with a wrong bearer token: 401 and the headers', async () => {
    for (const { method, path } of routes().slice(0, 15)) {
      if (path === '/admin/login') continue;
      const res = await t.app.request(path, { method, headers: { authorization: 'Bearer nope', 'x-test-ip': '192.0.2.50' } });
      expect(res.status, `${method} ${path}`).toBe(401);
      protective(res);
    }
  });

  it('the sign-in page and its refusals carry the headers too', async () => {
    protective(await t.app.request('/admin/login'));
    protective(await t.app.request('/admin/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=wrong' }));
    protective(await t.app.request('/admin/logout', { method: 'POST' }));
    protective(await t.app.request('/admin/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '99999999' }, body: 'x' }));
  });
});
