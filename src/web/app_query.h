/* app_query — the filters, sort and page of an application listing, read
 * from the query string the same way for the API and the list page. */
#ifndef JT_WEB_APP_QUERY_H
#define JT_WEB_APP_QUERY_H

#include "store/store.h"
#include "web/http.h"

struct app_query {
	struct app_filter filter;
	int64_t page;          /* 1-based */
	const char *sort_name; /* as given, e.g. "-updated" */
};

/* Sort names, in the order of enum app_sort: "-updated", "updated", … */
extern const char *const app_sort_names[APP_SORT_COUNT];
extern const char *const app_sort_labels[APP_SORT_COUNT];

/* 0, or -1 with the offending parameter and a message. Empty values count as absent. */
int app_query_parse(struct request *req, struct app_query *q, int64_t default_per_page, const char **bad_field,
		    const char **bad_message);

#endif
