#include "web/api/scrape_json.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json_out.h"
#include "scrape/posting.h"
#include "scrape/posting_store.h"
#include "scrape/source.h"
#include "scrape/source_service.h"
#include "web/api/serialize.h"

/* json_dumps's text comes from jansson's allocator (a request's arena while
 * one is in use: web/json_arena.h), so it goes back the same way. */
static void json_text_free(char *text)
{
	json_free_t release;
	json_get_alloc_funcs(NULL, &release);
	if (text)
		release(text);
}

static void str_key(struct buf *b, const char *key, const char *v)
{
	json_out_key(b, key, 0);
	json_out_string(b, v && *v ? v : NULL);
}

static void time_key(struct buf *b, const char *key, int64_t t)
{
	json_out_key(b, key, 0);
	serialize_time(b, t);
}

static void listing(struct buf *b, const struct posting_source *l)
{
	const struct source_adapter *ad = source_adapter_find(l->source);
	buf_puts(b, "{\"id\":");
	json_out_int(b, l->id);
	str_key(b, "source", l->source);
	str_key(b, "label", ad ? ad->label : l->source);
	str_key(b, "external_id", l->external_id);
	str_key(b, "url", l->url);
	str_key(b, "apply_url", l->apply_url);
	time_key(b, "first_seen", l->first_seen);
	time_key(b, "last_seen", l->last_seen);
	json_out_key(b, "closed", 0);
	json_out_bool(b, l->closed_at != 0);
	time_key(b, "closed_at", l->closed_at);
	buf_putc(b, '}');
}

void scrape_json_posting(struct buf *b, const struct store_posting *p, const struct posting_source *sources,
			 size_t n_sources, const char *description_html)
{
	/* The normalised shape (posting_to_json's writer), wrapped in what the
	 * store knows besides: id, version, times, and every listing. */
	struct posting norm;
	posting_from_store(p, posting_store_best_listing(p, sources, n_sources), &norm);
	if (description_html)
		norm.description_html = description_html;
	buf_puts(b, "{\"id\":");
	json_out_int(b, p->id);
	JSON_OUT_KEY(b, "version");
	json_out_int(b, p->version);
	buf_putc(b, ',');
	posting_json_members(&norm, description_html ? POSTING_JSON_DESCRIPTION : 0, b);
	time_key(b, "first_seen", p->first_seen);
	time_key(b, "last_seen", p->last_seen);
	time_key(b, "updated_at", p->updated_at);
	json_out_key(b, "closed", 0);
	json_out_bool(b, p->closed_at != 0);
	time_key(b, "closed_at", p->closed_at);
	/* Reposts (store.h): a job put up again under a new id. */
	json_out_key(b, "reposted", 0);
	if (p->repost_count > 0) {
		buf_puts(b, "{\"count\":");
		json_out_int(b, p->repost_count);
		time_key(b, "last_at", p->reposted_at);
		buf_putc(b, '}');
	} else {
		buf_puts(b, "null");
	}
	buf_puts(b, ",\"sources\":[");
	for (size_t i = 0; i < n_sources; i++) {
		if (i)
			buf_putc(b, ',');
		listing(b, &sources[i]);
	}
	/* The credit a feed's terms ask for, with a link back to its listing. */
	buf_puts(b, "],\"attribution\":[");
	int first = 1;
	for (size_t i = 0; i < n_sources; i++) {
		const struct source_adapter *ad = source_adapter_find(sources[i].source);
		if (!ad || !ad->attribution)
			continue;
		if (!first)
			buf_putc(b, ',');
		buf_puts(b, "{\"text\":");
		json_out_string(b, ad->attribution);
		str_key(b, "url", sources[i].url ? sources[i].url : p->url);
		buf_putc(b, '}');
		first = 0;
	}
	buf_puts(b, "]}");
}

static void counts(struct buf *b, const struct run_counts *c)
{
	buf_printf(b,
		   "{\"pages\":%lld,\"bytes\":%lld,\"found\":%lld,\"new\":%lld,\"updated\":%lld,\"closed\":%lld,"
		   "\"errors\":%lld,\"blocked\":%lld}",
		   (long long)c->pages, (long long)c->bytes, (long long)c->found, (long long)c->new,
		   (long long)c->updated, (long long)c->closed, (long long)c->errors, (long long)c->blocked);
}

void scrape_json_run(struct buf *b, const struct scrape_run *r, const struct scrape_progress *progress)
{
	buf_puts(b, "{\"id\":");
	json_out_int(b, r->id);
	JSON_OUT_KEY(b, "source_id");
	json_out_int_or_null(b, r->source_id, r->source_id == 0);
	str_key(b, "status", r->status);
	/* The source blocked some of its requests, whatever the status. */
	JSON_OUT_KEY(b, "blocked");
	json_out_bool(b, r->counts.blocked > 0);
	time_key(b, "started_at", r->started_at);
	time_key(b, "finished_at", r->finished_at);
	time_key(b, "heartbeat_at", r->heartbeat_at);
	str_key(b, "message", r->message);
	JSON_OUT_KEY(b, "counts");
	counts(b, &r->counts);
	JSON_OUT_KEY(b, "progress");
	if (progress)
		buf_printf(b,
			   "{\"running\":%s,\"requests_done\":%ld,\"requests_queued\":%ld,\"pages\":%ld,"
			   "\"bytes\":%ld,\"found\":%ld,\"errors\":%ld}",
			   progress->running ? "true" : "false", progress->requests_done, progress->requests_queued,
			   progress->pages, progress->bytes, progress->found, progress->errors);
	else
		buf_puts(b, "null");
	buf_putc(b, '}');
}

static void run_or_null(struct buf *b, const char *key, const struct scrape_run *r)
{
	json_out_key(b, key, 0);
	if (r)
		scrape_json_run(b, r, NULL);
	else
		buf_puts(b, "null");
}

void scrape_json_source(struct buf *b, const struct scrape_source *src, const struct source_health *h, int64_t now)
{
	const struct source_adapter *ad = source_adapter_find(src->kind);
	buf_puts(b, "{\"id\":");
	json_out_int(b, src->id);
	JSON_OUT_KEY(b, "version");
	json_out_int(b, src->version);
	str_key(b, "name", src->name);
	str_key(b, "kind", src->kind);
	str_key(b, "kind_label", ad ? ad->label : src->kind);
	str_key(b, "target", src->target);
	/* Stored as a JSON object's text, checked when written. */
	JSON_OUT_KEY(b, "config");
	json_t *cfg = src->config ? json_loads(src->config, 0, NULL) : NULL;
	char *cfg_text = json_is_object(cfg) ? json_dumps(cfg, JSON_COMPACT) : NULL;
	buf_puts(b, cfg_text ? cfg_text : "{}");
	json_text_free(cfg_text);
	json_decref(cfg);
	JSON_OUT_KEY(b, "schedule");
	json_out_string(b, src->schedule ? src->schedule : "");
	JSON_OUT_KEY(b, "enabled");
	json_out_bool(b, src->enabled);
	JSON_OUT_KEY(b, "managed_by_file");
	json_out_bool(b, source_service_managed(src));
	JSON_OUT_KEY(b, "off_by_default");
	json_out_bool(b, ad && ad->off_by_default);
	str_key(b, "terms", ad ? ad->terms : NULL);
	time_key(b, "created_at", src->created_at);
	time_key(b, "updated_at", src->updated_at);
	JSON_OUT_KEY(b, "blocked");
	json_out_bool(b, src->blocked_until > now);
	time_key(b, "blocked_until", src->blocked_until);
	JSON_OUT_KEY(b, "health");
	buf_putc(b, '{');
	json_out_key(b, "postings_found", 1);
	json_out_int_or_null(b, h && h->last_success ? h->last_success->counts.found : 0, !h || !h->last_success);
	run_or_null(b, "last_run", h ? h->last_run : NULL);
	run_or_null(b, "last_success", h ? h->last_success : NULL);
	run_or_null(b, "last_error", h ? h->last_error : NULL);
	buf_puts(b, "}}");
}
