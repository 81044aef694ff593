/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_supervise.c: supervision end to end.  Each test scripts the
 * stand-in LLM server to misbehave (429 with Retry-After, 500, a reply
 * that never comes, a malformed or truncated body, 401, exhausted quota),
 * or kills and signals the real processes, and asserts the files written,
 * that no temporary file remains, the exit code, and how many API calls
 * were made.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "e2e.h"
#include "tests.h"
#include "util.h"
#include "xmalloc.h"

struct outcome {
	int	 exit;
	size_t	 written;
	int	 calls;
	char	*out;
	char	*err;
	int64_t	 ms;
};

static void
outcome_release(struct outcome *o)
{
	free(o->out);
	free(o->err);
	memset(o, 0, sizeof(*o));
}

/* The .md files in dir/posts; asserts that no temporary file is left. */
static size_t
articles_in(const char *dir)
{
	char	*posts, *list;
	size_t	 n;

	xasprintf(&posts, "%s/posts", dir);
	list = list_dir(posts, NULL);
	ck_assert_msg(strcmp(list, "") == 0, "left in %s: %s", posts, list);
	free(list);
	list = list_dir(posts, ".md");
	n = count_lines(list);
	free(list);
	free(posts);
	return (n);
}

/*
 * Run articlegen on n articles of the sample with jobs workers against a
 * stand-in started with extra (faults, latency), with extra environment.
 */
static void
scenario(const char *const standin_args[], const char *n, const char *jobs,
    const char *const extra_args[], const char *const extra_env[],
    struct outcome *o)
{
	const char	*args[24], *env[12];
	struct standin	 s;
	char		*dir, *base;
	int64_t		 t0;
	int		 a = 0, e = 0, i;

	standin_start(&s, standin_args);
	dir = e2e_workdir("supervise");
	args[a++] = "--jobs";
	args[a++] = jobs;
	args[a++] = "-n";
	args[a++] = n;
	args[a++] = "-o";
	args[a++] = "posts";
	for (i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
		args[a++] = extra_args[i];
	args[a++] = "enriched.json";
	args[a] = NULL;
	xasprintf(&base, "OPENAI_BASE_URL=%s", s.base_url);
	env[e++] = base;
	for (i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
		env[e++] = extra_env[i];
	env[e] = NULL;
	t0 = monotime_ms();
	o->exit = run_articlegen(dir, args, env, &o->out, &o->err);
	o->ms = monotime_ms() - t0;
	o->written = articles_in(dir);
	o->calls = standin_requests(&s);
	free(base);
	test_rmtree(dir);
	free(dir);
	standin_stop(&s);
}

#define EXPECT(o, ex, wr, calls_) do {					\
	ck_assert_msg((o).exit == (ex) && (o).written == (wr) &&	\
	    (o).calls == (calls_), "exit %d (want %d), written %zu "	\
	    "(want %zu), calls %d (want %d)\n%s\n%s", (o).exit, (ex),	\
	    (o).written, (size_t)(wr), (o).calls, (calls_), (o).out,	\
	    (o).err);							\
} while (0)

START_TEST(test_429_with_retry_after)
{
	const char	*sa[] = { "--faults", "rate:1", NULL };
	struct outcome	 o;

	scenario(sa, "3", "3", NULL, NULL, &o);
	/* 3 articles x 2 calls, plus the one that got 429 */
	EXPECT(o, 0, 3, 7);
	ck_assert_msg(strstr(o.err, "HTTP 429") != NULL &&
	    strstr(o.err, "in 1000 ms") != NULL, "%s", o.err);
	ck_assert(o.ms >= 1000);
	outcome_release(&o);
}
END_TEST

START_TEST(test_500_then_success)
{
	const char	*sa[] = { "--faults", "status:500", NULL };
	struct outcome	 o;

	scenario(sa, "3", "3", NULL, NULL, &o);
	EXPECT(o, 0, 3, 7);
	outcome_release(&o);
}
END_TEST

START_TEST(test_500_every_time)
{
	const char	*sa[] = { "--faults", "8*status:500", NULL };
	const char	*env[] = { "RETRY_MAX_ATTEMPTS=1", NULL };
	struct outcome	 o;

	/* 2 articles, 2 attempts each at the HTTP layer, no article retry */
	scenario(sa, "2", "2", NULL, env, &o);
	EXPECT(o, 1, 0, 4);
	ck_assert_ptr_nonnull(strstr(o.out, "HTTP 500"));
	ck_assert_ptr_nonnull(strstr(o.out, "after 2 attempts"));
	outcome_release(&o);
}
END_TEST

START_TEST(test_reply_never_comes)
{
	const char	*sa[] = { "--faults", "hang", NULL };
	const char	*env[] = { "OPENAI_API_TIMEOUT=2", NULL };
	struct outcome	 o;

	scenario(sa, "2", "2", NULL, env, &o);
	/* the hung call times out after 2 s and is retried */
	EXPECT(o, 0, 2, 5);
	ck_assert_msg(strstr(o.err, "no complete reply within 2 s") != NULL,
	    "%s", o.err);
	outcome_release(&o);
}
END_TEST

START_TEST(test_malformed_body)
{
	const char	*sa[] = { "--faults", "malformed", NULL };
	struct outcome	 o;

	/* a 200 that is not a completion is retried like a 5xx */
	scenario(sa, "2", "1", NULL, NULL, &o);
	EXPECT(o, 0, 2, 5);
	ck_assert_msg(strstr(o.err, "not a JSON object") != NULL, "%s", o.err);
	outcome_release(&o);
}
END_TEST

START_TEST(test_truncated_body)
{
	const char	*sa[] = { "--faults", "truncated", NULL };
	struct outcome	 o;

	/* a transfer cut short is a transport error: retried */
	scenario(sa, "2", "1", NULL, NULL, &o);
	EXPECT(o, 0, 2, 5);
	outcome_release(&o);
}
END_TEST

START_TEST(test_401_stops_everything)
{
	const char	*sa[] = { "--faults", "50*status:401", NULL };
	struct outcome	 o;

	scenario(sa, "6", "3", NULL, NULL, &o);
	/* the three first calls are in flight together; none after them */
	ck_assert_msg(o.exit == 69 && o.written == 0 && o.calls <= 3,
	    "exit %d, written %zu, calls %d\n%s\n%s", o.exit, o.written,
	    o.calls, o.out, o.err);
	ck_assert_ptr_nonnull(strstr(o.err, "the API refused the run"));
	ck_assert_ptr_nonnull(strstr(o.err, "check the API key"));
	ck_assert_ptr_nonnull(strstr(o.out, "not started"));
	outcome_release(&o);
}
END_TEST

START_TEST(test_quota_stops_everything)
{
	const char	*sa[] = { "--faults", "50*quota", NULL };
	struct outcome	 o;

	scenario(sa, "4", "1", NULL, NULL, &o);
	EXPECT(o, 69, 0, 1);
	ck_assert_ptr_nonnull(strstr(o.err, "insufficient_quota"));
	outcome_release(&o);
}
END_TEST

START_TEST(test_cost_ceilings)
{
	const char	*env_run[] = { "MAX_COST_PER_RUN=0.0001", NULL };
	const char	*env_art[] = { "MAX_COST_PER_ARTICLE=0.0001", NULL };
	struct outcome	 o;

	/* the first article goes over the run's ceiling: nothing new starts */
	scenario(NULL, "3", "1", NULL, env_run, &o);
	EXPECT(o, 1, 1, 2);
	ck_assert_ptr_nonnull(strstr(o.out, "Cost ceiling"));
	outcome_release(&o);
	/* every article goes over its own ceiling after its first call */
	scenario(NULL, "2", "2", NULL, env_art, &o);
	EXPECT(o, 1, 0, 2);
	ck_assert_ptr_nonnull(strstr(o.out, "MAX_COST_PER_ARTICLE"));
	outcome_release(&o);
}
END_TEST

START_TEST(test_article_timeout)
{
	const char	*sa[] = { "--faults", "slow:6000", NULL };
	const char	*args[] = { "--article-timeout", "2", NULL };
	struct outcome	 o;

	/* the first attempt is stopped at 2 s and retried on a fresh worker */
	scenario(sa, "2", "2", args, NULL, &o);
	EXPECT(o, 0, 2, 5);
	ck_assert_msg(strstr(o.err, "timed out after 2 s") != NULL, "%s",
	    o.err);
	outcome_release(&o);
}
END_TEST

struct kill_ctx {
	pid_t	parent;
	int	want;
};

static int
have_workers(void *arg)
{
	struct kill_ctx	*k = arg;
	pid_t		 pids[16];

	return (children_named(k->parent, "articlegen-worker", pids, 16) >=
	    k->want);
}

/* A stand-in, a work directory and a run of articlegen in the background. */
struct live {
	struct standin	 l_s;
	char		*l_dir;
	char		*l_url;		/* "OPENAI_BASE_URL=..." */
	const char	*l_env[2];
};

/*
 * Start the stand-in with sa, a work directory named after tag, and
 * articlegen with args in the background (b); return once want workers
 * run.
 */
static void
live_start(struct live *l, const char *const sa[], const char *tag,
    const char *const args[], struct bgrun *b, int want)
{
	struct kill_ctx	k;

	standin_start(&l->l_s, sa);
	l->l_dir = e2e_workdir(tag);
	xasprintf(&l->l_url, "OPENAI_BASE_URL=%s", l->l_s.base_url);
	l->l_env[0] = l->l_url;
	l->l_env[1] = NULL;
	bg_start(b, l->l_dir, args, l->l_env);
	k.parent = b->pid;
	k.want = want;
	ck_assert(wait_until(have_workers, &k, 5000));
}

static void
live_end(struct live *l)
{
	free(l->l_url);
	test_rmtree(l->l_dir);
	free(l->l_dir);
	standin_stop(&l->l_s);
}

/* Run twice: workers from the fork server (_i 0), and exec'd (_i 1). */
START_TEST(test_worker_killed_mid_article)
{
	const char	*sa[] = { "--latency-ms", "1500", NULL };
	const char	*args[] = { "--jobs", "3", "-n", "3", "-o", "posts",
	    "--report", "report.json", "--spawn",
	    _i == 0 ? "fork-server" : "exec", "enriched.json", NULL };
	struct live	 l;
	struct bgrun	 b;
	pid_t		 pids[16];
	char		*out, *err, *rp, *report;
	int		 rc;

	live_start(&l, sa, "sigkill", args, &b, 3);
	usleep(300000);		/* inside their first call */
	ck_assert_int_ge(children_named(b.pid, "articlegen-worker", pids, 16),
	    1);
	ck_assert_int_eq(kill(pids[0], SIGKILL), 0);
	rc = bg_wait(&b, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_msg(strstr(err, "killed by signal 9") != NULL, "%s", err);
	ck_assert_ptr_nonnull(strstr(err, "retrying on a fresh worker"));
	ck_assert_uint_eq(articles_in(l.l_dir), 3);
	/* 6 calls, plus the one the killed worker had in flight */
	ck_assert_int_eq(standin_requests(&l.l_s), 7);
	xasprintf(&rp, "%s/report.json", l.l_dir);
	report = test_read_file(rp, NULL);
	ck_assert_ptr_nonnull(report);
	ck_assert_ptr_nonnull(strstr(report, "\"attempts\":2"));
	/* every call the API answered is counted, the killed one's too */
	ck_assert_msg(strstr(report, "\"api_calls\":7") != NULL, "%s",
	    report);
	free(report);
	free(rp);
	free(out);
	free(err);
	live_end(&l);
}
END_TEST

START_TEST(test_sigterm_then_rerun)
{
	const char	*sa[] = { "--latency-ms", "700", NULL };
	const char	*args[] = { "--jobs", "2", "-o", "posts",
	    "enriched.json", NULL };
	struct live	 l;
	struct bgrun	 b;
	char		*out, *err, *list, *posts;
	int		 rc;
	size_t		 first;

	live_start(&l, sa, "sigterm", args, &b, 2);
	usleep(200000);
	ck_assert_int_eq(kill(b.pid, SIGTERM), 0);
	rc = bg_wait(&b, &out, &err);
	/*
	 * the two in flight finish within the grace period, then it ends by
	 * the signal (128 + SIGTERM)
	 */
	ck_assert_msg(rc == 128 + SIGTERM, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_ptr_nonnull(strstr(out, "Interrupted: run again"));
	first = articles_in(l.l_dir);
	ck_assert_msg(first == 2, "%zu written before the stop\n%s\n%s",
	    first, out, err);
	ck_assert_int_eq(standin_requests(&l.l_s), 4);
	free(out);
	free(err);
	/* the second run generates only what is missing */
	rc = run_articlegen(l.l_dir, args, l.l_env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_uint_eq(articles_in(l.l_dir), 9);
	ck_assert_ptr_nonnull(strstr(out, "source_already_published: 2"));
	ck_assert_ptr_nonnull(strstr(out, "Totals: 7 selected, 7 written"));
	ck_assert_int_eq(standin_requests(&l.l_s), 18);
	xasprintf(&posts, "%s/posts", l.l_dir);
	list = list_dir(posts, "-2.md");
	ck_assert_str_eq(list, "");
	free(list);
	free(posts);
	free(out);
	free(err);
	live_end(&l);
}
END_TEST

START_TEST(test_second_signal_stops_at_once)
{
	const char	*sa[] = { "--latency-ms", "3000", NULL };
	const char	*args[] = { "--jobs", "2", "-n", "4", "-o", "posts",
	    "enriched.json", NULL };
	struct live	 l;
	struct bgrun	 b;
	char		*out, *err;
	int64_t		 t0;
	int		 rc;

	live_start(&l, sa, "sigint2", args, &b, 2);
	usleep(200000);
	t0 = monotime_ms();
	kill(b.pid, SIGINT);
	usleep(100000);
	kill(b.pid, SIGINT);
	rc = bg_wait(&b, &out, &err);
	ck_assert_msg(rc == 128 + SIGINT, "exit %d\n%s\n%s", rc, out, err);
	/* well before the 3 s replies would have come */
	ck_assert_msg(monotime_ms() - t0 < 2500, "took %lld ms",
	    (long long)(monotime_ms() - t0));
	ck_assert_uint_eq(articles_in(l.l_dir), 0);
	free(out);
	free(err);
	live_end(&l);
}
END_TEST

START_TEST(test_one_run_per_content_dir)
{
	const char	*sa[] = { "--latency-ms", "1000", NULL };
	const char	*args[] = { "--jobs", "2", "-n", "2", "-o", "posts",
	    "enriched.json", NULL };
	const char	*wargs[] = { "--jobs", "2", "-n", "2", "-o", "posts",
	    "--wait-lock", "enriched.json", NULL };
	struct live	 l;
	struct bgrun	 b;
	char		*out, *err, *out2, *err2;
	int		 rc;

	live_start(&l, sa, "lock", args, &b, 1);
	rc = run_articlegen(l.l_dir, args, l.l_env, &out2, &err2);
	ck_assert_msg(rc == 75, "exit %d\n%s", rc, err2);
	ck_assert_ptr_nonnull(strstr(err2, "another articlegen run"));
	free(out2);
	free(err2);
	/*
	 * Waiting instead: it selects only after the first run has ended,
	 * so it sees that run's articles as published and takes others.
	 */
	rc = run_articlegen(l.l_dir, wargs, l.l_env, &out2, &err2);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out2, err2);
	ck_assert_ptr_nonnull(strstr(err2, "waiting for the other articlegen"));
	ck_assert_ptr_nonnull(strstr(out2, "source_already_published: 2"));
	ck_assert_ptr_nonnull(strstr(out2, "Totals: 2 selected, 2 written"));
	rc = bg_wait(&b, &out, &err);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(articles_in(l.l_dir), 4);
	ck_assert_int_eq(standin_requests(&l.l_s), 8);
	free(out);
	free(err);
	free(out2);
	free(err2);
	live_end(&l);
}
END_TEST

START_TEST(test_429_pauses_every_worker)
{
	/*
	 * The 429 comes back after 200 ms, the other worker's first reply
	 * only after 700 ms: its next call is asked for once the pause is
	 * known, however the two workers' starts are scheduled.
	 */
	const char	*sa[] = { "--faults", "rate:2,4*slow:700",
	    "--latency-ms", "200", NULL };
	const char	*args[] = { "--jobs", "2", "-n", "2", "-o", "posts",
	    "--report", "report.json", "enriched.json", NULL };
	const char	*env[2] = { NULL, NULL };
	struct standin	 s;
	char		*dir, *out, *err, *path, *report, *p;
	double		 secs[2];
	int		 rc, n = 0;

	standin_start(&s, sa);
	dir = e2e_workdir("pause");
	xasprintf(&path, "OPENAI_BASE_URL=%s", s.base_url);
	env[0] = path;
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	free(path);
	xasprintf(&path, "%s/report.json", dir);
	report = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(report);
	for (p = report; n < 2 && (p = strstr(p, "\"seconds\":")) != NULL;
	    p++)
		secs[n++] = strtod(p + 10, NULL);
	ck_assert_int_eq(n, 2);
	/*
	 * One worker got the 429 with Retry-After 2; the other's next call
	 * was held back too, so neither article took less than 2 s (alone
	 * it would have taken 1.4 s).
	 */
	ck_assert_msg(secs[0] >= 2.0 && secs[1] >= 2.0, "seconds %.2f, %.2f",
	    secs[0], secs[1]);
	ck_assert_int_eq(standin_requests(&s), 5);
	free(report);
	free(path);
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
	standin_stop(&s);
}
END_TEST


START_TEST(test_rate_limited_wait_keeps_heartbeats)
{
	const char	*args[] = { "--rpm", "7", "--idle-timeout", "5",
	    "--retries", "0", NULL };
	struct outcome	 o;

	/*
	 * 8 calls at 7 a minute: the eighth waits about 8.6 s for its grant,
	 * longer than the 5 s idle timeout; the waiting worker keeps sending
	 * heartbeats, so it is not taken for a silent one.
	 */
	scenario(NULL, "4", "4", args, NULL, &o);
	EXPECT(o, 0, 4, 8);
	ck_assert(o.ms >= 8000);
	ck_assert_ptr_null(strstr(o.err, "silent"));
	outcome_release(&o);
}
END_TEST

START_TEST(test_signal_while_waiting_for_the_lock)
{
	const char	*sa[] = { "--latency-ms", "2000", NULL };
	const char	*args[] = { "--jobs", "2", "-n", "2", "-o", "posts",
	    "enriched.json", NULL };
	const char	*wargs[] = { "--jobs", "2", "-n", "2", "-o", "posts",
	    "--wait-lock", "enriched.json", NULL };
	struct live	 l;
	struct bgrun	 a, b;
	char		*out, *err;
	int64_t		 t0;
	int		 rc;

	live_start(&l, sa, "lockint", args, &a, 1);
	bg_start(&b, l.l_dir, wargs, l.l_env);
	usleep(500000);
	t0 = monotime_ms();
	ck_assert_int_eq(kill(b.pid, SIGTERM), 0);
	rc = bg_wait(&b, &out, &err);
	ck_assert_msg(rc == 128 + SIGTERM, "exit %d\n%s", rc, err);
	ck_assert_msg(monotime_ms() - t0 < 1500, "took %lld ms",
	    (long long)(monotime_ms() - t0));
	ck_assert_ptr_nonnull(strstr(err, "interrupted while waiting"));
	free(out);
	free(err);
	rc = bg_wait(&a, &out, &err);
	ck_assert_int_eq(rc, 0);
	free(out);
	free(err);
	live_end(&l);
}
END_TEST

Suite *
supervise_suite(void)
{
	Suite	*s = suite_create("supervise");
	TCase	*tc = tcase_create("api");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_429_with_retry_after);
	tcase_add_test(tc, test_500_then_success);
	tcase_add_test(tc, test_500_every_time);
	tcase_add_test(tc, test_reply_never_comes);
	tcase_add_test(tc, test_malformed_body);
	tcase_add_test(tc, test_truncated_body);
	tcase_add_test(tc, test_401_stops_everything);
	tcase_add_test(tc, test_quota_stops_everything);
	tcase_add_test(tc, test_cost_ceilings);
	tcase_add_test(tc, test_429_pauses_every_worker);
	suite_add_tcase(s, tc);
	tc = tcase_create("processes");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_article_timeout);
	tcase_add_loop_test(tc, test_worker_killed_mid_article, 0, 2);
	tcase_add_test(tc, test_sigterm_then_rerun);
	tcase_add_test(tc, test_second_signal_stops_at_once);
	tcase_add_test(tc, test_one_run_per_content_dir);
	tcase_add_test(tc, test_rate_limited_wait_keeps_heartbeats);
	tcase_add_test(tc, test_signal_while_waiting_for_the_lock);
	suite_add_tcase(s, tc);
	return (s);
}
