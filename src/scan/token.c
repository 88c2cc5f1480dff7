/* scan/token — see token.h for the rules. One pass over the bytes; the
 * lower-case copy is made once so no token needs an allocation of its own. */
#include "scan/token.h"

#include <string.h>

#include "base/arena.h"

/* Decodes the UTF-8 sequence at s (at most n bytes): its code point and
 * length; an invalid byte is U+FFFD of length 1. */
static uint32_t decode(const unsigned char *s, size_t n, size_t *len)
{
	unsigned c = s[0];
	size_t need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
	if (need == 0 || need > n) {
		*len = 1;
		return 0xfffd;
	}
	uint32_t cp = c & (0x3fu >> (need - 1));
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*len = 1;
			return 0xfffd;
		}
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	*len = need;
	return cp;
}

/* Is the code point a letter or digit for our purposes? Latin-1
 * punctuation, general punctuation, symbols, arrows, box drawing, shapes,
 * dingbats and the private-use area (icon fonts in resumes) are not. */
static int cp_is_word(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
	if (cp == 0xfffd || (cp >= 0x80 && cp <= 0xbf) || cp == 0xd7 || cp == 0xf7)
		return 0;
	if ((cp >= 0x2000 && cp <= 0x2bff) || (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xe000 && cp <= 0xf8ff) ||
	    (cp >= 0xfe00 && cp <= 0xfe0f) || cp >= 0x1f000)
		return 0;
	return 1;
}

/* Word-character length at text[i] (0 when not a word character). */
static size_t word_at(const char *text, size_t len, size_t i)
{
	unsigned char c = (unsigned char)text[i];
	if (c < 0x80) {
		return ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) ? 1 : 0;
	}
	size_t n;
	uint32_t cp = decode((const unsigned char *)text + i, len - i, &n);
	return cp_is_word(cp) ? n : 0;
}

static int is_alnum(char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* An apostrophe (ASCII or U+2019) at text[i]: its length, else 0. */
static size_t apostrophe_at(const char *text, size_t len, size_t i)
{
	if (text[i] == '\'')
		return 1;
	if (i + 2 < len && (unsigned char)text[i] == 0xe2 && (unsigned char)text[i + 1] == 0x80 &&
	    (unsigned char)text[i + 2] == 0x99)
		return 3;
	return 0;
}

int scan_tokenize(struct arena *a, const char *text, size_t len, struct scan_tokens *out)
{
	memset(out, 0, sizeof(*out));
	char *lower = arena_alloc_raw(a, len + 1);
	/* About one token per six bytes of prose; grown (copied) when the
	 * text is denser. */
	size_t cap = len / 6 + 16;
	struct scan_token *v = arena_alloc_raw(a, cap * sizeof(*v));
	if (!lower || !v)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		lower[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	lower[len] = '\0';
	size_t n = 0;
	uint32_t line = 0;
	int brk = 1, line_start = 1, sent_start = 1;
	size_t i = 0;
	while (i < len) {
		char c = text[i];
		size_t w = word_at(text, len, i);
		int dot_start = c == '.' && i + 1 < len && (text[i + 1] | 0x20) >= 'a' && (text[i + 1] | 0x20) <= 'z' &&
				(i == 0 || !is_alnum(text[i - 1]));
		if (!w && !dot_start) {
			if (c == '\n') {
				line++;
				brk = line_start = sent_start = 1;
			} else if (c == '.' || c == '!' || c == '?') {
				brk = sent_start = 1;
			} else if (c != ' ' && c != '\t' && c != '-' && c != '/' && c != '\r' &&
				   !((unsigned char)c == 0xc2 && i + 1 < len && (unsigned char)text[i + 1] == 0xa0)) {
				brk = 1; /* (a no-break space is a space) */
			}
			if ((unsigned char)c >= 0x80) {
				size_t skip;
				(void)decode((const unsigned char *)text + i, len - i, &skip);
				i += skip;
			} else {
				i++;
			}
			continue;
		}
		size_t start = i;
		i += dot_start ? 1 : 0;
		int all_digits = 1;
		for (;;) {
			size_t k;
			while (i < len && (k = word_at(text, len, i)) > 0) {
				if (k > 1 || text[i] < '0' || text[i] > '9')
					all_digits = 0;
				i += k;
			}
			/* '.' or '&' between two letters or digits stays inside. */
			if (i + 1 < len && (text[i] == '.' || text[i] == '&') && is_alnum(text[i - 1]) &&
			    is_alnum(text[i + 1])) {
				all_digits = all_digits && text[i] == '.';
				i++;
				continue;
			}
			break;
		}
		size_t end = i;
		if (i < len && text[i] == '+') {
			while (i < len && text[i] == '+' && i - end < 2)
				i++;
			end = i;
			all_digits = 0;
		} else if (i < len && text[i] == '#' && (i + 1 >= len || !is_alnum(text[i + 1]))) {
			end = ++i;
			all_digits = 0;
		} else {
			size_t ap = i < len ? apostrophe_at(text, len, i) : 0;
			if (ap && i + ap < len && (text[i + ap] | 0x20) == 's' &&
			    (i + ap + 1 >= len || !word_at(text, len, i + ap + 1)))
				i += ap + 1; /* possessive: dropped */
		}
		if (n == cap) {
			struct scan_token *more = arena_alloc_raw(a, cap * 2 * sizeof(*more));
			if (!more)
				return -1;
			memcpy(more, v, n * sizeof(*v));
			v = more;
			cap *= 2;
		}
		struct scan_token *t = &v[n++];
		t->start = (uint32_t)start;
		t->len = (uint32_t)(end - start);
		t->line = line;
		t->id = 0;
		t->hash = scan_hash(lower + start, end - start);
		t->flags = (uint8_t)((brk ? TOK_BREAK : 0) | (line_start ? TOK_LINE_START : 0) |
				     (sent_start ? TOK_SENT_START : 0) | (c >= 'A' && c <= 'Z' ? TOK_UPPER : 0) |
				     (all_digits && !dot_start ? TOK_DIGIT : 0));
		brk = line_start = sent_start = 0;
	}
	out->text = text;
	out->lower = lower;
	out->text_len = len;
	out->v = v;
	out->n = n;
	out->lines = line + 1;
	return 0;
}
