// Request framing: a request whose body length is ambiguous (Content-Length
// and Transfer-Encoding together, two different Content-Lengths, a transfer
// coding we do not read) gets one 400 and the connection closed, so bytes a
// proxy took for its body are never answered as a second request.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, newUser } from '../lib/server.mjs';

let srv, u;
before(async () => {
  srv = await startServer();
  u = await newUser(srv.url);
});
after(async () => { assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.logs().slice(-3000)); });

/** Writes bytes on a fresh connection and collects everything the server
 *  sends until it closes the connection or `wait` ms pass. */
function exchange(bytes, { wait = 3000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(srv.port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => { sock.destroy(); resolve({ text, closed: false }); }, wait);
    sock.on('data', (d) => { text += d.toString('latin1'); });
    sock.on('error', (e) => { if (e.code !== 'ECONNRESET') { clearTimeout(timer); reject(e); } });
    sock.on('close', () => { clearTimeout(timer); resolve({ text, closed: true }); });
    sock.on('connect', () => sock.write(bytes));
  });
}
// Not anchored to a line start: a pipelined answer's status line follows the previous body directly.
const statusLines = (text) => [...text.matchAll(/HTTP\/1\.[01] (\d{3}) [A-Z]/g)].map((m) => Number(m[1]));

// What a smuggler hides in the body: a request of its own, answered 200 if it ever runs.
const hidden = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';
const post = (headers, body) =>
  `POST /api/v1/applications HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${u.token}\r\n` +
  `Content-Type: application/json\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n${body}`;

describe('ambiguous framing is refused', () => {
  const cases = {
    'Content-Length then Transfer-Encoding': () => post([`Content-Length: ${5 + hidden.length}`, 'Transfer-Encoding: chunked'], `0\r\n\r\n${hidden}`),
    'Transfer-Encoding then Content-Length': () => post(['Transfer-Encoding: chunked', 'Content-Length: 5'], `0\r\n\r\n${hidden}`),
    'two Content-Lengths, the shorter first': () => post(['Content-Length: 0', `Content-Length: ${hidden.length}`], hidden),
    'two Content-Lengths, the longer first': () => post([`Content-Length: ${hidden.length}`, 'Content-Length: 0'], hidden),
    'an unknown transfer coding': () => post(['Transfer-Encoding: gzip'], hidden),
    'a coding chained before chunked': () => post(['Transfer-Encoding: gzip, chunked'], `0\r\n\r\n${hidden}`),
    'chunked followed by identity': () => post(['Transfer-Encoding: chunked, identity'], `0\r\n\r\n${hidden}`),
    'Transfer-Encoding twice': () => post(['Transfer-Encoding: chunked', 'Transfer-Encoding: chunked'], `0\r\n\r\n${hidden}`),
    'a near miss of chunked': () => post(['Transfer-Encoding: xchunked'], `0\r\n\r\n${hidden}`),
    // A proxy that trims the blank or unfolds the line reads chunked; MHD alone would read 5 bytes.
    'a space before the colon of Transfer-Encoding': () => post(['Content-Length: 5', 'Transfer-Encoding : chunked'], `0\r\n\r\n${hidden}`),
    'a tab before the colon of Transfer-Encoding': () => post(['Content-Length: 5', 'Transfer-Encoding\t: chunked'], `0\r\n\r\n${hidden}`),
    'a space before the colon of Content-Length': () => post(['Content-Length : 5', 'Transfer-Encoding: chunked'], `0\r\n\r\n${hidden}`),
    'Transfer-Encoding folded onto the next line': () => post(['Content-Length: 5', 'Transfer-Encoding:', ' chunked'], `0\r\n\r\n${hidden}`),
    'Transfer-Encoding folded after a blank value': () => post(['Content-Length: 5', 'Transfer-Encoding: ', '\tchunked'], `0\r\n\r\n${hidden}`),
    'a header line folded into Transfer-Encoding': () => post(['Content-Length: 5', 'X-Note: y', ' Transfer-Encoding: chunked'], `0\r\n\r\n${hidden}`),
    'a folded line without any other framing header': () => post(['X-Note: y', ' z', 'Content-Length: 0'], hidden),
  };
  for (const [name, make] of Object.entries(cases)) {
    test(`${name}: one 400, connection closed, nothing smuggled`, async () => {
      const before = (await u.call('GET', '/api/v1/applications')).body.total;
      const r = await exchange(make());
      assert.deepEqual(statusLines(r.text), [400], r.text);
      assert.ok(r.closed, `the server must close the connection:\n${r.text}`);
      assert.match(r.text, /\r\nConnection: close\r\n/i);
      assert.match(r.text, /"code":"bad_framing"/);
      assert.equal((await u.call('GET', '/api/v1/applications')).body.total, before, 'nothing was stored');
    });
  }

  // libmicrohttpd 0.9.75 refuses these itself and writes the head of its answer twice; the server
  // answers them first, once.
  const unreadable = { 'a list': `0, ${hidden.length}`, 'a list without a blank': '4,5', 'not a number': 'abc',
    'a negative number': '-1', 'a plus sign': '+4', 'empty': '', 'a number with a letter': '4x' };
  for (const [name, value] of Object.entries(unreadable)) {
    test(`Content-Length ${name} (${JSON.stringify(value)}): one 400, connection closed, nothing behind it runs`, async () => {
      const r = await exchange(post([`Content-Length: ${value}`], hidden));
      assert.deepEqual(statusLines(r.text), [400], r.text);
      assert.ok(r.closed, r.text);
      assert.match(r.text, /"code":"bad_framing"/);
    });
  }
  test('a Content-Length too large to read: one 413, connection closed', async () => {
    const r = await exchange(post(['Content-Length: 99999999999999999999999'], hidden));
    assert.deepEqual(statusLines(r.text), [413], r.text);
    assert.ok(r.closed, r.text);
  });
});

describe('unambiguous framing still works', () => {
  test('the same Content-Length twice is read as that length', async () => {
    const body = JSON.stringify({ company: 'Twice', position: 'P' });
    const r = await exchange(post([`Content-Length: ${body.length}`, `Content-Length: ${body.length}`], body), { wait: 1000 });
    assert.deepEqual(statusLines(r.text), [201], r.text);
  });

  test('chunked (any case) keeps the connection open for the next request', async () => {
    const body = JSON.stringify({ company: 'Chunked', position: 'P' });
    const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    const r = await exchange(post(['Transfer-Encoding: Chunked'], chunked) + hidden, { wait: 1000 });
    assert.deepEqual(statusLines(r.text), [201, 200], r.text);
    assert.ok(!r.closed);
  });
});
