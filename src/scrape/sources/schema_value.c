/* sources/schema_value — reading the values JSON-LD and microdata hold the
 * way pages actually write them; see schema.h. */
#include "scrape/sources/schema.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

#include "base/arena.h"
#include "scrape/extract/jsonld.h"
#include "scrape/normalize.h"

static const char *trimmed(struct arena *a, const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	size_t n = strnlen(s, SCHEMA_TEXT_MAX);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return n ? arena_strndup(a, s, n) : NULL;
}

const char *schema_text(struct arena *a, json_t *v, bool name_ok)
{
	/* Nesting is bounded by the extractor (JSONLD_DEPTH_MAX) and the loop
	 * below only walks down, so the recursion ends. */
	if (json_is_string(v))
		return trimmed(a, json_string_value(v));
	if (json_is_integer(v))
		return arena_printf(a, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v)) {
		double d = json_real_value(v);
		if (d == floor(d) && fabs(d) < 1e15)
			return arena_printf(a, "%.0f", d);
		return arena_printf(a, "%g", d);
	}
	if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v) && i < SCHEMA_ARRAY_MAX; i++) {
			const char *s = schema_text(a, json_array_get(v, i), name_ok);
			if (s)
				return s;
		}
		return NULL;
	}
	if (json_is_object(v)) {
		json_t *inner = json_object_get(v, "@value");
		if (!inner && name_ok)
			inner = json_object_get(v, "name");
		/* {"@value": {"@value": …}} is nonsense; one level is enough. */
		return inner && !json_is_object(inner) ? schema_text(a, inner, false) : NULL;
	}
	return NULL;
}

const char *schema_prop(struct arena *a, json_t *obj, const char *key)
{
	return json_is_object(obj) ? schema_text(a, json_object_get(obj, key), true) : NULL;
}

bool schema_number(json_t *v, double *out)
{
	if (json_is_array(v))
		v = json_array_get(v, 0);
	if (json_is_object(v))
		v = json_object_get(v, "@value");
	if (json_is_number(v)) {
		double d = json_number_value(v);
		if (!isfinite(d))
			return false;
		*out = d;
		return true;
	}
	if (json_is_string(v))
		return salary_parse_amount(json_string_value(v), out) == 0 && isfinite(*out);
	return false;
}

json_t *schema_item(json_t *v, size_t i)
{
	if (json_is_array(v))
		return i < SCHEMA_ARRAY_MAX ? json_array_get(v, i) : NULL;
	return i == 0 ? v : NULL;
}

size_t schema_count(json_t *v)
{
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return 1;
	size_t n = json_array_size(v);
	return n < SCHEMA_ARRAY_MAX ? n : SCHEMA_ARRAY_MAX;
}

bool schema_is_type(json_t *v, const char *type)
{
	json_t *t = json_is_object(v) ? json_object_get(v, "@type") : NULL;
	for (size_t i = 0; i < schema_count(t); i++) {
		json_t *e = schema_item(t, i);
		if (json_is_string(e) && jsonld_type_matches(json_string_value(e), type))
			return true;
	}
	return false;
}
