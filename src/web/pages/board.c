/* The board: one column per status, cards moved by drag and drop or a form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timefmt.h"

#include "tracker/application.h"
#include "tracker/status.h"
#include "web/handlers.h"
#include "web/pages/saved_searches.h"
#include "web/pages/view_model.h"
#include "web/session.h"
#include "web/tracker_call.h"
#include "web/view.h"
#include "web/web.h"

#define BOARD_MAX   2000
#define AGENDA_DAYS 7
#define AGENDA_MAX  8

struct agenda_item {
	int64_t sort_key; /* when, for ordering (follow-ups: midnight UTC of the date) */
	json_t *view;
};

static int agenda_cmp(const void *a, const void *b)
{
	const struct agenda_item *x = a, *y = b;
	return x->sort_key < y->sort_key ? -1 : x->sort_key > y->sort_key;
}

static const struct application *find_app(const struct application *items, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (items[i].id == id)
			return &items[i];
	return NULL;
}

/* A follow-up card for the agenda. */
static json_t *follow_up_view(const struct application *a, const char *today)
{
	int cmp = strcmp(a->follow_up_on, today);
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s}", "app_id", (json_int_t)a->id, "company", a->company, "position",
			      a->position, "kind", "follow_up", "kind_label", "Follow up");
	char label[48];
	if (cmp < 0)
		snprintf(label, sizeof(label), "Overdue since %s", a->follow_up_on);
	else
		snprintf(label, sizeof(label), "%s", cmp == 0 ? "Today" : a->follow_up_on);
	vm_set_str(o, "when_label", label);
	vm_set_str(o, "when_iso", a->follow_up_on);
	if (cmp <= 0)
		json_object_set_new(o, "is_due", json_true());
	return o;
}

/* "Up next": follow-ups due within a week (overdue first) and interviews in the
 * coming week, soonest first — what a job seeker must not miss. Interviews
 * take their places first: a pile of overdue follow-ups must not push
 * tomorrow's interview off the list. Follow-ups fill the rest, the longest
 * overdue first, whichever order the board lists their applications in. */
static json_t *agenda(struct request *req, const struct application *items, size_t n, time_t now)
{
	struct agenda_item found[AGENDA_MAX];
	size_t k = 0;
	struct app_event *ivs = NULL;
	size_t n_ivs = 0;
	if (store_interviews_between(req->web->store, req->user.id, (int64_t)now - 2 * 3600,
				     (int64_t)now + AGENDA_DAYS * 86400, &req->arena, &ivs, &n_ivs) == 0) {
		/* Soonest first from the store, so the first AGENDA_MAX are the ones to keep. */
		for (size_t i = 0; i < n_ivs && k < AGENDA_MAX; i++) {
			const struct application *a = find_app(items, n, ivs[i].app_id);
			/* A rejected or withdrawn application's interview is not coming. */
			if (!a || status_index(a->status) >= status_index("accepted"))
				continue;
			json_t *o =
			    json_pack("{s:I,s:s,s:s,s:s,s:s}", "app_id", (json_int_t)a->id, "company", a->company,
				      "position", a->position, "kind", "interview", "kind_label", "Interview");
			char iso[TIMEFMT_ISO_LEN], disp[64];
			timefmt_iso((time_t)ivs[i].at, iso);
			timefmt_display((time_t)ivs[i].at, disp, sizeof(disp));
			vm_set_str(o, "when_iso", iso);
			vm_set_str(o, "when_label", disp);
			json_object_set_new(o, "has_time", json_true());
			vm_set_str(o, "title", *ivs[i].title ? ivs[i].title : ivs[i].with_whom);
			found[k++] = (struct agenda_item){ ivs[i].at, o };
		}
	}
	/* The earliest follow-ups, kept sorted in found[k..k+m) as they come. */
	size_t m = 0, room = AGENDA_MAX - k;
	const struct application *fus[AGENDA_MAX];
	int64_t keys[AGENDA_MAX];
	char today[TIMEFMT_DATE_LEN], horizon[TIMEFMT_DATE_LEN];
	time_t local = now + (time_t)view_tz_offset(req) * 60; /* the person's calendar day */
	timefmt_date(local, today);
	timefmt_date(local + AGENDA_DAYS * 86400, horizon);
	int first_closed = status_index("accepted");
	for (size_t i = 0; i < n && room > 0; i++) {
		const struct application *a = &items[i];
		if (!a->follow_up_on || status_index(a->status) >= first_closed || strcmp(a->follow_up_on, horizon) > 0)
			continue;
		time_t day;
		if (timefmt_parse(a->follow_up_on, &day))
			continue;
		if (m == room && (int64_t)day >= keys[m - 1])
			continue;
		size_t at = m < room ? m++ : m - 1;
		for (; at > 0 && keys[at - 1] > (int64_t)day; at--) {
			keys[at] = keys[at - 1];
			fus[at] = fus[at - 1];
		}
		keys[at] = (int64_t)day;
		fus[at] = a;
	}
	for (size_t i = 0; i < m; i++)
		found[k++] = (struct agenda_item){ keys[i], follow_up_view(fus[i], today) };
	if (k == 0)
		return NULL;
	qsort(found, k, sizeof(found[0]), agenda_cmp);
	json_t *list = json_array();
	for (size_t i = 0; i < k; i++)
		json_array_append_new(list, found[i].view);
	return list;
}

/* GET /board */
void page_board(struct request *req)
{
	struct app_filter f = { .sort = APP_SORT_UPDATED_DESC, .limit = BOARD_MAX };
	struct application *items;
	size_t n;
	int64_t total;
	int rc = store_app_list(req->web->store, req->user.id, &f, &req->arena, &items, &n, &total);
	if (rc) {
		session_store_error(req, rc, "The board could not be loaded; try again.");
		return;
	}
	time_t now = time(NULL);
	int tz = view_tz_offset(req);
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
		json_t *card = vm_app_summary(&items[i], now, tz);
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
	json_t *next = agenda(req, items, n, now);
	if (next) {
		json_object_set_new(ctx, "agenda", next);
		json_object_set_new(ctx, "has_agenda", json_true());
	}
	saved_box_view(req, ctx, 0);
	json_object_set_new(ctx, "nav_board", json_true());
	view_render(req, 200, "board", "Board", ctx);
}

/* POST /applications/{id}/status: status, return_to — the no-JavaScript move.
 * Only the status changes, whatever else changed since the board was shown. */
void page_app_status_post(struct request *req)
{
	const char *status = http_form(req, "status");
	if (status_index(status) < 0) {
		session_page_error(req, 400, "Choose a status from the list.");
		return;
	}
	struct tracker_call call = tracker_call_of(req);
	struct application app;
	int moved;
	int rc = tracker_app_set_status(&call, req->params[0], status, 0, &app, &moved);
	if (rc) {
		session_store_error(req, rc,
				    rc == STORE_NOTFOUND ? "That application does not exist."
							 : "The status could not be saved; try again.");
		return;
	}
	if (moved)
		session_flash(req, "moved");
	const char *back = http_form(req, "return_to");
	if (back && strcmp(back, "/board") != 0 && strcmp(back, "/applications") != 0)
		back = NULL;
	resp_redirect(req, back ? back : arena_printf(&req->arena, "/applications/%lld", (long long)req->params[0]));
}
