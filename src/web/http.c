/* http — reading a request and writing its response (see http.h). */
#include "web/http.h"

#include <microhttpd.h>
#include <stdint.h>
#include <string.h>

#include "base/json_out.h"
#include "base/text.h"

const char *http_query(struct request *req, const char *key)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *http_header(struct request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(struct request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

const char *http_form(struct request *req, const char *key)
{
	for (struct kv *f = req->form; f; f = f->next)
		if (!f->filename && strcmp(f->key, key) == 0)
			return f->value;
	return NULL;
}

const struct kv *http_form_file(struct request *req, const char *key)
{
	for (struct kv *f = req->form; f; f = f->next)
		if (f->filename && strcmp(f->key, key) == 0)
			return f;
	return NULL;
}

const char *http_form_get(void *req, const char *key)
{
	return http_form(req, key);
}

int http_form_add(struct request *req, const char *key, const char *filename, const char *data, uint64_t off,
		  size_t size)
{
	struct kv *last = req->form;
	if (off > 0 && last && strcmp(last->key, key) == 0) {
		if (!size)
			return 0;
		size_t need = last->value_len + size + 1;
		if (need < size)
			return -1;
		if (need > last->value_cap) {
			/* Doubling: copying the whole value for every piece would make a
			 * 10 MB upload allocate gigabytes. */
			size_t cap = last->value_cap > SIZE_MAX / 2 ? need : last->value_cap * 2;
			if (cap < need)
				cap = need;
			char *bigger = arena_alloc(&req->arena, cap);
			if (!bigger)
				return -1;
			memcpy(bigger, last->value, last->value_len);
			last->value = bigger;
			last->value_cap = cap;
		}
		char *v = (char *)last->value; /* ours: arena memory of value_cap bytes */
		memcpy(v + last->value_len, data, size);
		last->value_len += size;
		v[last->value_len] = '\0';
		return 0;
	}
	struct kv *f = arena_alloc(&req->arena, sizeof(*f));
	if (!f)
		return -1;
	f->key = arena_strdup(&req->arena, key);
	f->value = arena_strndup(&req->arena, data ? data : "", size);
	if (!f->key || !f->value)
		return -1;
	f->value_len = size;
	f->value_cap = size + 1;
	f->filename = filename ? arena_strdup(&req->arena, filename) : NULL;
	f->next = req->form;
	req->form = f;
	return 0;
}

int http_form_text_valid(const struct request *req)
{
	for (const struct kv *f = req->form; f; f = f->next)
		if (!text_utf8_valid(f->key, strlen(f->key)) ||
		    (!f->filename && !text_utf8_valid(f->value, f->value_len)))
			return 0;
	return 1;
}

json_t *http_json_body(struct request *req)
{
	if (req->json)
		return req->json;
	const char *ct = http_header(req, "Content-Type");
	/* The media type itself, not a prefix: "application/jsonp" is not JSON. */
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
		resp_error(req, 415, "unsupported_media_type",
			   "Send the body as JSON with Content-Type: application/json.", NULL);
		return NULL;
	}
	if (!text_utf8_valid(req->body.data ? req->body.data : "", req->body.len)) {
		resp_error(req, 400, "bad_utf8", "The body is not valid UTF-8.", NULL);
		return NULL;
	}
	json_error_t jerr;
	json_t *j = json_loadb(req->body.data ? req->body.data : "", req->body.len, JSON_REJECT_DUPLICATES, &jerr);
	if (!j) {
		char *msg = arena_printf(&req->arena, "The body is not valid JSON (line %d, column %d: %s).", jerr.line,
					 jerr.column, jerr.text);
		resp_error(req, 400, "bad_json", msg ? msg : "The body is not valid JSON.", NULL);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		resp_error(req, 400, "bad_json", "The body must be a JSON object.", NULL);
		return NULL;
	}
	req->json = j;
	return j;
}

void resp_header(struct request *req, const char *name, const char *value)
{
	struct header *h = arena_alloc(&req->arena, sizeof(*h));
	if (!h)
		return;
	h->name = arena_strdup(&req->arena, name);
	h->value = arena_strdup(&req->arena, value);
	h->next = req->headers;
	req->headers = h;
}

void resp_json(struct request *req, int status)
{
	req->status = status;
	req->content_type = "application/json; charset=utf-8";
	req->responded = 1;
}

static void error_body(struct request *req, int status, const char *code, const char *message, const char *field)
{
	buf_reset(&req->out);
	buf_puts(&req->out, "{\"error\":{\"code\":");
	json_out_string(&req->out, code);
	buf_puts(&req->out, ",\"message\":");
	json_out_string(&req->out, message);
	buf_puts(&req->out, ",\"field\":");
	json_out_string(&req->out, field);
	req->status = status;
	req->content_type = "application/json; charset=utf-8";
	req->responded = 1;
}

void resp_error(struct request *req, int status, const char *code, const char *message, const char *field)
{
	error_body(req, status, code, message, field);
	buf_puts(&req->out, "}}");
}

void resp_field_errors(struct request *req, const struct field_errors *errs)
{
	const struct field_error *first = &errs->items[0];
	char *msg = arena_printf(&req->arena, "%s: %s", first->field, first->message);
	error_body(req, 422, "invalid", msg ? msg : first->message, first->field);
	buf_puts(&req->out, ",\"fields\":{");
	for (size_t i = 0; i < errs->n; i++) {
		/* Field names can echo a client's unknown member: escape them. */
		if (i)
			buf_putc(&req->out, ',');
		json_out_string(&req->out, errs->items[i].field);
		buf_putc(&req->out, ':');
		json_out_string(&req->out, errs->items[i].message);
	}
	buf_puts(&req->out, "}}}");
}

void resp_store_error(struct request *req, int rc)
{
	switch (rc) {
	case STORE_NOTFOUND:
		resp_error(req, 404, "not_found", "No such item.", NULL);
		break;
	case STORE_CONFLICT:
		resp_error(req, 409, "conflict", "That already exists.", NULL);
		break;
	case STORE_BUSY:
		resp_header(req, "Retry-After", "1");
		resp_error(req, 503, "busy", "The database is busy: try again in a moment.", NULL);
		break;
	default:
		resp_error(req, 500, "internal", "The server could not complete this; the log has details.", NULL);
		break;
	}
}

void resp_redirect(struct request *req, const char *location)
{
	buf_reset(&req->out);
	resp_header(req, "Location", location);
	req->status = 303;
	req->content_type = "text/plain; charset=utf-8";
	req->responded = 1;
}

void resp_text(struct request *req, int status, const char *content_type, const char *body, size_t len)
{
	buf_reset(&req->out);
	buf_append(&req->out, body, len);
	req->status = status;
	req->content_type = content_type;
	req->responded = 1;
}
