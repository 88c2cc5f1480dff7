/* backend — what a bus backend implements (bus-internal).
 *
 * bus.c checks names and sizes once for every backend, picks the backend by
 * the URL's scheme and forwards each call to its operations. A backend is a
 * folder (src/bus/embedded/, later src/bus/kafka/) whose open function
 * returns a struct bus (embedded first in its own struct) pointing at its
 * operations; its consumers embed struct bus_consumer the same way.
 *
 * Adding a backend: write src/bus/NAME/ with a bus_open_fn, add its scheme
 * to the table in bus.c, and run tests/unit/test_bus.c's contract cases
 * against it. */
#ifndef JT_BUS_BACKEND_H
#define JT_BUS_BACKEND_H

#include "bus/bus.h"

struct bus_ops {
	void (*close)(struct bus *b);
	int (*publish_batch)(struct bus *b, const char *topic, const struct bus_message *msgs, size_t n,
			     int64_t *first_offset);
	int (*consumer_open)(struct bus *b, const char *topic, const char *group, struct bus_consumer **out);
	void (*consumer_close)(struct bus_consumer *c);
	int (*poll)(struct bus_consumer *c, struct bus_record *recs, size_t max, size_t *n, int timeout_ms);
	int (*commit)(struct bus_consumer *c);
	int (*seek)(struct bus_consumer *c, int64_t offset);
	int64_t (*position)(const struct bus_consumer *c);
	void (*shutdown)(struct bus *b);
	int (*group_lag)(struct bus *b, const char *topic, const char *group, struct bus_lag *out);
	void (*stats)(struct bus *b, struct bus_stats *out);
};

struct bus {
	const struct bus_ops *ops;
	const char *backend; /* static name */
	size_t max_record;   /* bytes of key + payload the backend accepts */
};

struct bus_consumer {
	struct bus *bus;
};

/* Opens the backend at url (the whole URL, scheme included). */
typedef int (*bus_open_fn)(const char *url, const char *data_dir, struct bus **out, char *err, size_t errlen);

int embedded_bus_open(const char *url, const char *data_dir, struct bus **out, char *err, size_t errlen);

#endif
