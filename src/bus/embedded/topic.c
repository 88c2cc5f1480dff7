/* topic.c — one topic of the embedded bus as its publishers see it: opening
 * (and recovering) it, catching up under the exclusive lock with what other
 * processes appended, appending a batch durably, rolling segments, and
 * deleting the segments every group has passed. How processes share a topic
 * is in embedded.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/fs.h"
#include "base/log.h"
#include "base/metrics.h"
#include "bus/embedded/embedded.h"

static int open_dir_at(int dirfd, const char *name, int *out)
{
	if (mkdirat(dirfd, name, 0700) && errno != EEXIST)
		return -errno;
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	*out = fd;
	return 0;
}

static void use_segment(struct topic *t, int fd, int64_t base)
{
	if (t->seg_fd >= 0)
		close(t->seg_fd);
	t->seg_fd = fd;
	t->seg_base = base;
	t->seg_end = 0;
	t->next_offset = base;
	rec_reader_init(&t->rd, fd);
}

/* Opens the last segment, or makes the first one of a new topic. */
static int open_last_segment(struct topic *t)
{
	int64_t *bases;
	size_t n;
	int rc = seg_list(t->dirfd, &bases, &n);
	if (rc)
		return rc;
	int64_t base = n ? bases[n - 1] : 0;
	free(bases);
	int fd = seg_open(t->dirfd, base, n == 0);
	if (fd < 0)
		return fd;
	if (n == 0 && (rc = dir_sync(t->dirfd)) != 0) {
		close(fd);
		return rc;
	}
	use_segment(t, fd, base);
	return 0;
}

/* Reads the segment from seg_end to size. Damage followed by valid records
 * is reported and skipped; bad bytes at the very end are a crashed
 * publisher's torn write and are cut off — unless there are more of them
 * than one write can leave, when the topic is refused instead. */
static int scan_to(struct topic *t, uint64_t size)
{
	size_t max_body = emb_max_body(t->bus);
	int retried = 0;
	while (t->seg_end < size) {
		struct rec_view v;
		int rc = rec_read(&t->rd, t->seg_end, size, t->next_offset, t->next_offset, max_body, &v);
		if (rc == 1) {
			t->seg_end = v.next_pos;
			t->next_offset = v.offset + 1;
			retried = 0;
			continue;
		}
		if (rc != -EBADMSG)
			return rc;
		if (!retried) { /* bytes buffered before a repair may be stale: look again */
			rec_reader_drop(&t->rd);
			retried = 1;
			continue;
		}
		uint64_t at;
		rc = rec_resync(&t->rd, t->seg_end, size, t->next_offset, max_body, &at, &v);
		if (rc < 0)
			return rc;
		if (rc == 1) {
			emb_report_corrupt(t->bus, t->name, t->seg_base, t->seg_end, v.offset - t->next_offset, 0);
			t->seg_end = at;
			t->next_offset = v.offset;
			continue;
		}
		uint64_t torn = size - t->seg_end;
		if (torn > BUS_BATCH_MAX + REC_MIN) {
			log_event(LOG_ERROR, "bus.damaged",
				  "topic %s: segment %lld has %llu unreadable bytes from byte %llu on, more than a "
				  "crashed write leaves; refusing to cut them (move the segment aside to go on)",
				  t->name, (long long)t->seg_base, (unsigned long long)torn,
				  (unsigned long long)t->seg_end);
			return -EBADMSG;
		}
		if (ftruncate(t->seg_fd, (off_t)t->seg_end) || fdatasync(t->seg_fd))
			return -errno;
		rec_reader_drop(&t->rd);
		emb_report_torn(t->bus, t->name, t->seg_base, t->seg_end, torn);
		return 0;
	}
	return 0;
}

/* Brings the publishers' view up to the disk: what other processes
 * appended, and the segments they rolled to. Called under both locks. */
static int catch_up(struct topic *t)
{
	int rc;
	if (t->seg_fd < 0 && (rc = open_last_segment(t)) != 0)
		return rc;
	for (;;) {
		struct stat st;
		if (fstat(t->seg_fd, &st))
			return -errno;
		if (st.st_nlink == 0) {
			/* Retention deleted it while others rolled past it: find the last one. */
			if ((rc = open_last_segment(t)) != 0)
				return rc;
			continue;
		}
		if ((uint64_t)st.st_size < t->seg_end) { /* shrunk under us: read it again */
			t->seg_end = 0;
			t->next_offset = t->seg_base;
			rec_reader_drop(&t->rd);
		}
		if ((rc = scan_to(t, (uint64_t)st.st_size)) != 0)
			return rc;
		if (t->next_offset == t->seg_base) /* an empty segment is always the last */
			return 0;
		rc = seg_exists(t->dirfd, t->next_offset);
		if (rc <= 0)
			return rc;
		int fd = seg_open(t->dirfd, t->next_offset, 0);
		if (fd < 0)
			return fd;
		use_segment(t, fd, t->next_offset);
	}
}

int topic_lock(struct topic *t)
{
	pthread_mutex_lock(&t->mu);
	int rc;
	while ((rc = flock(t->lock_fd, LOCK_EX)) != 0 && errno == EINTR)
		;
	if (rc) {
		rc = -errno;
		pthread_mutex_unlock(&t->mu);
		return rc;
	}
	if ((rc = catch_up(t)) != 0) {
		/* Start over from the directory next time. */
		if (t->seg_fd >= 0)
			close(t->seg_fd);
		t->seg_fd = -1;
		topic_unlock(t);
	}
	return rc;
}

void topic_unlock(struct topic *t)
{
	flock(t->lock_fd, LOCK_UN);
	pthread_mutex_unlock(&t->mu);
}

static double seconds_since(const struct timespec *a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) + (double)(b.tv_nsec - a->tv_nsec) / 1e9;
}

int topic_append(struct topic *t, const struct bus_message *msgs, size_t n, int64_t *first)
{
	static const double fsync_le[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1 };
	struct metric *fsync_seconds =
	    metrics_histogram("jobtrack_bus_fsync_seconds", "Time to make one published batch durable (embedded bus).",
			      fsync_le, sizeof(fsync_le) / sizeof(fsync_le[0]), 1, NULL, NULL);
	atomic_ullong *published =
	    metrics_counter("jobtrack_bus_published_records_total", "Records published to the bus by this process.");

	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += rec_encoded_size(&msgs[i]);
	int rc = topic_lock(t);
	if (rc)
		return rc;
	if (total > t->wcap) {
		unsigned char *grown = realloc(t->wbuf, total);
		if (!grown) {
			topic_unlock(t);
			return -ENOMEM;
		}
		t->wbuf = grown;
		t->wcap = total;
	}
	if (t->seg_end > 0 && t->seg_end + total > t->bus->segment_bytes) {
		int fd = seg_open(t->dirfd, t->next_offset, 1);
		if (fd < 0 || (rc = dir_sync(t->dirfd)) != 0) {
			rc = fd < 0 ? fd : rc;
			if (fd >= 0)
				close(fd);
			topic_unlock(t);
			return rc;
		}
		use_segment(t, fd, t->next_offset);
	}
	int64_t now = emb_now_ms();
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		rec_encode(t->wbuf + at, t->next_offset + (int64_t)i, now, &msgs[i]);
		at += rec_encoded_size(&msgs[i]);
	}
	struct timespec started;
	clock_gettime(CLOCK_MONOTONIC, &started);
	rc = fs_write_all(t->seg_fd, t->wbuf, total, (int64_t)t->seg_end);
	if (!rc && fdatasync(t->seg_fd))
		rc = -errno;
	if (rc) {
		/* Nothing of a failed batch may be delivered: take it back before
		 * anyone can look (readers wait for our lock). */
		if (ftruncate(t->seg_fd, (off_t)t->seg_end) || fdatasync(t->seg_fd))
			log_event(LOG_ERROR, "bus.undo_failed",
				  "topic %s: a batch that failed to publish could not be taken back (%s); consumers "
				  "may receive it",
				  t->name, strerror(errno));
		rec_reader_drop(&t->rd);
		topic_unlock(t);
		return rc;
	}
	if (fsync_seconds)
		metrics_observe(fsync_seconds, 0, seconds_since(&started));
	if (published)
		atomic_fetch_add_explicit(published, n, memory_order_relaxed);
	if (first)
		*first = t->next_offset;
	t->seg_end += total;
	t->next_offset += (int64_t)n;
	flock(t->lock_fd, LOCK_UN);
	t->generation++;
	pthread_cond_broadcast(&t->published);
	pthread_mutex_unlock(&t->mu);
	return 0;
}

int topic_start(struct topic *t, int64_t *start)
{
	int64_t *bases;
	size_t n;
	int rc = seg_list(t->dirfd, &bases, &n);
	if (rc)
		return rc;
	*start = n ? bases[0] : 0;
	free(bases);
	return 0;
}

int topic_retain(struct topic *t)
{
	int64_t min;
	int rc = offsets_min(t->groups_dirfd, &min);
	if (rc <= 0)
		return rc;
	int64_t *bases;
	size_t n;
	if ((rc = seg_list(t->dirfd, &bases, &n)) != 0)
		return rc;
	size_t deleted = 0;
	/* Segment i holds offsets below bases[i + 1]; the last one is never deleted. */
	for (size_t i = 0; i + 1 < n && bases[i + 1] <= min; i++) {
		char name[SEG_NAME_LEN];
		seg_name(bases[i], name);
		if (unlinkat(t->dirfd, name, 0) == 0)
			deleted++;
		else if (errno != ENOENT)
			rc = -errno;
	}
	free(bases);
	if (deleted)
		log_event(LOG_INFO, "bus.retention", "topic %s: deleted %zu segment(s) every group has consumed",
			  t->name, deleted);
	return rc;
}

int emb_timestamp_at(struct topic *t, int64_t offset, int64_t *ts)
{
	*ts = 0;
	int64_t *bases;
	size_t n;
	int rc = seg_list(t->dirfd, &bases, &n);
	if (rc)
		return rc;
	size_t i = 0;
	while (i + 1 < n && bases[i + 1] <= offset)
		i++;
	struct rec_reader rd = { .fd = -1 };
	/* The record may sit in a later segment when offsets were skipped. */
	for (; i < n && !*ts; i++) {
		int fd = seg_open(t->dirfd, bases[i], 0);
		if (fd < 0)
			continue; /* deleted meanwhile */
		struct stat st;
		if (fstat(fd, &st) == 0) {
			rec_reader_init(&rd, fd);
			uint64_t pos = 0;
			int64_t expect = bases[i];
			struct rec_view v;
			while (rec_read(&rd, pos, (uint64_t)st.st_size, expect, expect, emb_max_body(t->bus), &v) ==
			       1) {
				if (v.offset >= offset) {
					*ts = v.timestamp_ms;
					break;
				}
				pos = v.next_pos;
				expect = v.offset + 1;
			}
		}
		close(fd);
	}
	free(bases);
	rec_reader_free(&rd);
	return 0;
}

int topic_get(struct emb_bus *b, const char *name, struct topic **out)
{
	pthread_mutex_lock(&b->mu);
	for (struct topic *t = b->topics; t; t = t->next)
		if (strcmp(t->name, name) == 0) {
			*out = t;
			pthread_mutex_unlock(&b->mu);
			return 0;
		}
	struct topic *t = calloc(1, sizeof(*t));
	int rc = -ENOMEM;
	if (!t)
		goto out;
	t->bus = b;
	t->dirfd = t->groups_dirfd = t->lock_fd = t->seg_fd = -1;
	t->rd.fd = -1;
	memcpy(t->name, name, strlen(name) + 1);
	pthread_mutex_init(&t->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&t->published, &ca);
	pthread_condattr_destroy(&ca);
	if ((rc = open_dir_at(b->dirfd, name, &t->dirfd)) != 0 ||
	    (rc = open_dir_at(t->dirfd, "groups", &t->groups_dirfd)) != 0)
		goto out;
	t->lock_fd = openat(t->dirfd, "lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (t->lock_fd < 0) {
		rc = -errno;
		goto out;
	}
	/* Recover a torn tail now, before anyone reads or writes. */
	if ((rc = topic_lock(t)) != 0)
		goto out;
	topic_unlock(t);
	t->next = b->topics;
	b->topics = t;
	*out = t;
out:
	if (rc && t)
		topic_free(t);
	pthread_mutex_unlock(&b->mu);
	return rc;
}

void topic_free(struct topic *t)
{
	if (!t)
		return;
	if (t->seg_fd >= 0)
		close(t->seg_fd);
	if (t->lock_fd >= 0)
		close(t->lock_fd);
	if (t->groups_dirfd >= 0)
		close(t->groups_dirfd);
	if (t->dirfd >= 0)
		close(t->dirfd);
	rec_reader_free(&t->rd);
	free(t->wbuf);
	pthread_cond_destroy(&t->published);
	pthread_mutex_destroy(&t->mu);
	free(t);
}
