/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_render.c: the article file (front matter read back by a real YAML
 * parser, attribution, References, body cleaning) and atomic publishing.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <yaml.h>

#include "buf.h"
#include "item.h"
#include "publish.h"
#include "render.h"
#include "tests.h"
#include "xmalloc.h"

/*
 * The scalar value of top-level key in the YAML document text (the front
 * matter between the first two "---" lines).  Owned, or NULL if absent or
 * not a scalar.  Fails the test if the document does not parse.
 */
static char *
fm_get(const char *file, const char *key)
{
	yaml_parser_t	 p;
	yaml_event_t	 ev;
	const char	*start, *end;
	char		*doc, *ret = NULL;
	int		 depth = 0, expect_key = 1, want = 0, done = 0;

	ck_assert(strncmp(file, "---\n", 4) == 0);
	start = file + 4;
	end = strstr(start, "\n---\n");
	ck_assert_ptr_nonnull(end);
	doc = xstrndup(start, (size_t)(end - start) + 1);
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)doc,
	    strlen(doc));
	while (!done) {
		ck_assert_msg(yaml_parser_parse(&p, &ev), "YAML error: %s",
		    p.problem);
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (depth == 1)
				expect_key = !expect_key;
			depth++;
			want = 0;
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			depth--;
			break;
		case YAML_SCALAR_EVENT:
			if (depth == 1) {
				if (expect_key)
					want = strcmp((char *)ev.data.scalar.value,
					    key) == 0;
				else if (want && ret == NULL)
					ret = xstrdup(
					    (char *)ev.data.scalar.value);
				expect_key = !expect_key;
			}
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	free(doc);
	return (ret);
}

static char topic_text[][16] = { "postgresql", "databases",
	"io: \"uring\"", "performance", "#six", "seventh" };
static char *topics[] = { topic_text[0], topic_text[1], topic_text[2],
	topic_text[3], topic_text[4], topic_text[5] };

static void
make_item(struct item *it, const char *title, const char *author)
{
	memset(it, 0, sizeof(*it));
	it->it_id = (char *)(uintptr_t)"hn_1";
	it->it_title = (char *)(uintptr_t)title;
	it->it_content = (char *)(uintptr_t)"content";
	it->it_source = (char *)(uintptr_t)"hackernews";
	it->it_url = (char *)(uintptr_t)"HTTPS://Example.COM/a/../post?utm_source=x&b=2#frag";
	it->it_author = (char *)(uintptr_t)author;
	it->it_research_summary = (char *)(uintptr_t)"notes";
	it->it_topics = topics;
	it->it_ntopics = 6;
	it->it_quality = 0.82;
}

static char *
render_with_title(const char *title, const char *body)
{
	struct render_input	in;
	struct render_cost	costs[3] = {
		{ "title_generation", 5.04e-05 },
		{ "content_generation", 0.00271065 },
		{ "content_generation", 0.001 },
	};
	struct item		it;
	char			*clean, *text;

	make_item(&it, "Original: \"title\" [x]", "pg_fan");
	clean = render_clean_body(body, ROUTE_GENERAL);
	memset(&in, 0, sizeof(in));
	in.ri_item = &it;
	in.ri_title = title;
	in.ri_body = clean;
	in.ri_summary = "A summary: with # and \"quotes\".";
	in.ri_words = 812;
	in.ri_minutes = 4;
	in.ri_generator = "General Article Generator";
	in.ri_model_content = "gpt-5-mini";
	in.ri_model_title = "gpt-5-nano";
	in.ri_run_id = "0123456789";
	in.ri_date = 1768358816;
	in.ri_costs = costs;
	in.ri_ncosts = 3;
	text = render_article(&in, body);
	free(clean);
	return (text);
}

static const char *hostile[] = {
	"Plain title",
	"Colons: everywhere: here",
	"\"Quoted\" and 'single' quotes",
	"# not a comment",
	"- leading dash",
	"---",
	"...",
	"[bracket] {brace} & *star !bang %pct @at `tick`",
	"yes",
	"null",
	"~",
	"0123",
	"1e3",
	"line one\nline two",
	"tab\there\r\nand CR",
	"Unicode: 日本語 Ünïcödé — “curly”",
	"Emoji 🚀🔥",
	"back\\slash",
	"ends with colon:",
	"  spaces around  ",
};

START_TEST(test_front_matter_round_trip)
{
	char	*text, *v;
	size_t	 i;

	for (i = 0; i < nitems(hostile); i++) {
		text = render_with_title(hostile[i], "Body text.\n");
		v = fm_get(text, "title");
		ck_assert_msg(v != NULL && strcmp(v, hostile[i]) == 0,
		    "title %zu did not round-trip: got '%s'", i,
		    v != NULL ? v : "(null)");
		free(v);
		free(text);
	}
}
END_TEST

START_TEST(test_front_matter_fields)
{
	char	*text, *v;
	const char *p, *keys[] = { "action_run_id:", "date:", "description:",
	    "generation_costs:", "generator:", "illustrations_count:",
	    "models_used:", "reading_time:", "sources:", "summary:", "tags:",
	    "title:", "word_count:" };
	size_t	 i;

	text = render_with_title("T", "Body.\n");
	/* keys sorted, each at the start of a line */
	p = text;
	for (i = 0; i < nitems(keys); i++) {
		char	pat[64];

		snprintf(pat, sizeof(pat), "\n%s", keys[i]);
		p = strstr(p, pat);
		ck_assert_msg(p != NULL, "key %s missing or out of order",
		    keys[i]);
	}
	v = fm_get(text, "action_run_id");
	ck_assert_str_eq(v, "0123456789");
	free(v);
	v = fm_get(text, "date");
	ck_assert_str_eq(v, "2026-01-14T02:46:56Z");
	free(v);
	v = fm_get(text, "reading_time");
	ck_assert_str_eq(v, "4 min read");
	free(v);
	v = fm_get(text, "word_count");
	ck_assert_str_eq(v, "812");
	free(v);
	v = fm_get(text, "summary");
	ck_assert_str_eq(v, "A summary: with # and \"quotes\".");
	free(v);
	/* tags = first five topics */
	ck_assert_ptr_nonnull(strstr(text, "tags:\n- \"postgresql\"\n"
	    "- \"databases\"\n- \"io: \\\"uring\\\"\"\n- \"performance\"\n"
	    "- \"#six\"\ntitle:"));
	/* costs grouped per op, ops sorted, 8 decimal places */
	ck_assert_ptr_nonnull(strstr(text, "generation_costs:\n"
	    "  content_generation:\n  - 0.00271065\n  - 0.001\n"
	    "  title_generation:\n  - 5.04e-05\n"));
	/* the source URL is normalised */
	ck_assert_ptr_nonnull(strstr(text,
	    "  url: \"https://example.com/post?b=2\"\n"));
	free(text);
}
END_TEST

START_TEST(test_body_and_references)
{
	char	*text;

	text = render_with_title("T",
	    "\n# A Title The Model Added\n> a quote line\n\nFirst paragraph "
	    "with [docs](https://docs.example.org/x?utm_medium=y) and "
	    "[again](https://docs.example.org/x) and [src](https://example.com/"
	    "post?b=2).\n\n## Section\n\nUse {{< shortcode >}} and {{% x %}}."
	    "\n\n```\n## References\n```\n\n## References\n\n- [Mine]"
	    "(https://other.example.net/p)\n\n## After\n\nTail.\n");
	/* attribution block, exactly two lines then a blank line */
	ck_assert_ptr_nonnull(strstr(text, "---\n\n> **Attribution:** This "
	    "article was based on content by **@pg\\_fan** on "
	    "**hackernews**.  \n> Original: https://example.com/post?b=2\n\n"
	    "First paragraph"));
	ck_assert_ptr_null(strstr(text, "A Title The Model Added"));
	ck_assert_ptr_null(strstr(text, "a quote line"));
	ck_assert_ptr_null(strstr(text, "{{<"));
	ck_assert_ptr_null(strstr(text, "{{%"));
	ck_assert_ptr_nonnull(strstr(text, "{{\xe2\x80\x8b< shortcode"));
	/* the model's References section is gone, its heading level ends it */
	ck_assert_ptr_null(strstr(text, "- [Mine]"));
	ck_assert_ptr_nonnull(strstr(text, "## After\n\nTail."));
	/* a "## References" inside a code fence is kept */
	ck_assert_ptr_nonnull(strstr(text, "```\n## References\n```"));
	ck_assert_ptr_nonnull(strstr(text, "\n\n## References\n\n"
	    "- [Original: \"title\" \\[x\\]](https://example.com/post?b=2) — "
	    "@pg\\_fan on hackernews\n"
	    "- [docs.example.org](https://docs.example.org/x)\n"
	    "- [other.example.net](https://other.example.net/p)\n"));
	ck_assert(text[strlen(text) - 1] == '\n');
	free(text);
}
END_TEST

/* The page text of body cleaned and rendered on route gen.  Owned. */
static char *
render_route(enum route_generator gen, const char *body)
{
	struct render_input	in;
	struct item		it;
	char			*clean, *text;

	make_item(&it, "Awesome Self-Hosted", "curator");
	it.it_url = (char *)(uintptr_t)"https://github.com/a/awesome-x";
	clean = render_clean_body(body, gen);
	memset(&in, 0, sizeof(in));
	in.ri_item = &it;
	in.ri_title = "T";
	in.ri_body = clean;
	in.ri_summary = "S.";
	in.ri_generator = route_name(gen);
	in.ri_model_content = "m";
	in.ri_model_title = "m";
	text = render_article(&in, body);
	free(clean);
	return (text);
}

/* Occurrences of needle in s. */
static int
count_of(const char *s, const char *needle)
{
	int	n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return (n);
}

/* H1 headings (ATX or setext) in the Markdown after the front matter. */
static int
count_h1(const char *text)
{
	const char	*p, *nl, *prev = NULL;
	int		 n = 0, fence = 0;

	p = strstr(text + 4, "\n---\n") + 5;
	for (; *p != '\0'; prev = p, p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		if (strncmp(p, "```", 3) == 0)
			fence = !fence;
		else if (!fence && (strncmp(p, "# ", 2) == 0 || (p[0] == '#' &&
		    (p[1] == '\n' || p[1] == '\0'))))
			n++;
		else if (!fence && p[0] == '=' && prev != NULL &&
		    *prev != '\n')
			n++;
		if (*nl == '\0')
			break;
	}
	return (n);
}

/*
 * On every route: no H1 in the body (the page has its title), exactly one
 * attribution block (ours, first), whatever the model wrote: an H1
 * after an opening quote (the list route kept it), its own attribution
 * block at the top or the end, setext headings, an H1 further down.
 */
START_TEST(test_body_one_attribution_no_h1)
{
	static const char *const bodies[] = {
		"> A curated list of self-hosted software.\n\n# Awesome "
		    "Self-Hosted\n\nIntro paragraph.\n\n## Tools\n\nText.\n",
		"> A quote\n# Awesome Self-Hosted\n\nIntro paragraph.\n",
		"# Awesome Self-Hosted\n\n> **Attribution:** This article was "
		    "based on content by **@curator** on **GitHub**.  \n> "
		    "Original: https://github.com/a/awesome-x\n\nIntro "
		    "paragraph.\n",
		"> **Attribution:** This article was based on content by "
		    "@curator on GitHub.\n>\n> Original: https://github.com/a/"
		    "awesome-x\n\n# Title After It\n\nIntro paragraph.\n",
		"Intro paragraph.\n\n## Section\n\nText.\n\n*This article is "
		    "based on content by @curator on GitHub.*\n",
		"Intro paragraph.\n\n**Attribution:** based on the list by "
		    "@curator.\nOriginal: https://github.com/a/awesome-x\n\n"
		    "Closing text.\n",
		"Awesome Self-Hosted\n===================\n\nIntro paragraph."
		    "\n\nPart Two\n========\n\nText.\n",
		"Intro paragraph.\n\n# Part Two\n\nText.\n\n```sh\n# a comment, "
		    "not a heading\n```\n",
	};
	static const enum route_generator routes[] = { ROUTE_GENERAL,
	    ROUTE_INTEGRATIVE };
	size_t	 i, j;
	char	*text;

	for (j = 0; j < nitems(routes); j++) {
		for (i = 0; i < nitems(bodies); i++) {
			text = render_route(routes[j], bodies[i]);
			ck_assert_msg(count_h1(text) == 0, "route %zu, body "
			    "%zu: an H1 in\n%s", j, i, text);
			ck_assert_msg(count_of(text, "Attribution:") == 1 &&
			    count_of(text, "based on content by") == 1 &&
			    count_of(text, "Original:") == 1, "route %zu, "
			    "body %zu: not one attribution block in\n%s", j, i,
			    text);
			ck_assert_msg(strstr(text, "---\n\n> **Attribution:**") !=
			    NULL, "route %zu, body %zu: ours is not first", j,
			    i);
			/* the prose is all still there */
			ck_assert_msg(strstr(text, "Intro paragraph.") != NULL ||
			    i == 6 || i == 7, "%s", text);
			free(text);
		}
	}
	/* the list route keeps its opening quote, the general one drops it */
	text = render_route(ROUTE_INTEGRATIVE, bodies[0]);
	ck_assert_ptr_nonnull(strstr(text, "\n\n> A curated list of self-hosted "
	    "software.\n\nIntro paragraph.\n\n## Tools"));
	free(text);
	text = render_route(ROUTE_GENERAL, bodies[0]);
	ck_assert_ptr_null(strstr(text, "A curated list"));
	free(text);
	/* an H1 further down becomes an H2; a setext title goes */
	text = render_route(ROUTE_GENERAL, bodies[7]);
	ck_assert_ptr_nonnull(strstr(text, "\n## Part Two\n\nText."));
	ck_assert_ptr_nonnull(strstr(text, "```sh\n# a comment"));
	free(text);
	text = render_route(ROUTE_INTEGRATIVE, bodies[6]);
	ck_assert_ptr_null(strstr(text, "Awesome Self-Hosted\n"));
	ck_assert_ptr_nonnull(strstr(text, "**.  \n> Original: https://"
	    "github.com/a/awesome-x\n\nIntro paragraph.\n\n## Part Two\n\n"
	    "Text."));
	free(text);
}
END_TEST

/*
 * Tags: normalised, deduplicated ignoring case, empty ones dropped, at
 * most TAGS_MAX of at most TAG_MAX characters, whatever the topics.
 */
START_TEST(test_tags_capped)
{
	struct render_input	 in;
	struct item		 it;
	struct buf		 b;
	char			*tv[8], *text;
	size_t			 i;

	buf_init(&b);
	for (i = 0; i < 500; i++)
		buf_puts(&b, "Enriched topic text ");
	tv[0] = b.b_data;
	tv[1] = (char *)(uintptr_t)"Databases";
	tv[2] = (char *)(uintptr_t)" databases ";
	tv[3] = (char *)(uintptr_t)"../../etc";
	tv[4] = (char *)(uintptr_t)"\t\n";
	tv[5] = (char *)(uintptr_t)"CI/CD";
	tv[6] = (char *)(uintptr_t)"rust";
	tv[7] = (char *)(uintptr_t)"go";
	make_item(&it, "x", "y");
	it.it_topics = tv;
	it.it_ntopics = 8;
	memset(&in, 0, sizeof(in));
	in.ri_item = &it;
	in.ri_title = "T";
	in.ri_body = "Body.";
	in.ri_summary = "S.";
	in.ri_generator = "g";
	in.ri_model_content = "m";
	in.ri_model_title = "m";
	text = render_article(&in, "Body.");
	ck_assert_msg(strstr(text, "tags:\n- \"Enriched topic text Enriched "
	    "topic text\"\n- \"Databases\"\n- \"etc\"\n- \"CI CD\"\n- \"rust\"\n"
	    "title:") != NULL, "%s", text);
	free(text);
	buf_release(&b);
}
END_TEST

START_TEST(test_platform_label)
{
	struct item	it;

	make_item(&it, "t", "a");
	it.it_url = (char *)(uintptr_t)"https://GitHub.com/x/y";
	ck_assert_str_eq(render_platform_label(&it), "GitHub");
	it.it_url = (char *)(uintptr_t)"https://arxiv.org/abs/1";
	ck_assert_str_eq(render_platform_label(&it), "arXiv");
	it.it_url = (char *)(uintptr_t)"https://example.com";
	ck_assert_str_eq(render_platform_label(&it), "hackernews");
}
END_TEST

static size_t
count_entries(const char *dir, const char *prefix)
{
	struct dirent	*de;
	DIR		*d;
	size_t		 n = 0;

	d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return (n);
}

START_TEST(test_publish_collisions)
{
	char	*dir, *sub, *path, *data;
	char	 errbuf[256];

	dir = test_tmpdir("publish");
	xasprintf(&sub, "%s/content/posts", dir);
	ck_assert_int_eq(publish_article(sub, "2026-01-14-x", "one", 3, NULL,
	    &path, errbuf, sizeof(errbuf)), 0);
	ck_assert(strstr(path, "/2026-01-14-x.md") != NULL);
	free(path);
	ck_assert_int_eq(publish_article(sub, "2026-01-14-x", "two", 3, NULL,
	    &path, errbuf, sizeof(errbuf)), 0);
	ck_assert(strstr(path, "/2026-01-14-x-2.md") != NULL);
	free(path);
	ck_assert_int_eq(publish_article(sub, "2026-01-14-x", "three", 5,
	    NULL, &path, errbuf, sizeof(errbuf)), 0);
	ck_assert(strstr(path, "/2026-01-14-x-3.md") != NULL);
	/* an unrelated article whose name ends the same is not touched */
	free(path);
	ck_assert_int_eq(publish_article(sub, "2026-01-14-learning-x", "four",
	    4, NULL, &path, errbuf, sizeof(errbuf)), 0);
	free(path);
	xasprintf(&path, "%s/2026-01-14-x.md", sub);
	data = test_read_file(path, NULL);
	ck_assert_str_eq(data, "one");
	free(data);
	/* replacing under --force swaps the content atomically */
	{
		char	*out;

		ck_assert_int_eq(publish_article(sub, "ignored", "new", 3,
		    path, &out, errbuf, sizeof(errbuf)), 0);
		ck_assert_str_eq(out, path);
		free(out);
	}
	data = test_read_file(path, NULL);
	ck_assert_str_eq(data, "new");
	free(data);
	free(path);
	/* no temporary file is left behind */
	ck_assert_uint_eq(count_entries(sub, PUBLISH_TMP_PREFIX), 0);
	ck_assert_uint_eq(count_entries(sub, "2026-01-14-"), 4);
	free(sub);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_publish_stale_temp)
{
	char	*dir, *stale, *live;

	dir = test_tmpdir("stale");
	/* pid 2^22+1 is above Linux's pid_max default; our own pid is alive */
	xasprintf(&stale, "%s/" PUBLISH_TMP_PREFIX "4194305-abcdef"
	    PUBLISH_TMP_SUFFIX, dir);
	xasprintf(&live, "%s/" PUBLISH_TMP_PREFIX "%ld-abcdef"
	    PUBLISH_TMP_SUFFIX, dir, (long)getpid());
	ck_assert_int_eq(test_write_file(stale, "x"), 0);
	ck_assert_int_eq(test_write_file(live, "x"), 0);
	ck_assert_int_eq(publish_remove_stale(dir), 1);
	ck_assert_int_eq(access(stale, F_OK), -1);
	ck_assert_int_eq(access(live, F_OK), 0);
	free(stale);
	free(live);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_publish_unwritable)
{
	char	*path;
	char	 errbuf[256];

	ck_assert_int_eq(publish_article("/proc/articlegen-nope", "x", "a", 1,
	    NULL, &path, errbuf, sizeof(errbuf)), -1);
	ck_assert_ptr_null(path);
}
END_TEST

Suite *
render_suite(void)
{
	Suite	*s = suite_create("render");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_front_matter_round_trip);
	tcase_add_test(tc, test_front_matter_fields);
	tcase_add_test(tc, test_body_and_references);
	tcase_add_test(tc, test_body_one_attribution_no_h1);
	tcase_add_test(tc, test_tags_capped);
	tcase_add_test(tc, test_platform_label);
	tcase_add_test(tc, test_publish_collisions);
	tcase_add_test(tc, test_publish_stale_temp);
	tcase_add_test(tc, test_publish_unwritable);
	suite_add_tcase(s, tc);
	return (s);
}
