/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * output.c: owns the presentation that depends on where articlegen runs.
 * Nothing here decides anything about the run; it only shows it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "article_kind.h"
#include "buf.h"
#include "escape.h"
#include "item.h"
#include "log.h"
#include "mask.h"
#include "output.h"
#include "run.h"
#include "select.h"
#include "util.h"
#include "xmalloc.h"

#define OUTPUT_GROUP_MAX	(64 * 1024)	/* log kept per article */

/*
 * Decide from the mode and the surroundings whether the progress line
 * is drawn and how, and tell the log so it erases the line first.
 */
static void
output_apply_progress(struct output *o)
{
	const char	*term = getenv("TERM");
	int		 ansi;

	ansi = isatty(STDERR_FILENO) && term != NULL && *term != '\0' &&
	    strcmp(term, "dumb") != 0;
	switch (o->o_progress) {
	case OUTPUT_PROGRESS_ALWAYS:
		o->o_tty = 1;
		break;
	case OUTPUT_PROGRESS_NEVER:
		o->o_tty = 0;
		break;
	default:
		o->o_tty = ansi && !o->o_quiet && !o->o_gha && !o->o_journal;
		break;
	}
	o->o_ansi = ansi;
	log_setclearline(o->o_tty && o->o_ansi);
}

void
output_init(struct output *o, int quiet)
{
	const char	*gha = getenv("GITHUB_ACTIONS");

	memset(o, 0, sizeof(*o));
	o->o_start_ms = monotime_ms();
	o->o_quiet = quiet;
	o->o_gha = gha != NULL && strcmp(gha, "true") == 0;
	o->o_journal = log_stderr_is_journal();
	o->o_progress = OUTPUT_PROGRESS_AUTO;
	if (o->o_journal)
		log_setstyle(LOG_STYLE_JOURNAL);	/* journald stamps lines */
	else if (!isatty(STDERR_FILENO) && !o->o_gha)
		log_settimestamps(1);
	output_apply_progress(o);
}

void
output_set_progress(struct output *o, enum output_progress mode)
{
	o->o_progress = mode;
	output_apply_progress(o);
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
	/* without "erase line", a new line only when something changed */
	if (!o->o_ansi && o->o_drawn && o->o_last_counts[0] == r->r_done &&
	    o->o_last_counts[1] == r->r_failed &&
	    o->o_last_counts[2] == running)
		return;
	o->o_last_draw = now;
	o->o_last_counts[0] = r->r_done;
	o->o_last_counts[1] = r->r_failed;
	o->o_last_counts[2] = running;
	el = now - o->o_start_ms;
	if (finished > 0 && finished < r->r_njobs)
		(void)snprintf(eta, sizeof(eta), ", ETA %.0f s",
		    (double)el / 1000.0 / (double)finished *
		    (double)(r->r_njobs - finished));
	else
		eta[0] = '\0';
	fprintf(stderr, "%s[%zu/%zu] %zu running, %zu failed, %.1f s%s%s",
	    o->o_ansi ? "\r\033[K" : "", r->r_done, r->r_njobs, running,
	    r->r_failed, el / 1000.0, eta, o->o_ansi ? "" : "\n");
	fflush(stderr);
	o->o_drawn = 1;
}

void
output_finish(struct output *o)
{
	if (o->o_drawn && o->o_ansi) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
	}
	o->o_drawn = 0;
}

void
output_article_log(struct output *o, const struct run *r,
    const struct job *a, const char *line)
{
	size_t	 idx = (size_t)(a - r->r_jobs);
	char	*l, *id;

	if (o->o_gha && idx < o->o_n) {
		/* a worker flooding its stderr cannot grow this without end */
		static const char	 more[] = "(more lines left out)\n";
		struct buf		*b = &o->o_logs[idx];

		if (b->b_len < OUTPUT_GROUP_MAX) {
			esc_display_buf(b, line);
			buf_putc(b, '\n');
		} else if (b->b_len < sizeof(more) || strcmp(b->b_data +
		    b->b_len - (sizeof(more) - 1), more) != 0)
			buf_puts(b, more);
		return;
	}
	l = esc_display(line);
	id = esc_display(article_item(a)->it_id);
	log_info("%s (%s)", l, id);
	free(l);
	free(id);
}

/*
 * A token no line of the group can know in advance, for
 * "::stop-commands::TOKEN" (see output_article_done()).
 */
static void
stop_token(char *tok, size_t len)
{
	static const char	hex[] = "0123456789abcdef";
	unsigned char		rnd[16];
	size_t			i;

	arc4random_buf(rnd, sizeof(rnd));
	for (i = 0; i < sizeof(rnd) && 2 * i + 2 < len; i++) {
		tok[2 * i] = hex[rnd[i] >> 4];
		tok[2 * i + 1] = hex[rnd[i] & 0xf];
	}
	tok[2 * i] = '\0';
}

void
output_article_done(struct output *o, const struct run *r,
    const struct job *a)
{
	const struct item	*it = article_item(a);
	const struct gen_result	*res = article_result(a);
	size_t			 idx = (size_t)(a - r->r_jobs);
	struct buf		 b;
	char			 tok[40], *why, *path, *title;
	int			 has_log;

	if (!o->o_gha)
		return;
	has_log = idx < o->o_n && o->o_logs[idx].b_len > 0;
	/* -q: a written article without a warning has nothing to show */
	if (o->o_quiet && a->j_state == JOB_DONE && !has_log)
		return;
	buf_init(&b);
	/* a group per article, on stdout where Actions reads commands */
	buf_puts(&b, "::group::");
	buf_printf(&b, "article %lld (", a->j_id);
	esc_gha_data_buf(&b, it->it_id);
	buf_puts(&b, "): ");
	esc_gha_data_buf(&b, a->j_state == JOB_DONE ? res->gr_file :
	    "failed");
	buf_putc(&b, '\n');
	/* no line inside the group is read as a workflow command */
	stop_token(tok, sizeof(tok));
	buf_printf(&b, "::stop-commands::%s\n", tok);
	if (has_log)
		buf_puts(&b, buf_cstr(&o->o_logs[idx]));
	if (a->j_state == JOB_DONE) {
		path = esc_display(res->gr_path);
		title = esc_display(res->gr_title);
		buf_printf(&b, "wrote %s \"%s\" (%zu words, $%.6f)\n", path,
		    title, res->gr_words, res->gr_cost);
		free(path);
		free(title);
	}
	buf_printf(&b, "::%s::\n", tok);
	buf_puts(&b, "::endgroup::\n");
	if (a->j_state != JOB_DONE) {
		why = xstrdup(a->j_why);
		(void)mask_secrets(why, NULL);
		buf_puts(&b, "::error title=");
		esc_gha_property_buf(&b, "article failed");
		buf_puts(&b, "::");
		esc_gha_data_buf(&b, it->it_id);
		buf_puts(&b, ": ");
		esc_gha_data_buf(&b, why);
		buf_putc(&b, '\n');
		free(why);
	}
	fputs(buf_cstr(&b), stdout);
	fflush(stdout);
	buf_release(&b);
}

/*
 * A Markdown table cell: escaped for display (one line, no control
 * characters), with the pipes that would end the cell escaped.
 */
static void
put_cell(FILE *f, const char *s)
{
	char	*e = esc_display(s), *p;

	for (p = e; *p != '\0'; p++) {
		if (*p == '|')
			fputs("\\|", f);
		else
			fputc(*p, f);
	}
	free(e);
}

int
output_step_summary(const struct run *r, const struct selection *sel,
    const char *mode, int exitcode)
{
	const char	*path = getenv("GITHUB_STEP_SUMMARY");
	FILE		*f;
	double		 cost = 0;
	size_t		 i;
	char		*why;
	int		 failed;

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
		const struct gen_result *res = article_result(a);

		fputs("| ", f);
		put_cell(f, it->it_id);
		if (a->j_state == JOB_DONE) {
			fputs(" | ok | ", f);
			put_cell(f, article_result(a)->gr_file);
			fputs(" | ", f);
			put_cell(f, article_result(a)->gr_title);
			fprintf(f, " | %zu | %.1f | $%.6f |\n",
			    res->gr_words, a->j_elapsed_ms / 1000.0,
			    res->gr_cost);
			cost += a->j_spent > res->gr_cost ?
			    a->j_spent : res->gr_cost;
		} else {
			fputs(a->j_state == JOB_FAILED ? " | **failed** | | " :
			    " | not started | | ", f);
			why = xstrdup(a->j_state == JOB_FAILED ? a->j_why :
			    "");
			(void)mask_secrets(why, NULL);
			put_cell(f, why);
			free(why);
			fprintf(f, " | | | $%.6f |\n", a->j_spent);
			cost += a->j_spent;
		}
	}
	fprintf(f, "\n%zu written, %zu failed; %d API calls; $%.6f; mode: %s; "
	    "exit %d\n", r->r_done, r->r_failed, r->r_api_calls, cost, mode,
	    exitcode);
	if (sel->sel_nrejects > 0) {
		fputs("\nRejected:", f);
		for (i = 0; i < sel->sel_nrejects; i++) {
			fputs(i ? ", " : " ", f);
			put_cell(f, sel->sel_rejects[i].sr_reason);
			fprintf(f, ": %zu", sel->sel_rejects[i].sr_count);
		}
		fputc('\n', f);
	}
	fputc('\n', f);
	failed = ferror(f);
	if (fclose(f) == EOF || failed) {
		if (failed)
			errno = EIO;
		log_warn("GITHUB_STEP_SUMMARY %s", path);
		return (-1);
	}
	return (0);
}
