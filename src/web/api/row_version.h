/* row_version — the API's side of row versions: the ETag a single
 * application, event or contact is sent with, the If-Match a PATCH or DELETE
 * may carry, and the answers for the service's results. */
#ifndef JT_WEB_API_ROW_VERSION_H
#define JT_WEB_API_ROW_VERSION_H

#include <stdint.h>

#include "web/http.h"

/* Sends `ETag: "<version>"` (a strong validator). */
void row_version_etag(struct request *req, int64_t version);
/* What If-Match holds (RFC 9110 13.1.1): "*", or a comma-separated list of
 * entity-tags; weak tags (W/"..") never match. */
struct row_version_list {
	int any;         /* "*" */
	int strong;      /* how many strong tags of digits it lists */
	int64_t first;   /* the first of them */
	int has_current; /* `current` is among them */
};
/* Parses an If-Match value into *out: 0, or -1 when it is malformed. */
int row_version_scan(const char *if_match, int64_t current, struct row_version_list *out);
/* The row's current version, for a list in If-Match: 0 or a store error. */
typedef int (*row_version_current_fn)(struct request *req, int64_t *version);
/* The version to pass the service: 0 when If-Match is absent or "*"
 * (anything that exists matches); its one strong tag; for a list, the row's
 * current version when listed. A header no version can match (only weak
 * tags, not listed, garbage) gives -1, which the service finds stale. */
int64_t row_version_expected(struct request *req, row_version_current_fn current);
/* Answers a failed service call: 412 "stale", 409 "not_editable" for
 * history, else as resp_store_error. (TRACKER_INVALID is answered with the
 * field errors by the caller.) */
void row_version_error(struct request *req, int rc);

#endif
