/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * publish.h: puts a finished article into the content directory
 * atomically: readers (Hugo, git, the next run) see either no article or a
 * complete one, never a partial file, and no existing file is clobbered
 * unless it is the one being replaced under --force.
 */
#ifndef PUBLISH_H
#define PUBLISH_H

#include <stddef.h>

/* Temporary files are ".articlegen-<pid>-XXXXXX.tmp" in the target dir. */
#define PUBLISH_TMP_PREFIX	".articlegen-"
#define PUBLISH_TMP_SUFFIX	".tmp"

/*
 * Write data to a temporary file in dir, fsync it, then either link it to
 * "<stem>.md" (or "<stem>-2.md", "<stem>-3.md", ... when the name is
 * taken: the first free exact name wins, even against a concurrent
 * writer), or rename it over replace_path when that is not NULL.  The
 * directory is created if missing.  Its fsync, which makes the new name
 * durable, is the caller's (publish_sync_dir()), so that it can come after
 * the result is reported, once for several articles.  Returns 0 with
 * *pathp set to the final path (owned), or -1 with errbuf set and nothing
 * left behind.
 */
int	publish_article(const char *dir, const char *stem, const char *data,
	    size_t len, const char *replace_path, char **pathp, char *errbuf,
	    size_t errlen);

/*
 * fsync dir, so that the names published in it survive a crash.  0, or -1
 * with errno set.
 */
int	publish_sync_dir(const char *dir);

/*
 * Remove temporary files left in dir by processes that no longer exist.
 * Returns how many were removed.
 */
int	publish_remove_stale(const char *dir);

#endif /* PUBLISH_H */
