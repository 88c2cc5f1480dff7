/* csv — applications to and from CSV (RFC 4180), for export, import and
 * moving between trackers. The export's last column is the id: importing an
 * edited export updates those applications instead of duplicating them.
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
/* One cell (NULL: empty), quoted when needed and guarded against formulas. */
void csv_write_cell(struct buf *b, const char *s);
void csv_write_app(struct buf *b, const struct application *app, struct arena *a);

struct csv_reject {
	size_t line;       /* 1-based line where the row starts */
	const char *field; /* column at fault, or NULL for the whole row */
	const char *message;
	const char *company; /* the row's company cell, to name it in reports; NULL when empty */
};

struct csv_import {
	struct application *apps; /* rows that passed validation (id > 0: update that one) */
	unsigned *fields;         /* per row of apps: the columns it had (enum app_field_bit) */
	size_t n_apps;
	size_t n_updates; /* how many of apps carry an id */
	struct csv_reject *rejects;
	size_t n_rejects;
};

/* Parses a whole file. The header row names the columns (any order, case-
 * insensitive; unknown columns are ignored). Returns 0, or -1
 * with a message when the file as a whole is unusable (not UTF-8, no
 * company/position columns, too many rows, broken quoting). */
int csv_parse_apps(const char *data, size_t len, time_t now, struct arena *a, struct csv_import *out, char *err,
		   size_t errlen);

/* Looks up the caller's application with this id into *out (strings in a);
 * returns 0 when found, 1 when the caller has no such application (the row
 * is new), -1 when it could not look (the whole import stops: guessing
 * "new" would duplicate the application). */
typedef int (*csv_base_fn)(void *ctx, int64_t id, struct arena *a, struct application *out);

/* csv_parse_apps, where — in a file shaped like our export (our column
 * names, "id" last) — a row whose id names an application that base()
 * finds, and that still has its company or position, is applied onto that
 * record (to update it) instead of starting a new one. Another tool's id
 * column never overwrites anything. A second row with the same id is
 * rejected. */
int csv_parse_apps_with(const char *data, size_t len, time_t now, struct arena *a, csv_base_fn base, void *base_ctx,
			struct csv_import *out, char *err, size_t errlen);

#endif
