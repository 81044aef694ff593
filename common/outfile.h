/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * outfile.h: writing a whole output file (the JSON report, job files)
 * without harming what the path names.
 */
#ifndef OUTFILE_H
#define OUTFILE_H

#include <stddef.h>

/*
 * Write the len bytes at data as the whole content of path:
 *
 *  - "-" and /dev/stdout are standard output, /dev/stderr standard
 *    error, /dev/fd/N descriptor N: written to as they are (stdio's
 *    buffer flushed first), so /dev/stdout redirected to a file adds
 *    to that file rather than replacing it;
 *  - another path under /dev/ or /proc/, or one that names a FIFO, a
 *    character device or a socket (/dev/null, a named pipe), directly
 *    or through symbolic links, is opened (without O_CREAT or O_TRUNC)
 *    and written to as it is;
 *  - a regular file, or a path that does not exist yet, is replaced
 *    atomically: a temporary file with an unpredictable name created
 *    with O_EXCL in the same directory (mkstemp), written, fsynced and
 *    renamed over the target, whose permission bits it keeps (new files
 *    get 0666 less the umask);
 *  - a symbolic link is never replaced: the regular file it resolves to
 *    is (a dangling link is an error);
 *  - a directory, or anything else, is an error.
 *
 * Returns 0, or -1 with errbuf set (naming path) and nothing left
 * behind: the temporary file is removed and the target is unchanged.
 */
int	outfile_write(const char *path, const void *data, size_t len,
	    char *errbuf, size_t errlen);

#endif /* OUTFILE_H */
