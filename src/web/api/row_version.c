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

/* One entity-tag at *p: advances *p past it. 1 for a strong tag of digits
 * (its value in *version), 0 for any other well-formed tag (weak, or not a
 * number: it can never match), -1 when malformed. */
static int next_tag(const char **p, int64_t *version)
{
	const char *s = *p;
	int weak = s[0] == 'W' && s[1] == '/';
	if (weak)
		s += 2;
	if (*s != '"')
		return -1;
	const char *close = strchr(s + 1, '"');
	if (!close)
		return -1;
	*p = close + 1;
	size_t len = (size_t)(close - s - 1);
	if (weak || len == 0 || len > 19)
		return 0;
	char digits[24];
	memcpy(digits, s + 1, len);
	digits[len] = '\0';
	long n;
	if (text_parse_long(digits, 1, LONG_MAX, &n))
		return 0;
	*version = (int64_t)n;
	return 1;
}

int row_version_scan(const char *if_match, int64_t current, struct row_version_list *out)
{
	*out = (struct row_version_list){ 0 };
	const char *p = if_match;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '*') {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		out->any = 1;
		return *p ? -1 : 0;
	}
	for (;;) {
		/* RFC 9110 5.6.1: empty list elements are allowed and ignored. */
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (!*p)
			break;
		int64_t v = 0;
		int kind = next_tag(&p, &v);
		if (kind < 0)
			return -1;
		if (kind == 1) {
			if (out->strong++ == 0)
				out->first = v;
			if (v == current)
				out->has_current = 1;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p && *p != ',')
			return -1;
	}
	return 0;
}

int64_t row_version_expected(struct request *req, row_version_current_fn current)
{
	const char *v = http_header(req, "If-Match");
	if (!v)
		return 0;
	struct row_version_list l;
	if (row_version_scan(v, -1, &l))
		return -1;
	if (l.any)
		return 0;
	if (l.strong == 0)
		return -1; /* only weak tags: they never match for If-Match */
	if (l.strong == 1)
		return l.first; /* the service compares it with the row's own */
	/* A list: it matches when the row's version is one of them. The service
	 * still compares what we pass, so a change in between is stale. */
	int64_t now;
	if (current(req, &now))
		return -1;
	row_version_scan(v, now, &l);
	return l.has_current ? now : -1;
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
