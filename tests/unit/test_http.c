/* Unit tests for the request plumbing in src/web: form fields as MHD's post
 * processor hands them over (http.c), and page rendering (view.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/arena.h"
#include "base/buf.h"
#include "web/http.h"
#include "web/view.h"
#include "web/web.h"

/* ---- form fields -------------------------------------------------------- */

/* A 1 MiB upload arriving in 8 KiB pieces (as multipart file data does) must
 * cost memory in proportion to its size: copying the whole value again for
 * every piece once made a 10 MB upload allocate gigabytes before log-in. */
static void test_form_field_in_pieces_grows_linearly(void **state)
{
	(void)state;
	struct request req = { 0 };
	arena_init(&req.arena, 0);
	enum { PIECE = 8192, PIECES = 128 };
	static char piece[PIECE];
	for (size_t i = 0; i < PIECES; i++) {
		memset(piece, 'a' + (int)(i % 26), sizeof(piece));
		assert_int_equal(http_form_add(&req, "file", "a.csv", piece, (uint64_t)i * PIECE, PIECE), 0);
	}
	const struct kv *f = http_form_file(&req, "file");
	assert_non_null(f);
	assert_string_equal(f->filename, "a.csv");
	assert_int_equal(f->value_len, (size_t)PIECE * PIECES);
	for (size_t i = 0; i < PIECES; i++)
		assert_int_equal(f->value[i * PIECE + PIECE - 1], 'a' + (int)(i % 26));
	assert_int_equal(f->value[f->value_len], '\0');
	assert_true(req.arena.used_total < 4 * (size_t)PIECE * PIECES);
	assert_null(http_form(&req, "file")); /* a file part is not a plain field */
	arena_free(&req.arena);
}

static void test_form_fields_join_only_their_own_pieces(void **state)
{
	(void)state;
	struct request req = { 0 };
	arena_init(&req.arena, 0);
	assert_int_equal(http_form_add(&req, "name", NULL, "ab", 0, 2), 0);
	assert_int_equal(http_form_add(&req, "name", NULL, "cd", 2, 2), 0);
	assert_int_equal(http_form_add(&req, "name", NULL, "", 4, 0), 0);
	assert_int_equal(http_form_add(&req, "other", NULL, "x", 0, 1), 0);
	assert_int_equal(http_form_add(&req, "empty", NULL, NULL, 0, 0), 0);
	assert_string_equal(http_form(&req, "name"), "abcd");
	assert_string_equal(http_form(&req, "other"), "x");
	assert_string_equal(http_form(&req, "empty"), "");
	assert_null(http_form(&req, "missing"));
	arena_free(&req.arena);
}

/* ---- page rendering ----------------------------------------------------- */

static struct request *page_request(struct web *w)
{
	struct request *req = calloc(1, sizeof(*req));
	assert_non_null(req);
	req->web = w;
	req->path = "/x";
	req->status = 200;
	snprintf(req->csrf, sizeof(req->csrf), "test-csrf"); /* skips identifying the caller */
	arena_init(&req->arena, 0);
	buf_init(&req->out, 64u << 20); /* the server's bound on a response */
	return req;
}

static void request_free(struct request *req)
{
	buf_free(&req->out);
	arena_free(&req->arena);
	free(req);
}

/* view_render reserves what the last page took; a page near the response
 * bound once made that reservation fail for every page after it (a sticky
 * buffer error), so one user's huge page turned every page into a 500. */
static void test_one_huge_page_does_not_break_later_pages(void **state)
{
	(void)state;
	struct web w = { 0 };
	char err[256] = "";
	assert_int_equal(templates_load(&w.tpl, err, sizeof(err)), 0);

	size_t big = 60u << 20;
	char *text = malloc(big + 1);
	assert_non_null(text);
	memset(text, 'a', big);
	text[big] = '\0';
	struct request *huge = page_request(&w);
	view_render(huge, 200, "error", "Huge", json_pack("{s:i,s:s}", "status", 200, "message", text));
	free(text);
	assert_int_equal(huge->status, 200);
	assert_true(huge->out.len > big);
	request_free(huge);

	for (int i = 0; i < 2; i++) {
		struct request *small = page_request(&w);
		view_render(small, 404, "error", "Small",
			    json_pack("{s:i,s:s}", "status", 404, "message", "Not here."));
		assert_int_equal(small->status, 404);
		assert_false(buf_failed(&small->out));
		assert_non_null(strstr(small->out.data, "Not here."));
		request_free(small);
	}
	templates_free(w.tpl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_field_in_pieces_grows_linearly),
		cmocka_unit_test(test_form_fields_join_only_their_own_pieces),
		cmocka_unit_test(test_one_huge_page_does_not_break_later_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
