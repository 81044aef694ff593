/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * input.c: owns finding and reading the enriched items file.  Regular
 * files go to item_load_file(); streams are read here into memory and
 * parsed by item_load_buffer(), so that "-", /dev/stdin and <(...) work.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input.h"
#include "item.h"
#include "log.h"
#include "signals.h"
#include "util.h"
#include "xmalloc.h"

#define STREAM_MAX	(256UL * 1024 * 1024)	/* as item.c's file limit */

/*
 * Read all of fd into an owned buffer.  Returns it with *len set, or NULL
 * with errno set (EINTR when a stop was requested, EFBIG when too large).
 */
static char *
read_stream(int fd, size_t *len)
{
	char	*data = NULL;
	size_t	 cap = 0;
	ssize_t	 n;

	*len = 0;
	for (;;) {
		if (*len == cap) {
			if (cap > STREAM_MAX) {
				free(data);
				errno = EFBIG;
				return (NULL);
			}
			cap = cap == 0 ? 65536 : cap * 2;
			data = xreallocarray(data, cap, 1);
		}
		n = read(fd, data + *len, cap - *len);
		if (n == 0)
			return (data);
		if (n > 0) {
			*len += (size_t)n;
			continue;
		}
		if (errno == EINTR && !signals_stop_requested())
			continue;
		free(data);
		return (NULL);
	}
}

/* Load a stream: "-" or a path that is not a regular file. */
static int
load_stream(const char *operand, struct item_set *set)
{
	const char	*name = strcmp(operand, "-") == 0 ? "standard input" :
			    operand;
	char		*data, errbuf[1024];
	size_t		 len;
	int		 fd, saved, rc;

	if (signals_stop_requested())
		return (EXIT_TEMPFAIL);
	if (strcmp(operand, "-") == 0)
		fd = STDIN_FILENO;
	else {
		/* a FIFO nobody writes blocks here; a signal interrupts it */
		while ((fd = open(operand, O_RDONLY | O_CLOEXEC)) == -1 &&
		    errno == EINTR && !signals_stop_requested())
			;
		if (fd == -1) {
			if (errno == EINTR)
				return (EXIT_TEMPFAIL);
			log_warnx("%s: %s", operand, strerror(errno));
			return (errno == ENOENT ? EXIT_NOINPUT : EXIT_DATAERR);
		}
	}
	data = read_stream(fd, &len);
	saved = errno;
	if (fd != STDIN_FILENO)
		(void)close(fd);
	if (data == NULL) {
		if (saved == EINTR)
			return (EXIT_TEMPFAIL);
		log_warnx("%s: %s", name, strerror(saved));
		return (EXIT_DATAERR);
	}
	rc = item_load_buffer(name, data, len, set, errbuf, sizeof(errbuf));
	free(data);
	if (rc == -1) {
		log_warnx("%s", errbuf);
		return (EXIT_DATAERR);
	}
	return (0);
}

int
input_load(const char *operand, const char *data_dir, struct item_set *set)
{
	struct stat	 st;
	char		*path, errbuf[1024];
	int		 missing, rc = 0;

	memset(set, 0, sizeof(*set));
	if (operand == NULL) {
		if ((path = item_find_newest(data_dir)) == NULL) {
			log_warnx("no enriched data files found "
			    "(%s/enriched_*.json); run enrichment first or "
			    "name a file", data_dir);
			return (EXIT_NOINPUT);
		}
	} else
		path = xstrdup(operand);
	if (strcmp(path, "-") == 0 || (stat(path, &st) == 0 &&
	    !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)))
		rc = load_stream(path, set);
	else if (item_load_file(path, set, &missing, errbuf,
	    sizeof(errbuf)) == -1) {
		log_warnx("%s", errbuf);
		rc = missing ? EXIT_NOINPUT : EXIT_DATAERR;
	}
	if (rc == 0) {
		log_info("%s: %zu items, %zu valid", set->is_path,
		    set->is_ntotal, set->is_nitems);
		if (set->is_nitems == 0 && set->is_ntotal > 0) {
			log_warnx("%s: none of its %zu items is valid",
			    set->is_path, set->is_ntotal);
			rc = EXIT_DATAERR;
		}
	}
	if (rc != 0)
		item_set_release(set);
	free(path);
	return (rc);
}
