/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_text.c: the title, summary, word count and reading time rules of
 * original-pipeline.md §3.5 to §3.7, and the UTF-8 helpers under them.
 * Expected values were worked out by hand from the rules in that document.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "buf.h"
#include "tests.h"
#include "text.h"
#include "utf8.h"
#include "xmalloc.h"

static void
check_summary(const char *in, const char *want)
{
	char	*got;

	got = text_summary(in, SUMMARY_MAX);
	ck_assert_msg(strcmp(got, want) == 0,
	    "summary of \"%s\":\n got \"%s\"\nwant \"%s\"", in, got, want);
	free(got);
}

static void
check_title(const char *in, const char *want)
{
	char	*got;

	got = text_clean_title(in);
	ck_assert_msg(strcmp(got, want) == 0,
	    "title of \"%s\": got \"%s\", want \"%s\"", in, got, want);
	free(got);
}

/* s repeated n times, owned. */
static char *
repeat(const char *s, int n)
{
	struct buf	 b;

	buf_init(&b);
	while (n-- > 0)
		buf_puts(&b, s);
	return (buf_detach(&b));
}

START_TEST(test_utf8)
{
	uint32_t	 cp;

	ck_assert_uint_eq(utf8_len(""), 0);
	ck_assert_uint_eq(utf8_len("caf\xc3\xa9 \xf0\x9f\x9a\x80"), 6);
	ck_assert_uint_eq(utf8_decode("\xe6\x97\xa5", 3, &cp), 3);
	ck_assert_uint_eq(cp, 0x65e5);
	/* truncated, overlong and stray bytes: one replacement per byte */
	ck_assert_uint_eq(utf8_decode("\xe6\x97", 2, &cp), 1);
	ck_assert_uint_eq(cp, UTF8_REPLACEMENT);
	ck_assert_uint_eq(utf8_decode("\xc0\xaf", 2, &cp), 1);
	ck_assert_uint_eq(cp, UTF8_REPLACEMENT);
	ck_assert_uint_eq(utf8_len("\x80\x80x"), 3);
	ck_assert_uint_eq(utf8_offset("a\xc3\xa9z", 4, 2), 3);
	ck_assert_uint_eq(utf8_offset("a\xc3\xa9z", 4, 9), 4);
	ck_assert_int_eq(utf8_is_space(0xa0), 1);
	ck_assert_int_eq(utf8_is_space(0x1f), 1);
	ck_assert_int_eq(utf8_is_space(0x200b), 0);
}
END_TEST

START_TEST(test_truncate_title)
{
	const char	*t60 = "Sixty characters exactly, counted by hand for "
	    "this test, yes";
	const char	*in;
	char		*s, *rep;

	/* 74 characters: words while " word"s total <= 57, then "..." */
	s = text_truncate_title("Understanding the Kubernetes Scheduler and "
	    "Why It Matters for Your Cluster", 60);
	ck_assert_str_eq(s, "Understanding the Kubernetes Scheduler and Why "
	    "It...");
	free(s);

	ck_assert_uint_eq(strlen(t60), 60);
	s = text_truncate_title(t60, 60);
	ck_assert_str_eq(s, t60);
	free(s);

	/* one more character and it is cut */
	s = text_truncate_title("Sixty characters exactly, counted by hand "
	    "for this test, yes!", 60);
	ck_assert_str_eq(s, "Sixty characters exactly, counted by hand for "
	    "this test,...");
	free(s);

	/* a first word that alone is too long leaves just the ellipsis */
	s = text_truncate_title("Pneumonoultramicroscopicsilicovolcanoconiosis"
	    "IsAVeryLongWordIndeed yes", 60);
	ck_assert_str_eq(s, "...");
	free(s);

	/*
	 * 60 characters but 95 bytes: not over the limit, unchanged.  Then
	 * 70 characters of two-byte letters: cut by characters, never
	 * inside a sequence.
	 */
	in = "\xc3\xa9t\xc3\xa9 \xc3\xa0 M\xc3\xbcnchen: \xc3\xbc" "ber "
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 "
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 "
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 "
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 "
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 "
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 done";
	ck_assert_uint_eq(utf8_len(in), 60);
	ck_assert_uint_eq(strlen(in), 95);
	s = text_truncate_title(in, 60);
	ck_assert_str_eq(s, in);
	free(s);

	/* seven 9-letter words: " word" costs 10, five fit in 57 */
	rep = repeat("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 ", 7);
	s = text_truncate_title(rep, 60);
	ck_assert_uint_eq(utf8_len(s), 5 * 9 + 4 + 3);
	ck_assert_str_eq(s + strlen(s) - 5, "\xc3\xa9...");
	free(s);
	free(rep);
}
END_TEST

START_TEST(test_clean_title)
{
	char	*s;

	/* §7: quotes stripped */
	check_title("\"Python Tips for 2025\"", "Python Tips for 2025");
	check_title("'Single Quoted'", "Single Quoted");
	check_title("  \"'Mixed'\"  ", "Mixed");
	check_title("\xe2\x80\x9c" "Curly Quotes" "\xe2\x80\x9d",
	    "Curly Quotes");
	check_title("\xe2\x80\x98Single Curly\xe2\x80\x99", "Single Curly");
	/* first non-empty line only */
	check_title("\n  \n  Rust in 2026\nA second line", "Rust in 2026");
	check_title("Windows line\r\nnext", "Windows line");
	/* markdown heading marks, label, emphasis, in any combination */
	check_title("# Rust in 2026", "Rust in 2026");
	check_title("### Title: Rust in 2026", "Rust in 2026");
	check_title("TITLE: \"Rust in 2026\"", "Rust in 2026");
	check_title("**Title:** Rust in 2026", "Rust in 2026");
	check_title("**Title**: Rust in 2026", "Rust in 2026");
	check_title("**Title: Rust in 2026**", "Rust in 2026");
	check_title("**\"Rust in 2026\"**", "Rust in 2026");
	check_title("\"**Rust in 2026**\"", "Rust in 2026");
	check_title("*Rust in 2026*", "Rust in 2026");
	check_title("__Rust in 2026__", "Rust in 2026");
	/* things that only look like markup stay */
	check_title("#1 Rule of Go Errors", "#1 Rule of Go Errors");
	check_title("__init__ Files Explained", "__init__ Files Explained");
	check_title("*nix Tools Worth Knowing", "*nix Tools Worth Knowing");
	check_title("Titles: Naming Things Well", "Titles: Naming Things Well");
	/* inner whitespace collapses */
	check_title("Go\t\tGenerics   in\xc2\xa0Practice",
	    "Go Generics in Practice");
	/* nothing left */
	check_title("", "");
	check_title("  \n\t\n", "");
	check_title("\"\"", "");
	check_title("## ", "");
	check_title("***", "");
	check_title("Title:", "");
	/* §7: over 60 characters comes back at most 60, ending "..." */
	s = text_clean_title("\"Understanding the Kubernetes Scheduler and Why "
	    "It Matters for Your Cluster\"");
	ck_assert_str_eq(s, "Understanding the Kubernetes Scheduler and Why "
	    "It...");
	ck_assert_uint_le(utf8_len(s), TITLE_MAX);
	free(s);
}
END_TEST

START_TEST(test_summary_sentences)
{
	/* one kept sentence gets its full stop back */
	check_summary("Kubernetes turns a declared desired state into running "
	    "containers. It is short.",
	    "Kubernetes turns a declared desired state into running "
	    "containers.");
	/* two kept sentences join, each keeping its own ending */
	check_summary("Postgres 18 adds asynchronous reads. Sequential scans "
	    "get faster on cloud disks! Vacuum benefits too, in most setups.",
	    "Postgres 18 adds asynchronous reads. Sequential scans get faster "
	    "on cloud disks.");
	check_summary("Is Postgres 18 faster for analytics? Sequential scans "
	    "get faster on cloud disks! Vacuum benefits too, in most setups.",
	    "Is Postgres 18 faster for analytics? Sequential scans get faster "
	    "on cloud disks.");
	/* "# " and "## " vanish; "1.80" is not a sentence end */
	check_summary("# Intro\n\n## Why it matters\nRust 1.80 stabilises "
	    "LazyCell and LazyLock for everyone.",
	    "Intro Why it matters Rust 1.80 stabilises LazyCell and LazyLock "
	    "for everyone.");
	/* "### x": removing "## " leaves "#x" */
	check_summary("### Setup steps for the cluster\nInstall the control "
	    "plane first.",
	    "#Setup steps for the cluster Install the control plane first.");
	/* runs of ! and ? split once; short pieces are dropped */
	check_summary("Wow!!! Is this really the fastest JSON parser??? "
	    "Benchmarks say yes.",
	    "Is this really the fastest JSON parser? Benchmarks say yes.");
	/* 5 characters but 15 bytes: too short, counted in characters */
	check_summary("\xe7\x9f\xad\xe3\x81\x84\xe6\x96\x87\xe3\x81\xa7"
	    "\xe3\x81\x99. This sentence is long enough to keep.",
	    "This sentence is long enough to keep.");
}
END_TEST

START_TEST(test_summary_generic)
{
	/* a short generic sentence is dropped */
	check_summary("In this article we will explore caching. Redis keeps "
	    "hot keys in memory for fast reads. Eviction follows LRU.",
	    "Redis keeps hot keys in memory for fast reads. Eviction follows "
	    "LRU.");
	/* a long generic first sentence is kept but skipped */
	check_summary("This overview covers the scheduler, the kubelet and the "
	    "API server in depth. The scheduler binds pods to nodes. The "
	    "kubelet runs them.",
	    "The scheduler binds pods to nodes. The kubelet runs them.");
	/* the phrase match ignores case */
	check_summary("UNDERSTANDING the borrow checker! Lifetimes tie "
	    "references to scopes.", "Lifetimes tie references to scopes.");
	/* nothing kept: the first piece over 20 characters, generic or not */
	check_summary("Overview of the new release? Short one. Tiny.",
	    "Overview of the new release.");
	/* a kept result under 20 characters also falls back */
	check_summary("Zig builds quickly. Introduction to comptime in the Zig "
	    "language.", "Introduction to comptime in the Zig language.");
	/* no piece over 20 characters: the whole cleaned text */
	check_summary("Tiny. Also tiny.", "Tiny. Also tiny.");
	check_summary("## Hello world", "Hello world.");
	check_summary("", "");
	check_summary("  \n\t ", "");
}
END_TEST

START_TEST(test_summary_long)
{
	char	*in, *want, *s1, *s2, *got;

	/* one 299-character sentence: cut at 197, back to a space, "..." */
	in = repeat("lorem ipsum ", 25);
	s1 = repeat("lorem ipsum ", 16);
	s1[strlen(s1) - 1] = '\0';
	xasprintf(&want, "%s...", s1);
	ck_assert_uint_eq(strlen(want), 194);
	check_summary(in, want);
	free(in);
	free(want);
	free(s1);

	/* the same with two-byte letters: 194 characters, 351 + 3 bytes */
	in = repeat("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 ", 50);
	got = text_summary(in, SUMMARY_MAX);
	ck_assert_uint_eq(utf8_len(got), 194);
	ck_assert_uint_eq(strlen(got), 354);
	ck_assert_str_eq(got + strlen(got) - 5, "\xc3\xa9...");
	free(got);
	free(in);

	/* a cut that ends in "." gets no "..." */
	in = repeat("Tiny. ", 50);
	want = repeat("Tiny. ", 32);
	want[strlen(want) - 1] = '\0';
	check_summary(in, want);
	free(in);
	free(want);

	/*
	 * 149 + 2 + 50 > 200: the second sentence does not fit.  With 49
	 * it does, and the 200-character result gains a "." (201): the
	 * original's behaviour, kept on purpose.
	 */
	s1 = repeat("word ", 30);
	s1[strlen(s1) - 1] = '\0';
	s2 = repeat("abcdefghij", 5);
	s2[49] = '\0';
	xasprintf(&in, "%s. %sk. More text here please.", s1, s2);
	xasprintf(&want, "%s.", s1);
	check_summary(in, want);
	free(in);
	free(want);
	xasprintf(&in, "%s. %s. More text here please.", s1, s2);
	xasprintf(&want, "%s. %s.", s1, s2);
	ck_assert_uint_eq(strlen(want), 201);
	check_summary(in, want);
	free(in);
	free(want);
	free(s1);
	free(s2);
}
END_TEST

START_TEST(test_word_count)
{
	char	*in;

	ck_assert_uint_eq(text_word_count(""), 0);
	ck_assert_uint_eq(text_word_count(" \t\n\v\f\r "), 0);
	ck_assert_uint_eq(text_word_count("  one two\tthree\nfour  "), 4);
	ck_assert_uint_eq(text_word_count("a\vb\fc\x1c" "d"), 4);
	/* Python counts U+00A0 and U+3000 as spaces, but not U+200B */
	ck_assert_uint_eq(text_word_count("a\xc2\xa0" "b\xe3\x80\x80" "c"), 3);
	ck_assert_uint_eq(text_word_count("a\xe2\x80\x8b" "b"), 1);
	ck_assert_uint_eq(text_word_count("\xe6\x97\xa5\xe6\x9c\xac "
	    "\xf0\x9f\x9a\x80 caf\xc3\xa9"), 3);
	/* §7: 250 words */
	in = repeat("word ", 250);
	ck_assert_uint_eq(text_word_count(in), 250);
	free(in);
}
END_TEST

START_TEST(test_reading_minutes)
{
	ck_assert_int_eq(text_reading_minutes(0), 1);
	ck_assert_int_eq(text_reading_minutes(50), 1);
	ck_assert_int_eq(text_reading_minutes(100), 1);	/* 0.5 -> 0 */
	ck_assert_int_eq(text_reading_minutes(101), 1);
	ck_assert_int_eq(text_reading_minutes(250), 1);
	ck_assert_int_eq(text_reading_minutes(299), 1);
	ck_assert_int_eq(text_reading_minutes(300), 2);	/* 1.5 -> 2 */
	ck_assert_int_eq(text_reading_minutes(500), 2);	/* 2.5 -> 2 */
	ck_assert_int_eq(text_reading_minutes(501), 3);
	ck_assert_int_eq(text_reading_minutes(600), 3);
	ck_assert_int_eq(text_reading_minutes(700), 4);	/* 3.5 -> 4 */
	ck_assert_int_eq(text_reading_minutes(1400), 7);
}
END_TEST

START_TEST(test_plain_markdown)
{
	char	*p;

	p = text_plain_markdown("# Title\n\nRead [the docs](https://x.org/a_(b)) "
	    "and **bold** `code`.\n![img](https://x.org/i.png)\n> Background: "
	    "skip\n\n```\nint x = 1;\n```\n- First point\n2. Second: yes\n"
	    "| a | b |\n");
	ck_assert_str_eq(p, "Read the docs and bold code.\n\nFirst point."
	    "\n\nYes.");
	free(p);
	/* the summary of a body no longer carries URLs or link syntax */
	p = text_plain_markdown("Interest keeps growing. This looks at what "
	    "[the source](https://fosstodon.org/@a/1) describes in detail.\n");
	{
		char	*s = text_summary(p, SUMMARY_MAX);

		ck_assert_str_eq(s, "Interest keeps growing. This looks at what "
		    "the source describes in detail.");
		free(s);
	}
	free(p);
}
END_TEST

/*
 * The summary of an article body as gen.c computes it (the front
 * matter's summary and description), checked exactly and against the
 * rules every summary keeps: plain prose, no label, marker, Markdown,
 * HTML or comment; no ending on an abbreviation; no fragment opening.
 */
static void
check_body_summary(const char *md, const char *want)
{
	static const char *const never[] = { "**", "__", "<", ">", "`",
	    "](", "Key Takeaways", "Fact:", "Interpretation:", "- ", "#" };
	char	*plain, *got;
	size_t	 i;

	plain = text_plain_markdown(md);
	got = text_summary(plain, SUMMARY_MAX);
	ck_assert_msg(strcmp(got, want) == 0, "summary of \"%s\":\n got \"%s\""
	    "\nwant \"%s\"", md, got, want);
	for (i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		ck_assert_msg(strstr(got, never[i]) == NULL, "\"%s\" in the "
		    "summary \"%s\"", never[i], got);
	free(got);
	free(plain);
}

START_TEST(test_summary_of_model_markdown)
{
	/* a bold label line before the bullets is not merged into them */
	check_body_summary("**Key Takeaways**\n"
	    "- Affinity software is now free for every user of the suite.\n"
	    "- Serif keeps developing the three apps under Canva.\n\n"
	    "## What Changed\n\nCanva announced the change on Thursday.\n",
	    "Affinity software is now free for every user of the suite. "
	    "Serif keeps developing the three apps under Canva.");
	/* the same label as a plain line, and inline on the first bullet */
	check_body_summary("Key Takeaways\n\n"
	    "- **Key takeaway:** Affinity software is now free for everyone.\n",
	    "Affinity software is now free for everyone.");
	/* HTML comments and tags around a diagram, a caption in emphasis */
	check_body_summary("<!-- ASCII: Algorithm flowchart for How It Works "
	    "-->\n<div align=\"center\">\n\n```\n+---+    +---+\n| a |--->| b "
	    "|\n+---+    +---+\n```\n\n</div>\n\n*Figure: Data flow*\n\nThe "
	    "scheduler assigns each <strong>pod</strong> to a node with room "
	    "for it.<br>\n",
	    "The scheduler assigns each pod to a node with room for it.");
	/* a comment over several lines, one left open at the end */
	check_body_summary("<!--\nMERMAID: sequence\n-->\nTokens are checked "
	    "on every request by the gateway.\n<!-- unclosed",
	    "Tokens are checked on every request by the gateway.");
	/* Fact: and Interpretation: labels go; the sentence keeps a capital */
	check_body_summary("Fact: The format was published in 2023 by the "
	    "working group.\n\nInterpretation: the move signals a shift toward "
	    "open formats.\n",
	    "The format was published in 2023 by the working group. The move "
	    "signals a shift toward open formats.");
	/* numbered steps with a bold label */
	check_body_summary("1. **Install the CLI:** Run the installer from "
	    "the project's site to get started.\n",
	    "Run the installer from the project's site to get started.");
	/* links, code, single emphasis */
	check_body_summary("*Zig* 0.13 ships a new `build.zig` API that "
	    "[breaks old scripts](https://ziglang.org/x). _Migration_ takes "
	    "minutes for most projects.\n",
	    "Zig 0.13 ships a new build.zig API that breaks old scripts. "
	    "Migration takes minutes for most projects.");
	/* a lead-in ending in ':' is not a sentence */
	check_body_summary("Here is what changed in the allocator:\n\n- Small "
	    "objects are now allocated from per-thread caches.\n",
	    "Small objects are now allocated from per-thread caches.");
	/* setext headings are headings */
	check_body_summary("Overview\n========\n\nPostgres 18 ships "
	    "asynchronous I/O for sequential scans.\n\nWhy It Matters\n------"
	    "\n\nCloud disks have high latency.\n",
	    "Postgres 18 ships asynchronous I/O for sequential scans. Cloud "
	    "disks have high latency.");
	/* a paragraph wrapped over lines is one paragraph */
	check_body_summary("Postgres 18 ships asynchronous\nI/O for sequential "
	    "scans.\n",
	    "Postgres 18 ships asynchronous I/O for sequential scans.");
	/* snake_case and arithmetic keep their characters */
	check_body_summary("Call max_connections_per_host before 2 * 3 "
	    "requests are queued.\n",
	    "Call max_connections_per_host before 2 * 3 requests are queued.");
}
END_TEST

START_TEST(test_summary_abbreviations)
{
	char	*in, *got, *plain;
	size_t	 n;

	/* "Inc." does not end the sentence: the summary is not cut there */
	check_body_summary("The startup was acquired by Meta Platforms Inc. in "
	    "March for an undisclosed sum. Engineers from the team joined "
	    "Reality Labs.\n",
	    "The startup was acquired by Meta Platforms Inc. in March for an "
	    "undisclosed sum. Engineers from the team joined Reality Labs.");
	check_body_summary("Small models, e.g. Phi-3, now run on laptops "
	    "without a GPU. The U.S. Department of Commerce added export "
	    "rules.\n",
	    "Small models, e.g. Phi-3, now run on laptops without a GPU. The "
	    "U.S. Department of Commerce added export rules.");
	check_body_summary("Dr. Lee and Prof. Okafor wrote the scheduling "
	    "paper. It won the award.\n",
	    "Dr. Lee and Prof. Okafor wrote the scheduling paper. It won the "
	    "award.");
	/* "no" ends a sentence unless a number follows */
	check_body_summary("The maintainers said no. Issue No. 42 stays open "
	    "for a later release.\n",
	    "The maintainers said no. Issue No. 42 stays open for a later "
	    "release.");
	/* at the end of a paragraph, "Inc." ends its sentence */
	check_body_summary("The tool is now maintained by Example Labs Inc.\n\n"
	    "Its licence did not change.\n",
	    "The tool is now maintained by Example Labs Inc. Its licence did "
	    "not change.");
	/* a cut that would end on "Inc." backs off and says "..." */
	for (n = 150; n < 200; n++) {
		struct buf	b;

		buf_init(&b);
		while (b.b_len < n)
			buf_puts(&b, "word ");
		buf_puts(&b, "by Meta Platforms Inc. and other large firms with "
		    "plenty of cash to spend on it.\n");
		in = buf_detach(&b);
		plain = text_plain_markdown(in);
		got = text_summary(plain, SUMMARY_MAX);
		ck_assert_msg(strstr(got, "Inc.") == NULL ||
		    strstr(got, "Inc.") + 4 != got + strlen(got), "ends on an "
		    "abbreviation: \"%s\"", got);
		ck_assert_msg(strlen(got) <= SUMMARY_MAX + 1, "%s", got);
		free(got);
		free(plain);
		free(in);
	}
}
END_TEST

START_TEST(test_summary_fragments)
{
	/* "This ..." leans on a sentence before it: not an opening */
	check_body_summary("## Why It Matters\n\nThis change matters for "
	    "anyone running large clusters. Kubernetes 1.31 removes the "
	    "in-tree cloud providers. Operators must move to external "
	    "controllers.\n",
	    "Kubernetes 1.31 removes the in-tree cloud providers. Operators "
	    "must move to external controllers.");
	/* but it may follow the sentence it leans on */
	check_body_summary("Rust 1.80 stabilises LazyCell and LazyLock. It "
	    "also adds exclusive range patterns.\n",
	    "Rust 1.80 stabilises LazyCell and LazyLock. It also adds "
	    "exclusive range patterns.");
	/* not a sentence further on: "It" would mean the wrong thing */
	check_body_summary("Rust 1.80 stabilises LazyCell and LazyLock. Not "
	    "much else. It also adds exclusive range patterns.\n",
	    "Rust 1.80 stabilises LazyCell and LazyLock.");
	check_body_summary("However, the new release fixes the allocator "
	    "regression. But upgrades need a restart of every node. The "
	    "release notes list the steps in order.\n",
	    "The release notes list the steps in order.");
	check_body_summary("Also worth noting for teams on older kernels. And "
	    "then there is the question of cost. SQLite 3.45 adds JSONB "
	    "functions.\n",
	    "SQLite 3.45 adds JSONB functions.");
	/* "Thistle" and "Items" are not "This" and "It" */
	check_body_summary("Thistle is a small configuration language. Items "
	    "in it are typed.\n",
	    "Thistle is a small configuration language. Items in it are "
	    "typed.");
	/* nothing but fragments: the first long one, as before */
	check_body_summary("It is the fastest parser in the benchmark.\n",
	    "It is the fastest parser in the benchmark.");
}
END_TEST

START_TEST(test_refusal)
{
	static const char *const refusals[] = {
		"I'm sorry, but I can't help with that.",
		"I\xe2\x80\x99m sorry, but I can\xe2\x80\x99t assist with that "
		    "request.",
		"I cannot help with this request.",
		"Sorry, I can't provide that.",
		"I apologize, but I am unable to fulfill this request.",
		"As an AI language model, I cannot write that article.",
		"**I'm sorry, but I won't write this.**",
		"\"I can't do that.\"",
		"Unfortunately, I'm not able to create content about this "
		    "topic.",
		"I must decline this request.",
	};
	static const char *const not_refusals[] = {
		"I Can't Stop Using Rust",
		"Why I Won't Go Back to Vim",
		"Sorry, Not Sorry: Why We Ship on Fridays",
		"I Cannot Believe It's Not Butter: Writing a Parser",
		"Postgres 18: What Async I/O Buys You",
		"",
	};
	struct buf	 b;
	size_t		 i;

	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
		ck_assert_msg(text_is_refusal(refusals[i]), "not seen as a "
		    "refusal: %s", refusals[i]);
	for (i = 0; i < sizeof(not_refusals) / sizeof(not_refusals[0]); i++)
		ck_assert_msg(!text_is_refusal(not_refusals[i]), "seen as a "
		    "refusal: %s", not_refusals[i]);
	/* an article that quotes a refusal is still an article */
	buf_init(&b);
	buf_puts(&b, "I'm sorry, but I can't help with that. That is what the "
	    "assistant said when asked. ");
	for (i = 0; i < 10; i++)
		buf_puts(&b, "The rest of the article explains why it said so. ");
	ck_assert(!text_is_refusal(b.b_data));
	buf_release(&b);
}
END_TEST

START_TEST(test_tags)
{
	struct buf	 b;
	char		*t;
	size_t		 i;

	t = text_tag("  machine\tlearning \n");
	ck_assert_str_eq(t, "machine learning");
	free(t);
	t = text_tag("CI/CD\\pipelines\x01\x7f");
	ck_assert_str_eq(t, "CI CD pipelines");
	free(t);
	t = text_tag("../..");
	ck_assert_str_eq(t, "");
	free(t);
	t = text_tag("../../a/b/..\\c .. node.js");
	ck_assert_str_eq(t, "a b c node.js");
	free(t);
	t = text_tag(".NET");
	ck_assert_str_eq(t, "NET");
	free(t);
	t = text_tag("C#");
	ck_assert_str_eq(t, "C#");
	free(t);
	t = text_tag("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
	ck_assert_str_eq(t, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
	free(t);
	/* a long topic ends at a word boundary within TAG_MAX */
	t = text_tag("distributed systems and the consensus algorithms that "
	    "keep them correct");
	ck_assert_str_eq(t, "distributed systems and the consensus");
	free(t);
	/* an enriched "topic" of thousands of characters */
	buf_init(&b);
	for (i = 0; i < 500; i++)
		buf_puts(&b, "lorem ipsum ");
	t = text_tag(b.b_data);
	ck_assert_uint_le(utf8_len(t), TAG_MAX);
	ck_assert_str_eq(t, "lorem ipsum lorem ipsum lorem ipsum");
	free(t);
	buf_reset(&b);
	for (i = 0; i < 5000; i++)
		buf_puts(&b, "\xc3\xa9");
	t = text_tag(b.b_data);
	ck_assert_uint_eq(utf8_len(t), TAG_MAX);
	free(t);
	buf_release(&b);
}
END_TEST

Suite *
text_suite(void)
{
	Suite	*s = suite_create("text");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_truncate_title);
	tcase_add_test(tc, test_clean_title);
	tcase_add_test(tc, test_summary_sentences);
	tcase_add_test(tc, test_summary_generic);
	tcase_add_test(tc, test_summary_long);
	tcase_add_test(tc, test_plain_markdown);
	tcase_add_test(tc, test_summary_of_model_markdown);
	tcase_add_test(tc, test_summary_abbreviations);
	tcase_add_test(tc, test_summary_fragments);
	tcase_add_test(tc, test_refusal);
	tcase_add_test(tc, test_tags);
	tcase_add_test(tc, test_word_count);
	tcase_add_test(tc, test_reading_minutes);
	suite_add_tcase(s, tc);
	return (s);
}
