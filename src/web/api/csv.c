/* CSV export and import over the API. */
#include <string.h>

#include "base/json_out.h"
#include "web/csv_io.h"
#include "web/handlers.h"

/* GET /api/v1/applications.csv */
void api_apps_export(struct request *req)
{
	csv_io_export(req);
}

/* POST /api/v1/applications/import (Content-Type: text/csv)
 * → {"imported": N, "added": A, "updated": U,
 *    "rejected": [{"line", "field", "message", "company"}]}
 * Rows whose id column names one of the caller's applications update it. */
void api_apps_import(struct request *req)
{
	const char *ct = http_header(req, "Content-Type");
	if (!ct || strncasecmp(ct, "text/csv", 8) != 0) {
		resp_error(req, 415, "unsupported_media_type", "Send the file as the body with Content-Type: text/csv.",
			   NULL);
		return;
	}
	struct csv_import result;
	char err[256];
	int rc = csv_io_import(req, req->body.data ? req->body.data : "", req->body.len, &result, err, sizeof(err));
	if (rc == STORE_BUSY) {
		resp_header(req, "Retry-After", "1");
		resp_error(req, 503, "busy", err, NULL);
		return;
	}
	if (rc < 0) {
		resp_error(req, 500, "internal", err, NULL);
		return;
	}
	if (rc) {
		resp_error(req, 400, "bad_csv", err, NULL);
		return;
	}
	buf_printf(&req->out, "{\"imported\":%zu,\"added\":%zu,\"updated\":%zu,\"rejected\":[", result.n_apps,
		   result.n_apps - result.n_updates, result.n_updates);
	for (size_t i = 0; i < result.n_rejects; i++) {
		buf_printf(&req->out, "%s{\"line\":%zu,\"field\":", i ? "," : "", result.rejects[i].line);
		json_out_string(&req->out, result.rejects[i].field);
		json_out_key(&req->out, "message", 0);
		json_out_string(&req->out, result.rejects[i].message);
		json_out_key(&req->out, "company", 0);
		json_out_string(&req->out, result.rejects[i].company);
		buf_putc(&req->out, '}');
	}
	buf_puts(&req->out, "]}");
	resp_json(req, 200);
}
