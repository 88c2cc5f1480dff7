/* follow_up — how follow-up timeline entries move an application's
 * follow-up date. Pure functions over dates ("YYYY-MM-DD", which compare as
 * text); the service (service.h) reads and writes the rows. */
#ifndef JT_TRACKER_FOLLOW_UP_H
#define JT_TRACKER_FOLLOW_UP_H

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
 * else or removed: it takes back the date it set, if the application still
 * has it. Returns cur or NULL. */
const char *follow_up_after_withdraw(const char *cur, int64_t at);

#endif
