/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * samestory.c: telling that two stories are one.  The same launch may
 * reach the input as a Hacker News item and as a Mastodon status linking
 * the launch page, or be covered by a post of last week; only one
 * article should come of it.  A story is reduced to four kinds of
 * feature, each a string:
 *
 *   title words  the title lower-cased, split into words (URLs left
 *                out), stop words and news verbs ("released", "show hn")
 *                dropped, lightly stemmed ("schedules", "scheduling" ->
 *                "schedul"); version numbers lose a "v" and trailing ".0"
 *                groups ("v2.0" -> "2").  Words with a digit are numbers.
 *   entities     named in the title and the start of the content: CVE
 *                ids, owner/repo names (also from GitHub, GitLab and
 *                Codeberg URLs), a name followed by a version ("Rust
 *                1.80", "PostgreSQL 18"), runs of two or more capitalised
 *                words ("Hacker News"; not from a title written in title
 *                case, where every word is capitalised), and domains
 *                (bare "foo.dev" or the host of a linked URL, aggregators
 *                and Mastodon instances left out).
 *   URLs         normalised (urlnorm.h); site roots ("https://foo.dev/")
 *                are left out.  The item's URL, its related sources and
 *                the URLs in its title and content are the story's own;
 *                those in the research summary only references.  A post's
 *                are its sources.
 *   topics       an item's topics, a post's tags, lower-cased.
 *
 * The similarity of two stories:
 *
 *   1.0 when they share one of their own URLs (a status linking the
 *   launch page, and the item for that page);
 *   else  0.80 x T + C + S + 0.20 x R, at most 1, where
 *     T  the Dice coefficient of the title words (2 |A n B| / (|A| + |B|)),
 *        scaled down by k/3 when the shorter title has k < 3 words;
 *     C  0.5 for a shared CVE id (CAP_STRONG at most): it names one story;
 *     S  what else the two have in common, which names a subject rather
 *        than a story, at most CAP_SUBJECT (0.25): shared names with a
 *        version and owner/repo names 0.25 each, capitalised names 0.15,
 *        domains 0.1, and 0.05 x the shared topics over the larger
 *        number of topics;
 *     R  1 when a URL is shared that is a reference on one side;
 *   halved when both titles have numbers and share none ("Rust 1.79" and
 *   "Rust 1.80" are two releases).
 *
 * Two stories are the same at STORY_THRESHOLD (0.65) or above.  So the
 * same title is enough (T = 1 gives 0.8) but a shared subject is not:
 * "PostgreSQL 18 adds asynchronous I/O" and "PostgreSQL 18 adds virtual
 * generated columns" (same site, same topics) share the subject (0.25)
 * and two of nine title words (0.8 x 0.44), 0.61 in all.
 *
 * The index finds, for a new story, the stories sharing a feature with
 * it through one posting list per feature, and scores only those.  A
 * feature already shared by more than STORY_COMMON stories (a word or a
 * topic every story of a batch has) is too common to tell stories apart
 * and is not used to find them, though it still counts in the score of
 * stories found through a rarer feature.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "item.h"
#include "postindex.h"
#include "samestory.h"
#include "urlnorm.h"
#include "util.h"
#include "xmalloc.h"

/* A feature shared by more stories than this does not find stories. */
#define STORY_COMMON	100
/* How much of an item's content is read for entities and URLs. */
#define STORY_CONTENT_MAX	2000

/* The kinds of feature, the first byte of its key. */
#define K_WORD	'w'
#define K_ENT	'e'
#define K_URL	'u'
#define K_TOPIC	't'

#define F_NUM	0x01	/* a title word with a digit */
#define F_OWN	0x02	/* a URL that is the story's own */

/* Entity weights; a CVE id names one story, the others a subject. */
#define W_CVE		0.5
#define W_REPO		0.25
#define W_VERSION	0.25
#define W_NAME		0.15
#define W_DOMAIN	0.1
/* The most the two groups of entities add to a score. */
#define CAP_STRONG	0.5
#define CAP_SUBJECT	0.25

struct feat {
	char		*f_key;		/* kind byte, then the text */
	unsigned	 f_flags;
	double		 f_weight;	/* entities */
};

struct story {
	struct feat	*s_feat;	/* sorted by key, unique */
	size_t		 s_nfeat;
	size_t		 s_cap;
	size_t		 s_nwords;
	size_t		 s_ntopics;
	int		 s_has_num;
};

/* Words that say nothing about which story it is. */
static const char *const stop_words[] = {
	"a", "about", "add", "added", "adding", "adds", "after", "all",
	"also", "an", "and", "announce",
	"announced", "announcement", "announces", "announcing", "any", "are",
	"article", "as", "ask", "at", "available", "be", "been", "blog",
	"bring", "bringing", "brings", "brought", "but", "by", "can", "did", "do", "does", "for", "from", "get", "got",
	"has", "have", "here", "hn", "how", "i", "if", "in", "into",
	"introduce", "introduced", "introduces", "introducing", "is", "it",
	"its", "just", "launch", "launched", "launches", "launching", "let",
	"me", "more", "my", "new", "news", "no", "not", "now", "of", "on",
	"one", "or", "our", "out", "over", "post", "posted", "release",
	"released", "releases", "releasing", "s", "say", "says", "show",
	"so", "t", "tell", "than", "that", "the", "their", "them", "there",
	"these", "they", "this", "thread", "to", "today", "up", "update",
	"updated", "updates", "us", "version", "via", "was", "we", "were",
	"what", "when", "where", "which", "who", "why", "will", "with",
	"you", "your",
};

/* Hosts whose name says nothing about the story they carry. */
static const char *const aggregator_hosts[] = {
	"codeberg.org", "github.com", "gitlab.com", "lobste.rs",
	"medium.com", "news.ycombinator.com", "old.reddit.com", "reddit.com",
	"substack.com", "twitter.com", "x.com", "youtu.be", "youtube.com",
};

/* Hosts whose first two path segments name a repository. */
static const char *const forge_hosts[] = {
	"codeberg.org", "github.com", "gitlab.com",
};

static int
in_list(const char *s, size_t len, const char *const *list, size_t n)
{
	size_t	k;

	for (k = 0; k < n; k++)
		if (strlen(list[k]) == len && strncmp(list[k], s, len) == 0)
			return (1);
	return (0);
}

static void
add_feat(struct story *s, int kind, const char *text, size_t len,
    unsigned flags, double weight)
{
	struct feat	*f;

	if (len == 0)
		return;
	if (s->s_nfeat == s->s_cap) {
		s->s_cap = s->s_cap == 0 ? 32 : s->s_cap * 2;
		s->s_feat = xreallocarray(s->s_feat, s->s_cap,
		    sizeof(*s->s_feat));
	}
	f = &s->s_feat[s->s_nfeat++];
	f->f_key = xmalloc(len + 2);
	f->f_key[0] = (char)kind;
	memcpy(f->f_key + 1, text, len);
	f->f_key[len + 1] = '\0';
	f->f_flags = flags;
	f->f_weight = weight;
}

/* Lower-case in place (ASCII only). */
static void
lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

static int
has_digit(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (isdigit((unsigned char)s[i]))
			return (1);
	return (0);
}

/* 1 when s is a version: an optional 'v' then digits and dots. */
static int
is_version(const char *s, size_t len)
{
	size_t	i = 0;

	if (len > 1 && (s[0] == 'v' || s[0] == 'V') &&
	    isdigit((unsigned char)s[1]))
		i = 1;
	if (i >= len || !isdigit((unsigned char)s[i]))
		return (0);
	for (; i < len; i++)
		if (!isdigit((unsigned char)s[i]) && s[i] != '.')
			return (0);
	return (1);
}

/*
 * A version in its compared form, in place: no leading 'v', no trailing
 * ".0" groups ("v2.0" -> "2", "1.80.0" -> "1.80").  Returns the length.
 */
static size_t
norm_version(char *s, size_t len)
{
	if (len > 1 && (s[0] == 'v' || s[0] == 'V') &&
	    isdigit((unsigned char)s[1])) {
		memmove(s, s + 1, len - 1);
		len--;
	}
	while (len > 2 && s[len - 1] == '0' && s[len - 2] == '.')
		len -= 2;
	s[len] = '\0';
	return (len);
}

static int
ends_with(const char *s, size_t len, const char *suf)
{
	size_t	n = strlen(suf);

	return (len >= n && memcmp(s + len - n, suf, n) == 0);
}

/* A light stem of the lower-case ASCII word s, in place; its length. */
static size_t
stem(char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (!islower((unsigned char)s[i]))
			return (len);
	if (len > 5 && ends_with(s, len, "ing"))
		len -= 3;
	else if (len > 4 && ends_with(s, len, "ies")) {
		len -= 2;
		s[len - 1] = 'y';
	} else if (len > 4 && ends_with(s, len, "ed"))
		len -= 2;
	else if (len > 3 && ends_with(s, len, "es") &&
	    strchr("sxzh", s[len - 3]) != NULL)
		len -= 2;
	else if (len > 3 && s[len - 1] == 's' && s[len - 2] != 's' &&
	    s[len - 2] != 'u' && s[len - 2] != 'i')
		len--;
	if (len > 4 && s[len - 1] == 'e')
		len--;
	s[len] = '\0';
	return (len);
}

/* A word of a text as written: where it is, and what came before it. */
struct word {
	const char	*w_s;
	size_t		 w_len;
	int		 w_break;	/* a clause break before it */
};

static int
is_word_byte(unsigned char c)
{
	return (isalnum(c) || c >= 0x80 || c == '.' || c == '-' ||
	    c == '/' || c == '+' || c == '#' || c == '_');
}

static int
is_url_at(const char *s)
{
	return (strncasecmp(s, "http://", 7) == 0 ||
	    strncasecmp(s, "https://", 8) == 0);
}

/*
 * Split the first max bytes of text into words (a run of letters,
 * digits, bytes of UTF-8 letters and ".-/+#_", trimmed of ".-/_" at
 * both ends).  URLs are skipped.  Returns the words (owned) and their
 * number in *np.
 */
static struct word *
split_words(const char *text, size_t max, size_t *np)
{
	struct word	*w = NULL;
	size_t		 n = 0, cap = 0, i = 0, start, len;
	int		 brk = 0, full_stop;

	len = strnlen(text, max);
	while (i < len) {
		unsigned char c = (unsigned char)text[i];

		if (is_url_at(text + i)) {
			while (i < len && !isspace((unsigned char)text[i]))
				i++;
			brk = 1;
			continue;
		}
		if (!is_word_byte(c)) {
			if (strchr(":;,!?()[]{}\"|\n", c) != NULL)
				brk = 1;
			i++;
			continue;
		}
		start = i;
		while (i < len && is_word_byte((unsigned char)text[i]))
			i++;
		/* A full stop ends a sentence. */
		full_stop = text[i - 1] == '.';
		while (start < i && strchr(".-/_", text[start]) != NULL)
			start++;
		while (i > start && strchr(".-/_", text[i - 1]) != NULL)
			i--;
		if (i > start) {
			if (n == cap) {
				cap = cap == 0 ? 32 : cap * 2;
				w = xreallocarray(w, cap, sizeof(*w));
			}
			w[n].w_s = text + start;
			w[n].w_len = i - start;
			w[n].w_break = brk;
			n++;
			brk = 0;
		}
		if (full_stop)
			brk = 1;
		while (i < len && is_word_byte((unsigned char)text[i]))
			i++;
	}
	*np = n;
	return (w);
}

/* The title words of title, as features. */
static void
title_words(struct story *s, const char *title)
{
	struct word	*w;
	size_t		 n, k, len;
	char		*t;

	w = split_words(title, SIZE_MAX, &n);
	for (k = 0; k < n; k++) {
		t = xstrndup(w[k].w_s, w[k].w_len);
		lower(t);
		len = w[k].w_len;
		if (has_digit(t, len)) {
			if (is_version(t, len))
				len = norm_version(t, len);
			add_feat(s, K_WORD, t, len, F_NUM, 0);
			s->s_has_num = 1;
		} else if (!in_list(t, len, stop_words, nitems(stop_words))) {
			len = stem(t, len);
			add_feat(s, K_WORD, t, len, 0, 0);
		}
		free(t);
	}
	free(w);
}

static int
is_capitalised(const struct word *w)
{
	return (isupper((unsigned char)w->w_s[0]) &&
	    !has_digit(w->w_s, w->w_len));
}

/* 1 when most of the longer words of text are capitalised. */
static int
is_title_case(const struct word *w, size_t n)
{
	size_t	k, cap = 0, all = 0;

	for (k = 0; k < n; k++) {
		if (w[k].w_len < 4 || !isalpha((unsigned char)w[k].w_s[0]))
			continue;
		all++;
		cap += is_capitalised(&w[k]);
	}
	return (all >= 3 && cap * 5 >= all * 3);
}

static int
is_stop(const struct word *w)
{
	char	buf[32];
	size_t	k;

	if (w->w_len >= sizeof(buf))
		return (0);
	for (k = 0; k < w->w_len; k++)
		buf[k] = (char)tolower((unsigned char)w->w_s[k]);
	return (in_list(buf, w->w_len, stop_words, nitems(stop_words)));
}

/* 1 when w is a CVE id: CVE-yyyy-nnnn... */
static int
is_cve(const struct word *w)
{
	size_t	k;

	if (w->w_len < 13 || strncasecmp(w->w_s, "cve-", 4) != 0 ||
	    w->w_s[8] != '-')
		return (0);
	for (k = 4; k < w->w_len; k++)
		if (k != 8 && !isdigit((unsigned char)w->w_s[k]))
			return (0);
	return (1);
}

/*
 * 1 when w is written like a repository, owner/repo: one slash, two
 * parts of at least two characters, lower-case letters and one of
 * "-_." or a digit somewhere ("rust-lang/rust", not "and/or" or "I/O").
 */
static int
is_repo(const struct word *w)
{
	const char	*slash;
	size_t		 k;
	int		 lowerc = 0, mark = 0;

	if ((slash = memchr(w->w_s, '/', w->w_len)) == NULL ||
	    memchr(slash + 1, '/', w->w_len - (size_t)(slash - w->w_s) - 1) !=
	    NULL || slash - w->w_s < 2 ||
	    w->w_len - (size_t)(slash - w->w_s) - 1 < 2)
		return (0);
	for (k = 0; k < w->w_len; k++) {
		unsigned char c = (unsigned char)w->w_s[k];

		if (islower(c))
			lowerc = 1;
		else if (isdigit(c) || c == '-' || c == '_' || c == '.')
			mark = 1;
		else if (c != '/' && !isupper(c))
			return (0);
	}
	return (lowerc && mark);
}

/* 1 when w looks like a domain name: labels and a final alphabetic one. */
static int
is_domain(const struct word *w)
{
	size_t	k, dot = 0, tld;

	for (k = 0; k < w->w_len; k++) {
		if (w->w_s[k] == '.') {
			if (k == 0 || w->w_s[k - 1] == '.')
				return (0);
			dot = k;
		} else if (!isalnum((unsigned char)w->w_s[k]) &&
		    w->w_s[k] != '-')
			return (0);
	}
	if (dot == 0)
		return (0);
	tld = w->w_len - dot - 1;
	if (tld < 2 || tld > 12)
		return (0);
	for (k = dot + 1; k < w->w_len; k++)
		if (!islower((unsigned char)w->w_s[k]))
			return (0);
	return (1);
}

static void
add_entity(struct story *s, const char *text, size_t len, double weight)
{
	char	*t;

	t = xstrndup(text, len);
	lower(t);
	add_feat(s, K_ENT, t, strlen(t), 0, weight);
	free(t);
}

/* A host as an entity, unless it is an aggregator's. */
static void
add_domain(struct story *s, const char *host, size_t len)
{
	if (len > 4 && strncasecmp(host, "www.", 4) == 0) {
		host += 4;
		len -= 4;
	}
	if (!in_list(host, len, aggregator_hosts, nitems(aggregator_hosts)))
		add_entity(s, host, len, W_DOMAIN);
}

/* The named entities of the first max bytes of text. */
static void
entities(struct story *s, const char *text, size_t max)
{
	struct word	*w;
	char		 ver[64], *e;
	size_t		 n, k, j, len;
	int		 names;

	w = split_words(text, max, &n);
	names = !is_title_case(w, n);
	for (k = 0; k < n; k++) {
		if (is_cve(&w[k]))
			add_entity(s, w[k].w_s, w[k].w_len, W_CVE);
		else if (is_repo(&w[k]))
			add_entity(s, w[k].w_s, w[k].w_len, W_REPO);
		else if (is_domain(&w[k]))
			add_domain(s, w[k].w_s, w[k].w_len);
		/* A name and its version: "Rust 1.80", "PostgreSQL 18". */
		if (k + 1 < n && !w[k + 1].w_break &&
		    isalpha((unsigned char)w[k].w_s[0]) && w[k].w_len >= 2 &&
		    !has_digit(w[k].w_s, w[k].w_len) && !is_stop(&w[k]) &&
		    is_version(w[k + 1].w_s, w[k + 1].w_len) &&
		    w[k + 1].w_len < sizeof(ver) &&
		    (isupper((unsigned char)w[k].w_s[0]) ||
		    memchr(w[k + 1].w_s, '.', w[k + 1].w_len) != NULL)) {
			memcpy(ver, w[k + 1].w_s, w[k + 1].w_len);
			len = norm_version(ver, w[k + 1].w_len);
			xasprintf(&e, "%.*s %.*s", (int)w[k].w_len, w[k].w_s,
			    (int)len, ver);
			add_entity(s, e, strlen(e), W_VERSION);
			free(e);
		}
		/* Two or more capitalised words, stop words left out. */
		if (!names || !is_capitalised(&w[k]) || is_stop(&w[k]) ||
		    (k > 0 && !w[k].w_break && is_capitalised(&w[k - 1]) &&
		    !is_stop(&w[k - 1])))
			continue;
		for (j = k + 1; j < n && !w[j].w_break &&
		    is_capitalised(&w[j]) && !is_stop(&w[j]); j++)
			;
		if (j - k >= 2)
			add_entity(s, w[k].w_s, (size_t)(w[j - 1].w_s +
			    w[j - 1].w_len - w[k].w_s), W_NAME);
	}
	free(w);
}

/*
 * The form in which two stories' URLs are compared: the normalised URL
 * (norm) without its scheme, a leading "www." and a final '/', so that
 * "http://www.foo.dev/a/" and "https://foo.dev/a" are one page.  Returns
 * its length at key (inside norm), or 0 for a site root, which names no
 * story.
 */
static size_t
url_key(const char *norm, const char **key)
{
	const char	*k;
	size_t		 len;

	if ((k = strstr(norm, "://")) == NULL)
		return (0);
	k += 3;
	if (strncmp(k, "www.", 4) == 0)
		k += 4;
	len = strlen(k);
	if (len > 0 && k[len - 1] == '/')
		len--;
	if (memchr(k, '/', len) == NULL)
		return (0);
	*key = k;
	return (len);
}

/*
 * Add url (not yet normalised) as a URL feature, and its repository
 * (forges) and host (when own_host) as entities.
 */
static void
add_url(struct story *s, const char *url, size_t len, unsigned flags,
    int own_host)
{
	char		*raw, *norm, *host;
	const char	*path, *end, *key = NULL;
	size_t		 klen;

	raw = xstrndup(url, len);
	norm = url_normalize(raw);
	free(raw);
	if (norm == NULL)
		return;
	if ((klen = url_key(norm, &key)) > 0)
		add_feat(s, K_URL, key, klen, flags, 0);
	if ((host = url_host(norm)) != NULL) {
		path = strchr(strstr(norm, "://") + 3, '/');
		if (in_list(host, strlen(host), forge_hosts,
		    nitems(forge_hosts)) && path != NULL &&
		    (end = strchr(path + 1, '/')) != NULL && end > path + 1) {
			len = strcspn(end + 1, "/?#");
			if (len > 0)
				add_entity(s, path + 1, (size_t)(end - path) +
				    len, W_REPO);
		}
		if (own_host)
			add_domain(s, host, strlen(host));
		free(host);
	}
	free(norm);
}

/* The URLs written in the first max bytes of text. */
static void
text_urls(struct story *s, const char *text, size_t max, unsigned flags)
{
	size_t	i, len, n;

	len = strnlen(text, max);
	for (i = 0; i < len; i++) {
		if (!is_url_at(text + i))
			continue;
		for (n = 0; i + n < len && !isspace((unsigned char)text[i + n])
		    && strchr("<>\"'()[]{}", text[i + n]) == NULL; n++)
			;
		while (n > 0 && strchr(".,;:!?", text[i + n - 1]) != NULL)
			n--;
		add_url(s, text + i, n, flags, 1);
		i += n;
	}
}

static int
cmp_feat(const void *a, const void *b)
{
	return (strcmp(((const struct feat *)a)->f_key,
	    ((const struct feat *)b)->f_key));
}

/* Sort the features and merge duplicates; count words and topics. */
static void
finish(struct story *s)
{
	size_t	k, j;

	if (s->s_nfeat > 1)
		qsort(s->s_feat, s->s_nfeat, sizeof(*s->s_feat), cmp_feat);
	for (k = j = 0; k < s->s_nfeat; k++) {
		if (j > 0 && strcmp(s->s_feat[j - 1].f_key,
		    s->s_feat[k].f_key) == 0) {
			s->s_feat[j - 1].f_flags |= s->s_feat[k].f_flags;
			if (s->s_feat[k].f_weight > s->s_feat[j - 1].f_weight)
				s->s_feat[j - 1].f_weight =
				    s->s_feat[k].f_weight;
			free(s->s_feat[k].f_key);
			continue;
		}
		s->s_feat[j++] = s->s_feat[k];
	}
	s->s_nfeat = j;
	for (k = 0; k < s->s_nfeat; k++) {
		s->s_nwords += s->s_feat[k].f_key[0] == K_WORD;
		s->s_ntopics += s->s_feat[k].f_key[0] == K_TOPIC;
	}
}

static void
add_topic(struct story *s, const char *topic)
{
	char	*t;

	t = xstrdup(topic);
	lower(t);
	add_feat(s, K_TOPIC, t, strlen(t), 0, 0);
	free(t);
}

struct story *
story_of_item(const struct item *it)
{
	struct story	*s;
	size_t		 k;
	int		 own_host;

	s = xcalloc(1, sizeof(*s));
	if (it->it_title != NULL) {
		title_words(s, it->it_title);
		entities(s, it->it_title, SIZE_MAX);
		text_urls(s, it->it_title, SIZE_MAX, F_OWN);
	}
	if (it->it_content != NULL) {
		entities(s, it->it_content, STORY_CONTENT_MAX);
		text_urls(s, it->it_content, STORY_CONTENT_MAX, F_OWN);
	}
	/* A status's or a thread's host is the network's, not the story's. */
	own_host = it->it_source == NULL ||
	    (strcmp(it->it_source, "mastodon") != 0 &&
	    strcmp(it->it_source, "reddit") != 0);
	if (it->it_url != NULL)
		add_url(s, it->it_url, strlen(it->it_url), F_OWN, own_host);
	for (k = 0; k < it->it_nrelated; k++)
		add_url(s, it->it_related[k], strlen(it->it_related[k]), F_OWN,
		    1);
	if (it->it_research_summary != NULL)
		text_urls(s, it->it_research_summary, STORY_CONTENT_MAX, 0);
	for (k = 0; k < it->it_ntopics; k++)
		add_topic(s, it->it_topics[k]);
	finish(s);
	return (s);
}

struct story *
story_of_post(const struct post_info *p)
{
	struct story	*s;
	size_t		 k;

	s = xcalloc(1, sizeof(*s));
	if (p->pi_title != NULL) {
		title_words(s, p->pi_title);
		entities(s, p->pi_title, SIZE_MAX);
	}
	for (k = 0; k < p->pi_nurls; k++)
		add_url(s, p->pi_urls[k], strlen(p->pi_urls[k]), F_OWN, 1);
	for (k = 0; k < p->pi_ntags; k++)
		add_topic(s, p->pi_tags[k]);
	finish(s);
	return (s);
}

void
story_free(struct story *s)
{
	size_t	k;

	if (s == NULL)
		return;
	for (k = 0; k < s->s_nfeat; k++)
		free(s->s_feat[k].f_key);
	free(s->s_feat);
	free(s);
}

double
story_similarity(const struct story *a, const struct story *b)
{
	const struct feat	*fa, *fb;
	size_t			 i = 0, j = 0, words = 0, nums = 0, topics = 0;
	size_t			 shorter, larger;
	double			 t = 0, strong = 0, e = 0, p = 0, r = 0, score;
	double			 w;
	int			 c;

	while (i < a->s_nfeat && j < b->s_nfeat) {
		fa = &a->s_feat[i];
		fb = &b->s_feat[j];
		if ((c = strcmp(fa->f_key, fb->f_key)) < 0) {
			i++;
			continue;
		}
		if (c > 0) {
			j++;
			continue;
		}
		switch (fa->f_key[0]) {
		case K_WORD:
			words++;
			nums += (fa->f_flags & F_NUM) != 0;
			break;
		case K_ENT:
			w = fa->f_weight < fb->f_weight ? fa->f_weight :
			    fb->f_weight;
			if (w >= W_CVE)
				strong += w;
			else
				e += w;
			break;
		case K_URL:
			if ((fa->f_flags & F_OWN) && (fb->f_flags & F_OWN))
				return (1.0);
			r = 1;
			break;
		case K_TOPIC:
			topics++;
			break;
		default:
			break;
		}
		i++;
		j++;
	}
	if (a->s_nwords + b->s_nwords > 0) {
		t = 2.0 * (double)words / (double)(a->s_nwords + b->s_nwords);
		shorter = a->s_nwords < b->s_nwords ? a->s_nwords :
		    b->s_nwords;
		if (shorter < 3)
			t = t * (double)shorter / 3.0;
	}
	larger = a->s_ntopics > b->s_ntopics ? a->s_ntopics : b->s_ntopics;
	if (larger > 0)
		p = (double)topics / (double)larger;
	e += 0.05 * p;
	score = 0.8 * t + (strong > CAP_STRONG ? CAP_STRONG : strong) +
	    (e > CAP_SUBJECT ? CAP_SUBJECT : e) + 0.2 * r;
	if (a->s_has_num && b->s_has_num && nums == 0)
		score /= 2;
	return (score > 1.0 ? 1.0 : score);
}

/* ---- the index ---- */

/* One feature and the stories that have it; pl_key NULL when free. */
struct posting {
	const char	*pl_key;	/* borrowed from a story */
	uint64_t	 pl_hash;
	size_t		*pl_ids;
	size_t		 pl_n;
	size_t		 pl_cap;
};

struct story_index {
	struct story	**si_stories;
	size_t		  si_n;
	size_t		  si_cap;
	struct posting	 *si_tab;	/* open addressing */
	size_t		  si_tabsize;	/* 0 or a power of two */
	size_t		  si_nkeys;
};

struct story_index *
story_index_new(void)
{
	return (xcalloc(1, sizeof(struct story_index)));
}

void
story_index_free(struct story_index *si)
{
	size_t	k;

	if (si == NULL)
		return;
	for (k = 0; k < si->si_tabsize; k++)
		free(si->si_tab[k].pl_ids);
	free(si->si_tab);
	for (k = 0; k < si->si_n; k++)
		story_free(si->si_stories[k]);
	free(si->si_stories);
	free(si);
}

static struct posting *
slot(struct posting *tab, size_t size, const char *key, uint64_t h)
{
	size_t	j, mask = size - 1;

	for (j = h & mask;; j = (j + 1) & mask)
		if (tab[j].pl_key == NULL || (tab[j].pl_hash == h &&
		    strcmp(tab[j].pl_key, key) == 0))
			return (&tab[j]);
}

static void
grow(struct story_index *si)
{
	struct posting	*ntab;
	size_t		 nsize, k;

	nsize = si->si_tabsize == 0 ? 256 : si->si_tabsize * 2;
	ntab = xcalloc(nsize, sizeof(*ntab));
	for (k = 0; k < si->si_tabsize; k++)
		if (si->si_tab[k].pl_key != NULL)
			*slot(ntab, nsize, si->si_tab[k].pl_key,
			    si->si_tab[k].pl_hash) = si->si_tab[k];
	free(si->si_tab);
	si->si_tab = ntab;
	si->si_tabsize = nsize;
}

size_t
story_index_add(struct story_index *si, struct story *s)
{
	struct posting	*pl;
	uint64_t	 h;
	size_t		 k, id = si->si_n;

	if (si->si_n == si->si_cap) {
		si->si_cap = si->si_cap == 0 ? 64 : si->si_cap * 2;
		si->si_stories = xreallocarray(si->si_stories, si->si_cap,
		    sizeof(*si->si_stories));
	}
	si->si_stories[si->si_n++] = s;
	for (k = 0; k < s->s_nfeat; k++) {
		if ((si->si_nkeys + 1) * 2 > si->si_tabsize)
			grow(si);
		h = hash_fnv1a(s->s_feat[k].f_key);
		pl = slot(si->si_tab, si->si_tabsize, s->s_feat[k].f_key, h);
		if (pl->pl_key == NULL) {
			pl->pl_key = s->s_feat[k].f_key;
			pl->pl_hash = h;
			si->si_nkeys++;
		}
		if (pl->pl_n == pl->pl_cap) {
			pl->pl_cap = pl->pl_cap == 0 ? 2 : pl->pl_cap * 2;
			pl->pl_ids = xreallocarray(pl->pl_ids, pl->pl_cap,
			    sizeof(*pl->pl_ids));
		}
		pl->pl_ids[pl->pl_n++] = id;
	}
	return (id);
}

static int
cmp_size(const void *a, const void *b)
{
	size_t	x = *(const size_t *)a, y = *(const size_t *)b;

	return (x < y ? -1 : x > y);
}

int
story_index_match(const struct story_index *si, const struct story *s,
    size_t *match, double *scorep)
{
	const struct posting	*pl;
	size_t			*ids = NULL, n = 0, cap = 0, k, j;
	double			 best = -1, sc;
	int			 found = 0;

	if (si->si_tabsize == 0)
		return (0);
	for (k = 0; k < s->s_nfeat; k++) {
		pl = slot(si->si_tab, si->si_tabsize, s->s_feat[k].f_key,
		    hash_fnv1a(s->s_feat[k].f_key));
		if (pl->pl_key == NULL || pl->pl_n == 0 ||
		    pl->pl_n > STORY_COMMON)
			continue;
		if (n + pl->pl_n > cap) {
			cap = (n + pl->pl_n) * 2;
			ids = xreallocarray(ids, cap, sizeof(*ids));
		}
		memcpy(ids + n, pl->pl_ids, pl->pl_n * sizeof(*ids));
		n += pl->pl_n;
	}
	if (n > 1)
		qsort(ids, n, sizeof(*ids), cmp_size);
	for (k = 0; k < n; k++) {
		if (k > 0 && ids[k] == ids[k - 1])
			continue;
		j = ids[k];
		sc = story_similarity(si->si_stories[j], s);
		if (sc >= STORY_THRESHOLD && sc > best) {
			best = sc;
			*match = j;
			found = 1;
		}
	}
	free(ids);
	if (found)
		*scorep = best;
	return (found);
}
