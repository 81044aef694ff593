/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * report.h: the end-of-run summary printed on stdout.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

struct ledger;
struct run;
struct selection;

/*
 * Print one line per article in input order (file, title, words, seconds,
 * cost, or the failure reason), the totals (the cost of failed articles
 * included), the rejection summary and, when ledger is not NULL and lost
 * records, that.  Text from the input or a server is escaped for display
 * and masked for keys.  Returns 0, or -1 when f has had a write error
 * (a closed or full standard output): the summary is lost.
 */
int	report_print(FILE *, const struct run *, const struct selection *,
	    const char *mode, int64_t wall_ms, const struct ledger *);

/*
 * Write the run as JSON to path with outfile_write() (a regular file is
 * replaced atomically, "-" and devices are written directly): mode, exit
 * code, totals, the ledger's failures (ledger may be NULL), and per item
 * its id, outcome (written, failed, not_started, rejected, invalid is not
 * listed), reason, attempts, file, tokens, cost and seconds.  Numbers are
 * in their shortest round-trip form.  0, or -1 with errbuf set.
 */
int	report_write_json(const char *path, const struct run *,
	    const struct selection *, const char *mode, int exitcode,
	    int64_t wall_ms, const struct ledger *, char *errbuf,
	    size_t errlen);

/*
 * The exit code once output_lost says that an output of the run (the
 * cost ledger, the summary, the report, the step summary) could not be
 * written: EXIT_IOERR (74) in place of EXIT_OK or EXIT_ARTICLES_FAILED;
 * a code that already names why the run stopped (69, 70, 75) is kept.
 */
int	report_exit_code(int exitcode, int output_lost);

#endif /* REPORT_H */
