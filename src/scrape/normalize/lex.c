/* lex — Unicode spaces and dashes, word boundaries, phrase matching and key
 * folding for the normalisers (see lex.h); also normalize_text_ws. */
#include "scrape/normalize/lex.h"

#include <assert.h>
#include <string.h>

#include "scrape/normalize.h"

size_t lex_decode(const char *s, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] == 0) {
		*cp = 0;
		return 0;
	}
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	size_t n;
	unsigned v, min;
	if ((u[0] & 0xE0) == 0xC0) {
		n = 2, v = u[0] & 0x1F, min = 0x80;
	} else if ((u[0] & 0xF0) == 0xE0) {
		n = 3, v = u[0] & 0x0F, min = 0x800;
	} else if ((u[0] & 0xF8) == 0xF0) {
		n = 4, v = u[0] & 0x07, min = 0x10000;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	/* Each continuation byte is checked before the next is read, so a NUL
	 * (never a continuation byte) stops the walk. */
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		v = v << 6 | (u[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = v;
	return n;
}

size_t lex_space_len(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v')
		return 1;
	if ((unsigned char)*s < 0x80)
		return 0;
	unsigned cp;
	size_t n = lex_decode(s, &cp);
	if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F || cp == 0x3000)
		return n;
	return 0;
}

const char *lex_skip_spaces(const char *s)
{
	size_t n;
	while ((n = lex_space_len(s)) > 0)
		s += n;
	return s;
}

size_t lex_dash_len(const char *s)
{
	if (*s == '-' || *s == '~')
		return 1;
	if ((unsigned char)*s < 0x80)
		return 0;
	unsigned cp;
	size_t n = lex_decode(s, &cp);
	if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0x301C)
		return n;
	return 0;
}

static bool cp_is_word(unsigned cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
	if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7 || cp == 0xFFFD)
		return false; /* Latin-1 symbols (NBSP, £, ¥, §…), × and ÷ */
	if (cp >= 0x2000 && cp <= 0x2BFF)
		return false; /* punctuation, super/subscripts, currency, arrows, maths, shapes */
	if (cp >= 0x3000 && cp <= 0x303F)
		return false; /* CJK punctuation */
	if (cp >= 0xFE30 && cp <= 0xFE6F)
		return false;
	if (cp >= 0xFF00 && cp <= 0xFF0F)
		return false; /* full-width punctuation */
	if ((cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1F000 && cp <= 0x1FAFF))
		return false; /* variation selectors; emoji, flags ("🇺🇸 USA") */
	return true;
}

bool lex_word_char_at(const char *s)
{
	unsigned cp;
	return lex_decode(s, &cp) > 0 && cp_is_word(cp);
}

bool lex_boundary_before(const char *start, const char *p)
{
	assert(p >= start);
	if (p == start)
		return true;
	/* Back over at most three continuation bytes to the character's lead. */
	const char *q = p - 1;
	for (int i = 0; i < 3 && q > start && ((unsigned char)*q & 0xC0) == 0x80; i++)
		q--;
	unsigned cp;
	size_t n = lex_decode(q, &cp);
	if (q + n != p) /* not a whole character: a stray byte, never a letter */
		return true;
	return !cp_is_word(cp);
}

static size_t separator_run(const char *s)
{
	size_t total = 0, n;
	for (;;) {
		if (s[total] == '-' || s[total] == '_')
			n = 1;
		else
			n = lex_space_len(s + total);
		if (!n)
			return total;
		total += n;
	}
}

size_t lex_phrase_at(const char *s, const char *phrase)
{
	const char *p = s;
	for (const char *q = phrase; *q; q++) {
		if (*q == ' ') {
			size_t n = separator_run(p);
			if (!n)
				return 0;
			p += n;
		} else if (*q == '/') {
			p = lex_skip_spaces(p);
			if (*p != '/')
				return 0;
			p = lex_skip_spaces(p + 1);
		} else {
			if (lex_lower(*p) != *q)
				return 0; /* also stops at the NUL: no phrase holds one */
			p++;
		}
	}
	/* "year" must not match the start of "years"; "p.a." may touch anything. */
	size_t len = strlen(phrase);
	if (len && !lex_boundary_before(phrase, phrase + len) && lex_word_char_at(p))
		return 0;
	return (size_t)(p - s);
}

size_t lex_longest_phrase_at(const char *s, const char *const *phrases, size_t count, size_t *index)
{
	size_t best = 0;
	for (size_t i = 0; i < count; i++) {
		size_t n = lex_phrase_at(s, phrases[i]);
		if (n > best) {
			best = n;
			*index = i;
		}
	}
	return best;
}

/* Base letters of U+00C0–U+00FF and U+0100–U+017F; '*' marks a symbol. */
static const char latin1_base[] = "aaaaaaaceeeeiiiidnooooo*ouuuuytsaaaaaaaceeeeiiiidnooooo*ouuuuyty";
static const char latin_ext_a_base[] = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiijjjjkkkllllllllll"
				       "nnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/* The ASCII letter a Latin character folds to, or 0. */
static char latin_base(unsigned cp)
{
	static_assert(sizeof(latin1_base) == 64 + 1, "one base per code point U+00C0–U+00FF");
	static_assert(sizeof(latin_ext_a_base) == 128 + 1, "one base per code point U+0100–U+017F");
	if (cp >= 0xC0 && cp <= 0xFF)
		return latin1_base[cp - 0xC0] == '*' ? 0 : latin1_base[cp - 0xC0];
	if (cp >= 0x100 && cp <= 0x17F)
		return latin_ext_a_base[cp - 0x100];
	if (cp == 0x218 || cp == 0x219)
		return 's'; /* Ș ș (Romanian) */
	if (cp == 0x21A || cp == 0x21B)
		return 't'; /* Ț ț */
	return 0;
}

static bool is_upper_ascii(char c)
{
	return c >= 'A' && c <= 'Z';
}

size_t lex_fold(const char *s, size_t n, bool split_camel, char *out, size_t cap)
{
	assert(cap > 0);
	size_t len = 0, i = 0;
	bool pending_space = false, prev_lower = false;
	out[0] = '\0';
	while (i < n && s[i]) {
		unsigned cp;
		size_t k = lex_decode(s + i, &cp);
		if (i + k > n)
			break; /* a character cut by n is left out */
		const char *add = NULL;
		char one[2] = { 0, 0 };
		bool upper = false;
		if (cp == '.' || cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0xB4 || cp == '`') {
			i += k;
			continue; /* dropped: "U.S." → "us", "d'Ivoire" → "divoire" */
		}
		if (cp == '&') {
			add = "and";
			pending_space = true;
		} else if (cp < 0x80 && cp_is_word(cp)) {
			upper = is_upper_ascii((char)cp);
			one[0] = lex_lower((char)cp);
			add = one;
		} else if ((one[0] = latin_base(cp)) != 0) {
			add = one;
		} else if (cp_is_word(cp)) {
			add = NULL; /* another script: kept as written, below */
		} else {
			pending_space = len > 0;
			prev_lower = false;
			i += k;
			continue;
		}
		if (split_camel && upper && prev_lower)
			pending_space = true;
		size_t need = (add ? strlen(add) : k) + (pending_space && len ? 1 : 0);
		if (len + need + 1 > cap) {
			out[0] = '\0';
			return 0;
		}
		if (pending_space && len)
			out[len++] = ' ';
		if (add) {
			memcpy(out + len, add, strlen(add));
			len += strlen(add);
		} else {
			memcpy(out + len, s + i, k);
			len += k;
		}
		pending_space = cp == '&';
		prev_lower = cp >= 'a' && cp <= 'z';
		i += k;
	}
	out[len] = '\0';
	return len;
}

bool lex_key_has(const char *key, const char *phrase)
{
	for (const char *p = key; *p; p++)
		if (lex_boundary_before(key, p) && lex_phrase_at(p, phrase))
			return true;
	return false;
}

size_t normalize_text_ws(char *s)
{
	char *w = s;
	const char *r = s;
	bool space = false;
	while (*r) {
		size_t n = lex_space_len(r);
		if (n) {
			space = w > s;
			r += n;
			continue;
		}
		if (space)
			*w++ = ' ';
		space = false;
		*w++ = *r++; /* w never passes r: a space of n bytes writes at most 1 */
	}
	*w = '\0';
	return (size_t)(w - s);
}
