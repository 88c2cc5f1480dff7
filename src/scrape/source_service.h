/* source_service — administrators' edits of configured sources, for the
 * admin API and the admin pages alike (their handlers only parse their
 * input into a source_input, call this, and render the result).
 *
 * The rules: a pasted careers URL picks the adapter and target; the
 * schedule must parse and respect the feed's own limit; the config is a
 * JSON object holding only keys the scraper or the adapter reads
 * (source_settings_check); turning on a source whose terms forbid scraping
 * needs the administrator to say they accept them; names are unique; an
 * edit made against an older version is refused. Sources written from the
 * sources file (config "managed_by": "file") are read-only here: the file
 * is their truth, and it is read again whenever serve or scrape starts.
 * Every write tells the scheduler (when this process runs one) to pick the
 * change up. */
#ifndef JT_SCRAPE_SOURCE_SERVICE_H
#define JT_SCRAPE_SOURCE_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/store.h"
#include "tracker/field_errors.h"

struct scrape_scheduler;

struct source_service {
	struct store *store;
	struct scrape_scheduler *scheduler; /* NULL: none in this process (nothing to reload) */
};

/* What the administrator sent; NULL (or has_* 0) = not sent. */
struct source_input {
	const char *name, *kind, *target, *url, *schedule, *config;
	int has_enabled, enabled;
	int acknowledge_terms;
	/* The crawl switch of a jsonld source (its config's "crawl": follow the
	 * site's links from the target page); ignored for other kinds. */
	int has_crawl, crawl;
	/* The render switch (its config's "render": HTML pages are rendered in
	 * headless Chromium before they are read), for every kind. */
	int has_render, render;
};

/* Results besides 0 and the store's codes (STORE_NOTFOUND, STORE_STALE, …). */
enum source_service_result {
	SOURCE_SERVICE_OK = 0,
	SOURCE_SERVICE_INVALID = -30,     /* errs says which field */
	SOURCE_SERVICE_UNKNOWN_URL = -31, /* no adapter recognises the pasted URL */
	SOURCE_SERVICE_NAME_TAKEN = -32,  /* another source has the name */
	SOURCE_SERVICE_MANAGED = -33,     /* it comes from the sources file: change it there */
};

/* The source was written from the sources file (read-only here). */
bool source_service_managed(const struct scrape_source *src);
/* A jsonld source that crawls the site from its target. */
bool source_service_crawls(const struct scrape_source *src);
/* A source whose pages are rendered in headless Chromium. */
bool source_service_renders(const struct scrape_source *src);

/* A new source from in (enabled unless in says otherwise), written at now.
 * *out is the source as written, or on INVALID as it was read from in (for
 * a form to show again). Strings live in a. */
int source_service_create(const struct source_service *svc, struct arena *a, const struct source_input *in, int64_t now,
			  struct scrape_source *out, struct field_errors *errs);

/* Source id with in applied over it: only what in sends changes (MANAGED
 * for a source from the sources file).
 * expected_version 0 does not check; else STORE_STALE when the source has
 * another. *out is the source as written, or on INVALID as applied, or on
 * STALE as stored now. */
int source_service_update(const struct source_service *svc, struct arena *a, int64_t id, int64_t expected_version,
			  const struct source_input *in, int64_t now, struct scrape_source *out,
			  struct field_errors *errs);

/* Removes source id and its runs (its postings stay); expected_version as above. */
int source_service_delete(const struct source_service *svc, struct arena *a, int64_t id, int64_t expected_version);

#endif
