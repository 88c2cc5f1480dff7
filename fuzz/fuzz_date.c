/* Dates as sources write them (ISO 8601 and its cousins, RFC 822, epoch
 * digits, "Posted 30+ Days Ago"): date_parse against a fixed now, and
 * date_from_epoch on the input's first eight bytes as a double. A parsed
 * day is a valid calendar day of 1990–2100 and parses back to itself; a
 * refusal leaves the output untouched. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/timefmt.h"
#include "fuzz_support.h"
#include "scrape/normalize.h"

#define NOW ((time_t)1790337600) /* 2026-09-25T12:00:00Z */

static void check_day(const char *day)
{
	if (!timefmt_date_valid(day) || strncmp(day, "1990", 4) < 0 || strncmp(day, "2100", 4) > 0)
		abort();
	char again[11];
	if (date_parse(day, NOW, again) != 0 || strcmp(again, day) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a, 0);
	char *s = fuzz_str(&a, data, size);
	if (s) {
		char day[11] = "untouched";
		int rc = date_parse(s, NOW, day);
		if (rc == 0)
			check_day(day);
		else if (rc != -EINVAL || strcmp(day, "untouched"))
			abort();
		/* Relative dates move with now, and stay in range for any now. */
		if (date_parse(s, (time_t)(size * 86400LL * 365), day) == 0)
			check_day(day);
	}
	if (size >= sizeof(double)) {
		double epoch;
		memcpy(&epoch, data, sizeof(epoch));
		char day[11];
		int rc = date_from_epoch(epoch, day);
		if (rc == 0)
			check_day(day);
		else if (rc != -EINVAL)
			abort();
	}
	arena_free(&a);
	return 0;
}
