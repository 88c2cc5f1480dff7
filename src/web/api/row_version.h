/* row_version — the API's side of row versions: the ETag a single
 * application, event or contact is sent with, the If-Match a PATCH or DELETE
 * may carry, and the answers for the service's results. */
#ifndef JT_WEB_API_ROW_VERSION_H
#define JT_WEB_API_ROW_VERSION_H

#include <stdint.h>

#include "web/http.h"

/* Sends `ETag: "<version>"` (a strong validator). */
void row_version_etag(struct request *req, int64_t version);
/* The version If-Match asks for: 0 when absent or "*" (anything that exists
 * matches), else the version of its one strong entity-tag. A header that no
 * version can match (a weak tag, a list, garbage) gives -1, which the
 * service finds stale. */
int64_t row_version_expected(struct request *req);
/* Answers a failed service call: 412 "stale", 409 "not_editable" for
 * history, else as resp_store_error. (TRACKER_INVALID is answered with the
 * field errors by the caller.) */
void row_version_error(struct request *req, int rc);

#endif
