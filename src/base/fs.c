#include "base/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fs_make_dirs(const char *path, mode_t mode)
{
	char p[PATH_MAX];
	size_t n = strlen(path);
	if (n == 0 || n >= sizeof(p))
		return n ? -ENAMETOOLONG : -EINVAL;
	memcpy(p, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		char saved = p[i];
		p[i] = '\0';
		if (mkdir(p, mode) && errno != EEXIST)
			return -errno;
		p[i] = saved;
	}
	struct stat st;
	if (stat(path, &st))
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

int fs_list_dir(int dirfd, DIR **out)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if ((*out = fdopendir(fd)) == NULL) {
		int e = -errno;
		close(fd);
		return e;
	}
	return 0;
}

int fs_write_all(int fd, const void *data, size_t len, int64_t at)
{
	const unsigned char *p = data;
	while (len) {
		ssize_t put = at < 0 ? write(fd, p, len) : pwrite(fd, p, len, (off_t)at);
		if (put < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (put == 0)
			return -EIO;
		p += put;
		len -= (size_t)put;
		if (at >= 0)
			at += put;
	}
	return 0;
}
