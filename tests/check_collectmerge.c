/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_collectmerge.c: merging the sources' items by normalised URL (the
 * most engaged copy kept, in the first one's place), the atomic collected
 * file and reading it back.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <json.h>

#include "collectmerge.h"
#include "datafile.h"
#include "tests.h"
#include "xmalloc.h"

static json_object *
mk(const char *id, const char *url, const char *meta)
{
	json_object	*o;
	char		*s;

	xasprintf(&s, "{\"id\":\"%s\",\"title\":\"t %s\",\"content\":\"c\","
	    "\"source\":\"hackernews\",\"url\":\"%s\",\"author\":\"a\","
	    "\"metadata\":%s}", id, id, url, meta);
	o = json_tokener_parse(s);
	ck_assert_ptr_nonnull(o);
	free(s);
	return (o);
}

static const char *
id_at(json_object *arr, size_t i)
{
	json_object	*v;

	ck_assert(json_object_object_get_ex(json_object_array_get_idx(arr, i),
	    "id", &v));
	return (json_object_get_string(v));
}

START_TEST(test_merge_by_url)
{
	struct collect_merge	*m;
	json_object		*hn, *reddit, *masto, *out;

	hn = json_object_new_array();
	json_object_array_add(hn, mk("hn_1", "https://Example.com/post?"
	    "utm_source=hn", "{\"score\":10,\"comments\":2}"));
	json_object_array_add(hn, mk("hn_2", "https://other.example/a",
	    "{\"score\":5}"));
	json_object_array_add(hn, mk("hn_3", "not a url", "{}"));
	reddit = json_object_new_array();
	/* the same story, more engaged: replaces hn_1 in its place */
	json_object_array_add(reddit, mk("reddit_a", "https://example.com/"
	    "post#comments", "{\"score\":300,\"num_comments\":40}"));
	json_object_array_add(reddit, mk("reddit_b", "https://third.example/",
	    "{\"score\":1}"));
	masto = json_object_new_array();
	/* the same as hn_2, less engaged: dropped */
	json_object_array_add(masto, mk("mastodon_1", "HTTPS://OTHER.example:"
	    "443/a", "{\"favourites_count\":2}"));
	/* same engagement as reddit_b: the first stays */
	json_object_array_add(masto, mk("mastodon_2", "https://third.example",
	    "{\"favourites_count\":1}"));

	m = collect_merge_new();
	ck_assert_uint_eq(collect_merge_add(m, hn), 1);
	ck_assert_uint_eq(collect_merge_add(m, reddit), 1);
	ck_assert_uint_eq(collect_merge_add(m, masto), 2);
	ck_assert_uint_eq(collect_merge_add(m, NULL), 0);
	ck_assert_uint_eq(collect_merge_count(m), 3);
	json_object_put(hn);
	json_object_put(reddit);
	json_object_put(masto);
	out = collect_merge_items(m);
	ck_assert_uint_eq(json_object_array_length(out), 3);
	ck_assert_str_eq(id_at(out, 0), "reddit_a");
	ck_assert_str_eq(id_at(out, 1), "hn_2");
	ck_assert_str_eq(id_at(out, 2), "reddit_b");
	json_object_put(out);
	collect_merge_free(m);
}
END_TEST

START_TEST(test_write_and_read_back)
{
	struct collect_merge	*m;
	json_object		*arr, *items, *sources, *root, *v;
	char			*dir, *path, *path2, err[256];
	DIR			*d;
	struct dirent		*de;
	int			 n = 0;

	dir = test_tmpdir("collect");
	m = collect_merge_new();
	arr = json_object_new_array();
	json_object_array_add(arr, mk("hn_1", "https://a.example/", "{}"));
	json_object_array_add(arr, mk("hn_2", "https://b.example/", "{}"));
	(void)collect_merge_add(m, arr);
	json_object_put(arr);
	sources = json_tokener_parse("{\"hackernews\":{\"status\":\"ok\","
	    "\"items\":2}}");
	/* 2026-12-01 12:00:00 UTC; data/ is created */
	{
		char	*data;

		xasprintf(&data, "%s/data", dir);
		ck_assert_int_eq(collect_merge_write(m, data, 1796126400LL,
		    sources, &path, err, sizeof(err)), 0);
		ck_assert_ptr_nonnull(strstr(path,
		    "/data/collected_20261201_120000.json"));
		/* the same second again: a second file, nothing replaced */
		ck_assert_int_eq(collect_merge_write(m, data, 1796126400LL,
		    NULL, &path2, err, sizeof(err)), 0);
		ck_assert_ptr_nonnull(strstr(path2,
		    "/data/collected_20261201_120000_2.json"));
		/* no temporary file is left behind */
		ck_assert_ptr_nonnull(d = opendir(data));
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.' || strstr(de->d_name,
			    ".tmp") != NULL)
				n++;
		closedir(d);
		ck_assert_int_eq(n, 2);
		free(data);
	}
	items = collect_load_file(path, err, sizeof(err));
	ck_assert_ptr_nonnull(items);
	ck_assert_uint_eq(json_object_array_length(items), 2);
	ck_assert_str_eq(id_at(items, 1), "hn_2");
	json_object_put(items);
	root = datafile_read(path, err, sizeof(err));
	ck_assert(json_object_object_get_ex(root, "total_items", &v));
	ck_assert_int_eq(json_object_get_int(v), 2);
	ck_assert(json_object_object_get_ex(root, "collected_at", &v));
	ck_assert_str_eq(json_object_get_string(v), "2026-12-01T12:00:00Z");
	ck_assert(json_object_object_get_ex(root, "sources", &v));
	ck_assert(json_object_object_get_ex(v, "hackernews", &v));
	json_object_put(root);

	/* a broken file is reported with its name */
	ck_assert_int_eq(test_write_file(path, "{\"items\": [1, 2"), 0);
	ck_assert_ptr_null(collect_load_file(path, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "collected_20261201_120000.json"));
	ck_assert_int_eq(test_write_file(path, "{\"total\": 1}"), 0);
	ck_assert_ptr_null(collect_load_file(path, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "no \"items\" array"));

	free(path);
	free(path2);
	collect_merge_free(m);
	test_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_write_fails_cleanly)
{
	struct collect_merge	*m;
	char			*dir, *blocked, err[256];

	dir = test_tmpdir("collect-ro");
	xasprintf(&blocked, "%s/file", dir);
	ck_assert_int_eq(test_write_file(blocked, "x"), 0);
	m = collect_merge_new();
	/* the data "directory" is a file: an error naming it */
	ck_assert_int_eq(collect_merge_write(m, blocked, 1796126400LL, NULL,
	    NULL, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, blocked));
	collect_merge_free(m);
	free(blocked);
	test_rmtree(dir);
	free(dir);
}
END_TEST

Suite *
collectmerge_suite(void)
{
	Suite	*s = suite_create("collectmerge");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_merge_by_url);
	tcase_add_test(tc, test_write_and_read_back);
	tcase_add_test(tc, test_write_fails_cleanly);
	suite_add_tcase(s, tc);
	return (s);
}
