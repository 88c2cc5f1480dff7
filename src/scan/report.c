/* scan/report — see report.h. Numbers are written with fixed decimals so
 * the output is the same on every run and machine. */
#include "scan/report.h"

#include "base/json_out.h"
#include "scan/education.h"

static void num(struct buf *b, double v)
{
	buf_printf(b, "%.1f", v);
}

void report_breakdown_json(struct buf *b, const struct scan_result *res)
{
	buf_putc(b, '[');
	for (int p = 0; p < SC_PARTS; p++) {
		const struct score_component *c = &res->parts[p];
		if (p)
			buf_putc(b, ',');
		buf_puts(b, "{\"name\":");
		json_out_string(b, c->name);
		JSON_OUT_KEY(b, "scored");
		json_out_bool(b, c->present);
		JSON_OUT_KEY(b, "weight");
		num(b, c->weight);
		JSON_OUT_KEY(b, "max_points");
		num(b, c->max_points);
		JSON_OUT_KEY(b, "points");
		num(b, c->points);
		JSON_OUT_KEY(b, "lost");
		num(b, c->lost);
		JSON_OUT_KEY(b, "ratio");
		buf_printf(b, "%.3f", c->ratio);
		JSON_OUT_KEY(b, "detail");
		json_out_string(b, c->detail);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
}

void report_resume_json(struct buf *b, const struct scan_matcher *m, const struct resume_info *r)
{
	const struct taxonomy *tax = m->tax;
	buf_puts(b, "{\"titles\":[");
	for (size_t i = 0; i < r->n_titles; i++) {
		if (i)
			buf_putc(b, ',');
		buf_puts(b, "{\"title\":");
		json_out_string(b, r->titles[i].text);
		JSON_OUT_KEY(b, "occupation");
		json_out_string(b, tax->titles[r->titles[i].occupation].id);
		JSON_OUT_KEY(b, "seniority");
		json_out_string(b, r->titles[i].level ? seniority_name(r->titles[i].level) : NULL);
		JSON_OUT_KEY(b, "line");
		json_out_int(b, r->titles[i].line + 1);
		buf_putc(b, '}');
	}
	buf_puts(b, "],\"sections\":[");
	for (size_t i = 0; i < r->n_sections; i++) {
		if (i)
			buf_putc(b, ',');
		buf_puts(b, "{\"kind\":");
		json_out_string(b, resume_section_name(r->sections[i].kind));
		JSON_OUT_KEY(b, "line");
		json_out_int(b, r->sections[i].line_from + 1);
		buf_putc(b, '}');
	}
	buf_puts(b, "],\"date_ranges\":[");
	for (size_t i = 0; i < r->n_dates; i++) {
		const struct date_range *d = &r->dates[i];
		if (i)
			buf_putc(b, ',');
		buf_printf(b, "{\"from\":\"%04d-%02d\",\"to\":", d->from / 12, d->from % 12 + 1);
		if (d->present)
			buf_puts(b, "\"present\"");
		else
			buf_printf(b, "\"%04d-%02d\"", (d->to - 1) / 12, (d->to - 1) % 12 + 1);
		buf_printf(b, ",\"months\":%d,\"line\":%u}", d->to - d->from, d->line + 1);
	}
	buf_puts(b, "],\"years_of_experience\":");
	num(b, r->months / 12.0);
	JSON_OUT_KEY(b, "education");
	json_out_string(b, r->edu_level ? edu_level_name(r->edu_level) : NULL);
	JSON_OUT_KEY(b, "bullets");
	json_out_int(b, r->bullets);
	JSON_OUT_KEY(b, "measurable_results");
	json_out_int(b, r->measurable);
	JSON_OUT_KEY(b, "words");
	json_out_int(b, r->words);
	JSON_OUT_KEY(b, "contact");
	buf_puts(b, "{\"email\":");
	json_out_bool(b, r->has_email);
	JSON_OUT_KEY(b, "phone");
	json_out_bool(b, r->has_phone);
	JSON_OUT_KEY(b, "linkedin");
	json_out_bool(b, r->has_linkedin);
	buf_puts(b, "}}");
}

void report_json(struct buf *b, const struct scan_matcher *m, const struct jd_terms *jd, const struct resume_info *r,
		 const struct scan_result *res)
{
	const struct taxonomy *tax = m->tax;
	buf_puts(b, "{\"score\":");
	num(b, res->score);
	JSON_OUT_KEY(b, "breakdown");
	report_breakdown_json(b, res);
	for (int matched = 1; matched >= 0; matched--) {
		buf_puts(b, matched ? ",\"matched\":[" : ",\"missing\":[");
		int first = 1;
		for (size_t i = 0; i < res->n_terms; i++) {
			const struct score_term *t = &res->terms[i];
			if (t->matched != matched)
				continue;
			if (!first)
				buf_putc(b, ',');
			first = 0;
			buf_puts(b, "{\"term\":");
			json_out_string(b, t->name);
			JSON_OUT_KEY(b, "type");
			json_out_string(b, t->type);
			if (t->category) {
				JSON_OUT_KEY(b, "category");
				json_out_string(b, t->category);
			}
			JSON_OUT_KEY(b, "need");
			json_out_string(b, need_name(t->need));
			JSON_OUT_KEY(b, "posting_count");
			json_out_int(b, t->jd_count);
			JSON_OUT_KEY(b, "resume_count");
			json_out_int(b, t->resume_count);
			JSON_OUT_KEY(b, "weight");
			buf_printf(b, "%.2f", t->weight);
			if (t->via) {
				JSON_OUT_KEY(b, "alternative_matched");
				json_out_string(b, t->via);
			}
			buf_putc(b, '}');
		}
		buf_putc(b, ']');
	}
	JSON_OUT_KEY(b, "suggestions");
	buf_putc(b, '[');
	for (size_t i = 0; i < res->n_suggestions; i++) {
		if (i)
			buf_putc(b, ',');
		json_out_string(b, res->suggestions[i]);
	}
	buf_putc(b, ']');
	JSON_OUT_KEY(b, "posting");
	buf_puts(b, "{\"title\":");
	json_out_string(b, jd->title);
	JSON_OUT_KEY(b, "occupation");
	json_out_string(b, jd->occupation >= 0 ? tax->titles[jd->occupation].id : NULL);
	JSON_OUT_KEY(b, "seniority");
	json_out_string(b, jd->level ? seniority_name(jd->level) : NULL);
	JSON_OUT_KEY(b, "education_asked");
	json_out_string(b, jd->edu_level ? edu_level_name(jd->edu_level) : NULL);
	JSON_OUT_KEY(b, "years_asked");
	json_out_int_or_null(b, jd->years, jd->years == 0);
	JSON_OUT_KEY(b, "sections_recognised");
	json_out_bool(b, jd->has_sections);
	buf_puts(b, "},\"resume\":");
	report_resume_json(b, m, r);
	buf_puts(b, ",\"taxonomy\":");
	json_out_string(b, tax->origin);
	JSON_OUT_KEY(b, "taxonomy_version");
	json_out_string(b, m->version);
	buf_puts(b, "}\n");
}

void report_text(struct buf *b, const struct scan_matcher *m, const struct jd_terms *jd, const struct resume_info *r,
		 const struct scan_result *res)
{
	const struct taxonomy *tax = m->tax;
	buf_printf(b, "Match score: %.1f / 100\n", res->score);
	buf_printf(b, "Posting: %s%s%s%s\n", jd->title[0] ? jd->title : "(no title)", jd->occupation >= 0 ? " [" : "",
		   jd->occupation >= 0 ? tax->titles[jd->occupation].title : "", jd->occupation >= 0 ? "]" : "");
	buf_printf(b, "Resume: %s%s, %.1f years of experience, education: %s\n\n",
		   r->n_titles ? r->titles[0].text : "(no title recognised)", r->n_titles ? "" : "", r->months / 12.0,
		   edu_level_name(r->edu_level));
	buf_puts(b, "Breakdown                 weight   points    lost\n");
	for (int p = 0; p < SC_PARTS; p++) {
		const struct score_component *c = &res->parts[p];
		if (!c->present) {
			buf_printf(b, "  %-22s   —        —        —    %s\n", c->name, c->detail ? c->detail : "");
			continue;
		}
		buf_printf(b, "  %-22s %5.1f%%  %6.1f  %6.1f    %s\n", c->name, c->max_points, c->points, c->lost,
			   c->detail ? c->detail : "");
	}
	for (int matched = 1; matched >= 0; matched--) {
		buf_puts(b, matched ? "\nMatched (posting × / resume ×):\n" : "\nMissing (posting ×):\n");
		int any = 0;
		for (size_t i = 0; i < res->n_terms; i++) {
			const struct score_term *t = &res->terms[i];
			if (t->matched != matched)
				continue;
			any = 1;
			if (matched && t->via)
				buf_printf(b, "  %-30s %-13s %-11s %2u / 0 (alternative: %s)\n", t->name, t->type,
					   need_name(t->need), t->jd_count, t->via);
			else if (matched)
				buf_printf(b, "  %-30s %-13s %-11s %2u / %u\n", t->name, t->type, need_name(t->need),
					   t->jd_count, t->resume_count);
			else
				buf_printf(b, "  %-30s %-13s %-11s %2u\n", t->name, t->type, need_name(t->need),
					   t->jd_count);
		}
		if (!any)
			buf_puts(b, "  (none)\n");
	}
	if (res->n_suggestions) {
		buf_puts(b, "\nSuggestions:\n");
		for (size_t i = 0; i < res->n_suggestions; i++)
			buf_printf(b, "  - %s\n", res->suggestions[i]);
	}
}
