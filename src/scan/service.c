/* scan/service — see service.h. */
#include "scan/service.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/json_out.h"
#include "base/log.h"
#include "base/timefmt.h"
#include "scan/ats.h"
#include "scan/dates.h"
#include "scan/idf_store.h"
#include "scan/jd.h"
#include "scan/report.h"
#include "scan/resume.h"
#include "scan/score.h"

#define IDF_POSTINGS   2000       /* newest postings of the quick first table */
#define RESULT_MAX     (4u << 20) /* bytes of one scan's JSON */
#define PROFILE_SKILLS 80

void scan_service_init(struct scan_service *svc, struct store *store, struct resume_service *resumes,
		       const struct scan_matcher *m)
{
	memset(svc, 0, sizeof(*svc));
	svc->store = store;
	svc->resumes = resumes;
	svc->m = m;
	idf_init(&svc->idf);
	pthread_rwlock_init(&svc->idf_lock, NULL);
	pthread_mutex_init(&svc->idf_build, NULL);
	atomic_init(&svc->idf_building, false);
}

void scan_service_fini(struct scan_service *svc)
{
	if (svc->idf_thread_started)
		pthread_join(svc->idf_thread, NULL);
	idf_free(&svc->idf);
	pthread_rwlock_destroy(&svc->idf_lock);
	pthread_mutex_destroy(&svc->idf_build);
}

static void idf_swap(struct scan_service *svc, struct idf_table *t, bool full, int64_t now)
{
	pthread_rwlock_wrlock(&svc->idf_lock);
	struct idf_table old = svc->idf;
	svc->idf = *t;
	svc->idf_built_at = now;
	svc->idf_full = full;
	pthread_rwlock_unlock(&svc->idf_lock);
	idf_free(&old);
}

/* The background build over every open posting; only when the postings
 * changed since the last one (an index read otherwise). */
static void *idf_build_all(void *arg)
{
	struct scan_service *svc = arg;
	pthread_mutex_lock(&svc->idf_build);
	bool changed = true;
	if (svc->idf_full && idf_store_changed(svc->store, &svc->idf_mark, &changed) != 0)
		changed = true;
	int64_t now = (int64_t)time(NULL);
	if (changed) {
		struct idf_table t;
		idf_init(&t);
		struct idf_mark mark;
		size_t added;
		if (idf_from_store_all(&t, svc->store, 0, &mark, &added) == 0) {
			svc->idf_mark = mark;
			idf_swap(svc, &t, true, now);
		} else {
			idf_free(&t); /* the table before stays; tried again after the interval */
			log_event(LOG_WARN, "scan.idf", "reading every posting for word weights failed; will retry");
		}
	}
	pthread_rwlock_wrlock(&svc->idf_lock);
	svc->idf_checked_at = now;
	pthread_rwlock_unlock(&svc->idf_lock);
	pthread_mutex_unlock(&svc->idf_build);
	atomic_store(&svc->idf_building, false);
	return NULL;
}

/* The first scan builds a quick table from the newest postings (as
 * before); the table over every open posting is built on a background
 * thread and swapped in, and built again at most every
 * SCAN_SERVICE_IDF_REFRESH seconds when postings changed. A request never
 * waits for it. */
static void idf_refresh(struct scan_service *svc, int64_t now)
{
	pthread_rwlock_rdlock(&svc->idf_lock);
	bool never = svc->idf_built_at == 0;
	bool due = svc->idf_checked_at == 0 || now - svc->idf_checked_at >= SCAN_SERVICE_IDF_REFRESH;
	pthread_rwlock_unlock(&svc->idf_lock);
	if (never && pthread_mutex_trylock(&svc->idf_build) == 0) {
		if (svc->idf_built_at == 0) {
			struct idf_table t;
			idf_init(&t);
			size_t added;
			if (idf_from_store(&t, svc->store, IDF_POSTINGS, &added) != 0) {
				idf_free(&t); /* the built-in default stays */
				idf_init(&t);
			}
			idf_swap(svc, &t, false, now);
		}
		pthread_mutex_unlock(&svc->idf_build);
	}
	bool idle = false;
	if (!due || !atomic_compare_exchange_strong(&svc->idf_building, &idle, true))
		return;
	/* the thread before has finished (it cleared idf_building) */
	if (svc->idf_thread_started)
		pthread_join(svc->idf_thread, NULL);
	svc->idf_thread_started = pthread_create(&svc->idf_thread, NULL, idf_build_all, svc) == 0;
	if (!svc->idf_thread_started)
		atomic_store(&svc->idf_building, false);
}

void scan_service_prepare(struct scan_service *svc)
{
	matcher_prepare(svc->m);
}

/* serve's taxonomy, compiled by the first scan that needs it. */
static enum resume_svc_status matcher_of(struct scan_service *svc, char *err, size_t errlen)
{
	return matcher_ready(svc->m, err, errlen) == 0 ? RESUME_SVC_OK : RESUME_SVC_UNAVAILABLE;
}

/* The resume read through and analysed. */
static enum resume_svc_status analyse(struct scan_service *svc, int64_t user_id, int64_t id, int64_t now,
				      struct arena *a, struct resume_doc *doc, struct resume_info *r, char *err,
				      size_t errlen)
{
	enum resume_svc_status st = resume_open(svc->resumes, user_id, id, a, doc, err, errlen);
	if (st != RESUME_SVC_OK || (st = matcher_of(svc, err, errlen)) != RESUME_SVC_OK)
		return st;
	if (resume_analyse(a, svc->m, doc->text.body, doc->text.body_len, dates_month_of((time_t)now), r) != 0) {
		snprintf(err, errlen, "out of memory");
		return RESUME_SVC_ERROR;
	}
	return RESUME_SVC_OK;
}

static const char *band(double score)
{
	return score >= 80 ? "strong" : score >= 60 ? "partial" : "low";
}

static int term_in(const json_t *names, const char *name)
{
	size_t i;
	json_t *v;
	json_array_foreach (names, i, v) {
		if (json_is_string(v) && strcmp(json_string_value(v), name) == 0)
			return 1;
	}
	return 0;
}

/* "delta": the change since prev (the scan before of the same resume and
 * job): score, and the terms matched now and not then, and then and not now. */
static void write_delta(struct buf *b, const struct store_scan *prev, const struct scan_result *res)
{
	json_t *root = prev->result ? json_loads(prev->result, 0, NULL) : NULL;
	json_t *was = json_array();
	json_t *matched = root ? json_object_get(root, "matched") : NULL;
	size_t i;
	json_t *v;
	json_array_foreach (matched, i, v) {
		const char *t = json_string_value(json_object_get(v, "term"));
		if (t)
			json_array_append_new(was, json_string(t));
	}
	json_t *now = json_array();
	for (size_t k = 0; k < res->n_terms; k++)
		if (res->terms[k].matched)
			json_array_append_new(now, json_string(res->terms[k].name));
	double before = prev->score_tenths / 10.0;
	buf_printf(b, ",\"delta\":{\"previous_scan_id\":%" PRId64 ",\"previous_score\":%.1f,\"score_change\":%.1f",
		   prev->id, before, res->score - before);
	buf_puts(b, ",\"newly_matched\":[");
	int first = 1;
	for (size_t k = 0; k < res->n_terms; k++) {
		const struct score_term *t = &res->terms[k];
		if (!t->matched || term_in(was, t->name))
			continue;
		if (!first)
			buf_putc(b, ',');
		first = 0;
		json_out_string(b, t->name);
	}
	buf_puts(b, "],\"no_longer_matched\":[");
	first = 1;
	json_array_foreach (was, i, v) {
		if (term_in(now, json_string_value(v)))
			continue;
		if (!first)
			buf_putc(b, ',');
		first = 0;
		json_out_string(b, json_string_value(v));
	}
	buf_puts(b, "]}");
	json_decref(was);
	json_decref(now);
	json_decref(root);
}

/* 32 hex digits that change when the text does. */
static void fingerprint(const char *text, size_t n, char hex[33])
{
	unsigned char h[16];
	crypto_generichash(h, sizeof(h), (const unsigned char *)text, n, NULL, 0);
	sodium_bin2hex(hex, 33, h, sizeof(h));
}

/* The scan's JSON: which resume and job, the band, report_json's members
 * (score, breakdown, terms, suggestions, what was read), the ATS checks,
 * and the delta against prev (NULL: the first scan of this resume and job). */
static void write_result(struct buf *b, const struct scan_service *svc, const struct resume_doc *doc,
			 const struct resume_info *r, const struct jd_terms *jd, const struct scan_result *res,
			 int64_t posting_id, const char *job_text, const struct store_scan *prev)
{
	char hex[33];
	fingerprint(doc->text.body, doc->text.body_len, hex);
	buf_puts(b, "{\"resume_id\":");
	json_out_int(b, doc->meta.id);
	JSON_OUT_KEY(b, "resume_name");
	json_out_string(b, doc->meta.name);
	JSON_OUT_KEY(b, "resume_fingerprint"); /* its text's, to tell an edit since */
	json_out_string(b, hex);
	buf_puts(b, ",\"posting_id\":");
	json_out_int_or_null(b, posting_id, posting_id <= 0);
	JSON_OUT_KEY(b, "job_title");
	json_out_string(b, jd->title);
	JSON_OUT_KEY(b, "band");
	json_out_string(b, band(res->score));
	if (posting_id <= 0) { /* kept to run the scan again, and to show it */
		JSON_OUT_KEY(b, "job_text");
		json_out_string(b, job_text);
	}
	struct buf report;
	buf_init(&report, RESULT_MAX);
	report_json(&report, svc->m, jd, r, res);
	if (buf_failed(&report) || report.len <= 3) {
		b->error = report.error ? report.error : -ENOMEM;
	} else { /* its members, without its braces and newline */
		buf_putc(b, ',');
		buf_append(b, report.data + 1, report.len - 3);
	}
	buf_free(&report);
	struct ats_check checks[ATS_CHECKS_MAX];
	size_t n = ats_run(&doc->text.facts, r, doc->text.header_footer, checks);
	JSON_OUT_KEY(b, "ats");
	ats_json(b, checks, n);
	if (prev)
		write_delta(b, prev, res);
	else
		buf_puts(b, ",\"delta\":null");
	buf_putc(b, '}');
}

/* The job: a stored posting, or the pasted text; job_key names it. */
static enum resume_svc_status read_job(struct scan_service *svc, const struct scan_request *rq, struct arena *a,
				       const char **title, const char **text, char *key, size_t keylen, char *err,
				       size_t errlen)
{
	if (rq->posting_id > 0) {
		struct store_posting p;
		int rc = store_posting_get(svc->store, rq->posting_id, a, &p, NULL, NULL);
		if (rc == STORE_NOTFOUND) {
			snprintf(err, errlen, "there is no posting %" PRId64, rq->posting_id);
			return RESUME_SVC_NOTFOUND;
		}
		if (rc != STORE_OK)
			return RESUME_SVC_ERROR;
		*title = p.title ? p.title : "";
		*text = p.description_text ? p.description_text : "";
		snprintf(key, keylen, "posting:%" PRId64, rq->posting_id);
		return RESUME_SVC_OK;
	}
	size_t n = rq->job_text ? strlen(rq->job_text) : 0;
	size_t blank = 0;
	while (blank < n && strchr(" \t\r\n", rq->job_text[blank]))
		blank++;
	if (blank == n || n > SCAN_JOB_TEXT_MAX) {
		snprintf(err, errlen, "give a posting_id, or the job description as job_text (1 to %d bytes)",
			 SCAN_JOB_TEXT_MAX);
		return RESUME_SVC_INVALID;
	}
	char hex[33];
	fingerprint(rq->job_text, n, hex);
	snprintf(key, keylen, "text:%s", hex);
	if (rq->job_title && strlen(rq->job_title) > SCAN_JOB_TITLE_MAX) {
		snprintf(err, errlen, "job_title is at most %d bytes", SCAN_JOB_TITLE_MAX);
		return RESUME_SVC_INVALID;
	}
	/* No title given (or a blank one): the text's first line naming an occupation. */
	*title = rq->job_title && rq->job_title[strspn(rq->job_title, " \t\r\n")] ? rq->job_title : NULL;
	*text = rq->job_text;
	return RESUME_SVC_OK;
}

enum resume_svc_status scan_service_run(struct scan_service *svc, int64_t user_id, const struct scan_request *rq,
					int64_t now, struct arena *a, struct store_scan *out, char *err, size_t errlen)
{
	err[0] = '\0';
	const char *title = NULL, *text = NULL;
	char key[64];
	enum resume_svc_status st = read_job(svc, rq, a, &title, &text, key, sizeof(key), err, errlen);
	if (st != RESUME_SVC_OK)
		return st;
	struct resume_doc doc;
	struct resume_info r;
	if ((st = analyse(svc, user_id, rq->resume_id, now, a, &doc, &r, err, errlen)) != RESUME_SVC_OK)
		return st;

	idf_refresh(svc, now);
	struct jd_terms jd;
	pthread_rwlock_rdlock(&svc->idf_lock);
	int rc = jd_extract(a, svc->m, &svc->idf, title, text, strlen(text), &jd);
	pthread_rwlock_unlock(&svc->idf_lock);
	struct scan_result res;
	if (rc != 0 || scan_score(a, svc->m, &jd, &r, 1, &res) != 0) {
		snprintf(err, errlen, "out of memory");
		return RESUME_SVC_ERROR;
	}
	struct store_scan prev;
	rc = store_scan_previous(svc->store, user_id, doc.meta.id, key, INT64_MAX, a, &prev);
	struct buf b;
	buf_init(&b, RESULT_MAX);
	write_result(&b, svc, &doc, &r, &jd, &res, rq->posting_id, text, rc == STORE_OK ? &prev : NULL);
	st = RESUME_SVC_OK;
	if (buf_failed(&b) || (rc != STORE_OK && rc != STORE_NOTFOUND)) {
		snprintf(err, errlen, "the scan could not be written");
		st = RESUME_SVC_ERROR;
	}
	if (st == RESUME_SVC_OK) {
		memset(out, 0, sizeof(*out));
		out->resume_id = doc.meta.id;
		out->posting_id = rq->posting_id > 0 ? rq->posting_id : 0;
		out->job_key = arena_strdup(a, key);
		out->job_title = jd.title ? jd.title : "";
		out->score_tenths = (int)(res.score * 10 + 0.5);
		out->result = arena_strndup(a, b.data, b.len);
		rc = out->job_key && out->result ? store_scan_insert(svc->store, user_id, out, now) : STORE_ERROR;
		st = rc == STORE_OK ? RESUME_SVC_OK : rc == STORE_NOTFOUND ? RESUME_SVC_NOTFOUND : RESUME_SVC_ERROR;
	}
	buf_free(&b);
	return st;
}

enum resume_svc_status scan_service_rerun(struct scan_service *svc, int64_t user_id, int64_t scan_id, int64_t now,
					  struct arena *a, struct store_scan *out, char *err, size_t errlen)
{
	struct store_scan old;
	int rc = store_scan_get(svc->store, user_id, scan_id, a, &old);
	if (rc != STORE_OK) {
		snprintf(err, errlen, "there is no scan %" PRId64, scan_id);
		return rc == STORE_NOTFOUND ? RESUME_SVC_NOTFOUND : RESUME_SVC_ERROR;
	}
	struct scan_request rq = { .resume_id = old.resume_id, .posting_id = old.posting_id };
	json_t *root = NULL;
	if (old.posting_id <= 0) {
		root = old.result ? json_loads(old.result, 0, NULL) : NULL;
		const char *text = json_string_value(json_object_get(root, "job_text"));
		if (!text) {
			json_decref(root);
			snprintf(err, errlen, "this scan's job description was not kept: paste it again to scan it");
			return RESUME_SVC_INVALID;
		}
		rq.job_text = arena_strdup(a, text);
		rq.job_title = old.job_title;
		json_decref(root);
		if (!rq.job_text) {
			snprintf(err, errlen, "out of memory");
			return RESUME_SVC_ERROR;
		}
	}
	return scan_service_run(svc, user_id, &rq, now, a, out, err, errlen);
}

/* The scan's terms from its stored result: matched, then missing. */
static int read_terms(struct arena *a, const char *result, struct scan_marks *out)
{
	json_t *root = result ? json_loads(result, 0, NULL) : NULL;
	json_t *lists[2] = { json_object_get(root, "matched"), json_object_get(root, "missing") };
	size_t n = json_array_size(lists[0]) + json_array_size(lists[1]);
	out->terms = arena_alloc(a, (n + 1) * sizeof(*out->terms));
	out->n_terms = 0;
	for (int l = 0; l < 2 && out->terms; l++) {
		size_t i;
		json_t *v;
		json_array_foreach (lists[l], i, v) {
			const char *name = json_string_value(json_object_get(v, "term"));
			const char *type = json_string_value(json_object_get(v, "type"));
			if (!name || !type)
				continue;
			struct hl_term *t = &out->terms[out->n_terms++];
			t->name = arena_strdup(a, name);
			t->keyword = strcmp(type, "keyword") == 0;
			t->matched = l == 0;
		}
	}
	json_decref(root);
	return out->terms ? 0 : -1;
}

static int mark(struct scan_service *svc, struct arena *a, const struct scan_marks *mk, const char *text,
		struct scan_marked *out)
{
	out->text = text;
	out->len = text ? strlen(text) : 0;
	return text ? scan_highlight(a, svc->m, text, out->len, mk->terms, mk->n_terms, &out->spans, &out->n) : 0;
}

enum resume_svc_status scan_service_marks(struct scan_service *svc, int64_t user_id, const struct store_scan *scan,
					  struct arena *a, struct scan_marks *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	struct resume_doc doc;
	enum resume_svc_status st = resume_open(svc->resumes, user_id, scan->resume_id, a, &doc, err, errlen);
	if (st != RESUME_SVC_OK || (st = matcher_of(svc, err, errlen)) != RESUME_SVC_OK)
		return st;
	json_t *root = scan->result ? json_loads(scan->result, 0, NULL) : NULL;
	/* The text's fingerprint then and now (scans before it kept one: the row's time). */
	const char *then = json_string_value(json_object_get(root, "resume_fingerprint"));
	char now[33];
	fingerprint(doc.text.body, doc.text.body_len, now);
	out->resume_changed = then ? strcmp(then, now) != 0 : doc.meta.updated_at > scan->created_at;
	const char *job = NULL;
	if (scan->posting_id > 0) {
		struct store_posting p;
		if (store_posting_get(svc->store, scan->posting_id, a, &p, NULL, NULL) == STORE_OK)
			job = p.description_text;
	} else {
		const char *text = json_string_value(json_object_get(root, "job_text"));
		job = text ? arena_strdup(a, text) : NULL;
	}
	json_decref(root);
	char *body = arena_strndup(a, doc.text.body, doc.text.body_len);
	if (!body || read_terms(a, scan->result, out) != 0 || mark(svc, a, out, body, &out->resume) != 0 ||
	    mark(svc, a, out, job, &out->job) != 0) {
		snprintf(err, errlen, "out of memory");
		return RESUME_SVC_ERROR;
	}
	return RESUME_SVC_OK;
}

static void render_marked(struct buf *b, const struct scan_marked *m)
{
	buf_puts(b, "{\"text\":");
	json_out_string(b, m->text);
	JSON_OUT_KEY(b, "marks");
	buf_putc(b, '[');
	for (size_t i = 0; i < m->n; i++)
		buf_printf(b, "%s{\"start\":%u,\"length\":%u,\"term\":%u}", i ? "," : "", m->spans[i].start,
			   m->spans[i].len, m->spans[i].term);
	buf_putc(b, ']');
}

void scan_service_render_marks(struct buf *b, const struct scan_marks *mk)
{
	buf_puts(b, "{\"terms\":[");
	for (size_t i = 0; i < mk->n_terms; i++) {
		buf_puts(b, i ? ",{\"term\":" : "{\"term\":");
		json_out_string(b, mk->terms[i].name);
		JSON_OUT_KEY(b, "keyword");
		json_out_bool(b, mk->terms[i].keyword);
		JSON_OUT_KEY(b, "matched");
		json_out_bool(b, mk->terms[i].matched);
		buf_putc(b, '}');
	}
	buf_puts(b, "],\"resume\":");
	render_marked(b, &mk->resume);
	JSON_OUT_KEY(b, "resume_changed");
	json_out_bool(b, mk->resume_changed);
	buf_puts(b, "},\"job\":");
	if (mk->job.text) {
		render_marked(b, &mk->job);
		buf_putc(b, '}');
	} else {
		buf_puts(b, "null");
	}
	buf_putc(b, '}');
}

static void render_head(struct buf *b, const struct store_scan *scan)
{
	char when[TIMEFMT_ISO_LEN];
	timefmt_iso((time_t)scan->created_at, when);
	buf_printf(b, "{\"id\":%" PRId64 ",\"created_at\":\"%s\"", scan->id, when);
}

void scan_service_render(struct buf *b, const struct store_scan *scan)
{
	render_head(b, scan);
	if (scan->result && scan->result[0] == '{' && scan->result[1] != '}') {
		buf_putc(b, ',');
		buf_puts(b, scan->result + 1);
	} else {
		buf_putc(b, '}');
	}
}

void scan_service_render_brief(struct buf *b, const struct store_scan *scan)
{
	render_head(b, scan);
	JSON_OUT_KEY(b, "resume_id");
	json_out_int(b, scan->resume_id);
	JSON_OUT_KEY(b, "posting_id");
	json_out_int_or_null(b, scan->posting_id, scan->posting_id <= 0);
	JSON_OUT_KEY(b, "job_title");
	json_out_string(b, scan->job_title);
	buf_printf(b, ",\"score\":%d.%d", scan->score_tenths / 10, scan->score_tenths % 10);
	JSON_OUT_KEY(b, "band");
	json_out_string(b, band(scan->score_tenths / 10.0));
	buf_putc(b, '}');
}

static void facts_json(struct buf *b, const struct resume_facts *f)
{
	buf_puts(b, "{\"type\":");
	json_out_string(b, resume_type_name(f->type));
	JSON_OUT_KEY(b, "encoding");
	json_out_string(b, f->encoding);
	JSON_OUT_KEY(b, "text_layer");
	json_out_bool(b, f->text_layer || f->type != RESUME_TYPE_PDF);
	JSON_OUT_KEY(b, "pages");
	json_out_int(b, f->pages);
	JSON_OUT_KEY(b, "pages_without_text");
	json_out_int(b, f->pages_without_text);
	JSON_OUT_KEY(b, "columns");
	json_out_bool(b, f->columns);
	JSON_OUT_KEY(b, "tables");
	json_out_bool(b, f->tables);
	JSON_OUT_KEY(b, "text_boxes");
	json_out_bool(b, f->text_boxes);
	JSON_OUT_KEY(b, "images");
	json_out_bool(b, f->images);
	JSON_OUT_KEY(b, "header_footer");
	json_out_bool(b, f->header_footer);
	JSON_OUT_KEY(b, "icon_glyphs");
	json_out_int(b, f->icon_glyphs);
	JSON_OUT_KEY(b, "words");
	json_out_int(b, (int64_t)f->words);
	JSON_OUT_KEY(b, "fonts");
	buf_putc(b, '[');
	for (size_t i = 0; i < f->n_fonts; i++) {
		if (i)
			buf_putc(b, ',');
		json_out_string(b, f->fonts[i]);
	}
	buf_puts(b, "]}");
}

/* The profile into b. */
static void profile_json(struct scan_service *svc, const struct resume_doc *doc, const struct resume_info *r,
			 struct buf *b)
{
	const struct taxonomy *tax = svc->m->tax;
	/* report.h's reading of the resume, then the file's facts, skills, checks. */
	size_t open = b->len;
	report_resume_json(b, svc->m, r);
	if (buf_failed(b) || b->len == open)
		return;
	b->len--; /* its closing brace */
	JSON_OUT_KEY(b, "facts");
	facts_json(b, &doc->text.facts);
	JSON_OUT_KEY(b, "skills");
	buf_putc(b, '[');
	size_t shown = 0;
	for (size_t i = 0; i < tax->n_skills && shown < PROFILE_SKILLS; i++) {
		if (!r->skill_count[i])
			continue;
		if (shown++)
			buf_putc(b, ',');
		buf_puts(b, "{\"skill\":");
		json_out_string(b, tax->skills[i].name);
		JSON_OUT_KEY(b, "type");
		json_out_string(b, skill_type_name(tax->skills[i].type));
		JSON_OUT_KEY(b, "count");
		json_out_int(b, r->skill_count[i]);
		buf_putc(b, '}');
	}
	struct ats_check checks[ATS_CHECKS_MAX];
	size_t n = ats_run(&doc->text.facts, r, doc->text.header_footer, checks);
	buf_puts(b, "],\"ats\":");
	ats_json(b, checks, n);
	buf_putc(b, '}');
}

enum resume_svc_status scan_service_profile(struct scan_service *svc, int64_t user_id, int64_t resume_id, int64_t now,
					    struct arena *a, struct store_resume *meta, char **json, size_t *len,
					    char *err, size_t errlen)
{
	struct resume_doc doc;
	struct resume_info r;
	enum resume_svc_status st = analyse(svc, user_id, resume_id, now, a, &doc, &r, err, errlen);
	if (st != RESUME_SVC_OK)
		return st;
	*meta = doc.meta;
	struct buf b;
	buf_init(&b, RESULT_MAX);
	profile_json(svc, &doc, &r, &b);
	*json = buf_failed(&b) ? NULL : arena_strndup(a, b.data, b.len);
	*len = b.len;
	buf_free(&b);
	if (!*json) {
		snprintf(err, errlen, "out of memory");
		return RESUME_SVC_ERROR;
	}
	return RESUME_SVC_OK;
}
