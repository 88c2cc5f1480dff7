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
struct market;

#define WEB_MAX_PROXIES 16

struct web {
	const struct config *cfg;
	struct store *store;
	struct tpl_set *tpl;
	uint8_t jwt_key[32];
	uint8_t csrf_key[32];
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
	/* Owned by serve, fed by search's thread (analytics/market.h); NULL:
	 * the market figures answer 503. */
	struct market *market;
};

/* Starts listening with a worker thread pool. Every field but `scheduler`, `search` and `market`
 * is set here; the caller sets that one (or zeroes it) first. err gets a message for people. */
int web_start(struct web *w, const struct config *cfg, struct store *store, const uint8_t *secret, size_t secret_len,
	      char *err, size_t errlen);
/* Stops accepting, lets requests in flight finish, frees everything. */
void web_stop(struct web *w);

#endif
