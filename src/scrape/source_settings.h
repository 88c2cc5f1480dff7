/* source_settings — what a configured source's `config` (the JSON object
 * text kept in the store's sources row) means to the scrape driver, and how
 * the sources file becomes those rows.
 *
 * The object holds the adapter's own options (XPath selectors, "crawl", …)
 * next to a few keys the driver reads itself:
 *   "company"     display name when the payload lacks one
 *   "delay"       seconds between requests to one host (0 = none)
 *   "proxy"       "http://…" or "socks5h://…" for this source's requests
 *   "max_pages"   bound on follow-up requests
 *   "concurrency" transfers at once to one host
 *   "base_url"    "http://127.0.0.1:PORT": API sources read another origin
 *                 (tests, self-hosted mirrors)
 *   "render"      true: HTML pages are rendered in headless Chromium and
 *                 the DOM their scripts build is read (scrape/run.h)
 *   "managed_by"  "file" for sources written from sources.conf
 *   "accept_terms" true: the sources file's section accepts the terms of an
 *                 off-by-default source (LinkedIn), which it may then run
 * The whole object is handed to the adapter as its options, so an adapter
 * sees every key and ignores those it does not know. The admin pages write
 * the same keys. */
#ifndef JT_SCRAPE_SOURCE_SETTINGS_H
#define JT_SCRAPE_SOURCE_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct store;
struct source_specs;

struct source_settings {
	const char *company;      /* NULL: none */
	const char *proxy;        /* NULL: the engine's (environment) */
	const char *base_url;     /* NULL: the real API */
	const char *options_json; /* the whole object, for the adapter; NULL when empty */
	double delay;             /* seconds; < 0: the engine's default */
	long max_pages;           /* 0: the adapter's default */
	long concurrency;         /* 0: the engine's default (1 per host) */
	bool managed_by_file;
	bool render;
	bool accept_terms;
};

/* Reads a source's config text (NULL or "" is an empty object). 0, or
 * -EINVAL with err saying what is wrong (not an object, a key of the wrong
 * type or out of range). Strings are copied into the arena. */
int source_settings_parse(struct arena *a, const char *config_json, struct source_settings *out, char *err,
			  size_t errlen);

/* Checks a config object for a source of adapter kind, where it is written
 * (the sources file, the admin API and pages), as source_settings_parse
 * would read it and more strictly: every key must be one of the driver's
 * above or one of the adapter's options (source_adapter.options), each of
 * its type; proxy must be an http(s):// or socks… URL, base_url an http(s)
 * URL, managed_by "file". 0, or -EINVAL with err naming the key and what is
 * wrong ("unknown key \"crawll\" for jsonld (its keys: …)"); -ENOMEM. */
int source_settings_check(struct arena *a, const char *kind, const char *config_json, char *err, size_t errlen);

/* The rules every path that writes a source (the sources file, the admin
 * API and pages) applies, so that they cannot drift apart.
 *
 * Schedule: it parses (base/schedule.h; "" means by hand only), and it fires
 * no more often than the feed's stated limit (source_adapter.min_interval_s:
 * Remotive, RemoteOK). 0; -EINVAL when it does not parse, -ERANGE when too
 * frequent; err says why and what to write instead. */
int source_settings_check_schedule(const char *kind, const char *schedule, char *err, size_t errlen);
/* The shortest gap between two firings of a schedule, in seconds (0 for
 * none: by hand). -1 when it does not parse. */
long source_settings_min_gap(const char *schedule);
/* A schedule the scheduler may run, as a last guard: *sc itself, or, when
 * it fires more often than kind's limit, an interval of exactly the limit.
 * true when it was clamped. */
struct schedule;
bool source_settings_clamp_schedule(const char *kind, const char *text, struct schedule *sc);
/* Terms: an off-by-default kind (source_adapter.off_by_default) runs only
 * once its terms are accepted. -EPERM with err quoting the terms and saying
 * exactly what to write in the sources file's section `name`; 0 for other
 * kinds. */
int source_settings_terms_refusal(const char *kind, const char *name, char *err, size_t errlen);

/* The config object text of a sources-file section (canonical JSON), or NULL on ENOMEM. */
struct source_spec;
char *source_settings_spec_config(struct arena *a, const struct source_spec *sp);

/* What one sync of the sources file into the store did. */
struct source_sync_report {
	long added, updated, unchanged, disabled; /* disabled: file-managed sources no longer in the file */
};

/* Writes every source of the file into the store (a new name is inserted, a
 * known one rewritten when it differs), and disables sources the file
 * managed that it no longer lists (their runs and listings are kept).
 * 0, or a negative store error with err filled. */
int source_settings_sync(struct store *s, const struct source_specs *specs, int64_t now, struct source_sync_report *out,
			 char *err, size_t errlen);

#endif
