/* consumer.c — a consumer group's reader of one topic on the embedded bus:
 * finding the group's place, reading only what is durable, stepping over
 * damage, waiting for more (woken by publishers in this process, polling the
 * file for others), committing, and triggering retention. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "bus/embedded/embedded.h"

/* A poll stops adding records past this many bytes (it returns at least one). */
#define POLL_BYTES   (1u << 20)
/* How long to wait before looking again when a publisher holds the lock. */
#define BUSY_WAIT_MS 2

struct emb_consumer {
	struct bus_consumer base;
	struct topic *t;
	char group[BUS_NAME_MAX + 1];
	int lock_fd;  /* TOPIC/lock opened on its own, for shared flocks */
	int group_fd; /* the group's lock, held while the consumer is open */
	int seg_fd;
	int64_t seg_base;
	uint64_t pos;        /* file position of the next record */
	uint64_t visible;    /* bytes of the segment known to be durable */
	int64_t next;        /* offset the record at pos should carry */
	int64_t skip_below;  /* records before this offset are read past, not delivered (seek) */
	int64_t retained_at; /* segment when retention last ran; -1: not yet */
	struct rec_reader rd;
	unsigned char *out; /* copies of what the last poll returned */
	size_t out_cap;
	size_t *spans; /* where each returned record's key starts in out */
	size_t spans_cap;
};

static void switch_segment(struct emb_consumer *c, int fd, int64_t base)
{
	if (c->seg_fd >= 0)
		close(c->seg_fd);
	c->seg_fd = fd;
	c->seg_base = base;
	c->pos = c->visible = 0;
	c->next = base;
	rec_reader_init(&c->rd, fd);
}

/* Positions the consumer before the first record at or after target. */
static int position_at(struct emb_consumer *c, int64_t target)
{
	for (int attempt = 0; attempt < 4; attempt++) {
		int64_t *bases;
		size_t n;
		int rc = seg_list(c->t->dirfd, &bases, &n);
		if (rc)
			return rc;
		if (n == 0) {
			free(bases);
			return -ENOENT;
		}
		size_t i = 0;
		while (i + 1 < n && bases[i + 1] <= target)
			i++;
		int64_t base = bases[i];
		free(bases);
		int fd = seg_open(c->t->dirfd, base, 0);
		if (fd == -ENOENT)
			continue; /* retention deleted it meanwhile */
		if (fd < 0)
			return fd;
		if (target < base)
			log_event(LOG_INFO, "bus.position",
				  "topic %s group %s: offset %lld is no longer kept; starting at %lld", c->t->name,
				  c->group, (long long)target, (long long)base);
		switch_segment(c, fd, base);
		c->skip_below = target > base ? target : base;
		return 0;
	}
	return -ENOENT;
}

int emb_consumer_open(struct bus *base, const char *topic, const char *group, struct bus_consumer **out)
{
	struct emb_bus *b = (struct emb_bus *)base;
	struct topic *t;
	int rc = topic_get(b, topic, &t);
	if (rc)
		return rc;
	struct emb_consumer *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->base.bus = base;
	c->t = t;
	memcpy(c->group, group, strlen(group) + 1);
	c->lock_fd = c->seg_fd = -1;
	c->rd.fd = -1;
	c->retained_at = -1;
	int64_t committed;
	if ((c->group_fd = offsets_lock_group(t->groups_dirfd, group)) < 0) {
		rc = c->group_fd;
		goto fail;
	}
	if ((c->lock_fd = openat(t->dirfd, "lock", O_RDWR | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		rc = -errno;
		goto fail;
	}
	rc = offsets_read(t->groups_dirfd, group, &committed);
	if (rc == -ENOENT) {
		/* A new group: write its place at once, so retention counts it from now on. */
		if ((rc = topic_start(t, &committed)) == 0)
			rc = offsets_write(t->groups_dirfd, group, committed);
	} else if (rc == -EBADMSG) {
		log_event(LOG_ERROR, "bus.offsets",
			  "topic %s: %s.offset is unreadable; delete it to start the group over", topic, group);
	}
	if (rc || (rc = position_at(c, committed)) != 0)
		goto fail;
	atomic_fetch_add(&b->consumers, 1);
	*out = &c->base;
	return 0;
fail:
	if (c->group_fd >= 0)
		close(c->group_fd);
	if (c->lock_fd >= 0)
		close(c->lock_fd);
	if (c->seg_fd >= 0)
		close(c->seg_fd);
	rec_reader_free(&c->rd);
	free(c);
	return rc;
}

void emb_consumer_close(struct bus_consumer *base)
{
	struct emb_consumer *c = (struct emb_consumer *)base;
	struct emb_bus *b = (struct emb_bus *)base->bus;
	close(c->group_fd);
	close(c->lock_fd);
	if (c->seg_fd >= 0)
		close(c->seg_fd);
	rec_reader_free(&c->rd);
	free(c->out);
	free(c->spans);
	free(c);
	atomic_fetch_sub(&b->consumers, 1);
}

/* Copies a record into the consumer's memory as the n-th of this poll. */
static int keep(struct emb_consumer *c, const struct rec_view *v, struct bus_record *r, size_t i, size_t *used)
{
	size_t need = *used + v->key_len + v->len;
	if (need > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 64 << 10;
		while (cap < need)
			cap *= 2;
		unsigned char *grown = realloc(c->out, cap);
		if (!grown)
			return -ENOMEM;
		c->out = grown;
		c->out_cap = cap;
	}
	if (i >= c->spans_cap) {
		size_t cap = c->spans_cap ? c->spans_cap * 2 : 64;
		size_t *grown = realloc(c->spans, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		c->spans = grown;
		c->spans_cap = cap;
	}
	memcpy(c->out + *used, v->key, v->key_len);
	memcpy(c->out + *used + v->key_len, v->payload, v->len);
	c->spans[i] = *used;
	*used = need;
	*r = (struct bus_record){
		.offset = v->offset, .timestamp_ms = v->timestamp_ms, .key_len = v->key_len, .len = v->len
	};
	return 0;
}

/* The record at pos is not valid though the bytes are durable. Skips to the
 * next good record, or to the next segment; at the end of the last segment
 * it is a crashed publisher's torn write, which the publishers' lock cuts.
 * 1 when the consumer moved on, 0 when it has to measure again. */
static int step_over_damage(struct emb_consumer *c)
{
	struct topic *t = c->t;
	struct stat st;
	if (fstat(c->seg_fd, &st))
		return -errno;
	if ((uint64_t)st.st_size <= c->pos) { /* someone already cut it */
		c->visible = c->pos;
		return 0;
	}
	uint64_t at;
	struct rec_view v;
	int rc = rec_resync(&c->rd, c->pos, c->visible, c->next, emb_max_body(t->bus), &at, &v);
	if (rc < 0 && rc != -EBADMSG)
		return rc;
	if (rc == 1) {
		emb_report_corrupt(t->bus, t->name, c->seg_base, c->pos, v.offset - c->next, 1);
		c->pos = at;
		c->next = v.offset;
		return 1;
	}
	int64_t succ;
	if ((rc = seg_successor(t->dirfd, c->seg_base, &succ)) < 0)
		return rc;
	if (rc == 1) {
		emb_report_corrupt(t->bus, t->name, c->seg_base, c->pos, succ - c->next, 1);
		int64_t skip = c->skip_below;
		if ((rc = position_at(c, succ)) != 0)
			return rc;
		if (skip > c->skip_below)
			c->skip_below = skip;
		return 1;
	}
	if ((rc = topic_lock(t)) != 0)
		return rc;
	rc = 0;
	if (t->seg_base == c->seg_base && t->seg_end > c->pos) {
		/* The publishers read these bytes as good before they went bad on disk. */
		emb_report_corrupt(t->bus, t->name, c->seg_base, c->pos, t->next_offset - c->next, 1);
		c->pos = t->seg_end;
		c->next = t->next_offset;
		rc = 1;
	}
	topic_unlock(t);
	rec_reader_drop(&c->rd);
	c->visible = c->pos;
	return rc;
}

/* Delivers what is known durable: records in [pos, visible). An error after
 * some records were read waits for the next poll, which meets it again. */
static int read_visible(struct emb_consumer *c, struct bus_record *recs, size_t max, size_t *n)
{
	size_t used = 0, max_body = emb_max_body(c->t->bus);
	int retried = 0, rc = 0;
	while (*n < max && c->pos < c->visible && used < POLL_BYTES) {
		struct rec_view v;
		rc = rec_read(&c->rd, c->pos, c->visible, c->next, c->next, max_body, &v);
		if (rc == 1) {
			retried = rc = 0;
			if (v.offset >= c->skip_below) {
				if ((rc = keep(c, &v, &recs[*n], *n, &used)) != 0)
					break;
				(*n)++;
			}
			c->pos = v.next_pos;
			c->next = v.offset + 1;
			continue;
		}
		if (rc != -EBADMSG)
			break;
		if (!retried) {
			rec_reader_drop(&c->rd);
			retried = 1;
			continue;
		}
		retried = 0;
		if ((rc = step_over_damage(c)) <= 0)
			break;
	}
	for (size_t i = 0; i < *n; i++) {
		recs[i].key = c->out + c->spans[i];
		recs[i].payload = recs[i].key + recs[i].key_len;
	}
	return *n || rc > 0 ? 0 : rc;
}

/* Learns how far the segment is durable, or moves to the next segment.
 * 1 when there may be more to read, 0 when not, -EWOULDBLOCK when a
 * publisher holds the lock (look again shortly). */
static int refresh(struct emb_consumer *c)
{
	struct topic *t = c->t;
	int grew = 0;
	pthread_mutex_lock(&t->mu);
	/* A publisher in this process says how far it has made things durable. */
	if (t->seg_fd >= 0 && t->seg_base == c->seg_base && t->seg_end > c->visible) {
		c->visible = t->seg_end;
		grew = 1;
	}
	pthread_mutex_unlock(&t->mu);
	if (grew)
		return 1;
	if (flock(c->lock_fd, LOCK_SH | LOCK_NB))
		return errno == EWOULDBLOCK || errno == EINTR ? -EWOULDBLOCK : -errno;
	/* No publisher is writing now: all the file holds was written and synced. */
	int rc = 0;
	struct stat st;
	if (fstat(c->seg_fd, &st)) {
		rc = -errno;
	} else if ((uint64_t)st.st_size > c->visible) {
		c->visible = (uint64_t)st.st_size;
		rc = 1;
	} else if (c->pos >= c->visible && c->next > c->seg_base) {
		/* Read to its end: has a publisher rolled to the next segment? */
		rc = seg_exists(t->dirfd, c->next);
		int gone = rc == 0 && seg_exists(t->dirfd, c->seg_base) == 0;
		if (rc == 1 || gone) {
			/* Our own segment deleted with no successor by name (a forgotten
			 * group let retention pass us): find our place again. */
			int64_t skip = c->skip_below;
			rc = position_at(c, c->next);
			if (skip > c->skip_below)
				c->skip_below = skip;
			if (rc == 0)
				rc = 1;
		}
	}
	flock(c->lock_fd, LOCK_UN);
	return rc;
}

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until a publisher in this process signals, shutdown, or wait_ms. */
static void wait_for_publish(struct topic *t, uint64_t seen, int64_t wait_ms)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += wait_ms / 1000;
	until.tv_nsec += (wait_ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&t->mu);
	while (t->generation == seen && !atomic_load(&t->bus->shutting_down))
		if (pthread_cond_timedwait(&t->published, &t->mu, &until) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&t->mu);
}

int emb_poll(struct bus_consumer *base, struct bus_record *recs, size_t max, size_t *n, int timeout_ms)
{
	struct emb_consumer *c = (struct emb_consumer *)base;
	struct topic *t = c->t;
	int64_t deadline = timeout_ms < 0 ? INT64_MAX : monotonic_ms() + timeout_ms;
	/* Bytes that stay unreadable however often they are measured must not
	 * make a poll spin: after a few fruitless rounds it waits like any other. */
	int fruitless = 0;
	for (;;) {
		if (atomic_load(&t->bus->shutting_down))
			return -ECANCELED;
		uint64_t pos = c->pos;
		int64_t seg = c->seg_base;
		int rc = read_visible(c, recs, max, n);
		if (rc || *n)
			return rc;
		if (c->pos != pos || c->seg_base != seg)
			fruitless = 0; /* it moved (past records a seek skips): not stuck */
		pthread_mutex_lock(&t->mu);
		uint64_t seen = t->generation;
		pthread_mutex_unlock(&t->mu);
		rc = refresh(c);
		if (rc > 0 && ++fruitless <= 3)
			continue;
		fruitless = 0;
		if (rc < 0 && rc != -EWOULDBLOCK)
			return rc;
		int64_t now = monotonic_ms();
		if (rc > 0)
			rc = 0; /* fruitless: wait poll_ms */
		if (now >= deadline)
			return 0;
		int64_t wait = rc == -EWOULDBLOCK ? BUSY_WAIT_MS : t->bus->poll_ms;
		if (wait > deadline - now)
			wait = deadline - now;
		wait_for_publish(t, seen, wait);
	}
}

int64_t emb_position(const struct bus_consumer *base)
{
	const struct emb_consumer *c = (const struct emb_consumer *)base;
	return c->next > c->skip_below ? c->next : c->skip_below;
}

int emb_commit(struct bus_consumer *base)
{
	struct emb_consumer *c = (struct emb_consumer *)base;
	int rc = offsets_write(c->t->groups_dirfd, c->group, emb_position(base));
	if (rc)
		return rc;
	/* Segments can only have become deletable once a group moved past one. */
	if (c->seg_base != c->retained_at) {
		c->retained_at = c->seg_base;
		int r = topic_retain(c->t);
		if (r < 0)
			log_event(LOG_WARN, "bus.retention", "topic %s: retention failed: %s", c->t->name,
				  strerror(-r));
	}
	return 0;
}

int emb_seek(struct bus_consumer *base, int64_t offset)
{
	return position_at((struct emb_consumer *)base, offset);
}
