/* The list view: filters, sorting and pages over the user's applications. */
#include <string.h>

#include "tracker/status.h"
#include "web/app_query.h"
#include "web/handlers.h"
#include "web/pages/follow_ups.h"
#include "web/pages/view_model.h"
#include "web/session.h"
#include "web/view.h"
#include "web/web.h"

#define LIST_PER_PAGE 25

/* A link to another page of the same listing. */
static char *page_url(struct request *req, const struct app_query *q, int64_t page)
{
	struct buf b;
	buf_init(&b, 2048);
	buf_printf(&b, "/applications?page=%lld&sort=%s", (long long)page, q->sort_name);
	const char *keys[] = { "status", "tag", "q" };
	const char *vals[] = { q->filter.status, q->filter.tag, q->filter.q };
	for (int i = 0; i < 3; i++) {
		if (!vals[i])
			continue;
		buf_printf(&b, "&%s=", keys[i]);
		vm_put_query_value(&b, vals[i]);
	}
	char *out = buf_failed(&b) ? NULL : arena_strdup(&req->arena, b.data);
	buf_free(&b);
	return out;
}

/* GET /applications?q=&status=&tag=&sort=&page= */
void page_list(struct request *req)
{
	struct app_query q;
	const char *bad_field, *bad_msg;
	if (app_query_parse(req, &q, LIST_PER_PAGE, &bad_field, &bad_msg)) {
		session_page_error(req, 400, bad_msg);
		return;
	}
	struct application *items;
	size_t n;
	int64_t total;
	int rc = store_app_list(req->web->store, req->user.id, &q.filter, &req->arena, &items, &n, &total);
	if (rc) {
		session_store_error(req, rc, "The list could not be loaded; try again.");
		return;
	}
	int64_t pages = (total + q.filter.limit - 1) / q.filter.limit;
	if (n == 0 && total > 0 && q.page > pages) {
		/* Past the last page (a stale link, a deletion): go to the last one. */
		resp_redirect(req, page_url(req, &q, pages));
		return;
	}
	time_t now = time(NULL);
	json_t *ctx = json_object();
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(rows, vm_app_summary(&items[i], now, view_tz_offset(req)));
	json_object_set_new(ctx, "items", rows);
	vm_set_str(ctx, "q", q.filter.q);
	vm_set_str(ctx, "tag", q.filter.tag);
	json_object_set_new(ctx, "status_options", vm_status_options(q.filter.status));
	json_t *sorts = json_array();
	for (int i = 0; i < APP_SORT_COUNT; i++) {
		json_t *o = json_pack("{s:s,s:s}", "value", app_sort_names[i], "label", app_sort_labels[i]);
		if ((int)q.filter.sort == i)
			json_object_set_new(o, "selected", json_true());
		json_array_append_new(sorts, o);
	}
	json_object_set_new(ctx, "sort_options", sorts);
	json_object_set_new(ctx, "total", json_integer(total));
	json_object_set_new(ctx, "page", json_integer(q.page));
	json_object_set_new(ctx, "pages", json_integer(pages ? pages : 1));
	if (q.page > 1)
		vm_set_str(ctx, "prev_url", page_url(req, &q, q.page - 1));
	if (q.page < pages)
		vm_set_str(ctx, "next_url", page_url(req, &q, q.page + 1));
	int filtered = q.filter.status || q.filter.tag || q.filter.q;
	vm_set_count(ctx, "total_label", total, filtered ? "matching" : NULL);
	if (filtered)
		json_object_set_new(ctx, "filtered", json_true());
	if (total == 0)
		json_object_set_new(ctx, "empty", json_true());
	json_t *follow_ups = vm_follow_ups(req);
	if (follow_ups)
		json_object_set_new(ctx, "follow_ups", follow_ups);
	json_object_set_new(ctx, "nav_list", json_true());
	view_render(req, 200, "list", "Applications", ctx);
}
