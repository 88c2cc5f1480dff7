/* What "Add a job by URL" reads from a fetched page when it finds no
 * posting (discover/page_facts.c), and which posting of a board a pasted
 * URL names (discover/import.c: import_pick). The input's first line is a
 * URL, the rest a page. Checks: the facts are within their bounds, valid
 * UTF-8 without control characters (they reach JSON and HTML); import_pick
 * answers an index in range, and finds a posting whose page is the URL. */
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/text.h"
#include "discover/import.h"
#include "discover/page_facts.h"
#include "fuzz_support.h"

static void check_text(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n > max || !text_utf8_valid(s, n) || text_has_control(s))
		abort();
	if (n && (s[0] == ' ' || s[n - 1] == ' ' || strstr(s, "  ")))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a, 0);
	const char *p = (const char *)data, *end = p + size;
	const char *nl = memchr(p, '\n', size);
	char *url = arena_strndup(&a, p, nl ? (size_t)(nl - p) : size);
	const char *page = nl ? nl + 1 : end;

	struct page_facts f;
	page_facts_read(page, (size_t)(end - page), &f);
	check_text(f.title, PAGE_FACTS_TITLE_MAX);
	if (f.ntypes > PAGE_FACTS_TYPES || f.jsonld_unread > f.jsonld_blocks)
		abort();
	for (size_t i = 0; i < f.ntypes; i++) {
		check_text(f.types[i], PAGE_FACTS_TYPE_MAX);
		if (!f.types[i][0])
			abort();
	}

	if (url) {
		/* A board of three: the URL itself, a sibling, and one whose id is
		 * the URL's last segment. */
		struct posting list[3];
		memset(list, 0, sizeof(list));
		list[0].url = "https://boards.example/acme/jobs/1";
		list[0].external_id = "1";
		const char *slash = strrchr(url, '/');
		list[1].external_id = slash && slash[1] ? slash + 1 : NULL;
		list[2].url = url;
		int i = import_pick(list, 3, url, size % 2 == 0);
		if (i < -1 || i > 2)
			abort();
		if (strstr(url, "://") && i == -1)
			abort(); /* list[2] is the URL's own page */
		if (import_pick(list, 0, url, true) != -1)
			abort();
	}
	arena_free(&a);
	return 0;
}
