/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * output.c: owns the presentation that depends on where articlegen runs.
 * Nothing here decides anything about the run; it only shows it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "article_kind.h"
#include "buf.h"
#include "item.h"
#include "log.h"
#include "output.h"
#include "run.h"
#include "select.h"
#include "util.h"
#include "xmalloc.h"

#define OUTPUT_GROUP_MAX	(64 * 1024)	/* log kept per article */

void
output_init(struct output *o, int quiet)
{
	const char	*gha = getenv("GITHUB_ACTIONS");
	const char	*journal = getenv("JOURNAL_STREAM");

	memset(o, 0, sizeof(*o));
	o->o_start_ms = monotime_ms();
	o->o_gha = gha != NULL && strcmp(gha, "true") == 0;
	o->o_journal = journal != NULL && *journal != '\0';
	o->o_tty = !quiet && !o->o_gha && !o->o_journal &&
	    isatty(STDERR_FILENO);
	if (o->o_journal)
		log_setstyle(LOG_STYLE_JOURNAL);	/* journald stamps lines */
	else if (!isatty(STDERR_FILENO) && !o->o_gha)
		log_settimestamps(1);
	if (o->o_tty)
		log_setclearline(1);
}

void
output_set_articles(struct output *o, size_t narts)
{
	size_t	i;

	o->o_start_ms = monotime_ms();
	if (o->o_gha && narts > 0) {
		o->o_logs = xcalloc(narts, sizeof(*o->o_logs));
		for (i = 0; i < narts; i++)
			buf_init(&o->o_logs[i]);
		o->o_n = narts;
	}
}

void
output_release(struct output *o)
{
	size_t	i;

	for (i = 0; i < o->o_n; i++)
		buf_release(&o->o_logs[i]);
	free(o->o_logs);
	o->o_logs = NULL;
	o->o_n = 0;
}

void
output_progress(struct output *o, const struct run *r, size_t running)
{
	int64_t	now = monotime_ms(), el;
	char	eta[32];
	size_t	finished = r->r_done + r->r_failed;

	if (!o->o_tty || now - o->o_last_draw < 250)
		return;
	o->o_last_draw = now;
	el = now - o->o_start_ms;
	if (finished > 0 && finished < r->r_njobs)
		(void)snprintf(eta, sizeof(eta), ", ETA %.0f s",
		    (double)el / 1000.0 / (double)finished *
		    (double)(r->r_njobs - finished));
	else
		eta[0] = '\0';
	fprintf(stderr, "\r\033[K[%zu/%zu] %zu running, %zu failed, %.1f s%s",
	    r->r_done, r->r_njobs, running, r->r_failed, el / 1000.0, eta);
	fflush(stderr);
	o->o_drawn = 1;
}

void
output_finish(struct output *o)
{
	if (o->o_drawn) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
		o->o_drawn = 0;
	}
}

void
output_article_log(struct output *o, const struct run *r,
    const struct job *a, const char *line)
{
	size_t	idx = (size_t)(a - r->r_jobs);

	if (o->o_gha && idx < o->o_n) {
		/* a worker flooding its stderr cannot grow this without end */
		static const char	 more[] = "(more lines left out)\n";
		struct buf		*b = &o->o_logs[idx];

		if (b->b_len < OUTPUT_GROUP_MAX) {
			buf_puts(b, line);
			buf_putc(b, '\n');
		} else if (b->b_len < sizeof(more) || strcmp(b->b_data +
		    b->b_len - (sizeof(more) - 1), more) != 0)
			buf_puts(b, more);
		return;
	}
	log_info("%s (%s)", line, article_item(a)->it_id);
}

/* Workflow command data: %, CR and LF must be escaped. */
static void
put_escaped(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '%')
			fputs("%25", f);
		else if (*s == '\r')
			fputs("%0D", f);
		else if (*s == '\n')
			fputs("%0A", f);
		else
			fputc(*s, f);
	}
}

void
output_article_done(struct output *o, const struct run *r,
    const struct job *a)
{
	const struct item	*it = article_item(a);
	size_t			 idx = (size_t)(a - r->r_jobs);

	if (!o->o_gha)
		return;
	/* a group per article, on stdout where Actions reads commands */
	printf("::group::article %lld (%s): %s\n", a->j_id, it->it_id,
	    a->j_state == JOB_DONE ? article_result(a)->gr_file : "failed");
	if (idx < o->o_n)
		fputs(buf_cstr(&o->o_logs[idx]), stdout);
	if (a->j_state == JOB_DONE)
		printf("wrote %s \"%s\" (%zu words, $%.6f)\n",
		    article_result(a)->gr_path, article_result(a)->gr_title,
		    article_result(a)->gr_words, article_result(a)->gr_cost);
	printf("::endgroup::\n");
	if (a->j_state != JOB_DONE) {
		printf("::error title=article failed::");
		put_escaped(stdout, it->it_id);
		fputs(": ", stdout);
		put_escaped(stdout, a->j_why);
		fputc('\n', stdout);
	}
	fflush(stdout);
}

/* A Markdown table cell: pipes and newlines would break the row. */
static void
put_cell(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', f);
		else
			fputc(*s, f);
	}
}

int
output_step_summary(const struct run *r, const struct selection *sel,
    const char *mode, int exitcode)
{
	const char	*path = getenv("GITHUB_STEP_SUMMARY");
	FILE		*f;
	double		 cost = 0;
	size_t		 i;

	if (path == NULL || *path == '\0')
		return (0);
	if ((f = fopen(path, "a")) == NULL) {
		log_warn("GITHUB_STEP_SUMMARY %s", path);
		return (-1);
	}
	fprintf(f, "### articlegen: %zu of %zu articles written\n\n",
	    r->r_done, r->r_njobs);
	fprintf(f, "| item | result | file | title | words | seconds | "
	    "cost |\n|---|---|---|---|---:|---:|---:|\n");
	for (i = 0; i < r->r_njobs; i++) {
		const struct job *a = &r->r_jobs[i];
		const struct item *it = article_item(a);

		fputs("| ", f);
		put_cell(f, it->it_id);
		if (a->j_state == JOB_DONE) {
			fputs(" | ok | ", f);
			put_cell(f, article_result(a)->gr_file);
			fputs(" | ", f);
			put_cell(f, article_result(a)->gr_title);
			fprintf(f, " | %zu | %.1f | $%.6f |\n",
			    article_result(a)->gr_words,
			    a->j_elapsed_ms / 1000.0,
			    article_result(a)->gr_cost);
			cost += article_result(a)->gr_cost;
		} else {
			fputs(a->j_state == JOB_FAILED ? " | **failed** | | " :
			    " | not started | | ", f);
			put_cell(f, a->j_state == JOB_FAILED ? a->j_why : "");
			fputs(" | | | |\n", f);
		}
	}
	fprintf(f, "\n%zu written, %zu failed; %d API calls; $%.6f; mode: %s; "
	    "exit %d\n", r->r_done, r->r_failed, r->r_api_calls, cost, mode,
	    exitcode);
	if (sel->sel_nrejects > 0) {
		fputs("\nRejected:", f);
		for (i = 0; i < sel->sel_nrejects; i++)
			fprintf(f, "%s %s: %zu", i ? "," : "",
			    sel->sel_rejects[i].sr_reason,
			    sel->sel_rejects[i].sr_count);
		fputc('\n', f);
	}
	fputc('\n', f);
	if (fclose(f) == EOF) {
		log_warn("GITHUB_STEP_SUMMARY %s", path);
		return (-1);
	}
	return (0);
}
