/* csv — applications to and from CSV (RFC 4180), for export, import and
 * moving between trackers.
 *
 * Export guards against spreadsheet formula injection: a cell that starts
 * with = + - @ gets a leading apostrophe, which import strips again. */
#ifndef JT_TRACKER_CSV_H
#define JT_TRACKER_CSV_H

#include <stddef.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "store/store.h"

#define CSV_MAX_ROWS 10000

void csv_write_header(struct buf *b);
void csv_write_app(struct buf *b, const struct application *app, struct arena *a);

struct csv_reject {
	size_t line;       /* 1-based line where the row starts */
	const char *field; /* column at fault, or NULL for the whole row */
	const char *message;
};

struct csv_import {
	struct application *apps; /* rows that passed validation */
	size_t n_apps;
	struct csv_reject *rejects;
	size_t n_rejects;
};

/* Parses a whole file. The header row names the columns (any order, case-
 * insensitive; unknown columns are ignored). Returns 0, or -1
 * with a message when the file as a whole is unusable (not UTF-8, no
 * company/position columns, too many rows, broken quoting). */
int csv_parse_apps(const char *data, size_t len, time_t now, struct arena *a, struct csv_import *out, char *err,
		   size_t errlen);

#endif
