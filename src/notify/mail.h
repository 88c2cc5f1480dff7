/* mail — sends one e-mail through the admin's SMTP server with libcurl.
 *
 * The admin configures it (base/config.h): smtp_url (smtp://HOST[:PORT] or
 * smtps://HOST[:PORT]; empty turns e-mail off), smtp_starttls (1: an
 * smtp:// session must upgrade to TLS or fail), smtp_from, smtp_user and
 * smtp_password (from the config file or JOBTRACK_SMTP_PASSWORD), and
 * smtp_timeout.
 *
 * A message is built here as RFC 5322 text: CRLF line endings, Date,
 * Message-ID, MIME-Version, a UTF-8 subject as RFC 2047 encoded words, the
 * body as quoted-printable UTF-8 (text/plain, plus text/html in a
 * multipart/alternative when given). Header values holding CR, LF or any
 * other control character are refused, so no caller can inject a header.
 * Dot-stuffing of the DATA phase is libcurl's job. The whole message is
 * bounded by MAIL_MAX_BYTES.
 *
 * Every function is safe to call from several threads at once (each
 * mail_send uses its own curl handle); libcurl initialises on the first
 * (base/curl_once.h). */
#ifndef JT_NOTIFY_MAIL_H
#define JT_NOTIFY_MAIL_H

#include <stddef.h>
#include <time.h>

#include "base/buf.h"
#include "base/config.h"

/* The largest message mail_format builds, headers and both bodies encoded. */
#define MAIL_MAX_BYTES   ((size_t)2 * 1024 * 1024)
/* The longest subject accepted, bytes of UTF-8 before encoding. */
#define MAIL_MAX_SUBJECT 400

/* Borrowed strings: they must outlive every call that takes the config. */
struct mail_config {
	const char *url;      /* smtp:// or smtps://; "" = e-mail is off */
	int starttls;         /* 1: smtp:// must switch to TLS (STARTTLS) or fail */
	const char *from;     /* "addr@example.com" or "Name <addr@example.com>", ASCII */
	const char *user;     /* "" = no SMTP AUTH */
	const char *password; /* with user */
	long timeout;         /* seconds for the whole exchange */
};

/* Borrowed strings, UTF-8. */
struct mail_message {
	const char *to;              /* one address, "addr@example.com" */
	const char *subject;         /* no control characters, ≤ MAIL_MAX_SUBJECT bytes */
	const char *text;            /* the text/plain body; LF or CRLF line ends */
	const char *html;            /* NULL or the text/html alternative (already escaped) */
	const char *unsubscribe_url; /* NULL or an http(s) URL: List-Unsubscribe */
};

/* Points out's fields at cfg's smtp_* settings (borrowed from cfg) and
 * checks them. Returns 0 (e-mail may still be off: mail_enabled says),
 * or -EINVAL with the reason in err, e.g. a URL of another scheme or a
 * password that would cross the network in clear text. */
int mail_config_from(const struct config *cfg, struct mail_config *out, char *err, size_t errlen);

/* 1 when an SMTP URL is configured. */
int mail_enabled(const struct mail_config *cfg);

/* Appends msg as an RFC 5322 message dated now to out. Returns 0, -EINVAL
 * (a header value with CR/LF or other control characters, an implausible
 * address, invalid UTF-8; the reason in err) or -E2BIG (over
 * MAIL_MAX_BYTES) or -ENOMEM. out may hold a partial message on error. */
int mail_format(const struct mail_config *cfg, const struct mail_message *msg, time_t now, struct buf *out, char *err,
		size_t errlen);

/* The envelope sender of cfg->from (the address inside <…> when it has a
 * display name) into out; 0, or -EINVAL when it is not a plausible address. */
int mail_envelope_from(const struct mail_config *cfg, char *out, size_t outlen);

/* Formats msg and hands it to the SMTP server. Returns 0 once the server
 * accepted it; -EINVAL for a message mail_format refuses or when e-mail is
 * off; -EIO when the server could not be reached or refused (libcurl's
 * reason in err, with the password never in it). Blocks up to
 * cfg->timeout seconds. */
int mail_send(const struct mail_config *cfg, const struct mail_message *msg, char *err, size_t errlen);

#endif
