/* postings_fill — fills a store with N generated postings (the search
 * benchmark's corpus, bench/search/corpus.h: realistic titles, companies,
 * places, ~300-word descriptions with skills, salaries, dates, workplaces,
 * one or two sources each) through store_posting_ingest, as the scraper's
 * ingest files them, for the dashboard benchmark (bench/analytics.sh).
 * Made in chunks so the corpus never holds more than CHUNK postings. Each
 * is seen a second after the one before, ending now, as a scraper spreads
 * them: a server's search index rereads the last two minutes of changes
 * at every poll (search/service.c), and a million postings stamped with
 * one second would all be reread every second.
 *
 *   postings_fill N STORE_URL */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/text.h"
#include "base/timefmt.h"
#include "scrape/posting.h"
#include "../search/corpus.h"
#include "store/store.h"

#define CHUNK 50000
#define TX    2000 /* postings per transaction */

static int ingest(struct store *s, const struct gen_posting *g, size_t serial, int64_t now)
{
	char ext[32], key[600], hash[32];
	snprintf(ext, sizeof(ext), "p%zu", serial);
	snprintf(hash, sizeof(hash), "h%zu", serial);
	snprintf(key, sizeof(key), "%.200s|%.200s|%s", g->company, g->title, ext);
	struct posting_ingest in = { 0 };
	struct store_posting *p = &in.posting;
	p->canonical_key = key;
	p->title = g->title;
	p->company = g->company;
	p->location_raw = g->location;
	p->locality = g->city;
	p->country = g->country;
	p->workplace = workplace_name((enum workplace)g->workplace);
	p->employment_types = g->employment_types;
	p->salary_min = p->salary_year_min = g->salary_min;
	p->salary_max = p->salary_year_max = g->salary_max;
	p->salary_currency = g->salary_min > 0 || g->salary_max > 0 ? g->currency : NULL;
	p->salary_period = p->salary_currency ? "YEAR" : NULL;
	p->date_posted = g->date_posted;
	p->description_text = g->description;
	in.source = g->source;
	in.external_id = ext;
	in.content_hash = hash;
	in.source_rank = 5;
	in.seen_at = now;
	in.max_distance = -1;
	enum posting_change ch;
	return store_posting_ingest(s, &in, &ch, NULL);
}

int main(int argc, char **argv)
{
	long n;
	if (argc != 3 || text_parse_long(argv[1], 1, 100000000, &n)) {
		fprintf(stderr, "usage: postings_fill N STORE_URL\n");
		return 2;
	}
	log_set_level(LOG_WARN);
	struct store *s;
	char err[256];
	if (store_open(argv[2], &s, err, sizeof(err))) {
		fprintf(stderr, "postings_fill: %s\n", err);
		return 1;
	}
	int64_t now = (int64_t)time(NULL);
	char today[TIMEFMT_DATE_LEN];
	timefmt_date((time_t)now, today);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	size_t done = 0;
	int rc = 0;
	for (uint64_t chunk = 0; done < (size_t)n && rc == 0; chunk++) {
		struct corpus c;
		size_t want = (size_t)n - done < CHUNK ? (size_t)n - done : CHUNK;
		if (corpus_generate(&c, want, 0x5eed + chunk, today)) {
			fprintf(stderr, "postings_fill: out of memory\n");
			return 1;
		}
		for (size_t i = 0; i < c.n && rc == 0; i += TX) {
			rc = store_tx_begin(s, 0);
			for (size_t k = i; k < c.n && k < i + TX && rc == 0; k++)
				rc = ingest(s, &c.items[k], done + k, now - (int64_t)((size_t)n - (done + k)));
			rc = store_tx_end(s, rc);
		}
		done += c.n;
		corpus_free(&c);
		fprintf(stderr, "\rpostings_fill: %zu of %ld", done, n);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr, "\n");
	printf("postings_fill: %zu postings in %.0f s (%.0f/s)%s\n", done, secs, (double)done / secs,
	       rc ? ", then failed" : "");
	store_close(s);
	return rc ? 1 : 0;
}
