/* legacy — TEMPORARY: the old composite store calls (create with its first
 * timeline entry, whole-record update with a status_change entry, follow-up
 * rules, import) rebuilt on the new row-only store, so the handlers keep
 * working while the service layer (src/tracker/service.h) replaces them.
 * Delete this file when nothing includes it. */
#ifndef JT_TRACKER_LEGACY_H
#define JT_TRACKER_LEGACY_H

#include "store/store.h"

int store_app_create(struct store *s, int64_t user_id, struct application *app, int64_t now);
int store_app_update_all(struct store *s, int64_t user_id, struct application *app, int64_t now);
int store_app_import(struct store *s, int64_t user_id, struct application *apps, size_t n, int64_t now);
int store_event_create(struct store *s, int64_t user_id, struct app_event *ev, int64_t now);
int store_event_edit(struct store *s, int64_t user_id, struct app_event *ev, int64_t now);
int store_event_remove(struct store *s, int64_t user_id, int64_t app_id, int64_t event_id);
int store_contact_create(struct store *s, int64_t user_id, struct contact *c, int64_t link_app_id, int64_t now);

#endif
