/* scan/score — see score.h for the design. */
#include "scan/score.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "scan/education.h"
#include "scan/scan_metrics.h"

static const char *const part_names[SC_PARTS] = { "hard_skills", "soft_skills", "keywords",
						  "job_title",   "education",   "experience" };
static const double part_weights[SC_PARTS] = { 35, 10, 15, 25, 7.5, 7.5 };

const char *score_part_name(enum score_part p)
{
	return (unsigned)p < SC_PARTS ? part_names[p] : "?";
}

static double need_factor(enum need n)
{
	switch (n) {
	case NEED_REQUIRED:
		return 1.0;
	case NEED_PREFERRED:
		return 0.5;
	case NEED_OTHER:
		return 0.25;
	default:
		return 0.75;
	}
}

static double mention_factor(uint32_t count)
{
	uint32_t extra = count > 5 ? 4 : count - 1;
	return 1.0 + 0.25 * extra;
}

static double skill_weight(const struct jd_skill *js)
{
	return need_factor(js->need) * mention_factor(js->count) * (js->in_title ? 1.5 : 1.0);
}

static int is_soft(const struct tax_skill *s)
{
	return s->type == SKILL_SOFT;
}

/* Cosine between the posting's skill fields (weighted) and the resume's
 * (counts, each skill at most 3). */
static double category_overlap(const struct scan_matcher *m, const struct jd_terms *jd, const struct resume_info *r,
			       double *jv, double *rv)
{
	size_t nc = m->tax->n_categories;
	memset(jv, 0, nc * sizeof(*jv));
	memset(rv, 0, nc * sizeof(*rv));
	for (size_t i = 0; i < jd->n_skills; i++) {
		const struct tax_skill *s = &m->tax->skills[jd->skills[i].skill];
		if (!is_soft(s))
			jv[s->category] += need_factor(jd->skills[i].need) * mention_factor(jd->skills[i].count);
	}
	if (jd->occupation >= 0)
		jv[m->tax->titles[jd->occupation].category] += 3;
	for (size_t i = 0; i < r->doc.n_skills; i++) {
		const struct tax_skill *s = &m->tax->skills[r->doc.skills[i].value];
		if (!is_soft(s) && r->skill_count[r->doc.skills[i].value] > 0)
			rv[s->category] += 1.0 / (r->skill_count[r->doc.skills[i].value] > 3
						      ? r->skill_count[r->doc.skills[i].value] / 3.0
						      : 1.0);
	}
	for (size_t i = 0; i < r->n_titles && i < 3; i++)
		rv[m->tax->titles[r->titles[i].occupation].category] += 3;
	double dot = 0, nj = 0, nr = 0;
	for (size_t c = 0; c < nc; c++) {
		dot += jv[c] * rv[c];
		nj += jv[c] * jv[c];
		nr += rv[c] * rv[c];
	}
	return nj > 0 && nr > 0 ? dot / sqrt(nj * nr) : 0;
}

/* Shared content words between two titles (lower-cased bytes), as Jaccard. */
static double title_words(const struct scan_tokens *a, size_t af, size_t at, const struct scan_tokens *b, size_t bf,
			  size_t bt)
{
	size_t inter = 0, na = 0, nb = 0;
	for (size_t i = af; i < at; i++)
		if (a->v[i].len >= 2)
			na++;
	for (size_t j = bf; j < bt; j++)
		if (b->v[j].len >= 2)
			nb++;
	for (size_t i = af; i < at; i++) {
		if (a->v[i].len < 2)
			continue;
		for (size_t j = bf; j < bt; j++)
			if (b->v[j].hash == a->v[i].hash) {
				inter++;
				break;
			}
	}
	size_t uni = na + nb - inter;
	return uni ? (double)inter / (double)uni : 0;
}

static int score(struct arena *a, const struct scan_matcher *m, const struct jd_terms *jd, const struct resume_info *r,
		 int detail, struct scan_result *out)
{
	memset(out, 0, sizeof(*out));
	out->jd_occupation = jd->occupation;
	out->resume_occupation = r->n_titles ? r->titles[0].occupation : -1;
	const struct taxonomy *tax = m->tax;
	double got[SC_PARTS] = { 0 }, total[SC_PARTS] = { 0 };
	size_t nterms = 0;
	if (detail) {
		out->terms = arena_alloc(a, (jd->n_skills + jd->n_keywords + 1) * sizeof(*out->terms));
		if (!out->terms)
			return -1;
	}
	for (size_t i = 0; i < jd->n_skills; i++) {
		const struct jd_skill *js = &jd->skills[i];
		const struct tax_skill *s = &tax->skills[js->skill];
		enum score_part p = is_soft(s) ? SC_SOFT : SC_HARD;
		double w = skill_weight(js);
		uint32_t rc = r->skill_count[js->skill];
		const char *via = NULL;
		if (js->group) {
			/* A group counts once, at its first member: its heaviest
			 * weight, won by its heaviest member the resume has. */
			size_t first = i;
			for (size_t k = 0; k < i && first == i; k++)
				if (jd->skills[k].group == js->group)
					first = k;
			double gw = 0, gmatched = 0;
			for (size_t k = 0; k < jd->n_skills; k++) {
				const struct jd_skill *o = &jd->skills[k];
				if (o->group != js->group)
					continue;
				double ow = skill_weight(o);
				if (ow > gw)
					gw = ow;
				if (r->skill_count[o->skill] && ow > gmatched) {
					gmatched = ow;
					if (!rc)
						via = tax->skills[o->skill].name;
				}
			}
			if (first == i) {
				total[p] += gw;
				got[p] += gmatched;
			}
		} else {
			total[p] += w;
			if (rc)
				got[p] += w;
		}
		if (detail)
			out->terms[nterms++] = (struct score_term){ .kind = TERM_SKILL,
								    .name = s->name,
								    .type = skill_type_name(s->type),
								    .category = tax->categories[s->category].id,
								    .need = js->need,
								    .jd_count = js->count,
								    .resume_count = rc,
								    .weight = w,
								    .matched = rc > 0 || via,
								    .via = via };
	}
	for (size_t i = 0; i < jd->n_keywords; i++) {
		const struct jd_keyword *k = &jd->keywords[i];
		double w = need_factor(k->need) * k->weight;
		uint32_t rc = resume_gram_count(r, k->key);
		total[SC_KEYWORDS] += w;
		if (rc)
			got[SC_KEYWORDS] += w;
		if (detail)
			out->terms[nterms++] = (struct score_term){ .kind = TERM_KEYWORD,
								    .name = k->text,
								    .type = "keyword",
								    .category = NULL,
								    .need = k->need,
								    .jd_count = k->count,
								    .resume_count = rc,
								    .weight = w,
								    .matched = rc > 0 };
	}
	out->n_terms = nterms;

	/* Job title: occupation, field, or words; blended with the fields of the skills. */
	size_t nc = tax->n_categories ? tax->n_categories : 1;
	double *jv = arena_alloc_raw(a, nc * sizeof(double)), *rv = arena_alloc_raw(a, nc * sizeof(double));
	if (!jv || !rv)
		return -1;
	double cat = tax->n_categories ? category_overlap(m, jd, r, jv, rv) : 0;
	out->category_overlap = cat;
	double occ = 0;
	const char *how = "no job title recognised in the posting";
	if (jd->occupation >= 0) {
		how = "no title of the posting's occupation or field in the resume";
		uint32_t jcat = tax->titles[jd->occupation].category;
		for (size_t i = 0; i < r->n_titles; i++) {
			const struct resume_title *rt = &r->titles[i];
			/* The resume's first titles (its headline, its latest job) count
			 * most; earlier careers less. */
			double recency = i == 0 || rt->occupation == r->titles[0].occupation ? 1.0
					 : i == 1                                            ? 0.75
											     : 0.5;
			if (rt->occupation == jd->occupation && occ < recency) {
				occ = recency;
				how = "the resume holds a title of the posting's occupation";
			} else if (tax->titles[rt->occupation].category == jcat && occ < 0.5 * recency) {
				occ = 0.5 * recency;
				how = "the resume holds a title in the posting's field, not its occupation";
			}
		}
	}
	if (occ == 0 && jd->title_doc.toks.n) {
		/* Titles outside the taxonomy: shared words with the resume's title lines. */
		double best = 0;
		for (size_t i = 0; i < r->n_titles; i++) {
			uint32_t l = r->titles[i].line;
			size_t f = 0, e = 0;
			for (size_t k = 0; k < r->doc.toks.n; k++)
				if (r->doc.toks.v[k].line == l) {
					if (!e)
						f = k;
					e = k + 1;
				}
			double j = title_words(&jd->title_doc.toks, 0, jd->title_doc.toks.n, &r->doc.toks, f, e);
			if (j > best)
				best = j;
		}
		if (best > 0) {
			occ = 0.5 * best;
			how = "the resume's titles share words with the posting's title";
		}
	}
	int title_present = jd->title_doc.toks.n > 0 || jd->n_skills > 0;
	if (title_present) {
		got[SC_TITLE] = 0.75 * occ + 0.25 * cat;
		total[SC_TITLE] = 1;
	}

	/* Education, only when asked. */
	if (jd->edu_level) {
		total[SC_EDUCATION] = 1;
		got[SC_EDUCATION] = r->edu_level >= jd->edu_level ? 1 : r->edu_level == jd->edu_level - 1 ? 0.5 : 0;
	}
	/* Experience, only when asked. */
	if (jd->years) {
		total[SC_EXPERIENCE] = 1;
		double years = r->months / 12.0;
		got[SC_EXPERIENCE] = years >= jd->years ? 1 : years / jd->years;
	}

	/* A list judged on very few terms weighs less (one skill named in
	 * passing must not decide the score): full weight from EVIDENCE_FULL
	 * terms on. */
	size_t terms[SC_PARTS] = { 0 };
	for (size_t i = 0; i < jd->n_skills; i++)
		terms[is_soft(&tax->skills[jd->skills[i].skill]) ? SC_SOFT : SC_HARD]++;
	terms[SC_KEYWORDS] = jd->n_keywords;
	static const double evidence_full[SC_PARTS] = { 4, 2, 6, 0, 0, 0 };
	double weight[SC_PARTS], wsum = 0;
	for (int p = 0; p < SC_PARTS; p++) {
		out->parts[p].name = part_names[p];
		out->parts[p].weight = part_weights[p];
		out->parts[p].present = total[p] > 0;
		weight[p] = part_weights[p];
		if (evidence_full[p] > 0 && terms[p] < evidence_full[p])
			weight[p] *= (double)terms[p] / evidence_full[p];
		if (out->parts[p].present)
			wsum += weight[p];
	}
	/* The breakdown is shown in tenths and must add up as shown: each
	 * part's weight in tenths (largest remainders, so they sum to 100.0),
	 * its points rounded from that, the lost points the rest, the score
	 * the sum of the points. */
	long tenths[SC_PARTS] = { 0 }, given = 0;
	double rest[SC_PARTS] = { 0 };
	for (int p = 0; p < SC_PARTS; p++) {
		if (!out->parts[p].present)
			continue;
		double exact = weight[p] * 1000.0 / wsum;
		tenths[p] = (long)floor(exact);
		rest[p] = exact - (double)tenths[p];
		given += tenths[p];
	}
	for (; given < 1000; given++) {
		int best = -1;
		for (int p = 0; p < SC_PARTS; p++)
			if (out->parts[p].present && (best < 0 || rest[p] > rest[best]))
				best = p;
		if (best < 0)
			break;
		tenths[best]++;
		rest[best] = -1;
	}
	long score = 0;
	for (int p = 0; p < SC_PARTS; p++) {
		struct score_component *c = &out->parts[p];
		if (!c->present)
			continue;
		c->ratio = got[p] / total[p];
		if (c->ratio > 1)
			c->ratio = 1;
		long won = lround((double)tenths[p] * c->ratio);
		c->max_points = (double)tenths[p] / 10;
		c->points = (double)won / 10;
		c->lost = (double)(tenths[p] - won) / 10;
		score += won;
	}
	out->score = (double)score / 10;
	if (!detail)
		return 0;

	/* Details and suggestions. */
	size_t matched[SC_PARTS] = { 0 }, all[SC_PARTS] = { 0 };
	for (size_t i = 0; i < nterms; i++) {
		const struct score_term *t = &out->terms[i];
		int p = t->kind == TERM_KEYWORD ? SC_KEYWORDS : strcmp(t->type, "soft") == 0 ? SC_SOFT : SC_HARD;
		all[p]++;
		matched[p] += (size_t)t->matched;
	}
	for (int p = SC_HARD; p <= SC_KEYWORDS; p++)
		out->parts[p].detail = out->parts[p].present
					   ? arena_printf(a, "%zu of %zu %s found in the resume", matched[p], all[p],
							  p == SC_KEYWORDS ? "keywords"
							  : p == SC_SOFT   ? "soft skills"
									   : "hard skills")
					   : arena_printf(a, "the posting names no %s: not scored",
							  p == SC_KEYWORDS ? "distinctive keywords"
							  : p == SC_SOFT   ? "soft skills"
									   : "hard skills");
	out->parts[SC_TITLE].detail = arena_printf(
	    a, "%s%s%s%s; skill fields overlap %.0f%%", how, jd->occupation >= 0 ? " (posting: " : "",
	    jd->occupation >= 0 ? tax->titles[jd->occupation].title : "", jd->occupation >= 0 ? ")" : "", cat * 100);
	out->parts[SC_EDUCATION].detail =
	    jd->edu_level ? arena_printf(a, "posting asks for %s, resume shows %s", edu_level_name(jd->edu_level),
					 edu_level_name(r->edu_level))
	    : jd->edu_preferred
		? arena_printf(a, "%s degree only preferred: not scored", edu_level_name(jd->edu_preferred))
		: "the posting asks for no degree: not scored";
	out->parts[SC_EXPERIENCE].detail =
	    jd->years ? arena_printf(a, "posting asks for %d years, resume shows %.1f", jd->years, r->months / 12.0)
		      : "the posting asks for no number of years: not scored";

	size_t cap = 12, ns = 0;
	out->suggestions = arena_alloc(a, cap * sizeof(*out->suggestions));
	if (!out->suggestions)
		return -1;
	/* Missing terms, heaviest first (stable: posting order among equals). */
	for (int round = 0; round < 2 && ns < 8; round++) {
		for (;;) {
			const struct score_term *best = NULL;
			for (size_t i = 0; i < nterms; i++) {
				const struct score_term *t = &out->terms[i];
				if (t->matched || t->need == NEED_OTHER || (round == 0) != (t->kind == TERM_SKILL))
					continue;
				int done = 0;
				for (size_t k = 0; k < ns && !done; k++)
					done = strstr(out->suggestions[k], t->name) != NULL;
				if (!done && (!best || t->weight > best->weight))
					best = t;
			}
			if (!best || ns >= (round == 0 ? 6 : 8))
				break;
			/* Where the term belongs in a resume, and only if it is true. */
			const char *where =
			    best->kind == TERM_KEYWORD        ? " where it is true of your work"
			    : strcmp(best->type, "soft") == 0 ? " to an achievement that shows it, if you have it"
			    : strcmp(best->type, "certification") == 0 ? " to your certifications if you hold it"
								       : " to your skills section if you have it";
			out->suggestions[ns++] =
			    arena_printf(a, "add '%s'%s — the posting mentions it %u time%s%s", best->name, where,
					 best->jd_count, best->jd_count == 1 ? "" : "s",
					 best->need == NEED_REQUIRED    ? " (required)"
					 : best->need == NEED_PREFERRED ? " (preferred)"
									: "");
		}
	}
	if (out->parts[SC_TITLE].present && occ < 1 && jd->title[0])
		out->suggestions[ns++] =
		    r->n_titles ? arena_printf(a,
					       "your job title '%s' differs from the posting's '%s': use the posting's "
					       "title in your headline or summary if it fits you",
					       r->titles[0].text, jd->title)
				: arena_printf(a,
					       "no job title was recognised in your resume: put the posting's '%s' in "
					       "your headline if it fits you",
					       jd->title);
	if (jd->years && r->months / 12.0 < jd->years)
		out->suggestions[ns++] = arena_printf(
		    a,
		    "the posting asks for %d+ years of experience; your resume shows %.1f: give dates (Mon "
		    "YYYY – Mon YYYY) for every role so all of it counts",
		    jd->years, r->months / 12.0);
	if (jd->edu_level && r->edu_level < jd->edu_level && ns < cap)
		out->suggestions[ns++] =
		    arena_printf(a, "the posting asks for a %s degree: list yours under an Education heading",
				 edu_level_name(jd->edu_level));
	if (r->bullets >= 3 && r->measurable * 3 < r->bullets && ns < cap)
		out->suggestions[ns++] =
		    arena_printf(a, "only %u of %u bullets show a measurable result: add numbers (%%, $, counts)",
				 r->measurable, r->bullets);
	out->n_suggestions = ns;
	return 0;
}

int scan_score(struct arena *a, const struct scan_matcher *m, const struct jd_terms *jd, const struct resume_info *r,
	       int detail, struct scan_result *out)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = score(a, m, jd, r, detail, out);
	scan_metrics_observe(SCAN_STAGE_SCORE, &t0);
	return rc;
}
