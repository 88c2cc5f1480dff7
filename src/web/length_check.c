#include "web/length_check.h"

#include <strings.h>

/* "Content-Length:" at the start of a header line, any case. A blank before
 * the colon is not this header for MHD; server.c refuses that name later. */
static int is_content_length(const char *line, size_t len)
{
	static const char name[] = "content-length:";
	return len >= sizeof(name) - 1 && strncasecmp(line, name, sizeof(name) - 1) == 0;
}

/* 0, 400 or 413 for one value (the bytes after the colon, CR excluded). */
static int judge_value(const char *v, size_t len)
{
	size_t i = 0, digits = 0;
	while (i < len && (v[i] == ' ' || v[i] == '\t'))
		i++;
	while (i < len && v[i] >= '0' && v[i] <= '9') {
		i++;
		digits++;
	}
	while (i < len && (v[i] == ' ' || v[i] == '\t'))
		i++;
	if (digits == 0 || i != len)
		return 400;
	return digits > 18 ? 413 : 0;
}

int length_check_head(const char *data, size_t n)
{
	int verdict = 0;
	size_t line = 0;
	int first = 1;
	for (size_t i = 0; i < n; i++) {
		if (data[i] != '\n')
			continue;
		size_t len = i - line;
		if (len && data[line + len - 1] == '\r')
			len--;
		if (len == 0 && !first)
			return verdict; /* the blank line: the head is complete */
		if (!first && !verdict && is_content_length(data + line, len)) {
			size_t skip = sizeof("content-length:") - 1;
			verdict = judge_value(data + line + skip, len - skip);
		}
		first = 0;
		line = i + 1;
	}
	return 0; /* incomplete: MHD reads the rest as it comes */
}
