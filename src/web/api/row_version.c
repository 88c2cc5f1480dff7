#include "web/api/row_version.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "tracker/service.h"

void row_version_etag(struct request *req, int64_t version)
{
	char etag[32];
	snprintf(etag, sizeof(etag), "\"%lld\"", (long long)version);
	resp_header(req, "ETag", etag);
}

int64_t row_version_expected(struct request *req)
{
	const char *v = http_header(req, "If-Match");
	if (!v)
		return 0;
	while (*v == ' ' || *v == '\t')
		v++;
	size_t len = strlen(v);
	while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	if (len == 1 && v[0] == '*')
		return 0;
	/* "N": digits between quotes, nothing else. */
	if (len < 3 || len > 21 || v[0] != '"' || v[len - 1] != '"')
		return -1;
	char digits[24];
	memcpy(digits, v + 1, len - 2);
	digits[len - 2] = '\0';
	long n;
	if (text_parse_long(digits, 1, LONG_MAX, &n))
		return -1;
	return (int64_t)n;
}

void row_version_error(struct request *req, int rc)
{
	switch (rc) {
	case TRACKER_STALE:
		resp_error(req, 412, "stale",
			   "It changed since you read it (If-Match does not match its ETag): get it again and retry.",
			   NULL);
		return;
	case TRACKER_HISTORY:
		resp_error(req, 409, "not_editable",
			   "Status changes and the \"created\" entry are the application's history and cannot be "
			   "edited or removed.",
			   NULL);
		return;
	default:
		resp_store_error(req, rc);
		return;
	}
}
