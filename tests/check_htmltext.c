/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_htmltext.c: HTML to text: page furniture dropped, paragraphs
 * kept, entities decoded, the cap honoured on a character boundary, and
 * Mastodon's status HTML; the table of libxml2's entry points.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "buf.h"
#include "htmltext.h"
#include "tests.h"
#include "xmlapi.h"

static char *
text_of(const char *html, size_t max)
{
	struct htmltext	 ht;
	char		 err[128], *t;

	ck_assert_int_eq(htmltext_extract(html, strlen(html), NULL, max, &ht,
	    err, sizeof(err)), 0);
	t = ht.ht_text;
	ht.ht_text = NULL;
	htmltext_release(&ht);
	return (t);
}

START_TEST(test_page_noise_dropped)
{
	struct htmltext	 ht;
	char		 err[128];
	const char	*html =
	    "<!DOCTYPE html><html><head><title> The  Title </title>"
	    "<style>p{color:red}</style><script>var x = 1;</script></head>"
	    "<body><header>Site header</header><nav><a href=\"/\">Home</a>"
	    "</nav><main><h1>Heading</h1><p>First   paragraph\n with "
	    "<b>bold</b> text.</p><p>Second &amp; last &lt;p&gt; "
	    "caf&eacute; &#8212; done.</p></main><aside>Ads</aside>"
	    "<footer>Footer<script>track()</script></footer></body></html>";

	ck_assert_int_eq(htmltext_extract(html, strlen(html), "utf-8", 4096,
	    &ht, err, sizeof(err)), 0);
	ck_assert_str_eq(ht.ht_text, "Heading\n\nFirst paragraph with bold "
	    "text.\n\nSecond & last <p> caf\xc3\xa9 \xe2\x80\x94 done.");
	ck_assert_str_eq(ht.ht_title, "The Title");
	ck_assert_int_eq(ht.ht_truncated, 0);
	htmltext_release(&ht);
}
END_TEST

START_TEST(test_fragment_and_breaks)
{
	char	*t;

	t = text_of("<p>Line one<br>line two</p><p>Para <a href=\"x\">"
	    "link</a></p>", 1000);
	ck_assert_str_eq(t, "Line one\nline two\n\nPara link");
	free(t);
	t = text_of("plain words only", 1000);
	ck_assert_str_eq(t, "plain words only");
	free(t);
	t = text_of("", 1000);
	ck_assert_str_eq(t, "");
	free(t);
	t = text_of("<pre>a  b\n  c</pre><p>after</p>", 1000);
	ck_assert_str_eq(t, "a  b\n  c\n\nafter");
	free(t);
}
END_TEST

START_TEST(test_mastodon_status_html)
{
	struct htmltext	 ht;
	char		 err[128];
	const char	*html = "<p>New post <a href=\"https://blog.example/"
	    "x\" rel=\"nofollow\"><span class=\"invisible\">https://</span>"
	    "<span class=\"\">blog.example/x</span></a></p><p><a href=\""
	    "https://social.example/tags/rust\" class=\"hashtag\">#<span>rust"
	    "</span></a> it&#39;s fast</p>";

	ck_assert_int_eq(htmltext_extract(html, strlen(html), NULL, 1000, &ht,
	    err, sizeof(err)), 0);
	ck_assert_str_eq(ht.ht_text, "New post https://blog.example/x\n\n"
	    "#rust it's fast");
	ck_assert_uint_eq(ht.ht_links, 2);
	ck_assert_ptr_null(ht.ht_title);
	htmltext_release(&ht);
}
END_TEST

START_TEST(test_cap_on_boundary)
{
	struct htmltext	 ht;
	struct buf	 b;
	char		 err[128];
	int		 i;

	buf_init(&b);
	for (i = 0; i < 100; i++)
		buf_puts(&b, "<p>\xc3\xa9t\xc3\xa9</p>");
	/* 3 characters, 5 bytes each paragraph; cut at 7 bytes */
	ck_assert_int_eq(htmltext_extract(b.b_data, b.b_len, NULL, 7, &ht,
	    err, sizeof(err)), 0);
	ck_assert_int_eq(ht.ht_truncated, 1);
	ck_assert_str_eq(ht.ht_text, "\xc3\xa9t\xc3\xa9");
	htmltext_release(&ht);
	/* the cap falls inside "é": never half a character */
	ck_assert_int_eq(htmltext_extract(b.b_data, b.b_len, NULL, 4, &ht,
	    err, sizeof(err)), 0);
	ck_assert_str_eq(ht.ht_text, "\xc3\xa9t");
	htmltext_release(&ht);
	buf_release(&b);
}
END_TEST

START_TEST(test_charset_and_sniff)
{
	char	cs[32];
	char	*t;

	htmltext_charset("text/html; charset=ISO-8859-1", cs, sizeof(cs));
	ck_assert_str_eq(cs, "ISO-8859-1");
	htmltext_charset("text/html;charset=\"utf-8\"", cs, sizeof(cs));
	ck_assert_str_eq(cs, "utf-8");
	htmltext_charset("text/html", cs, sizeof(cs));
	ck_assert_str_eq(cs, "");
	htmltext_charset(NULL, cs, sizeof(cs));
	ck_assert_str_eq(cs, "");
	ck_assert_int_eq(htmltext_looks_html("  <!DOCTYPE html>", 17), 1);
	ck_assert_int_eq(htmltext_looks_html("{\"a\": 1 < 2}", 12), 0);

	/* Latin-1 bytes become UTF-8 when the charset says so */
	{
		struct htmltext	 ht;
		char		 err[128];

		ck_assert_int_eq(htmltext_extract("<p>caf\xe9</p>", 9,
		    "ISO-8859-1", 100, &ht, err, sizeof(err)), 0);
		ck_assert_str_eq(ht.ht_text, "caf\xc3\xa9");
		htmltext_release(&ht);
	}
	/* invalid UTF-8 never leaks out */
	t = text_of("<p>bad \xff\xfe bytes</p>", 100);
	ck_assert_ptr_null(strstr(t, "\xff"));
	free(t);
}
END_TEST

/* libxml2 is loaded once, every entry filled, xmlFree resolved. */
START_TEST(test_xmlapi_table)
{
	static const char	 html[] = "<p>caf&eacute;</p>";
	struct xmlapi		 first;
	char			 err[256];
	xmlChar			*s;
	htmlDocPtr		 doc;

	ck_assert_msg(xmlapi_load(err, sizeof(err)) == 0, "%s", err);
	ck_assert(xmlapi.init_parser != NULL);
	ck_assert(xmlapi.html_read_memory != NULL);
	ck_assert(xmlapi.html_entity_lookup != NULL);
	ck_assert(xmlapi.free_doc != NULL);
	ck_assert(xmlapi.node_get_content != NULL);
	ck_assert(xmlapi.has_prop != NULL);
	ck_assert(xmlapi.free != NULL);
	first = xmlapi;
	ck_assert_int_eq(xmlapi_load(err, sizeof(err)), 0);
	ck_assert_int_eq(memcmp(&first, &xmlapi, sizeof(first)), 0);
	/* what libxml2 allocates, freed through the table */
	doc = xmlapi.html_read_memory(html, (int)strlen(html), NULL, "UTF-8",
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	ck_assert_ptr_nonnull(doc);
	s = xmlapi.node_get_content((xmlNode *)doc);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq((const char *)s, "caf\xc3\xa9");
	xmlapi.free(s);
	xmlapi.free_doc(doc);
	ck_assert_uint_eq(xmlapi.html_entity_lookup(
	    (const xmlChar *)"eacute")->value, 0xe9);
}
END_TEST

Suite *
htmltext_suite(void)
{
	Suite	*s = suite_create("htmltext");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_page_noise_dropped);
	tcase_add_test(tc, test_fragment_and_breaks);
	tcase_add_test(tc, test_mastodon_status_html);
	tcase_add_test(tc, test_cap_on_boundary);
	tcase_add_test(tc, test_charset_and_sniff);
	tcase_add_test(tc, test_xmlapi_table);
	suite_add_tcase(s, tc);
	return (s);
}
