/* template — Mustache compiler and renderer; see template.h for the semantics.
 *
 * Compiling turns the source into a flat array of nodes. A section node
 * records the index just past its body, so rendering walks the array and
 * skips or repeats bodies without any tree pointers. Text and names point
 * into the template's own copy of the source, so rendering never allocates:
 * the context stack and the partial indentation are linked lists of frames
 * on the C stack.
 */
#include "web/template.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tpl_op {
	OP_TEXT,     /* literal text */
	OP_INDENT,   /* a line starts here: emit the partial indentation, if any */
	OP_VAR,      /* {{name}}: escaped */
	OP_RAW,      /* {{{name}}} or {{&name}}: not escaped */
	OP_SECTION,  /* {{#name}} ... {{/name}} */
	OP_INVERTED, /* {{^name}} ... {{/name}} */
	OP_PARTIAL,  /* {{>name}} */
};

/* One dotted part of a name, pointing into the template's source copy. */
struct tpl_part {
	const char *s;
	size_t len;
};

struct tpl_node {
	enum tpl_op op;
	/* TEXT: the text starts a line. PARTIAL: the tag stood alone on its line,
	 * so the partial is indented by `ind`. */
	bool flag;
	/* TEXT: the text. PARTIAL: the partial's name. SECTION/INVERTED: the raw
	 * name, kept to match the close tag and to report errors. */
	const char *str;
	size_t len;
	/* PARTIAL: whitespace before a standalone tag. */
	const char *ind;
	size_t ind_len;
	/* VAR/RAW/SECTION/INVERTED: parts[first .. first + nparts); 0 parts is ".". */
	size_t first, nparts;
	/* SECTION/INVERTED: index of the first node after the body. */
	size_t end;
};

struct tpl {
	char *src; /* owned copy of the source; every pointer in nodes/parts points here */
	size_t len;
	struct tpl_node *nodes;
	size_t nnodes, nodes_cap;
	struct tpl_part *parts;
	size_t nparts, parts_cap;
};

struct tpl_entry {
	char *name; /* owned, NUL-terminated */
	size_t name_len;
	struct tpl *tpl;
};

struct tpl_set {
	struct tpl_entry *v;
	size_t n, cap;
};

/* ---- compiled templates ------------------------------------------------ */

static void tpl_free(struct tpl *t)
{
	if (!t)
		return;
	free(t->src);
	free(t->nodes);
	free(t->parts);
	free(t);
}

/* Grows *arr (elements of size `size`) so that one more fits. */
static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / size)
		return -ENOMEM;
	void *p = realloc(*arr, ncap * size);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

/* Appends a zeroed node of kind op; returns it, or NULL when out of memory. */
static struct tpl_node *add_node(struct tpl *t, enum tpl_op op)
{
	if (grow((void **)&t->nodes, &t->nodes_cap, t->nnodes, sizeof(*t->nodes)))
		return NULL;
	struct tpl_node *n = &t->nodes[t->nnodes++];
	memset(n, 0, sizeof(*n));
	n->op = op;
	return n;
}

/* ---- compiler ---------------------------------------------------------- */

struct compiler {
	struct tpl *t;
	const char *src, *end;
	const char *otag, *ctag; /* current delimiters, pointing into the source */
	size_t olen, clen;
	size_t open[TPL_MAX_NESTING]; /* node indices of the sections still open */
	size_t nopen;
	const char *label; /* template name for messages, or NULL */
	char *err;
	size_t errlen;
};

static unsigned line_of(const struct compiler *c, const char *at)
{
	unsigned line = 1;
	for (const char *p = c->src; p < at; p++)
		line += *p == '\n';
	return line;
}

/* Writes "label: line N: message" into the caller's err; returns -EINVAL. */
__attribute__((format(printf, 3, 4))) static int syntax_error(const struct compiler *c, const char *at, const char *fmt,
							      ...)
{
	if (!c->err || !c->errlen)
		return -EINVAL;
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s%sline %u: %s", c->label ? c->label : "", c->label ? ": " : "", line_of(c, at),
		 msg);
	return -EINVAL;
}

/* Names quoted in messages are cut short so a runaway tag stays readable. */
static int qlen(size_t len)
{
	return len > 40 ? 40 : (int)len;
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\v' || ch == '\f';
}

static const char *find(const char *from, const char *end, const char *needle, size_t nlen)
{
	if (from >= end)
		return NULL;
	return memmem(from, (size_t)(end - from), needle, nlen);
}

/* Finds the closing delimiter of a tag whose content starts at `from`. With
 * `lead` set the delimiter must follow that character, which is how "}}}"
 * and "=}}" end triple-mustache and set-delimiter tags. */
static const char *find_close(const struct compiler *c, const char *from, char lead)
{
	for (const char *s = from;;) {
		const char *q = find(s, c->end, c->ctag, c->clen);
		if (!q || !lead || (q > from && q[-1] == lead))
			return q;
		s = q + 1;
	}
}

static void trim(const char **s, const char **e)
{
	while (*s < *e && is_space(**s))
		(*s)++;
	while (*e > *s && is_space((*e)[-1]))
		(*e)--;
}

/* Checks that [s, e) is one run of non-whitespace characters. */
static bool is_word(const char *s, const char *e)
{
	if (s == e)
		return false;
	for (const char *p = s; p < e; p++)
		if (is_space(*p))
			return false;
	return true;
}

/* Splits a name into dotted parts for node n; "." alone has no parts. */
static int parse_name(struct compiler *c, struct tpl_node *n, const char *s, const char *e, const char *tag)
{
	if (!is_word(s, e))
		return syntax_error(c, tag, "bad tag name '%.*s'", qlen((size_t)(e - s)), s);
	struct tpl *t = c->t;
	n->first = t->nparts;
	n->nparts = 0;
	if (e - s == 1 && *s == '.')
		return 0;
	for (const char *p = s;;) {
		const char *dot = memchr(p, '.', (size_t)(e - p));
		const char *pe = dot ? dot : e;
		if (pe == p)
			return syntax_error(c, tag, "bad tag name '%.*s'", qlen((size_t)(e - s)), s);
		if (grow((void **)&t->parts, &t->parts_cap, t->nparts, sizeof(*t->parts)))
			return -ENOMEM;
		t->parts[t->nparts++] = (struct tpl_part){ .s = p, .len = (size_t)(pe - p) };
		n->nparts++;
		if (!dot)
			return 0;
		p = dot + 1;
	}
}

static int add_text(struct compiler *c, const char *s, const char *e)
{
	if (s == e)
		return 0;
	struct tpl_node *n = add_node(c->t, OP_TEXT);
	if (!n)
		return -ENOMEM;
	n->str = s;
	n->len = (size_t)(e - s);
	n->flag = s == c->src || s[-1] == '\n';
	return 0;
}

/* Handles {{=open close=}}: content is what lies between the two '='. */
static int set_delimiters(struct compiler *c, const char *s, const char *e, const char *tag)
{
	trim(&s, &e);
	const char *o = s, *oe = s;
	while (oe < e && !is_space(*oe))
		oe++;
	const char *cl = oe;
	while (cl < e && is_space(*cl))
		cl++;
	if (oe == o || cl == e || !is_word(cl, e))
		return syntax_error(c, tag, "bad delimiter change; want {{=open close=}}");
	c->otag = o;
	c->olen = (size_t)(oe - o);
	c->ctag = cl;
	c->clen = (size_t)(e - cl);
	return 0;
}

static int open_section(struct compiler *c, enum tpl_op op, const char *s, const char *e, const char *tag)
{
	if (c->nopen == TPL_MAX_NESTING)
		return syntax_error(c, tag, "sections nested deeper than %d", TPL_MAX_NESTING);
	struct tpl_node *n = add_node(c->t, op);
	if (!n)
		return -ENOMEM;
	n->str = s;
	n->len = (size_t)(e - s);
	c->open[c->nopen++] = c->t->nnodes - 1;
	return parse_name(c, n, s, e, tag);
}

static int close_section(struct compiler *c, const char *s, const char *e, const char *tag)
{
	if (!c->nopen)
		return syntax_error(c, tag, "close tag '/%.*s' without an open section", qlen((size_t)(e - s)), s);
	struct tpl_node *n = &c->t->nodes[c->open[c->nopen - 1]];
	if (n->len != (size_t)(e - s) || memcmp(n->str, s, n->len))
		return syntax_error(c, tag, "close tag '/%.*s' does not match '%.*s' opened on line %u",
				    qlen((size_t)(e - s)), s, qlen(n->len), n->str, line_of(c, n->str));
	c->nopen--;
	n->end = c->t->nnodes;
	return 0;
}

static int add_partial(struct compiler *c, const char *s, const char *e, const char *tag, bool standalone,
		       const char *ind, size_t ind_len)
{
	if (!is_word(s, e))
		return syntax_error(c, tag, "bad partial name '%.*s'", qlen((size_t)(e - s)), s);
	struct tpl_node *n = add_node(c->t, OP_PARTIAL);
	if (!n)
		return -ENOMEM;
	n->str = s;
	n->len = (size_t)(e - s);
	n->flag = standalone;
	n->ind = ind;
	n->ind_len = ind_len;
	return 0;
}

/* Parses one tag starting at `tag` and everything before it (from *pos);
 * advances *pos past the tag, or past its whole line when it stands alone. */
static int compile_tag(struct compiler *c, const char **pos, const char *tag)
{
	const char *p = tag + c->olen;
	if (p >= c->end)
		return syntax_error(c, tag, "unclosed tag");
	char type = *p;
	const char *q;
	switch (type) {
	case '{':
	case '=':
		p++;
		q = find_close(c, p, type == '{' ? '}' : '=');
		break;
	case '&':
	case '#':
	case '^':
	case '/':
	case '!':
	case '>':
		p++;
		q = find_close(c, p, 0);
		break;
	default:
		type = 0;
		q = find_close(c, p, 0);
		break;
	}
	if (!q)
		return syntax_error(c, tag, "unclosed tag");
	const char *tag_end = q + c->clen;
	const char *s = p, *e = q;
	if (type == '{' || type == '=')
		e--; /* drop the '}' or '=' in front of the closing delimiter */
	trim(&s, &e);

	/* A section, inverted, close, comment, partial or delimiter tag alone on
	 * its line (only blanks around it) takes the whole line with it, so that
	 * control tags on lines of their own leave no blank lines behind. */
	bool standalone = false;
	const char *ls = tag, *eol = tag_end;
	if (type && type != '{' && type != '&') {
		while (ls > *pos && is_blank(ls[-1]))
			ls--;
		bool before = ls == c->src || ls[-1] == '\n';
		while (eol < c->end && is_blank(*eol))
			eol++;
		if (eol < c->end && *eol == '\r' && eol + 1 < c->end && eol[1] == '\n')
			eol++;
		bool after = eol == c->end || *eol == '\n';
		standalone = before && after;
		if (standalone && eol < c->end)
			eol++; /* the line's newline goes too */
	}

	int rc = add_text(c, *pos, standalone ? ls : tag);
	if (rc)
		return rc;
	/* A tag that starts a line gets an indent marker, so an indented partial
	 * indents this line even though no text node starts it. */
	if (!standalone && (tag == c->src || tag[-1] == '\n') && !add_node(c->t, OP_INDENT))
		return -ENOMEM;
	*pos = standalone ? eol : tag_end;

	struct tpl_node *n;
	switch (type) {
	case '!':
		return 0;
	case '=':
		return set_delimiters(c, s, e, tag);
	case '#':
		return open_section(c, OP_SECTION, s, e, tag);
	case '^':
		return open_section(c, OP_INVERTED, s, e, tag);
	case '/':
		return close_section(c, s, e, tag);
	case '>':
		return add_partial(c, s, e, tag, standalone, ls, (size_t)(tag - ls));
	default:
		n = add_node(c->t, type ? OP_RAW : OP_VAR);
		if (!n)
			return -ENOMEM;
		return parse_name(c, n, s, e, tag);
	}
}

/* Compiles src into a new template (*out). label names it in messages. */
static int compile(const char *label, const char *src, size_t len, char *err, size_t errlen, struct tpl **out)
{
	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	if (!src && len)
		return -EINVAL;
	struct tpl *t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->src = malloc(len + 1);
	if (!t->src) {
		free(t);
		return -ENOMEM;
	}
	if (len)
		memcpy(t->src, src, len);
	t->src[len] = '\0';
	t->len = len;

	struct compiler c = {
		.t = t,
		.src = t->src,
		.end = t->src + len,
		.otag = "{{",
		.olen = 2,
		.ctag = "}}",
		.clen = 2,
		.label = label,
		.err = err,
		.errlen = errlen,
	};
	const char *pos = c.src;
	int rc = 0;
	while (!rc && pos < c.end) {
		const char *tag = find(pos, c.end, c.otag, c.olen);
		if (!tag) {
			rc = add_text(&c, pos, c.end);
			break;
		}
		rc = compile_tag(&c, &pos, tag);
	}
	if (!rc && c.nopen) {
		const struct tpl_node *n = &t->nodes[c.open[c.nopen - 1]];
		rc = syntax_error(&c, n->str, "unclosed section '%.*s'", qlen(n->len), n->str);
	}
	if (rc) {
		tpl_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

/* ---- sets -------------------------------------------------------------- */

struct tpl_set *tpl_set_new(void)
{
	return calloc(1, sizeof(struct tpl_set));
}

void tpl_set_free(struct tpl_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++) {
		free(set->v[i].name);
		tpl_free(set->v[i].tpl);
	}
	free(set->v);
	free(set);
}

static struct tpl_entry *set_find(const struct tpl_set *set, const char *name, size_t len)
{
	if (!set)
		return NULL;
	for (size_t i = 0; i < set->n; i++) {
		struct tpl_entry *e = &set->v[i];
		if (e->name_len == len && !memcmp(e->name, name, len))
			return e;
	}
	return NULL;
}

int tpl_set_add(struct tpl_set *set, const char *name, const char *src, size_t len, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	if (!set || !name)
		return -EINVAL;
	struct tpl *t;
	int rc = compile(name, src, len, err, errlen, &t);
	if (rc)
		return rc;
	size_t nlen = strlen(name);
	struct tpl_entry *e = set_find(set, name, nlen);
	if (e) {
		tpl_free(e->tpl);
		e->tpl = t;
		return 0;
	}
	char *copy = malloc(nlen + 1);
	if (!copy || grow((void **)&set->v, &set->cap, set->n, sizeof(*set->v))) {
		free(copy);
		tpl_free(t);
		return -ENOMEM;
	}
	memcpy(copy, name, nlen + 1);
	set->v[set->n++] = (struct tpl_entry){ .name = copy, .name_len = nlen, .tpl = t };
	return 0;
}

int tpl_set_has(const struct tpl_set *set, const char *name)
{
	return name && set_find(set, name, strlen(name)) != NULL;
}

/* ---- rendering --------------------------------------------------------- */

/* The context stack, innermost first; frames live on the C stack. */
struct frame {
	const json_t *v;
	const struct frame *up;
};

/* Indentation of nested standalone partials, innermost first. */
struct indent {
	const char *s;
	size_t len;
	const struct indent *up;
};

/* Per-render state; lives on the renderer's stack, so renders share nothing. */
struct render {
	const struct tpl_set *set;
	struct buf *out;
	unsigned depth;         /* partials currently being expanded */
	unsigned long partials; /* partials expanded so far */
};

static void put_indent(struct buf *out, const struct indent *in)
{
	if (!in)
		return;
	put_indent(out, in->up); /* outer partials' indentation comes first */
	buf_append(out, in->s, in->len);
}

/* Text inside an indented partial: every line that starts in it is indented.
 * A newline at the very end starts a line only if something follows, and
 * whatever follows (text or an OP_INDENT) indents itself. */
static void put_text_indented(struct buf *out, const struct tpl_node *n, const struct indent *in)
{
	const char *s = n->str, *e = n->str + n->len;
	if (n->flag)
		put_indent(out, in);
	for (const char *nl; (nl = memchr(s, '\n', (size_t)(e - s)));) {
		buf_append(out, s, (size_t)(nl + 1 - s));
		s = nl + 1;
		if (s < e)
			put_indent(out, in);
	}
	buf_append(out, s, (size_t)(e - s));
}

static const json_t *lookup(const struct tpl *t, const struct tpl_node *n, const struct frame *f)
{
	if (!n->nparts)
		return f ? f->v : NULL;
	const struct tpl_part *p = &t->parts[n->first];
	const json_t *v = NULL;
	/* The first part resolves in the innermost context that has it as a key
	 * (even with a null value, which hides outer ones); the rest resolve
	 * only inside the value found so far. */
	for (; f && !v; f = f->up)
		if (json_is_object(f->v))
			v = json_object_getn(f->v, p[0].s, p[0].len);
	for (size_t i = 1; v && i < n->nparts; i++)
		v = json_is_object(v) ? json_object_getn(v, p[i].s, p[i].len) : NULL;
	return v;
}

static bool truthy(const json_t *v)
{
	if (!v || json_is_null(v) || json_is_false(v))
		return false;
	return !json_is_array(v) || json_array_size(v) > 0;
}

/* Appends the shortest %g form of d that reads back as d. %.15g always reads
 * back when any shorter form does, so at most three tries are needed. */
static void put_real(struct buf *out, double d)
{
	char tmp[40];
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	buf_puts(out, tmp);
}

/* Integers are on every page (ids, counts); converting by hand skips printf's
 * format parsing, which costs more than the rest of a variable tag. */
static void put_int(struct buf *out, json_int_t v)
{
	char tmp[24];
	char *p = tmp + sizeof(tmp);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		*--p = (char)('0' + u % 10);
	} while (u /= 10);
	if (v < 0)
		*--p = '-';
	buf_append(out, p, (size_t)(tmp + sizeof(tmp) - p));
}

static void put_value(struct buf *out, const json_t *v, bool escape)
{
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		if (escape)
			buf_put_html(out, json_string_value(v), json_string_length(v));
		else
			buf_append(out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		put_int(out, json_integer_value(v));
		break;
	case JSON_REAL:
		put_real(out, json_real_value(v));
		break;
	case JSON_TRUE:
		buf_puts(out, "true");
		break;
	case JSON_FALSE:
		buf_puts(out, "false");
		break;
	default:
		break;
	}
}

static void render_nodes(struct render *r, const struct tpl *t, size_t i, size_t end, const struct frame *f,
			 const struct indent *in);

static void render_partial(struct render *r, const struct tpl_node *n, const struct frame *f, const struct indent *in)
{
	/* Past the limits the partial renders as nothing: a template that recurses
	 * without end is a bug, but it must not take the server down. */
	if (r->depth >= TPL_MAX_PARTIAL_DEPTH || r->partials >= TPL_MAX_PARTIAL_CALLS)
		return;
	const struct tpl_entry *e = set_find(r->set, n->str, n->len);
	if (!e)
		return;
	struct indent mine = { .s = n->ind, .len = n->ind_len, .up = in };
	r->depth++;
	r->partials++;
	/* Only a standalone tag indents the partial (with the indentation of the
	 * line it sits in); an inline one leaves the partial's lines alone. */
	render_nodes(r, e->tpl, 0, e->tpl->nnodes, f, n->flag ? &mine : NULL);
	r->depth--;
}

static void render_nodes(struct render *r, const struct tpl *t, size_t i, size_t end, const struct frame *f,
			 const struct indent *in)
{
	struct buf *out = r->out;
	while (i < end && !out->error) {
		const struct tpl_node *n = &t->nodes[i];
		const json_t *v;
		switch (n->op) {
		case OP_TEXT:
			if (in)
				put_text_indented(out, n, in);
			else
				buf_append(out, n->str, n->len);
			i++;
			break;
		case OP_INDENT:
			put_indent(out, in);
			i++;
			break;
		case OP_VAR:
		case OP_RAW:
			put_value(out, lookup(t, n, f), n->op == OP_VAR);
			i++;
			break;
		case OP_SECTION:
			v = lookup(t, n, f);
			if (json_is_array(v)) {
				size_t k;
				const json_t *item;
				json_array_foreach (v, k, item) {
					struct frame fr = { .v = item, .up = f };
					render_nodes(r, t, i + 1, n->end, &fr, in);
					if (out->error)
						break;
				}
			} else if (truthy(v)) {
				struct frame fr = { .v = v, .up = f };
				render_nodes(r, t, i + 1, n->end, &fr, in);
			}
			i = n->end;
			break;
		case OP_INVERTED:
			if (!truthy(lookup(t, n, f)))
				render_nodes(r, t, i + 1, n->end, f, in);
			i = n->end;
			break;
		case OP_PARTIAL:
			render_partial(r, n, f, in);
			i++;
			break;
		}
	}
}

static int render(const struct tpl_set *set, const struct tpl *t, const json_t *ctx, struct buf *out)
{
	struct render r = { .set = set, .out = out };
	struct frame root = { .v = ctx, .up = NULL };
	render_nodes(&r, t, 0, t->nnodes, ctx ? &root : NULL, NULL);
	return buf_failed(out);
}

int tpl_render(const struct tpl_set *set, const char *name, const json_t *ctx, struct buf *out)
{
	const struct tpl_entry *e = name ? set_find(set, name, strlen(name)) : NULL;
	if (!e)
		return -ENOENT;
	return render(set, e->tpl, ctx, out);
}

int tpl_render_string(const struct tpl_set *partials, const char *src, size_t len, const json_t *ctx, struct buf *out,
		      char *err, size_t errlen)
{
	struct tpl *t;
	int rc = compile(NULL, src, len, err, errlen, &t);
	if (rc)
		return rc;
	rc = render(partials, t, ctx, out);
	tpl_free(t);
	return rc;
}
