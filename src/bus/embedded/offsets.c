/* offsets.c — where each consumer group has got to: one small text file per
 * group (TOPIC/groups/GROUP.offset), replaced atomically, and the lock file
 * that keeps a group to one consumer at a time. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/fs.h"
#include "bus/embedded/embedded.h"

#define OFFSET_SUFFIX ".offset"
#define GROUPS_MAX    4096 /* more groups than this is not a directory we made */

static int group_file(char *out, size_t outlen, const char *prefix, const char *group, const char *suffix)
{
	int n = snprintf(out, outlen, "%s%s%s", prefix, group, suffix);
	return n > 0 && (size_t)n < outlen ? 0 : -ENAMETOOLONG;
}

static int read_offset_at(int dirfd, const char *name, int64_t *offset)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	char text[32];
	ssize_t got;
	do
		got = read(fd, text, sizeof(text) - 1);
	while (got < 0 && errno == EINTR);
	int e = got < 0 ? -errno : 0;
	close(fd);
	if (e)
		return e;
	/* Exactly digits and a newline: the file is only ever renamed into place whole. */
	int64_t v = 0;
	ssize_t i = 0;
	for (; i < got && text[i] >= '0' && text[i] <= '9' && i < 19; i++)
		v = v * 10 + (text[i] - '0');
	if (i == 0 || i + 1 != got || text[i] != '\n')
		return -EBADMSG;
	*offset = v;
	return 0;
}

int offsets_read(int groups_dirfd, const char *group, int64_t *offset)
{
	char name[BUS_NAME_MAX + 16];
	int rc = group_file(name, sizeof(name), "", group, OFFSET_SUFFIX);
	return rc ? rc : read_offset_at(groups_dirfd, name, offset);
}

int offsets_write(int groups_dirfd, const char *group, int64_t offset)
{
	char name[BUS_NAME_MAX + 16], tmp[BUS_NAME_MAX + 24];
	int rc = group_file(name, sizeof(name), "", group, OFFSET_SUFFIX);
	if (!rc)
		rc = group_file(tmp, sizeof(tmp), ".", group, OFFSET_SUFFIX ".tmp");
	if (rc)
		return rc;
	char text[24];
	int len = snprintf(text, sizeof(text), "%lld\n", (long long)offset);
	int fd = openat(groups_dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	rc = fs_write_all(fd, text, (size_t)len, -1);
	if (!rc && fsync(fd))
		rc = -errno;
	close(fd);
	if (!rc && renameat(groups_dirfd, tmp, groups_dirfd, name))
		rc = -errno;
	if (!rc)
		rc = dir_sync(groups_dirfd);
	if (rc)
		unlinkat(groups_dirfd, tmp, 0);
	return rc;
}

int offsets_min(int groups_dirfd, int64_t *min)
{
	DIR *d;
	int rc = fs_list_dir(groups_dirfd, &d);
	if (rc)
		return rc;
	int found = 0, seen = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name), sl = strlen(OFFSET_SUFFIX);
		if (e->d_name[0] == '.' || n <= sl || strcmp(e->d_name + n - sl, OFFSET_SUFFIX) != 0)
			continue;
		if (++seen > GROUPS_MAX) {
			rc = -E2BIG;
			break;
		}
		int64_t v;
		/* A group whose offset cannot be read holds everything back. */
		if ((rc = read_offset_at(groups_dirfd, e->d_name, &v)) != 0) {
			if (rc == -ENOENT) { /* forgotten while we looked */
				rc = 0;
				continue;
			}
			break;
		}
		if (!found || v < *min)
			*min = v;
		found = 1;
	}
	closedir(d);
	return rc ? rc : found;
}

int offsets_lock_group(int groups_dirfd, const char *group)
{
	char name[BUS_NAME_MAX + 16];
	int rc = group_file(name, sizeof(name), "", group, ".lock");
	if (rc)
		return rc;
	int fd = openat(groups_dirfd, name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		int e = errno == EWOULDBLOCK ? -EBUSY : -errno;
		close(fd);
		return e;
	}
	return fd;
}
