/* date — any date a source writes, as the calendar day in UTC: ISO 8601 and
 * its loose cousins, "YYYY-MM-DD HH:MM:SS UTC", RFC 822/1123, month-name
 * dates, epoch seconds or milliseconds, and relative text ("Posted 3 days
 * ago", "30+ Days Ago", "Yesterday").
 *
 * Rules:
 * - Only years 1990–2100 and real calendar days (no 2026-02-30).
 * - A time with a zone or offset is moved to UTC before its day is taken
 *   ("2026-09-24T22:00:00-04:00" is 2026-09-25); a time without one is UTC.
 * - D/M/Y against M/D/Y: "18/09/2026" and "09/18/2026" are read; when both
 *   fields are 12 or less ("01/02/2026") the date is not known, except with
 *   dots ("01.02.2026"), which only Europe writes, day first.
 * - Eight digits are YYYYMMDD; other digit strings are epoch seconds, or
 *   milliseconds past year 5000 as seconds (date_from_epoch).
 * - "N+ days ago" is read as N days ago: the latest day the text allows.
 *   Months count 30 days and years 365.
 * - Words before the date that only say it is a date ("Posted", "Posted
 *   on", "Published", "Updated", "Active") are skipped; any other text
 *   around it makes it no date.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "scrape/normalize.h"
#include "scrape/normalize/lex.h"

#define YEAR_MIN  1990
#define YEAR_MAX  2100
#define EPOCH_MIN 631152000LL   /* 1990-01-01T00:00:00Z */
#define EPOCH_END 4133980800LL  /* 2101-01-01T00:00:00Z */
#define MS_ABOVE  95617584000.0 /* 5000-01-01 in seconds: past it a number is milliseconds */

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && leap(y) ? 29 : days[m - 1];
}

static bool day_ok(int y, int m, int d)
{
	return y >= YEAR_MIN && y <= YEAR_MAX && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

static void put_digits(char *p, unsigned v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
}

/* y-m-d, already checked to be a day of 1990–2100. */
static void write_day(int y, int m, int d, char out[11])
{
	put_digits(out, (unsigned)y, 4);
	out[4] = '-';
	put_digits(out + 5, (unsigned)m, 2);
	out[7] = '-';
	put_digits(out + 8, (unsigned)d, 2);
	out[10] = '\0';
}

/* The UTC day of an instant in range; -EINVAL outside 1990–2100. */
static int day_of_instant(long long t, char out[11])
{
	if (t < EPOCH_MIN || t >= EPOCH_END)
		return -EINVAL;
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm))
		return -EINVAL;
	write_day(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, out);
	return 0;
}

int date_from_epoch(double epoch, char out[11])
{
	if (!isfinite(epoch) || epoch < 0)
		return -EINVAL;
	if (epoch > MS_ABOVE)
		epoch /= 1000;
	if (epoch >= (double)EPOCH_END)
		return -EINVAL;
	return day_of_instant((long long)floor(epoch), out);
}

/* Reads 1..max digits at *p; returns how many (0 when none). */
static int read_int(const char **p, int max, int *out)
{
	int n = 0, v = 0;
	while (n < max && lex_is_digit((*p)[n])) {
		v = v * 10 + ((*p)[n] - '0');
		n++;
	}
	if (n == max && lex_is_digit((*p)[n]))
		return 0; /* more digits than the field has */
	*p += n;
	*out = v;
	return n;
}

static const char *const month_names[12][3] = {
	{ "january", "jan", NULL }, { "february", "feb", NULL }, { "march", "mar", NULL },
	{ "april", "apr", NULL },   { "may", NULL, NULL },       { "june", "jun", NULL },
	{ "july", "jul", NULL },    { "august", "aug", NULL },   { "september", "sept", "sep" },
	{ "october", "oct", NULL }, { "november", "nov", NULL }, { "december", "dec", NULL },
};

/* A month name at *p (with an optional '.'): 1–12, or 0. */
static int read_month(const char **p)
{
	for (int m = 0; m < 12; m++)
		for (int k = 0; k < 3 && month_names[m][k]; k++) {
			size_t n = lex_phrase_at(*p, month_names[m][k]);
			if (n) {
				*p += n;
				if (**p == '.')
					(*p)++;
				return m + 1;
			}
		}
	return 0;
}

static const char *const weekdays[] = { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
					"sunday", "mon",     "tue",       "tues",     "wed",    "thu",
					"thur",   "thurs",   "fri",       "sat",      "sun" };

static void skip_weekday(const char **p)
{
	size_t index, n = lex_longest_phrase_at(*p, weekdays, sizeof(weekdays) / sizeof(weekdays[0]), &index);
	if (n) {
		*p += n;
		if (**p == ',' || **p == '.')
			(*p)++;
		*p = lex_skip_spaces(*p);
	}
}

static const struct {
	const char *name;
	int minutes;
} zones[] = {
	{ "z", 0 },      { "utc", 0 },    { "gmt", 0 },    { "ut", 0 },     { "est", -300 }, { "edt", -240 },
	{ "cst", -360 }, { "cdt", -300 }, { "mst", -420 }, { "mdt", -360 }, { "pst", -480 }, { "pdt", -420 },
	{ "cet", 60 },   { "cest", 120 }, { "bst", 60 },   { "eet", 120 },  { "eest", 180 }, { "ist", 330 },
	{ "jst", 540 },  { "aest", 600 }, { "aedt", 660 },
};

/* A zone at *p: "Z", "UTC", "+0000", "-04:00", "+05", "GMT+2"…; its offset in
 * minutes east of UTC. Returns false when something else is there. */
static bool read_zone(const char **p, int *minutes)
{
	const char *s = *p;
	*minutes = 0;
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		size_t n = lex_phrase_at(s, zones[i].name);
		if (n) {
			*minutes = zones[i].minutes;
			s += n;
			break;
		}
	}
	if (*s == '+' || *s == '-') {
		/* "+0000", "-04:00", "+05", "+5:30" */
		int sign = *s == '+' ? 1 : -1, h = 0, m = 0;
		s++;
		size_t digits = 0;
		while (lex_is_digit(s[digits]))
			digits++;
		if (digits == 4) {
			h = (s[0] - '0') * 10 + (s[1] - '0');
			m = (s[2] - '0') * 10 + (s[3] - '0');
			s += 4;
		} else if (digits == 1 || digits == 2) {
			read_int(&s, 2, &h);
			if (*s == ':') {
				s++;
				if (read_int(&s, 2, &m) != 2)
					return false;
			}
		} else {
			return false;
		}
		if (h > 14 || m > 59)
			return false;
		*minutes += sign * (h * 60 + m);
	}
	*p = s;
	return true;
}

/* An optional time ("13:34:54", "07:30", "13:34:54.158") and zone at *p,
 * after a 'T' or spaces. Returns false when malformed. */
static bool read_time(const char **p, int *seconds, int *zone_minutes, bool *has_time)
{
	const char *s = *p;
	*seconds = 0;
	*zone_minutes = 0;
	*has_time = false;
	if (*s == 'T' || *s == 't')
		s++;
	else
		s = lex_skip_spaces(s);
	int h, m, sec = 0;
	if (read_int(&s, 2, &h) && *s == ':') {
		s++;
		if (read_int(&s, 2, &m) != 2)
			return false;
		if (*s == ':') {
			s++;
			if (read_int(&s, 2, &sec) != 2)
				return false;
			if (*s == '.' || *s == ',')
				for (s++; lex_is_digit(*s); s++)
					;
		}
		s = lex_skip_spaces(s);
		if (lex_phrase_at(s, "am") || lex_phrase_at(s, "pm")) {
			if (h < 1 || h > 12)
				return false;
			h = h % 12 + (lex_lower(*s) == 'p' ? 12 : 0);
			s = lex_skip_spaces(s + 2);
		}
		if (h > 23 || m > 59 || sec > 60)
			return false;
		*seconds = h * 3600 + m * 60 + sec;
		*has_time = true;
	} else {
		s = *p; /* no time: a zone may still follow the date ("2026-09-18Z") */
	}
	s = lex_skip_spaces(s);
	if (!read_zone(&s, zone_minutes))
		return false;
	s = lex_skip_spaces(s);
	if (*s == '(') { /* "(UTC)", "(Coordinated Universal Time)" */
		const char *close = strchr(s, ')');
		if (!close)
			return false;
		s = lex_skip_spaces(close + 1);
	}
	*p = s;
	return true;
}

/* y-m-d plus what follows it (time, zone) as the UTC day. */
static int finish(int y, int m, int d, const char *rest, char out[11])
{
	if (!day_ok(y, m, d))
		return -EINVAL;
	int seconds, zone;
	bool has_time;
	if (!read_time(&rest, &seconds, &zone, &has_time) || *rest)
		return -EINVAL;
	if (!has_time || zone == 0) {
		write_day(y, m, d, out);
		return 0;
	}
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d };
	long long t = (long long)timegm(&tm) + seconds - zone * 60LL;
	return day_of_instant(t, out);
}

/* Three numbers split by one separator ('-', '/' or '.') at *p; the i-th has
 * at most width[i] digits, exactly four where width[i] is 4. */
static bool read_three(const char **p, const int width[3], int v[3], char *sep)
{
	const char *s = *p;
	for (int i = 0; i < 3; i++) {
		if (i == 1 && *s != '-' && *s != '/' && *s != '.')
			return false;
		if (i == 1)
			*sep = *s;
		if (i > 0 && *s++ != *sep)
			return false;
		int n = read_int(&s, width[i], &v[i]);
		if (!n || (width[i] == 4 && n != 4))
			return false;
	}
	*p = s;
	return true;
}

/* "2026-09-24…", "2026/9/5", "2026.09.18". */
static int parse_year_first(const char *s, char out[11])
{
	static const int width[3] = { 4, 2, 2 };
	int v[3];
	char sep;
	if (!read_three(&s, width, v, &sep))
		return -EINVAL;
	return finish(v[0], v[1], v[2], s, out);
}

/* "18.09.2026", "18/09/2026", "09/18/2026", "18-09-2026". */
static int parse_day_or_month_first(const char *s, char out[11])
{
	static const int width[3] = { 2, 2, 4 };
	int v[3];
	char sep;
	if (!read_three(&s, width, v, &sep))
		return -EINVAL;
	int a = v[0], b = v[1], y = v[2];
	int d, m;
	if (sep == '.' || a > 12 || a == b) {
		d = a, m = b;
	} else if (b > 12) {
		d = b, m = a;
	} else {
		return -EINVAL; /* "01/02/2026": January or February */
	}
	return finish(y, m, d, s, out);
}

/* A year of four digits, or two in RFC 822 ("11 Sep 26"). */
static bool read_year(const char **p, int *y)
{
	int n = read_int(p, 4, y);
	if (n == 2)
		*y += *y < 90 ? 2000 : 1900;
	return n == 4 || n == 2;
}

static void skip_ordinal(const char **p)
{
	static const char *const ordinals[] = { "st", "nd", "rd", "th" };
	size_t index, n = lex_longest_phrase_at(*p, ordinals, 4, &index);
	*p += n;
}

/* "Fri, 11 Sep 2026 07:30:48 +0000", "11 September 2026", "11-Sep-2026". */
static int parse_day_month_name(const char *s, char out[11])
{
	int d, y;
	if (!read_int(&s, 2, &d))
		return -EINVAL;
	skip_ordinal(&s);
	if (*s == '-')
		s++;
	s = lex_skip_spaces(s);
	int m = read_month(&s);
	if (!m)
		return -EINVAL;
	if (*s == '-' || *s == ',')
		s++;
	s = lex_skip_spaces(s);
	if (!read_year(&s, &y))
		return -EINVAL;
	return finish(y, m, d, s, out);
}

/* "Sep 11, 2026", "September 11th 2026 10:00 AM". */
static int parse_month_name_first(const char *s, char out[11])
{
	int m = read_month(&s), d, y;
	if (!m)
		return -EINVAL;
	s = lex_skip_spaces(s);
	if (!read_int(&s, 2, &d))
		return -EINVAL;
	skip_ordinal(&s);
	if (*s == ',')
		s++;
	s = lex_skip_spaces(s);
	if (read_int(&s, 4, &y) != 4)
		return -EINVAL;
	if (*s == ',')
		s++;
	return finish(y, m, d, s, out);
}

static const struct {
	const char *unit;
	long long seconds;
} units[] = {
	{ "second", 1 },     { "seconds", 1 },   { "sec", 1 },         { "secs", 1 },         { "s", 1 },
	{ "minute", 60 },    { "minutes", 60 },  { "min", 60 },        { "mins", 60 },        { "m", 60 },
	{ "hour", 3600 },    { "hours", 3600 },  { "hr", 3600 },       { "hrs", 3600 },       { "h", 3600 },
	{ "day", 86400 },    { "days", 86400 },  { "d", 86400 },       { "week", 604800 },    { "weeks", 604800 },
	{ "wk", 604800 },    { "wks", 604800 },  { "w", 604800 },      { "month", 2592000 },  { "months", 2592000 },
	{ "mo", 2592000 },   { "mos", 2592000 }, { "year", 31536000 }, { "years", 31536000 }, { "yr", 31536000 },
	{ "yrs", 31536000 }, { "y", 31536000 },
};

/* "3 days ago", "an hour ago", "30+ Days Ago", "over 2 weeks ago". */
static int parse_ago(const char *s, time_t now, char out[11])
{
	static const char *const about[] = { "over", "more than", "about", "almost", "nearly", "around" };
	size_t index;
	s += lex_longest_phrase_at(s, about, sizeof(about) / sizeof(about[0]), &index);
	s = lex_skip_spaces(s);
	long long n;
	int v;
	if (lex_is_digit(*s)) {
		if (!read_int(&s, 6, &v))
			return -EINVAL;
		n = v;
		if (*s == '+')
			s++;
	} else if (lex_phrase_at(s, "an") || lex_phrase_at(s, "a") || lex_phrase_at(s, "one")) {
		n = 1;
		while (lex_is_alpha(*s))
			s++;
	} else {
		return -EINVAL;
	}
	s = lex_skip_spaces(s);
	long long unit = 0;
	size_t best = 0;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t k = lex_phrase_at(s, units[i].unit);
		if (k > best) {
			best = k;
			unit = units[i].seconds;
		}
	}
	if (!best)
		return -EINVAL;
	s = lex_skip_spaces(s + best);
	size_t k = lex_phrase_at(s, "ago");
	if (!k)
		return -EINVAL;
	if (*lex_skip_spaces(s + k))
		return -EINVAL;
	return day_of_instant((long long)now - n * unit, out); /* n < 1e6, unit ≤ 1 year: no overflow */
}

static int parse_relative(const char *s, time_t now, char out[11])
{
	static const char *const today[] = { "today",
					     "just now",
					     "just posted",
					     "now",
					     "new",
					     "moments ago",
					     "few seconds ago",
					     "a few seconds ago",
					     "few minutes ago",
					     "a few minutes ago",
					     "few hours ago",
					     "a few hours ago" };
	size_t index, n = lex_longest_phrase_at(s, today, sizeof(today) / sizeof(today[0]), &index);
	if (n && !*lex_skip_spaces(s + n))
		return day_of_instant((long long)now, out);
	n = lex_phrase_at(s, "yesterday");
	if (n && !*lex_skip_spaces(s + n))
		return day_of_instant((long long)now - 86400, out);
	return parse_ago(s, now, out);
}

/* Words that only say that a date follows. */
static const char *skip_date_words(const char *s)
{
	static const char *const words[] = { "posted on",   "posted",     "reposted", "published on", "published",
					     "updated",     "updated on", "listed",   "listed on",    "active",
					     "date posted", "on",         "date" };
	for (int round = 0; round < 3; round++) {
		size_t index, n = lex_longest_phrase_at(s, words, sizeof(words) / sizeof(words[0]), &index);
		if (!n)
			break;
		s = lex_skip_spaces(s + n);
		if (*s == ':')
			s = lex_skip_spaces(s + 1);
	}
	return s;
}

/* A string of digits (and perhaps a fraction): YYYYMMDD or epoch. */
static int parse_digits(const char *s, char out[11])
{
	size_t n = 0;
	while (lex_is_digit(s[n]))
		n++;
	const char *end = s + n;
	if (*end == '.')
		for (end++; lex_is_digit(*end); end++)
			;
	if (*lex_skip_spaces(end) || n > 16)
		return -EINVAL;
	if (n == 8 && end == s + 8) {
		int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
		int m = (s[4] - '0') * 10 + (s[5] - '0');
		int d = (s[6] - '0') * 10 + (s[7] - '0');
		if (!day_ok(y, m, d))
			return -EINVAL;
		write_day(y, m, d, out);
		return 0;
	}
	double v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return date_from_epoch(v, out);
}

int date_parse(const char *text, time_t now, char out[11])
{
	if (!text || strnlen(text, LEX_MAX_TEXT) == LEX_MAX_TEXT)
		return -EINVAL;
	const char *s = skip_date_words(lex_skip_spaces(text));
	char day[11];
	int rc;
	if (!*s)
		return -EINVAL;
	size_t digits = 0;
	while (lex_is_digit(s[digits]))
		digits++;
	if (digits == 4 && (s[4] == '-' || s[4] == '/' || s[4] == '.'))
		rc = parse_year_first(s, day);
	else if ((digits == 1 || digits == 2) && (s[digits] == '.' || s[digits] == '/' || s[digits] == '-')) {
		rc = parse_day_or_month_first(s, day);
		if (rc)
			rc = parse_day_month_name(s, day); /* "11-Sep-2026" */
	} else if (digits) {
		rc = parse_digits(s, day);
		if (rc)
			rc = parse_day_month_name(s, day);
		if (rc)
			rc = parse_relative(s, now, day);
	} else {
		const char *after = s;
		skip_weekday(&after);
		rc = lex_is_digit(*after) ? parse_day_month_name(after, day) : parse_month_name_first(after, day);
		if (rc)
			rc = parse_relative(s, now, day);
	}
	if (rc)
		return rc;
	memcpy(out, day, 11);
	return 0;
}
