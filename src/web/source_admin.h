/* source_admin — the rules for administrators' edits of configured
 * sources, shared by the admin API and the admin pages: a pasted careers
 * URL picks the adapter and target, the schedule must parse and respect
 * the feed's own limit, the config is a JSON object, and turning on a
 * source whose terms forbid scraping needs the administrator to say they
 * accept them. The handlers only parse their input into a source_input. */
#ifndef JT_WEB_SOURCE_ADMIN_H
#define JT_WEB_SOURCE_ADMIN_H

#include "base/arena.h"
#include "store/store.h"
#include "tracker/field_errors.h"

/* What the administrator sent; NULL (or has_* 0) = not sent. */
struct source_input {
	const char *name, *kind, *target, *url, *schedule, *config;
	int has_enabled, enabled;
	int acknowledge_terms;
};

enum source_admin_result {
	SOURCE_ADMIN_OK = 0,
	SOURCE_ADMIN_INVALID = -30,    /* errs says which field */
	SOURCE_ADMIN_UNKNOWN_URL = -31 /* no adapter recognises the pasted URL */
};

/* Applies in onto *src (a new source: zeroed, or the stored one for an
 * edit) and checks the result. was_enabled: src was enabled before (the
 * terms were accepted then). Strings live in a. */
int source_admin_apply(struct arena *a, const struct source_input *in, struct scrape_source *src, int was_enabled,
		       struct field_errors *errs);

/* The shortest gap between two firings of a schedule, in seconds (0 for
 * none: by hand). -1 when it does not parse. */
long source_admin_min_gap(const char *schedule);

#endif
