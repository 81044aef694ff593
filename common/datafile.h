/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * datafile.h: the JSON files of the pipeline's stages under the data
 * directory (data/collected_<UTC>.json, data/enriched_<UTC>.json): an
 * atomic writer and a capped reader.
 */
#ifndef DATAFILE_H
#define DATAFILE_H

#include <stddef.h>
#include <stdint.h>

struct json_object;

/* The largest data file read back, in bytes. */
#define DATAFILE_MAX	(256 * 1024 * 1024)

/*
 * Write root (borrowed) as dir/<prefix>_<YYYYmmdd_HHMMSS>.json, the time
 * being now in UTC, so that the file appears whole or not at all: a
 * temporary file created with O_EXCL in dir, written, fsync'ed, then
 * renamed without replacing anything (a name already taken gets "_2",
 * "_3", ... before ".json"), and dir fsync'ed.  dir is created when
 * missing.  Returns 0 with *pathp (owned; may be NULL when not wanted),
 * or -1 with errbuf naming the file and the failing call.
 */
int	 datafile_write(const char *dir, const char *prefix, int64_t now,
	    struct json_object *root, char **pathp, char *errbuf,
	    size_t errlen);

/*
 * Read path as one JSON object (validated UTF-8, nothing after it).
 * Returns a new reference, or NULL with errbuf naming the file and, for
 * bad JSON, the offset.
 */
struct json_object *datafile_read(const char *path, char *errbuf,
	    size_t errlen);

/* The "YYYYmmdd_HHMMSS" of a UTC time; buf holds 16+ bytes. */
void	 datafile_stamp(char *buf, size_t len, int64_t now);

#endif /* DATAFILE_H */
