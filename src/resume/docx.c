/* resume/docx — the text of a Word (DOCX) resume, through libzip and
 * libxml2.
 *
 * The parts come from [Content_Types].xml (the main document part, then
 * the header and footer parts), not from guessed names; word/document.xml
 * is the fallback. In the main part, in document order:
 *   w:p        a paragraph: one line (w:br, w:cr make more, w:tab a tab)
 *   w:tbl      a table: every cell's paragraphs in row order (facts.tables)
 *   w:txbxContent  a text box: its paragraphs after the paragraph that
 *              anchors it (facts.text_boxes); of mc:AlternateContent only
 *              the first mc:Choice is read, since the mc:Fallback repeats
 *              the same box in VML
 *   w:del, w:instrText, w:delText  skipped: deleted text and field codes
 *   w:cols w:num > 1  columns (facts.columns); w:sym icon glyphs
 * Headers and footers are read the same way into the header/footer text.
 *
 * A DOCX is hostile input: members are read against a budget of unpacked
 * bytes for the whole file (declared sizes are checked first, then what
 * is actually read, since a header may lie), with a ratio check against
 * zip bombs; encrypted members, and Office's encrypted container (caught
 * in detect.c), are reported as encrypted; XML with a DTD is refused (a
 * Word part never has one; entities are how XML bombs work). */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include "resume/internal.h"

#define MAX_MEMBERS 10000
#define MAX_PARTS   32 /* headers + footers read */
#define MAX_DEFER   256

struct docx {
	struct rx *x;
	zip_t *z;
	size_t budget; /* unpacked bytes left */
	struct rx_out *o;
	int in_para;
	bool draining;             /* reading deferred text boxes */
	xmlNode *defer[MAX_DEFER]; /* text boxes met inside a paragraph */
	size_t n_defer;
};

/* Reads member name into a malloc'd NUL-terminated buffer. Returns 0,
 * 1 when there is no such member, or -1 after rx_fail. */
static int read_member(struct docx *d, const char *name, char **out, size_t *outlen)
{
	struct rx *x = d->x;
	*out = NULL;
	zip_int64_t idx = zip_name_locate(d->z, name, ZIP_FL_NOCASE);
	if (idx < 0)
		return 1;
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(d->z, (zip_uint64_t)idx, 0, &st) != 0) {
		rx_fail(x, RESUME_ERR_CORRUPT, "the DOCX file is damaged (%s)", zip_strerror(d->z));
		return -1;
	}
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
		rx_fail(x, RESUME_ERR_ENCRYPTED,
			"the DOCX file is protected by a password: remove it and upload "
			"the file again");
		return -1;
	}
	if ((st.valid & ZIP_STAT_SIZE) && st.size > d->budget) {
		rx_fail(x, RESUME_ERR_TOO_LARGE, "the DOCX file unpacks to more than %zu bytes", x->lim.max_unpacked);
		return -1;
	}
	/* Text compresses well, but not a thousand times over. */
	if ((st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE) && st.size > (1u << 20) &&
	    st.size / (st.comp_size ? st.comp_size : 1) > 1000) {
		rx_fail(x, RESUME_ERR_TOO_LARGE, "the DOCX file is a zip bomb (%s unpacks %llu times over)", name,
			(unsigned long long)(st.size / (st.comp_size ? st.comp_size : 1)));
		return -1;
	}
	zip_file_t *zf = zip_fopen_index(d->z, (zip_uint64_t)idx, 0);
	if (!zf) {
		int ze = zip_error_code_zip(zip_get_error(d->z));
		if (ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD || ze == ZIP_ER_ENCRNOTSUPP)
			rx_fail(x, RESUME_ERR_ENCRYPTED, "the DOCX file is protected by a password");
		else
			rx_fail(x, RESUME_ERR_CORRUPT, "the DOCX file is damaged (%s: %s)", name, zip_strerror(d->z));
		return -1;
	}
	size_t cap = (st.valid & ZIP_STAT_SIZE) ? (size_t)st.size + 1 : 65536;
	size_t len = 0;
	char *b = malloc(cap + 1);
	int rc = 0;
	while (b) {
		if (len == cap) {
			if (cap > d->budget) {
				rc = rx_fail(x, RESUME_ERR_TOO_LARGE, "the DOCX file unpacks to more than %zu bytes",
					     x->lim.max_unpacked);
				break;
			}
			char *nb = realloc(b, cap * 2 + 1);
			if (!nb) {
				free(b);
				b = NULL;
				break;
			}
			b = nb;
			cap *= 2;
		}
		zip_int64_t r = zip_fread(zf, b + len, cap - len);
		if (r < 0) {
			rc = rx_fail(x, RESUME_ERR_CORRUPT, "the DOCX file is damaged (%s: %s)", name,
				     zip_file_strerror(zf));
			break;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > d->budget) {
			rc = rx_fail(x, RESUME_ERR_TOO_LARGE, "the DOCX file unpacks to more than %zu bytes",
				     x->lim.max_unpacked);
			break;
		}
	}
	zip_fclose(zf);
	if (!b) {
		rx_fail(x, RESUME_ERR_NOMEM, "out of memory");
		return -1;
	}
	if (rc != 0) {
		free(b);
		return -1;
	}
	d->budget -= len;
	b[len] = '\0';
	*out = b;
	*outlen = len;
	return 0;
}

/* Parses a part; NULL after rx_fail. */
static xmlDoc *parse_part(struct docx *d, const char *name, const char *data, size_t len)
{
	if (memmem(data, len, "<!DOCTYPE", 9) || memmem(data, len, "<!ENTITY", 8)) {
		rx_fail(d->x, RESUME_ERR_CORRUPT, "the DOCX file is damaged (%s declares a DTD)", name);
		return NULL;
	}
	if (len > (size_t)0x7fffffff) {
		rx_fail(d->x, RESUME_ERR_TOO_LARGE, "the DOCX part %s is too large", name);
		return NULL;
	}
	xmlDoc *doc =
	    xmlReadMemory(data, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc || !xmlDocGetRootElement(doc)) {
		xmlFreeDoc(doc);
		rx_fail(d->x, RESUME_ERR_CORRUPT, "the DOCX file is damaged (%s is not well-formed XML)", name);
		return NULL;
	}
	return doc;
}

static bool is(const xmlNode *n, const char *local)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, local) == 0;
}

static bool in_ns(const xmlNode *n, const char *piece)
{
	return n->ns && n->ns->href && strstr((const char *)n->ns->href, piece);
}

/* The value of attribute local (any namespace) of n, or NULL. */
static const char *attr(const xmlNode *n, const char *local)
{
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (strcmp((const char *)a->name, local) == 0 && a->children && a->children->content)
			return (const char *)a->children->content;
	return NULL;
}

static void put_text_children(struct docx *d, const xmlNode *n)
{
	for (const xmlNode *t = n->children; t; t = t->next)
		if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) && t->content)
			rx_put_str(d->o, (const char *)t->content);
}

static void walk(struct docx *d, const xmlNode *n);

static void paragraph(struct docx *d, const xmlNode *p)
{
	d->in_para++;
	walk(d, p);
	d->in_para--;
	rx_put_cp(d->o, '\n');
	if (d->in_para || d->draining)
		return;
	/* Text boxes anchored in the paragraph come after it. Boxes within
	 * them are deferred in turn while these are read: the loop takes
	 * them too. */
	d->draining = true;
	for (size_t i = 0; i < d->n_defer; i++)
		walk(d, d->defer[i]);
	d->draining = false;
	d->n_defer = 0;
}

static void element(struct docx *d, const xmlNode *c)
{
	struct resume_facts *f = d->x->facts;
	if (in_ns(c, "markup-compatibility")) {
		if (!is(c, "AlternateContent"))
			return;
		const xmlNode *pick = NULL;
		for (const xmlNode *k = c->children; k && !pick; k = k->next)
			if (is(k, "Choice"))
				pick = k;
		for (const xmlNode *k = c->children; k && !pick; k = k->next)
			if (is(k, "Fallback"))
				pick = k;
		if (pick)
			walk(d, pick);
		return;
	}
	if (is(c, "blip") || is(c, "imagedata"))
		f->images = true;
	if (!in_ns(c, "wordprocessingml")) {
		walk(d, c);
		return;
	}
	const char *name = (const char *)c->name;
	switch (name[0]) {
	case 'b':
		if (is(c, "br")) {
			rx_put_cp(d->o, '\n');
			return;
		}
		break;
	case 'c':
		if (is(c, "cr")) {
			rx_put_cp(d->o, '\n');
			return;
		}
		if (is(c, "cols")) {
			const char *num = attr(c, "num");
			if (num && num[0] >= '2' && num[0] <= '9')
				f->columns = true;
			return;
		}
		break;
	case 'd':
		if (is(c, "del") || is(c, "delText"))
			return;
		break;
	case 'f':
		if (is(c, "footnoteReference") || is(c, "fldChar"))
			return;
		break;
	case 'i':
		if (is(c, "instrText"))
			return;
		break;
	case 'm':
		if (is(c, "moveFrom"))
			return;
		break;
	case 'n':
		if (is(c, "noBreakHyphen")) {
			rx_put_cp(d->o, '-');
			return;
		}
		break;
	case 'p':
		if (is(c, "p")) {
			paragraph(d, c);
			return;
		}
		/* In w:pPr only w:cols (of a w:sectPr) matters: walked on. */
		break;
	case 'r':
		if (is(c, "rPr"))
			return;
		break;
	case 's':
		if (is(c, "sym")) {
			rx_put_cp(d->o, 0xE000); /* a Symbol/Wingdings glyph: an icon */
			return;
		}
		break;
	case 't':
		if (is(c, "t")) {
			put_text_children(d, c);
			return;
		}
		if (is(c, "tab")) {
			rx_put_cp(d->o, '\t');
			return;
		}
		if (is(c, "tabs"))
			return; /* tab stops, not tabs */
		if (is(c, "tbl")) {
			f->tables = true;
			if (!rx_at_line_start(d->o))
				rx_put_cp(d->o, '\n');
			walk(d, c);
			return;
		}
		if (is(c, "txbxContent")) {
			f->text_boxes = true;
			if (d->in_para && d->n_defer < MAX_DEFER) {
				d->defer[d->n_defer++] = (xmlNode *)c;
				return;
			}
			int saved = d->in_para;
			d->in_para = 0;
			walk(d, c);
			d->in_para = saved;
			return;
		}
		break;
	default:
		break;
	}
	walk(d, c);
}

static void walk(struct docx *d, const xmlNode *n)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			element(d, c);
}

/* A side part (content types, font table) parsed quietly: NULL when it is
 * missing, unreadable, or carries a DTD (refused as in the main parts). */
static xmlDoc *read_side_part(struct docx *d, const char *name)
{
	char *data;
	size_t len;
	if (read_member(d, name, &data, &len) != 0)
		return NULL;
	xmlDoc *doc = memmem(data, len, "<!", 2)
			  ? NULL
			  : xmlReadMemory(data, (int)(len < 0x7fffffff ? len : 0x7fffffff), NULL, NULL,
					  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	free(data);
	return doc;
}

/* The parts named in [Content_Types].xml, by kind. */
struct parts {
	char *main;
	char *hf[MAX_PARTS];
	size_t n_hf;
};

static void content_types(struct docx *d, struct parts *p)
{
	xmlDoc *doc = read_side_part(d, "[Content_Types].xml");
	if (!doc)
		return;
	const xmlNode *root = xmlDocGetRootElement(doc);
	/* Headers first, then footers, each in the order listed. */
	for (int pass = 0; pass < 3 && root; pass++) {
		for (const xmlNode *c = root->children; c; c = c->next) {
			if (!is(c, "Override"))
				continue;
			const char *type = attr(c, "ContentType"), *part = attr(c, "PartName");
			if (!type || !part || !*part)
				continue;
			if (part[0] == '/')
				part++;
			if (pass == 0 && !p->main &&
			    (strstr(type, "wordprocessingml.document.main+xml") ||
			     strstr(type, "wordprocessingml.template.main+xml") ||
			     strstr(type, "ms-word.document.macroEnabled.main+xml") ||
			     strstr(type, "ms-word.template.macroEnabledTemplate.main+xml")))
				p->main = strdup(part);
			else if (((pass == 1 && strstr(type, "wordprocessingml.header+xml")) ||
				  (pass == 2 && strstr(type, "wordprocessingml.footer+xml"))) &&
				 p->n_hf < MAX_PARTS)
				p->hf[p->n_hf++] = strdup(part);
		}
	}
	xmlFreeDoc(doc);
}

static int read_part(struct docx *d, const char *name, struct rx_out *o, bool required)
{
	char *data;
	size_t len;
	int r = read_member(d, name, &data, &len);
	if (r < 0)
		return -1;
	if (r > 0) {
		if (!required)
			return 0;
		rx_fail(d->x, RESUME_ERR_CORRUPT, "the DOCX file has no document part (%s)", name);
		return -1;
	}
	xmlDoc *doc = parse_part(d, name, data, len);
	free(data);
	if (!doc)
		return -1;
	d->o = o;
	d->in_para = 0;
	d->n_defer = 0;
	walk(d, (xmlNode *)doc);
	xmlFreeDoc(doc);
	return 0;
}

static void fonts(struct docx *d)
{
	xmlDoc *doc = read_side_part(d, "word/fontTable.xml");
	const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	for (const xmlNode *c = root ? root->children : NULL; c; c = c->next)
		if (is(c, "font"))
			rx_add_font(d->x, attr(c, "name"));
	xmlFreeDoc(doc);
}

enum resume_error rx_docx(struct rx *x, const unsigned char *data, size_t len)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	if (!src) {
		zip_error_fini(&ze);
		return rx_fail(x, RESUME_ERR_NOMEM, "out of memory");
	}
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!z) {
		zip_source_free(src);
		enum resume_error rc =
		    rx_fail(x, RESUME_ERR_CORRUPT, "the DOCX file is damaged: %s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return rc;
	}
	zip_error_fini(&ze);
	struct docx *d = calloc(1, sizeof(*d));
	struct parts p = { 0 };
	if (!d) {
		zip_discard(z);
		return rx_fail(x, RESUME_ERR_NOMEM, "out of memory");
	}
	d->x = x;
	d->z = z;
	d->budget = x->lim.max_unpacked;
	zip_int64_t members = zip_get_num_entries(z, 0);
	if (members > MAX_MEMBERS) {
		rx_fail(x, RESUME_ERR_TOO_COMPLEX, "the DOCX file has %lld parts; at most %d are allowed",
			(long long)members, MAX_MEMBERS);
		goto out;
	}
	content_types(d, &p);
	if (x->code != RESUME_OK)
		goto out;
	if (!p.main && zip_name_locate(z, "word/document.xml", ZIP_FL_NOCASE) < 0) {
		if (zip_name_locate(z, "xl/workbook.xml", ZIP_FL_NOCASE) >= 0)
			rx_fail(x, RESUME_ERR_UNSUPPORTED, "this is an Excel workbook, not a resume document");
		else if (zip_name_locate(z, "ppt/presentation.xml", ZIP_FL_NOCASE) >= 0)
			rx_fail(x, RESUME_ERR_UNSUPPORTED, "this is a PowerPoint presentation, not a resume document");
		else
			rx_fail(x, RESUME_ERR_CORRUPT, "the DOCX file has no document part (word/document.xml)");
		goto out;
	}
	if (read_part(d, p.main ? p.main : "word/document.xml", &x->body, true) != 0)
		goto out;
	for (size_t i = 0; i < p.n_hf && !rx_out_of_time(x); i++)
		if (read_part(d, p.hf[i], &x->hf, false) != 0)
			goto out;
	fonts(d);
	if (rx_out_of_time(x))
		rx_fail(x, RESUME_ERR_TOO_COMPLEX, "the DOCX file took more than %g s to read", x->lim.max_seconds);
out:
	free(p.main);
	for (size_t i = 0; i < p.n_hf; i++)
		free(p.hf[i]);
	free(d);
	zip_discard(z);
	return x->code;
}
