#include "tracker/follow_up.h"

#include <string.h>
#include <time.h>

const char *follow_up_after_entry(const char *cur, int64_t at, int tz_offset_min, int64_t now,
				  char day[TIMEFMT_DATE_LEN])
{
	/* The writer's calendar: a follow-up at 21:00 in New York is that day's,
	 * not the next UTC day's. */
	char today[TIMEFMT_DATE_LEN];
	int64_t shift = (int64_t)tz_offset_min * 60;
	timefmt_date((time_t)(at + shift), day);
	timefmt_date((time_t)(now + shift), today);
	if (strcmp(day, today) >= 0) {
		/* An earlier follow-up still ahead stays the next one. */
		if (cur && strcmp(cur, today) >= 0 && strcmp(cur, day) <= 0)
			return cur;
		return day;
	}
	if (cur && strcmp(cur, day) <= 0)
		return NULL;
	return cur;
}

/* Whether an entry at `at` may have set date: the day it set depended on its
 * writer's time zone, which is not stored, so any date within the span of
 * time zones around it is that day. */
static int may_have_set(const char *date, int64_t at)
{
	char first[TIMEFMT_DATE_LEN], last[TIMEFMT_DATE_LEN];
	timefmt_date((time_t)(at - 14 * 3600), first);
	timefmt_date((time_t)(at + 14 * 3600), last);
	return strcmp(date, first) >= 0 && strcmp(date, last) <= 0;
}

const char *follow_up_after_withdraw(const char *cur, int64_t at, const int64_t *remaining, size_t n, int tz_offset_min,
				     int64_t now, char day[TIMEFMT_DATE_LEN])
{
	if (!cur || !may_have_set(cur, at))
		return cur;
	/* Two follow-ups on one day: the other one still sets it. */
	for (size_t i = 0; i < n; i++)
		if (may_have_set(cur, remaining[i]))
			return cur;
	/* Otherwise the next remaining follow-up, as if each were entered anew:
	 * only one planned for today or later can be the date, the earliest wins. */
	char today[TIMEFMT_DATE_LEN], d[TIMEFMT_DATE_LEN];
	int64_t shift = (int64_t)tz_offset_min * 60;
	timefmt_date((time_t)(now + shift), today);
	const char *date = NULL;
	for (size_t i = 0; i < n; i++) {
		timefmt_date((time_t)(remaining[i] + shift), d);
		if (strcmp(d, today) >= 0 && (!date || strcmp(d, day) < 0)) {
			memcpy(day, d, TIMEFMT_DATE_LEN);
			date = day;
		}
	}
	return date;
}
