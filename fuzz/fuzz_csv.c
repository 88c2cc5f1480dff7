/* CSV import (csv_parse_apps_with, as tracker_import calls it): the whole
 * uploaded file. Ids that base() "finds" exercise the update path. Then
 * what was accepted is exported and imported again: our own export must
 * read back with the same rows accepted. */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "tracker/application.h"
#include "tracker/csv.h"

#define NOW ((time_t)1764979200) /* 2025-12-06T00:00:00Z */

/* Ids ending in 7 fail to load (the import stops), even ids exist. */
static int base(void *ctx, int64_t id, struct arena *a, struct application *out)
{
	(void)ctx;
	if (id % 10 == 7)
		return -1;
	if (id % 2)
		return 1;
	app_init(out, NOW - 86400 * 30);
	out->id = id;
	out->version = 3;
	out->company = arena_strdup(a, "Acme");
	out->position = arena_strdup(a, "Engineer");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a, 0);
	struct csv_import imp;
	char err[256];
	if (csv_parse_apps_with((const char *)data, size, NOW, &a, base, NULL, &imp, err, sizeof(err)) == 0) {
		for (size_t i = 0; i < imp.n_rejects; i++)
			if (!imp.rejects[i].message || imp.rejects[i].line == 0)
				abort();
		struct buf out;
		buf_init(&out, 64 << 20);
		csv_write_header(&out);
		for (size_t i = 0; i < imp.n_apps; i++)
			csv_write_app(&out, &imp.apps[i], &a);
		if (buf_failed(&out))
			abort();
		struct csv_import again;
		if (csv_parse_apps_with(out.data, out.len, NOW, &a, base, NULL, &again, err, sizeof(err)) != 0 ||
		    again.n_apps != imp.n_apps || again.n_rejects != 0)
			abort(); /* our own export did not read back */
		buf_free(&out);
	}
	arena_free(&a);
	return 0;
}
