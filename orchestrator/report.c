/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * report.c: formats the summary a person reads at the end of a run.  It
 * only reads the run; it decides nothing.
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

#include "item.h"
#include "report.h"
#include "run.h"
#include "select.h"
#include "util.h"
#include "xmalloc.h"

static int
cmp_item(const void *a, const void *b)
{
	const struct run_article *const *x = a, *const *y = b;

	return ((*x)->ra_item < (*y)->ra_item ? -1 :
	    (*x)->ra_item > (*y)->ra_item);
}

void
report_print(FILE *f, const struct run *r, const struct selection *sel,
    const char *mode, int64_t wall_ms)
{
	const struct run_article	**order;
	const struct item		 *it;
	double				  cost = 0;
	size_t				  i, words = 0, notstarted = 0;

	fprintf(f, "\n");
	if (r->r_narts > 0) {
		order = xreallocarray(NULL, r->r_narts, sizeof(*order));
		for (i = 0; i < r->r_narts; i++)
			order[i] = &r->r_arts[i];
		qsort(order, r->r_narts, sizeof(*order), cmp_item);
		fprintf(f, "Articles (input order):\n");
		for (i = 0; i < r->r_narts; i++) {
			const struct run_article *a = order[i];

			it = &r->r_set->is_items[a->ra_item];
			switch (a->ra_state) {
			case ART_DONE:
				fprintf(f, "  ok    %-28s %s  \"%s\"  %zu words  "
				    "%.1f s  $%.6f\n", it->it_id,
				    a->ra_res.gr_file, a->ra_res.gr_title,
				    a->ra_res.gr_words,
				    a->ra_elapsed_ms / 1000.0,
				    a->ra_res.gr_cost);
				words += a->ra_res.gr_words;
				cost += a->ra_res.gr_cost;
				break;
			case ART_FAILED:
				fprintf(f, "  FAIL  %-28s %s  %.1f s\n",
				    it->it_id, a->ra_why,
				    a->ra_elapsed_ms / 1000.0);
				break;
			default:
				fprintf(f, "  skip  %-28s not started: the run "
				    "stopped first\n", it->it_id);
				notstarted++;
				break;
			}
		}
		free(order);
	}
	fprintf(f, "Totals: %zu selected, %zu written, %zu failed",
	    r->r_narts, r->r_done, r->r_failed);
	if (notstarted > 0)
		fprintf(f, ", %zu not started", notstarted);
	fprintf(f, "; %zu words; %d API calls; $%.6f; %.1f s wall (%s)\n",
	    words, r->r_api_calls, cost, wall_ms / 1000.0, mode);
	fprintf(f, "Input: %zu items in %s, %zu invalid (skipped)\n",
	    r->r_set->is_ntotal, r->r_set->is_path, r->r_set->is_ninvalid);
	fprintf(f, "Rejected:");
	if (sel->sel_nrejects == 0)
		fprintf(f, " none");
	for (i = 0; i < sel->sel_nrejects; i++)
		fprintf(f, "%s %s: %zu", i ? "," : "",
		    sel->sel_rejects[i].sr_reason,
		    sel->sel_rejects[i].sr_count);
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
	if (r->r_fatal)
		fprintf(f, "Stopped: the API refused the run: %s\n",
		    r->r_fatal_msg);
	if (r->r_broken)
		fprintf(f, "Stopped: %s\n", r->r_broken_msg);
	if (r->r_interrupted)
		fprintf(f, "Interrupted: run again to generate what is "
		    "missing\n");
	fflush(f);
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
outcome_name(enum article_state s)
{
	switch (s) {
	case ART_DONE:
		return ("written");
	case ART_FAILED:
		return ("failed");
	default:
		return ("not_started");
	}
}

static struct json_object *
article_json(const struct run *r, const struct run_article *a)
{
	const struct item	*it = &r->r_set->is_items[a->ra_item];
	struct json_object	*o;

	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_string(it->it_id));
	json_object_object_add(o, "index",
	    json_object_new_int64((int64_t)it->it_index));
	json_object_object_add(o, "outcome",
	    json_object_new_string(outcome_name(a->ra_state)));
	json_object_object_add(o, "reason", a->ra_state == ART_DONE ? NULL :
	    json_object_new_string(a->ra_state == ART_FAILED ? a->ra_why :
	    "the run stopped before it started"));
	json_object_object_add(o, "attempts",
	    json_object_new_int(a->ra_attempts));
	json_object_object_add(o, "file", a->ra_state == ART_DONE ?
	    json_object_new_string(a->ra_res.gr_path) : NULL);
	json_object_object_add(o, "title", a->ra_state == ART_DONE ?
	    json_object_new_string(a->ra_res.gr_title) : NULL);
	json_object_object_add(o, "words", json_object_new_int64(
	    a->ra_state == ART_DONE ? (int64_t)a->ra_res.gr_words : 0));
	json_object_object_add(o, "api_calls", json_object_new_int(a->ra_calls));
	json_object_object_add(o, "tokens", json_object_new_int64(a->ra_tokens));
	json_object_object_add(o, "cost", json_object_new_double(
	    a->ra_state == ART_DONE ? a->ra_res.gr_cost : a->ra_spent));
	json_object_object_add(o, "seconds",
	    json_object_new_double(a->ra_elapsed_ms / 1000.0));
	return (o);
}

int
report_write_json(const char *path, const struct run *r,
    const struct selection *sel, const char *mode, int exitcode,
    int64_t wall_ms, char *errbuf, size_t errlen)
{
	struct json_object	*root, *items, *totals, *rej, *o;
	const char		*text;
	char			*tmp;
	size_t			 i, written = 0, words = 0;
	double			 cost = 0;
	FILE			*f;
	int			 ret = 0;

	root = json_object_new_object();
	json_object_object_add(root, "version", json_object_new_int(1));
	json_object_object_add(root, "mode", json_object_new_string(mode));
	json_object_object_add(root, "exit_code", json_object_new_int(exitcode));
	json_object_object_add(root, "input",
	    json_object_new_string(r->r_set->is_path));
	items = json_object_new_array();
	for (i = 0; i < r->r_narts; i++) {
		const struct run_article *a = &r->r_arts[i];

		json_object_array_add(items, article_json(r, a));
		if (a->ra_state == ART_DONE) {
			written++;
			words += a->ra_res.gr_words;
			cost += a->ra_res.gr_cost;
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
	    json_object_new_int64((int64_t)r->r_narts));
	json_object_object_add(totals, "written",
	    json_object_new_int64((int64_t)written));
	json_object_object_add(totals, "failed",
	    json_object_new_int64((int64_t)r->r_failed));
	json_object_object_add(totals, "not_started", json_object_new_int64(
	    (int64_t)(r->r_narts - written - r->r_failed)));
	json_object_object_add(totals, "words",
	    json_object_new_int64((int64_t)words));
	json_object_object_add(totals, "api_calls",
	    json_object_new_int(r->r_api_calls));
	json_object_object_add(totals, "cost", json_object_new_double(cost));
	json_object_object_add(totals, "spent_all_attempts",
	    json_object_new_double(r->r_spent));
	json_object_object_add(totals, "seconds",
	    json_object_new_double(wall_ms / 1000.0));
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
		json_object_object_add(res, "cpu_seconds", json_object_new_double(
		    self.ru_utime.tv_sec + self.ru_stime.tv_sec +
		    (self.ru_utime.tv_usec + self.ru_stime.tv_usec) / 1e6));
		json_object_object_add(res, "max_rss_kb",
		    json_object_new_int64(self.ru_maxrss));
		json_object_object_add(res, "workers_cpu_seconds",
		    json_object_new_double(kids.ru_utime.tv_sec +
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
	json_object_object_add(root, "stopped_by", r->r_fatal ?
	    json_object_new_string(r->r_fatal_msg) : r->r_broken ?
	    json_object_new_string(r->r_broken_msg) : r->r_cost_stopped ?
	    json_object_new_string("MAX_COST_PER_RUN") : r->r_interrupted ?
	    json_object_new_string("signal") : NULL);

	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	xasprintf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	if ((f = fopen(tmp, "w")) == NULL) {
		snprintf(errbuf, errlen, "%s: %s", tmp, strerror(errno));
		ret = -1;
	} else {
		if (fputs(text, f) == EOF || fputc('\n', f) == EOF) {
			snprintf(errbuf, errlen, "%s: %s", tmp,
			    strerror(errno));
			ret = -1;
		}
		if (fclose(f) == EOF && ret == 0) {
			snprintf(errbuf, errlen, "%s: %s", tmp,
			    strerror(errno));
			ret = -1;
		}
		if (ret == 0 && rename(tmp, path) == -1) {
			snprintf(errbuf, errlen, "%s: %s", path,
			    strerror(errno));
			ret = -1;
		}
		if (ret == -1)
			(void)unlink(tmp);
	}
	free(tmp);
	json_object_put(root);
	return (ret);
}
