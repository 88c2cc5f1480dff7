#include "base/timefmt.h"

#include <stdio.h>
#include <string.h>
#include <sys/time.h>

static const char *const month_abbr[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* Civil date from days since 1970-01-01 (the proleptic Gregorian calendar),
 * without gmtime's time-zone machinery: API lists format thousands of these. */
static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static void put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

void timefmt_iso(time_t t, char out[TIMEFMT_ISO_LEN])
{
	int64_t secs = (int64_t)t;
	int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	unsigned sod = (unsigned)(secs - days * 86400);
	int y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(out, TIMEFMT_ISO_LEN, "0000-00-00T00:00:00Z");
		return;
	}
	put2(out, (unsigned)y / 100);
	put2(out + 2, (unsigned)y % 100);
	out[4] = '-';
	put2(out + 5, m);
	out[7] = '-';
	put2(out + 8, d);
	out[10] = 'T';
	put2(out + 11, sod / 3600);
	out[13] = ':';
	put2(out + 14, sod / 60 % 60);
	out[16] = ':';
	put2(out + 17, sod % 60);
	out[19] = 'Z';
	out[20] = '\0';
}

void timefmt_now_iso_ms(char out[TIMEFMT_ISO_MS_LEN])
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	struct tm tm;
	gmtime_r(&tv.tv_sec, &tm);
	char base[20];
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, TIMEFMT_ISO_MS_LEN, "%s.%03dZ", base, (int)(tv.tv_usec / 1000));
}

void timefmt_date(time_t t, char out[TIMEFMT_DATE_LEN])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, TIMEFMT_DATE_LEN, "%Y-%m-%d", &tm);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

static int parse_date_part(const char *s, int *y, int *m, int *d)
{
	if (strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if (digits(s, 4, y) || digits(s + 5, 2, m) || digits(s + 8, 2, d))
		return -1;
	if (*y < 1900 || *y > 2999 || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
		return -1;
	return 0;
}

int timefmt_date_valid(const char *s)
{
	int y, m, d;
	return strlen(s) == 10 && parse_date_part(s, &y, &m, &d) == 0;
}

int timefmt_date_problem(const char *s, char *out, size_t cap)
{
	static const char *const months[] = { "January", "February", "March",     "April",   "May",      "June",
					      "July",    "August",   "September", "October", "November", "December" };
	int y, m, d;
	if (timefmt_date_valid(s))
		return 0;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) || digits(s + 5, 2, &m) ||
	    digits(s + 8, 2, &d))
		snprintf(out, cap, "Enter a date as YYYY-MM-DD.");
	else if (y < 1900 || y > 2999)
		snprintf(out, cap, "%s is not a date this tracker keeps: use a year from 1900 to 2999.", s);
	else if (m < 1 || m > 12)
		snprintf(out, cap, "%s is not a calendar date: a month is 01 to 12.", s);
	else
		snprintf(out, cap, "%s is not a calendar date: %s has %d days in %d.", s, months[m - 1],
			 days_in_month(y, m), y);
	return -1;
}

int timefmt_parse(const char *s, time_t *out)
{
	int offset_min;
	return timefmt_parse_tz(s, out, &offset_min);
}

int timefmt_parse_tz(const char *s, time_t *out, int *offset_min)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, off = 0;
	if (parse_date_part(s, &y, &mo, &d))
		return -1;
	const char *p = s + 10;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (digits(p, 2, &h) || p[2] != ':' || digits(p + 3, 2, &mi))
			return -1;
		p += 5;
		if (*p == ':') {
			if (digits(p + 1, 2, &sec))
				return -1;
			p += 3;
			if (*p == '.') { /* fractional seconds: accepted, dropped */
				p++;
				while (*p >= '0' && *p <= '9')
					p++;
			}
		}
		if (h > 23 || mi > 59 || sec > 60)
			return -1;
		if (*p == 'Z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int oh, om;
			if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 || om > 59)
				return -1;
			off = (oh * 60 + om) * 60 * (*p == '+' ? 1 : -1);
			p += 6;
		}
	}
	if (*p != '\0')
		return -1;
	struct tm tm = { 0 };
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	time_t t = timegm(&tm) - off;
	/* An offset can carry the instant into 1899 or 3000 (UTC), a year this
	 * parser refuses: such a time, once stored, could not be read back as
	 * UTC (an entry's edit re-reads its stored time) and so never edited. */
	if (t < (time_t)-2208988800LL || t >= (time_t)32503680000LL) /* 1900-01-01, 3000-01-01 */
		return -1;
	*out = t;
	*offset_min = off / 60;
	return 0;
}

void timefmt_relative(time_t then, time_t now, char *out, size_t outlen)
{
	long long diff = (long long)now - (long long)then;
	int future = diff < 0;
	long long a = future ? -diff : diff;
	long long v;
	const char *unit;
	if (a < 60) {
		snprintf(out, outlen, "just now");
		return;
	} else if (a < 3600) {
		v = a / 60;
		unit = "minute";
	} else if (a < 86400) {
		v = a / 3600;
		unit = "hour";
	} else if (a < 86400 * 2 && !future) {
		snprintf(out, outlen, "yesterday");
		return;
	} else if (a < 86400LL * 30) {
		v = a / 86400;
		unit = "day";
	} else {
		struct tm tm;
		gmtime_r(&then, &tm);
		snprintf(out, outlen, "%s %d, %d", month_abbr[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900);
		return;
	}
	snprintf(out, outlen, future ? "in %lld %s%s" : "%lld %s%s ago", v, unit, v == 1 ? "" : "s");
}

void timefmt_display(time_t t, char *out, size_t outlen)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, outlen, "%s %d, %d · %02d:%02d UTC", month_abbr[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900,
		 tm.tm_hour, tm.tm_min);
}
