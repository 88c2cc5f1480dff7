/* JSON-LD extraction (scrape/extract/jsonld*.c) on any bytes, three ways:
 * as a whole page; as the body of one ld+json script in a page; and as a
 * body for the repair alone. Every posting returned is a JobPosting object
 * and the list serialises (no reference cycle); the repair never writes
 * past the bound it promises; JSON jansson writes is a fixed point of
 * the repair (it must not damage valid JSON); and whatever the fast JSON
 * reader (base/json_read.h) returns is exactly what jansson returns for the
 * same bytes, with the flags the extractor and the bus's decoder use. Any
 * violation aborts. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/json_read.h"
#include "scrape/extract/jsonld.h"

static void check_postings(json_t *list)
{
	if (!list)
		return;
	size_t i;
	json_t *p;
	json_array_foreach (list, i, p)
		if (!jsonld_is_job_posting(p))
			abort();
	char *text = json_dumps(list, JSON_COMPACT);
	if (!text)
		abort(); /* a cycle, or out of memory */
	free(text);
	json_decref(list);
}

static void check_repair(const char *s, size_t n)
{
	size_t len;
	char *fixed = jsonld_repair(s, n, &len);
	if (!fixed)
		return;
	if (len > 6 * n + JSONLD_REPAIR_DEPTH_MAX + JSONLD_VALUES_MAX + 2 || strlen(fixed) != len)
		abort();
	json_t *v = json_loadb(fixed, len, JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK, NULL);
	free(fixed);
	if (!v)
		return;
	char *dumped = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(v);
	if (!dumped)
		return;
	size_t dumped_len = strlen(dumped);
	char *again = jsonld_repair(dumped, dumped_len, &len);
	if (again && (len != dumped_len || memcmp(again, dumped, len) != 0))
		abort();
	free(again);
	free(dumped);
}

/* The fast reader answers only where jansson agrees, to the last detail:
 * types, key order, and every real at full precision. */
static void check_reader(const char *s, size_t n, size_t flags)
{
	json_t *fast = json_read(s, n, flags);
	if (!fast)
		return;
	json_t *slow = json_loadb(s, n, flags, NULL);
	if (!slow || !json_equal(fast, slow))
		abort();
	size_t dump = JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17);
	char *a = json_dumps(fast, dump), *b = json_dumps(slow, dump);
	if (a && b && strcmp(a, b) != 0)
		abort();
	free(a);
	free(b);
	json_decref(fast);
	json_decref(slow);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	check_postings(jsonld_job_postings(s, size, NULL));

	static const char open[] = "<script type=\"application/ld+json\">", close[] = "</script>";
	char *page = malloc(sizeof(open) + size + sizeof(close));
	if (page) {
		memcpy(page, open, sizeof(open) - 1);
		memcpy(page + sizeof(open) - 1, data, size);
		memcpy(page + sizeof(open) - 1 + size, close, sizeof(close) - 1);
		check_postings(jsonld_job_postings(page, sizeof(open) - 1 + size + sizeof(close) - 1, NULL));
		free(page);
	}

	check_reader(s, size, JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK);
	check_reader(s, size, 0);
	bool repaired;
	json_decref(jsonld_parse_body(s, size, &repaired));
	check_repair(s, size);
	return 0;
}
