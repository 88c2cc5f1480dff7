/* scrape_env — see scrape_env.h. */
#include "scrape_env.h"

#include <stdio.h>
#include <stdlib.h>

#include "blob/blob.h"
#include "bus/bus.h"

int scrape_env_open(struct scrape_env *e, const char *name)
{
	e->bus = NULL;
	e->blob = NULL;
	snprintf(e->dir, sizeof(e->dir), "/tmp/jt_%s_XXXXXX", name);
	if (!mkdtemp(e->dir)) {
		perror("mkdtemp");
		return -1;
	}
	char err[256], url[128];
	snprintf(url, sizeof(url), "embedded:%s/bus", e->dir);
	int rc = bus_open(url, NULL, &e->bus, err, sizeof(err));
	if (rc == 0) {
		snprintf(url, sizeof(url), "file:%s/blobs", e->dir);
		rc = blob_open(url, NULL, &e->blob, err, sizeof(err));
	}
	if (rc) {
		fprintf(stderr, "scrape_env: %s\n", err);
		return -1;
	}
	return 0;
}

void scrape_env_close(struct scrape_env *e)
{
	if (e->bus)
		bus_close(e->bus);
	if (e->blob)
		blob_close(e->blob);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", e->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", e->dir);
}
