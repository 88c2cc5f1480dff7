/* scan/idf_store — see idf_store.h. Listings come without descriptions,
 * so the newest-max build reads each posting once with store_posting_get;
 * the full build streams store_posting_changed, which carries the texts,
 * and skips closed postings. An arena per page keeps memory flat however
 * many postings there are. */
#include "scan/idf_store.h"

#include <string.h>

#include "base/arena.h"

/* One posting's title and description as a document of t. */
static int add_posting(struct idf_table *t, struct arena *a, const struct store_posting *p)
{
	const char *text = p->description_text ? p->description_text : "";
	const char *title = p->title ? p->title : "";
	char *doc = arena_printf(a, "%s\n%s", title, text);
	struct scan_tokens toks;
	if (!doc || scan_tokenize(a, doc, strlen(doc), &toks) != 0 || idf_add_doc(t, &toks) != 0)
		return -1;
	return 0;
}

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
			if (add_posting(t, &a, &p) != 0)
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

int idf_from_store_all(struct idf_table *t, struct store *s, size_t page, struct idf_mark *mark, size_t *added)
{
	*added = 0;
	*mark = (struct idf_mark){ 0 };
	if (page == 0)
		page = IDF_STORE_PAGE;
	struct arena a;
	arena_init(&a, 0);
	int rc = 0;
	for (;;) {
		arena_reset(&a);
		struct store_posting *rows;
		size_t n;
		rc = store_posting_changed(s, mark->at, mark->id, (int64_t)page, &a, &rows, &n);
		for (size_t i = 0; rc == 0 && i < n; i++) {
			if (rows[i].closed_at != 0)
				continue;
			if (add_posting(t, &a, &rows[i]) != 0)
				rc = -1;
			else
				(*added)++;
		}
		if (rc != 0 || n == 0)
			break;
		mark->at = rows[n - 1].updated_at;
		mark->id = rows[n - 1].id;
		if (n < page)
			break;
	}
	arena_free(&a);
	return rc;
}

int idf_store_changed(struct store *s, const struct idf_mark *mark, bool *changed)
{
	struct arena a;
	arena_init(&a, 0);
	struct store_posting *rows;
	size_t n = 0;
	int rc = store_posting_changed(s, mark->at, mark->id, 1, &a, &rows, &n);
	*changed = rc == 0 && n > 0;
	arena_free(&a);
	return rc;
}
