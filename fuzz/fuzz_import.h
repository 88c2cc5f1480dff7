/* fuzz_import — what the taxonomy importer harnesses check after parsing
 * one input (scan/import.h). Header-only: each harness includes it once.
 *
 * Every item must have a name and 1..IMPORT_FORMS_MAX forms that a
 * taxonomy line can hold (no tab, line break or '|', no outer space, a
 * letter or digit to match) at a line inside the input; a refusal must say
 * something. The items are then merged into a small taxonomy and the lines
 * written are loaded onto a fresh copy of it: they must load (no format
 * error), with no conflict, to the same skills and the same version. */
#ifndef JT_FUZZ_IMPORT_H
#define JT_FUZZ_IMPORT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "scan/import.h"
#include "scan/taxonomy_ext.h"

/* A small base: the categories the importers use, and skills whose forms
 * the inputs can meet (plain, exact-case, multi-word). */
static const char *const fuzz_import_base[TAX_FILES] = {
	"excel\tMicrosoft Excel\ttool\tadmin\texcel|ms excel\n"
	"go\tGo\thard\tsoftware\t=Go|golang\n"
	"java\tJava\thard\tsoftware\t-\n"
	"python\tPython\thard\tsoftware\tpython3\n"
	"javascript\tJavaScript\thard\tsoftware\tjs|ecmascript\n"
	"teamwork\tTeamwork\tsoft\tgeneral\tteam player|collaboration\n"
	"quickbooks\tQuickBooks\ttool\taccounting\tquickbooks online\n",
	"general\tGeneral\nsoftware\tSoftware\ndata\tData\nit\tIT\ncybersecurity\tSecurity\naccounting\tAccounting\n"
	"banking\tBanking\nhealthcare\tHealthcare\nretail\tRetail\nhr\tHR\nproject_management\tProjects\n"
	"sales\tSales\nscience\tScience\nengineering\tEngineering\nmanufacturing\tManufacturing\n"
	"logistics\tLogistics\ntransport\tTransport\neducation\tEducation\nlegal\tLegal\ndesign\tDesign\n"
	"media\tMedia\nadmin\tAdmin\n",
	"accountant\tAccountant\taccounting\tbookkeeper\n",
	"senior\tsenior\n",
};

static void fuzz_import_load(struct taxonomy *t)
{
	char err[512];
	if (taxonomy_parse(t, fuzz_import_base, err, sizeof(err)) != 0)
		abort();
}

static void fuzz_import_check(int rc, const struct import_items *items, const char *err, size_t input_len)
{
	if (rc != 0) {
		if (!err[0])
			abort();
		return;
	}
	if (items->n > items->rows)
		abort();
	for (size_t i = 0; i < items->n; i++) {
		const struct import_item *it = &items->v[i];
		if (!it->name || !it->nforms || it->nforms > IMPORT_FORMS_MAX || !it->category ||
		    (size_t)it->line > input_len + 1)
			abort();
		for (uint32_t k = 0; k < it->nforms; k++) {
			const char *f = it->forms[k];
			size_t n = strlen(f);
			if (!n || strpbrk(f, "\t\n\r|") || f[0] == ' ' || f[n - 1] == ' ' || !tax_form_key(f))
				abort();
		}
	}
	/* Merge, write, load back. */
	struct taxonomy t, back;
	fuzz_import_load(&t);
	struct tax_merger mg;
	if (tax_merger_init(&mg, &t) != 0)
		abort();
	struct buf out;
	buf_init(&out, 64u << 20);
	struct import_summary sum;
	if (import_merge(&mg, "fz", items, NULL, &out, &sum) != 0)
		abort();
	tax_merger_free(&mg);
	if (t.n_skills != 7 + sum.skills_added)
		abort();
	buf_putc(&out, '\0');
	fuzz_import_load(&back);
	if (tax_merger_init(&mg, &back) != 0)
		abort();
	struct tax_ext_report rep = { 0 };
	char msg[512] = "";
	if (tax_merger_extend(&mg, "fz", out.data, &rep, msg, sizeof(msg)) != 0 || rep.n_conflicts != 0 ||
	    back.n_skills != t.n_skills || taxonomy_version(&back) != taxonomy_version(&t))
		abort();
	tax_merger_free(&mg);
	buf_free(&out);
	taxonomy_free(&back);
	taxonomy_free(&t);
}

enum { FUZZ_ONET, FUZZ_ESCO, FUZZ_SO };

/* One input through one importer's parser, then the checks above. */
static int fuzz_import_run(const uint8_t *data, size_t size, int kind)
{
	if (size > 256 * 1024)
		return 0;
	/* The CLI reads a file into a NUL-terminated buffer. */
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct arena a;
	arena_init(&a, 0);
	/* The input's length picks the options: single words kept or not,
	 * and the tag list's minimum count (0, 500, 1000). */
	struct import_items items = { .plain_words = size % 2 };
	char err[512] = "";
	int rc = kind == FUZZ_ONET ? import_parse_onet(&a, text, size, &items, err, sizeof(err))
		 : kind == FUZZ_ESCO
		     ? import_parse_esco(&a, text, size, &items, err, sizeof(err))
		     : import_parse_stackoverflow(&a, text, size, (long)(size % 3) * 500, &items, err, sizeof(err));
	fuzz_import_check(rc, &items, err, size);
	arena_free(&a);
	free(text);
	return 0;
}

#endif
