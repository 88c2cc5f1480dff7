#include "export/ical.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/timefmt.h"

/* Writes one logical line, folded: after ICAL_LINE_MAX octets (a
 * continuation line's leading space counts) comes CRLF and a space, never
 * inside a UTF-8 sequence. */
static void put_folded(struct buf *out, const char *line, size_t len)
{
	size_t used = 0; /* octets on the current physical line */
	for (size_t i = 0; i < len;) {
		size_t n = 1;
		unsigned char c = (unsigned char)line[i];
		if (c >= 0xF0)
			n = 4;
		else if (c >= 0xE0)
			n = 3;
		else if (c >= 0xC0)
			n = 2;
		if (i + n > len)
			n = len - i;
		if (used + n > ICAL_LINE_MAX) {
			buf_puts(out, "\r\n ");
			used = 1;
		}
		buf_append(out, line + i, n);
		used += n;
		i += n;
	}
	buf_puts(out, "\r\n");
}

void ical_raw(struct buf *out, const char *name, const char *value)
{
	struct buf line;
	buf_init(&line, 1 << 20);
	buf_printf(&line, "%s:%s", name, value ? value : "");
	if (!buf_failed(&line))
		put_folded(out, line.data, line.len);
	buf_free(&line);
}

void ical_text(struct buf *out, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	struct buf line;
	buf_init(&line, 1 << 20);
	buf_printf(&line, "%s:", name);
	for (const char *p = value; *p; p++) {
		unsigned char c = (unsigned char)*p;
		switch (c) {
		case '\\':
			buf_puts(&line, "\\\\");
			break;
		case ';':
			buf_puts(&line, "\\;");
			break;
		case ',':
			buf_puts(&line, "\\,");
			break;
		case '\r':
			if (p[1] != '\n')
				buf_puts(&line, "\\n");
			break;
		case '\n':
			buf_puts(&line, "\\n");
			break;
		default:
			if (c < 0x20 || c == 0x7F)
				break; /* TEXT holds no control characters */
			buf_putc(&line, (char)c);
		}
	}
	if (!buf_failed(&line))
		put_folded(out, line.data, line.len);
	buf_free(&line);
}

void ical_time(struct buf *out, const char *name, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char v[32] = "19700101T000000Z";
	if (gmtime_r(&tt, &tm))
		strftime(v, sizeof(v), "%Y%m%dT%H%M%SZ", &tm);
	ical_raw(out, name, v);
}

int ical_date(struct buf *out, const char *name, const char *date, int days)
{
	time_t t;
	if (!date || !timefmt_date_valid(date))
		return -1;
	struct tm tm = { 0 };
	tm.tm_year = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 + (date[3] - '0') - 1900;
	tm.tm_mon = (date[5] - '0') * 10 + (date[6] - '0') - 1;
	tm.tm_mday = (date[8] - '0') * 10 + (date[9] - '0') + days;
	t = timegm(&tm);
	if (t == (time_t)-1 || !gmtime_r(&t, &tm))
		return -1;
	char v[16], key[64];
	strftime(v, sizeof(v), "%Y%m%d", &tm);
	snprintf(key, sizeof(key), "%s;VALUE=DATE", name);
	ical_raw(out, key, v);
	return 0;
}
