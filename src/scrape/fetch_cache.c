/* fetch_cache — fetch_dir_cache, the conditional-request cache on a local
 * directory: one file per URL, named by a BLAKE2b hash of it, holding the
 * URL (so a collision reads as a miss), the validators and the body:
 *
 *     jtfc 1\n
 *     <url bytes> <etag bytes> <last-modified bytes> <body bytes>\n
 *     url etag last-modified body
 *
 * A store writes a temporary file and renames it over the entry, so a
 * reader in any process sees the old entry or the new one, never half of
 * one. A hit touches the file's time, and eviction removes the oldest
 * first, which makes the directory least-recently-used. */
#include "scrape/fetch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAGIC       "jtfc 1\n"
#define NAME_LEN    (32 + 3) /* hex of a 16-byte hash, ".fc" */
#define HEADER_MAX  96       /* magic + four lengths */
#define STALE_TMP_S 3600     /* a temporary file this old was left by a crash */
#define MAX_SCAN    1000000  /* entries looked at by one eviction */

struct fetch_dir_cache {
	int dirfd;
	size_t max_bytes;
	pthread_mutex_t mu; /* guards total and the counter */
	size_t total;       /* bytes in entries as this process knows them; rescanned on eviction */
	unsigned long tmp_counter;
};

static void entry_name(const char *url, char out[NAME_LEN + 1])
{
	unsigned char h[16];
	crypto_generichash(h, sizeof(h), (const unsigned char *)url, strlen(url), NULL, 0);
	for (size_t i = 0; i < sizeof(h); i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
	memcpy(out + 32, ".fc", 4);
}

static bool is_entry_name(const char *name)
{
	return strlen(name) == NAME_LEN && strcmp(name + 32, ".fc") == 0 && strspn(name, "0123456789abcdef") == 32;
}

/* The largest single entry: a bigger one would push out most of the rest. */
static size_t entry_max(const struct fetch_dir_cache *dc)
{
	return dc->max_bytes / 4;
}

/* ---- eviction ---- */

struct scanned {
	struct timespec mtime;
	size_t size;
	char name[NAME_LEN + 1];
};

static int by_age(const void *a, const void *b)
{
	const struct scanned *x = a, *y = b;
	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return (x->mtime.tv_sec > y->mtime.tv_sec) - (x->mtime.tv_sec < y->mtime.tv_sec);
	return (x->mtime.tv_nsec > y->mtime.tv_nsec) - (x->mtime.tv_nsec < y->mtime.tv_nsec);
}

/* Recounts the directory (other processes write to it too), drops
 * temporary files a crash left behind, and, when over budget, removes the
 * least recently used entries until 90% of it is in use, never `keep` (the
 * entry just written, whose time may tie with older ones). Lock held. */
static void rescan(struct fetch_dir_cache *dc, bool evict, const char *keep)
{
	int fd = dup(dc->dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	rewinddir(d);
	struct scanned *items = NULL;
	size_t n = 0, cap = 0, total = 0;
	time_t now = time(NULL);
	struct dirent *de;
	while ((de = readdir(d)) && n < MAX_SCAN) {
		struct stat st;
		if (fstatat(dc->dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (strncmp(de->d_name, ".tmp.", 5) == 0) {
			if (now - st.st_mtime > STALE_TMP_S)
				unlinkat(dc->dirfd, de->d_name, 0);
			continue;
		}
		if (!is_entry_name(de->d_name))
			continue;
		total += (size_t)st.st_size;
		if (!evict)
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			struct scanned *grown = realloc(items, ncap * sizeof(*items));
			if (!grown)
				break;
			items = grown;
			cap = ncap;
		}
		items[n].mtime = st.st_mtim;
		items[n].size = (size_t)st.st_size;
		memcpy(items[n].name, de->d_name, NAME_LEN + 1);
		n++;
	}
	closedir(d);
	if (evict && total > dc->max_bytes) {
		qsort(items, n, sizeof(*items), by_age);
		size_t goal = dc->max_bytes / 10 * 9;
		for (size_t i = 0; i < n && total > goal; i++)
			if ((!keep || strcmp(items[i].name, keep) != 0) && unlinkat(dc->dirfd, items[i].name, 0) == 0)
				total -= items[i].size;
	}
	free(items);
	dc->total = total;
}

/* ---- lookup ---- */

/* Reads up to len bytes at the start of fd. */
static int read_all(int fd, char *out, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t r = read(fd, out + got, len - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EIO;
		got += (size_t)r;
	}
	return 0;
}

static char *dup_part(const char *p, size_t len)
{
	char *s = malloc(len + 1);
	if (s) {
		memcpy(s, p, len);
		s[len] = '\0';
	}
	return s;
}

/* Parses the header line: four lengths whose sum, with the header, is the
 * file's size. Returns the header's length, or -EIO when it lies. */
static int parse_header(const char *data, size_t size, size_t lens[4])
{
	size_t m = strlen(MAGIC);
	if (size < m || memcmp(data, MAGIC, m) != 0)
		return -EIO;
	size_t i = m, sum = 0;
	for (int k = 0; k < 4; k++) {
		size_t v = 0, digits = 0;
		while (i < size && i < HEADER_MAX && data[i] >= '0' && data[i] <= '9' && digits < 12) {
			v = v * 10 + (size_t)(data[i++] - '0');
			digits++;
		}
		char sep = k < 3 ? ' ' : '\n';
		if (!digits || i >= size || data[i] != sep)
			return -EIO;
		i++;
		lens[k] = v;
		sum += v;
	}
	return sum == size - i ? (int)i : -EIO;
}

static int dir_lookup(void *ctx, const char *url, struct fetch_cached *out)
{
	struct fetch_dir_cache *dc = ctx;
	char name[NAME_LEN + 1];
	entry_name(url, name);
	int fd = openat(dc->dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? -ENOENT : -errno;
	struct stat st;
	int rc = -EIO;
	char *data = NULL;
	if (fstat(fd, &st) < 0 || (size_t)st.st_size > entry_max(dc) + HEADER_MAX + 4096)
		goto out;
	size_t size = (size_t)st.st_size;
	data = malloc(size + 1);
	if (!data) {
		rc = -ENOMEM;
		goto out;
	}
	if ((rc = read_all(fd, data, size)) < 0)
		goto out;
	size_t lens[4];
	int at = parse_header(data, size, lens);
	if (at < 0) {
		rc = -EIO;
		goto out;
	}
	const char *p = data + at;
	if (lens[0] != strlen(url) || memcmp(p, url, lens[0]) != 0) {
		rc = -ENOENT; /* another URL with the same hash */
		goto out;
	}
	p += lens[0];
	memset(out, 0, sizeof(*out));
	out->etag = lens[1] ? dup_part(p, lens[1]) : NULL;
	p += lens[1];
	out->last_modified = lens[2] ? dup_part(p, lens[2]) : NULL;
	p += lens[2];
	out->body = dup_part(p, lens[3]);
	out->len = lens[3];
	if (!out->body || (lens[1] && !out->etag) || (lens[2] && !out->last_modified)) {
		free(out->etag);
		free(out->last_modified);
		free(out->body);
		memset(out, 0, sizeof(*out));
		rc = -ENOMEM;
		goto out;
	}
	futimens(fd, NULL); /* recently used: evicted last */
	rc = 0;
out:
	free(data);
	close(fd);
	return rc;
}

/* ---- store ---- */

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static int dir_store(void *ctx, const char *url, const char *etag, const char *last_modified, const char *body,
		     size_t len)
{
	struct fetch_dir_cache *dc = ctx;
	if (!etag && !last_modified)
		return -EINVAL;
	size_t ul = strlen(url), el = etag ? strlen(etag) : 0, ll = last_modified ? strlen(last_modified) : 0;
	char header[HEADER_MAX];
	int hl = snprintf(header, sizeof(header), MAGIC "%zu %zu %zu %zu\n", ul, el, ll, len);
	if (hl < 0 || (size_t)hl >= sizeof(header))
		return -EINVAL;
	size_t size = (size_t)hl + ul + el + ll + len;
	if (size > entry_max(dc))
		return -EFBIG;

	char name[NAME_LEN + 1], tmp[64];
	entry_name(url, name);
	pthread_mutex_lock(&dc->mu);
	unsigned long n = ++dc->tmp_counter;
	pthread_mutex_unlock(&dc->mu);
	snprintf(tmp, sizeof(tmp), ".tmp.%ld.%lu", (long)getpid(), n);
	int fd = openat(dc->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	int rc = write_all(fd, header, (size_t)hl);
	if (!rc)
		rc = write_all(fd, url, ul);
	if (!rc && el)
		rc = write_all(fd, etag, el);
	if (!rc && ll)
		rc = write_all(fd, last_modified, ll);
	if (!rc)
		rc = write_all(fd, body, len);
	if (close(fd) < 0 && !rc)
		rc = -errno;
	pthread_mutex_lock(&dc->mu);
	struct stat old;
	size_t replaced = fstatat(dc->dirfd, name, &old, AT_SYMLINK_NOFOLLOW) == 0 ? (size_t)old.st_size : 0;
	if (!rc && renameat(dc->dirfd, tmp, dc->dirfd, name) < 0)
		rc = -errno;
	if (rc) {
		unlinkat(dc->dirfd, tmp, 0);
	} else {
		dc->total = dc->total - (replaced < dc->total ? replaced : dc->total) + size;
		if (dc->total > dc->max_bytes)
			rescan(dc, true, name);
	}
	pthread_mutex_unlock(&dc->mu);
	return rc;
}

/* ---- the handle ---- */

struct fetch_dir_cache *fetch_dir_cache_open(const char *dir, size_t max_bytes, int *err)
{
	*err = 0;
	if (sodium_init() < 0) {
		*err = -EIO;
		return NULL;
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		*err = -errno;
		return NULL;
	}
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		*err = -errno;
		return NULL;
	}
	struct fetch_dir_cache *dc = calloc(1, sizeof(*dc));
	if (!dc) {
		close(fd);
		*err = -ENOMEM;
		return NULL;
	}
	dc->dirfd = fd;
	dc->max_bytes = max_bytes;
	pthread_mutex_init(&dc->mu, NULL);
	pthread_mutex_lock(&dc->mu);
	rescan(dc, true, NULL);
	pthread_mutex_unlock(&dc->mu);
	return dc;
}

void fetch_dir_cache_close(struct fetch_dir_cache *dc)
{
	if (!dc)
		return;
	close(dc->dirfd);
	pthread_mutex_destroy(&dc->mu);
	free(dc);
}

struct fetch_cache fetch_dir_cache_interface(struct fetch_dir_cache *dc)
{
	return (struct fetch_cache){ .ctx = dc, .lookup = dir_lookup, .store = dir_store };
}
