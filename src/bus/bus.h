/* bus — durable, ordered message topics between the parts of jobtrack
 * (the scraper publishes postings, ingest consumes them).
 *
 * bus_open(url) picks the backend by the URL's scheme:
 *   embedded:            an on-disk queue in DATA_DIR/bus (the default)
 *   embedded:/some/dir   the same queue in another directory
 *   kafka://…            (later) Apache Kafka through librdkafka
 * Options follow a '?': embedded:/dir?segment_bytes=N&max_record=N&poll_ms=N.
 *
 * The model is Kafka's, so the Kafka backend is a translation, not a redesign:
 *
 *   bus here                          Kafka
 *   ------------------------------    ------------------------------------------
 *   topic ("postings")                topic; embedded has one partition (0), Kafka
 *                                     many: the key picks the partition, so records
 *                                     with one key stay in order
 *   record offset                     offset within its partition (bus_record.partition)
 *   group ("ingest")                  consumer group (group.id)
 *   bus_publish_batch                 produce each message, then flush (acks=all)
 *   bus_poll                          consumer poll
 *   bus_commit                        commitSync of the offsets after the last poll
 *   bus_seek                          seek
 *   one live consumer per group       group rebalance: a second member gets no
 *     (bus_consumer_open: -EBUSY)       partition of a one-partition topic
 *   new group starts at the earliest  auto.offset.reset=earliest
 *   retention: a segment is deleted   retention.ms / retention.bytes: Kafka deletes
 *     once every group committed        by age or size, whatever the groups' progress
 *     past it
 *   bus_group_lag                     high watermark minus committed offset
 *
 * Delivery is at least once. A consumer reads from its group's committed
 * offset and commits after it has processed what it read; a crash between
 * processing and commit delivers those records again. "Once per consumer"
 * therefore comes from consumers that are idempotent (ingest upserts by the
 * posting's canonical key, so a replay changes nothing) — never from the bus.
 *
 * Durability, precisely: when bus_publish_batch (or bus_publish) returns 0,
 * every record it was given is written and fdatasync'd — it survives the
 * process being killed and the machine losing power. When it returns an
 * error, the batch was taken back before any consumer could see it (should
 * the disk refuse even that, the log says so). When the publisher dies
 * inside the call, the batch may be there whole, in part (a prefix of it),
 * or not at all; a producer that retries after a crash may therefore publish
 * twice, which idempotent consumers absorb. Consumers never see a batch
 * while it is being written and synced (what a publisher that died mid-call
 * left whole is visible even if its sync never ran — only a power loss in
 * that window could take such records back). One fsync per batch is the
 * price of the guarantee: batch records that belong together (one scraped
 * page, one source run).
 *
 * Threads and processes: every function may be called from any thread;
 * a consumer belongs to one thread at a time. Several processes (serve and a
 * `jobtrack scrape` run from cron) may open the same embedded directory and
 * publish to and consume from it at once (see embedded/embedded.h for how).
 *
 * Errors are negative errno values: -EINVAL (a bad name or argument),
 * -EMSGSIZE (a record or batch over its limit), -EBUSY (the group already has
 * a consumer), -ECANCELED (after bus_shutdown), -EIO and friends from the disk.
 */
#ifndef JT_BUS_BUS_H
#define JT_BUS_BUS_H

#include <stddef.h>
#include <stdint.h>

#define BUS_NAME_MAX       64          /* topic and group names: [a-z0-9._-], not starting with '.' */
#define BUS_KEY_MAX        1024        /* bytes of a record's key */
#define BUS_BATCH_MAX      (64u << 20) /* bytes one publish call may carry, framing included */
#define BUS_RECORD_FRAMING 32          /* bytes counted per record for its framing */

struct bus;
struct bus_consumer;

/* One record to publish. key may be NULL (key_len 0); payload is opaque bytes. */
struct bus_message {
	const void *key;
	size_t key_len;
	const void *payload;
	size_t len;
};

/* One record delivered. key and payload point into the consumer's memory and
 * stay valid until its next bus_poll, bus_seek or bus_consumer_close. */
struct bus_record {
	int partition;        /* always 0 on the embedded bus */
	int64_t offset;       /* position in the partition; increases, may skip */
	int64_t timestamp_ms; /* publisher's wall clock at publish, Unix ms */
	const unsigned char *key;
	size_t key_len;
	const unsigned char *payload;
	size_t len;
};

/* Opens the bus url names; data_dir resolves "embedded:" without a path.
 * 0 and *out, or a negative errno with a sentence for a person in err. */
int bus_open(const char *url, const char *data_dir, struct bus **out, char *err, size_t errlen);
/* Closes the bus. Every consumer must be closed first. NULL is a no-op. */
void bus_close(struct bus *b);
/* "embedded", "kafka". */
const char *bus_backend_name(const struct bus *b);

/* Appends n records (n ≥ 1) to topic, in order, and makes them durable (see
 * above) before returning 0; *first_offset (may be NULL) receives the first
 * record's offset, the others follow it one by one. On an error none of
 * them will be delivered. */
int bus_publish_batch(struct bus *b, const char *topic, const struct bus_message *msgs, size_t n,
		      int64_t *first_offset);
/* A batch of one. */
int bus_publish(struct bus *b, const char *topic, const void *key, size_t key_len, const void *payload, size_t len,
		int64_t *offset);

/* Opens group's consumer of topic, positioned at the group's committed offset
 * (a new group starts at the earliest record kept). Only one consumer of a
 * group may be open at a time, in any process: -EBUSY otherwise. */
int bus_consumer_open(struct bus *b, const char *topic, const char *group, struct bus_consumer **out);
/* Closes the consumer without committing. NULL is a no-op. */
void bus_consumer_close(struct bus_consumer *c);

/* Delivers up to max records after the consumer's position into recs[] and
 * moves the position past them. Waits up to timeout_ms (0: do not wait,
 * < 0: until a record comes or bus_shutdown) when there is nothing to read.
 * 0 with *n ≥ 1, 0 with *n == 0 when the time ran out, or a negative errno
 * (-ECANCELED once bus_shutdown was called). */
int bus_poll(struct bus_consumer *c, struct bus_record *recs, size_t max, size_t *n, int timeout_ms);
/* Durably records that the group has processed everything before the
 * consumer's position (everything the polls so far returned). */
int bus_commit(struct bus_consumer *c);
/* Moves the position to the first record at or after offset (replay, or skip
 * ahead). An offset before the earliest kept record goes to that record. */
int bus_seek(struct bus_consumer *c, int64_t offset);
/* The offset the next poll starts from. */
int64_t bus_position(const struct bus_consumer *c);

/* Wakes every bus_poll that is waiting; from now on polls return -ECANCELED.
 * For shutdown; publishing still works. */
void bus_shutdown(struct bus *b);

/* Queue depth and ingest lag of a group, for metrics and the admin page. */
struct bus_lag {
	int64_t start;     /* earliest offset kept */
	int64_t end;       /* offset the next published record will get */
	int64_t committed; /* group's committed offset; -1 when the group never consumed */
	int64_t depth;     /* records the group has not committed (end - max(committed, start)) */
	int64_t oldest_ms; /* timestamp of the first of those records; 0 when depth is 0 */
};
/* Fills *out for group on topic. Reads the disk: call it at scrape time,
 * not per record. */
int bus_group_lag(struct bus *b, const char *topic, const char *group, struct bus_lag *out);

/* What this process saw go wrong, since bus_open. */
struct bus_stats {
	uint64_t corrupt_regions; /* stretches of records that failed their CRC and were skipped */
	uint64_t records_lost;    /* offsets inside those stretches (or in segments gone missing) */
	uint64_t torn_tails;      /* incomplete last writes of a crashed publisher, truncated */
};
void bus_get_stats(struct bus *b, struct bus_stats *out);

/* 1 when name is a valid topic or group name. */
int bus_name_valid(const char *name);

#endif
