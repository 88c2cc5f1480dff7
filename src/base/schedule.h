/* schedule — when a background task runs: "every 6h", "@daily", or a cron
 * expression, parsed with messages a person can act on (the admin page shows
 * them), and the next time it fires.
 *
 * Accepted text (surrounding spaces ignored, names and units in any case):
 *   every 30m | every 6h | every 1h30m | every 90s | every 2d
 *       an interval of 1 s to 366 d, counted from the last start; "@every 5m" too
 *   @hourly @daily @midnight @weekly @monthly @yearly @annually
 *       "0 * * * *", "0 0 * * *", "0 0 * * *", "0 0 * * 0", "0 0 1 * *", "0 0 1 1 *"
 *   minute hour day-of-month month day-of-week   (five fields, in UTC)
 *       each field a comma-separated list of  *  N  N-M  with an optional /STEP
 *       (N/STEP means N to the field's end); minute 0–59, hour 0–23,
 *       day 1–31, month 1–12 or jan–dec, day of week 0–7 or sun–sat (0 and
 *       7 are Sunday, so "mon-sun" means the whole week)
 *
 * The day rule is Vixie cron's (also cronie's and POSIX's): when both
 * day-of-month and day-of-week are restricted, a day matches when EITHER
 * does — "0 0 13 * fri" runs on every 13th and on every Friday. When either
 * field starts with '*', a day must match both — so "*" leaves the other
 * field alone, and a day-of-month of star-slash-2 with a day-of-week of
 * "mon" runs only on odd days that are Mondays.
 *
 * An expression that can never fire ("0 0 30 2 *") is refused at parse time. */
#ifndef JT_BASE_SCHEDULE_H
#define JT_BASE_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum schedule_kind { SCHEDULE_INTERVAL, SCHEDULE_CRON };

struct schedule {
	enum schedule_kind kind;
	int64_t interval_ms; /* SCHEDULE_INTERVAL */
	/* SCHEDULE_CRON: one bit per allowed value */
	uint64_t minutes;   /* bit m, 0–59 */
	uint32_t hours;     /* bit h, 0–23 */
	uint32_t days;      /* bit d, 1–31 */
	uint16_t months;    /* bit m, 1–12 */
	uint8_t weekdays;   /* bit w, 0 = Sunday … 6 = Saturday */
	bool days_star;     /* day-of-month began with '*' (the day rule above) */
	bool weekdays_star; /* day-of-week began with '*' */
};

/* Parses text into *out. 0, or -EINVAL with a sentence naming the field
 * and what is wrong in err. */
int schedule_parse(const char *text, struct schedule *out, char *err, size_t errlen);
/* An interval schedule of ms milliseconds (> 0), for code and tests. */
struct schedule schedule_every_ms(int64_t ms);
/* The first time the schedule fires strictly after after_ms (Unix time in
 * milliseconds, UTC); cron times fall on whole minutes. -1 when it never
 * fires (only for a schedule schedule_parse would refuse). */
int64_t schedule_next(const struct schedule *s, int64_t after_ms);

#endif
