/* Operations endpoints: liveness, metrics, the API's description. */
#include <string.h>

#include "base/metrics.h"
#include "web/assets.h"
#include "web/handlers.h"
#include "web/web.h"

/* GET /healthz: 200 when the server runs and the database answers and
 * takes writes. One round trip, which takes no lock (a held table lock
 * cannot stall it; a worker it waits for gives up after the lock timeout). */
void api_healthz(struct request *req)
{
	int rc = store_ping(req->web->store);
	if (rc != 0 || store_read_only(req->web->store)) {
		if (rc)
			buf_puts(&req->out, "{\"status\":\"degraded\",\"database\":\"unreachable\"}");
		else /* a standby, or default_transaction_read_only on */
			buf_puts(&req->out, "{\"status\":\"degraded\",\"database\":\"read-only\",\"reason\":"
					    "\"the database refuses writes (a standby, or read-only mode)\"}");
		resp_header(req, "Retry-After", "5");
		resp_json(req, 503);
		return;
	}
	buf_puts(&req->out, "{\"status\":\"ok\",\"database\":\"ok\"}");
	resp_json(req, 200);
}

/* GET /metrics (Prometheus text format) */
void api_metrics(struct request *req)
{
	metrics_render(&req->out);
	req->status = 200;
	req->content_type = "text/plain; version=0.0.4; charset=utf-8";
	req->responded = 1;
}

/* GET /api/v1/openapi.json */
void api_openapi(struct request *req)
{
	const struct asset *a = assets_find("static/openapi.json");
	if (!a) {
		resp_error(req, 404, "not_found", "This build has no OpenAPI document.", NULL);
		return;
	}
	resp_header(req, "Cache-Control", "public, max-age=300");
	resp_text(req, 200, "application/json; charset=utf-8", (const char *)a->data, a->len);
}
