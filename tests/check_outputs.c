/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_outputs.c: what a run writes and prints, end to end against the
 * stand-in: a cost ledger, a report or a summary that cannot be written
 * fails the run; the report goes to devices and standard output as
 * named; an item id cannot forge lines, workflow commands or terminal
 * sequences; a key a server echoes never reaches an output; and the
 * progress line follows --progress, TERM and -q.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "e2e.h"
#include "log.h"
#include "output.h"
#include "run.h"
#include "tests.h"
#include "util.h"
#include "xmalloc.h"

/*
 * Run build/articlegen in cwd with env and its standard output on
 * stdout_path (opened for writing as it is, /dev/full included), or
 * closed when stdout_path is NULL; its stderr is returned in *err
 * (owned).  Returns the exit code.
 */
static int
run_stdout_to(const char *cwd, const char *const args[],
    const char *const env[], const char *stdout_path, char **err)
{
	char	*argv[40], *envp[40], *dir, *errp;
	int	 argc = 0, envc = 0, i, fd, status;
	pid_t	 pid;

	dir = test_tmpdir("stdout-to");
	xasprintf(&errp, "%s/stderr", dir);
	xasprintf(&argv[argc++], "%s/articlegen", test_builddir());
	for (i = 0; args[i] != NULL && argc < 38; i++)
		argv[argc++] = xstrdup(args[i]);
	argv[argc] = NULL;
	xasprintf(&envp[envc++], "PATH=%s", getenv("PATH") != NULL ?
	    getenv("PATH") : "/usr/bin:/bin");
	if (getenv("ASAN_OPTIONS") != NULL)
		xasprintf(&envp[envc++], "ASAN_OPTIONS=%s",
		    getenv("ASAN_OPTIONS"));
	for (i = 0; env[i] != NULL && envc < 38; i++)
		envp[envc++] = xstrdup(env[i]);
	envp[envc] = NULL;
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		if (chdir(cwd) == -1)
			_exit(126);
		fd = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, STDERR_FILENO);
		if (stdout_path == NULL)
			close(STDOUT_FILENO);
		else {
			fd = open(stdout_path, O_WRONLY);
			dup2(fd, STDOUT_FILENO);
		}
		closefrom(STDERR_FILENO + 1);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	*err = test_read_file(errp, NULL);
	ck_assert_ptr_nonnull(*err);
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	for (i = 0; envp[i] != NULL; i++)
		free(envp[i]);
	free(errp);
	test_rmtree(dir);
	free(dir);
	return (WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
	    WTERMSIG(status));
}

START_TEST(test_ledger_that_cannot_be_written)
{
	const char	*args[] = { "-n", "1", "-o", "posts", "--ledger", NULL,
	    "--report", "report.json", "enriched.json", NULL };
	const char	*env[] = { NULL, NULL };
	char		*dir, *out, *err, *report, *ledgerdir;
	int		 rc;

	dir = e2e_workdir("ledger-full");
	env[0] = e2e_env_base_url();
	/* a full disk */
	args[5] = "/dev/full";
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == EXIT_IOERR, "exit %d: %s", rc, err);
	ck_assert_msg(strstr(out, "Totals: 1 selected, 1 written") != NULL,
	    "%s", out);
	ck_assert_msg(strstr(out, "Cost ledger: 1 failure, costs not "
	    "recorded: /dev/full: No space left on device") != NULL, "%s", out);
	xasprintf(&report, "%s/report.json", dir);
	free(out);
	out = test_read_file(report, NULL);
	ck_assert_ptr_nonnull(out);
	ck_assert_msg(strstr(out, "\"exit_code\":74") != NULL &&
	    strstr(out, "\"failures\":1") != NULL, "%s", out);
	free(out);
	free(err);
	/* a directory: found before any API call (exit 73, nothing written) */
	xasprintf(&ledgerdir, "%s/ledger.d", dir);
	ck_assert_int_eq(mkdir(ledgerdir, 0755), 0);
	args[3] = "posts2";
	args[5] = "ledger.d";
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == EXIT_CANTCREAT, "exit %d: %s", rc, err);
	ck_assert_msg(strstr(err, "ledger.d") != NULL &&
	    strstr(err, "nothing was generated") != NULL, "%s", err);
	free(out);
	free(err);
	free(ledgerdir);
	free(report);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_report_to_devices_and_stdout)
{
	const char	*args[] = { "-n", "1", "-o", "posts", "--report", NULL,
	    "enriched.json", NULL };
	const char	*env[] = { NULL, NULL };
	struct stat	 st;
	char		*dir, *out, *err, *names;
	int		 rc, replaced;

	dir = e2e_workdir("report-dev");
	env[0] = e2e_env_base_url();
	/* /dev/stdout is written through, not replaced */
	args[5] = "/dev/stdout";
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
	ck_assert_msg(strstr(out, "Totals: 1 selected") != NULL &&
	    strstr(out, "\"exit_code\":0") != NULL &&
	    strstr(out, "\"written\":1") != NULL, "%s", out);
	/*
	 * Run as root, a build with the old bug renames a regular file
	 * over /dev/stdout: put the link back before failing.
	 */
	replaced = lstat("/dev/stdout", &st) == 0 && !S_ISLNK(st.st_mode);
	if (replaced && unlink("/dev/stdout") == 0)
		(void)symlink("/proc/self/fd/1", "/dev/stdout");
	ck_assert_msg(!replaced, "/dev/stdout was replaced");
	free(out);
	free(err);
	/*
	 * "-" is standard output, which then holds the report alone (it can
	 * be piped to a JSON reader); the summary goes to stderr
	 */
	args[3] = "posts2";
	args[5] = "-";
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
	ck_assert_msg(out[0] == '{' && strstr(out, "\"exit_code\":0") !=
	    NULL && strstr(out, "Totals: ") == NULL, "%s", out);
	ck_assert_msg(strstr(err, "Totals: 1 selected") != NULL, "%s", err);
	/* and no file named "-" */
	xasprintf(&names, "%s/-", dir);
	ck_assert_int_eq(access(names, F_OK), -1);
	free(names);
	free(out);
	free(err);
	/* a report that cannot be written fails the run */
	args[3] = "posts3";
	args[5] = "no/such/dir/report.json";
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == EXIT_IOERR, "exit %d: %s", rc, err);
	ck_assert_msg(strstr(err, "no/such/dir/report.json") != NULL, "%s",
	    err);
	free(out);
	free(err);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_summary_that_cannot_be_written)
{
	const char	*args[] = { "-n", "1", "-o", "posts", "enriched.json",
	    NULL };
	const char	*env[] = { NULL, NULL };
	char		*dir, *err, *files;
	int		 rc;

	dir = e2e_workdir("summary-full");
	env[0] = e2e_env_base_url();
	rc = run_stdout_to(dir, args, env, "/dev/full", &err);
	ck_assert_msg(rc == EXIT_IOERR, "exit %d: %s", rc, err);
	ck_assert_msg(strstr(err, "summary: standard output cannot be "
	    "written") != NULL, "%s", err);
	free(err);
	/* the article itself was written */
	xasprintf(&err, "%s/posts", dir);
	files = list_dir(err, ".md");
	ck_assert_uint_eq(count_lines(files), 1);
	free(files);
	free(err);
	/* standard output closed: the same, and nothing lands elsewhere */
	args[3] = "posts2";
	rc = run_stdout_to(dir, args, env, NULL, &err);
	ck_assert_msg(rc == EXIT_IOERR, "exit %d: %s", rc, err);
	ck_assert_msg(strstr(err, "summary: standard output cannot be "
	    "written") != NULL, "%s", err);
	free(err);
	xasprintf(&err, "%s/data/generation_costs.jsonl", dir);
	files = test_read_file(err, NULL);
	ck_assert_ptr_nonnull(files);
	ck_assert_msg(strstr(files, "Totals:") == NULL && count_lines(files) ==
	    2, "%s", files);
	free(files);
	free(err);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/*
 * The sample input with the first item's id replaced by one carrying a
 * newline, a forged workflow command and terminal escape sequences.
 */
static void
write_hostile_input(const char *dir)
{
	char	*path, *data, *p, *out;

	xasprintf(&path, "%s/enriched.json", dir);
	data = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(data);
	p = strstr(data, "\"hn_46100001\"");
	ck_assert_ptr_nonnull(p);
	*p = '\0';
	xasprintf(&out, "%s\"hn_1\\u001b[2J\\u001b]0;owned\\u0007\\n::error::"
	    "forged\\r\\n::add-mask::x\\u009b1m\"%s", data,
	    p + strlen("\"hn_46100001\""));
	ck_assert_int_eq(test_write_file(path, out), 0);
	free(out);
	free(data);
	free(path);
}

/* No line of s starts a workflow command other than ours. */
static void
assert_no_forged_command(const char *s)
{
	ck_assert_msg(strstr(s, "\n::error::forged") == NULL &&
	    strstr(s, "\n::add-mask::") == NULL &&
	    strstr(s, "\r::add-mask::") == NULL && strncmp(s, "::error::", 9) !=
	    0, "%s", s);
	ck_assert_msg(strchr(s, '\033') == NULL && strchr(s, '\007') == NULL &&
	    strstr(s, "\302\233") == NULL, "%s", s);
}

START_TEST(test_hostile_id_cannot_forge_output)
{
	const char	*extra[] = { "--faults", "100*status:400", NULL };
	const char	*args[] = { "-n", "100", "-o", "posts", "--report",
	    "report.json", "enriched.json", NULL };
	const char	*env[] = { NULL, "GITHUB_ACTIONS=true", NULL, NULL };
	const char	*plain[] = { NULL, NULL };
	struct standin	 s;
	char		*dir, *out, *err, *sp, *summary;
	int		 rc;

	standin_start(&s, extra);
	dir = e2e_workdir("hostile-id");
	write_hostile_input(dir);
	xasprintf(&out, "OPENAI_BASE_URL=%s", s.base_url);
	env[0] = plain[0] = out;
	xasprintf(&sp, "GITHUB_STEP_SUMMARY=%s/summary.md", dir);
	env[2] = sp;
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, err);
	/* the item was run (it failed) and is shown, escaped */
	ck_assert_msg(strstr(out, "::group::article ") != NULL &&
	    strstr(out, "hn_1\\x1b[2J\\x1b]0;owned\\x07\\x0a::error::forged"
	    "\\x0d\\x0a::add-mask::x\\xc2\\x9b1m") != NULL, "%s", out);
	assert_no_forged_command(out);
	summary = test_read_file(sp + strlen("GITHUB_STEP_SUMMARY="), NULL);
	ck_assert_ptr_nonnull(summary);
	assert_no_forged_command(summary);
	ck_assert_msg(strstr(summary, "| hn_1\\x1b[2J") != NULL, "%s",
	    summary);
	free(summary);
	free(out);
	free(err);
	/* the same without Actions: the summary on stdout */
	args[3] = "posts2";
	rc = run_articlegen(dir, args, plain, &out, &err);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, err);
	ck_assert_msg(strstr(out, "  FAIL  hn_1\\x1b[2J") != NULL, "%s", out);
	assert_no_forged_command(out);
	free(out);
	free(err);
	free(sp);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
	standin_stop(&s);
}
END_TEST

START_TEST(test_echoed_key_is_masked)
{
	static const char secret[] = "sk-outputs-ECHO-4b7e19d2c05a";
	const char	*extra[] = { "--faults", "100*echokey", NULL };
	const char	*args[] = { "-n", "2", "-o", "posts", "--report",
	    "report.json", "enriched.json", NULL };
	const char	*env[] = { NULL, "GITHUB_ACTIONS=true", NULL, NULL,
	    NULL };
	struct standin	 s;
	char		*dir, *out, *err, *sp, *key, *report, *summary, *path;
	int		 rc;

	standin_start(&s, extra);
	dir = e2e_workdir("echo-key");
	xasprintf(&out, "OPENAI_BASE_URL=%s", s.base_url);
	env[0] = out;
	xasprintf(&sp, "GITHUB_STEP_SUMMARY=%s/summary.md", dir);
	env[2] = sp;
	xasprintf(&key, "OPENAI_API_KEY=%s", secret);
	env[3] = key;
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == EXIT_UNAVAILABLE, "exit %d: %s", rc, err);
	/* the server did echo it */
	ck_assert_msg(strstr(out, "Incorrect API key provided: sk-***") !=
	    NULL, "%s", out);
	ck_assert_msg(strstr(out, "ECHO-4b7e19d2c05a") == NULL, "%s", out);
	xasprintf(&path, "%s/report.json", dir);
	report = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(report);
	ck_assert_msg(strstr(report, "ECHO-4b7e19d2c05a") == NULL &&
	    strstr(report, "sk-***") != NULL, "%s", report);
	summary = test_read_file(sp + strlen("GITHUB_STEP_SUMMARY="), NULL);
	ck_assert_ptr_nonnull(summary);
	ck_assert_msg(strstr(summary, "ECHO-4b7e19d2c05a") == NULL, "%s",
	    summary);
	free(summary);
	free(report);
	free(path);
	free(out);
	free(err);
	free(key);
	free(sp);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
	standin_stop(&s);
}
END_TEST

/* What failed articles cost is in the totals. */
START_TEST(test_totals_include_failed_articles)
{
	const char	*extra[] = { "--faults", "ok,100*status:400", NULL };
	const char	*args[] = { "-n", "1", "-o", "posts", "enriched.json",
	    NULL };
	const char	*env[] = { NULL, "ARTICLE_RETRIES=0", NULL };
	struct standin	 s;
	char		*dir, *out, *err;
	int		 rc;

	standin_start(&s, extra);
	dir = e2e_workdir("failed-cost");
	xasprintf(&out, "OPENAI_BASE_URL=%s", s.base_url);
	env[0] = out;
	rc = run_articlegen(dir, args, env, &out, &err);
	free((char *)(uintptr_t)env[0]);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, err);
	ck_assert_msg(strstr(out, "0 written, 1 failed") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "; $0.000000") == NULL &&
	    strstr(out, "of it on failed attempts)") != NULL, "%s", out);
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
	standin_stop(&s);
}
END_TEST

/*
 * The progress line on a pseudo-terminal as stderr: drawn with "erase
 * line" on a capable terminal, not at all with TERM=dumb or -q unless
 * asked for, and then without escape sequences.
 */
START_TEST(test_progress_modes)
{
	struct output	 o;
	struct run	 r;
	char		 buf[512];
	ssize_t		 n;
	int		 master, slave;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	ck_assert_int_ne(master, -1);
	ck_assert_int_eq(grantpt(master), 0);
	ck_assert_int_eq(unlockpt(master), 0);
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	ck_assert_int_ne(slave, -1);
	ck_assert_int_ne(dup2(slave, STDERR_FILENO), -1);
	unsetenv("GITHUB_ACTIONS");
	unsetenv("JOURNAL_STREAM");
	memset(&r, 0, sizeof(r));
	r.r_njobs = 4;
	r.r_done = 1;

	setenv("TERM", "xterm", 1);
	output_init(&o, 0);
	ck_assert_int_eq(o.o_tty, 1);
	ck_assert_int_eq(o.o_ansi, 1);
	output_init(&o, 1);		/* -q */
	ck_assert_int_eq(o.o_tty, 0);
	output_set_progress(&o, OUTPUT_PROGRESS_ALWAYS);
	ck_assert_int_eq(o.o_tty, 1);
	output_init(&o, 0);
	output_set_progress(&o, OUTPUT_PROGRESS_NEVER);
	ck_assert_int_eq(o.o_tty, 0);
	setenv("TERM", "dumb", 1);
	output_init(&o, 0);
	ck_assert_int_eq(o.o_tty, 0);
	output_progress(&o, &r, 2);	/* draws nothing */
	output_set_progress(&o, OUTPUT_PROGRESS_ALWAYS);
	ck_assert_int_eq(o.o_tty, 1);
	ck_assert_int_eq(o.o_ansi, 0);
	output_progress(&o, &r, 2);
	output_finish(&o);
	usleep(50000);
	fcntl(master, F_SETFL, O_NONBLOCK);
	n = read(master, buf, sizeof(buf) - 1);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_msg(strstr(buf, "[1/4] 2 running, 0 failed") != NULL, "%s",
	    buf);
	ck_assert_msg(strchr(buf, '\033') == NULL, "%s", buf);
	/* one line drawn: the dumb terminal got nothing from the first call */
	ck_assert_ptr_null(strstr(strstr(buf, "[1/4]") + 1, "[1/4]"));
	log_setclearline(0);
	close(slave);
	close(master);
}
END_TEST

/* -q under Actions: no group for an article written without a warning. */
START_TEST(test_quiet_under_actions)
{
	const char	*args[] = { "-q", "-n", "2", "-o", "posts",
	    "enriched.json", NULL };
	const char	*env[] = { NULL, "GITHUB_ACTIONS=true", NULL };
	char		*dir, *out, *err;
	int		 rc;

	dir = e2e_workdir("quiet-gha");
	env[0] = e2e_env_base_url();
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
	ck_assert_msg(strstr(out, "::group::") == NULL, "%s", out);
	ck_assert_msg(strstr(out, "Totals: 2 selected, 2 written") != NULL,
	    "%s", out);
	free(out);
	free(err);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

Suite *
outputs_suite(void)
{
	Suite	*s = suite_create("outputs");
	TCase	*tc = tcase_create("files");

	tcase_add_checked_fixture(tc, e2e_setup_standin, e2e_teardown_standin);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_ledger_that_cannot_be_written);
	tcase_add_test(tc, test_report_to_devices_and_stdout);
	tcase_add_test(tc, test_summary_that_cannot_be_written);
	tcase_add_test(tc, test_totals_include_failed_articles);
	suite_add_tcase(s, tc);
	tc = tcase_create("shown");
	tcase_add_checked_fixture(tc, e2e_setup_standin, e2e_teardown_standin);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_hostile_id_cannot_forge_output);
	tcase_add_test(tc, test_echoed_key_is_masked);
	tcase_add_test(tc, test_quiet_under_actions);
	tcase_add_test(tc, test_progress_modes);
	suite_add_tcase(s, tc);
	return (s);
}
