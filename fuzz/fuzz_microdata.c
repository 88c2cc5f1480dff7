/* Microdata extraction (scrape/extract/microdata.c) on any bytes, as a
 * page and after a JobPosting item's opening tag (so that the cheap test
 * passes and libxml2 parses every input). Each item appended is a
 * JobPosting object whose values are strings, objects or arrays of them,
 * and the list serialises. Any violation aborts. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scrape/extract/jsonld.h"
#include "scrape/extract/microdata.h"

static void check_value(json_t *v, int depth)
{
	if (depth > MICRODATA_DEPTH_MAX + 2)
		abort();
	if (json_is_string(v))
		return;
	if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach (v, i, e)
			if (json_is_array(e))
				abort(); /* repeated properties make one flat array */
			else
				check_value(e, depth);
		return;
	}
	if (!json_is_object(v))
		abort();
	const char *key;
	json_t *member;
	json_object_foreach (v, key, member)
		check_value(member, depth + 1);
}

static void run(const char *page, size_t len)
{
	json_t *list = json_array();
	if (!list)
		return;
	int n = microdata_job_postings(page, len, list);
	if (n >= 0 && (size_t)n != json_array_size(list))
		abort();
	size_t i;
	json_t *item;
	json_array_foreach (list, i, item) {
		if (!jsonld_is_job_posting(item))
			abort();
		check_value(item, 0);
	}
	char *text = json_dumps(list, JSON_COMPACT);
	if (!text)
		abort();
	free(text);
	json_decref(list);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run((const char *)data, size);
	static const char open[] = "<div itemscope itemtype=\"https://schema.org/JobPosting\">";
	char *page = malloc(sizeof(open) + size);
	if (page) {
		memcpy(page, open, sizeof(open) - 1);
		memcpy(page + sizeof(open) - 1, data, size);
		run(page, sizeof(open) - 1 + size);
		free(page);
	}
	return 0;
}
