/* scan_metrics — how long the resume scanner takes, for GET /metrics:
 * jobtrack_scan_seconds{stage="resume"} (reading a resume: resume_analyse)
 * and {stage="score"} (scoring it against one posting: scan_score).
 *
 * The stages time themselves; a process that serves /metrics registers the
 * family at start so it is described before the first scan. */
#ifndef JT_SCAN_SCAN_METRICS_H
#define JT_SCAN_SCAN_METRICS_H

#include <time.h>

enum scan_stage { SCAN_STAGE_RESUME, SCAN_STAGE_SCORE, SCAN_STAGE_COUNT };

/* Registers the histogram (again is harmless). */
void scan_metrics_register(void);
/* Records the time since `since` (CLOCK_MONOTONIC) for stage. */
void scan_metrics_observe(enum scan_stage stage, const struct timespec *since);

#endif
