/* follow_ups — the "Follow-ups due" section any page can show (the list
 * page does; a dashboard can too): include the follow_ups partial and set
 * its context under "follow_ups". */
#ifndef JT_WEB_PAGES_FOLLOW_UPS_H
#define JT_WEB_PAGES_FOLLOW_UPS_H

#include <jansson.h>

#include "web/http.h"

#define FOLLOW_UPS_AHEAD_DAYS 7  /* the section shows what is due within a week, overdue ones first */
#define FOLLOW_UPS_SHOWN      10 /* at most this many; the rest are counted */

/* {items: [{id, company, position, due_on, due_label, overdue, due_today,
 * is_default, deliveries: [{channel, state_label, failed, error}]}],
 * count_label, more (how many past the first FOLLOW_UPS_SHOWN)} for the signed-in user, or NULL when there is nothing to
 * show or the store failed (the page shows without the section then). */
json_t *vm_follow_ups(struct request *req);

#endif
