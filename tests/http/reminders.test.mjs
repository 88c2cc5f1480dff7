// Reminders and automation end to end: a server whose reminder task runs
// every second delivers a follow-up reminder to a webhook receiver on
// loopback (signed with HMAC-SHA256 over "timestamp.body"), retries it after
// failures the user can see, and sends it once; a server that does not
// allow private targets refuses loopback; applications with no response
// move to "ghosted" on their own, visibly and reversibly; a posting closing
// at its source is flagged on the application saved from it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { startServer, newUser, Client, ingestPostings, markMissing } from '../lib/server.mjs';
import { startSmtpSink } from '../lib/smtp_sink.mjs';

const FAST = ['--reminder-interval', '1', '--webhook-timeout', '10'];
let srv, A, receiver, hookUrl, sink;
const received = []; // { headers, body, valid }
let failFirst = 0;    // answer 500 to this many requests first
let secret = '';

function day(offsetDays) {
  return new Date(Date.now() + offsetDays * 86400000).toISOString().slice(0, 10);
}

async function waitFor(what, fn, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function verify(headers, body) {
  const ts = headers['x-jobtrack-timestamp'];
  const want = 'sha256=' + createHmac('sha256', secret).update(`${ts}.`).update(body).digest('hex');
  const got = headers['x-jobtrack-signature'] || '';
  return got.length === want.length && timingSafeEqual(Buffer.from(got), Buffer.from(want));
}

before(async () => {
  receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ headers: req.headers, body: body.toString('utf8'), valid: verify(req.headers, body) });
      if (failFirst > 0) {
        failFirst--;
        res.writeHead(500).end('down for maintenance');
      } else {
        res.writeHead(204).end();
      }
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${receiver.address().port}/hook`;
  sink = await startSmtpSink();
  srv = await startServer({ extraArgs: [...FAST, '--webhook-allow-private', '1', '--smtp-url', sink.url,
    '--smtp-starttls', '0', '--smtp-from', 'jobtrack <jobs@example.org>', '--public-url', 'https://jobs.example.org/'] });
  A = await newUser(srv.url, 'admin-r@example.com');
});

after(async () => {
  receiver.close();
  await sink.close();
  assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000));
});

async function addApp(call, fields) {
  const r = await call('POST', '/api/v1/applications', { company: 'Acme', position: 'Engineer', ...fields });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

test('settings: defaults, validation, a webhook gets a secret, GET can be PUT back', async () => {
  const U = await newUser(srv.url);
  const d = await U.call('GET', '/api/v1/reminders/settings');
  assert.equal(d.status, 200);
  assert.deepEqual(d.body, { follow_up_days: 7, ghost_days: 0, email: true, webhook_url: null, webhook_secret: null,
    updated_at: null });
  for (const [body, field] of [[{ follow_up_days: -1 }, 'follow_up_days'], [{ ghost_days: 366 }, 'ghost_days'],
    [{ webhook_url: 'ftp://x.example/h' }, 'webhook_url'], [{ webhook_url: 'not a url' }, 'webhook_url'],
    [{ webhook_secret: 'short' }, 'webhook_secret'], [{ email: 'maybe' }, 'email'], [{ colour: 'red' }, 'colour']]) {
    const r = await U.call('PUT', '/api/v1/reminders/settings', body);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.ok(r.text.includes(field), r.text);
  }
  const s = await U.call('PUT', '/api/v1/reminders/settings', { webhook_url: 'https://hooks.example.com/x', ghost_days: 30 });
  assert.equal(s.status, 200, s.text);
  assert.match(s.body.webhook_secret, /^[0-9a-f]{64}$/);
  assert.equal(s.body.ghost_days, 30);
  assert.equal(s.body.follow_up_days, 7);
  const back = await U.call('PUT', '/api/v1/reminders/settings', s.body);
  assert.equal(back.status, 200, back.text);
  assert.equal(back.body.webhook_secret, s.body.webhook_secret);
  const rotated = await U.call('PUT', '/api/v1/reminders/settings', { rotate_secret: true });
  assert.notEqual(rotated.body.webhook_secret, s.body.webhook_secret);
  const off = await U.call('PUT', '/api/v1/reminders/settings', { webhook_url: null });
  assert.equal(off.body.webhook_url, null);
  assert.equal(off.body.webhook_secret, null);
  // Another user's settings are their own.
  assert.equal((await A.call('GET', '/api/v1/reminders/settings')).body.ghost_days, 0);
});

test('the settings page and the application page carry the reminder forms', async () => {
  const U = await newUser(srv.url);
  const c = new Client(srv.url);
  await c.form('/login', { email: U.email, password: U.password });
  let html = await (await c.fetch('/settings')).text();
  assert.match(html, /id="reminders"/);
  assert.match(html, /name="follow_up_days"[^>]*value="7"/);
  let r = await c.form('/settings/reminders', { follow_up_days: '400', ghost_days: '0', webhook_url: '' }, { csrfFrom: '/settings' });
  assert.equal(r.status, 422);
  html = await r.text();
  assert.match(html, /from 0 \(off\) to 365/);
  assert.match(html, /aria-invalid="true"/);
  r = await c.form('/settings/reminders', { follow_up_days: '5', ghost_days: '21', email: '1',
    webhook_url: 'https://hooks.example.com/me' }, { csrfFrom: '/settings' });
  assert.equal(r.status, 303);
  const s = (await U.call('GET', '/api/v1/reminders/settings')).body;
  assert.deepEqual([s.follow_up_days, s.ghost_days, s.email, s.webhook_url], [5, 21, true, 'https://hooks.example.com/me']);
  html = await (await c.fetch('/settings')).text();
  assert.ok(html.includes(s.webhook_secret), 'the secret is shown to its owner');
  // Without the CSRF token nothing changes.
  r = await c.fetch('/settings/reminders', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'follow_up_days=1' });
  assert.equal(r.status, 403);
  // The application page: set a reminder date, then none at all.
  const app = await addApp(U.call, { status: 'applied', applied_on: day(-1) });
  html = await (await c.fetch(`/applications/${app.id}`)).text();
  assert.match(html, /action="\/applications\/\d+\/follow-up"/);
  r = await c.form(`/applications/${app.id}/follow-up`, { due_on: day(2) }, { csrfFrom: `/applications/${app.id}` });
  assert.equal(r.status, 303);
  assert.equal((await U.call('GET', `/api/v1/applications/${app.id}`)).body.follow_up_on, day(2));
  r = await c.form(`/applications/${app.id}/follow-up`, { due_on: '', clear: '1' }, { csrfFrom: `/applications/${app.id}` });
  assert.equal(r.status, 303);
  assert.equal((await U.call('GET', `/api/v1/applications/${app.id}`)).body.follow_up_on, null);
  assert.equal((await U.call('GET', '/api/v1/reminders?days=30')).body.items.length, 0);
  r = await c.form(`/applications/${app.id}/follow-up`, { due_on: 'soon' }, { csrfFrom: `/applications/${app.id}` });
  assert.equal(r.status, 422);
});

test('follow-up dates: the default after applying, set and cleared per application', async () => {
  const U = await newUser(srv.url);
  const waiting = await addApp(U.call, { status: 'applied', applied_on: day(-2) });
  const answered = await addApp(U.call, { status: 'interviewing', applied_on: day(-2) });
  const dated = await addApp(U.call, { status: 'saved', company: 'Dated' });
  let r = await U.call('GET', '/api/v1/reminders?days=30');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.items.map((i) => [i.application_id, i.due_on, i.is_default]), [[waiting.id, day(5), true]]);
  assert.equal((await U.call('GET', '/api/v1/reminders?days=2')).body.items.length, 0);
  // Set a date on one, clear the default of another.
  r = await U.call('PUT', `/api/v1/applications/${dated.id}/follow-up`, { due_on: day(1) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.follow_up_on, day(1));
  r = await U.call('DELETE', `/api/v1/applications/${waiting.id}/follow-up`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.follow_up_on, null);
  r = await U.call('GET', '/api/v1/reminders?days=30');
  assert.deepEqual(r.body.items.map((i) => [i.application_id, i.due_on, i.is_default]), [[dated.id, day(1), false]]);
  // Setting a date again brings the application back.
  await U.call('PUT', `/api/v1/applications/${waiting.id}/follow-up`, { due_on: day(3) });
  r = await U.call('GET', '/api/v1/reminders?days=30');
  assert.deepEqual(r.body.items.map((i) => i.application_id), [dated.id, waiting.id]);
  assert.equal((await U.call('PUT', `/api/v1/applications/${waiting.id}/follow-up`, { due_on: '2026-02-30' })).status, 422);
  assert.equal((await A.call('PUT', `/api/v1/applications/${waiting.id}/follow-up`, { due_on: day(3) })).status, 404);
  assert.equal((await U.call('GET', '/api/v1/reminders?days=x')).status, 400);
  void answered;
});

test('a due reminder reaches the webhook signed, failures are retried and visible, and it goes out once', async () => {
  failFirst = 3; // every try of the first run fails
  const app = await addApp(A.call, { status: 'applied', applied_on: day(-10) });
  const s = await A.call('PUT', '/api/v1/reminders/settings', { webhook_url: hookUrl, email: false });
  assert.equal(s.status, 200, s.text);
  secret = s.body.webhook_secret;
  // The first run's tries fail: the user sees the error and a retry time.
  const failing = await waitFor('a failed attempt', async () => {
    const r = await A.call('GET', '/api/v1/reminders');
    const w = r.body.items.find((i) => i.application_id === app.id)?.reminders.webhook;
    return w && w.attempts >= 1 && w.state === 'pending' ? w : null;
  });
  assert.match(failing.last_error, /HTTP 500/);
  assert.ok(failing.next_attempt_at);
  // A later run delivers it.
  const sent = await waitFor('delivery', async () => {
    const r = await A.call('GET', '/api/v1/reminders');
    const w = r.body.items.find((i) => i.application_id === app.id)?.reminders.webhook;
    return w && w.state === 'sent' ? w : null;
  });
  assert.ok(sent.sent_at);
  assert.equal(sent.last_error, null);
  // Three runs later nothing more has arrived: one delivery, retried under one id.
  const count = received.length;
  await new Promise((r) => setTimeout(r, 3500));
  assert.equal(received.length, count);
  assert.equal(count, 4);
  const ids = new Set(received.map((r) => r.headers['x-jobtrack-delivery']));
  assert.equal(ids.size, 1);
  for (const r of received) {
    assert.ok(r.valid, 'the signature verifies with the secret');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['x-jobtrack-event'], 'follow_up.due');
  }
  const body = JSON.parse(received.at(-1).body);
  assert.equal(body.event, 'follow_up.due');
  assert.equal(body.due_on, day(-3));
  assert.equal(body.overdue, true);
  assert.deepEqual(body.application, { id: app.id, company: 'Acme', position: 'Engineer', status: 'applied' });
  // /metrics counts the attempts by outcome.
  const metrics = await (await fetch(srv.url + '/metrics')).text();
  const series = (o) => Number((metrics.match(new RegExp(`^jobtrack_reminder_deliveries_total\\{outcome="${o}"\\} (\\d+)`, 'm')) || [])[1] || 0);
  assert.ok(series('sent') >= 1, metrics);
  assert.ok(series('retry') >= 1, metrics);
  // A tampered body does not verify.
  assert.equal(verify(received[0].headers, Buffer.from(received[0].body + ' ')), false);
  // The list page shows the follow-up as due, and the delivery.
  const c = new Client(srv.url);
  await c.form('/login', { email: A.email, password: A.password });
  const html = await (await c.fetch('/applications')).text();
  assert.match(html, /Follow-ups due/);
  assert.match(html, new RegExp(`href="/applications/${app.id}"`));
  // So does the dashboard, above its figures.
  const dash = await (await c.fetch('/dashboard')).text();
  assert.match(dash, /<h2 id="follow-ups-h">Follow-ups due/);
  assert.match(dash, new RegExp(`href="/applications/${app.id}">Acme — Engineer</a>`));
  assert.ok(dash.indexOf('Follow-ups due') < dash.indexOf('Your applications'));
  await A.call('PUT', '/api/v1/reminders/settings', { webhook_url: null });
});

test('a due reminder arrives by e-mail, once, with a link to the application', async () => {
  const U = await newUser(srv.url, 'mailme@example.com');
  const app = await addApp(U.call, { status: 'applied', applied_on: day(-9), company: 'Mailco', position: 'Tester' });
  const mine = () => sink.messages.filter((m) => m.to.includes('mailme@example.com'));
  await waitFor('the e-mail', async () => mine().length >= 1);
  const msg = mine()[0];
  assert.equal(msg.from, 'jobs@example.org');
  assert.equal(msg.subject, 'Follow up: Tester at Mailco');
  assert.match(msg.text, new RegExp(`overdue since ${day(-2)}`));
  assert.match(msg.text, new RegExp(`https://jobs\\.example\\.org/applications/${app.id}\\b`));
  const r = await U.call('GET', '/api/v1/reminders');
  const e = r.body.items.find((i) => i.application_id === app.id).reminders.email;
  assert.equal(e.state, 'sent');
  assert.equal(r.body.items.find((i) => i.application_id === app.id).reminders.webhook, null);
  await new Promise((res) => setTimeout(res, 2500));
  assert.equal(mine().length, 1);
  // Turned off, no e-mail goes out for a new one.
  await U.call('PUT', '/api/v1/reminders/settings', { email: false });
  const quiet = await addApp(U.call, { status: 'applied', applied_on: day(-9), company: 'Quiet' });
  await new Promise((res) => setTimeout(res, 2500));
  assert.equal(mine().length, 1);
  assert.equal((await U.call('GET', '/api/v1/reminders')).body.items.find((i) => i.application_id === quiet.id).reminders.email, null);
});

test('without the administrator\'s leave, loopback and private webhooks are refused', async () => {
  const other = await startServer({ extraArgs: FAST });
  try {
    const U = await newUser(other.url, 'admin-r2@example.com');
    const app = await addApp(U.call, { status: 'applied', applied_on: day(-10) });
    const before = received.length;
    await U.call('PUT', '/api/v1/reminders/settings', { webhook_url: hookUrl });
    const w = await waitFor('a refusal', async () => {
      const r = await U.call('GET', '/api/v1/reminders');
      const x = r.body.items.find((i) => i.application_id === app.id)?.reminders.webhook;
      return x && x.attempts >= 1 ? x : null;
    });
    assert.match(w.last_error, /127\.0\.0\.1 is private or loopback/);
    assert.equal(received.length, before);
  } finally {
    assert.deepEqual(await other.stop(), { code: 0, signal: null }, other.logs().slice(-3000));
  }
});

test('no response for the ghosting period moves an application to ghosted; moving it back sticks', async () => {
  const U = await newUser(srv.url);
  const old = await addApp(U.call, { status: 'applied', applied_on: day(-20) });
  const recent = await addApp(U.call, { status: 'applied', applied_on: day(-2), company: 'Recent' });
  const answered = await addApp(U.call, { status: 'screening', applied_on: day(-20), company: 'Answered' });
  await U.call('PUT', '/api/v1/reminders/settings', { ghost_days: 14 });
  const ghosted = await waitFor('ghosting', async () => {
    const r = await U.call('GET', `/api/v1/applications/${old.id}`);
    return r.body.status === 'ghosted' ? r.body : null;
  });
  assert.ok(ghosted);
  assert.equal((await U.call('GET', `/api/v1/applications/${recent.id}`)).body.status, 'applied');
  assert.equal((await U.call('GET', `/api/v1/applications/${answered.id}`)).body.status, 'screening');
  const ev = (await U.call('GET', `/api/v1/applications/${old.id}/events`)).body.items
    .find((e) => e.kind === 'status_change');
  assert.equal(ev.from_status, 'applied');
  assert.equal(ev.to_status, 'ghosted');
  assert.equal(ev.title, 'Automatic');
  assert.match(ev.body, /No response in 14 days/);
  assert.match(await (await fetch(srv.url + '/metrics')).text(), /^jobtrack_applications_auto_ghosted_total [1-9]/m);
  // The timeline page says it was automatic.
  const c = new Client(srv.url);
  await c.form('/login', { email: U.email, password: U.password });
  const page = await (await c.fetch(`/applications/${old.id}`)).text();
  assert.match(page, /Automatic/);
  // The person moves it back: it stays, run after run.
  const back = await U.call('PATCH', `/api/v1/applications/${old.id}`, { status: 'applied' });
  assert.equal(back.status, 200, back.text);
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal((await U.call('GET', `/api/v1/applications/${old.id}`)).body.status, 'applied');
});

test('a posting that closes at its source is flagged on the application saved from it', async () => {
  const src = await A.call('POST', '/api/v1/admin/sources', { url: 'https://boards.greenhouse.io/closing', enabled: false });
  assert.equal(src.status, 201, src.text);
  const [pid] = ingestPostings(srv.dataDir, [{ source: 'greenhouse', external_id: 'close-1', title: 'Closing role',
    company: 'Shutters', url: 'https://boards.greenhouse.io/closing/jobs/1', source_id: src.body.id,
    seen_at: Math.floor(Date.now() / 1000) - 60 }]);
  const saved = await A.call('POST', `/api/v1/postings/${pid}/save`);
  assert.ok([200, 201].includes(saved.status), saved.text);
  const appId = saved.body.application ? saved.body.application.id : saved.body.id;
  let app = (await A.call('GET', `/api/v1/applications/${appId}`)).body;
  assert.equal(app.posting_id, pid);
  assert.equal(app.posting_closed, false);
  assert.equal(app.posting_closed_at, null);
  const listed = (await A.call('GET', '/api/v1/applications')).body; // cached now
  assert.equal(listed.items.find((a) => a.id === appId).posting_closed, false);
  assert.equal(markMissing(srv.dataDir, src.body.id), 1);
  app = (await A.call('GET', `/api/v1/applications/${appId}`)).body;
  assert.equal(app.posting_closed, true);
  assert.ok(app.posting_closed_at);
  // The cached listing is not served stale.
  const again = (await A.call('GET', '/api/v1/applications')).body;
  assert.equal(again.items.find((a) => a.id === appId).posting_closed, true);
  const c = new Client(srv.url);
  await c.form('/login', { email: A.email, password: A.password });
  for (const path of ['/board', `/applications/${appId}`, '/applications']) {
    const html = await (await c.fetch(path)).text();
    assert.match(html, /Posting closed/, path);
  }
});
