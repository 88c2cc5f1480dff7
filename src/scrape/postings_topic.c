/* postings_topic — encoding and decoding the postings topic's records; see
 * postings_topic.h. */
#include "scrape/postings_topic.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>

#include "base/arena.h"
#include "base/json_out.h"

void topic_posting_encode(struct buf *out, int64_t run_id, int64_t source_id, int64_t seen_at, const struct posting *p)
{
	buf_puts(out, "{\"type\":\"posting\",\"run_id\":");
	json_out_int(out, run_id);
	JSON_OUT_KEY(out, "source_id");
	json_out_int(out, source_id);
	JSON_OUT_KEY(out, "seen_at");
	json_out_int(out, seen_at);
	JSON_OUT_KEY(out, "posting");
	posting_to_json(p, out);
	buf_putc(out, '}');
}

void topic_run_end_encode(struct buf *out, const struct topic_record *r)
{
	buf_puts(out, "{\"type\":\"run_end\",\"run_id\":");
	json_out_int(out, r->run_id);
	JSON_OUT_KEY(out, "source_id");
	json_out_int(out, r->source_id);
	JSON_OUT_KEY(out, "started_at");
	json_out_int(out, r->started_at);
	JSON_OUT_KEY(out, "status");
	json_out_string(out, r->status);
	JSON_OUT_KEY(out, "message");
	json_out_string(out, r->message ? r->message : "");
	JSON_OUT_KEY(out, "complete");
	json_out_bool(out, r->complete);
	buf_puts(out, ",\"counts\":{\"pages\":");
	json_out_int(out, r->counts.pages);
	JSON_OUT_KEY(out, "bytes");
	json_out_int(out, r->counts.bytes);
	JSON_OUT_KEY(out, "found");
	json_out_int(out, r->counts.found);
	JSON_OUT_KEY(out, "errors");
	json_out_int(out, r->counts.errors);
	JSON_OUT_KEY(out, "blocked");
	json_out_int(out, r->counts.blocked);
	buf_puts(out, "}}");
}

void topic_posting_key(struct buf *out, const struct posting *p)
{
	size_t room = 1000;
	const char *src = p->source ? p->source : "";
	const char *id = p->external_id ? p->external_id : "";
	size_t ls = strnlen(src, 64), li = strnlen(id, room - ls);
	buf_append(out, src, ls);
	buf_putc(out, ':');
	buf_append(out, id, li);
}

static int64_t int_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

static const char *text_of(struct arena *a, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? arena_strdup(a, json_string_value(v)) : NULL;
}

int topic_decode(struct arena *a, const void *payload, size_t len, struct topic_record *out)
{
	memset(out, 0, sizeof(*out));
	json_t *o = json_loadb(payload, len, 0, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		return -EINVAL;
	}
	int rc = -EINVAL;
	const char *type = json_string_value(json_object_get(o, "type"));
	out->run_id = int_of(o, "run_id");
	out->source_id = int_of(o, "source_id");
	if (type && strcmp(type, "posting") == 0) {
		out->type = TOPIC_POSTING;
		out->seen_at = int_of(o, "seen_at");
		rc = posting_from_json(a, json_object_get(o, "posting"), &out->posting);
		if (rc == 0 && (!out->posting.title || !out->posting.source || !out->posting.external_id))
			rc = -EINVAL;
	} else if (type && strcmp(type, "run_end") == 0) {
		out->type = TOPIC_RUN_END;
		out->started_at = int_of(o, "started_at");
		out->status = text_of(a, o, "status");
		out->message = text_of(a, o, "message");
		out->complete = json_is_true(json_object_get(o, "complete"));
		json_t *c = json_object_get(o, "counts");
		out->counts.pages = int_of(c, "pages");
		out->counts.bytes = int_of(c, "bytes");
		out->counts.found = int_of(c, "found");
		out->counts.errors = int_of(c, "errors");
		out->counts.blocked = int_of(c, "blocked"); /* absent (0) in records from before it */
		rc = out->status && out->run_id > 0 ? 0 : -EINVAL;
	}
	json_decref(o);
	return rc;
}
