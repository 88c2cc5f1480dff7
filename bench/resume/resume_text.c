/* resume_text — resume_extract_text() from the command line: what the
 * extraction makes of files, and how fast.
 *
 *   resume_text FILE...              each file's type, facts, body and header/footer text
 *   resume_text --bench ROUNDS FILE...  reads every file ROUNDS times; prints files, pages,
 *                                    MB, CPU seconds, pages/s and MB/s (one core), and the
 *                                    median and worst time of one extraction
 * Built on demand: ninja -C BUILD bench/resume/resume_text */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "resume/extract.h"

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	unsigned char *b = malloc(cap);
	while (b) {
		size_t r = fread(b + n, 1, cap - n, f);
		n += r;
		if (n < cap)
			break;
		unsigned char *nb = realloc(b, cap * 2);
		if (!nb) {
			free(b);
			b = NULL;
			break;
		}
		b = nb;
		cap *= 2;
	}
	fclose(f);
	*len = n;
	return b;
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int show(const char *path)
{
	size_t len;
	unsigned char *data = slurp(path, &len);
	if (!data) {
		perror(path);
		return 1;
	}
	struct arena a;
	arena_init(&a, 0);
	struct resume_text t;
	char err[512];
	enum resume_error rc = resume_extract_text(data, len, NULL, &a, &t, err, sizeof(err));
	const struct resume_facts *f = &t.facts;
	printf("== %s: %s, %s", path, resume_type_name(f->type), resume_error_name(rc));
	if (rc != RESUME_OK)
		printf(" (%s)", err);
	printf("\n   pages %d (%d without text), text layer %s, columns %s, tables %s, text boxes %s, images %s, "
	       "icons %d, words %zu%s%s\n   fonts:",
	       f->pages, f->pages_without_text, f->text_layer ? "yes" : "no", f->columns ? "yes" : "no",
	       f->tables ? "yes" : "no", f->text_boxes ? "yes" : "no", f->images ? "yes" : "no", f->icon_glyphs,
	       f->words, f->encoding ? ", encoding " : "", f->encoding ? f->encoding : "");
	for (size_t i = 0; i < f->n_fonts; i++)
		printf(" %s;", f->fonts[i]);
	if (rc == RESUME_OK)
		printf("\n-- body --\n%s\n-- header/footer --\n%s\n", t.body, t.header_footer);
	else
		printf("\n");
	arena_free(&a);
	free(data);
	return rc != RESUME_OK;
}

static int bench(int rounds, int n, char **paths)
{
	unsigned char **data = calloc((size_t)n, sizeof(*data));
	size_t *lens = calloc((size_t)n, sizeof(*lens));
	double *times = calloc((size_t)n * (size_t)rounds, sizeof(*times));
	if (!data || !lens || !times)
		return 1;
	size_t bytes = 0;
	for (int i = 0; i < n; i++) {
		data[i] = slurp(paths[i], &lens[i]);
		if (!data[i]) {
			perror(paths[i]);
			return 1;
		}
		bytes += lens[i];
	}
	long pages = 0, failed = 0;
	size_t k = 0;
	double cpu0 = cpu_now();
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < n; i++) {
			struct arena a;
			arena_init(&a, 0);
			struct resume_text t;
			double w0 = wall_now();
			enum resume_error rc = resume_extract_text(data[i], lens[i], NULL, &a, &t, NULL, 0);
			times[k++] = wall_now() - w0;
			if (rc != RESUME_OK)
				failed++;
			pages += t.facts.pages;
			arena_free(&a);
		}
	}
	double cpu = cpu_now() - cpu0;
	qsort(times, k, sizeof(*times), cmp_double);
	double mb = (double)bytes * rounds / 1e6;
	printf("files %d x %d rounds, pages %ld, %.2f MB, failed %ld\n", n, rounds, pages, mb, failed);
	printf("cpu %.3f s: %.0f pages/s, %.2f MB/s, %.0f files/s\n", cpu, (double)pages / cpu, mb / cpu,
	       (double)k / cpu);
	printf("one file: median %.3f ms, p99 %.3f ms, worst %.3f ms\n", times[k / 2] * 1e3,
	       times[(size_t)((double)k * 0.99)] * 1e3, times[k - 1] * 1e3);
	for (int i = 0; i < n; i++)
		free(data[i]);
	free(data);
	free(lens);
	free(times);
	return failed != 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "--bench") == 0) {
		char *end;
		long rounds = strtol(argv[2], &end, 10);
		if (*end || rounds < 1 || rounds > 100000) {
			fprintf(stderr, "resume_text: ROUNDS must be 1-100000\n");
			return 2;
		}
		return bench((int)rounds, argc - 3, argv + 3);
	}
	if (argc < 2) {
		fprintf(stderr, "usage: resume_text FILE... | resume_text --bench ROUNDS FILE...\n");
		return 2;
	}
	int status = 0;
	for (int i = 1; i < argc; i++)
		status |= show(argv[i]);
	return status;
}
