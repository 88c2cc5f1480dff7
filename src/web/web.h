/* web — the HTTP server: state shared by every request, and its lifecycle. */
#ifndef JT_WEB_WEB_H
#define JT_WEB_WEB_H

#include <stdint.h>

#include "base/config.h"
#include "store/store.h"

struct tpl_set;
struct MHD_Daemon;
struct scrape_scheduler;
struct search_service;
struct resume_service;
struct scan_service;
struct backup_files;
struct best_service;
struct market;

#define WEB_MAX_PROXIES 16

struct scan_matcher;
struct web {
	const struct config *cfg;
	struct store *store;
	struct tpl_set *tpl; /* NULL: compiled by the first page (view.h) */
	uint8_t jwt_key[32];
	uint8_t csrf_key[32];
	uint8_t device_key[32];      /* signs the log-in throttle's device cookies (auth/device.h) */
	uint8_t unsubscribe_key[32]; /* checks saved-search alerts' unsubscribe links (search/saved.h) */
	char proxies[WEB_MAX_PROXIES][48];
	int n_proxies;
	int tls;
	struct MHD_Daemon *daemon;
	unsigned port;                    /* the bound port (useful when listening on :0) */
	char *tls_cert_pem, *tls_key_pem; /* kept alive for the daemon */
	/* Owned by serve; set before web_start. NULL when this process runs no
	 * scheduler: the admin "run now" then answers 503. */
	struct scrape_scheduler *scheduler;
	/* Owned by serve, like scheduler; NULL: searches with a query or
	 * filters answer 503 (the plain newest-first listing still works). */
	struct search_service *search;
	/* Owned by serve, like scheduler: the skills taxonomy (built-in plus
	 * the user's extension, scan/taxonomy_ext.h) compiled for scans;
	 * matcher->tax is the taxonomy (taxonomy_version for caches). */
	const struct scan_matcher *matcher;
	/* Owned by serve, like search; NULL: the resume and scan routes answer
	 * 503 (src/resume/service.h, src/scan/service.h). */
	struct resume_service *resumes;
	struct scan_service *scans;
	/* Owned by serve, like scheduler: resume files for backups (the
	 * resume vault, which core does not link). NULL: backups carry resume
	 * metadata only, and importing one with resumes is refused. */
	const struct backup_files *backup_files;
	/* Owned by serve, like search; NULL: best matches answer 503. */
	struct best_service *best;
	/* Owned by serve, fed by search's thread (analytics/market.h); NULL:
	 * the market figures answer 503. */
	struct market *market;
};

/* Starts listening with a worker thread pool. Every field but `scheduler`, `search`, `matcher`,
 * `resumes`, `scans`, `backup_files`, `best` and `market` is set here; the caller sets those (or
 * zeroes them) first. err gets a message for people. */
int web_start(struct web *w, const struct config *cfg, struct store *store, const uint8_t *secret, size_t secret_len,
	      char *err, size_t errlen);
/* Stops accepting, lets requests in flight finish, frees everything. */
void web_stop(struct web *w);

#endif
