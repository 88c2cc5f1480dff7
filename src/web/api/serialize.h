/* serialize — the JSON shapes of the API's resources, written straight into
 * the response buffer. The OpenAPI document (openapi.c) describes the same
 * shapes; change both together. */
#ifndef JT_WEB_API_SERIALIZE_H
#define JT_WEB_API_SERIALIZE_H

#include "base/buf.h"
#include "store/store.h"

void serialize_app(struct buf *b, const struct application *app);
void serialize_event(struct buf *b, const struct app_event *ev);
void serialize_contact(struct buf *b, const struct contact *c);
void serialize_user(struct buf *b, const struct user *u);
/* Writes an ISO-8601 UTC timestamp string, or null for 0. */
void serialize_time(struct buf *b, int64_t t);

#endif
