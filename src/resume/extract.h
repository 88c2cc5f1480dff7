/* resume/extract — the text of an uploaded resume, whatever its format.
 *
 * resume_extract_text() takes the file's bytes (never its name: the type is
 * decided by content — magic bytes and structure) and gives back:
 *   - body: the text in reading order (PDF columns read one after the
 *     other, ligatures expanded, words hyphenated at a line end joined,
 *     DOCX paragraphs, table cells and text boxes in document order), one
 *     line per line of the document, a blank line between blocks;
 *   - header_footer: text from page headers and footers, apart from the
 *     body (an ATS often ignores it: contact details only there are lost);
 *   - facts for the ATS-readability checks (text layer, pages, columns,
 *     tables, icon glyphs, fonts, file type).
 * Formats: PDF (MuPDF), DOCX (libzip + libxml2), plain text (UTF-8, UTF-16
 * with a byte-order mark, Latin-1/Windows-1252 otherwise) and Markdown.
 * Every failure has its own code and a message a user can act on.
 *
 * Files are hostile input: sizes, pages, zip members, XML and time are all
 * bounded (struct resume_limits), MuPDF runs under fz_try with a capped
 * allocator, and nothing here reads a name, path or the network.
 * Thread-safe: each call has its own MuPDF context. */
#ifndef JT_RESUME_EXTRACT_H
#define JT_RESUME_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"

enum resume_type {
	RESUME_TYPE_UNKNOWN = 0,
	RESUME_TYPE_PDF,
	RESUME_TYPE_DOCX,
	RESUME_TYPE_TEXT,
	RESUME_TYPE_MARKDOWN,
};

enum resume_error {
	RESUME_OK = 0,
	RESUME_ERR_EMPTY,         /* no bytes, or a document with no text at all */
	RESUME_ERR_TOO_LARGE,     /* over max_bytes, or unpacks to more than allowed */
	RESUME_ERR_UNSUPPORTED,   /* not PDF, DOCX, text or Markdown (images, .doc, RTF, ODT…) */
	RESUME_ERR_CORRUPT,       /* claims a format but cannot be read as it */
	RESUME_ERR_ENCRYPTED,     /* needs a password */
	RESUME_ERR_NO_TEXT_LAYER, /* a PDF of images only: a scan, nothing to read */
	RESUME_ERR_TOO_COMPLEX,   /* over the page, time or memory bounds */
	RESUME_ERR_NOMEM,
};

/* Bounds for one extraction; resume_limits_default() gives the ones the
 * upload path uses. A zero field means "the default". */
struct resume_limits {
	size_t max_bytes;    /* the file itself */
	int max_pages;       /* PDF pages read (more pages: TOO_COMPLEX) */
	size_t max_text;     /* bytes of extracted text kept */
	size_t max_unpacked; /* DOCX: bytes unpacked from the zip, all parts */
	size_t max_memory;   /* MuPDF's allocations */
	double max_seconds;  /* wall time: a watchdog stops MuPDF mid-page; DOCX parts check it */
};

#define RESUME_MAX_BYTES_DEFAULT (10u << 20)
#define RESUME_FONTS_MAX         16

struct resume_facts {
	enum resume_type type;
	const char *encoding;   /* text files: "UTF-8", "UTF-16LE", "UTF-16BE", "Windows-1252" */
	bool text_layer;        /* PDF: some page has text drawn as text */
	int pages;              /* PDF: pages in the file; others: 0 */
	int pages_without_text; /* PDF: pages that hold images but no text */
	bool columns;           /* a multi-column layout (PDF gutter, DOCX w:cols) */
	bool tables;            /* DOCX w:tbl, Markdown pipe tables, PDF rows of cells that line up */
	bool text_boxes;        /* DOCX w:txbxContent */
	bool images;            /* PDF image blocks, DOCX drawings */
	bool header_footer;     /* some text was in headers or footers */
	int icon_glyphs;        /* private-use or symbol-font characters (icons), dropped */
	size_t n_fonts;
	const char *fonts[RESUME_FONTS_MAX]; /* font names as the file gives them */
	size_t words;                        /* in the body */
};

struct resume_text {
	char *body; /* NUL-terminated UTF-8, in the caller's arena */
	size_t body_len;
	char *header_footer; /* the same, "" when there is none */
	size_t header_footer_len;
	struct resume_facts facts;
};

void resume_limits_default(struct resume_limits *lim);

/* Detects the type of data (by content only). RESUME_TYPE_UNKNOWN when it
 * is none of the four; *why (may be NULL) then names what it looks like. */
enum resume_type resume_detect_type(const void *data, size_t len, const char **why);

/* Extracts the text of data[0..len). lim may be NULL (the defaults). On
 * RESUME_OK *out is filled, its strings in a; otherwise err (which may be
 * NULL) holds a message for the user and out->facts what was learnt. */
enum resume_error resume_extract_text(const void *data, size_t len, const struct resume_limits *lim, struct arena *a,
				      struct resume_text *out, char *err, size_t errlen);

/* A stable machine name for an error ("encrypted", "no_text_layer", …) and
 * for a type ("pdf", "docx", "text", "markdown", "unknown"). */
const char *resume_error_name(enum resume_error e);
const char *resume_type_name(enum resume_type t);

#endif
