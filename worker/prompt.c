/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * prompt.c: builds the prompts of an article.  The content prompt hands the
 * model the source item as evidence (its text, author, URL, topics, the
 * research notes and the allowed links), the kind of article wanted and the
 * house rules; the title prompt hands it the start of the finished body.
 * Only this file decides what the model is told.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "item.h"
#include "prompt.h"
#include "xmalloc.h"

#define PREVIEW_CHARS	800

struct ct_spec {
	const char	*name;
	const char	*const *keywords;
	const char	*requirements;
	const char	*headings[2];
};

static const char *const kw_commentary[] = { "wrote about",
	"published article", "obituary for", "essay on", "piece about",
	"analysis of", "thread on", "new post", "just published", "wrote",
	"obituary", NULL };
static const char *const kw_tutorial[] = { "how to", "guide", "tutorial",
	"step by step", "walkthrough", "getting started", "setup",
	"installation", NULL };
static const char *const kw_news[] = { "announced", "released", "launched",
	"breaking", "new version", "just released", "now available", "shipped",
	NULL };
static const char *const kw_analysis[] = { "deep dive", "analysis",
	"comparison", "review", "benchmark", "vs.", "versus", "trade-offs",
	NULL };
static const char *const kw_research[] = { "study", "research", "paper",
	"findings", "methodology", "academic", "scientific", "results", NULL };
static const char *const kw_none[] = { NULL };

static const struct ct_spec ct_specs[] = {
	[CT_COMMENTARY] = { "commentary", kw_commentary,
	    "- Present the ideas of the source on their own terms, then weigh them.\n"
	    "- Separate what the author claims from what is established elsewhere.\n"
	    "- Give the background a newcomer needs to follow the argument.\n"
	    "- Discuss at least two points of view, including a critical one.\n"
	    "- Point out what the argument means for working engineers.\n"
	    "- Quote the source sparingly and attribute every quote.\n"
	    "- Close with open questions rather than a verdict.\n",
	    { "Context, The Core Argument, Where It Holds, Where It Breaks, "
	      "What It Means for Practitioners, Open Questions",
	      "Background, Key Claims, Evidence and Counterpoints, Practical "
	      "Impact, Conclusion" } },
	[CT_TUTORIAL] = { "tutorial", kw_tutorial,
	    "- State the prerequisites (tools, versions, prior knowledge) first.\n"
	    "- Walk through the task in numbered steps that can be followed.\n"
	    "- Include 4-6 short, correct code or command examples.\n"
	    "- Explain what each step does and why it is needed.\n"
	    "- Cover common pitfalls and how to recognise them.\n"
	    "- Show how to verify that the result works.\n"
	    "- End with next steps and further reading from the evidence.\n",
	    { "Prerequisites, Step-by-Step Guide, Verifying the Result, "
	      "Common Pitfalls, Next Steps",
	      "What You Will Build, Setup, Walkthrough, Troubleshooting, "
	      "Going Further" } },
	[CT_NEWS] = { "news", kw_news,
	    "- Lead with what happened, who is involved and when.\n"
	    "- Explain what is new compared with what existed before.\n"
	    "- Describe who is affected and how.\n"
	    "- Give the technical details that matter, without speculation.\n"
	    "- Mention limitations, open issues or caveats the sources state.\n"
	    "- Say what to watch for next.\n"
	    "- Keep dates, versions and numbers exactly as the sources give them.\n",
	    { "What Happened, What Is New, Technical Details, Who Is Affected, "
	      "What to Watch",
	      "The Announcement, Why It Matters, Under the Hood, Caveats, "
	      "Looking Ahead" } },
	[CT_ANALYSIS] = { "analysis", kw_analysis,
	    "- Define what is being compared or analysed and by which criteria.\n"
	    "- Present the evidence for each side fairly.\n"
	    "- Use a table or a structured list for comparisons.\n"
	    "- Explain the trade-offs and the situations each option suits.\n"
	    "- Distinguish measured facts from interpretation.\n"
	    "- Give concrete recommendations with their conditions.\n"
	    "- Acknowledge the limits of the analysis.\n",
	    { "The Question, Criteria, Comparison, Trade-offs, Recommendations",
	      "Overview, How It Works, Strengths, Weaknesses, When to Use It" } },
	[CT_RESEARCH] = { "research", kw_research,
	    "- Summarise the research question and why it matters.\n"
	    "- Describe the method in plain language.\n"
	    "- Report the findings with the numbers the sources give.\n"
	    "- Discuss limitations and threats to validity.\n"
	    "- Relate the work to practice: who can use it and how.\n"
	    "- Avoid overstating the results.\n"
	    "- Point to the paper or data for readers who want more.\n",
	    { "The Question, Method, Findings, Limitations, Implications",
	      "Background, What Was Studied, Results, Caveats, Why It Matters" } },
	[CT_GENERAL] = { "general", kw_none,
	    "- Explain the topic from first principles for a technical reader.\n"
	    "- Show why it matters now, with concrete examples.\n"
	    "- Cover how it works, not only what it is.\n"
	    "- Discuss trade-offs and alternatives.\n"
	    "- Include practical advice the reader can apply.\n"
	    "- Include a short code or configuration example where it helps.\n"
	    "- Close with a summary of the main points.\n",
	    { "Introduction, How It Works, Why It Matters, Trade-offs, "
	      "Practical Advice, Conclusion",
	      "Overview, Key Concepts, In Practice, Pitfalls, Conclusion" } },
};

static char *
lower_dup(const char *s, size_t max)
{
	size_t	 n = strlen(s), i;
	char	*d;

	if (n > max)
		n = max;
	d = xstrndup(s, n);
	for (i = 0; d[i] != '\0'; i++)
		d[i] = (char)tolower((unsigned char)d[i]);
	return (d);
}

enum content_type
prompt_content_type(const struct item *it)
{
	struct buf	 hay;
	char		*lc;
	size_t		 i, t;
	enum content_type ret = CT_GENERAL;

	buf_init(&hay);
	buf_puts(&hay, it->it_title);
	buf_putc(&hay, ' ');
	lc = lower_dup(it->it_content, 200);
	buf_puts(&hay, lc);
	free(lc);
	for (i = 0; i < it->it_ntopics; i++) {
		buf_putc(&hay, ' ');
		buf_puts(&hay, it->it_topics[i]);
	}
	buf_putc(&hay, ' ');
	lc = lower_dup(it->it_research_summary, 200);
	buf_puts(&hay, lc);
	free(lc);
	lc = lower_dup(buf_cstr(&hay), SIZE_MAX);
	buf_release(&hay);
	for (t = CT_COMMENTARY; t < CT_GENERAL && ret == CT_GENERAL; t++)
		for (i = 0; ct_specs[t].keywords[i] != NULL; i++)
			if (strstr(lc, ct_specs[t].keywords[i]) != NULL) {
				ret = (enum content_type)t;
				break;
			}
	free(lc);
	return (ret);
}

const char *
prompt_content_type_name(enum content_type t)
{
	return (ct_specs[t].name);
}

/* FNV-1a: a stable choice between the two heading plans of a type. */
static uint32_t
fnv1a(const char *a, const char *b)
{
	uint32_t	h = 2166136261u;

	for (; *a != '\0'; a++)
		h = (h ^ (unsigned char)*a) * 16777619u;
	h = (h ^ '-') * 16777619u;
	for (; *b != '\0'; b++)
		h = (h ^ (unsigned char)*b) * 16777619u;
	return (h);
}

static void
put_topics(struct buf *b, const struct item *it)
{
	size_t	i;

	for (i = 0; i < it->it_ntopics; i++)
		buf_printf(b, "%s%s", i ? ", " : "", it->it_topics[i]);
	if (it->it_ntopics == 0)
		buf_puts(b, "(none given)");
}

static void
put_evidence(struct buf *b, const struct item *it)
{
	size_t	i;

	buf_puts(b, "EVIDENCE (the only sources you may link to or cite):\n");
	buf_printf(b, "Primary source: %s\n", it->it_url);
	for (i = 0; i < it->it_nrelated; i++)
		buf_printf(b, "- %s\n", it->it_related[i]);
	buf_putc(b, '\n');
}

static void
put_house_rules(struct buf *b, int min_words, int max_words)
{
	buf_printf(b,
	    "RULES FOR EVERY ARTICLE:\n"
	    "- Length: %d to %d words of Markdown.\n"
	    "- Do not write a title or an H1 heading: start with the first "
	    "paragraph. Use ## and ### headings.\n"
	    "- After the opening paragraph, add a \"## Key Takeaways\" section "
	    "with 3 to 5 bullet points.\n"
	    "- Spell out every acronym the first time it appears.\n"
	    "- Where a term needs context, add a short callout line starting "
	    "with \"> Background:\".\n"
	    "- Write about the subject itself, not about the post or thread "
	    "that mentioned it.\n"
	    "- Link 3 to 7 times inline to the evidence URLs above, as "
	    "[descriptive text](url). Link to no other URL.\n"
	    "- Never invent quotes, numbers, benchmarks, names or dates. When "
	    "a claim goes beyond the sources, label it \"Interpretation:\"; "
	    "label sourced claims \"Fact:\" where it helps the reader.\n"
	    "- At most 2 to 4 short quotes, each attributed.\n"
	    "- Describe model errors as mistakes or fabrications, not "
	    "\"hallucinations\".\n"
	    "- Do not add a references or sources list at the end, nor an "
	    "attribution or credit line for the source: both are added for "
	    "you.\n\n"
	    "STYLE:\n"
	    "- Plain, direct sentences; aim for a reading grade of about 9 "
	    "(Flesch reading ease 60 or more).\n"
	    "- Prefer short paragraphs; bullets are full sentences.\n"
	    "- Intermediate readers: assume general programming knowledge, "
	    "explain the specialised parts.\n", min_words, max_words);
}

static char *
content_general(const struct item *it)
{
	enum content_type	 t = prompt_content_type(it);
	struct buf		 b;

	buf_init(&b);
	buf_puts(&b, "Write a thorough technical blog article about the "
	    "subject of the source below. Treat the source as evidence to "
	    "explain and build on, not as text to summarise.\n\n");
	buf_puts(&b, "SOURCE MATERIAL:\n\"");
	buf_puts(&b, it->it_content);
	buf_printf(&b, "\"\nAuthor: @%s\nPrimary URL: %s\n\n", it->it_author,
	    it->it_url);
	buf_puts(&b, "TOPICS: ");
	put_topics(&b, it);
	buf_puts(&b, "\n\nRESEARCH NOTES:\n");
	buf_puts(&b, it->it_research_summary);
	buf_puts(&b, "\n\n");
	put_evidence(&b, it);
	buf_printf(&b, "ARTICLE TYPE: %s\nWhat this type needs:\n%s\n",
	    ct_specs[t].name, ct_specs[t].requirements);
	put_house_rules(&b, 1200, 1600);
	buf_printf(&b, "\nSUGGESTED SECTIONS FOR A %s ARTICLE (adapt the "
	    "wording to the subject): %s.\n", ct_specs[t].name,
	    ct_specs[t].headings[fnv1a(it->it_url, ct_specs[t].name) % 2]);
	return (buf_detach(&b));
}

static char *
content_integrative(const struct item *it)
{
	struct buf	 b;
	size_t		 n = strlen(it->it_content);

	buf_init(&b);
	buf_puts(&b, "Write an in-depth guide that brings together the tools "
	    "and resources of the curated list below into a coherent picture "
	    "of its field. Do not reproduce the list: organise, compare and "
	    "explain how the pieces fit together.\n\n");
	buf_printf(&b, "LIST: %s\n", it->it_title);
	buf_puts(&b, "DESCRIPTION:\n\"");
	buf_append(&b, it->it_content, n > PREVIEW_CHARS ? PREVIEW_CHARS : n);
	buf_printf(&b, "\"\nURL: %s\nCurated by: @%s\n\nTOPICS: ", it->it_url,
	    it->it_author);
	put_topics(&b, it);
	buf_puts(&b, "\n\nRESEARCH NOTES:\n");
	buf_puts(&b, it->it_research_summary);
	buf_puts(&b, "\n\n");
	put_evidence(&b, it);
	buf_puts(&b, "WHAT THE GUIDE NEEDS:\n"
	    "- A taxonomy of 3 to 5 categories, each with 2 to 4 representative "
	    "tools, what they are for and a link where the evidence has one.\n"
	    "- How the categories combine: an example stack or an integration "
	    "sketch (a small ASCII diagram is welcome).\n"
	    "- Criteria for choosing between tools in a category.\n"
	    "- Short getting-started snippets for two or three tools.\n"
	    "- A closing \"## Further Resources\" section that credits the list "
	    "as [list title](url), curated by @author.\n\n");
	put_house_rules(&b, 1200, 1500);
	return (buf_detach(&b));
}

char *
prompt_content(const struct item *it, enum route_generator gen)
{
	return (gen == ROUTE_INTEGRATIVE ? content_integrative(it) :
	    content_general(it));
}

char *
prompt_title(const struct item *it, const char *content)
{
	struct buf	 b;
	size_t		 n = 0, chars = 0;

	/* The first PREVIEW_CHARS characters, not bytes. */
	while (content[n] != '\0' && chars < PREVIEW_CHARS) {
		n++;
		while ((content[n] & 0xC0) == 0x80)
			n++;
		chars++;
	}
	buf_init(&b);
	buf_puts(&b, "Write a title for the technical blog article whose "
	    "beginning follows.\n\nARTICLE START:\n");
	buf_append(&b, content, n);
	buf_puts(&b, "\n\nTOPICS: ");
	put_topics(&b, it);
	buf_puts(&b, "\n\nThe title must:\n"
	    "- be under 60 characters;\n"
	    "- say what the article is about, specifically, without "
	    "clickbait or hype;\n"
	    "- read naturally; vary the form (a statement, a question, "
	    "\"how\" or \"why\", a subject with a colon);\n"
	    "- not be wrapped in quotes or end with a full stop.\n\n"
	    "Titles of the kind wanted:\n"
	    "- Why Postgres Moved Sequential Scans to Async I/O\n"
	    "- Spot Runners Halve CI Costs, With One Catch\n"
	    "- Inside sched_ext: Writing a Linux Scheduler in BPF\n"
	    "- SQLite JSONB: What the Binary Format Buys You\n\n"
	    "Return only the title, with no other text.\n");
	return (buf_detach(&b));
}
