/* source — the interface every source adapter implements, and the table of
 * adapters (scrape/sources/registry.c).
 *
 * An adapter is pure: it never touches the network, the store or a clock it
 * did not get. The scrape driver (scrape/run.c) asks it for the first
 * requests of a source, fetches them with the fetch engine (politely: robots,
 * per-host delays, retries), and hands each response back to the adapter,
 * which turns it into postings and, for paginated or two-step sources
 * (Lever, SmartRecruiters, Workable, Workday, Hacker News), into further
 * requests. That keeps every adapter testable against a fixture body alone,
 * and puts politeness in one place.
 *
 * Postings leave an adapter with description_html exactly as the source gave
 * it (Greenhouse and many JSON-LD blocks entity-escape theirs); scrape/finish.c
 * unescapes what is escaped, sanitises it and derives description_text
 * centrally, so no adapter can forget to. All memory comes from the arena
 * passed in.
 */
#ifndef JT_SCRAPE_SOURCE_H
#define JT_SCRAPE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "scrape/posting.h"

struct arena;

/* How politely a request must be paced: APIs get the short per-host delay,
 * HTML pages the long one (fetch engine defaults, overridable per source). */
enum request_kind {
	REQUEST_API = 0,
	REQUEST_HTML,
};

struct source_request {
	const char *url;
	const char *method;       /* "GET" (NULL means GET) or "POST" */
	const char *body;         /* POST body, or NULL */
	const char *content_type; /* of the body */
	const char *accept;       /* Accept header, or NULL for any type */
	enum request_kind kind;
	/* The adapter's own note on what this request is ("list", "detail", a page
	 * number, a cursor): it comes back with the response. */
	const char *step;
	long page;
	const char *context; /* more adapter state, e.g. the thread id or a company name */
};

struct source_request_list {
	struct source_request *items;
	size_t count, cap;
};

struct source_request *source_request_add(struct arena *a, struct source_request_list *list);

/* A configured source as the adapter sees it. */
struct source_config {
	const char *name;         /* the source's configured name, e.g. "vercel-greenhouse" */
	const char *kind;         /* adapter name */
	const char *target;       /* board token, company slug, feed URL, page URL … */
	const char *company;      /* the company's display name when the payload lacks one, or NULL */
	const char *options_json; /* adapter-specific options (JSON object text), or NULL */
	/* Test and self-hosted deployments point API sources at another origin:
	 * "http://127.0.0.1:PORT" replaces the real API's scheme://host. NULL: the real one. */
	const char *base_url;
	time_t now;     /* the reference for relative dates ("Posted 3 days ago") */
	long max_pages; /* bound on follow-up requests (pagination, details); 0 = adapter default */
	/* The adapter's per-run state (see source_adapter.run_state_new and
	 * source_run_begin); NULL for adapters without one, and when the driver
	 * did not make one (an adapter must then still work, if less well). */
	void *run_state;
};

/* One response handed back to the adapter. */
struct source_response {
	const struct source_request *request;
	const char *url; /* final URL after redirects */
	long status;
	const char *content_type;
	const char *body;
	size_t len;
};

struct source_result {
	struct posting_list postings;
	struct source_request_list next; /* follow-up requests */
	/* Set on the response that ends a complete listing of the source (the
	 * last page): only when it is set and no request of the run failed may
	 * the driver mark postings it did not see as missing (closing them after
	 * N runs). A source answered partly or with errors must not. */
	bool complete_listing;
	int warnings; /* items skipped (malformed, unlisted); details in the log */
};

/* A key an adapter's options may hold, and what its value must be. */
enum source_option_type {
	SOURCE_OPTION_BOOL, /* true/false (also 1/0, "true"/"false", "yes"/"no") */
	SOURCE_OPTION_TEXT, /* a string */
};
struct source_option {
	const char *key;
	enum source_option_type type;
};

struct source_adapter {
	const char *name;        /* "greenhouse" — also the posting's `source` */
	const char *label;       /* "Greenhouse job board" */
	const char *target_help; /* what `target` means: "board token, e.g. vercel" */
	/* Off unless the admin turns it on (sources whose terms forbid scraping);
	 * `terms` says why, shown where it is enabled. */
	bool off_by_default;
	const char *terms;
	/* A feed's stated limits: schedules more frequent than this are refused
	 * (Remotive asks for at most four fetches a day). 0 = no limit of its own. */
	long min_interval_s;
	/* Credit the feed's terms require, shown with each of its postings
	 * ("Remote OK"), linking back to the posting's url. NULL when none. */
	const char *attribution;
	/* The options it reads (source_config.options_json), ended by a { NULL }
	 * entry; NULL: none. A configuration holding any other key (besides the
	 * driver's own, scrape/source_settings.h) is refused where it is written. */
	const struct source_option *options;
	/* Recognises a careers URL of this adapter ("https://boards.greenhouse.io/vercel")
	 * and extracts the target; NULL when the adapter has no URL form. Returns
	 * 0 and *target (arena), or -ENOENT. */
	int (*detect)(struct arena *a, const char *url, const char **target);
	/* The first requests of a run. 0, or a negative code with err filled. */
	int (*start)(struct arena *a, const struct source_config *src, struct source_request_list *out, char *err,
		     size_t errlen);
	/* One response: postings and follow-up requests. A payload that cannot be
	 * read at all is an error (negative, err filled); individual bad items are
	 * skipped and counted in warnings. */
	int (*parse)(struct arena *a, const struct source_config *src, const struct source_response *res,
		     struct source_result *out, char *err, size_t errlen);
	/* Optional (NULL for most adapters): state that lives for one run, for
	 * an adapter that must remember across responses — the jsonld crawler's
	 * set of URLs already requested and its page budget. Made in run_arena,
	 * which must outlive the run; NULL on ENOMEM. The driver calls it through
	 * source_run_begin before start, and keeps the result in
	 * src->run_state for start and every parse of that run. Calls of one
	 * run must not overlap (parse mutates the state). */
	void *(*run_state_new)(struct arena *run_arena, const struct source_config *src);
};

/* Begins a run of adapter ad over *src: sets src->run_state (NULL for an
 * adapter without state). 0, or -ENOMEM. Drivers call it once per run. */
int source_run_begin(struct arena *run_arena, const struct source_adapter *ad, struct source_config *src);

/* Every adapter, in the order the admin page lists them. */
const struct source_adapter *const *source_adapters(size_t *count);
const struct source_adapter *source_adapter_find(const char *name);
/* The adapter (and its target) that recognises a pasted careers URL; NULL when none. */
const struct source_adapter *source_adapter_detect(struct arena *a, const char *url, const char **target);

#endif
