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

/*
 * Append the record of one written article: one write(2) of one line to a
 * file opened with O_APPEND under an exclusive flock(2), then fsync, so
 * concurrent runs never interleave or lose records.  Creates the file and
 * its directory.  Returns 0, or -1 with errbuf set.
 */
int	ledger_append(const char *path, const struct item *,
	    const struct gen_result *, const char *run_id, int64_t now,
	    char *errbuf, size_t errlen);

#endif /* LEDGER_H */
