/* scan/dates — see dates.h. A small hand-written scanner: items (a month
 * and year, a numeric month/year, a year, or a word for "now") separated by
 * a dash or "to" make a range. */
#include "scan/dates.h"

#include <stdlib.h>
#include <string.h>

enum { P_MONTH, P_YEAR, P_PRESENT };

struct item {
	int month; /* y*12+m */
	int prec;
	size_t start, end;
};

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int is_alpha(int c)
{
	c = lower(c);
	return c >= 'a' && c <= 'z';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Case-insensitive word w at s[i] (followed by a non-letter). */
static size_t word_at(const char *s, size_t len, size_t i, const char *w)
{
	size_t n = strlen(w);
	if (i + n > len)
		return 0;
	for (size_t k = 0; k < n; k++)
		if (lower((unsigned char)s[i + k]) != w[k])
			return 0;
	if (i + n < len && is_alpha((unsigned char)s[i + n]))
		return 0;
	return n;
}

static const char *const month_names[12][2] = {
	{ "january", "jan" },   { "february", "feb" }, { "march", "mar" },    { "april", "apr" },
	{ "may", "may" },       { "june", "jun" },     { "july", "jul" },     { "august", "aug" },
	{ "september", "sep" }, { "october", "oct" },  { "november", "nov" }, { "december", "dec" },
};

/* Digits at s[i]: their count (at most max) and value. */
static size_t digits(const char *s, size_t len, size_t i, size_t max, int *value)
{
	size_t n = 0;
	int v = 0;
	while (i + n < len && is_digit((unsigned char)s[i + n]) && n < max + 1) {
		v = v * 10 + (s[i + n] - '0');
		n++;
	}
	if (n > max)
		return 0;
	*value = v;
	return n;
}

static int year_ok(int y)
{
	return y >= 1950 && y <= 2100;
}

/* An item starting at s[i] (i at a word start), or 0. */
static size_t item_at(const char *s, size_t len, size_t i, struct item *it)
{
	int c = (unsigned char)s[i];
	if (is_alpha(c)) {
		static const char *const now_words[] = { "present", "current", "currently", "now", "today", "ongoing" };
		for (size_t k = 0; k < sizeof(now_words) / sizeof(now_words[0]); k++) {
			size_t n = word_at(s, len, i, now_words[k]);
			if (n) {
				*it = (struct item){ .prec = P_PRESENT, .start = i, .end = i + n };
				return n;
			}
		}
		if (word_at(s, len, i, "date") && i >= 3 && word_at(s, len, i - 3, "to")) {
			*it = (struct item){ .prec = P_PRESENT, .start = i, .end = i + 4 };
			return 4;
		}
		for (int m = 0; m < 12; m++) {
			size_t n = word_at(s, len, i, month_names[m][0]);
			if (!n)
				n = word_at(s, len, i, month_names[m][1]);
			if (!n && m == 8)
				n = word_at(s, len, i, "sept");
			if (!n)
				continue;
			size_t j = i + n;
			if (j < len && s[j] == '.')
				j++;
			while (j < len && (s[j] == ' ' || s[j] == ',' || s[j] == '\''))
				j++;
			int y;
			size_t d = digits(s, len, j, 4, &y);
			if (d == 4 && year_ok(y)) {
				*it = (struct item){ .month = y * 12 + m, .prec = P_MONTH, .start = i, .end = j + 4 };
				return j + 4 - i;
			}
			return 0;
		}
		return 0;
	}
	if (!is_digit(c))
		return 0;
	int a, b;
	size_t d = digits(s, len, i, 4, &a);
	if (d == 0)
		return 0;
	size_t j = i + d;
	/* MM/YYYY, MM.YYYY, MM-YYYY */
	if (d <= 2 && a >= 1 && a <= 12 && j < len && (s[j] == '/' || s[j] == '.' || s[j] == '-')) {
		size_t e = digits(s, len, j + 1, 4, &b);
		if (e == 4 && year_ok(b)) {
			*it = (struct item){ .month = b * 12 + a - 1, .prec = P_MONTH, .start = i, .end = j + 5 };
			return j + 5 - i;
		}
		return 0;
	}
	if (d != 4 || !year_ok(a))
		return 0;
	/* YYYY-MM or YYYY/MM (two digits, not a year) */
	if (j + 2 < len + 0 && (s[j] == '-' || s[j] == '/') && j + 1 < len) {
		size_t e = digits(s, len, j + 1, 2, &b);
		if (e == 2 && b >= 1 && b <= 12 && !(j + 3 < len && is_digit((unsigned char)s[j + 3]))) {
			*it = (struct item){ .month = a * 12 + b - 1, .prec = P_MONTH, .start = i, .end = j + 3 };
			return j + 3 - i;
		}
	}
	*it = (struct item){ .month = a * 12, .prec = P_YEAR, .start = i, .end = j };
	return d;
}

/* Is s[a..b) a range separator (spaces around a dash or "to")? */
static int separator(const char *s, size_t a, size_t b)
{
	while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == ','))
		a++;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
		b--;
	size_t n = b - a;
	if (n == 0)
		return 0;
	const char *p = s + a;
	if (n == 1 && (*p == '-' || *p == '~'))
		return 1;
	if (n == 2 && p[0] == '-' && p[1] == '-')
		return 1;
	if (n == 3 && (unsigned char)p[0] == 0xe2 && (unsigned char)p[1] == 0x80 &&
	    ((unsigned char)p[2] == 0x93 || (unsigned char)p[2] == 0x94 || (unsigned char)p[2] == 0x92))
		return 1;
	static const char *const words[] = { "to", "until", "till", "through", "thru" };
	for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if (n == strlen(words[k]) && word_at(s, b, a, words[k]))
			return 1;
	return 0;
}

/* The range from item a to item b, or 0 when it makes no sense. */
static int make_range(const struct item *a, const struct item *b, int now, struct date_range *out)
{
	int from = a->month, to;
	if (b->prec == P_PRESENT)
		to = now + 1;
	else if (b->prec == P_MONTH)
		to = b->month + 1;
	else
		to = b->month / 12 == from / 12 ? b->month + 12 : b->month;
	if (to > now + 1)
		to = now + 1;
	if (to <= from)
		return 0;
	*out = (struct date_range){ .from = from,
				    .to = to,
				    .present = b->prec == P_PRESENT,
				    .start = (uint32_t)a->start,
				    .end = (uint32_t)b->end };
	return 1;
}

int dates_find_split(const char *line1, size_t len1, const char *line2, size_t len2, int now, struct date_range *out)
{
	size_t i = 0, j = 0;
	while (i < len1 && (line1[i] == ' ' || line1[i] == '\t'))
		i++;
	while (j < len2 && (line2[j] == ' ' || line2[j] == '\t'))
		j++;
	struct item a, b;
	if (i >= len1 || j >= len2 || !item_at(line1, len1, i, &a) || a.prec == P_PRESENT ||
	    !item_at(line2, len2, j, &b))
		return 0;
	/* the separator right after the first date, then text or nothing */
	size_t k = a.end;
	while (k < len1 && (line1[k] == ' ' || line1[k] == '\t'))
		k++;
	size_t sep_end = k;
	if (sep_end < len1 && (line1[sep_end] == '-' || line1[sep_end] == '~'))
		sep_end++;
	else if (sep_end + 2 < len1 && (unsigned char)line1[sep_end] == 0xe2 &&
		 (unsigned char)line1[sep_end + 1] == 0x80)
		sep_end += 3;
	else if (sep_end + 1 < len1 && (line1[sep_end] | 0x20) == 't' && (line1[sep_end + 1] | 0x20) == 'o')
		sep_end += 2;
	if (sep_end == k || !separator(line1, a.end, sep_end))
		return 0;
	/* line1 must not hold the range's end itself */
	struct item c;
	size_t m = sep_end;
	while (m < len1 && line1[m] == ' ')
		m++;
	if (m < len1 && item_at(line1, len1, m, &c))
		return 0;
	return make_range(&a, &b, now, out);
}

size_t dates_find(const char *s, size_t len, int now, struct date_range *out, size_t max)
{
	struct item items[32];
	size_t ni = 0;
	for (size_t i = 0; i < len && ni < 32;) {
		int prev = i ? (unsigned char)s[i - 1] : ' ';
		if (!is_alpha(prev) && !is_digit(prev)) {
			size_t n = item_at(s, len, i, &items[ni]);
			if (n) {
				ni++;
				i += n;
				continue;
			}
		}
		i++;
	}
	size_t n = 0;
	for (size_t k = 0; k + 1 < ni && n < max; k++) {
		struct item *a = &items[k], *b = &items[k + 1];
		if (a->prec == P_PRESENT || !separator(s, a->end, b->start))
			continue;
		if (!make_range(a, b, now, &out[n]))
			continue;
		n++;
		k++;
	}
	return n;
}

static int range_cmp(const void *pa, const void *pb)
{
	const struct date_range *a = pa, *b = pb;
	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	return (a->to > b->to) - (a->to < b->to);
}

int dates_total_months(struct date_range *r, size_t n)
{
	if (n == 0)
		return 0;
	qsort(r, n, sizeof(*r), range_cmp);
	int total = 0, from = r[0].from, to = r[0].to;
	for (size_t i = 1; i < n; i++) {
		if (r[i].from <= to) {
			if (r[i].to > to)
				to = r[i].to;
			continue;
		}
		total += to - from;
		from = r[i].from;
		to = r[i].to;
	}
	return total + to - from;
}

int dates_month_of(time_t t)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 12 + tm.tm_mon;
}
