/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * text.h: the text rules applied to a generated article: title cleanup and
 * truncation (§3.5), summary (§3.6), word count and reading time (§3.7),
 * tags, and telling a refusal from an answer.  All take and return
 * UTF-8; returned strings are owned by the caller.
 */
#ifndef TEXT_H
#define TEXT_H

#include <stddef.h>

#define TITLE_MAX	60
#define SUMMARY_MAX	200
/*
 * Fewer words than this in a cleaned body is not an article (the prompts
 * ask for 1200 or more): the reply fails as "too_short".
 */
#define ARTICLE_MIN_WORDS	150
#define TAG_MAX		40	/* characters in a tag */
#define TAGS_MAX	5	/* tags per article (the original's topics[:5]) */

/*
 * Clean an LLM title reply: first non-empty line, surrounding whitespace,
 * markdown heading marks, a leading "Title:" label, bold/italic markers and
 * any leading/trailing '"' and '\'' characters (and curly quotes) removed,
 * inner whitespace collapsed.  Then, when longer than TITLE_MAX
 * characters, truncated by text_truncate_title().  Returns "" (owned) when
 * nothing is left.
 */
char	*text_clean_title(const char *raw);

/*
 * The §3.5 truncation: a title of more than max characters keeps whole
 * words while the running length (with a leading space) stays within
 * max - 3, then gets "...".  Shorter titles are returned unchanged.
 * Lengths count Unicode characters, not bytes.
 */
char	*text_truncate_title(const char *title, size_t max);

/*
 * The §3.6 summary of content: at most max characters, except that a
 * result of exactly max characters lacking end punctuation gains a "."
 * (max + 1), as in the original.  "" for blank content.  Two rules the
 * original lacked: a '.' after an abbreviation ("Inc.", "Dr.", "e.g.",
 * "U.S.") ends a sentence only before a line break, and a summary cut to
 * max never ends on one; a sentence opening with a word that refers back
 * ("This", "It", "However", "But", "And", "Also": fragment_openers in
 * text.c) is taken only right after the sentence before it in the text,
 * so it never opens a summary unless nothing else is long enough.
 */
char	*text_summary(const char *content, size_t max);

/*
 * The prose of a Markdown body for the summary: one line per paragraph
 * or list item, blank-line separated.  Headings (ATX and setext),
 * quotes, tables, rules and fenced code dropped; HTML comments and tags
 * removed; links reduced to their text, images removed, code ticks and
 * emphasis markers removed; a block that is only emphasis (a label, a
 * caption), a short unpunctuated line (a label: "Key Takeaways") and a
 * lead-in ending in ':' dropped; a leading label removed ("**Fact:** x",
 * "Interpretation: x"); a list item without an ending, or a paragraph
 * of more than 8 words without one, gains a full stop.  Owned by the
 * caller.
 */
char	*text_plain_markdown(const char *md);

/*
 * Number of whitespace-separated words (Python's str.split(): ASCII
 * whitespace, \x1c-\x1f and the Unicode spaces count as separators).
 */
size_t	 text_word_count(const char *);

/*
 * 1 when reply, a model's whole answer, is only a refusal: at most 60
 * words, in which the model declines in the first person ("I can't help
 * with that", "I'm unable to assist", "I must decline"), after an
 * apology ("I'm sorry, ...", "Unfortunately, ...", "As an AI ...") or
 * followed by a verb of doing what was asked.  A title such as "I Can't
 * Stop Using Rust" is not one.
 */
int	 text_is_refusal(const char *reply);

/*
 * A topic made fit to be a tag (a Hugo taxonomy term, whose page is a
 * directory named after it): whitespace runs, control characters and
 * '/' or '\\' become single spaces, the ends are trimmed of spaces and
 * dots, and a tag longer than TAG_MAX characters ends at its last word
 * boundary (or is cut at TAG_MAX when that would leave less than half).
 * Case is kept.  Returns an owned string, "" when nothing is left.
 */
char	*text_tag(const char *topic);

/* max(1, round_half_even(words / 200)). */
int	 text_reading_minutes(size_t words);

#endif /* TEXT_H */
