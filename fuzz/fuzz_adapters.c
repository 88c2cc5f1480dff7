/* fuzz_adapters — the source adapters that read SmartRecruiters, Workable,
 * Personio, Workday, RSS/Atom, Hacker News, LinkedIn and XPath-configured
 * pages, over hostile payloads.
 *
 * Byte 0 picks what the rest is: the answer to one request of one adapter
 * (a list page, a detail, a feed, …), a Hacker News comment header line, or
 * a URL pasted into every adapter's detect(); or, from byte values past
 * those, the answer to one request of a board adapter (Greenhouse, Lever,
 * Recruitee), or one of any adapter run without a target, as `jobtrack
 * extract --source ADAPTER FILE` runs it (a list or one job's detail, read
 * as the first request). The payload is handed over in
 * a buffer of its exact size without a NUL, as the interface allows, so a
 * read past res->len shows up. Checks: parse() either succeeds, and then
 * every posting has a title, an external id and the adapter's name as
 * source, and every follow-up request a URL; or it fails with a message.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "scrape/source.h"
#include "scrape/sources/hn_header.h"

extern const struct source_adapter source_smartrecruiters, source_workable, source_personio, source_workday,
    source_hackernews, source_linkedin, source_rss, source_xpath, source_greenhouse, source_lever, source_recruitee;

static const char xpath_options[] = "{\"item\": \"//li[contains(@class,'opening')]\", \"title\": \".//h3\","
				    " \"url\": \".//a/@href\", \"id\": \"@data-job-id\","
				    " \"location\": \".//span[1]\", \"date\": \".//time/@datetime\","
				    " \"description\": \".//div\", \"next\": \"//a[@rel='next']/@href\"}";

struct fuzz_case {
	const struct source_adapter *adapter;
	const char *target, *options, *step, *url, *context;
	long page;
};

static const struct fuzz_case cases[] = {
	{ &source_smartrecruiters, "Acme", NULL, "list",
	  "https://api.smartrecruiters.com/v1/companies/Acme/postings?limit=100&offset=0", NULL, 0 },
	{ &source_smartrecruiters, "Acme", NULL, "detail",
	  "https://api.smartrecruiters.com/v1/companies/Acme/postings/1", "1", 0 },
	{ &source_workable, "acme", NULL, "list", "https://apply.workable.com/api/v3/accounts/acme/jobs", "tok", 1 },
	{ &source_workable, "acme", NULL, "detail", "https://apply.workable.com/api/v2/accounts/acme/jobs/AB12", "AB12",
	  0 },
	{ &source_personio, "acme", NULL, "feed", "https://acme.jobs.personio.de/xml?language=en", NULL, 0 },
	{ &source_workday, "https://acme.wd5.myworkdayjobs.com/External", "{\"details\": false}", "list",
	  "https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/External/jobs", NULL, 0 },
	{ &source_workday, "https://acme.wd5.myworkdayjobs.com/External", NULL, "list",
	  "https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/External/jobs", "23", 1 },
	{ &source_workday, "https://acme.wd5.myworkdayjobs.com/External", NULL, "detail",
	  "https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/External/job/x/y_JR1", "JR1", 0 },
	{ &source_rss, "https://weworkremotely.com/remote-jobs.rss", NULL, "feed",
	  "https://weworkremotely.com/remote-jobs.rss", NULL, 0 },
	{ &source_hackernews, NULL, NULL, "search", "https://hn.algolia.com/api/v1/search_by_date", NULL, 0 },
	{ &source_hackernews, NULL, NULL, "thread", "https://hn.algolia.com/api/v1/items/1", "1", 0 },
	{ &source_linkedin, "keywords=rust", NULL, "page",
	  "https://www.linkedin.com/jobs-guest/jobs/api/seeMoreJobPostings/search?keywords=rust&start=25",
	  "keywords=rust", 1 },
	{ &source_linkedin, "keywords=rust", "{\"details\": true}", "detail",
	  "https://www.linkedin.com/jobs-guest/jobs/api/jobPosting/1", "1", 0 },
	{ &source_xpath, "https://example.com/careers", xpath_options, "page", "https://example.com/careers", NULL, 0 },
};
#define N_CASES (sizeof(cases) / sizeof(cases[0]))

/* Picked by byte values past the header and URL readers (so the seeds of
 * those keep their first byte). A NULL target is extract's saved file. */
static const struct fuzz_case more_cases[] = {
	{ &source_greenhouse, "acme", NULL, "list", "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true",
	  NULL, 0 },
	{ &source_greenhouse, NULL, NULL, "list", "https://boards-api.greenhouse.io/v1/boards/acme/jobs/1", NULL, 0 },
	{ &source_lever, "acme", NULL, "list", "https://api.lever.co/v0/postings/acme?mode=json&skip=0&limit=100", NULL,
	  0 },
	{ &source_lever, NULL, NULL, "list", "https://api.lever.co/v0/postings/acme/x", NULL, 0 },
	{ &source_recruitee, NULL, NULL, "list", "https://acme.recruitee.com/api/offers/x", NULL, 0 },
	{ &source_smartrecruiters, NULL, NULL, "list", "https://api.smartrecruiters.com/v1/companies/Acme/postings",
	  NULL, 0 },
	{ &source_workable, NULL, NULL, "detail", "https://apply.workable.com/api/v2/accounts/acme/jobs/AB12", NULL,
	  0 },
	{ &source_personio, NULL, NULL, "feed", "https://acme.jobs.personio.de/xml", NULL, 0 },
};
#define N_MORE (sizeof(more_cases) / sizeof(more_cases[0]))

static const struct source_adapter *const all_adapters[] = {
	&source_smartrecruiters, &source_workable, &source_personio, &source_workday,
	&source_hackernews,      &source_linkedin, &source_rss,      &source_xpath,
};

static void run_case(struct arena *a, const struct fuzz_case *c, const uint8_t *data, size_t size)
{
	char *body = malloc(size ? size : 1); /* exactly the payload: no NUL after it */
	if (!body)
		return;
	memcpy(body, data, size);
	struct source_config src = {
		.name = c->adapter->name,
		.kind = c->adapter->name,
		.target = c->target,
		.options_json = c->options,
		.now = 1790424000,
	};
	struct source_request req = { .url = c->url, .step = c->step, .context = c->context, .page = c->page };
	struct source_response res = { .request = &req, .url = c->url, .status = 200, .body = body, .len = size };
	struct source_result out;
	memset(&out, 0, sizeof(out));
	char err[256] = "";
	int rc = c->adapter->parse(a, &src, &res, &out, err, sizeof(err));
	if (rc != 0) {
		if (!err[0])
			abort(); /* a refusal must say why */
	} else {
		for (size_t i = 0; i < out.postings.count; i++) {
			const struct posting *p = &out.postings.items[i];
			if (!p->title || !p->external_id || !p->source || strcmp(p->source, c->adapter->name) != 0)
				abort();
		}
		for (size_t i = 0; i < out.next.count; i++)
			if (!out.next.items[i].url)
				abort();
	}
	free(body);
}

static char *as_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

/* Anything but white space within the part of a line the header reader reads. */
static bool has_words(const char *line)
{
	for (size_t i = 0; line[i] && i < HN_HEADER_MAX; i++)
		if (!isspace((unsigned char)line[i]))
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct arena a;
	arena_init(&a, 256u << 20);
	size_t pick = data[0] % (N_CASES + 2 + N_MORE);
	if (pick < N_CASES) {
		run_case(&a, &cases[pick], data + 1, size - 1);
	} else if (pick >= N_CASES + 2) {
		run_case(&a, &more_cases[pick - N_CASES - 2], data + 1, size - 1);
	} else if (pick == N_CASES) {
		char *line = as_string(data + 1, size - 1);
		struct hn_header h;
		if (line && hn_header_parse(&a, line, &h) == 0 && !h.title && !h.company && has_words(line))
			abort(); /* a line with words is at least a title */
		free(line);
	} else {
		char *url = as_string(data + 1, size - 1);
		for (size_t i = 0; url && i < sizeof(all_adapters) / sizeof(all_adapters[0]); i++) {
			const char *target = NULL;
			if (all_adapters[i]->detect && all_adapters[i]->detect(&a, url, &target) == 0 && !target)
				abort();
		}
		free(url);
	}
	arena_free(&a);
	return 0;
}
