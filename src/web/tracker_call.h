/* tracker_call — the service's view of a request: who asks, when, on whose
 * calendar, and the request's arena for what comes back. */
#ifndef JT_WEB_TRACKER_CALL_H
#define JT_WEB_TRACKER_CALL_H

#include "search/saved.h"
#include "tracker/service.h"
#include "web/http.h"

/* The caller's tracker_call, at the current time. */
struct tracker_call tracker_call_of(struct request *req);
/* The same for the saved-searches service (search/saved.h). */
struct saved_call saved_call_of(struct request *req);

#endif
