/* cli/serve_taxonomy — serve's skills taxonomy and its compiled matcher.
 * With an extension in DATA_DIR/taxonomy/ it is loaded at start, so a
 * broken one stops serve at once; with none (the usual case) the built-in
 * one is loaded and compiled by the first scan, match ranking or posting
 * to count skills of (matcher_ready): an idle server does not keep its
 * 9 MiB. Either way it is read once: restart after an import. */
#ifndef JT_CLI_SERVE_TAXONOMY_H
#define JT_CLI_SERVE_TAXONOMY_H

#include <stdbool.h>

#include "scan/matcher.h"
#include "scan/taxonomy.h"

struct serve_taxonomy {
	struct taxonomy tax;
	struct scan_matcher matcher; /* what the services borrow */
	bool loaded;                 /* tax holds a taxonomy to free */
};

/* 0, or serve's exit status (the reason on stderr). */
int serve_taxonomy_open(struct serve_taxonomy *st, const char *data_dir);
void serve_taxonomy_close(struct serve_taxonomy *st);

#endif
