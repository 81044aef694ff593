/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * input.h: the enriched items file a run reads: named, the newest in the
 * data directory, or a stream (standard input, a pipe, a FIFO).
 */
#ifndef INPUT_H
#define INPUT_H

struct item_set;

/*
 * Load the items of operand: NULL for the newest DATA_DIR/enriched_*.json,
 * "-" for standard input; a path that is not a regular file (a FIFO,
 * /dev/stdin, a process substitution) is read as a stream.  A stop signal
 * while it blocks ends the wait.  Returns 0 with set filled (owned:
 * item_set_release()), or the exit code after logging why: 66 no file,
 * 65 a bad file or one without a single valid item, 75 a stop request.
 */
int	input_load(const char *operand, const char *data_dir,
	    struct item_set *set);

#endif /* INPUT_H */
