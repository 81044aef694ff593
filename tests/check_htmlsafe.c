/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_htmlsafe.c: htmlsafe_markdown() against a hostile corpus (each
 * case names what must be gone and what harmless part must stay), code
 * kept byte for byte, the URL rule, and real Hugo builds of the demo site
 * with raw HTML off and on, with and without the sanitiser.
 */
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "htmlsafe.h"
#include "tests.h"
#include "xmalloc.h"

struct hcase {
	const char	*name;
	const char	*in;
	const char	*gone[4];	/* case-insensitive, must not appear */
	const char	*kept[3];	/* must appear as written */
};

static const struct hcase hostile[] = {
	{ "script block", "<script>alert(1)</script>\n",
	    { "<script", "alert" }, { NULL } },
	{ "script case tricks", "<ScRiPt>alert(1)</sCrIpT>\n\nafter\n",
	    { "script", "alert" }, { "after" } },
	{ "inline script", "a <script>alert(1)</script> b\n",
	    { "<script", "alert" }, { "a ", " b" } },
	{ "img onerror", "<img src=x onerror=alert(1)>\n",
	    { "onerror", "alert" }, { "<img src=\"x\">" } },
	{ "img onerror upper", "<IMG SRC=x OnErRoR=alert(1)>\n",
	    { "onerror", "alert" }, { "<img src=\"x\">" } },
	{ "inline img onerror", "see <img src=\"a.png\" onerror=\"alert(1)\""
	    " alt=\"A\"> here\n", { "onerror" },
	    { "<img src=\"a.png\" alt=\"A\">", "see ", " here" } },
	{ "href tab entity", "<a href=\"jav&#x09;ascript:alert(1)\">t</a>\n",
	    { "href", "script:" }, { "<a>t</a>" } },
	{ "href javascript", "<a href=\"javascript:alert(1)\">t</a>\n",
	    { "href", "javascript" }, { "<a>t</a>" } },
	{ "href mixed case space", "<a href=\" JaVaScRiPt:alert(1)\">t</a>\n",
	    { "href", "javascript" }, { ">t</a>" } },
	{ "href decimal entity", "<a href=\"&#106;avascript:alert(1)\">t</a>\n",
	    { "href", "avascript" }, { ">t</a>" } },
	{ "href newline entity", "<a href=\"java&#10;script:alert(1)\">t</a>\n",
	    { "href" }, { ">t</a>" } },
	{ "href vbscript", "<a href=\"vbscript:msgbox(1)\">t</a>\n",
	    { "vbscript", "href" }, { ">t</a>" } },
	{ "href data", "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">t</a>\n",
	    { "data:", "href" }, { ">t</a>" } },
	{ "href https kept", "<a href=\"https://example.com/?a=1&amp;b=2\" "
	    "title=\"x\">ok</a>\n", { NULL },
	    { "href=\"https://example.com/?a=1&amp;b=2\"", "title=\"x\"" } },
	{ "href relative kept", "<a href=\"/posts/x/\">r</a>\n", { NULL },
	    { "<a href=\"/posts/x/\">r</a>" } },
	{ "href mailto kept", "<a href=\"mailto:a@b.example\">m</a>\n",
	    { NULL }, { "href=\"mailto:a@b.example\"" } },
	{ "target dropped", "<a href=\"https://x.example/\" target=\"_blank\">"
	    "k</a>\n", { "target" }, { "href=\"https://x.example/\"" } },
	{ "svg script", "<svg viewBox=\"0 0 2 2\"><script>alert(1)</script>"
	    "<circle r=\"1\"/></svg>\n", { "script", "alert" },
	    { "<circle r=\"1\"/>", "viewbox=\"0 0 2 2\"", "</svg>" } },
	{ "svg onload", "<svg onload=alert(1)><rect width=\"1\" height=\"1\"/>"
	    "</svg>\n", { "onload", "alert" }, { "<rect width=\"1\"" } },
	{ "svg xlink javascript", "<svg><a xlink:href=\"javascript:alert(1)\">"
	    "<text>x</text></a></svg>\n", { "javascript", "xlink:href" },
	    { "<text>x</text>" } },
	{ "svg animate href", "<svg><a><animate attributeName=\"href\" "
	    "values=\"javascript:alert(1)\"/><text>y</text></a></svg>\n",
	    { "animate", "javascript" }, { "<text>y</text>" } },
	{ "svg set", "<svg><set attributeName=\"onmouseover\" to=\"alert(1)\"/>"
	    "<path d=\"M0 0\"/></svg>\n", { "<set", "alert" },
	    { "<path d=\"M0 0\"/>" } },
	{ "svg foreignObject", "<svg><foreignObject><iframe src=\"x\"></iframe>"
	    "</foreignObject><g></g></svg>\n", { "foreignobject", "iframe" },
	    { "<svg>" } },
	{ "svg style", "<svg><style>*{fill:red}</style><line x1=\"0\"/></svg>\n",
	    { "style", "fill:red" }, { "<line x1=\"0\"/>" } },
	{ "iframe srcdoc", "<iframe srcdoc=\"<script>alert(1)</script>\">"
	    "</iframe>\n", { "iframe", "srcdoc", "alert" }, { NULL } },
	{ "iframe inline", "x <iframe src=\"https://evil.example/\"></iframe> y\n",
	    { "iframe", "evil" }, { "x ", " y" } },
	{ "iframe slash", "<iframe/src=\"javascript:alert(1)\">\n",
	    { "<iframe" }, { NULL } },
	{ "object", "<object data=\"x.swf\"><param name=a></object>\n",
	    { "object", "param" }, { NULL } },
	{ "embed", "<embed src=\"x.swf\">\n", { "embed" }, { NULL } },
	{ "form", "<form action=\"https://evil.example/\"><input name=a>"
	    "<button>Go</button></form>\n", { "form", "input", "button", "Go" },
	    { NULL } },
	{ "style element", "<style>body{display:none}</style>\n\ntext\n",
	    { "style", "display" }, { "text" } },
	{ "style attribute", "<p style=\"background:url(javascript:alert(1))\">"
	    "p</p>\n", { "style", "javascript" }, { "<p>p</p>" } },
	{ "link", "<link rel=\"stylesheet\" href=\"x.css\">\n",
	    { "<link", "x.css" }, { NULL } },
	{ "meta refresh", "<meta http-equiv=\"refresh\" content=\"0;url="
	    "javascript:alert(1)\">\n", { "meta", "refresh" }, { NULL } },
	{ "base", "<base href=\"https://evil.example/\">\n", { "base", "evil" },
	    { NULL } },
	{ "unclosed tags", "<div class=\"c\">open <b>bold\n", { NULL },
	    { "<div class=\"c\">", "<b>bold" } },
	{ "unclosed script", "<div>x<script>alert(1)\n", { "script", "alert" },
	    { "<div>x" } },
	{ "comment hides script", "<!-- <script>alert(1)</script> -->\n\nok\n",
	    { "script", "<!--" }, { "ok" } },
	{ "inline comment", "a <!-- <img src=x onerror=alert(1)> --> b\n",
	    { "onerror", "<!--" }, { "a ", " b" } },
	{ "cdata", "<![CDATA[<script>alert(1)</script>]]>\n",
	    { "script", "cdata" }, { NULL } },
	{ "split tag name", "<scr<script>ipt>alert(1)</script>\n",
	    { "<script" }, { NULL } },
	{ "unfinished tag", "x <a href=\"javascript:alert(1)\"\n",
	    { "<a " }, { "&lt;a" } },
	{ "math", "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>\n",
	    { "math", "javascript" }, { NULL } },
	{ "noscript mxss", "<noscript><p title=\"</noscript><img src=x "
	    "onerror=alert(1)>\"></noscript>\n", { "onerror", "alert" },
	    { NULL } },
	{ "textarea", "<textarea><script>alert(1)</script></textarea>\n",
	    { "textarea", "script" }, { NULL } },
	{ "img src javascript", "<img src=\"javascript:alert(1)\" alt=\"a\">\n",
	    { "javascript", "src" }, { "<img alt=\"a\">" } },
	{ "img srcset", "<img src=\"a.png\" srcset=\"javascript:alert(1) 1x\">\n",
	    { "srcset", "javascript" }, { "<img src=\"a.png\">" } },
	{ "div onclick", "<div onclick=\"alert(1)\" class=\"c\">x</div>\n",
	    { "onclick", "alert" }, { "<div class=\"c\">x</div>" } },
	{ "details", "<details open><summary>S</summary>Body</details>\n",
	    { NULL }, { "<details open><summary>S</summary>Body</details>" } },
	{ "details around markdown", "<details>\n<summary>More</summary>\n\n"
	    "Some *markdown*.\n\n</details>\n", { NULL },
	    { "<details>\n<summary>More</summary>\n\nSome *markdown*.\n\n"
	    "</details>\n" } },
	{ "table", "<table><tr><th>H</th></tr><tr><td colspan=\"2\" "
	    "onmouseover=\"x\">C</td></tr></table>\n", { "onmouseover" },
	    { "<table><tr><th>H</th></tr><tr><td colspan=\"2\">C</td></tr>"
	    "</table>" } },
	{ "br", "line<br>break<br/>x\n", { NULL }, { "line<br>break<br/>x" } },
	{ "figure", "<figure><img src=\"/i.png\" alt=\"A\"><figcaption>Cap"
	    "</figcaption></figure>\n", { NULL },
	    { "<figure><img src=\"/i.png\" alt=\"A\"><figcaption>Cap"
	    "</figcaption></figure>" } },
	{ "md link javascript", "[x](javascript:alert(1))\n",
	    { "javascript", "](" }, { "x" } },
	{ "md image javascript", "![i](javascript:alert(1))\n",
	    { "javascript" }, { "i" } },
	{ "md link entity", "[x](jav&#x61;script:alert(1))\n",
	    { "script:", "](" }, { "x" } },
	{ "md link colon entity", "[x](javascript&colon;alert(1))\n",
	    { "javascript", "](" }, { "x" } },
	{ "md link backslash", "[x](javascript\\:alert(1))\n",
	    { "javascript", "](" }, { "x" } },
	{ "md link angle", "[x](<javascript:alert(1)>)\n",
	    { "javascript" }, { "x" } },
	{ "md link titled", "[x](JAVASCRIPT:alert(1) \"t\") y\n",
	    { "javascript" }, { "x y" } },
	{ "md definition", "[r]: javascript:alert(1)\n\nsee [r]\n",
	    { "javascript" }, { "see [r]" } },
	{ "md autolink", "<javascript:alert(1)> and <https://example.com/>\n",
	    { "javascript" }, { "<https://example.com/>" } },
	{ "md image png data", "![ok](data:image/png;base64,iVBORw0KGgo=)\n",
	    { NULL }, { "![ok](data:image/png;base64,iVBORw0KGgo=)" } },
	{ "md image svg data", "![bad](data:image/svg+xml;base64,PHN2Zz4=)\n",
	    { "data:" }, { "bad" } },
	{ "md link data", "[d](data:image/png;base64,iVBORw0KGgo=)\n",
	    { "data:" }, { "d" } },
	{ "md link https", "[ok](https://example.com/a_(b) \"T\")\n", { NULL },
	    { "[ok](https://example.com/a_(b) \"T\")" } },
	{ "heading attributes", "## H {onclick=alert(1) style=\"x\"}\n",
	    { "onclick", "style" }, { "## H \n" } },
	{ "heading id kept", "## H {#h .c}\n", { NULL }, { "## H {#h .c}" } },
	{ "literal tab in scheme", "<a href=\"jav\tascript:alert(1)\">t</a>\n",
	    { "href" }, { ">t</a>" } },
	{ "xmp", "<xmp><script>alert(1)</script></xmp>\n",
	    { "xmp", "script" }, { NULL } },
	{ "body onload", "<body onload=alert(1)>x\n", { "onload", "<body" },
	    { "x" } },
	{ "svg in list item", "- <svg><script>alert(1)</script></svg> item\n",
	    { "script" }, { "- <svg></svg> item" } },
};

START_TEST(test_hostile_corpus)
{
	const struct hcase	*c = &hostile[_i];
	struct htmlsafe_stats	 st;
	char			*out;
	size_t			 k;

	out = htmlsafe_markdown(c->in, strlen(c->in), &st);
	ck_assert_ptr_nonnull(out);
	for (k = 0; k < nitems(c->gone) && c->gone[k] != NULL; k++)
		ck_assert_msg(strcasestr(out, c->gone[k]) == NULL,
		    "%s: '%s' left in:\n%s", c->name, c->gone[k], out);
	for (k = 0; k < nitems(c->kept) && c->kept[k] != NULL; k++)
		ck_assert_msg(strstr(out, c->kept[k]) != NULL,
		    "%s: '%s' missing from:\n%s", c->name, c->kept[k], out);
	free(out);
}
END_TEST

/* The counts say what went. */
START_TEST(test_stats)
{
	static const char	 doc[] = "<div onclick=\"a()\" style=\"x\">"
	    "<script>b()</script><iframe></iframe>k</div>\n\n"
	    "[l](javascript:c()) <!-- d --> x\n";
	struct htmlsafe_stats	 st;
	char			*out;

	out = htmlsafe_markdown(doc, strlen(doc), &st);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, "<div>k</div>\n\nl  x\n");
	ck_assert_uint_eq(st.hs_elements, 2);
	ck_assert_uint_eq(st.hs_attributes, 2);
	ck_assert_uint_eq(st.hs_urls, 1);
	ck_assert_uint_eq(st.hs_other, 1);
	free(out);
}
END_TEST

/* Code of every kind stays byte for byte; so does plain Markdown. */
START_TEST(test_code_kept)
{
	static const char	 doc[] =
	    "# Title\n\nText with `<script>alert(1)</script>` and "
	    "``a ` <iframe> b``.\n\n"
	    "```html\n<script>alert(\"code\")</script>\n<img onerror=x>\n```\n\n"
	    "~~~~\n<style>x</style>\n```\nstill code <b onclick=y>\n~~~~\n\n"
	    "    <script>indented()</script>\n    <a href=\"javascript:x\">\n\n"
	    "> quote with *emph* & an [ok link](https://example.com).\n\n"
	    "1. one\n2. two a > c\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
	char	*out;

	out = htmlsafe_markdown(doc, strlen(doc), NULL);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, doc);
	free(out);
	/* a '<' outside code is written as a reference: it reads the same */
	out = htmlsafe_markdown("a < b\n", 6, NULL);
	ck_assert_str_eq(out, "a &lt; b\n");
	free(out);
}
END_TEST

/*
 * What a removal brings together is checked again: a '<' and the rest of
 * a tag, link text and a destination, around something dropped.
 */
START_TEST(test_removal_joins)
{
	static const struct {
		const char	*in, *gone;
	} t[] = {
		{ "x <<optionea>img src=x onerror=c()>\n", "<img" },
		{ "x <<x-y>script>alert(1)</script>\n", "<script" },
		{ "[x]<x-y>(javascript:alert(1))\n", "javascript" },
		{ "[x]<!-- c -->(javascript:alert(1))\n", "javascript" },
		{ "<center>[x]<script></script>(javascript:alert(1))</center>\n",
		    "javascript" },
		{ "<div>[r]<x-y></x-y>: javascript:alert(1)</div>\n\n[r]\n",
		    "]: javascript" },
	};
	size_t	 k;
	char	*out;

	for (k = 0; k < nitems(t); k++) {
		out = htmlsafe_markdown(t[k].in, strlen(t[k].in), NULL);
		ck_assert_ptr_nonnull(out);
		ck_assert_msg(strcasestr(out, t[k].gone) == NULL, "%zu: %s", k,
		    out);
		free(out);
	}
}
END_TEST

/* A fence in a list item ends with the item: what follows is checked. */
START_TEST(test_fence_leaves_list)
{
	static const char	 doc[] = "- item\n\n  ```\n<script>alert(1)"
	    "</script>\n```\n";
	char	*out;

	out = htmlsafe_markdown(doc, strlen(doc), NULL);
	ck_assert_ptr_nonnull(out);
	ck_assert_msg(strstr(out, "<script") == NULL, "%s", out);
	free(out);
}
END_TEST

/* Indented lines in a list are list content, not code: checked. */
START_TEST(test_list_indent_not_code)
{
	static const char	 doc[] = "- item\n\n    <img src=x onerror=a()>\n";
	char	*out;

	out = htmlsafe_markdown(doc, strlen(doc), NULL);
	ck_assert_ptr_nonnull(out);
	ck_assert_msg(strstr(out, "onerror") == NULL, "%s", out);
	free(out);
}
END_TEST

/*
 * Where a container may hold an HTML block the scanner does not follow,
 * what looks like code is not trusted: a CommonMark parser would pass
 * these scripts through as raw HTML.
 */
static const char *const structure_docs[] = {
	    "# Heading\n<span>\n```\n<script>alert(1)</script>\n```\n",
	    "- <!--\n\n  ```\n  -->\n  <script>alert(2)</script>\n  ```\n",
	    "- <div>\n  ```\n  <script>alert(3)</script>\n  ```\n",
	    "- <div>\n  `<script>alert(4)</script>`\n",
	    "- item\n\n  ```\n  code\n     ```\n  <script>alert(5)</script>\n",
	    "- item\n\n   ```\n  <script>alert(6)</script>\n   ```\n"
	    "<script>alert(7)</script>\n",
	    "  ```\ncode\n  ```\n<script>alert(8)</script>\n",
	    "-\n\n    <script>alert(9)</script>\n",
	    /* a list's code block that may be a top-level one */
	    "1. \n[r]\n  ```text\n`<a\n\n````\n<script>alert(11)</script>\n",
	    /* Hugo writes a fence's info string into attributes as it is */
	    "```x\"><script>alert(12)</script>\ncode\n```\n",
	    /* an HTML block that leaves nothing must still end a paragraph */
	    "text\n<style>x</style>\n    <script>alert(13)</script>\n",
};

START_TEST(test_code_after_html_start)
{
	const char *const	*docs = structure_docs;
	size_t			 k;
	char			*out;

	for (k = 0; k < nitems(structure_docs); k++) {
		out = htmlsafe_markdown(docs[k], strlen(docs[k]), NULL);
		ck_assert_ptr_nonnull(out);
		ck_assert_msg(strstr(out, "<script") == NULL, "%zu:\n%s", k,
		    out);
		free(out);
	}
}
END_TEST

/* Code in list items, aligned with the item, stays as it is. */
START_TEST(test_code_in_list_kept)
{
	static const char	 doc[] = "1. Write:\n\n   ```c\n"
	    "   #include <stdio.h>\n   int main(void) { return 0; }\n   ```\n"
	    "2. Then `<b>` and\n\n   ```html\n   <script src=\"x.js\">"
	    "</script>\n   ```\n\nAfter the list:\n\n```\n<iframe>\n```\n";
	char	*out;

	out = htmlsafe_markdown(doc, strlen(doc), NULL);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, doc);
	free(out);
}
END_TEST

/* A code span glued to a URL is not trusted (a linkifier may split it). */
START_TEST(test_code_span_after_url)
{
	static const char	 doc[] = "https://x.example/`<script>a()</script>`\n";
	char	*out;

	out = htmlsafe_markdown(doc, strlen(doc), NULL);
	ck_assert_ptr_nonnull(out);
	ck_assert_msg(strstr(out, "<script") == NULL, "%s", out);
	free(out);
}
END_TEST

START_TEST(test_empty_and_limits)
{
	char	*out;

	out = htmlsafe_markdown("", 0, NULL);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, "");
	free(out);
	/* a NUL byte inside is just a byte */
	out = htmlsafe_markdown("a\0<b>", 5, NULL);
	ck_assert_ptr_nonnull(out);
	free(out);
	ck_assert_ptr_null(htmlsafe_markdown("x", HTMLSAFE_INPUT_MAX + 1,
	    NULL));
}
END_TEST

START_TEST(test_url_rule)
{
	static const struct {
		const char	*url;
		int		 flags, ok;
	} t[] = {
		{ "https://example.com/", 0, 1 },
		{ "HTTP://example.com/", 0, 1 },
		{ "mailto:a@b.example", 0, 1 },
		{ "/relative/path", 0, 1 },
		{ "page.html#frag", 0, 1 },
		{ "?q=a:b", 0, 1 },
		{ "//cdn.example/x.png", 0, 1 },
		{ "javascript:alert(1)", 0, 0 },
		{ " \x01javascript:x", 0, 0 },
		{ "jav\tascript:x", 0, 0 },
		{ "java\nscript:x", 0, 0 },
		{ "JaVaScRiPt:x", 0, 0 },
		{ "vbscript:x", 0, 0 },
		{ "file:///etc/passwd", 0, 0 },
		{ "ftp://example.com/", 0, 0 },
		{ "data:image/png;base64,AAAA", 0, 0 },
		{ "data:image/png;base64,AAAA", HTMLSAFE_URL_IMAGE, 1 },
		{ "data:image/webp;base64,AAAA", HTMLSAFE_URL_IMAGE, 1 },
		{ "DATA:IMAGE/JPEG;BASE64,AAAA", HTMLSAFE_URL_IMAGE, 1 },
		{ "data:image/svg+xml;base64,AAAA", HTMLSAFE_URL_IMAGE, 0 },
		{ "data:text/html,<script>", HTMLSAFE_URL_IMAGE, 0 },
		{ "averyveryverylongscheme:x", 0, 0 },
	};
	size_t	i;

	for (i = 0; i < nitems(t); i++)
		ck_assert_msg(htmlsafe_url_ok(t[i].url, strlen(t[i].url),
		    t[i].flags) == t[i].ok, "%s", t[i].url);
}
END_TEST

/*
 * The end-to-end check: a post whose body is the whole hostile corpus,
 * built by the real hugo with the demo site, raw HTML off and on.
 */
static char *
corpus_body(void)
{
	char	*body = xstrdup("Intro paragraph.\n\n"), *t;
	size_t	 i;

	for (i = 0; i < nitems(hostile); i++) {
		xasprintf(&t, "%s%s\n", body, hostile[i].in);
		free(body);
		body = t;
	}
	xasprintf(&t, "%s\n<table>\n<tr><td>cell</td></tr>\n</table>\n\n"
	    "<details>\n<summary>More</summary>\n\nHidden *text*.\n\n"
	    "</details>\n", body);
	free(body);
	return (t);
}

/* Write the post, build the site; returns the page (owned). */
static char *
build_page(const char *site, const char *body, int unsafe)
{
	char	*path, *post, *cmd, *page, *log;
	int	 rc;

	xasprintf(&path, "%s/content/posts/hostile.md", site);
	xasprintf(&post, "---\ntitle: \"Hostile\"\ndate: 2026-01-02\n"
	    "tags: [\"t\"]\nsummary: \"s\"\nreading_time: \"1 min\"\n---\n\n%s",
	    body);
	ck_assert_int_eq(test_write_file(path, post), 0);
	xasprintf(&cmd, "rm -rf '%s/public' && %shugo --quiet --source '%s' "
	    "--destination public >'%s/hugo.log' 2>&1", site,
	    unsafe ? "HUGO_MARKUP_GOLDMARK_RENDERER_UNSAFE=true " : "", site,
	    site);
	rc = system(cmd);
	free(cmd);
	if (rc != 0) {
		xasprintf(&cmd, "%s/hugo.log", site);
		log = test_read_file(cmd, NULL);
		ck_abort_msg("hugo failed (%d): %s", rc, log != NULL ? log :
		    "");
	}
	xasprintf(&cmd, "%s/public/posts/hostile/index.html", site);
	page = test_read_file(cmd, NULL);
	ck_assert_msg(page != NULL, "no page %s", cmd);
	free(cmd);
	free(post);
	free(path);
	return (page);
}

/*
 * Is needle (case-insensitive) inside a tag of page, between a '<' and
 * the next '>'?  Text may say "javascript:" harmlessly; a tag may not.
 */
static const char *
in_tag(const char *page, const char *needle)
{
	const char	*p, *end, *hit;

	for (p = strchr(page, '<'); p != NULL; p = strchr(end, '<')) {
		if ((end = strchr(p, '>')) == NULL)
			end = p + strlen(p);
		hit = strcasestr(p, needle);
		if (hit != NULL && hit < end)
			return (hit);
		if (*end == '\0')
			break;
	}
	return (NULL);
}

static void
assert_inert(const char *page, const char *what)
{
	static const char *const elements[] = { "<script", "<iframe",
	    "<object", "<embed", "<form", "<style", "<input", "<base",
	    "<meta http", "<link rel=\"style" };
	static const char *const attrs[] = { "onerror=", "onload=",
	    "onclick=", "onmouseover=", "javascript:", "vbscript:", "data:text",
	    " style=", "srcdoc" };
	size_t	i;

	for (i = 0; i < nitems(elements); i++)
		ck_assert_msg(strcasestr(page, elements[i]) == NULL,
		    "%s: '%s' in the built page:\n%s", what, elements[i],
		    strcasestr(page, elements[i]));
	for (i = 0; i < nitems(attrs); i++)
		ck_assert_msg(in_tag(page, attrs[i]) == NULL,
		    "%s: '%s' in a tag of the built page:\n%s", what, attrs[i],
		    in_tag(page, attrs[i]));
}

START_TEST(test_hugo_raw_html_off_and_on)
{
	char	*root, *site, *cmd, *body, *safe, *page;

	if (system("command -v hugo >/dev/null 2>&1") != 0) {
		fprintf(stderr, "htmlsafe: hugo not installed, skipped\n");
		return;
	}
	root = test_tmpdir("htmlsafe");
	xasprintf(&site, "%s/site", root);
	xasprintf(&cmd, "cp -R '%s/examples/hugo-site' '%s' && mkdir -p "
	    "'%s/content/posts'", test_srcdir(), site, site);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	body = corpus_body();
	safe = htmlsafe_markdown(body, strlen(body), NULL);
	ck_assert_ptr_nonnull(safe);

	/* without the sanitiser and raw HTML on, the script gets through */
	page = build_page(site, body, 1);
	ck_assert_msg(strstr(page, "<script") != NULL, "the unsanitised "
	    "body should put a script into the page");
	free(page);

	/* raw HTML off: goldmark omits it all */
	page = build_page(site, safe, 0);
	assert_inert(page, "unsafe off");
	ck_assert_ptr_nonnull(strstr(page, "Intro paragraph."));
	free(page);

	/* raw HTML on: nothing active, the harmless structure renders */
	page = build_page(site, safe, 1);
	assert_inert(page, "unsafe on");
	ck_assert_ptr_nonnull(strstr(page, "<table>"));
	ck_assert_ptr_nonnull(strstr(page, "<td>cell</td>"));
	ck_assert_ptr_nonnull(strstr(page, "<details>"));
	ck_assert_ptr_nonnull(strstr(page, "<summary>More</summary>"));
	ck_assert_ptr_nonnull(strstr(page, "<em>text</em>"));
	ck_assert_ptr_nonnull(strstr(page, "<figcaption>Cap</figcaption>"));
	ck_assert_ptr_nonnull(strstr(page, "<circle r=\"1\"/>"));
	ck_assert_ptr_nonnull(strstr(page, "line<br>break"));
	free(page);

	free(safe);
	free(body);
	test_rmtree(root);
	free(site);
	free(root);
}
END_TEST

/*
 * Documents whose danger is in how their blocks are read, each built as
 * a post with raw HTML on; some keep a script as code, which is fine.
 */
START_TEST(test_hugo_structure)
{
	static const char *const more[] = {
	    /* dropping a tag's content must not join two lines */
	    "> x<textarea>\n```\n<script>alert(20)</script>\n",
	    "> ```<textarea>\n   ```x\n1. <script>alert(21)</script>\n",
	    /* a dropped tag must not turn a line into a list item */
	    "<x-y>- item\n\n    <script>alert(22)</script>\n",
	    "[- a](javascript:x)\n\n    <script>alert(23)</script>\n",
	};
	char	*root, *site, *cmd, *safe, *path, *post, *page, *log;
	size_t	 k, n = nitems(structure_docs) + nitems(more);
	int	 rc;

	if (system("command -v hugo >/dev/null 2>&1") != 0)
		return;
	root = test_tmpdir("htmlsafe-blocks");
	xasprintf(&site, "%s/site", root);
	xasprintf(&cmd, "cp -R '%s/examples/hugo-site' '%s' && mkdir -p "
	    "'%s/content/posts'", test_srcdir(), site, site);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	for (k = 0; k < n; k++) {
		const char *doc = k < nitems(structure_docs) ?
		    structure_docs[k] : more[k - nitems(structure_docs)];

		safe = htmlsafe_markdown(doc, strlen(doc), NULL);
		ck_assert_ptr_nonnull(safe);
		xasprintf(&path, "%s/content/posts/p%zu.md", site, k);
		xasprintf(&post, "---\ntitle: \"P\"\ndate: 2026-01-02\n"
		    "tags: [\"t\"]\n---\n\n%s", safe);
		ck_assert_int_eq(test_write_file(path, post), 0);
		free(post);
		free(path);
		free(safe);
	}
	/* highlighting with classes: no style attribute of Hugo's own */
	xasprintf(&cmd, "HUGO_MARKUP_GOLDMARK_RENDERER_UNSAFE=true "
	    "HUGO_MARKUP_HIGHLIGHT_NOCLASSES=false hugo --quiet --source '%s' "
	    "--destination public >'%s/hugo.log' 2>&1", site, site);
	rc = system(cmd);
	free(cmd);
	if (rc != 0) {
		xasprintf(&cmd, "%s/hugo.log", site);
		log = test_read_file(cmd, NULL);
		ck_abort_msg("hugo failed (%d): %s", rc, log != NULL ? log :
		    "");
	}
	for (k = 0; k < n; k++) {
		xasprintf(&path, "%s/public/posts/p%zu/index.html", site, k);
		page = test_read_file(path, NULL);
		ck_assert_msg(page != NULL, "no page %s", path);
		assert_inert(page, path);
		free(page);
		free(path);
	}
	test_rmtree(root);
	free(site);
	free(root);
}
END_TEST

Suite *
htmlsafe_suite(void)
{
	Suite	*s = suite_create("htmlsafe");
	TCase	*tc;

	tc = tcase_create("corpus");
	tcase_add_loop_test(tc, test_hostile_corpus, 0, (int)nitems(hostile));
	tcase_add_test(tc, test_stats);
	tcase_add_test(tc, test_code_kept);
	tcase_add_test(tc, test_fence_leaves_list);
	tcase_add_test(tc, test_list_indent_not_code);
	tcase_add_test(tc, test_code_span_after_url);
	tcase_add_test(tc, test_code_after_html_start);
	tcase_add_test(tc, test_removal_joins);
	tcase_add_test(tc, test_code_in_list_kept);
	tcase_add_test(tc, test_empty_and_limits);
	tcase_add_test(tc, test_url_rule);
	suite_add_tcase(s, tc);

	tc = tcase_create("hugo");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_hugo_raw_html_off_and_on);
	tcase_add_test(tc, test_hugo_structure);
	suite_add_tcase(s, tc);
	return (s);
}
