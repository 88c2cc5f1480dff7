/* sources/options — adapter options; see options.h. */
#include "scrape/sources/options.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "scrape/sources/common.h"

static json_t *options_load(const struct source_config *src)
{
	if (!src->options_json || !*src->options_json)
		return NULL;
	json_t *o = json_loads(src->options_json, 0, NULL);
	if (o && !json_is_object(o)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int src_options_check(const struct source_config *src, char *err, size_t errlen)
{
	if (!src->options_json || !*src->options_json)
		return 0;
	json_error_t je;
	json_t *o = json_loads(src->options_json, 0, &je);
	bool ok = json_is_object(o);
	if (!o)
		snprintf(err, errlen, "the source's options are not JSON: %s", je.text);
	else if (!ok)
		snprintf(err, errlen, "the source's options must be a JSON object");
	json_decref(o);
	return ok ? 0 : -EINVAL;
}

bool src_option_bool(const struct source_config *src, const char *key, bool dflt)
{
	json_t *o = options_load(src);
	bool v = o ? src_json_bool(o, key, dflt) : dflt;
	json_decref(o);
	return v;
}

const char *src_option_text(struct arena *a, const struct source_config *src, const char *key)
{
	json_t *o = options_load(src);
	/* Option keys hold no dots, so the dotted-path reader reads the member itself. */
	const char *s = o ? src_json_text(a, o, key) : NULL;
	json_decref(o);
	return s;
}

long src_page_limit(const struct source_config *src, long dflt)
{
	return src->max_pages > 0 ? src->max_pages : dflt;
}
