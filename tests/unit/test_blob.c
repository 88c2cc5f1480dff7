/* Unit tests for src/blob: the directory backend — round trips with and
 * without gzip, keys that try to leave the directory, listings, the size
 * bound, permissions, and puts racing deletes. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "blob/blob.h"

struct fx {
	char dir[64];  /* the test's own directory */
	char root[96]; /* DIR/store: the blob store */
	struct blob *blob;
};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/jt_blob_XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->root, sizeof(f->root), "%s/store", f->dir);
	char url[128], err[256];
	snprintf(url, sizeof(url), "file:%s", f->root);
	if (blob_open(url, NULL, &f->blob, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	blob_close(f->blob);
	nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static void put_text(struct blob *b, const char *key, const char *text)
{
	assert_int_equal(blob_put(b, key, text, strlen(text)), 0);
}

/* Reads key whole (up to 64 MiB) and checks it is text. */
static void assert_object(struct blob *b, const char *key, const char *text)
{
	struct buf out;
	buf_init(&out, 64 << 20);
	assert_int_equal(blob_get(b, key, &out), 0);
	assert_int_equal(out.len, strlen(text));
	if (out.len)
		assert_memory_equal(out.data, text, out.len);
	buf_free(&out);
}

static void path_of(const struct fx *f, const char *key, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s/%s", f->root, key);
}

/* ---- round trips ---------------------------------------------------------- */

static void test_round_trip(void **state)
{
	struct fx *f = *state;
	const char *key = "raw/source=greenhouse/date=2026-12-06/1765000000-1.json";
	assert_string_equal(blob_backend_name(f->blob), "file");
	assert_int_equal(blob_exists(f->blob, key), 0);
	struct buf out;
	buf_init(&out, 1024);
	assert_int_equal(blob_get(f->blob, key, &out), -ENOENT);
	put_text(f->blob, key, "{\"jobs\":[]}");
	assert_int_equal(blob_exists(f->blob, key), 1);
	assert_object(f->blob, key, "{\"jobs\":[]}");
	/* A put replaces the object; the bytes land at the key's path. */
	put_text(f->blob, key, "{\"jobs\":[1]}");
	assert_object(f->blob, key, "{\"jobs\":[1]}");
	char path[512];
	path_of(f, key, path, sizeof(path));
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 12);
	/* get appends: what the caller had stays in front. */
	buf_puts(&out, ">");
	assert_int_equal(blob_get(f->blob, key, &out), 0);
	assert_string_equal(out.data, ">{\"jobs\":[1]}");
	buf_free(&out);
	/* Empty objects are objects. */
	assert_int_equal(blob_put(f->blob, "empty", NULL, 0), 0);
	assert_int_equal(blob_exists(f->blob, "empty"), 1);
	assert_object(f->blob, "empty", "");
}

static void test_gzip_round_trip_writes_real_gzip(void **state)
{
	struct fx *f = *state;
	const char *key = "raw/source=lever/date=2026-12-06/9-2.json.gz";
	size_t len = 1 << 20;
	char *text = malloc(len + 1);
	for (size_t i = 0; i < len; i++)
		text[i] = "{\"title\":\"Engineer\",\"n\":123456}\n"[i % 32];
	text[len] = '\0';
	assert_int_equal(blob_put(f->blob, key, text, len), 0);
	assert_object(f->blob, key, text);

	char path[512];
	path_of(f, key, path, sizeof(path));
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size < (off_t)len / 20); /* it really is compressed */
	/* …as a gzip file any tool reads: zlib's own gzip reader gives the text back. */
	gzFile gz = gzopen(path, "rb");
	assert_non_null(gz);
	char *back = malloc(len + 16);
	assert_int_equal(gzread(gz, back, (unsigned)len + 16), (int)len);
	gzclose(gz);
	assert_memory_equal(back, text, len);
	free(back);
	free(text);

	assert_int_equal(blob_put(f->blob, "empty.gz", "", 0), 0);
	assert_object(f->blob, "empty.gz", "");
	/* Without the suffix the bytes are stored as they are. */
	put_text(f->blob, "plain.json", "not compressed");
	path_of(f, "plain.json", path, sizeof(path));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 14);
}

/* An object built piece by piece is the object blob_put would store: read
 * back whole, a real gzip file, and the writer starts over after each put. */
static void test_gz_writer_builds_objects_piece_by_piece(void **state)
{
	struct fx *f = *state;
	struct blob_gz_writer *w = blob_gz_writer_new(0);
	assert_non_null(w);
	size_t len = 3u << 20; /* several of zlib's output chunks, pieces of uneven sizes */
	char *text = malloc(len + 1);
	assert_non_null(text);
	uint32_t x = 7;
	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		text[i] =
		    i % 4096 < 2048 ? "<div class=\"job\">Engineer</div>\n"[i % 32] : (char)('a' + (x >> 16) % 26);
	}
	text[len] = '\0';
	for (int round = 0; round < 2; round++) {
		size_t done = 0, piece = 1;
		while (done < len) {
			size_t n = piece < len - done ? piece : len - done;
			assert_int_equal(blob_gz_writer_add(w, text + done, n), 0);
			done += n;
			piece = piece * 3 + 1;
		}
		assert_int_equal(blob_gz_writer_size(w), len);
		char key[64];
		snprintf(key, sizeof(key), "raw/bundle-%d.warc.gz", round);
		assert_int_equal(blob_gz_writer_put(w, f->blob, key), 0);
		assert_int_equal(blob_gz_writer_size(w), 0);
		assert_object(f->blob, key, text);
		char path[512];
		path_of(f, key, path, sizeof(path));
		gzFile gz = gzopen(path, "rb");
		assert_non_null(gz);
		char *back = malloc(len + 16);
		assert_int_equal(gzread(gz, back, (unsigned)len + 16), (int)len);
		gzclose(gz);
		assert_memory_equal(back, text, len);
		free(back);
		struct stat st;
		assert_int_equal(stat(path, &st), 0);
		assert_true(st.st_size < (off_t)len * 3 / 4); /* compressed */
	}
	/* An empty object, and keys that are refused. */
	assert_int_equal(blob_gz_writer_put(w, f->blob, "nothing.gz"), 0);
	assert_object(f->blob, "nothing.gz", "");
	assert_int_equal(blob_gz_writer_add(w, "x", 1), 0);
	assert_int_equal(blob_gz_writer_put(w, f->blob, "not-gzip.json"), -EINVAL);
	assert_int_equal(blob_exists(f->blob, "not-gzip.json"), 0);
	assert_int_equal(blob_gz_writer_put(w, f->blob, "../escape.gz"), -EINVAL);
	blob_gz_writer_free(w);
	blob_gz_writer_free(NULL);
	/* The fastest level makes the same object, a little larger. */
	w = blob_gz_writer_new(1);
	assert_non_null(w);
	assert_int_equal(blob_gz_writer_add(w, text, len), 0);
	assert_int_equal(blob_gz_writer_put(w, f->blob, "fast.gz"), 0);
	assert_object(f->blob, "fast.gz", text);
	blob_gz_writer_free(w);
	free(text);
}

/* ---- keys ------------------------------------------------------------------- */

static void test_keys_cannot_leave_the_directory(void **state)
{
	struct fx *f = *state;
	char long_key[BLOB_KEY_MAX + 2], long_comp[300], deep[80];
	memset(long_key, 'a', sizeof(long_key) - 1);
	long_key[sizeof(long_key) - 1] = '\0';
	memset(long_comp, 'b', 256);
	long_comp[256] = '\0';
	size_t dl = 0;
	for (int i = 0; i <= BLOB_DEPTH_MAX; i++)
		dl += (size_t)snprintf(deep + dl, sizeof(deep) - dl, "%s", i ? "/d" : "d");
	const char *bad[] = {
		"",        "/etc/passwd", "../outside",  "a/../../outside",
		"..",      ".",           "a/./b",       "a//b",
		"a/",      "/",           ".hidden",     "a/.tmp-1-1",
		"a b",     "a\\b",        "a:b",         "a%2e%2e",
		"a\nb",    "a\tb",        "caf\xc3\xa9", "~/x",
		"a/..",    "-/..",        "a/-x/../..",  long_key,
		long_comp, deep,          "*",           "a?b",
		"a\"b",
	};
	struct buf out;
	buf_init(&out, 1024);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (blob_key_valid(bad[i]))
			fail_msg("key \"%s\" was accepted", bad[i]);
		assert_int_equal(blob_put(f->blob, bad[i], "x", 1), -EINVAL);
		assert_int_equal(blob_get(f->blob, bad[i], &out), -EINVAL);
		assert_int_equal(blob_exists(f->blob, bad[i]), -EINVAL);
		assert_int_equal(blob_delete(f->blob, bad[i]), -EINVAL);
	}
	buf_free(&out);
	/* A key is a C string: what follows a NUL is not part of it. */
	assert_int_equal(blob_put(f->blob, "nul\0/../../escape", "x", 1), 0);
	assert_int_equal(blob_exists(f->blob, "nul"), 1);
	/* Nothing appeared next to the store. */
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "ls -A %s", f->dir);
	FILE *p = popen(cmd, "r");
	char line[128];
	int entries = 0;
	while (fgets(line, sizeof(line), p))
		entries++;
	pclose(p);
	assert_int_equal(entries, 1); /* only store/ */

	const char *good[] = { "a", "A.b", "raw/source=x/date=2026-12-06/1-2.json.gz", "_x/y-z", "9", "a.", "a..b" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!blob_key_valid(good[i]))
			fail_msg("key \"%s\" was refused", good[i]);
	long_comp[255] = '\0';
	assert_true(blob_key_valid(long_comp));
	deep[strlen(deep) - 2] = '\0'; /* BLOB_DEPTH_MAX components */
	assert_true(blob_key_valid(deep));
}

static void test_symbolic_links_inside_are_not_followed(void **state)
{
	struct fx *f = *state;
	char outside[128], link[256], target[256];
	snprintf(outside, sizeof(outside), "%s/outside", f->dir);
	assert_int_equal(mkdir(outside, 0700), 0);
	snprintf(link, sizeof(link), "%s/evil", f->root);
	assert_int_equal(symlink(outside, link), 0);
	assert_int_equal(blob_put(f->blob, "evil/x", "x", 1), -ENOTDIR);
	snprintf(target, sizeof(target), "%s/x", outside);
	assert_int_equal(access(target, F_OK), -1);

	snprintf(target, sizeof(target), "%s/secret", outside);
	FILE *s = fopen(target, "w");
	fputs("secret", s);
	fclose(s);
	snprintf(link, sizeof(link), "%s/secret.json", f->root);
	assert_int_equal(symlink(target, link), 0);
	struct buf out;
	buf_init(&out, 1024);
	assert_int_equal(blob_get(f->blob, "secret.json", &out), -ENOENT);
	assert_int_equal(blob_get(f->blob, "evil/secret", &out), -ENOENT);
	assert_int_equal(blob_exists(f->blob, "secret.json"), 0);
	assert_int_equal(out.len, 0);
	buf_free(&out);
	/* Putting over the link replaces the link, not its target. */
	put_text(f->blob, "secret.json", "mine");
	s = fopen(target, "r");
	char got[16] = "";
	assert_non_null(fgets(got, sizeof(got), s));
	fclose(s);
	assert_string_equal(got, "secret");
	struct blob_list l;
	assert_int_equal(blob_list(f->blob, "", NULL, 100, &l), 0);
	assert_int_equal(l.count, 1); /* secret.json, now a file; evil/ is not listed */
	assert_string_equal(l.keys[0], "secret.json");
	blob_list_free(&l);
}

/* ---- listing -------------------------------------------------------------- */

static void assert_list(struct blob *b, const char *prefix, const char *after, size_t max, const char *const *want,
			size_t n_want, int truncated)
{
	struct blob_list l;
	assert_int_equal(blob_list(b, prefix, after, max, &l), 0);
	if (l.count != n_want)
		fail_msg("list(%s, %s): %zu keys, wanted %zu", prefix, after ? after : "", l.count, n_want);
	for (size_t i = 0; i < n_want; i++)
		assert_string_equal(l.keys[i], want[i]);
	assert_int_equal(l.truncated, truncated);
	blob_list_free(&l);
}

static void test_list_is_sorted_bounded_and_pages(void **state)
{
	struct fx *f = *state;
	const char *keys[] = {
		"raw/source=lever/date=2026-12-06/2-1.json.gz",
		"raw/source=greenhouse/date=2026-12-07/1-1.json.gz",
		"raw/source=greenhouse/date=2026-12-06/1-2.json.gz",
		"raw/source=greenhouse/date=2026-12-06/1-10.json.gz",
		"a.c",
		"a/x",
		"a-b",
		"resumes/7/cv.pdf",
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		put_text(f->blob, keys[i], "x");
	/* A stray temporary file (a crashed put) is not an object. */
	char tmp[256];
	snprintf(tmp, sizeof(tmp), "%s/raw/.tmp-1-1", f->root);
	fclose(fopen(tmp, "w"));

	/* Byte order of the whole key, as S3 gives it: "a-b" < "a.c" < "a/x". */
	const char *all[] = {
		"a-b",
		"a.c",
		"a/x",
		"raw/source=greenhouse/date=2026-12-06/1-10.json.gz",
		"raw/source=greenhouse/date=2026-12-06/1-2.json.gz",
		"raw/source=greenhouse/date=2026-12-07/1-1.json.gz",
		"raw/source=lever/date=2026-12-06/2-1.json.gz",
		"resumes/7/cv.pdf",
	};
	assert_list(f->blob, "", NULL, 100, all, 8, 0);
	assert_list(f->blob, "raw/source=greenhouse/", NULL, 100, all + 3, 3, 0);
	assert_list(f->blob, "raw/source=g", NULL, 100, all + 3, 3, 0); /* a prefix may end mid-name */
	assert_list(f->blob, "raw/source=greenhouse/date=2026-12-06/1-1", NULL, 100, all + 3, 1, 0);
	assert_list(f->blob, "nothing/", NULL, 100, NULL, 0, 0);
	/* Pages of two, each starting after the last key of the one before. */
	assert_list(f->blob, "", NULL, 2, all, 2, 1);
	assert_list(f->blob, "", "a.c", 2, all + 2, 2, 1);
	assert_list(f->blob, "", all[3], 2, all + 4, 2, 1);
	assert_list(f->blob, "", all[5], 2, all + 6, 2, 0);
	assert_list(f->blob, "raw/", all[4], 100, all + 5, 2, 0);
	assert_list(f->blob, "", "zzz", 100, NULL, 0, 0);
	/* Exactly max keys left: not truncated. */
	assert_list(f->blob, "", all[5], 2, all + 6, 2, 0);

	struct blob_list l;
	assert_int_equal(blob_list(f->blob, "../", NULL, 10, &l), -EINVAL);
	assert_int_equal(blob_list(f->blob, "/", NULL, 10, &l), -EINVAL);
	assert_int_equal(blob_list(f->blob, "", NULL, 0, &l), -EINVAL);
	assert_int_equal(blob_list(f->blob, "", NULL, 10001, &l), -EINVAL);
}

static void test_delete_removes_empty_folders_only(void **state)
{
	struct fx *f = *state;
	put_text(f->blob, "raw/a/b/one.json", "1");
	put_text(f->blob, "raw/a/two.json", "2");
	assert_int_equal(blob_delete(f->blob, "raw/a/b/one.json"), 0);
	assert_int_equal(blob_delete(f->blob, "raw/a/b/one.json"), -ENOENT);
	assert_int_equal(blob_exists(f->blob, "raw/a/two.json"), 1);
	char path[256];
	snprintf(path, sizeof(path), "%s/raw/a/b", f->root);
	assert_int_equal(access(path, F_OK), -1); /* b/ went with its last object */
	snprintf(path, sizeof(path), "%s/raw/a", f->root);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(blob_delete(f->blob, "raw/a"), -ENOENT); /* a folder is not an object */
	assert_int_equal(blob_delete(f->blob, "raw/a/two.json"), 0);
	snprintf(path, sizeof(path), "%s/raw", f->root);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(access(f->root, F_OK), 0); /* the store itself stays */
	assert_int_equal(blob_delete(f->blob, "never/was"), -ENOENT);
}

/* ---- bounds ---------------------------------------------------------------- */

static void test_get_is_bounded(void **state)
{
	struct fx *f = *state;
	char big[5000];
	memset(big, 'x', sizeof(big));
	assert_int_equal(blob_put(f->blob, "big.json", big, sizeof(big)), 0);
	struct buf out;
	buf_init(&out, 4999);
	buf_puts(&out, "kept");
	assert_int_equal(blob_get(f->blob, "big.json", &out), -EFBIG);
	assert_int_equal(out.len, 4);
	assert_string_equal(out.data, "kept");
	assert_int_equal(buf_failed(&out), 0);
	buf_free(&out);
	buf_init(&out, 5000);
	assert_int_equal(blob_get(f->blob, "big.json", &out), 0);
	buf_free(&out);

	/* A gzip bomb: 64 MiB of zeros are 64 KiB on disk; the bound stops it. */
	size_t bomb = 64u << 20;
	char *zeros = calloc(1, bomb);
	assert_int_equal(blob_put(f->blob, "bomb.json.gz", zeros, bomb), 0);
	free(zeros);
	buf_init(&out, 1 << 20);
	assert_int_equal(blob_get(f->blob, "bomb.json.gz", &out), -EFBIG);
	assert_int_equal(out.len, 0);
	buf_free(&out);
}

static void test_damaged_gzip_is_refused(void **state)
{
	struct fx *f = *state;
	const char *text = "{\"a\":\"a fairly long text that deflate will compress into something\"}";
	put_text(f->blob, "d.json.gz", text);
	char path[256];
	path_of(f, "d.json.gz", path, sizeof(path));
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	/* Cut short. */
	assert_int_equal(truncate(path, st.st_size - 5), 0);
	struct buf out;
	buf_init(&out, 1 << 20);
	assert_int_equal(blob_get(f->blob, "d.json.gz", &out), -EBADMSG);
	assert_int_equal(out.len, 0);
	/* Not gzip at all. */
	put_text(f->blob, "fake.json", "plain");
	char fake[256];
	path_of(f, "fake.json.gz", fake, sizeof(fake));
	path_of(f, "fake.json", path, sizeof(path));
	assert_int_equal(rename(path, fake), 0);
	assert_int_equal(blob_get(f->blob, "fake.json.gz", &out), -EBADMSG);
	/* A flipped byte fails gzip's CRC. */
	put_text(f->blob, "flip.json.gz", text);
	path_of(f, "flip.json.gz", path, sizeof(path));
	int fd = open(path, O_RDWR);
	unsigned char c;
	assert_int_equal(pread(fd, &c, 1, 12), 1);
	c ^= 0x10;
	assert_int_equal(pwrite(fd, &c, 1, 12), 1);
	close(fd);
	assert_int_equal(blob_get(f->blob, "flip.json.gz", &out), -EBADMSG);
	assert_int_equal(out.len, 0);
	buf_free(&out);
}

/* ---- permissions and URLs --------------------------------------------------- */

static void test_files_0600_and_folders_0700(void **state)
{
	struct fx *f = *state;
	mode_t old = umask(0); /* even when the process would allow more */
	put_text(f->blob, "resumes/42/cv.pdf.gz", "%PDF");
	umask(old);
	char path[256];
	struct stat st;
	path_of(f, "resumes/42/cv.pdf.gz", path, sizeof(path));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	path_of(f, "resumes/42", path, sizeof(path));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	path_of(f, "resumes", path, sizeof(path));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(f->root, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
}

static void test_urls(void **state)
{
	struct fx *f = *state;
	struct blob *b;
	char err[256], url[160], data_dir[128];
	snprintf(data_dir, sizeof(data_dir), "%s/data", f->dir);
	assert_int_equal(blob_open("file:", data_dir, &b, err, sizeof(err)), 0);
	put_text(b, "k", "v");
	blob_close(b);
	snprintf(url, sizeof(url), "%s/data/blobs/k", f->dir);
	assert_int_equal(access(url, F_OK), 0);
	snprintf(url, sizeof(url), "file://%s/other", f->dir);
	assert_int_equal(blob_open(url, NULL, &b, err, sizeof(err)), 0);
	blob_close(b);
	assert_int_equal(blob_open("file://host/x", NULL, &b, err, sizeof(err)), -EINVAL);
	assert_int_equal(blob_open("file:", NULL, &b, err, sizeof(err)), -EINVAL);
	assert_int_equal(blob_open("s3://bucket/prefix", NULL, &b, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unsupported blob URL"));
}

/* ---- puts racing deletes ------------------------------------------------------ */

struct racer {
	struct blob *b;
	int id;
	int failures;
};

static void *put_and_delete(void *arg)
{
	struct racer *r = arg;
	char key[64];
	for (int i = 0; i < 300; i++) {
		/* All in one folder, which each delete may remove when it empties. */
		snprintf(key, sizeof(key), "race/day/%d-%d.json", r->id, i);
		if (blob_put(r->b, key, "x", 1) || blob_exists(r->b, key) != 1 || blob_delete(r->b, key))
			r->failures++;
	}
	return NULL;
}

static void test_puts_survive_racing_deletes(void **state)
{
	struct fx *f = *state;
	pthread_t th[4];
	struct racer r[4];
	for (int i = 0; i < 4; i++) {
		r[i] = (struct racer){ f->blob, i, 0 };
		pthread_create(&th[i], NULL, put_and_delete, &r[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(r[i].failures, 0);
	}
	struct blob_list l;
	assert_int_equal(blob_list(f->blob, "", NULL, 10, &l), 0);
	assert_int_equal(l.count, 0);
	blob_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gzip_round_trip_writes_real_gzip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gz_writer_builds_objects_piece_by_piece, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_cannot_leave_the_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symbolic_links_inside_are_not_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_is_sorted_bounded_and_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_removes_empty_folders_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_is_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_gzip_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files_0600_and_folders_0700, setup, teardown),
		cmocka_unit_test_setup_teardown(test_urls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_puts_survive_racing_deletes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
