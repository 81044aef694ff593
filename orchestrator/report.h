/*
 * report.h: the end-of-run summary printed on stdout.
 */
#ifndef REPORT_H
#define REPORT_H

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

#endif /* REPORT_H */
