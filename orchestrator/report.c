/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * report.c: formats the summary a person reads at the end of a run and
 * the JSON report a program reads.  It only reads the run; it decides
 * nothing but how an output failure weighs on the exit code.
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "article_kind.h"
#include "escape.h"
#include "item.h"
#include "ledger.h"
#include "mask.h"
#include "numfmt.h"
#include "outfile.h"
#include "report.h"
#include "run.h"
#include "select.h"
#include "util.h"
#include "xmalloc.h"

static int
cmp_item(const void *a, const void *b)
{
	const struct job *const *x = a, *const *y = b;

	return (article_input(*x)->ai_index < article_input(*y)->ai_index ? -1 :
	    article_input(*x)->ai_index > article_input(*y)->ai_index);
}

/*
 * Text from a server (a failure reason, why the run stopped) as it may
 * be shown: keys masked, escaped for display.  Owned by the caller.
 */
static char *
shown_server_text(const char *s)
{
	char	*copy = xstrdup(s), *out;

	(void)mask_secrets(copy, NULL);
	out = esc_display(copy);
	free(copy);
	return (out);
}

/* Text from a server with keys masked, for the JSON report.  Owned. */
static char *
masked(const char *s)
{
	char	*copy = xstrdup(s);

	(void)mask_secrets(copy, NULL);
	return (copy);
}

/*
 * What an article cost over all its attempts: a failed article's calls
 * cost money too, and a written one may have failed attempts before.
 */
static double
article_spent(const struct job *a)
{
	const struct gen_result	*res = article_result(a);

	if (a->j_state == JOB_DONE && res != NULL)
		return (a->j_spent > res->gr_cost ? a->j_spent : res->gr_cost);
	return (a->j_spent);
}

int
report_print(FILE *f, const struct run *r, const struct selection *sel,
    const char *mode, int64_t wall_ms, const struct ledger *ledger)
{
	const struct job	**order;
	const struct item		 *it;
	double				  cost = 0, failed_cost = 0;
	size_t				  i, words = 0, notstarted = 0;
	char				 *id, *t1, *t2;

	fprintf(f, "\n");
	if (r->r_njobs > 0) {
		order = xreallocarray(NULL, r->r_njobs, sizeof(*order));
		for (i = 0; i < r->r_njobs; i++)
			order[i] = &r->r_jobs[i];
		qsort(order, r->r_njobs, sizeof(*order), cmp_item);
		fprintf(f, "Articles (input order):\n");
		for (i = 0; i < r->r_njobs; i++) {
			const struct job *a = order[i];
			const struct gen_result *res = article_result(a);

			it = article_item(a);
			id = esc_display(it->it_id);
			cost += article_spent(a);
			switch (a->j_state) {
			case JOB_DONE:
				t1 = esc_display(res->gr_file);
				t2 = esc_display(res->gr_title);
				fprintf(f, "  ok    %-28s %s  \"%s\"  %zu words  "
				    "%.1f s  $%.6f\n", id, t1, t2,
				    res->gr_words,
				    a->j_elapsed_ms / 1000.0,
				    res->gr_cost);
				words += res->gr_words;
				failed_cost += article_spent(a) -
				    res->gr_cost;
				free(t1);
				free(t2);
				break;
			case JOB_FAILED:
				t1 = shown_server_text(a->j_why);
				fprintf(f, "  FAIL  %-28s %s  %.1f s\n", id, t1,
				    a->j_elapsed_ms / 1000.0);
				failed_cost += article_spent(a);
				free(t1);
				break;
			default:
				fprintf(f, "  skip  %-28s not started: the run "
				    "stopped first\n", id);
				notstarted++;
				failed_cost += article_spent(a);
				break;
			}
			free(id);
		}
		free(order);
	}
	fprintf(f, "Totals: %zu selected, %zu written, %zu failed",
	    r->r_njobs, r->r_done, r->r_failed);
	if (notstarted > 0)
		fprintf(f, ", %zu not started", notstarted);
	fprintf(f, "; %zu words; %d API calls; $%.6f", words, r->r_api_calls,
	    cost);
	if (failed_cost >= 0.0000005)
		fprintf(f, " ($%.6f of it on failed attempts)", failed_cost);
	fprintf(f, "; %.1f s wall (%s)\n", wall_ms / 1000.0, mode);
	t1 = esc_display(r->r_set->is_path);
	fprintf(f, "Input: %zu items in %s, %zu invalid (skipped)\n",
	    r->r_set->is_ntotal, t1, r->r_set->is_ninvalid);
	free(t1);
	fprintf(f, "Rejected:");
	if (sel->sel_nrejects == 0)
		fprintf(f, " none");
	for (i = 0; i < sel->sel_nrejects; i++) {
		t1 = esc_display(sel->sel_rejects[i].sr_reason);
		fprintf(f, "%s %s: %zu", i ? "," : "", t1,
		    sel->sel_rejects[i].sr_count);
		free(t1);
	}
	fprintf(f, "\n");
	for (i = 0; i < sel->sel_nitems; i++)	/* what each same_story matched */
		if (sel->sel_item_note[i] != NULL && strncmp(
		    sel->sel_item_reason[i], "same_story", 10) == 0)
			fprintf(f, "  items[%zu] %s: %s\n",
			    r->r_set->is_items[i].it_index,
			    r->r_set->is_items[i].it_id, sel->sel_item_note[i]);
	if (sel->sel_ncandidates > sel->sel_npicks + sel->sel_nsharded)
		fprintf(f, "Not selected (over --max-articles): %zu\n",
		    sel->sel_ncandidates - sel->sel_npicks - sel->sel_nsharded);
	if (sel->sel_nsharded > 0)
		fprintf(f, "Left to other shards: %zu\n", sel->sel_nsharded);
	if (r->r_cost_stopped)
		fprintf(f, "Cost ceiling: MAX_COST_PER_RUN $%.6f reached ($%.6f "
		    "spent); no new article was started after it\n",
		    r->r_max_cost_run, r->r_spent);
	if (ledger != NULL && ledger_failures(ledger) > 0) {
		t1 = esc_display(ledger_first_error(ledger));
		fprintf(f, "Cost ledger: %zu failure%s, costs not recorded: %s\n",
		    ledger_failures(ledger), ledger_failures(ledger) == 1 ?
		    "" : "s", t1);
		free(t1);
	}
	if (r->r_fatal) {
		t1 = shown_server_text(r->r_fatal_msg);
		fprintf(f, "Stopped: the API refused the run: %s\n", t1);
		free(t1);
	}
	if (r->r_broken) {
		t1 = shown_server_text(r->r_broken_msg);
		fprintf(f, "Stopped: %s\n", t1);
		free(t1);
	}
	if (r->r_interrupted)
		fprintf(f, "Interrupted: run again to generate what is "
		    "missing\n");
	if (fflush(f) == EOF || ferror(f))
		return (-1);
	return (0);
}

int
report_exit_code(int exitcode, int output_lost)
{
	if (output_lost && (exitcode == EXIT_OK ||
	    exitcode == EXIT_ARTICLES_FAILED))
		return (EXIT_IOERR);
	return (exitcode);
}

/* Descriptors open in this process (from /proc/self/fd). */
static int
count_open_fds(void)
{
	struct dirent	*de;
	DIR		*d;
	int		 n = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return (-1);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return (n - 1);	/* the directory's own descriptor */
}

static const char *
outcome_name(enum job_state s)
{
	switch (s) {
	case JOB_DONE:
		return ("written");
	case JOB_FAILED:
		return ("failed");
	default:
		return ("not_started");
	}
}

static struct json_object *
article_json(const struct job *a)
{
	const struct item	*it = article_item(a);
	const struct gen_result	*res = article_result(a);
	struct json_object	*o;
	char			*why;

	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_string(it->it_id));
	json_object_object_add(o, "index",
	    json_object_new_int64((int64_t)it->it_index));
	json_object_object_add(o, "outcome",
	    json_object_new_string(outcome_name(a->j_state)));
	why = masked(a->j_state == JOB_FAILED ? a->j_why :
	    "the run stopped before it started");
	json_object_object_add(o, "reason", a->j_state == JOB_DONE ? NULL :
	    json_object_new_string(why));
	free(why);
	json_object_object_add(o, "attempts",
	    json_object_new_int(a->j_attempts));
	json_object_object_add(o, "file", a->j_state == JOB_DONE ?
	    json_object_new_string(article_result(a)->gr_path) : NULL);
	json_object_object_add(o, "title", a->j_state == JOB_DONE ?
	    json_object_new_string(article_result(a)->gr_title) : NULL);
	json_object_object_add(o, "words", json_object_new_int64(
	    a->j_state == JOB_DONE ? (int64_t)res->gr_words : 0));
	json_object_object_add(o, "api_calls", json_object_new_int(a->j_calls));
	json_object_object_add(o, "tokens", json_object_new_int64(a->j_tokens));
	json_object_object_add(o, "cost", numfmt_json_double(
	    a->j_state == JOB_DONE ? res->gr_cost : a->j_spent));
	json_object_object_add(o, "seconds",
	    numfmt_json_double(a->j_elapsed_ms / 1000.0));
	return (o);
}

int
report_write_json(const char *path, const struct run *r,
    const struct selection *sel, const char *mode, int exitcode,
    int64_t wall_ms, const struct ledger *ledger, char *errbuf,
    size_t errlen)
{
	struct json_object	*root, *items, *totals, *rej, *o, *led;
	const char		*text;
	char			*data, *stopped;
	size_t			 i, written = 0, words = 0;
	double			 cost = 0;
	int			 ret;

	root = json_object_new_object();
	json_object_object_add(root, "version", json_object_new_int(1));
	json_object_object_add(root, "mode", json_object_new_string(mode));
	json_object_object_add(root, "exit_code", json_object_new_int(exitcode));
	json_object_object_add(root, "input",
	    json_object_new_string(r->r_set->is_path));
	items = json_object_new_array();
	for (i = 0; i < r->r_njobs; i++) {
		const struct job *a = &r->r_jobs[i];

		json_object_array_add(items, article_json(a));
		if (a->j_state == JOB_DONE) {
			written++;
			words += article_result(a)->gr_words;
			cost += article_result(a)->gr_cost;
		}
	}
	for (i = 0; i < sel->sel_nitems; i++) {
		const struct item *it = &r->r_set->is_items[i];

		if (sel->sel_item_reason[i] == NULL)
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_string(it->it_id));
		json_object_object_add(o, "index",
		    json_object_new_int64((int64_t)it->it_index));
		json_object_object_add(o, "outcome",
		    json_object_new_string("rejected"));
		json_object_object_add(o, "reason",
		    json_object_new_string(sel->sel_item_reason[i]));
		json_object_array_add(items, o);
	}
	json_object_object_add(root, "items", items);
	totals = json_object_new_object();
	json_object_object_add(totals, "items_in_file",
	    json_object_new_int64((int64_t)r->r_set->is_ntotal));
	json_object_object_add(totals, "invalid_items",
	    json_object_new_int64((int64_t)r->r_set->is_ninvalid));
	json_object_object_add(totals, "selected",
	    json_object_new_int64((int64_t)r->r_njobs));
	json_object_object_add(totals, "written",
	    json_object_new_int64((int64_t)written));
	json_object_object_add(totals, "failed",
	    json_object_new_int64((int64_t)r->r_failed));
	json_object_object_add(totals, "not_started", json_object_new_int64(
	    (int64_t)(r->r_njobs - written - r->r_failed)));
	json_object_object_add(totals, "words",
	    json_object_new_int64((int64_t)words));
	json_object_object_add(totals, "api_calls",
	    json_object_new_int(r->r_api_calls));
	json_object_object_add(totals, "cost", numfmt_json_double(cost));
	json_object_object_add(totals, "spent_all_attempts",
	    numfmt_json_double(r->r_spent));
	json_object_object_add(totals, "seconds",
	    numfmt_json_double(wall_ms / 1000.0));
	json_object_object_add(root, "totals", totals);
	rej = json_object_new_object();
	for (i = 0; i < sel->sel_nrejects; i++)
		json_object_object_add(rej, sel->sel_rejects[i].sr_reason,
		    json_object_new_int64((int64_t)sel->sel_rejects[i].sr_count));
	json_object_object_add(root, "rejections", rej);
	{
		struct rusage		 self, kids;
		struct json_object	*res = json_object_new_object();

		(void)getrusage(RUSAGE_SELF, &self);
		(void)getrusage(RUSAGE_CHILDREN, &kids);
		json_object_object_add(res, "cpu_seconds", numfmt_json_double(
		    self.ru_utime.tv_sec + self.ru_stime.tv_sec +
		    (self.ru_utime.tv_usec + self.ru_stime.tv_usec) / 1e6));
		json_object_object_add(res, "max_rss_kb",
		    json_object_new_int64(self.ru_maxrss));
		json_object_object_add(res, "workers_cpu_seconds",
		    numfmt_json_double(kids.ru_utime.tv_sec +
		    kids.ru_stime.tv_sec + (kids.ru_utime.tv_usec +
		    kids.ru_stime.tv_usec) / 1e6));
		/* what workers used after exec, as they report it */
		json_object_object_add(res, "worker_max_rss_kb",
		    json_object_new_int64(r->r_worker_peak_kb > 0 ?
		    r->r_worker_peak_kb : kids.ru_maxrss));
		/* getrusage also counts a child between fork and exec */
		json_object_object_add(res, "children_max_rss_kb",
		    json_object_new_int64(kids.ru_maxrss));
		json_object_object_add(res, "open_fds",
		    json_object_new_int(count_open_fds()));
		json_object_object_add(res, "children_left",
		    json_object_new_int(waitpid(-1, NULL, WNOHANG) == -1 &&
		    errno == ECHILD ? 0 : 1));
		json_object_object_add(root, "resources", res);
	}
	stopped = masked(r->r_fatal ? r->r_fatal_msg : r->r_broken ?
	    r->r_broken_msg : r->r_cost_stopped ? "MAX_COST_PER_RUN" :
	    "signal");
	json_object_object_add(root, "stopped_by", r->r_fatal || r->r_broken ||
	    r->r_cost_stopped || r->r_interrupted ?
	    json_object_new_string(stopped) : NULL);
	free(stopped);
	led = json_object_new_object();
	json_object_object_add(led, "failures", json_object_new_int64(
	    ledger != NULL ? (int64_t)ledger_failures(ledger) : 0));
	json_object_object_add(led, "error", ledger != NULL &&
	    ledger_failures(ledger) > 0 ?
	    json_object_new_string(ledger_first_error(ledger)) : NULL);
	json_object_object_add(root, "ledger", led);

	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	xasprintf(&data, "%s\n", text);
	ret = outfile_write(path, data, strlen(data), errbuf, errlen);
	free(data);
	json_object_put(root);
	return (ret);
}
