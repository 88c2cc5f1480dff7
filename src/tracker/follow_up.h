/* follow_up — how follow-up timeline entries move an application's
 * follow-up date. Pure functions over dates ("YYYY-MM-DD", which compare as
 * text); the service (service.h) reads and writes the rows. */
#ifndef JT_TRACKER_FOLLOW_UP_H
#define JT_TRACKER_FOLLOW_UP_H

#include <stddef.h>
#include <stdint.h>

#include "base/timefmt.h"

/* The date after a follow-up entry at `at` was written at `now` by someone
 * tz_offset_min east of UTC, given the current date cur (NULL: none). A
 * follow-up planned for today or later becomes the next follow-up unless an
 * earlier one is still ahead; one logged in the past settles any date due by
 * then. Returns cur, NULL, or day (filled with the entry's calendar day). */
const char *follow_up_after_entry(const char *cur, int64_t at, int tz_offset_min, int64_t now,
				  char day[TIMEFMT_DATE_LEN]);
/* The date after a follow-up entry at `at` was moved, turned into something
 * else or removed, given the times of the follow-up entries that remain
 * (remaining[0..n), the withdrawn one not among them). It takes back the date
 * it set, if the application still has it — unless a remaining entry sets
 * that day too, which keeps it. A date taken back is worked out again from
 * the remaining entries by the rule for a new one: the earliest on today or
 * later (on the calendar of someone tz_offset_min east of UTC at `now`)
 * becomes the date. Returns cur, NULL or day (filled with that entry's day). */
const char *follow_up_after_withdraw(const char *cur, int64_t at, const int64_t *remaining, size_t n, int tz_offset_min,
				     int64_t now, char day[TIMEFMT_DATE_LEN]);

#endif
