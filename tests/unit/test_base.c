/* Unit tests for src/base: config, buf, arena, text, timefmt, json_out. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/config.h"
#include "base/json_out.h"
#include "base/log.h"
#include "base/text.h"
#include "base/timefmt.h"

extern char **environ;

#define NOW ((time_t)1772625600) /* 2026-03-04T12:00:00Z */

/* ---- config --------------------------------------------------------------- */

struct cfg_fx {
	char dir[64];
	char file[128];    /* DIR/jobtrack.conf, written on demand */
	char other[128];   /* DIR/other.conf */
	char dir_flag[96]; /* "--data-dir=DIR" */
	struct config cfg;
	char err[512];
};

/* Removes every JOBTRACK_* variable so the machine's environment cannot leak in. */
static void clear_env(void)
{
	for (;;) {
		char name[128] = "";
		for (char **e = environ; *e; e++)
			if (strncmp(*e, "JOBTRACK_", 9) == 0) {
				const char *eq = strchr(*e, '=');
				size_t n = eq ? (size_t)(eq - *e) : strlen(*e);
				if (n < sizeof(name)) {
					memcpy(name, *e, n);
					name[n] = '\0';
				}
				break;
			}
		if (!name[0])
			return;
		unsetenv(name);
	}
}

static int cfg_setup(void **state)
{
	struct cfg_fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/jt-config-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->file, sizeof(f->file), "%s/jobtrack.conf", f->dir);
	snprintf(f->other, sizeof(f->other), "%s/other.conf", f->dir);
	snprintf(f->dir_flag, sizeof(f->dir_flag), "--data-dir=%s", f->dir);
	clear_env();
	*state = f;
	return 0;
}

static int cfg_teardown(void **state)
{
	struct cfg_fx *f = *state;
	config_free(&f->cfg);
	clear_env();
	unlink(f->file);
	unlink(f->other);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* Loads with argv (NULL-terminated list of flags) and expects success. */
static void load_ok(struct cfg_fx *f, char **argv)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	config_free(&f->cfg);
	f->err[0] = '\0';
	if (config_load(&f->cfg, argc, argv, NULL, f->err, sizeof(f->err)) != 0)
		fail_msg("config_load failed: %s", f->err);
}

/* Loads and expects failure with every string of want (NULL-terminated) in the message. */
static void load_fails(struct cfg_fx *f, char **argv, const char *want1, const char *want2)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	config_free(&f->cfg);
	f->err[0] = '\0';
	if (config_load(&f->cfg, argc, argv, NULL, f->err, sizeof(f->err)) != -1)
		fail_msg("config_load succeeded, want an error");
	if (want1 && !strstr(f->err, want1))
		fail_msg("error \"%s\" lacks \"%s\"", f->err, want1);
	if (want2 && !strstr(f->err, want2))
		fail_msg("error \"%s\" lacks \"%s\"", f->err, want2);
}

static void test_config_defaults(void **state)
{
	struct cfg_fx *f = *state;
	char *argv[] = { f->dir_flag, NULL };
	load_ok(f, argv);
	assert_string_equal(f->cfg.listen, "127.0.0.1:8080");
	assert_string_equal(f->cfg.data_dir, f->dir);
	char want[160];
	snprintf(want, sizeof(want), "sqlite:%s/jobtrack.db", f->dir);
	assert_string_equal(f->cfg.database_url, want);
	assert_string_equal(f->cfg.secret_key, "");
	assert_string_equal(f->cfg.log_level, "info");
	assert_string_equal(f->cfg.tls_cert, "");
	assert_string_equal(f->cfg.trusted_proxies, "");
	assert_int_equal(f->cfg.threads, 0);
	assert_int_equal(f->cfg.max_json_body, 1048576);
	assert_int_equal(f->cfg.max_form_body, 65536);
	assert_int_equal(f->cfg.max_upload, 10485760);
	assert_int_equal(f->cfg.max_header, 16384);
	assert_int_equal(f->cfg.request_timeout, 30);
	assert_int_equal(f->cfg.session_days, 30);
	assert_int_equal(f->cfg.jwt_ttl, 3600);
	assert_int_equal(f->cfg.login_limit, 10);
	assert_int_equal(f->cfg.address_limit, 60);
	assert_int_equal(f->cfg.limit_window, 900);
	assert_int_equal(f->cfg.print_config, 0);
}

static void test_config_precedence(void **state)
{
	struct cfg_fx *f = *state;
	write_file(f->other, "# jobtrack settings\n"
			     "\n"
			     "   listen = file:1   \n"
			     "threads=4\n"
			     "log_level = warn\n"
			     "session_days = 7\n"
			     "database_url = sqlite:/from/file.db\n");
	char config_flag[160];
	snprintf(config_flag, sizeof(config_flag), "--config=%s", f->other);

	/* defaults < file */
	char *only_file[] = { config_flag, NULL };
	load_ok(f, only_file);
	assert_string_equal(f->cfg.listen, "file:1");
	assert_int_equal(f->cfg.threads, 4);
	assert_string_equal(f->cfg.log_level, "warn");
	assert_int_equal(f->cfg.session_days, 7);
	assert_string_equal(f->cfg.database_url, "sqlite:/from/file.db");
	assert_int_equal(f->cfg.jwt_ttl, 3600);

	/* file < env */
	setenv("JOBTRACK_LISTEN", "env:2", 1);
	setenv("JOBTRACK_THREADS", "8", 1);
	setenv("JOBTRACK_JWT_TTL", "120", 1);
	load_ok(f, only_file);
	assert_string_equal(f->cfg.listen, "env:2");
	assert_int_equal(f->cfg.threads, 8);
	assert_int_equal(f->cfg.jwt_ttl, 120);
	assert_string_equal(f->cfg.log_level, "warn");

	/* env < flags, in both spellings */
	char *flags[] = { config_flag, "--listen=flag:3", "--threads", "16", NULL };
	load_ok(f, flags);
	assert_string_equal(f->cfg.listen, "flag:3");
	assert_int_equal(f->cfg.threads, 16);
	assert_int_equal(f->cfg.jwt_ttl, 120);
	assert_int_equal(f->cfg.session_days, 7);
	assert_string_equal(f->cfg.log_level, "warn");

	/* The last of repeated flags wins. */
	char *twice[] = { config_flag, "--listen=a:1", "--listen", "b:2", NULL };
	load_ok(f, twice);
	assert_string_equal(f->cfg.listen, "b:2");
}

static void test_config_file_locations(void **state)
{
	struct cfg_fx *f = *state;
	/* DATA_DIR/jobtrack.conf is read when present ... */
	write_file(f->file, "listen = implicit:1\n");
	char *argv[] = { f->dir_flag, NULL };
	load_ok(f, argv);
	assert_string_equal(f->cfg.listen, "implicit:1");
	/* ... with DATA_DIR from the environment too ... */
	char *none[] = { NULL };
	setenv("JOBTRACK_DATA_DIR", f->dir, 1);
	load_ok(f, none);
	assert_string_equal(f->cfg.listen, "implicit:1");
	/* ... unless another file is named, by env or by flag. */
	write_file(f->other, "listen = other:2\n");
	setenv("JOBTRACK_CONFIG", f->other, 1);
	load_ok(f, none);
	assert_string_equal(f->cfg.listen, "other:2");
	unsetenv("JOBTRACK_CONFIG");
	char *flag[] = { "--config", f->other, NULL };
	load_ok(f, flag);
	assert_string_equal(f->cfg.listen, "other:2");
}

static void test_config_file_errors(void **state)
{
	struct cfg_fx *f = *state;
	char config_flag[160];
	snprintf(config_flag, sizeof(config_flag), "--config=%s", f->other);
	char *argv[] = { config_flag, NULL };
	char where[160];

	write_file(f->other, "# comment\nlisten = a:1\nlisten_adress = b:2\n");
	snprintf(where, sizeof(where), "%s:3", f->other);
	load_fails(f, argv, where, "listen_adress");

	write_file(f->other, "listen = a:1\nthreads = many\n");
	snprintf(where, sizeof(where), "%s:2", f->other);
	load_fails(f, argv, where, "threads");

	write_file(f->other, "threads = 257\n");
	load_fails(f, argv, ":1", "threads");

	write_file(f->other, "threads = 4 # four\n");
	load_fails(f, argv, ":1", "threads");

	write_file(f->other, "\n\njust some words\n");
	load_fails(f, argv, ":3", NULL);

	/* Files spell keys with '_', not '-'. */
	write_file(f->other, "data-dir = /x\n");
	load_fails(f, argv, ":1", "data-dir");

	/* A file that was named must exist; the implicit one need not. */
	unlink(f->other);
	load_fails(f, argv, f->other, NULL);
}

static void test_config_env_and_flag_errors(void **state)
{
	struct cfg_fx *f = *state;
	setenv("JOBTRACK_THREADS", "lots", 1);
	char *plain[] = { f->dir_flag, NULL };
	load_fails(f, plain, "JOBTRACK_THREADS", NULL);
	unsetenv("JOBTRACK_THREADS");
	setenv("JOBTRACK_SESSION_DAYS", "0", 1);
	load_fails(f, plain, "JOBTRACK_SESSION_DAYS", NULL);
	unsetenv("JOBTRACK_SESSION_DAYS");

	char *unknown[] = { f->dir_flag, "--colour=red", NULL };
	load_fails(f, unknown, "--colour", NULL);
	char *underscore[] = { f->dir_flag, "--log_level=warn", NULL };
	load_fails(f, underscore, "log_level", NULL);
	char *no_value[] = { f->dir_flag, "--listen", NULL };
	load_fails(f, no_value, "--listen", NULL);
	char *positional[] = { f->dir_flag, "serve", NULL };
	load_fails(f, positional, "serve", NULL);
	char *bad_number[] = { f->dir_flag, "--max-upload=10MB", NULL };
	load_fails(f, bad_number, "max-upload", NULL);
	char *too_small[] = { f->dir_flag, "--max-json-body=10", NULL };
	load_fails(f, too_small, "max-json-body", NULL);
	char *half_tls[] = { f->dir_flag, "--tls-cert=/c.pem", NULL };
	load_fails(f, half_tls, "tls", NULL);
}

static void test_config_flag_needs_its_value(void **state)
{
	struct cfg_fx *f = *state;
	/* Like every other flag, --config at the end without a value is an error. */
	char *argv[] = { f->dir_flag, "--config", NULL };
	load_fails(f, argv, "--config", NULL);
}

static void test_config_extra_and_print_flags(void **state)
{
	struct cfg_fx *f = *state;
	static const char *const extra[] = { "status", "force", NULL };
	char *argv[] = { f->dir_flag, "--status", "--print-config", "--tls-cert=/c.pem", "--tls-key=/k.pem", NULL };
	config_free(&f->cfg);
	assert_int_equal(config_load(&f->cfg, 5, argv, extra, f->err, sizeof(f->err)), 0);
	assert_int_equal(f->cfg.print_config, 1);
	assert_string_equal(f->cfg.tls_cert, "/c.pem");
	/* Not listed as extra: an error. */
	char *other[] = { f->dir_flag, "--verbose", NULL };
	config_free(&f->cfg);
	assert_int_equal(config_load(&f->cfg, 2, other, extra, f->err, sizeof(f->err)), -1);
}

static void test_config_print_masks_secrets(void **state)
{
	struct cfg_fx *f = *state;
	char *argv[] = { f->dir_flag,         "--secret-key=hunter2", "--database-url=postgres://app:pa55@db:5432/jt",
			 "--tls-cert=/c.pem", "--tls-key=/k.pem",     NULL };
	load_ok(f, argv);
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	assert_non_null(mem);
	config_print(&f->cfg, mem);
	fclose(mem);
	int leaked = strstr(text, "hunter2") || strstr(text, "pa55") || strstr(text, "/k.pem");
	int masked = strstr(text, "secret_key = ********") && strstr(text, "postgres://app:********@db:5432/jt") &&
		     strstr(text, "tls_cert = /c.pem") && strstr(text, "listen = 127.0.0.1:8080") &&
		     strstr(text, "threads = 0");
	if (leaked || !masked)
		printf("%s", text);
	free(text);
	assert_false(leaked);
	assert_true(masked);
}

static void test_config_bus_blob_and_tasks(void **state)
{
	struct cfg_fx *f = *state;
	char *defaults[] = { f->dir_flag, NULL };
	load_ok(f, defaults);
	assert_string_equal(f->cfg.bus_url, "embedded:");
	assert_string_equal(f->cfg.blob_url, "file:");
	assert_int_equal(f->cfg.task_workers, 2);
	char *argv[] = { f->dir_flag, "--bus-url=kafka://u:s3cr3t@k:9092", "--blob-url=/srv/b", "--task-workers=4",
			 NULL };
	load_ok(f, argv);
	assert_int_equal(f->cfg.task_workers, 4);
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	config_print(&f->cfg, mem);
	fclose(mem);
	assert_null(strstr(text, "s3cr3t"));
	assert_non_null(strstr(text, "bus_url = kafka://u:********@k:9092\n"));
	assert_non_null(strstr(text, "blob_url = /srv/b\n"));
	free(text);
	char *bad[] = { f->dir_flag, "--task-workers=0", NULL };
	load_fails(f, bad, "task-workers", "1 to 64");
}

/* ---- buf ---------------------------------------------------------------- */

static void test_buf_appends(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 1024);
	assert_null(b.data);
	assert_int_equal(buf_append(&b, "ab", 2), 0);
	assert_int_equal(buf_puts(&b, "cd"), 0);
	assert_int_equal(buf_putc(&b, 'e'), 0);
	assert_int_equal(buf_printf(&b, "%d-%s", 42, "x"), 0);
	assert_int_equal(buf_append(&b, "\0z", 2), 0);
	assert_int_equal(b.len, 11);
	assert_memory_equal(b.data, "abcde42-x\0z", 12); /* NUL-terminated too */
	assert_int_equal(buf_failed(&b), 0);
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.max, 1024);

	/* An empty append still leaves a terminated string. */
	buf_init(&b, 16);
	assert_int_equal(buf_append(&b, "", 0), 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	buf_free(&b);
}

static void test_buf_grows(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 1 << 20);
	for (int i = 0; i < 100000; i++)
		assert_int_equal(buf_putc(&b, (char)('a' + i % 26)), 0);
	assert_int_equal(b.len, 100000);
	for (int i = 0; i < 100000; i++)
		if (b.data[i] != (char)('a' + i % 26))
			fail_msg("byte %d", i);
	assert_int_equal(b.data[100000], '\0');
	assert_true(b.cap <= b.max + 1);
	buf_free(&b);
}

static void test_buf_bound_is_sticky(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "12345678"), 0); /* exactly the bound */
	assert_true(b.cap <= 9);
	assert_int_equal(buf_putc(&b, '9'), -E2BIG);
	assert_int_equal(buf_failed(&b), -E2BIG);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "12345678");
	/* Sticky: every later append fails, even ones that would fit. */
	assert_int_equal(buf_puts(&b, ""), -E2BIG);
	assert_int_equal(buf_append(&b, "", 0), -E2BIG);
	assert_int_equal(buf_printf(&b, "%s", ""), -E2BIG);
	assert_int_equal(buf_put_html(&b, "", 0), -E2BIG);
	assert_int_equal(b.len, 8);
	/* reset clears it. */
	buf_reset(&b);
	assert_int_equal(buf_failed(&b), 0);
	assert_int_equal(buf_puts(&b, "ok"), 0);
	assert_string_equal(b.data, "ok");

	/* A failed append writes nothing of itself. */
	buf_reset(&b);
	assert_int_equal(buf_printf(&b, "%s", "123456789"), -E2BIG);
	assert_int_equal(b.len, 0);
	buf_reset(&b);
	assert_int_equal(buf_append(&b, "123456789", 9), -E2BIG);
	assert_int_equal(b.len, 0);
	buf_reset(&b);
	volatile size_t huge = SIZE_MAX; /* hidden from the compiler's bounds checks */
	assert_int_equal(buf_append(&b, "x", huge), -E2BIG);
	buf_free(&b);

	/* A zero bound holds nothing at all. */
	buf_init(&b, 0);
	assert_int_equal(buf_putc(&b, 'x'), -E2BIG);
	buf_free(&b);
}

static void test_buf_put_html(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 1024);
	const char *s = "a&b<c>d\"e'f";
	assert_int_equal(buf_put_html(&b, s, strlen(s)), 0);
	assert_string_equal(b.data, "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	buf_reset(&b);
	/* Only len bytes, and nothing else changes. */
	assert_int_equal(buf_put_html(&b, "<b>bold</b>", 3), 0);
	assert_string_equal(b.data, "&lt;b&gt;");
	buf_reset(&b);
	assert_int_equal(buf_put_html(&b, "plain ünïcode\n", strlen("plain ünïcode\n")), 0);
	assert_string_equal(b.data, "plain ünïcode\n");
	buf_reset(&b);
	assert_int_equal(buf_put_html(&b, "&&", 2), 0);
	assert_string_equal(b.data, "&amp;&amp;");
	buf_free(&b);

	/* Escaping counts against the bound. */
	buf_init(&b, 8);
	assert_int_equal(buf_put_html(&b, "<<", 2), 0);
	assert_string_equal(b.data, "&lt;&lt;");
	assert_int_equal(buf_put_html(&b, "<", 1), -E2BIG);
	assert_int_equal(buf_failed(&b), -E2BIG);
	buf_free(&b);
}

static void test_buf_detach(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 64);
	size_t len = 99;
	char *p = buf_detach(&b, &len);
	assert_non_null(p);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	free(p);

	buf_puts(&b, "hello");
	p = buf_detach(&b, &len);
	assert_string_equal(p, "hello");
	assert_int_equal(len, 5);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 64);
	free(p);
	assert_int_equal(buf_puts(&b, "again"), 0);
	buf_free(&b);
}

/* ---- arena -------------------------------------------------------------- */

static void test_arena_alignment_and_zeroing(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	for (size_t size = 1; size <= 200; size++) {
		unsigned char *p = arena_alloc(&a, size);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		for (size_t i = 0; i < size; i++)
			assert_int_equal(p[i], 0);
		memset(p, 0xAB, size);
	}
	/* Larger than a chunk, then small again. */
	unsigned char *big = arena_alloc(&a, 100000);
	assert_non_null(big);
	assert_int_equal((uintptr_t)big % 16, 0);
	memset(big, 1, 100000);
	unsigned char *small = arena_alloc(&a, 3);
	assert_non_null(small);
	assert_int_equal((uintptr_t)small % 16, 0);
	assert_int_equal(small[0], 0);
	arena_free(&a);
	assert_null(a.head);
	assert_int_equal(a.used_total, 0);
}

static void test_arena_allocations_do_not_overlap(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	enum { N = 2000 };
	unsigned char *ptrs[N];
	for (int i = 0; i < N; i++) {
		size_t size = (size_t)(1 + (i * 37) % 300);
		ptrs[i] = arena_alloc(&a, size);
		assert_non_null(ptrs[i]);
		memset(ptrs[i], i & 0xff, size);
	}
	for (int i = 0; i < N; i++) {
		size_t size = (size_t)(1 + (i * 37) % 300);
		for (size_t k = 0; k < size; k++)
			if (ptrs[i][k] != (unsigned char)(i & 0xff))
				fail_msg("allocation %d overwritten at %zu", i, k);
	}
	arena_free(&a);
}

static void test_arena_limit(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 100);
	assert_non_null(arena_alloc(&a, 64));
	assert_int_equal(a.used_total, 64);
	assert_null(arena_alloc(&a, 48));     /* 64 + 48 > 100 */
	assert_non_null(arena_alloc(&a, 20)); /* rounds to 32: 96 */
	assert_int_equal(a.used_total, 96);
	assert_null(arena_alloc(&a, 1)); /* rounds to 16: 112 */
	assert_null(arena_strdup(&a, "x"));
	assert_null(arena_printf(&a, "%d", 1));
	assert_int_equal(a.used_total, 96);
	assert_null(arena_alloc(&a, 1000));
	arena_free(&a);

	arena_init(&a, 64);
	assert_non_null(arena_alloc(&a, 64)); /* exactly the limit */
	assert_null(arena_alloc(&a, 1));
	arena_free(&a);

	/* Sizes that overflow when rounded are refused, limit or not. */
	arena_init(&a, 0);
	assert_null(arena_alloc(&a, SIZE_MAX));
	assert_null(arena_alloc(&a, SIZE_MAX - 8));
	arena_free(&a);
}

static void test_arena_strings(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	assert_string_equal(arena_strdup(&a, "hello"), "hello");
	assert_null(arena_strdup(&a, NULL));
	assert_string_equal(arena_strndup(&a, "hello", 3), "hel");
	assert_string_equal(arena_strndup(&a, "", 0), "");
	assert_string_equal(arena_printf(&a, "%s=%d", "x", 42), "x=42");
	char big[5000];
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	char *p = arena_printf(&a, "[%s]", big);
	assert_non_null(p);
	assert_int_equal(strlen(p), sizeof(big) + 1);
	arena_free(&a);
}

/* ---- text --------------------------------------------------------------- */

static void expect_utf8(const char *s, size_t len, int want)
{
	if (text_utf8_valid(s, len) != want) {
		printf("    bytes:");
		for (size_t i = 0; i < len; i++)
			printf(" %02x", (unsigned char)s[i]);
		printf("\n");
		fail_msg("text_utf8_valid: want %d", want);
	}
}

#define UTF8_OK(lit)  expect_utf8(lit, sizeof(lit) - 1, 1)
#define UTF8_BAD(lit) expect_utf8(lit, sizeof(lit) - 1, 0)

static void test_utf8_valid(void **state)
{
	(void)state;
	UTF8_OK("");
	UTF8_OK("plain ASCII ~\x7f");
	UTF8_OK("\xc2\x80");         /* U+0080, smallest 2-byte */
	UTF8_OK("\xc3\xa9");         /* é */
	UTF8_OK("\xdf\xbf");         /* U+07FF */
	UTF8_OK("\xe0\xa0\x80");     /* U+0800, smallest 3-byte */
	UTF8_OK("\xe2\x82\xac");     /* € */
	UTF8_OK("\xed\x9f\xbf");     /* U+D7FF, just below the surrogates */
	UTF8_OK("\xee\x80\x80");     /* U+E000, just above them */
	UTF8_OK("\xef\xbf\xbf");     /* U+FFFF */
	UTF8_OK("\xf0\x90\x80\x80"); /* U+10000, smallest 4-byte */
	UTF8_OK("\xf0\x9d\x84\x9e"); /* 𝄞 */
	UTF8_OK("\xf4\x8f\xbf\xbf"); /* U+10FFFF, the last code point */
}

static void test_utf8_rejects_overlongs(void **state)
{
	(void)state;
	UTF8_BAD("\xc0\x80"); /* NUL */
	UTF8_BAD("\xc0\xaf"); /* '/' */
	UTF8_BAD("\xc1\xbf");
	UTF8_BAD("\xe0\x80\xaf");
	UTF8_BAD("\xe0\x9f\xbf"); /* U+07FF in 3 bytes */
	UTF8_BAD("\xf0\x80\x80\xaf");
	UTF8_BAD("\xf0\x8f\xbf\xbf"); /* U+FFFF in 4 bytes */
}

static void test_utf8_rejects_surrogates_and_out_of_range(void **state)
{
	(void)state;
	UTF8_BAD("\xed\xa0\x80");             /* U+D800 */
	UTF8_BAD("\xed\xaf\xbf");             /* U+DBFF */
	UTF8_BAD("\xed\xb0\x80");             /* U+DC00 */
	UTF8_BAD("\xed\xbf\xbf");             /* U+DFFF */
	UTF8_BAD("\xed\xa0\xbd\xed\xb2\xa9"); /* CESU-8 pair */
	UTF8_BAD("\xf4\x90\x80\x80");         /* U+110000 */
	UTF8_BAD("\xf5\x80\x80\x80");
	UTF8_BAD("\xf8\x88\x80\x80\x80");
	UTF8_BAD("\xfc\x84\x80\x80\x80\x80");
	UTF8_BAD("\xfe");
	UTF8_BAD("\xff");
}

static void test_utf8_rejects_truncated_and_stray_bytes(void **state)
{
	(void)state;
	UTF8_BAD("\xc3");
	UTF8_BAD("abc\xc3");
	UTF8_BAD("\xe2\x82");
	UTF8_BAD("\xf0\x9d\x84");
	UTF8_BAD("\x80");
	UTF8_BAD("a\xbf");
	UTF8_BAD("\xc3\x41");     /* continuation missing */
	UTF8_BAD("\xe2\x28\xa1"); /* bad second byte */
	UTF8_BAD("\xe2\x82\x28"); /* bad third byte */
	UTF8_BAD("\xf0\x9d\x84\x41");
	/* len decides, not the terminator. */
	expect_utf8("\xc3\xa9", 1, 0);
	expect_utf8("\xe2\x82\xac", 2, 0);
	expect_utf8("ab\xc3\xa9", 2, 1);
}

static void test_utf8_rejects_nul(void **state)
{
	(void)state;
	UTF8_BAD("\0");
	UTF8_BAD("a\0b");
	UTF8_BAD("abc\0");
	expect_utf8("a\0b", 1, 1);
}

static void test_text_helpers(void **state)
{
	(void)state;
	assert_int_equal(text_utf8_len("", 0), 0);
	assert_int_equal(text_utf8_len("h\xc3\xa9llo", 6), 5);
	assert_int_equal(text_utf8_len("\xf0\x9d\x84\x9e"
				       "a",
				       5),
			 2);

	long v = 0;
	assert_int_equal(text_parse_long("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(text_parse_long("-5", -10, 10, &v), 0);
	assert_int_equal(v, -5);
	assert_int_equal(text_parse_long("100", 0, 100, &v), 0);
	v = 7;
	assert_int_equal(text_parse_long("101", 0, 100, &v), -1);
	assert_int_equal(text_parse_long("-1", 0, 100, &v), -1);
	assert_int_equal(text_parse_long("", 0, 100, &v), -1);
	assert_int_equal(text_parse_long(NULL, 0, 100, &v), -1);
	assert_int_equal(text_parse_long("4x", 0, 100, &v), -1);
	assert_int_equal(text_parse_long("4 ", 0, 100, &v), -1);
	assert_int_equal(text_parse_long("1.0", 0, 100, &v), -1);
	assert_int_equal(text_parse_long("99999999999999999999999", 0, 100, &v), -1);
	assert_int_equal(v, 7); /* untouched on failure */

	assert_true(text_email_plausible("ada@example.com"));
	assert_true(text_email_plausible("a.b+tag@sub.example.co.uk"));
	assert_false(text_email_plausible("ada"));
	assert_false(text_email_plausible("@example.com"));
	assert_false(text_email_plausible("ada@"));
	assert_false(text_email_plausible("ada@example"));
	assert_false(text_email_plausible("ada@example."));
	assert_false(text_email_plausible("ada@.com"));
	assert_false(text_email_plausible("a@b@example.com"));
	assert_false(text_email_plausible("a da@example.com"));
	assert_false(text_email_plausible("ada@exa\tmple.com"));
	assert_false(text_email_plausible("\"ada\"@example.com"));
	assert_false(text_email_plausible("ada@example.com,bob@example.com"));
	char long_email[300];
	memset(long_email, 'a', sizeof(long_email));
	memcpy(long_email + 250, "@x.io", 6); /* 255 bytes */
	assert_false(text_email_plausible(long_email));

	assert_true(text_http_url("https://example.com"));
	assert_true(text_http_url("http://example.com/a?b=c#d"));
	assert_false(text_http_url("HTTPS://example.com"));
	assert_false(text_http_url("ftp://example.com"));
	assert_false(text_http_url("javascript:alert(1)"));
	assert_false(text_http_url("//example.com"));
	assert_false(text_http_url("https://"));
	assert_false(text_http_url("https:///x"));
	assert_false(text_http_url("https://exa mple.com"));
	assert_false(text_http_url("https://example.com/\x01"));
	assert_false(text_http_url("https://example.com/\x7f"));
	assert_false(text_http_url("https://example.com/\"onmouseover=\""));
	assert_false(text_http_url("https://example.com/<script>"));
}

/* ---- timefmt ------------------------------------------------------------ */

static void expect_parse(const char *s, time_t want)
{
	time_t t = 0;
	if (timefmt_parse(s, &t) != 0)
		fail_msg("timefmt_parse(\"%s\") refused", s);
	if (t != want)
		fail_msg("timefmt_parse(\"%s\") = %lld, want %lld", s, (long long)t, (long long)want);
}

static void expect_parse_fails(const char *s)
{
	time_t t = 0;
	if (timefmt_parse(s, &t) != -1)
		fail_msg("timefmt_parse(\"%s\") accepted as %lld", s, (long long)t);
}

static void test_timefmt_parse_accepts(void **state)
{
	(void)state;
	expect_parse("2026-03-04", NOW - 12 * 3600);
	expect_parse("2026-03-04T12:00", NOW);
	expect_parse("2026-03-04 12:00", NOW);
	expect_parse("2026-03-04T12:00Z", NOW);
	expect_parse("2026-03-04T12:00:00", NOW);
	expect_parse("2026-03-04T12:00:00Z", NOW);
	expect_parse("2026-03-04T12:00:59Z", NOW + 59);
	expect_parse("2026-03-04T12:00:00.123Z", NOW);
	expect_parse("2026-03-04T12:00:00.5", NOW);
	expect_parse("2026-03-04T13:30+01:30", NOW);
	expect_parse("2026-03-04T07:00:00-05:00", NOW);
	expect_parse("2026-03-04T12:00+00:00", NOW);
	expect_parse("2026-03-05T01:00+13:00", NOW);
	expect_parse("2026-03-04T00:00-12:00", NOW);
	expect_parse("2024-02-29", 1709164800);
	expect_parse("2000-02-29T00:00Z", 951782400);
	expect_parse("1970-01-01T00:00:00Z", 0);
	expect_parse("2026-12-31T23:59:59Z", 1798761599);
	expect_parse("1900-01-01T01:00+01:00", -2208988800);
	expect_parse("2999-12-31T11:59:59-12:00", 32503679999);
}

static void test_timefmt_parse_rejects(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"2026",
		"2026-03",
		"26-03-04",
		"2026-3-4",
		"2026/03/04",
		" 2026-03-04",
		"2026-03-04 ",
		"2026-02-30",
		"2025-02-29",
		"1900-02-29",
		"2026-04-31",
		"2026-13-01",
		"2026-00-10",
		"2026-01-00",
		"2026-01-32",
		"1899-12-31",
		"3000-01-01",
		"2999-12-31T23:59-12:00", /* 3000-01-01 in UTC: timefmt_iso's text would be refused */
		"1900-01-01T00:00+01:00", /* 1899 in UTC */
		"2026-03-04x",
		"2026-03-04T",
		"2026-03-04T1:00",
		"2026-03-04T12",
		"2026-03-04T12:0",
		"2026-03-04T12:00:0",
		"2026-03-04T24:00",
		"2026-03-04T23:60",
		"2026-03-04T12:00:61",
		"2026-03-04T12:00Zjunk",
		"2026-03-04T12:00ZZ",
		"2026-03-04t12:00",
		"2026-03-04T12:00+0100",
		"2026-03-04T12:00+01",
		"2026-03-04T12:00+24:00",
		"2026-03-04T12:00+01:60",
		"2026-03-04T12:00 +01:00",
		"2026-03-04T12-00",
		"2026-03-04Tab:cd",
		"2026-03-04T12:00:00,5",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_parse_fails(bad[i]);
}

static void test_timefmt_date_valid(void **state)
{
	(void)state;
	assert_true(timefmt_date_valid("2026-02-28"));
	assert_true(timefmt_date_valid("2024-02-29"));
	assert_true(timefmt_date_valid("2026-12-31"));
	assert_false(timefmt_date_valid("2026-02-29"));
	assert_false(timefmt_date_valid("2026-2-28"));
	assert_false(timefmt_date_valid("2026-02-28 "));
	assert_false(timefmt_date_valid("2026-02-28T00:00"));
	assert_false(timefmt_date_valid("20260228"));
	assert_false(timefmt_date_valid(""));
}

static void test_timefmt_format(void **state)
{
	(void)state;
	char iso[TIMEFMT_ISO_LEN], date[TIMEFMT_DATE_LEN], ms[TIMEFMT_ISO_MS_LEN], disp[64];
	timefmt_iso(NOW + 56, iso);
	assert_string_equal(iso, "2026-03-04T12:00:56Z");
	timefmt_iso(0, iso);
	assert_string_equal(iso, "1970-01-01T00:00:00Z");
	timefmt_date(NOW, date);
	assert_string_equal(date, "2026-03-04");
	timefmt_display(NOW + 30 * 60, disp, sizeof(disp));
	assert_string_equal(disp, "Mar 4, 2026 · 12:30 UTC");
	timefmt_now_iso_ms(ms);
	assert_int_equal(strlen(ms), TIMEFMT_ISO_MS_LEN - 1);
	assert_int_equal(ms[10], 'T');
	assert_int_equal(ms[19], '.');
	assert_int_equal(ms[23], 'Z');
	timefmt_iso(-1, iso);
	assert_string_equal(iso, "1969-12-31T23:59:59Z");
	/* What timefmt_iso writes, timefmt_parse reads back. */
	time_t back;
	timefmt_iso(NOW + 12345, iso);
	assert_int_equal(timefmt_parse(iso, &back), 0);
	assert_int_equal(back, NOW + 12345);
}

static void test_timefmt_iso_agrees_with_gmtime(void **state)
{
	(void)state;
	/* From year 1 to 9999, including negative times and leap days. */
	const int64_t first = -62135596800LL, last = 253402300799LL;
	int64_t checked = 0;
	for (int64_t t = first; t <= last; t += 86400LL * 97 + 3607) {
		time_t tt = (time_t)t;
		struct tm tm;
		char want[96], got[TIMEFMT_ISO_LEN];
		gmtime_r(&tt, &tm);
		snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
			 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		timefmt_iso(tt, got);
		if (strcmp(got, want))
			fail_msg("timefmt_iso(%lld) = %s, want %s", (long long)t, got, want);
		checked++;
	}
	assert_true(checked > 30000);
	static const int64_t edges[] = { 0, 59, 86399, 86400, 951782400, 951868799, 4107542400LL, 253402300799LL };
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		time_t tt = (time_t)edges[i];
		struct tm tm;
		char want[32], got[TIMEFMT_ISO_LEN];
		gmtime_r(&tt, &tm);
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		timefmt_iso(tt, got);
		assert_string_equal(got, want);
	}
}

static void expect_relative(time_t then, const char *want)
{
	char out[64];
	timefmt_relative(then, NOW, out, sizeof(out));
	if (strcmp(out, want))
		fail_msg("%+lld s: \"%s\", want \"%s\"", (long long)(then - NOW), out, want);
}

static void test_timefmt_relative(void **state)
{
	(void)state;
	expect_relative(NOW, "just now");
	expect_relative(NOW - 59, "just now");
	expect_relative(NOW + 59, "just now");
	expect_relative(NOW - 60, "1 minute ago");
	expect_relative(NOW - 119, "1 minute ago");
	expect_relative(NOW - 120, "2 minutes ago");
	expect_relative(NOW - 3599, "59 minutes ago");
	expect_relative(NOW - 3600, "1 hour ago");
	expect_relative(NOW - 23 * 3600, "23 hours ago");
	expect_relative(NOW - 86400, "yesterday");
	expect_relative(NOW - 2 * 86400 + 1, "yesterday");
	expect_relative(NOW - 2 * 86400, "2 days ago");
	expect_relative(NOW - 29 * 86400, "29 days ago");
	expect_relative(NOW - 40 * 86400, "Jan 23, 2026");
	expect_relative(NOW + 60, "in 1 minute");
	expect_relative(NOW + 5 * 60, "in 5 minutes");
	expect_relative(NOW + 3 * 3600, "in 3 hours");
	expect_relative(NOW + 86400, "in 1 day");
	expect_relative(NOW + 3 * 86400, "in 3 days");
	expect_relative(NOW + 45 * 86400, "Apr 18, 2026");
	/* A short buffer is cut, never overrun. */
	char tiny[6];
	timefmt_relative(NOW - 120, NOW, tiny, sizeof(tiny));
	assert_string_equal(tiny, "2 min");
}

/* ---- json_out ----------------------------------------------------------- */

static const char *out_string(struct buf *b, const char *s, size_t len)
{
	buf_reset(b);
	json_out_stringn(b, s, len);
	assert_int_equal(buf_failed(b), 0);
	return b->data;
}

static void test_json_out_escapes(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 4096);
	assert_string_equal(out_string(&b, "plain", 5), "\"plain\"");
	assert_string_equal(out_string(&b, "", 0), "\"\"");
	assert_string_equal(out_string(&b, "a\"b\\c/d", 7), "\"a\\\"b\\\\c/d\"");
	assert_string_equal(out_string(&b, "\n\r\t", 3), "\"\\n\\r\\t\"");
	assert_string_equal(out_string(&b, "\x01\x08\x0c\x1f\x7f", 5), "\"\\u0001\\u0008\\u000c\\u001f\\u007f\"");
	assert_string_equal(out_string(&b, "a\0b", 3), "\"a\\u0000b\"");
	/* '<' is escaped so JSON can sit inside <script>; '>' and '&' need not be. */
	assert_string_equal(out_string(&b, "</script><!--&>", 15), "\"\\u003c/script>\\u003c!--&>\"");
	assert_string_equal(out_string(&b, "Zürich €", strlen("Zürich €")), "\"Zürich €\"");

	buf_reset(&b);
	json_out_string(&b, NULL);
	assert_string_equal(b.data, "null");
	buf_reset(&b);
	json_out_string(&b, "x\"");
	assert_string_equal(b.data, "\"x\\\"\"");
	buf_free(&b);
}

/* Strings are scanned eight bytes at a time: every byte value at every
 * position of a longer string is escaped exactly as one byte at a time
 * would (the expected text built here by hand, byte by byte). */
static void test_json_out_escapes_at_every_position(void **state)
{
	(void)state;
	struct buf b, want;
	buf_init(&b, 4096);
	buf_init(&want, 4096);
	for (int c = 0; c < 256; c++) {
		for (size_t pos = 0; pos < 24; pos++) {
			char s[24];
			memset(s, 'a', sizeof(s));
			s[pos] = (char)c;
			buf_reset(&want);
			buf_putc(&want, '"');
			for (size_t i = 0; i < sizeof(s); i++) {
				unsigned char u = (unsigned char)s[i];
				if (u == '"' || u == '\\')
					buf_printf(&want, "\\%c", u);
				else if (u == '\n')
					buf_puts(&want, "\\n");
				else if (u == '\r')
					buf_puts(&want, "\\r");
				else if (u == '\t')
					buf_puts(&want, "\\t");
				else if (u < 0x20 || u == 0x7f || u == '<')
					buf_printf(&want, "\\u%04x", u);
				else
					buf_putc(&want, (char)u);
			}
			buf_putc(&want, '"');
			buf_reset(&b);
			json_out_stringn(&b, s, sizeof(s));
			assert_int_equal(b.len, want.len);
			assert_memory_equal(b.data, want.data, want.len);
		}
	}
	buf_free(&b);
	buf_free(&want);
}

static void test_json_out_round_trips_through_a_parser(void **state)
{
	(void)state;
	/* Every byte 1..127 plus some UTF-8 comes back unchanged from jansson. */
	char s[200];
	size_t n = 0;
	for (int c = 1; c < 128; c++)
		s[n++] = (char)c;
	memcpy(s + n, "é€𝄞", strlen("é€𝄞"));
	n += strlen("é€𝄞");
	s[n] = '\0';
	struct buf b;
	buf_init(&b, 4096);
	json_out_stringn(&b, s, n);
	json_error_t jerr;
	json_t *v = json_loadb(b.data, b.len, JSON_DECODE_ANY, &jerr);
	if (!v)
		fail_msg("output is not JSON: %s: %s", jerr.text, b.data);
	assert_true(json_is_string(v));
	assert_int_equal(json_string_length(v), n);
	assert_memory_equal(json_string_value(v), s, n);
	json_decref(v);
	/* No raw control characters or '<' made it into the output. */
	for (size_t i = 0; i < b.len; i++)
		assert_true((unsigned char)b.data[i] >= 0x20 && b.data[i] != 0x7f && b.data[i] != '<');
	buf_free(&b);
}

static void test_json_out_values(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 4096);
	buf_putc(&b, '{');
	json_out_key(&b, "id", 1);
	json_out_int(&b, INT64_MAX);
	json_out_key(&b, "min", 0);
	json_out_int(&b, INT64_MIN);
	json_out_key(&b, "zero", 0);
	json_out_int(&b, 0);
	json_out_key(&b, "none", 0);
	json_out_int_or_null(&b, 5, 1);
	json_out_key(&b, "some", 0);
	json_out_int_or_null(&b, -5, 0);
	json_out_key(&b, "t", 0);
	json_out_bool(&b, 7);
	json_out_key(&b, "f", 0);
	json_out_bool(&b, 0);
	json_out_key(&b, "s", 0);
	json_out_string(&b, "v");
	buf_putc(&b, '}');
	assert_string_equal(b.data, "{\"id\":9223372036854775807,\"min\":-9223372036854775808,\"zero\":0,"
				    "\"none\":null,\"some\":-5,\"t\":true,\"f\":false,\"s\":\"v\"}");
	json_t *v = json_loads(b.data, 0, NULL);
	assert_non_null(v);
	json_decref(v);
	buf_free(&b);
}

/* ---- log ------------------------------------------------------------------ */

static void test_log_levels(void **state)
{
	(void)state;
	assert_int_equal(log_level_parse("debug"), LOG_DEBUG);
	assert_int_equal(log_level_parse("info"), LOG_INFO);
	assert_int_equal(log_level_parse("warn"), LOG_WARN);
	assert_int_equal(log_level_parse("error"), LOG_ERROR);
	assert_int_equal(log_level_parse("INFO"), -1);
	assert_int_equal(log_level_parse("warning"), -1);
	log_set_level(LOG_WARN);
	assert_false(log_enabled(LOG_INFO));
	assert_true(log_enabled(LOG_WARN));
	assert_true(log_enabled(LOG_ERROR));
	log_set_level(LOG_INFO);
	assert_true(log_enabled(LOG_INFO));
	assert_false(log_enabled(LOG_DEBUG));
}

#define C(fn) cmocka_unit_test_setup_teardown(fn, cfg_setup, cfg_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		C(test_config_defaults),
		C(test_config_precedence),
		C(test_config_file_locations),
		C(test_config_file_errors),
		C(test_config_env_and_flag_errors),
		C(test_config_flag_needs_its_value),
		C(test_config_extra_and_print_flags),
		C(test_config_print_masks_secrets),
		C(test_config_bus_blob_and_tasks),
		cmocka_unit_test(test_buf_appends),
		cmocka_unit_test(test_buf_grows),
		cmocka_unit_test(test_buf_bound_is_sticky),
		cmocka_unit_test(test_buf_put_html),
		cmocka_unit_test(test_buf_detach),
		cmocka_unit_test(test_arena_alignment_and_zeroing),
		cmocka_unit_test(test_arena_allocations_do_not_overlap),
		cmocka_unit_test(test_arena_limit),
		cmocka_unit_test(test_arena_strings),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_rejects_overlongs),
		cmocka_unit_test(test_utf8_rejects_surrogates_and_out_of_range),
		cmocka_unit_test(test_utf8_rejects_truncated_and_stray_bytes),
		cmocka_unit_test(test_utf8_rejects_nul),
		cmocka_unit_test(test_text_helpers),
		cmocka_unit_test(test_timefmt_parse_accepts),
		cmocka_unit_test(test_timefmt_parse_rejects),
		cmocka_unit_test(test_timefmt_date_valid),
		cmocka_unit_test(test_timefmt_format),
		cmocka_unit_test(test_timefmt_iso_agrees_with_gmtime),
		cmocka_unit_test(test_timefmt_relative),
		cmocka_unit_test(test_json_out_escapes),
		cmocka_unit_test(test_json_out_round_trips_through_a_parser),
		cmocka_unit_test(test_json_out_escapes_at_every_position),
		cmocka_unit_test(test_json_out_values),
		cmocka_unit_test(test_log_levels),
	};
	return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}
