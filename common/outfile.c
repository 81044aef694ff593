/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * outfile.c: owns the safe writing of whole output files (see
 * outfile.h).  The rule it enforces: a path the user names is written,
 * never swapped for something else; only a regular file is replaced,
 * and then atomically, through a temporary name nobody can predict or
 * plant in advance.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outfile.h"
#include "util.h"
#include "xmalloc.h"

/* Write data to an open descriptor that is not a regular file. */
static int
write_stream(int fd, const char *path, const void *data, size_t len,
    char *errbuf, size_t errlen)
{
	if (write_full(fd, data, len) == -1) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	return (0);
}

/*
 * Open and write a FIFO, device or socket as it is: never created,
 * never truncated, appended to should it be a file after all.
 */
static int
write_special(const char *path, const void *data, size_t len,
    char *errbuf, size_t errlen)
{
	int	fd, ret;

	if ((fd = open(path, O_WRONLY | O_APPEND | O_NOCTTY |
	    O_CLOEXEC)) == -1) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	ret = write_stream(fd, path, data, len, errbuf, errlen);
	if (close(fd) == -1 && ret == 0) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		ret = -1;
	}
	return (ret);
}

/* fsync the directory holding path, so the rename is durable. */
static int
sync_parent(const char *path)
{
	char	*copy = xstrdup(path);
	int	 fd, ret = 0, saved;

	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) != -1) {
		ret = fsync(fd);
		saved = errno;
		(void)close(fd);
		errno = saved;
		/* some file systems cannot sync a directory: not an error */
		if (ret == -1 && (errno == EINVAL || errno == EROFS))
			ret = 0;
	}
	free(copy);
	return (ret);
}

/*
 * Replace the regular file (or create the file) target atomically with
 * a temporary file made by mkostemp() next to it.  mode is the
 * permission to give it.
 */
static int
replace_regular(const char *target, mode_t mode, const void *data,
    size_t len, char *errbuf, size_t errlen)
{
	const char	*slash = strrchr(target, '/');
	char		*tmp;
	int		 fd;

	/* ".NAME.XXXXXX" next to it: hidden, and the same file system */
	if (slash == NULL)
		xasprintf(&tmp, ".%s.XXXXXX", target);
	else
		xasprintf(&tmp, "%.*s/.%s.XXXXXX", (int)(slash - target),
		    target, slash + 1);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) {
		snprintf(errbuf, errlen, "%s: cannot create a temporary file "
		    "next to it: %s", target, strerror(errno));
		free(tmp);
		return (-1);
	}
	if (fchmod(fd, mode) == -1 || write_full(fd, data, len) == -1 ||
	    fsync(fd) == -1) {
		snprintf(errbuf, errlen, "%s: %s", tmp, strerror(errno));
		goto fail;
	}
	if (close(fd) == -1) {
		fd = -1;
		snprintf(errbuf, errlen, "%s: %s", tmp, strerror(errno));
		goto fail;
	}
	fd = -1;
	if (rename(tmp, target) == -1) {
		snprintf(errbuf, errlen, "%s: %s", target, strerror(errno));
		goto fail;
	}
	free(tmp);
	if (sync_parent(target) == -1) {
		snprintf(errbuf, errlen, "%s: fsync of its directory: %s",
		    target, strerror(errno));
		return (-1);
	}
	return (0);
fail:
	if (fd != -1)
		(void)close(fd);
	(void)unlink(tmp);
	free(tmp);
	return (-1);
}

/*
 * The descriptor a path names outright: 1 for "-", /dev/stdout and
 * /dev/fd/1, 2 for /dev/stderr, N for /dev/fd/N; -1 for other paths.
 * Writing to the descriptor itself keeps its offset: reopening
 * /dev/stdout when it is a file would write over what is there.
 */
static int
named_fd(const char *path)
{
	const char	*errstr;
	long long	 n;

	if (strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0)
		return (STDOUT_FILENO);
	if (strcmp(path, "/dev/stderr") == 0)
		return (STDERR_FILENO);
	if (strncmp(path, "/dev/fd/", 8) == 0) {
		n = strtonum(path + 8, 0, INT_MAX, &errstr);
		if (errstr == NULL)
			return ((int)n);
	}
	return (-1);
}

int
outfile_write(const char *path, const void *data, size_t len,
    char *errbuf, size_t errlen)
{
	struct stat	 lst, st;
	char		*real;
	mode_t		 um;
	int		 fd, ret;

	if ((fd = named_fd(path)) != -1) {
		/* what stdio holds goes first */
		if ((fd == STDOUT_FILENO && fflush(stdout) == EOF) ||
		    (fd == STDERR_FILENO && fflush(stderr) == EOF)) {
			snprintf(errbuf, errlen, "%s: %s", path,
			    strerror(errno));
			return (-1);
		}
		return (write_stream(fd, strcmp(path, "-") == 0 ?
		    "standard output" : path, data, len, errbuf, errlen));
	}
	/* /dev and /proc hold devices and descriptors, never a report */
	if (strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0)
		return (write_special(path, data, len, errbuf, errlen));
	if (lstat(path, &lst) == -1) {
		if (errno != ENOENT) {
			snprintf(errbuf, errlen, "%s: %s", path,
			    strerror(errno));
			return (-1);
		}
		um = umask(022);
		(void)umask(um);
		return (replace_regular(path, 0666 & ~um, data, len, errbuf,
		    errlen));
	}
	if (stat(path, &st) == -1) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) ||
	    S_ISSOCK(st.st_mode))
		return (write_special(path, data, len, errbuf, errlen));
	if (!S_ISREG(st.st_mode)) {
		snprintf(errbuf, errlen, "%s: %s", path, S_ISDIR(st.st_mode) ?
		    strerror(EISDIR) : "not a regular file, FIFO or device");
		return (-1);
	}
	if (!S_ISLNK(lst.st_mode))
		return (replace_regular(path, st.st_mode & 07777, data, len,
		    errbuf, errlen));
	/* a link to a regular file: replace the file, keep the link */
	if ((real = realpath(path, NULL)) == NULL) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	ret = replace_regular(real, st.st_mode & 07777, data, len, errbuf,
	    errlen);
	free(real);
	return (ret);
}
