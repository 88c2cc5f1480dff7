/* Schedules typed on the admin page: schedule_parse. A refusal always says
 * why; an accepted schedule keeps its values in range and fires: its next
 * time comes after the time asked about, on a whole minute, on a minute,
 * hour, day and month it allows, and the time after that comes later still. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/schedule.h"
#include "fuzz_support.h"

static void check_cron_time(const struct schedule *s, int64_t at_ms)
{
	if (at_ms % 60000 != 0)
		abort();
	time_t t = (time_t)(at_ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	bool dom = s->days >> tm.tm_mday & 1, dow = s->weekdays >> tm.tm_wday & 1;
	bool day = s->days_star || s->weekdays_star ? dom && dow : dom || dow;
	if (!(s->minutes >> tm.tm_min & 1) || !(s->hours >> tm.tm_hour & 1) || !(s->months >> (tm.tm_mon + 1) & 1) ||
	    !day)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a, 0);
	char *text = fuzz_str(&a, data, size);
	if (text) {
		struct schedule s;
		char err[256] = "";
		if (schedule_parse(text, &s, err, sizeof(err)) != 0) {
			if (!err[0])
				abort();
		} else if (s.kind == SCHEDULE_INTERVAL) {
			if (s.interval_ms < 1000 || s.interval_ms > 366LL * 86400 * 1000)
				abort();
		} else {
			if (s.minutes >> 60 || s.hours >> 24 || (s.days & 1) || (s.months & 1) || s.months >> 13 ||
			    s.weekdays >> 7)
				abort();
			/* From a few moments: now-ish, a leap day, the end of a century. */
			static const int64_t from[] = { 1765000000000LL, 1709164800000LL, 4102444740000LL };
			for (size_t i = 0; i < sizeof(from) / sizeof(from[0]); i++) {
				int64_t next = schedule_next(&s, from[i]);
				if (next <= from[i])
					abort();
				check_cron_time(&s, next);
				int64_t after = schedule_next(&s, next);
				if (after <= next)
					abort();
				check_cron_time(&s, after);
			}
		}
	}
	arena_free(&a);
	return 0;
}
