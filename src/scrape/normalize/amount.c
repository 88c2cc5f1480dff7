/* amount — reading one number the way salaries write them, in any locale's
 * grouping, without strtod (whose decimal point depends on the locale) and
 * without guessing past what the digits show; also salary_parse_amount and
 * salary_parse_cents. */
#include <errno.h>
#include <string.h>

#include "scrape/normalize.h"
#include "scrape/normalize/internal.h"
#include "scrape/normalize/lex.h"

#define MAX_GROUPS  8
#define MAX_DIGITS  15 /* past this a double no longer holds every digit: not an amount */
#define MAX_DECIMAL 6  /* decimal digits that count; more are read and ignored */

struct group {
	const char *digits; /* first digit */
	size_t len;         /* digits in the group */
	char sep;           /* separator before it: '.', ',', ' ' (any space), '\'' */
};

static size_t digit_run(const char *s)
{
	size_t n = 0;
	while (lex_is_digit(s[n]))
		n++;
	return n;
}

/* The separator at s and its length: '.', ',', an apostrophe (ASCII or
 * U+2019, Swiss "100'000"), or one space that is not a line break. */
static size_t separator_at(const char *s, char *kind)
{
	if (*s == '.' || *s == ',' || *s == '\'') {
		*kind = *s;
		return 1;
	}
	if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x99) {
		*kind = '\'';
		return 3;
	}
	if (*s == '\n' || *s == '\r')
		return 0;
	size_t n = lex_space_len(s);
	*kind = ' ';
	return n;
}

/* True when the groups after the first, up to (not including) end, are
 * thousands groups of one kind: three digits each, or Indian lakh grouping
 * ("12,34,567": pairs, then three) with commas. */
static bool thousands_ok(const struct group *g, size_t end)
{
	if (end < 2)
		return true;
	char kind = g[1].sep;
	bool indian = kind == ',' && g[0].len <= 2 && g[end - 1].len == 3 && end >= 3;
	if (g[0].len > 3)
		return false;
	for (size_t i = 1; i < end; i++) {
		if (g[i].sep != kind)
			return false;
		if (g[i].len == 3)
			continue;
		if (!(indian && g[i].len == 2 && i < end - 1))
			return false;
	}
	return true;
}

static const struct {
	const char *phrase;
	double multiplier;
	enum salary_period period;
} suffixes[] = {
	{ "k", 1e3, 0 },         { "tsd.", 1e3, 0 },    { "tsd", 1e3, 0 },
	{ "thousand", 1e3, 0 },  { "grand", 1e3, 0 },   { "m", 1e6, 0 },
	{ "mm", 1e6, 0 },        { "mio.", 1e6, 0 },    { "mio", 1e6, 0 },
	{ "mln", 1e6, 0 },       { "million", 1e6, 0 }, { "millions", 1e6, 0 },
	{ "millionen", 1e6, 0 }, { "lakh", 1e5, 0 },    { "lakhs", 1e5, 0 },
	{ "lac", 1e5, 0 },       { "lacs", 1e5, 0 },    { "crore", 1e7, 0 },
	{ "crores", 1e7, 0 },    { "cr", 1e7, 0 },      { "lpa", 1e5, SALARY_PERIOD_YEAR },
};

/* The suffix at s, with at most one space before it. */
static size_t suffix_at(const char *s, struct amount *out)
{
	size_t space = (*s == '\n' || *s == '\r') ? 0 : lex_space_len(s);
	size_t best = 0, which = 0;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t n = lex_phrase_at(s + space, suffixes[i].phrase);
		if (n > best) {
			best = n;
			which = i;
		}
	}
	if (!best)
		return 0;
	out->multiplier = suffixes[which].multiplier;
	out->implied_period = suffixes[which].period;
	out->spaced_suffix = space > 0;
	return space + best;
}

size_t amount_read(const char *s, struct amount *out)
{
	memset(out, 0, sizeof(*out));
	out->multiplier = 1;
	if (!lex_is_digit(*s))
		return 0;
	struct group g[MAX_GROUPS];
	size_t ng = 0;
	const char *p = s;
	g[ng++] = (struct group){ p, digit_run(p), 0 };
	p += g[0].len;
	while (ng < MAX_GROUPS) {
		char kind;
		size_t sl = separator_at(p, &kind);
		if (!sl)
			break;
		size_t d = digit_run(p + sl);
		/* Spaces and apostrophes only ever group thousands. */
		if (!d || ((kind == ' ' || kind == '\'') && d != 3))
			break;
		g[ng++] = (struct group){ p + sl, d, kind };
		p += sl + d;
	}
	char kind;
	size_t sl;
	if (ng == MAX_GROUPS && (sl = separator_at(p, &kind)) > 0 && lex_is_digit(p[sl])) {
		/* More groups than any amount has ("1.2.3.4.5.6.7.8.9"): no amount. */
		while (lex_is_digit(*p) || *p == '.' || *p == ',')
			p++;
		return (size_t)(p - s);
	}

	/* Is the last group a decimal part? */
	size_t int_groups = ng;
	bool decimal = false;
	if (ng >= 2) {
		char last = g[ng - 1].sep;
		bool other_kind_before = false;
		for (size_t i = 1; i + 1 < ng; i++)
			other_kind_before |= g[i].sep != last;
		if ((last == '.' || last == ',') && (other_kind_before || g[ng - 1].len != 3)) {
			decimal = true;
			int_groups = ng - 1;
		}
	}
	if (!thousands_ok(g, int_groups) || (decimal && int_groups >= 2 && g[int_groups - 1].sep == g[ng - 1].sep)) {
		/* "1.234.56", "12,3456": no grouping we know; the first run stands alone. */
		ng = 1;
		int_groups = 1;
		decimal = false;
		p = g[0].digits + g[0].len;
	}

	double v = 0;
	size_t digits = 0;
	for (size_t i = 0; i < int_groups; i++)
		for (size_t k = 0; k < g[i].len; k++, digits++)
			v = v * 10 + (g[i].digits[k] - '0');
	out->valid = digits <= MAX_DIGITS;
	if (decimal) {
		double scale = 0.1;
		for (size_t k = 0; k < g[ng - 1].len && k < MAX_DECIMAL; k++, scale /= 10)
			v += (g[ng - 1].digits[k] - '0') * scale;
	}
	out->grouped = ng > 1;
	p += suffix_at(p, out);
	out->value = v * out->multiplier;
	return (size_t)(p - s);
}

int salary_parse_amount(const char *text, double *out)
{
	if (!text)
		return -EINVAL;
	char code[4];
	size_t used;
	const char *p = lex_skip_spaces(text);
	if (currency_parse(p, code, &used) == 0)
		p = lex_skip_spaces(p + used);
	struct amount a;
	size_t n = amount_read(p, &a);
	if (!n || !a.valid)
		return -EINVAL;
	p = lex_skip_spaces(p + n);
	if (currency_parse(p, code, &used) == 0)
		p = lex_skip_spaces(p + used);
	if (*p)
		return -EINVAL;
	*out = a.value;
	return 0;
}

/* Past this many cents a figure is no pay, whatever the currency (1e10
 * units, where salary text stops too). */
#define CENTS_MAX 1e12

int salary_parse_cents(const char *text, double *out)
{
	if (!text)
		return -EINVAL;
	const char *p = lex_skip_spaces(text);
	struct amount a;
	size_t n = amount_read(p, &a);
	/* A suffix ("12k cents") or a fraction of a cent is not how cents are written. */
	if (!n || !a.valid || a.multiplier != 1 || a.value != (double)(long long)a.value || a.value >= CENTS_MAX)
		return -EINVAL;
	if (*lex_skip_spaces(p + n))
		return -EINVAL;
	*out = a.value / 100;
	return 0;
}
