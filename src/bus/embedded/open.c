/* open.c — the embedded bus as a whole: parsing its URL, the directory,
 * the topic list, shutdown, lag and the reports of damage every part of it
 * shares. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/fs.h"
#include "base/log.h"
#include "base/metrics.h"
#include "base/text.h"
#include "bus/embedded/embedded.h"

#define DEFAULT_SEGMENT_BYTES (64L << 20)
#define DEFAULT_MAX_RECORD    (8L << 20)
#define DEFAULT_POLL_MS       50

int64_t emb_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

size_t emb_max_body(const struct emb_bus *b)
{
	return REC_BODY_FIXED + b->base.max_record;
}

void emb_report_corrupt(struct emb_bus *b, const char *topic, int64_t seg_base, uint64_t pos, int64_t lost,
			int by_consumer)
{
	atomic_ullong *m =
	    metrics_counter("jobtrack_bus_damaged_records_total",
			    "Records consumers of the embedded bus skipped because they failed their checksum.");
	if (!by_consumer) { /* a publisher catching up: consumers will meet it and count it */
		log_event(LOG_ERROR, "bus.damaged",
			  "topic %s: segment %lld is damaged at byte %llu; consumers will skip it", topic,
			  (long long)seg_base, (unsigned long long)pos);
		return;
	}
	atomic_fetch_add(&b->corrupt_regions, 1);
	if (lost > 0) {
		atomic_fetch_add(&b->records_lost, (unsigned long long)lost);
		if (m)
			atomic_fetch_add_explicit(m, (unsigned long long)lost, memory_order_relaxed);
	}
	log_event(LOG_ERROR, "bus.damaged",
		  "topic %s: segment %lld is damaged at byte %llu; skipped to the next good record (%lld offset(s) "
		  "lost)",
		  topic, (long long)seg_base, (unsigned long long)pos, (long long)(lost > 0 ? lost : 0));
}

void emb_report_torn(struct emb_bus *b, const char *topic, int64_t seg_base, uint64_t pos, uint64_t bytes)
{
	atomic_fetch_add(&b->torn_tails, 1);
	log_event(LOG_WARN, "bus.torn_tail",
		  "topic %s: cut %llu bytes of an unfinished write from segment %lld at byte %llu (a publisher "
		  "stopped mid-write; it was never told the write succeeded)",
		  topic, (unsigned long long)bytes, (long long)seg_base, (unsigned long long)pos);
}

/* Reads "name=value&…" after the '?'. */
static int parse_options(struct emb_bus *b, const char *q, char *err, size_t errlen)
{
	while (q && *q) {
		const char *amp = strchr(q, '&');
		size_t len = amp ? (size_t)(amp - q) : strlen(q);
		const char *eq = memchr(q, '=', len);
		char name[32], value[32];
		if (!eq || (size_t)(eq - q) >= sizeof(name) || len - (size_t)(eq - q) - 1 >= sizeof(value)) {
			snprintf(err, errlen, "bus URL option \"%.*s\" is not name=value", (int)(len > 64 ? 64 : len),
				 q);
			return -EINVAL;
		}
		memcpy(name, q, (size_t)(eq - q));
		name[eq - q] = '\0';
		memcpy(value, eq + 1, len - (size_t)(eq - q) - 1);
		value[len - (size_t)(eq - q) - 1] = '\0';
		long v;
		if (strcmp(name, "segment_bytes") == 0 && text_parse_long(value, 4096, 1L << 30, &v) == 0)
			b->segment_bytes = (uint64_t)v;
		else if (strcmp(name, "max_record") == 0 && text_parse_long(value, 1024, 64L << 20, &v) == 0)
			b->base.max_record = (size_t)v;
		else if (strcmp(name, "poll_ms") == 0 && text_parse_long(value, 1, 10000, &v) == 0)
			b->poll_ms = (int)v;
		else {
			snprintf(err, errlen,
				 "bus URL option \"%s=%s\": expected segment_bytes (4096–1073741824), max_record "
				 "(1024–67108864) or poll_ms (1–10000)",
				 name, value);
			return -EINVAL;
		}
		q = amp ? amp + 1 : NULL;
	}
	return 0;
}

static void emb_close(struct bus *base)
{
	struct emb_bus *b = (struct emb_bus *)base;
	if (atomic_load(&b->consumers) != 0)
		log_event(LOG_ERROR, "bus.close", "bus closed with %d consumer(s) still open",
			  atomic_load(&b->consumers));
	while (b->topics) {
		struct topic *t = b->topics;
		b->topics = t->next;
		topic_free(t);
	}
	if (b->dirfd >= 0)
		close(b->dirfd);
	pthread_mutex_destroy(&b->mu);
	free(b->dir);
	free(b);
}

static int emb_publish_batch(struct bus *base, const char *topic, const struct bus_message *msgs, size_t n,
			     int64_t *first)
{
	struct topic *t;
	int rc = topic_get((struct emb_bus *)base, topic, &t);
	return rc ? rc : topic_append(t, msgs, n, first);
}

static void emb_shutdown(struct bus *base)
{
	struct emb_bus *b = (struct emb_bus *)base;
	atomic_store(&b->shutting_down, 1);
	pthread_mutex_lock(&b->mu);
	for (struct topic *t = b->topics; t; t = t->next) {
		pthread_mutex_lock(&t->mu);
		t->generation++;
		pthread_cond_broadcast(&t->published);
		pthread_mutex_unlock(&t->mu);
	}
	pthread_mutex_unlock(&b->mu);
}

static int emb_group_lag(struct bus *base, const char *topic, const char *group, struct bus_lag *out)
{
	struct topic *t;
	int rc = topic_get((struct emb_bus *)base, topic, &t);
	if (rc || (rc = topic_lock(t)) != 0)
		return rc;
	out->end = t->next_offset;
	topic_unlock(t);
	if ((rc = topic_start(t, &out->start)) != 0)
		return rc;
	rc = offsets_read(t->groups_dirfd, group, &out->committed);
	if (rc == -ENOENT)
		out->committed = -1;
	else if (rc)
		return rc;
	int64_t from = out->committed > out->start ? out->committed : out->start;
	out->depth = out->end > from ? out->end - from : 0;
	return out->depth ? emb_timestamp_at(t, from, &out->oldest_ms) : 0;
}

static void emb_stats(struct bus *base, struct bus_stats *out)
{
	struct emb_bus *b = (struct emb_bus *)base;
	out->corrupt_regions = atomic_load(&b->corrupt_regions);
	out->records_lost = atomic_load(&b->records_lost);
	out->torn_tails = atomic_load(&b->torn_tails);
}

static const struct bus_ops embedded_ops = {
	.close = emb_close,
	.publish_batch = emb_publish_batch,
	.consumer_open = emb_consumer_open,
	.consumer_close = emb_consumer_close,
	.poll = emb_poll,
	.commit = emb_commit,
	.seek = emb_seek,
	.position = emb_position,
	.shutdown = emb_shutdown,
	.group_lag = emb_group_lag,
	.stats = emb_stats,
};

int embedded_bus_open(const char *url, const char *data_dir, struct bus **out, char *err, size_t errlen)
{
	*out = NULL;
	const char *path = url + strlen("embedded:");
	const char *q = strchr(path, '?');
	size_t plen = q ? (size_t)(q - path) : strlen(path);
	struct emb_bus *b = calloc(1, sizeof(*b));
	if (!b) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	b->base.ops = &embedded_ops;
	b->base.backend = "embedded";
	b->base.max_record = DEFAULT_MAX_RECORD;
	b->segment_bytes = DEFAULT_SEGMENT_BYTES;
	b->poll_ms = DEFAULT_POLL_MS;
	b->dirfd = -1;
	pthread_mutex_init(&b->mu, NULL);
	int rc = parse_options(b, q ? q + 1 : NULL, err, errlen);
	if (rc)
		goto fail;
	if (plen == 0) {
		if (!data_dir || !*data_dir) {
			snprintf(err, errlen, "bus URL \"embedded:\" needs a data directory (or give embedded:/path)");
			rc = -EINVAL;
			goto fail;
		}
		size_t n = strlen(data_dir) + sizeof("/bus");
		if ((b->dir = malloc(n)) != NULL)
			snprintf(b->dir, n, "%s/bus", data_dir);
	} else {
		b->dir = strndup(path, plen);
	}
	if (!b->dir) {
		snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
		goto fail;
	}
	if (strlen(b->dir) >= PATH_MAX) {
		snprintf(err, errlen, "bus directory path is too long");
		rc = -ENAMETOOLONG;
		goto fail;
	}
	if ((rc = fs_make_dirs(b->dir, 0700)) != 0) {
		snprintf(err, errlen, "cannot create the bus directory %s: %s", b->dir, strerror(-rc));
		goto fail;
	}
	b->dirfd = open(b->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (b->dirfd < 0) {
		rc = -errno;
		snprintf(err, errlen, "cannot open the bus directory %s: %s", b->dir, strerror(errno));
		goto fail;
	}
	*out = &b->base;
	return 0;
fail:
	emb_close(&b->base);
	return rc;
}
