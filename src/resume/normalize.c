/* resume/normalize — the one writer every format reader goes through, so
 * that PDF, DOCX and text all come out with the same characters: what a
 * matcher compares and a user sees highlighted. */
#include <stdint.h>
#include <string.h>

#include "base/text.h"
#include "resume/internal.h"

void rx_out_init(struct rx_out *o, size_t max, int *icon_glyphs)
{
	buf_init(&o->b, max);
	o->icon_glyphs = icon_glyphs;
	o->last = '\n';
}

void rx_encode_utf8(struct buf *b, uint32_t cp)
{
	char u[4];
	buf_append(b, u, text_utf8_put(cp, u));
}

static void put_raw(struct rx_out *o, uint32_t cp)
{
	rx_encode_utf8(&o->b, cp);
	o->last = cp;
}

static bool private_use(uint32_t cp)
{
	return (cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000;
}

void rx_put_cp(struct rx_out *o, uint32_t cp)
{
	static const char *const lig[] = { "ff", "fi", "fl", "ffi", "ffl", "st", "st" };
	if (cp >= 0xFB00 && cp <= 0xFB06) {
		for (const char *p = lig[cp - 0xFB00]; *p; p++)
			put_raw(o, (unsigned char)*p);
		return;
	}
	if (cp == '\r') {
		put_raw(o, '\n');
		o->last = '\r';
		return;
	}
	if (cp == '\n' && o->last == '\r') {
		o->last = '\n';
		return; /* the LF of a CR LF */
	}
	if (cp == 0x2028 || cp == 0x2029 || cp == '\f' || cp == '\v') {
		put_raw(o, '\n');
		return;
	}
	if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F || cp == 0x3000) {
		put_raw(o, ' ');
		return;
	}
	if (cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) || cp == 0x2060 || cp == 0xFEFF)
		return; /* soft hyphen, zero-width and direction marks */
	if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
		return;
	if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
		put_raw(o, 0xFFFD);
		return;
	}
	if (private_use(cp)) {
		/* Icon fonts (phone, envelope, LinkedIn logos) map their glyphs
		 * here: no reader can make sense of them. */
		if (o->icon_glyphs)
			(*o->icon_glyphs)++;
		if (o->last != ' ' && o->last != '\n')
			put_raw(o, ' ');
		return;
	}
	put_raw(o, cp);
}

uint32_t rx_utf8_next(const char *s, size_t len, size_t *n)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;
	size_t need;
	if (u[0] < 0x80) {
		*n = 1;
		return u[0];
	}
	if (u[0] >= 0xC2 && u[0] <= 0xDF) {
		cp = u[0] & 0x1F;
		need = 1;
	} else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
		cp = u[0] & 0x0F;
		need = 2;
	} else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
		cp = u[0] & 0x07;
		need = 3;
	} else {
		*n = 1;
		return 0xFFFD;
	}
	if (len < need + 1) {
		*n = 1;
		return 0xFFFD;
	}
	for (size_t i = 1; i <= need; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*n = 1;
			return 0xFFFD;
		}
		cp = (cp << 6) | (u[i] & 0x3F);
	}
	/* Overlong forms and surrogates are invalid. */
	if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF)) {
		*n = 1;
		return 0xFFFD;
	}
	*n = need + 1;
	return cp;
}

void rx_put_utf8(struct rx_out *o, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		size_t n;
		uint32_t cp = rx_utf8_next(s + i, len - i, &n);
		rx_put_cp(o, cp);
		i += n;
	}
}

void rx_put_str(struct rx_out *o, const char *s)
{
	rx_put_utf8(o, s, strlen(s));
}

bool rx_at_line_start(const struct rx_out *o)
{
	return o->b.len == 0 || o->b.data[o->b.len - 1] == '\n';
}

char *rx_tidy(const struct rx_out *o, struct arena *a, size_t *len)
{
	const char *s = o->b.data ? o->b.data : "";
	size_t n = o->b.len;
	char *out = arena_alloc_raw(a, n + 1);
	if (!out)
		return NULL;
	size_t w = 0;
	int pending_newlines = 0; /* newlines held back until text follows */
	size_t i = 0;
	while (i < n) {
		size_t e = i;
		while (e < n && s[e] != '\n')
			e++;
		size_t b = i;
		size_t t = e;
		while (t > b && (s[t - 1] == ' ' || s[t - 1] == '\t'))
			t--;
		bool blank = true;
		for (size_t k = b; k < t; k++)
			if (s[k] != ' ' && s[k] != '\t') {
				blank = false;
				break;
			}
		if (blank) {
			if (w > 0 && pending_newlines < 2)
				pending_newlines++;
		} else {
			for (int k = 0; k < pending_newlines; k++)
				out[w++] = '\n';
			/* Runs of spaces are one space, none beside a tab, and
			 * lines start with their text: alignment by spaces says
			 * nothing here. */
			while (b < t && s[b] == ' ')
				b++;
			for (size_t k = b; k < t; k++) {
				if (s[k] == ' ' && (s[k - 1] == ' ' || s[k - 1] == '\t' || s[k + 1] == '\t'))
					continue; /* k > b: b is not a space; k < t: t - 1 is not */
				out[w++] = s[k];
			}
			pending_newlines = 1;
		}
		i = e + 1;
	}
	out[w] = '\0';
	*len = w;
	return out;
}

size_t rx_count_words(const char *s, size_t len)
{
	size_t words = 0;
	bool in = false;
	for (size_t i = 0; i < len; i++) {
		bool space = s[i] == ' ' || s[i] == '\t' || s[i] == '\n';
		if (!space && !in)
			words++;
		in = !space;
	}
	return words;
}
