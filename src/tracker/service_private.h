/* service_private — what the service's files (app_service.c,
 * event_service.c, contact_service.c, import.c) share and no one else uses. */
#ifndef JT_TRACKER_SERVICE_PRIVATE_H
#define JT_TRACKER_SERVICE_PRIVATE_H

#include <time.h>

#include "tracker/service.h"

/* The caller's wall clock on their own calendar: its date is their "today"
 * (app_validate's applied_on and saved_on). */
static inline time_t service_local_now(const struct tracker_call *c)
{
	return (time_t)(c->now + (int64_t)c->tz_offset_min * 60);
}

#endif
