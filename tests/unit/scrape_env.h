/* scrape_env — the scratch world the scrape-and-ingest suites (scrape_run,
 * scheduler) run in: a temporary directory holding an embedded bus and a
 * file blob store, removed afterwards. */
#ifndef JT_TESTS_SCRAPE_ENV_H
#define JT_TESTS_SCRAPE_ENV_H

struct bus;
struct blob;

struct scrape_env {
	char dir[64]; /* /tmp/jt_NAME_XXXXXX */
	struct bus *bus;
	struct blob *blob;
};

/* Makes the directory, opens the bus (embedded:DIR/bus) and the blob store
 * (file:DIR/blobs). 0, or -1 with the reason on stderr. */
int scrape_env_open(struct scrape_env *e, const char *name);
/* Closes both and removes the directory. */
void scrape_env_close(struct scrape_env *e);

#endif
