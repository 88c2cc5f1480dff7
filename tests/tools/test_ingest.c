/* jt-test-ingest — puts postings and scrape runs into a store for the HTTP
 * and browser tests, without the scraper (test-only: never installed).
 *
 *   jt-test-ingest STORE_URL postings < lines   one JSON object per line:
 *       {"source","external_id","title","company","location","description_html",
 *        "url","apply_url","salary_min","salary_max","salary_currency",
 *        "salary_period","date_posted","key","seen_at","source_id",
 *        "workplace","country","locality","employment_type":[…],
 *        "salary_year_min","salary_year_max" (default: the salary when
 *        its period is YEAR)}
 *       prints each posting's id, one a line
 *   jt-test-ingest STORE_URL run SOURCE_ID STATUS [MESSAGE]
 *       starts a run of the source and, unless STATUS is "running", ends it
 *       so; prints the run's id
 *   jt-test-ingest STORE_URL missing SOURCE_ID
 *       a complete run of the source that saw none of its listings: each
 *       closes (max_missing 1), and so do postings left with none open;
 *       prints how many postings closed
 *   jt-test-ingest STORE_URL resume USER_ID DATA_DIR FILE
 *       stores FILE as a resume of the user, encrypted as a server on
 *       DATA_DIR (its secret.key and file: blob store) would; prints its id
 *
 * Postings go through store_posting_ingest exactly as ingest files them,
 * with whatever description they are given (the tests give hostile ones:
 * the web layer must not trust the store). */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/log.h"
#include "base/text.h"
#include "blob/blob.h"
#include "resume/vault.h"
#include "scrape/dedupe.h"
#include "scrape/posting.h"
#include "store/store.h"

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int ingest_line(struct store *s, const char *line)
{
	json_error_t jerr;
	json_t *o = json_loads(line, 0, &jerr);
	if (!json_is_object(o)) {
		fprintf(stderr, "jt-test-ingest: not a JSON object: %s\n", jerr.text);
		json_decref(o);
		return -1;
	}
	struct posting_ingest in = { 0 };
	struct store_posting *p = &in.posting;
	p->title = str(o, "title");
	p->company = str(o, "company");
	p->location_raw = str(o, "location");
	p->description_html = str(o, "description_html");
	p->description_text = p->description_html;
	p->url = str(o, "url");
	p->apply_url = str(o, "apply_url");
	p->salary_min = json_number_value(json_object_get(o, "salary_min"));
	p->salary_max = json_number_value(json_object_get(o, "salary_max"));
	p->salary_currency = str(o, "salary_currency");
	p->salary_period = str(o, "salary_period");
	p->date_posted = str(o, "date_posted");
	p->workplace = str(o, "workplace");
	p->country = str(o, "country");
	p->locality = str(o, "locality");
	const char *types[8];
	size_t ntypes = 0;
	json_t *jt = json_object_get(o, "employment_type");
	for (size_t i = 0; json_is_array(jt) && i < json_array_size(jt) && ntypes < 8; i++)
		if (json_string_value(json_array_get(jt, i)))
			types[ntypes++] = json_string_value(json_array_get(jt, i));
	p->employment_types = employment_types_from_names(types, ntypes);
	int yearly = p->salary_period && strcmp(p->salary_period, "YEAR") == 0;
	p->salary_year_min = json_object_get(o, "salary_year_min")
				 ? json_number_value(json_object_get(o, "salary_year_min"))
			     : yearly ? p->salary_min
				      : 0;
	p->salary_year_max = json_object_get(o, "salary_year_max")
				 ? json_number_value(json_object_get(o, "salary_year_max"))
			     : yearly ? p->salary_max
				      : 0;
	char key[512];
	snprintf(key, sizeof(key), "%s|%s|%s", p->company ? p->company : "", p->title ? p->title : "",
		 str(o, "external_id") ? str(o, "external_id") : "");
	p->canonical_key = str(o, "key") ? str(o, "key") : key;
	p->simhash = dedupe_simhash(p->description_html ? p->description_html : "");
	in.source = str(o, "source") ? str(o, "source") : "greenhouse";
	in.external_id = str(o, "external_id") ? str(o, "external_id") : "1";
	in.source_id = json_integer_value(json_object_get(o, "source_id"));
	in.content_hash = line; /* any change of the line is a change of content */
	in.source_rank = 5;
	json_int_t seen = json_integer_value(json_object_get(o, "seen_at"));
	in.seen_at = seen ? seen : (int64_t)time(NULL);
	in.max_distance = -1;
	enum posting_change change;
	int64_t id = 0;
	int rc = store_posting_ingest(s, &in, &change, &id);
	if (rc == 0)
		printf("%lld\n", (long long)id);
	else
		fprintf(stderr, "jt-test-ingest: ingest failed: %d\n", rc);
	json_decref(o);
	return rc;
}

static int run(struct store *s, const char *source, const char *status, const char *message)
{
	long source_id;
	if (text_parse_long(source, 1, 1L << 53, &source_id)) {
		fprintf(stderr, "jt-test-ingest: bad source id\n");
		return -1;
	}
	struct arena a;
	arena_init(&a, 0);
	struct scrape_run r;
	int64_t now = (int64_t)time(NULL);
	int rc = store_run_start(s, source_id, now, now - 600, &a, &r);
	if (rc == 0 && strcmp(status, "running") != 0) {
		struct run_counts c = { .pages = 3, .bytes = 4096, .found = 2, .new = 2 };
		if (strcmp(status, "partial") == 0) /* one of its requests refused by the source */
			c.errors = c.blocked = 1;
		rc = store_run_finish(s, r.id, status, &c, message, now + 1);
	}
	if (rc == 0)
		printf("%lld\n", (long long)r.id);
	else
		fprintf(stderr, "jt-test-ingest: run failed: %d\n", rc);
	arena_free(&a);
	return rc;
}

/* The resume file as a server on data_dir keeps it (resume/vault.h). */
static int add_resume(struct store *s, const char *user, const char *data_dir, const char *path)
{
	long uid;
	char hexpath[4096], hex[65] = { 0 }, err[512];
	uint8_t secret[32];
	snprintf(hexpath, sizeof(hexpath), "%s/secret.key", data_dir);
	FILE *f = fopen(hexpath, "r");
	size_t n = f ? fread(hex, 1, 64, f) : 0;
	if (f)
		fclose(f);
	size_t bin_len = 0;
	if (n == 64 && (sodium_hex2bin(secret, sizeof(secret), hex, 64, NULL, &bin_len, NULL) || bin_len != 32))
		n = 0;
	if (n != 64 || text_parse_long(user, 1, INT64_MAX, &uid)) {
		fprintf(stderr, "jt-test-ingest: resume needs a user id and a data dir holding secret.key\n");
		return 2;
	}
	struct arena a;
	arena_init(&a, 0);
	struct blob *blob = NULL;
	FILE *in = fopen(path, "rb");
	char *data = arena_alloc_raw(&a, 1u << 20);
	size_t len = in && data ? fread(data, 1, 1u << 20, in) : 0;
	if (in)
		fclose(in);
	int rc = blob_open("file:", data_dir, &blob, err, sizeof(err));
	struct store_resume r;
	if (rc == 0) {
		struct resume_vault v;
		resume_vault_init(&v, s, blob, secret, sizeof(secret));
		const char *name = strrchr(path, '/');
		rc = resume_vault_save(&v, uid, name ? name + 1 : path, data, len, 0, (int64_t)time(NULL), &a, &r, err,
				       sizeof(err));
		resume_vault_fini(&v);
	}
	if (rc == 0)
		printf("%lld\n", (long long)r.id);
	else
		fprintf(stderr, "jt-test-ingest: resume: %s\n", err);
	blob_close(blob);
	arena_free(&a);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: jt-test-ingest STORE_URL postings | run SOURCE_ID STATUS [MESSAGE]\n");
		return 2;
	}
	log_set_level(LOG_WARN);
	struct store *s;
	char err[256];
	if (store_open(argv[1], &s, err, sizeof(err))) {
		fprintf(stderr, "jt-test-ingest: %s\n", err);
		return 1;
	}
	int rc = 0;
	if (strcmp(argv[2], "postings") == 0) {
		char *line = NULL;
		size_t cap = 0;
		ssize_t len;
		while (rc == 0 && (len = getline(&line, &cap, stdin)) > 0) {
			if (len > 1)
				rc = ingest_line(s, line);
		}
		free(line);
	} else if (strcmp(argv[2], "missing") == 0 && argc >= 4) {
		long source_id;
		struct missing_counts mc;
		int64_t now = (int64_t)time(NULL);
		rc = text_parse_long(argv[3], 1, 1L << 30, &source_id) ||
		     store_posting_mark_missing(s, source_id, now + 1, 1, now, &mc);
		if (rc == 0)
			printf("%lld\n", (long long)mc.postings_closed);
	} else if (strcmp(argv[2], "resume") == 0 && argc >= 6) {
		rc = add_resume(s, argv[3], argv[4], argv[5]);
	} else if (strcmp(argv[2], "run") == 0 && argc >= 5) {
		rc = run(s, argv[3], argv[4], argc > 5 ? argv[5] : NULL);
	} else {
		fprintf(stderr, "jt-test-ingest: unknown command\n");
		rc = 2;
	}
	store_close(s);
	return rc ? 1 : 0;
}
