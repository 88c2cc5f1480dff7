/* server_timing — where a handler's time went, sent as a Server-Timing
 * response header (W3C Server Timing: browsers' developer tools and
 * benchmarks read it). Each phase gives its wall time and, as
 * "<name>-cpu", the CPU time of the thread that served it: on a busy
 * machine the wall time has other processes' turns in it, the CPU time is
 * the request's own cost. A handler starts a clock, marks the end of each
 * phase, and adds the header before it responds. */
#ifndef JT_WEB_SERVER_TIMING_H
#define JT_WEB_SERVER_TIMING_H

#include <time.h>

#include "web/http.h"

#define SERVER_TIMING_PHASES 4

struct server_timing {
	struct timespec wall, cpu; /* when the current phase began */
	struct {
		const char *name; /* a token: letters, digits, '-', '_' */
		double wall_ms, cpu_ms;
	} phase[SERVER_TIMING_PHASES];
	int n;
};

void server_timing_start(struct server_timing *t);
/* Ends the current phase as name and starts the next; a phase past
 * SERVER_TIMING_PHASES is dropped. */
void server_timing_mark(struct server_timing *t, const char *name);
/* Server-Timing: name;dur=ms, name-cpu;dur=ms, … and total, total-cpu. */
void server_timing_header(struct request *req, const struct server_timing *t);

#endif
