/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * prescore.c: the heuristic pre-score of original-pipeline.md §10.2,
 * written for this project.  Bonuses: length of the text, links (in the
 * text, and a story that points away from its aggregator), code, and
 * engagement on a log scale.  Penalties: a mostly personal tone, many
 * emoji, shouting in capitals, thread fragments ("1/7", a thread emoji)
 * and curated-list repositories.  Each term is bounded so that no single
 * one decides alone; the result is clamped to [0, 1].
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json.h>

#include "buf.h"
#include "compat.h"
#include "prescore.h"
#include "urlnorm.h"
#include "utf8.h"
#include "xmalloc.h"

#define PS_BASE			0.10
#define PS_LENGTH_MAX		0.25	/* reached at PS_LENGTH_FULL chars */
#define PS_LENGTH_FULL		1200.0
#define PS_LINK_EACH		0.08
#define PS_LINK_MAX		0.16
#define PS_EXTERNAL		0.15	/* a story linking an article */
#define PS_CODE			0.12
#define PS_ENGAGE_MAX		0.30	/* reached at 10^PS_ENGAGE_DECADES */
#define PS_ENGAGE_DECADES	3.0
#define PS_PERSONAL		0.10
#define PS_EMOJI		0.10
#define PS_CAPS			0.15
#define PS_THREAD		0.10
#define PS_LIST_REPO		0.50

struct ps_terms {
	struct buf	 t_why;
	double		 t_score;
};

static void
ps_add(struct ps_terms *t, const char *name, double v)
{
	if (v == 0.0)
		return;
	t->t_score += v;
	buf_printf(&t->t_why, "%s%s %+.2f", t->t_why.b_len > 0 ? ", " : "",
	    name, v);
}

/* Occurrences of "http://" and "https://" in s. */
static size_t
ps_count_links(const char *s)
{
	const char	*p;
	size_t		 n = 0;

	for (p = s; (p = strstr(p, "http")) != NULL; p += 4)
		if (strncmp(p, "http://", 7) == 0 ||
		    strncmp(p, "https://", 8) == 0)
			n++;
	return (n);
}

/* 1 when s holds code: a fence, a <code>/<pre> tag or an indented block. */
static int
ps_has_code(const char *s)
{
	const char	*p;
	size_t		 indented = 0;

	if (strstr(s, "```") != NULL || strstr(s, "<code>") != NULL ||
	    strstr(s, "<pre>") != NULL)
		return (1);
	for (p = s; p != NULL && *p != '\0'; ) {
		if (strncmp(p, "    ", 4) == 0 && p[4] != ' ' && p[4] != '\n' &&
		    p[4] != '\0')
			indented++;
		else if (*p != '\n')
			indented = 0;
		if (indented >= 2)
			return (1);
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return (0);
}

/* Emoji and pictographs in s (the common blocks). */
static size_t
ps_count_emoji(const char *s)
{
	size_t		 n = 0, len = strlen(s), k;
	uint32_t	 cp;

	while (len > 0) {
		k = utf8_decode(s, len, &cp);
		if ((cp >= 0x1f300 && cp <= 0x1faff) ||
		    (cp >= 0x2600 && cp <= 0x27bf))
			n++;
		s += k;
		len -= k;
	}
	return (n);
}

/* Share of upper-case among the ASCII letters, or 0 with under 20 letters. */
static double
ps_caps_ratio(const char *s)
{
	size_t	letters = 0, upper = 0;

	for (; *s != '\0'; s++) {
		if (!isalpha((unsigned char)*s))
			continue;
		letters++;
		if (isupper((unsigned char)*s))
			upper++;
	}
	return (letters < 20 ? 0.0 : (double)upper / (double)letters);
}

/* Share of first-person words ("i", "my", "me", "i'm") among the words. */
static double
ps_personal_ratio(const char *s)
{
	static const char *const first[] = { "i", "my", "me", "i'm", "i've",
	    "mine", "myself" };
	char		 word[16];
	size_t		 words = 0, personal = 0, n, i;

	while (*s != '\0') {
		while (*s != '\0' && !isalpha((unsigned char)*s))
			s++;
		for (n = 0; *s != '\0' && (isalpha((unsigned char)*s) ||
		    *s == '\''); s++)
			if (n + 1 < sizeof(word))
				word[n++] = (char)tolower((unsigned char)*s);
		if (n == 0)
			continue;
		word[n] = '\0';
		words++;
		for (i = 0; i < nitems(first); i++)
			if (strcmp(word, first[i]) == 0)
				personal++;
	}
	return (words < 8 ? 0.0 : (double)personal / (double)words);
}

/* 1 when s looks like one post of a thread: "1/5", "2/", a thread emoji. */
static int
ps_is_thread(const char *s)
{
	const char	*p;

	if (strstr(s, "\xf0\x9f\xa7\xb5") != NULL ||	/* U+1F9F5 thread */
	    strcasestr(s, "(thread)") != NULL || strcasestr(s, "a thread") !=
	    NULL)
		return (1);
	for (p = s; *p != '\0'; p++)
		if (isdigit((unsigned char)p[0]) && p[1] == '/' &&
		    (p[2] == '\0' || isspace((unsigned char)p[2]) ||
		    isdigit((unsigned char)p[2])) &&
		    (p == s || isspace((unsigned char)p[-1])))
			return (1);
	return (0);
}

/* 1 for a curated list ("awesome-x", "a curated list of ..."). */
static int
ps_is_list(const char *title, const char *content, const char *url)
{
	const char *const s[] = { title, content, url };
	size_t		   i;

	for (i = 0; i < nitems(s); i++) {
		if (s[i] == NULL)
			continue;
		if (strcasestr(s[i], "awesome-") != NULL ||
		    strcasestr(s[i], "awesome list") != NULL ||
		    strcasestr(s[i], "curated list") != NULL ||
		    strcasestr(s[i], "list of resources") != NULL)
			return (1);
	}
	return (0);
}

/* 1 when url points away from the aggregator the item came from. */
static int
ps_is_external(const char *source, const char *url)
{
	static const char *const own[] = { "news.ycombinator.com",
	    "reddit.com", "www.reddit.com", "old.reddit.com", "redd.it" };
	char	*host;
	size_t	 i;
	int	 ext = 1;

	if (source == NULL || url == NULL || (strcmp(source, "hackernews") != 0 &&
	    strcmp(source, "reddit") != 0))
		return (0);
	if ((host = url_host(url)) == NULL)
		return (0);
	for (i = 0; i < nitems(own); i++)
		if (strcmp(host, own[i]) == 0)
			ext = 0;
	free(host);
	return (ext);
}

double
prescore_compute(const struct prescore_input *in, char *why, size_t whylen)
{
	struct ps_terms	 t;
	const char	*content = in->pi_content != NULL ? in->pi_content : "";
	const char	*title = in->pi_title != NULL ? in->pi_title : "";
	size_t		 chars, links;
	double		 v;

	memset(&t, 0, sizeof(t));
	buf_init(&t.t_why);
	ps_add(&t, "base", PS_BASE);

	chars = utf8_len(content);
	v = PS_LENGTH_MAX * fmin(1.0, (double)chars / PS_LENGTH_FULL);
	ps_add(&t, "length", floor(v * 100.0 + 0.5) / 100.0);
	links = ps_count_links(content);
	ps_add(&t, "links", fmin(PS_LINK_MAX, PS_LINK_EACH * (double)links));
	if (ps_is_external(in->pi_source, in->pi_url))
		ps_add(&t, "article", PS_EXTERNAL);
	if (ps_has_code(content))
		ps_add(&t, "code", PS_CODE);
	if (in->pi_engagement > 0) {
		v = PS_ENGAGE_MAX * fmin(1.0, log10(1.0 + in->pi_engagement) /
		    PS_ENGAGE_DECADES);
		ps_add(&t, "engagement", floor(v * 100.0 + 0.5) / 100.0);
	}

	if (ps_personal_ratio(content) > 0.12)
		ps_add(&t, "personal", -PS_PERSONAL);
	if (ps_count_emoji(content) + ps_count_emoji(title) > 3)
		ps_add(&t, "emoji", -PS_EMOJI);
	if (ps_caps_ratio(content) > 0.6 || ps_caps_ratio(title) > 0.6)
		ps_add(&t, "capitals", -PS_CAPS);
	if (ps_is_thread(content))
		ps_add(&t, "thread", -PS_THREAD);
	if (ps_is_list(title, content, in->pi_url))
		ps_add(&t, "list", -PS_LIST_REPO);

	v = fmax(0.0, fmin(1.0, t.t_score));
	if (why != NULL && whylen > 0)
		(void)snprintf(why, whylen, "%.2f (%s)", v, buf_cstr(&t.t_why));
	buf_release(&t.t_why);
	return (v);
}

int
prescore_pass(double score, double threshold)
{
	return (score >= threshold);
}

/* metadata.key as a non-negative number, or 0. */
static double
ps_meta(struct json_object *meta, const char *key)
{
	struct json_object	*v;
	double			 d;

	if (meta == NULL || !json_object_object_get_ex(meta, key, &v))
		return (0);
	if (!json_object_is_type(v, json_type_int) &&
	    !json_object_is_type(v, json_type_double))
		return (0);
	d = json_object_get_double(v);
	return (isfinite(d) && d > 0 ? d : 0);
}

static const char *
ps_str(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return (NULL);
	return (json_object_get_string(v));
}

double
prescore_engagement(struct json_object *collected)
{
	struct json_object	*meta = NULL;

	if (collected == NULL ||
	    !json_object_object_get_ex(collected, "metadata", &meta) ||
	    !json_object_is_type(meta, json_type_object))
		return (0);
	return (ps_meta(meta, "score") + ps_meta(meta, "comments") +
	    ps_meta(meta, "num_comments") + ps_meta(meta, "favourites_count") +
	    ps_meta(meta, "reblogs_count") + ps_meta(meta, "replies_count") +
	    ps_meta(meta, "stars") + ps_meta(meta, "forks"));
}

double
prescore_collected(struct json_object *collected, char *why, size_t whylen)
{
	struct prescore_input	in;

	memset(&in, 0, sizeof(in));
	in.pi_title = ps_str(collected, "title");
	in.pi_content = ps_str(collected, "content");
	in.pi_url = ps_str(collected, "url");
	in.pi_source = ps_str(collected, "source");
	in.pi_engagement = prescore_engagement(collected);
	return (prescore_compute(&in, why, whylen));
}
