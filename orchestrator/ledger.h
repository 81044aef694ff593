/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * ledger.h: the cost ledger, one JSON object per written article appended
 * to a JSON Lines file (default data/generation_costs.jsonl).
 */
#ifndef LEDGER_H
#define LEDGER_H

#include <stddef.h>
#include <stdint.h>

struct gen_result;
struct item;

struct ledger {
	char	*l_path;
	int	 l_fd;		/* -1 until the first record */
	int	 l_dirty;	/* written since the last fsync */
	size_t	 l_failures;	/* records lost: not written or not synced */
	char	 l_error[512];	/* the first failure, naming the path */
};

void	ledger_init(struct ledger *, const char *path);
/*
 * Append the record of one written article: one write(2) of one line to
 * the file opened with O_APPEND, under an exclusive flock(2), so
 * concurrent runs never interleave records.  Creates the file and its
 * directory on first use.  Every record starts on a line of its own: a
 * file whose last line has no newline gets one first.  A write that
 * fails or falls short is undone (the file is cut back to where the
 * record began), so no half record is left for the next one to be glued
 * to.  The record survives the process dying at once; ledger_close()
 * makes the run's records durable with one fsync.  Returns 0, or -1 with
 * errbuf set; every failure is also counted in l_failures (see
 * ledger_failures()).
 */
int	ledger_append(struct ledger *, const struct item *,
	    const struct gen_result *, const char *run_id, int64_t now,
	    char *errbuf, size_t errlen);
/* fsync what was appended since the last sync; 0, or -1 with errbuf set. */
int	ledger_sync(struct ledger *, char *errbuf, size_t errlen);
/* ledger_sync() and close; 0, or -1 with errbuf set. */
int	ledger_close(struct ledger *, char *errbuf, size_t errlen);
/*
 * How many records this run could not write or make durable (0: the
 * ledger is complete), and the first failure's message ("" when none).
 * Both stay valid after ledger_close().
 */
size_t	ledger_failures(const struct ledger *);
const char *ledger_first_error(const struct ledger *);

#endif /* LEDGER_H */
