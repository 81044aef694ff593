/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_hostile.c: hostile input, each with the outcome we promise.
 *
 * The enriched file is written by another program and the model's replies
 * by a language model behind a network; neither is trusted.  These tests
 * feed the real modules what a broken or malicious producer could send
 * (truncated and deeply nested JSON, huge strings, invalid UTF-8, NUL
 * bytes, NaN, path-like ids, YAML and Hugo syntax in titles and bodies,
 * oversized and empty replies) and check the exact result: the file or
 * item that is refused and why, or the article that is written and what
 * it holds.  Article generation runs end to end through gen_article()
 * against a small loopback HTTP server started here (fake_llm_*), so
 * every byte goes through libcurl, the reply parser, the text rules, the
 * renderer and the atomic publisher.  When hugo is installed the pages
 * are also built with the demo site, to see what a reader would get.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <json.h>
#include <yaml.h>

#include "buf.h"
#include "gen.h"
#include "item.h"
#include "llm.h"
#include "pricing.h"
#include "proto.h"
#include "render.h"
#include "route.h"
#include "slug.h"
#include "tests.h"
#include "text.h"
#include "util.h"
#include "wire.h"
#include "xmalloc.h"

#define ARTICLE_DATE	1767225600		/* 2026-01-01T00:00:00Z */
#define DATE_PREFIX	"2026-01-01-"

/* ------------------------------------------------------------------ */
/* A loopback stand-in for the Chat Completions API.                   */

/* One canned answer; pad > 0 sends body followed by pad bytes of 'a'. */
struct fake_reply {
	int		 fr_status;
	char		*fr_body;	/* owned */
	size_t		 fr_pad;
};

struct fake_llm {
	pid_t	 fl_pid;
	char	 fl_url[64];	/* http://127.0.0.1:PORT/v1 */
};

/* A Chat Completions body whose message content is content. */
static char *
chat_body(const char *content)
{
	struct json_object	*root, *choices, *c0, *msg, *usage;
	char			*s;

	root = json_object_new_object();
	choices = json_object_new_array();
	c0 = json_object_new_object();
	msg = json_object_new_object();
	json_object_object_add(msg, "role", json_object_new_string("assistant"));
	json_object_object_add(msg, "content", json_object_new_string(content));
	json_object_object_add(c0, "message", msg);
	json_object_object_add(c0, "finish_reason",
	    json_object_new_string("stop"));
	json_object_array_add(choices, c0);
	json_object_object_add(root, "choices", choices);
	usage = json_object_new_object();
	json_object_object_add(usage, "prompt_tokens", json_object_new_int(100));
	json_object_object_add(usage, "completion_tokens",
	    json_object_new_int(50));
	json_object_object_add(root, "usage", usage);
	/* json-c writes non-ASCII bytes as they are, invalid ones too. */
	s = xstrdup(json_object_to_json_string_ext(root,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return (s);
}

static void
reply_ok(struct fake_reply *r, const char *content)
{
	r->fr_status = 200;
	r->fr_body = chat_body(content);
	r->fr_pad = 0;
}

/* Read one HTTP request (headers and Content-Length body); 0 or -1. */
static int
read_request(int fd)
{
	char		 buf[65536];
	const char	*cl;
	size_t		 len = 0, want;
	ssize_t		 n;
	char		*end;

	for (;;) {
		if (len == sizeof(buf) - 1)
			return (-1);
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			return (-1);
		len += (size_t)n;
		buf[len] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")) != NULL)
			break;
	}
	want = 0;
	if ((cl = strcasestr(buf, "\r\nContent-Length:")) != NULL)
		want = strtoul(cl + 17, NULL, 10);
	len -= (size_t)(end + 4 - buf);
	while (len < want) {
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			return (-1);
		len += (size_t)n;
	}
	return (0);
}

/* The server loop of the child: request i gets replies[min(i, n - 1)]. */
static void
fake_llm_serve(int lfd, const struct fake_reply *replies, size_t n)
{
	const struct fake_reply	*r;
	char			 head[256], pad[65536];
	size_t			 i = 0, left, chunk;
	int			 fd;

	signal(SIGPIPE, SIG_IGN);
	memset(pad, 'a', sizeof(pad));
	for (;;) {
		if ((fd = accept(lfd, NULL, NULL)) == -1)
			continue;
		if (read_request(fd) == -1) {
			close(fd);
			continue;
		}
		r = &replies[i < n ? i : n - 1];
		i++;
		snprintf(head, sizeof(head), "HTTP/1.1 %d Canned\r\n"
		    "Content-Type: application/json\r\nContent-Length: %zu\r\n"
		    "Connection: close\r\n\r\n", r->fr_status,
		    strlen(r->fr_body) + r->fr_pad);
		if (write_full(fd, head, strlen(head)) == 0 &&
		    write_full(fd, r->fr_body, strlen(r->fr_body)) == 0) {
			for (left = r->fr_pad; left > 0; left -= chunk) {
				chunk = left < sizeof(pad) ? left : sizeof(pad);
				if (write_full(fd, pad, chunk) == -1)
					break;
			}
		}
		close(fd);
	}
}

/*
 * Start the server in a child process on a free loopback port.  The
 * replies are copied into the child by fork(); the caller still owns them.
 */
static void
fake_llm_start(struct fake_llm *fl, const struct fake_reply *replies,
    size_t n)
{
	struct sockaddr_in	sin;
	socklen_t		slen = sizeof(sin);
	int			lfd;

	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ne(lfd, -1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(lfd, 8), 0);
	ck_assert_int_eq(getsockname(lfd, (struct sockaddr *)&sin, &slen), 0);
	snprintf(fl->fl_url, sizeof(fl->fl_url), "http://127.0.0.1:%d/v1",
	    ntohs(sin.sin_port));
	fl->fl_pid = fork();
	ck_assert_int_ne(fl->fl_pid, -1);
	if (fl->fl_pid == 0) {
		/* Die with the test, even when an assertion ends it early. */
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(0);
		fake_llm_serve(lfd, replies, n);
		_exit(0);
	}
	close(lfd);
}

static void
fake_llm_stop(struct fake_llm *fl)
{
	int	status;

	if (fl->fl_pid > 0) {
		kill(fl->fl_pid, SIGKILL);
		while (waitpid(fl->fl_pid, &status, 0) == -1 && errno == EINTR)
			;
		fl->fl_pid = -1;
	}
}

static void
replies_release(struct fake_reply *replies, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(replies[i].fr_body);
}

/* ------------------------------------------------------------------ */
/* Items, generation and reading articles back.                        */

/* A valid item for the general generator; release with item_release(). */
static void
make_item(struct item *it, const char *id, const char *title,
    const char *author)
{
	memset(it, 0, sizeof(*it));
	it->it_id = xstrdup(id);
	it->it_title = xstrdup(title);
	it->it_content = xstrdup("A story about databases and their I/O.");
	it->it_source = xstrdup("hackernews");
	it->it_url = xstrdup("https://example.com/story");
	it->it_author = xstrdup(author);
	it->it_research_summary = xstrdup("Research notes.");
	it->it_topics = xreallocarray(NULL, 1, sizeof(char *));
	it->it_topics[0] = xstrdup("databases");
	it->it_ntopics = 1;
	it->it_quality = 0.8;
}

struct gen_run {
	struct gen_result	 gr_res;
	struct gen_error	 gr_err;
	int			 gr_rc;
	int			 gr_attempts;
};

/*
 * Generate the article for it into content_dir with a server answering
 * replies (content first, then title), no retries.
 */
static void
gen_with(const struct item *it, const char *content_dir,
    const struct fake_reply *replies, size_t n, struct gen_run *run)
{
	struct fake_llm		 fl;
	struct llm_config	 lc;
	struct llm_client	*c;
	struct gen_settings	 gs;
	struct gen_hooks	 hooks;
	struct pricing		*p;
	char			 path[PATH_MAX], errbuf[256];

	fake_llm_start(&fl, replies, n);
	memset(&lc, 0, sizeof(lc));
	lc.lc_base_url = fl.fl_url;
	lc.lc_timeout_s = 30;
	lc.lc_retries = 0;
	c = llm_client_new(&lc, errbuf, sizeof(errbuf));
	ck_assert_msg(c != NULL, "%s", errbuf);
	snprintf(path, sizeof(path), "%s/config/pricing.json", test_srcdir());
	p = pricing_load(path, errbuf, sizeof(errbuf));
	ck_assert_msg(p != NULL, "%s", errbuf);
	memset(&gs, 0, sizeof(gs));
	gs.gs_model_content = "gpt-5-mini";
	gs.gs_model_title = "gpt-5-nano";
	gs.gs_content_dir = content_dir;
	gs.gs_now = ARTICLE_DATE;
	gs.gs_pricing = p;
	memset(&hooks, 0, sizeof(hooks));
	run->gr_rc = gen_article(c, it, &gs, &hooks, &run->gr_res,
	    &run->gr_err);
	run->gr_attempts = llm_client_attempts(c);
	llm_client_free(c);
	pricing_free(p);
	fake_llm_stop(&fl);
}

/*
 * A paragraph of ARTICLE_MIN_WORDS words put in front of a test's body,
 * so that a short hostile body is still long enough to be an article.
 * Owned.
 */
static char *
with_filler(const char *content)
{
	struct buf	b;
	int		i;

	buf_init(&b);
	for (i = 0; i < ARTICLE_MIN_WORDS / 10; i++)
		buf_puts(&b, "Storage engines trade write speed against read "
		    "speed in many ways. ");
	buf_puts(&b, "\n\n");
	buf_puts(&b, content);
	return (buf_detach(&b));
}

/* gen_with() a content reply (after with_filler()) and a title reply. */
static void
gen_simple(const struct item *it, const char *content_dir,
    const char *content, const char *title, struct gen_run *run)
{
	struct fake_reply	r[2];
	char			*padded = with_filler(content);

	reply_ok(&r[0], padded);
	free(padded);
	reply_ok(&r[1], title);
	gen_with(it, content_dir, r, 2, run);
	replies_release(r, 2);
}

/* 1 when the len bytes at s are valid UTF-8 (a strict, separate check). */
static int
is_utf8(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n, k;
	unsigned char		 lo, hi;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		lo = 0x80;
		hi = 0xbf;
		if (p[i] >= 0xc2 && p[i] <= 0xdf)
			n = 1;
		else if (p[i] >= 0xe0 && p[i] <= 0xef) {
			n = 2;
			if (p[i] == 0xe0)
				lo = 0xa0;
			if (p[i] == 0xed)
				hi = 0x9f;
		} else if (p[i] >= 0xf0 && p[i] <= 0xf4) {
			n = 3;
			if (p[i] == 0xf0)
				lo = 0x90;
			if (p[i] == 0xf4)
				hi = 0x8f;
		} else
			return (0);
		for (k = 1; k <= n; k++) {
			if (i + k >= len || p[i + k] < lo || p[i + k] > hi)
				return (0);
			lo = 0x80;
			hi = 0xbf;
		}
		i += n + 1;
	}
	return (1);
}

/* The text after the front matter of an article (borrowed from text). */
static const char *
article_body(const char *text)
{
	const char	*end;

	ck_assert_int_eq(strncmp(text, "---\n", 4), 0);
	end = strstr(text + 3, "\n---\n");
	ck_assert_ptr_nonnull(end);
	return (end + 5);
}

/*
 * The value of the top-level key of the front matter of text, read with
 * libyaml (a real YAML parser); sub, when not NULL, reads
 * key[0].sub instead (sources[0].author).  Owned; NULL when absent.
 */
static char *
front_matter_get(const char *text, const char *key, const char *sub)
{
	yaml_parser_t		 parser;
	yaml_document_t		 doc;
	yaml_node_t		*node, *k, *v;
	yaml_node_pair_t	*pair;
	const char		*body;
	char			*ret = NULL;
	int			 level;

	body = article_body(text);
	ck_assert(yaml_parser_initialize(&parser));
	yaml_parser_set_input_string(&parser, (const unsigned char *)text + 4,
	    (size_t)(body - 4 - (text + 4)));
	ck_assert_msg(yaml_parser_load(&parser, &doc), "front matter: %s",
	    parser.problem != NULL ? parser.problem : "?");
	node = yaml_document_get_root_node(&doc);
	for (level = 0; level < 2 && node != NULL; level++) {
		const char	*want = level == 0 ? key : sub;

		if (level == 1) {
			if (sub == NULL)
				break;
			if (node->type != YAML_SEQUENCE_NODE ||
			    node->data.sequence.items.start ==
			    node->data.sequence.items.top) {
				node = NULL;
				break;
			}
			node = yaml_document_get_node(&doc,
			    node->data.sequence.items.start[0]);
		}
		ck_assert_int_eq(node->type, YAML_MAPPING_NODE);
		v = NULL;
		for (pair = node->data.mapping.pairs.start;
		    pair < node->data.mapping.pairs.top; pair++) {
			k = yaml_document_get_node(&doc, pair->key);
			if (strcmp((char *)k->data.scalar.value, want) == 0)
				v = yaml_document_get_node(&doc, pair->value);
		}
		node = v;
	}
	if (node != NULL && node->type == YAML_SCALAR_NODE)
		ret = xstrndup((char *)node->data.scalar.value,
		    node->data.scalar.length);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return (ret);
}

/* The names in dir, sorted and joined by ' '.  Owned. */
static char *
dir_names(const char *dir)
{
	struct dirent	**names;
	struct buf	  b;
	int		  n, i;

	buf_init(&b);
	n = scandir(dir, &names, NULL, alphasort);
	for (i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") != 0 &&
		    strcmp(names[i]->d_name, "..") != 0) {
			if (b.b_len > 0)
				buf_putc(&b, ' ');
			buf_puts(&b, names[i]->d_name);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return (buf_detach(&b));
}

/* ------------------------------------------------------------------ */
/* Enriched files.                                                     */

static char *
hostile_path(const char *name)
{
	char	*p;

	xasprintf(&p, "%s/tests/data/hostile/%s", test_srcdir(), name);
	return (p);
}

START_TEST(test_file_truncated)
{
	struct item_set	 set;
	char		 err[512], *path = hostile_path("truncated.json");

	ck_assert_int_eq(item_load_file(path, &set, NULL, err, sizeof(err)),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "truncated.json: not valid JSON: "
	    "line 20, column 47: unexpected end of input"));
	ck_assert_uint_eq(set.is_nitems, 0);
	free(path);
}
END_TEST

/* 10,000 levels of arrays, at the top and inside an item's metadata. */
START_TEST(test_file_deep_nesting)
{
	struct item_set	 set;
	struct buf	 b;
	char		 err[512];
	int		 i, where;

	for (where = 0; where < 2; where++) {
		buf_init(&b);
		buf_puts(&b, "{\"items\": [");
		if (where == 1)
			buf_puts(&b, "{\"original\": {\"id\": \"deep\", "
			    "\"metadata\": ");
		for (i = 0; i < 10000; i++)
			buf_putc(&b, '[');
		for (i = 0; i < 10000; i++)
			buf_putc(&b, ']');
		if (where == 1)
			buf_puts(&b, "}}");
		buf_puts(&b, "]}");
		ck_assert_int_eq(item_load_buffer("deep.json", b.b_data,
		    b.b_len, &set, err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, "nesting too deep") != NULL, "%s",
		    err);
		buf_release(&b);
	}
}
END_TEST

/*
 * A 100 MB string value in a file: the file loads, that item is refused
 * with a warning naming its field (item.h's ITEM_FIELD_MAX), and the other
 * item goes on; a field just under the cap still fits a worker's job line.
 */
START_TEST(test_file_100mb_string)
{
	static const char head[] = "{\"items\": [{\"original\": {\"id\": "
	    "\"huge\", \"title\": \"T\", \"source\": \"hackernews\", \"url\": "
	    "\"https://example.com/huge\", \"author\": \"a\", \"content\": \"";
	static const char tail[] = "\"}, \"research_summary\": \"\", "
	    "\"quality_score\": 0.9}, {\"original\": {\"id\": \"small\", "
	    "\"title\": \"T\", \"content\": \"\", \"source\": \"hackernews\", "
	    "\"url\": \"https://example.com/small\", \"author\": \"a\"}, "
	    "\"research_summary\": \"\", \"quality_score\": 0.9}]}";
	struct item_set		 set;
	struct gen_settings	 gs;
	struct wire_api		 wa;
	struct item		 it;
	size_t			 i, len, csize = 1024 * 1024;
	char			*dir, *path, *chunk, *line, err[512];
	FILE			*f;

	dir = test_tmpdir("huge");
	xasprintf(&path, "%s/enriched_huge.json", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	chunk = xmalloc(csize);
	memset(chunk, 'x', csize);
	ck_assert_int_eq(fputs(head, f) >= 0, 1);
	for (i = 0; i < 100; i++)
		ck_assert_uint_eq(fwrite(chunk, 1, csize, f), csize);
	ck_assert_int_eq(fputs(tail, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);

	ck_assert_int_eq(item_load_file(path, &set, NULL, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(set.is_nitems, 1);
	ck_assert_uint_eq(set.is_ninvalid, 1);
	ck_assert_str_eq(set.is_items[0].it_id, "small");

	/* the largest field allowed still travels in one job line */
	memset(&gs, 0, sizeof(gs));
	gs.gs_model_content = "m";
	gs.gs_model_title = "m";
	gs.gs_content_dir = "content/posts";
	memset(&wa, 0, sizeof(wa));
	wa.wa_base_url = "http://127.0.0.1:1/v1";
	wa.wa_provider = "openai";
	it = set.is_items[0];
	chunk[ITEM_FIELD_MAX] = '\0';
	it.it_content = chunk;
	line = proto_encode(wire_article_job_new(1, &it, &gs, &wa), &len);
	ck_assert_ptr_nonnull(line);
	free(line);
	free(chunk);
	item_set_release(&set);
	test_rmtree(dir);
	free(path);
	free(dir);
}
END_TEST

/* A file over the 256 MiB cap is refused before it is read. */
START_TEST(test_file_over_cap)
{
	struct item_set	 set;
	char		*dir, *path, err[512];
	int		 fd;

	dir = test_tmpdir("cap");
	xasprintf(&path, "%s/enriched_big.json", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(ftruncate(fd, 300L * 1024 * 1024), 0);	/* sparse */
	close(fd);
	ck_assert_int_eq(item_load_file(path, &set, NULL, err, sizeof(err)),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "larger than 256 MiB"));
	test_rmtree(dir);
	free(path);
	free(dir);
}
END_TEST

/*
 * tests/data/hostile/fields.json: one item per bad field (invalid UTF-8,
 * overlong forms, surrogates, \u0000, NaN, +-Infinity, huge and negative
 * numbers, wrong types, a file: URL) and a few good ones, with the
 * verdict for each in its "expect" array.  Each bad item is refused with
 * that message; the good ones load unchanged.
 */
START_TEST(test_fields)
{
	struct json_object	*root, *items, *expect;
	struct item_set		 set;
	struct item		 it;
	const char		*want;
	char			*path, *data, err[512];
	size_t			 i, n, len, nok = 0;
	int			 rc;

	path = hostile_path("fields.json");
	ck_assert_ptr_nonnull(data = test_read_file(path, &len));
	root = json_tokener_parse(data);
	ck_assert_ptr_nonnull(root);
	ck_assert(json_object_object_get_ex(root, "items", &items));
	ck_assert(json_object_object_get_ex(root, "expect", &expect));
	n = json_object_array_length(items);
	ck_assert_uint_eq(n, json_object_array_length(expect));
	for (i = 0; i < n; i++) {
		want = json_object_get_string(json_object_array_get_idx(expect,
		    i));
		err[0] = '\0';
		rc = item_from_json(json_object_array_get_idx(items, i), &it,
		    err, sizeof(err));
		if (strcmp(want, "ok") == 0) {
			ck_assert_msg(rc == 0, "items[%zu]: %s", i, err);
			item_release(&it);
			nok++;
		} else {
			ck_assert_msg(rc == -1 && strcmp(err, want) == 0,
			    "items[%zu]: want \"%s\", got %d \"%s\"", i, want,
			    rc, err);
		}
	}
	json_object_put(root);

	ck_assert_int_eq(item_load_buffer(path, data, len, &set, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(set.is_nitems, nok);
	ck_assert_uint_eq(set.is_ninvalid, n - nok);
	/* a huge but finite score is a number like any other */
	ck_assert_str_eq(set.is_items[1].it_id, "huge_heuristic");
	ck_assert(set.is_items[1].it_heuristic == 1e308);
	item_set_release(&set);
	free(data);
	free(path);
}
END_TEST

/* A raw NUL byte (not "\u0000") ends the JSON text: the file is refused. */
START_TEST(test_file_raw_nul)
{
	static const char data[] = "{\"items\": [{\"original\": {\"id\": "
	    "\"a\", \"title\": \"be\0fore\"}}]}";
	struct item_set	 set;
	char		 err[512];

	ck_assert_int_eq(item_load_buffer("nul.json", data, sizeof(data) - 1,
	    &set, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "nul.json: not valid JSON: line 1, column 50: "
	    "unexpected end of data");
}
END_TEST

/* Duplicate keys: the later value wins, as in json-c and most parsers. */
START_TEST(test_file_duplicate_keys)
{
	struct item_set	 set;
	char		*path, err[512];

	path = hostile_path("duplicate-keys.json");
	ck_assert_int_eq(item_load_file(path, &set, NULL, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(set.is_nitems, 1);
	ck_assert_str_eq(set.is_items[0].it_id, "second");
	ck_assert(set.is_items[0].it_quality == 0.9);
	item_set_release(&set);
	free(path);
}
END_TEST

/* CRLF line endings load the same items, and errors count lines right. */
START_TEST(test_file_crlf)
{
	struct item_set	 lf, crlf;
	struct buf	 b;
	char		*path, *data, err[512];
	size_t		 i, len;

	xasprintf(&path, "%s/tests/data/items/sample.json", test_srcdir());
	ck_assert_ptr_nonnull(data = test_read_file(path, &len));
	buf_init(&b);
	for (i = 0; i < len; i++) {
		if (data[i] == '\n')
			buf_putc(&b, '\r');
		buf_putc(&b, data[i]);
	}
	ck_assert_int_eq(item_load_buffer("lf", data, len, &lf, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(item_load_buffer("crlf", b.b_data, b.b_len, &crlf,
	    err, sizeof(err)), 0);
	ck_assert_uint_gt(lf.is_nitems, 5);
	ck_assert_uint_eq(crlf.is_nitems, lf.is_nitems);
	for (i = 0; i < lf.is_nitems; i++) {
		ck_assert_str_eq(crlf.is_items[i].it_title,
		    lf.is_items[i].it_title);
		ck_assert_str_eq(crlf.is_items[i].it_research_summary,
		    lf.is_items[i].it_research_summary);
	}
	item_set_release(&lf);
	item_set_release(&crlf);

	/* a break on line 3 of a CRLF file is reported on line 3 */
	ck_assert_int_eq(item_load_buffer("crlf", "{\r\n\"items\": [\r\n  x",
	    17, &crlf, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "line 3, column 3"));
	buf_release(&b);
	free(data);
	free(path);
}
END_TEST

/*
 * An id, title and model title that look like paths: the article lands
 * directly in the content directory under a plain slug, and nothing is
 * created anywhere else.
 */
START_TEST(test_path_like_id_and_title)
{
	struct item	 it;
	struct gen_run	 run;
	char		*root, *content, *names, *dir;

	make_item(&it, "../../etc/passwd", "../../etc/passwd", "..");
	root = test_tmpdir("pathlike");
	xasprintf(&content, "%s/site/content/posts", root);
	gen_simple(&it, content, "An article body about /etc/passwd.",
	    "../../../etc/passwd/../x", &run);
	ck_assert_msg(run.gr_rc == 0, "%s", run.gr_err.ge_message);
	ck_assert_str_eq(run.gr_res.gr_slug, "etc-passwd-x");
	ck_assert_str_eq(run.gr_res.gr_file, DATE_PREFIX "etc-passwd-x.md");
	dir = xstrndup(run.gr_res.gr_path, strrchr(run.gr_res.gr_path, '/') -
	    run.gr_res.gr_path);
	ck_assert_str_eq(dir, content);
	names = dir_names(content);
	ck_assert_str_eq(names, DATE_PREFIX "etc-passwd-x.md");
	free(names);
	names = dir_names(root);
	ck_assert_str_eq(names, "site");
	free(names);
	/* the slug of the item's own title is as plain */
	names = slug_from_title(it.it_title);
	ck_assert_str_eq(names, "etc-passwd");
	free(names);
	free(dir);
	gen_result_release(&run.gr_res);
	item_release(&it);
	test_rmtree(root);
	free(content);
	free(root);
}
END_TEST

/*
 * Titles, authors and topics made of YAML syntax read back from the front
 * matter exactly, with a real YAML parser.
 */
START_TEST(test_yaml_special_strings)
{
	static const char *const titles[] = {
		"yes", "No", "null", "~", "true", "- a list?", "? key",
		": colon", "#comment", "&anchor", "*alias", "!tag",
		"!!binary x", "%YAML 1.2", "@at", "`tick", "'single'",
		"\"double\"", "a: b", "a #b", "---", "...", "--- x ---",
		"{x: 1}", "[1, 2]", "|", ">-", "0x1F", "1e3", ".inf", "-.nan",
		"0o17", "2026-01-01", "=", "<<", "\\back\\slash\\",
		"tab\there", "CR\rLF\nend", "\xc2\x85 NEL", "\xe2\x80\xa8 LS",
		"\xef\xbb\xbf BOM", "\x1b[31m escape", "trailing space ",
		" leading space", "",
	};
	struct render_input	 in;
	struct item		 it;
	size_t			 i;
	char			*text, *got;

	for (i = 0; i < nitems(titles); i++) {
		make_item(&it, "yaml", titles[i], titles[i]);
		free(it.it_topics[0]);
		it.it_topics[0] = xstrdup(titles[i]);
		memset(&in, 0, sizeof(in));
		in.ri_item = &it;
		in.ri_title = titles[i];
		in.ri_body = "Body.";
		in.ri_summary = titles[i];
		in.ri_generator = "General Article Generator";
		in.ri_model_content = "m";
		in.ri_model_title = "m";
		in.ri_date = ARTICLE_DATE;
		text = render_article(&in, "Body.");
		got = front_matter_get(text, "title", NULL);
		ck_assert_msg(got != NULL && strcmp(got, titles[i]) == 0,
		    "title \"%s\" read back as \"%s\"", titles[i],
		    got != NULL ? got : "(none)");
		free(got);
		got = front_matter_get(text, "sources", "author");
		ck_assert_str_eq(got, titles[i]);
		free(got);
		got = front_matter_get(text, "description", NULL);
		ck_assert_str_eq(got, titles[i]);
		free(got);
		free(text);
		item_release(&it);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* LLM replies.                                                        */

/*
 * A reply body one byte over LLM_BODY_MAX: the transfer is cut off at
 * the cap, the call fails as "too_large" (not retried) and nothing is
 * written.
 */
START_TEST(test_reply_over_cap)
{
	struct fake_reply	 r[1];
	struct item		 it;
	struct gen_run		 run;
	char			*root, *names;

	r[0].fr_status = 200;
	r[0].fr_body = xstrdup("{\"choices\":[{\"message\":{\"content\":\"");
	r[0].fr_pad = LLM_BODY_MAX + 1 - strlen(r[0].fr_body);
	make_item(&it, "big", "Big", "someone");
	root = test_tmpdir("overcap");
	gen_with(&it, root, r, 1, &run);
	ck_assert_int_eq(run.gr_rc, -1);
	ck_assert_str_eq(run.gr_err.ge_code, "too_large");
	ck_assert_ptr_nonnull(strstr(run.gr_err.ge_message,
	    "reply larger than 8388608 bytes"));
	ck_assert_int_eq(run.gr_err.ge_retryable, 0);
	ck_assert_int_eq(run.gr_err.ge_exit, EXIT_DATAERR);
	ck_assert_int_eq(run.gr_attempts, 1);
	names = dir_names(root);
	ck_assert_str_eq(names, "");
	free(names);
	test_rmtree(root);
	free(root);
	item_release(&it);
	replies_release(r, 1);
}
END_TEST

/* Exactly LLM_BODY_MAX bytes is still accepted by the transfer. */
START_TEST(test_reply_at_cap)
{
	struct fake_reply	 r[2];
	struct item		 it;
	struct gen_run		 run;
	struct buf		 b;
	char			*root;
	size_t			 skeleton;

	/* content of 'a's sized so that the whole body is LLM_BODY_MAX */
	root = chat_body("");
	skeleton = strlen(root);
	free(root);
	buf_init(&b);
	while (b.b_len < LLM_BODY_MAX - skeleton)
		buf_putc(&b, b.b_len % 80 == 79 ? ' ' : 'a');
	reply_ok(&r[0], b.b_data);
	ck_assert_uint_eq(strlen(r[0].fr_body), LLM_BODY_MAX);
	reply_ok(&r[1], "A title");
	make_item(&it, "atcap", "At cap", "someone");
	root = test_tmpdir("atcap");
	gen_with(&it, root, r, 2, &run);
	ck_assert_msg(run.gr_rc == 0, "%s", run.gr_err.ge_message);
	gen_result_release(&run.gr_res);
	test_rmtree(root);
	free(root);
	buf_release(&b);
	item_release(&it);
	replies_release(r, 2);
}
END_TEST

/*
 * Invalid UTF-8 (and "\u0000") in the body and the title: the article is
 * written, the whole file is valid UTF-8 with U+FFFD where the bad bytes
 * were, and the slug keeps only the good letters.
 */
START_TEST(test_reply_invalid_utf8)
{
	struct item	 it;
	struct gen_run	 run;
	char		*root, *text, *title;
	size_t		 len;

	make_item(&it, "utf8", "UTF-8", "someone");
	root = test_tmpdir("utf8");
	gen_simple(&it, root, "Intro \xff\xfe text \xed\xa0\x80 and "
	    "\xe2\x82 cut.\n\nSecond paragraph \xc3\xa9t\xc3\xa9.",
	    "Bad \xff Title \xc0\xaf", &run);
	ck_assert_msg(run.gr_rc == 0, "%s", run.gr_err.ge_message);
	ck_assert_ptr_nonnull(text = test_read_file(run.gr_res.gr_path, &len));
	ck_assert_msg(is_utf8(text, len), "article is not valid UTF-8");
	ck_assert_ptr_nonnull(strstr(text, "Intro \xef\xbf\xbd\xef\xbf\xbd "
	    "text \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd and \xef\xbf\xbd cut."));
	ck_assert_ptr_nonnull(strstr(text, "\xc3\xa9t\xc3\xa9."));
	title = front_matter_get(text, "title", NULL);
	ck_assert_str_eq(title, "Bad \xef\xbf\xbd Title \xef\xbf\xbd\xef\xbf\xbd");
	ck_assert_str_eq(run.gr_res.gr_slug, "bad-title");
	free(title);
	free(text);
	gen_result_release(&run.gr_res);
	test_rmtree(root);
	free(root);
	item_release(&it);
}
END_TEST

/* "\u0000" inside the content does not cut the article short. */
START_TEST(test_reply_nul_escape)
{
	struct llm_reply	r;
	struct llm_error	e;
	static const char	body[] = "{\"choices\":[{\"message\":"
	    "{\"content\":\"before\\u0000after\"}}]}";

	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(llm_openai_parse(body, strlen(body), 200, &r, &e), 0);
	ck_assert_str_eq(r.r_content, "before\xef\xbf\xbd" "after");
	llm_reply_release(&r);
}
END_TEST

/* A body of only whitespace is an empty reply: no article, no retry. */
START_TEST(test_reply_only_whitespace)
{
	struct fake_reply	 r[2];
	struct item		 it;
	struct gen_run		 run;
	char			*root, *names;

	make_item(&it, "blank", "Blank", "someone");
	root = test_tmpdir("blank");
	reply_ok(&r[0], " \n\t \r\n  ");
	reply_ok(&r[1], "A title");
	gen_with(&it, root, r, 2, &run);
	replies_release(r, 2);
	ck_assert_int_eq(run.gr_rc, -1);
	ck_assert_str_eq(run.gr_err.ge_code, "empty_reply");
	ck_assert_int_eq(run.gr_err.ge_retryable, 0);
	ck_assert_int_eq(run.gr_attempts, 1);
	names = dir_names(root);
	ck_assert_str_eq(names, "");
	free(names);
	test_rmtree(root);
	free(root);
	item_release(&it);
}
END_TEST

/*
 * "---" lines in the body, even a whole fake front matter block: the
 * real front matter still comes first and reads back, the lines stay in
 * the body as Markdown rules.
 */
START_TEST(test_reply_dashes)
{
	struct item	 it;
	struct gen_run	 run;
	char		*root, *text, *title;

	make_item(&it, "dashes", "Dashes", "someone");
	root = test_tmpdir("dashes");
	gen_simple(&it, root, "---\ntitle: \"Evil\"\ndraft: true\n---\n\n"
	    "First paragraph.\n\n---\n\nAfter a rule.\n---", "Real Title",
	    &run);
	ck_assert_msg(run.gr_rc == 0, "%s", run.gr_err.ge_message);
	ck_assert_ptr_nonnull(text = test_read_file(run.gr_res.gr_path, NULL));
	title = front_matter_get(text, "title", NULL);
	ck_assert_str_eq(title, "Real Title");
	free(title);
	ck_assert_ptr_null(front_matter_get(text, "draft", NULL));
	ck_assert_ptr_nonnull(strstr(article_body(text),
	    "title: \"Evil\"\ndraft: true\n---\n\nFirst paragraph.\n\n---\n\n"
	    "After a rule.\n---\n\n## References"));
	free(text);
	gen_result_release(&run.gr_res);
	test_rmtree(root);
	free(root);
	item_release(&it);
}
END_TEST

/*
 * Hugo shortcodes in the body, and in the author and title of the item
 * (which the attribution and References lines quote): no "{{<" or "{{%"
 * is left anywhere in the page body, so Hugo runs none of them.
 */
START_TEST(test_reply_shortcodes)
{
	struct item	 it;
	struct gen_run	 run;
	char		*root, *text;
	const char	*body;

	make_item(&it, "sc", "{{< figure src=x >}} title", "{{% author %}}");
	root = test_tmpdir("shortcodes");
	gen_simple(&it, root, "Text {{< youtube abc >}} and {{% note %}}hi"
	    "{{% /note %}} and {{{< triple >}}}.\n\nSee [x](https://e.com/"
	    "{{%7B}}).", "{{< t >}} Title", &run);
	ck_assert_msg(run.gr_rc == 0, "%s", run.gr_err.ge_message);
	ck_assert_ptr_nonnull(text = test_read_file(run.gr_res.gr_path, NULL));
	body = article_body(text);
	ck_assert_msg(strstr(body, "{{<") == NULL && strstr(body, "{{%") ==
	    NULL, "a shortcode opener is left in:\n%s", body);
	/*
	 * broken up with U+200B, the text is still there (a '<' that opens
	 * no tag is written &lt; by the raw HTML step: the same on a page)
	 */
	ck_assert_ptr_nonnull(strstr(body, "**@{{\xe2\x80\x8b% author %}}**"));
	ck_assert_msg(strstr(body, "{{\xe2\x80\x8b&lt; youtube abc >}}") !=
	    NULL, "%s", body);
	ck_assert_str_eq(run.gr_res.gr_slug, "t-title");
	free(text);
	gen_result_release(&run.gr_res);
	test_rmtree(root);
	free(root);
	item_release(&it);
}
END_TEST

/* Run hugo on site; its exit status, or -1 when hugo is not installed. */
static int
run_hugo_site(const char *site)
{
	char	*cmd;
	int	 rc;

	if (system("command -v hugo >/dev/null 2>&1") != 0)
		return (-1);
	xasprintf(&cmd, "hugo --quiet --source '%s' --destination public "
	    ">'%s/hugo.log' 2>&1", site, site);
	rc = system(cmd);
	free(cmd);
	return (WIFEXITED(rc) ? WEXITSTATUS(rc) : 128);
}

/*
 * The whole hostile article through Hugo (goldmark with the demo site's
 * settings, raw HTML off): the site builds, the page keeps the real
 * title, shows the shortcodes as text, and holds no <script> element:
 * goldmark drops raw HTML.
 */
START_TEST(test_reply_html_through_hugo)
{
	struct item	 it;
	struct gen_run	 run;
	char		*root, *site, *posts, *cmd, *page, *log;
	int		 rc;

	make_item(&it, "html", "HTML {{% x %}}", "{{% author %}}");
	root = test_tmpdir("hugo");
	xasprintf(&site, "%s/site", root);
	xasprintf(&posts, "%s/content/posts", site);
	xasprintf(&cmd, "cp -R '%s/examples/hugo-site' '%s'", test_srcdir(),
	    site);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	gen_simple(&it, posts, "Intro <script>alert(1)</script> inline.\n\n"
	    "<script>\nalert(2)\n</script>\n\n<img src=x onerror=alert(3)>\n\n"
	    "---\ntitle: \"Evil\"\n---\n\nText {{< youtube abc >}} and "
	    "{{% note %}}.\n", "<script>alert(4)</script> Title", &run);
	ck_assert_msg(run.gr_rc == 0, "%s", run.gr_err.ge_message);
	rc = run_hugo_site(site);
	if (rc == -1) {
		fprintf(stderr, "hostile: hugo not installed, site build "
		    "skipped\n");
		goto done;
	}
	if (rc != 0) {
		xasprintf(&cmd, "%s/hugo.log", site);
		log = test_read_file(cmd, NULL);
		ck_abort_msg("hugo failed (%d): %s", rc, log != NULL ? log :
		    "");
	}
	xasprintf(&cmd, "%s/public/posts/%.*s/index.html", site,
	    (int)(strlen(run.gr_res.gr_file) - 3), run.gr_res.gr_file);
	page = test_read_file(cmd, NULL);
	ck_assert_msg(page != NULL, "no page %s", cmd);
	free(cmd);
	ck_assert_msg(strstr(page, "<script") == NULL, "%s", page);
	ck_assert_ptr_null(strstr(page, "<img"));
	ck_assert_ptr_nonnull(strstr(page, "raw HTML omitted"));
	/* the title is text, escaped, not markup */
	ck_assert_ptr_nonnull(strstr(page, "&lt;script&gt;alert(4)&lt;/script"
	    "&gt; Title"));
	ck_assert_ptr_nonnull(strstr(page, "youtube abc"));
	ck_assert_ptr_nonnull(strstr(page, "% author %"));
	free(page);
done:
	gen_result_release(&run.gr_res);
	test_rmtree(root);
	free(posts);
	free(site);
	free(root);
	item_release(&it);
}
END_TEST

/*
 * A 10,000-character title reply: at most TITLE_MAX characters, ending
 * in "..."; the slug at most 60.  A single 10,000-character word leaves
 * only "..." (the original's rule, see text.h), whose slug is the
 * fallback.
 */
START_TEST(test_reply_long_title)
{
	struct item	 it;
	struct gen_run	 run;
	char		*root, *title;
	size_t		 i;

	title = xmalloc(10001);
	for (i = 0; i < 10000; i++)
		title[i] = i % 9 == 8 ? ' ' : (char)('a' + i % 26);
	title[10000] = '\0';
	make_item(&it, "long", "Long", "someone");
	root = test_tmpdir("longtitle");
	gen_simple(&it, root, "Body text.", title, &run);
	ck_assert_msg(run.gr_rc == 0, "%s", run.gr_err.ge_message);
	ck_assert_uint_le(strlen(run.gr_res.gr_title), TITLE_MAX);
	ck_assert_uint_ge(strlen(run.gr_res.gr_title), TITLE_MAX - 12);
	ck_assert_str_eq(run.gr_res.gr_title + strlen(run.gr_res.gr_title) -
	    3, "...");
	ck_assert_uint_le(strlen(run.gr_res.gr_slug), 60);
	gen_result_release(&run.gr_res);

	memset(title, 'x', 10000);
	gen_simple(&it, root, "Body text.", title, &run);
	ck_assert_msg(run.gr_rc == 0, "%s", run.gr_err.ge_message);
	ck_assert_str_eq(run.gr_res.gr_title, "...");
	ck_assert_str_eq(run.gr_res.gr_slug, "untitled-article");
	gen_result_release(&run.gr_res);
	test_rmtree(root);
	free(root);
	free(title);
	item_release(&it);
}
END_TEST

/*
 * A title whose slug would be empty: the file is "untitled-article", and
 * a second one gets "-2" instead of replacing the first.
 */
START_TEST(test_reply_empty_slug)
{
	struct item	 it;
	struct gen_run	 run;
	char		*root, *names;

	make_item(&it, "bang", "Bang", "someone");
	root = test_tmpdir("emptyslug");
	gen_simple(&it, root, "Body text.", "!!!", &run);
	ck_assert_msg(run.gr_rc == 0, "%s", run.gr_err.ge_message);
	ck_assert_str_eq(run.gr_res.gr_title, "!!!");
	ck_assert_str_eq(run.gr_res.gr_file, DATE_PREFIX "untitled-article.md");
	gen_result_release(&run.gr_res);
	gen_simple(&it, root, "Other body.", "\xe2\x80\x94 ? \xe2\x80\x94",
	    &run);
	ck_assert_msg(run.gr_rc == 0, "%s", run.gr_err.ge_message);
	ck_assert_str_eq(run.gr_res.gr_file, DATE_PREFIX
	    "untitled-article-2.md");
	gen_result_release(&run.gr_res);
	names = dir_names(root);
	ck_assert_str_eq(names, DATE_PREFIX "untitled-article-2.md "
	    DATE_PREFIX "untitled-article.md");
	free(names);
	test_rmtree(root);
	free(root);
	item_release(&it);
}
END_TEST

/* A 200 reply whose choices[0] is message (JSON text) and finish. */
static void
reply_shaped(struct fake_reply *r, const char *message, const char *finish)
{
	r->fr_status = 200;
	xasprintf(&r->fr_body, "{\"choices\":[{\"index\":0,\"message\":%s,"
	    "\"finish_reason\":\"%s\"}],\"usage\":{\"prompt_tokens\":100,"
	    "\"completion_tokens\":50}}", message, finish);
	r->fr_pad = 0;
}

/*
 * gen_with() the replies; the article must fail with code and a message
 * holding what, after calls HTTP attempts, and nothing may be written.
 */
static void
gen_fails(const struct fake_reply *r, size_t n, const char *code,
    const char *what, int calls)
{
	struct item	 it;
	struct gen_run	 run;
	char		*root, *names;

	make_item(&it, "nopub", "No publication", "someone");
	root = test_tmpdir("nopub");
	gen_with(&it, root, r, n, &run);
	ck_assert_msg(run.gr_rc == -1, "%s: an article was written", code);
	ck_assert_str_eq(run.gr_err.ge_code, code);
	ck_assert_msg(strstr(run.gr_err.ge_message, what) != NULL, "'%s' not "
	    "in '%s'", what, run.gr_err.ge_message);
	ck_assert_int_eq(run.gr_err.ge_fatal, 0);
	ck_assert_int_eq(run.gr_err.ge_exit, EXIT_DATAERR);
	ck_assert_int_eq(run.gr_attempts, calls);
	names = dir_names(root);
	ck_assert_msg(names[0] == '\0', "%s: written: %s", code, names);
	free(names);
	test_rmtree(root);
	free(root);
	item_release(&it);
}

/* An article body of words words as a JSON string.  Owned. */
static char *
json_article(size_t words)
{
	struct json_object	*o;
	struct buf		 b;
	char			*s;
	size_t			 i;

	buf_init(&b);
	for (i = 0; i < words; i++)
		buf_puts(&b, i % 12 == 11 ? "databases.\n\n" : "databases ");
	o = json_object_new_string(b.b_data);
	s = xstrdup(json_object_to_json_string(o));
	json_object_put(o);
	buf_release(&b);
	return (s);
}

/*
 * Replies that used to become articles and mark their source published:
 * cut off at the output cap (even after the one retry with a larger
 * cap), filtered, refused (the refusal member, a refusal part, a body
 * that is only an apology), too short.  The same rules hold for the
 * title call.  Each fails the article with its reason; nothing is
 * written, so a later run generates it.
 */
START_TEST(test_reply_unpublishable)
{
	struct fake_reply	 r[3];
	char			*art, *msg;

	art = json_article(400);
	xasprintf(&msg, "{\"role\":\"assistant\",\"content\":%s}", art);
	/* cut off twice: the second ask had the larger cap */
	reply_shaped(&r[0], msg, "length");
	reply_shaped(&r[1], msg, "length");
	gen_fails(r, 2, "truncated", "content call: truncated: the reply was "
	    "cut off at the output cap (finish_reason length) again with the "
	    "cap raised to 32000 tokens", 2);
	replies_release(r, 2);
	reply_shaped(&r[0], msg, "content_filter");
	gen_fails(r, 1, "filtered", "content call: filtered: the provider's "
	    "content filter", 1);
	replies_release(r, 1);
	reply_shaped(&r[0], "{\"role\":\"assistant\",\"content\":null,"
	    "\"refusal\":\"I'm sorry, I cannot help with that.\"}", "stop");
	gen_fails(r, 1, "refused", "content call: refused: the model declined "
	    "to write it (\"I'm sorry, I cannot help with that.\")", 1);
	replies_release(r, 1);
	reply_shaped(&r[0], "{\"content\":[{\"type\":\"refusal\",\"refusal\":"
	    "\"I can't assist with that request.\"}]}", "stop");
	gen_fails(r, 1, "refused", "refused: the model declined", 1);
	replies_release(r, 1);
	reply_ok(&r[0], "I\xe2\x80\x99m sorry, but I can\xe2\x80\x99t help with "
	    "that.");
	gen_fails(r, 1, "refused", "content call: refused: the reply is only a "
	    "refusal", 1);
	replies_release(r, 1);
	reply_ok(&r[0], "Databases store data. They are useful.");
	gen_fails(r, 1, "too_short", "content call: too short: 6 words", 1);
	replies_release(r, 1);
	/* the title call: a refusal, a cut-off title */
	reply_shaped(&r[0], msg, "stop");
	reply_ok(&r[1], "I'm sorry, but I can't help with that.");
	gen_fails(r, 2, "refused", "title call: refused", 2);
	replies_release(r, 2);
	reply_shaped(&r[0], msg, "stop");
	reply_shaped(&r[1], "{\"content\":\"Why Postgres Moved\"}", "length");
	reply_shaped(&r[2], "{\"content\":\"Why Postgres Moved\"}", "length");
	gen_fails(r, 3, "truncated", "title call: truncated", 3);
	replies_release(r, 3);
	free(msg);
	free(art);
}
END_TEST

/*
 * A reply cut off once, then whole when asked again with the larger cap:
 * the article is the whole reply.  Content given as parts is joined.
 */
START_TEST(test_reply_length_retry_and_parts)
{
	struct fake_reply	 r[3];
	struct item		 it;
	struct gen_run		 run;
	char			*root, *art, *msg, *text;

	art = json_article(300);
	xasprintf(&msg, "{\"content\":%s}", art);
	reply_shaped(&r[0], "{\"content\":\"databases databases, which\"}",
	    "length");
	reply_shaped(&r[1], msg, "stop");
	reply_ok(&r[2], "Storage Engines Explained");
	make_item(&it, "retry", "Retry", "someone");
	root = test_tmpdir("lenretry");
	gen_with(&it, root, r, 3, &run);
	ck_assert_msg(run.gr_rc == 0, "%s", run.gr_err.ge_message);
	ck_assert_int_eq(run.gr_attempts, 3);
	ck_assert_uint_eq(run.gr_res.gr_words, 300);
	gen_result_release(&run.gr_res);
	replies_release(r, 3);
	free(msg);

	/* parts: text parts joined in order */
	xasprintf(&msg, "{\"content\":[{\"type\":\"text\",\"text\":%s},"
	    "{\"type\":\"text\",\"text\":\"Closing words.\"}]}", art);
	reply_shaped(&r[0], msg, "stop");
	reply_ok(&r[1], "Storage Engines in Parts");
	gen_with(&it, root, r, 2, &run);
	ck_assert_msg(run.gr_rc == 0, "%s", run.gr_err.ge_message);
	ck_assert_ptr_nonnull(text = test_read_file(run.gr_res.gr_path, NULL));
	ck_assert_ptr_nonnull(strstr(text, "databases.\n\nClosing words.\n"));
	free(text);
	gen_result_release(&run.gr_res);
	replies_release(r, 2);
	free(msg);
	free(art);
	test_rmtree(root);
	free(root);
	item_release(&it);
}
END_TEST

/*
 * The summary and description of an article from real model Markdown: a
 * bold label before the takeaways, an HTML comment and tags around a
 * diagram, an abbreviation: plain prose from the body's own sentences.
 */
START_TEST(test_reply_summary_is_prose)
{
	struct item	 it;
	struct gen_run	 run;
	char		*root, *text, *summary, *desc;

	make_item(&it, "summary", "Summary", "someone");
	root = test_tmpdir("summary");
	{
		struct fake_reply	 r[2];
		struct buf		 b;
		int			 i;

		buf_init(&b);
		buf_puts(&b, "# Affinity Goes Free\n\n**Key Takeaways**\n"
		    "- Affinity software is now free for every user, after "
		    "its sale to Canva Pty Ltd. in 2024.\n"
		    "- Serif keeps developing the three apps.\n\n"
		    "<!-- ASCII: Algorithm flowchart for How It Works -->\n"
		    "<div align=\"center\">\n\n```\n+--+\n```\n\n</div>\n\n");
		for (i = 0; i < 20; i++)
			buf_puts(&b, "The suite covers photo editing, vector "
			    "design and page layout for professionals.\n\n");
		reply_ok(&r[0], b.b_data);
		reply_ok(&r[1], "Affinity Goes Free");
		gen_with(&it, root, r, 2, &run);
		replies_release(r, 2);
		buf_release(&b);
	}
	ck_assert_msg(run.gr_rc == 0, "%s", run.gr_err.ge_message);
	ck_assert_ptr_nonnull(text = test_read_file(run.gr_res.gr_path, NULL));
	summary = front_matter_get(text, "summary", NULL);
	desc = front_matter_get(text, "description", NULL);
	ck_assert_str_eq(summary, "Affinity software is now free for every "
	    "user, after its sale to Canva Pty Ltd. in 2024. Serif keeps "
	    "developing the three apps.");
	ck_assert_str_eq(desc, summary);
	free(summary);
	free(desc);
	free(text);
	gen_result_release(&run.gr_res);
	test_rmtree(root);
	free(root);
	item_release(&it);
}
END_TEST

/*
 * A server error message with line breaks and control characters stays
 * on one line: it goes to the log and the one-line summary.
 */
START_TEST(test_error_message_one_line)
{
	struct llm_reply	 r;
	struct llm_error	 e;
	static const char	 body[] = "{\"error\":{\"message\":\"boom\\n"
	    "articlegen[1]: fake log line\\r\\n\\u001b[31mred\"}}";

	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(llm_openai_parse(body, strlen(body), 500, &r, &e), -1);
	ck_assert_str_eq(e.e_message, "HTTP 500: boom articlegen[1]: fake log "
	    "line   [31mred");
	ck_assert_int_eq(e.e_retryable, 1);
}
END_TEST

/*
 * A fatal error whose message holds invalid UTF-8 (the server's text, or
 * a message cut inside a character at its 512-byte limit) still reaches
 * articlegen as an error message, fatal flag included: articlegen
 * validates UTF-8 and would otherwise reject the whole line.
 */
START_TEST(test_error_message_crosses_the_wire)
{
	struct llm_reply	 r;
	struct llm_error	 e;
	struct gen_error	 ge, back;
	struct proto_msg	 msg;
	struct buf		 b;
	char			*line, err[256];
	size_t			 len, i;

	buf_init(&b);
	buf_puts(&b, "{\"error\":{\"message\":\"bad key \xff\xfe ");
	for (i = 0; i < 400; i++)
		buf_puts(&b, "\xc3\xa9");	/* cut somewhere inside */
	buf_puts(&b, "\"}}");
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(llm_openai_parse(b.b_data, b.b_len, 401, &r, &e), -1);
	ck_assert_int_eq(e.e_fatal, 1);
	memset(&ge, 0, sizeof(ge));
	(void)strlcpy(ge.ge_code, e.e_code, sizeof(ge.ge_code));
	(void)snprintf(ge.ge_message, sizeof(ge.ge_message), "content call: "
	    "%.480s", e.e_message);	/* as gen.c does */
	ge.ge_fatal = e.e_fatal;
	ge.ge_http_status = e.e_http_status;
	ge.ge_exit = EXIT_UNAVAILABLE;
	ck_assert_ptr_nonnull(line = proto_encode(wire_error_new(7, &ge),
	    &len));
	ck_assert_msg(proto_decode(line, len - 1, &msg, err, sizeof(err)) ==
	    0, "%s", err);
	ck_assert_int_eq(wire_error_parse(&msg, &back, err, sizeof(err)), 0);
	ck_assert_int_eq(back.ge_fatal, 1);
	ck_assert_int_eq(back.ge_http_status, 401);
	ck_assert_str_eq(back.ge_code, "http_401");
	ck_assert_ptr_nonnull(strstr(back.ge_message,
	    "content call: HTTP 401: bad key \xef\xbf\xbd\xef\xbf\xbd "));
	proto_msg_release(&msg);
	free(line);
	buf_release(&b);
}
END_TEST

Suite *
hostile_suite(void)
{
	Suite	*s = suite_create("hostile");
	TCase	*tc;

	tc = tcase_create("enriched");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_file_truncated);
	tcase_add_test(tc, test_file_deep_nesting);
	tcase_add_test(tc, test_file_100mb_string);
	tcase_add_test(tc, test_file_over_cap);
	tcase_add_test(tc, test_fields);
	tcase_add_test(tc, test_file_raw_nul);
	tcase_add_test(tc, test_file_duplicate_keys);
	tcase_add_test(tc, test_file_crlf);
	tcase_add_test(tc, test_path_like_id_and_title);
	tcase_add_test(tc, test_yaml_special_strings);
	suite_add_tcase(s, tc);

	tc = tcase_create("replies");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_reply_over_cap);
	tcase_add_test(tc, test_reply_at_cap);
	tcase_add_test(tc, test_reply_invalid_utf8);
	tcase_add_test(tc, test_reply_nul_escape);
	tcase_add_test(tc, test_reply_only_whitespace);
	tcase_add_test(tc, test_reply_dashes);
	tcase_add_test(tc, test_reply_shortcodes);
	tcase_add_test(tc, test_reply_html_through_hugo);
	tcase_add_test(tc, test_reply_long_title);
	tcase_add_test(tc, test_reply_empty_slug);
	tcase_add_test(tc, test_reply_unpublishable);
	tcase_add_test(tc, test_reply_length_retry_and_parts);
	tcase_add_test(tc, test_reply_summary_is_prose);
	tcase_add_test(tc, test_error_message_one_line);
	tcase_add_test(tc, test_error_message_crosses_the_wire);
	suite_add_tcase(s, tc);
	return (s);
}
