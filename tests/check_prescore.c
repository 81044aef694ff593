/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_prescore.c: the heuristic pre-score: clear noise falls under the
 * threshold, clear signal passes, each bonus and penalty moves the score
 * the way it should, and engagement is read from each source's metadata.
 */
#include <string.h>

#include <check.h>
#include <json.h>

#include "prescore.h"
#include "tests.h"

static double
score(const char *source, const char *title, const char *content,
    const char *url, double engagement)
{
	struct prescore_input	in;
	char			why[256];

	memset(&in, 0, sizeof(in));
	in.pi_source = source;
	in.pi_title = title;
	in.pi_content = content;
	in.pi_url = url;
	in.pi_engagement = engagement;
	return (prescore_compute(&in, why, sizeof(why)));
}

START_TEST(test_noise_turned_away)
{
	double	t = PRESCORE_THRESHOLD_DEFAULT;

	/* shouting with emoji and nothing else */
	ck_assert(!prescore_pass(score("mastodon", "WOW",
	    "WOW THIS IS THE BEST THING EVER!!! \xf0\x9f\x94\xa5\xf0\x9f\x94"
	    "\xa5\xf0\x9f\x94\xa5\xf0\x9f\x94\xa5\xf0\x9f\x9a\x80", NULL, 0),
	    t));
	/* personal chatter, a thread fragment */
	ck_assert(!prescore_pass(score("mastodon", "my morning",
	    "I am so tired today, my coffee is cold and I think my cat hates "
	    "me 2/", NULL, 1), t));
	/* a curated list repository, however starred */
	ck_assert(!prescore_pass(score("github", "lists/awesome-zig: A "
	    "curated list of awesome Zig things", "awesome-zig\n\nA curated "
	    "list of awesome Zig things", "https://github.com/lists/awesome-zig",
	    320), t));
	/* an empty item */
	ck_assert(!prescore_pass(score(NULL, NULL, NULL, NULL, 0), t));
}
END_TEST

START_TEST(test_signal_passes)
{
	double	t = PRESCORE_THRESHOLD_DEFAULT;
	double	hn, code, plain;

	/* an HN story linking an article, with real engagement */
	hn = score("hackernews", "Postgres 18 ships asynchronous I/O",
	    "Postgres 18 ships asynchronous I/O",
	    "https://www.postgresql.org/about/news/", 600);
	ck_assert(prescore_pass(hn, t));
	ck_assert(hn >= 0.5);
	/* a technical post with code and a link */
	code = score("mastodon", "jsonb", "SQLite's jsonb functions made our "
	    "event store 3x smaller:\n\n```sql\nSELECT jsonb(x) FROM t;\n```\n"
	    "write-up: https://blog.example/jsonb", NULL, 50);
	ck_assert(prescore_pass(code, t));
	plain = score("mastodon", "jsonb", "SQLite's jsonb functions made our "
	    "event store 3x smaller", NULL, 50);
	ck_assert(code > plain);
}
END_TEST

START_TEST(test_terms_move_the_score)
{
	double	base, more;

	base = score("reddit", "t", "short text", "https://www.reddit.com/r/x/"
	    "comments/1/", 0);
	/* a link post pointing away from Reddit counts as an article */
	more = score("reddit", "t", "short text",
	    "https://blog.example.net/post", 0);
	ck_assert(more > base);
	/* engagement on a log scale, bounded */
	ck_assert(score(NULL, "t", "x", NULL, 1000) > score(NULL, "t", "x",
	    NULL, 10));
	ck_assert(score(NULL, "t", "x", NULL, 1e9) <= 1.0);
	ck_assert_double_eq_tol(score(NULL, "t", "x", NULL, 1e6),
	    score(NULL, "t", "x", NULL, 1e9), 1e-9);
	/* length helps, up to its cap */
	ck_assert(score(NULL, "t", "a b c d e f g h i j k l m n o p q r s t "
	    "u v w x y z a b c d e f g h i j k l m n o p q r s t u v w x y z",
	    NULL, 0) > score(NULL, "t", "a b", NULL, 0));
}
END_TEST

START_TEST(test_engagement_per_source)
{
	json_object	*o;

	o = json_tokener_parse("{\"metadata\":{\"score\":412,\"comments\":"
	    "188}}");
	ck_assert_double_eq(prescore_engagement(o), 600);
	json_object_put(o);
	o = json_tokener_parse("{\"metadata\":{\"favourites_count\":54,"
	    "\"reblogs_count\":21,\"replies_count\":5}}");
	ck_assert_double_eq(prescore_engagement(o), 80);
	json_object_put(o);
	o = json_tokener_parse("{\"metadata\":{\"stars\":1500,\"forks\":61,"
	    "\"language\":null}}");
	ck_assert_double_eq(prescore_engagement(o), 1561);
	json_object_put(o);
	o = json_tokener_parse("{\"metadata\":{\"score\":\"lots\","
	    "\"num_comments\":-4}}");
	ck_assert_double_eq(prescore_engagement(o), 0);
	json_object_put(o);
	o = json_tokener_parse("{\"title\":\"no metadata\"}");
	ck_assert_double_eq(prescore_engagement(o), 0);
	json_object_put(o);
}
END_TEST

Suite *
prescore_suite(void)
{
	Suite	*s = suite_create("prescore");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_noise_turned_away);
	tcase_add_test(tc, test_signal_passes);
	tcase_add_test(tc, test_terms_move_the_score);
	tcase_add_test(tc, test_engagement_per_source);
	suite_add_tcase(s, tc);
	return (s);
}
