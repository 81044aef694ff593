/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * publish.c: owns the sequence that makes an article appear: temporary
 * file, fsync, link(2) (which fails rather than overwrite) or rename(2)
 * for a deliberate replacement.  The directory's fsync is left to the
 * caller (publish_sync_dir()), which does it after reporting the article.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "publish.h"
#include "util.h"
#include "xmalloc.h"

int
publish_sync_dir(const char *dir)
{
	int	fd, ret, saved;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return (-1);
	ret = fsync(fd);
	saved = errno;
	(void)close(fd);
	errno = saved;
	return (ret);
}

int
publish_article(const char *dir, const char *stem, const char *data,
    size_t len, const char *replace_path, char **pathp, char *errbuf,
    size_t errlen)
{
	char	*tmp = NULL, *final = NULL;
	int	 fd = -1, n;

	*pathp = NULL;
	if (mkdir_p(dir) == -1) {
		snprintf(errbuf, errlen, "cannot create %s: %s", dir,
		    strerror(errno));
		return (-1);
	}
	xasprintf(&tmp, "%s/" PUBLISH_TMP_PREFIX "%ld-XXXXXX"
	    PUBLISH_TMP_SUFFIX, dir, (long)getpid());
	if ((fd = mkostemps(tmp, (int)strlen(PUBLISH_TMP_SUFFIX),
	    O_CLOEXEC)) == -1) {
		snprintf(errbuf, errlen, "cannot create a temporary file in "
		    "%s: %s", dir, strerror(errno));
		free(tmp);
		return (-1);
	}
	if (fchmod(fd, 0644) == -1 || write_full(fd, data, len) == -1 ||
	    fsync(fd) == -1) {
		snprintf(errbuf, errlen, "writing %s: %s", tmp,
		    strerror(errno));
		goto fail;
	}
	if (close(fd) == -1) {
		fd = -1;
		snprintf(errbuf, errlen, "closing %s: %s", tmp,
		    strerror(errno));
		goto fail;
	}
	fd = -1;
	if (replace_path != NULL) {
		if (rename(tmp, replace_path) == -1) {
			snprintf(errbuf, errlen, "replacing %s: %s",
			    replace_path, strerror(errno));
			goto fail;
		}
		final = xstrdup(replace_path);
	} else {
		for (n = 1; ; n++) {
			free(final);
			if (n == 1)
				xasprintf(&final, "%s/%s.md", dir, stem);
			else
				xasprintf(&final, "%s/%s-%d.md", dir, stem, n);
			if (link(tmp, final) == 0)
				break;
			if (errno != EEXIST || n >= 1000) {
				snprintf(errbuf, errlen, "creating %s: %s",
				    final, strerror(errno));
				goto fail;
			}
		}
		if (unlink(tmp) == -1) {
			/* the article is in place; only the name is left over */
			snprintf(errbuf, errlen, "removing %s: %s", tmp,
			    strerror(errno));
		}
	}
	free(tmp);
	*pathp = final;
	return (0);
fail:
	if (fd != -1)
		(void)close(fd);
	(void)unlink(tmp);
	free(tmp);
	free(final);
	return (-1);
}

int
publish_remove_stale(const char *dir)
{
	struct dirent	*de;
	DIR		*d;
	char		*path, *end;
	long		 pid;
	int		 removed = 0;
	size_t		 plen = strlen(PUBLISH_TMP_PREFIX);

	if ((d = opendir(dir)) == NULL)
		return (0);
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, PUBLISH_TMP_PREFIX, plen) != 0)
			continue;
		errno = 0;
		pid = strtol(de->d_name + plen, &end, 10);
		if (errno != 0 || *end != '-' || pid <= 0 || pid > INT_MAX)
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;	/* its writer may still be running */
		xasprintf(&path, "%s/%s", dir, de->d_name);
		if (unlink(path) == 0)
			removed++;
		free(path);
	}
	closedir(d);
	return (removed);
}
