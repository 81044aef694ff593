/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * output.h: what a run shows where it runs.  On a terminal, a live
 * progress line on stderr; under GitHub Actions, a collapsible group of
 * log lines per article, an error annotation per failure and a Markdown
 * table in the step summary; under systemd, journal priority prefixes.
 * Every string from the input or from a server is shown escaped
 * (escape.h): an item id cannot forge a line, a workflow command or a
 * terminal control sequence.
 */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct run;
struct job;
struct selection;

/* When the progress line is drawn (--progress, --no-progress). */
enum output_progress {
	OUTPUT_PROGRESS_AUTO = 0,	/* a terminal that is not TERM=dumb */
	OUTPUT_PROGRESS_ALWAYS,
	OUTPUT_PROGRESS_NEVER,
};

struct output {
	int		 o_tty;		/* the progress line is drawn */
	int		 o_ansi;	/* ... with "erase line" (ESC [ K) */
	int		 o_quiet;	/* -q: warnings and errors only */
	enum output_progress o_progress;
	size_t		 o_last_counts[3];	/* done, failed, running shown */
	int		 o_gha;		/* GITHUB_ACTIONS=true */
	int		 o_journal;	/* JOURNAL_STREAM set */
	int64_t		 o_start_ms;
	int64_t		 o_last_draw;
	int		 o_drawn;	/* a progress line is on screen */
	struct buf	*o_logs;	/* per article, under GitHub Actions */
	size_t		 o_n;
};

/*
 * Detect where we run and set the log style; early, before any log.
 * With quiet (-q), no progress line unless asked for, and under Actions
 * no group for an article that was written without a warning.
 */
void	output_init(struct output *, int quiet);
/*
 * Choose when the progress line is drawn: AUTO (the default) on a
 * terminal whose TERM is not "dumb", unless quiet, under Actions or
 * under systemd; ALWAYS on stderr whatever it is (without terminal
 * escape sequences where TERM is dumb or stderr no terminal); NEVER.
 */
void	output_set_progress(struct output *, enum output_progress);
/* Size the per-article buffers once the run's articles are known. */
void	output_set_articles(struct output *, size_t narts);
void	output_release(struct output *);
/* Redraw the progress line (terminal only, at most 4 times a second). */
void	output_progress(struct output *, const struct run *, size_t running);
/* A worker's line about an article: grouped under Actions, else logged. */
void	output_article_log(struct output *, const struct run *,
	    const struct job *, const char *line);
/* An article finished: its group and annotation under Actions. */
void	output_article_done(struct output *, const struct run *,
	    const struct job *);
/* Erase the progress line before the summary. */
void	output_finish(struct output *);
/*
 * Append the run's Markdown summary table to $GITHUB_STEP_SUMMARY when
 * set.  Every string from the input or a server is escaped (and masked
 * for keys).  Returns 0, or -1 when the file cannot be written (logged).
 */
int	output_step_summary(const struct run *, const struct selection *,
	    const char *mode, int exitcode);

#endif /* OUTPUT_H */
