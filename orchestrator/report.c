/*
 * report.c: formats the summary a person reads at the end of a run.  It
 * only reads the run; it decides nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "item.h"
#include "report.h"
#include "run.h"
#include "select.h"
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
	if (sel->sel_ncandidates > sel->sel_npicks)
		fprintf(f, "Not selected (over --max-articles): %zu\n",
		    sel->sel_ncandidates - sel->sel_npicks);
	fflush(f);
}
