/* resume/detect — what an uploaded file is, from its bytes alone. A name
 * or a Content-Type can say anything; the content decides:
 *   PDF       "%PDF-" in the first KiB (readers allow junk before it)
 *   DOCX      a zip ("PK\3\4") holding word/document.xml
 *   Markdown  text (see below) with Markdown structure: # headings,
 *             emphasis, links, list items
 *   text      UTF-8, UTF-16 with a byte-order mark, or single-byte text
 *             with no NUL and few control characters
 * Anything else is unknown, with a word on what it looks like (an image, an
 * old .doc, an encrypted Office file, RTF, OpenDocument, an HTML page) for
 * the message. */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "resume/extract.h"
#include "resume/internal.h"

const char rx_why_encrypted[] = "an encrypted Office document: remove the password and upload it again";

static bool starts(const unsigned char *d, size_t len, const char *magic, size_t n)
{
	return len >= n && memcmp(d, magic, n) == 0;
}

static bool has(const unsigned char *d, size_t len, const char *needle, size_t n)
{
	return d && len >= n && memmem(d, len, needle, n) != NULL;
}

/* A zip's local file headers name their members in the clear: enough to
 * tell a Word document from other zips without unpacking. The central
 * directory at the end names them too (a writer may order members freely). */
static bool zip_has_member(const unsigned char *d, size_t len, const char *name)
{
	return has(d, len, name, strlen(name));
}

static const char *looks_like(const unsigned char *d, size_t len)
{
	if (starts(d, len, "\x89PNG", 4) || starts(d, len, "\xFF\xD8\xFF", 3) || starts(d, len, "GIF8", 4) ||
	    starts(d, len, "II*\0", 4) || starts(d, len, "MM\0*", 4) ||
	    (starts(d, len, "RIFF", 4) && len >= 12 && memcmp(d + 8, "WEBP", 4) == 0))
		return "an image (a photo or scan of a resume has no text to read: upload a PDF or DOCX)";
	if (starts(d, len, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
		/* Office's encrypted documents are OLE containers with an
		 * "EncryptedPackage" stream (the name is UTF-16LE). */
		static const char enc[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
		if (has(d, len, enc, sizeof(enc) - 1))
			return rx_why_encrypted;
		return "an old Word 97-2003 (.doc) or other OLE file: save it as DOCX or PDF";
	}
	if (starts(d, len, "{\\rtf", 5))
		return "an RTF file: save it as DOCX or PDF";
	/* A web page saved as a file: markup, not a resume's text. */
	size_t sp = 0;
	while (sp < len && sp < 64 && (d[sp] == ' ' || d[sp] == '\t' || d[sp] == '\r' || d[sp] == '\n'))
		sp++;
	if (len - sp >= 5 && (strncasecmp((const char *)d + sp, "<html", 5) == 0 ||
			      (len - sp >= 14 && strncasecmp((const char *)d + sp, "<!doctype html", 14) == 0)))
		return "an HTML page: save it as PDF or DOCX";
	if (starts(d, len, "PK\x03\x04", 4) || starts(d, len, "PK\x05\x06", 4)) {
		if (zip_has_member(d, len, "application/vnd.oasis.opendocument"))
			return "an OpenDocument file: save it as DOCX or PDF";
		return "a zip archive that is not a Word document";
	}
	return "not a PDF, DOCX, text or Markdown file";
}

/* Text: no NUL bytes and few C0 controls other than tab, CR, LF, FF. */
static bool plausible_text(const unsigned char *d, size_t len)
{
	size_t bad = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = d[i];
		if (c == 0)
			return false;
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')
			bad++;
	}
	return bad * 100 <= len; /* ≤ 1 % */
}

size_t rx_skip_spaces(const char *s, size_t i, size_t n)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

size_t rx_heading_mark(const char *s, size_t n)
{
	size_t i = rx_skip_spaces(s, 0, n), h = 0;
	while (i + h < n && s[i + h] == '#' && h < 7)
		h++;
	if (h >= 1 && h <= 6 && (i + h == n || s[i + h] == ' ' || s[i + h] == '\t'))
		return i + h;
	return 0;
}

bool rx_markdown_like(const unsigned char *d, size_t len)
{
	const char *s = (const char *)d;
	size_t headings = 0, marks = 0, i = 0;
	while (i < len) {
		size_t e = i;
		while (e < len && s[e] != '\n')
			e++;
		size_t n = e - i;
		if (rx_heading_mark(s + i, n))
			headings++;
		else if (n >= 2 && (s[i] == '-' || s[i] == '*' || s[i] == '+') && s[i + 1] == ' ')
			marks++;
		if (memmem(s + i, n, "**", 2) || memmem(s + i, n, "](", 2) || memmem(s + i, n, "__", 2))
			marks++;
		i = e + 1;
	}
	/* One heading plus anything else Markdown: a plain text with a
	 * hyphen list is not Markdown, one with "# Experience" is. */
	return headings >= 2 || (headings >= 1 && marks >= 1);
}

enum resume_type resume_detect_type(const void *data, size_t len, const char **why)
{
	const unsigned char *d = data;
	if (why)
		*why = NULL;
	if (!d || len == 0)
		return RESUME_TYPE_UNKNOWN;
	if (has(d, len < 1024 ? len : 1024, "%PDF-", 5))
		return RESUME_TYPE_PDF;
	/* A Word document, or an Office zip that lost its document part
	 * (the DOCX reader then says which). */
	if (starts(d, len, "PK\x03\x04", 4) &&
	    (zip_has_member(d, len, "word/document.xml") || zip_has_member(d, len, "[Content_Types].xml")))
		return RESUME_TYPE_DOCX;
	if (starts(d, len, "\xFF\xFE", 2) || starts(d, len, "\xFE\xFF", 2))
		return RESUME_TYPE_TEXT; /* UTF-16: Markdown is decided after decoding */
	const char *other = looks_like(d, len);
	if (strcmp(other, "not a PDF, DOCX, text or Markdown file") != 0 || !plausible_text(d, len)) {
		if (why)
			*why = other;
		return RESUME_TYPE_UNKNOWN;
	}
	return rx_markdown_like(d, len) ? RESUME_TYPE_MARKDOWN : RESUME_TYPE_TEXT;
}
