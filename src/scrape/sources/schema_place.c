/* sources/schema_place — where a schema.org JobPosting's work happens:
 * jobLocation (a Place whose address is a PostalAddress or text, a bare
 * PostalAddress, plain text; one or an array), addressCountry as text or a
 * Country object, and remote work (jobLocationType TELECOMMUTE,
 * applicantLocationRequirements). See schema.h.
 *
 * A structured address is taken as it is written (addressLocality is the
 * locality), and only text is read with the location normaliser: pages put
 * "San Francisco, CA" into addressLocality often enough that a locality with
 * a comma and nothing beside it is read as text too. A posting has one
 * location: the first place fills locality, region and country, and raw
 * lists every place ("Berlin, DE; London, GB"). An address without a
 * country gets the one its region belongs to ("TX": US), as the text would. */
#include <errno.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "scrape/normalize.h"
#include "scrape/sources/schema.h"

/* Places listed in raw; finish.c cuts raw at FINISH_LINE_MAX anyway. */
#define PLACES_IN_RAW 8

/* An addressCountry (or a requirement) as a country code: "DE", "Germany",
 * {"@type":"Country","name":"DE"}. */
static void country_of(struct arena *a, json_t *v, char out[3])
{
	const char *text = schema_text(a, v, true);
	if (!text && json_is_object(v))
		text = schema_prop(a, v, "identifier");
	if (text && country_code(text, out) != 0)
		out[0] = '\0';
}

/* One jobLocation element as a location; false when it says nothing. */
static int one_place(struct arena *a, json_t *place, struct posting_location *loc, enum workplace *w)
{
	memset(loc, 0, sizeof(*loc));
	if (json_is_string(place))
		return location_parse(a, schema_text(a, place, false), loc, w);
	if (!json_is_object(place))
		return 0;
	json_t *addr = json_object_get(place, "address");
	if (!addr && (json_object_get(place, "addressLocality") || json_object_get(place, "addressCountry") ||
		      json_object_get(place, "addressRegion")))
		addr = place; /* a PostalAddress written straight as the jobLocation */
	if (json_is_array(addr))
		addr = json_array_get(addr, 0);
	if (json_is_string(addr))
		return location_parse(a, schema_text(a, addr, false), loc, w);
	if (!json_is_object(addr)) {
		/* A Place with a name only ("Head office, Berlin"). */
		return location_parse(a, schema_prop(a, place, "name"), loc, w);
	}
	const char *locality = schema_prop(a, addr, "addressLocality");
	const char *region = schema_prop(a, addr, "addressRegion");
	json_t *cv = json_object_get(addr, "addressCountry");
	const char *country_text = schema_text(a, cv, true);
	char cc[3] = "";
	country_of(a, cv, cc);
	if (!locality && !region && !country_text) {
		const char *text = schema_prop(a, addr, "name");
		if (!text)
			text = schema_prop(a, place, "name");
		return location_parse(a, text, loc, w);
	}
	if (locality && !region && !country_text && strchr(locality, ','))
		return location_parse(a, locality, loc, w);
	/* No country, but a region that names one: "Austin", "TX" is the US, as
	 * the text "Austin, TX" is. */
	if (!cc[0] && region && location_region_country(locality, region, cc) != 0)
		cc[0] = '\0';

	/* raw: the parts as written, the country by its name when only coded. */
	const char *country_shown =
	    cc[0] && country_name(cc) && country_text && strlen(country_text) <= 3 ? country_name(cc) : country_text;
	const char *parts[3] = { locality, region, country_shown };
	struct buf b;
	buf_init(&b, 4096);
	for (size_t i = 0; i < 3; i++)
		if (parts[i])
			buf_printf(&b, "%s%s", b.len ? ", " : "", parts[i]);
	loc->raw = !buf_failed(&b) && b.len ? arena_strndup(a, b.data, b.len) : NULL;
	buf_free(&b);
	loc->locality = locality;
	loc->region = region;
	memcpy(loc->country, cc, sizeof(cc));
	if (loc->raw) {
		enum workplace found = workplace_scan(loc->raw);
		if (found != WORKPLACE_UNKNOWN)
			*w = found;
	}
	return 0;
}

/* "Remote" and where applicants may live, for a posting with no place. */
static int requirements(struct arena *a, json_t *req, struct posting *p)
{
	struct buf b;
	buf_init(&b, 4096);
	buf_puts(&b, "Remote");
	size_t named = 0;
	char first[3] = "";
	for (size_t i = 0; i < schema_count(req) && named < PLACES_IN_RAW; i++) {
		json_t *r = schema_item(req, i);
		const char *name = schema_text(a, r, true);
		if (!name)
			continue;
		buf_printf(&b, "%s%s", named ? ", " : " - ", name);
		if (named++ == 0)
			country_of(a, r, first);
	}
	int rc = 0;
	if (buf_failed(&b)) {
		rc = -ENOMEM;
	} else if (p->location.raw == NULL) {
		p->location.raw = arena_strndup(a, b.data, b.len);
		if (!p->location.raw)
			rc = -ENOMEM;
		/* One country is where the job is; several are not one place. */
		else if (named == 1)
			memcpy(p->location.country, first, sizeof(first));
	}
	buf_free(&b);
	return rc;
}

int schema_place(struct arena *a, json_t *posting, struct posting *p)
{
	enum workplace w = WORKPLACE_UNKNOWN;
	json_t *type = json_object_get(posting, "jobLocationType");
	for (size_t i = 0; i < schema_count(type) && w == WORKPLACE_UNKNOWN; i++) {
		const char *t = schema_text(a, schema_item(type, i), false);
		w = t ? workplace_parse(t) : WORKPLACE_UNKNOWN;
	}
	json_t *req = json_object_get(posting, "applicantLocationRequirements");
	if (w == WORKPLACE_UNKNOWN && schema_count(req) > 0)
		w = WORKPLACE_REMOTE; /* only remote postings state where applicants may live */

	json_t *places = json_object_get(posting, "jobLocation");
	struct buf raw;
	buf_init(&raw, 8192);
	size_t listed = 0;
	enum workplace said = WORKPLACE_UNKNOWN;
	for (size_t i = 0; i < schema_count(places) && listed < PLACES_IN_RAW; i++) {
		struct posting_location loc;
		enum workplace lw = WORKPLACE_UNKNOWN;
		if (one_place(a, schema_item(places, i), &loc, &lw) != 0) {
			buf_free(&raw);
			return -ENOMEM;
		}
		if (!loc.raw && !loc.locality && !loc.country[0])
			continue;
		if (listed == 0) {
			p->location = loc;
			said = lw;
		}
		if (loc.raw)
			buf_printf(&raw, "%s%s", raw.len ? "; " : "", loc.raw);
		listed++;
	}
	if (listed > 1 && !buf_failed(&raw)) {
		p->location.raw = arena_strndup(a, raw.data, raw.len);
		if (!p->location.raw) {
			buf_free(&raw);
			return -ENOMEM;
		}
	}
	buf_free(&raw);
	if (w == WORKPLACE_UNKNOWN)
		w = said;
	if (w != WORKPLACE_UNKNOWN)
		p->workplace = w;
	if (w == WORKPLACE_REMOTE && listed == 0)
		return requirements(a, req, p);
	return 0;
}
