/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_log.c: the log lines as stderr receives them: control characters
 * of a message escaped, and the journal style used only when stderr is
 * the stream $JOURNAL_STREAM names.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "log.h"
#include "tests.h"
#include "xmalloc.h"

/*
 * Stderr redirected into a pipe for the length of one test.  The pipe's
 * st_dev:st_ino is what systemd would put into JOURNAL_STREAM.
 */
struct capture {
	int	c_pipe[2];
	int	c_saved;
	char	c_stream[64];	/* "dev:ino" of the pipe */
};

static void
capture_start(struct capture *c)
{
	struct stat	sb;

	ck_assert_int_eq(pipe(c->c_pipe), 0);
	c->c_saved = dup(STDERR_FILENO);
	ck_assert_int_ne(c->c_saved, -1);
	ck_assert_int_ne(dup2(c->c_pipe[1], STDERR_FILENO), -1);
	ck_assert_int_eq(fstat(STDERR_FILENO, &sb), 0);
	(void)snprintf(c->c_stream, sizeof(c->c_stream), "%ju:%ju",
	    (uintmax_t)sb.st_dev, (uintmax_t)sb.st_ino);
}

/* Restore stderr and return what was written to it (owned). */
static char *
capture_end(struct capture *c)
{
	char	 buf[8192];
	ssize_t	 n;
	size_t	 len = 0;

	ck_assert_int_ne(dup2(c->c_saved, STDERR_FILENO), -1);
	close(c->c_saved);
	close(c->c_pipe[1]);
	while (len < sizeof(buf) - 1 &&
	    (n = read(c->c_pipe[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(c->c_pipe[0]);
	buf[len] = '\0';
	return (xstrdup(buf));
}

START_TEST(test_escape_controls)
{
	struct capture	 c;
	char		*out, *want;

	capture_start(&c);
	log_warnx("title %s end", "a\nfake[1]: forged\r\033[2Jb\tc\001\177"
	    "\302\233d\233e \303\251 \342\200\224");
	out = capture_end(&c);
	xasprintf(&want, "check[%ld]: title a\\nfake[1]: forged\\r\\x1b[2Jb"
	    "\\tc\\x01\\x7f\\u009bd\\x9be \303\251 \342\200\224 end\n",
	    (long)getpid());
	ck_assert_str_eq(out, want);
	free(want);
	free(out);
}
END_TEST

/* log_warn() escapes too, and a long message still ends in one newline. */
START_TEST(test_escape_long_and_errno)
{
	struct capture	 c;
	char		*out, *big;
	size_t		 i;

	big = xmalloc(6000);
	for (i = 0; i < 5999; i++)
		big[i] = i % 3 == 0 ? '\n' : 'x';
	big[5999] = '\0';
	capture_start(&c);
	errno = ENOENT;
	log_warn("open %s", "a\nb");
	log_warnx("%s", big);
	out = capture_end(&c);
	ck_assert_msg(strstr(out, "open a\\nb: No such file or directory\n")
	    != NULL, "%s", out);
	/* two lines exactly: no newline of the message got through */
	ck_assert_ptr_nonnull(strchr(out, '\n'));
	ck_assert_ptr_nonnull(strchr(strchr(out, '\n') + 1, '\n'));
	ck_assert_str_eq(strchr(strchr(out, '\n') + 1, '\n'), "\n");
	ck_assert_uint_le(strlen(out), 4096 + 100);
	free(out);
	free(big);
}
END_TEST

START_TEST(test_escape_truncates_whole_escapes)
{
	char	dst[8];
	size_t	n;

	n = log_escape(dst, sizeof(dst), "ab\ncd\033", 6);
	ck_assert_str_eq(dst, "ab\\ncd");
	ck_assert_uint_eq(n, 6);
	/* "\x1b" does not fit in the last byte: nothing of it is written */
	n = log_escape(dst, sizeof(dst), "abcd\033", 5);
	ck_assert_str_eq(dst, "abcd");
	/* a two-byte character is copied whole or not at all */
	n = log_escape(dst, 6, "abcd\303\251", 6);
	ck_assert_str_eq(dst, "abcd");
	ck_assert_uint_eq(n, 4);
}
END_TEST

/* A JOURNAL_STREAM of another file (an inherited one) is not trusted. */
START_TEST(test_journal_stream_mismatch)
{
	struct capture	 c;
	char		*out, *want;

	log_setverbose(1);	/* notices show from verbosity 1 */
	capture_start(&c);
	ck_assert_int_eq(setenv("JOURNAL_STREAM", "8:12345", 1), 0);
	ck_assert_int_eq(log_stderr_is_journal(), 0);
	ck_assert_int_eq(log_setstyle(LOG_STYLE_JOURNAL), LOG_STYLE_PLAIN);
	log_notice("hello");
	/* the device of the pipe, with an inode that is not the pipe's */
	ck_assert_int_eq(setenv("JOURNAL_STREAM", "0:1", 1), 0);
	ck_assert_int_eq(log_setstyle(LOG_STYLE_JOURNAL), LOG_STYLE_PLAIN);
	ck_assert_int_eq(setenv("JOURNAL_STREAM", "garbage", 1), 0);
	ck_assert_int_eq(log_stderr_is_journal(), 0);
	unsetenv("JOURNAL_STREAM");
	ck_assert_int_eq(log_stderr_is_journal(), 0);
	out = capture_end(&c);
	xasprintf(&want, "check[%ld]: hello\n", (long)getpid());
	ck_assert_str_eq(out, want);
	free(want);
	free(out);
}
END_TEST

/* stderr is the stream named: "<N>message", without name and pid. */
START_TEST(test_journal_stream_match)
{
	struct capture	 c;
	char		*out, *trail;

	log_setverbose(1);	/* notices show from verbosity 1 */
	capture_start(&c);
	ck_assert_int_eq(setenv("JOURNAL_STREAM", c.c_stream, 1), 0);
	ck_assert_int_eq(log_stderr_is_journal(), 1);
	xasprintf(&trail, "%sx", c.c_stream);
	ck_assert_int_eq(setenv("JOURNAL_STREAM", trail, 1), 0);
	ck_assert_int_eq(log_stderr_is_journal(), 0);
	free(trail);
	ck_assert_int_eq(setenv("JOURNAL_STREAM", c.c_stream, 1), 0);
	ck_assert_int_eq(log_setstyle(LOG_STYLE_JOURNAL), LOG_STYLE_JOURNAL);
	log_notice("hello");
	log_warnx("two\nlines");
	out = capture_end(&c);
	(void)log_setstyle(LOG_STYLE_PLAIN);
	unsetenv("JOURNAL_STREAM");
	ck_assert_str_eq(out, "<5>hello\n<4>two\\nlines\n");
	free(out);
}
END_TEST

Suite *
log_suite(void)
{
	Suite	*s = suite_create("log");
	TCase	*tc;

	tc = tcase_create("escape");
	tcase_add_test(tc, test_escape_controls);
	tcase_add_test(tc, test_escape_long_and_errno);
	tcase_add_test(tc, test_escape_truncates_whole_escapes);
	suite_add_tcase(s, tc);

	tc = tcase_create("journal");
	tcase_add_test(tc, test_journal_stream_mismatch);
	tcase_add_test(tc, test_journal_stream_match);
	suite_add_tcase(s, tc);
	return (s);
}
