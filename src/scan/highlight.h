/* scan/highlight — where a scan's terms stand in a text, so the resume and
 * the posting can be shown with the matched and missing terms marked. Owned
 * by the resume scanner. Skills are found as the scan found them (the
 * taxonomy's forms through the matcher, so "k8s" marks Kubernetes);
 * keywords by their stems, as the resume's phrases were counted ("managed"
 * marks the keyword "manage"). Spans never overlap: a skill wins over a
 * keyword, the earlier over the later. */
#ifndef JT_SCAN_HIGHLIGHT_H
#define JT_SCAN_HIGHLIGHT_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "scan/matcher.h"

/* One of the scan's terms: a taxonomy skill's name, or a keyword's text. */
struct hl_term {
	const char *name;
	int keyword; /* 1: a keyword (stems), 0: a skill (taxonomy name) */
	int matched; /* the scan found it in the resume */
};

struct hl_span {
	uint32_t start, len; /* bytes of the text */
	uint32_t term;       /* index in the terms given */
};

/* The spans of terms[0..n) in text[0..len), in text order, into *out (in
 * a). 0, or -1 out of memory. */
int scan_highlight(struct arena *a, const struct scan_matcher *m, const char *text, size_t len,
		   const struct hl_term *terms, size_t n, struct hl_span **out, size_t *nout);

#endif
