/* segments.c — naming, listing and opening a topic's segment files. A
 * segment is called by the offset of its first record, written in 20 digits
 * so that names sort like offsets. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fs.h"
#include "bus/embedded/embedded.h"

/* A directory with more segments than this is not one we made. */
#define SEG_LIST_MAX (1u << 20)

void seg_name(int64_t base, char out[SEG_NAME_LEN])
{
	snprintf(out, SEG_NAME_LEN, "%020lld.log", (long long)base);
}

/* The base a segment file name stands for, or -1 for any other name. */
static int64_t seg_parse_name(const char *name)
{
	if (strlen(name) != 24 || strcmp(name + 20, ".log") != 0)
		return -1;
	int64_t v = 0;
	for (int i = 0; i < 20; i++) {
		if (name[i] < '0' || name[i] > '9' || v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return v;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int seg_list(int dirfd, int64_t **bases, size_t *n)
{
	*bases = NULL;
	*n = 0;
	DIR *d;
	int rc = fs_list_dir(dirfd, &d);
	if (rc)
		return rc;
	int64_t *list = NULL;
	size_t count = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		int64_t base = seg_parse_name(e->d_name);
		if (base < 0)
			continue;
		if (count == cap) {
			if (cap >= SEG_LIST_MAX) {
				rc = -E2BIG;
				break;
			}
			size_t ncap = cap ? cap * 2 : 16;
			int64_t *grown = realloc(list, ncap * sizeof(*list));
			if (!grown) {
				rc = -ENOMEM;
				break;
			}
			list = grown;
			cap = ncap;
		}
		list[count++] = base;
	}
	closedir(d);
	if (rc) {
		free(list);
		return rc;
	}
	if (count > 1)
		qsort(list, count, sizeof(*list), cmp_i64);
	*bases = list;
	*n = count;
	return 0;
}

int seg_open(int dirfd, int64_t base, int create)
{
	char name[SEG_NAME_LEN];
	seg_name(base, name);
	int flags = O_RDWR | O_CLOEXEC | O_NOFOLLOW | (create ? O_CREAT | O_EXCL : 0);
	int fd = openat(dirfd, name, flags, 0600);
	return fd < 0 ? -errno : fd;
}

int seg_exists(int dirfd, int64_t base)
{
	char name[SEG_NAME_LEN];
	seg_name(base, name);
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return 1;
	return errno == ENOENT ? 0 : -errno;
}

int seg_successor(int dirfd, int64_t base, int64_t *next)
{
	int64_t *bases;
	size_t n;
	int rc = seg_list(dirfd, &bases, &n);
	if (rc)
		return rc;
	rc = 0;
	for (size_t i = 0; i < n; i++)
		if (bases[i] > base) {
			*next = bases[i];
			rc = 1;
			break;
		}
	free(bases);
	return rc;
}

int dir_sync(int dirfd)
{
	return fsync(dirfd) ? -errno : 0;
}
