/* cli/scan_extras — see scan_extras.h. */
#include "cli/scan_extras.h"

#include <string.h>

#include "scan/ats.h"
#include "scan/service.h"

/* The scan's terms and where they stand in the resume and the posting. */
static int marks(struct arena *a, const struct scan_extras *x, struct scan_marks *mk)
{
	memset(mk, 0, sizeof(*mk));
	mk->terms = arena_alloc(a, (x->res->n_terms + 1) * sizeof(*mk->terms));
	if (!mk->terms)
		return -1;
	for (size_t i = 0; i < x->res->n_terms; i++) {
		const struct score_term *t = &x->res->terms[i];
		mk->terms[mk->n_terms++] =
		    (struct hl_term){ .name = t->name, .keyword = t->kind == TERM_KEYWORD, .matched = t->matched };
	}
	mk->resume = (struct scan_marked){ .text = x->doc->body, .len = x->doc->body_len };
	mk->job = (struct scan_marked){ .text = x->jd_text, .len = x->jd_len };
	if (scan_highlight(a, x->m, mk->resume.text, mk->resume.len, mk->terms, mk->n_terms, &mk->resume.spans,
			   &mk->resume.n) != 0 ||
	    scan_highlight(a, x->m, mk->job.text, mk->job.len, mk->terms, mk->n_terms, &mk->job.spans, &mk->job.n) != 0)
		return -1;
	return 0;
}

int scan_extras_json(struct buf *out, struct arena *a, const struct scan_extras *x)
{
	if (out->len < 2 || buf_failed(out))
		return 0;
	out->len -= 2; /* "}\n": more members */
	struct ats_check checks[ATS_CHECKS_MAX];
	size_t n = ats_run(&x->doc->facts, x->r, x->doc->header_footer, checks);
	buf_puts(out, ",\"ats\":");
	ats_json(out, checks, n);
	if (x->marked) {
		struct scan_marks mk;
		if (marks(a, x, &mk) != 0)
			return -1;
		buf_puts(out, ",\"marked\":");
		scan_service_render_marks(out, &mk);
	}
	buf_puts(out, "}\n");
	return 0;
}

/* text with the marks: [matched] and {missing}. */
static void marked_text(struct buf *out, const struct scan_marked *m, const struct scan_marks *mk)
{
	size_t at = 0;
	for (size_t i = 0; i < m->n; i++) {
		const struct hl_span *s = &m->spans[i];
		int matched = mk->terms[s->term].matched;
		buf_append(out, m->text + at, s->start - at);
		buf_putc(out, matched ? '[' : '{');
		buf_append(out, m->text + s->start, s->len);
		buf_putc(out, matched ? ']' : '}');
		at = s->start + s->len;
	}
	buf_append(out, m->text + at, m->len - at);
	if (m->len && m->text[m->len - 1] != '\n')
		buf_putc(out, '\n');
}

int scan_extras_text(struct buf *out, struct arena *a, const struct scan_extras *x)
{
	struct ats_check checks[ATS_CHECKS_MAX];
	size_t n = ats_run(&x->doc->facts, x->r, x->doc->header_footer, checks);
	buf_puts(out, "\nATS readability (not part of the score):\n");
	for (size_t i = 0; i < n; i++) {
		const struct ats_check *c = &checks[i];
		buf_printf(out, "  %-8s %s — %s\n",
			   c->status == ATS_PASS   ? "Pass:"
			   : c->status == ATS_WARN ? "Warning:"
						   : "Fail:",
			   c->title, c->detail);
		if (c->advice)
			buf_printf(out, "           %s\n", c->advice);
	}
	if (!x->marked)
		return 0;
	struct scan_marks mk;
	if (marks(a, x, &mk) != 0)
		return -1;
	buf_puts(out, "\nThe resume, [matched] terms marked:\n");
	marked_text(out, &mk.resume, &mk);
	buf_puts(out, "\nThe posting, [matched] and {missing} terms marked:\n");
	marked_text(out, &mk.job, &mk);
	return 0;
}
