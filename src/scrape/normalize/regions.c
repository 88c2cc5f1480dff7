/* regions — the states, provinces and territories that postings write
 * after a city ("Austin, TX", "Toronto, ON", "Sydney, NSW", "Atlanta,
 * Georgia") for the United States, Canada and Australia, and a short list
 * of well-known cities kept only to settle codes that name both a region
 * and a country ("Berlin, DE" is Germany, not Delaware; "Perth, WA" is
 * Western Australia, not Washington). */
#include <errno.h>
#include <string.h>

#include "scrape/normalize/internal.h"
#include "scrape/normalize/lex.h"

struct region {
	const char *code;
	const char *key; /* folded name */
	char country[3];
};

/* In the order that settles a shared code without other evidence: the US,
 * then Canada, then Australia. */
static const struct region regions[] = {
	{ "AL", "alabama", "US" },
	{ "AK", "alaska", "US" },
	{ "AZ", "arizona", "US" },
	{ "AR", "arkansas", "US" },
	{ "CA", "california", "US" },
	{ "CO", "colorado", "US" },
	{ "CT", "connecticut", "US" },
	{ "DE", "delaware", "US" },
	{ "DC", "district of columbia", "US" },
	{ "DC", "washington dc", "US" },
	{ "FL", "florida", "US" },
	{ "GA", "georgia", "US" },
	{ "HI", "hawaii", "US" },
	{ "ID", "idaho", "US" },
	{ "IL", "illinois", "US" },
	{ "IN", "indiana", "US" },
	{ "IA", "iowa", "US" },
	{ "KS", "kansas", "US" },
	{ "KY", "kentucky", "US" },
	{ "LA", "louisiana", "US" },
	{ "ME", "maine", "US" },
	{ "MD", "maryland", "US" },
	{ "MA", "massachusetts", "US" },
	{ "MI", "michigan", "US" },
	{ "MN", "minnesota", "US" },
	{ "MS", "mississippi", "US" },
	{ "MO", "missouri", "US" },
	{ "MT", "montana", "US" },
	{ "NE", "nebraska", "US" },
	{ "NV", "nevada", "US" },
	{ "NH", "new hampshire", "US" },
	{ "NJ", "new jersey", "US" },
	{ "NM", "new mexico", "US" },
	{ "NY", "new york", "US" },
	{ "NC", "north carolina", "US" },
	{ "ND", "north dakota", "US" },
	{ "OH", "ohio", "US" },
	{ "OK", "oklahoma", "US" },
	{ "OR", "oregon", "US" },
	{ "PA", "pennsylvania", "US" },
	{ "RI", "rhode island", "US" },
	{ "SC", "south carolina", "US" },
	{ "SD", "south dakota", "US" },
	{ "TN", "tennessee", "US" },
	{ "TX", "texas", "US" },
	{ "UT", "utah", "US" },
	{ "VT", "vermont", "US" },
	{ "VA", "virginia", "US" },
	{ "WA", "washington", "US" },
	{ "WV", "west virginia", "US" },
	{ "WI", "wisconsin", "US" },
	{ "WY", "wyoming", "US" },
	{ "AB", "alberta", "CA" },
	{ "BC", "british columbia", "CA" },
	{ "MB", "manitoba", "CA" },
	{ "NB", "new brunswick", "CA" },
	{ "NL", "newfoundland and labrador", "CA" },
	{ "NL", "newfoundland", "CA" },
	{ "NS", "nova scotia", "CA" },
	{ "NT", "northwest territories", "CA" },
	{ "NU", "nunavut", "CA" },
	{ "ON", "ontario", "CA" },
	{ "PE", "prince edward island", "CA" },
	{ "PE", "pei", "CA" },
	{ "QC", "quebec", "CA" },
	{ "SK", "saskatchewan", "CA" },
	{ "YT", "yukon", "CA" },
	{ "ACT", "australian capital territory", "AU" },
	{ "NSW", "new south wales", "AU" },
	{ "NT", "northern territory", "AU" },
	{ "QLD", "queensland", "AU" },
	{ "SA", "south australia", "AU" },
	{ "TAS", "tasmania", "AU" },
	{ "VIC", "victoria", "AU" },
	{ "WA", "western australia", "AU" },
};

/* Cities of the countries whose codes are also region codes (AL, AR, AZ,
 * CA, CO, DE, GA, ID, IL, IN, KY, LA, MA, MD, ME, MN, MO, MT, NC, NE, NL,
 * PA, PE, SA, SC, SD, SK, TN, VA, YT), of Georgia, and Australian and
 * Canadian cities whose region codes are shared (WA, NT), and US cities
 * written with "Georgia". Folded. */
static const struct {
	const char *key;
	char country[3];
} cities[] = {
	{ "berlin", "DE" },        { "munich", "DE" },        { "munchen", "DE" },
	{ "hamburg", "DE" },       { "frankfurt", "DE" },     { "frankfurt am main", "DE" },
	{ "cologne", "DE" },       { "koln", "DE" },          { "stuttgart", "DE" },
	{ "dusseldorf", "DE" },    { "leipzig", "DE" },       { "dresden", "DE" },
	{ "hannover", "DE" },      { "nuremberg", "DE" },     { "nurnberg", "DE" },
	{ "bonn", "DE" },          { "essen", "DE" },         { "dortmund", "DE" },
	{ "bremen", "DE" },        { "karlsruhe", "DE" },     { "mannheim", "DE" },
	{ "heidelberg", "DE" },    { "bangalore", "IN" },     { "bengaluru", "IN" },
	{ "mumbai", "IN" },        { "delhi", "IN" },         { "new delhi", "IN" },
	{ "hyderabad", "IN" },     { "chennai", "IN" },       { "pune", "IN" },
	{ "gurgaon", "IN" },       { "gurugram", "IN" },      { "noida", "IN" },
	{ "kolkata", "IN" },       { "ahmedabad", "IN" },     { "jaipur", "IN" },
	{ "kochi", "IN" },         { "chandigarh", "IN" },    { "toronto", "CA" },
	{ "vancouver", "CA" },     { "montreal", "CA" },      { "calgary", "CA" },
	{ "ottawa", "CA" },        { "edmonton", "CA" },      { "winnipeg", "CA" },
	{ "quebec city", "CA" },   { "halifax", "CA" },       { "mississauga", "CA" },
	{ "yellowknife", "CA" },   { "whitehorse", "CA" },    { "amsterdam", "NL" },
	{ "rotterdam", "NL" },     { "utrecht", "NL" },       { "the hague", "NL" },
	{ "den haag", "NL" },      { "eindhoven", "NL" },     { "groningen", "NL" },
	{ "leiden", "NL" },        { "delft", "NL" },         { "haarlem", "NL" },
	{ "tel aviv", "IL" },      { "tel aviv yafo", "IL" }, { "jerusalem", "IL" },
	{ "haifa", "IL" },         { "herzliya", "IL" },      { "ramat gan", "IL" },
	{ "bogota", "CO" },        { "medellin", "CO" },      { "cali", "CO" },
	{ "barranquilla", "CO" },  { "buenos aires", "AR" },  { "rosario", "AR" },
	{ "mendoza", "AR" },       { "jakarta", "ID" },       { "bandung", "ID" },
	{ "surabaya", "ID" },      { "denpasar", "ID" },      { "casablanca", "MA" },
	{ "rabat", "MA" },         { "marrakech", "MA" },     { "tirana", "AL" },
	{ "valletta", "MT" },      { "sliema", "MT" },        { "msida", "MT" },
	{ "riyadh", "SA" },        { "jeddah", "SA" },        { "dammam", "SA" },
	{ "chisinau", "MD" },      { "podgorica", "ME" },     { "ulaanbaatar", "MN" },
	{ "macau", "MO" },         { "tunis", "TN" },         { "libreville", "GA" },
	{ "niamey", "NE" },        { "khartoum", "SD" },      { "vatican city", "VA" },
	{ "vientiane", "LA" },     { "baku", "AZ" },          { "lima", "PE" },
	{ "arequipa", "PE" },      { "bratislava", "SK" },    { "kosice", "SK" },
	{ "mamoudzou", "YT" },     { "noumea", "NC" },        { "grand cayman", "KY" },
	{ "tbilisi", "GE" },       { "batumi", "GE" },        { "kutaisi", "GE" },
	{ "perth", "AU" },         { "fremantle", "AU" },     { "darwin", "AU" },
	{ "alice springs", "AU" }, { "atlanta", "US" },       { "savannah", "US" },
	{ "alpharetta", "US" },    { "marietta", "US" },      { "macon", "US" },
};

/* as_written as a region code: two or three upper-case letters, dots
 * dropped ("D.C." → "DC"). Returns its length, or 0. */
static size_t upper_code(const char *as_written, char code[4])
{
	size_t n = 0;
	for (const char *p = as_written; *p; p++) {
		if (*p == '.')
			continue;
		if (*p < 'A' || *p > 'Z' || n == 3)
			return 0;
		code[n++] = *p;
	}
	code[n] = '\0';
	return n >= 2 ? n : 0;
}

int region_lookup(const char *key, const char *as_written, const char *prefer, char country[3])
{
	char code[4];
	bool by_code = as_written && upper_code(as_written, code);
	const struct region *first = NULL;
	for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
		const struct region *r = &regions[i];
		if (by_code ? strcmp(r->code, code) != 0 : strcmp(r->key, key) != 0)
			continue;
		if (prefer && prefer[0] && strcmp(prefer, r->country) == 0) {
			first = r;
			break;
		}
		if (!first)
			first = r;
	}
	if (!first)
		return -ENOENT;
	memcpy(country, first->country, 3);
	return 0;
}

int city_country(const char *key, char out[3])
{
	for (size_t i = 0; i < sizeof(cities) / sizeof(cities[0]); i++)
		if (strcmp(key, cities[i].key) == 0) {
			memcpy(out, cities[i].country, 3);
			return 0;
		}
	return -ENOENT;
}
