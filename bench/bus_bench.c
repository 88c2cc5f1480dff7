/* bus_bench — throughput of the embedded bus: publishing RECORDS records of
 * SIZE bytes in batches of BATCH (one fdatasync per batch, as the bus
 * guarantees), then consuming them all with one group (polls of up to 1000;
 * one commit at the end, then again with a commit after every poll), then
 * publishing and consuming at once from two threads.
 *
 *   build/bench/bus_bench DIR [RECORDS [SIZE [BATCH...]]]
 *   defaults: 100000 records of 1024 bytes, batches of 1, 10, 100 and 1000
 *
 * DIR should be on the disk jobtrack will use (fsync costs what the disk
 * costs); each run uses a fresh subdirectory of it and removes it. */
#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bus/bus.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

struct run {
	struct bus *bus;
	long records, size, batch;
	double seconds;
	int rc;
	int commit_each_poll; /* consume: commit after every poll, or once at the end */
	const char *group;
};

static void *publish_all(void *arg)
{
	struct run *r = arg;
	char *payload = malloc((size_t)r->size);
	struct bus_message *m = calloc((size_t)r->batch, sizeof(*m));
	memset(payload, 'x', (size_t)r->size);
	char keys[1000][16];
	double t0 = now_s();
	for (long i = 0; i < r->records && !r->rc; i += r->batch) {
		long n = r->records - i < r->batch ? r->records - i : r->batch;
		for (long k = 0; k < n; k++) {
			int kl = snprintf(keys[k % 1000], sizeof(keys[0]), "%ld", i + k);
			m[k] = (struct bus_message){ keys[k % 1000], (size_t)kl, payload, (size_t)r->size };
		}
		r->rc = bus_publish_batch(r->bus, "bench", m, (size_t)n, NULL);
	}
	r->seconds = now_s() - t0;
	free(payload);
	free(m);
	return NULL;
}

static void *consume_all(void *arg)
{
	struct run *r = arg;
	struct bus_consumer *c;
	if ((r->rc = bus_consumer_open(r->bus, "bench", r->group, &c)) != 0)
		return NULL;
	static struct bus_record recs[1000];
	long got = 0;
	double t0 = now_s();
	while (got < r->records && !r->rc) {
		size_t n;
		if ((r->rc = bus_poll(c, recs, 1000, &n, 5000)) == 0 && n == 0)
			r->rc = -ETIMEDOUT;
		got += (long)n;
		if (!r->rc && r->commit_each_poll)
			r->rc = bus_commit(c);
	}
	if (!r->rc && !r->commit_each_poll)
		r->rc = bus_commit(c);
	r->seconds = now_s() - t0;
	bus_consumer_close(c);
	return NULL;
}

static void report(const char *what, const struct run *r)
{
	double rate = (double)r->records / r->seconds;
	printf("%-26s batch %5ld: %9.0f records/s  %7.1f MB/s  (%ld in %.2f s)%s\n", what, r->batch, rate,
	       rate * (double)r->size / 1e6, r->records, r->seconds, r->rc ? "  FAILED" : "");
}

static int one(const char *base, long records, long size, long batch)
{
	char dir[4096], url[4200], err[256];
	snprintf(dir, sizeof(dir), "%s/bus-bench-%ld", base, (long)getpid());
	snprintf(url, sizeof(url), "embedded:%s", dir);
	struct bus *b;
	if (bus_open(url, NULL, &b, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	struct run pub = { b, records, size, batch, 0, 0, 0, "bench" }, con = pub;
	/* Make the second group now, so retention keeps everything for it. */
	struct bus_consumer *later;
	if (bus_consumer_open(b, "bench", "later", &later) == 0)
		bus_consumer_close(later);
	publish_all(&pub);
	report("publish", &pub);
	consume_all(&con);
	report("consume (commit at end)", &con);
	struct run again = con;
	again.commit_each_poll = 1;
	again.group = "later";
	consume_all(&again);
	report("consume (commit per poll)", &again);
	bus_close(b);
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);

	/* Both at once, as serve's ingest runs while a scrape publishes. */
	if (bus_open(url, NULL, &b, err, sizeof(err)))
		return 1;
	struct run p2 = { b, records, size, batch, 0, 0, 1, "bench" }, c2 = p2;
	pthread_t tp, tc;
	pthread_create(&tc, NULL, consume_all, &c2);
	pthread_create(&tp, NULL, publish_all, &p2);
	pthread_join(tp, NULL);
	pthread_join(tc, NULL);
	report("publish while consuming", &p2);
	report("consume while publishing", &c2);
	bus_close(b);
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return pub.rc || con.rc || again.rc || p2.rc || c2.rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR [RECORDS [SIZE [BATCH...]]]\n", argv[0]);
		return 2;
	}
	long records = argc > 2 ? strtol(argv[2], NULL, 10) : 100000,
	     size = argc > 3 ? strtol(argv[3], NULL, 10) : 1024;
	long batches[] = { 1, 10, 100, 1000 };
	int rc = 0;
	if (argc > 4) {
		for (int i = 4; i < argc; i++) {
			long batch = strtol(argv[i], NULL, 10);
			if (batch < 1 || batch > 1000) {
				fprintf(stderr, "a batch is 1 to 1000 records\n");
				return 2;
			}
			/* Batches of one are slow: a tenth of the records will do. */
			rc |= one(argv[1], batch == 1 && records > 10000 ? records / 10 : records, size, batch);
		}
		return rc;
	}
	for (size_t i = 0; i < sizeof(batches) / sizeof(batches[0]); i++)
		rc |= one(argv[1], batches[i] == 1 && records > 10000 ? records / 10 : records, size, batches[i]);
	return rc;
}
