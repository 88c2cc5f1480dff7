/* http — the request context every handler receives, and the ways a handler
 * answers. Owned by the server glue (server.c); handlers only read the
 * request and fill in the response through the resp_* calls.
 *
 * Memory: everything hanging off a request (parsed query, form fields, path
 * parameters, strings handlers make) comes from req->arena and is freed when
 * the response has been sent. */
#ifndef JT_WEB_HTTP_H
#define JT_WEB_HTTP_H

#include <jansson.h>
#include <stdint.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "store/store.h"
#include "tracker/field_errors.h"

struct web;
struct MHD_Connection;
struct MHD_PostProcessor;

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_PUT, HTTP_PATCH, HTTP_DELETE, HTTP_OTHER };

/* What a route accepts as a body; each has its own size limit. */
enum body_kind { BODY_NONE, BODY_JSON, BODY_FORM, BODY_UPLOAD };

/* Who may call a route. */
enum auth_need {
	AUTH_PUBLIC, /* anyone */
	AUTH_PAGE,   /* a signed-in browser; others are sent to /login */
	AUTH_API,    /* session cookie or Bearer token; others get 401 JSON */
};

enum auth_kind { AUTH_NONE, AUTH_SESSION, AUTH_BEARER };

struct kv {
	const char *key;
	const char *value;
	size_t value_len;
	size_t value_cap;     /* bytes reserved for value, so appends grow it geometrically */
	const char *filename; /* multipart file parts only */
	struct kv *next;
};

struct header {
	const char *name, *value;
	struct header *next;
};

struct route;

struct request {
	struct web *web;
	struct MHD_Connection *conn;
	const struct route *route;
	enum http_method method;
	const char *method_name;
	const char *path;
	char id[20]; /* request id, also sent as X-Request-Id */
	struct arena arena;
	struct timespec started;
	const char *client_addr; /* after X-Forwarded-For from a trusted proxy */
	int https;               /* TLS here, or X-Forwarded-Proto: https from a trusted proxy */

	int64_t params[4]; /* numeric {id} captures of the route pattern, in order */
	size_t n_params;

	/* body: raw bytes (JSON, CSV) or fields (forms; multipart files too) */
	enum body_kind body_kind;
	struct buf body;
	struct kv *form;
	struct MHD_PostProcessor *post;
	size_t form_bytes;
	int body_too_large;
	int body_bad;          /* e.g. malformed multipart */
	int headers_too_large; /* request line + headers over --max-header */
	int body_ignored;      /* the caller may not use the route: the body is dropped unread */
	json_t *json;          /* parsed by http_json_body() */

	/* identity */
	enum auth_kind auth;
	struct user user;
	uint8_t session_hash[32];
	char csrf[48]; /* the token this client must echo on writes */

	/* response */
	int status;
	const char *content_type;
	struct buf out;
	struct header *headers;
	int responded;
	size_t bytes_sent;
};

/* ---- reading ---- */
const char *http_query(struct request *req, const char *key); /* NULL when absent */
const char *http_form(struct request *req, const char *key);  /* NULL when absent */
const struct kv *http_form_file(struct request *req, const char *key);
const char *http_header(struct request *req, const char *name);
const char *http_cookie(struct request *req, const char *name);
/* Parses the JSON body as an object. On failure answers 400/415 itself and
 * returns NULL; the handler just returns. */
json_t *http_json_body(struct request *req);
/* 1 when every form field (its name, and its value unless it is a file) is
 * valid UTF-8 without NUL bytes, else 0. The server checks this once before
 * any handler runs, so that such text never reaches the store (PostgreSQL
 * refuses it where SQLite would keep it). Query arguments are checked by the
 * handlers that read them (bad_query), JSON bodies as they are parsed. */
int http_form_text_valid(const struct request *req);
/* app_value_fn adapter over the form fields. */
const char *http_form_get(void *req, const char *key);
/* For the server glue: records a piece of a form field as MHD's post
 * processor hands it over. A piece with off > 0 continues the field begun
 * last under the same key; the value grows geometrically, so a field that
 * arrives in many pieces costs memory in proportion to its size. 0, or -1
 * when out of memory. */
int http_form_add(struct request *req, const char *key, const char *filename, const char *data, uint64_t off,
		  size_t size);

/* ---- answering ---- */
void resp_header(struct request *req, const char *name, const char *value);
/* Takes the JSON text already written to req->out. */
void resp_json(struct request *req, int status);
/* {"error":{"code":code,"message":message,"field":field|null}} */
void resp_error(struct request *req, int status, const char *code, const char *message, const char *field);
/* 422 with the first field error, and every error under "fields". */
void resp_field_errors(struct request *req, const struct field_errors *errs);
/* Maps a store error to 404 / 409 / 503 / 500. */
void resp_store_error(struct request *req, int store_rc);
void resp_redirect(struct request *req, const char *location); /* 303 See Other */
void resp_text(struct request *req, int status, const char *content_type, const char *body, size_t len);

#endif
