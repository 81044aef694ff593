/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * util.c: fd helpers, clocks and path helpers.  Nothing here logs; errors
 * are returned with errno set.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"
#include "xmalloc.h"

int
fd_set_nonblock(int fd)
{
	int	flags;

	if ((flags = fcntl(fd, F_GETFL)) == -1)
		return (-1);
	if (fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
		return (-1);
	return (0);
}

int
fd_set_cloexec(int fd)
{
	int	flags;

	if ((flags = fcntl(fd, F_GETFD)) == -1)
		return (-1);
	if (fcntl(fd, F_SETFD, flags | FD_CLOEXEC) == -1)
		return (-1);
	return (0);
}

/*
 * Write all of buf, looping on short writes and EINTR.  For blocking fds;
 * a non-blocking fd that fills returns -1 with EAGAIN.
 */
int
write_full(int fd, const void *buf, size_t len)
{
	const char	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		p += n;
		len -= (size_t)n;
	}
	return (0);
}

int64_t
monotime_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

int64_t
monotime_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

int64_t
walltime_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

void
sleep_ms(int64_t ms)
{
	struct timespec	ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

void
format_utc_iso(char *buf, size_t len, int64_t epoch_sec)
{
	struct tm	tm;
	time_t		t = (time_t)epoch_sec;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
format_utc_date(char *buf, size_t len, int64_t epoch_sec)
{
	struct tm	tm;
	time_t		t = (time_t)epoch_sec;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

char *
exe_dir(void)
{
	char	 path[PATH_MAX];
	char	*slash;
	ssize_t	 n;

	n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (n <= 0)
		return (NULL);
	path[n] = '\0';
	if ((slash = strrchr(path, '/')) == NULL)
		return (NULL);
	if (slash == path)
		slash++;
	*slash = '\0';
	return (xstrdup(path));
}

uint64_t
hash_fnv1a(const char *s)
{
	uint64_t	h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return (h);
}

int
mkdir_p(const char *dir)
{
	char	*p, *path;
	int	 ret = 0, saved;

	path = xstrdup(dir);
	for (p = path + 1; *p != '\0' && ret == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) == -1 && errno != EEXIST)
			ret = -1;
		*p = '/';
	}
	if (ret == 0 && mkdir(path, 0755) == -1 && errno != EEXIST)
		ret = -1;
	saved = errno;
	free(path);
	errno = saved;
	return (ret);
}

int
mkdir_parent(const char *path)
{
	char	*dir, *slash;
	int	 ret = 0, saved;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		ret = mkdir_p(dir);
	}
	saved = errno;
	free(dir);
	errno = saved;
	return (ret);
}

int
is_executable(const char *path)
{
	struct stat	st;

	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
		return (0);
	return (access(path, X_OK) == 0);
}

int
is_regular_file(const char *path)
{
	struct stat	st;

	return (stat(path, &st) == 0 && S_ISREG(st.st_mode));
}
