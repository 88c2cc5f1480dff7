#include "base/url_mask.h"

#include <ctype.h>
#include <string.h>

#include "base/buf.h"

#define MASK "********"

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* 1 when the query parameter name [name, name + len) may hold a password:
 * it decodes to something containing "password" (any case), or it does
 * not decode at all. */
static int secret_name(const char *name, size_t len)
{
	char decoded[64];
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (c == '%') {
			int hi = i + 2 < len ? hex_value(name[i + 1]) : -1;
			int lo = i + 2 < len ? hex_value(name[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return 1;
			c = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+') {
			c = ' ';
		}
		if (n + 1 >= sizeof(decoded))
			return 1; /* longer than any keyword libpq knows: rather masked */
		decoded[n++] = (char)tolower((unsigned char)c);
	}
	decoded[n] = '\0';
	return strstr(decoded, "password") != NULL;
}

/* The query: name=value pairs joined by '&'; a secret name's value masked. */
static void mask_query(struct buf *b, const char *q)
{
	while (*q) {
		size_t len = strcspn(q, "&");
		const char *eq = memchr(q, '=', len);
		if (eq && secret_name(q, (size_t)(eq - q)))
			buf_printf(b, "%.*s=" MASK, (int)(eq - q), q);
		else if (!eq && secret_name(q, len))
			buf_puts(b, MASK);
		else
			buf_printf(b, "%.*s", (int)len, q);
		q += len;
		if (*q == '&')
			buf_putc(b, *q++);
	}
}

void url_mask(const char *url, char *out, size_t outlen)
{
	if (outlen == 0)
		return;
	struct buf b;
	buf_init(&b, outlen - 1);
	const char *scheme_end = strstr(url, "://");
	const char *p = url;
	if (scheme_end) {
		/* As libpq reads it: the user-info ends at the first '@' before
		 * any '/', and its password starts after the first ':'. */
		const char *auth = scheme_end + 3;
		size_t span = strcspn(auth, "@/");
		buf_printf(&b, "%.*s", (int)(auth - url), url);
		p = auth;
		if (auth[span] == '@') {
			const char *colon = memchr(auth, ':', span);
			if (colon)
				buf_printf(&b, "%.*s:" MASK "@", (int)(colon - auth), auth);
			else
				buf_printf(&b, "%.*s@", (int)span, auth);
			p = auth + span + 1;
		}
	}
	const char *query = strchr(p, '?');
	if (query) {
		buf_printf(&b, "%.*s", (int)(query + 1 - p), p);
		mask_query(&b, query + 1);
	} else {
		buf_puts(&b, p);
	}
	/* Cut short by the bound, what was kept is a prefix of the masked
	 * text: never a piece of a password. */
	size_t n = b.data ? b.len : 0;
	if (n)
		memcpy(out, b.data, n);
	out[n] = '\0';
	buf_free(&b);
}
