#include "web/posting_query.h"

#include <limits.h>
#include <string.h>

#include "base/text.h"

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

static int parse_cursor(const char *s, struct posting_cursor *c)
{
	const char *sep = strchr(s, '_');
	if (!sep || sep == s || (size_t)(sep - s) >= 24 || strlen(sep + 1) >= 24)
		return -1;
	char first[24];
	memcpy(first, s, (size_t)(sep - s));
	first[sep - s] = '\0';
	long seen, id;
	if (text_parse_long(first, 0, LONG_MAX, &seen) || text_parse_long(sep + 1, 1, LONG_MAX, &id))
		return -1;
	c->first_seen = seen;
	c->id = id;
	return 0;
}

int posting_query_parse(struct request *req, int64_t default_limit, struct posting_filter *f, const char **bad_field,
			const char **bad_msg)
{
	memset(f, 0, sizeof(*f));
	f->limit = default_limit;
	const char *v = nonempty(http_query(req, "limit"));
	long n;
	if (v && text_parse_long(v, 1, POSTING_QUERY_LIMIT_MAX, &n)) {
		*bad_field = "limit";
		*bad_msg = "limit must be a whole number from 1 to 200.";
		return -1;
	}
	if (v)
		f->limit = n;
	v = nonempty(http_query(req, "cursor"));
	if (v && parse_cursor(v, &f->after)) {
		*bad_field = "cursor";
		*bad_msg = "cursor must be a next_cursor value from an earlier page.";
		return -1;
	}
	v = nonempty(http_query(req, "include_closed"));
	if (v && strcmp(v, "true") && strcmp(v, "false") && strcmp(v, "1") && strcmp(v, "0")) {
		*bad_field = "include_closed";
		*bad_msg = "include_closed must be true or false.";
		return -1;
	}
	f->include_closed = v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
	return 0;
}

char *posting_cursor_format(struct request *req, const struct posting_cursor *c)
{
	if (!c->id)
		return NULL;
	return arena_printf(&req->arena, "%lld_%lld", (long long)c->first_seen, (long long)c->id);
}

int posting_page_sources(struct store *s, const struct store_posting *items, size_t n, struct arena *a,
			 struct posting_source_group **groups)
{
	int64_t *ids = arena_alloc(a, (n ? n : 1) * sizeof(*ids));
	if (!ids)
		return STORE_ERROR;
	for (size_t i = 0; i < n; i++)
		ids[i] = items[i].id;
	return store_posting_sources_of(s, ids, n, a, groups);
}
