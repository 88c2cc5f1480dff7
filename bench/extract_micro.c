/* extract_micro — how many job pages a second one core turns into
 * JobPosting JSON (scrape/extract/jsonld.h), and what the microdata path
 * and the sanitiser cost beside it.
 *
 *   extract_micro [SECONDS [scan|extract|jsonld|microdata|sanitize|all [PAGE.html ...]]]
 *
 * Without pages it builds 64 synthetic career-site pages of 25–35 KB: a
 * head full of meta and link tags, an inline script and style, navigation,
 * a long body of nested markup, an Organization block and a JobPosting
 * block whose description is entity-escaped HTML (as most sites write it),
 * then a footer. Each measurement runs about SECONDS (default 2) of CPU
 * time and prints pages and MB per CPU second (one core). Built on demand: ninja -C BUILD bench/extract_micro
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <libxml/parser.h>

#include "base/arena.h"
#include "base/buf.h"
#include "scrape/extract/jsonld.h"
#include "scrape/extract/microdata.h"
#include "scrape/sanitize.h"

#define SYNTHETIC_PAGES 64

struct page {
	char *data;
	size_t len;
};

static uint32_t rng_state = 12345;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return (rng_state >> 8) % n;
}

static const char *const words[] = {
	"engineer", "platform", "customer", "team",   "build",    "scale",  "design",   "remote",  "hybrid",
	"data",     "systems",  "growth",   "impact", "mentor",   "ship",   "reliable", "product", "quality",
	"career",   "benefits", "equity",   "health", "learning", "Berlin", "London",   "we",      "you",
};

static void put_words(struct buf *b, int n)
{
	for (int i = 0; i < n; i++)
		buf_printf(b, "%s%s", i ? " " : "", words[rnd(sizeof(words) / sizeof(words[0]))]);
}

static void synthetic_head(struct buf *b, int i)
{
	buf_printf(b,
		   "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		   "<title>Senior Engineer %d | Acme Careers</title>\n",
		   i);
	for (int m = 0; m < 14; m++)
		buf_printf(b,
			   "<meta name=\"x-meta-%d\" content=\"%d\"><link rel=\"preload\" href=\"/static/c%d.css\">\n",
			   m, (int)rnd(100000), m);
	buf_puts(b, "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}\n");
	for (int s = 0; s < 30; s++)
		buf_printf(b, "if(a%d<b&&c>d){el.innerHTML='<div class=\"x%d\"><span>'+v+'</span></div>';}\n", s, s);
	buf_puts(b, "</script>\n<style>");
	for (int s = 0; s < 40; s++)
		buf_printf(b, ".c%d>.d{margin:%dpx;color:#%06x}", s, s, (unsigned)rnd(0xFFFFFF));
	buf_puts(b, "</style></head>\n<body><!-- page body -->\n<nav class=\"top\"><ul>");
	for (int n = 0; n < 25; n++)
		buf_printf(b, "<li class=\"nav-item\"><a href=\"/section/%d\" data-id=\"%d\">", n, n), put_words(b, 2),
		    buf_puts(b, "</a></li>");
	buf_puts(b, "</ul></nav>\n");
}

static void synthetic_ld(struct buf *b, int i)
{
	buf_puts(b,
		 "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"Organization\","
		 "\"name\":\"Acme\",\"url\":\"https://acme.example\",\"logo\":\"https://acme.example/logo.png\","
		 "\"sameAs\":[\"https://x.example/acme\",\"https://y.example/acme\"]}</script>\n");
	buf_printf(
	    b,
	    "<script type=\"application/ld+json\">\n{\"@context\":\"https://schema.org/\",\"@type\":\"JobPosting\","
	    "\"title\":\"Senior Engineer %d\",\"datePosted\":\"2026-03-%02d\",\"validThrough\":\"2026-06-01T00:00\","
	    "\"employmentType\":[\"FULL_TIME\",\"CONTRACTOR\"],\"identifier\":{\"@type\":\"PropertyValue\","
	    "\"name\":\"Acme\",\"value\":\"%d\"},\"hiringOrganization\":{\"@type\":\"Organization\",\"name\":\"Acme\","
	    "\"sameAs\":\"https://acme.example\"},\"jobLocation\":{\"@type\":\"Place\",\"address\":{\"@type\":"
	    "\"PostalAddress\",\"addressLocality\":\"Berlin\",\"addressRegion\":\"BE\",\"addressCountry\":\"DE\"}},"
	    "\"baseSalary\":{\"@type\":\"MonetaryAmount\",\"currency\":\"EUR\",\"value\":{\"@type\":"
	    "\"QuantitativeValue\",\"minValue\":60000,\"maxValue\":80000,\"unitText\":\"YEAR\"}},\"description\":\"",
	    i, 1 + i % 28, 1000 + i);
	for (int p = 0; p < 14; p++) { /* about 4.5 KB, a long posting */
		buf_puts(b, "&lt;p&gt;");
		put_words(b, 25);
		buf_puts(b, "&lt;/p&gt;&lt;ul&gt;&lt;li&gt;");
		put_words(b, 6);
		buf_puts(b, "&lt;/li&gt;&lt;/ul&gt;");
	}
	buf_puts(b, "\"}\n</script>\n");
}

static void synthetic_body(struct buf *b, size_t target)
{
	while (b->len + 600 < target) {
		buf_printf(b, "<div class=\"row r%u\"><div class=\"col\"><h3>", rnd(100));
		put_words(b, 3);
		buf_puts(b, "</h3><p class=\"lead\">");
		put_words(b, 30);
		buf_printf(b, " <a href=\"/jobs/%u\">more</a></p><span class=\"tag\">", rnd(10000));
		put_words(b, 1);
		buf_puts(b, "</span><img src=\"/i.png\" alt=\"\"></div></div>\n");
	}
}

static struct page synthetic_page(int i)
{
	struct buf b;
	buf_init(&b, 1u << 20);
	size_t target = 25 * 1024 + rnd(10 * 1024);
	synthetic_head(&b, i);
	synthetic_body(&b, target / 2);
	synthetic_ld(&b, i);
	synthetic_body(&b, target - 400);
	buf_puts(&b, "<footer><p>&copy; Acme</p></footer></body></html>\n");
	size_t len;
	char *data = buf_detach(&b, &len);
	return (struct page){ data, len };
}

/* The same page with its JobPosting as microdata instead of JSON-LD. */
static struct page microdata_page(const struct page *p)
{
	struct buf b;
	buf_init(&b, 1u << 20);
	const char *ld = strstr(p->data, "<script type=\"application/ld+json\">");
	size_t head = ld ? (size_t)(ld - p->data) : p->len / 2;
	buf_append(&b, p->data, head);
	buf_puts(&b,
		 "<div itemscope itemtype=\"https://schema.org/JobPosting\"><h1 itemprop=\"title\">Senior Engineer</h1>"
		 "<div itemprop=\"hiringOrganization\" itemscope itemtype=\"https://schema.org/Organization\">"
		 "<meta itemprop=\"name\" content=\"Acme\"></div><time itemprop=\"datePosted\" datetime=\"2026-03-01\">"
		 "March</time><div itemprop=\"jobLocation\" itemscope itemtype=\"https://schema.org/Place\"><div "
		 "itemprop=\"address\" itemscope itemtype=\"https://schema.org/PostalAddress\"><span "
		 "itemprop=\"addressLocality\">Berlin</span></div></div><div itemprop=\"description\"><p>");
	put_words(&b, 200);
	buf_puts(&b, "</p></div></div>");
	const char *after = ld ? strstr(ld + 1, "</script>\n<div") : NULL;
	if (after)
		buf_puts(&b, after + strlen("</script>\n"));
	size_t len;
	char *data = buf_detach(&b, &len);
	return (struct page){ data, len };
}

/* CPU time of this process: the rate per core, whatever else the machine runs. */
static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum what { SCAN, JSONLD, MICRODATA, SANITIZE };

static int add_len(const char *body, size_t len, void *total)
{
	(void)body;
	*(size_t *)total += len;
	return 0;
}

/* Runs one kind of work over the pages round and round for about seconds;
 * prints the rate. Returns the postings found, so nothing is optimised away. */
static size_t measure(const char *label, enum what what, const struct page *pages, size_t n, double seconds)
{
	size_t done = 0, bytes = 0, found = 0;
	double start = now_seconds(), elapsed = 0;
	while (elapsed < seconds) {
		for (size_t i = 0; i < n; i++) {
			const struct page *p = &pages[i];
			if (what == SCAN) {
				size_t ld = 0;
				found += jsonld_scan(p->data, p->len, add_len, &ld);
			} else if (what == JSONLD) {
				json_t *list = jsonld_job_postings(p->data, p->len, NULL);
				found += json_array_size(list);
				json_decref(list);
			} else if (what == MICRODATA) {
				json_t *list = json_array();
				int got = microdata_job_postings(p->data, p->len, list);
				found += got > 0 ? (size_t)got : 0;
				json_decref(list);
			} else {
				struct arena a;
				arena_init(&a, 0);
				struct sanitized out;
				if (sanitize_html(&a, p->data, p->len, &out) == 0)
					found += out.html_len > 0;
				arena_free(&a);
			}
			bytes += p->len;
		}
		done += n;
		elapsed = now_seconds() - start;
	}
	printf("%-34s %10.0f pages/s %8.1f MB/s  (%zu pages, %.1f KB average, %zu found)\n", label,
	       (double)done / elapsed, (double)bytes / elapsed / 1e6, done, (double)bytes / (double)done / 1024.0,
	       found);
	return found;
}

static struct page read_page(const char *path)
{
	struct page p = { NULL, 0 };
	FILE *f = fopen(path, "rb");
	if (!f)
		return p;
	struct buf b;
	buf_init(&b, 64u << 20);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	p.data = buf_detach(&b, &p.len);
	return p;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? strtod(argv[1], NULL) : 2.0;
	if (seconds <= 0)
		seconds = 2.0;
	xmlInitParser();
	const char *only = argc > 2 ? argv[2] : "all";
	bool all = strcmp(only, "all") == 0;
	size_t n = argc > 3 ? (size_t)(argc - 3) : SYNTHETIC_PAGES;
	struct page *pages = calloc(n, sizeof(*pages));
	struct page *micro = calloc(n, sizeof(*micro));
	if (!pages || !micro)
		return 1;
	for (size_t i = 0; i < n; i++) {
		pages[i] = argc > 3 ? read_page(argv[i + 3]) : synthetic_page((int)i);
		if (!pages[i].data) {
			fprintf(stderr, "cannot read %s\n", argv[i + 3]);
			return 1;
		}
		micro[i] = microdata_page(&pages[i]);
	}
	size_t ld_bytes = 0;
	for (size_t i = 0; i < n; i++)
		jsonld_scan(pages[i].data, pages[i].len, add_len, &ld_bytes);
	printf("%zu pages, %.1f KB of JSON-LD each on average\n", n, (double)ld_bytes / (double)n / 1024.0);
	if (all || strcmp(only, "jsonld") == 0 || strcmp(only, "scan") == 0)
		measure("JSON-LD scan alone (no parse)", SCAN, pages, n, seconds);
	if (all || strcmp(only, "jsonld") == 0 || strcmp(only, "extract") == 0)
		measure("JSON-LD extraction", JSONLD, pages, n, seconds);
	if (all || strcmp(only, "jsonld") == 0)
		measure("JSON-LD on pages without it", JSONLD, micro, n, seconds);
	if (all || strcmp(only, "microdata") == 0) {
		measure("microdata on pages without it", MICRODATA, pages, n, seconds);
		measure("microdata extraction", MICRODATA, micro, n, seconds);
	}
	if (all || strcmp(only, "sanitize") == 0)
		measure("sanitize_html of whole pages", SANITIZE, pages, n, seconds);
	for (size_t i = 0; i < n; i++) {
		free(pages[i].data);
		free(micro[i].data);
	}
	free(pages);
	free(micro);
	return 0;
}
