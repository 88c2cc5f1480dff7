/* json_read — json_loadb made fast for JSON that is read in bulk (the
 * JSON-LD of every page crawled, every posting on the bus), building the
 * very values jansson builds.
 *
 * json_read(s, n, flags) returns what json_loadb(s, n, flags, NULL) would
 * return, or NULL, which means "ask jansson" and never a verdict: it is
 * NULL for every input jansson refuses, for any flag other than
 * JSON_DECODE_ANY and JSON_DISABLE_EOF_CHECK, and for the few inputs it
 * leaves to jansson (nesting past 64 levels, a number written in 64 bytes
 * or more, an escaped key longer than 128 bytes). */
#ifndef JT_BASE_JSON_READ_H
#define JT_BASE_JSON_READ_H

#include <stddef.h>

#include <jansson.h>

json_t *json_read(const char *s, size_t n, size_t flags);

/* json_read, and jansson's json_loadb when that says NULL: a drop-in for
 * json_loadb. error is filled only when the value comes from jansson. */
json_t *json_read_or_load(const char *s, size_t n, size_t flags, json_error_t *error);

#endif
