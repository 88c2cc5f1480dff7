/* base/csv_read — RFC 4180 fields and rows (see csv_read.h). */
#include "base/csv_read.h"

#include "base/buf.h"

int csv_read_field(struct csv_reader *r, struct arena *a, char **out)
{
	struct buf b;
	buf_init(&b, 1 << 20);
	int more = 0;
	if (r->p < r->end && *r->p == '"') {
		r->p++;
		for (;;) {
			if (r->p >= r->end) {
				buf_free(&b);
				return -1; /* unterminated quote */
			}
			char c = *r->p++;
			if (c == '"') {
				if (r->p < r->end && *r->p == '"') {
					buf_putc(&b, '"');
					r->p++;
					continue;
				}
				break;
			}
			if (c == '\n')
				r->line++;
			buf_putc(&b, c);
		}
		if (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r') {
			buf_free(&b);
			return -1; /* text after a closing quote */
		}
	} else {
		while (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r')
			buf_putc(&b, *r->p++);
	}
	if (r->p < r->end && *r->p == ',') {
		r->p++;
		more = 1;
	} else {
		if (r->p < r->end && *r->p == '\r')
			r->p++;
		if (r->p < r->end && *r->p == '\n')
			r->p++;
		r->line++;
	}
	if (buf_failed(&b)) {
		buf_free(&b);
		return -1;
	}
	char *s = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	if (!s)
		return -1;
	*out = s;
	return more;
}

int csv_read_row(struct csv_reader *r, struct arena *a, char **cells, size_t max, size_t *n)
{
	*n = 0;
	for (;;) {
		char *cell;
		int more = csv_read_field(r, a, &cell);
		if (more < 0)
			return -1;
		if (*n < max)
			cells[*n] = cell;
		(*n)++;
		if (!more)
			return 0;
	}
}
