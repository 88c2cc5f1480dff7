#include "web/tracker_call.h"

#include <time.h>

#include "web/view.h"
#include "web/web.h"

struct tracker_call tracker_call_of(struct request *req)
{
	return (struct tracker_call){
		.store = req->web->store,
		.user_id = req->user.id,
		.now = (int64_t)time(NULL),
		/* API clients without the browser's cookie get UTC, as before. */
		.tz_offset_min = view_tz_offset(req),
		.arena = &req->arena,
	};
}

struct saved_call saved_call_of(struct request *req)
{
	return (struct saved_call){ .store = req->web->store,
				    .search = req->web->search,
				    .user_id = req->user.id,
				    .now = (int64_t)time(NULL),
				    .arena = &req->arena };
}
