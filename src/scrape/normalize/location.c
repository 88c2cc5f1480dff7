/* location — raw location text as locality, region and country:
 * "San Francisco, CA", "London, England, United Kingdom", "Hybrid - London",
 * "Remote (Europe)", "Remote, USA Only", "Toronto, ON", "Berlin, DE".
 *
 * How a line is read:
 * 1. Workplace words anywhere in it go to *workplace (workplace_scan).
 * 2. It is cut into alternatives at ';', '|', brackets, " / " and " or ";
 *    the first alternative that names a place is the location ("London /
 *    Berlin" is London; "Remote (US)" is the US).
 * 3. An alternative is cut into parts at commas, colons and spaced dashes
 *    ("Hybrid - London"). Each part loses workplace words at either end
 *    ("Remote in Germany"), connectors ("in", "based in", "anywhere in") and
 *    tails ("only", "based"). Parts that name no one place — continents and
 *    areas ("Europe", "EMEA", "European Union", "Worldwide"), time zones,
 *    "5 Locations" — are dropped.
 * 4. The last part decides: a country (name, alias, or an upper-case code),
 *    a region of the US, Canada or Australia (name, or upper-case code), or
 *    neither. What comes before it is the locality and, with three parts or
 *    more, the region ("Paris, IDF, France"). With two parts and no country
 *    at the end, the second is the region ("Berlin, Berlin").
 * 5. A part that could be a country or a region:
 *    - a code after a city ("San Francisco, CA", "Wilmington, DE") is the
 *      region, unless the city is a known city of that country ("Berlin,
 *      DE", "Bangalore, IN", "Vancouver, CA") — regions.c keeps that list;
 *      a known city also picks among regions that share a code ("Perth,
 *      WA" is Western Australia);
 *    - a code alone ("CA", "IN") is the country;
 *    - a name ("Georgia") is the country unless something says US: a known
 *      US city before it ("Atlanta, Georgia") or "USA" after it.
 * 6. Parts that are all countries, two or more ("USA, Canada, Mexico"),
 *    name no one country: nothing is set but raw.
 * England, Scotland, Wales and Northern Ireland are GB with that region.
 *
 * location_region_country applies rule 5 to a structured address, whose
 * region field is known to be a region.
 */
#include <errno.h>
#include <string.h>

#include "base/arena.h"
#include "scrape/normalize.h"
#include "scrape/normalize/internal.h"
#include "scrape/normalize/lex.h"

#define MAX_PARTS 12
#define KEY_MAX   160

struct part {
	const char *s; /* in the working copy */
	size_t len;
	char key[KEY_MAX]; /* folded */
	char written[8];   /* as written, for codes; "" when longer */
	char country[3];   /* the country it names, or "" */
	char region_of[3]; /* the country it is a region of, or "" */
};

/* Words that name no one place. */
static const char *const areas[] = {
	"europe",
	"eu",
	"european union",
	"emea",
	"north america",
	"south america",
	"latin america",
	"latam",
	"americas",
	"the americas",
	"apac",
	"asia",
	"asia pacific",
	"africa",
	"middle east",
	"mena",
	"oceania",
	"nordics",
	"nordic countries",
	"dach",
	"benelux",
	"scandinavia",
	"cee",
	"eastern europe",
	"western europe",
	"central europe",
	"worldwide",
	"world wide",
	"world",
	"the world",
	"global",
	"globally",
	"anywhere",
	"anywhere in the world",
	"international",
	"multiple locations",
	"various locations",
	"multiple",
	"various",
	"flexible",
	"remote",
	"location",
	"locations",
	"job location",
	"office location",
	"hq",
	"headquarters",
	"cet",
	"cest",
	"utc",
	"gmt",
	"est",
	"edt",
	"pst",
	"pdt",
	"cst",
	"mst",
	"eet",
	"bst",
	"n a",
	"na",
	"tbd",
	"not specified",
	"unspecified",
};
/* Words that make a part a time zone or a note rather than a place. */
static const char *const note_words[] = { "hours",      "hour", "timezone", "timezones", "time zone",
					  "time zones", "tz",   "overlap",  "locations", "days",
					  "day",        "week", "weeks" };
static const char *const leading_connectors[] = { "anywhere in", "based in", "located in", "within",          "in",
						  "from",        "only",     "must be in", "must be based in" };
static const char *const trailing_words[] = { "only", "based", "preferred", "required" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The text without non-word characters at either end ("- London.", "🇺🇸 USA"). */
static void trim(const char **s, size_t *len)
{
	while (*len) {
		unsigned cp;
		size_t k = lex_decode(*s, &cp);
		if (!k || k > *len || lex_word_char_at(*s))
			break;
		*s += k;
		*len -= k;
	}
	while (*len) {
		const char *end = *s + *len;
		const char *q = end - 1;
		while (q > *s && ((unsigned char)*q & 0xC0) == 0x80 && end - q < 4)
			q--;
		if (lex_word_char_at(q) && q + lex_decode(q, &(unsigned){ 0 }) == end)
			break;
		*len = (size_t)(q - *s);
	}
}

/* Bytes of a phrase of the table that ends exactly at s + len, or 0. */
static size_t tail_phrase(const char *s, size_t len, const char *const *words, size_t count)
{
	for (size_t i = 0; i < len; i++) {
		if (!lex_boundary_before(s, s + i))
			continue;
		size_t index, n = lex_longest_phrase_at(s + i, words, count, &index);
		if (n && i + n == len)
			return n;
	}
	return 0;
}

static size_t workplace_tail(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		enum workplace w;
		if (lex_boundary_before(s, s + i) && workplace_phrase_at(s + i, &w) == len - i)
			return len - i;
	}
	return 0;
}

/* Drops workplace words, connectors and tails from a part. The part lives
 * in a NUL-terminated copy, so phrases may read past len only into text
 * that follows it, and every match is checked against len. */
static void clean(const char **s, size_t *len)
{
	for (int round = 0; round < 8; round++) {
		size_t before = *len;
		trim(s, len);
		enum workplace w;
		size_t index, n = workplace_phrase_at(*s, &w);
		if (n && n <= *len) {
			*s += n;
			*len -= n;
			trim(s, len);
		}
		n = lex_longest_phrase_at(*s, leading_connectors, COUNT(leading_connectors), &index);
		if (n && n < *len) {
			*s += n;
			*len -= n;
			trim(s, len);
		}
		if ((n = workplace_tail(*s, *len)) > 0) {
			*len -= n;
			trim(s, len);
		}
		if ((n = tail_phrase(*s, *len, trailing_words, COUNT(trailing_words))) > 0 && n < *len) {
			*len -= n;
			trim(s, len);
		}
		if (*len == before)
			return;
	}
}

static bool in_list(const char *key, const char *const *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(key, list[i]) == 0)
			return true;
	return false;
}

/* True for a part that names no one place. */
static bool is_area(const char *key)
{
	if (in_list(key, areas, COUNT(areas)))
		return true;
	for (size_t i = 0; i < COUNT(note_words); i++)
		if (lex_key_has(key, note_words[i]))
			return true;
	return false;
}

/* Splits one alternative into parts; returns how many. */
static size_t split_parts(char *s, size_t len, struct part *parts)
{
	size_t n = 0;
	size_t start = 0;
	for (size_t i = 0; i <= len && n < MAX_PARTS; i++) {
		size_t sep = 0;
		if (i == len) {
			sep = 1;
		} else if (s[i] == ',' || s[i] == ':') {
			sep = 1;
		} else if (i > 0 && s[i - 1] == ' ' && s[i] != '~' && lex_dash_len(s + i) &&
			   s[i + lex_dash_len(s + i)] == ' ') {
			sep = lex_dash_len(s + i); /* "Hybrid - London"; "Stratford-upon-Avon" stays whole */
		}
		if (!sep)
			continue;
		const char *p = s + start;
		size_t plen = i - start;
		start = i + sep;
		i += sep - 1;
		clean(&p, &plen);
		if (!plen)
			continue;
		struct part *part = &parts[n];
		memset(part, 0, sizeof(*part));
		part->s = p;
		part->len = plen;
		if (!lex_fold(p, plen, false, part->key, sizeof(part->key)))
			part->key[0] = '\0'; /* too long to be a name: a locality at most */
		if (plen < sizeof(part->written)) {
			memcpy(part->written, p, plen);
			part->written[plen] = '\0';
		}
		if (part->key[0] && is_area(part->key))
			continue;
		n++;
	}
	return n;
}

/* Looks each part up as a country and as a region. */
static void classify(struct part *parts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct part *p = &parts[i];
		if (!p->key[0])
			continue;
		if (country_lookup(p->key, p->written, false, p->country) != 0)
			p->country[0] = '\0';
		/* A known city before a region picks among regions sharing a code. */
		char prefer[3] = "";
		if (i > 0 && city_country(parts[i - 1].key, prefer) != 0)
			prefer[0] = '\0';
		if (region_lookup(p->key, p->written, prefer, p->region_of) != 0)
			p->region_of[0] = '\0';
	}
}

/* True when the parts are a list of countries ("USA, Canada, Mexico"). */
static bool country_list(const struct part *parts, size_t n)
{
	if (n < 2)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!parts[i].country[0])
			return false;
		/* "Georgia, USA": a region of a country in the list is no list. */
		for (size_t j = 0; j < n; j++)
			if (parts[i].region_of[0] && strcmp(parts[i].region_of, parts[j].country) == 0)
				return false;
	}
	for (size_t i = 1; i < n; i++)
		if (strcmp(parts[i].country, parts[0].country) != 0)
			return true;
	return false;
}

/* Two or three upper-case letters, dots aside ("CA", "D.C.", "NSW"). */
static bool written_as_code(const char *written)
{
	size_t letters = 0;
	for (const char *p = written; *p; p++) {
		if (*p == '.')
			continue;
		if (*p < 'A' || *p > 'Z')
			return false;
		letters++;
	}
	return letters == 2 || letters == 3;
}

/* Whether a part that is both a country and a region is the region. */
static bool region_wins(const struct part *parts, size_t n, size_t i)
{
	const struct part *p = &parts[i];
	char city[3];
	bool known_city = i > 0 && city_country(parts[i - 1].key, city) == 0;
	if (known_city && strcmp(city, p->country) == 0)
		return false; /* "Berlin, DE", "Tbilisi, Georgia" */
	if (known_city && strcmp(city, p->region_of) == 0)
		return true; /* "Atlanta, Georgia", "Savannah, GA" */
	for (size_t j = 0; j < n; j++)
		if (j != i && strcmp(parts[j].country, p->region_of) == 0)
			return true;                 /* "Georgia, USA" */
	return written_as_code(p->written) && i > 0; /* "Austin, CA" yes; "CA" alone, "Georgia" alone no */
}

static int copy_part(struct arena *a, const struct part *p, const char **out)
{
	*out = arena_strndup(a, p->s, p->len);
	return *out ? 0 : -ENOMEM;
}

/* Sets locality, region and country from the parts of one alternative. */
static int resolve(struct arena *a, struct part *parts, size_t n, struct posting_location *out)
{
	if (country_list(parts, n))
		return 0;
	size_t last = n - 1;
	struct part *lp = &parts[last];
	int locality = -1, region = -1;
	bool last_is_country = lp->country[0] != '\0';
	if (lp->country[0] && lp->region_of[0])
		last_is_country = !region_wins(parts, n, last);
	if (last_is_country) {
		memcpy(out->country, lp->country, 3);
		if (country_is_gb_nation(lp->key))
			region = (int)last;
		if (n >= 3 && region < 0)
			region = (int)last - 1;
		if (n == 2 && region < 0) {
			char of[3];
			bool first_is_region = region_lookup(parts[0].key, parts[0].written, out->country, of) == 0 &&
					       strcmp(of, out->country) == 0;
			if (first_is_region || (!strcmp(out->country, "GB") && country_is_gb_nation(parts[0].key)))
				region = 0; /* "Texas, USA", "England, UK" */
		}
		if (n >= 2 && region != 0)
			locality = 0;
	} else if (lp->region_of[0]) {
		memcpy(out->country, lp->region_of, 3);
		region = (int)last;
		if (n >= 2)
			locality = 0;
	} else {
		locality = 0;
		if (n >= 2)
			region = (int)last;
	}
	if (locality >= 0 && copy_part(a, &parts[locality], &out->locality))
		return -ENOMEM;
	if (region >= 0 && copy_part(a, &parts[region], &out->region))
		return -ENOMEM;
	return 0;
}

/* Length of an alternative separator at s: ';', '|', brackets, bullets,
 * " / ", " or "; 0 when none. */
static size_t alternative_separator(const char *text, const char *s)
{
	if (*s && strchr(";|()[]{}", *s))
		return 1;
	if (!strncmp(s, "•", strlen("•")))
		return strlen("•");
	if (s > text && s[-1] == ' ' && s[0] == '/' && s[1] == ' ')
		return 1;
	if (s > text && s[-1] == ' ' && lex_phrase_at(s, "or") == 2 && s[2] == ' ')
		return 2;
	return 0;
}

int location_parse(struct arena *a, const char *raw, struct posting_location *out, enum workplace *workplace)
{
	memset(out, 0, sizeof(*out));
	if (!raw)
		return 0;
	out->raw = arena_strdup(a, raw);
	if (!out->raw)
		return -ENOMEM;
	enum workplace w = workplace_scan(raw);
	if (workplace && w != WORKPLACE_UNKNOWN)
		*workplace = w;

	/* A working copy, cut to a bound at a character's start. */
	char text[LEX_MAX_TEXT + 1];
	size_t len = strnlen(raw, LEX_MAX_TEXT);
	bool cut = len == LEX_MAX_TEXT;
	while (cut && len > 0 && ((unsigned char)raw[len] & 0xC0) == 0x80)
		len--;
	memcpy(text, raw, len);
	text[len] = '\0';
	len = normalize_text_ws(text);

	struct part parts[MAX_PARTS];
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		size_t sep = i == len ? 1 : alternative_separator(text, text + i);
		if (!sep)
			continue;
		size_t n = split_parts(text + start, i - start, parts);
		start = i + sep;
		i += sep - 1;
		if (!n)
			continue;
		classify(parts, n);
		return resolve(a, parts, n, out);
	}
	return 0;
}

int location_region_country(const char *locality, const char *region, char out[3])
{
	if (!region)
		return -ENOENT;
	const char *r = region;
	size_t rlen = strnlen(region, KEY_MAX);
	trim(&r, &rlen);
	char rkey[KEY_MAX], written[8] = "";
	if (!rlen || !lex_fold(r, rlen, false, rkey, sizeof(rkey)))
		return -ENOENT;
	/* The field says it is a region: a code is one in any case. */
	for (size_t i = 0; i < rlen && rlen < sizeof(written); i++)
		written[i] = (char)(r[i] >= 'a' && r[i] <= 'z' ? r[i] - 32 : r[i]);
	char city[3] = "", lkey[KEY_MAX];
	size_t llen = locality ? strnlen(locality, KEY_MAX) : 0;
	const char *l = locality;
	if (l)
		trim(&l, &llen);
	if (llen && lex_fold(l, llen, false, lkey, sizeof(lkey)) && city_country(lkey, city) != 0)
		city[0] = '\0';
	char named[3];
	if (city[0] && country_code(written[0] ? written : rkey, named) == 0 && strcmp(named, city) == 0) {
		memcpy(out, city, 3); /* "Berlin, DE": the city's country, written where the region goes */
		return 0;
	}
	return region_lookup(rkey, written, city, out);
}
