/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_jobs.c: a job kind the supervisor has never heard of runs through
 * the real pool and supervisor.  The toy kind (tests/toy) exists in the
 * test build only, as one table entry and one handler on each side:
 * build/toy-worker runs it, run_parallel() supervises it, with a retry
 * after a crash and a deadline for a job that hangs.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "job.h"
#include "ratelimit.h"
#include "run.h"
#include "tests.h"
#include "toy.h"
#include "util.h"
#include "xmalloc.h"

static const struct toy_outcome *
outcome(const struct job *j)
{
	return (j->j_outcome);
}

/* Run twice: workers from the fork server (_i 0), and exec'd (_i 1). */
START_TEST(test_toy_jobs_are_supervised)
{
	static char	*noenv[] = { NULL };
	struct toy_input in[] = {
		{ "double", 21, NULL },
		{ "crash_once", 5, NULL },
		{ "hang", 0, NULL },
		{ "fail", 0, NULL },
		{ "double", -4, NULL },
	};
	struct job	 jobs[nitems(in)];
	struct run	 r;
	char		 worker[PATH_MAX], why[256], *dir, *marker;
	size_t		 i;

	dir = test_tmpdir("toyjobs");
	xasprintf(&marker, "%s/crashed", dir);
	in[1].ti_marker = marker;
	(void)snprintf(worker, sizeof(worker), "%s/toy-worker",
	    test_builddir());
	memset(jobs, 0, sizeof(jobs));
	for (i = 0; i < nitems(in); i++) {
		jobs[i].j_kind = &toy_kind;
		jobs[i].j_input = &in[i];
		jobs[i].j_id = (long long)i + 1;
		jobs[i].j_slot = -1;
	}
	memset(&r, 0, sizeof(r));
	r.r_jobs = jobs;
	r.r_njobs = nitems(jobs);
	r.r_job_timeout_s = 1;
	r.r_idle_timeout_s = 60;
	r.r_retries = 1;
	r.r_grace_s = 1;
	r.r_verbose = 1;
	r.r_forkserver = _i == 0;
	ratelimit_init(&r.r_rl, 0, 0, monotime_ms());

	ck_assert_msg(run_parallel(&r, worker, noenv, 2, -1, why,
	    sizeof(why)) == 0, "%s", why);

	/* a plain job, on a worker that is then reused */
	ck_assert_int_eq(jobs[0].j_state, JOB_DONE);
	ck_assert_int_eq(outcome(&jobs[0])->to_value, 42);
	ck_assert_int_eq(jobs[4].j_state, JOB_DONE);
	ck_assert_int_eq(outcome(&jobs[4])->to_value, -8);
	/* its worker crashed: retried on a fresh one */
	ck_assert_int_eq(jobs[1].j_state, JOB_DONE);
	ck_assert_int_eq(jobs[1].j_attempts, 2);
	ck_assert_int_eq(outcome(&jobs[1])->to_value, 10);
	ck_assert(access(marker, F_OK) == 0);
	/* it hung: stopped at its deadline, retried once, then failed */
	ck_assert_int_eq(jobs[2].j_state, JOB_FAILED);
	ck_assert_int_eq(jobs[2].j_attempts, 2);
	ck_assert_msg(strstr(jobs[2].j_why, "timed out after 1 s") != NULL,
	    "%s", jobs[2].j_why);
	ck_assert_ptr_null(jobs[2].j_outcome);
	/* an error the worker reported: not retried */
	ck_assert_int_eq(jobs[3].j_state, JOB_FAILED);
	ck_assert_int_eq(jobs[3].j_attempts, 1);
	ck_assert_str_eq(jobs[3].j_why, "toy job failed as asked");
	ck_assert_uint_eq(r.r_done, 3);
	ck_assert_uint_eq(r.r_failed, 2);
	ck_assert_int_eq(r.r_api_calls, 0);

	for (i = 0; i < nitems(jobs); i++)
		job_release(&jobs[i]);
	test_rmtree(dir);
	free(dir);
	free(marker);
}
END_TEST

/* A worker asked for a kind it does not run answers bad_job, exit 65. */
START_TEST(test_unknown_kind_is_refused)
{
	char	*dir, *job, *out, *cmd, *text;
	int	 status;

	dir = test_tmpdir("kindless");
	xasprintf(&job, "%s/job.json", dir);
	xasprintf(&out, "%s/out.json", dir);
	ck_assert_int_eq(test_write_file(job, "{\"v\":2,\"type\":\"job\","
	    "\"id\":4,\"kind\":\"sculpture\"}\n"), 0);
	xasprintf(&cmd, "%s/articlegen-worker -j %s >%s 2>/dev/null",
	    test_builddir(), job, out);
	status = system(cmd);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 65);
	text = test_read_file(out, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_msg(strstr(text, "\"code\":\"bad_job\"") != NULL &&
	    strstr(text, "unknown job kind 'sculpture'") != NULL, "%s", text);
	free(text);
	free(cmd);
	test_rmtree(dir);
	free(dir);
	free(job);
	free(out);
}
END_TEST

Suite *
jobs_suite(void)
{
	Suite	*s = suite_create("jobs");
	TCase	*tc = tcase_create("toy");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_toy_jobs_are_supervised, 0, 2);
	tcase_add_test(tc, test_unknown_kind_is_refused);
	suite_add_tcase(s, tc);
	return (s);
}
