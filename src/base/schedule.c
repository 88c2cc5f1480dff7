#include "base/schedule.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MS_PER_S       1000LL
#define INTERVAL_MAX_S (366LL * 86400)
#define SEARCH_YEARS   400 /* the Gregorian calendar repeats itself every 400 years */
#define TEXT_MAX       200 /* longer text is not a schedule anyone typed */

struct field {
	const char *what; /* for messages */
	int lo, hi;
	const char *const *names; /* names[i] stands for lo + i */
};

static const char *const month_names[] = { "jan", "feb", "mar", "apr", "may", "jun", "jul",
					   "aug", "sep", "oct", "nov", "dec", NULL };
static const char *const weekday_names[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL };

enum { F_MINUTE, F_HOUR, F_DAY, F_MONTH, F_WEEKDAY };
static const struct field fields[] = {
	{ "minute", 0, 59, NULL },
	{ "hour", 0, 23, NULL },
	{ "day-of-month", 1, 31, NULL },
	{ "month", 1, 12, month_names },
	{ "day-of-week", 0, 7, weekday_names },
};

struct schedule schedule_every_ms(int64_t ms)
{
	return (struct schedule){ .kind = SCHEDULE_INTERVAL, .interval_ms = ms > 0 ? ms : 1 };
}

/* ---- "every 1h30m" ---------------------------------------------------------- */

static int parse_interval(const char *s, struct schedule *out, char *err, size_t errlen)
{
	while (*s == ' ')
		s++;
	if (!*s) {
		snprintf(err, errlen, "\"every\" needs a duration, such as every 30m, every 6h or every 1d");
		return -EINVAL;
	}
	long long total = 0;
	while (*s) {
		if (!isdigit((unsigned char)*s)) {
			snprintf(err, errlen, "expected a number in the duration at \"%.20s\" (e.g. every 6h)", s);
			return -EINVAL;
		}
		long long n = 0;
		for (; isdigit((unsigned char)*s); s++)
			if (n <= INTERVAL_MAX_S) /* past that it is too long anyway */
				n = n * 10 + (*s - '0');
		char unit = (char)tolower((unsigned char)*s);
		long long mult = unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600 : unit == 'd' ? 86400 : 0;
		if (!mult) {
			if (*s)
				snprintf(err, errlen,
					 "unknown unit \"%c\" in the duration: use s, m, h or d (every 90s, "
					 "30m, 6h, 1d)",
					 *s);
			else
				snprintf(err, errlen,
					 "the duration needs a unit: s, m, h or d (every 90s, 30m, 6h, 1d)");
			return -EINVAL;
		}
		s++;
		if (n > INTERVAL_MAX_S || (total += n * mult) > INTERVAL_MAX_S) {
			snprintf(err, errlen, "the interval is longer than 366 days");
			return -EINVAL;
		}
		while (*s == ' ')
			s++;
	}
	if (total == 0) {
		snprintf(err, errlen, "the interval must be at least 1 second");
		return -EINVAL;
	}
	*out = schedule_every_ms(total * MS_PER_S);
	return 0;
}

/* ---- cron fields -------------------------------------------------------------- */

/* A number or (for months and weekdays) a three-letter name at *s. */
static int parse_value(const char **s, const char *end, const struct field *f, int *out)
{
	const char *p = *s;
	if (p < end && isdigit((unsigned char)*p)) {
		int v = 0;
		for (; p < end && isdigit((unsigned char)*p); p++)
			if (v < 1000) /* past that it is out of range anyway */
				v = v * 10 + (*p - '0');
		*out = v;
		*s = p;
		return 0;
	}
	if (f->names && end - p >= 3)
		for (int i = 0; f->names[i]; i++)
			if (strncasecmp(p, f->names[i], 3) == 0 && (end - p == 3 || !isalpha((unsigned char)p[3]))) {
				*out = f->lo + i; /* jan = 1, sun = 0 */
				*s = p + 3;
				return 0;
			}
	return -1;
}

static int field_error(char *err, size_t errlen, const struct field *f, const char *item, size_t len, const char *why)
{
	snprintf(err, errlen, "%s field \"%.*s\": %s", f->what, (int)(len > 40 ? 40 : len), item, why);
	return -EINVAL;
}

/* One field's text [s, end) into a bit set. */
static int parse_field(const char *s, const char *end, const struct field *f, uint64_t *bits, bool *star, char *err,
		       size_t errlen)
{
	char why[96];
	*bits = 0;
	*star = *s == '*';
	for (const char *item = s; item <= end;) {
		const char *comma = memchr(item, ',', (size_t)(end - item));
		const char *stop = comma ? comma : end;
		size_t len = (size_t)(stop - item);
		const char *p = item;
		int lo, hi, step = 1;
		if (len == 0)
			return field_error(err, errlen, f, s, (size_t)(end - s),
					   "an empty item (two commas in a row?)");
		if (*p == '*') {
			lo = f->lo;
			hi = f->hi;
			p++;
		} else {
			if (parse_value(&p, stop, f, &lo))
				return field_error(err, errlen, f, item, len,
						   f->names ? "expected a number, a name (such as jan or mon) or *"
							    : "expected a number or *");
			hi = lo;
			if (p < stop && *p == '-') {
				p++;
				if (parse_value(&p, stop, f, &hi))
					return field_error(err, errlen, f, item, len,
							   "a range needs an end, as in 1-5");
				if (f == &fields[F_WEEKDAY] && hi == 0 && lo > 0)
					hi = 7; /* "fri-sun": Sunday is also 7 */
			} else if (p < stop && *p == '/') {
				hi = f->hi; /* "5/15": from 5 to the end */
			}
		}
		if (p < stop && *p == '/') {
			p++;
			step = 0;
			for (; p < stop && isdigit((unsigned char)*p); p++)
				if (step <= f->hi)
					step = step * 10 + (*p - '0');
			if (step < 1 || step > f->hi)
				return field_error(err, errlen, f, item, len,
						   "a step must be a number from 1 to the field's largest value");
		}
		if (p != stop) {
			snprintf(why, sizeof(why), "unexpected \"%c\"", *p);
			return field_error(err, errlen, f, item, len, why);
		}
		if (lo < f->lo || hi > f->hi) {
			snprintf(why, sizeof(why), "%d is out of range %d–%d", lo < f->lo ? lo : hi, f->lo, f->hi);
			return field_error(err, errlen, f, item, len, why);
		}
		if (lo > hi) {
			snprintf(why, sizeof(why), "the range starts after it ends (%d > %d)", lo, hi);
			return field_error(err, errlen, f, item, len, why);
		}
		for (int v = lo; v <= hi; v += step)
			*bits |= 1ULL << (f == &fields[F_WEEKDAY] && v == 7 ? 0 : v);
		if (!comma)
			break;
		item = comma + 1;
		if (item == end)
			return field_error(err, errlen, f, s, (size_t)(end - s), "a comma at the end");
	}
	return 0;
}

static int parse_cron(const char *text, struct schedule *out, char *err, size_t errlen)
{
	const char *start[5], *end[5];
	int n = 0;
	for (const char *p = text; *p;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (n < 5)
			start[n] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (n < 5)
			end[n] = p;
		n++;
	}
	if (n != 5) {
		snprintf(err, errlen,
			 "a cron expression has 5 fields (minute hour day-of-month month day-of-week), this has %d; or "
			 "write every 6h or @daily",
			 n);
		return -EINVAL;
	}
	uint64_t bits[5];
	bool star[5];
	for (int i = 0; i < 5; i++)
		if (parse_field(start[i], end[i], &fields[i], &bits[i], &star[i], err, errlen))
			return -EINVAL;
	*out = (struct schedule){
		.kind = SCHEDULE_CRON,
		.minutes = bits[F_MINUTE],
		.hours = (uint32_t)bits[F_HOUR],
		.days = (uint32_t)bits[F_DAY],
		.months = (uint16_t)bits[F_MONTH],
		.weekdays = (uint8_t)bits[F_WEEKDAY],
		.days_star = star[F_DAY],
		.weekdays_star = star[F_WEEKDAY],
	};
	if (schedule_next(out, 0) < 0) {
		snprintf(err, errlen, "this schedule never fires: no day matches it (such as 30 February)");
		return -EINVAL;
	}
	return 0;
}

static const struct {
	const char *name, *cron;
} shorthands[] = {
	{ "@hourly", "0 * * * *" },   { "@daily", "0 0 * * *" },   { "@midnight", "0 0 * * *" },
	{ "@weekly", "0 0 * * 0" },   { "@monthly", "0 0 1 * *" }, { "@yearly", "0 0 1 1 *" },
	{ "@annually", "0 0 1 1 *" },
};

int schedule_parse(const char *text, struct schedule *out, char *err, size_t errlen)
{
	char t[TEXT_MAX + 1];
	if (!text)
		text = "";
	while (*text == ' ' || *text == '\t')
		text++;
	size_t len = strnlen(text, TEXT_MAX + 1);
	if (len > TEXT_MAX) {
		snprintf(err, errlen, "a schedule is at most %d characters", TEXT_MAX);
		return -EINVAL;
	}
	memcpy(t, text, len + 1);
	while (len && (t[len - 1] == ' ' || t[len - 1] == '\t'))
		t[--len] = '\0';
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)t[i] < 0x20 || (unsigned char)t[i] >= 0x7f) {
			snprintf(err, errlen, "a schedule is plain text: letters, digits, spaces and * , - / @");
			return -EINVAL;
		}
	if (len == 0) {
		snprintf(err, errlen,
			 "no schedule given: write every 6h, @daily, or a cron expression such as 0 */6 * * *");
		return -EINVAL;
	}
	if (strncasecmp(t, "every", 5) == 0 && (t[5] == ' ' || t[5] == '\0'))
		return parse_interval(t + 5, out, err, errlen);
	if (strncasecmp(t, "@every", 6) == 0 && (t[6] == ' ' || t[6] == '\0'))
		return parse_interval(t + 6, out, err, errlen);
	if (t[0] == '@') {
		for (size_t i = 0; i < sizeof(shorthands) / sizeof(shorthands[0]); i++)
			if (strcasecmp(t, shorthands[i].name) == 0)
				return parse_cron(shorthands[i].cron, out, err, errlen);
		snprintf(err, errlen, "unknown shorthand \"%.20s\": use @hourly, @daily, @weekly, @monthly or @yearly",
			 t);
		return -EINVAL;
	}
	return parse_cron(t, out, err, errlen);
}

/* ---- next fire time --------------------------------------------------------------- */

static bool day_matches(const struct schedule *s, const struct tm *tm)
{
	bool dom = s->days >> tm->tm_mday & 1, dow = s->weekdays >> tm->tm_wday & 1;
	return s->days_star || s->weekdays_star ? dom && dow : dom || dow;
}

int64_t schedule_next(const struct schedule *s, int64_t after_ms)
{
	if (s->kind == SCHEDULE_INTERVAL)
		return after_ms + s->interval_ms;
	int64_t secs = after_ms >= 0 ? after_ms / MS_PER_S : -((-after_ms + MS_PER_S - 1) / MS_PER_S);
	time_t t = (time_t)((secs >= 0 ? secs / 60 : (secs - 59) / 60) + 1) * 60; /* the next whole minute */
	struct tm tm;
	gmtime_r(&t, &tm);
	int last_year = tm.tm_year + SEARCH_YEARS;
	/* Each step moves to the start of the next month, day, hour or minute
	 * that could match: a schedule that never fires costs about 12,000
	 * rounds (every day of its months for 400 years), one that does far fewer. */
	while (tm.tm_year <= last_year) {
		if (!(s->months >> (tm.tm_mon + 1) & 1)) {
			tm.tm_mon++;
			tm.tm_mday = 1;
			tm.tm_hour = tm.tm_min = 0;
		} else if (!day_matches(s, &tm)) {
			tm.tm_mday++;
			tm.tm_hour = tm.tm_min = 0;
		} else if (!(s->hours >> tm.tm_hour & 1)) {
			tm.tm_hour++;
			tm.tm_min = 0;
		} else if (!(s->minutes >> tm.tm_min & 1)) {
			tm.tm_min++;
		} else {
			return (int64_t)timegm(&tm) * MS_PER_S;
		}
		t = timegm(&tm); /* carries the overflowed field into the next */
		gmtime_r(&t, &tm);
	}
	return -1;
}
