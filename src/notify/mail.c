#include "notify/mail.h"

#include <curl/curl.h>
#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/curl_once.h"
#include "base/text.h"

/* RFC 2045: encoded lines stay at most 76 characters, soft break included. */
#define QP_LINE    75
/* RFC 2047: an encoded word is at most 75 characters; 39 bytes of input
 * make 52 of base64, plus the 12 of "=?UTF-8?B?" and "?=", which keeps
 * even the first line, after "Subject: ", within RFC 5322's 78. */
#define WORD_INPUT 39

int mail_enabled(const struct mail_config *cfg)
{
	return cfg->url && *cfg->url;
}

static int set_err(char *err, size_t errlen, int rc, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int set_err(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return rc;
}

int mail_envelope_from(const struct mail_config *cfg, char *out, size_t outlen)
{
	const char *from = cfg->from ? cfg->from : "";
	const char *lt = strchr(from, '<');
	size_t n = strlen(from);
	if (lt) {
		const char *gt = strchr(lt, '>');
		if (!gt || gt[1] != '\0')
			return -EINVAL;
		from = lt + 1;
		n = (size_t)(gt - from);
	}
	if (n + 1 > outlen)
		return -EINVAL;
	memcpy(out, from, n);
	out[n] = '\0';
	return text_email_plausible(out) ? 0 : -EINVAL;
}

/* Printable ASCII only: the From header is written as configured. */
static int ascii_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

int mail_config_from(const struct config *cfg, struct mail_config *out, char *err, size_t errlen)
{
	*out = (struct mail_config){ .url = cfg->smtp_url,
				     .starttls = cfg->smtp_starttls != 0,
				     .from = cfg->smtp_from,
				     .user = cfg->smtp_user,
				     .password = cfg->smtp_password,
				     .timeout = cfg->smtp_timeout };
	if (!mail_enabled(out))
		return 0;
	int tls = strncmp(out->url, "smtps://", 8) == 0;
	if (!tls && strncmp(out->url, "smtp://", 7) != 0)
		return set_err(err, errlen, -EINVAL, "smtp_url \"%s\" must start with smtp:// or smtps://", out->url);
	if (text_has_control(out->url) || strchr(out->url, ' '))
		return set_err(err, errlen, -EINVAL, "smtp_url holds spaces or control characters");
	char addr[256];
	if (!ascii_printable(out->from) || mail_envelope_from(out, addr, sizeof(addr)))
		return set_err(err, errlen, -EINVAL,
			       "smtp_from \"%s\" must be an address such as jobtrack@example.com or "
			       "\"jobtrack <jobtrack@example.com>\"",
			       out->from);
	if (*out->user && !tls && !out->starttls)
		return set_err(err, errlen, -EINVAL,
			       "refusing to send the SMTP password in clear text: use smtps:// or smtp_starttls = 1");
	return 0;
}

/* A header value: valid UTF-8, no CR, LF or other control character. */
static int header_value_ok(const char *s)
{
	return s && text_utf8_valid(s, strlen(s)) && !text_has_control(s);
}

/* Wed, 04 Mar 2026 12:00:00 +0000 (RFC 5322 3.3), in UTC whatever the locale. */
static void put_date(struct buf *out, time_t now)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	gmtime_r(&now, &tm);
	buf_printf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday % 7], tm.tm_mday,
		   months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void put_random_hex(struct buf *out, size_t bytes)
{
	unsigned char r[16];
	char hex[sizeof(r) * 2 + 1];
	if (bytes > sizeof(r))
		bytes = sizeof(r);
	randombytes_buf(r, bytes);
	sodium_bin2hex(hex, sizeof(hex), r, bytes);
	buf_puts(out, hex);
}

/* The subject as is when it is short printable ASCII, else as RFC 2047
 * encoded words folded onto continuation lines, each word ending on a
 * whole UTF-8 character. */
static void put_subject(struct buf *out, const char *s)
{
	size_t len = strlen(s);
	if (ascii_printable(s) && len <= 66) {
		buf_printf(out, "Subject: %s\r\n", s);
		return;
	}
	buf_puts(out, "Subject:");
	size_t at = 0;
	do {
		size_t n = len - at < WORD_INPUT ? len - at : WORD_INPUT;
		while (at + n < len && n > 0 && ((unsigned char)s[at + n] & 0xc0) == 0x80)
			n--; /* never split a character */
		char b64[sodium_base64_ENCODED_LEN(WORD_INPUT, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)s + at, n, sodium_base64_VARIANT_ORIGINAL);
		buf_printf(out, "%s=?UTF-8?B?%s?=", at ? "\r\n " : " ", b64);
		at += n;
	} while (at < len);
	buf_puts(out, "\r\n");
}

/* One quoted-printable body: every line end becomes CRLF (a hard break),
 * long lines get soft breaks, and trailing blanks are encoded so no
 * transport can strip them. */
static void put_quoted_printable(struct buf *out, const char *s)
{
	size_t col = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\r' || *p == '\n') {
			if (*p == '\r' && p[1] == '\n')
				p++;
			buf_puts(out, "\r\n");
			col = 0;
			continue;
		}
		int at_line_end = p[1] == '\0' || p[1] == '\r' || p[1] == '\n';
		int literal = (*p >= 33 && *p <= 126 && *p != '=') || ((*p == ' ' || *p == '\t') && !at_line_end);
		size_t width = literal ? 1 : 3;
		if (col + width > QP_LINE) {
			buf_puts(out, "=\r\n");
			col = 0;
		}
		if (literal)
			buf_putc(out, (char)*p);
		else
			buf_printf(out, "=%02X", *p);
		col += width;
	}
	if (col)
		buf_puts(out, "\r\n");
}

static void put_part_headers(struct buf *out, const char *type)
{
	buf_printf(out,
		   "Content-Type: %s; charset=UTF-8\r\n"
		   "Content-Transfer-Encoding: quoted-printable\r\n\r\n",
		   type);
}

int mail_format(const struct mail_config *cfg, const struct mail_message *msg, time_t now, struct buf *out, char *err,
		size_t errlen)
{
	char from_addr[256];
	if (!cfg->from || !ascii_printable(cfg->from) || mail_envelope_from(cfg, from_addr, sizeof(from_addr)))
		return set_err(err, errlen, -EINVAL, "the sender address (smtp_from) is not valid");
	if (!header_value_ok(msg->to) || !text_email_plausible(msg->to))
		return set_err(err, errlen, -EINVAL, "the recipient is not a valid e-mail address");
	if (!header_value_ok(msg->subject) || strlen(msg->subject) > MAIL_MAX_SUBJECT)
		return set_err(err, errlen, -EINVAL,
			       "the subject has control characters, is not UTF-8 or is longer than %d bytes",
			       MAIL_MAX_SUBJECT);
	if (!msg->text || !text_utf8_valid(msg->text, strlen(msg->text)) ||
	    (msg->html && !text_utf8_valid(msg->html, strlen(msg->html))))
		return set_err(err, errlen, -EINVAL, "the message body is not UTF-8");
	if (msg->unsubscribe_url && (!text_http_url(msg->unsubscribe_url) || strchr(msg->unsubscribe_url, '>') ||
				     strlen(msg->unsubscribe_url) > 900))
		return set_err(err, errlen, -EINVAL, "the unsubscribe link is not an http(s) URL");
	/* Bodies are checked against the bound before encoding (at most 3x). */
	size_t body = strlen(msg->text) + (msg->html ? strlen(msg->html) : 0);
	if (body > MAIL_MAX_BYTES / 3)
		return set_err(err, errlen, -E2BIG, "the message is longer than %zu bytes", MAIL_MAX_BYTES / 3);

	put_date(out, now);
	buf_printf(out, "From: %s\r\nTo: <%s>\r\n", cfg->from, msg->to);
	put_subject(out, msg->subject);
	const char *domain = strchr(from_addr, '@') + 1;
	buf_puts(out, "Message-ID: <");
	put_random_hex(out, 16);
	buf_printf(out, ".%lld@%s>\r\n", (long long)now, domain);
	/* RFC 3834: no vacation replies to what a machine sent. */
	buf_puts(out, "MIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n");
	if (msg->unsubscribe_url)
		buf_printf(out, "List-Unsubscribe: <%s>\r\n", msg->unsubscribe_url);
	if (!msg->html) {
		put_part_headers(out, "text/plain");
		put_quoted_printable(out, msg->text);
	} else {
		/* "=_" cannot occur in quoted-printable text, so it never collides. */
		char boundary[48] = "=_jt_";
		struct buf b;
		buf_init(&b, sizeof(boundary) - 6);
		put_random_hex(&b, 12);
		if (!buf_failed(&b))
			memcpy(boundary + 5, b.data, b.len + 1);
		buf_free(&b);
		buf_printf(out, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", boundary);
		buf_printf(out, "--%s\r\n", boundary);
		put_part_headers(out, "text/plain");
		put_quoted_printable(out, msg->text);
		buf_printf(out, "--%s\r\n", boundary);
		put_part_headers(out, "text/html");
		put_quoted_printable(out, msg->html);
		buf_printf(out, "--%s--\r\n", boundary);
	}
	if (buf_failed(out)) {
		int rc = buf_failed(out);
		return set_err(err, errlen, rc, "the message does not fit in %zu bytes", MAIL_MAX_BYTES);
	}
	return 0;
}

struct upload {
	const char *data;
	size_t len, at;
};

static size_t read_message(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nmemb;
	if (n > u->len - u->at)
		n = u->len - u->at;
	memcpy(dst, u->data + u->at, n);
	u->at += n;
	return n;
}

int mail_send(const struct mail_config *cfg, const struct mail_message *msg, char *err, size_t errlen)
{
	if (!mail_enabled(cfg))
		return set_err(err, errlen, -EINVAL, "e-mail is off: set smtp_url (smtp:// or smtps://)");
	struct buf text;
	buf_init(&text, MAIL_MAX_BYTES);
	int rc = mail_format(cfg, msg, time(NULL), &text, err, errlen);
	if (rc) {
		buf_free(&text);
		return rc;
	}
	char sender[256], envelope_from[260], envelope_to[260];
	mail_envelope_from(cfg, sender, sizeof(sender));
	snprintf(envelope_from, sizeof(envelope_from), "<%s>", sender);
	snprintf(envelope_to, sizeof(envelope_to), "<%s>", msg->to);

	CURL *curl = curl_once() == 0 ? curl_easy_init() : NULL;
	struct curl_slist *rcpt = curl_slist_append(NULL, envelope_to);
	if (!curl || !rcpt) {
		curl_easy_cleanup(curl);
		curl_slist_free_all(rcpt);
		buf_free(&text);
		return set_err(err, errlen, -ENOMEM, "out of memory sending e-mail");
	}
	struct upload up = { text.data, text.len, 0 };
	char curl_err[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(curl, CURLOPT_URL, cfg->url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, cfg->timeout > 0 ? cfg->timeout : 30L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, cfg->timeout > 0 && cfg->timeout < 15 ? cfg->timeout : 15L);
	curl_easy_setopt(curl, CURLOPT_USE_SSL, cfg->starttls ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, envelope_from);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)text.len);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_message);
	curl_easy_setopt(curl, CURLOPT_READDATA, &up);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
	if (cfg->user && *cfg->user) {
		curl_easy_setopt(curl, CURLOPT_USERNAME, cfg->user);
		curl_easy_setopt(curl, CURLOPT_PASSWORD, cfg->password ? cfg->password : "");
	}
	CURLcode cc = curl_easy_perform(curl);
	rc = 0;
	if (cc != CURLE_OK) {
		long code = 0;
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
		char reply[32] = "";
		if (code)
			snprintf(reply, sizeof(reply), ", reply %ld", code);
		snprintf(err, errlen, "the SMTP server did not take the message (%s%s): %s", curl_easy_strerror(cc),
			 reply, curl_err[0] ? curl_err : "no detail");
		rc = -EIO;
	}
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(curl);
	buf_free(&text);
	return rc;
}
