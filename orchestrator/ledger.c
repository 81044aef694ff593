/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * ledger.c: owns the on-disk cost ledger.  Records are only ever appended,
 * each as a single line in a single write, so a reader never sees half a
 * record and a crash loses at most the record being written.  A record
 * that cannot be written is counted, so that the run can say so and fail:
 * the next run would not generate those articles again, and their cost
 * would be lost for good.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "gen.h"
#include "item.h"
#include "ledger.h"
#include "numfmt.h"
#include "util.h"
#include "wire.h"
#include "xmalloc.h"

void
ledger_init(struct ledger *l, const char *path)
{
	l->l_path = xstrdup(path);
	l->l_fd = -1;
	l->l_dirty = 0;
	l->l_failures = 0;
	l->l_error[0] = '\0';
}

/* Count a lost record; keep the first message.  Returns -1. */
static int
ledger_fail(struct ledger *l, const char *msg, char *errbuf, size_t errlen)
{
	if (l->l_failures++ == 0)
		(void)strlcpy(l->l_error, msg, sizeof(l->l_error));
	(void)strlcpy(errbuf, msg, errlen);
	return (-1);
}

/*
 * Write line to the ledger, whose lock is held: after a newline when the
 * file's last byte is not one, and cut back to its old size when the
 * write fails part way.  0, or -1 with errno set.
 */
static int
ledger_write_locked(int fd, const char *line, size_t len)
{
	struct stat	st;
	char		last;
	int		saved;

	if (fstat(fd, &st) == -1)
		return (-1);
	if (!S_ISREG(st.st_mode))
		return (write_full(fd, line, len));
	if (st.st_size > 0 && pread(fd, &last, 1, st.st_size - 1) == 1 &&
	    last != '\n' && write_full(fd, "\n", 1) == -1)
		goto undo;
	if (write_full(fd, line, len) == 0)
		return (0);
undo:
	saved = errno;
	(void)ftruncate(fd, st.st_size);
	errno = saved;
	return (-1);
}

int
ledger_append(struct ledger *l, const struct item *it,
    const struct gen_result *res, const char *run_id, int64_t now,
    char *errbuf, size_t errlen)
{
	struct json_object	*rec;
	const char		*s;
	char			 stamp[32];
	char			*line, msg[512];
	int			 ret = -1, flags;

	format_utc_iso(stamp, sizeof(stamp), now);
	rec = json_object_new_object();
	json_object_object_add(rec, "timestamp", json_object_new_string(stamp));
	json_object_object_add(rec, "run_id", run_id != NULL ?
	    json_object_new_string(run_id) : NULL);
	json_object_object_add(rec, "item_id", json_object_new_string(it->it_id));
	json_object_object_add(rec, "article_title",
	    json_object_new_string(res->gr_title));
	json_object_object_add(rec, "article_filename",
	    json_object_new_string(res->gr_file));
	json_object_object_add(rec, "status", json_object_new_string("saved"));
	json_object_object_add(rec, "costs", wire_costs_by_op(res));
	json_object_object_add(rec, "total_cost",
	    numfmt_json_double(res->gr_cost));
	s = json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	xasprintf(&line, "%s\n", s);
	json_object_put(rec);

	if (l->l_fd == -1) {
		(void)mkdir_parent(l->l_path);
		/* read access to see how the last record ends */
		flags = O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY;
		if ((l->l_fd = open(l->l_path, O_RDWR | flags, 0644)) == -1 &&
		    errno == EACCES)
			l->l_fd = open(l->l_path, O_WRONLY | flags, 0644);
		if (l->l_fd == -1) {
			snprintf(msg, sizeof(msg), "%s: %s", l->l_path,
			    strerror(errno));
			free(line);
			return (ledger_fail(l, msg, errbuf, errlen));
		}
	}
	if (flock(l->l_fd, LOCK_EX) == -1 || ledger_write_locked(l->l_fd,
	    line, strlen(line)) == -1) {
		snprintf(msg, sizeof(msg), "%s: %s", l->l_path,
		    strerror(errno));
		(void)ledger_fail(l, msg, errbuf, errlen);
	} else {
		ret = 0;
		l->l_dirty = 1;
	}
	(void)flock(l->l_fd, LOCK_UN);
	free(line);
	return (ret);
}

int
ledger_sync(struct ledger *l, char *errbuf, size_t errlen)
{
	char	msg[512];

	if (l->l_fd == -1 || !l->l_dirty)
		return (0);
	l->l_dirty = 0;
	/* a device or a pipe cannot be synced and need not be */
	if (fsync(l->l_fd) == -1 && errno != EINVAL && errno != EROFS) {
		snprintf(msg, sizeof(msg), "%s: fsync: %s", l->l_path,
		    strerror(errno));
		return (ledger_fail(l, msg, errbuf, errlen));
	}
	return (0);
}

int
ledger_close(struct ledger *l, char *errbuf, size_t errlen)
{
	int	ret = 0;

	if (l->l_fd != -1) {
		ret = ledger_sync(l, errbuf, errlen);
		(void)close(l->l_fd);
		l->l_fd = -1;
	}
	free(l->l_path);
	l->l_path = NULL;
	return (ret);
}

size_t
ledger_failures(const struct ledger *l)
{
	return (l->l_failures);
}

const char *
ledger_first_error(const struct ledger *l)
{
	return (l->l_error);
}
