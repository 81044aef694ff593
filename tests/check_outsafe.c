/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_outsafe.c: what articlegen prints and writes is safe and whole:
 * display and workflow-command escaping (common/escape.c), shortest
 * round-trip numbers (common/numfmt.c), whole-file writes
 * (common/outfile.c) and the cost ledger's failures (orchestrator/
 * ledger.c).
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <json.h>

#include "buf.h"
#include "escape.h"
#include "gen.h"
#include "item.h"
#include "ledger.h"
#include "numfmt.h"
#include "outfile.h"
#include "tests.h"
#include "xmalloc.h"

/* esc_display(in) must equal want. */
static void
display_eq(const char *in, const char *want)
{
	char	*s = esc_display(in);

	ck_assert_str_eq(s, want);
	free(s);
}

START_TEST(test_escape_display)
{
	display_eq("github_880002", "github_880002");
	/* a newline cannot start a forged line or workflow command */
	display_eq("id\n::error::x", "id\\x0a::error::x");
	display_eq("a\r\nb\tc", "a\\x0d\\x0ab\\x09c");
	/* terminal escape sequences, DEL and C1 controls */
	display_eq("\033[2J\033]0;title\007", "\\x1b[2J\\x1b]0;title\\x07");
	display_eq("x\177y", "x\\x7fy");
	display_eq("c1:\302\233m", "c1:\\xc2\\x9bm");
	/* invalid UTF-8, byte by byte; valid UTF-8 untouched */
	display_eq("bad\377\300x", "bad\\xff\\xc0x");
	display_eq("caf\303\251 \xe2\x82\xac \xef\xbf\xbd",
	    "caf\303\251 \xe2\x82\xac \xef\xbf\xbd");
	/* a cut multi-byte sequence at the end */
	display_eq("end\xe2\x82", "end\\xe2\\x82");
	/* line separator and a bidirectional override */
	display_eq("a\xe2\x80\xa8" "b\xe2\x80\xae" "c",
	    "a\\xe2\\x80\\xa8b\\xe2\\x80\\xaec");
	display_eq("", "");
}
END_TEST

START_TEST(test_escape_gha)
{
	struct buf	b;

	buf_init(&b);
	esc_gha_data_buf(&b, "50% done: a,b\n::add-mask::x");
	ck_assert_str_eq(buf_cstr(&b), "50%25 done: a,b\\x0a::add-mask::x");
	buf_reset(&b);
	esc_gha_property_buf(&b, "file: a,b%");
	ck_assert_str_eq(buf_cstr(&b), "file%3A a%2Cb%25");
	buf_reset(&b);
	esc_gha_data_buf(&b, "\033[31mred");
	ck_assert_str_eq(buf_cstr(&b), "\\x1b[31mred");
	buf_release(&b);
}
END_TEST

/* numfmt_shortest(v) must equal want and read back as v. */
static void
shortest_eq(double v, const char *want)
{
	char	buf[NUMFMT_MAX];

	ck_assert_str_eq(numfmt_shortest(buf, sizeof(buf), v), want);
	if (strcmp(want, "null") != 0)
		ck_assert(strtod(buf, NULL) == v);
}

START_TEST(test_numfmt_shortest)
{
	struct json_object	*o;
	char			 buf[NUMFMT_MAX];

	/* exact round trip: the fewest of 15, 16, 17 digits that do it */
	shortest_eq(0.1 + 0.2, "0.30000000000000004");
	/* the content and title costs of an article, as the ledger had them */
	shortest_eq(0.0010727999999999998 + 3.320000000000001e-05,
	    "0.0011059999999999998");
	shortest_eq(0.1, "0.1");
	shortest_eq(2.0, "2.0");
	shortest_eq(0.0, "0.0");
	shortest_eq(-1.5, "-1.5");
	shortest_eq(1e-7, "1e-07");
	shortest_eq(1.0 / 3.0, "0.3333333333333333");
	shortest_eq(5e-324, "4.94065645841247e-324");
	shortest_eq(1.7976931348623157e308, "1.7976931348623157e+308");
	shortest_eq((double)NAN, "null");
	/* amounts: at most 15 digits, the noise of the sum gone */
	ck_assert_str_eq(numfmt_amount(buf, sizeof(buf),
	    0.0010727999999999998 + 3.320000000000001e-05), "0.001106");
	ck_assert_str_eq(numfmt_amount(buf, sizeof(buf),
	    0.0010727999999999998), "0.0010728");
	ck_assert_str_eq(numfmt_amount(buf, sizeof(buf), 12.0), "12.0");
	ck_assert_str_eq(numfmt_amount(buf, sizeof(buf), 1.0 / 3.0),
	    "0.333333333333333");
	ck_assert_str_eq(numfmt_amount(buf, sizeof(buf), (double)INFINITY),
	    "null");
	o = json_object_new_array();
	json_object_array_add(o, numfmt_json_double(0.0010727999999999998 +
	    3.320000000000001e-05));
	json_object_array_add(o, numfmt_json_double(12.5));
	json_object_array_add(o, numfmt_json_double((double)INFINITY));
	ck_assert_str_eq(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN), "[0.001106,12.5,null]");
	json_object_put(o);
}
END_TEST

/* The names in dir other than keep, one per line ("" when none). */
static char *
other_names(const char *dir, const char *keep)
{
	char	*cmd, *out;
	FILE	*p;
	char	 line[512];
	struct buf b;

	buf_init(&b);
	xasprintf(&cmd, "ls -A '%s'", dir);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	while (fgets(line, sizeof(line), p) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, keep) != 0) {
			buf_puts(&b, line);
			buf_putc(&b, '\n');
		}
	}
	pclose(p);
	free(cmd);
	out = buf_detach(&b);
	return (out);
}

START_TEST(test_outfile_regular)
{
	struct stat	 st1, st2;
	char		*dir, *path, *data, *rest, err[256];

	dir = test_tmpdir("outfile");
	xasprintf(&path, "%s/report.json", dir);
	/* created */
	ck_assert_int_eq(outfile_write(path, "one\n", 4, err, sizeof(err)),
	    0);
	data = test_read_file(path, NULL);
	ck_assert_str_eq(data, "one\n");
	free(data);
	/* replaced by another file (a rename, not a rewrite in place) */
	ck_assert_int_eq(chmod(path, 0640), 0);
	ck_assert_int_eq(stat(path, &st1), 0);
	ck_assert_int_eq(outfile_write(path, "two\n", 4, err, sizeof(err)),
	    0);
	ck_assert_int_eq(stat(path, &st2), 0);
	ck_assert(st1.st_ino != st2.st_ino);
	ck_assert_uint_eq(st2.st_mode & 07777, 0640);
	data = test_read_file(path, NULL);
	ck_assert_str_eq(data, "two\n");
	free(data);
	/* no temporary file left over */
	rest = other_names(dir, "report.json");
	ck_assert_str_eq(rest, "");
	free(rest);
	free(path);
	/* a directory, a missing directory: errors naming the path */
	ck_assert_int_eq(outfile_write(dir, "x", 1, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, dir));
	xasprintf(&path, "%s/no/such/report.json", dir);
	ck_assert_int_eq(outfile_write(path, "x", 1, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
	free(path);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/*
 * The temporary file is created with O_EXCL under a name nobody can
 * plant in advance: a link planted at every name the old scheme used
 * ("PATH.tmp.PID") is left alone.
 */
START_TEST(test_outfile_no_predictable_temp)
{
	char	*dir, *path, *victim, *plant, *data, err[256];

	dir = test_tmpdir("outfile-tmp");
	xasprintf(&path, "%s/report.json", dir);
	xasprintf(&victim, "%s/victim", dir);
	ck_assert_int_eq(test_write_file(victim, "precious\n"), 0);
	xasprintf(&plant, "%s.tmp.%ld", path, (long)getpid());
	ck_assert_int_eq(symlink(victim, plant), 0);
	ck_assert_int_eq(outfile_write(path, "report\n", 7, err,
	    sizeof(err)), 0);
	data = test_read_file(victim, NULL);
	ck_assert_str_eq(data, "precious\n");
	free(data);
	data = test_read_file(path, NULL);
	ck_assert_str_eq(data, "report\n");
	free(data);
	free(plant);
	free(victim);
	free(path);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_outfile_special_targets)
{
	struct stat	 st;
	char		*dir, *fifo, *link, *target, *dangling, *data;
	char		 err[256], got[64];
	ssize_t		 n;
	int		 fd;

	dir = test_tmpdir("outfile-special");
	/* a FIFO is written to, not replaced by a regular file */
	xasprintf(&fifo, "%s/pipe", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	fd = open(fifo, O_RDONLY | O_NONBLOCK);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(outfile_write(fifo, "through\n", 8, err,
	    sizeof(err)), 0);
	n = read(fd, got, sizeof(got) - 1);
	ck_assert_int_eq(n, 8);
	got[n] = '\0';
	ck_assert_str_eq(got, "through\n");
	close(fd);
	ck_assert_int_eq(lstat(fifo, &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	/* a character device: /dev/null takes it and stays a device */
	ck_assert_int_eq(outfile_write("/dev/null", "x", 1, err, sizeof(err)),
	    0);
	ck_assert_int_eq(stat("/dev/null", &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
	/* a full device is an error */
	ck_assert_int_eq(outfile_write("/dev/full", "x", 1, err, sizeof(err)),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "/dev/full"));
	/* a symbolic link to a FIFO: written through, the link kept */
	xasprintf(&link, "%s/link", dir);
	ck_assert_int_eq(symlink(fifo, link), 0);
	fd = open(fifo, O_RDONLY | O_NONBLOCK);
	ck_assert_int_eq(outfile_write(link, "via link\n", 9, err,
	    sizeof(err)), 0);
	n = read(fd, got, sizeof(got) - 1);
	ck_assert_int_eq(n, 9);
	close(fd);
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	free(link);
	/* a symbolic link to a regular file: the file replaced, link kept */
	xasprintf(&target, "%s/target.json", dir);
	xasprintf(&link, "%s/report.json", dir);
	ck_assert_int_eq(test_write_file(target, "old\n"), 0);
	ck_assert_int_eq(symlink("target.json", link), 0);
	ck_assert_int_eq(outfile_write(link, "new\n", 4, err, sizeof(err)),
	    0);
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	data = test_read_file(target, NULL);
	ck_assert_str_eq(data, "new\n");
	free(data);
	/* a dangling link is an error, and is not replaced */
	xasprintf(&dangling, "%s/dangling", dir);
	ck_assert_int_eq(symlink("nowhere/x", dangling), 0);
	ck_assert_int_eq(outfile_write(dangling, "x", 1, err, sizeof(err)),
	    -1);
	ck_assert_int_eq(lstat(dangling, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	free(dangling);
	free(target);
	free(link);
	free(fifo);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* "-" is standard output. */
START_TEST(test_outfile_dash_is_stdout)
{
	char	*dir, *path, *data, err[256];
	int	 fd, saved;

	dir = test_tmpdir("outfile-dash");
	xasprintf(&path, "%s/out", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ne(fd, -1);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	printf("before ");
	ck_assert_int_eq(outfile_write("-", "report\n", 7, err, sizeof(err)),
	    0);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	data = test_read_file(path, NULL);
	ck_assert_str_eq(data, "before report\n");
	free(data);
	free(path);
	test_rmtree(dir);
	free(dir);
}
END_TEST

/* One ledger record for item id with one cost; -1 or 0 as appended. */
static int
append_one(struct ledger *l, const char *id, double cost, char *err,
    size_t errlen)
{
	struct gen_result	res;
	struct gen_cost		gc;
	struct item		it;

	memset(&it, 0, sizeof(it));
	memset(&res, 0, sizeof(res));
	memset(&gc, 0, sizeof(gc));
	it.it_id = (char *)(uintptr_t)id;
	gc.gc_op = (char *)(uintptr_t)"content_generation";
	gc.gc_amount = cost;
	res.gr_title = (char *)(uintptr_t)"A title";
	res.gr_file = (char *)(uintptr_t)"2026-12-03-a-title.md";
	res.gr_costs = &gc;
	res.gr_ncosts = 1;
	res.gr_cost = cost;
	return (ledger_append(l, &it, &res, "run-1", 1764720000, err,
	    errlen));
}

/* Every line of the file parses as a JSON object; the line count. */
static size_t
ledger_lines_ok(const char *path)
{
	char			*data, *line, *save = NULL;
	struct json_object	*o;
	size_t			 n = 0;

	data = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(data);
	ck_assert_msg(data[0] == '\0' || data[strlen(data) - 1] == '\n',
	    "no newline at the end: %s", data);
	for (line = strtok_r(data, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		o = json_tokener_parse(line);
		ck_assert_msg(o != NULL && json_object_is_type(o,
		    json_type_object), "not a record: '%s'", line);
		json_object_put(o);
		n++;
	}
	free(data);
	return (n);
}

START_TEST(test_ledger_record_on_its_own_line)
{
	struct ledger	 l;
	char		*dir, *path, *data, err[256];

	dir = test_tmpdir("ledger-nl");
	xasprintf(&path, "%s/costs.jsonl", dir);
	/* a ledger whose last record lost its newline */
	ck_assert_int_eq(test_write_file(path,
	    "{\"item_id\":\"old\",\"total_cost\":0.5}"), 0);
	ledger_init(&l, path);
	ck_assert_int_eq(append_one(&l, "new", 0.0010727999999999998 +
	    3.320000000000001e-05, err, sizeof(err)), 0);
	ck_assert_int_eq(ledger_close(&l, err, sizeof(err)), 0);
	ck_assert_uint_eq(ledger_failures(&l), 0);
	ck_assert_uint_eq(ledger_lines_ok(path), 2);
	data = test_read_file(path, NULL);
	/* the cost in its shortest form */
	ck_assert_msg(strstr(data, "\"total_cost\":0.001106}") != NULL, "%s",
	    data);
	ck_assert_ptr_nonnull(strstr(data, "[0.001106]"));
	free(data);
	free(path);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_ledger_unwritable)
{
	struct ledger	 l;
	char		 err[256];
	char		*dir;

	/* a directory */
	dir = test_tmpdir("ledger-dir");
	ledger_init(&l, dir);
	ck_assert_int_eq(append_one(&l, "a", 0.1, err, sizeof(err)), -1);
	ck_assert_int_eq(append_one(&l, "b", 0.1, err, sizeof(err)), -1);
	(void)ledger_close(&l, err, sizeof(err));
	ck_assert_uint_eq(ledger_failures(&l), 2);
	ck_assert_ptr_nonnull(strstr(ledger_first_error(&l), dir));
	test_rmtree(dir);
	free(dir);
	/* a full disk */
	ledger_init(&l, "/dev/full");
	ck_assert_int_eq(append_one(&l, "a", 0.1, err, sizeof(err)), -1);
	(void)ledger_close(&l, err, sizeof(err));
	ck_assert_uint_eq(ledger_failures(&l), 1);
	ck_assert_ptr_nonnull(strstr(ledger_first_error(&l), "/dev/full"));
	ck_assert_ptr_nonnull(strstr(ledger_first_error(&l), "No space"));
}
END_TEST

/*
 * A write that falls short (here: the file size limit, as a full disk
 * would) is cut back, so the next record does not continue half of it.
 */
START_TEST(test_ledger_short_write_undone)
{
	struct ledger	 l;
	struct rlimit	 rl;
	struct stat	 st;
	char		*dir, *path, err[256];
	off_t		 before;
	int		 lim, ret;

	dir = test_tmpdir("ledger-short");
	xasprintf(&path, "%s/costs.jsonl", dir);
	ledger_init(&l, path);
	ck_assert_int_eq(append_one(&l, "first", 0.25, err, sizeof(err)), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	before = st.st_size;
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &rl), 0);
	/*
	 * Room for part of a record.  No assertion until the limit is
	 * lifted: Check records them in a file of its own.
	 */
	rl.rlim_cur = (rlim_t)(before + 20);
	lim = setrlimit(RLIMIT_FSIZE, &rl);
	ret = append_one(&l, "second", 0.25, err, sizeof(err));
	rl.rlim_cur = rl.rlim_max;
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	ck_assert_int_eq(lim, 0);
	ck_assert_int_eq(ret, -1);
	ck_assert_msg(strstr(err, "too large") != NULL, "%s", err);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, before);
	ck_assert_int_eq(append_one(&l, "third", 0.25, err, sizeof(err)), 0);
	ck_assert_int_eq(ledger_close(&l, err, sizeof(err)), 0);
	ck_assert_uint_eq(ledger_failures(&l), 1);
	ck_assert_uint_eq(ledger_lines_ok(path), 2);
	free(path);
	test_rmtree(dir);
	free(dir);
}
END_TEST

Suite *
outsafe_suite(void)
{
	Suite	*s = suite_create("outsafe");
	TCase	*tc = tcase_create("escape");

	tcase_add_test(tc, test_escape_display);
	tcase_add_test(tc, test_escape_gha);
	tcase_add_test(tc, test_numfmt_shortest);
	suite_add_tcase(s, tc);
	tc = tcase_create("outfile");
	tcase_add_test(tc, test_outfile_regular);
	tcase_add_test(tc, test_outfile_no_predictable_temp);
	tcase_add_test(tc, test_outfile_special_targets);
	tcase_add_test(tc, test_outfile_dash_is_stdout);
	suite_add_tcase(s, tc);
	tc = tcase_create("ledger");
	tcase_add_test(tc, test_ledger_record_on_its_own_line);
	tcase_add_test(tc, test_ledger_unwritable);
	tcase_add_test(tc, test_ledger_short_write_undone);
	suite_add_tcase(s, tc);
	return (s);
}
