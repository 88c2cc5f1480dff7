/* jobtrack robots — may this agent fetch this URL, and which robots.txt
 * rule says so (scrape/robots.h). */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/json_out.h"
#include "cli/cli.h"
#include "scrape/robots.h"
#include "version.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: jobtrack robots [--agent UA] [--robots FILE] [--json] URL\n\n"
		"Says whether the robots.txt of URL's host lets the agent fetch URL, and which rule\n"
		"decided (RFC 9309: the most specific group, the longest matching rule, Allow on a tie).\n\n"
		"options:\n"
		"  --agent UA     the crawler whose rules apply (default: jobtrack); a whole User-Agent\n"
		"                 string is reduced to its product token (\"jobtrack/0.1 (+url)\" -> jobtrack)\n"
		"  --robots FILE  read robots.txt from FILE (\"-\": standard input) instead of fetching it;\n"
		"                 URL may then be just a path (/jobs?page=2)\n"
		"  --json         print one JSON object instead of sentences\n\n"
		"Without --robots it fetches SCHEME://HOST[:PORT]/robots.txt (User-Agent jobtrack/%s,\n"
		"10 s to connect, 30 s in all, 500 KiB at most, up to %d redirects). A 4xx answer (404\n"
		"included) allows everything; 5xx, 429 or no answer at all disallows everything.\n\n"
		"exit status: 0 allowed, 1 disallowed, 2 error (bad URL or option, unreadable file)\n",
		JOBTRACK_VERSION, ROBOTS_MAX_REDIRECTS);
}

struct robots_args {
	const char *agent;
	const char *file;
	const char *url;
	bool json;
};

static int parse_args(int argc, char **argv, struct robots_args *a)
{
	*a = (struct robots_args){ .agent = "jobtrack" };
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		const char **value = strcmp(arg, "--agent") == 0    ? &a->agent
				     : strcmp(arg, "--robots") == 0 ? &a->file
								    : NULL;
		if (value) {
			if (i + 1 >= argc) {
				fprintf(stderr, "jobtrack: %s needs a value\n", arg);
				return 2;
			}
			*value = argv[++i];
		} else if (strncmp(arg, "--agent=", 8) == 0) {
			a->agent = arg + 8;
		} else if (strncmp(arg, "--robots=", 9) == 0) {
			a->file = arg + 9;
		} else if (strcmp(arg, "--json") == 0) {
			a->json = true;
		} else if (strncmp(arg, "--", 2) == 0) {
			fprintf(stderr, "jobtrack: unknown option \"%s\" (see: jobtrack robots --help)\n", arg);
			return 2;
		} else if (a->url) {
			fprintf(stderr, "jobtrack: robots takes one URL, not \"%s\" too\n", arg);
			return 2;
		} else {
			a->url = arg;
		}
	}
	if (!a->url) {
		fprintf(stderr, "jobtrack: robots needs a URL (see: jobtrack robots --help)\n");
		return 2;
	}
	return 0;
}

/* Reads FILE ("-": stdin) into body: one byte past ROBOTS_MAX_BYTES, so the
 * parser can tell a cut line from a whole one. */
static int read_robots_file(const char *path, struct buf *body)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "jobtrack: cannot read %s: %s\n", path, strerror(errno));
		return 2;
	}
	char chunk[8192];
	size_t n;
	while (body->len < body->max && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		size_t room = body->max - body->len;
		if (buf_append(body, chunk, n < room ? n : room)) {
			fprintf(stderr, "jobtrack: out of memory reading %s\n", path);
			break;
		}
	}
	int failed = ferror(f) || buf_failed(body);
	if (failed && !buf_failed(body))
		fprintf(stderr, "jobtrack: cannot read %s: %s\n", path, strerror(errno));
	if (f != stdin)
		fclose(f);
	return failed ? 2 : 0;
}

/* Where the robots came from, for the report. */
struct origin_note {
	char robots_url[600];
	int http_status;
	char error[256];
};

static void print_sentence(const struct robots_args *a, const char *path, const struct robots *r,
			   const struct robots_decision *d, const struct origin_note *note)
{
	const char *verdict = d->allowed ? "allowed" : "disallowed";
	char status[300];
	if (note->http_status)
		snprintf(status, sizeof(status), "HTTP %d", note->http_status);
	else
		snprintf(status, sizeof(status), "no answer: %s", note->error[0] ? note->error : "unknown error");
	switch (d->reason) {
	case ROBOTS_RULE:
		printf("%s: %s matched \"%s\" (line %u) for group \"%s\"\n", verdict, path, d->rule, d->line, d->group);
		break;
	case ROBOTS_NO_RULE:
		printf("%s: %s matched no rule of group \"%s\"\n", verdict, path, d->group);
		break;
	case ROBOTS_NO_GROUP:
		printf("%s: %s: no group names \"%s\" and there is no \"*\" group\n", verdict, path, a->agent);
		break;
	case ROBOTS_SELF:
		printf("%s: %s is always allowed\n", verdict, path);
		break;
	case ROBOTS_UNAVAILABLE:
		printf("%s: %s: robots.txt is unavailable (%s), so everything is allowed\n", verdict, path, status);
		break;
	case ROBOTS_UNREACHABLE:
		printf("%s: %s: robots.txt is unreachable (%s), so everything is disallowed\n", verdict, path, status);
		break;
	}
	double delay;
	if (robots_crawl_delay(r, a->agent, &delay) == 0)
		printf("crawl-delay: %g s\n", delay);
	for (size_t i = 0; i < robots_sitemap_count(r); i++)
		printf("sitemap: %s\n", robots_sitemap(r, i));
	if (robots_truncated(r))
		printf("note: robots.txt is longer than %u bytes; the rest was not read\n", ROBOTS_MAX_BYTES);
}

static void print_json(const struct robots_args *a, const char *path, const struct robots *r,
		       const struct robots_decision *d, const struct origin_note *note)
{
	struct buf b;
	buf_init(&b, 4u << 20);
	buf_puts(&b, "{\"url\":");
	json_out_string(&b, a->url);
	JSON_OUT_KEY(&b, "path");
	json_out_string(&b, path);
	JSON_OUT_KEY(&b, "agent");
	json_out_string(&b, a->agent);
	JSON_OUT_KEY(&b, "allowed");
	json_out_bool(&b, d->allowed);
	JSON_OUT_KEY(&b, "reason");
	json_out_string(&b, robots_reason_name(d->reason));
	JSON_OUT_KEY(&b, "group");
	json_out_string(&b, d->group);
	JSON_OUT_KEY(&b, "line");
	json_out_int_or_null(&b, d->line, d->line == 0);
	JSON_OUT_KEY(&b, "rule");
	json_out_string(&b, d->rule);
	JSON_OUT_KEY(&b, "robots");
	json_out_string(&b, a->file ? a->file : note->robots_url);
	JSON_OUT_KEY(&b, "http_status");
	json_out_int_or_null(&b, note->http_status, a->file != NULL || note->http_status == 0);
	JSON_OUT_KEY(&b, "error");
	json_out_string(&b, note->error[0] ? note->error : NULL);
	double delay;
	int has_delay = robots_crawl_delay(r, a->agent, &delay) == 0;
	JSON_OUT_KEY(&b, "crawl_delay");
	if (has_delay)
		buf_printf(&b, "%g", delay);
	else
		buf_puts(&b, "null");
	JSON_OUT_KEY(&b, "sitemaps");
	buf_putc(&b, '[');
	for (size_t i = 0; i < robots_sitemap_count(r); i++) {
		if (i)
			buf_putc(&b, ',');
		json_out_string(&b, robots_sitemap(r, i));
	}
	buf_putc(&b, ']');
	JSON_OUT_KEY(&b, "truncated");
	json_out_bool(&b, robots_truncated(r));
	buf_puts(&b, "}\n");
	if (buf_failed(&b))
		fprintf(stderr, "jobtrack: the JSON report is too large\n");
	else
		fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
}

/* The robots that govern the URL: from the file, or fetched. */
static int load_robots(const struct robots_args *a, const char *origin, struct robots **r, struct origin_note *note)
{
	struct buf body;
	int rc;
	if (a->file) {
		buf_init(&body, ROBOTS_FETCH_MAX);
		rc = read_robots_file(a->file, &body);
		if (rc == 0 && robots_parse(body.data, body.len, r))
			rc = 1;
	} else {
		snprintf(note->robots_url, sizeof(note->robots_url), "%s/robots.txt", origin);
		buf_init(&body, ROBOTS_FETCH_MAX);
		struct robots_fetch_curl_ctx fetch = { .user_agent = NULL };
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			fprintf(stderr, "jobtrack: libcurl failed to initialise\n");
			buf_free(&body);
			return 1;
		}
		robots_fetch_curl(&fetch, note->robots_url, NULL, &body, &note->http_status);
		curl_global_cleanup();
		snprintf(note->error, sizeof(note->error), "%s", fetch.error);
		rc = robots_from_response(note->http_status, body.data, body.len, r) ? 1 : 0;
	}
	if (rc == 1)
		fprintf(stderr, "jobtrack: out of memory\n");
	buf_free(&body);
	return rc;
}

int cmd_robots(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	struct robots_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc)
		return rc;
	char origin[512] = "", path[ROBOTS_PATH_MAX + 2];
	if (a.file && a.url[0] == '/') {
		if (strlen(a.url) >= sizeof(path)) {
			fprintf(stderr, "jobtrack: the path is longer than %u bytes\n", ROBOTS_PATH_MAX);
			return 2;
		}
		snprintf(path, sizeof(path), "%.*s", (int)strcspn(a.url, "#"), a.url);
	} else if ((rc = robots_url_split(a.url, origin, sizeof(origin), path, sizeof(path)))) {
		if (rc == -E2BIG)
			fprintf(stderr, "jobtrack: the URL is too long (a path of at most %u bytes)\n",
				ROBOTS_PATH_MAX);
		else
			fprintf(stderr, "jobtrack: not an http(s) URL with a host: \"%s\"\n", a.url);
		return 2;
	}
	struct robots *r;
	struct origin_note note = { .http_status = 0 };
	rc = load_robots(&a, origin, &r, &note);
	if (rc)
		return rc;
	struct robots_decision d;
	if (robots_check(r, a.agent, path, &d)) {
		fprintf(stderr, "jobtrack: the path is longer than %u bytes\n", ROBOTS_PATH_MAX);
		robots_release(r);
		return 2;
	}
	if (a.json)
		print_json(&a, path, r, &d, &note);
	else
		print_sentence(&a, path, r, &d, &note);
	robots_release(r);
	return d.allowed ? 0 : 1;
}
