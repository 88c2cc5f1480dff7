/* json_out — writing JSON text straight into a buf.
 * The API serialises hot responses (lists of applications) this way because
 * building a jansson tree first costs several times more; parsing input
 * stays with jansson. Callers place commas and braces themselves. */
#ifndef JT_BASE_JSON_OUT_H
#define JT_BASE_JSON_OUT_H

#include <stdint.h>

#include "base/buf.h"

/* A quoted, escaped JSON string; NULL writes null. Invalid UTF-8 is the
 * caller's problem: every string reaching here was validated on input. */
void json_out_string(struct buf *b, const char *s);
void json_out_stringn(struct buf *b, const char *s, size_t len);
/* "key": — with a leading comma unless first. The key is written as is:
 * only for our own identifiers, never for text a client sent. */
void json_out_key(struct buf *b, const char *key, int first);
/* ,"key": for a string-literal key: one copy, no strlen at run time. */
#define JSON_OUT_KEY(b, lit) buf_append((b), ",\"" lit "\":", sizeof(",\"" lit "\":") - 1)
void json_out_int(struct buf *b, int64_t v);
/* Integer, or null when is_null. */
void json_out_int_or_null(struct buf *b, int64_t v, int is_null);
void json_out_bool(struct buf *b, int v);

#endif
