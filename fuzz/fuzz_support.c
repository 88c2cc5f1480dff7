#include "fuzz_support.h"

#include <jansson.h>
#include <microhttpd.h>
#include <string.h>
#include <strings.h>

#include "base/text.h"
#include "web/http.h"

char *fuzz_str(struct arena *a, const uint8_t *data, size_t size)
{
	return arena_strndup(a, (const char *)data, size);
}

json_t *fuzz_json(const uint8_t *data, size_t size)
{
	return json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
}

/* Decodes data[0..size) into a NUL-terminated arena string. */
static char *decode(struct arena *a, const uint8_t *data, size_t size)
{
	char *out = arena_alloc_raw(a, size + 1);
	if (!out)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < size; i++) {
		int hi, lo;
		if (data[i] == '%' && i + 2 < size && (hi = text_hex_digit(data[i + 1])) >= 0 &&
		    (lo = text_hex_digit(data[i + 2])) >= 0) {
			out[n++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[n++] = data[i] == '+' ? ' ' : (char)data[i];
		}
	}
	out[n] = '\0';
	return out;
}

void fuzz_kv_split(const uint8_t *data, size_t size, struct arena *a, struct fuzz_kvs *out)
{
	out->n = 0;
	size_t start = 0;
	while (start <= size && out->n < FUZZ_KV_MAX) {
		const uint8_t *amp = memchr(data + start, '&', size - start);
		size_t end = amp ? (size_t)(amp - data) : size;
		const uint8_t *eq = memchr(data + start, '=', end - start);
		size_t key_end = eq ? (size_t)(eq - data) : end;
		char *key = decode(a, data + start, key_end - start);
		char *value = eq ? decode(a, eq + 1, end - key_end - 1) : arena_strdup(a, "");
		if (!key || !value)
			return;
		if (*key)
			out->items[out->n++] = (struct fuzz_kv){ key, value };
		start = end + 1;
	}
}

const char *fuzz_kv_get(void *kvs, const char *name)
{
	const struct fuzz_kvs *k = kvs;
	for (size_t i = 0; i < k->n; i++)
		if (strcmp(k->items[i].key, name) == 0)
			return k->items[i].value;
	return NULL;
}

void fuzz_request_init(struct request *req, struct fuzz_request *fr)
{
	memset(req, 0, sizeof(*req));
	req->conn = (struct MHD_Connection *)fr;
}

/* Stands in for libmicrohttpd's lookup (the executable's definition wins
 * over the shared library's), so that http_query and http_header read the
 * fuzzer's arguments. Only the harnesses link this. */
const char *MHD_lookup_connection_value(struct MHD_Connection *connection, enum MHD_ValueKind kind, const char *key)
{
	struct fuzz_request *fr = (struct fuzz_request *)connection;
	if (kind == MHD_GET_ARGUMENT_KIND)
		return fuzz_kv_get(&fr->query, key);
	if (kind == MHD_HEADER_KIND) {
		for (size_t i = 0; i < fr->headers.n; i++)
			if (strcasecmp(fr->headers.items[i].key, key) == 0)
				return fr->headers.items[i].value;
	}
	return NULL;
}
