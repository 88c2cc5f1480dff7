/* fuzz_support — what the harnesses in fuzz/ share: turning fuzzer bytes
 * into the C strings, key/value sources and requests the parsers take.
 * Nothing here prints; everything lives in the caller's arena. */
#ifndef JT_FUZZ_SUPPORT_H
#define JT_FUZZ_SUPPORT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

#define FUZZ_KV_MAX 64

struct fuzz_kv {
	const char *key, *value;
};

struct fuzz_kvs {
	struct fuzz_kv items[FUZZ_KV_MAX];
	size_t n;
};

/* data as a NUL-terminated string (cut at its first NUL, as C strings
 * from a request are); NULL when out of memory. */
char *fuzz_str(struct arena *a, const uint8_t *data, size_t size);
/* data parsed as a request's JSON body is (http_json_body's flags: a
 * duplicate member is an error); NULL when it is not JSON. */
json_t *fuzz_json(const uint8_t *data, size_t size);
/* Splits data the way a query string or url-encoded form arrives:
 * "k=v&k2=v2", each part %XX- and +-decoded. A later duplicate key is kept
 * too; lookups find the first, as libmicrohttpd does. */
void fuzz_kv_split(const uint8_t *data, size_t size, struct arena *a, struct fuzz_kvs *out);
/* app_value_fn over a struct fuzz_kvs: the first value of name, or NULL. */
const char *fuzz_kv_get(void *kvs, const char *name);

/* A request whose query arguments and headers are these (the harness's
 * stand-in for libmicrohttpd's connection: http_query and http_header find
 * them). Only what those two read is set. */
struct fuzz_request {
	struct fuzz_kvs query, headers;
};
/* Points req (zeroed here) at fr, for handlers' helpers that read it. */
struct request;
void fuzz_request_init(struct request *req, struct fuzz_request *fr);

#endif
