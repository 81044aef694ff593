/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_cover.c: the cover module: drawn covers (size, PNG structure,
 * same bytes for the same title and item), the images API request and
 * canned replies, a canned Unsplash search reply in the documented shape,
 * the atomic no-clobber writer, the front matter read back by libyaml,
 * the demo site built by hugo under a sub-path with a covered post, and
 * the table of cairo's entry points.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <json.h>
/* libyaml; the project's own yaml.h is found through -iquote. */
#include <yaml.h>

#include "buf.h"
#include "cairoapi.h"
#include "cover.h"
#include "covermake.h"
#include "tests.h"
#include "xmalloc.h"

static const char long_title[] = "How PostgreSQL 18's asynchronous I/O "
    "changes checkpoint tuning for large write-heavy clusters, and what "
    "the benchmarks on three kinds of storage say about it in practice";

/* Width and height from the IHDR chunk, read here independently. */
static void
assert_png(const struct cover_image *ci, unsigned w, unsigned h)
{
	const unsigned char	*d = ci->ci_data;
	unsigned		 pw, ph;

	ck_assert_uint_gt(ci->ci_len, 100);
	ck_assert_int_eq(memcmp(d, "\x89PNG\r\n\x1a\n", 8), 0);
	ck_assert_int_eq(memcmp(d + 12, "IHDR", 4), 0);
	pw = (unsigned)d[16] << 24 | (unsigned)d[17] << 16 |
	    (unsigned)d[18] << 8 | d[19];
	ph = (unsigned)d[20] << 24 | (unsigned)d[21] << 16 |
	    (unsigned)d[22] << 8 | d[23];
	ck_assert_uint_eq(pw, w);
	ck_assert_uint_eq(ph, h);
	ck_assert_int_eq(cover_png_info(d, ci->ci_len, &pw, &ph), 0);
	ck_assert_uint_eq(pw, w);
	ck_assert_uint_eq(ph, h);
}

START_TEST(test_draw_sizes_and_same_bytes)
{
	struct cover_image	c1, i1, c2, i2, c3, i3;
	char			err[256];

	ck_assert_int_eq(cover_draw(long_title, "https://example.com/42", &c1,
	    &i1, err, sizeof(err)), 0);
	assert_png(&c1, COVER_WIDTH, COVER_HEIGHT);
	assert_png(&i1, COVER_ICON_SIZE, COVER_ICON_SIZE);
	ck_assert_int_eq(cover_draw(long_title, "https://example.com/42", &c2,
	    &i2, err, sizeof(err)), 0);
	ck_assert_uint_eq(c1.ci_len, c2.ci_len);
	ck_assert_int_eq(memcmp(c1.ci_data, c2.ci_data, c1.ci_len), 0);
	ck_assert_uint_eq(i1.ci_len, i2.ci_len);
	ck_assert_int_eq(memcmp(i1.ci_data, i2.ci_data, i1.ci_len), 0);
	/* another item: another background */
	ck_assert_int_eq(cover_draw(long_title, "https://example.com/43", &c3,
	    &i3, err, sizeof(err)), 0);
	ck_assert(c3.ci_len != c1.ci_len || memcmp(c3.ci_data, c1.ci_data,
	    c1.ci_len) != 0);
	cover_image_release(&c1);
	cover_image_release(&i1);
	cover_image_release(&c2);
	cover_image_release(&i2);
	cover_image_release(&c3);
	cover_image_release(&i3);
	ck_assert_ptr_null(c1.ci_data);
}
END_TEST

/* Odd titles still draw: empty, one huge word, bad UTF-8, other scripts. */
START_TEST(test_draw_odd_titles)
{
	static const char *const titles[] = { "", "   ",
	    "Supercalifragilisticexpialidocious_without_any_space_at_all_"
	    "repeated_until_it_no_longer_fits_on_one_line_nor_on_four_lines_"
	    "of_the_cover_image_because_it_is_far_too_long_to_show_it_all",
	    "bad \xff\xfe UTF-8 \xc3 and a\ttab\nnewline",
	    "Ядро Linux 6.18 и планировщик", "日本語のタイトルのテスト" };
	struct cover_image	c, i;
	char			err[256];
	size_t			k;

	for (k = 0; k < nitems(titles); k++) {
		ck_assert_msg(cover_draw(titles[k], NULL, &c, &i, err,
		    sizeof(err)) == 0, "%zu: %s", k, err);
		assert_png(&c, COVER_WIDTH, COVER_HEIGHT);
		assert_png(&i, COVER_ICON_SIZE, COVER_ICON_SIZE);
		cover_image_release(&c);
		cover_image_release(&i);
	}
}
END_TEST

START_TEST(test_png_info_rejects)
{
	struct cover_image	 c, i;
	unsigned char		*d;
	char			 err[256];

	ck_assert_int_eq(cover_draw("t", "s", &c, &i, err, sizeof(err)), 0);
	d = xmalloc(c.ci_len);
	memcpy(d, c.ci_data, c.ci_len);
	ck_assert_int_eq(cover_png_info(d, c.ci_len, NULL, NULL), 0);
	/* truncated: no IEND at the end */
	ck_assert_int_eq(cover_png_info(d, c.ci_len - 1, NULL, NULL), -1);
	ck_assert_int_eq(cover_png_info(d, 20, NULL, NULL), -1);
	ck_assert_int_eq(cover_png_info(NULL, 0, NULL, NULL), -1);
	d[1] = 'Q';		/* signature */
	ck_assert_int_eq(cover_png_info(d, c.ci_len, NULL, NULL), -1);
	d[1] = 'P';
	d[12] = 'X';		/* first chunk not IHDR */
	ck_assert_int_eq(cover_png_info(d, c.ci_len, NULL, NULL), -1);
	d[12] = 'I';
	d[16] = d[17] = d[18] = d[19] = 0;	/* width 0 */
	ck_assert_int_eq(cover_png_info(d, c.ci_len, NULL, NULL), -1);
	free(d);
	cover_image_release(&c);
	cover_image_release(&i);
}
END_TEST

START_TEST(test_images_request)
{
	struct json_object	*o, *v;
	char			*body;

	body = cover_images_request("dall-e-3", "Rust \"2027\" edition",
	    NULL, "standard");
	o = json_tokener_parse(body);
	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_object_get_ex(o, "model", &v));
	ck_assert_str_eq(json_object_get_string(v), "dall-e-3");
	ck_assert(json_object_object_get_ex(o, "size", &v));
	ck_assert_str_eq(json_object_get_string(v), COVER_IMAGES_SIZE);
	ck_assert(json_object_object_get_ex(o, "n", &v));
	ck_assert_int_eq(json_object_get_int(v), 1);
	ck_assert(json_object_object_get_ex(o, "quality", &v));
	ck_assert_str_eq(json_object_get_string(v), "standard");
	ck_assert(json_object_object_get_ex(o, "response_format", &v));
	ck_assert_str_eq(json_object_get_string(v), "b64_json");
	ck_assert(json_object_object_get_ex(o, "prompt", &v));
	ck_assert_ptr_nonnull(strstr(json_object_get_string(v),
	    "Rust \"2027\" edition"));
	json_object_put(o);
	free(body);
	body = cover_images_request("gpt-image-1", "t", "1536x1024", NULL);
	o = json_tokener_parse(body);
	ck_assert(!json_object_object_get_ex(o, "quality", &v));
	ck_assert(json_object_object_get_ex(o, "size", &v));
	ck_assert_str_eq(json_object_get_string(v), "1536x1024");
	json_object_put(o);
	free(body);
}
END_TEST

/* Standard base64 of data, broken into lines of 76 when wrap is set. */
static char *
b64(const unsigned char *data, size_t len, int wrap)
{
	static const char	 t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
	    "opqrstuvwxyz0123456789+/";
	struct buf		 b;
	size_t			 i;
	unsigned		 v;

	buf_init(&b);
	for (i = 0; i < len; i += 3) {
		v = (unsigned)data[i] << 16;
		if (i + 1 < len)
			v |= (unsigned)data[i + 1] << 8;
		if (i + 2 < len)
			v |= data[i + 2];
		buf_putc(&b, t[v >> 18 & 63]);
		buf_putc(&b, t[v >> 12 & 63]);
		buf_putc(&b, i + 1 < len ? t[v >> 6 & 63] : '=');
		buf_putc(&b, i + 2 < len ? t[v & 63] : '=');
		if (wrap && (i / 3 + 1) % 19 == 0)
			buf_puts(&b, "\\n");
	}
	return (buf_detach(&b));
}

START_TEST(test_images_reply)
{
	struct cover_image	 c, i, out;
	char			 err[256], *enc, *reply;
	unsigned		 w, h;

	ck_assert_int_eq(cover_draw("t", "s", &c, &i, err, sizeof(err)), 0);
	enc = b64(i.ci_data, i.ci_len, 1);
	xasprintf(&reply, "{\"created\":1700000000,\"data\":[{\"b64_json\":"
	    "\"%s\",\"revised_prompt\":\"x\"}]}\n", enc);
	ck_assert_msg(cover_images_reply(reply, strlen(reply), &out, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(out.ci_len, i.ci_len);
	ck_assert_int_eq(memcmp(out.ci_data, i.ci_data, i.ci_len), 0);
	ck_assert_int_eq(cover_png_info(out.ci_data, out.ci_len, &w, &h), 0);
	ck_assert_uint_eq(w, COVER_ICON_SIZE);
	cover_image_release(&out);
	free(reply);
	free(enc);
	cover_image_release(&c);
	cover_image_release(&i);
}
END_TEST

START_TEST(test_images_reply_bad)
{
	static const struct {
		const char	*body, *want;
	} t[] = {
		{ "{\"error\":{\"message\":\"Billing hard limit reached\","
		    "\"type\":\"invalid_request_error\"}}",
		    "images API error: Billing hard limit reached" },
		{ "{\"data\":[{\"url\":\"https://x.example/i.png\"}]}",
		    "a URL was sent" },
		{ "{\"data\":[]}", "no 'data' array" },
		{ "{\"data\":{}}", "no 'data' array" },
		{ "{\"data\":[{\"b64_json\":\"aGVsbG8gd29ybGQ=\"}]}",
		    "not a whole PNG" },
		{ "{\"data\":[{\"b64_json\":\"***\"}]}", "not base64" },
		{ "{\"data\":[{\"b64_json\":\"aGVs=bG8=\"}]}", "not base64" },
		{ "{\"data\":[{\"b64_json\":42}]}", "no 'b64_json'" },
		{ "[1,2]", "not a JSON object" },
		{ "{\"data\":[]} trailing", "text after" },
		{ "{\"data\":", "not a JSON object" },
		{ "", "not a JSON object" },
	};
	struct cover_image	out;
	char			err[256];
	size_t			k;

	for (k = 0; k < nitems(t); k++) {
		err[0] = '\0';
		ck_assert_int_eq(cover_images_reply(t[k].body,
		    strlen(t[k].body), &out, err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, t[k].want) != NULL, "%zu: '%s'", k,
		    err);
		ck_assert_ptr_null(out.ci_data);
	}
}
END_TEST

/*
 * A search reply in the shape Unsplash documents for GET /search/photos
 * (fields trimmed; the values are made up here).
 */
static const char unsplash_reply[] =
    "{\"total\":133,\"total_pages\":133,\"results\":[{"
    "\"id\":\"eOLpJytrbsQ\",\"created_at\":\"2024-05-04T10:12:44Z\","
    "\"width\":4000,\"height\":2667,\"color\":\"#1c2a36\","
    "\"description\":\"Rows of servers\","
    "\"alt_description\":\"server racks in a dim data centre\","
    "\"urls\":{\"raw\":\"https://images.unsplash.com/photo-1?ixid=a\","
    "\"full\":\"https://images.unsplash.com/photo-1?ixid=a&q=85\","
    "\"regular\":\"https://images.unsplash.com/photo-1?ixid=a&w=1080\","
    "\"small\":\"https://images.unsplash.com/photo-1?ixid=a&w=400\","
    "\"thumb\":\"https://images.unsplash.com/photo-1?ixid=a&w=200\"},"
    "\"links\":{\"self\":\"https://api.unsplash.com/photos/eOLpJytrbsQ\","
    "\"html\":\"https://unsplash.com/photos/eOLpJytrbsQ\","
    "\"download\":\"https://unsplash.com/photos/eOLpJytrbsQ/download\","
    "\"download_location\":\"https://api.unsplash.com/photos/eOLpJytrbsQ/"
    "download?ixid=a\"},"
    "\"user\":{\"id\":\"u1\",\"username\":\"mkowal\","
    "\"name\":\"Marta Kowalska\",\"links\":{\"self\":"
    "\"https://api.unsplash.com/users/mkowal\",\"html\":"
    "\"https://unsplash.com/@mkowal\",\"photos\":"
    "\"https://api.unsplash.com/users/mkowal/photos\"}}},"
    "{\"id\":\"second\",\"urls\":{\"regular\":\"https://x/2\"}}]}";

START_TEST(test_unsplash_reply)
{
	struct cover_photo	p;
	char			err[256];

	ck_assert_msg(cover_unsplash_reply(unsplash_reply,
	    strlen(unsplash_reply), 1, &p, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(p.cp_id, "eOLpJytrbsQ");
	ck_assert_str_eq(p.cp_image_url,
	    "https://images.unsplash.com/photo-1?ixid=a&w=1080");
	ck_assert_str_eq(p.cp_page_url,
	    "https://unsplash.com/photos/eOLpJytrbsQ");
	ck_assert_str_eq(p.cp_download_location,
	    "https://api.unsplash.com/photos/eOLpJytrbsQ/download?ixid=a");
	ck_assert_str_eq(p.cp_photographer, "Marta Kowalska");
	ck_assert_str_eq(p.cp_photographer_url, "https://unsplash.com/@mkowal");
	ck_assert_str_eq(p.cp_alt, "server racks in a dim data centre");
	cover_photo_release(&p);
	ck_assert_ptr_null(p.cp_image_url);
}
END_TEST

START_TEST(test_unsplash_reply_bad)
{
	static const struct {
		const char	*body, *want;
		int		 rc;
	} t[] = {
		{ "{\"total\":0,\"total_pages\":0,\"results\":[]}", "", 1 },
		{ "{\"errors\":[\"OAuth error: The access token is invalid\"]}",
		    "Unsplash error: OAuth error", -1 },
		{ "{\"results\":[{\"urls\":{\"regular\":\"http://images.example"
		    "/1\"},\"links\":{\"html\":\"https://u/p\"},\"user\":{\"name\":"
		    "\"A\",\"links\":{\"html\":\"https://u/a\"}}}]}", "https", -1 },
		{ "{\"results\":[{\"urls\":{\"regular\":\"javascript:x\"},"
		    "\"links\":{\"html\":\"https://u/p\"},\"user\":{\"name\":"
		    "\"A\",\"links\":{\"html\":\"https://u/a\"}}}]}", "https", -1 },
		{ "{\"results\":[{\"urls\":{\"regular\":\"https://i/1\"},"
		    "\"links\":{\"html\":\"https://u/p\"},\"user\":{"
		    "\"links\":{\"html\":\"https://u/a\"}}}]}", "user.name", -1 },
		{ "{\"results\":[{\"urls\":{\"regular\":\"https://i/1\"},"
		    "\"links\":{\"html\":\"https://u/p\"},\"user\":{\"name\":"
		    "\"A\\nB\",\"links\":{\"html\":\"https://u/a\"}}}]}",
		    "user.name", -1 },
		{ "{\"results\":[{\"urls\":{\"regular\":\"https://i/1\"},"
		    "\"user\":{\"name\":\"A\",\"links\":{\"html\":\"https://u/a\"}"
		    "}}]}", "links.html", -1 },
		{ "{\"results\":{}}", "no 'results'", -1 },
		{ "not json", "not a JSON object", -1 },
	};
	struct cover_photo	p;
	char			err[256];
	size_t			k;

	for (k = 0; k < nitems(t); k++) {
		err[0] = '\0';
		ck_assert_int_eq(cover_unsplash_reply(t[k].body,
		    strlen(t[k].body), 1, &p, err, sizeof(err)), t[k].rc);
		ck_assert_msg(strstr(err, t[k].want) != NULL, "%zu: '%s'", k,
		    err);
		ck_assert_ptr_null(p.cp_image_url);
	}
}
END_TEST

START_TEST(test_unsplash_url)
{
	char	*u;

	u = cover_unsplash_search_url(NULL, "Rust & C++ 2027/async é");
	ck_assert_str_eq(u, "https://api.unsplash.com/search/photos?query="
	    "Rust%20%26%20C%2B%2B%202027%2Fasync%20%C3%A9&per_page=1"
	    "&orientation=landscape&content_filter=high");
	free(u);
	u = cover_unsplash_search_url("http://127.0.0.1:8080/", "x");
	ck_assert_str_eq(u, "http://127.0.0.1:8080/search/photos?query=x"
	    "&per_page=1&orientation=landscape&content_filter=high");
	free(u);
}
END_TEST

/* Names in dir but "." and "..", sorted, one per line (owned). */
static char *
names(const char *dir)
{
	struct dirent	**list;
	struct buf	  b;
	int		  n, k;

	buf_init(&b);
	n = scandir(dir, &list, NULL, alphasort);
	for (k = 0; k < n; k++) {
		if (strcmp(list[k]->d_name, ".") != 0 &&
		    strcmp(list[k]->d_name, "..") != 0) {
			buf_puts(&b, list[k]->d_name);
			buf_putc(&b, '\n');
		}
		free(list[k]);
	}
	free(list);
	return (buf_detach(&b));
}

START_TEST(test_image_type)
{
	static const unsigned char jpg[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 16,
	    'J', 'F', 'I', 'F', 0, 1, 0xff, 0xd9 };
	static const unsigned char webp[] = { 'R', 'I', 'F', 'F', 8, 0, 0, 0,
	    'W', 'E', 'B', 'P', 'V', 'P', '8', ' ' };
	struct cover_image	 c, i;
	char			 err[256];

	ck_assert_int_eq(cover_draw("t", "s", &c, &i, err, sizeof(err)), 0);
	ck_assert_str_eq(cover_image_type(c.ci_data, c.ci_len), "png");
	ck_assert_ptr_null(cover_image_type(c.ci_data, c.ci_len - 1));
	ck_assert_str_eq(cover_image_type(jpg, sizeof(jpg)), "jpg");
	ck_assert_ptr_null(cover_image_type(jpg, sizeof(jpg) - 1));
	ck_assert_str_eq(cover_image_type(webp, sizeof(webp)), "webp");
	ck_assert_ptr_null(cover_image_type(webp, sizeof(webp) - 1));
	ck_assert_ptr_null(cover_image_type((const unsigned char *)
	    "<html>", 6));
	cover_image_release(&c);
	cover_image_release(&i);
}
END_TEST

START_TEST(test_write_no_clobber)
{
	static unsigned char	 jpg_bytes[] = { 0xff, 0xd8, 0xff, 0xe0, 0,
	    16, 'J', 'F', 'I', 'F', 0, 1, 0xff, 0xd9 };
	static unsigned char	 html_bytes[] = "<html>";
	struct cover_image	 c, i, c2, i2;
	struct cover_image	 jpg = { jpg_bytes, sizeof(jpg_bytes) };
	struct cover_image	 html = { html_bytes, 6 };
	struct cover_files	 f1, f2, f3;
	char			*root, *stat_dir, *path, *data, *ls, err[256];
	size_t			 len;

	ck_assert_int_eq(cover_draw("one", "1", &c, &i, err, sizeof(err)), 0);
	ck_assert_int_eq(cover_draw("two", "2", &c2, &i2, err, sizeof(err)),
	    0);
	root = test_tmpdir("cover");
	xasprintf(&stat_dir, "%s/static", root);
	ck_assert_msg(cover_write(stat_dir, "2026-01-02-x", &c, &i, &f1, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(f1.cf_image, "images/2026-01-02-x.png");
	ck_assert_str_eq(f1.cf_icon, "images/2026-01-02-x-icon.png");
	data = test_read_file(f1.cf_image_path, &len);
	ck_assert_uint_eq(len, c.ci_len);
	ck_assert_int_eq(memcmp(data, c.ci_data, len), 0);
	free(data);
	/* the same stem again: a new name, the first files untouched */
	ck_assert_int_eq(cover_write(stat_dir, "2026-01-02-x", &c2, &i2, &f2,
	    err, sizeof(err)), 0);
	ck_assert_str_eq(f2.cf_image, "images/2026-01-02-x-2.png");
	data = test_read_file(f1.cf_image_path, &len);
	ck_assert_uint_eq(len, c.ci_len);
	ck_assert_int_eq(memcmp(data, c.ci_data, len), 0);
	free(data);
	/* someone else's icon under the next name: that name is skipped */
	xasprintf(&path, "%s/images/y-icon.png", stat_dir);
	ck_assert_int_eq(test_write_file(path, "THEIRS"), 0);
	ck_assert_int_eq(cover_write(stat_dir, "y", &c, &i, &f3, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(f3.cf_image, "images/y-2.png");
	data = test_read_file(path, &len);
	ck_assert_str_eq(data, "THEIRS");
	free(data);
	free(path);
	cover_files_release(&f3);
	/* a JPEG photo keeps its format; its icon is a PNG */
	ck_assert_int_eq(cover_write(stat_dir, "z", &jpg, &i, &f3, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(f3.cf_image, "images/z.jpg");
	ck_assert_str_eq(f3.cf_icon, "images/z-icon.png");
	cover_files_release(&f3);
	/* bytes that are no image are not stored */
	ck_assert_int_eq(cover_write(stat_dir, "h", &html, &i, &f3, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(cover_write(stat_dir, "h", &c, &html, &f3, err,
	    sizeof(err)), -1);
	/* no temporary file and no y.png were left behind */
	xasprintf(&path, "%s/images", stat_dir);
	ls = names(path);
	ck_assert_str_eq(ls, "2026-01-02-x-2-icon.png\n2026-01-02-x-2.png\n"
	    "2026-01-02-x-icon.png\n2026-01-02-x.png\ny-2-icon.png\n"
	    "y-2.png\ny-icon.png\nz-icon.png\nz.jpg\n");
	free(ls);
	free(path);
	/* a stem that would leave the directory is refused */
	ck_assert_int_eq(cover_write(stat_dir, "../evil", &c, &i, &f3, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(cover_write(stat_dir, "", &c, &i, &f3, err,
	    sizeof(err)), -1);
	cover_files_release(&f1);
	cover_files_release(&f2);
	cover_image_release(&c);
	cover_image_release(&i);
	cover_image_release(&c2);
	cover_image_release(&i2);
	test_rmtree(root);
	free(stat_dir);
	free(root);
}
END_TEST

/*
 * Read a front matter block with libyaml into "path=value" lines (owned),
 * or NULL when it is not valid YAML.
 */
static char *
yaml_flatten(const char *doc)
{
	struct {
		int	 is_map;
		int	 want_key;
		char	 key[64];
	}		 st[8];
	yaml_parser_t	 parser;
	yaml_event_t	 ev;
	struct buf	 out;
	int		 top = 0, done = 0, ok = 1, d, sep;

	memset(st, 0, sizeof(st));
	buf_init(&out);
	if (!yaml_parser_initialize(&parser))
		return (NULL);
	yaml_parser_set_input_string(&parser, (const unsigned char *)doc,
	    strlen(doc));
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			ok = 0;
			break;
		}
		switch (ev.type) {
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (top == (int)nitems(st) - 1) {
				ok = 0;
				done = 1;
				break;
			}
			top++;
			st[top].is_map = ev.type == YAML_MAPPING_START_EVENT;
			st[top].want_key = st[top].is_map;
			st[top].key[0] = '\0';
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			top--;
			if (top > 0 && st[top].is_map)
				st[top].want_key = 1;
			break;
		case YAML_SCALAR_EVENT:
			if (st[top].is_map && st[top].want_key) {
				snprintf(st[top].key, sizeof(st[top].key), "%s",
				    (char *)ev.data.scalar.value);
				st[top].want_key = 0;
				break;
			}
			for (d = 1, sep = 0; d <= top; d++)
				if (st[d].is_map) {
					buf_printf(&out, "%s%s", sep ? "." : "",
					    st[d].key);
					sep = 1;
				}
			buf_printf(&out, "=%s\n", (char *)ev.data.scalar.value);
			if (st[top].is_map)
				st[top].want_key = 1;
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	if (!ok) {
		buf_release(&out);
		return (NULL);
	}
	return (buf_detach(&out));
}

START_TEST(test_front_matter)
{
	struct cover_meta	 m;
	char			*fm, *flat;

	memset(&m, 0, sizeof(m));
	m.cm_image = "/images/x.png";
	m.cm_icon = "/images/x-icon.png";
	m.cm_alt = "Cover: \"quoted\" #not-a-comment\nsecond line";
	fm = cover_front_matter(&m);
	ck_assert_str_eq(fm, "cover:\n  image: \"images/x.png\"\n"
	    "  alt: \"Cover: \\\"quoted\\\" #not-a-comment\\nsecond line\"\n"
	    "icon: \"images/x-icon.png\"\nimages:\n  - \"images/x.png\"\n");
	flat = yaml_flatten(fm);
	ck_assert_ptr_nonnull(flat);
	ck_assert_str_eq(flat, "cover.image=images/x.png\n"
	    "cover.alt=Cover: \"quoted\" #not-a-comment\nsecond line\n"
	    "icon=images/x-icon.png\nimages=images/x.png\n");
	free(flat);
	free(fm);

	m.cm_image = "images/p.jpg";
	m.cm_icon = NULL;
	m.cm_alt = "server racks";
	m.cm_source = "Unsplash";
	m.cm_source_url = "https://unsplash.com/photos/eOLpJytrbsQ";
	m.cm_photographer = "Marta: \"MK\" Kowalska";
	m.cm_photographer_url = "https://unsplash.com/@mkowal";
	fm = cover_front_matter(&m);
	flat = yaml_flatten(fm);
	ck_assert_msg(flat != NULL, "%s", fm);
	ck_assert_str_eq(flat, "cover.image=images/p.jpg\n"
	    "cover.alt=server racks\n"
	    "cover.photographer=Marta: \"MK\" Kowalska\n"
	    "cover.photographer_url=https://unsplash.com/@mkowal\n"
	    "cover.image_source=Unsplash\n"
	    "cover.image_source_url=https://unsplash.com/photos/eOLpJytrbsQ\n"
	    "cover.caption=Photo by Marta: \"MK\" Kowalska on Unsplash\n"
	    "images=images/p.jpg\n");
	free(flat);
	free(fm);

	m.cm_image = "/";
	ck_assert_ptr_null(cover_front_matter(&m));
	m.cm_image = NULL;
	ck_assert_ptr_null(cover_front_matter(&m));
}
END_TEST

/*
 * The demo site under a sub-path (baseURL http://localhost/blog/) with
 * one post that has a drawn cover and one that has none: the post page
 * shows the cover with its path under the sub-path, the list card shows
 * it, og:image is the absolute URL, and the image file is published.
 */
START_TEST(test_hugo_site_with_cover)
{
	struct cover_image	 c, i;
	struct cover_files	 f;
	struct cover_meta	 m;
	char			*root, *site, *cmd, *fm, *post, *path, *page;
	char			 err[256];
	size_t			 len;
	int			 rc;

	if (system("command -v hugo >/dev/null 2>&1") != 0) {
		fprintf(stderr, "cover: hugo not installed, skipped\n");
		return;
	}
	root = test_tmpdir("cover-site");
	xasprintf(&site, "%s/site", root);
	xasprintf(&cmd, "cp -R '%s/examples/hugo-site' '%s' && mkdir -p "
	    "'%s/content/posts'", test_srcdir(), site, site);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	ck_assert_int_eq(cover_draw("Covered post", "item-1", &c, &i, err,
	    sizeof(err)), 0);
	xasprintf(&path, "%s/static", site);
	ck_assert_int_eq(cover_write(path, "2026-01-03-covered", &c, &i, &f,
	    err, sizeof(err)), 0);
	free(path);
	memset(&m, 0, sizeof(m));
	m.cm_image = f.cf_image;
	m.cm_icon = f.cf_icon;
	m.cm_alt = "Drawn cover: Covered <post>";
	fm = cover_front_matter(&m);
	xasprintf(&post, "---\ntitle: \"Covered post\"\ndate: 2026-01-03\n"
	    "tags: [\"t\"]\nsummary: \"s\"\n%s---\n\nBody.\n", fm);
	xasprintf(&path, "%s/content/posts/2026-01-03-covered.md", site);
	ck_assert_int_eq(test_write_file(path, post), 0);
	free(path);
	free(post);
	xasprintf(&path, "%s/content/posts/2026-01-04-plain.md", site);
	ck_assert_int_eq(test_write_file(path, "---\ntitle: \"Plain\"\ndate: "
	    "2026-01-04\ntags: [\"t\"]\n---\n\nBody.\n"), 0);
	free(path);
	xasprintf(&cmd, "hugo --quiet --source '%s' --destination public "
	    "--baseURL http://localhost/blog/ >'%s/hugo.log' 2>&1", site, site);
	rc = system(cmd);
	free(cmd);
	if (rc != 0) {
		xasprintf(&path, "%s/hugo.log", site);
		ck_abort_msg("hugo failed: %s", test_read_file(path, NULL));
	}

	xasprintf(&path, "%s/public/posts/2026-01-03-covered/index.html", site);
	page = test_read_file(path, NULL);
	ck_assert_msg(page != NULL, "no page %s", path);
	free(path);
	ck_assert_msg(strstr(page, "<img src=\"/blog/images/"
	    "2026-01-03-covered.png\" alt=\"Drawn cover: Covered &lt;post&gt;\""
	    " width=\"1200\" height=\"630\">") != NULL, "%s", page);
	ck_assert_msg(strstr(page, "<meta property=\"og:image\" content=\""
	    "http://localhost/blog/images/2026-01-03-covered.png\">") != NULL,
	    "%s", page);
	free(page);

	xasprintf(&path, "%s/public/index.html", site);
	page = test_read_file(path, NULL);
	free(path);
	ck_assert_msg(strstr(page, "<img class=\"card-cover\" src=\"/blog/images/"
	    "2026-01-03-covered.png\"") != NULL, "%s", page);
	/* the post without a cover has no image on its card */
	ck_assert_ptr_nonnull(strstr(page, "<li><a href=\"/blog/posts/"
	    "2026-01-04-plain/\">Plain</a>"));
	free(page);

	xasprintf(&path, "%s/public/posts/2026-01-04-plain/index.html", site);
	page = test_read_file(path, NULL);
	free(path);
	ck_assert_ptr_null(strstr(page, "og:image"));
	ck_assert_ptr_null(strstr(page, "<img"));
	free(page);

	/* the published file is the drawn PNG */
	xasprintf(&path, "%s/public/images/2026-01-03-covered.png", site);
	page = test_read_file(path, &len);
	free(path);
	ck_assert_ptr_nonnull(page);
	ck_assert_uint_eq(len, c.ci_len);
	ck_assert_int_eq(memcmp(page, c.ci_data, len), 0);
	free(page);

	cover_files_release(&f);
	cover_image_release(&c);
	cover_image_release(&i);
	free(fm);
	test_rmtree(root);
	free(site);
	free(root);
}
END_TEST

/*
 * cairo is loaded once, every entry filled, FcFini from the fontconfig
 * cairo itself uses; releasing the caches does not load it.
 */
START_TEST(test_cairoapi_table)
{
	struct cairoapi	 first;
	Dl_info		 dli;
	char		 err[256];
	void		*p;
	size_t		 i;
	int		 loaded = cairoapi.create != NULL;

	cover_release_caches();
	ck_assert_int_eq(cairoapi.create != NULL, loaded);
	ck_assert_msg(cairoapi_load(err, sizeof(err)) == 0, "%s", err);
	/* every member is a function pointer */
	for (i = 0; i < sizeof(cairoapi) / sizeof(p); i++) {
		memcpy(&p, (const char *)&cairoapi + i * sizeof(p), sizeof(p));
		ck_assert_msg(p != NULL, "cairoapi entry %zu is NULL", i);
	}
	first = cairoapi;
	ck_assert_int_eq(cairoapi_load(err, sizeof(err)), 0);
	ck_assert_int_eq(memcmp(&first, &cairoapi, sizeof(first)), 0);
	memcpy(&p, &cairoapi.fc_fini, sizeof(p));
	ck_assert(dladdr(p, &dli) != 0);
	ck_assert_msg(strstr(dli.dli_fname, "libfontconfig") != NULL, "%s",
	    dli.dli_fname);
	memcpy(&p, &cairoapi.create, sizeof(p));
	ck_assert(dladdr(p, &dli) != 0);
	ck_assert_msg(strstr(dli.dli_fname, "libcairo") != NULL, "%s",
	    dli.dli_fname);
}
END_TEST

/* Each test ends with cairo's and fontconfig's caches freed (valgrind). */
static void
cover_teardown(void)
{
	cover_release_caches();
}

/* COVER_SOURCES: off, lists in order, unknown and repeated names. */
START_TEST(test_sources_parse)
{
	const char	*names[COVER_SOURCES_MAX];
	char		 err[160];

	ck_assert_int_eq(cover_sources_parse("off", names, err, sizeof(err)),
	    0);
	ck_assert_int_eq(cover_sources_parse("", names, err, sizeof(err)), 0);
	ck_assert_int_eq(cover_sources_parse("none", names, err, sizeof(err)),
	    0);
	ck_assert_int_eq(cover_sources_parse(COVER_SOURCES_DEFAULT, names,
	    err, sizeof(err)), 2);
	ck_assert_str_eq(names[0], "unsplash");
	ck_assert_str_eq(names[1], "draw");
	ck_assert_int_eq(cover_sources_parse("draw, images ,unsplash", names,
	    err, sizeof(err)), 3);
	ck_assert_str_eq(names[0], "draw");
	ck_assert_str_eq(names[1], "images");
	ck_assert_str_eq(names[2], "unsplash");
	ck_assert_int_eq(cover_sources_parse("draw,photos", names, err,
	    sizeof(err)), -1);
	ck_assert_msg(strstr(err, "'photos'") != NULL, "%s", err);
	ck_assert_int_eq(cover_sources_parse("draw,draw", names, err,
	    sizeof(err)), -1);
	ck_assert_msg(strstr(err, "twice") != NULL, "%s", err);
	ck_assert_int_eq(cover_sources_parse("draw,", names, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(cover_sources_parse("Draw", names, err,
	    sizeof(err)), -1);
}
END_TEST

/* A cover made with drawing only, then unlinked: nothing is left. */
START_TEST(test_make_draw_and_unlink)
{
	struct cover_request	 cr;
	struct cover_made	 cm;
	char			 err[256], *dir, *static_dir, *path;
	struct stat		 st;

	dir = test_tmpdir("covmake");
	xasprintf(&static_dir, "%s/static", dir);
	memset(&cr, 0, sizeof(cr));
	cr.cr_sources = "unsplash,images,draw";	/* no key, no images call */
	cr.cr_static_dir = static_dir;
	cr.cr_stem = "2026-12-04-a-title";
	cr.cr_title = "A title";
	cr.cr_seed = "hn_1";
	ck_assert_int_eq(cover_make(&cr, &cm, err, sizeof(err)), 0);
	ck_assert_str_eq(cm.cm_source, "draw");
	ck_assert_str_eq(cm.cm_files.cf_image, "images/2026-12-04-a-title.png");
	ck_assert_ptr_nonnull(strstr(cm.cm_front_matter,
	    "cover:\n  image: \"images/2026-12-04-a-title.png\"\n  alt: "
	    "\"Cover image: A title\"\n"));
	xasprintf(&path, "%s/images/2026-12-04-a-title.png", static_dir);
	ck_assert_int_eq(stat(path, &st), 0);
	cover_made_unlink(&cm);
	ck_assert_int_eq(stat(path, &st), -1);
	cover_made_release(&cm);
	free(path);
	cr.cr_sources = "off";
	ck_assert_int_eq(cover_make(&cr, &cm, err, sizeof(err)), 1);
	cr.cr_sources = "images";	/* the only source is not there */
	ck_assert_int_eq(cover_make(&cr, &cm, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "images") != NULL, "%s", err);
	test_rmtree(dir);
	free(static_dir);
	free(dir);
	cover_release_caches();
}
END_TEST

Suite *
cover_suite(void)
{
	Suite	*s = suite_create("cover");
	TCase	*tc;

	tc = tcase_create("unit");
	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, NULL, cover_teardown);
	tcase_add_test(tc, test_draw_sizes_and_same_bytes);
	tcase_add_test(tc, test_draw_odd_titles);
	tcase_add_test(tc, test_png_info_rejects);
	tcase_add_test(tc, test_images_request);
	tcase_add_test(tc, test_images_reply);
	tcase_add_test(tc, test_images_reply_bad);
	tcase_add_test(tc, test_unsplash_reply);
	tcase_add_test(tc, test_unsplash_reply_bad);
	tcase_add_test(tc, test_unsplash_url);
	tcase_add_test(tc, test_image_type);
	tcase_add_test(tc, test_write_no_clobber);
	tcase_add_test(tc, test_front_matter);
	tcase_add_test(tc, test_cairoapi_table);
	tcase_add_test(tc, test_sources_parse);
	tcase_add_test(tc, test_make_draw_and_unlink);
	suite_add_tcase(s, tc);

	tc = tcase_create("hugo");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, NULL, cover_teardown);
	tcase_add_test(tc, test_hugo_site_with_cover);
	suite_add_tcase(s, tc);
	return (s);
}
