/* cli/scan_input — see scan_input.h. A posting page or payload goes through
 * the jsonld adapter and posting_finish exactly as `jobtrack extract` reads
 * a file (cli/extract.c); a page without a JobPosting is read as text by the
 * sanitiser; anything else is taken as the posting's plain text. */
#include "cli/scan_input.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/text.h"
#include "scrape/finish.h"
#include "scrape/sanitize.h"
#include "scrape/source.h"
#include "resume/extract.h"

static int read_all(struct arena *a, const char *path, const char **data, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "jobtrack: cannot read %s: %s\n", path, strerror(errno));
		return 2;
	}
	struct buf b;
	buf_init(&b, SCAN_INPUT_MAX);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_append(&b, chunk, n))
			break;
	int failed = ferror(f);
	if (f != stdin)
		fclose(f);
	int rc = 0;
	if (buf_failed(&b)) {
		fprintf(stderr, "jobtrack: %s is larger than %u MiB\n", path, SCAN_INPUT_MAX >> 20);
		rc = 2;
	} else if (failed) {
		fprintf(stderr, "jobtrack: cannot read %s\n", path);
		rc = 2;
	} else {
		*len = b.len;
		*data = arena_strndup(a, b.data ? b.data : "", b.len);
		if (!*data) {
			fprintf(stderr, "jobtrack: out of memory\n");
			rc = 1;
		}
	}
	buf_free(&b);
	return rc;
}

/* The resume reader's text and facts of a document's bytes: 0, or 1/2
 * with the reason printed. */
static int extract(struct arena *a, const char *path, const char *data, size_t n, struct resume_text *out)
{
	char why[512] = "";
	enum resume_error e = resume_extract_text(data, n, NULL, a, out, why, sizeof(why));
	if (e == RESUME_OK)
		return 0;
	fprintf(stderr, "jobtrack: %s: %s\n", path, why[0] ? why : resume_error_name(e));
	return e == RESUME_ERR_NOMEM ? 1 : 2;
}

/* The text of a document file's bytes: PDF, DOCX, plain text or
 * Markdown, told apart by content (src/resume when the build has it). */
static int document_text(struct arena *a, const char *path, const char *data, size_t n, const char **text, size_t *len)
{
#if __has_include("resume/extract.h")
	/* The hook: with src/resume/ in the build, every resume (PDF, DOCX,
	 * text, Markdown; typed by content) goes through its extractor. */
	{
		struct resume_text rt;
		int rc = extract(a, path, data, n, &rt);
		*text = rt.body;
		*len = rt.body_len;
		return rc;
	}
#endif
	/* Without src/resume/ (resume_extract_text in resume/extract.h, MuPDF
	 * and libzip), PDF and DOCX are refused with a clear message. */
	if (n >= 5 && memcmp(data, "%PDF-", 5) == 0) {
		fprintf(stderr,
			"jobtrack: %s is a PDF: this build reads documents as plain text or Markdown only; "
			"save it as .txt (e.g. pdftotext -layout %s out.txt)\n",
			path, path);
		return 2;
	}
	if (n >= 4 && memcmp(data, "PK\003\004", 4) == 0) {
		fprintf(stderr,
			"jobtrack: %s is a ZIP file (DOCX?): this build reads documents as plain text or Markdown "
			"only; save it as .txt\n",
			path);
		return 2;
	}
	if (memchr(data, '\0', n) || !text_utf8_valid(data, n)) {
		fprintf(stderr, "jobtrack: %s is not UTF-8 text: documents are read as plain text or Markdown\n", path);
		return 2;
	}
	if (n >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3; /* a byte-order mark */
		n -= 3;
	}
	*text = data;
	*len = n;
	return 0;
}

int scan_read_resume(struct arena *a, const char *path, const char **text, size_t *len)
{
	const char *data;
	size_t n;
	int rc = read_all(a, path, &data, &n);
	return rc ? rc : document_text(a, path, data, n, text, len);
}

int scan_read_resume_doc(struct arena *a, const char *path, struct resume_text *out)
{
	const char *data;
	size_t n;
	int rc = read_all(a, path, &data, &n);
	return rc ? rc : extract(a, path, data, n, out);
}

int scan_read_posting(struct arena *a, const char *path, const char *source, const char **title, const char **text,
		      size_t *len)
{
	const char *data;
	size_t n;
	int rc = read_all(a, path, &data, &n);
	if (rc)
		return rc;
	*title = NULL;
	/* A job description saved as a PDF or DOCX reads like a resume does. */
	if (!source && ((n >= 5 && memcmp(data, "%PDF-", 5) == 0) || (n >= 4 && memcmp(data, "PK\003\004", 4) == 0)))
		return document_text(a, path, data, n, text, len);
	if (memchr(data, '\0', n) || !text_utf8_valid(data, n)) {
		fprintf(stderr, "jobtrack: %s is not UTF-8 text\n", path);
		return 2;
	}
	size_t skip = strspn(data, " \t\r\n");
	char c = data[skip];
	if (!source && c != '<' && c != '{' && c != '[') {
		*text = data;
		*len = n;
		return 0;
	}
	const struct source_adapter *ad = source_adapter_find(source ? source : "jsonld");
	if (!ad) {
		fprintf(stderr, "jobtrack: no adapter is called \"%s\" (see: jobtrack extract --help)\n", source);
		return 2;
	}
	struct source_config src = { .name = "scan", .kind = ad->name, .now = time(NULL) };
	if (source_run_begin(a, ad, &src) != 0) {
		fprintf(stderr, "jobtrack: out of memory\n");
		return 1;
	}
	struct source_request req = { .url = NULL, .method = "GET" };
	struct source_response res = { .request = &req, .status = 200, .body = data, .len = n };
	struct source_result out = { 0 };
	char err[512] = "";
	if (ad->parse(a, &src, &res, &out, err, sizeof(err)) == 0) {
		for (size_t i = 0; i < out.postings.count; i++) {
			struct posting *p = &out.postings.items[i];
			char why[256];
			if (posting_finish(a, p, why, sizeof(why)) != 0)
				continue;
			if (out.postings.count > 1)
				fprintf(stderr, "jobtrack: %s holds %zu postings; scanning the first (\"%s\")\n", path,
					out.postings.count, p->title ? p->title : "");
			*title = p->title;
			*text = p->description_text ? p->description_text : "";
			*len = strlen(*text);
			return 0;
		}
	}
	if (c != '<' || source) {
		fprintf(stderr, "jobtrack: no job posting found in %s (%s)%s%s\n", path,
			source ? source : "a schema.org JobPosting in JSON", err[0] ? ": " : "", err);
		return 2;
	}
	/* A page without a JobPosting: its visible text. */
	struct sanitized s;
	if (sanitize_html(a, data, n, &s) != 0) {
		fprintf(stderr, "jobtrack: cannot read the page in %s\n", path);
		return 2;
	}
	*text = s.text;
	*len = s.text_len;
	return 0;
}

int scan_other_arg(int argc, char **argv, int *i, const char **resume, char **store_argv, int *store_argc)
{
	const char *arg = argv[*i];
	if (strncmp(arg, "--", 2) == 0) {
		store_argv[(*store_argc)++] = argv[*i]; /* --data-dir, --database-url, … */
		if (!strchr(arg, '=') && *i + 1 < argc && strncmp(argv[*i + 1], "--", 2) != 0)
			store_argv[(*store_argc)++] = argv[++*i];
		return 0;
	}
	if (*resume) {
		fprintf(stderr, "jobtrack: scan takes one RESUME, not \"%s\" too (see: jobtrack scan --help)\n", arg);
		return 2;
	}
	*resume = arg;
	return 0;
}

int scan_write_report(struct buf *out)
{
	int rc = 0;
	if (buf_failed(out)) {
		fprintf(stderr, "jobtrack: the report does not fit in memory\n");
		rc = 1;
	} else {
		fwrite(out->data, 1, out->len, stdout);
	}
	buf_free(out);
	return rc;
}
