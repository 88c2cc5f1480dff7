/* scan/import_stackoverflow — a Stack Overflow tag list as the Stack
 * Exchange Data Explorer exports it: comma-separated, a header naming
 * TagName and Count (Id, ExcerptPostId, … may be there too). Tags are
 * technologies, written lower-case with '-' for spaces ("spring-boot");
 * many are everyday words ("arrays", "forms", "express", "chef"), so rare
 * tags, stop words and the words below are left out. A version at the end
 * of a tag ("python-3.x", "angular8") is left out for the lookup, so the
 * tag joins the skill it is a version of. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv_read.h"
#include "base/text.h"
#include "scan/import.h"

#define SO_COLS_MAX 16

static const char so_expected[] = "a Stack Overflow tag list (comma-separated; header \"Id,TagName,Count,…\")";

/* Tags that are mostly something else in a resume or a posting: data
 * structures and program parts every language has, and tools named after
 * everyday words (sorted, for bsearch). */
static const char *const so_generic[] = {
	"access",       "action",         "actions",
	"ajax",         "alignment",      "animation",
	"ant",          "apache",         "api",
	"architecture", "arrays",         "assembly",
	"attributes",   "authentication", "automation",
	"azure",        "babel",          "backbone",
	"background",   "bamboo",         "bash",
	"binary",       "binding",        "blender",
	"button",       "cache",          "caching",
	"canvas",       "casting",        "charts",
	"checkbox",     "chef",           "class",
	"classes",      "client",         "cocoa",
	"collections",  "command",        "compiler-errors",
	"concurrency",  "configuration",  "confluence",
	"console",      "constructor",    "consul",
	"cookies",      "cordova",        "crystal",
	"cucumber",     "database",       "date",
	"datetime",     "debugging",      "delphi",
	"deployment",   "design",         "dictionary",
	"dom",          "download",       "electron",
	"elixir",       "email",          "ember",
	"encoding",     "envoy",          "events",
	"exception",    "express",        "file",
	"filter",       "firebase",       "flutter",
	"for-loop",     "foreach",        "forms",
	"function",     "functions",      "generics",
	"git",          "grunt",          "gulp",
	"hash",         "header",         "helm",
	"hive",         "hook",           "hyperlink",
	"if-statement", "image",          "import",
	"indexing",     "inheritance",    "input",
	"installation", "interface",      "ionic",
	"iteration",    "jasmine",        "jenkins",
	"jest",         "join",           "karma",
	"keyboard",     "layout",         "less",
	"lisp",         "list",           "logging",
	"loops",        "macros",         "math",
	"maven",        "memory",         "mercurial",
	"merge",        "meteor",         "methods",
	"mocha",        "model",          "module",
	"networking",   "nomad",          "object",
	"octave",       "octopus",        "optimization",
	"outlook",      "packer",         "parsing",
	"pascal",       "path",           "performance",
	"pig",          "plaid",          "plugins",
	"pointers",     "printing",       "promise",
	"protractor",   "puppet",         "queue",
	"racket",       "random",         "recursion",
	"redirect",     "reference",      "regex",
	"replace",      "rest",           "routing",
	"sails",        "salt",           "scheme",
	"scope",        "search",         "security",
	"select",       "sentry",         "server",
	"session",      "shell",          "soap",
	"sorting",      "spark",          "split",
	"spring",       "square",         "stack",
	"storm",        "stream",         "string",
	"stripe",       "struct",         "styles",
	"swing",        "syntax",         "table",
	"teams",        "templates",      "testing",
	"text",         "time",           "timer",
	"types",        "unity",          "upload",
	"url",          "user-interface", "vagrant",
	"validation",   "variables",      "vault",
	"video",        "view",           "while-loop",
	"windows",      "word",           "xcode",
};

static int so_is_generic(const char *tag)
{
	return import_listed(so_generic, sizeof(so_generic) / sizeof(so_generic[0]), tag);
}

/* "python-3.x" -> "python", "angular8" -> "angular" (in the arena), or
 * NULL when the tag ends in no version. */
static const char *so_probe(struct arena *a, const char *tag)
{
	size_t n = strlen(tag), digits = 0;
	while (n && (tag[n - 1] == '.' || tag[n - 1] == 'x' || (tag[n - 1] >= '0' && tag[n - 1] <= '9'))) {
		digits += tag[n - 1] >= '0' && tag[n - 1] <= '9';
		n--;
	}
	while (n && tag[n - 1] == '-')
		n--;
	if (!digits || n < 2)
		return NULL;
	return arena_strndup(a, tag, n);
}

int import_parse_stackoverflow(struct arena *a, const char *text, size_t len, long min_count, struct import_items *out,
			       char *err, size_t errlen)
{
	struct csv_reader r;
	char *cell[SO_COLS_MAX];
	size_t ncols, line;
	if (import_csv_header(&r, a, text, len, cell, SO_COLS_MAX, &ncols, so_expected, err, errlen) != 0)
		return -1;
	long tagc = -1, countc = -1;
	for (size_t i = 0; i < ncols && i < SO_COLS_MAX; i++) {
		if (strcmp(cell[i], "TagName") == 0)
			tagc = (long)i;
		else if (strcmp(cell[i], "Count") == 0)
			countc = (long)i;
	}
	if (tagc < 0 || countc < 0) {
		snprintf(err, errlen, "line 1: no %s column%s; expected %s", tagc < 0 ? "TagName" : "Count",
			 ncols == 1 && strchr(cell[0], '\t') ? " (a tab-separated file: O*NET's goes with --onet)" : "",
			 so_expected);
		return -1;
	}
	int more;
	while ((more = import_csv_row(&r, a, cell, SO_COLS_MAX, ncols, &line, err, errlen)) > 0) {
		long count;
		if (text_parse_long(cell[countc], 0, LONG_MAX, &count) != 0) {
			snprintf(err, errlen, "line %zu: Count \"%.40s\" is not a whole number", line, cell[countc]);
			return -1;
		}
		const char *tag = cell[tagc];
		if (!tag[0] || strchr(tag, ' ')) {
			snprintf(err, errlen, "line %zu: \"%.40s\" is not a tag (tags have no spaces: \"spring-boot\")",
				 line, tag);
			return -1;
		}
		out->rows++;
		if (count < min_count || so_is_generic(tag)) {
			out->skipped++;
			continue;
		}
		struct import_item *it = import_item_new(a, out, (unsigned)line);
		if (!it)
			goto oom;
		it->name = tag;
		it->type = SKILL_HARD;
		it->category = "software";
		it->probe = so_probe(a, tag);
		if (import_item_form(a, out, it, tag, strlen(tag)) < 0)
			goto oom;
		import_item_end(out);
	}
	return more < 0 ? -1 : 0;
oom:
	snprintf(err, errlen, "out of memory");
	return -1;
}
