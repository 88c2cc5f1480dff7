#include "cli/serve_alerts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/token.h"
#include "base/log.h"
#include "base/tasks.h"
#include "notify/digest.h"

struct serve_alerts {
	struct tasks *tasks;
	struct mail_config mail;
	struct digest_options digest;
	char base_url[512];
	uint8_t unsubscribe_key[32];
};

int serve_alerts_start(const struct config *cfg, struct store *store, struct search_service *search, unsigned port,
		       int tls, const uint8_t *secret, size_t secret_len, struct serve_alerts **out, char *err,
		       size_t errlen)
{
	*out = NULL;
	struct mail_config mail;
	if (mail_config_from(cfg, &mail, err, errlen))
		return -1;
	if (!mail_enabled(&mail))
		return 0;
	struct serve_alerts *a = calloc(1, sizeof(*a));
	if (!a) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	a->mail = mail;
	if (*cfg->public_url) {
		snprintf(a->base_url, sizeof(a->base_url), "%s", cfg->public_url);
	} else {
		/* listen's host with the port actually bound (listen may say :0) */
		const char *colon = strrchr(cfg->listen, ':');
		snprintf(a->base_url, sizeof(a->base_url), "%s://%.*s:%u", tls ? "https" : "http",
			 (int)(colon - cfg->listen), cfg->listen, port);
	}
	size_t len = strlen(a->base_url);
	while (len && a->base_url[len - 1] == '/')
		a->base_url[--len] = '\0';
	token_derive_key(secret, secret_len, "unsubscribe", a->unsubscribe_key);
	a->digest = (struct digest_options){ .store = store,
					     .search = search,
					     .mail = &a->mail,
					     .base_url = a->base_url,
					     .unsubscribe_key = a->unsubscribe_key };
	struct schedule every = schedule_every_ms(cfg->alert_interval * 1000);
	int rc = tasks_start(1, &a->tasks);
	if (rc == 0)
		rc = tasks_add(a->tasks, "saved-search-alerts", &every, digest_task, &a->digest, NULL);
	if (rc) {
		snprintf(err, errlen, "the alert task could not start (%s)", strerror(-rc));
		serve_alerts_stop(a);
		return -1;
	}
	log_event(LOG_INFO, "alert.start", "saved-search alerts: checking every %ld s, mail through %s, links to %s",
		  cfg->alert_interval, strncmp(mail.url, "smtps:", 6) == 0 ? "smtps" : "smtp", a->base_url);
	*out = a;
	return 0;
}

void serve_alerts_stop(struct serve_alerts *a)
{
	if (!a)
		return;
	if (a->tasks)
		tasks_stop(a->tasks, 30000);
	free(a);
}
