/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_e2e.c: the real programs end to end.  Each test starts the
 * project's stand-in LLM server (build/llm-standin) on a loopback port,
 * runs build/articlegen against it on a copy of the sample input, and
 * checks what lands in the content directory, the exit code and the
 * output.  No network beyond 127.0.0.1, no API key needed.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <netinet/in.h>

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
#include <json.h>

#include "buf.h"
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

/*
 * Chat requests that have reached the stand-in so far, answered or not
 * (its /stats counter), read over a plain loopback HTTP request.
 */
int
standin_requests(const struct standin *s)
{
	struct sockaddr_in	 sin;
	char			 req[128], buf[8192], *p;
	size_t			 len = 0;
	ssize_t			 n;
	int			 fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ne(fd, -1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)s->port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	snprintf(req, sizeof(req), "GET /stats HTTP/1.1\r\nHost: 127.0.0.1"
	    "\r\nConnection: close\r\n\r\n");
	ck_assert_int_eq(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	while (len < sizeof(buf) - 1 && (n = read(fd, buf + len,
	    sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	p = strstr(buf, "\"chat_requests\":");
	ck_assert_msg(p != NULL, "no chat_requests in /stats: %s", buf);
	return (atoi(p + strlen("\"chat_requests\":")));
}

/*
 * Run build/articlegen with args in a clean environment plus env (NULL-
 * terminated "K=V" strings) from cwd; stdout and stderr go to files whose
 * contents are returned in *out and *err (owned).  Returns the exit code,
 * or 128+signal.
 */
void
bg_start(struct bgrun *b, const char *cwd, const char *const args[],
    const char *const env[])
{
	char	*argv[40], *envp[40], *outp, *errp;
	int	 argc = 0, envc = 0, i, fd;

	b->dir = test_tmpdir("bg");
	xasprintf(&outp, "%s/stdout", b->dir);
	xasprintf(&errp, "%s/stderr", b->dir);
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
	b->pid = fork();
	ck_assert_int_ne(b->pid, -1);
	if (b->pid == 0) {
		if (chdir(cwd) == -1)
			_exit(126);
		fd = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, STDOUT_FILENO);
		fd = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, STDERR_FILENO);
		closefrom(STDERR_FILENO + 1);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	for (i = 0; envp[i] != NULL; i++)
		free(envp[i]);
	free(outp);
	free(errp);
}

int
bg_wait(struct bgrun *b, char **out, char **err)
{
	char	*p;
	int	 status;

	while (waitpid(b->pid, &status, 0) == -1 && errno == EINTR)
		;
	xasprintf(&p, "%s/stdout", b->dir);
	*out = test_read_file(p, NULL);
	free(p);
	xasprintf(&p, "%s/stderr", b->dir);
	*err = test_read_file(p, NULL);
	free(p);
	test_rmtree(b->dir);
	free(b->dir);
	b->dir = NULL;
	return (WIFEXITED(status) ? WEXITSTATUS(status) :
	    128 + WTERMSIG(status));
}

int
run_articlegen(const char *cwd, const char *const args[],
    const char *const env[], char **out, char **err)
{
	struct bgrun	b;
	int		rc;

	bg_start(&b, cwd, args, env);
	rc = bg_wait(&b, out, err);
	ck_assert_ptr_nonnull(*out);
	ck_assert_ptr_nonnull(*err);
	return (rc);
}

int
children_named(pid_t pid, const char *name, pid_t *out, int max)
{
	struct dirent	*de;
	DIR		*d;
	char		 path[300], buf[512], *p;
	int		 n = 0;
	long		 ppid;

	if ((d = opendir("/proc")) == NULL)
		return (0);
	while ((de = readdir(d)) != NULL && n < max) {
		FILE	*f;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(buf, sizeof(buf), f) == NULL) {
			fclose(f);
			continue;
		}
		fclose(f);
		/* pid (comm) state ppid ... ; comm may hold spaces */
		if ((p = strrchr(buf, ')')) == NULL ||
		    sscanf(p + 2, "%*c %ld", &ppid) != 1 || ppid != pid)
			continue;
		if (strstr(buf, name) == NULL) {
			/* setproctitle changes cmdline, not comm: check exe */
			char	exe[512];
			ssize_t	len;

			snprintf(path, sizeof(path), "/proc/%s/exe",
			    de->d_name);
			len = readlink(path, exe, sizeof(exe) - 1);
			if (len <= 0)
				continue;
			exe[len] = '\0';
			if (strstr(exe, name) == NULL)
				continue;
		}
		out[n++] = (pid_t)atol(de->d_name);
	}
	closedir(d);
	return (n);
}

int
wait_until(int (*cond)(void *), void *arg, int ms)
{
	int	i;

	for (i = 0; i < ms / 10; i++) {
		if (cond(arg))
			return (1);
		usleep(10000);
	}
	return (cond(arg));
}

int
standin_status_count(const struct standin *s, int status)
{
	char	*data, *line, *save = NULL, pat[16];
	int	 n = 0;

	if ((data = test_read_file(s->log, NULL)) == NULL)
		return (0);
	snprintf(pat, sizeof(pat), " %d ", status);
	for (line = strtok_r(data, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		if (strstr(line, "/chat/completions") != NULL &&
		    strstr(line, pat) != NULL)
			n++;
	free(data);
	return (n);
}

int
standin_log_count(const struct standin *s, const char *path_part,
    int status)
{
	char	*data, *line, *save = NULL, pat[16];
	int	 n = 0;

	if ((data = test_read_file(s->log, NULL)) == NULL)
		return (0);
	snprintf(pat, sizeof(pat), " %d ", status);
	for (line = strtok_r(data, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		if (strstr(line, path_part) != NULL && (status == 0 ||
		    strstr(line, pat) != NULL))
			n++;
	free(data);
	return (n);
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

void
e2e_setup_standin(void)
{
	standin_start(&e2e_standin, NULL);
}

void
e2e_teardown_standin(void)
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
	/* the invalid item is named with its file, index, id and field */
	ck_assert_ptr_nonnull(strstr(err, "enriched.json: items[11] (id "
	    "hn_46100006): quality_score: 1.7 is outside [0, 1]; skipped"));
	ck_assert_ptr_nonnull(strstr(out, "Totals: 9 selected, 9 written, 0 "
	    "failed"));
	free(out);
	free(err);
	xasprintf(&p1, "%s/one", dir);
	xasprintf(&p4, "%s/four", dir);
	t1 = titles_of(p1);
	t4 = titles_of(p4);
	ck_assert_uint_eq(count_lines(t1), 9);
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

/* HTML-escape s the way Hugo's templates print a title.  Owned. */
static char *
html_escape(const char *s)
{
	char	*out = xcalloc(1, strlen(s) * 6 + 1), *o = out;

	for (; *s != '\0'; s++) {
		const char *rep = NULL;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&#34;"; break;
		case '\'': rep = "&#39;"; break;
		case '+': rep = "&#43;"; break;
		default: break;
		}
		if (rep != NULL) {
			strcpy(o, rep);
			o += strlen(rep);
		} else
			*o++ = *s;
	}
	*o = '\0';
	return (out);
}

/* The unquoted title of an article file (YAML double-quoted scalar). */
static char *
title_of_file(const char *path)
{
	char	*data, *t, *nl, *ret, *o;
	const char *p;

	data = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(data);
	t = strstr(data, "\ntitle: \"");
	ck_assert_ptr_nonnull(t);
	t += 9;
	nl = strstr(t, "\"\n");
	ck_assert_ptr_nonnull(nl);
	*nl = '\0';
	ret = xcalloc(1, strlen(t) + 1);
	for (p = t, o = ret; *p != '\0'; p++) {
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
		*o++ = *p;
	}
	free(data);
	return (ret);
}

void
e2e_hugo_build(const char *site)
{
	char	*cmd, *lp, *log;
	int	 rc;

	xasprintf(&cmd, "hugo --quiet --source '%s' --destination public "
	    ">'%s/hugo.log' 2>&1", site, site);
	rc = system(cmd);
	free(cmd);
	if (rc != 0) {
		xasprintf(&lp, "%s/hugo.log", site);
		log = test_read_file(lp, NULL);
		ck_abort_msg("hugo failed (%d): %s", rc, log != NULL ? log :
		    "(no log)");
	}
}

int
occurrences(const char *hay, const char *needle)
{
	int	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return (n);
}

START_TEST(test_articles_build_with_hugo)
{
	const char	*args[] = { "--jobs", "4", "-o", "site/content/posts",
	    "enriched.json", NULL };
	const char	*env[2] = { NULL, NULL };
	char		*dir, *cmd, *out, *err, *posts, *files, *line, *save;
	int		 rc, pages = 0;

	dir = e2e_workdir("hugo");
	xasprintf(&cmd, "cp -R '%s/examples/hugo-site' '%s/site'",
	    test_srcdir(), dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	env[0] = e2e_env_base_url();
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	free(out);
	free(err);
	xasprintf(&cmd, "%s/site", dir);
	e2e_hugo_build(cmd);
	free(cmd);
	xasprintf(&posts, "%s/site/content/posts", dir);
	files = list_dir(posts, ".md");
	save = NULL;
	for (line = strtok_r(files, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char	*md, *html, *page, *title, *want, *stem;

		xasprintf(&md, "%s/%s", posts, line);
		stem = xstrndup(line, strlen(line) - 3);
		xasprintf(&html, "%s/site/public/posts/%s/index.html", dir,
		    stem);
		page = test_read_file(html, NULL);
		ck_assert_msg(page != NULL, "hugo made no page for %s", line);
		title = title_of_file(md);
		want = html_escape(title);
		ck_assert_msg(strstr(page, want) != NULL, "page %s lacks its "
		    "title '%s'", html, want);
		/* the attribution and the references made it to the page */
		ck_assert_ptr_nonnull(strstr(page, "Attribution:"));
		ck_assert_ptr_nonnull(strstr(page, "<h2 id=\"references\">"));
		pages++;
		free(md);
		free(stem);
		free(html);
		free(page);
		free(title);
		free(want);
	}
	ck_assert_int_eq(pages, 9);
	free(files);
	free(posts);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_bad_input_files)
{
	const char	*a_missing[] = { "nonexistent.json", NULL };
	const char	*a_bad[] = { "bad.json", NULL };
	const char	*a_noitems[] = { "noitems.json", NULL };
	const char	*a_nodata[] = { "--data-dir", "empty", NULL };
	const char	*env[2] = { NULL, NULL };
	char		*dir, *path, *out, *err;
	int		 rc;

	dir = e2e_workdir("badinput");
	env[0] = e2e_env_base_url();
	rc = run_articlegen(dir, a_missing, env, &out, &err);
	ck_assert_int_eq(rc, 66);
	ck_assert_ptr_nonnull(strstr(err, "nonexistent.json"));
	free(out);
	free(err);

	xasprintf(&path, "%s/bad.json", dir);
	ck_assert_int_eq(test_write_file(path, "{\n  \"items\": [\n    {\"a\": "
	    "1,,}\n  ]\n}\n"), 0);
	free(path);
	rc = run_articlegen(dir, a_bad, env, &out, &err);
	ck_assert_int_eq(rc, 65);
	ck_assert_msg(strstr(err, "bad.json") != NULL && strstr(err,
	    "line 3") != NULL, "%s", err);
	free(out);
	free(err);

	xasprintf(&path, "%s/noitems.json", dir);
	ck_assert_int_eq(test_write_file(path, "{\"enriched_at\": \"x\"}"), 0);
	free(path);
	rc = run_articlegen(dir, a_noitems, env, &out, &err);
	ck_assert_int_eq(rc, 65);
	ck_assert_msg(strstr(err, "noitems.json") != NULL && strstr(err,
	    "items") != NULL, "%s", err);
	free(out);
	free(err);

	xasprintf(&path, "%s/empty", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	free(path);
	rc = run_articlegen(dir, a_nodata, env, &out, &err);
	ck_assert_int_eq(rc, 66);
	ck_assert_ptr_nonnull(strstr(err, "enriched_*.json"));
	free(out);
	free(err);
	/* nothing was generated by any of them */
	ck_assert_int_eq(standin_requests(&e2e_standin), 0);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_newest_enriched_file_is_used)
{
	const char	*args[] = { "-n", "2", "--jobs", "2", NULL };
	const char	*env[2] = { NULL, NULL };
	char		*dir, *cmd, *out, *err, *list, *posts;
	int		 rc;

	dir = e2e_workdir("newest");
	xasprintf(&cmd, "cd '%s' && mkdir data && echo '{\"items\": []}' > "
	    "data/enriched_20260101_000000.json && cp enriched.json "
	    "data/enriched_20200101_000000.json && touch -d '2020-01-01' "
	    "data/enriched_20260101_000000.json", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	env[0] = e2e_env_base_url();
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	/* the newest by mtime, not by name */
	ck_assert_ptr_nonnull(strstr(out, "enriched_20200101_000000.json"));
	xasprintf(&posts, "%s/content/posts", dir);
	list = list_dir(posts, ".md");
	ck_assert_uint_eq(count_lines(list), 2);
	free(list);
	free(posts);
	free(out);
	free(err);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_rerun_and_force)
{
	const char	*args[] = { "--jobs", "3", "-o", "posts",
	    "--ledger", "ledger.jsonl", "enriched.json", NULL };
	const char	*fargs[] = { "--jobs", "3", "-o", "posts", "--force",
	    "-n", "2", "--ledger", "ledger.jsonl", "enriched.json", NULL };
	const char	*env[2] = { NULL, NULL };
	char		*dir, *out, *err, *posts, *before, *after, *ledger;
	int		 rc, calls;

	dir = e2e_workdir("rerun");
	env[0] = e2e_env_base_url();
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_int_eq(rc, 0);
	free(out);
	free(err);
	xasprintf(&posts, "%s/posts", dir);
	before = list_dir(posts, ".md");
	ck_assert_uint_eq(count_lines(before), 9);
	calls = standin_requests(&e2e_standin);
	ck_assert_int_eq(calls, 18);

	/* a second run finds every source published: nothing to do */
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_ptr_nonnull(strstr(out, "source_already_published: 9"));
	ck_assert_ptr_nonnull(strstr(out, "Totals: 0 selected"));
	ck_assert_int_eq(standin_requests(&e2e_standin), calls);
	after = list_dir(posts, ".md");
	ck_assert_str_eq(before, after);
	free(after);
	free(out);
	free(err);

	/* --force regenerates two of them in place, same file names */
	rc = run_articlegen(dir, fargs, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_ptr_nonnull(strstr(out, "Totals: 2 selected, 2 written"));
	ck_assert_int_eq(standin_requests(&e2e_standin), calls + 4);
	after = list_dir(posts, ".md");
	ck_assert_str_eq(before, after);
	free(after);
	after = list_dir(posts, NULL);
	ck_assert_str_eq(after, "");
	free(after);
	free(out);
	free(err);

	/* one ledger line per written article: 9 + 2 */
	xasprintf(&out, "%s/ledger.jsonl", dir);
	ledger = test_read_file(out, NULL);
	ck_assert_ptr_nonnull(ledger);
	ck_assert_uint_eq(count_lines(ledger), 11);
	ck_assert_ptr_nonnull(strstr(ledger, "\"content_generation\":["));
	free(ledger);
	free(out);
	free(before);
	free(posts);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_api_key_never_printed)
{
	const char	*args[] = { "-vv", "--jobs", "2", "-n", "2", "-o",
	    "posts", "enriched.json", NULL };
	const char	*env[3] = { NULL, "OPENAI_API_KEY=sk-e2e-SECRET-7f3a9c",
	    NULL };
	char		*dir, *out, *err, *log, *posts, *files, *cmd;
	int		 rc;

	dir = e2e_workdir("secret");
	env[0] = e2e_env_base_url();
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_ptr_null(strstr(out, "SECRET"));
	ck_assert_ptr_null(strstr(err, "SECRET"));
	ck_assert_ptr_nonnull(strstr(err, "API key: environment OPENAI_API_KEY"));
	log = test_read_file(e2e_standin.log, NULL);
	ck_assert_ptr_null(strstr(log != NULL ? log : "", "SECRET"));
	free(log);
	/* and not in any file written */
	xasprintf(&posts, "%s", dir);
	xasprintf(&cmd, "grep -r -q SECRET '%s'", posts);
	ck_assert_int_ne(system(cmd), 0);
	free(cmd);
	files = NULL;
	free(files);
	free(posts);
	free(out);
	free(err);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_no_key_for_the_default_api)
{
	const char	*args[] = { "enriched.json", NULL };
	char		*dir, *out, *err;

	dir = e2e_workdir("nokey");
	ck_assert_int_eq(run_articlegen(dir, args, NULL, &out, &err), 78);
	ck_assert_ptr_nonnull(strstr(err, "OPENAI_API_KEY"));
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* Run with a stand-in whose first replies are the given faults. */
static void
run_with_faults(const char *faults, const char *jobs, int want_exit,
    const char *want_reason, size_t want_written)
{
	const char	*extra[] = { "--faults", faults, NULL };
	const char	*args[] = { "--jobs", jobs, "-n", "3", "-o", "posts",
	    "enriched.json", NULL };
	const char	*env[3] = { NULL, "RETRY_MAX_ATTEMPTS=1", NULL };
	struct standin	 s;
	char		*dir, *out, *err, *posts, *list;
	int		 rc;

	standin_start(&s, extra);
	dir = e2e_workdir("faults");
	xasprintf(&out, "OPENAI_BASE_URL=%s", s.base_url);
	env[0] = out;
	rc = run_articlegen(dir, args, env, &out, &err);
	free((char *)(uintptr_t)env[0]);
	ck_assert_msg(rc == want_exit, "faults %s: exit %d, want %d\n%s\n%s",
	    faults, rc, want_exit, out, err);
	ck_assert_msg(strstr(out, want_reason) != NULL, "faults %s: no '%s' "
	    "in\n%s", faults, want_reason, out);
	xasprintf(&posts, "%s/posts", dir);
	list = list_dir(posts, ".md");
	ck_assert_msg(count_lines(list) == want_written, "faults %s: %zu "
	    "articles written, want %zu", faults, count_lines(list),
	    want_written);
	free(list);
	/* never a placeholder article, never a temporary file */
	list = list_dir(posts, NULL);
	ck_assert_str_eq(list, "");
	free(list);
	free(posts);
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
	standin_stop(&s);
}

START_TEST(test_failed_calls_publish_nothing)
{
	/* every call fails: 3 articles x 2 attempts */
	run_with_faults("6*status:500", "3", 1, "HTTP 500", 0);
	run_with_faults("6*status:500", "1", 1, "after 2 attempts", 0);
	/* an empty reply; a 200 that is not a completion, twice per article */
	run_with_faults("3*empty", "3", 1, "empty content", 0);
	run_with_faults("6*malformed", "1", 1, "not a JSON object (18 bytes) "
	    "after 2 attempts", 0);
	run_with_faults("6*no-choices", "1", 1, "no choices[0].message after "
	    "2 attempts", 0);
}
END_TEST

START_TEST(test_retry_then_success)
{
	/* one 500 per article, then success: all written */
	run_with_faults("3*status:500", "3", 0, "Totals: 3 selected, 3 "
	    "written", 3);
}
END_TEST

START_TEST(test_unauthorized_stops_the_run)
{
	run_with_faults("20*status:401", "1", 69, "FAIL", 0);
	run_with_faults("20*quota", "3", 69, "insufficient_quota", 0);
}
END_TEST

/*
 * Replies that must never be published (docs/STANDIN.md, "Faults"): every
 * article of the run fails with a reason naming what happened, and no
 * file is written.
 */
START_TEST(test_unpublishable_replies_fail)
{
	/* cut off, and cut off again with the larger cap */
	run_with_faults("6*length", "1", 1, "truncated: the reply was cut off "
	    "at the output cap", 0);
	run_with_faults("3*filtered", "3", 1, "filtered: the provider's "
	    "content filter", 0);
	run_with_faults("3*refusal", "3", 1, "refused: the model declined", 0);
	run_with_faults("3*parts-refusal", "1", 1, "refused: the model "
	    "declined", 0);
	run_with_faults("3*sorry", "3", 1, "refused: the reply is only a "
	    "refusal", 0);
	run_with_faults("3*short", "3", 1, "too short: 6 words", 0);
	/* the title call, under the same rules */
	run_with_faults("ok,sorry,ok,sorry,ok,sorry", "1", 1, "title call: "
	    "refused", 0);
	run_with_faults("ok,2*length,ok,2*length,ok,2*length", "1", 1,
	    "title call: truncated", 0);
}
END_TEST

/*
 * Replies that are whole after all: cut off once, then whole with the
 * larger cap; content as text parts; a 200 that is not a completion,
 * then a good one.
 */
START_TEST(test_recoverable_replies_publish)
{
	run_with_faults("length", "1", 0, "Totals: 3 selected, 3 written", 3);
	run_with_faults("3*parts", "3", 0, "Totals: 3 selected, 3 written", 3);
	run_with_faults("malformed", "1", 0, "Totals: 3 selected, 3 written",
	    3);
	run_with_faults("no-choices", "3", 0, "Totals: 3 selected, 3 written",
	    3);
}
END_TEST

/*
 * A failed article marks nothing published: the next run generates it.
 */
START_TEST(test_failed_article_generated_next_run)
{
	const char	*extra[] = { "--faults", "3*refusal", NULL };
	const char	*args[] = { "--jobs", "1", "-n", "3", "-o", "posts",
	    "--ledger", "ledger.jsonl", "enriched.json", NULL };
	const char	*env[2] = { NULL, NULL };
	struct standin	 s;
	char		*dir, *out, *err, *posts, *list;
	int		 rc;

	standin_start(&s, extra);
	dir = e2e_workdir("rerunfail");
	xasprintf(&out, "OPENAI_BASE_URL=%s", s.base_url);
	env[0] = out;
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 1, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_ptr_nonnull(strstr(out, "Totals: 3 selected, 0 written, 3 "
	    "failed"));
	free(out);
	free(err);
	xasprintf(&posts, "%s/posts", dir);
	list = list_dir(posts, ".md");
	ck_assert_str_eq(list, "");
	free(list);
	/* the faults are used up: the same three sources are written now */
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_ptr_nonnull(strstr(out, "Totals: 3 selected, 3 written, 0 "
	    "failed"));
	list = list_dir(posts, ".md");
	ck_assert_uint_eq(count_lines(list), 3);
	free(list);
	free(posts);
	free(out);
	free(err);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
	standin_stop(&s);
}
END_TEST

/*
 * A server that quotes the key back in its error message: the key is in
 * no output, no log line, no file; neither a key of any shape (masked
 * exactly) nor one shaped like "sk-..." (masked by its shape).
 */
START_TEST(test_key_echoed_by_server_is_masked)
{
	static const char *const keys[] = {
		"OPENAI_API_KEY=kx-ECHO-SECRET-5150",
		"OPENAI_API_KEY=sk-proj-ECHOSECRET0123456789",
	};
	const char	*extra[] = { "--faults", "20*key-echo", NULL };
	const char	*args[] = { "-vv", "--jobs", "2", "-n", "2", "-o",
	    "posts", "enriched.json", NULL };
	const char	*env[3] = { NULL, NULL, NULL };
	struct standin	 s;
	char		*dir, *out, *err, *cmd;
	size_t		 i;
	int		 rc;

	for (i = 0; i < nitems(keys); i++) {
		standin_start(&s, extra);
		dir = e2e_workdir("keyecho");
		xasprintf(&cmd, "OPENAI_BASE_URL=%s", s.base_url);
		env[0] = cmd;
		env[1] = keys[i];
		rc = run_articlegen(dir, args, env, &out, &err);
		ck_assert_msg(rc == 69, "exit %d\n%s\n%s", rc, out, err);
		ck_assert_msg(strstr(out, "Incorrect API key provided: "
		    "sk-***.") != NULL, "%s", out);
		ck_assert_msg(strstr(out, "SECRET") == NULL, "%s", out);
		ck_assert_msg(strstr(err, "SECRET") == NULL, "%s", err);
		free(cmd);
		xasprintf(&cmd, "grep -r -q SECRET '%s'", dir);
		ck_assert_int_ne(system(cmd), 0);
		free(cmd);
		free(out);
		free(err);
		test_rmtree(dir);
		free(dir);
		standin_stop(&s);
	}
}
END_TEST

/*
 * An enriched topic of 5,000 characters (and one of slashes and dots)
 * on every item: the tags stay short and the whole site builds.
 */
START_TEST(test_long_topic_site_builds)
{
	const char	*args[] = { "--jobs", "2", "-n", "3", "-o",
	    "site/content/posts", "enriched.json", NULL };
	const char	*env[2] = { NULL, NULL };
	struct json_object *root, *items, *topics;
	struct buf	 b;
	char		*dir, *cmd, *out, *err, *path, *files, *line, *save;
	char		*data, *tags;
	size_t		 i;
	int		 rc, pages = 0;

	dir = e2e_workdir("longtopic");
	xasprintf(&path, "%s/enriched.json", dir);
	root = json_object_from_file(path);
	ck_assert_ptr_nonnull(root);
	ck_assert(json_object_object_get_ex(root, "items", &items));
	buf_init(&b);
	while (b.b_len < 5000)
		buf_puts(&b, "self-hosted infrastructure ");
	for (i = 0; i < json_object_array_length(items); i++) {
		if (!json_object_object_get_ex(json_object_array_get_idx(items,
		    i), "topics", &topics))
			continue;
		json_object_array_put_idx(topics, 0,
		    json_object_new_string(b.b_data));
		json_object_array_put_idx(topics, 1,
		    json_object_new_string("../../a/b/c/..\\x"));
	}
	ck_assert_int_eq(json_object_to_file(path, root), 0);
	json_object_put(root);
	buf_release(&b);
	free(path);
	/* the demo site, with a page for every tag, as a theme's site has */
	xasprintf(&cmd, "cp -R '%s/examples/hugo-site' '%s/site' && sed -i "
	    "'s/\"taxonomy\", \"term\", //' '%s/site/config.toml' && ! grep "
	    "-q '\"term\"' '%s/site/config.toml'", test_srcdir(), dir, dir,
	    dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	env[0] = e2e_env_base_url();
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	free(out);
	free(err);
	xasprintf(&cmd, "%s/site", dir);
	e2e_hugo_build(cmd);
	free(cmd);
	xasprintf(&path, "%s/site/content/posts", dir);
	files = list_dir(path, ".md");
	save = NULL;
	for (line = strtok_r(files, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		xasprintf(&cmd, "%s/%s", path, line);
		data = test_read_file(cmd, NULL);
		ck_assert_ptr_nonnull(data);
		ck_assert_msg(strstr(data, "- \"self-hosted infrastructure "
		    "self-hosted\"\n") != NULL, "%s", data);
		/* no slash or dot path in the tags */
		tags = strstr(data, "\ntags:\n");
		ck_assert_ptr_nonnull(tags);
		*strstr(tags, "\ntitle: ") = '\0';
		ck_assert_msg(strchr(tags, '/') == NULL && strstr(tags, "..") ==
		    NULL, "%s", tags);
		ck_assert_ptr_nonnull(strstr(tags, "- \"a b c x\"\n"));
		free(data);
		free(cmd);
		pages++;
	}
	ck_assert_int_eq(pages, 3);
	free(files);
	free(path);
	xasprintf(&path, "%s/site/public/tags/self-hosted-infrastructure-"
	    "self-hosted/index.html", dir);
	data = test_read_file(path, NULL);
	ck_assert_msg(data != NULL, "no tag page %s", path);
	free(data);
	free(path);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_installed_layout)
{
	const char	*args[] = { "--jobs", "2", "-n", "2", "-o", "posts",
	    "enriched.json", NULL };
	const char	*env[2] = { NULL, NULL };
	char		*dir, *cmd, *out, *err, *list, *posts;
	int		 rc;

	/* build and install into a private prefix, then run from there */
	dir = e2e_workdir("install");
	xasprintf(&cmd, "make -s -C '%s' BUILD='%s/b' PREFIX='%s/p' install "
	    ">'%s/make.log' 2>&1", test_srcdir(), dir, dir, dir);
	ck_assert_msg(system(cmd) == 0, "make install failed: see %s/make.log",
	    dir);
	free(cmd);
	xasprintf(&cmd, "test -x '%s/p/bin/articlegen' && test -x "
	    "'%s/p/libexec/articlegen/articlegen-worker' && test -f "
	    "'%s/p/share/articlegen/pricing.json'", dir, dir, dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	/* the run finds its worker in libexec and its prices in share */
	env[0] = e2e_env_base_url();
	{
		char	*argv0;
		pid_t	 pid;
		int	 status, fd;

		xasprintf(&argv0, "%s/p/bin/articlegen", dir);
		pid = fork();
		ck_assert_int_ne(pid, -1);
		if (pid == 0) {
			char	*envp[] = { (char *)(uintptr_t)env[0],
			    (char *)(uintptr_t)"PATH=/usr/bin:/bin", NULL };
			char	*argv[9];
			int	 i;

			argv[0] = argv0;
			for (i = 0; args[i] != NULL; i++)
				argv[i + 1] = (char *)(uintptr_t)args[i];
			argv[i + 1] = NULL;
			if (chdir(dir) == -1)
				_exit(126);
			fd = open("run.log", O_WRONLY | O_CREAT | O_TRUNC, 0644);
			dup2(fd, 1);
			dup2(fd, 2);
			execve(argv0, argv, envp);
			_exit(127);
		}
		waitpid(pid, &status, 0);
		xasprintf(&out, "%s/run.log", dir);
		err = test_read_file(out, NULL);
		rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		ck_assert_msg(rc == 0, "installed articlegen exit %d:\n%s", rc,
		    err);
		ck_assert_ptr_nonnull(strstr(err, "parallel: 2 worker "
		    "processes"));
		free(out);
		free(err);
		free(argv0);
	}
	xasprintf(&posts, "%s/posts", dir);
	list = list_dir(posts, ".md");
	ck_assert_uint_eq(count_lines(list), 2);
	free(list);
	free(posts);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_falls_back_when_workers_cannot_start)
{
	const char	*args[] = { "--jobs", "4", "-n", "3", "-o", "posts",
	    "enriched.json", NULL };
	const char	*env[2] = { NULL, NULL };
	char		*dir, *out, *err, *list, *posts;
	struct rlimit	 old, low;
	int		 rc;

	/*
	 * With 11 descriptors articlegen cannot make a worker's three pipes
	 * (it holds 6 by then) but can still run curl and write files:
	 * it must say so and generate everything in-process.
	 */
	dir = e2e_workdir("fallback");
	env[0] = e2e_env_base_url();
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = 11;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_msg(strstr(err, "single-process: cannot start workers "
	    "(pipe: Too many open files)") != NULL, "%s", err);
	xasprintf(&posts, "%s/posts", dir);
	list = list_dir(posts, ".md");
	ck_assert_uint_eq(count_lines(list), 3);
	free(list);
	free(posts);
	free(out);
	free(err);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* "id1\nid2\n..." of the written items in a JSON report, sorted. */
static char *
written_ids(const char *report_path)
{
	char	*data, *p, *q, *ids[64], *out;
	size_t	 n = 0, i, j, len = 1;

	data = test_read_file(report_path, NULL);
	ck_assert_msg(data != NULL, "no report %s", report_path);
	for (p = data; (p = strstr(p, "\"id\":\"")) != NULL && n < 64; ) {
		p += 6;
		q = strchr(p, '"');
		/* the outcome follows the id within the item object */
		if (strstr(q, "\"outcome\":\"written\"") == strstr(q,
		    "\"outcome\":") && strstr(q, "\"outcome\":") != NULL)
			ids[n++] = xstrndup(p, (size_t)(q - p));
		p = q;
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(ids[j - 1], ids[j]) > 0; j--) {
			char *t = ids[j];

			ids[j] = ids[j - 1];
			ids[j - 1] = t;
		}
	for (i = 0; i < n; i++)
		len += strlen(ids[i]) + 1;
	out = xcalloc(1, len);
	for (i = 0; i < n; i++) {
		strcat(out, ids[i]);
		strcat(out, "\n");
		free(ids[i]);
	}
	free(data);
	return (out);
}

START_TEST(test_shards_partition_the_run)
{
	const char	*env[2] = { NULL, NULL };
	const char	*args[12];
	char		*dir, *out, *err, *all, *part[3], *merged, *tmp;
	char		 shard[8], odir[16], rep[32];
	int		 k, rc;
	size_t		 total = 0;

	dir = e2e_workdir("shard");
	env[0] = e2e_env_base_url();
	args[0] = "-o"; args[1] = "all"; args[2] = "--report";
	args[3] = "all.json"; args[4] = "enriched.json"; args[5] = NULL;
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "%s", err);
	free(out);
	free(err);
	xasprintf(&tmp, "%s/all.json", dir);
	all = written_ids(tmp);
	free(tmp);
	ck_assert_uint_eq(count_lines(all), 9);
	merged = xstrdup("");
	for (k = 1; k <= 3; k++) {
		snprintf(shard, sizeof(shard), "%d/3", k);
		snprintf(odir, sizeof(odir), "s%d", k);
		snprintf(rep, sizeof(rep), "s%d.json", k);
		args[0] = "--shard"; args[1] = shard; args[2] = "-o";
		args[3] = odir; args[4] = "--report"; args[5] = rep;
		args[6] = "enriched.json"; args[7] = NULL;
		rc = run_articlegen(dir, args, env, &out, &err);
		ck_assert_msg(rc == 0, "shard %s: %s", shard, err);
		free(out);
		free(err);
		xasprintf(&tmp, "%s/%s", dir, rep);
		part[k - 1] = written_ids(tmp);
		free(tmp);
		total += count_lines(part[k - 1]);
		xasprintf(&tmp, "%s%s", merged, part[k - 1]);
		free(merged);
		merged = tmp;
	}
	/* disjoint: the parts add up to the whole with no id twice */
	ck_assert_uint_eq(total, 9);
	{
		char	*ids[16], *save = NULL, *line, *sorted;
		size_t	 n = 0, i, j;

		for (line = strtok_r(merged, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save))
			ids[n++] = line;
		for (i = 1; i < n; i++)
			for (j = i; j > 0 && strcmp(ids[j - 1], ids[j]) > 0;
			    j--) {
				char *t = ids[j];

				ids[j] = ids[j - 1];
				ids[j - 1] = t;
			}
		sorted = xcalloc(1, 1024);
		for (i = 0; i < n; i++) {
			if (i > 0)
				ck_assert_str_ne(ids[i - 1], ids[i]);
			strcat(sorted, ids[i]);
			strcat(sorted, "\n");
		}
		/* union equals the unsharded run */
		ck_assert_str_eq(sorted, all);
		free(sorted);
	}
	/* no shard is empty for this input, so the split is real */
	for (k = 0; k < 3; k++) {
		ck_assert_uint_gt(count_lines(part[k]), 0);
		free(part[k]);
	}
	free(merged);
	free(all);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* Every path under dir with its size, sorted: a cheap picture of a tree. */
static char *
tree_listing(const char *dir)
{
	char	*cmd, *path, *data;

	path = test_tmpdir("tree");
	xasprintf(&cmd, "cd '%s' && find . -printf '%%p %%s\\n' | sort > "
	    "'%s/list'", dir, path);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	xasprintf(&cmd, "%s/list", path);
	data = test_read_file(cmd, NULL);
	free(cmd);
	test_rmtree(path);
	free(path);
	return (data);
}

START_TEST(test_dry_run_changes_nothing)
{
	const char	*args[] = { "--dry-run", "--jobs", "4", "-o",
	    "site/content/posts", "enriched.json", NULL };
	const char	*fargs[] = { "--dry-run", "--force", "-o", "posts",
	    "enriched.json", NULL };
	const char	*gen[] = { "-n", "2", "-o", "posts", "enriched.json",
	    NULL };
	const char	*env[2] = { NULL, NULL };
	char		*dir, *before, *after, *out, *err;
	int		 rc;

	dir = e2e_workdir("dryrun");
	env[0] = e2e_env_base_url();
	before = tree_listing(dir);
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "%s", err);
	after = tree_listing(dir);
	ck_assert_str_eq(before, after);
	ck_assert_int_eq(standin_requests(&e2e_standin), 0);
	ck_assert_ptr_nonnull(strstr(out, "Dry run: 9 articles would be "
	    "generated"));
	ck_assert_ptr_nonnull(strstr(out, "[NEW]     items[3] github_880002 "
	    "(quality 0.77): Integrative List Generator"));
	ck_assert_ptr_nonnull(strstr(out, "General Article Generator"));
	ck_assert_ptr_nonnull(strstr(out, "Rejected: research_unavailable: 1, "
	    "low_quality: 1"));
	free(out);
	free(err);
	free(before);
	free(after);
	/* with published articles and --force, the plan names the files */
	rc = run_articlegen(dir, gen, env, &out, &err);
	ck_assert_int_eq(rc, 0);
	free(out);
	free(err);
	rc = standin_requests(&e2e_standin);
	before = tree_listing(dir);
	ck_assert_int_eq(run_articlegen(dir, fargs, env, &out, &err), 0);
	after = tree_listing(dir);
	ck_assert_str_eq(before, after);
	ck_assert_int_eq(standin_requests(&e2e_standin), rc);
	ck_assert_ptr_nonnull(strstr(out, "[REPLACE]"));
	ck_assert_ptr_nonnull(strstr(out, "(replaced in place)"));
	free(out);
	free(err);
	free(before);
	free(after);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_print_config_layers_and_secrecy)
{
	const char	*args[] = { "--print-config", "-c", "my.conf", "-n", "3",
	    NULL };
	const char	*env[] = { "OPENAI_API_KEY=sk-e2e-PRINTCFG-SECRET",
	    "MODEL_TITLE=from-env", "ARTICLES_PER_RUN=7", NULL };
	const char	*bad[] = { "--print-config", "-c", "bad.conf", NULL };
	const char	*badenv[] = { "QUALITY_THRESHOLD=1.5", NULL };
	const char	*badflag[] = { "--jobs", "zero", "enriched.json", NULL };
	char		*dir, *path, *out, *err;

	dir = e2e_workdir("printcfg");
	xasprintf(&path, "%s/my.conf", dir);
	ck_assert_int_eq(test_write_file(path, "# settings\n"
	    "model_content = from-file\nmodel_title = from-file\n"
	    "max_articles = 5\ngrace = \"12\"\n"), 0);
	free(path);
	ck_assert_int_eq(run_articlegen(dir, args, env, &out, &err), 0);
	ck_assert_ptr_null(strstr(out, "SECRET"));
	ck_assert_ptr_null(strstr(err, "SECRET"));
	ck_assert_ptr_nonnull(strstr(out, "api_key            = (set)"));
	ck_assert_ptr_nonnull(strstr(out, "environment OPENAI_API_KEY"));
	/* file < environment < flags, each value with its origin */
	ck_assert_ptr_nonnull(strstr(out, "model_content      = from-file"));
	ck_assert_ptr_nonnull(strstr(out, "my.conf:2"));
	ck_assert_ptr_nonnull(strstr(out, "model_title        = from-env"));
	ck_assert_ptr_nonnull(strstr(out, "environment MODEL_TITLE"));
	ck_assert_ptr_nonnull(strstr(out, "max_articles       = 3"));
	ck_assert_ptr_nonnull(strstr(out, "command line --max-articles"));
	ck_assert_ptr_nonnull(strstr(out, "grace              = 12"));
	ck_assert_ptr_nonnull(strstr(out, "quality_threshold  = 0.5"));
	free(out);
	free(err);
	/* bad values name the setting and where it came from */
	xasprintf(&path, "%s/bad.conf", dir);
	ck_assert_int_eq(test_write_file(path, "jobs = 4\nnonesuch = 1\n"), 0);
	free(path);
	ck_assert_int_eq(run_articlegen(dir, bad, NULL, &out, &err), 78);
	ck_assert_msg(strstr(err, "bad.conf:2: unknown setting 'nonesuch'") !=
	    NULL, "%s", err);
	free(out);
	free(err);
	ck_assert_int_eq(run_articlegen(dir, args, badenv, &out, &err), 78);
	ck_assert_msg(strstr(err, "quality_threshold (from environment "
	    "QUALITY_THRESHOLD): '1.5' is not a number from 0 to 1") != NULL,
	    "%s", err);
	free(out);
	free(err);
	ck_assert_int_eq(run_articlegen(dir, badflag, NULL, &out, &err), 64);
	ck_assert_msg(strstr(err, "jobs (from command line --jobs)") != NULL,
	    "%s", err);
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_check_reports_honestly)
{
	const char	*args[] = { "--check", "--online", NULL };
	const char	*env[2] = { NULL, NULL };
	char		*dir, *out, *err;
	int		 rc;

	dir = e2e_workdir("check");
	env[0] = e2e_env_base_url();
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(strstr(out, "worker start:  ok (handshake answered") !=
	    NULL, "%s\n%s", out, err);
	ck_assert_ptr_nonnull(strstr(out, "cores:"));
	ck_assert_ptr_nonnull(strstr(out, "libcurl"));
	ck_assert_ptr_nonnull(strstr(out, "API answers:   HTTP 200 from "));
	ck_assert_ptr_nonnull(strstr(out, "check: ok"));
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(strstr(out, "API key:       not set"));
	free(out);
	free(err);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/*
 * A user and password in OPENAI_BASE_URL (a proxy's) are never printed
 * by --check, whether the API answers or not; --emit-jobs, whose job
 * files must carry them for the worker, makes them readable by their
 * owner only.
 */
START_TEST(test_credentials_in_the_api_url)
{
	const char	*args[] = { "--check", "--online", NULL };
	const char	*eargs[] = { "--emit-jobs", "jobs", "-n", "1",
	    "enriched.json", NULL };
	const char	*env[2] = { NULL, NULL };
	char		*dir, *out, *err, *url, *path, *job;
	struct stat	 st;
	int		 i;

	dir = e2e_workdir("credurl");
	for (i = 0; i < 2; i++) {
		xasprintf(&url, "OPENAI_BASE_URL=http://bob:hunter2pw@"
		    "127.0.0.1:%d/v1", i == 0 ? e2e_standin.port : 1);
		env[0] = url;
		(void)run_articlegen(dir, args, env, &out, &err);
		ck_assert_msg(strstr(out, "hunter2pw") == NULL && strstr(err,
		    "hunter2pw") == NULL, "%s\n%s", out, err);
		ck_assert_msg(strstr(out, "API:           http://***@127.0.0.1"
		    ":") != NULL, "%s", out);
		ck_assert_msg(strstr(out, i == 0 ? "API answers:   HTTP 200 "
		    "from http://***@127.0.0.1:" : "API answers:   FAILED (") !=
		    NULL, "%s", out);
		free(out);
		free(err);
		free(url);
	}
	xasprintf(&url, "OPENAI_BASE_URL=http://bob:hunter2pw@127.0.0.1:%d/v1",
	    e2e_standin.port);
	env[0] = url;
	ck_assert_int_eq(run_articlegen(dir, eargs, env, &out, &err), 0);
	xasprintf(&path, "%s/jobs/job-1.json", dir);
	job = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(job);
	ck_assert_ptr_nonnull(strstr(job, "hunter2pw"));	/* the worker's */
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 077, 0);
	free(path);
	xasprintf(&path, "%s/jobs", dir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 077, 0);
	free(path);
	free(job);
	free(out);
	free(err);
	free(url);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_output_under_actions_and_journal)
{
	const char	*args[] = { "--jobs", "2", "-n", "2", "-o", "posts",
	    "enriched.json", NULL };
	const char	*env[4] = { NULL, "GITHUB_ACTIONS=true", NULL, NULL };
	const char	*jenv[3] = { NULL, "JOURNAL_STREAM=8:12345", NULL };
	const char	*fargs[] = { "--jobs", "2", "-n", "1", "-o", "posts2",
	    "enriched.json", NULL };
	char		*dir, *out, *err, *summary, *sp;
	int		 rc;

	dir = e2e_workdir("actions");
	env[0] = e2e_env_base_url();
	xasprintf(&sp, "GITHUB_STEP_SUMMARY=%s/summary.md", dir);
	env[2] = sp;
	rc = run_articlegen(dir, args, env, &out, &err);
	ck_assert_msg(rc == 0, "%s", err);
	ck_assert_ptr_nonnull(strstr(out, "::group::article 1 (github_880002)"));
	ck_assert_ptr_nonnull(strstr(out, "::endgroup::"));
	free(out);
	free(err);
	summary = test_read_file(sp + strlen("GITHUB_STEP_SUMMARY="), NULL);
	ck_assert_ptr_nonnull(summary);
	ck_assert_ptr_nonnull(strstr(summary, "| item | result | file | title "
	    "| words | seconds | cost |"));
	ck_assert_ptr_nonnull(strstr(summary, "| github_880002 | ok | "));
	ck_assert_ptr_nonnull(strstr(summary, "2 written, 0 failed"));
	free(summary);
	free(sp);
	/*
	 * a JOURNAL_STREAM that is not stderr (inherited by a shell started
	 * from a service) is ignored: plain lines, no "<N>" (check_log.c
	 * tests the matching stream)
	 */
	jenv[0] = env[0];
	rc = run_articlegen(dir, fargs, jenv, &out, &err);
	ck_assert_msg(rc == 0, "%s", err);
	ck_assert_msg(strstr(err, "articlegen[") != NULL &&
	    strstr(err, "<5>") == NULL && strstr(err, "<6>") == NULL, "%s",
	    err);
	free(out);
	free(err);
	free((char *)(uintptr_t)env[0]);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_failure_annotated_under_actions)
{
	const char	*extra[] = { "--faults", "4*status:500", NULL };
	const char	*args[] = { "-n", "1", "-o", "posts", "enriched.json",
	    NULL };
	const char	*env[] = { NULL, "GITHUB_ACTIONS=true",
	    "RETRY_MAX_ATTEMPTS=0", NULL };
	struct standin	 s;
	char		*dir, *out, *err;
	int		 rc;

	standin_start(&s, extra);
	dir = e2e_workdir("annot");
	xasprintf(&out, "OPENAI_BASE_URL=%s", s.base_url);
	env[0] = out;
	rc = run_articlegen(dir, args, env, &out, &err);
	free((char *)(uintptr_t)env[0]);
	ck_assert_int_eq(rc, 1);
	ck_assert_msg(strstr(out, "::error title=article failed::github_880002: "
	    "content call: HTTP 500") != NULL, "%s", out);
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
	standin_stop(&s);
}
END_TEST

Suite *
e2e_suite(void)
{
	Suite	*s = suite_create("e2e");
	TCase	*tc = tcase_create("generate");

	tcase_add_checked_fixture(tc, e2e_setup_standin, e2e_teardown_standin);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_jobs1_and_jobs4_write_the_same_articles);
	tcase_add_test(tc, test_articles_build_with_hugo);
	tcase_add_test(tc, test_bad_input_files);
	tcase_add_test(tc, test_newest_enriched_file_is_used);
	tcase_add_test(tc, test_rerun_and_force);
	tcase_add_test(tc, test_api_key_never_printed);
	tcase_add_test(tc, test_no_key_for_the_default_api);
	tcase_add_test(tc, test_falls_back_when_workers_cannot_start);
	suite_add_tcase(s, tc);
	tc = tcase_create("cli");
	tcase_add_checked_fixture(tc, e2e_setup_standin, e2e_teardown_standin);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_shards_partition_the_run);
	tcase_add_test(tc, test_dry_run_changes_nothing);
	tcase_add_test(tc, test_print_config_layers_and_secrecy);
	tcase_add_test(tc, test_check_reports_honestly);
	tcase_add_test(tc, test_credentials_in_the_api_url);
	tcase_add_test(tc, test_output_under_actions_and_journal);
	tcase_add_test(tc, test_failure_annotated_under_actions);
	suite_add_tcase(s, tc);
	tc = tcase_create("install");
	tcase_add_checked_fixture(tc, e2e_setup_standin, e2e_teardown_standin);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_installed_layout);
	suite_add_tcase(s, tc);
	tc = tcase_create("faults");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_failed_calls_publish_nothing);
	tcase_add_test(tc, test_retry_then_success);
	tcase_add_test(tc, test_unauthorized_stops_the_run);
	tcase_add_test(tc, test_unpublishable_replies_fail);
	tcase_add_test(tc, test_recoverable_replies_publish);
	tcase_add_test(tc, test_failed_article_generated_next_run);
	tcase_add_test(tc, test_key_echoed_by_server_is_masked);
	suite_add_tcase(s, tc);
	tc = tcase_create("tags");
	tcase_add_checked_fixture(tc, e2e_setup_standin, e2e_teardown_standin);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_long_topic_site_builds);
	suite_add_tcase(s, tc);
	return (s);
}
