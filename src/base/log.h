/* log — one structured logger: JSON lines on stderr, one object per line.
 * Thread-safe; each line is written with a single write(2). */
#ifndef JT_BASE_LOG_H
#define JT_BASE_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Parses "debug" | "info" | "warn" | "error"; returns -1 when unknown. */
int log_level_parse(const char *name);
void log_set_level(enum log_level level);
int log_enabled(enum log_level level);

/* {"ts":…,"level":…,"event":event,"msg":formatted} */
void log_event(enum log_level level, const char *event, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Writes an already-built JSON object (without newline) as one line; used by the access log. */
void log_raw_line(const char *json, size_t len);

#endif
