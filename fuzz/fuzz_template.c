/* The Mustache renderer. The first byte picks what the rest is: a JSON
 * context (hostile data values: markup, deep nesting, huge numbers) that
 * renders one of jobtrack's own templates, the second byte choosing which;
 * or a template's source, compiled and rendered as "self" (so that it may
 * call itself as a partial) with a fixed context, its partials otherwise
 * coming from nowhere. Output is capped as the server caps a response. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>

#include "fuzz_support.h"
#include "web/template.h"
#include "web/view.h"

static struct tpl_set *ours;
static const char *const names[] = { "head",    "foot",     "login",       "signup",        "board", "list",
				     "app_new", "app_form", "application", "import_result", "error", "settings" };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char err[256];
	if (templates_load(&ours, err, sizeof(err)))
		abort();
	return 0;
}

static const char context[] =
    "{\"title\":\"<b>x</b>\",\"n\":3,\"r\":1.5,\"t\":true,\"f\":false,\"z\":null,\"e\":[],\"o\":{\"a\":{\"b\":\"&\"}},"
    "\"list\":[{\"name\":\"a\"},{\"name\":\"b\",\"list\":[1,2]}],\"s\":\"\"}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	struct buf out;
	buf_init(&out, 1 << 20);
	if (data[0] & 1) {
		json_t *ctx = json_loadb((const char *)data + 2, size - 2, 0, NULL);
		if (ctx) {
			const char *name = names[data[1] % (sizeof(names) / sizeof(names[0]))];
			if (tpl_render(ours, name, ctx, &out) == -ENOENT)
				abort();
			json_decref(ctx);
		}
	} else {
		struct tpl_set *set = tpl_set_new();
		json_t *ctx = json_loads(context, 0, NULL);
		char err[256];
		if (set && ctx && tpl_set_add(set, "self", (const char *)data + 1, size - 1, err, sizeof(err)) == 0)
			(void)tpl_render(set, "self", ctx, &out);
		json_decref(ctx);
		tpl_set_free(set);
	}
	buf_free(&out);
	return 0;
}
