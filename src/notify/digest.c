#include "notify/digest.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/timefmt.h"
#include "search/saved.h"
#include "store/store.h"

#define DIGEST_BODY_MAX (256 * 1024)

struct posting_line {
	int64_t id;
	const char *title, *company, *location;
};

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static void put_text(struct buf *t, const struct digest_options *o, const struct saved_search *ss,
		     const struct posting_line *lines, size_t n, int64_t total, const char *since,
		     const char *unsubscribe)
{
	buf_printf(t, "%lld new posting%s match your saved search \"%s\" since %s.\n\n", (long long)total,
		   total == 1 ? "" : "s", ss->name, since);
	for (size_t i = 0; i < n; i++) {
		buf_printf(t, "%s", *or_empty(lines[i].title) ? lines[i].title : "(untitled)");
		if (*or_empty(lines[i].company))
			buf_printf(t, " — %s", lines[i].company);
		if (*or_empty(lines[i].location))
			buf_printf(t, " (%s)", lines[i].location);
		buf_printf(t, "\n%s/postings/%lld\n\n", o->base_url, (long long)lines[i].id);
	}
	if (total > (int64_t)n)
		buf_printf(t, "… and %lld more.\n", (long long)(total - (int64_t)n));
	buf_printf(t, "See them all: %s/saved-searches/%lld/open\n\n", o->base_url, (long long)ss->id);
	buf_printf(t,
		   "You get this e-mail %s because of the alert on this saved search.\n"
		   "Turn off this alert (unsubscribe): %s\n"
		   "Your saved searches: %s/saved-searches\n",
		   ss->alert, unsubscribe, o->base_url);
}

static void put_html_text(struct buf *h, const char *s)
{
	buf_put_html(h, s, strlen(s));
}

static void put_html(struct buf *h, const struct digest_options *o, const struct saved_search *ss,
		     const struct posting_line *lines, size_t n, int64_t total, const char *since,
		     const char *unsubscribe)
{
	buf_puts(h, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
	put_html_text(h, ss->name);
	buf_printf(h, "</title></head>\n<body>\n<p>%lld new posting%s match your saved search <strong>",
		   (long long)total, total == 1 ? "" : "s");
	put_html_text(h, ss->name);
	buf_printf(h, "</strong> since %s.</p>\n<ul>\n", since);
	for (size_t i = 0; i < n; i++) {
		buf_printf(h, "<li><a href=\"");
		put_html_text(h, o->base_url);
		buf_printf(h, "/postings/%lld\">", (long long)lines[i].id);
		put_html_text(h, *or_empty(lines[i].title) ? lines[i].title : "(untitled)");
		buf_puts(h, "</a>");
		if (*or_empty(lines[i].company)) {
			buf_puts(h, " — ");
			put_html_text(h, lines[i].company);
		}
		if (*or_empty(lines[i].location)) {
			buf_puts(h, " (");
			put_html_text(h, lines[i].location);
			buf_puts(h, ")");
		}
		buf_puts(h, "</li>\n");
	}
	buf_puts(h, "</ul>\n");
	if (total > (int64_t)n)
		buf_printf(h, "<p>… and %lld more.</p>\n", (long long)(total - (int64_t)n));
	buf_puts(h, "<p><a href=\"");
	put_html_text(h, o->base_url);
	buf_printf(h, "/saved-searches/%lld/open\">See them all</a></p>\n", (long long)ss->id);
	buf_printf(
	    h, "<p style=\"color:#555\">You get this e-mail %s because of the alert on this saved search. <a href=\"",
	    ss->alert);
	put_html_text(h, unsubscribe);
	buf_puts(h, "\">Turn off this alert (unsubscribe)</a> · <a href=\"");
	put_html_text(h, o->base_url);
	buf_puts(h, "/saved-searches\">Your saved searches</a></p>\n</body></html>\n");
}

/* One due saved search: 1 sent, 0 nothing new, or a negative error. */
static int digest_one(const struct digest_options *o, const struct saved_search *ss, int64_t now, struct arena *a)
{
	struct saved_call c = { .store = o->store, .search = o->search, .user_id = ss->user_id, .now = now, .arena = a };
	int64_t since = ss->last_alert_at > ss->created_at ? ss->last_alert_at : ss->created_at;
	struct search_hit *hits;
	size_t n;
	int64_t total;
	int rc = saved_search_list_new(&c, ss, since, DIGEST_MAX_POSTINGS, &hits, &n, &total);
	if (rc && rc != SAVED_NO_INDEX)
		log_event(LOG_WARN, "alert.digest", "saved search %lld: %s", (long long)ss->id,
			  rc == SAVED_INVALID ? "its query no longer parses; the user should save it again"
					      : "the search failed");
	if (rc || total == 0)
		return rc;
	struct user u;
	if ((rc = store_user_by_id(o->store, ss->user_id, &u)))
		return rc;
	struct posting_line *lines = arena_alloc(a, (n ? n : 1) * sizeof(*lines));
	if (!lines)
		return STORE_ERROR;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		struct store_posting p;
		struct posting_source *src;
		size_t nsrc;
		if (store_posting_get(o->store, hits[i].posting_id, a, &p, &src, &nsrc))
			continue; /* gone since the index saw it */
		lines[k++] = (struct posting_line){ p.id, p.title, p.company, p.location_raw };
	}
	char since_text[TIMEFMT_DATE_LEN];
	timefmt_date((time_t)since, since_text);
	struct buf text, html;
	buf_init(&text, DIGEST_BODY_MAX);
	buf_init(&html, DIGEST_BODY_MAX);
	char token[SAVED_TOKEN_MAX];
	saved_search_unsubscribe_token(o->unsubscribe_key, ss->user_id, ss->id, token);
	char *unsubscribe =
	    arena_printf(a, "%s/saved-searches/%lld/unsubscribe?t=%s", o->base_url, (long long)ss->id, token);
	put_text(&text, o, ss, lines, k, total, since_text, unsubscribe);
	put_html(&html, o, ss, lines, k, total, since_text, unsubscribe);
	char *subject =
	    arena_printf(a, "%lld new posting%s for “%.100s”", (long long)total, total == 1 ? "" : "s", ss->name);
	struct mail_message msg = {
		.to = u.email, .subject = subject, .text = text.data, .html = html.data, .unsubscribe_url = unsubscribe
	};
	char err[512];
	if (buf_failed(&text) || buf_failed(&html) || !subject || !unsubscribe) {
		rc = STORE_ERROR;
		log_event(LOG_ERROR, "alert.digest", "saved search %lld: the digest could not be composed",
			  (long long)ss->id);
	} else if (mail_send(o->mail, &msg, err, sizeof(err))) {
		rc = -1;
		log_event(LOG_WARN, "alert.digest", "saved search %lld: %s; trying again at the next run",
			  (long long)ss->id, err);
	} else {
		rc = store_saved_search_alerted(o->store, ss->user_id, ss->id, now);
		if (rc == 0 || rc == STORE_NOTFOUND)
			rc = 1; /* sent; a search deleted meanwhile is not an error */
	}
	buf_free(&text);
	buf_free(&html);
	return rc;
}

int digest_run(const struct digest_options *o, int64_t now, struct digest_counts *counts)
{
	memset(counts, 0, sizeof(*counts));
	struct arena a;
	arena_init(&a, 0);
	struct saved_search *due;
	size_t n;
	int rc = store_saved_search_alerts_due(o->store, now, &a, &due, &n);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct arena scratch;
		arena_init(&scratch, (size_t)64 << 20);
		int r = digest_one(o, &due[i], now, &scratch);
		arena_free(&scratch);
		if (r == SAVED_NO_INDEX)
			rc = r;
		else if (r == 1)
			counts->sent++;
		else if (r == 0)
			counts->empty++;
		else
			counts->failed++;
	}
	arena_free(&a);
	if (counts->sent || counts->failed)
		log_event(LOG_INFO, "alert.digest", "%d digest%s sent, %d failed, %d due with nothing new",
			  counts->sent, counts->sent == 1 ? "" : "s", counts->failed, counts->empty);
	return rc;
}

int digest_task(struct task_run *run)
{
	struct digest_counts counts;
	return digest_run(run->arg, (int64_t)time(NULL), &counts);
}
