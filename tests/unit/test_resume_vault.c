/* Resume files at rest (src/resume/vault.h): what goes in comes back out,
 * only to its owner; on disk it is ciphertext bound to its blob key; the
 * type is decided by content. Runs on the store JT_TEST_STORE_URL names
 * (store_fixture.h) with a blob directory of its own; the fixtures are
 * tests/fixtures/resumes (argv[1]). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/text.h"
#include "blob/blob.h"
#include "resume/vault.h"
#include "store/store.h"
#include "store_fixture.h"

static const char *fixtures_dir = "tests/fixtures/resumes";
static const uint8_t SECRET[] = "instance secret of the test, 32+ bytes long";

struct fx {
	struct store_fixture sf;
	struct blob *blob;
	char dir[64];
	struct resume_vault v;
	struct arena a;
	struct user alice, bob;
	char err[256];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	*state = f;
	arena_init(&f->a, 0);
	if (store_fixture_make(&f->sf, NULL, 1))
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/jt-vault-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	char url[128];
	snprintf(url, sizeof(url), "file:%s", f->dir);
	if (blob_open(url, f->dir, &f->blob, f->err, sizeof(f->err)))
		return -1;
	if (store_user_create(f->sf.s, "alice@example.com", "h", 1000, &f->alice) ||
	    store_user_create(f->sf.s, "bob@example.com", "h", 1000, &f->bob))
		return -1;
	resume_vault_init(&f->v, f->sf.s, f->blob, SECRET, sizeof(SECRET) - 1);
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	if (!f)
		return 0;
	resume_vault_fini(&f->v);
	blob_close(f->blob);
	store_fixture_destroy(&f->sf);
	if (f->dir[0]) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "teardown: could not remove %s\n", f->dir);
	}
	arena_free(&f->a);
	free(f);
	return 0;
}

static unsigned char *load(struct fx *f, const char *name, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", fixtures_dir, name);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("fixture %s is missing", path);
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	unsigned char *b = arena_alloc(&f->a, (size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return b;
}

/* The object's bytes as stored (ciphertext). */
static struct buf raw_object(struct fx *f, const char *key)
{
	struct buf b;
	buf_init(&b, 64 << 20);
	assert_int_equal(blob_get(f->blob, key, &b), 0);
	return b;
}

static void test_round_trip_encrypted(void **state)
{
	struct fx *f = *state;
	size_t len;
	unsigned char *pdf = load(f, "nurse-single-column.pdf", &len);
	struct store_resume r;
	assert_int_equal(
	    resume_vault_save(&f->v, f->alice.id, "Amara CV.pdf", pdf, len, 0, 2000, &f->a, &r, f->err, sizeof(f->err)),
	    0);
	assert_true(r.id > 0);
	assert_true(r.is_default);
	assert_string_equal(r.type, "pdf");
	assert_int_equal(r.size, (int64_t)len);
	assert_true(strncmp(r.blob_key, "resumes/user=", 13) == 0);
	/* On disk: not the file, and none of its text. */
	struct buf obj = raw_object(f, r.blob_key);
	assert_true(obj.len > len);
	assert_null(memmem(obj.data, obj.len, "%PDF", 4));
	assert_null(memmem(obj.data, obj.len, "Helvetica", 9));
	buf_free(&obj);
	/* Back out, byte for byte. */
	unsigned char *back;
	size_t back_len;
	struct store_resume meta;
	assert_int_equal(
	    resume_vault_read(&f->v, f->alice.id, r.id, &f->a, &meta, &back, &back_len, f->err, sizeof(f->err)), 0);
	assert_int_equal(back_len, len);
	assert_memory_equal(back, pdf, len);
	assert_string_equal(meta.name, "Amara CV.pdf");
	/* The type comes from the bytes, not the name. */
	size_t dlen;
	unsigned char *docx = load(f, "teacher-table-textbox.docx", &dlen);
	assert_int_equal(
	    resume_vault_save(&f->v, f->alice.id, "cv.pdf", docx, dlen, 0, 3000, &f->a, &r, f->err, sizeof(f->err)), 0);
	assert_string_equal(r.type, "docx");
	assert_false(r.is_default);
	/* A long name is cut on a character boundary ("é" is two bytes): with
	 * one ASCII letter in front the cut falls between two characters, with
	 * two it would fall inside one. */
	for (int lead = 1; lead <= 2; lead++) {
		char longname[600];
		memset(longname, 'x', (size_t)lead);
		for (int i = 0; i < 200; i++)
			memcpy(longname + lead + 2 * i, "\xC3\xA9", 2);
		longname[lead + 400] = '\0';
		assert_int_equal(resume_vault_save(&f->v, f->alice.id, longname, docx, dlen, 0, 3000, &f->a, &r, f->err,
						   sizeof(f->err)),
				 0);
		assert_int_equal(strlen(r.name), lead == 1 ? 255 : 254);
		assert_true(text_utf8_valid(r.name, strlen(r.name)));
	}
}

static void test_only_owner_reads(void **state)
{
	struct fx *f = *state;
	size_t len;
	unsigned char *md = load(f, "developer.md", &len);
	struct store_resume r;
	assert_int_equal(
	    resume_vault_save(&f->v, f->alice.id, "cv.md", md, len, 0, 2000, &f->a, &r, f->err, sizeof(f->err)), 0);
	unsigned char *back;
	size_t back_len;
	assert_int_equal(
	    resume_vault_read(&f->v, f->bob.id, r.id, &f->a, NULL, &back, &back_len, f->err, sizeof(f->err)), -ENOENT);
	assert_int_equal(resume_vault_delete(&f->v, f->bob.id, r.id, f->err, sizeof(f->err)), -ENOENT);
	assert_int_equal(blob_exists(f->blob, r.blob_key), 1);
	/* Another instance's secret cannot open it. */
	struct resume_vault other;
	resume_vault_init(&other, f->sf.s, f->blob, (const uint8_t *)"another secret", 14);
	assert_int_equal(
	    resume_vault_read(&other, f->alice.id, r.id, &f->a, NULL, &back, &back_len, f->err, sizeof(f->err)),
	    -EBADMSG);
	resume_vault_fini(&other);
	/* The owner deletes it: row and object gone. */
	assert_int_equal(resume_vault_delete(&f->v, f->alice.id, r.id, f->err, sizeof(f->err)), 0);
	assert_int_equal(blob_exists(f->blob, r.blob_key), 0);
	assert_int_equal(
	    resume_vault_read(&f->v, f->alice.id, r.id, &f->a, NULL, &back, &back_len, f->err, sizeof(f->err)),
	    -ENOENT);
}

/* A replaced file: the new bytes under a new object, the old object gone,
 * the row's id, name and default kept; another user replaces nothing. */
static void test_replace(void **state)
{
	struct fx *f = *state;
	size_t len, len2;
	unsigned char *md = load(f, "developer.md", &len);
	unsigned char *pdf = load(f, "nurse-single-column.pdf", &len2);
	struct store_resume r, r2;
	assert_int_equal(
	    resume_vault_save(&f->v, f->alice.id, "cv.md", md, len, 0, 2000, &f->a, &r, f->err, sizeof(f->err)), 0);
	assert_int_equal(
	    resume_vault_replace(&f->v, f->bob.id, r.id, pdf, len2, 2500, &f->a, &r2, f->err, sizeof(f->err)), -ENOENT);
	assert_int_equal(
	    resume_vault_replace(&f->v, f->alice.id, r.id, pdf, len2, 3000, &f->a, &r2, f->err, sizeof(f->err)), 0);
	assert_int_equal(r2.id, r.id);
	assert_string_equal(r2.name, "cv.md");
	assert_string_equal(r2.type, "pdf");
	assert_int_equal(r2.size, (int64_t)len2);
	assert_true(r2.is_default);
	assert_string_not_equal(r2.blob_key, r.blob_key);
	assert_int_equal(blob_exists(f->blob, r.blob_key), 0);
	unsigned char *back;
	size_t back_len;
	assert_int_equal(
	    resume_vault_read(&f->v, f->alice.id, r.id, &f->a, NULL, &back, &back_len, f->err, sizeof(f->err)), 0);
	assert_int_equal(back_len, len2);
	assert_memory_equal(back, pdf, len2);
	/* Something that is no resume leaves the file as it was. */
	assert_int_equal(
	    resume_vault_replace(&f->v, f->alice.id, r.id, "", 0, 3100, &f->a, NULL, f->err, sizeof(f->err)), -EINVAL);
	assert_int_equal(blob_exists(f->blob, r2.blob_key), 1);
}

/* A changed byte, or an object moved under another key, does not open. */
static void test_tampering_detected(void **state)
{
	struct fx *f = *state;
	size_t len;
	unsigned char *txt = load(f, "accountant-crlf.txt", &len);
	struct store_resume a, b;
	assert_int_equal(
	    resume_vault_save(&f->v, f->alice.id, "a.txt", txt, len, 0, 2000, &f->a, &a, f->err, sizeof(f->err)), 0);
	assert_int_equal(
	    resume_vault_save(&f->v, f->alice.id, "b.txt", txt, len, 0, 2001, &f->a, &b, f->err, sizeof(f->err)), 0);
	unsigned char *back;
	size_t back_len;
	/* b's object put under a's key: same secret, wrong subkey. */
	struct buf ob = raw_object(f, b.blob_key);
	assert_int_equal(blob_put(f->blob, a.blob_key, ob.data, ob.len), 0);
	assert_int_equal(
	    resume_vault_read(&f->v, f->alice.id, a.id, &f->a, NULL, &back, &back_len, f->err, sizeof(f->err)),
	    -EBADMSG);
	/* One flipped bit in b. */
	ob.data[ob.len - 3] ^= 1;
	assert_int_equal(blob_put(f->blob, b.blob_key, ob.data, ob.len), 0);
	buf_free(&ob);
	assert_int_equal(
	    resume_vault_read(&f->v, f->alice.id, b.id, &f->a, NULL, &back, &back_len, f->err, sizeof(f->err)),
	    -EBADMSG);
}

static void test_refused(void **state)
{
	struct fx *f = *state;
	size_t len;
	unsigned char *png = load(f, "photo.png", &len);
	struct store_resume r;
	assert_int_equal(
	    resume_vault_save(&f->v, f->alice.id, "cv.pdf", png, len, 0, 2000, &f->a, &r, f->err, sizeof(f->err)),
	    -EINVAL);
	assert_non_null(strstr(f->err, "image"));
	assert_int_equal(
	    resume_vault_save(&f->v, f->alice.id, "cv.pdf", "", 0, 0, 2000, &f->a, &r, f->err, sizeof(f->err)),
	    -EINVAL);
	f->v.max_bytes = 100;
	unsigned char *pdf = load(f, "nurse-single-column.pdf", &len);
	assert_int_equal(
	    resume_vault_save(&f->v, f->alice.id, "cv.pdf", pdf, len, 0, 2000, &f->a, &r, f->err, sizeof(f->err)),
	    -EFBIG);
	struct store_resume *list;
	size_t n;
	assert_int_equal(store_resume_list(f->sf.s, f->alice.id, &f->a, &list, &n), STORE_OK);
	assert_int_equal(n, 0);
	struct blob_list bl;
	assert_int_equal(blob_list(f->blob, "resumes/", NULL, 100, &bl), 0);
	assert_int_equal(bl.count, 0);
	blob_list_free(&bl);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		fixtures_dir = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip_encrypted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_only_owner_reads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tampering_detected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
