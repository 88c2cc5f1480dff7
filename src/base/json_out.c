#include "base/json_out.h"

#include <inttypes.h>
#include <string.h>

/* 1 for bytes that must be escaped: controls, '"', '\\', DEL, and '<'. */
static const unsigned char needs_escape[256] = {
	[0 ... 31] = 1, ['"'] = 1, ['\\'] = 1, ['<'] = 1, [127] = 1,
};

/* Nonzero when one of w's eight bytes needs escaping (a byte below 0x20,
 * '"', '\\', '<' or DEL), all five tests at once: most strings have none,
 * and a byte-by-byte table walk was a fifth of a whole listing's
 * instructions. Exact about whether such a byte is there, not which: a word
 * that has one is walked byte by byte. ~w drops bytes >= 0x80 (UTF-8, never
 * escaped); for the equality tests ~w and ~(w ^ c) agree on the high bit,
 * every c being below 0x80. */
static inline uint64_t word_needs_escape(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull;
	uint64_t quote = w ^ (ones * '"'), slash = w ^ (ones * '\\'), lt = w ^ (ones * '<'), del = w ^ (ones * 127);
	return ((w - ones * 0x20) | (quote - ones) | (slash - ones) | (lt - ones) | (del - ones)) & ~w & (ones * 0x80);
}

void json_out_stringn(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	/* Room for the whole string unescaped and both quotes (and the NUL):
	 * checked here first, as most strings fit, then by the call. */
	int room = !b->error && len + 2 < b->cap - b->len && len + 2 <= b->max - b->len;
	if (!room && buf_reserve(b, len + 2))
		return;
	/* The clean prefix is copied as it is scanned, a word at a time. */
	char *d = b->data + b->len + 1;
	d[-1] = '"';
	size_t run = 0;
	for (; run + 8 <= len; run += 8) {
		uint64_t w;
		memcpy(&w, s + run, 8);
		if (word_needs_escape(w))
			break;
		memcpy(d + run, &w, 8);
	}
	for (; run < len && !needs_escape[(unsigned char)s[run]]; run++)
		d[run] = s[run];
	b->len += run + 1;
	if (run == len) {
		b->data[b->len++] = '"';
		b->data[b->len] = '\0';
		return;
	}
	for (size_t i = run; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!needs_escape[c])
			continue;
		char esc[6] = { '\\', (char)c };
		size_t n = 2;
		if (c == '\n')
			esc[1] = 'n';
		else if (c == '\r')
			esc[1] = 'r';
		else if (c == '\t')
			esc[1] = 't';
		else if (c != '"' && c != '\\') {
			/* '<' too: keeps JSON safe to embed in HTML, at no cost to parsers. */
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
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
	/* Keys are our own identifiers: nothing to escape. */
	if (!first)
		buf_putc(b, ',');
	buf_putc(b, '"');
	buf_puts(b, key);
	buf_append(b, "\":", 2);
}

void json_out_int(struct buf *b, int64_t v)
{
	/* Hand-rolled: printf's locale machinery showed up in profiles. */
	char tmp[24];
	size_t n = sizeof(tmp);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		tmp[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[--n] = '-';
	buf_append(b, tmp + n, sizeof(tmp) - n);
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
