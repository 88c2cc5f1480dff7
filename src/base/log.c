#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/json_out.h"
#include "base/timefmt.h"

static enum log_level current_level = LOG_INFO;
static const char *const level_names[] = { "debug", "info", "warn", "error" };

int log_level_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(name, level_names[i]) == 0)
			return i;
	return -1;
}

void log_set_level(enum log_level level)
{
	current_level = level;
}

int log_enabled(enum log_level level)
{
	return level >= current_level;
}

void log_raw_line(const char *json, size_t len)
{
	/* One write per line keeps lines whole when threads log at once. */
	struct buf b;
	buf_init(&b, len + 2);
	buf_append(&b, json, len);
	buf_putc(&b, '\n');
	if (!buf_failed(&b)) {
		ssize_t n = write(STDERR_FILENO, b.data, b.len);
		(void)n;
	}
	buf_free(&b);
}

void log_event(enum log_level level, const char *event, const char *fmt, ...)
{
	if (!log_enabled(level))
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	char ts[TIMEFMT_ISO_MS_LEN];
	timefmt_now_iso_ms(ts);
	struct buf b;
	buf_init(&b, 4096);
	buf_puts(&b, "{\"ts\":");
	json_out_string(&b, ts);
	buf_puts(&b, ",\"level\":");
	json_out_string(&b, level_names[level]);
	buf_puts(&b, ",\"event\":");
	json_out_string(&b, event);
	buf_puts(&b, ",\"msg\":");
	json_out_string(&b, msg);
	buf_putc(&b, '}');
	if (!buf_failed(&b))
		log_raw_line(b.data, b.len);
	buf_free(&b);
}
