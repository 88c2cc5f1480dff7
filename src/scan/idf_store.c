/* scan/idf_store — see idf_store.h. Listings come without descriptions,
 * so each posting is read once with store_posting_get; an arena per page
 * keeps memory flat however many postings there are. */
#include "scan/idf_store.h"

#include <string.h>

#include "base/arena.h"

int idf_from_store(struct idf_table *t, struct store *s, size_t max, size_t *added)
{
	*added = 0;
	struct posting_filter f = { .limit = 200 };
	for (;;) {
		struct arena a;
		arena_init(&a, 0);
		struct store_posting *list;
		size_t n;
		struct posting_cursor next;
		int rc = store_posting_list(s, &f, &a, &list, &n, &next);
		for (size_t i = 0; rc == 0 && i < n && *added < max; i++) {
			struct store_posting p;
			rc = store_posting_get(s, list[i].id, &a, &p, NULL, NULL);
			if (rc == STORE_NOTFOUND) {
				rc = 0;
				continue;
			}
			if (rc != 0)
				break;
			const char *text = p.description_text ? p.description_text : "";
			const char *title = p.title ? p.title : "";
			char *doc = arena_printf(&a, "%s\n%s", title, text);
			struct scan_tokens toks;
			if (!doc || scan_tokenize(&a, doc, strlen(doc), &toks) != 0 || idf_add_doc(t, &toks) != 0)
				rc = -1;
			else
				(*added)++;
		}
		arena_free(&a);
		if (rc != 0)
			return rc;
		if (next.id == 0 || *added >= max)
			return 0;
		f.after = next;
	}
}
