// A local SMTP server for tests: listens on a loopback port, speaks enough
// ESMTP (RFC 5321) for libcurl to deliver, and records every message it
// accepts. Nothing is relayed anywhere. It checks what a real server would
// refuse: lines must end in CRLF, and DATA is un-dot-stuffed as RFC 5321
// 4.5.2 says, so a test sees the message exactly as the sender meant it.
import net from 'node:net';

/** Starts a sink. Resolves to { port, url, messages, waitFor(n, ms), close() };
 *  each message is { from, to: [...], raw, headers, parts } (see parseMessage).
 *  options.reject makes RCPT TO for those addresses fail with 550. */
export async function startSmtpSink({ reject = [] } = {}) {
  const messages = [];
  const waiters = [];
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = Buffer.alloc(0);
    let inData = false;
    let dataLines = [];
    let envelope = { from: null, to: [] };
    const reply = (line) => socket.write(`${line}\r\n`);
    reply('220 sink.test ESMTP jobtrack test sink');
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n');
        if (end < 0) {
          if (buffer.includes('\n')) { reply('500 bare LF'); socket.end(); }
          return;
        }
        const line = buffer.subarray(0, end).toString('utf8');
        buffer = buffer.subarray(end + 2);
        if (line.includes('\n') || line.includes('\r')) { reply('500 bare CR or LF in a line'); socket.end(); return; }
        if (inData) {
          if (line === '.') {
            inData = false;
            const raw = dataLines.join('\r\n') + '\r\n';
            const msg = { from: envelope.from, to: envelope.to, raw, ...parseMessage(raw) };
            messages.push(msg);
            envelope = { from: null, to: [] };
            reply('250 2.0.0 queued');
            for (const w of [...waiters]) w();
          } else {
            dataLines.push(line.startsWith('.') ? line.slice(1) : line);
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') reply('250-sink.test\r\n250-8BITMIME\r\n250 SIZE 10485760');
        else if (verb === 'HELO') reply('250 sink.test');
        else if (verb === 'MAIL') {
          const m = line.match(/^MAIL FROM:\s*<([^>]*)>/i);
          if (!m) reply('501 syntax');
          else { envelope = { from: m[1], to: [] }; reply('250 ok'); }
        } else if (verb === 'RCPT') {
          const m = line.match(/^RCPT TO:\s*<([^>]*)>/i);
          if (!m) reply('501 syntax');
          else if (reject.includes(m[1])) reply('550 no such user');
          else { envelope.to.push(m[1]); reply('250 ok'); }
        } else if (verb === 'DATA') {
          if (!envelope.from || envelope.to.length === 0) reply('503 need MAIL and RCPT first');
          else { inData = true; dataLines = []; reply('354 end with <CRLF>.<CRLF>'); }
        } else if (verb === 'RSET') { envelope = { from: null, to: [] }; reply('250 ok'); }
        else if (verb === 'NOOP') reply('250 ok');
        else if (verb === 'QUIT') { reply('221 bye'); socket.end(); }
        else reply('502 not implemented');
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    /** Resolves once at least n messages arrived; rejects after ms. */
    waitFor(n, ms = 10000) {
      if (messages.length >= n) return Promise.resolve(messages);
      return new Promise((resolve, reject2) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(check), 1);
          reject2(new Error(`SMTP sink: ${messages.length} of ${n} messages after ${ms} ms`));
        }, ms);
        const check = () => {
          if (messages.length < n) return;
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          resolve(messages);
        };
        waiters.push(check);
      });
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Decodes quoted-printable text (RFC 2045 6.7) into a UTF-8 string. */
export function decodeQuotedPrintable(text) {
  const bytes = [];
  const src = text.replace(/=\r\n/g, '');
  for (let i = 0; i < src.length; i++) {
    if (src[i] === '=' && /^[0-9A-F]{2}$/.test(src.slice(i + 1, i + 3))) {
      bytes.push(parseInt(src.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(src[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Decodes RFC 2047 encoded words (=?UTF-8?B?...?= and ?Q?) in a header value. */
export function decodeHeader(value) {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_, enc, data) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : decodeQuotedPrintable(data.replace(/_/g, ' ')));
}

function splitHead(raw) {
  const cut = raw.indexOf('\r\n\r\n');
  const head = cut < 0 ? raw : raw.slice(0, cut);
  const body = cut < 0 ? '' : raw.slice(cut + 4);
  const headers = {};
  for (const line of head.replace(/\r\n[ \t]/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function decodeBody(headers, body) {
  const te = (headers['content-transfer-encoding'] || '').toLowerCase();
  if (te === 'quoted-printable') return decodeQuotedPrintable(body);
  if (te === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

/** Splits a raw message into { headers (lower-case names, unfolded),
 *  subject (decoded), text, html } with the bodies decoded. */
export function parseMessage(raw) {
  const { headers, body } = splitHead(raw);
  const out = { headers, subject: decodeHeader(headers.subject || ''), text: null, html: null };
  const type = headers['content-type'] || 'text/plain';
  const boundary = type.match(/boundary="?([^";]+)"?/);
  const parts = boundary
    ? body.split(`--${boundary[1]}`).slice(1, -1).map((p) => splitHead(p.replace(/^\r\n/, '')))
    : [{ headers, body }];
  for (const p of parts) {
    const t = (p.headers['content-type'] || 'text/plain').toLowerCase();
    if (t.startsWith('text/html')) out.html = decodeBody(p.headers, p.body);
    else if (t.startsWith('text/plain')) out.text = decodeBody(p.headers, p.body);
  }
  return out;
}
