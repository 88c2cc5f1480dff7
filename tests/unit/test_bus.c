/* Unit tests for src/bus: the embedded durable queue — publishing, consuming
 * and committing, restarts, torn tails and damaged records, retention,
 * groups, threads, several processes, and publishers killed mid-write. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/log.h"
#include "bus/bus.h"

/* Reads the "ID:SEQ" prefix the publishers write; 0 when both numbers are there. */
static int parse_id_seq(const char *text, int *id, int *seq)
{
	char *end;
	long a = strtol(text, &end, 10);
	if (end == text || *end != ':')
		return -1;
	const char *s2 = end + 1;
	long b = strtol(s2, &end, 10);
	if (end == s2)
		return -1;
	*id = (int)a;
	*seq = (int)b;
	return 0;
}

struct fx {
	char dir[64];
	char url[160];
	struct bus *bus;
};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/jt_bus_XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->url, sizeof(f->url), "embedded:%s/q", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	bus_close(f->bus);
	nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* Opens (or reopens) the fixture's bus with URL options opts ("" for none). */
static struct bus *reopen(struct fx *f, const char *opts)
{
	bus_close(f->bus);
	f->bus = NULL;
	char url[256], err[256];
	snprintf(url, sizeof(url), "%s%s", f->url, opts);
	int rc = bus_open(url, NULL, &f->bus, err, sizeof(err));
	if (rc)
		fail_msg("bus_open(%s): %s", url, err);
	return f->bus;
}

static void publish_text(struct bus *b, const char *topic, const char *text, int64_t expect_offset)
{
	int64_t off = -1;
	assert_int_equal(bus_publish(b, topic, "k", 1, text, strlen(text), &off), 0);
	if (expect_offset >= 0)
		assert_int_equal(off, expect_offset);
}

/* Polls once (up to max records) and returns how many came. */
static size_t poll_some(struct bus_consumer *c, struct bus_record *recs, size_t max, int timeout_ms)
{
	size_t n = 0;
	assert_int_equal(bus_poll(c, recs, max, &n, timeout_ms), 0);
	return n;
}

static void assert_payload(const struct bus_record *r, const char *text)
{
	assert_int_equal(r->len, strlen(text));
	assert_memory_equal(r->payload, text, r->len);
}

/* The segment files of a topic, in name order. */
static size_t segment_files(struct fx *f, const char *topic, char names[][32], size_t max)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "ls %s/q/%s | grep '\\.log$' | sort", f->dir, topic);
	FILE *p = popen(cmd, "r");
	size_t n = 0;
	char line[64];
	while (p && fgets(line, sizeof(line), p))
		if (n < max) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(names[n++], 32, "%.31s", line);
		}
	if (p)
		pclose(p);
	return n;
}

static off_t file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_size : -1;
}

/* ---- publish, consume, commit --------------------------------------------- */

static void test_publish_consume_commit(void **state)
{
	struct fx *f = *state;
	struct bus *b = reopen(f, "");
	assert_string_equal(bus_backend_name(b), "embedded");
	struct bus_message batch[3] = {
		{ "a", 1, "first", 5 },
		{ NULL, 0, "second", 6 },
		{ "c", 1, "", 0 }, /* an empty payload is a record too */
	};
	int64_t first = -1;
	assert_int_equal(bus_publish_batch(b, "postings", batch, 3, &first), 0);
	assert_int_equal(first, 0);
	publish_text(b, "postings", "fourth", 3);

	struct bus_consumer *c;
	assert_int_equal(bus_consumer_open(b, "postings", "ingest", &c), 0);
	assert_int_equal(bus_position(c), 0);
	struct bus_record r[8];
	size_t n = poll_some(c, r, 8, 1000);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(r[i].offset, (int64_t)i);
		assert_int_equal(r[i].partition, 0);
		assert_true(r[i].timestamp_ms > 1700000000000LL);
	}
	assert_int_equal(r[0].key_len, 1);
	assert_memory_equal(r[0].key, "a", 1);
	assert_payload(&r[0], "first");
	assert_int_equal(r[1].key_len, 0);
	assert_payload(&r[1], "second");
	assert_payload(&r[2], "");
	assert_payload(&r[3], "fourth");
	assert_int_equal(bus_position(c), 4);
	assert_int_equal(bus_commit(c), 0);
	/* Nothing more: a poll that may not wait comes back empty at once. */
	assert_int_equal(poll_some(c, r, 8, 0), 0);
	bus_consumer_close(c);
}

static void test_restart_keeps_committed_offsets(void **state)
{
	struct fx *f = *state;
	struct bus *b = reopen(f, "");
	char text[32];
	for (int i = 0; i < 6; i++) {
		snprintf(text, sizeof(text), "r%d", i);
		publish_text(b, "t", text, i);
	}
	struct bus_consumer *c;
	struct bus_record r[8];
	assert_int_equal(bus_consumer_open(b, "t", "g", &c), 0);
	assert_int_equal(poll_some(c, r, 3, 1000), 3);
	assert_int_equal(bus_commit(c), 0);
	/* Read two more but do not commit: they come again after a restart. */
	assert_int_equal(poll_some(c, r, 2, 1000), 2);
	assert_payload(&r[1], "r4");
	bus_consumer_close(c);

	b = reopen(f, "");
	assert_int_equal(bus_consumer_open(b, "t", "g", &c), 0);
	assert_int_equal(bus_position(c), 3);
	size_t n = poll_some(c, r, 8, 1000);
	assert_int_equal(n, 3);
	assert_int_equal(r[0].offset, 3);
	assert_payload(&r[0], "r3");
	assert_payload(&r[2], "r5");
	assert_int_equal(bus_commit(c), 0);
	bus_consumer_close(c);
	/* Publishing after a restart continues the offsets. */
	publish_text(b, "t", "r6", 6);
}

static void test_one_consumer_per_group(void **state)
{
	struct fx *f = *state;
	struct bus *b = reopen(f, "");
	struct bus_consumer *c1, *c2, *other;
	assert_int_equal(bus_consumer_open(b, "t", "g", &c1), 0);
	assert_int_equal(bus_consumer_open(b, "t", "g", &c2), -EBUSY);
	assert_int_equal(bus_consumer_open(b, "t", "h", &other), 0);
	bus_consumer_close(c1);
	assert_int_equal(bus_consumer_open(b, "t", "g", &c2), 0);
	bus_consumer_close(c2);
	bus_consumer_close(other);
}

static void test_two_groups_are_independent(void **state)
{
	struct fx *f = *state;
	struct bus *b = reopen(f, "");
	for (int i = 0; i < 5; i++)
		publish_text(b, "t", "x", i);
	struct bus_consumer *a, *z;
	struct bus_record r[8];
	assert_int_equal(bus_consumer_open(b, "t", "alerts", &a), 0);
	assert_int_equal(bus_consumer_open(b, "t", "ingest", &z), 0);
	assert_int_equal(poll_some(a, r, 8, 1000), 5);
	assert_int_equal(bus_commit(a), 0);
	/* ingest has not read anything: it still starts at 0. */
	size_t n = poll_some(z, r, 2, 1000);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].offset, 0);
	assert_int_equal(bus_commit(z), 0);

	struct bus_lag lag;
	assert_int_equal(bus_group_lag(b, "t", "ingest", &lag), 0);
	assert_int_equal(lag.start, 0);
	assert_int_equal(lag.end, 5);
	assert_int_equal(lag.committed, 2);
	assert_int_equal(lag.depth, 3);
	assert_true(lag.oldest_ms > 0);
	assert_int_equal(bus_group_lag(b, "t", "alerts", &lag), 0);
	assert_int_equal(lag.depth, 0);
	assert_int_equal(lag.oldest_ms, 0);
	assert_int_equal(bus_group_lag(b, "t", "never", &lag), 0);
	assert_int_equal(lag.committed, -1);
	assert_int_equal(lag.depth, 5);
	bus_consumer_close(a);
	bus_consumer_close(z);
}

static void test_seek_replays_and_skips(void **state)
{
	struct fx *f = *state;
	struct bus *b = reopen(f, "");
	for (int i = 0; i < 5; i++)
		publish_text(b, "t", "x", i);
	struct bus_consumer *c;
	struct bus_record r[8];
	assert_int_equal(bus_consumer_open(b, "t", "g", &c), 0);
	assert_int_equal(poll_some(c, r, 8, 1000), 5);
	assert_int_equal(bus_seek(c, 1), 0);
	assert_int_equal(bus_position(c), 1);
	size_t n = poll_some(c, r, 8, 1000);
	assert_int_equal(n, 4);
	assert_int_equal(r[0].offset, 1);
	assert_int_equal(bus_seek(c, 100), 0);
	assert_int_equal(poll_some(c, r, 8, 0), 0);
	assert_int_equal(bus_seek(c, -1), -EINVAL);
	bus_consumer_close(c);
}

static void test_names_and_sizes_are_checked(void **state)
{
	struct fx *f = *state;
	struct bus *b = reopen(f, "?max_record=2048");
	static const char *const bad[] = { "", ".hidden", "Upper", "a/b", "..", "a b", "x\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(bus_name_valid(bad[i]));
		assert_int_equal(bus_publish(b, bad[i], NULL, 0, "x", 1, NULL), -EINVAL);
	}
	char long_name[BUS_NAME_MAX + 2];
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_false(bus_name_valid(long_name));
	long_name[BUS_NAME_MAX] = '\0';
	assert_true(bus_name_valid(long_name));
	assert_true(bus_name_valid("postings.v1_raw-2"));

	static char big[4096];
	assert_int_equal(bus_publish(b, "t", NULL, 0, big, 2048, NULL), 0);
	assert_int_equal(bus_publish(b, "t", NULL, 0, big, 2049, NULL), -EMSGSIZE);
	assert_int_equal(bus_publish(b, "t", big, BUS_KEY_MAX + 1, "x", 1, NULL), -EMSGSIZE);
	assert_int_equal(bus_publish_batch(b, "t", NULL, 0, NULL), -EINVAL);
	struct bus_consumer *c;
	assert_int_equal(bus_consumer_open(b, "t", "Bad", &c), -EINVAL);

	char err[256];
	struct bus *other;
	assert_int_equal(bus_open("kafka://localhost:9092", NULL, &other, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unsupported bus URL"));
	assert_int_equal(bus_open("embedded:/tmp/x?segment_bytes=1", NULL, &other, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "segment_bytes"));
	assert_int_equal(bus_open("embedded:", NULL, &other, err, sizeof(err)), -EINVAL);
	/* "embedded:" alone lives in DATA_DIR/bus. */
	char data_dir[128];
	snprintf(data_dir, sizeof(data_dir), "%s/data", f->dir);
	assert_int_equal(bus_open("embedded", data_dir, &other, err, sizeof(err)), 0);
	assert_int_equal(bus_publish(other, "t", NULL, 0, "x", 1, NULL), 0);
	bus_close(other);
	char seg[256];
	snprintf(seg, sizeof(seg), "%s/bus/t/00000000000000000000.log", data_dir);
	assert_true(file_size(seg) > 0);
	struct stat st;
	assert_int_equal(stat(seg, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

/* ---- damage ---------------------------------------------------------------- */

static void append_bytes(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

/* Publishes n records to topic t (text_fmt takes the record's number) and
 * closes the bus, so the test can damage the first segment, named in seg. */
static void publish_and_close(struct fx *f, int n, const char *text_fmt, char seg[256])
{
	struct bus *b = reopen(f, "");
	char text[64];
	for (int i = 0; i < n; i++) {
		snprintf(text, sizeof(text), text_fmt, i);
		publish_text(b, "t", text, i);
	}
	bus_close(f->bus);
	f->bus = NULL;
	snprintf(seg, 256, "%s/q/t/00000000000000000000.log", f->dir);
}

static void test_torn_tail_is_truncated_on_open(void **state)
{
	struct fx *f = *state;
	char seg[256];
	publish_and_close(f, 3, "whole %d", seg);
	off_t good = file_size(seg);
	/* The first 40 bytes of a record of 200: what a killed write leaves. */
	unsigned char torn[40] = { 200, 0, 0, 0, 1, 2, 3, 4, 3 };
	append_bytes(seg, torn, sizeof(torn));

	struct bus *b = reopen(f, "");
	struct bus_consumer *c;
	assert_int_equal(bus_consumer_open(b, "t", "g", &c), 0); /* opening the topic recovers it */
	struct bus_stats st;
	bus_get_stats(b, &st);
	assert_int_equal(st.torn_tails, 1);
	assert_int_equal(st.corrupt_regions, 0);
	assert_int_equal(file_size(seg), good);
	struct bus_record r[8];
	assert_int_equal(poll_some(c, r, 8, 1000), 3);
	/* The next record goes where the torn one was, with the next offset. */
	publish_text(b, "t", "after", 3);
	size_t n = poll_some(c, r, 8, 1000);
	assert_int_equal(n, 1);
	assert_payload(&r[0], "after");
	bus_consumer_close(c);
}

static void test_torn_tail_seen_by_a_running_consumer(void **state)
{
	struct fx *f = *state;
	struct bus *b = reopen(f, "");
	publish_text(b, "t", "one", 0);
	struct bus_consumer *c;
	struct bus_record r[8];
	assert_int_equal(bus_consumer_open(b, "t", "g", &c), 0);
	assert_int_equal(poll_some(c, r, 8, 1000), 1);
	/* Another process dies mid-write while we are reading. */
	char seg[256];
	snprintf(seg, sizeof(seg), "%s/q/t/00000000000000000000.log", f->dir);
	off_t good = file_size(seg);
	unsigned char torn[20] = { 100 };
	append_bytes(seg, torn, sizeof(torn));
	assert_int_equal(poll_some(c, r, 8, 0), 0);
	assert_int_equal(file_size(seg), good); /* the consumer had it cut */
	publish_text(b, "t", "two", 1);
	assert_int_equal(poll_some(c, r, 8, 1000), 1);
	assert_payload(&r[0], "two");
	struct bus_stats st;
	bus_get_stats(b, &st);
	assert_int_equal(st.torn_tails, 1);
	bus_consumer_close(c);
}

static void flip_byte(const char *path, off_t at)
{
	int fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	unsigned char byte;
	assert_int_equal(pread(fd, &byte, 1, at), 1);
	byte ^= 0x5a;
	assert_int_equal(pwrite(fd, &byte, 1, at), 1);
	close(fd);
}

static void test_damaged_record_is_reported_and_skipped(void **state)
{
	struct fx *f = *state;
	char seg[256], text[64];
	publish_and_close(f, 5, "record number %d with some padding", seg);
	off_t size = file_size(seg);
	off_t rec = size / 5;              /* all five are the same size */
	flip_byte(seg, 2 * rec + rec / 2); /* inside record 2's payload */

	struct bus *b = reopen(f, "");
	struct bus_consumer *c;
	assert_int_equal(bus_consumer_open(b, "t", "g", &c), 0);
	struct bus_record r[8];
	size_t n = poll_some(c, r, 8, 1000);
	assert_int_equal(n, 4);
	int64_t want[] = { 0, 1, 3, 4 };
	for (size_t i = 0; i < n; i++)
		assert_int_equal(r[i].offset, want[i]);
	snprintf(text, sizeof(text), "record number %d with some padding", 3);
	assert_payload(&r[2], text);
	struct bus_stats st;
	bus_get_stats(b, &st);
	assert_int_equal(st.corrupt_regions, 1);
	assert_int_equal(st.records_lost, 1);
	assert_int_equal(st.torn_tails, 0);
	assert_int_equal(file_size(seg), size); /* damage is never cut off */
	/* Publishing continues after the last good record. */
	publish_text(b, "t", "five", 5);
	assert_int_equal(poll_some(c, r, 8, 1000), 1);
	assert_int_equal(r[0].offset, 5);
	bus_consumer_close(c);
}

static void test_damaged_length_does_not_cut_good_records(void **state)
{
	struct fx *f = *state;
	char seg[256];
	publish_and_close(f, 4, "same size record %d", seg);
	off_t size = file_size(seg);
	flip_byte(seg, size / 4 + 1); /* record 1's length field: it now claims to run past the end */

	struct bus *b = reopen(f, "");
	struct bus_consumer *c;
	assert_int_equal(bus_consumer_open(b, "t", "g", &c), 0);
	assert_int_equal(file_size(seg), size);
	struct bus_record r[8];
	size_t n = poll_some(c, r, 8, 1000);
	assert_int_equal(n, 3);
	assert_int_equal(r[1].offset, 2);
	assert_int_equal(r[2].offset, 3);
	bus_consumer_close(c);
}

static void test_damage_at_the_end_of_an_older_segment_skips_to_the_next(void **state)
{
	struct fx *f = *state;
	struct bus *b = reopen(f, "?segment_bytes=4096");
	char payload[1000];
	for (int i = 0; i < 8; i++) {
		memset(payload, '0' + i, sizeof(payload));
		assert_int_equal(bus_publish(b, "t", NULL, 0, payload, sizeof(payload), NULL), 0);
	}
	char names[16][32];
	assert_true(segment_files(f, "t", names, 16) >= 2);
	char seg[256];
	snprintf(seg, sizeof(seg), "%s/q/t/%s", f->dir, names[0]);
	off_t size = file_size(seg);
	int64_t next_base = strtoll(names[1], NULL, 10);
	flip_byte(seg, size - 10); /* the last record of the first segment */

	b = reopen(f, "?segment_bytes=4096");
	struct bus_consumer *c;
	assert_int_equal(bus_consumer_open(b, "t", "g", &c), 0);
	struct bus_record r[16];
	int64_t got[16];
	size_t total = 0, n;
	while ((n = poll_some(c, r, 16, 0)) > 0)
		for (size_t i = 0; i < n && total < 16; i++)
			got[total++] = r[i].offset;
	assert_int_equal(total, 7);
	for (size_t i = 0; i < total; i++)
		assert_int_equal(got[i], (int64_t)i < next_base - 1 ? (int64_t)i : (int64_t)i + 1);
	struct bus_stats st;
	bus_get_stats(b, &st);
	assert_int_equal(st.corrupt_regions, 1);
	assert_int_equal(st.records_lost, 1);
	assert_int_equal(file_size(seg), size);
	bus_consumer_close(c);
}

/* ---- segments and retention ------------------------------------------------ */

static void test_segments_roll_and_retention_waits_for_every_group(void **state)
{
	struct fx *f = *state;
	struct bus *b = reopen(f, "?segment_bytes=4096");
	struct bus_consumer *fast, *slow;
	/* Both groups exist before anything is published. */
	assert_int_equal(bus_consumer_open(b, "t", "fast", &fast), 0);
	assert_int_equal(bus_consumer_open(b, "t", "slow", &slow), 0);
	char payload[200];
	for (int i = 0; i < 100; i++) {
		memset(payload, 'a' + i % 26, sizeof(payload));
		assert_int_equal(bus_publish(b, "t", NULL, 0, payload, sizeof(payload), NULL), 0);
	}
	char names[64][32];
	size_t segs = segment_files(f, "t", names, 64);
	assert_true(segs >= 5);
	assert_string_equal(names[0], "00000000000000000000.log");

	/* fast reads everything, across segment boundaries, in order. */
	struct bus_record r[16];
	int64_t expect = 0;
	size_t n;
	while ((n = poll_some(fast, r, 16, 0)) > 0)
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(r[i].offset, expect);
			assert_int_equal(r[i].payload[0], 'a' + expect % 26);
			expect++;
		}
	assert_int_equal(expect, 100);
	assert_int_equal(bus_commit(fast), 0);
	assert_int_equal(segment_files(f, "t", names, 64), segs); /* slow still needs them all */

	assert_int_equal(poll_some(slow, r, 16, 1000), 16);
	while (bus_position(slow) < 60)
		assert_true(poll_some(slow, r, 16, 0) > 0);
	assert_int_equal(bus_commit(slow), 0);
	size_t left = segment_files(f, "t", names, 64);
	assert_true(left < segs);
	assert_true(left > 1);
	/* What is left starts at or before slow's committed offset. */
	assert_true(strtoll(names[0], NULL, 10) <= bus_position(slow));
	struct bus_lag lag;
	assert_int_equal(bus_group_lag(b, "t", "slow", &lag), 0);
	assert_true(lag.start > 0);
	assert_int_equal(lag.depth, 100 - bus_position(slow));

	while (poll_some(slow, r, 16, 0) > 0)
		;
	assert_int_equal(bus_commit(slow), 0);
	assert_int_equal(segment_files(f, "t", names, 64), 1); /* the last segment stays */
	/* A new group starts at the earliest record kept. */
	struct bus_consumer *late;
	assert_int_equal(bus_consumer_open(b, "t", "late", &late), 0);
	assert_true(bus_position(late) > 0);
	n = poll_some(late, r, 16, 1000);
	assert_true(n > 0);
	assert_int_equal(r[0].offset, bus_position(late) - (int64_t)n);
	bus_consumer_close(late);
	bus_consumer_close(fast);
	bus_consumer_close(slow);
}

static void test_a_publisher_whose_segment_was_deleted_catches_up(void **state)
{
	struct fx *f = *state;
	/* Two opens of one directory act as two processes (separate locks). */
	struct bus *quiet = reopen(f, "?segment_bytes=4096");
	publish_text(quiet, "t", "early", 0);
	struct bus *busy;
	char url[256], err[256];
	snprintf(url, sizeof(url), "%s?segment_bytes=4096", f->url);
	assert_int_equal(bus_open(url, NULL, &busy, err, sizeof(err)), 0);
	struct bus_consumer *c;
	assert_int_equal(bus_consumer_open(busy, "t", "g", &c), 0);
	char payload[500] = { 0 };
	struct bus_record r[16];
	for (int i = 1; i <= 40; i++) {
		assert_int_equal(bus_publish(busy, "t", NULL, 0, payload, sizeof(payload), NULL), 0);
		while (poll_some(c, r, 16, 0) > 0)
			;
		assert_int_equal(bus_commit(c), 0);
	}
	char names[16][32];
	assert_true(segment_files(f, "t", names, 16) <= 2); /* segment 0 is long gone */
	assert_true(strtoll(names[0], NULL, 10) > 0);
	/* The quiet publisher's segment is deleted: it must follow to the last one. */
	int64_t off;
	assert_int_equal(bus_publish(quiet, "t", NULL, 0, "late", 4, &off), 0);
	assert_int_equal(off, 41);
	size_t n = poll_some(c, r, 16, 1000);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].offset, 41);
	assert_payload(&r[0], "late");
	bus_consumer_close(c);
	bus_close(busy);
}

/* ---- waiting --------------------------------------------------------------- */

struct waiter {
	struct bus_consumer *c;
	int rc;
	size_t n;
	struct timespec done;
	int64_t first_offset;
};

static void *wait_forever(void *arg)
{
	struct waiter *w = arg;
	struct bus_record r[4];
	w->rc = bus_poll(w->c, r, 4, &w->n, -1);
	w->first_offset = w->n ? r[0].offset : -1;
	clock_gettime(CLOCK_MONOTONIC, &w->done);
	return NULL;
}

static double ms_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

static void test_blocking_poll_wakes_on_publish_and_shutdown(void **state)
{
	struct fx *f = *state;
	/* poll_ms=5000: a prompt wake-up can only come from the publisher's signal. */
	struct bus *b = reopen(f, "?poll_ms=5000");
	struct waiter w = { 0 };
	assert_int_equal(bus_consumer_open(b, "t", "g", &w.c), 0);
	pthread_t th;
	pthread_create(&th, NULL, wait_forever, &w);
	usleep(50 * 1000);
	struct timespec sent;
	clock_gettime(CLOCK_MONOTONIC, &sent);
	publish_text(b, "t", "wake", 0);
	pthread_join(th, NULL);
	assert_int_equal(w.rc, 0);
	assert_int_equal(w.n, 1);
	assert_true(ms_between(&sent, &w.done) < 1000);

	/* A timed poll with nothing to read comes back empty after its time. */
	struct timespec t0, t1;
	struct bus_record r[4];
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(poll_some(w.c, r, 4, 100), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(ms_between(&t0, &t1) >= 95);
	assert_true(ms_between(&t0, &t1) < 2000);

	pthread_create(&th, NULL, wait_forever, &w);
	usleep(50 * 1000);
	clock_gettime(CLOCK_MONOTONIC, &sent);
	bus_shutdown(b);
	pthread_join(th, NULL);
	assert_int_equal(w.rc, -ECANCELED);
	assert_true(ms_between(&sent, &w.done) < 1000);
	size_t n;
	assert_int_equal(bus_poll(w.c, r, 4, &n, -1), -ECANCELED);
	/* Publishing still works during shutdown (a last batch gets out). */
	publish_text(b, "t", "late", 1);
	bus_consumer_close(w.c);
}

static void test_poll_sees_another_process_publish(void **state)
{
	struct fx *f = *state;
	struct bus *b = reopen(f, "?poll_ms=10");
	struct bus_consumer *c;
	assert_int_equal(bus_consumer_open(b, "t", "g", &c), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct bus *own;
		char err[256];
		usleep(100 * 1000);
		if (bus_open(f->url, NULL, &own, err, sizeof(err)) ||
		    bus_publish(own, "t", NULL, 0, "from child", 10, NULL))
			_exit(1);
		bus_close(own);
		_exit(0);
	}
	struct bus_record r[4];
	size_t n = poll_some(c, r, 4, 5000);
	int status;
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(n, 1);
	assert_payload(&r[0], "from child");
	/* And this process goes on after it with the next offset. */
	publish_text(b, "t", "from parent", 1);
	bus_consumer_close(c);
}

/* ---- threads --------------------------------------------------------------- */

#define THREADS      4
#define PER_THREAD   600
#define THREAD_BATCH 10

struct publisher {
	struct bus *b;
	int id;
	int rc;
};

static void *publish_many(void *arg)
{
	struct publisher *p = arg;
	char text[THREAD_BATCH][32];
	struct bus_message m[THREAD_BATCH];
	for (int i = 0; i < PER_THREAD && !p->rc; i += THREAD_BATCH) {
		for (int k = 0; k < THREAD_BATCH; k++) {
			snprintf(text[k], sizeof(text[k]), "%d:%d", p->id, i + k);
			m[k] = (struct bus_message){ NULL, 0, text[k], strlen(text[k]) };
		}
		p->rc = bus_publish_batch(p->b, "t", m, THREAD_BATCH, NULL);
	}
	return NULL;
}

static void test_threads_publish_and_consume_at_once(void **state)
{
	struct fx *f = *state;
	struct bus *b = reopen(f, "?segment_bytes=8192");
	struct bus_consumer *c;
	assert_int_equal(bus_consumer_open(b, "t", "g", &c), 0);
	pthread_t th[THREADS];
	struct publisher p[THREADS];
	for (int i = 0; i < THREADS; i++) {
		p[i] = (struct publisher){ b, i, 0 };
		pthread_create(&th[i], NULL, publish_many, &p[i]);
	}
	int next_seq[THREADS] = { 0 };
	int64_t expect = 0;
	struct bus_record r[64];
	while (expect < THREADS * PER_THREAD) {
		size_t n = poll_some(c, r, 64, 5000);
		assert_true(n > 0);
		for (size_t i = 0; i < n; i++, expect++) {
			assert_int_equal(r[i].offset, expect); /* dense, no duplicates */
			char text[32];
			snprintf(text, sizeof(text), "%.*s", (int)r[i].len, (const char *)r[i].payload);
			int id = -1, seq = -1;
			assert_int_equal(parse_id_seq(text, &id, &seq), 0);
			assert_true(id >= 0 && id < THREADS);
			assert_int_equal(seq, next_seq[id]); /* each publisher's order is kept */
			next_seq[id]++;
		}
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(p[i].rc, 0);
		assert_int_equal(next_seq[i], PER_THREAD);
	}
	assert_int_equal(poll_some(c, r, 64, 0), 0);
	bus_consumer_close(c);
}

/* ---- publishers killed mid-write -------------------------------------------- */

#define CRASH_ROUNDS   20
#define CRASH_CHILDREN 2
#define CRASH_MAX_SEQ  200000

/* A child publishes "id:seq:padding" records in batches of 1–100 (up to
 * 800 KB, so a kill often lands inside a write) and, after each batch
 * returned, writes the last seq of it to the pipe: from then on all of them
 * must survive. */
static void crash_child(const char *url, int id, int fd)
{
	struct bus *b;
	char err[256];
	if (bus_open(url, NULL, &b, err, sizeof(err)))
		_exit(2);
	int ready = -1; /* the parent starts its clock now, not during our start-up */
	if (write(fd, &ready, sizeof(ready)) != sizeof(ready))
		_exit(4);
	srand((unsigned)(getpid() * 2654435761u));
	static char text[100][8032];
	struct bus_message m[100];
	for (int seq = 0; seq < CRASH_MAX_SEQ;) {
		int n = 1 + rand() % 100;
		for (int k = 0; k < n; k++) {
			int pad = rand() % 8000;
			int len = snprintf(text[k], sizeof(text[k]), "%d:%d:", id, seq + k);
			memset(text[k] + len, 'p', (size_t)pad);
			m[k] = (struct bus_message){ NULL, 0, text[k], (size_t)(len + pad) };
		}
		if (bus_publish_batch(b, "crash", m, (size_t)n, NULL))
			_exit(3);
		seq += n;
		int last = seq - 1;
		if (write(fd, &last, sizeof(last)) != sizeof(last))
			_exit(4);
	}
	_exit(0);
}

static void test_killed_publishers_lose_nothing_reported_durable(void **state)
{
	struct fx *f = *state;
	char url[256];
	snprintf(url, sizeof(url), "%s?segment_bytes=1048576", f->url);
	srand((unsigned)time(NULL));
	int durable[CRASH_ROUNDS * CRASH_CHILDREN]; /* highest seq each child reported, -1 none */
	unsigned long long torn = 0, checked = 0, reported = 0;
	for (int round = 0; round < CRASH_ROUNDS; round++) {
		pid_t pid[CRASH_CHILDREN];
		int fds[CRASH_CHILDREN][2];
		for (int k = 0; k < CRASH_CHILDREN; k++) {
			int id = round * CRASH_CHILDREN + k;
			assert_int_equal(pipe(fds[k]), 0);
			pid[k] = fork();
			assert_true(pid[k] >= 0);
			if (pid[k] == 0) {
				close(fds[k][0]);
				crash_child(url, id, fds[k][1]);
			}
			close(fds[k][1]);
		}
		for (int k = 0; k < CRASH_CHILDREN; k++) {
			int ready;
			assert_int_equal(read(fds[k][0], &ready, sizeof(ready)), sizeof(ready));
			assert_int_equal(ready, -1);
		}
		/* Kill each at its own random moment while it publishes. */
		for (int k = 0; k < CRASH_CHILDREN; k++) {
			usleep((useconds_t)(5000 + rand() % 80000));
			kill(pid[k], SIGKILL);
		}
		for (int k = 0; k < CRASH_CHILDREN; k++) {
			int id = round * CRASH_CHILDREN + k, last = -1, v, status;
			while (read(fds[k][0], &v, sizeof(v)) == sizeof(v))
				last = v;
			close(fds[k][0]);
			waitpid(pid[k], &status, 0);
			assert_true(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0));
			durable[id] = last;
		}

		/* Reopen (recovering any torn tail) and read everything from the start. */
		struct bus *b = reopen(f, "?segment_bytes=1048576");
		char group[32];
		snprintf(group, sizeof(group), "check%d", round);
		struct bus_consumer *c;
		assert_int_equal(bus_consumer_open(b, "crash", group, &c), 0);
		int children = (round + 1) * CRASH_CHILDREN;
		int *seen_upto = calloc((size_t)children, sizeof(int)); /* next seq expected per child */
		checked = 0;
		struct bus_record r[256];
		size_t n;
		int64_t prev = -1;
		while ((n = poll_some(c, r, 256, 0)) > 0)
			for (size_t i = 0; i < n; i++) {
				assert_true(r[i].offset > prev);
				prev = r[i].offset;
				char head[32];
				size_t hl = r[i].len < sizeof(head) - 1 ? r[i].len : sizeof(head) - 1;
				memcpy(head, r[i].payload, hl);
				head[hl] = '\0';
				int id = -1, seq = -1;
				assert_int_equal(parse_id_seq(head, &id, &seq), 0);
				assert_true(id >= 0 && id < children);
				/* Exactly once and in order: each child's records come 0, 1, 2, … */
				assert_int_equal(seq, seen_upto[id]);
				seen_upto[id]++;
				checked++;
				for (size_t k = strlen(head); k < hl; k++)
					assert_int_equal(head[k], 'p');
			}
		for (int id = round * CRASH_CHILDREN; id < children; id++)
			reported += (unsigned long long)(durable[id] + 1);
		for (int id = 0; id < children; id++)
			if (seen_upto[id] <= durable[id])
				fail_msg("round %d: child %d reported seq %d durable but only %d records survived",
					 round, id, durable[id], seen_upto[id]);
		free(seen_upto);
		struct bus_stats st;
		bus_get_stats(b, &st);
		assert_int_equal(st.corrupt_regions, 0);
		torn += st.torn_tails;
		bus_consumer_close(c);
	}
	printf("killed %d publishers: %llu records reported durable, all present; torn tails cut: %llu; "
	       "records at the end: %llu\n",
	       CRASH_ROUNDS * CRASH_CHILDREN, reported, torn, checked);
}

int main(void)
{
	/* Damage is logged as errors on purpose; the checks look at bus_get_stats. */
	log_set_level((enum log_level)(LOG_ERROR + 1));
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_publish_consume_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_keeps_committed_offsets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_consumer_per_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_groups_are_independent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seek_replays_and_skips, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names_and_sizes_are_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_tail_is_truncated_on_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_tail_seen_by_a_running_consumer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_record_is_reported_and_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_length_does_not_cut_good_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damage_at_the_end_of_an_older_segment_skips_to_the_next, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_segments_roll_and_retention_waits_for_every_group, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_a_publisher_whose_segment_was_deleted_catches_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocking_poll_wakes_on_publish_and_shutdown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_poll_sees_another_process_publish, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads_publish_and_consume_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_killed_publishers_lose_nothing_reported_durable, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
