/* The board: one column per status, cards moved by drag and drop or a form. */
#include <string.h>

#include "tracker/application.h"
#include "tracker/status.h"
#include "web/handlers.h"
#include "web/pages/view_model.h"
#include "web/session.h"
#include "web/view.h"
#include "web/web.h"

#define BOARD_MAX 2000

/* GET /board */
void page_board(struct request *req)
{
	struct app_filter f = { .sort = APP_SORT_UPDATED_DESC, .limit = BOARD_MAX };
	struct application *items;
	size_t n;
	int64_t total;
	int rc = store_app_list(req->web->store, req->user.id, &f, &req->arena, &items, &n, &total);
	if (rc) {
		session_page_error(req, 500, "The board could not be loaded; try again.");
		return;
	}
	time_t now = time(NULL);
	json_t *columns[STATUS_COUNT], *moves[STATUS_COUNT];
	json_t *cols = json_array();
	for (int s = 0; s < STATUS_COUNT; s++) {
		columns[s] = json_array();
		/* Each status's "move to" list is the same for all its cards: build it once. */
		moves[s] = json_array();
		for (int t = 0; t < STATUS_COUNT; t++) {
			if (t == s)
				continue;
			json_t *o = json_pack("{s:s,s:s}", "status", status_names[t], "label", status_labels[t]);
			/* Preselect the next stage: pressing Move should go forward. */
			if (t == s + 1)
				json_object_set_new(o, "selected", json_true());
			json_array_append_new(moves[s], o);
		}
	}
	for (size_t i = 0; i < n; i++) {
		int s = status_index(items[i].status);
		if (s < 0)
			continue;
		json_t *card = vm_app_summary(&items[i], now);
		json_object_set(card, "moves", moves[s]);
		json_array_append_new(columns[s], card);
	}
	for (int s = 0; s < STATUS_COUNT; s++) {
		json_t *col = json_pack("{s:s,s:s,s:I}", "status", status_names[s], "label", status_labels[s], "count",
					(json_int_t)json_array_size(columns[s]));
		json_object_set_new(col, "cards", columns[s]);
		json_array_append_new(cols, col);
		json_decref(moves[s]);
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "columns", cols);
	json_object_set_new(ctx, "total", json_integer(total));
	vm_set_count(ctx, "total_label", total, NULL);
	if (total == 0)
		json_object_set_new(ctx, "empty", json_true());
	json_object_set_new(ctx, "nav_board", json_true());
	view_render(req, 200, "board", "Board", ctx);
}

/* POST /applications/{id}/status: status, return_to — the no-JavaScript move. */
void page_app_status_post(struct request *req)
{
	struct application app;
	int rc = store_app_get(req->web->store, req->user.id, req->params[0], &req->arena, &app);
	if (rc) {
		session_page_error(req, rc == STORE_NOTFOUND ? 404 : 500, "That application does not exist.");
		return;
	}
	const char *status = http_form(req, "status");
	if (status_index(status) < 0) {
		session_page_error(req, 400, "Choose a status from the list.");
		return;
	}
	time_t now = time(NULL);
	if (strcmp(app.status, status) != 0) {
		app.status = (char *)status;
		struct field_errors errs = { .n = 0 };
		app_validate(&app, now, &req->arena, &errs);
		rc = store_app_update(req->web->store, req->user.id, &app, (int64_t)now);
		if (rc) {
			session_page_error(req, 500, "The status could not be saved; try again.");
			return;
		}
		session_flash(req, "moved");
	}
	const char *back = http_form(req, "return_to");
	if (back && strcmp(back, "/board") != 0 && strcmp(back, "/applications") != 0)
		back = NULL;
	resp_redirect(req, back ? back : arena_printf(&req->arena, "/applications/%lld", (long long)app.id));
}
