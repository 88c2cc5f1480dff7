/* import — "Add a job by URL": fetch one posting's page, read the posting
 * out of it with the scraper's adapters, file it with the scraped ones and
 * make the user's application for it (status saved, linked to it).
 *
 * The fetch is the scraper's engine (scrape/fetch.h) with this instance's
 * User-Agent, bounded in size and time, http(s) only, one attempt (someone
 * is waiting), and no proxy. robots.txt is read first, through the same
 * engine, and obeyed for jobtrack's agent exactly as the scraper obeys it
 * (scrape/robots.h). Every connection, redirects included, must reach a
 * public address (base/address.h) unless allow_private is set.
 *
 * Reading: an ATS careers URL the scraper knows (Greenhouse, Lever, Ashby,
 * …: source_adapter_detect) is read through that ATS's API, and the
 * posting whose page or id the URL names is taken from the board; any
 * other page through the jsonld adapter (schema.org JobPosting in JSON-LD,
 * else microdata), which must find exactly one posting, or one whose URL
 * is the page's. The posting is finished (scrape/finish.h) and filed as
 * ingest files scraped ones (scrape/ingest.h: ingest_prepare), so a job
 * already known from a scrape is merged, not repeated. */
#ifndef JT_DISCOVER_IMPORT_H
#define JT_DISCOVER_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "discover/page_facts.h"
#include "scrape/posting.h"
#include "store/store.h"
#include "tracker/application.h"
#include "tracker/service.h"

#define IMPORT_URL_MAX      2048               /* bytes of a URL accepted */
#define IMPORT_BODY_MAX     (5u * 1024 * 1024) /* bytes of a page or API answer */
#define IMPORT_TIMEOUT_MS   15000              /* per request */
#define IMPORT_REQUESTS_MAX 6                  /* requests one import may make, robots.txt included */
#define IMPORT_DEADLINE_MS  30000              /* no request starts after this long */
#define IMPORT_LIMIT        30                 /* imports per user … */
#define IMPORT_WINDOW_S     600                /* … in this many seconds */

enum import_status {
	IMPORT_OK,          /* filed; the application made or found */
	IMPORT_BAD_URL,     /* not an absolute http(s) URL (or too long, or with a password in it) */
	IMPORT_PRIVATE,     /* the host is, or resolves to, a non-public address */
	IMPORT_ROBOTS,      /* the site's robots.txt does not allow jobtrack to fetch it */
	IMPORT_UNREACHABLE, /* no usable answer: DNS, connection, time-out, an error status, too big */
	IMPORT_NO_POSTING,  /* fetched, but no posting recognised in it (facts say what is there) */
	IMPORT_STORE,       /* the store failed (rc has the store's code) */
	IMPORT_TOO_MANY,    /* the user imported IMPORT_LIMIT times in the last IMPORT_WINDOW_S */
};

struct import_options {
	const char *user_agent; /* NULL: FETCH_USER_AGENT_FMT with this version */
	bool allow_private;     /* the admin lets imports reach private and loopback addresses */
	/* Tests and mirrors: "http://127.0.0.1:PORT" replaces an ATS API's
	 * origin (source_config.base_url). NULL: the real APIs. */
	const char *ats_base_url;
};

struct import_result {
	enum import_status status;
	char message[512];       /* for people: what happened and what to do */
	int rc;                  /* IMPORT_STORE: the store's code */
	const char *final_url;   /* the page after redirects (arena); NULL when none was read */
	long http_status;        /* the page's last status, 0 when none */
	const char *adapter;     /* what read it: "jsonld", "greenhouse", … */
	size_t postings_found;   /* postings the adapter saw (several: none of them was the URL's) */
	struct page_facts facts; /* IMPORT_NO_POSTING on a page: what the page shows */
	bool have_facts;
	/* IMPORT_OK: */
	int64_t posting_id;
	enum posting_change change;
	struct application app;
	bool app_created;
};

/* Imports url for c's user. Returns 0 with out->status saying what
 * happened (IMPORT_OK or why not), or -ENOMEM. Strings in c->arena. */
int import_url(const struct tracker_call *c, const char *url, const struct import_options *opt,
	       struct import_result *out);

/* The posting among list (n of them, finished) that url names: the one
 * whose page or apply link is url (scheme and host in any case, without
 * query, fragment or a final '/'), else the one whose external id is a
 * path segment of url, else the only one when single is set; -1 when none
 * is. Exposed for tests. */
int import_pick(const struct posting *list, size_t n, const char *url, bool single);

#endif
