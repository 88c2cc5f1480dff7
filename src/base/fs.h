/* fs — the few file-system steps the bus and the blob store both take:
 * making a directory path, listing a directory reached by descriptor,
 * writing a whole buffer. All return 0 or a negative errno. */
#ifndef JT_BASE_FS_H
#define JT_BASE_FS_H

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* mkdir -p: creates each missing directory of path with mode (existing
 * ones are left as they are). */
int fs_make_dirs(const char *path, mode_t mode);
/* Opens the directory dirfd refers to for readdir, through a descriptor
 * of its own (dirfd stays open and untouched): closedir(*out) when done. */
int fs_list_dir(int dirfd, DIR **out);
/* Writes all len bytes at offset at (at < 0: at the file position),
 * retrying short writes and EINTR. */
int fs_write_all(int fd, const void *data, size_t len, int64_t at);

#endif
