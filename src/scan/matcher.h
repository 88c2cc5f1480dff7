/* scan/matcher — the taxonomy compiled for matching: skill forms, job
 * titles, seniority words and degree words as Aho–Corasick automata over one
 * token vocabulary (automaton.h). Owned by the resume scanner. Built once
 * per taxonomy, then read-only: any number of threads may match at once.
 *
 * scan_doc_* turns a text (a resume, a posting) into tokens with their skill
 * hits; matcher_title recognises a job title in a span of tokens, with the
 * seniority words taken out, and names its occupation. */
#ifndef JT_SCAN_MATCHER_H
#define JT_SCAN_MATCHER_H

#include <stddef.h>
#include <stdint.h>

#include "scan/automaton.h"
#include "scan/taxonomy.h"
#include "scan/token.h"

struct matcher_lazy;

struct scan_matcher {
	const struct taxonomy *tax;
	struct scan_vocab vocab;
	struct ac skills, titles, seniority, education;
	char version[17];          /* taxonomy_version_hex(tax): which taxonomy a scan result used */
	struct matcher_lazy *lazy; /* matcher_build_lazy's; NULL: built by matcher_build */
};

int matcher_build(struct scan_matcher *m, const struct taxonomy *tax, char *err, size_t errlen);
void matcher_free(struct scan_matcher *m);

/* Lazy compiling (matcher_lazy.c), for a server that may never scan: the
 * taxonomy and its automata are some 9 MiB, loaded and compiled by the
 * first matcher_ready instead of at start. load fills *tax (it stays the
 * caller's, alive until matcher_free) and returns 0, or -1 with err set.
 * matcher_build_lazy: 0, or -1 out of memory. */
typedef int (*matcher_load_fn)(void *ctx, const struct taxonomy **tax, char *err, size_t errlen);
int matcher_build_lazy(struct scan_matcher *m, matcher_load_fn load, void *ctx);
/* Compiles a lazy matcher once, whichever thread asks first (the others
 * wait for it). 0 ready, or -1 with the reason in err, the same on every
 * call. Every reader of a lazy matcher's fields calls it first; a matcher
 * from matcher_build is always ready. */
int matcher_ready(const struct scan_matcher *m, char *err, size_t errlen);
/* Whether it is compiled already, without compiling it: a reader that has
 * nothing to match yet (no posting seen) need not pay for the taxonomy. */
int matcher_built(const struct scan_matcher *m);
/* Compiles a lazy matcher on a thread of its own, now, if nobody has yet:
 * for a page after which a scan is likely (the resumes), so that the scan
 * does not wait the quarter second it takes. Returns at once. */
void matcher_prepare(const struct scan_matcher *m);
void matcher_lazy_free(struct matcher_lazy *z); /* matcher_free's: joins matcher_prepare's thread */

/* A text, tokenized, with the skills it mentions (value = skill index). */
struct scan_doc {
	struct scan_tokens toks;
	struct ac_hit *skills;
	size_t n_skills;
};
/* 0, or -1 out of memory. */
int scan_doc_init(struct arena *a, const struct scan_matcher *m, const char *text, size_t len, struct scan_doc *out);

struct title_hit {
	int32_t occupation; /* index in tax->titles */
	enum seniority level;
	uint32_t tok, ntok; /* the title's tokens */
};
/* The job title in tokens [from, to) of doc: the longest title form found
 * either as written or with the seniority words taken out (so "Accounting
 * Associate" and "Senior Accountant II" both resolve). 1 found, 0 not, -1
 * out of memory. */
int matcher_title(const struct scan_matcher *m, struct arena *a, const struct scan_doc *doc, size_t from, size_t to,
		  struct title_hit *out);

/* Education levels mentioned in tokens [from, to): calls fn per mention. */
int matcher_education(const struct scan_matcher *m, struct arena *a, const struct scan_doc *doc, size_t from, size_t to,
		      void (*fn)(void *ctx, uint32_t tok, int level), void *ctx);

#endif
