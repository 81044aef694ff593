/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_config.c: the configuration file's syntax (inline comments,
 * quoted values, the nearest key for a misspelt one), URLs shown without
 * their credentials, and --print-config output that loads back with -c
 * to the same values.
 */
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "config.h"
#include "mask.h"
#include "tests.h"
#include "xmalloc.h"

/* Load text as a config file; returns config_load_file()'s result. */
static int
load_text(struct config *c, const char *text, char *err, size_t errlen)
{
	char	*dir, *path;
	int	 rc;

	dir = test_tmpdir("config");
	xasprintf(&path, "%s/test.conf", dir);
	ck_assert_int_eq(test_write_file(path, text), 0);
	config_init(c);
	err[0] = '\0';
	rc = config_load_file(c, path, err, errlen);
	test_rmtree(dir);
	free(dir);
	free(path);
	return (rc);
}

START_TEST(test_inline_comments)
{
	struct config	c;
	char		err[512];

	ck_assert_msg(load_text(&c,
	    "# a comment line\n"
	    "  # an indented one\n"
	    "model_content = gpt-x   # the model\n"
	    "model_title=gpt-y\t# after a tab\n"
	    "base_url = https://llm.example/v1#frag # a fragment is kept\n"
	    "provider = \"a # b\"  # quoted: the '#' is part of the value\n"
	    "run_id = r#1\n"
	    "content_dir = \"/srv/my blog/posts\"\n"
	    "data_dir = /srv/data dir  \n"
	    "worker = \"#w\"\n", err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(config_str(&c, CK_MODEL_CONTENT), "gpt-x");
	ck_assert_str_eq(config_str(&c, CK_MODEL_TITLE), "gpt-y");
	ck_assert_str_eq(config_str(&c, CK_BASE_URL),
	    "https://llm.example/v1#frag");
	ck_assert_str_eq(config_str(&c, CK_PROVIDER), "a # b");
	ck_assert_str_eq(config_str(&c, CK_RUN_ID), "r#1");
	ck_assert_str_eq(config_str(&c, CK_CONTENT_DIR), "/srv/my blog/posts");
	ck_assert_str_eq(config_str(&c, CK_DATA_DIR), "/srv/data dir");
	ck_assert_str_eq(config_str(&c, CK_WORKER), "#w");
	config_release(&c);
}
END_TEST

START_TEST(test_syntax_errors)
{
	struct config	c;
	char		err[512];

	ck_assert_int_eq(load_text(&c, "jobs = 2\nprovider = \"open\n", err,
	    sizeof(err)), -1);
	ck_assert_msg(strstr(err, "test.conf:2: provider: no closing '\"'") !=
	    NULL, "%s", err);
	config_release(&c);
	ck_assert_int_eq(load_text(&c, "provider = \"a\"b\n", err,
	    sizeof(err)), -1);
	ck_assert_msg(strstr(err, "test.conf:1: provider: text after the "
	    "closing") != NULL, "%s", err);
	config_release(&c);
	/* a comment alone leaves an empty value, which is an error */
	ck_assert_int_eq(load_text(&c, "provider = # none\n", err,
	    sizeof(err)), -1);
	ck_assert_msg(strstr(err, "must not be empty") != NULL, "%s", err);
	config_release(&c);
}
END_TEST

START_TEST(test_unknown_key_suggests)
{
	struct config	c;
	char		err[512];

	ck_assert_int_eq(load_text(&c, "modle_content = x\n", err,
	    sizeof(err)), -1);
	ck_assert_str_eq(strstr(err, "test.conf:1:"), "test.conf:1: unknown "
	    "setting 'modle_content' (did you mean 'model_content'?)");
	config_release(&c);
	ck_assert_int_eq(load_text(&c, "max_article = 3\n", err,
	    sizeof(err)), -1);
	ck_assert_msg(strstr(err, "(did you mean 'max_articles'?)") != NULL,
	    "%s", err);
	config_release(&c);
	/* nothing near: no guess */
	ck_assert_int_eq(load_text(&c, "nonesuch = 1\n", err, sizeof(err)),
	    -1);
	ck_assert_msg(strstr(err, "unknown setting 'nonesuch'") != NULL &&
	    strstr(err, "did you mean") == NULL, "%s", err);
	config_release(&c);
	ck_assert_str_eq(config_suggest("jbos"), "jobs");
	ck_assert_str_eq(config_suggest("graces"), "grace");
	ck_assert_ptr_null(config_suggest("ab"));
	ck_assert_ptr_null(config_suggest("api_key_file"));
}
END_TEST

START_TEST(test_print_only_lines)
{
	struct config	c;
	char		err[512];

	ck_assert_msg(load_text(&c, "api_key = (set)   # environment\n"
	    "api_key = (not set)\nconfig_file = /etc/x.conf # --config\n"
	    "jobs = 3\n", err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(config_str(&c, CK_JOBS), "3");
	config_release(&c);
	ck_assert_int_eq(load_text(&c, "api_key = sk-IN-A-FILE\n", err,
	    sizeof(err)), -1);
	ck_assert_msg(strstr(err, "the API key is never read from a "
	    "configuration file") != NULL, "%s", err);
	ck_assert_ptr_null(strstr(err, "sk-IN-A-FILE"));
	config_release(&c);
}
END_TEST

START_TEST(test_redact_url)
{
	static const char *const cases[][2] = {
		{ "https://user:pw@llm.example/v1", "https://***@llm.example/v1" },
		{ "http://tok@127.0.0.1:8080/v1?x=1", "http://***@127.0.0.1:8080/v1?x=1" },
		{ "https://a:b@c@host/v1", "https://***@host/v1" },
		{ "https://host/v1", "https://host/v1" },
		{ "https://host/v1/a@b", "https://host/v1/a@b" },
		{ "https://host?q=a@b", "https://host?q=a@b" },
		{ "https://host#x@y", "https://host#x@y" },
		{ "user:pw@host/v1", "***@host/v1" },
		{ "", "" },
	};
	char	*r;
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = url_redact_userinfo(cases[i][0]);
		ck_assert_msg(strcmp(r, cases[i][1]) == 0, "%s -> %s, want %s",
		    cases[i][0], r, cases[i][1]);
		free(r);
	}
}
END_TEST

START_TEST(test_print_redacts_and_quotes)
{
	struct config	 c;
	char		*buf = NULL, err[256];
	size_t		 len = 0;
	FILE		*f;

	config_init(&c);
	ck_assert_int_eq(config_set(&c, CK_BASE_URL,
	    "https://me:s3cret-PW@llm.example/v1", CONFIG_ENV,
	    "environment OPENAI_BASE_URL", err, sizeof(err)), 0);
	ck_assert_int_eq(config_set(&c, CK_PROVIDER, "a #b", CONFIG_FLAG,
	    "x", err, sizeof(err)), 0);
	f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	config_print(&c, f);
	fclose(f);
	ck_assert_ptr_null(strstr(buf, "s3cret"));
	ck_assert_ptr_null(strstr(buf, "me:"));
	ck_assert_msg(strstr(buf, "\nbase_url           = "
	    "https://***@llm.example/v1 ") != NULL, "%s", buf);
	ck_assert_ptr_nonnull(strstr(buf, "\nprovider           = \"a #b\""));
	/* unset settings are comments */
	ck_assert_ptr_nonnull(strstr(buf, "\n#shard             = (not set)"));
	free(buf);
	/* a bad URL's message does not show its credentials either */
	ck_assert_int_eq(config_set(&c, CK_BASE_URL, "ftp://u:SECRETPW@h/",
	    CONFIG_FILE, "f:1", err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "'ftp://***@h/' is not an http") != NULL,
	    "%s", err);
	config_release(&c);
}
END_TEST

/*
 * Run articlegen --print-config in dir with a clean environment plus
 * env (a shell fragment of assignments) and extra arguments; returns its
 * stdout (owned).
 */
static char *
print_config(const char *dir, const char *env, const char *args)
{
	char	*cmd, *path, *out;
	int	 st;

	xasprintf(&path, "%s/print.out", dir);
	xasprintf(&cmd, "cd '%s' && env -i PATH=\"$PATH\" %s '%s/articlegen' "
	    "--print-config %s >'%s' 2>&1", dir, env, test_builddir(), args,
	    path);
	st = system(cmd);
	out = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(out);
	ck_assert_msg(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "%s: %s", cmd, out);
	free(cmd);
	free(path);
	return (out);
}

/* The "key = value" parts of print-config output, without origins. */
static char *
values_of(const char *out)
{
	char	*copy, *line, *save, *res = xstrdup(""), *t, *hash;

	copy = xstrdup(out);
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "config_file ", 12) == 0)
			continue;
		/* the origin follows the last " # " */
		for (hash = strstr(line, " # "); hash != NULL &&
		    strstr(hash + 1, " # ") != NULL;
		    hash = strstr(hash + 1, " # "))
			;
		if (hash != NULL)
			*hash = '\0';
		xasprintf(&t, "%s%s\n", res, line);
		free(res);
		res = t;
	}
	free(copy);
	return (res);
}

START_TEST(test_print_config_loads_back)
{
	char	*dir, *first, *second, *path, *v1, *v2;

	dir = test_tmpdir("printback");
	first = print_config(dir, "MODEL_CONTENT='m # x' "
	    "CONTENT_DIR='/srv/my blog/posts' "
	    "OPENAI_BASE_URL='http://127.0.0.1:9/v1#frag' "
	    "QUALITY_THRESHOLD=0.25 ARTICLEGEN_LOCK_WAIT=yes",
	    "-n 3 --shard 2/3 --spawn exec");
	ck_assert_ptr_nonnull(strstr(first, "command line --shard"));
	xasprintf(&path, "%s/saved.conf", dir);
	ck_assert_int_eq(test_write_file(path, first), 0);
	second = print_config(dir, "", "-c saved.conf");
	ck_assert_ptr_nonnull(strstr(second, "saved.conf:"));
	v1 = values_of(first);
	v2 = values_of(second);
	ck_assert_str_eq(v2, v1);
	/* the values really came through the file */
	ck_assert_ptr_nonnull(strstr(v2, "model_content      = \"m # x\""));
	ck_assert_ptr_nonnull(strstr(v2, "shard              = 2/3"));
	ck_assert_ptr_nonnull(strstr(v2,
	    "base_url           = http://127.0.0.1:9/v1#frag"));
	free(v1);
	free(v2);
	free(first);
	free(second);
	free(path);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* Where covers go when STATIC_DIR is unset. */
START_TEST(test_default_static_dir)
{
	static const char *const cases[][2] = {
		{ "content/posts", "static" },
		{ "site/content/posts", "site/static" },
		{ "/srv/blog/content/posts/", "/srv/blog/static" },
		{ "/srv/blog/content", "/srv/blog/static" },
		{ "/a/content/b/content/posts", "/a/content/b/static" },
		{ "out/posts", "out/static" },
		{ "posts", "static" },
		{ "/posts", "/static" },
		{ "my-content/posts", "my-content/static" },
	};
	size_t	i;
	char	*got;

	for (i = 0; i < nitems(cases); i++) {
		got = config_default_static_dir(cases[i][0]);
		ck_assert_msg(strcmp(got, cases[i][1]) == 0, "%s: %s, not %s",
		    cases[i][0], got, cases[i][1]);
		free(got);
	}
}
END_TEST

Suite *
config_suite(void)
{
	Suite	*s = suite_create("config");
	TCase	*tc;

	tc = tcase_create("file");
	tcase_add_test(tc, test_inline_comments);
	tcase_add_test(tc, test_syntax_errors);
	tcase_add_test(tc, test_unknown_key_suggests);
	tcase_add_test(tc, test_print_only_lines);
	tcase_add_test(tc, test_default_static_dir);
	suite_add_tcase(s, tc);

	tc = tcase_create("print");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_redact_url);
	tcase_add_test(tc, test_print_redacts_and_quotes);
	tcase_add_test(tc, test_print_config_loads_back);
	suite_add_tcase(s, tc);
	return (s);
}
