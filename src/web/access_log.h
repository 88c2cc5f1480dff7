/* access_log — one JSON line per request, and request ids. */
#ifndef JT_WEB_ACCESS_LOG_H
#define JT_WEB_ACCESS_LOG_H

#include <stddef.h>

#include "web/http.h"

/* A process-unique id: a random per-process prefix and a counter. */
void access_log_new_id(char *out, size_t outlen);
void access_log_write(const struct request *req, double seconds);

#endif
