/* resume/plain — plain-text and Markdown resumes.
 *
 * Decoding: a byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE); without
 * one, valid UTF-8 is UTF-8 and anything else is read as Windows-1252 (a
 * superset of Latin-1 for printable text: what Windows editors save as
 * "ANSI", with its curly quotes and dashes at 0x80–0x9F).
 *
 * Markdown is kept as text with its markup taken off, so that a matcher
 * sees words and a reader sees the lines: "#" heading marks, emphasis
 * (** __ `), link syntax ([text](url) becomes "text (url)", an image its
 * alt text), rules (---), and pipe-table rows (cells joined by tabs). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/text.h"
#include "resume/internal.h"

static const uint16_t cp1252[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
	0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
	0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* Decodes data into UTF-8 in o (no normalising: Markdown is read first). */
static const char *decode(struct rx_out *o, const unsigned char *d, size_t len)
{
	if (len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0) {
		buf_append(&o->b, d + 3, len - 3);
		return "UTF-8";
	}
	if (len >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF))) {
		bool le = d[0] == 0xFF;
		for (size_t i = 2; i + 1 < len; i += 2) {
			uint32_t u = le ? (uint32_t)(d[i] | d[i + 1] << 8) : (uint32_t)(d[i] << 8 | d[i + 1]);
			if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
				uint32_t lo =
				    le ? (uint32_t)(d[i + 2] | d[i + 3] << 8) : (uint32_t)(d[i + 2] << 8 | d[i + 3]);
				if (lo >= 0xDC00 && lo <= 0xDFFF) {
					u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
					i += 2;
				}
			}
			if (u == 0)
				continue;
			if (u >= 0xD800 && u <= 0xDFFF)
				u = 0xFFFD; /* a lone surrogate */
			rx_encode_utf8(&o->b, u);
		}
		return le ? "UTF-16LE" : "UTF-16BE";
	}
	if (text_utf8_valid((const char *)d, len)) {
		buf_append(&o->b, d, len);
		return "UTF-8";
	}
	for (size_t i = 0; i < len; i++) {
		uint32_t u = d[i];
		if (u >= 0x80 && u < 0xA0)
			u = cp1252[u - 0x80] ? cp1252[u - 0x80] : 0xFFFD;
		rx_encode_utf8(&o->b, u);
	}
	return "Windows-1252";
}

static bool line_is_rule(const char *s, size_t n)
{
	size_t marks = 0;
	char m = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			continue;
		if (s[i] != '-' && s[i] != '*' && s[i] != '_' && s[i] != '=')
			return false;
		if (m && s[i] != m)
			return false;
		m = s[i];
		marks++;
	}
	return marks >= 3;
}

/* One Markdown line without its inline markup. */
static void put_inline(struct rx *x, struct rx_out *o, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		char c = s[i];
		if ((c == '*' || c == '_') && i + 1 < n && s[i + 1] == c) {
			i += 2; /* strong emphasis */
			continue;
		}
		if (c == '`') {
			i++;
			continue;
		}
		if (c == '*') {
			/* Emphasis; a lone " * " between words stays. */
			bool space_before = i == 0 || s[i - 1] == ' ', space_after = i + 1 == n || s[i + 1] == ' ';
			if (!(space_before && space_after && i > 0 && i + 1 < n)) {
				i++;
				continue;
			}
		}
		if (c == '!' && i + 1 < n && s[i + 1] == '[') {
			i++; /* an image: its alt text is what is left */
			continue;
		}
		if (c == '[') {
			const char *close = memchr(s + i, ']', n - i);
			if (close && close + 1 < s + n && close[1] == '(') {
				const char *end = memchr(close, ')', (size_t)(s + n - close));
				if (end) {
					put_inline(x, o, s + i + 1, (size_t)(close - s - i - 1));
					size_t ulen = (size_t)(end - close - 2);
					/* A mailto: or http link keeps its target: it may be
					 * the only place the e-mail or profile is written. */
					if (ulen > 0) {
						rx_put_str(o, " (");
						if (ulen > 7 && memcmp(close + 2, "mailto:", 7) == 0)
							rx_put_utf8(o, close + 9, ulen - 7);
						else
							rx_put_utf8(o, close + 2, ulen);
						rx_put_str(o, ")");
					}
					i = (size_t)(end - s) + 1;
					continue;
				}
			}
		}
		if (c == '\\' && i + 1 < n) {
			i++;
			c = s[i];
		}
		size_t k;
		uint32_t cp = rx_utf8_next(s + i, n - i, &k);
		rx_put_cp(o, cp);
		i += k;
	}
}

static void markdown(struct rx *x, const char *s, size_t len)
{
	struct rx_out *o = &x->body;
	size_t i = 0;
	bool fence = false;
	while (i < len) {
		size_t e = i;
		while (e < len && s[e] != '\n')
			e++;
		size_t n = e - i;
		const char *l = s + i;
		if (n && l[n - 1] == '\r')
			n--;
		size_t b = rx_skip_spaces(l, 0, n);
		if (n - b >= 3 && (memcmp(l + b, "```", 3) == 0 || memcmp(l + b, "~~~", 3) == 0)) {
			fence = !fence;
		} else if (fence) {
			rx_put_utf8(o, l, n);
			rx_put_cp(o, '\n');
		} else if (line_is_rule(l, n)) {
			rx_put_cp(o, '\n'); /* a rule or a setext underline: a break */
		} else if (n - b > 0 && l[b] == '|') {
			/* A pipe-table row; the |---| separator row is dropped. */
			bool sep = true;
			for (size_t k = b; k < n; k++)
				if (!strchr("|-: \t", l[k]))
					sep = false;
			x->facts->tables = true;
			if (!sep) {
				size_t k = b + 1, cell = 0;
				while (k < n) {
					size_t ce = k;
					while (ce < n && l[ce] != '|')
						ce++;
					size_t cb = rx_skip_spaces(l, k, ce), ct = ce;
					while (ct > cb && (l[ct - 1] == ' ' || l[ct - 1] == '\t'))
						ct--;
					if (ct > cb || ce < n) {
						if (cell++)
							rx_put_cp(o, '\t');
						put_inline(x, o, l + cb, ct - cb);
					}
					k = ce + 1;
				}
				rx_put_cp(o, '\n');
			}
		} else {
			size_t h = rx_heading_mark(l, n);
			size_t from = h ? rx_skip_spaces(l, h, n) : 0;
			size_t to = n;
			if (h) /* closing #s of "## Skills ##" */
				while (to > from && (l[to - 1] == '#' || l[to - 1] == ' '))
					to--;
			if (h && !rx_at_line_start(o))
				rx_put_cp(o, '\n');
			if (!h && n - b >= 2 && (l[b] == '-' || l[b] == '*' || l[b] == '+') && l[b + 1] == ' ') {
				rx_put_str(o, "- "); /* list items keep one marker */
				from = b + 2;
			} else if (!h && n - b >= 2 && l[b] == '>' && (l[b + 1] == ' ' || n - b == 1)) {
				from = b + 2;
			}
			put_inline(x, o, l + from, to - from);
			rx_put_cp(o, '\n');
		}
		i = e + 1;
	}
}

enum resume_error rx_plain(struct rx *x, const unsigned char *data, size_t len, bool md)
{
	struct rx_out raw;
	rx_out_init(&raw, x->lim.max_text * 2 + 16, NULL);
	x->facts->encoding = decode(&raw, data, len);
	if (buf_failed(&raw.b)) {
		buf_free(&raw.b);
		return rx_fail(x, RESUME_ERR_TOO_LARGE, "the text is longer than %zu bytes", x->lim.max_text);
	}
	const char *s = raw.b.data ? raw.b.data : "";
	size_t n = raw.b.len;
	/* UTF-16 was only known as text: look for Markdown after decoding. */
	if (!md && x->facts->encoding[3] == '1')
		md = rx_markdown_like((const unsigned char *)s, n);
	x->facts->type = md ? RESUME_TYPE_MARKDOWN : RESUME_TYPE_TEXT;
	if (md)
		markdown(x, s, n);
	else
		rx_put_utf8(&x->body, s, n);
	buf_free(&raw.b);
	return RESUME_OK;
}
