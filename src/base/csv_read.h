/* base/csv_read — reading CSV (RFC 4180) a field or a row at a time:
 * quoted fields with "" for a quote and line breaks inside, LF or CRLF
 * row ends. Shared by the tracker's application import and the taxonomy
 * importers (ESCO, Stack Overflow). */
#ifndef JT_BASE_CSV_READ_H
#define JT_BASE_CSV_READ_H

#include <stddef.h>

#include "base/arena.h"

struct csv_reader {
	const char *p, *end;
	size_t line; /* 1-based line the reader is on */
};

/* Reads one field into *out (arena, NUL-terminated). 1 when the row goes
 * on, 0 at its end, -1 on an unterminated quote, text after a closing
 * quote, or no memory. */
int csv_read_field(struct csv_reader *r, struct arena *a, char **out);
/* Reads one row: its first max cells into cells, *n of them (cells past
 * max are read and dropped; *n counts them too). 0 or -1 (as above). */
int csv_read_row(struct csv_reader *r, struct arena *a, char **cells, size_t max, size_t *n);

#endif
