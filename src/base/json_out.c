#include "base/json_out.h"

#include <inttypes.h>
#include <string.h>

void json_out_stringn(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	buf_putc(b, '"');
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		size_t n = 0;
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			n = 2;
		} else if (c == '\n') {
			memcpy(esc, "\\n", 2);
			n = 2;
		} else if (c == '\r') {
			memcpy(esc, "\\r", 2);
			n = 2;
		} else if (c == '\t') {
			memcpy(esc, "\\t", 2);
			n = 2;
		} else if (c < 0x20 || c == 0x7f) {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		} else if (c == '<') {
			/* Keeps JSON safe to embed in HTML, at no cost to parsers. */
			memcpy(esc, "\\u003c", 6);
			n = 6;
		} else {
			continue;
		}
		buf_append(b, s + run, i - run);
		buf_append(b, esc, n);
		run = i + 1;
	}
	buf_append(b, s + run, len - run);
	buf_putc(b, '"');
}

void json_out_string(struct buf *b, const char *s)
{
	if (!s)
		buf_puts(b, "null");
	else
		json_out_stringn(b, s, strlen(s));
}

void json_out_key(struct buf *b, const char *key, int first)
{
	if (!first)
		buf_putc(b, ',');
	json_out_string(b, key);
	buf_putc(b, ':');
}

void json_out_int(struct buf *b, int64_t v)
{
	buf_printf(b, "%" PRId64, v);
}

void json_out_int_or_null(struct buf *b, int64_t v, int is_null)
{
	if (is_null)
		buf_puts(b, "null");
	else
		json_out_int(b, v);
}

void json_out_bool(struct buf *b, int v)
{
	buf_puts(b, v ? "true" : "false");
}
