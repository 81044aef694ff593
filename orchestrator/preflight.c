/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * preflight.c: owns the checks that make an unwritable output fail the
 * run before it spends anything.  A read-only, full or misconfigured
 * content directory or ledger would otherwise be found only after every
 * selected article's API calls were paid for.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "preflight.h"
#include "publish.h"
#include "util.h"
#include "xmalloc.h"

#define PROBE_BYTES	4096	/* one block: a full file system refuses it */

/* Can dir take a new file with content?  0, or -1 + errbuf. */
static int
probe_dir(const char *dir, char *errbuf, size_t errlen)
{
	char	*path, block[PROBE_BYTES];
	int	 fd, ret = 0;

	/* the publish prefix: a leftover is removed like a stale article */
	xasprintf(&path, "%s/" PUBLISH_TMP_PREFIX "probe-%ld", dir,
	    (long)getpid());
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		snprintf(errbuf, errlen, "the content directory %s cannot take "
		    "a new file: %s", dir, strerror(errno));
		free(path);
		return (-1);
	}
	memset(block, '\n', sizeof(block));
	if (write_full(fd, block, sizeof(block)) == -1) {
		snprintf(errbuf, errlen, "the content directory %s cannot take "
		    "an article: %s", dir, strerror(errno));
		ret = -1;
	}
	(void)close(fd);
	(void)unlink(path);
	free(path);
	return (ret);
}

/* Can the ledger be appended to?  0, or -1 + errbuf. */
static int
probe_ledger(const char *ledger, char *errbuf, size_t errlen)
{
	struct stat	st;
	int		fd, existed;

	existed = stat(ledger, &st) == 0;
	if (!existed)
		(void)mkdir_parent(ledger);
	if ((fd = open(ledger, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0644)) == -1) {
		snprintf(errbuf, errlen, "the cost ledger %s cannot be "
		    "written: %s", ledger, strerror(errno));
		return (-1);
	}
	(void)close(fd);
	if (!existed)
		(void)unlink(ledger);
	return (0);
}

int
preflight_writable(const char *dir, const char *ledger, char *errbuf,
    size_t errlen)
{
	if (probe_dir(dir, errbuf, errlen) == -1)
		return (-1);
	return (probe_ledger(ledger, errbuf, errlen));
}
