/* scan/import_onet — O*NET's Technology Skills file: tab-separated, a
 * header row ("O*NET-SOC Code<TAB>Example<TAB>Commodity Code<TAB>Commodity
 * Title<TAB>Hot Technology[<TAB>In Demand]"), one (occupation, software)
 * pair a row. Each distinct Example is a tool; its Commodity Title (the
 * kind of software) picks the category. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "scan/import.h"

#define ONET_COLS_MAX 16

static const char onet_expected[] =
    "O*NET's Technology Skills file (tab-separated; header \"O*NET-SOC Code<TAB>Example<TAB>Commodity "
    "Code<TAB>Commodity Title<TAB>Hot Technology…\")";

/* The kind of software named in the Commodity Title -> a category. */
static const struct {
	const char *words, *category;
} onet_categories[] = {
	{ "accounting", "accounting" },
	{ "tax preparation", "accounting" },
	{ "financial analysis", "banking" },
	{ "medical", "healthcare" },
	{ "point of sale", "retail" },
	{ "human resources", "hr" },
	{ "project management", "project_management" },
	{ "customer relationship", "sales" },
	{ "security", "cybersecurity" },
	{ "virus", "cybersecurity" },
	{ "data base", "data" },
	{ "business intelligence", "data" },
	{ "analytical or scientific", "science" },
	{ "map creation", "science" },
	{ "computer aided design", "engineering" },
	{ "computer aided manufacturing", "manufacturing" },
	{ "industrial control", "manufacturing" },
	{ "inventory management", "logistics" },
	{ "procurement", "logistics" },
	{ "route navigation", "transport" },
	{ "educational", "education" },
	{ "learning management", "education" },
	{ "legal", "legal" },
	{ "graphics", "design" },
	{ "photo", "design" },
	{ "video", "media" },
	{ "music", "media" },
	{ "desktop publishing", "design" },
	{ "word processing", "admin" },
	{ "spreadsheet", "admin" },
	{ "presentation", "admin" },
	{ "office suite", "admin" },
	{ "electronic mail", "admin" },
	{ "network", "it" },
	{ "operating system", "it" },
	{ "backup", "it" },
	{ "configuration management", "software" },
	{ "development environment", "software" },
	{ "web platform", "software" },
	{ "program testing", "software" },
};

/* Vendors whose name, in front of a product's, is left out for a lookup:
 * "Microsoft Excel" is the taxonomy's Excel. */
static const char *const onet_vendors[] = { "Adobe",     "Amazon", "Apache",     "Apple", "Atlassian",
					    "Autodesk",  "Cisco",  "Google",     "IBM",   "Intuit",
					    "Microsoft", "Oracle", "Salesforce", "SAP",   "SAS" };

static const char *onet_category(const char *title)
{
	for (size_t i = 0; i < sizeof(onet_categories) / sizeof(onet_categories[0]); i++)
		if (strcasestr(title, onet_categories[i].words))
			return onet_categories[i].category;
	return "software";
}

static const char *onet_probe(const char *example)
{
	const char *sp = strchr(example, ' ');
	if (!sp || !sp[1])
		return NULL;
	for (size_t i = 0; i < sizeof(onet_vendors) / sizeof(onet_vendors[0]); i++)
		if (strlen(onet_vendors[i]) == (size_t)(sp - example) &&
		    strncmp(example, onet_vendors[i], (size_t)(sp - example)) == 0)
			return sp + 1;
	return NULL;
}

/* Splits one line (in place) at tabs: the number of columns (more than max
 * are counted, not kept). */
static size_t split_tabs(char *line, char **col, size_t max)
{
	size_t n = 0;
	for (char *c = line;;) {
		if (n < max)
			col[n] = c;
		n++;
		char *tab = strchr(c, '\t');
		if (!tab)
			return n;
		*tab = '\0';
		c = tab + 1;
	}
}

static int soc_code(const char *s)
{
	/* 15-1252.00 */
	static const char shape[] = "00-0000.00";
	for (size_t i = 0; i < sizeof(shape) - 1; i++)
		if (shape[i] == '0' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i])
			return 0;
	return s[sizeof(shape) - 1] == '\0';
}

int import_parse_onet(struct arena *a, const char *text, size_t len, struct import_items *out, char *err, size_t errlen)
{
	if (import_check_text(text, len, err, errlen) != 0)
		return -1;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		text += 3, len -= 3;
	char *copy = arena_strndup(a, text, len);
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	long example = -1, title = -1;
	size_t ncols = 0;
	unsigned line = 0;
	for (char *c = copy; *c;) {
		line++;
		char *nl = strchr(c, '\n');
		if (nl)
			*nl = '\0';
		size_t n = strlen(c);
		if (n && c[n - 1] == '\r')
			c[--n] = '\0';
		char *next = nl ? nl + 1 : c + n;
		if (!n) {
			c = next;
			continue;
		}
		char *col[ONET_COLS_MAX];
		size_t k = split_tabs(c, col, ONET_COLS_MAX);
		if (ncols == 0) {
			/* The header names the columns. */
			for (size_t i = 0; i < k && i < ONET_COLS_MAX; i++) {
				if (strcmp(col[i], "Example") == 0)
					example = (long)i;
				else if (strcmp(col[i], "Commodity Title") == 0)
					title = (long)i;
			}
			if (k < 2 || strcmp(col[0], "O*NET-SOC Code") != 0 || example < 0) {
				snprintf(err, errlen, "line %u: %s; expected %s", line,
					 k < 2 && strchr(col[0], ',') ? "a comma-separated line (ESCO's and Stack "
									"Overflow's CSV files go with --esco and "
									"--stackoverflow)"
								      : "not that file's header",
					 onet_expected);
				return -1;
			}
			ncols = k;
			c = next;
			continue;
		}
		if (k != ncols) {
			snprintf(err, errlen, "line %u: %zu columns, expected %zu as in the header (tab-separated)",
				 line, k, ncols);
			return -1;
		}
		if (!soc_code(col[0])) {
			snprintf(err, errlen, "line %u: \"%.40s\" is not an O*NET-SOC code (like 15-1252.00)", line,
				 col[0]);
			return -1;
		}
		out->rows++;
		struct import_item *it = import_item_new(a, out, line);
		if (!it) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		it->name = col[example];
		it->type = SKILL_TOOL;
		it->category = title >= 0 ? onet_category(col[title]) : "software";
		it->probe = onet_probe(col[example]);
		if (import_item_form(a, out, it, col[example], strlen(col[example])) < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		import_item_end(out);
		c = next;
	}
	if (ncols == 0) {
		snprintf(err, errlen, "the file is empty; expected %s", onet_expected);
		return -1;
	}
	return 0;
}
