/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_covers_e2e.c: covers and raw-HTML safety end to end.  The real
 * articlegen runs against the stand-in, which answers the images API and
 * a stock photo search; the tests check the files in the static
 * directory (real PNGs of the documented size), the front matter, the
 * ledger, each fall-through (a failing images API, a failing or absent
 * photo search, an unwritable static directory), --covers off, and the
 * example Hugo site showing the cover on the post page, on its list card
 * and as og:image.  The last tests build the site with raw HTML off and
 * on from an article full of hostile HTML.
 */
#include <sys/stat.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "cover.h"
#include "e2e.h"
#include "tests.h"
#include "xmalloc.h"

static const char cov_input[] =
    "{\"enriched_at\": \"2026-11-20T06:04:40+00:00\", \"items\": [\n"
    "{\"original\": {\"id\": \"hn_78000001\", \"title\": \"A new query "
    "planner for an embedded database\", \"content\": \"The planner "
    "of an embedded SQL database now costs join orders with sampled "
    "statistics and https://example.com/planner explains how\", "
    "\"source\": \"hackernews\", \"url\": \"https://example.com/planner\", "
    "\"author\": \"ada\"}, \"research_summary\": \"The planner costs join "
    "orders with sampled statistics.\", \"related_sources\": [], "
    "\"topics\": [\"databases\", \"query planning\"], "
    "\"quality_score\": 0.9},\n"
    "{\"original\": {\"id\": \"hn_78000002\", \"title\": \"Rewriting a "
    "terminal emulator's renderer\", \"content\": \"A GPU terminal "
    "renderer caches glyphs in an atlas and draws a frame in one pass; "
    "the write-up at https://example.com/term has numbers\", "
    "\"source\": \"hackernews\", \"url\": \"https://example.com/term\", "
    "\"author\": \"bob\"}, \"research_summary\": \"Glyphs are cached in an "
    "atlas and drawn in one pass.\", \"related_sources\": [], "
    "\"topics\": [\"terminals\", \"graphics\"], \"quality_score\": 0.9}\n"
    "]}\n";

#define UNSPLASH_KEY	"unsplash-secret-3f9a1c"

/* A work directory with enriched.json (n items: 1 or 2) and the site. */
static char *
cov_workdir(const char *tag, int n)
{
	char	*dir, *path, *cmd, *input;

	dir = test_tmpdir(tag);
	input = xstrdup(cov_input);
	if (n == 1)	/* the first item alone */
		strcpy(strstr(input, "},\n{\"original\"") + 1, "\n]}\n");
	xasprintf(&path, "%s/enriched.json", dir);
	ck_assert_int_eq(test_write_file(path, input), 0);
	free(path);
	free(input);
	xasprintf(&cmd, "cp -R '%s/examples/hugo-site' '%s/site'",
	    test_srcdir(), dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	return (dir);
}

/*
 * Run articlegen in dir against s, into site/content/posts, with extra
 * environment and arguments; returns its exit code, output owned.
 */
static int
cov_run(const struct standin *s, const char *dir, const char *jobs,
    const char *const extra_env[], const char *const extra_args[],
    char **out, char **err)
{
	const char	*args[16], *env[12];
	char		*url;
	int		 rc, i, k = 0, a = 0;

	args[a++] = "--jobs";
	args[a++] = jobs;
	args[a++] = "-o";
	args[a++] = "site/content/posts";
	args[a++] = "--ledger";
	args[a++] = "ledger.jsonl";
	for (i = 0; extra_args != NULL && extra_args[i] != NULL && a < 13; i++)
		args[a++] = extra_args[i];
	args[a++] = "enriched.json";
	args[a] = NULL;
	xasprintf(&url, "OPENAI_BASE_URL=%s", s->base_url);
	env[k++] = url;
	for (i = 0; extra_env != NULL && extra_env[i] != NULL && k < 10; i++)
		env[k++] = extra_env[i];
	env[k] = NULL;
	rc = run_articlegen(dir, args, env, out, err);
	free(url);
	return (rc);
}

/* The article files of dir's site, "\n"-joined names; owned. */
static char *
cov_posts(const char *dir, int *count)
{
	char	*posts, *files, *p;

	xasprintf(&posts, "%s/site/content/posts", dir);
	files = list_dir(posts, ".md");
	free(posts);
	*count = 0;
	for (p = files; *p != '\0'; p++)
		if (*p == '\n' || p[1] == '\0')
			(*count)++;
	return (files);
}

static char *
cov_read_post(const char *dir, const char *name)
{
	char	*path, *data;

	xasprintf(&path, "%s/site/content/posts/%s", dir, name);
	data = test_read_file(path, NULL);
	ck_assert_msg(data != NULL, "%s", path);
	free(path);
	return (data);
}

/* The value of the front matter line "<prefix>\"value\"", or NULL. */
static char *
fm_value(const char *post, const char *prefix)
{
	const char	*p, *end = strstr(post + 3, "\n---\n");

	if ((p = strstr(post, prefix)) == NULL || (end != NULL && p > end))
		return (NULL);
	p += strlen(prefix);
	if (*p != '"')
		return (NULL);
	p++;
	return (xstrndup(p, strcspn(p, "\"")));
}

/*
 * Check every post of dir has a cover of the given extension whose file
 * is in site/static, PNG covers of w x h, and a 256 x 256 PNG icon; the
 * front matter names both without a leading slash and lists the image in
 * images.  Returns how many posts.
 */
static int
check_covers(const char *dir, const char *ext, unsigned w, unsigned h)
{
	char		*files, *line, *save = NULL, *post, *image, *icon;
	char		*path, *data, *want;
	size_t		 len;
	unsigned	 pw, ph;
	int		 n, seen = 0;

	files = cov_posts(dir, &n);
	for (line = strtok_r(files, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		post = cov_read_post(dir, line);
		image = fm_value(post, "\ncover:\n  image: ");
		ck_assert_msg(image != NULL, "no cover.image in %s:\n%s", line,
		    post);
		ck_assert_msg(strncmp(image, "images/", 7) == 0, "%s", image);
		len = strlen(image);
		ck_assert_msg(len > strlen(ext) && strcmp(image + len -
		    strlen(ext), ext) == 0, "%s is not %s", image, ext);
		ck_assert_ptr_nonnull(strstr(post, "\n  alt: \""));
		xasprintf(&want, "\nimages:\n  - \"%s\"\n", image);
		ck_assert_msg(strstr(post, want) != NULL, "%s", post);
		free(want);
		xasprintf(&path, "%s/site/static/%s", dir, image);
		data = test_read_file(path, &len);
		ck_assert_msg(data != NULL, "no file %s", path);
		if (strcmp(ext, ".png") == 0) {
			ck_assert_int_eq(cover_png_info((unsigned char *)data,
			    len, &pw, &ph), 0);
			ck_assert_uint_eq(pw, w);
			ck_assert_uint_eq(ph, h);
		} else
			ck_assert_str_eq(cover_image_type((unsigned char *)
			    data, len), ext + 1);
		free(data);
		free(path);
		icon = fm_value(post, "\nicon: ");
		ck_assert_ptr_nonnull(icon);
		xasprintf(&path, "%s/site/static/%s", dir, icon);
		data = test_read_file(path, &len);
		ck_assert_msg(data != NULL, "no file %s", path);
		ck_assert_int_eq(cover_png_info((unsigned char *)data, len,
		    &pw, &ph), 0);
		ck_assert_uint_eq(pw, COVER_ICON_SIZE);
		ck_assert_uint_eq(ph, COVER_ICON_SIZE);
		free(data);
		free(path);
		free(icon);
		free(image);
		free(post);
		seen++;
	}
	free(files);
	ck_assert_int_eq(seen, n);
	return (seen);
}

/* Build dir's site with Hugo (e2e_hugo_build()). */
static void
cov_hugo(const char *dir)
{
	char	*site;

	xasprintf(&site, "%s/site", dir);
	e2e_hugo_build(site);
	free(site);
}

/*
 * The default sources (unsplash,draw) without an Unsplash key: a drawn
 * cover for each article, through workers; no image call, no image cost.
 * Hugo shows the cover on the post page and its list card and sets
 * og:image to it.
 */
START_TEST(test_drawn_cover_by_default)
{
	const char	*env[] = { "COVER_SOURCES=", NULL };
	struct standin	 s;
	char		*dir, *out, *err, *files, *line, *save = NULL, *post;
	char		*image, *path, *page, *home, *want, *ledger;
	int		 rc, n;

	standin_start(&s, NULL);
	dir = cov_workdir("covdraw", 2);
	rc = cov_run(&s, dir, "2", env, NULL, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_int_eq(check_covers(dir, ".png", COVER_WIDTH,
	    COVER_HEIGHT), 2);
	ck_assert_int_eq(standin_log_count(&s, "/images/generations", 0), 0);
	ck_assert_int_eq(standin_requests(&s), 4);
	xasprintf(&path, "%s/ledger.jsonl", dir);
	ledger = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(ledger);
	ck_assert_ptr_null(strstr(ledger, "image_generation"));
	free(ledger);
	free(path);

	cov_hugo(dir);
	xasprintf(&path, "%s/site/public/index.html", dir);
	home = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(home);
	free(path);
	files = cov_posts(dir, &n);
	for (line = strtok_r(files, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		post = cov_read_post(dir, line);
		image = fm_value(post, "\ncover:\n  image: ");
		xasprintf(&path, "%s/site/public/posts/%.*s/index.html", dir,
		    (int)(strlen(line) - 3), line);
		page = test_read_file(path, NULL);
		ck_assert_msg(page != NULL, "no page %s", path);
		xasprintf(&want, "<figure class=\"cover\"><img src=\"/%s\"",
		    image);
		ck_assert_msg(strstr(page, want) != NULL, "%s lacks %s", path,
		    want);
		free(want);
		xasprintf(&want, "<meta property=\"og:image\" content=\""
		    "http://localhost/%s\">", image);
		ck_assert_msg(strstr(page, want) != NULL, "%s lacks %s", path,
		    want);
		free(want);
		xasprintf(&want, "<img class=\"card-cover\" src=\"/%s\"",
		    image);
		ck_assert_msg(strstr(home, want) != NULL, "list lacks %s",
		    want);
		free(want);
		/* Hugo copied the file into the built site */
		free(path);
		xasprintf(&path, "%s/site/public/%s", dir, image);
		ck_assert_int_eq(access(path, R_OK), 0);
		free(path);
		free(page);
		free(image);
		free(post);
	}
	free(files);
	free(home);
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
	standin_stop(&s);
}
END_TEST

/*
 * The same title and item give the same cover bytes, whichever process
 * draws it (here: once in one process, once through a worker).
 */
START_TEST(test_drawn_cover_is_reproducible)
{
	const char	*env[] = { "COVER_SOURCES=draw", NULL };
	struct standin	 s;
	char		*dir[2], *out, *err, *files, *post, *image, *path;
	char		*data[2];
	size_t		 len[2];
	int		 i, rc, n;

	standin_start(&s, NULL);
	for (i = 0; i < 2; i++) {
		dir[i] = cov_workdir("covsame", 1);
		rc = cov_run(&s, dir[i], i == 0 ? "1" : "2", env, NULL, &out,
		    &err);
		ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
		free(out);
		free(err);
		files = cov_posts(dir[i], &n);
		ck_assert_int_eq(n, 1);
		files[strcspn(files, "\n")] = '\0';
		post = cov_read_post(dir[i], files);
		image = fm_value(post, "\ncover:\n  image: ");
		ck_assert_ptr_nonnull(image);
		xasprintf(&path, "%s/site/static/%s", dir[i], image);
		data[i] = test_read_file(path, &len[i]);
		ck_assert_ptr_nonnull(data[i]);
		free(path);
		free(image);
		free(post);
		free(files);
	}
	ck_assert_uint_eq(len[0], len[1]);
	ck_assert(memcmp(data[0], data[1], len[0]) == 0);
	for (i = 0; i < 2; i++) {
		free(data[i]);
		test_rmtree(dir[i]);
		free(dir[i]);
	}
	standin_stop(&s);
}
END_TEST

/*
 * COVER_SOURCES=images,draw: the images API's PNG, of IMAGE_SIZE, priced
 * in the front matter and the ledger as image_generation.
 */
START_TEST(test_images_api_cover)
{
	const char	*env[] = { "COVER_SOURCES=images,draw",
	    "IMAGE_SIZE=1024x1024", NULL };
	const char	*envd[] = { "COVER_SOURCES=images,draw", NULL };
	struct standin	 s;
	char		*dir, *out, *err, *files, *post, *path, *ledger;
	int		 rc, n;

	standin_start(&s, NULL);
	dir = cov_workdir("covimages", 2);
	rc = cov_run(&s, dir, "2", env, NULL, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_int_eq(check_covers(dir, ".png", 1024, 1024), 2);
	ck_assert_int_eq(standin_log_count(&s, "/images/generations", 200),
	    2);
	files = cov_posts(dir, &n);
	files[strcspn(files, "\n")] = '\0';
	post = cov_read_post(dir, files);
	ck_assert_msg(strstr(post, "\n  image_generation:\n  - 0.02\n") !=
	    NULL, "%s", post);
	free(post);
	free(files);
	xasprintf(&path, "%s/ledger.jsonl", dir);
	ledger = test_read_file(path, NULL);
	ck_assert_int_eq(occurrences(ledger,
	    "\"image_generation\":[0.02]"), 2);
	/* the summary's cost counts the images */
	ck_assert_msg(strstr(out, "$0.04") != NULL || strstr(out, "0.04") !=
	    NULL, "%s", out);
	free(ledger);
	free(path);
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);

	/* the default size: landscape, the priced 1792x1024 */
	dir = cov_workdir("covimages", 1);
	rc = cov_run(&s, dir, "1", envd, NULL, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_int_eq(check_covers(dir, ".png", 1792, 1024), 1);
	xasprintf(&path, "%s/ledger.jsonl", dir);
	ledger = test_read_file(path, NULL);
	ck_assert_int_eq(occurrences(ledger,
	    "\"image_generation\":[0.04]"), 1);
	free(ledger);
	free(path);
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
	standin_stop(&s);
}
END_TEST

/*
 * A failing images API (a 400, then a 401, then 5xx past the retries)
 * falls through to the drawn cover; the article is written, the failure
 * is a warning, and no image cost is recorded.
 */
START_TEST(test_failing_images_api_falls_through)
{
	static const char *const faults[] = { "ok,ok,status:400",
	    "ok,ok,status:401", "ok,ok,2*status:500" };
	const char	*env[] = { "COVER_SOURCES=images,draw",
	    "RETRY_MAX_ATTEMPTS=1", NULL };
	const char	*fl[3] = { "--faults", NULL, NULL };
	struct standin	 s;
	char		*dir, *out, *err, *path, *ledger;
	size_t		 i;
	int		 rc;

	for (i = 0; i < nitems(faults); i++) {
		fl[1] = faults[i];
		standin_start(&s, fl);
		dir = cov_workdir("covimgfail", 1);
		rc = cov_run(&s, dir, "1", env, NULL, &out, &err);
		ck_assert_msg(rc == 0, "case %zu: exit %d\n%s\n%s", i, rc, out,
		    err);
		ck_assert_int_eq(check_covers(dir, ".png", COVER_WIDTH,
		    COVER_HEIGHT), 1);
		ck_assert_msg(strstr(err, "cover: images failed") != NULL,
		    "case %zu: %s", i, err);
		xasprintf(&path, "%s/ledger.jsonl", dir);
		ledger = test_read_file(path, NULL);
		ck_assert_ptr_null(strstr(ledger, "image_generation"));
		free(ledger);
		free(path);
		free(out);
		free(err);
		test_rmtree(dir);
		free(dir);
		standin_stop(&s);
	}
}
END_TEST

/*
 * MAX_COST_PER_ARTICLE with too little left for an image: no images
 * call is made, the drawn cover is used.
 */
START_TEST(test_image_over_article_budget_not_called)
{
	const char	*env[] = { "COVER_SOURCES=images,draw",
	    "MAX_COST_PER_ARTICLE=0.01", NULL };
	struct standin	 s;
	char		*dir, *out, *err;
	int		 rc;

	standin_start(&s, NULL);
	dir = cov_workdir("covbudget", 1);
	rc = cov_run(&s, dir, "1", env, NULL, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_int_eq(standin_log_count(&s, "/images/generations", 0), 0);
	ck_assert_int_eq(check_covers(dir, ".png", COVER_WIDTH,
	    COVER_HEIGHT), 1);
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
	standin_stop(&s);
}
END_TEST

/*
 * With an Unsplash key: the photo is downloaded into the static
 * directory (never hot-linked), credited in the front matter and on the
 * page, and the download is reported to Unsplash.  The key appears in no
 * output, file or log.
 */
START_TEST(test_unsplash_cover)
{
	const char	*env[4] = { "COVER_SOURCES=unsplash,draw",
	    "UNSPLASH_ACCESS_KEY=" UNSPLASH_KEY, NULL, NULL };
	const char	*report[] = { "--report", "report.json", NULL };
	struct standin	 s;
	char		*dir, *out, *err, *files, *line, *save = NULL, *post;
	char		*path, *data, *url, *page;
	int		 rc, n;

	standin_start(&s, NULL);
	xasprintf(&url, "UNSPLASH_API_URL=http://127.0.0.1:%d/unsplash",
	    s.port);
	env[2] = url;
	dir = cov_workdir("covunsplash", 2);
	rc = cov_run(&s, dir, "2", env, report, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_int_eq(check_covers(dir, ".jpg", 0, 0), 2);
	ck_assert_int_eq(standin_log_count(&s, "/unsplash/search/photos",
	    200), 2);
	ck_assert_int_eq(standin_log_count(&s, "/unsplash/download", 200), 2);
	ck_assert_ptr_null(strstr(out, UNSPLASH_KEY));
	ck_assert_ptr_null(strstr(err, UNSPLASH_KEY));
	cov_hugo(dir);
	files = cov_posts(dir, &n);
	for (line = strtok_r(files, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		post = cov_read_post(dir, line);
		ck_assert_msg(strstr(post, "\n  photographer: \"Stand-in "
		    "Photographer\"\n") != NULL, "%s", post);
		ck_assert_ptr_nonnull(strstr(post, "\n  image_source: "
		    "\"Unsplash\"\n"));
		ck_assert_ptr_nonnull(strstr(post, "\n  photographer_url: "
		    "\"http://127.0.0.1:"));
		ck_assert_ptr_null(strstr(post, UNSPLASH_KEY));
		/* the image is local, not the stand-in's URL */
		ck_assert_ptr_nonnull(strstr(post, "\n  image: \"images/"));
		xasprintf(&path, "%s/site/public/posts/%.*s/index.html", dir,
		    (int)(strlen(line) - 3), line);
		page = test_read_file(path, NULL);
		ck_assert_ptr_nonnull(page);
		ck_assert_msg(strstr(page, "Photo by ") != NULL && strstr(page,
		    "Stand-in Photographer") != NULL, "%s", page);
		free(page);
		free(path);
		free(post);
	}
	free(files);
	xasprintf(&path, "%s/report.json", dir);
	data = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(data);
	ck_assert_ptr_null(strstr(data, UNSPLASH_KEY));
	free(data);
	free(path);
	data = test_read_file(s.log, NULL);
	ck_assert_ptr_null(strstr(data, UNSPLASH_KEY));
	free(data);
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
	free(url);
	standin_stop(&s);
}
END_TEST

/*
 * A failing photo search (500), one with no result, and no key at all:
 * each falls through to the drawn cover.
 */
START_TEST(test_unsplash_failing_falls_through)
{
	struct standin	 s;
	char		*dir, *out, *err, *url;
	const char	*env[4];
	int		 rc, i;

	standin_start(&s, NULL);
	for (i = 0; i < 3; i++) {
		if (i == 0)
			xasprintf(&url, "UNSPLASH_API_URL=http://127.0.0.1:%d/"
			    "fault/500/unsplash", s.port);
		else
			xasprintf(&url, "UNSPLASH_API_URL=http://127.0.0.1:%d/"
			    "unsplash", s.port);
		env[0] = "COVER_SOURCES=unsplash,draw";
		env[1] = url;
		env[2] = i == 2 ? NULL : "UNSPLASH_ACCESS_KEY=" UNSPLASH_KEY;
		env[3] = NULL;
		dir = cov_workdir("covunsfail", 1);
		if (i == 1) {	/* topics the stand-in finds nothing for */
			char	*path, *data, *p;

			xasprintf(&path, "%s/enriched.json", dir);
			data = test_read_file(path, NULL);
			p = strstr(data, "\"databases\"");
			memcpy(p, "\"nothing\"  ", 11);
			ck_assert_int_eq(test_write_file(path, data), 0);
			free(data);
			free(path);
		}
		rc = cov_run(&s, dir, "1", env, NULL, &out, &err);
		ck_assert_msg(rc == 0, "case %d: exit %d\n%s\n%s", i, rc, out,
		    err);
		ck_assert_int_eq(check_covers(dir, ".png", COVER_WIDTH,
		    COVER_HEIGHT), 1);
		if (i == 0)
			ck_assert_msg(strstr(err, "cover: unsplash failed") !=
			    NULL, "%s", err);
		free(out);
		free(err);
		free(url);
		test_rmtree(dir);
		free(dir);
	}
	standin_stop(&s);
}
END_TEST

/*
 * --dry-run names the cover sources and the directory; --covers off
 * writes no cover and no static directory; a static
 * directory that cannot be written leaves the article without a cover
 * but written; a bad COVER_SOURCES is a configuration error naming it.
 */
START_TEST(test_covers_off_and_unwritable)
{
	const char	*off[] = { "--covers", "off", NULL };
	const char	*dry[] = { "--dry-run", NULL };
	const char	*dflt[] = { "COVER_SOURCES=", NULL };
	const char	*dryoff[] = { "--dry-run", "--covers", "off", NULL };
	const char	*bad[] = { "--static-dir", "blocker/static", NULL };
	const char	*draw[] = { "COVER_SOURCES=draw", NULL };
	const char	*bogus[] = { "COVER_SOURCES=draw,photos", NULL };
	struct standin	 s;
	char		*dir, *out, *err, *files, *post, *path;
	struct stat	 st;
	int		 rc, n;

	standin_start(&s, NULL);
	dir = cov_workdir("covoff", 1);
	/* the dry run says what would be tried, and where the files go */
	rc = cov_run(&s, dir, "1", dflt, dry, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_msg(strstr(out, "\nCovers: unsplash (skipped: no "
	    "UNSPLASH_ACCESS_KEY), then draw; into site/static/images/\n") !=
	    NULL, "%s", out);
	free(out);
	free(err);
	rc = cov_run(&s, dir, "1", dflt, dryoff, &out, &err);
	ck_assert_msg(rc == 0 && strstr(out, "\nCovers: off\n") != NULL,
	    "%s", out);
	free(out);
	free(err);
	rc = cov_run(&s, dir, "1", draw, off, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	files = cov_posts(dir, &n);
	ck_assert_int_eq(n, 1);
	files[strcspn(files, "\n")] = '\0';
	post = cov_read_post(dir, files);
	ck_assert_ptr_null(strstr(post, "\ncover:"));
	ck_assert_ptr_null(strstr(post, "\nimages:"));
	xasprintf(&path, "%s/site/static", dir);
	ck_assert_int_eq(stat(path, &st), -1);
	free(path);
	free(post);
	free(files);
	free(out);
	free(err);

	/* a regular file where the static directory's parent should be */
	test_rmtree(dir);
	free(dir);
	dir = cov_workdir("covunwritable", 1);
	xasprintf(&path, "%s/blocker", dir);
	ck_assert_int_eq(test_write_file(path, "x"), 0);
	free(path);
	rc = cov_run(&s, dir, "2", draw, bad, &out, &err);
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_msg(strstr(err, "without a cover") != NULL, "%s", err);
	files = cov_posts(dir, &n);
	ck_assert_int_eq(n, 1);
	files[strcspn(files, "\n")] = '\0';
	post = cov_read_post(dir, files);
	ck_assert_ptr_null(strstr(post, "\ncover:"));
	free(post);
	free(files);
	free(out);
	free(err);

	rc = cov_run(&s, dir, "1", bogus, NULL, &out, &err);
	ck_assert_int_eq(rc, 78);
	ck_assert_msg(strstr(err, "COVER_SOURCES") != NULL && strstr(err,
	    "photos") != NULL, "%s", err);
	free(out);
	free(err);
	test_rmtree(dir);
	free(dir);
	standin_stop(&s);
}
END_TEST

/* Markers of what must not reach a page (the stand-in's hostile body). */
static const char *const hostile_tags[] = { "<script", "<iframe",
	"<object", "<embed", "<form", "<style", "<meta http-equiv",
	" onerror=", " onload=", "href=\"javascript:", "src=\"javascript:" };

/*
 * An article full of hostile raw HTML, built with raw HTML rendering on
 * (goldmark unsafe) and off: no script, frame, object, embed, form,
 * style, event handler or javascript: URL on any page; with raw HTML on,
 * the harmless structure (table, details, figure, svg) still renders.
 */
START_TEST(test_hostile_html_never_reaches_a_page)
{
	const char	*faults[] = { "--faults", "hostile,ok,hostile,ok",
	    NULL };
	const char	*env[] = { "COVER_SOURCES=off", NULL };
	struct standin	 s;
	char		*dir, *out, *err, *files, *line, *save, *path, *page;
	char		*cmd;
	size_t		 i;
	int		 rc, n, unsafe, pages;

	for (unsafe = 0; unsafe < 2; unsafe++) {
		standin_start(&s, faults);
		dir = cov_workdir("covhostile", 2);
		if (unsafe) {
			xasprintf(&cmd, "sed -i 's/^unsafe = false$/unsafe = "
			    "true/' '%s/site/config.toml' && grep -q '^unsafe "
			    "= true$' '%s/site/config.toml'", dir, dir);
			ck_assert_int_eq(system(cmd), 0);
			free(cmd);
		}
		rc = cov_run(&s, dir, "1", env, NULL, &out, &err);
		ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
		ck_assert_msg(strstr(err, "raw HTML made safe") != NULL, "%s",
		    err);
		cov_hugo(dir);
		files = cov_posts(dir, &n);
		ck_assert_int_eq(n, 2);
		pages = 0;
		save = NULL;
		for (line = strtok_r(files, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save)) {
			xasprintf(&path, "%s/site/public/posts/%.*s/"
			    "index.html", dir, (int)(strlen(line) - 3), line);
			page = test_read_file(path, NULL);
			ck_assert_ptr_nonnull(page);
			for (i = 0; i < nitems(hostile_tags); i++)
				ck_assert_msg(strstr(page, hostile_tags[i]) ==
				    NULL, "%s holds %s (unsafe %d)", path,
				    hostile_tags[i], unsafe);
			if (unsafe && strstr(page, "BENIGN-TABLE") != NULL) {
				ck_assert_ptr_nonnull(strstr(page, "<table"));
				ck_assert_ptr_nonnull(strstr(page,
				    "<details"));
				ck_assert_ptr_nonnull(strstr(page, "<figure"));
				ck_assert_ptr_nonnull(strstr(page, "<svg"));
				pages++;
			}
			free(page);
			free(path);
		}
		/* the two hostile bodies, when raw HTML is rendered */
		ck_assert_int_eq(pages, unsafe ? 2 : 0);
		free(files);
		free(out);
		free(err);
		test_rmtree(dir);
		free(dir);
		standin_stop(&s);
	}
}
END_TEST

Suite *
covers_e2e_suite(void)
{
	Suite	*s = suite_create("covers_e2e");
	TCase	*tc = tcase_create("covers");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_drawn_cover_by_default);
	tcase_add_test(tc, test_drawn_cover_is_reproducible);
	tcase_add_test(tc, test_images_api_cover);
	tcase_add_test(tc, test_failing_images_api_falls_through);
	tcase_add_test(tc, test_image_over_article_budget_not_called);
	tcase_add_test(tc, test_unsplash_cover);
	tcase_add_test(tc, test_unsplash_failing_falls_through);
	tcase_add_test(tc, test_covers_off_and_unwritable);
	suite_add_tcase(s, tc);
	tc = tcase_create("rawhtml");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_hostile_html_never_reaches_a_page);
	suite_add_tcase(s, tc);
	return (s);
}
