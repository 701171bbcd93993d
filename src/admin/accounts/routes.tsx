import { Hono } from 'hono';
import * as z from 'zod';
import { adminRoles, type AdminAccount } from '../../db/schema';
import type { Deps } from '../../deps';
import { AppError } from '../../errors';
import { singleLine } from '../../http/fields';
import { parseOr400, readBody } from '../../http/read-body';
import { accountCount, changePassword, changeRole, createAccount, getAccount, listAccounts, removeAccount } from '../accounts';
import { recordAudit } from '../audit';
import { adminOf, requireRole, type AdminEnv } from '../auth';
import { deskAction, redirectWith, takeFlash } from '../flash';
import { Csrf, DeskLayout, PostButton } from '../layout';
import { MIN_PASSWORD_LENGTH } from '../passwords';
import { idParam } from '../../http/fields';

const addSchema = z.object({
  email: z.email({ error: 'email must be an email address' }).max(320),
  name: singleLine('name', 100).optional(),
  role: z.enum(adminRoles, { error: 'role must be owner, editor or viewer' }),
  password: z.string({ error: 'password is required' }),
});
const passwordSchema = z.object({ password: z.string({ error: 'password is required' }) });
const roleSchema = z.object({ role: z.enum(adminRoles, { error: 'role must be owner, editor or viewer' }) });

const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** /admin/accounts: owners add people, change roles and passwords, remove accounts. */
export function accountRoutes(deps: Deps) {
  const app = new Hono<AdminEnv>();
  const idOf = async (raw: string) => {
    const account = await getAccount(deps.db, idParam(raw, 'No account with this id.'));
    if (!account) throw new AppError('not_found', 'No account with this id.');
    return account;
  };

  app.get('/', async (c) => {
    const admin = requireRole(c, 'owner');
    const accounts = await listAccounts(deps.db);
    return c.html(
      <DeskLayout title="Accounts" siteName={deps.config.siteName} section="accounts" admin={admin} flash={takeFlash(c)}>
        <h1>Accounts</h1>
        {accounts.length === 0 && (
          <p class="flash warn">You are signed in with the admin token. Create the first owner account for yourself, then give each editor their own.</p>
        )}
        <div class="two">
          <section class="card" aria-labelledby="people">
            <h2 id="people">People</h2>
            {accounts.length === 0 ? (
              <p class="muted">No accounts yet.</p>
            ) : (
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Account</th>
                      <th scope="col">Role</th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {accounts.map((a: AdminAccount) => (
                      <tr>
                        <td>
                          <strong>{a.name ?? a.email}</strong>
                          <br />
                          <span class="muted small">
                            {a.email} · since {fmt(a.createdAt)}
                          </span>
                        </td>
                        <td>
                          <form method="post" action={`/admin/accounts/${a.id}/role`} class="actions" style="margin:0">
                            <Csrf admin={admin} />
                            <label for={`role-${a.id}`} class="hint" style="margin:0">
                              Role of {a.email}
                            </label>
                            <select id={`role-${a.id}`} name="role">
                              {adminRoles.map((r) => (
                                <option value={r} selected={r === a.role}>
                                  {r}
                                </option>
                              ))}
                            </select>
                            <button type="submit" class="secondary small">
                              Change
                            </button>
                          </form>
                        </td>
                        <td>
                          <details>
                            <summary>New password</summary>
                            <form method="post" action={`/admin/accounts/${a.id}/password`}>
                              <Csrf admin={admin} />
                              <label for={`pw-${a.id}`}>New password</label>
                              <input id={`pw-${a.id}`} type="password" name="password" required minlength={MIN_PASSWORD_LENGTH} autocomplete="new-password" />
                              <div class="actions">
                                <button type="submit" class="secondary small">
                                  Set password
                                </button>
                              </div>
                            </form>
                          </details>
                          <PostButton admin={admin} action={`/admin/accounts/${a.id}/remove`} label="Remove" class="secondary small" ariaLabel={`Remove ${a.email}`} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section class="card" aria-labelledby="add">
            <h2 id="add">Add an account</h2>
            <form method="post" action="/admin/accounts">
              <Csrf admin={admin} />
              <label for="email">Email address</label>
              <input id="email" name="email" type="email" required autocomplete="off" />
              <label for="name">Name</label>
              <input id="name" name="name" type="text" autocomplete="off" />
              <label for="role">Role</label>
              <select id="role" name="role">
                <option value="editor">editor: drafts, previews, test-sends, sends, schedules</option>
                <option value="viewer">viewer: reads everything, changes nothing</option>
                <option value="owner" selected={accounts.length === 0}>
                  owner: everything, and manages accounts
                </option>
              </select>
              <label for="password">
                Password <span class="hint">At least {MIN_PASSWORD_LENGTH} characters. Tell it to the person; they can be given a new one here.</span>
              </label>
              <input id="password" name="password" type="password" required minlength={MIN_PASSWORD_LENGTH} autocomplete="new-password" />
              <div class="actions">
                <button type="submit">Add account</button>
              </div>
            </form>
          </section>
        </div>
      </DeskLayout>,
    );
  });

  app.post('/', async (c) => {
    const admin = requireRole(c, 'owner');
    return deskAction(c, '/admin/accounts', async () => {
      const input = parseOr400(addSchema, (await readBody(c)).data);
      const account = await createAccount(deps.db, { ...input, now: deps.now() });
      await recordAudit(deps.db, { actor: admin.actor, action: 'account.created', target: account.email, detail: { role: account.role }, at: deps.now() });
      return redirectWith(c, '/admin/accounts', { kind: 'ok', text: `Account added for ${account.email} (${account.role}).` });
    });
  });

  app.post('/:id/role', async (c) => {
    const admin = requireRole(c, 'owner');
    return deskAction(c, '/admin/accounts', async () => {
      const account = await idOf(c.req.param('id'));
      const { role } = parseOr400(roleSchema, (await readBody(c)).data);
      if (account.role === 'owner' && role !== 'owner' && (await owners(deps)) <= 1) throw new AppError('conflict', 'The desk needs at least one owner.');
      await changeRole(deps.db, { accountId: account.id, role, now: deps.now() });
      await recordAudit(deps.db, { actor: admin.actor, action: 'account.role_changed', target: account.email, detail: { from: account.role, to: role }, at: deps.now() });
      return redirectWith(c, '/admin/accounts', { kind: 'ok', text: `${account.email} is now ${role === 'owner' ? 'an' : 'a'} ${role}.` });
    });
  });

  app.post('/:id/password', async (c) => {
    const admin = requireRole(c, 'owner');
    return deskAction(c, '/admin/accounts', async () => {
      const account = await idOf(c.req.param('id'));
      const { password } = parseOr400(passwordSchema, (await readBody(c)).data);
      await changePassword(deps.db, { accountId: account.id, password, now: deps.now() });
      await recordAudit(deps.db, { actor: admin.actor, action: 'account.password_changed', target: account.email, at: deps.now() });
      const self = adminOf(c).accountId === account.id;
      return redirectWith(c, self ? '/admin/login' : '/admin/accounts', { kind: 'ok', text: `New password set for ${account.email}; their sessions have ended.` });
    });
  });

  app.post('/:id/remove', async (c) => {
    const admin = requireRole(c, 'owner');
    return deskAction(c, '/admin/accounts', async () => {
      const account = await idOf(c.req.param('id'));
      if (account.role === 'owner' && (await owners(deps)) <= 1 && (await accountCount(deps.db)) > 1) {
        throw new AppError('conflict', 'Make someone else an owner before removing the last owner.');
      }
      await removeAccount(deps.db, account.id);
      await recordAudit(deps.db, { actor: admin.actor, action: 'account.removed', target: account.email, at: deps.now() });
      return redirectWith(c, '/admin/accounts', { kind: 'ok', text: `${account.email} was removed and signed out.` });
    });
  });
  return app;
}

async function owners(deps: Deps) {
  return (await listAccounts(deps.db)).filter((a) => a.role === 'owner').length;
}
