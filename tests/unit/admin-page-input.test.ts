// Query strings and forms of the /admin pages: empty filters, strictness,
// messages that name the field, and Nairobi calendar days.
import { describe, expect, it } from 'vitest';
import {
  afterPost,
  nairobiDayStart,
  ordersQuery,
  parseForm,
  parseQuery,
  productForm,
  userForm,
  usersQuery,
  withParams,
} from '../../src/lib/server/admin/page-input.ts';

const url = (s: string) => new URL(s, 'http://soko.test');
const post = (body: string, type = 'application/x-www-form-urlencoded') =>
  new Request('http://soko.test/admin/users', { method: 'POST', body, headers: { 'Content-Type': type } });

describe('admin page input', () => {
  it('treats empty selects as no filter and defaults the page', () => {
    expect(parseQuery(usersQuery, url('/admin/users?q=&role=&status=SUSPENDED'))).toEqual({
      ok: true,
      data: { page: 1, status: 'SUSPENDED' },
    });
  });

  it('names the bad parameter, refuses unknown and repeated ones', () => {
    const bad = parseQuery(usersQuery, url('/admin/users?role=KING'));
    expect(bad.ok || bad.error.message).toMatch(/^Invalid query\.role/);
    const unknown = parseQuery(usersQuery, url('/admin/users?sort=name'));
    expect(unknown.ok || unknown.error.status).toBe(400);
    const twice = parseQuery(usersQuery, url('/admin/users?page=1&page=2'));
    expect(twice.ok || twice.error.message).toBe('Invalid query.page: given twice');
    const page0 = parseQuery(usersQuery, url('/admin/users?page=0'));
    expect(page0.ok || page0.error.message).toMatch(/query\.page/);
  });

  it('checks the order date range', () => {
    const r = parseQuery(ordersQuery, url('/admin/orders?from=2026-03-02&to=2026-03-01'));
    expect(r.ok || r.error.message).toMatch(/^Invalid query\.to/);
    expect(parseQuery(ordersQuery, url('/admin/orders?from=2026-03-01&to=2026-03-01')).ok).toBe(true);
  });

  it('parses the role and status forms and refuses extra or missing fields', async () => {
    expect(await parseForm(userForm, post('action=role&userId=abcdefgh123&role=SELLER'))).toEqual({
      ok: true,
      data: { action: 'role', userId: 'abcdefgh123', role: 'SELLER' },
    });
    const extra = await parseForm(userForm, post('action=suspend&userId=abcdefgh123&role=ADMIN'));
    expect(extra.ok).toBe(false);
    const noReason = await parseForm(productForm, post('action=hide&productId=abcdefgh123&reason=%20'));
    expect(noReason.ok || noReason.error.message).toMatch(/^Invalid form\.reason/);
    const json = await parseForm(userForm, post('{"action":"suspend"}', 'application/json'));
    expect(json.ok || json.error.status).toBe(400);
  });

  it('keeps filters across Post/Redirect/Get and paging, dropping the old flash', () => {
    expect(afterPost(url('/admin/users?q=amani&page=2'), 'suspended')).toBe(
      '/admin/users?q=amani&page=2&done=suspended',
    );
    expect(withParams(url('/admin/users?q=amani&done=suspended'), { page: 3 })).toBe('/admin/users?q=amani&page=3');
  });

  it('reads filter dates as Nairobi days (UTC+3)', () => {
    expect(nairobiDayStart('2026-03-01').toISOString()).toBe('2026-02-28T21:00:00.000Z');
    expect(nairobiDayStart('2026-02-28', 1).toISOString()).toBe('2026-02-28T21:00:00.000Z');
  });
});
