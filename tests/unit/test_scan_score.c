/* Unit tests for posting term extraction and the score (src/scan/jd,
 * score, tfidf, report): required/preferred sections and clauses,
 * alternatives, degree and years asked, keywords; each sub-score and its
 * weight; components dropped when the posting gives nothing to judge;
 * suggestions (where to add a term, years, title); determinism; and a resume ranking its own occupation first
 * across professions. argv[1]: the test taxonomy. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "scan/education.h"
#include "scan/idf.h"
#include "scan/jd.h"
#include "scan/report.h"
#include "scan/resume.h"
#include "scan/score.h"
#include "scan/tfidf.h"
#include "scan_fixture.h"

#define NOW (2026 * 12 + 11)

static struct idf_table idf; /* empty: the built-in default */

static const struct jd_skill *jd_skill(const struct jd_terms *jd, const char *id)
{
	uint32_t sk = fx_skill(id);
	for (size_t i = 0; i < jd->n_skills; i++)
		if (jd->skills[i].skill == sk)
			return &jd->skills[i];
	return NULL;
}

static const char posting[] = "Senior Backend Engineer\n"
			      "\n"
			      "About the role\n"
			      "You will build our payments platform in Go. Payments matter.\n"
			      "\n"
			      "Requirements:\n"
			      "- 5+ years of professional experience building payment systems\n"
			      "- Go and PostgreSQL; Terraform for infrastructure, Terraform everywhere\n"
			      "- A scripting language such as Python, Ruby or PHP\n"
			      "- Bachelor's degree in Computer Science (Master's preferred)\n"
			      "- Strong communication\n"
			      "- Kafka is a plus\n"
			      "\n"
			      "Nice to have\n"
			      "- Rust\n"
			      "- Experience with payment systems at scale\n"
			      "\n"
			      "Benefits\n"
			      "- Dental plans, dental plans, dental plans and Excel training\n";

static void test_jd_terms(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct jd_terms jd;
	assert_int_equal(jd_extract(&a, &fixture_m, &idf, NULL, posting, strlen(posting), &jd), 0);
	assert_string_equal(jd.title, "Senior Backend Engineer");
	assert_int_equal(jd.occupation, fx_occupation("software_engineer"));
	assert_int_equal(jd.level, SEN_SENIOR);
	assert_true(jd.has_sections);
	const struct jd_skill *s;
	assert_non_null(s = jd_skill(&jd, "go"));
	assert_int_equal(s->count, 2);
	assert_int_equal(s->need, NEED_REQUIRED); /* required beats the plain mention */
	assert_non_null(s = jd_skill(&jd, "terraform"));
	assert_int_equal(s->count, 2);
	assert_non_null(s = jd_skill(&jd, "rust"));
	assert_int_equal(s->need, NEED_PREFERRED);
	assert_non_null(s = jd_skill(&jd, "communication"));
	assert_int_equal(s->need, NEED_REQUIRED);
	/* alternatives share a group; other skills have none */
	const struct jd_skill *py = jd_skill(&jd, "python"), *rb = jd_skill(&jd, "ruby"), *php = jd_skill(&jd, "php");
	assert_non_null(py);
	assert_non_null(rb);
	assert_non_null(php);
	assert_int_not_equal(py->group, 0);
	assert_int_equal(py->group, rb->group);
	assert_int_equal(py->group, php->group);
	assert_int_equal(jd_skill(&jd, "go")->group, 0);
	/* skills in the benefits section are kept apart */
	assert_non_null(s = jd_skill(&jd, "excel"));
	assert_int_equal(s->need, NEED_OTHER);
	/* degree: bachelor asked (the master is only preferred); years: 5 */
	assert_int_equal(jd.edu_level, EDU_BACHELOR);
	assert_int_equal(jd.years, 5);
	/* keywords: repeated words and phrases, not from benefits or the title */
	int payment = 0;
	for (size_t i = 0; i < jd.n_keywords; i++) {
		assert_null(strstr(jd.keywords[i].text, "dental"));
		assert_null(strstr(jd.keywords[i].text, "senior"));
		payment |= strstr(jd.keywords[i].text, "payment") != NULL;
	}
	assert_true(payment);
	arena_free(&a);
}

/* A nice-to-have sentence on the same line as the years asked does not
 * make the years preferred: the need is the sentence's, not the line's. */
static void test_jd_years_beside_a_plus(void **state)
{
	(void)state;
	/* A sentence that itself calls the years a plus still does. */
	static const struct {
		const char *text;
		int years;
	} cases[] = { { "Engineer. 5+ years experience. Go is a plus.", 5 },
		      { "Engineer. 5+ years experience.", 5 },
		      { "Engineer.\n5+ years experience.\nGo is a plus.", 5 },
		      { "Engineer. Go required. 5+ years experience is a plus.", 0 },
		      { "Engineer. 5+ years experience (preferred). Go required.", 0 } };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena a;
		arena_init(&a, 0);
		struct jd_terms jd;
		assert_int_equal(jd_extract(&a, &fixture_m, &idf, NULL, cases[i].text, strlen(cases[i].text), &jd), 0);
		assert_int_equal(jd.years, cases[i].years);
		arena_free(&a);
	}
}

/* Pasted text often opens with a header, a company and a place: the
 * title is the first opening line that names an occupation. */
static void test_jd_title_search(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct jd_terms jd;
	const char *text =
	    "About the job\nAcme GmbH\nBerlin, Germany\nSenior Staff Accountant\n\nRequirements\n- GAAP\n";
	assert_int_equal(jd_extract(&a, &fixture_m, &idf, NULL, text, strlen(text), &jd), 0);
	assert_string_equal(jd.title, "Senior Staff Accountant");
	assert_int_equal(jd.occupation, fx_occupation("accountant"));
	/* none names one: the first short line stays the title */
	const char *other = "Chef de partie\nWe cook.\n";
	assert_int_equal(jd_extract(&a, &fixture_m, &idf, NULL, other, strlen(other), &jd), 0);
	assert_string_equal(jd.title, "Chef de partie");
	assert_int_equal(jd.occupation, -1);
	/* a title given (JSON-LD) wins */
	assert_int_equal(jd_extract(&a, &fixture_m, &idf, "ICU Nurse", text, strlen(text), &jd), 0);
	assert_int_equal(jd.occupation, fx_occupation("registered_nurse"));
	arena_free(&a);
}

static void score_of(struct arena *a, const char *resume, const char *jd_text, struct jd_terms *jd,
		     struct resume_info *r, struct scan_result *res)
{
	assert_int_equal(resume_analyse(a, &fixture_m, resume, strlen(resume), NOW, r), 0);
	assert_int_equal(jd_extract(a, &fixture_m, &idf, NULL, jd_text, strlen(jd_text), jd), 0);
	assert_int_equal(scan_score(a, &fixture_m, jd, r, 1, res), 0);
}

static double points_sum(const struct scan_result *res)
{
	double sum = 0, max = 0;
	for (int p = 0; p < SC_PARTS; p++)
		if (res->parts[p].present) {
			sum += res->parts[p].points;
			max += res->parts[p].max_points;
			assert_true(fabs(res->parts[p].points + res->parts[p].lost - res->parts[p].max_points) < 1e-9);
		}
	assert_true(fabs(max - 100) < 1e-9);
	return sum;
}

static void test_subscores(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct jd_terms jd;
	struct resume_info r;
	struct scan_result res;
	const char *jd_text = "Software Engineer\nRequirements\n- Java, SQL, Docker and Kubernetes\n"
			      "- Communication and teamwork\n- 4+ years of experience\n- Bachelor's degree\n";
	/* Everything: 100. */
	score_of(&a,
		 "Software Engineer\nExperience\nSoftware Engineer, X — 2018 - 2024\n"
		 "Java SQL Docker Kubernetes communication teamwork\nEducation\nBachelor of Science\n",
		 jd_text, &jd, &r, &res);
	for (int p = 0; p < SC_PARTS; p++)
		if (p != SC_KEYWORDS)
			assert_true(res.parts[p].present);
	assert_true(res.parts[SC_HARD].ratio == 1 && res.parts[SC_SOFT].ratio == 1);
	assert_true(res.parts[SC_EDUCATION].ratio == 1 && res.parts[SC_EXPERIENCE].ratio == 1);
	assert_true(res.parts[SC_TITLE].ratio >= 0.9); /* same occupation; fields overlap nearly */
	assert_true(fabs(points_sum(&res) - res.score) < 0.051);
	/* Half the hard skills, no soft ones, 3 of 4 years, an associate degree. */
	score_of(&a,
		 "Software Engineer\nExperience\nSoftware Engineer, X — 2021 - 2024\nJava SQL\n"
		 "Education\nAssociate degree\n",
		 jd_text, &jd, &r, &res);
	assert_true(fabs(res.parts[SC_HARD].ratio - 0.5) < 1e-9);
	assert_true(res.parts[SC_SOFT].ratio == 0);
	assert_true(fabs(res.parts[SC_EXPERIENCE].ratio - 0.75) < 1e-9);
	assert_true(fabs(res.parts[SC_EDUCATION].ratio - 0.5) < 1e-9); /* one level below */
	/* A bachelor one level below a master asked: half. */
	score_of(&a, "Bachelor of Arts\n", "Teacher\nRequirements\n- Master's degree in Education\n", &jd, &r, &res);
	assert_int_equal(jd.edu_level, EDU_MASTER);
	assert_true(fabs(res.parts[SC_EDUCATION].ratio - 0.5) < 1e-9);
	/* Nothing asked: education, experience and soft skills are not scored,
	 * and the rest fills 100 points. */
	score_of(&a, "Java developer\n", "Java Developer\nWe use Java, Spring and SQL.\n", &jd, &r, &res);
	assert_false(res.parts[SC_EDUCATION].present);
	assert_false(res.parts[SC_EXPERIENCE].present);
	assert_false(res.parts[SC_SOFT].present);
	assert_true(fabs(points_sum(&res) - res.score) < 0.051);
	arena_free(&a);
}

/* A number as shown (one decimal), in tenths. */
static long shown_tenths(double v)
{
	char s[32];
	snprintf(s, sizeof(s), "%.1f", v);
	char *dot;
	long whole = strtol(s, &dot, 10);
	assert_int_equal(*dot, '.');
	char *end;
	long tenth = strtol(dot + 1, &end, 10);
	assert_int_equal(*end, '\0');
	return whole * 10 + tenth;
}

/* The breakdown adds up as shown, for any mix of parts: each part's
 * points and lost make its weight, the weights make 100.0, the points
 * make the score. */
static void test_breakdown_adds_up(void **state)
{
	(void)state;
	static const char *const resumes[] = {
		"Software Engineer\nExperience\nSoftware Engineer, X — 2018 - 2024\n"
		"Java SQL Docker Kubernetes communication teamwork\nEducation\nBachelor of Science\n",
		"Software Engineer\nExperience\nSoftware Engineer, X — 2021 - 2024\nJava SQL\nEducation\nAssociate "
		"degree\n",
		"Backend Engineer\nRuby, Go\n",
		"Registered Nurse\nReact, Node.js, Python\n",
		"Java developer\n",
		"Full-Stack Engineer\nExperience\nDeveloper, Y — 2023 - 2024\nReact, Node.js, Go, Terraform, Kafka\n",
	};
	static const char *const postings[] = {
		posting,
		"Software Engineer\nRequirements\n- Java, SQL, Docker and Kubernetes\n"
		"- Communication and teamwork\n- 4+ years of experience\n- Bachelor's degree\n",
		"Java Developer\nWe use Java, Spring and SQL.\n",
		"Full Stack Developer\nRequirements\n- React and Node.js\n- 3 years of experience\n",
		"Engineer. 5+ years experience. Go is a plus.",
	};
	struct arena a;
	arena_init(&a, 0);
	struct buf b;
	buf_init(&b, 1 << 20);
	for (size_t i = 0; i < sizeof(resumes) / sizeof(resumes[0]); i++)
		for (size_t k = 0; k < sizeof(postings) / sizeof(postings[0]); k++) {
			struct jd_terms jd;
			struct resume_info r;
			struct scan_result res;
			score_of(&a, resumes[i], postings[k], &jd, &r, &res);
			long weights = 0, points = 0;
			for (int p = 0; p < SC_PARTS; p++) {
				const struct score_component *c = &res.parts[p];
				if (!c->present)
					continue;
				assert_int_equal(shown_tenths(c->points) + shown_tenths(c->lost),
						 shown_tenths(c->max_points));
				weights += shown_tenths(c->max_points);
				points += shown_tenths(c->points);
			}
			assert_int_equal(weights, 1000);
			assert_int_equal(points, shown_tenths(res.score));
			/* the JSON shows the same numbers */
			buf_reset(&b);
			report_breakdown_json(&b, &res);
			char want[64];
			snprintf(want, sizeof(want), "\"max_points\":%.1f,\"points\":%.1f",
				 res.parts[SC_TITLE].max_points, res.parts[SC_TITLE].points);
			assert_non_null(strstr(b.data, want));
		}
	buf_free(&b);
	arena_free(&a);
}

static void test_title_component(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct jd_terms jd;
	struct resume_info r;
	struct scan_result same, field, other;
	const char *jd_text = "Full Stack Developer\nRequirements\n- React and Node.js\n";
	score_of(&a, "Full-Stack Engineer\nReact, Node.js\n", jd_text, &jd, &r, &same);
	score_of(&a, "Front End Developer\nReact, Node.js\n", jd_text, &jd, &r, &field);
	score_of(&a, "Registered Nurse\nReact, Node.js\n", jd_text, &jd, &r, &other);
	assert_true(same.parts[SC_TITLE].ratio > field.parts[SC_TITLE].ratio);
	assert_true(field.parts[SC_TITLE].ratio > other.parts[SC_TITLE].ratio);
	assert_true(same.score > field.score && field.score > other.score);
	arena_free(&a);
}

static int has_suggestion(const struct scan_result *res, const char *start)
{
	for (size_t i = 0; i < res->n_suggestions; i++)
		if (strncmp(res->suggestions[i], start, strlen(start)) == 0)
			return 1;
	return 0;
}

static void test_alternatives_and_suggestions(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct jd_terms jd;
	struct resume_info r;
	struct scan_result res;
	score_of(&a, "Backend Engineer\nRuby, Go\n", posting, &jd, &r, &res);
	/* Ruby satisfies "Python, Ruby or PHP": Python and PHP are matched via it. */
	int via = 0, terraform = 0;
	for (size_t i = 0; i < res.n_terms; i++) {
		if (res.terms[i].via) {
			assert_string_equal(res.terms[i].via, "Ruby");
			assert_true(res.terms[i].matched);
			via++;
		}
	}
	assert_int_equal(via, 2);
	for (size_t i = 0; i < res.n_suggestions; i++)
		terraform |=
		    strcmp(res.suggestions[i], "add 'Terraform' to your skills section if you have it — the posting "
					       "mentions it 2 times (required)") == 0;
	assert_true(terraform);
	/* Deterministic: the same JSON twice. */
	struct buf b1, b2;
	buf_init(&b1, 1 << 20);
	buf_init(&b2, 1 << 20);
	report_json(&b1, &fixture_m, &jd, &r, &res);
	struct scan_result again;
	assert_int_equal(scan_score(&a, &fixture_m, &jd, &r, 1, &again), 0);
	report_json(&b2, &fixture_m, &jd, &r, &again);
	assert_string_equal(b1.data, b2.data);
	assert_non_null(strstr(b1.data, "{\"score\":"));
	buf_free(&b1);
	buf_free(&b2);
	/* Suggestions a job seeker can act on: the years asked against the
	 * years shown, the posting's title against the resume's (or none). */
	score_of(&a, "Registered Nurse\nExperience\nRegistered Nurse, City Hospital, Jan 2024 - Dec 2025\nGo\n",
		 posting, &jd, &r, &res);
	assert_true(
	    has_suggestion(&res, "the posting asks for 5+ years of experience; your resume shows 2.0: give dates"));
	assert_true(has_suggestion(&res, "your job title 'Registered Nurse' differs from the posting's 'Senior Backend "
					 "Engineer': use the posting's title"));
	assert_true(has_suggestion(&res, "add 'Communication' to an achievement that shows it, if you have it"));
	score_of(&a, "Go and PostgreSQL, Terraform\n", posting, &jd, &r, &res);
	assert_true(has_suggestion(&res,
				   "no job title was recognised in your resume: put the posting's 'Senior Backend "
				   "Engineer' in your headline"));
	arena_free(&a);
}

/* Resumes of four professions against postings of the same four: each
 * resume's own posting ranks first. */
static void test_ranks_own_occupation(void **state)
{
	(void)state;
	static const char *const resumes[] = {
		"Registered Nurse\nExperience\nStaff Nurse, City Hospital, 2016 - Present\n- Patient care for 30 "
		"beds\n- Medication administration, IV therapy, triage\nLicenses\nRN license, BLS, ACLS\n",
		"Staff Accountant\nExperience\nAccountant, Acme, 2015 - Present\n- Month-end close, account "
		"reconciliations, general ledger\n- GAAP financial reporting in QuickBooks and Excel\nCPA\n",
		"Elementary Teacher\nExperience\nTeacher, Lincoln School, 2012 - Present\n- Lesson planning and "
		"classroom management for 25 students\n- Differentiated instruction\nTeaching license\n",
		"Software Engineer\nExperience\nSoftware Engineer, Tech Co, 2017 - Present\n- Python, Go and "
		"PostgreSQL services on AWS and Kubernetes\n- CI/CD with GitHub Actions\n",
	};
	static const char *const postings[] = {
		"ICU Nurse\nRequirements\n- Active RN license and BLS\n- Patient care, medication administration\n"
		"- Excellent communication with patients and families\n- Use of Excel for shift reports\n",
		"Accounting Associate\nRequirements\n- GAAP, reconciliations, month-end close\n- Excel and "
		"communication\n- CPA preferred\n",
		"Math Teacher\nRequirements\n- Teaching credential\n- Lesson plans, classroom management\n- "
		"Communication with parents, Excel gradebooks\n",
		"Backend Developer\nRequirements\n- Python or Go, PostgreSQL\n- Docker, Kubernetes, AWS\n- "
		"Communication and Excel reporting\n",
	};
	struct arena a;
	arena_init(&a, 0);
	for (size_t i = 0; i < 4; i++) {
		double best = -1;
		size_t best_j = 0;
		for (size_t j = 0; j < 4; j++) {
			struct jd_terms jd;
			struct resume_info r;
			struct scan_result res;
			score_of(&a, resumes[i], postings[j], &jd, &r, &res);
			if (res.score > best) {
				best = res.score;
				best_j = j;
			}
		}
		if (best_j != i)
			fail_msg("resume %zu ranks posting %zu first", i, best_j);
	}
	arena_free(&a);
}

static void test_tfidf_baseline(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	struct scan_tokens x, y, z;
	const char *tx = "python services on kubernetes", *ty = "Kubernetes services in Python",
		   *tz = "patient care and triage";
	assert_int_equal(scan_tokenize(&a, tx, strlen(tx), &x), 0);
	assert_int_equal(scan_tokenize(&a, ty, strlen(ty), &y), 0);
	assert_int_equal(scan_tokenize(&a, tz, strlen(tz), &z), 0);
	assert_true(fabs(tfidf_cosine(&x, &y, &idf) - 1.0) < 1e-9);
	assert_true(tfidf_cosine(&x, &z, &idf) == 0);
	arena_free(&a);
}

/* Words every posting uses for what a job works with are no keywords to
 * add to a resume ("tools" 4 times); the taxonomy's phrases still count. */
static void test_generic_nouns_no_keywords(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	static const char text[] = "Data Analyst\nRequirements\n- Experience with reporting tools and data tools\n"
				   "- Use tools to build dashboards; tools, platforms, systems and technologies\n"
				   "- Quarterly variance commentary, variance commentary for the board\n";
	struct jd_terms jd;
	assert_int_equal(jd_extract(&a, &fixture_m, &idf, NULL, text, strlen(text), &jd), 0);
	assert_true(jd.n_keywords > 0);
	for (size_t i = 0; i < jd.n_keywords; i++)
		if (strstr(jd.keywords[i].text, "tools") || strstr(jd.keywords[i].text, "platforms") ||
		    strstr(jd.keywords[i].text, "systems") || strstr(jd.keywords[i].text, "technologies"))
			fail_msg("\"%s\" is a keyword", jd.keywords[i].text);
	arena_free(&a);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_scan_score TAXONOMY_DIR\n");
		return 2;
	}
	scan_fixture_load(argv[1]);
	idf_init(&idf);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jd_terms),
		cmocka_unit_test(test_jd_title_search),
		cmocka_unit_test(test_jd_years_beside_a_plus),
		cmocka_unit_test(test_subscores),
		cmocka_unit_test(test_breakdown_adds_up),
		cmocka_unit_test(test_title_component),
		cmocka_unit_test(test_alternatives_and_suggestions),
		cmocka_unit_test(test_ranks_own_occupation),
		cmocka_unit_test(test_tfidf_baseline),
		cmocka_unit_test(test_generic_nouns_no_keywords),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	scan_fixture_free();
	return rc;
}
