/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_workers.c: what articlegen does with workers that misbehave on
 * their protocol channel: over-long lines, garbage, a wrong protocol
 * version, a result for another job, a flood of progress lines, output
 * after the result, silence, and a worker that cannot be executed.  The
 * misbehaving worker is build/fake-worker under a telling name.
 */
#include <sys/stat.h>

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

struct wrun {
	int	 exit;
	size_t	 written;
	int64_t	 ms;
	char	*out;
	char	*err;
};

/* Run 2 articles with 2 workers named fake-worker-<how>. */
static void
run_fake(const char *how, const char *const more[], struct wrun *w)
{
	const char	*args[20], *env[2] = { NULL, NULL };
	char		*dir, *link, *target, *posts, *list;
	int		 a = 0, i;
	int64_t		 t0;

	dir = e2e_workdir("workers");
	xasprintf(&link, "%s/fake-worker-%s", dir, how);
	xasprintf(&target, "%s/fake-worker", test_builddir());
	ck_assert_int_eq(symlink(target, link), 0);
	args[a++] = "--worker";
	args[a++] = link;
	args[a++] = "--jobs";
	args[a++] = "2";
	args[a++] = "-n";
	args[a++] = "2";
	args[a++] = "-o";
	args[a++] = "posts";
	for (i = 0; more != NULL && more[i] != NULL; i++)
		args[a++] = more[i];
	args[a++] = "enriched.json";
	args[a] = NULL;
	env[0] = "OPENAI_BASE_URL=http://127.0.0.1:9/v1";
	t0 = monotime_ms();
	w->exit = run_articlegen(dir, args, env, &w->out, &w->err);
	w->ms = monotime_ms() - t0;
	xasprintf(&posts, "%s/posts", dir);
	list = list_dir(posts, ".md");
	w->written = count_lines(list);
	free(list);
	list = list_dir(posts, NULL);
	ck_assert_msg(strcmp(list, "") == 0, "left behind: %s", list);
	free(list);
	free(posts);
	free(link);
	free(target);
	test_rmtree(dir);
	free(dir);
}

static void
wrun_release(struct wrun *w)
{
	free(w->out);
	free(w->err);
}

#define CHECK_FAILS(w, reason) do {					\
	ck_assert_msg((w).exit == 1 && (w).written == 0 &&		\
	    strstr((w).out, (reason)) != NULL, "exit %d, written %zu, "	\
	    "want '%s'\n%s\n%s", (w).exit, (w).written, (reason),	\
	    (w).out, (w).err);						\
} while (0)

START_TEST(test_overlong_line)
{
	const char	*more[] = { "--retries", "1", NULL };
	struct wrun	 w;

	run_fake("longline", more, &w);
	CHECK_FAILS(w, "line longer than the protocol's cap");
	/* retried once on a fresh worker, then given up */
	ck_assert_ptr_nonnull(strstr(w.out, "(2 attempts)"));
	wrun_release(&w);
}
END_TEST

START_TEST(test_garbage)
{
	const char	*more[] = { "--retries", "0", NULL };
	struct wrun	 w;

	run_fake("garbage", more, &w);
	CHECK_FAILS(w, "protocol error: not valid JSON");
	wrun_release(&w);
}
END_TEST

START_TEST(test_result_for_another_job)
{
	const char	*more[] = { "--retries", "0", NULL };
	struct wrun	 w;

	run_fake("wrongid", more, &w);
	CHECK_FAILS(w, "'result' for job 100");
	wrun_release(&w);
}
END_TEST

START_TEST(test_flood_of_progress)
{
	const char	*more[] = { "--retries", "0", NULL };
	struct wrun	 w;

	run_fake("flood", more, &w);
	CHECK_FAILS(w, "exited with status 1 without a result");
	/* 100,000 lines are read without a hitch */
	ck_assert_msg(w.ms < 10000, "took %lld ms", (long long)w.ms);
	wrun_release(&w);
}
END_TEST

START_TEST(test_output_after_result)
{
	struct wrun	 w;

	run_fake("afterresult", NULL, &w);
	/* the articles it reported are counted; the junk is logged */
	ck_assert_msg(w.exit == 0 && w.written == 2, "exit %d, written %zu\n"
	    "%s\n%s", w.exit, w.written, w.out, w.err);
	ck_assert_msg(strstr(w.err, "after its last job") != NULL, "%s",
	    w.err);
	wrun_release(&w);
}
END_TEST

START_TEST(test_silent_worker)
{
	const char	*more[] = { "--retries", "0", "--idle-timeout", "1",
	    NULL };
	struct wrun	 w;

	run_fake("silent", more, &w);
	CHECK_FAILS(w, "worker silent for 1 s");
	ck_assert_msg(w.ms < 10000, "took %lld ms", (long long)w.ms);
	wrun_release(&w);
}
END_TEST

START_TEST(test_wrong_version_stops_the_run)
{
	struct wrun	 w;

	run_fake("badversion", NULL, &w);
	ck_assert_msg(w.exit == 70 && w.written == 0, "exit %d\n%s\n%s",
	    w.exit, w.out, w.err);
	ck_assert_ptr_nonnull(strstr(w.err, "another protocol version"));
	/* no respawn storm: it stopped at once */
	ck_assert_msg(w.ms < 5000, "took %lld ms", (long long)w.ms);
	wrun_release(&w);
}
END_TEST

START_TEST(test_worker_cannot_be_executed)
{
	const char	*args[] = { "--worker", "broken-worker", "--jobs", "2",
	    "-n", "2", "-o", "posts", "enriched.json", NULL };
	const char	*env[] = { "OPENAI_BASE_URL=http://127.0.0.1:9/v1",
	    NULL };
	char		*dir, *path, *out, *err;
	int		 rc;

	dir = e2e_workdir("noexec");
	xasprintf(&path, "%s/broken-worker", dir);
	ck_assert_int_eq(test_write_file(path, "#!/nonexistent/interpreter\n"),
	    0);
	ck_assert_int_eq(chmod(path, 0755), 0);
	free(path);
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 70, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_ptr_nonnull(strstr(err, "the worker cannot start"));
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* 1 when any process's command line or our children's mention s. */
static int
argv_mentions(const char *s)
{
	char	*cmd, *path, *data;
	int	 found;

	path = test_tmpdir("argv");
	xasprintf(&cmd, "cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' ' "
	    "> '%s/all'", path);
	(void)system(cmd);
	free(cmd);
	xasprintf(&cmd, "%s/all", path);
	data = test_read_file(cmd, NULL);
	free(cmd);
	found = data != NULL && strstr(data, s) != NULL;
	free(data);
	test_rmtree(path);
	free(path);
	return (found);
}

struct kids {
	pid_t	parent;
};

static int
has_workers(void *arg)
{
	struct kids	*k = arg;
	pid_t		 pids[8];

	return (children_named(k->parent, "articlegen-worker", pids, 8) > 0);
}

START_TEST(test_key_goes_nowhere)
{
	static const char secret[] = "sk-hostile-SECRET-51f0c2";
	const char	*sa[] = { "--latency-ms", "800", NULL };
	const char	*args[] = { "-vv", "--jobs", "2", "-n", "3", "-o",
	    "posts", "--report", "report.json", "--ledger", "ledger.jsonl",
	    "enriched.json", NULL };
	const char	*env[3] = { NULL, NULL, NULL };
	struct standin	 s;
	struct bgrun	 b;
	struct kids	 k;
	char		*dir, *out, *err, *cmd, *envkey;
	int		 rc;

	standin_start(&s, sa);
	dir = e2e_workdir("secret2");
	xasprintf(&out, "OPENAI_BASE_URL=%s", s.base_url);
	xasprintf(&envkey, "OPENAI_API_KEY=%s", secret);
	env[0] = out;
	env[1] = envkey;
	bg_start(&b, dir, args, env);
	free(out);
	k.parent = b.pid;
	ck_assert(wait_until(has_workers, &k, 5000));
	/* while workers run: in no process's argv */
	ck_assert_int_eq(argv_mentions("SECRET-51f0c2"), 0);
	rc = bg_wait(&b, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	/* not in any log line or the summary */
	ck_assert_ptr_null(strstr(out, "SECRET"));
	ck_assert_ptr_null(strstr(err, "SECRET"));
	/* not in the report, the ledger, the articles: no file at all */
	xasprintf(&cmd, "grep -r -l SECRET '%s'", dir);
	ck_assert_int_ne(system(cmd), 0);
	free(cmd);
	xasprintf(&cmd, "test -s '%s/report.json' && test -s "
	    "'%s/ledger.jsonl'", dir, dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(out);
	free(err);
	free(envkey);
	test_rmtree(dir);
	free(dir);
	standin_stop(&s);
}
END_TEST

START_TEST(test_result_after_stop_is_not_reused)
{
	const char	*more[] = { "--retries", "0", "--idle-timeout", "1",
	    "-n", "3", NULL };
	struct wrun	 w;

	/*
	 * Each worker is stopped for silence, then delivers its result: the
	 * result counts, and the worker is not handed another article (it
	 * is on its way out).
	 */
	run_fake("lateresult", more, &w);
	ck_assert_msg(w.exit == 0 && w.written == 3, "exit %d, written %zu\n"
	    "%s\n%s", w.exit, w.written, w.out, w.err);
	wrun_release(&w);
}
END_TEST

START_TEST(test_descendant_holding_the_pipes)
{
	const char	*args[] = { "--worker", "wrapper.sh", "--jobs", "2", "-n",
	    "2", "-o", "posts", "enriched.json", NULL };
	const char	*env[2] = { NULL, NULL };
	char		*dir, *path, *script, *out, *err;
	int64_t		 t0;
	int		 rc;

	/* a wrapper whose child outlives the worker, holding its stdout */
	dir = e2e_workdir("wrapper");
	xasprintf(&path, "%s/wrapper.sh", dir);
	xasprintf(&script, "#!/bin/sh\nsleep 30 &\nexec '%s/articlegen-worker' "
	    "\"$@\"\n", test_builddir());
	ck_assert_int_eq(test_write_file(path, script), 0);
	ck_assert_int_eq(chmod(path, 0755), 0);
	free(script);
	free(path);
	env[0] = e2e_env_base_url();
	t0 = monotime_ms();
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_msg(monotime_ms() - t0 < 15000, "took %lld ms",
	    (long long)(monotime_ms() - t0));
	ck_assert_ptr_nonnull(strstr(err, "still holds its output open"));
	free(out);
	free(err);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* Articles in dir/posts. */
static size_t
posts_in(const char *dir)
{
	char	*posts, *list;
	size_t	 n;

	xasprintf(&posts, "%s/posts", dir);
	list = list_dir(posts, ".md");
	n = count_lines(list);
	free(list);
	free(posts);
	return (n);
}

START_TEST(test_fork_server_falls_back_to_exec)
{
	const char	*args[] = { "--worker", "wrapper.sh", "--jobs", "3", "-n",
	    "3", "-o", "posts", "enriched.json", NULL };
	const char	*env[2] = { NULL, NULL };
	char		*dir, *path, *script, *out, *err;
	int		 rc;

	/* a worker that refuses to be a fork server */
	dir = e2e_workdir("nofs");
	xasprintf(&path, "%s/wrapper.sh", dir);
	xasprintf(&script, "#!/bin/sh\n[ \"$1\" = -F ] && exit 3\n"
	    "exec '%s/articlegen-worker' \"$@\"\n", test_builddir());
	ck_assert_int_eq(test_write_file(path, script), 0);
	ck_assert_int_eq(chmod(path, 0755), 0);
	free(script);
	free(path);
	env[0] = e2e_env_base_url();
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_uint_eq(posts_in(dir), 3);
	ck_assert_msg(strstr(err, "starting workers with fork and exec") !=
	    NULL, "%s", err);
	free(out);
	free(err);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/*
 * Run 3 articles with 3 jobs through a wrapper that makes the fork server
 * fake-worker-<how> and every executed worker a real one.  Returns the
 * exit code and the output (owned); *ms how long it took, *posts how many
 * articles were written.
 */
static int
run_bad_server(const char *how, char **out, char **err, int64_t *ms,
    size_t *posts)
{
	const char	*args[] = { "--worker", "wrapper.sh", "--jobs", "3", "-n",
	    "3", "-o", "posts", "enriched.json", NULL };
	const char	*env[2] = { NULL, NULL };
	char		*dir, *path, *script;
	int64_t		 t0;
	int		 rc;

	dir = e2e_workdir(how);
	xasprintf(&path, "%s/fake-worker-%s", dir, how);
	xasprintf(&script, "%s/fake-worker", test_builddir());
	ck_assert_int_eq(symlink(script, path), 0);
	free(script);
	free(path);
	xasprintf(&path, "%s/wrapper.sh", dir);
	xasprintf(&script, "#!/bin/sh\n[ \"$1\" = -F ] && exec '%s/"
	    "fake-worker-%s' -F\nexec '%s/articlegen-worker' \"$@\"\n",
	    dir, how, test_builddir());
	ck_assert_int_eq(test_write_file(path, script), 0);
	ck_assert_int_eq(chmod(path, 0755), 0);
	free(script);
	free(path);
	env[0] = e2e_env_base_url();
	t0 = monotime_ms();
	rc = run_articlegen(dir, args, env, out, err);
	*ms = monotime_ms() - t0;
	*posts = posts_in(dir);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
	return (rc);
}

/*
 * A fork server that names itself as each worker's pid: the real workers
 * it forks say otherwise in their ready, articlegen drops them, and the
 * articles are retried on executed workers.  Nothing hangs.
 */
START_TEST(test_lying_fork_server_does_not_hang)
{
	char	*out, *err;
	int64_t	 ms;
	size_t	 posts;
	int	 rc;

	rc = run_bad_server("liar", &out, &err, &ms, &posts);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_msg(ms < 20000, "took %lld ms", (long long)ms);
	ck_assert_uint_eq(posts, 3);
	ck_assert_msg(strstr(err, "but the worker started is pid") != NULL,
	    "%s", err);
	free(out);
	free(err);
}
END_TEST

/*
 * A fork server that answers late: articlegen gives it up after 2 s and
 * executes the worker on fresh pipes, so the worker the server forked
 * anyway on the old ones cannot get in the way.
 */
START_TEST(test_late_fork_server_gets_fresh_pipes)
{
	char	*out, *err;
	int64_t	 ms;
	size_t	 posts;
	int	 rc;

	rc = run_bad_server("late", &out, &err, &ms, &posts);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_uint_eq(posts, 3);
	ck_assert_msg(strstr(err, "no answer from the fork server in 2000 ms")
	    != NULL, "%s", err);
	ck_assert_msg(strstr(err, "protocol error") == NULL &&
	    strstr(err, "still holds its output") == NULL, "%s", err);
	free(out);
	free(err);
}
END_TEST

struct adopt {
	pid_t	parent;
};

static int
four_workers(void *arg)
{
	struct adopt	*a = arg;
	pid_t		 pids[16];

	return (children_named(a->parent, "articlegen-worker", pids, 16) >= 4);
}

START_TEST(test_forked_workers_are_children)
{
	const char	*sa[] = { "--latency-ms", "600", NULL };
	const char	*args[] = { "--jobs", "4", "-n", "4", "-o", "posts",
	    "enriched.json", NULL };
	const char	*env[2] = { NULL, NULL };
	struct standin	 s;
	struct bgrun	 b;
	struct adopt	 a;
	char		*dir, *url, *out, *err;
	int		 rc;

	/*
	 * Three of the four workers come from the fork server, through a
	 * helper that exits at once: articlegen, a child subreaper, must be
	 * their parent while they work.
	 */
	standin_start(&s, sa);
	dir = e2e_workdir("adopt");
	xasprintf(&url, "OPENAI_BASE_URL=%s", s.base_url);
	env[0] = url;
	bg_start(&b, dir, args, env);
	a.parent = b.pid;
	ck_assert_msg(wait_until(four_workers, &a, 5000), "fewer than four "
	    "workers are children of articlegen");
	rc = bg_wait(&b, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_uint_eq(posts_in(dir), 4);
	ck_assert_ptr_null(strstr(err, "fork server"));
	free(out);
	free(err);
	free(url);
	test_rmtree(dir);
	free(dir);
	standin_stop(&s);
}
END_TEST

/* The same articles, whichever way the workers are started. */
START_TEST(test_spawn_modes_agree)
{
	const char	*fs[] = { "--spawn", "fork-server", "--jobs", "4", "-o",
	    "posts", "enriched.json", NULL };
	const char	*ex[] = { "--spawn", "exec", "--jobs", "4", "-o",
	    "posts", "enriched.json", NULL };
	const char	*env[2] = { NULL, NULL };
	char		*d1, *d2, *p1, *p2, *l1, *l2, *out, *err;
	int		 rc;

	env[0] = e2e_env_base_url();
	d1 = e2e_workdir("spawnfs");
	d2 = e2e_workdir("spawnex");
	rc = run_articlegen(d1, fs, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	free(out);
	free(err);
	rc = run_articlegen(d2, ex, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_ptr_null(strstr(err, "fork server"));
	free(out);
	free(err);
	xasprintf(&p1, "%s/posts", d1);
	xasprintf(&p2, "%s/posts", d2);
	l1 = list_dir(p1, ".md");
	l2 = list_dir(p2, ".md");
	ck_assert_uint_eq(count_lines(l1), 9);
	ck_assert_str_eq(l1, l2);
	free(l1);
	free(l2);
	free(p1);
	free(p2);
	test_rmtree(d1);
	test_rmtree(d2);
	free(d1);
	free(d2);
	free((char *)(uintptr_t)env[0]);
}
END_TEST

Suite *
workers_suite(void)
{
	Suite	*s = suite_create("workers");
	TCase	*tc = tcase_create("misbehaving");
	TCase	*tc2;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_overlong_line);
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_result_for_another_job);
	tcase_add_test(tc, test_flood_of_progress);
	tcase_add_test(tc, test_output_after_result);
	tcase_add_test(tc, test_silent_worker);
	tcase_add_test(tc, test_wrong_version_stops_the_run);
	tcase_add_test(tc, test_worker_cannot_be_executed);
	tcase_add_test(tc, test_key_goes_nowhere);
	tcase_add_test(tc, test_result_after_stop_is_not_reused);
	tc2 = tcase_create("standin");
	tcase_add_checked_fixture(tc2, e2e_setup_standin, e2e_teardown_standin);
	tcase_set_timeout(tc2, 60);
	tcase_add_test(tc2, test_descendant_holding_the_pipes);
	tcase_add_test(tc2, test_fork_server_falls_back_to_exec);
	tcase_add_test(tc2, test_lying_fork_server_does_not_hang);
	tcase_add_test(tc2, test_late_fork_server_gets_fresh_pipes);
	tcase_add_test(tc2, test_forked_workers_are_children);
	tcase_add_test(tc2, test_spawn_modes_agree);
	suite_add_tcase(s, tc2);
	suite_add_tcase(s, tc);
	return (s);
}
