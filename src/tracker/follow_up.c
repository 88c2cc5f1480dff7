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

const char *follow_up_after_withdraw(const char *cur, int64_t at)
{
	if (!cur)
		return NULL;
	/* The day it set depended on its writer's time zone, which is not
	 * stored: any date within the span of time zones around it is that day. */
	char first[TIMEFMT_DATE_LEN], last[TIMEFMT_DATE_LEN];
	timefmt_date((time_t)(at - 14 * 3600), first);
	timefmt_date((time_t)(at + 14 * 3600), last);
	if (strcmp(cur, first) >= 0 && strcmp(cur, last) <= 0)
		return NULL;
	return cur;
}
