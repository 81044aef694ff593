/*
 * check_e2e.c: the real programs end to end.  Each test starts the
 * project's stand-in LLM server (build/llm-standin) on a loopback port,
 * runs build/articlegen against it on a copy of the sample input, and
 * checks what lands in the content directory, the exit code and the
 * output.  No network beyond 127.0.0.1, no API key needed.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "tests.h"
#include "xmalloc.h"
#include "e2e.h"

struct standin	e2e_standin;

/* Start the stand-in with extra arguments; fills s. */
void
standin_start(struct standin *s, const char *const extra[])
{
	char		*argv[32], *portfile, *data;
	int		 argc = 0, i, fd;

	memset(s, 0, sizeof(*s));
	s->dir = test_tmpdir("standin");
	xasprintf(&portfile, "%s/port", s->dir);
	xasprintf(&s->log, "%s/requests.log", s->dir);
	xasprintf(&argv[argc++], "%s/llm-standin", test_builddir());
	argv[argc++] = xstrdup("--port-file");
	argv[argc++] = xstrdup(portfile);
	argv[argc++] = xstrdup("--log");
	argv[argc++] = xstrdup(s->log);
	argv[argc++] = xstrdup("--quiet");
	for (i = 0; extra != NULL && extra[i] != NULL && argc < 30; i++)
		argv[argc++] = xstrdup(extra[i]);
	argv[argc] = NULL;
	s->pid = fork();
	ck_assert_int_ne(s->pid, -1);
	if (s->pid == 0) {
		fd = open("/dev/null", O_RDWR);
		dup2(fd, STDOUT_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	for (i = 0; i < 500; i++) {
		if ((data = test_read_file(portfile, NULL)) != NULL &&
		    data[0] != '\0') {
			s->port = atoi(data);
			free(data);
			break;
		}
		free(data);
		usleep(10000);
	}
	ck_assert_msg(s->port > 0, "the stand-in did not start");
	xasprintf(&s->base_url, "http://127.0.0.1:%d/v1", s->port);
	free(portfile);
}

void
standin_stop(struct standin *s)
{
	int	status;

	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, &status, 0);
	}
	test_rmtree(s->dir);
	free(s->dir);
	free(s->log);
	free(s->base_url);
	memset(s, 0, sizeof(*s));
}

/* Chat requests the stand-in has logged so far. */
int
standin_requests(const struct standin *s)
{
	char	*data, *p;
	int	 n = 0;

	if ((data = test_read_file(s->log, NULL)) == NULL)
		return (0);
	for (p = data; (p = strstr(p, "/chat/completions")) != NULL; p++)
		n++;
	free(data);
	return (n);
}

/*
 * Run build/articlegen with args in a clean environment plus env (NULL-
 * terminated "K=V" strings) from cwd; stdout and stderr go to files whose
 * contents are returned in *out and *err (owned).  Returns the exit code,
 * or 128+signal.
 */
int
run_articlegen(const char *cwd, const char *const args[],
    const char *const env[], char **out, char **err)
{
	char	*argv[40], *envp[40], *outp, *errp, *dir;
	int	 argc = 0, envc = 0, i, status, fd;
	pid_t	 pid;

	dir = test_tmpdir("run");
	xasprintf(&outp, "%s/stdout", dir);
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
	for (i = 0; env != NULL && env[i] != NULL && envc < 38; i++)
		envp[envc++] = xstrdup(env[i]);
	envp[envc] = NULL;
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		if (chdir(cwd) == -1)
			_exit(126);
		fd = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, STDOUT_FILENO);
		fd = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, STDERR_FILENO);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	for (i = 0; envp[i] != NULL; i++)
		free(envp[i]);
	*out = test_read_file(outp, NULL);
	*err = test_read_file(errp, NULL);
	ck_assert_ptr_nonnull(*out);
	ck_assert_ptr_nonnull(*err);
	free(outp);
	free(errp);
	test_rmtree(dir);
	free(dir);
	return (WIFEXITED(status) ? WEXITSTATUS(status) :
	    128 + WTERMSIG(status));
}

/* A sorted list of the names in dir that end in suffix (or start with a
 * dot when suffix is NULL), joined by '\n'.  Owned. */
char *
list_dir(const char *dir, const char *suffix)
{
	struct dirent	 **names;
	char		  *out;
	size_t		   len = 0, cap = 1;
	int		   n, i;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return (xstrdup(""));
	for (i = 0; i < n; i++)
		cap += strlen(names[i]->d_name) + 1;
	out = xcalloc(1, cap);
	for (i = 0; i < n; i++) {
		const char	*nm = names[i]->d_name;
		size_t		 l = strlen(nm);
		int		 keep;

		if (suffix == NULL)
			keep = nm[0] == '.' && strcmp(nm, ".") != 0 &&
			    strcmp(nm, "..") != 0;
		else
			keep = nm[0] != '.' && l >= strlen(suffix) &&
			    strcmp(nm + l - strlen(suffix), suffix) == 0;
		if (keep) {
			memcpy(out + len, nm, l);
			len += l;
			out[len++] = '\n';
		}
		free(names[i]);
	}
	free(names);
	out[len] = '\0';
	return (out);
}

size_t
count_lines(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (*s == '\n')
			n++;
	return (n);
}

/* The sample input copied into a fresh work directory; returns the dir. */
char *
e2e_workdir(const char *tag)
{
	char	*dir, *src, *dst, *data;

	dir = test_tmpdir(tag);
	xasprintf(&src, "%s/examples/enriched_20261120_060440.json",
	    test_srcdir());
	xasprintf(&dst, "%s/enriched.json", dir);
	data = test_read_file(src, NULL);
	ck_assert_ptr_nonnull(data);
	ck_assert_int_eq(test_write_file(dst, data), 0);
	free(data);
	free(src);
	free(dst);
	return (dir);
}

char *
e2e_env_base_url(void)
{
	char	*s;

	xasprintf(&s, "OPENAI_BASE_URL=%s", e2e_standin.base_url);
	return (s);
}

static void
setup_standin(void)
{
	standin_start(&e2e_standin, NULL);
}

static void
teardown_standin(void)
{
	standin_stop(&e2e_standin);
}

/* The title line of each article file, sorted by file name.  Owned. */
static char *
titles_of(const char *dir)
{
	char	*files, *line, *save = NULL, *path, *data, *t, *nl;
	char	*out = xstrdup(""), *tmp;

	files = list_dir(dir, ".md");
	for (line = strtok_r(files, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		xasprintf(&path, "%s/%s", dir, line);
		data = test_read_file(path, NULL);
		ck_assert_ptr_nonnull(data);
		t = strstr(data, "\ntitle: ");
		ck_assert_ptr_nonnull(t);
		nl = strchr(t + 1, '\n');
		*nl = '\0';
		xasprintf(&tmp, "%s%s %s\n", out, line, t + 1);
		free(out);
		out = tmp;
		free(data);
		free(path);
	}
	free(files);
	return (out);
}

START_TEST(test_jobs1_and_jobs4_write_the_same_articles)
{
	const char	*a1[] = { "--jobs", "1", "-o", "one", "enriched.json",
	    NULL };
	const char	*a4[] = { "--jobs", "4", "-o", "four", "enriched.json",
	    NULL };
	const char	*env[3] = { NULL, NULL, NULL };
	char		*dir, *out, *err, *t1, *t4, *p1, *p4;
	int		 rc;

	dir = e2e_workdir("jobs");
	env[0] = e2e_env_base_url();
	rc = run_articlegen(dir, a1, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_ptr_nonnull(strstr(err, "single-process: --jobs 1"));
	ck_assert_ptr_nonnull(strstr(out, "Articles (input order):"));
	free(out);
	free(err);
	rc = run_articlegen(dir, a4, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_ptr_nonnull(strstr(err, "parallel: 4 worker processes"));
	ck_assert_ptr_nonnull(strstr(out, "Totals: 7 selected, 7 written, 0 "
	    "failed"));
	free(out);
	free(err);
	xasprintf(&p1, "%s/one", dir);
	xasprintf(&p4, "%s/four", dir);
	t1 = titles_of(p1);
	t4 = titles_of(p4);
	ck_assert_uint_eq(count_lines(t1), 7);
	ck_assert_str_eq(t1, t4);
	free(t1);
	free(t4);
	/* no temporary file left */
	t1 = list_dir(p1, NULL);
	t4 = list_dir(p4, NULL);
	ck_assert_str_eq(t1, "");
	ck_assert_str_eq(t4, "");
	free(t1);
	free(t4);
	free(p1);
	free(p4);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

Suite *
e2e_suite(void)
{
	Suite	*s = suite_create("e2e");
	TCase	*tc = tcase_create("generate");

	tcase_add_checked_fixture(tc, setup_standin, teardown_standin);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_jobs1_and_jobs4_write_the_same_articles);
	suite_add_tcase(s, tc);
	return (s);
}
