/* resume/layout — reading order for the text fragments of a PDF page.
 *
 * A PDF draws glyphs anywhere, in any order; MuPDF groups them into lines
 * and the PDF reader (pdf.c) cuts those lines at wide gaps into fragments.
 * This file, which knows nothing of MuPDF, decides:
 *   - header and footer lines: in the top or bottom band of the page and
 *     repeated on another page (digits aside: "Page 2 of 3"), or a page
 *     number alone; they go apart from the body;
 *   - columns: a vertical gutter in the middle of the page with text on
 *     both sides makes the left column read before the right one; lines
 *     across the gutter (a name, a heading) read where they stand. Short
 *     right-hand fragments on the baselines of left-hand ones (dates and
 *     places beside job titles) are fields of one row, not a column;
 *   - rows: fragments on one baseline join with a tab (far apart) or a
 *     space; a wide gap between rows makes an empty line (a new block);
 *     rows of cells that line up are reported as a table;
 *   - hyphenation: a row ending in a hyphen after a letter, followed by
 *     one starting with a lower-case letter, joins without the hyphen
 *     ("manage-" + "ment" is "management"); a soft hyphen always joins. */
#ifndef JT_RESUME_LAYOUT_H
#define JT_RESUME_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "resume/internal.h"

struct rx_line {
	float x0, y0, x1, y1; /* bounding box, y growing downwards */
	float size;           /* font size */
	size_t off, len;      /* UTF-8 text in the page set's text */
	bool hf;              /* set by rx_layout_mark_hf */
};

struct rx_page {
	struct rx_line *lines;
	size_t n;
	float w, h;
};

/* Marks the header/footer lines of every page (see above). */
void rx_layout_mark_hf(struct rx_page *pages, size_t n_pages, const char *text, struct arena *a);
/* Writes the body lines of one page in reading order to body; returns
 * what it saw: RX_LAYOUT_COLUMNS when it read the page as columns,
 * RX_LAYOUT_TABLES when three rows or more of three cells or more line up
 * (cells set apart by gaps wider than an em, starting at the same x).
 * scratch is for temporary arrays. */
#define RX_LAYOUT_COLUMNS 1u
#define RX_LAYOUT_TABLES  2u
unsigned rx_layout_body(const struct rx_page *p, const char *text, struct rx_out *body, struct arena *scratch);
/* Writes the header/footer lines of the pages to hf, each distinct line
 * (digits aside) once. */
void rx_layout_hf(const struct rx_page *pages, size_t n_pages, const char *text, struct rx_out *hf,
		  struct arena *scratch);

#endif
