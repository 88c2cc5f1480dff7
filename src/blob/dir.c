/* dir.c — the blob store in a local directory: one file per object at the
 * key's path, written to a temporary file and renamed into place.
 *
 * Every step goes through directory descriptors with O_NOFOLLOW (openat,
 * mkdirat, renameat, unlinkat), so even a symbolic link planted inside the
 * store cannot lead a key outside it; keys were checked by blob.c already.
 * Temporary files start with '.', which no key component may, so listings
 * never show them. Files are 0600 and directories 0700: raw pages and
 * resumes are nobody else's business. Deleting an object removes the
 * folders it leaves empty; a put that loses its folder to such a delete
 * simply makes it again. Unlike S3, a key cannot also be a folder of other
 * keys ("a/b" and "a/b/c"): the second put fails with -ENOTDIR or -EISDIR. */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fs.h"
#include "blob/backend.h"

/* A directory with more entries than this is not one we made. */
#define DIR_ENTRIES_MAX (1u << 20)

struct dir_blob {
	struct blob base;
	char *root;
	int rootfd;
	atomic_uint tmp_counter;
};

/* The directories on the way to a key's file, open, and where each one's
 * name sits in the key. */
struct walk {
	int fds[BLOB_DEPTH_MAX];
	size_t name_at[BLOB_DEPTH_MAX], name_len[BLOB_DEPTH_MAX];
	int created[BLOB_DEPTH_MAX]; /* made by this walk: its parent needs an fsync */
	int n;
	const char *leaf;
};

static void walk_close(struct walk *w)
{
	for (int i = 0; i < w->n; i++)
		close(w->fds[i]);
	w->n = 0;
}

static int parent_of(const struct dir_blob *b, const struct walk *w, int level)
{
	return level > 0 ? w->fds[level - 1] : b->rootfd;
}

/* Opens (create: and makes) the directories of key; w->leaf is the file name. */
static int walk_to(struct dir_blob *b, const char *key, int create, struct walk *w)
{
	memset(w, 0, sizeof(*w));
	const char *p = key;
	for (const char *slash; (slash = strchr(p, '/')) != NULL; p = slash + 1) {
		char name[256];
		size_t len = (size_t)(slash - p);
		memcpy(name, p, len);
		name[len] = '\0';
		int at = parent_of(b, w, w->n), made = 0;
		int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT && create) {
			if (mkdirat(at, name, 0700) == 0)
				made = 1;
			else if (errno != EEXIST)
				goto fail;
			fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		if (fd < 0)
			goto fail;
		w->fds[w->n] = fd;
		w->name_at[w->n] = (size_t)(p - key);
		w->name_len[w->n] = len;
		w->created[w->n] = made;
		w->n++;
	}
	w->leaf = p;
	return 0;
fail:;
	/* A symbolic link or a file where a folder should be: no such object
	 * to read, and no place to write one. */
	int e = errno == ELOOP || errno == ENOTDIR ? (create ? -ENOTDIR : -ENOENT) : -errno;
	walk_close(w);
	return e;
}

static int dir_put(struct blob *base, const char *key, const void *data, size_t len)
{
	struct dir_blob *b = (struct dir_blob *)base;
	int rc = -ENOENT;
	for (int attempt = 0; attempt < 3 && rc == -ENOENT; attempt++) {
		struct walk w;
		if ((rc = walk_to(b, key, 1, &w)) != 0)
			continue;
		int dir = parent_of(b, &w, w.n);
		char tmp[64];
		snprintf(tmp, sizeof(tmp), ".tmp-%ld-%u", (long)getpid(), atomic_fetch_add(&b->tmp_counter, 1));
		int fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0) {
			rc = -errno; /* ENOENT: a delete removed the folder under us; again */
			walk_close(&w);
			continue;
		}
		rc = fs_write_all(fd, data, len, -1);
		if (!rc && fsync(fd))
			rc = -errno;
		if (close(fd) && !rc)
			rc = -errno;
		if (!rc && renameat(dir, tmp, dir, w.leaf))
			rc = errno == ENOENT ? -EIO : -errno; /* never retry after the file was written */
		if (rc)
			unlinkat(dir, tmp, 0);
		/* The new name, and any folder made for it, must survive a crash too. */
		if (!rc && fsync(dir))
			rc = -errno;
		for (int i = 0; i < w.n && !rc; i++)
			if (w.created[i] && fsync(parent_of(b, &w, i)))
				rc = -errno;
		walk_close(&w);
	}
	return rc;
}

/* Opens key's file for reading: a descriptor, or -ENOENT for anything but a regular file. */
static int open_object(struct dir_blob *b, const char *key, struct stat *st)
{
	struct walk w;
	int rc = walk_to(b, key, 0, &w);
	if (rc)
		return rc;
	int fd = openat(parent_of(b, &w, w.n), w.leaf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	rc = fd < 0 ? (errno == ELOOP ? -ENOENT : -errno) : 0;
	walk_close(&w);
	if (rc)
		return rc;
	if (fstat(fd, st) || !S_ISREG(st->st_mode)) {
		close(fd);
		return -ENOENT;
	}
	return fd;
}

static int dir_get_stored(struct blob *base, const char *key, struct buf *out)
{
	struct stat st;
	int fd = open_object((struct dir_blob *)base, key, &st);
	if (fd < 0)
		return fd;
	size_t start = out->len;
	int rc = (uint64_t)st.st_size > out->max - out->len ? -EFBIG : buf_reserve(out, (size_t)st.st_size);
	unsigned char chunk[64 << 10];
	while (!rc) {
		ssize_t got = read(fd, chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			rc = got < 0 ? -errno : 0;
			break;
		}
		if ((size_t)got > out->max - out->len)
			rc = -EFBIG;
		else
			rc = buf_append(out, chunk, (size_t)got);
	}
	close(fd);
	if (rc)
		blob_buf_restore(out, start);
	return rc;
}

static int dir_exists(struct blob *base, const char *key)
{
	struct stat st;
	int fd = open_object((struct dir_blob *)base, key, &st);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	close(fd);
	return 1;
}

static int dir_delete(struct blob *base, const char *key)
{
	struct dir_blob *b = (struct dir_blob *)base;
	struct walk w;
	int rc = walk_to(b, key, 0, &w);
	if (rc)
		return rc;
	if (unlinkat(parent_of(b, &w, w.n), w.leaf, 0))
		rc = errno == EISDIR ? -ENOENT : -errno;
	/* Empty folders go too, deepest first, until one still holds something. */
	for (int i = w.n - 1; i >= 0 && !rc; i--) {
		char name[256];
		memcpy(name, key + w.name_at[i], w.name_len[i]);
		name[w.name_len[i]] = '\0';
		if (unlinkat(parent_of(b, &w, i), name, AT_REMOVEDIR))
			break;
	}
	walk_close(&w);
	return rc;
}

/* ---- listing ----------------------------------------------------------------- */

struct entry {
	char *name;
	int is_dir;
};

/* The byte at i of the entry's name as it sorts in a key: a folder's name
 * is followed by '/', so "a.c" < "a/x" as S3 orders them. -1 past the end. */
static int sort_char(const struct entry *e, size_t i, size_t len)
{
	if (i < len)
		return (unsigned char)e->name[i];
	return i == len && e->is_dir ? '/' : -1;
}

static int cmp_entry(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	size_t la = strlen(a->name), lb = strlen(b->name);
	for (size_t i = 0;; i++) {
		int ca = sort_char(a, i, la), cb = sort_char(b, i, lb);
		if (ca != cb)
			return ca < cb ? -1 : 1;
		if (ca < 0)
			return 0;
	}
}

struct lister {
	const char *prefix, *after;
	size_t prefix_len, max;
	struct blob_list *out;
	char path[BLOB_KEY_MAX + 2];
};

static void free_entries(struct entry *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i].name);
	free(list);
}

/* The entries of dirfd that can be key components (files and folders), sorted. */
static int read_entries(int dirfd, struct entry **out, size_t *count)
{
	DIR *d;
	int rc = fs_list_dir(dirfd, &d);
	if (rc)
		return rc;
	struct entry *list = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		const char *name = de->d_name;
		if (name[0] == '.' || strlen(name) > 255)
			continue; /* temporary files, ".", ".." */
		int is_dir = de->d_type == DT_DIR;
		if (de->d_type == DT_UNKNOWN) {
			struct stat st;
			if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW))
				continue;
			is_dir = S_ISDIR(st.st_mode);
			if (!is_dir && !S_ISREG(st.st_mode))
				continue;
		} else if (!is_dir && de->d_type != DT_REG) {
			continue; /* links, sockets, … are not objects */
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			struct entry *grown = ncap > DIR_ENTRIES_MAX ? NULL : realloc(list, ncap * sizeof(*list));
			if (!grown) {
				rc = ncap > DIR_ENTRIES_MAX ? -E2BIG : -ENOMEM;
				break;
			}
			list = grown;
			cap = ncap;
		}
		if ((list[n].name = strdup(name)) == NULL) {
			rc = -ENOMEM;
			break;
		}
		list[n++].is_dir = is_dir;
	}
	closedir(d);
	if (rc) {
		free_entries(list, n);
		return rc;
	}
	if (n > 1)
		qsort(list, n, sizeof(*list), cmp_entry);
	*out = list;
	*count = n;
	return 0;
}

static int add_key(struct lister *l, size_t len)
{
	if (l->out->count == l->max) {
		l->out->truncated = 1;
		return 0;
	}
	if (l->out->count == 0 && !(l->out->keys = calloc(l->max, sizeof(char *))))
		return -ENOMEM;
	if ((l->out->keys[l->out->count] = strndup(l->path, len)) == NULL)
		return -ENOMEM;
	l->out->count++;
	return 0;
}

/* Lists, in key order, the keys in dirfd, whose path so far is path[0..len). */
static int list_dir(struct lister *l, int dirfd, size_t len, int depth)
{
	struct entry *list;
	size_t n;
	int rc = read_entries(dirfd, &list, &n);
	if (rc)
		return rc;
	for (size_t i = 0; i < n && !rc && !l->out->truncated; i++) {
		size_t nl = strlen(list[i].name), key_len = len + nl + (list[i].is_dir ? 1 : 0);
		if (key_len > BLOB_KEY_MAX)
			continue;
		memcpy(l->path + len, list[i].name, nl);
		if (list[i].is_dir) {
			l->path[len + nl] = '/';
			size_t common = key_len < l->prefix_len ? key_len : l->prefix_len;
			/* Go in only where the prefix can match and keys after start_after can be. */
			if (depth + 1 >= BLOB_DEPTH_MAX || memcmp(l->path, l->prefix, common) != 0 ||
			    strncmp(l->path, l->after, key_len) < 0)
				continue;
			int fd = openat(dirfd, list[i].name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0)
				continue; /* deleted meanwhile, or not a folder after all */
			rc = list_dir(l, fd, key_len, depth + 1);
			close(fd);
			continue;
		}
		l->path[key_len] = '\0';
		if (key_len < l->prefix_len || memcmp(l->path, l->prefix, l->prefix_len) != 0 ||
		    strcmp(l->path, l->after) <= 0 || !blob_key_valid(l->path))
			continue;
		rc = add_key(l, key_len);
	}
	free_entries(list, n);
	return rc;
}

static int dir_list(struct blob *base, const char *prefix, const char *start_after, size_t max, struct blob_list *out)
{
	struct dir_blob *b = (struct dir_blob *)base;
	struct lister l = {
		.prefix = prefix, .after = start_after, .prefix_len = strlen(prefix), .max = max, .out = out
	};
	return list_dir(&l, b->rootfd, 0, 0);
}

static void dir_close(struct blob *base)
{
	struct dir_blob *b = (struct dir_blob *)base;
	if (b->rootfd >= 0)
		close(b->rootfd);
	free(b->root);
	free(b);
}

static const struct blob_ops dir_ops = {
	.close = dir_close,
	.put = dir_put,
	.get_stored = dir_get_stored,
	.exists = dir_exists,
	.delete = dir_delete,
	.list = dir_list,
};

int dir_blob_open(const char *url, const char *data_dir, struct blob **out, char *err, size_t errlen)
{
	*out = NULL;
	const char *path = url + strlen("file:");
	if (strncmp(path, "//", 2) == 0) { /* file:///srv/x: an empty host, then the path */
		path += 2;
		if (*path != '/') {
			snprintf(err, errlen, "blob URL \"%.200s\": only local paths (file:/path or file:///path)",
				 url);
			return -EINVAL;
		}
	}
	struct dir_blob *b = calloc(1, sizeof(*b));
	if (!b) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	b->base.ops = &dir_ops;
	b->base.backend = "file";
	b->rootfd = -1;
	int rc;
	if (*path) {
		b->root = strdup(path);
	} else if (data_dir && *data_dir) {
		size_t n = strlen(data_dir) + sizeof("/blobs");
		if ((b->root = malloc(n)) != NULL)
			snprintf(b->root, n, "%s/blobs", data_dir);
	} else {
		snprintf(err, errlen, "blob URL \"file:\" needs a data directory (or give file:/path)");
		rc = -EINVAL;
		goto fail;
	}
	if (!b->root) {
		snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
		goto fail;
	}
	if ((rc = fs_make_dirs(b->root, 0700)) != 0) {
		snprintf(err, errlen, "cannot create the blob directory %s: %s", b->root, strerror(-rc));
		goto fail;
	}
	if ((b->rootfd = open(b->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		rc = -errno;
		snprintf(err, errlen, "cannot open the blob directory %s: %s", b->root, strerror(errno));
		goto fail;
	}
	*out = &b->base;
	return 0;
fail:
	dir_close(&b->base);
	return rc;
}
