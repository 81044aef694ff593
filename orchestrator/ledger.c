/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * ledger.c: owns the on-disk cost ledger.  Records are only ever appended,
 * each as a single line in a single write, so a reader never sees half a
 * record and a crash loses at most the record being written.
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
#include "util.h"
#include "wire.h"
#include "xmalloc.h"

void
ledger_init(struct ledger *l, const char *path)
{
	l->l_path = xstrdup(path);
	l->l_fd = -1;
	l->l_dirty = 0;
}

int
ledger_append(struct ledger *l, const struct item *it,
    const struct gen_result *res, const char *run_id, int64_t now,
    char *errbuf, size_t errlen)
{
	struct json_object	*rec;
	const char		*s;
	char			 stamp[32];
	char			*line;
	int			 ret = -1;

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
	    json_object_new_double(res->gr_cost));
	s = json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	xasprintf(&line, "%s\n", s);
	json_object_put(rec);

	if (l->l_fd == -1) {
		(void)mkdir_parent(l->l_path);
		if ((l->l_fd = open(l->l_path, O_WRONLY | O_APPEND | O_CREAT |
		    O_CLOEXEC, 0644)) == -1) {
			snprintf(errbuf, errlen, "%s: %s", l->l_path,
			    strerror(errno));
			free(line);
			return (-1);
		}
	}
	if (flock(l->l_fd, LOCK_EX) == -1 || write_full(l->l_fd, line,
	    strlen(line)) == -1)
		snprintf(errbuf, errlen, "%s: %s", l->l_path, strerror(errno));
	else {
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
	if (l->l_fd == -1 || !l->l_dirty)
		return (0);
	l->l_dirty = 0;
	if (fsync(l->l_fd) == -1) {
		snprintf(errbuf, errlen, "%s: %s", l->l_path, strerror(errno));
		return (-1);
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
