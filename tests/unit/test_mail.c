/* Unit tests for src/notify/mail: the message text (headers, encodings,
 * refusals) and the settings check. Sending is tested end to end against
 * tests/lib/smtp_sink.mjs in tests/http/mail.test.mjs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/buf.h"
#include "notify/mail.h"

#define NOW ((time_t)1772625600) /* Wed, 04 Mar 2026 12:00:00 +0000 */

static const struct mail_config cfg = {
	.url = "smtp://127.0.0.1:2525", .from = "jobtrack <alerts@example.org>", .user = "", .timeout = 5
};

static int format(const struct mail_message *m, struct buf *out, char *err)
{
	buf_init(out, MAIL_MAX_BYTES);
	return mail_format(&cfg, m, NOW, out, err, 256);
}

/* Every line ends in CRLF and none is longer than 78 characters + CRLF. */
static void assert_wire_lines(const char *s)
{
	const char *line = s;
	for (const char *p = s; *p; p++) {
		if (*p == '\n') {
			assert_true(p > s && p[-1] == '\r');
			assert_true(p - line - 1 <= 78);
			line = p + 1;
		} else if (*p == '\r') {
			assert_int_equal(p[1], '\n');
		}
	}
	assert_ptr_equal(line, s + strlen(s)); /* ends with CRLF */
}

static void test_headers(void **state)
{
	(void)state;
	struct mail_message m = { .to = "ada@example.com", .subject = "3 new postings", .text = "Hello\nworld\n" };
	struct buf out;
	char err[256];
	assert_int_equal(format(&m, &out, err), 0);
	assert_non_null(strstr(out.data, "Date: Wed, 04 Mar 2026 12:00:00 +0000\r\n"));
	assert_non_null(strstr(out.data, "From: jobtrack <alerts@example.org>\r\n"));
	assert_non_null(strstr(out.data, "To: <ada@example.com>\r\n"));
	assert_non_null(strstr(out.data, "Subject: 3 new postings\r\n"));
	assert_non_null(strstr(out.data, "@example.org>\r\n"));
	assert_non_null(strstr(out.data, "Message-ID: <"));
	assert_non_null(strstr(out.data, "MIME-Version: 1.0\r\n"));
	assert_non_null(strstr(out.data, "Content-Type: text/plain; charset=UTF-8\r\n"));
	assert_non_null(strstr(out.data, "\r\n\r\nHello\r\nworld\r\n"));
	assert_null(strstr(out.data, "List-Unsubscribe"));
	assert_wire_lines(out.data);
	buf_free(&out);
}

static void test_message_ids_differ(void **state)
{
	(void)state;
	struct mail_message m = { .to = "ada@example.com", .subject = "x", .text = "x" };
	struct buf a, b;
	char err[256];
	assert_int_equal(format(&m, &a, err), 0);
	assert_int_equal(format(&m, &b, err), 0);
	const char *ia = strstr(a.data, "Message-ID:"), *ib = strstr(b.data, "Message-ID:");
	assert_non_null(ia);
	assert_non_null(ib);
	assert_memory_not_equal(ia, ib, 40);
	buf_free(&a);
	buf_free(&b);
}

/* Decodes the encoded words of the Subject header back to its UTF-8. */
static void decode_subject(const char *msg, char *out, size_t outlen)
{
	const char *p = strstr(msg, "Subject:");
	const char *end = strstr(p, "\r\nMessage-ID");
	size_t n = 0;
	while ((p = strstr(p, "=?UTF-8?B?")) && p < end) {
		p += 10;
		const char *q = strstr(p, "?=");
		size_t got = 0;
		assert_int_equal(sodium_base642bin((unsigned char *)out + n, outlen - n - 1, p, (size_t)(q - p), NULL,
						   &got, NULL, sodium_base64_VARIANT_ORIGINAL),
				 0);
		/* each word holds whole characters: it is valid UTF-8 on its own */
		assert_true(got > 0);
		assert_true(((unsigned char)out[n] & 0xc0) != 0x80);
		n += got;
		p = q + 2;
	}
	out[n] = '\0';
}

static void test_utf8_subject(void **state)
{
	(void)state;
	const char *subject = "Neue Stellen: Entwickler:in (München) — Zürich, Köln, Düsseldorf · 日本語のタイトル";
	struct mail_message m = { .to = "ada@example.com", .subject = subject, .text = "x" };
	struct buf out;
	char err[256], decoded[1024];
	assert_int_equal(format(&m, &out, err), 0);
	assert_wire_lines(out.data);
	decode_subject(out.data, decoded, sizeof(decoded));
	assert_string_equal(decoded, subject);
	buf_free(&out);
}

static void test_quoted_printable(void **state)
{
	(void)state;
	char long_line[301];
	memset(long_line, 'a', 300);
	long_line[300] = '\0';
	char text[600];
	snprintf(text, sizeof(text), "Größe = 5 \r\n.dot line\n%s\ntrailing tab\t", long_line);
	struct mail_message m = { .to = "ada@example.com", .subject = "x", .text = text };
	struct buf out;
	char err[256];
	assert_int_equal(format(&m, &out, err), 0);
	assert_wire_lines(out.data);
	assert_non_null(strstr(out.data, "Gr=C3=B6=C3=9Fe =3D 5=20\r\n.dot line\r\n"));
	assert_non_null(strstr(out.data, "trailing tab=09\r\n"));
	assert_non_null(strstr(out.data, "=\r\naaaa")); /* soft break in the long line */
	buf_free(&out);
}

static void test_html_alternative(void **state)
{
	(void)state;
	struct mail_message m = { .to = "ada@example.com",
				  .subject = "x",
				  .text = "plain",
				  .html = "<p>&lt;b&gt; rich</p>",
				  .unsubscribe_url = "https://jobs.example.org/saved-searches" };
	struct buf out;
	char err[256];
	assert_int_equal(format(&m, &out, err), 0);
	assert_wire_lines(out.data);
	assert_non_null(strstr(out.data, "Content-Type: multipart/alternative; boundary=\"=_jt_"));
	assert_non_null(strstr(out.data, "List-Unsubscribe: <https://jobs.example.org/saved-searches>\r\n"));
	const char *plain = strstr(out.data, "Content-Type: text/plain");
	const char *html = strstr(out.data, "Content-Type: text/html");
	assert_non_null(plain);
	assert_non_null(html);
	assert_true(plain < html); /* the richer part comes last (RFC 2046 5.1.4) */
	assert_non_null(strstr(html, "<p>&lt;b&gt; rich</p>\r\n--=_jt_"));
	buf_free(&out);
}

static void test_header_injection_refused(void **state)
{
	(void)state;
	struct buf out;
	char err[256];
	struct mail_message bad[] = {
		{ .to = "ada@example.com", .subject = "hi\r\nBcc: eve@example.com", .text = "x" },
		{ .to = "ada@example.com", .subject = "hi\nBcc: eve@example.com", .text = "x" },
		{ .to = "ada@example.com", .subject = "hi\rX: y", .text = "x" },
		{ .to = "ada@example.com\r\nBcc: eve@example.com", .subject = "hi", .text = "x" },
		{ .to = "ada@example.com>,<eve@example.com", .subject = "hi", .text = "x" },
		{ .to = "not an address", .subject = "hi", .text = "x" },
		{ .to = "ada@example.com", .subject = "bad \xff utf8", .text = "x" },
		{ .to = "ada@example.com", .subject = "hi", .text = "bad \xc3 utf8" },
		{ .to = "ada@example.com",
		  .subject = "hi",
		  .text = "x",
		  .unsubscribe_url = "https://x.org/>\r\nBcc: e" },
		{ .to = "ada@example.com", .subject = "hi", .text = "x", .unsubscribe_url = "javascript:alert(1)" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(format(&bad[i], &out, err), -EINVAL);
		assert_true(err[0] != '\0');
		buf_free(&out);
	}
	struct mail_config evil = cfg;
	evil.from = "a@example.org\r\nBcc: eve@example.com";
	struct mail_message ok = { .to = "ada@example.com", .subject = "hi", .text = "x" };
	buf_init(&out, MAIL_MAX_BYTES);
	assert_int_equal(mail_format(&evil, &ok, NOW, &out, err, sizeof(err)), -EINVAL);
	buf_free(&out);
}

static void test_size_bound(void **state)
{
	(void)state;
	size_t n = MAIL_MAX_BYTES / 2;
	char *big = malloc(n + 1);
	assert_non_null(big);
	memset(big, 'x', n);
	big[n] = '\0';
	struct mail_message m = { .to = "ada@example.com", .subject = "big", .text = big };
	struct buf out;
	char err[256];
	assert_int_equal(format(&m, &out, err), -E2BIG);
	buf_free(&out);
	/* non-ASCII triples in size when encoded: the bound holds after encoding too */
	size_t k = MAIL_MAX_BYTES / 3 - 16;
	memset(big, '\x7f', k);
	big[k] = '\0';
	buf_init(&out, MAIL_MAX_BYTES / 2);
	assert_int_equal(mail_format(&cfg, &m, NOW, &out, err, sizeof(err)), -E2BIG);
	buf_free(&out);
	free(big);
	char subject[MAIL_MAX_SUBJECT + 2];
	memset(subject, 's', sizeof(subject) - 1);
	subject[sizeof(subject) - 1] = '\0';
	struct mail_message s = { .to = "ada@example.com", .subject = subject, .text = "x" };
	assert_int_equal(format(&s, &out, err), -EINVAL);
	buf_free(&out);
}

static void test_config_checks(void **state)
{
	(void)state;
	struct config c = { 0 };
	char url[64] = "", from[64] = "jt@example.org", user[16] = "", pw[16] = "";
	c.smtp_url = url;
	c.smtp_from = from;
	c.smtp_user = user;
	c.smtp_password = pw;
	c.smtp_starttls = 0;
	c.smtp_timeout = 10;
	struct mail_config mc;
	char err[256];
	assert_int_equal(mail_config_from(&c, &mc, err, sizeof(err)), 0);
	assert_false(mail_enabled(&mc)); /* no URL: e-mail off, not an error */
	snprintf(url, sizeof(url), "http://mail.example.org");
	assert_int_equal(mail_config_from(&c, &mc, err, sizeof(err)), -EINVAL);
	snprintf(url, sizeof(url), "smtp://mail.example.org:25");
	assert_int_equal(mail_config_from(&c, &mc, err, sizeof(err)), 0);
	assert_true(mail_enabled(&mc));
	snprintf(from, sizeof(from), "not-an-address");
	assert_int_equal(mail_config_from(&c, &mc, err, sizeof(err)), -EINVAL);
	snprintf(from, sizeof(from), "Jobs <jt@example.org>");
	assert_int_equal(mail_config_from(&c, &mc, err, sizeof(err)), 0);
	char env[64];
	assert_int_equal(mail_envelope_from(&mc, env, sizeof(env)), 0);
	assert_string_equal(env, "jt@example.org");
	/* a password never crosses the network unencrypted */
	snprintf(user, sizeof(user), "jt");
	snprintf(pw, sizeof(pw), "secret");
	assert_int_equal(mail_config_from(&c, &mc, err, sizeof(err)), -EINVAL);
	assert_null(strstr(err, "secret"));
	c.smtp_starttls = 1;
	assert_int_equal(mail_config_from(&c, &mc, err, sizeof(err)), 0);
	c.smtp_starttls = 0;
	snprintf(url, sizeof(url), "smtps://mail.example.org");
	assert_int_equal(mail_config_from(&c, &mc, err, sizeof(err)), 0);
}

static void test_send_unreachable(void **state)
{
	(void)state;
	struct mail_config c = cfg;
	c.url = "smtp://127.0.0.1:1"; /* nothing listens on port 1 */
	struct mail_message m = { .to = "ada@example.com", .subject = "x", .text = "x" };
	char err[512];
	assert_int_equal(mail_send(&c, &m, err, sizeof(err)), -EIO);
	assert_non_null(strstr(err, "SMTP server"));
	c.url = "";
	assert_int_equal(mail_send(&c, &m, err, sizeof(err)), -EINVAL);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers),          cmocka_unit_test(test_message_ids_differ),
		cmocka_unit_test(test_utf8_subject),     cmocka_unit_test(test_quoted_printable),
		cmocka_unit_test(test_html_alternative), cmocka_unit_test(test_header_injection_refused),
		cmocka_unit_test(test_size_bound),       cmocka_unit_test(test_config_checks),
		cmocka_unit_test(test_send_unreachable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
