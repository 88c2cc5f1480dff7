/* Dates and times from forms, JSON and CSV: timefmt_parse,
 * timefmt_parse_tz and timefmt_date_valid (timefmt_date_problem agrees with
 * it and always says why), and the formats that print a parsed instant. A parsed instant printed as ISO must parse back to itself,
 * and its UTC day is a valid date. */
#include <stdlib.h>

#include "base/timefmt.h"
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a, 0);
	char *s = fuzz_str(&a, data, size);
	if (s) {
		char why[120] = "";
		int valid = timefmt_date_valid(s);
		if ((timefmt_date_problem(s, why, sizeof(why)) == 0) != valid || (!valid && !why[0]))
			abort();
		time_t t, again;
		int offset;
		if (timefmt_parse(s, &t) == 0) {
			char iso[TIMEFMT_ISO_LEN], date[TIMEFMT_DATE_LEN], text[64];
			timefmt_iso(t, iso);
			if (timefmt_parse(iso, &again) != 0 || again != t)
				abort();
			timefmt_date(t, date);
			if (!timefmt_date_valid(date))
				abort();
			timefmt_display(t, text, sizeof(text));
			timefmt_relative(t, 1764979200, text, sizeof(text));
		}
		if (timefmt_parse_tz(s, &t, &offset) == 0 && (offset <= -24 * 60 || offset >= 24 * 60))
			abort();
	}
	arena_free(&a);
	return 0;
}
