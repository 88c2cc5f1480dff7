/* scan/best_report — see best_report.h. */
#include "scan/best_report.h"

#include "base/json_out.h"
#include "scan/report.h"

static void skills_json(struct buf *b, const struct scan_result *res, int matched)
{
	const char *names[BEST_SKILLS_SHOWN];
	size_t n = scan_match_skills(res, matched, names, BEST_SKILLS_SHOWN);
	buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		json_out_string(b, names[i]);
	}
	buf_putc(b, ']');
}

void best_report_json(struct buf *b, const struct best_result *r)
{
	const struct taxonomy *tax = r->ranker->m->tax;
	buf_puts(b, "{\"items\":[");
	for (size_t i = 0; i < r->n; i++) {
		const struct scan_match *m = &r->matches[i];
		const struct store_posting *p = &r->postings[i];
		if (i)
			buf_putc(b, ',');
		buf_printf(b, "{\"posting_id\":%lld,\"score\":%.1f", (long long)m->posting_id, m->score);
		JSON_OUT_KEY(b, "title");
		json_out_string(b, p->title ? p->title : m->jd.title);
		JSON_OUT_KEY(b, "company");
		json_out_string(b, p->company);
		JSON_OUT_KEY(b, "location");
		json_out_string(b, p->location_raw);
		JSON_OUT_KEY(b, "url");
		json_out_string(b, p->url);
		JSON_OUT_KEY(b, "date_posted");
		json_out_string(b, p->date_posted);
		JSON_OUT_KEY(b, "occupation");
		json_out_string(b, m->jd.occupation >= 0 ? tax->titles[m->jd.occupation].id : NULL);
		JSON_OUT_KEY(b, "breakdown");
		report_breakdown_json(b, &m->res);
		JSON_OUT_KEY(b, "matched_skills");
		skills_json(b, &m->res, 1);
		JSON_OUT_KEY(b, "missing_skills");
		skills_json(b, &m->res, 0);
		buf_putc(b, '}');
	}
	buf_printf(b, "],\"candidates\":%llu,\"ranked\":%zu,\"cached_now\":%zu,\"took_ms\":%.1f}\n",
		   (unsigned long long)r->candidates, r->stats.scored, r->stats.filled,
		   r->stats.fill_ms + r->stats.rank_ms);
}

static void skills_text(struct buf *b, const char *label, const struct scan_result *res, int matched)
{
	const char *names[BEST_SKILLS_SHOWN];
	size_t n = scan_match_skills(res, matched, names, BEST_SKILLS_SHOWN);
	if (!n)
		return;
	buf_printf(b, "      %s: ", label);
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%s", i ? ", " : "", names[i]);
	buf_putc(b, '\n');
}

void best_report_text(struct buf *b, const struct best_result *r)
{
	if (r->n == 0)
		buf_printf(b, "No open posting to rank (%llu passed the filters).\n",
			   (unsigned long long)r->candidates);
	for (size_t i = 0; i < r->n; i++) {
		const struct scan_match *m = &r->matches[i];
		const struct store_posting *p = &r->postings[i];
		const char *title = p->title ? p->title : m->jd.title[0] ? m->jd.title : "(no title)";
		buf_printf(b, "%3zu. %5.1f  %s", i + 1, m->score, title);
		if (p->company)
			buf_printf(b, " — %s", p->company);
		if (p->location_raw)
			buf_printf(b, " (%s)", p->location_raw);
		buf_printf(b, "  [posting %lld]\n", (long long)m->posting_id);
		skills_text(b, "matched", &m->res, 1);
		skills_text(b, "missing", &m->res, 0);
	}
	buf_printf(b, "\nRanked %zu open postings in %.0f ms", r->stats.scored, r->stats.fill_ms + r->stats.rank_ms);
	if (r->stats.filled)
		buf_printf(b, " (%zu read and cached first)", r->stats.filled);
	buf_puts(b, ".\n");
}
