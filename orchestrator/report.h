/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * report.h: the end-of-run summary printed on stdout.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

struct run;
struct selection;

/*
 * Print one line per article in input order (file, title, words, seconds,
 * cost, or the failure reason), the totals and the rejection summary.
 */
void	report_print(FILE *, const struct run *, const struct selection *,
	    const char *mode, int64_t wall_ms);

/*
 * Write the run as JSON to path (atomically: a temporary file renamed
 * over it): mode, exit code, totals, and per item its id, outcome
 * (written, failed, not_started, rejected, invalid is not listed), reason,
 * attempts, file, tokens, cost and seconds.  0, or -1 with errbuf set.
 */
int	report_write_json(const char *path, const struct run *,
	    const struct selection *, const char *mode, int exitcode,
	    int64_t wall_ms, char *errbuf, size_t errlen);

#endif /* REPORT_H */
