/* timefmt — the few time formats jobtrack speaks: RFC 3339 UTC timestamps,
 * calendar dates, and "3 days ago" for people. All UTC. */
#ifndef JT_BASE_TIMEFMT_H
#define JT_BASE_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TIMEFMT_ISO_LEN    21 /* "2026-11-29T10:30:56Z" + NUL */
#define TIMEFMT_ISO_MS_LEN 25 /* "2026-11-29T10:30:56.123Z" + NUL */
#define TIMEFMT_DATE_LEN   11 /* "2026-11-29" + NUL */

void timefmt_iso(time_t t, char out[TIMEFMT_ISO_LEN]);
void timefmt_now_iso_ms(char out[TIMEFMT_ISO_MS_LEN]);
void timefmt_date(time_t t, char out[TIMEFMT_DATE_LEN]);

/* Strict "YYYY-MM-DD" with a real calendar day. 1 if valid. */
int timefmt_date_valid(const char *s);
/* Why s is not a valid date, for a person ("2026-02-30 is not a calendar
 * date: February has 28 days in 2026"), into out; 0 when it is valid, -1
 * when it is not (out then always says why). */
int timefmt_date_problem(const char *s, char *out, size_t cap);
/* Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" with optional "Z" or
 * "+HH:MM"/"-HH:MM" (a space may replace the T). Writes the instant in UTC to *out.
 * Returns 0, or -1 when malformed or when the instant, in UTC, is outside
 * the years 1900–2999 that a date may have. */
int timefmt_parse(const char *s, time_t *out);
/* The same, also giving the offset the text carried, in minutes east of UTC
 * (0 for "Z" or none): the writer's calendar day is at + offset. */
int timefmt_parse_tz(const char *s, time_t *out, int *offset_min);
/* "just now", "5 minutes ago", "yesterday", "3 days ago", "in 2 days", "Mar 4, 2025". */
void timefmt_relative(time_t then, time_t now, char *out, size_t outlen);
/* "Nov 29, 2026 · 10:30 UTC" */
void timefmt_display(time_t t, char *out, size_t outlen);

#endif
