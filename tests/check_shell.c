/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_shell.c: articlegen among the tools around it.  A shell loop
 * stops at ^C; SIGINT, SIGTERM and SIGHUP end a run gracefully and then
 * by the signal; a FIFO nobody writes cannot hold a run forever; input
 * from standard input, /dev/stdin and process substitution; the report
 * on standard output; one-line usage errors; -q, --progress and
 * TERM=dumb; --check's verdict; an input without a valid item; the
 * --max-duration deadline; unwritable outputs found before any API call.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <json.h>

#include "e2e.h"
#include "tests.h"
#include "util.h"
#include "xmalloc.h"

/* A process started by sh_spawn(): its own process group, its output. */
struct proc {
	pid_t	 pid;
	char	*dir;		/* holds stdout, stderr */
};

/*
 * Start argv (argv[0] a path) from cwd in its own process group with a
 * clean environment plus env, standard input from in (NULL: /dev/null),
 * stdout and stderr to files, and the default disposition of every stop
 * signal, as a terminal's foreground job has.
 */
static void
sh_spawn(struct proc *p, const char *cwd, char *const argv[],
    const char *const env[], const char *in)
{
	char		*envp[40], *outp, *errp;
	sigset_t	 none;
	int		 envc = 0, i, fd;

	p->dir = test_tmpdir("shell-proc");
	xasprintf(&outp, "%s/stdout", p->dir);
	xasprintf(&errp, "%s/stderr", p->dir);
	xasprintf(&envp[envc++], "PATH=%s", getenv("PATH") != NULL ?
	    getenv("PATH") : "/usr/bin:/bin");
	if (getenv("ASAN_OPTIONS") != NULL)
		xasprintf(&envp[envc++], "ASAN_OPTIONS=%s",
		    getenv("ASAN_OPTIONS"));
	for (i = 0; env != NULL && env[i] != NULL && envc < 38; i++)
		envp[envc++] = xstrdup(env[i]);
	/*
	 * No diagram calls unless the test sets DIAGRAMS_MAX itself: the
	 * request counts these tests check are two calls an article.
	 */
	for (i = 0; env != NULL && env[i] != NULL; i++)
		if (strncmp(env[i], "DIAGRAMS_MAX=", 13) == 0)
			break;
	if (env == NULL || env[i] == NULL)
		envp[envc++] = xstrdup("DIAGRAMS_MAX=0");
	/* nor covers (check_covers_e2e.c runs them) unless asked */
	for (i = 0; env != NULL && env[i] != NULL; i++)
		if (strncmp(env[i], "COVER_SOURCES=", 14) == 0)
			break;
	if (env == NULL || env[i] == NULL)
		envp[envc++] = xstrdup("COVER_SOURCES=off");
	envp[envc] = NULL;
	p->pid = fork();
	ck_assert_int_ne(p->pid, -1);
	if (p->pid == 0) {
		(void)setpgid(0, 0);
		(void)signal(SIGINT, SIG_DFL);
		(void)signal(SIGTERM, SIG_DFL);
		(void)signal(SIGHUP, SIG_DFL);
		sigemptyset(&none);
		(void)sigprocmask(SIG_SETMASK, &none, NULL);
		if (chdir(cwd) == -1)
			_exit(126);
		fd = open(in != NULL ? in : "/dev/null", O_RDONLY);
		dup2(fd, STDIN_FILENO);
		fd = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, STDOUT_FILENO);
		fd = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, STDERR_FILENO);
		closefrom(STDERR_FILENO + 1);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	(void)setpgid(p->pid, p->pid);
	for (i = 0; envp[i] != NULL; i++)
		free(envp[i]);
	free(outp);
	free(errp);
}

/*
 * Wait up to ms for p; past that, kill its process group and fail.
 * Returns the wait status and the output (owned).
 */
static int
sh_wait(struct proc *p, int ms, char **out, char **err)
{
	char	*path;
	int	 status = 0, i;
	pid_t	 r = 0;

	for (i = 0; i < ms / 10; i++) {
		if ((r = waitpid(p->pid, &status, WNOHANG)) != 0)
			break;
		usleep(10000);
	}
	if (r == 0) {
		(void)kill(-p->pid, SIGKILL);
		(void)waitpid(p->pid, &status, 0);
	}
	xasprintf(&path, "%s/stdout", p->dir);
	*out = test_read_file(path, NULL);
	free(path);
	xasprintf(&path, "%s/stderr", p->dir);
	*err = test_read_file(path, NULL);
	free(path);
	test_rmtree(p->dir);
	free(p->dir);
	ck_assert_msg(r != 0, "still running after %d ms\n%s\n%s", ms, *out,
	    *err);
	return (status);
}

/* argv for build/articlegen followed by args; free with free_argv(). */
static char **
articlegen_argv(const char *const args[])
{
	char	**argv;
	size_t	  n = 0, i;

	while (args[n] != NULL)
		n++;
	argv = xcalloc(n + 2, sizeof(char *));
	xasprintf(&argv[0], "%s/articlegen", test_builddir());
	for (i = 0; i < n; i++)
		argv[i + 1] = xstrdup(args[i]);
	return (argv);
}

/* argv for bash -c script. */
static char **
bash_argv(const char *script)
{
	char	**argv = xcalloc(4, sizeof(char *));

	argv[0] = xstrdup("/bin/bash");
	argv[1] = xstrdup("-c");
	argv[2] = xstrdup(script);
	return (argv);
}

static void
free_argv(char **argv)
{
	size_t	i;

	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

/* The articles (.md files) in dir/sub. */
static size_t
md_count(const char *dir, const char *sub)
{
	char	*path, *list;
	size_t	 n;

	xasprintf(&path, "%s/%s", dir, sub);
	list = list_dir(path, ".md");
	n = count_lines(list);
	free(list);
	free(path);
	return (n);
}

struct calls_ctx {
	const struct standin	*s;
	int			 want;
};

static int
have_calls(void *arg)
{
	struct calls_ctx	*c = arg;

	return (standin_requests(c->s) >= c->want);
}

/* Wait until the stand-in has seen want requests (articles in flight). */
static void
wait_for_calls(const struct standin *s, int want)
{
	struct calls_ctx	c = { s, want };

	ck_assert_msg(wait_until(have_calls, &c, 10000), "no %d calls", want);
}

/* ^C in a terminal reaches the loop's shell and articlegen together. */
START_TEST(test_ctrl_c_stops_a_shell_loop)
{
	const char	*sa[] = { "--latency-ms", "300", NULL };
	const char	*env[3];
	struct standin	 s;
	struct proc	 p;
	char		*dir, *url, *ag, **argv, *out, *err, *path, *iters;
	int		 st;

	standin_start(&s, sa);
	dir = e2e_workdir("shell-loop");
	xasprintf(&url, "OPENAI_BASE_URL=%s", s.base_url);
	xasprintf(&ag, "AG=%s/articlegen", test_builddir());
	env[0] = url;
	env[1] = ag;
	env[2] = NULL;
	argv = bash_argv("for i in 1 2 3; do echo \"iteration $i\" >> "
	    "iterations; \"$AG\" --jobs 2 -o posts enriched.json; done");
	sh_spawn(&p, dir, argv, env, NULL);
	wait_for_calls(&s, 1);
	ck_assert_int_eq(kill(-p.pid, SIGINT), 0);
	st = sh_wait(&p, 30000, &out, &err);
	xasprintf(&path, "%s/iterations", dir);
	iters = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(iters);
	ck_assert_msg(strcmp(iters, "iteration 1\n") == 0, "the loop went "
	    "on:\n%s", iters);
	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT, "shell "
	    "status %#x\n%.1500s", st, err);
	free(iters);
	free(path);
	free(out);
	free(err);
	free_argv(argv);
	free(url);
	free(ag);
	test_rmtree(dir);
	free(dir);
	standin_stop(&s);
}
END_TEST

/*
 * Each stop signal, as it arrives (^C and a hangup reach the process
 * group, systemd's SIGTERM the main process): the articles in flight
 * finish, the summary is printed, and articlegen ends by that signal.
 */
START_TEST(test_stop_signals_end_by_the_signal)
{
	static const int	 sigs[] = { SIGINT, SIGTERM, SIGHUP };
	const int		 sig = sigs[_i];
	const char		*sa[] = { "--latency-ms", "700", NULL };
	const char		*args[] = { "--jobs", "2", "-o", "posts",
	    "enriched.json", NULL };
	const char		*env[2];
	struct standin		 s;
	struct proc		 p;
	char			*dir, *url, **argv, *out, *err;
	int			 st;

	standin_start(&s, sa);
	dir = e2e_workdir("shell-sig");
	xasprintf(&url, "OPENAI_BASE_URL=%s", s.base_url);
	env[0] = url;
	env[1] = NULL;
	argv = articlegen_argv(args);
	sh_spawn(&p, dir, argv, env, NULL);
	wait_for_calls(&s, 2);
	ck_assert_int_eq(kill(sig == SIGTERM ? p.pid : -p.pid, sig), 0);
	st = sh_wait(&p, 30000, &out, &err);
	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == sig, "signal %d: "
	    "status %#x\n%s\n%s", sig, st, out, err);
	ck_assert_msg(strstr(out, "Interrupted: run again") != NULL,
	    "no summary\n%s\n%s", out, err);
	/* the two in flight were finished, not lost */
	ck_assert_msg(md_count(dir, "posts") == 2, "%zu written\n%s\n%s",
	    md_count(dir, "posts"), out, err);
	ck_assert_int_eq(standin_requests(&s), 4);
	free(out);
	free(err);
	free_argv(argv);
	free(url);
	test_rmtree(dir);
	free(dir);
	standin_stop(&s);
}
END_TEST

/* A FIFO nobody writes, as the price table (_i 0) or the input (_i 1). */
START_TEST(test_signal_while_a_fifo_blocks)
{
	const char	*pargs[] = { "--jobs", "1", "-n", "1", "-o", "posts",
	    "--pricing", "fifo", "enriched.json", NULL };
	const char	*iargs[] = { "--jobs", "1", "-n", "1", "-o", "posts",
	    "fifo", NULL };
	const char	*env[2];
	struct proc	 p;
	char		*dir, *path, **argv, *out, *err;
	int		 st;

	dir = e2e_workdir("shell-fifo");
	xasprintf(&path, "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	env[0] = e2e_env_base_url();
	env[1] = NULL;
	argv = articlegen_argv(_i == 0 ? pargs : iargs);
	sh_spawn(&p, dir, argv, env, NULL);
	usleep(500000);		/* blocked in open(2) */
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	st = sh_wait(&p, 5000, &out, &err);
	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "status "
	    "%#x\n%s\n%s", st, out, err);
	ck_assert_int_eq(standin_requests(&e2e_standin), 0);
	free(out);
	free(err);
	free_argv(argv);
	free((char *)(uintptr_t)env[0]);
	free(path);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* Run script under bash in a work directory; returns the exit code. */
static int
bash_run(const char *dir, const char *script, char **out, char **err)
{
	const char	*env[3];
	struct proc	 p;
	char		**argv, *ag;
	int		 st;

	xasprintf(&ag, "AG=%s/articlegen", test_builddir());
	env[0] = e2e_env_base_url();
	env[1] = ag;
	env[2] = NULL;
	argv = bash_argv(script);
	sh_spawn(&p, dir, argv, env, NULL);
	st = sh_wait(&p, 30000, out, err);
	free_argv(argv);
	free((char *)(uintptr_t)env[0]);
	free(ag);
	ck_assert_msg(WIFEXITED(st), "status %#x", st);
	return (WEXITSTATUS(st));
}

START_TEST(test_input_from_streams_and_report_to_stdout)
{
	static const char *const scripts[] = {
		"cat enriched.json | \"$AG\" --dry-run -n 2 -",
		"cat enriched.json | \"$AG\" --dry-run -n 2 /dev/stdin",
		"\"$AG\" --dry-run -n 2 <(cat enriched.json)",
	};
	struct json_object	*rep, *v;
	char			*dir, *out, *err;
	size_t			 i;
	int			 rc;

	dir = e2e_workdir("shell-stdin");
	for (i = 0; i < nitems(scripts); i++) {
		rc = bash_run(dir, scripts[i], &out, &err);
		ck_assert_msg(rc == 0 && strstr(out, "Dry run: 2 articles") !=
		    NULL, "%s: exit %d\n%s\n%s", scripts[i], rc, out, err);
		free(out);
		free(err);
	}
	/* a run: the JSON report alone on stdout, the summary on stderr */
	rc = bash_run(dir, "cat enriched.json | \"$AG\" --jobs 1 -n 1 -o posts "
	    "--report - -", &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	rep = json_tokener_parse(out);
	ck_assert_msg(rep != NULL && json_object_object_get_ex(rep, "input",
	    &v) && strcmp(json_object_get_string(v), "standard input") == 0,
	    "not the report:\n%s", out);
	ck_assert_ptr_nonnull(strstr(err, "Totals: 1 selected, 1 written"));
	ck_assert_uint_eq(md_count(dir, "posts"), 1);
	json_object_put(rep);
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_usage_errors_are_one_line)
{
	const char	*bogus[] = { "--bogus", NULL };
	const char	*noval[] = { "--jobs", NULL };
	const char	*badval[] = { "-n", "many", NULL };
	const char	*two[] = { "a.json", "b.json", NULL };
	const char	*badshort[] = { "-Z", NULL };
	const char *const *cases[] = { bogus, noval, badval, two, badshort };
	const char	*what[] = { "--bogus", "--jobs", "many", "b.json",
	    "-Z" };
	char		*dir, *out, *err;
	size_t		 i;
	int		 rc;

	dir = e2e_workdir("shell-usage");
	for (i = 0; i < nitems(cases); i++) {
		rc = run_articlegen(dir, cases[i], NULL, &out, &err);
		ck_assert_msg(rc == 64 && count_lines(err) == 1 &&
		    strstr(err, what[i]) != NULL && strstr(err,
		    "articlegen --help") != NULL, "case %zu: exit %d\n%s", i,
		    rc, err);
		ck_assert_str_eq(out, "");
		free(out);
		free(err);
	}
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_quiet_shows_warnings_only)
{
	const char	*args[] = { "-q", "--jobs", "2", "-n", "2", "-o", "posts",
	    "enriched.json", NULL };
	const char	*env[2];
	char		*dir, *out, *err;
	int		 rc;

	dir = e2e_workdir("shell-quiet");
	env[0] = e2e_env_base_url();
	env[1] = NULL;
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s", rc, err);
	/* the sample's invalid items are warned about; nothing else is */
	ck_assert_msg(strstr(err, "skipped") != NULL && strstr(err,
	    "parallel:") == NULL && strstr(err, "wrote") == NULL &&
	    strstr(err, "indexed") == NULL, "%s", err);
	ck_assert_ptr_nonnull(strstr(out, "Totals: 2 selected, 2 written"));
	free(out);
	free(err);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* Run script on a terminal (script(1)); returns what the terminal got. */
static char *
on_terminal(const char *dir, const char *term, const char *cmd)
{
	char	*script, *out, *err;
	int	 rc;

	xasprintf(&script, "TERM=%s script -qec '%s' /dev/null", term, cmd);
	rc = bash_run(dir, script, &out, &err);
	ck_assert_msg(rc == 0, "%s: exit %d\n%s\n%s", script, rc, out, err);
	free(script);
	free(err);
	return (out);
}

START_TEST(test_progress_line_choices)
{
	const char	*args[] = { "--progress", "--jobs", "2", "-n", "2",
	    "-o", "p1", "enriched.json", NULL };
	const char	*env[2];
	char		*dir, *out, *err;
	int		 rc;

	if (system("command -v script >/dev/null 2>&1") != 0)
		return;
	dir = e2e_workdir("shell-progress");
	env[0] = e2e_env_base_url();
	env[1] = NULL;
	/* --progress draws it even into a file */
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0 && strstr(err, "running, ") != NULL, "exit %d\n"
	    "%s", rc, err);
	free(out);
	free(err);
	/* on a terminal: by default yes, not with --no-progress or dumb */
	out = on_terminal(dir, "xterm", "\"$AG\" --jobs 2 -n 2 -o p2 "
	    "enriched.json");
	ck_assert_msg(strstr(out, "running, ") != NULL, "%s", out);
	free(out);
	out = on_terminal(dir, "xterm", "\"$AG\" --no-progress --jobs 2 -n 2 "
	    "-o p3 enriched.json");
	ck_assert_msg(strstr(out, "running, ") == NULL, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "Totals: 2 selected, 2 written"));
	free(out);
	out = on_terminal(dir, "dumb", "\"$AG\" --jobs 2 -n 2 -o p4 "
	    "enriched.json");
	ck_assert_msg(strstr(out, "running, ") == NULL && strstr(out,
	    "\033[K") == NULL, "%s", out);
	free(out);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_check_fails_when_a_run_would)
{
	const char	*check[] = { "--check", NULL };
	const char	*badprice[] = { "--check", "--pricing", "none.json",
	    NULL };
	const char	*env[2];
	char		*dir, *out, *err;
	int		 rc;

	dir = e2e_workdir("shell-check");
	/* the default API and no key: a run would stop at once */
	rc = run_articlegen(dir, check, NULL, &out, &err);
	ck_assert_msg(rc == 78 && strstr(out, "check: PROBLEMS FOUND") !=
	    NULL && strstr(out, "check: ok") == NULL, "exit %d\n%s", rc, out);
	ck_assert_ptr_nonnull(strstr(out, "API key:       FAILED"));
	free(out);
	free(err);
	/* a local server needs no key; a missing price table fails */
	env[0] = e2e_env_base_url();
	env[1] = NULL;
	rc = run_articlegen(dir, check, env, &out, &err);
	ck_assert_msg(rc == 0 && strstr(out, "check: ok") != NULL, "exit %d\n"
	    "%s", rc, out);
	free(out);
	free(err);
	rc = run_articlegen(dir, badprice, env, &out, &err);
	ck_assert_msg(rc == 78 && strstr(out, "prices:        FAILED") !=
	    NULL, "exit %d\n%s", rc, out);
	free(out);
	free(err);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_no_valid_item_is_a_data_error)
{
	const char	*args[] = { "-o", "posts", "invalid.json", NULL };
	const char	*dry[] = { "--dry-run", "invalid.json", NULL };
	const char	*env[2];
	char		*dir, *path, *out, *err;
	int		 rc;

	dir = e2e_workdir("shell-invalid");
	xasprintf(&path, "%s/invalid.json", dir);
	ck_assert_int_eq(test_write_file(path, "{\"items\": [{\"id\": \"a\"}, "
	    "{\"title\": 3}]}\n"), 0);
	env[0] = e2e_env_base_url();
	env[1] = NULL;
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 65 && strstr(err, "none of its 2 items is valid")
	    != NULL, "exit %d\n%s", rc, err);
	free(out);
	free(err);
	rc = run_articlegen(dir, dry, env, &out, &err);
	ck_assert_int_eq(rc, 65);
	free(out);
	free(err);
	ck_assert_int_eq(standin_requests(&e2e_standin), 0);
	free((char *)(uintptr_t)env[0]);
	free(path);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* The deadline from the flag (_i 0) or the environment (_i 1). */
START_TEST(test_max_duration_stops_the_run)
{
	const char	*sa[] = { "--latency-ms", "600", NULL };
	const char	*fargs[] = { "--jobs", "2", "-o", "posts",
	    "--max-duration", "1", "enriched.json", NULL };
	const char	*eargs[] = { "--jobs", "2", "-o", "posts",
	    "enriched.json", NULL };
	const char	*env[3];
	struct standin	 s;
	char		*dir, *url, *out, *err;
	int64_t		 t0;
	int		 rc, calls;

	standin_start(&s, sa);
	dir = e2e_workdir("shell-deadline");
	xasprintf(&url, "OPENAI_BASE_URL=%s", s.base_url);
	env[0] = url;
	env[1] = _i == 1 ? "ARTICLEGEN_MAX_DURATION=1" : NULL;
	env[2] = NULL;
	t0 = monotime_ms();
	rc = run_articlegen(dir, _i == 0 ? fargs : eargs, env, &out, &err);
	ck_assert_msg(rc == 75, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_msg(monotime_ms() - t0 < 6000, "took %lld ms",
	    (long long)(monotime_ms() - t0));
	ck_assert_ptr_nonnull(strstr(err, "--max-duration"));
	ck_assert_ptr_nonnull(strstr(out, "Interrupted: run again"));
	/* in-flight articles finished; not all nine were started */
	calls = standin_requests(&s);
	ck_assert_msg(calls >= 2 && calls < 18 && (size_t)calls ==
	    2 * md_count(dir, "posts"), "%d calls, %zu written", calls,
	    md_count(dir, "posts"));
	free(out);
	free(err);
	free(url);
	test_rmtree(dir);
	free(dir);
	standin_stop(&s);
}
END_TEST

/*
 * A content directory no file can be created in (sysfs refuses root
 * too) and a ledger path that is a directory: exit 73, no API call.
 */
START_TEST(test_unwritable_outputs_cost_nothing)
{
	const char	*sysdir[] = { "--jobs", "2", "-n", "2", "-o",
	    "/sys/kernel", "enriched.json", NULL };
	const char	*ledger[] = { "--jobs", "2", "-n", "2", "-o", "posts",
	    "--ledger", "adir", "enriched.json", NULL };
	const char	*env[2];
	struct stat	 st;
	char		*dir, *path, *out, *err;
	int		 rc;

	if (stat("/sys/kernel", &st) == -1 || !S_ISDIR(st.st_mode))
		return;
	dir = e2e_workdir("shell-unwritable");
	env[0] = e2e_env_base_url();
	env[1] = NULL;
	rc = run_articlegen(dir, sysdir, env, &out, &err);
	ck_assert_msg(rc == 73 && strstr(err, "/sys/kernel") != NULL,
	    "exit %d\n%s", rc, err);
	ck_assert_int_eq(standin_requests(&e2e_standin), 0);
	free(out);
	free(err);
	xasprintf(&path, "%s/adir", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	rc = run_articlegen(dir, ledger, env, &out, &err);
	ck_assert_msg(rc == 73 && strstr(err, "adir") != NULL, "exit %d\n%s",
	    rc, err);
	ck_assert_int_eq(standin_requests(&e2e_standin), 0);
	ck_assert_uint_eq(md_count(dir, "posts"), 0);
	free(out);
	free(err);
	free(path);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

Suite *
shell_suite(void)
{
	Suite	*s = suite_create("shell");
	TCase	*tc;

	tc = tcase_create("signals");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_ctrl_c_stops_a_shell_loop);
	tcase_add_loop_test(tc, test_stop_signals_end_by_the_signal, 0, 3);
	tcase_add_loop_test(tc, test_max_duration_stops_the_run, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("surroundings");
	tcase_add_checked_fixture(tc, e2e_setup_standin, e2e_teardown_standin);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_signal_while_a_fifo_blocks, 0, 2);
	tcase_add_test(tc, test_input_from_streams_and_report_to_stdout);
	tcase_add_test(tc, test_usage_errors_are_one_line);
	tcase_add_test(tc, test_quiet_shows_warnings_only);
	tcase_add_test(tc, test_progress_line_choices);
	tcase_add_test(tc, test_check_fails_when_a_run_would);
	tcase_add_test(tc, test_no_valid_item_is_a_data_error);
	tcase_add_test(tc, test_unwritable_outputs_cost_nothing);
	suite_add_tcase(s, tc);
	return (s);
}
