/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * datafile.c: owns the on-disk life of the stage files: a reader with a
 * size cap, and the atomic writer (temporary file, fsync, rename without
 * replacement, directory fsync) so that a crash or a full disk never
 * leaves a half-written collected or enriched file for the next stage.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json.h>

#include "datafile.h"
#include "util.h"
#include "xmalloc.h"

#define DATAFILE_TRIES	100

void
datafile_stamp(char *buf, size_t len, int64_t now)
{
	struct tm	tm;
	time_t		t = (time_t)now;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y%m%d_%H%M%S", &tm) == 0)
		(void)strlcpy(buf, "19700101_000000", len);
}

/* fsync the directory dir; 0 or -1 with errno. */
static int
datafile_sync_dir(const char *dir)
{
	int	fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return (-1);
	rc = fsync(fd);
	(void)close(fd);
	return (rc);
}

int
datafile_write(const char *dir, const char *prefix, int64_t now,
    struct json_object *root, char **pathp, char *errbuf, size_t errlen)
{
	const char	*s;
	char		 stamp[32], *tmp = NULL, *path = NULL;
	size_t		 len;
	int		 fd = -1, i, rc = -1;

	if (pathp != NULL)
		*pathp = NULL;
	if (mkdir_p(dir) == -1) {
		(void)snprintf(errbuf, errlen, "%s: mkdir: %s", dir,
		    strerror(errno));
		return (-1);
	}
	datafile_stamp(stamp, sizeof(stamp), now);
	xasprintf(&tmp, "%s/.%s_%s.json.%ld.tmp", dir, prefix, stamp,
	    (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) ==
	    -1) {
		(void)snprintf(errbuf, errlen, "%s: open: %s", tmp,
		    strerror(errno));
		free(tmp);
		return (-1);
	}
	s = json_object_to_json_string_length(root, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	if (write_full(fd, s, len) == -1 || write_full(fd, "\n", 1) == -1) {
		(void)snprintf(errbuf, errlen, "%s: write: %s", tmp,
		    strerror(errno));
		goto done;
	}
	if (fsync(fd) == -1) {
		(void)snprintf(errbuf, errlen, "%s: fsync: %s", tmp,
		    strerror(errno));
		goto done;
	}
	if (close(fd) == -1) {
		fd = -1;
		(void)snprintf(errbuf, errlen, "%s: close: %s", tmp,
		    strerror(errno));
		goto done;
	}
	fd = -1;
	for (i = 1; i <= DATAFILE_TRIES; i++) {
		free(path);
		if (i == 1)
			xasprintf(&path, "%s/%s_%s.json", dir, prefix, stamp);
		else
			xasprintf(&path, "%s/%s_%s_%d.json", dir, prefix,
			    stamp, i);
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path,
		    RENAME_NOREPLACE) == 0)
			break;
		if (errno != EEXIST) {
			(void)snprintf(errbuf, errlen, "%s: rename: %s", path,
			    strerror(errno));
			goto done;
		}
	}
	if (i > DATAFILE_TRIES) {
		(void)snprintf(errbuf, errlen, "%s/%s_%s.json: %d names "
		    "already taken", dir, prefix, stamp, DATAFILE_TRIES);
		goto done;
	}
	if (datafile_sync_dir(dir) == -1) {
		(void)snprintf(errbuf, errlen, "%s: fsync: %s", dir,
		    strerror(errno));
		/* the file is in place; report, but do not remove it */
		rc = -1;
		free(tmp);
		tmp = NULL;
		goto done;
	}
	rc = 0;
	if (pathp != NULL) {
		*pathp = path;
		path = NULL;
	}
 done:
	if (fd != -1)
		(void)close(fd);
	if (rc == -1 && tmp != NULL)
		(void)unlink(tmp);
	free(tmp);
	free(path);
	return (rc);
}

struct json_object *
datafile_read(const char *path, char *errbuf, size_t errlen)
{
	struct json_tokener	*tok = NULL;
	struct json_object	*obj = NULL;
	struct stat		 sb;
	char			*data = NULL;
	size_t			 off = 0, end;
	ssize_t			 n;
	int			 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		(void)snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		(void)snprintf(errbuf, errlen, "%s: not a regular file", path);
		goto done;
	}
	if (sb.st_size > DATAFILE_MAX) {
		(void)snprintf(errbuf, errlen, "%s: %lld bytes, more than the "
		    "%d allowed", path, (long long)sb.st_size, DATAFILE_MAX);
		goto done;
	}
	if ((data = malloc((size_t)sb.st_size + 1)) == NULL) {
		(void)snprintf(errbuf, errlen, "%s: out of memory", path);
		goto done;
	}
	while (off < (size_t)sb.st_size) {
		n = read(fd, data + off, (size_t)sb.st_size - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			(void)snprintf(errbuf, errlen, "%s: read: %s", path,
			    n == 0 ? "short file" : strerror(errno));
			goto done;
		}
		off += (size_t)n;
	}
	data[off] = '\0';
	if ((tok = json_tokener_new_ex(128)) == NULL) {
		(void)snprintf(errbuf, errlen, "%s: out of memory", path);
		goto done;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, data, (int)off);
	if (obj == NULL || json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(obj, json_type_object)) {
		(void)snprintf(errbuf, errlen, "%s: not a JSON object (%s at "
		    "offset %zu)", path, obj == NULL ? json_tokener_error_desc(
		    json_tokener_get_error(tok)) : "another value",
		    json_tokener_get_parse_end(tok));
		json_object_put(obj);
		obj = NULL;
		goto done;
	}
	for (end = json_tokener_get_parse_end(tok); end < off; end++)
		if (data[end] != ' ' && data[end] != '\n' && data[end] != '\r' &&
		    data[end] != '\t') {
			(void)snprintf(errbuf, errlen, "%s: trailing data at "
			    "offset %zu", path, end);
			json_object_put(obj);
			obj = NULL;
			goto done;
		}
 done:
	if (tok != NULL)
		json_tokener_free(tok);
	free(data);
	(void)close(fd);
	return (obj);
}
