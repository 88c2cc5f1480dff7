/* Location lines as sources write them ("Hybrid - London", "Austin, TX",
 * "Remote (Europe)", "USA, Canada, Mexico"): location_parse, and the same
 * text as a country name, a workplace value and inside longer text, and
 * cut at its first comma into a structured address's locality and region
 * (location_region_country). A
 * parsed location keeps raw as given; locality and region are non-empty
 * pieces of the (space-normalised) line, valid UTF-8 when the line was; a
 * country is a code country_name knows. */
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "fuzz_support.h"
#include "scrape/normalize.h"

static void check_country(const char *code)
{
	if (code[0] && (strlen(code) != 2 || !country_name(code)))
		abort();
}

static void check_piece(const char *piece, const char *line, int utf8)
{
	if (!piece)
		return;
	if (!piece[0] || !strstr(line, piece))
		abort();
	if (utf8 && !text_utf8_valid(piece, strlen(piece)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a, 0);
	char *s = fuzz_str(&a, data, size);
	if (s) {
		int utf8 = text_utf8_valid(s, strlen(s));
		struct posting_location loc;
		enum workplace w = WORKPLACE_UNKNOWN;
		if (location_parse(&a, s, &loc, &w) != 0)
			abort();
		if (!loc.raw || strcmp(loc.raw, s) != 0)
			abort();
		char *line = arena_strdup(&a, s);
		if (line) {
			normalize_text_ws(line);
			check_piece(loc.locality, line, utf8);
			check_piece(loc.region, line, utf8);
		}
		check_country(loc.country);
		if (w > WORKPLACE_REMOTE)
			abort();
		char code[3] = "";
		if (country_code(s, code) == 0)
			check_country(code);
		char *comma = strchr(s, ',');
		if (comma)
			*comma = '\0';
		code[0] = '\0';
		if (location_region_country(s, comma ? comma + 1 : s, code) == 0)
			check_country(code);
		if (comma)
			*comma = ',';
		if (workplace_parse(s) > WORKPLACE_REMOTE || workplace_scan(s) > WORKPLACE_REMOTE)
			abort();
		(void)country_name(s);
	}
	arena_free(&a);
	return 0;
}
