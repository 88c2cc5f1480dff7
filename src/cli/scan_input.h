/* cli/scan_input — the inputs of `jobtrack scan`: a resume file as text,
 * and a posting from a file (a saved page or payload, read with the same
 * adapters and cleaning as `jobtrack extract`, or plain text). */
#ifndef JT_CLI_SCAN_INPUT_H
#define JT_CLI_SCAN_INPUT_H

#include <stddef.h>

struct arena;

#define SCAN_INPUT_MAX (16u << 20)

/* The resume's text. Plain text and Markdown are read here; the type is
 * told by content (a PDF or DOCX is named as such). 0, or 1/2 with a message
 * printed (2: the file is not usable as given). */
int scan_read_resume(struct arena *a, const char *path, const char **text, size_t *len);
/* The same with what the reader learnt of the file (its facts, the text
 * of its headers and footers) for the ATS-readability checks. */
struct resume_text;
int scan_read_resume_doc(struct arena *a, const char *path, struct resume_text *out);

/* The posting in path: *title (NULL when the file is plain text, a PDF or
 * a DOCX: the scanner takes its first line naming an occupation) and
 * *text. source: the adapter to read a
 * payload with ("greenhouse", …), NULL for schema.org JobPosting (jsonld)
 * in a page or JSON, or plain text. 0, or 1/2 with a message. */
int scan_read_posting(struct arena *a, const char *path, const char *source, const char **title, const char **text,
		      size_t *len);

/* An argument of `jobtrack scan` no option took: an --option (with its
 * value, when one follows) goes to store_argv for the store's settings
 * (--data-dir, --database-url, …), anything else is the one RESUME. 0, or
 * 2 with a message (a second RESUME). */
int scan_other_arg(int argc, char **argv, int *i, const char **resume, char **store_argv, int *store_argc);

/* Writes a finished report to standard output and frees it: 0, or 1 with
 * a message when it did not fit in memory. */
struct buf;
int scan_write_report(struct buf *out);

#endif
