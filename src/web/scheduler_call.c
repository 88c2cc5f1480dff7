/* scheduler_call — stand-ins for the scheduler's functions (scrape/scheduler.h)
 * in a build that has no scheduler.
 *
 * The admin handlers call the scheduler only when struct web's `scheduler`
 * is set, which happens only in a process that made one (serve, with
 * src/scrape/scheduler.c linked in). A binary or test built without that
 * file still has to link, though, so these weak definitions stand in: the
 * real ones, where present, replace them at link time. None of them is
 * ever reached with a NULL scheduler; should one be reached, it answers
 * as a scheduler that is stopping would. */
#include <errno.h>

#include "scrape/scheduler.h"

__attribute__((weak)) int scrape_scheduler_run_now(struct scrape_scheduler *s, int64_t source_id, int64_t *run_id)
{
	(void)s;
	(void)source_id;
	*run_id = 0;
	return -ESHUTDOWN;
}

__attribute__((weak)) void scrape_scheduler_reload(struct scrape_scheduler *s, int64_t source_id)
{
	(void)s;
	(void)source_id;
}

__attribute__((weak)) int scrape_scheduler_progress(struct scrape_scheduler *s, int64_t run_id,
						    struct scrape_progress *out)
{
	(void)s;
	(void)run_id;
	(void)out;
	return -ENOENT;
}

__attribute__((weak)) void scrape_scheduler_ingest_lag(struct scrape_scheduler *s, int64_t *pending, double *oldest_s)
{
	(void)s;
	*pending = 0;
	*oldest_s = 0;
}
