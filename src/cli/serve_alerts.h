/* serve_alerts — serve's half of saved-search e-mail alerts: checks the
 * SMTP settings at start, and runs notify/digest.h's task on a worker of
 * its own every --alert-interval seconds while e-mail is configured. */
#ifndef JT_CLI_SERVE_ALERTS_H
#define JT_CLI_SERVE_ALERTS_H

#include <stddef.h>
#include <stdint.h>

#include "base/config.h"

struct store;
struct search_service;
struct serve_alerts;

/* Starts the alerts (nothing runs, *out NULL, when smtp_url is empty).
 * port and tls say where the server listens, for links when public_url is
 * not set; the master secret signs the digests' unsubscribe links (the web
 * server checks them with the same derived key). 0, or -1 with a message for people in err (bad SMTP settings). */
int serve_alerts_start(const struct config *cfg, struct store *store, struct search_service *search, unsigned port,
		       int tls, const uint8_t *secret, size_t secret_len, struct serve_alerts **out, char *err,
		       size_t errlen);
/* Stops the task (waiting for a digest being sent) and frees; NULL is fine. */
void serve_alerts_stop(struct serve_alerts *a);

#endif
