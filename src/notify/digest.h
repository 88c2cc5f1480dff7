/* digest — the e-mail alerts of saved searches: for every saved search
 * whose alert period (daily, weekly) has passed since its last digest, a
 * message to its owner listing the postings it matches that were first
 * seen since then (or since the search was saved), at most once per period.
 *
 * A due search with nothing new sends nothing and stays due, so its next
 * digest goes out as soon as there is something to say. A digest the SMTP
 * server does not take is tried again at the next run. Each message has a
 * plain-text and an HTML body (every value from a posting escaped), links
 * to each posting and to the saved search, and an unsubscribe link that
 * turns this alert off without signing in (search/saved.h: a signed
 * token), also given as List-Unsubscribe.
 *
 * serve runs digest_task on base/tasks.h's workers, every --alert-interval
 * seconds, when e-mail is configured. */
#ifndef JT_NOTIFY_DIGEST_H
#define JT_NOTIFY_DIGEST_H

#include <stdint.h>

#include "base/tasks.h"
#include "notify/mail.h"

struct store;
struct search_service;

#define DIGEST_MAX_POSTINGS 20 /* listed in one message; the rest are counted */

struct digest_options {
	struct store *store;
	struct search_service *search;
	const struct mail_config *mail;
	const char *base_url;           /* "https://jobs.example.com", no trailing slash: links in messages */
	const uint8_t *unsubscribe_key; /* 32 bytes: signs the unsubscribe links */
};

struct digest_counts {
	int sent, failed, empty; /* messages sent, not taken, due searches with nothing new */
};

/* Sends every digest due at now. 0 (see counts), or a store error when the
 * due searches could not be read; SAVED_NO_INDEX (search/saved.h) while the
 * search index is still building: nothing is sent, nothing marked. */
int digest_run(const struct digest_options *o, int64_t now, struct digest_counts *counts);

/* A base/tasks.h task: digest_run(run->arg as struct digest_options, now). */
int digest_task(struct task_run *run);

#endif
