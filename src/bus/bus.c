/* bus.c — opens a URL with the backend its scheme names, checks every
 * argument once for all backends, and forwards to the backend's operations
 * (see bus/backend.h). */
#include "bus/bus.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bus/backend.h"

static const struct {
	const char *prefix;
	bus_open_fn open;
} backends[] = {
	{ "embedded:", embedded_bus_open },
};

int bus_open(const char *url, const char *data_dir, struct bus **out, char *err, size_t errlen)
{
	*out = NULL;
	/* DESIGN.md writes the default as a bare "embedded". */
	if (!url || !*url || strcmp(url, "embedded") == 0)
		url = "embedded:";
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (strncmp(url, backends[i].prefix, strlen(backends[i].prefix)) == 0)
			return backends[i].open(url, data_dir, out, err, errlen);
	snprintf(err, errlen, "unsupported bus URL \"%.200s\": use embedded: or embedded:/path/to/dir", url);
	return -EINVAL;
}

void bus_close(struct bus *b)
{
	if (b)
		b->ops->close(b);
}

const char *bus_backend_name(const struct bus *b)
{
	return b->backend;
}

int bus_name_valid(const char *name)
{
	size_t n = name ? strnlen(name, BUS_NAME_MAX + 1) : 0;
	if (n == 0 || n > BUS_NAME_MAX || name[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

int bus_publish_batch(struct bus *b, const char *topic, const struct bus_message *msgs, size_t n, int64_t *first_offset)
{
	if (!bus_name_valid(topic) || n == 0 || !msgs)
		return -EINVAL;
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		const struct bus_message *m = &msgs[i];
		if ((m->key_len && !m->key) || (m->len && !m->payload))
			return -EINVAL;
		if (m->key_len > BUS_KEY_MAX || m->len > b->max_record || m->key_len + m->len > b->max_record)
			return -EMSGSIZE;
		total += m->key_len + m->len + BUS_RECORD_FRAMING;
		if (total > BUS_BATCH_MAX)
			return -EMSGSIZE;
	}
	return b->ops->publish_batch(b, topic, msgs, n, first_offset);
}

int bus_publish(struct bus *b, const char *topic, const void *key, size_t key_len, const void *payload, size_t len,
		int64_t *offset)
{
	struct bus_message m = { .key = key, .key_len = key_len, .payload = payload, .len = len };
	return bus_publish_batch(b, topic, &m, 1, offset);
}

int bus_consumer_open(struct bus *b, const char *topic, const char *group, struct bus_consumer **out)
{
	*out = NULL;
	if (!bus_name_valid(topic) || !bus_name_valid(group))
		return -EINVAL;
	return b->ops->consumer_open(b, topic, group, out);
}

void bus_consumer_close(struct bus_consumer *c)
{
	if (c)
		c->bus->ops->consumer_close(c);
}

int bus_poll(struct bus_consumer *c, struct bus_record *recs, size_t max, size_t *n, int timeout_ms)
{
	*n = 0;
	if (max == 0 || !recs)
		return -EINVAL;
	return c->bus->ops->poll(c, recs, max, n, timeout_ms);
}

int bus_commit(struct bus_consumer *c)
{
	return c->bus->ops->commit(c);
}

int bus_seek(struct bus_consumer *c, int64_t offset)
{
	if (offset < 0)
		return -EINVAL;
	return c->bus->ops->seek(c, offset);
}

int64_t bus_position(const struct bus_consumer *c)
{
	return c->bus->ops->position(c);
}

void bus_shutdown(struct bus *b)
{
	b->ops->shutdown(b);
}

int bus_group_lag(struct bus *b, const char *topic, const char *group, struct bus_lag *out)
{
	memset(out, 0, sizeof(*out));
	if (!bus_name_valid(topic) || !bus_name_valid(group))
		return -EINVAL;
	return b->ops->group_lag(b, topic, group, out);
}

void bus_get_stats(struct bus *b, struct bus_stats *out)
{
	memset(out, 0, sizeof(*out));
	b->ops->stats(b, out);
}
