/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * text.c: the rules that turn an LLM reply and a generated body into the
 * title, summary, word count, reading time and tags of an article, and
 * the test for a reply that is only a refusal.  They follow
 * the original pipeline closely (original-pipeline.md §3.5 to §3.7) because
 * those values end up in published front matter; lengths are counted in
 * Unicode code points, as Python counted them, and whitespace is Python's
 * str.isspace() set (ASCII whitespace, \x1c-\x1f and the Unicode spaces).
 */
#include <ctype.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "compat.h"
#include "text.h"
#include "utf8.h"
#include "xmalloc.h"

/* A piece of a larger string: not NUL-terminated, borrowed. */
struct span {
	const char	*sp_s;
	size_t		 sp_len;
};

/*
 * Phrases that mark a sentence as filler (§3.6).  The original compared
 * them with the lower-cased sentence, so the match is case-insensitive
 * (ASCII folding; every phrase is ASCII).
 */
static const char *const generic_phrases[] = {
	"based on",
	"in this article",
	"we will explore",
	"let's look at",
	"understanding",
	"introduction",
	"overview",
};

#define SUMMARY_MIN_SENTENCE	15	/* shorter sentences are never kept */
#define SUMMARY_GENERIC_SHORT	60	/* generic and shorter: dropped */
#define SUMMARY_MIN_RESULT	20	/* shorter summaries use a fallback */
#define SUMMARY_SENTENCES	2	/* sentences joined at most */
#define WORDS_PER_MINUTE	200

static size_t
span_chars(const struct span *sp)
{
	size_t		 i, n;
	uint32_t	 cp;

	for (i = n = 0; i < sp->sp_len; n++)
		i += utf8_decode(sp->sp_s + i, sp->sp_len - i, &cp);
	return (n);
}

/* Narrow sp to drop leading and trailing whitespace (Python's strip()). */
static void
span_strip(struct span *sp)
{
	size_t		 i, n, end;
	uint32_t	 cp;

	while (sp->sp_len > 0 &&
	    (n = utf8_space_len(sp->sp_s, sp->sp_len)) > 0) {
		sp->sp_s += n;
		sp->sp_len -= n;
	}
	for (i = end = 0; i < sp->sp_len; i += n) {
		n = utf8_decode(sp->sp_s + i, sp->sp_len - i, &cp);
		if (!utf8_is_space(cp))
			end = i + n;
	}
	sp->sp_len = end;
}

/*
 * The next whitespace-separated word of s[0..len) at or after *posp, as
 * Python's str.split() finds them.  Returns 0 when there is none; else
 * sets *wp and moves *posp past the word.
 */
static int
next_word(const char *s, size_t len, size_t *posp, struct span *wp)
{
	size_t	 i = *posp, start, n;

	while (i < len && (n = utf8_space_len(s + i, len - i)) > 0)
		i += n;
	if (i >= len) {
		*posp = len;
		return (0);
	}
	start = i;
	while (i < len && utf8_space_len(s + i, len - i) == 0)
		i++;
	wp->sp_s = s + start;
	wp->sp_len = i - start;
	*posp = i;
	return (1);
}

/*
 * Append the words of sp to out separated by single spaces, so that runs
 * of whitespace collapse and the ends are stripped (" ".join(s.split())).
 * Returns the number of characters appended.
 */
static size_t
collapse_space(const struct span *sp, struct buf *out)
{
	struct span	 w;
	size_t		 pos = 0, nch = 0;
	int		 first = 1;

	while (next_word(sp->sp_s, sp->sp_len, &pos, &w)) {
		if (!first) {
			buf_putc(out, ' ');
			nch++;
		}
		buf_append(out, w.sp_s, w.sp_len);
		nch += span_chars(&w);
		first = 0;
	}
	return (nch);
}

static int
ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

/* 1 when the lower-case ASCII needle occurs in sp, ignoring ASCII case. */
static int
span_contains_ci(const struct span *sp, const char *needle)
{
	size_t	 nlen = strlen(needle), i, j;

	if (nlen > sp->sp_len)
		return (0);
	for (i = 0; i + nlen <= sp->sp_len; i++) {
		for (j = 0; j < nlen; j++)
			if (ascii_lower((unsigned char)sp->sp_s[i + j]) !=
			    needle[j])
				break;
		if (j == nlen)
			return (1);
	}
	return (0);
}

static int
is_generic(const struct span *sp)
{
	size_t	 i;

	for (i = 0; i < nitems(generic_phrases); i++)
		if (span_contains_ci(sp, generic_phrases[i]))
			return (1);
	return (0);
}

static int
ends_sentence(const char *s, size_t len)
{
	return (len > 0 &&
	    (s[len - 1] == '.' || s[len - 1] == '!' || s[len - 1] == '?'));
}

/* Append s to out with every occurrence of pat removed (str.replace). */
static void
remove_all(const char *s, size_t len, const char *pat, struct buf *out)
{
	size_t	 plen = strlen(pat), i = 0, start = 0;

	while (i + plen <= len) {
		if (memcmp(s + i, pat, plen) == 0) {
			buf_append(out, s + start, i - start);
			i += plen;
			start = i;
		} else
			i++;
	}
	buf_append(out, s + start, len - start);
}

char *
text_truncate_title(const char *title, size_t max)
{
	struct buf	 out;
	struct span	 w;
	size_t		 len, pos = 0, limit, used = 0, wc;

	if (utf8_len(title) <= max)
		return (xstrdup(title));
	len = strlen(title);
	limit = max >= 3 ? max - 3 : 0;
	buf_init(&out);
	/*
	 * As in the original, every word is charged one leading space, the
	 * first one included, so the kept words use at most max - 4.
	 */
	while (next_word(title, len, &pos, &w)) {
		wc = span_chars(&w);
		if (used + 1 + wc > limit)
			break;
		if (used > 0)
			buf_putc(&out, ' ');
		buf_append(&out, w.sp_s, w.sp_len);
		used += 1 + wc;
	}
	buf_puts(&out, "...");
	return (buf_detach(&out));
}

static int
is_marker(char c)
{
	return (c == '*' || c == '_');
}

/*
 * Quote characters stripped from both ends of a title: the ASCII double
 * and single quotes of the original, plus the curly pairs LLMs also use.
 * Returns the byte length of the quote at s, or 0.
 */
static size_t
quote_len(const char *s, size_t len)
{
	static const char *const curly[] = {
		"\xe2\x80\x9c", "\xe2\x80\x9d",		/* U+201C U+201D */
		"\xe2\x80\x98", "\xe2\x80\x99",		/* U+2018 U+2019 */
	};
	size_t	 i;

	if (len == 0)
		return (0);
	if (s[0] == '"' || s[0] == '\'')
		return (1);
	for (i = 0; i < nitems(curly); i++)
		if (len >= 3 && memcmp(s, curly[i], 3) == 0)
			return (3);
	return (0);
}

/* Strip quotes and whitespace from both ends of sp; 1 if it changed. */
static int
strip_quotes(struct span *sp)
{
	size_t		 n, i, end, step, before;
	uint32_t	 cp;

	before = sp->sp_len;
	for (;;) {
		if ((n = quote_len(sp->sp_s, sp->sp_len)) == 0 &&
		    (n = utf8_space_len(sp->sp_s, sp->sp_len)) == 0)
			break;
		sp->sp_s += n;
		sp->sp_len -= n;
	}
	/* Trailing: the end of the last character that is neither. */
	for (i = end = 0; i < sp->sp_len; i += step) {
		if ((step = quote_len(sp->sp_s + i, sp->sp_len - i)) > 0)
			continue;
		step = utf8_decode(sp->sp_s + i, sp->sp_len - i, &cp);
		if (!utf8_is_space(cp))
			end = i + step;
	}
	sp->sp_len = end;
	return (sp->sp_len != before);
}

/* Drop a leading run of markdown heading marks ("## "); 1 if it did. */
static int
strip_heading(struct span *sp)
{
	size_t	 n = 0;

	while (n < sp->sp_len && sp->sp_s[n] == '#')
		n++;
	/* "#1 rule" is a title, not a heading: require a space after. */
	if (n == 0 || (n < sp->sp_len &&
	    utf8_space_len(sp->sp_s + n, sp->sp_len - n) == 0))
		return (0);
	sp->sp_s += n;
	sp->sp_len -= n;
	span_strip(sp);
	return (1);
}

/*
 * Drop a leading "Title:" label, case-insensitive, also when emphasis
 * markers wrap the label ("**Title:** x", "**Title**: x").  When markers
 * open before the label and none close around the colon ("**Title: x**"),
 * they wrap the whole title: keep them in front so the pair can be
 * stripped as one.  The bytes in front of sp->sp_s belong to the same
 * writable copy (buf), which is what makes moving the markers possible.
 * Returns 1 if a label was removed.
 */
static int
strip_label(struct span *sp, char *base)
{
	const char	*s = sp->sp_s;
	size_t		 len = sp->sp_len, lead = 0, i, inner = 0, off;

	while (lead < len && is_marker(s[lead]))
		lead++;
	i = lead;
	if (len - i < 5 || strncasecmp(s + i, "title", 5) != 0)
		return (0);
	i += 5;
	while (i < len && is_marker(s[i])) {
		i++;
		inner++;
	}
	if (i >= len || s[i] != ':')
		return (0);
	i++;
	while (i < len && is_marker(s[i])) {
		i++;
		inner++;
	}
	sp->sp_s += i;
	sp->sp_len -= i;
	span_strip(sp);
	if (lead > 0 && inner == 0) {
		/* Put the opening markers back just before the text. */
		off = (size_t)(sp->sp_s - base);
		memmove(base + off - lead, s, lead);
		sp->sp_s = base + off - lead;
		sp->sp_len += lead;
	}
	return (1);
}

/*
 * Drop one pair of matching emphasis markers ("*x*", "_x_"), or a span
 * made only of markers; 1 if it did.
 */
static int
strip_emphasis(struct span *sp)
{
	size_t	 i;

	/* Nothing but markers ("***", a bare rule): nothing is left. */
	for (i = 0; i < sp->sp_len && is_marker(sp->sp_s[i]); i++)
		;
	if (i > 0 && i == sp->sp_len) {
		sp->sp_len = 0;
		return (1);
	}
	if (sp->sp_len < 2 || !is_marker(sp->sp_s[0]) ||
	    sp->sp_s[sp->sp_len - 1] != sp->sp_s[0])
		return (0);
	sp->sp_s++;
	sp->sp_len -= 2;
	return (1);
}

/*
 * text_clean_title: the title cleanup of §3.5 widened to the shapes LLM
 * replies take in practice.  The steps repeat until none applies, so
 * "**\"Title\"**", "# Title: x" and "\"**x**\"" all come out bare.
 * Returns an owned string, "" when nothing is left.
 */
char *
text_clean_title(const char *raw)
{
	struct buf	 out;
	struct span	 sp;
	char		*copy, *nl, *res;
	int		 changed;

	copy = xstrdup(raw);
	sp.sp_s = copy;
	sp.sp_len = 0;
	/* The first line holding something other than whitespace. */
	for (nl = copy; ; nl++) {
		sp.sp_s = nl;
		nl += strcspn(nl, "\r\n");
		sp.sp_len = (size_t)(nl - sp.sp_s);
		span_strip(&sp);
		if (sp.sp_len > 0 || *nl == '\0')
			break;
	}
	do {
		changed = 0;
		span_strip(&sp);
		changed |= strip_heading(&sp);
		changed |= strip_label(&sp, copy);
		changed |= strip_emphasis(&sp);
		changed |= strip_quotes(&sp);
	} while (changed && sp.sp_len > 0);

	buf_init(&out);
	collapse_space(&sp, &out);
	res = text_truncate_title(buf_cstr(&out), TITLE_MAX);
	buf_release(&out);
	free(copy);
	return (res);
}

/*
 * Words that end in a full stop without ending the sentence ("Meta
 * Platforms Inc. said", "Dr. Lee", "e.g. this"), lower-case, without
 * their final '.'.  "no", "p" and "pp" count only before a number ("No.
 * 5", "p. 12").  Besides these, a single letter ("J. Smith", "U.S.") and
 * a word with inner dots ("e.g", "Ph.D") are abbreviations.
 */
static const char *const abbreviations[] = {
	"mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "rev", "gen",
	"inc", "ltd", "corp", "co", "llc", "plc", "bros", "dept", "univ",
	"vs", "etc", "approx", "est", "fig", "figs", "vol", "vols", "ch",
	"sec", "cf", "ca", "al", "jan", "feb", "mar", "apr", "jun", "jul",
	"aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu",
	"fri", "sat", "sun", "no", "nos", "p", "pp",
};

/*
 * 1 when the '.' at s[dot] ends an abbreviation rather than a sentence:
 * the word before it is one (see abbreviations[]).
 */
static int
is_abbreviation(const char *s, size_t len, size_t dot)
{
	char	 w[16];
	size_t	 start = dot, n, i, k;
	int	 inner = 0;

	while (start > 0 && !isspace((unsigned char)s[start - 1]) &&
	    s[start - 1] != '(' && s[start - 1] != '"')
		start--;
	n = dot - start;
	if (n == 0 || n >= sizeof(w))
		return (0);
	for (i = 0; i < n; i++) {
		if (s[start + i] == '.')
			inner = 1;
		else if (!isalpha((unsigned char)s[start + i]))
			return (0);
		w[i] = (char)ascii_lower((unsigned char)s[start + i]);
	}
	w[n] = '\0';
	if (n == 1 || inner)
		return (1);
	for (k = 0; k < nitems(abbreviations); k++) {
		if (strcmp(w, abbreviations[k]) != 0)
			continue;
		if (strcmp(w, "no") == 0 || strcmp(w, "p") == 0 ||
		    strcmp(w, "pp") == 0) {
			/* only before a number */
			i = dot + 1;
			while (i < len && s[i] == ' ')
				i++;
			return (i < len && isdigit((unsigned char)s[i]));
		}
		return (1);
	}
	return (0);
}

/* 1 when s[0..len) ends in an abbreviation's '.' (see is_abbreviation()). */
static int
ends_in_abbreviation(const char *s, size_t len)
{
	return (len > 0 && s[len - 1] == '.' && (len < 2 ||
	    s[len - 2] != '.') && is_abbreviation(s, len, len - 1));
}

/*
 * Sentence openers that refer back to the sentence before ("This means",
 * "It also", "However, ..."): a sentence starting with one is a fragment
 * on its own and never opens a summary.  Matched case-sensitively at the
 * start, followed by a non-letter.
 */
static const char *const fragment_openers[] = {
	"This", "That", "These", "Those", "It", "Its", "They", "Their",
	"Them", "He", "She", "His", "Her", "Here", "Such", "Both", "Another",
	"However", "But", "And", "Also", "Or", "So", "Yet", "Still", "Then",
	"Thus", "Therefore", "Hence", "Moreover", "Furthermore",
	"Additionally", "Instead", "Meanwhile", "Otherwise", "Likewise",
	"Similarly", "Besides", "Nevertheless", "Nonetheless", "Even so",
	"In addition", "In contrast", "By contrast", "As a result",
	"On the other hand", "For example", "For instance", "In short",
	"In other words", "That said", "The latter", "The former",
};

/* 1 when the stripped sentence sp needs the sentence before it. */
static int
is_fragment(const struct span *sp)
{
	const char	*s = sp->sp_s;
	size_t		 len = sp->sp_len, n, i;

	while (len > 0 && (*s == '"' || *s == '\'' || *s == '(')) {
		s++;
		len--;
	}
	for (i = 0; i < nitems(fragment_openers); i++) {
		n = strlen(fragment_openers[i]);
		if (len >= n && memcmp(s, fragment_openers[i], n) == 0 &&
		    (len == n || !isalpha((unsigned char)s[n])))
			return (1);
	}
	return (0);
}

/*
 * Split s into sentences at runs of '.', '!' and '?' that are followed by
 * whitespace or the end (the original split at every run, cutting "1.80",
 * "node.js" and URLs apart): the pieces, unstripped, in an owned array of
 * *np spans borrowing from s.
 */
static struct span *
split_sentences(const char *s, size_t len, size_t *np)
{
	struct span	*v = NULL;
	size_t		 n = 0, cap = 0, i, start = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '.' && s[i] != '!' && s[i] != '?')
			continue;
		if (i < len) {
			size_t	j = i;

			/* a run of . ! ? ends a sentence only before a space */
			while (j < len && (s[j] == '.' || s[j] == '!' ||
			    s[j] == '?'))
				j++;
			if (j < len && !isspace((unsigned char)s[j])) {
				i = j - 1;
				continue;
			}
			/*
			 * "Inc. said": not an end, except at the end of a
			 * line (a paragraph of text_plain_markdown())
			 */
			if (j == i + 1 && s[i] == '.' && j < len &&
			    s[j] != '\n' && is_abbreviation(s, len, i))
				continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n].sp_s = s + start;
		v[n].sp_len = i - start;
		n++;
		while (i + 1 < len &&
		    (s[i + 1] == '.' || s[i + 1] == '!' || s[i + 1] == '?'))
			i++;
		start = i + 1;
	}
	*np = n;
	return (v);
}

/*
 * text_summary: the §3.6 summary.  Step by step:
 *  1. remove every "## ", then every "# "; split on runs of . ! ?
 *     (not after an abbreviation, unless a line break follows);
 *  2. keep stripped sentences of 15+ characters, except generic ones
 *     (see generic_phrases) shorter than 60;
 *  3. skip the first kept sentence when it is generic and another
 *     follows; join up to two kept sentences while the joined length
 *     stays within max, each followed by its own ending (". ", "! ")
 *     where the original dropped it and ran them together; a fragment
 *     (is_fragment()) is passed over unless it directly follows, in the
 *     text, the sentence taken before it;
 *  4. collapse whitespace; under 20 characters, take the first piece of
 *     step 1 longer than 20 characters once stripped (the first that is
 *     no fragment, if any); still empty, take the whole text of step 1
 *     (fallbacks are whitespace-collapsed too);
 *  5. over max: cut to max - 3 characters, back off to the last space
 *     (and past any abbreviation) and add "..." unless it now ends in
 *     . ! or ?; otherwise add "." unless it ends in one of those.
 * Step 5 is the original's: a summary of exactly max characters without
 * end punctuation comes out max + 1 long.  Empty input gives "".
 * Returns an owned string.
 */
char *
text_summary(const char *content, size_t max)
{
	struct buf	 clean1, clean, joined, sum;
	struct span	*sent, *kept, sp;
	char		*term, *frag;
	size_t		 nsent, nkept = 0, i, start, taken, used, sc, cut;
	size_t		 sumlen, last = 0, *idx, pick;

	buf_init(&clean1);
	buf_init(&clean);
	buf_init(&sum);
	remove_all(content, strlen(content), "## ", &clean1);
	remove_all(buf_cstr(&clean1), clean1.b_len, "# ", &clean);
	buf_release(&clean1);

	sent = split_sentences(buf_cstr(&clean), clean.b_len, &nsent);
	kept = xreallocarray(NULL, nsent, sizeof(*kept));
	term = xreallocarray(NULL, nsent, 1);
	frag = xreallocarray(NULL, nsent, 1);
	idx = xreallocarray(NULL, nsent, sizeof(*idx));
	for (i = 0; i < nsent; i++) {
		const char	*end = sent[i].sp_s + sent[i].sp_len;

		sp = sent[i];
		span_strip(&sp);
		sc = span_chars(&sp);
		if (sc < SUMMARY_MIN_SENTENCE)
			continue;
		if (sc < SUMMARY_GENERIC_SHORT && is_generic(&sp))
			continue;
		term[nkept] = end < buf_cstr(&clean) + clean.b_len ? *end : '.';
		frag[nkept] = (char)is_fragment(&sp);
		idx[nkept] = i;
		kept[nkept++] = sp;
	}

	start = nkept >= 2 && is_generic(&kept[0]) ? 1 : 0;
	used = taken = 0;
	buf_init(&joined);
	for (i = start; i < nkept && taken < SUMMARY_SENTENCES; i++) {
		/* a fragment only right after the sentence it leans on */
		if (frag[i] && (taken == 0 || idx[i] != idx[last] + 1))
			continue;
		sc = span_chars(&kept[i]);
		if ((taken > 0 ? used + 2 : 0) + sc > max)
			break;
		if (taken > 0) {
			/* keep the sentence's own ending between sentences */
			buf_putc(&joined, term[last]);
			buf_putc(&joined, ' ');
			used += 2;
		}
		buf_append(&joined, kept[i].sp_s, kept[i].sp_len);
		used += sc;
		taken++;
		last = i;
	}
	sp.sp_s = buf_cstr(&joined);
	sp.sp_len = joined.b_len;
	sumlen = collapse_space(&sp, &sum);
	buf_release(&joined);

	if (sumlen < SUMMARY_MIN_RESULT) {
		/* the first long piece, one that stands alone if any does */
		pick = nsent;
		for (i = 0; i < nsent; i++) {
			sp = sent[i];
			span_strip(&sp);
			if (span_chars(&sp) <= SUMMARY_MIN_RESULT)
				continue;
			if (pick == nsent)
				pick = i;
			if (!is_fragment(&sp)) {
				pick = i;
				break;
			}
		}
		if (pick < nsent) {
			sp = sent[pick];
			span_strip(&sp);
			buf_reset(&sum);
			sumlen = collapse_space(&sp, &sum);
		}
	}
	if (sumlen == 0) {
		sp.sp_s = buf_cstr(&clean);
		sp.sp_len = clean.b_len;
		sumlen = collapse_space(&sp, &sum);
	}
	free(kept);
	free(term);
	free(frag);
	free(idx);
	free(sent);
	buf_release(&clean);

	if (sumlen == 0) {
		buf_release(&sum);
		return (xstrdup(""));
	}
	if (sumlen > max) {
		cut = utf8_offset(buf_cstr(&sum), sum.b_len,
		    max >= 3 ? max - 3 : 0);
		/* Back off to the last space; the text has single spaces. */
		for (i = cut; i > 0 && sum.b_data[i - 1] != ' '; i--)
			;
		if (i > 1)
			cut = i - 1;
		/* never end on an abbreviation ("... Meta Platforms Inc.") */
		while (cut > 0 && ends_in_abbreviation(sum.b_data, cut)) {
			for (i = cut; i > 0 && sum.b_data[i - 1] != ' '; i--)
				;
			if (i <= 1)
				break;
			cut = i - 1;
		}
		sum.b_len = cut;
		sum.b_data[cut] = '\0';
		if (!ends_sentence(sum.b_data, sum.b_len))
			buf_puts(&sum, "...");
	} else if (!ends_sentence(sum.b_data, sum.b_len))
		buf_putc(&sum, '.');
	return (buf_detach(&sum));
}

size_t
text_word_count(const char *s)
{
	struct span	 w;
	size_t		 len = strlen(s), pos = 0, n = 0;

	while (next_word(s, len, &pos, &w))
		n++;
	return (n);
}

/*
 * Python's round() on words / 200 rounds halves to even: 100 words is 0.5
 * and rounds to 0, 300 is 1.5 and rounds to 2.  Never less than 1.
 */
int
text_reading_minutes(size_t words)
{
	size_t	 q = words / WORDS_PER_MINUTE, r = words % WORDS_PER_MINUTE;

	if (r > WORDS_PER_MINUTE / 2 ||
	    (r == WORDS_PER_MINUTE / 2 && q % 2 == 1))
		q++;
	if (q < 1)
		q = 1;
	return (q > INT_MAX ? INT_MAX : (int)q);
}

/* Past the ")" closing a link target that starts at p (nested pairs allowed). */
static const char *
after_link_target(const char *p, const char *end)
{
	int	depth = 0;

	for (; p < end; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth-- == 0)
			return (p + 1);
	}
	return (end);
}

/* Append a Markdown line's text without link targets, images, inline code
 * ticks and strong-emphasis markers. */
static void
plain_inline(struct buf *out, const char *p, size_t len)
{
	const char	*end = p + len, *close;

	while (p < end) {
		if (p[0] == '!' && p + 1 < end && p[1] == '[' &&
		    (close = memchr(p, ']', (size_t)(end - p))) != NULL &&
		    close + 1 < end && close[1] == '(') {
			/* an image: drop it and its target */
			p = after_link_target(close + 2, end);
			continue;
		}
		if (p[0] == '[' && (close = memchr(p, ']',
		    (size_t)(end - p))) != NULL && close + 1 < end &&
		    close[1] == '(') {
			/* a link: keep its text, drop its target */
			buf_append(out, p + 1, (size_t)(close - p - 1));
			p = after_link_target(close + 2, end);
			continue;
		}
		if (*p == '`' || (p + 1 < end && ((p[0] == '*' && p[1] == '*') ||
		    (p[0] == '_' && p[1] == '_')))) {
			p += *p == '`' ? 1 : 2;
			continue;
		}
		buf_putc(out, *p++);
	}
}

/* md without its HTML comments ("<!-- ... -->", unclosed: to the end). */
static char *
drop_html_comments(const char *md)
{
	struct buf	 b;
	const char	*p = md, *open, *close;

	buf_init(&b);
	while ((open = strstr(p, "<!--")) != NULL) {
		buf_append(&b, p, (size_t)(open - p));
		if ((close = strstr(open + 4, "-->")) == NULL)
			return (buf_detach(&b));
		p = close + 3;
	}
	buf_puts(&b, p);
	return (buf_detach(&b));
}

/*
 * Append s[0..len) to out without HTML tags ("<div align=\"center\">",
 * "</div>", "<br/>"): a '<' followed by a letter, '/' or '!' up to the
 * next '>'.  A '<' that opens no tag ("a < b") stays.
 */
static void
drop_html_tags(struct buf *out, const char *s, size_t len)
{
	const char	*end = s + len, *gt;

	while (s < end) {
		if (*s == '<' && s + 1 < end && (isalpha((unsigned char)s[1]) ||
		    s[1] == '/' || s[1] == '!') &&
		    (gt = memchr(s, '>', (size_t)(end - s))) != NULL) {
			s = gt + 1;
			continue;
		}
		buf_putc(out, *s++);
	}
}

/*
 * Drop single emphasis markers: a '*' or '_' with a letter, digit or
 * punctuation on one side and a space or an end on the other ("*x*",
 * "_y_"); snake_case names and "5 * 3" keep theirs.
 */
static void
drop_emphasis(struct buf *b)
{
	size_t	 i, o = 0;
	char	 c, before, after;

	for (i = 0; i < b->b_len; i++) {
		c = b->b_data[i];
		if (c == '*' || c == '_') {
			before = i > 0 ? b->b_data[i - 1] : ' ';
			after = i + 1 < b->b_len ? b->b_data[i + 1] : ' ';
			if ((before == ' ') != (after == ' ') ||
			    (c == '*' && before != ' ' && after != ' ' &&
			    (ispunct((unsigned char)before) ||
			    ispunct((unsigned char)after))))
				continue;
		}
		b->b_data[o++] = c;
	}
	b->b_len = o;
	if (b->b_data != NULL)
		b->b_data[o] = '\0';
}

/*
 * Length of a label opening a block: "Fact: ", "Key Takeaways: ",
 * "**Performance:** ", "**Background**: " (one to four words, no digits,
 * before a ':' and more text), emphasis markers included; 0 when there
 * is none.
 */
static size_t
label_len(const char *s, size_t len)
{
	size_t	 i = 0, words = 1;

	while (i < len && (s[i] == '*' || s[i] == '_'))
		i++;
	if (i >= len || !isupper((unsigned char)s[i]))
		return (0);
	for (; i < len && s[i] != ':'; i++) {
		if (s[i] == ' ')
			words++;
		else if (!isalpha((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '*' && s[i] != '_' && s[i] != '\'')
			return (0);
		if (words > 4 || i > 40)
			return (0);
	}
	if (i >= len)
		return (0);
	i++;		/* the ':' */
	while (i < len && (s[i] == '*' || s[i] == '_'))
		i++;
	if (i >= len || s[i] != ' ')
		return (0);
	while (i < len && s[i] == ' ')
		i++;
	return (i < len ? i : 0);
}

/* 1 when the text ends in . ! or ?, before closing quotes or brackets. */
static int
ends_in_stop(const char *s, size_t len)
{
	while (len > 0 && strchr("\"')]*_", s[len - 1]) != NULL)
		len--;
	if (len >= 3 && (memcmp(s + len - 3, "\xe2\x80\x9d", 3) == 0 ||
	    memcmp(s + len - 3, "\xe2\x80\x99", 3) == 0))
		return (ends_in_stop(s, len - 3));
	return (ends_sentence(s, len));
}

#define LABEL_LINE_WORDS	8	/* shorter and unpunctuated: a label */

/*
 * One block (a paragraph or a list item, its lines joined) as a line of
 * prose appended to out, or nothing when it is not prose: a label ("**Key
 * Takeaways**", "Key Takeaways"), a lead-in ending in ':', a caption in
 * emphasis.  A leading label is removed ("**Fact:** x" is "x"); a list
 * item or a long paragraph without a stop gets a '.'.
 */
static void
put_block(struct buf *out, const char *s, size_t len, int item)
{
	struct buf	 b, t;
	struct span	 sp;
	size_t		 n, i, label;

	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	/* a block that is all emphasis is a label or a caption */
	if (len >= 2 && (s[0] == '*' || s[0] == '_') && s[len - 1] == s[0]) {
		for (n = 0; n < len && s[n] == s[0]; n++)
			;
		if (memchr(s + n, s[0], len - n) >= (const void *)(s + len -
		    n))
			return;
	}
	label = label_len(s, len);
	s += label;
	len -= label;
	buf_init(&b);
	buf_init(&t);
	plain_inline(&b, s, len);
	drop_html_tags(&t, buf_cstr(&b), b.b_len);
	buf_reset(&b);
	sp.sp_s = buf_cstr(&t);
	sp.sp_len = t.b_len;
	(void)collapse_space(&sp, &b);
	drop_emphasis(&b);
	/* a label left by the markers' removal ("Key point: ...") */
	if ((n = label_len(buf_cstr(&b), b.b_len)) > 0) {
		memmove(b.b_data, b.b_data + n, b.b_len - n + 1);
		b.b_len -= n;
		label += n;
	}
	/* "Interpretation: the move..." reads "The move..." */
	if (label > 0 && b.b_len > 0)
		b.b_data[0] = (char)toupper((unsigned char)b.b_data[0]);
	if (b.b_len == 0 || b.b_data[b.b_len - 1] == ':')
		goto done;
	if (!ends_in_stop(b.b_data, b.b_len)) {
		if (!item && text_word_count(b.b_data) <= LABEL_LINE_WORDS)
			goto done;
		buf_putc(&b, '.');
	}
	if (out->b_len > 0)
		buf_puts(out, "\n\n");
	for (i = 0; i < b.b_len; i++)
		buf_putc(out, b.b_data[i]);
done:
	buf_release(&b);
	buf_release(&t);
}

/* Where a list item's text starts in line[0..len), or 0 for no item. */
static size_t
list_marker_len(const char *line, size_t len)
{
	size_t	d = 0;

	if (len >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') &&
	    line[1] == ' ')
		return (2);
	while (d < len && isdigit((unsigned char)line[d]))
		d++;
	if (d > 0 && d + 1 < len && (line[d] == '.' || line[d] == ')') &&
	    line[d + 1] == ' ')
		return (d + 2);
	return (0);
}

/* 1 for a rule or a setext underline: only '-', '=', '*' or '_'. */
static int
is_rule(const char *line, size_t len)
{
	size_t	i, marks = 0;

	for (i = 0; i < len; i++) {
		if (line[i] == '-' || line[i] == '=' || line[i] == '*' ||
		    line[i] == '_')
			marks++;
		else if (line[i] != ' ' && line[i] != '\t')
			return (0);
	}
	return (marks >= 3);
}

/*
 * text_plain_markdown: see text.h.  Blocks are gathered line by line: a
 * blank line, a heading, a quote, a table row, a rule, a fence or a list
 * marker ends the block in progress; a paragraph followed by a setext
 * underline ("===", "---") is a heading and is dropped.  Each block goes
 * through put_block().
 */
char *
text_plain_markdown(const char *md)
{
	struct buf	 out, blk;
	char		*text;
	const char	*p, *nl, *q;
	size_t		 len, mark;
	int		 fence = 0, item = 0;

	text = drop_html_comments(md);
	buf_init(&out);
	buf_init(&blk);
	for (p = text; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		q = p;
		while (q < p + len && (*q == ' ' || *q == '\t'))
			q++;
		len -= (size_t)(q - p);
		if (len > 0 && q[len - 1] == '\r')
			len--;
		if (len >= 3 && (strncmp(q, "```", 3) == 0 ||
		    strncmp(q, "~~~", 3) == 0)) {
			put_block(&out, buf_cstr(&blk), blk.b_len, item);
			buf_reset(&blk);
			fence = !fence;
		} else if (fence)
			;
		else if (is_rule(q, len)) {
			/* a setext heading's text is not prose */
			buf_reset(&blk);
		} else if (len == 0 || *q == '#' || *q == '>' || *q == '|') {
			put_block(&out, buf_cstr(&blk), blk.b_len, item);
			buf_reset(&blk);
		} else if ((mark = list_marker_len(q, len)) > 0) {
			put_block(&out, buf_cstr(&blk), blk.b_len, item);
			buf_reset(&blk);
			item = 1;
			buf_append(&blk, q + mark, len - mark);
		} else {
			if (blk.b_len == 0)
				item = 0;
			else
				buf_putc(&blk, ' ');
			buf_append(&blk, q, len);
		}
		if (nl == NULL)
			break;
	}
	put_block(&out, buf_cstr(&blk), blk.b_len, item);
	buf_release(&blk);
	free(text);
	return (buf_detach(&out));
}

/* ------------------------------------------------------------------ */
/* Refusals.                                                           */

#define REFUSAL_MAX_WORDS	60	/* a longer reply is not only one */
#define REFUSAL_SCAN_BYTES	600

/*
 * The start of s as one lower-case line for matching: ASCII folded,
 * curly apostrophes made straight, whitespace runs made one space,
 * Markdown and quote marks in front dropped.  Owned.
 */
static char *
refusal_text(const char *s)
{
	struct buf	 b;
	size_t		 n;
	int		 space = 0;

	buf_init(&b);
	while (*s != '\0' && strchr(" \t\r\n*_#>\"'`", *s) != NULL)
		s++;
	for (; *s != '\0' && b.b_len < REFUSAL_SCAN_BYTES; s++) {
		if (strncmp(s, "\xe2\x80\x99", 3) == 0) {	/* U+2019 */
			buf_putc(&b, '\'');
			s += 2;
			space = 0;
			continue;
		}
		if ((n = utf8_space_len(s, strlen(s))) > 0) {
			if (!space)
				buf_putc(&b, ' ');
			space = 1;
			s += n - 1;
			continue;
		}
		buf_putc(&b, (char)ascii_lower((unsigned char)*s));
		space = 0;
	}
	return (buf_detach(&b));
}

/* 1 when word (followed by a non-letter) starts at p. */
static int
word_at(const char *p, const char *word)
{
	size_t	n = strlen(word);

	return (strncmp(p, word, n) == 0 && !isalpha((unsigned char)p[n]));
}

/*
 * 1 when one of the few words after p is a verb of doing what was asked
 * ("I can't help", "I cannot write that", "I'm unable to assist").
 */
static int
help_verb_follows(const char *p)
{
	static const char *const verbs[] = { "help", "assist", "comply",
	    "fulfill", "fulfil", "provide", "write", "create", "generate",
	    "produce", "complete", "continue", "support", "engage", "answer",
	    "share", "do", "make", "proceed", "process", "respond" };
	size_t	 i;
	int	 words;

	for (words = 0; words < 4 && *p != '\0'; words++) {
		while (*p == ' ' || *p == ',')
			p++;
		for (i = 0; i < nitems(verbs); i++)
			if (word_at(p, verbs[i]))
				return (1);
		while (*p != '\0' && *p != ' ')
			p++;
	}
	return (0);
}

int
text_is_refusal(const char *reply)
{
	static const char *const apologies[] = { "i'm sorry", "i am sorry",
	    "sorry,", "sorry but", "i apologize", "i apologise",
	    "unfortunately,", "as an ai" };
	static const char *const declines[] = { "i can't", "i cannot",
	    "i can not", "i won't", "i will not", "i'm unable", "i am unable",
	    "i'm not able", "i am not able", "i'm not going to",
	    "i am not going to", "i'm not allowed", "i am not allowed",
	    "i must decline", "i have to decline", "i must refuse",
	    "i'm afraid i can't", "i'm afraid i cannot" };
	char	*t, *p;
	size_t	 i, j;
	int	 apology = 0, ret = 0;

	if (text_word_count(reply) > REFUSAL_MAX_WORDS)
		return (0);
	t = refusal_text(reply);
	for (i = 0; i < nitems(apologies); i++)
		if (strncmp(t, apologies[i], strlen(apologies[i])) == 0)
			apology = 1;
	for (i = 0; i < nitems(declines) && !ret; i++) {
		for (p = t; (p = strstr(p, declines[i])) != NULL; p++) {
			/* "i" must be a word of its own ("hi can't" is not) */
			if (p > t && isalpha((unsigned char)p[-1]))
				continue;
			j = strlen(declines[i]);
			if (apology || strstr(declines[i], "decline") != NULL ||
			    strstr(declines[i], "refuse") != NULL ||
			    help_verb_follows(p + j)) {
				ret = 1;
				break;
			}
		}
	}
	free(t);
	return (ret);
}

/* ------------------------------------------------------------------ */
/* Tags.                                                               */

char *
text_tag(const char *topic)
{
	struct buf	 b;
	const char	*s = topic;
	size_t		 n, chars = 0, cut = 0, cut_chars = 0, len, i;
	uint32_t	 cp;
	int		 space = 0;

	buf_init(&b);
	len = strlen(s);
	while (*s != '\0') {
		n = utf8_decode(s, len - (size_t)(s - topic), &cp);
		if (utf8_is_space(cp) || cp < 0x20 || cp == 0x7f ||
		    (cp >= 0x80 && cp < 0xa0) || cp == '/' || cp == '\\') {
			/* separators and unusable characters become one space */
			space = b.b_len > 0;
			s += n;
			continue;
		}
		if (space) {
			if (chars + 1 >= TAG_MAX)
				break;
			cut = b.b_len;
			cut_chars = chars;
			buf_putc(&b, ' ');
			chars++;
			space = 0;
		}
		if (chars >= TAG_MAX) {
			/* too long: end at the last word boundary, if any */
			if (cut > 0 && cut_chars >= TAG_MAX / 2)
				b.b_len = cut;
			break;
		}
		buf_append(&b, s, n);
		chars++;
		s += n;
	}
	/* no word of only dots ("..", a path), no dots or spaces at the ends */
	buf_putc(&b, '\0');
	b.b_len--;
	for (i = 0; i < b.b_len; ) {
		n = strcspn(b.b_data + i, " ");
		if (n > 0 && strspn(b.b_data + i, ".") >= n) {
			if (b.b_data[i + n] == ' ')
				n++;
			memmove(b.b_data + i, b.b_data + i + n,
			    b.b_len - i - n + 1);
			b.b_len -= n;
			continue;
		}
		i += n + 1;
	}
	while (b.b_len > 0 && (b.b_data[b.b_len - 1] == '.' ||
	    b.b_data[b.b_len - 1] == ' '))
		b.b_len--;
	n = 0;
	while (n < b.b_len && (b.b_data[n] == '.' || b.b_data[n] == ' '))
		n++;
	buf_putc(&b, '\0');
	b.b_len--;
	if (n > 0) {
		memmove(b.b_data, b.b_data + n, b.b_len - n + 1);
		b.b_len -= n;
	}
	return (buf_detach(&b));
}
