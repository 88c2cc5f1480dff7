/* CSV export and import from the browser. */
#include "web/csv_io.h"
#include "web/handlers.h"
#include "web/session.h"
#include "web/view.h"

/* GET /export.csv */
void page_export_csv(struct request *req)
{
	csv_io_export(req);
}

/* POST /import (multipart, field "file") */
void page_import_csv(struct request *req)
{
	const struct kv *file = http_form_file(req, "file");
	if (!file) {
		session_page_error(req, 400, "Choose a CSV file to import.");
		return;
	}
	struct csv_import result;
	char err[256];
	int rc = csv_io_import(req, file->value, file->value_len, &result, err, sizeof(err));
	if (rc < 0) {
		session_store_error(req, rc, err);
		return;
	}
	if (rc) {
		session_page_error(req, 400, err);
		return;
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "imported", json_integer((json_int_t)result.n_apps));
	json_object_set_new(ctx, "added", json_integer((json_int_t)(result.n_apps - result.n_updates)));
	json_object_set_new(ctx, "updated", json_integer((json_int_t)result.n_updates));
	json_object_set_new(ctx, "rejected_count", json_integer((json_int_t)result.n_rejects));
	json_t *rej = json_array();
	for (size_t i = 0; i < result.n_rejects; i++) {
		const struct csv_reject *r = &result.rejects[i];
		const char *field = r->field ? r->field : "row";
		char *reason = r->company ? arena_printf(&req->arena, "%s — %s: %s", r->company, field, r->message)
					  : arena_printf(&req->arena, "%s: %s", field, r->message);
		json_array_append_new(rej, json_pack("{s:I,s:s}", "line", (json_int_t)result.rejects[i].line, "reason",
						     reason ? reason : result.rejects[i].message));
	}
	if (result.n_rejects)
		json_object_set_new(ctx, "rejected", rej);
	else
		json_decref(rej);
	view_render(req, 200, "import_result", "Import", ctx);
}
