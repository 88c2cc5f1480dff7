/* finish — the last cleaning step of every posting; see finish.h. */
#include "scrape/finish.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/text.h"
#include "base/timefmt.h"
#include "scrape/sanitize.h"

const char *finish_line(struct arena *a, const char *s, size_t max)
{
	if (!s)
		return NULL;
	size_t len = strlen(s);
	if (len > 4 * max)
		len = 4 * max; /* nothing past this survives the cut anyway */
	const char *src = s;
	if (memchr(s, '&', len)) {
		src = sanitize_unescape_entities(a, s, len, &len);
		if (!src)
			return NULL;
	}
	char *out = arena_alloc_raw(a, len + 1);
	if (!out)
		return NULL;
	size_t n = 0;
	bool space = false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)src[i];
		/* C0 controls, DEL and the line/paragraph separators' lead-ins are spacing. */
		if (c < 0x20 || c == 0x7f || c == ' ') {
			space = n > 0;
			continue;
		}
		if (space) {
			out[n++] = ' ';
			space = false;
		}
		out[n++] = (char)c;
	}
	out[n] = '\0';
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)out[n] & 0xC0) == 0x80)
			n--; /* do not cut a UTF-8 sequence */
		out[n] = '\0';
		while (n > 0 && out[n - 1] == ' ')
			out[--n] = '\0';
	}
	if (!text_utf8_valid(out, n))
		return NULL; /* the sanitiser repairs descriptions; a broken title is not worth guessing */
	return n ? out : NULL;
}

static const char *clean_url(struct arena *a, const char *url)
{
	if (!url || !*url)
		return NULL;
	size_t len = strlen(url);
	if (len > SANITIZE_URL_MAX)
		return NULL;
	char *out = arena_alloc_raw(a, 3 * len + 1);
	if (!out || sanitize_url(url, len, out, 3 * len + 1) != 0)
		return NULL;
	if (strncasecmp(out, "mailto:", 7) == 0)
		return NULL; /* a posting's page or apply link is a web page */
	return out;
}

static void clean_salary(struct posting_salary *s)
{
	if (!s->present)
		return;
	if (s->min < 0 || s->max < 0 || (s->min == 0 && s->max == 0) || s->min > 1e9 || s->max > 1e9) {
		memset(s, 0, sizeof(*s));
		return;
	}
	if (s->max > 0 && s->min > s->max) {
		double t = s->min;
		s->min = s->max;
		s->max = t;
	}
	bool code_ok = strlen(s->currency) == 3;
	for (int i = 0; code_ok && i < 3; i++)
		code_ok = s->currency[i] >= 'A' && s->currency[i] <= 'Z';
	if (!code_ok)
		s->currency[0] = '\0';
}

static void clean_date(char d[11])
{
	if (d[0] && !timefmt_date_valid(d))
		d[0] = '\0';
}

static void clean_country(char c[3])
{
	if (!(isupper((unsigned char)c[0]) && isupper((unsigned char)c[1]) && c[2] == '\0'))
		c[0] = '\0';
}

int posting_finish(struct arena *a, struct posting *p, char *why, size_t whylen)
{
	p->title = finish_line(a, p->title, FINISH_TITLE_MAX);
	if (!p->title) {
		snprintf(why, whylen, "no title");
		return -EINVAL;
	}
	p->company = finish_line(a, p->company, FINISH_LINE_MAX);
	p->location.raw = finish_line(a, p->location.raw, FINISH_LINE_MAX);
	p->location.locality = finish_line(a, p->location.locality, FINISH_LINE_MAX);
	p->location.region = finish_line(a, p->location.region, FINISH_LINE_MAX);
	clean_country(p->location.country);
	p->external_id = finish_line(a, p->external_id, FINISH_LINE_MAX);
	p->url = clean_url(a, p->url);
	p->apply_url = clean_url(a, p->apply_url);
	if (!p->apply_url)
		p->apply_url = p->url;
	if (!p->external_id) {
		if (!p->url) {
			snprintf(why, whylen, "\"%s\" has neither an id nor a URL", p->title);
			return -EINVAL;
		}
		p->external_id = p->url; /* a page's URL is its identity */
	}
	clean_salary(&p->salary);
	clean_date(p->date_posted);
	clean_date(p->valid_through);
	if (p->workplace < WORKPLACE_UNKNOWN || p->workplace > WORKPLACE_REMOTE)
		p->workplace = WORKPLACE_UNKNOWN;
	p->employment_types &= (1u << EMPLOYMENT_TYPE_COUNT) - 1;

	if (p->description_html && *p->description_html) {
		struct sanitized s;
		int rc = sanitize_html(a, p->description_html, strlen(p->description_html), &s);
		if (rc == -ENOMEM)
			return rc;
		p->description_html = rc == 0 && s.html_len ? s.html : NULL;
		p->description_text = rc == 0 && s.text_len ? s.text : NULL;
	} else {
		p->description_html = NULL;
		/* A source with only plain text keeps it, cleaned of markup like any text. */
		if (p->description_text && *p->description_text) {
			struct sanitized s;
			int rc = sanitize_html(a, p->description_text, strlen(p->description_text), &s);
			if (rc == -ENOMEM)
				return rc;
			p->description_text = rc == 0 && s.text_len ? s.text : NULL;
		}
	}
	return 0;
}
