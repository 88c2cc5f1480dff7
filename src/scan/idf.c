/* scan/idf — see idf.h. Smoothed idf = ln((N + 1) / (df + 1)) + 1 over a
 * corpus of N postings; the default (no corpus) ranks by word class only. */
#include "scan/idf.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "scan/words.h"

/* Words frequent in postings of every trade: with no corpus, worth less than
 * a word that names something particular. */
static const char *const common_words[] = {
	"develop",       "development",   "design",        "designing",     "manage",         "management",
	"managing",      "customer",      "customers",     "client",        "clients",        "business",
	"data",          "product",       "products",      "process",       "processes",      "system",
	"systems",       "service",       "services",      "software",      "solution",       "solutions",
	"project",       "projects",      "technical",     "technology",    "technologies",   "tools",
	"tool",          "communication", "collaborate",   "collaboration", "create",         "deliver",
	"delivery",      "improve",       "improvement",   "implement",     "implementation", "maintain",
	"maintenance",   "operations",    "operational",   "lead",          "leading",        "plan",
	"planning",      "report",        "reporting",     "reports",       "review",         "analysis",
	"analyze",       "standards",     "standard",      "policies",      "procedures",     "training",
	"train",         "industry",      "growth",        "success",       "successful",     "professional",
	"performance",   "results",       "goals",         "staff",         "department",     "organization",
	"stakeholders",  "partner",       "partners",      "internal",      "external",       "daily",
	"weekly",        "information",   "documentation", "document",      "requirements",   "understand",
	"learn",         "learning",      "build",         "best",          "practices",      "practice",
	"problem",       "problems",      "solve",         "solving",       "communicate",    "written",
	"verbal",        "detail",        "details",       "oriented",      "self",           "motivated",
	"independently", "independent",   "health",        "insurance",     "paid",           "pto",
	"401k",          "dental",        "vision",        "medical",       "competitive",    "compensation",
	"culture",       "mission",       "values",        "product",       "platform",       "scale",
	"scalable",      "high",          "large",         "small",         "modern",         "complex",
	"manage",        "end",           "across",        "ensure",        "ownership",      "own",
	"company",       "teams",         "members",       "member",        "environment",    "field",
	"tasks",         "task",          "duties",        "duty",          "assist",         "assists",
	"coordinate",    "schedule",      "schedules",     "program",       "programs",       "role",
	"new",           "based",         "equivalent",    "bachelor",      "degree",         "preferred",
	"plus",          "ability",       "abilities",
};

#define COMMON_CAP 512u
static uint64_t common_set[COMMON_CAP];
static pthread_once_t common_once = PTHREAD_ONCE_INIT;

static void common_build(void)
{
	for (size_t i = 0; i < sizeof(common_words) / sizeof(common_words[0]); i++) {
		uint64_t h = scan_hash(common_words[i], strlen(common_words[i]));
		size_t k = (size_t)h & (COMMON_CAP - 1);
		while (common_set[k] && common_set[k] != h)
			k = (k + 1) & (COMMON_CAP - 1);
		common_set[k] = h;
	}
}

static int is_common(uint64_t h)
{
	pthread_once(&common_once, common_build);
	for (size_t k = (size_t)h & (COMMON_CAP - 1); common_set[k]; k = (k + 1) & (COMMON_CAP - 1))
		if (common_set[k] == h)
			return 1;
	return 0;
}

void idf_init(struct idf_table *t)
{
	memset(t, 0, sizeof(*t));
}

void idf_free(struct idf_table *t)
{
	free(t->hash);
	free(t->df);
	memset(t, 0, sizeof(*t));
}

static size_t slot(const struct idf_table *t, uint64_t h)
{
	size_t mask = t->cap - 1;
	size_t i = (size_t)(h >> 7) & mask;
	while (t->hash[i] && t->hash[i] != h)
		i = (i + 1) & mask;
	return i;
}

static int grow(struct idf_table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 8192;
	struct idf_table n = { .cap = cap, .count = t->count, .ndocs = t->ndocs };
	n.hash = calloc(cap, sizeof(*n.hash));
	n.df = calloc(cap, sizeof(*n.df));
	if (!n.hash || !n.df) {
		free(n.hash);
		free(n.df);
		return -1;
	}
	for (size_t i = 0; i < t->cap; i++)
		if (t->hash[i]) {
			size_t j = slot(&n, t->hash[i]);
			n.hash[j] = t->hash[i];
			n.df[j] = t->df[i];
		}
	free(t->hash);
	free(t->df);
	*t = n;
	return 0;
}

int idf_add_doc(struct idf_table *t, const struct scan_tokens *toks)
{
	/* A document's own words, once each: a small set of its own. */
	size_t cap = 64;
	while (cap < toks->n * 2)
		cap *= 2;
	uint64_t *seen = calloc(cap, sizeof(*seen));
	if (!seen)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < toks->n && rc == 0; i++) {
		uint64_t h = toks->v[i].hash | 1; /* never 0 */
		size_t k = (size_t)(h >> 7) & (cap - 1);
		while (seen[k] && seen[k] != h)
			k = (k + 1) & (cap - 1);
		if (seen[k])
			continue;
		seen[k] = h;
		if ((t->count + 1) * 2 > t->cap && grow(t) != 0) {
			rc = -1;
			break;
		}
		size_t j = slot(t, h);
		if (!t->hash[j]) {
			t->hash[j] = h;
			t->count++;
		}
		t->df[j]++;
	}
	free(seen);
	if (rc == 0)
		t->ndocs++;
	return rc;
}

double idf_weight(const struct idf_table *t, const char *s, size_t n, uint64_t hash)
{
	if (words_is_stop(s, n))
		return 0;
	if (t->ndocs >= 20) {
		uint32_t df = 0;
		if (t->cap) {
			size_t j = slot(t, hash | 1);
			df = t->hash[j] ? t->df[j] : 0;
		}
		return log((t->ndocs + 1.0) / (df + 1.0)) + 1.0;
	}
	/* No corpus (or too small to say anything): by word class. */
	if (words_is_generic(s, n))
		return 0.5;
	if (is_common(hash))
		return 2.0;
	return 4.0;
}
