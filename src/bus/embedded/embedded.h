/* embedded — the default bus backend: a durable queue in a directory
 * (bus-internal; callers see bus/bus.h).
 *
 * Layout of the directory:
 *
 *   TOPIC/lock                          flock(2) target for publishers
 *   TOPIC/00000000000000000000.log      segments, named by the offset of
 *   TOPIC/00000000000000052311.log        their first record (20 digits)
 *   TOPIC/groups/GROUP.offset           the group's committed offset (text)
 *   TOPIC/groups/GROUP.lock             held (flock) by the group's one consumer
 *
 * A segment is a sequence of records, each
 *
 *   u32 body length | u32 CRC-32 of the body | body:
 *       u64 offset | i64 timestamp (Unix ms) | u32 key length | key | payload
 *
 * little-endian. A record is valid when its length is sane, its CRC matches
 * and its offset is the one expected next, so a reader can always tell a
 * record from garbage. A format change would get a new file extension.
 *
 * Several processes share a directory. Publishers take an exclusive flock
 * on TOPIC/lock for append + fdatasync (and inside one process the topic's
 * mutex too, since flock does not exclude threads that share a descriptor).
 * Under that lock the publisher first catches up with what others wrote
 * (and with segments they rolled), so offsets stay dense and ordered.
 * Readers measure how far a segment goes under a shared flock taken without
 * waiting: no publisher is mid-write then, so everything up to that size was
 * written and synced (or left by a publisher that died holding the lock,
 * which the CRCs sort out) — consumers never see a batch still being written.
 * Within one process, publishers also tell waiting consumers directly
 * (condition variable, and the durable end they reached); across processes
 * a waiting consumer looks at the file size every poll_ms.
 *
 * Crash recovery: a publisher killed mid-write leaves an incomplete or
 * CRC-failing tail. Whoever next holds the exclusive lock (a publisher, the
 * process opening the topic, or a consumer that ran into it) looks for any
 * valid record after the bad bytes: none means a torn tail, cut off with
 * ftruncate; one means the bytes in between were damaged on disk, which is
 * reported (log, bus_stats, metric) and skipped, never cut. A torn tail is
 * never longer than one batch (BUS_BATCH_MAX plus headers); anything longer
 * that looks torn is refused rather than truncated, so a mis-named or
 * damaged segment is never destroyed by recovery.
 *
 * Segments roll at segment_bytes. A segment is deleted once every group
 * with an offset file has committed past its last record (checked when a
 * consumer commits after moving to a newer segment); the last segment is
 * never deleted. A group that stops consuming keeps everything after its
 * offset: delete TOPIC/groups/GROUP.offset to forget it.
 */
#ifndef JT_BUS_EMBEDDED_H
#define JT_BUS_EMBEDDED_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "bus/backend.h"

/* ---- records (record.c) -------------------------------------------------- */

#define REC_HEAD       8  /* u32 body length, u32 CRC-32 */
#define REC_BODY_FIXED 20 /* u64 offset, i64 timestamp, u32 key length */
#define REC_MIN        (REC_HEAD + REC_BODY_FIXED)

/* Reads a segment through a buffer. Bytes it has buffered are only trusted
 * up to the limit the caller gave; callers drop the buffer (rec_reader_drop)
 * before re-reading anything that may have changed (a truncated tail). */
struct rec_reader {
	int fd;             /* not owned */
	unsigned char *buf; /* owned */
	size_t cap, len;
	uint64_t start; /* file position of buf[0] */
};

struct rec_view {
	int64_t offset, timestamp_ms;
	const unsigned char *key, *payload; /* into the reader's buffer, until its next read */
	size_t key_len, len;
	uint64_t next_pos; /* file position just after the record */
};

/* Points r (zeroed, or used before) at fd, keeping its buffer's memory. */
void rec_reader_init(struct rec_reader *r, int fd);
void rec_reader_drop(struct rec_reader *r);
void rec_reader_free(struct rec_reader *r);

/* Bytes a message takes on disk. */
size_t rec_encoded_size(const struct bus_message *m);
/* Writes the record for m at dst (rec_encoded_size(m) bytes). */
void rec_encode(unsigned char *dst, int64_t offset, int64_t timestamp_ms, const struct bus_message *m);

/* Reads the record at pos, which must lie wholly before limit and carry an
 * offset in [lo, hi] with a body of at most max_body bytes.
 * 1 and *v; 0 when pos == limit; -EBADMSG when the bytes at pos are not such
 * a record; another negative errno when reading fails. */
int rec_read(struct rec_reader *r, uint64_t pos, uint64_t limit, int64_t lo, int64_t hi, size_t max_body,
	     struct rec_view *v);
/* After an invalid record at pos (expected offset `expected`), finds the
 * first position before limit where a valid record with an offset above
 * expected - 1 starts (at most one offset per REC_MIN bytes skipped).
 * 1 with *found and *v; 0 when there is none; a negative errno. */
int rec_resync(struct rec_reader *r, uint64_t pos, uint64_t limit, int64_t expected, size_t max_body, uint64_t *found,
	       struct rec_view *v);

/* ---- segment files (segments.c) ------------------------------------------ */

#define SEG_NAME_LEN 25 /* 20 digits, ".log", NUL */

void seg_name(int64_t base, char out[SEG_NAME_LEN]);
/* Bases of the segments in dirfd, ascending, in *bases (malloc'd; free it). */
int seg_list(int dirfd, int64_t **bases, size_t *n);
/* Opens segment base: a file descriptor or a negative errno (-ENOENT). */
int seg_open(int dirfd, int64_t base, int create);
/* 1 when segment base exists, 0 when not, or a negative errno. */
int seg_exists(int dirfd, int64_t base);
/* The smallest segment base above base: 1 and *next, 0 when none, or a negative errno. */
int seg_successor(int dirfd, int64_t base, int64_t *next);
int dir_sync(int dirfd);

/* ---- group offsets (offsets.c) ------------------------------------------- */

/* The group's committed offset: 0 and *offset, -ENOENT for a new group. */
int offsets_read(int groups_dirfd, const char *group, int64_t *offset);
/* Replaces the group's committed offset durably (temporary file, fsync, rename, directory fsync). */
int offsets_write(int groups_dirfd, const char *group, int64_t offset);
/* The lowest committed offset of every group: 1 and *min, 0 when there is no group. */
int offsets_min(int groups_dirfd, int64_t *min);
/* Takes the group's consumer lock: a descriptor to close, or -EBUSY. */
int offsets_lock_group(int groups_dirfd, const char *group);

/* ---- topics (topic.c) ---------------------------------------------------- */

struct emb_bus;

struct topic {
	struct topic *next;
	struct emb_bus *bus;
	char name[BUS_NAME_MAX + 1];
	int dirfd, groups_dirfd;
	int lock_fd; /* TOPIC/lock, flocked exclusively by this process's publishers */
	pthread_mutex_t mu;
	pthread_cond_t published; /* CLOCK_MONOTONIC; broadcast after each durable append */
	uint64_t generation;      /* bumped with each broadcast */
	/* The publishers' view of the last segment (under mu): everything before
	 * seg_end is valid and durable; next_offset follows its last record. */
	int seg_fd;
	int64_t seg_base;
	uint64_t seg_end;
	int64_t next_offset;
	struct rec_reader rd;
	unsigned char *wbuf; /* the batch being written */
	size_t wcap;
};

/* The topic called name, opened (created, recovered) on first use. */
int topic_get(struct emb_bus *b, const char *name, struct topic **out);
void topic_free(struct topic *t);
/* Takes mu and the exclusive flock and catches up with the disk (recovering
 * a torn tail). On success the caller holds both and calls topic_unlock. */
int topic_lock(struct topic *t);
void topic_unlock(struct topic *t);
/* Appends msgs durably; *first gets the first offset. */
int topic_append(struct topic *t, const struct bus_message *msgs, size_t n, int64_t *first);
/* Deletes the segments every group has committed past. */
int topic_retain(struct topic *t);
/* The earliest offset kept (the first segment's base). */
int topic_start(struct topic *t, int64_t *start);

/* ---- the bus (open.c) and consumers (consumer.c) ------------------------- */

struct emb_bus {
	struct bus base;
	char *dir;
	int dirfd;
	uint64_t segment_bytes;
	int poll_ms;
	pthread_mutex_t mu; /* the topic list */
	struct topic *topics;
	atomic_int shutting_down;
	atomic_int consumers;
	atomic_ullong corrupt_regions, records_lost, torn_tails;
};

/* Logs damaged records, and when a consumer skipped them (by_consumer)
 * counts them too (lost = offsets skipped, may be 0). */
void emb_report_corrupt(struct emb_bus *b, const char *topic, int64_t seg_base, uint64_t pos, int64_t lost,
			int by_consumer);
void emb_report_torn(struct emb_bus *b, const char *topic, int64_t seg_base, uint64_t pos, uint64_t bytes);
/* The limit on a record's body given the bus's max_record. */
size_t emb_max_body(const struct emb_bus *b);
int64_t emb_now_ms(void);

int emb_consumer_open(struct bus *b, const char *topic, const char *group, struct bus_consumer **out);
void emb_consumer_close(struct bus_consumer *c);
int emb_poll(struct bus_consumer *c, struct bus_record *recs, size_t max, size_t *n, int timeout_ms);
int emb_commit(struct bus_consumer *c);
int emb_seek(struct bus_consumer *c, int64_t offset);
int64_t emb_position(const struct bus_consumer *c);
/* The timestamp of the first record at or after offset, 0 when there is none. */
int emb_timestamp_at(struct topic *t, int64_t offset, int64_t *ts);

#endif
