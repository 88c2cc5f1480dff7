#include "web/app_query.h"

#include <string.h>

#include "base/text.h"
#include "tracker/status.h"

const char *const app_sort_names[APP_SORT_COUNT] = {
	[APP_SORT_UPDATED_DESC] = "-updated",   [APP_SORT_UPDATED_ASC] = "updated",
	[APP_SORT_CREATED_DESC] = "-created",   [APP_SORT_CREATED_ASC] = "created",
	[APP_SORT_COMPANY_ASC] = "company",     [APP_SORT_COMPANY_DESC] = "-company",
	[APP_SORT_PRIORITY_DESC] = "-priority", [APP_SORT_PRIORITY_ASC] = "priority",
	[APP_SORT_APPLIED_DESC] = "-applied",   [APP_SORT_APPLIED_ASC] = "applied",
};

const char *const app_sort_labels[APP_SORT_COUNT] = {
	[APP_SORT_UPDATED_DESC] = "Recently changed",  [APP_SORT_UPDATED_ASC] = "Least recently changed",
	[APP_SORT_CREATED_DESC] = "Newest first",      [APP_SORT_CREATED_ASC] = "Oldest first",
	[APP_SORT_COMPANY_ASC] = "Company A–Z",        [APP_SORT_COMPANY_DESC] = "Company Z–A",
	[APP_SORT_PRIORITY_DESC] = "Highest priority", [APP_SORT_PRIORITY_ASC] = "Lowest priority",
	[APP_SORT_APPLIED_DESC] = "Applied, newest",   [APP_SORT_APPLIED_ASC] = "Applied, oldest",
};

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

int app_query_parse(struct request *req, struct app_query *q, int64_t default_per_page, const char **bad_field,
		    const char **bad_message)
{
	memset(q, 0, sizeof(*q));
	q->filter.status = nonempty(http_query(req, "status"));
	q->filter.tag = nonempty(http_query(req, "tag"));
	q->filter.q = nonempty(http_query(req, "q"));
	q->filter.sort = APP_SORT_UPDATED_DESC;
	if (q->filter.status && status_index(q->filter.status) < 0) {
		*bad_field = "status";
		*bad_message = "Unknown status: use saved, applied, screening, interviewing, offer, accepted, "
			       "rejected, withdrawn or ghosted.";
		return -1;
	}
	if (q->filter.tag && strchr(q->filter.tag, ',')) {
		*bad_field = "tag";
		*bad_message = "Filter by one tag at a time (tags cannot contain commas).";
		return -1;
	}
	const char *texts[] = { q->filter.tag, q->filter.q };
	const char *names[] = { "tag", "q" };
	for (int i = 0; i < 2; i++)
		if (texts[i] && (strlen(texts[i]) > 200 || !text_utf8_valid(texts[i], strlen(texts[i])))) {
			*bad_field = names[i];
			*bad_message = "Use at most 200 characters of valid UTF-8.";
			return -1;
		}
	/* Tags are stored comma-separated: a comma here would match two adjacent tags. */
	if (q->filter.tag && strchr(q->filter.tag, ',')) {
		*bad_field = "tag";
		*bad_message = "A tag cannot contain a comma: filter by one tag at a time.";
		return -1;
	}
	const char *sort = nonempty(http_query(req, "sort"));
	if (sort) {
		int found = 0;
		for (int i = 0; i < APP_SORT_COUNT; i++)
			if (strcmp(sort, app_sort_names[i]) == 0) {
				q->filter.sort = (enum app_sort)i;
				found = 1;
			}
		if (!found) {
			*bad_field = "sort";
			*bad_message = "Unknown sort: use updated, created, company, priority or applied, with - for "
				       "descending (e.g. -updated).";
			return -1;
		}
	}
	q->sort_name = app_sort_names[q->filter.sort];
	long page = 1, per_page = (long)default_per_page;
	const char *p = nonempty(http_query(req, "page"));
	if (p && text_parse_long(p, 1, 1000000, &page)) {
		*bad_field = "page";
		*bad_message = "page must be a whole number from 1.";
		return -1;
	}
	p = nonempty(http_query(req, "per_page"));
	if (p && text_parse_long(p, 1, 200, &per_page)) {
		*bad_field = "per_page";
		*bad_message = "per_page must be a whole number from 1 to 200.";
		return -1;
	}
	q->page = page;
	q->filter.limit = per_page;
	q->filter.offset = (int64_t)(page - 1) * per_page;
	return 0;
}
