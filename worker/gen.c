/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * gen.c: the article pipeline.  An article is a list of steps, each of
 * which may call the model and record what it cost; then the text rules
 * run and the file is rendered and published.  New per-article calls
 * (illustrations, covers, link checks) are new entries in the steps
 * table.  Every HTTP attempt is priced here, once (price_call()): the
 * article's costs and the caller's gh_call_done hook get that amount.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cover.h"
#include "covermake.h"
#include "diagram.h"
#include "gen.h"
#include "htmlsafe.h"
#include "item.h"
#include "llm.h"
#include "log.h"
#include "pricing.h"
#include "prompt.h"
#include "publish.h"
#include "render.h"
#include "route.h"
#include "slug.h"
#include "text.h"
#include "util.h"
#include "xmalloc.h"

/* Output caps.  gpt-5 and o-series models spend part of it on reasoning. */
#define CONTENT_MAX_TOKENS		2000
#define CONTENT_MAX_TOKENS_REASONING	16000
#define TITLE_MAX_TOKENS		50
#define TITLE_MAX_TOKENS_REASONING	2000

struct gen_step;

struct gen_ctx {
	struct llm_client		*c_client;
	const struct gen_step		*c_step;	/* the one running */
	double				 c_last_cost;	/* last attempt's */
	const struct item		*c_item;
	const struct gen_settings	*c_gs;
	const struct gen_hooks		*c_hooks;
	enum route_generator		 c_route;
	char				*c_raw;		/* content reply */
	char				*c_body;	/* cleaned */
	char				*c_title;
	struct gen_result		*c_res;
	int				 c_illustrations; /* diagrams in */
	size_t				 c_diagram_words; /* words they add */
	struct cover_made		 c_cover;	/* written, or empty */
	double				 c_image_price;	/* of one image call */
	struct llm_error		 c_lerr;	/* why the cover stopped */
};

struct gen_step {
	const char	*s_stage;	/* progress stage and llm op */
	const char	*s_cost_op;	/* generation_costs key */
	int		(*s_run)(struct gen_ctx *, struct gen_error *);
};

static int	step_content(struct gen_ctx *, struct gen_error *);
static int	step_title(struct gen_ctx *, struct gen_error *);
static int	step_diagrams(struct gen_ctx *, struct gen_error *);
static int	step_safety(struct gen_ctx *, struct gen_error *);
static int	step_cover(struct gen_ctx *, struct gen_error *);

#define OP_IMAGE_GENERATION	"image_generation"

static const struct gen_step steps[] = {
	{ "content", "content_generation", step_content },
	{ "title", "title_generation", step_title },
	{ "diagrams", DIAGRAM_OP_GENERATION, step_diagrams },
	{ "safety", NULL, step_safety },
	{ "cover", OP_IMAGE_GENERATION, step_cover },
};

static int
is_reasoning_model(const char *model)
{
	return (strncmp(model, "gpt-5", 5) == 0 || strncmp(model, "o1", 2) ==
	    0 || strncmp(model, "o3", 2) == 0 || strncmp(model, "o4", 2) == 0);
}

/* Warn once per process about each unpriced model. */
static int
already_warned(const char *model)
{
	static char	warned[8][64];
	static size_t	nwarned;
	size_t		i;

	for (i = 0; i < nwarned; i++)
		if (strcmp(warned[i], model) == 0)
			return (1);
	if (nwarned < nitems(warned))
		(void)strlcpy(warned[nwarned++], model, sizeof(warned[0]));
	return (0);
}

/* The price of one HTTP attempt in USD (0 for a model without a price). */
static double
price_call(const struct gen_ctx *c, const char *model, long prompt_tokens,
    long completion_tokens)
{
	double	cost;
	int	known = 1;

	if (prompt_tokens == 0 && completion_tokens == 0)
		return (0);
	cost = pricing_text_cost(c->c_gs->gs_pricing, model, prompt_tokens,
	    completion_tokens, &known);
	if (!known && !already_warned(model))
		log_warnx("model '%s' has no price in the pricing table; its "
		    "cost counts as 0", model);
	return (cost);
}

/* llm hooks -> gen hooks: each attempt is priced, then reported. */
static int
llm_before_call(void *arg, const char *op, long est_tokens)
{
	struct gen_ctx	*c = arg;

	if (c->c_hooks->gh_before_call == NULL)
		return (0);
	return (c->c_hooks->gh_before_call(c->c_hooks->gh_arg, op,
	    est_tokens));
}

static void
llm_after_call(void *arg, const char *op, const char *model, int status,
    long prompt_tokens, long completion_tokens, int64_t retry_after_ms)
{
	struct gen_ctx	*c = arg;
	struct api_call	 call;

	if (strcmp(op, OP_IMAGE_GENERATION) == 0)	/* priced per image */
		c->c_last_cost = status == 200 ? c->c_image_price : 0;
	else
		c->c_last_cost = price_call(c, model, prompt_tokens,
		    completion_tokens);
	if (c->c_hooks->gh_call_done == NULL)
		return;
	call.ac_op = op;
	call.ac_model = model;
	call.ac_status = status;
	call.ac_prompt_tokens = prompt_tokens;
	call.ac_completion_tokens = completion_tokens;
	call.ac_cost = c->c_last_cost;
	call.ac_retry_after_ms = retry_after_ms;
	c->c_hooks->gh_call_done(c->c_hooks->gh_arg, &call);
}

static void
llm_tick(void *arg)
{
	struct gen_ctx	*c = arg;

	if (c->c_hooks->gh_tick != NULL)
		c->c_hooks->gh_tick(c->c_hooks->gh_arg);
}

/* The llm hooks of c's calls: each attempt priced, then reported. */
static void
llm_hooks_of(struct gen_ctx *c, struct llm_hooks *h)
{
	memset(h, 0, sizeof(*h));
	h->h_arg = c;
	h->h_before_call = llm_before_call;
	h->h_after_call = llm_after_call;
	h->h_tick = llm_tick;
	h->h_cancel = c->c_hooks->gh_cancel;
}

/* Record the answered call as one of the article's priced operations. */
static void
add_cost(struct gen_ctx *c, const char *op, const char *model,
    long prompt_tokens, long completion_tokens, double amount)
{
	struct gen_result	*r = c->c_res;
	struct gen_cost		*gc;

	r->gr_costs = xreallocarray(r->gr_costs, r->gr_ncosts + 1,
	    sizeof(*r->gr_costs));
	gc = &r->gr_costs[r->gr_ncosts++];
	gc->gc_op = xstrdup(op);
	gc->gc_model = xstrdup(model);
	gc->gc_prompt_tokens = prompt_tokens;
	gc->gc_completion_tokens = completion_tokens;
	gc->gc_amount = amount;
	r->gr_cost += gc->gc_amount;
}

static void
err_from_llm(struct gen_error *err, const struct llm_error *le,
    const char *what)
{
	(void)strlcpy(err->ge_code, le->e_code, sizeof(err->ge_code));
	(void)snprintf(err->ge_message, sizeof(err->ge_message),
	    "%s call: %.480s", what, le->e_message);
	err->ge_http_status = le->e_http_status;
	err->ge_retryable = le->e_retryable ||
	    strcmp(le->e_code, "cancelled") == 0;
	err->ge_fatal = le->e_fatal;
	if (le->e_fatal)
		err->ge_exit = EXIT_UNAVAILABLE;
	else if (le->e_retryable || strcmp(le->e_code, "cancelled") == 0)
		err->ge_exit = EXIT_TEMPFAIL;
	else
		err->ge_exit = EXIT_DATAERR;
}

/*
 * One model call for the running step (its stage names the call, its
 * cost_op the cost); prompt is moved in; the reply is owned by *out.
 */
static int
call_model(struct gen_ctx *c, const char *model, char *prompt,
    int max_tokens, double temperature, char **out, struct gen_error *err)
{
	struct llm_call		call;
	struct llm_reply	reply;
	struct llm_error	lerr;
	struct llm_hooks	hooks;
	const char		*op = c->c_step->s_stage;
	int			ret;

	memset(&call, 0, sizeof(call));
	call.c_op = op;
	call.c_model = model;
	call.c_prompt = prompt;
	call.c_max_tokens = max_tokens;
	call.c_temperature = temperature;
	llm_hooks_of(c, &hooks);
	c->c_last_cost = 0;
	ret = llm_complete(c->c_client, &call, &hooks, &reply, &lerr);
	free(prompt);
	if (ret == -1) {
		err_from_llm(err, &lerr, op);
		return (-1);
	}
	add_cost(c, c->c_step->s_cost_op, model, reply.r_prompt_tokens,
	    reply.r_completion_tokens, c->c_last_cost);
	if (c->c_gs->gs_max_cost > 0 && c->c_res->gr_cost >
	    c->c_gs->gs_max_cost) {
		(void)strlcpy(err->ge_code, "cost_limit", sizeof(err->ge_code));
		(void)snprintf(err->ge_message, sizeof(err->ge_message),
		    "article cost $%.6f exceeds MAX_COST_PER_ARTICLE $%.6f "
		    "after the %s call", c->c_res->gr_cost,
		    c->c_gs->gs_max_cost, op);
		err->ge_exit = EXIT_DATAERR;
		llm_reply_release(&reply);
		return (-1);
	}
	*out = reply.r_content;
	reply.r_content = NULL;
	llm_reply_release(&reply);
	return (0);
}

static int
step_content(struct gen_ctx *c, struct gen_error *err)
{
	const char	*model = c->c_gs->gs_model_content;
	int		 general = c->c_route == ROUTE_GENERAL;

	if (call_model(c, model,
	    prompt_content(c->c_item, c->c_route), is_reasoning_model(model) ?
	    CONTENT_MAX_TOKENS_REASONING : CONTENT_MAX_TOKENS + (general ? 0 :
	    500), general ? 0.6 : 0.7, &c->c_raw, err) == -1)
		return (-1);
	c->c_body = render_clean_body(c->c_raw, c->c_route);
	if (c->c_body[0] == '\0') {
		(void)strlcpy(err->ge_code, "empty_reply",
		    sizeof(err->ge_code));
		(void)snprintf(err->ge_message, sizeof(err->ge_message),
		    "content call: nothing left of the reply after removing "
		    "headings and quotes");
		err->ge_exit = EXIT_DATAERR;
		return (-1);
	}
	if (text_word_count(c->c_body) < ARTICLE_MIN_WORDS) {
		(void)strlcpy(err->ge_code, "too_short", sizeof(err->ge_code));
		(void)snprintf(err->ge_message, sizeof(err->ge_message),
		    "content call: too short: %zu words, an article has at "
		    "least %d", text_word_count(c->c_body), ARTICLE_MIN_WORDS);
		err->ge_exit = EXIT_DATAERR;
		return (-1);
	}
	return (0);
}

static int
step_title(struct gen_ctx *c, struct gen_error *err)
{
	const char	*model = c->c_gs->gs_model_title;
	char		*raw = NULL;

	if (call_model(c, model,
	    prompt_title(c->c_item, c->c_body), is_reasoning_model(model) ?
	    TITLE_MAX_TOKENS_REASONING : TITLE_MAX_TOKENS, 0.4, &raw,
	    err) == -1)
		return (-1);
	c->c_title = text_clean_title(raw);
	free(raw);
	if (c->c_title[0] == '\0') {
		(void)strlcpy(err->ge_code, "empty_reply",
		    sizeof(err->ge_code));
		(void)snprintf(err->ge_message, sizeof(err->ge_message),
		    "title call: the reply holds no usable title");
		err->ge_exit = EXIT_DATAERR;
		return (-1);
	}
	return (0);
}

/*
 * Mermaid diagrams for the sections that explain a structure, a flow or a
 * comparison (docs/DIAGRAMS.md).  Every diagram call made is recorded as
 * one of the article's costs, whether its diagram went in or not.  A
 * diagram that fails its checks, or a call that fails without being
 * fatal, leaves the body as it was; only a fatal API error, a shutdown
 * or MAX_COST_PER_ARTICLE exceeded fail the article.
 */
static int
step_diagrams(struct gen_ctx *c, struct gen_error *err)
{
	const struct gen_settings	*gs = c->c_gs;
	struct diagram_settings		 ds;
	struct diagram_budget		 db;
	struct diagram_report		 dr;
	struct llm_error		 lerr;
	struct llm_hooks		 hooks;
	const struct diagram_cost	*dc;
	char				*body = NULL;
	size_t				 i, before, after;
	int				 ret;

	if (gs->gs_diagrams_max <= 0)
		return (0);
	memset(&ds, 0, sizeof(ds));
	ds.dg_model = gs->gs_model_diagram != NULL &&
	    gs->gs_model_diagram[0] != '\0' ? gs->gs_model_diagram :
	    gs->gs_model_content;
	ds.dg_max = gs->gs_diagrams_max;
	ds.dg_reasoning = is_reasoning_model(ds.dg_model);
	diagram_budget_init(&db, gs->gs_pricing, gs->gs_diagram_budget,
	    gs->gs_max_cost, c->c_res->gr_cost, ds.dg_max);
	memset(&dr, 0, sizeof(dr));
	llm_hooks_of(c, &hooks);
	ret = diagram_illustrate(c->c_client, &hooks, c->c_body, &ds, &db,
	    &dr, &body, &lerr);
	for (i = 0; i < db.db_ncalls; i++) {	/* every call, refused or not */
		dc = &db.db_calls[i];
		/* priced once, by the budget that counted it */
		add_cost(c, dc->dc_op, dc->dc_model, dc->dc_prompt_tokens,
		    dc->dc_completion_tokens, dc->dc_amount);
	}
	if (ret == -1)
		err_from_llm(err, &lerr, "diagram");
	else if (gs->gs_max_cost > 0 && c->c_res->gr_cost > gs->gs_max_cost) {
		(void)strlcpy(err->ge_code, "cost_limit", sizeof(err->ge_code));
		(void)snprintf(err->ge_message, sizeof(err->ge_message),
		    "article cost $%.6f exceeds MAX_COST_PER_ARTICLE $%.6f "
		    "after the diagram calls", c->c_res->gr_cost,
		    gs->gs_max_cost);
		err->ge_exit = EXIT_DATAERR;
		ret = -1;
	} else {
		/* word_count and the reading time are the prose's */
		before = text_word_count(c->c_body);
		after = text_word_count(body);
		c->c_diagram_words = after > before ? after - before : 0;
		free(c->c_body);
		c->c_body = body;
		body = NULL;
		c->c_illustrations = dr.dr_inserted;
	}
	free(body);
	diagram_report_release(&dr);
	diagram_budget_release(&db);
	return (ret);
}

/*
 * Make the body safe to render with raw HTML on (htmlsafe.h): what the
 * model or a source wrote can carry scripts, frames, forms, event
 * handlers and javascript: links.  A body that cannot be made safe
 * (libxml2 missing, no memory, too large) fails the article.
 */
static int
step_safety(struct gen_ctx *c, struct gen_error *err)
{
	struct htmlsafe_stats	 st;
	char			*safe;

	memset(&st, 0, sizeof(st));
	safe = htmlsafe_markdown(c->c_body, strlen(c->c_body), &st);
	if (safe == NULL) {
		(void)strlcpy(err->ge_code, "unsafe_body",
		    sizeof(err->ge_code));
		if (errno == ELIBACC) {
			(void)snprintf(err->ge_message,
			    sizeof(err->ge_message), "raw HTML cannot be "
			    "checked: libxml2 cannot be loaded");
			err->ge_fatal = 1;
			err->ge_exit = EXIT_UNAVAILABLE;
		} else {
			(void)snprintf(err->ge_message,
			    sizeof(err->ge_message), "raw HTML cannot be "
			    "checked: %s", strerror(errno));
			err->ge_exit = errno == EFBIG ? EXIT_DATAERR :
			    EXIT_TEMPFAIL;
			err->ge_retryable = errno == ENOMEM;
		}
		return (-1);
	}
	if (st.hs_elements + st.hs_attributes + st.hs_urls + st.hs_other > 0)
		log_info("raw HTML made safe: %zu elements, %zu attributes, "
		    "%zu links removed, %zu other", st.hs_elements,
		    st.hs_attributes, st.hs_urls, st.hs_other);
	free(c->c_body);
	c->c_body = safe;
	return (0);
}

/* "<date>-<slug>", or the replaced post's name without ".md". */
static char *
article_stem(const struct gen_ctx *c)
{
	const char	*rp = c->c_gs->gs_replace_path, *base;
	char		 date[16], *stem, *slug;
	size_t		 len;

	if (rp != NULL) {
		base = strrchr(rp, '/');
		base = base != NULL ? base + 1 : rp;
		len = strlen(base);
		if (len > 3 && strcmp(base + len - 3, ".md") == 0)
			len -= 3;
		return (xstrndup(base, len));
	}
	format_utc_date(date, sizeof(date), c->c_gs->gs_now);
	slug = c->c_res->gr_slug != NULL ? NULL : slug_from_title(c->c_title);
	xasprintf(&stem, "%s-%s", date, slug != NULL ? slug :
	    c->c_res->gr_slug);
	free(slug);
	return (stem);
}

/* 1 when the replaced post's kept keys hold its own cover. */
static int
kept_cover(const struct gen_settings *gs)
{
	const char	*p = gs->gs_kept_fm;

	for (; p != NULL && *p != '\0'; p = strchr(p, '\n'), p = p != NULL ?
	    p + 1 : NULL)
		if (strncmp(p, "cover:", 6) == 0)
			return (1);
	return (0);
}

/*
 * The images API call of the cover step (covermake.h's cr_images): made
 * only when its price fits in MAX_COST_PER_ARTICLE; each attempt is
 * reported, an answered one recorded as an image_generation cost.
 */
static int
cover_images_call(void *arg, const char *body, char **out, size_t *outlen,
    char *errbuf, size_t errlen)
{
	struct gen_ctx			*c = arg;
	const struct gen_settings	*gs = c->c_gs;
	struct llm_hooks		 hooks;
	char				 preset[128];
	double				 price;

	(void)snprintf(preset, sizeof(preset), "%s-%s-%s",
	    gs->gs_model_image, gs->gs_image_quality != NULL ?
	    gs->gs_image_quality : "standard", gs->gs_image_size != NULL ?
	    gs->gs_image_size : COVER_IMAGES_SIZE);
	price = pricing_image_cost(gs->gs_pricing, preset);
	if (price < 0) {
		if (!already_warned(preset))
			log_warnx("image '%s' has no price in the pricing "
			    "table; its cost counts as 0", preset);
		price = 0;
	}
	if (gs->gs_max_cost > 0 && c->c_res->gr_cost + price >
	    gs->gs_max_cost) {
		(void)snprintf(errbuf, errlen, "an image ($%.4f) would take "
		    "the article over MAX_COST_PER_ARTICLE $%.4f", price,
		    gs->gs_max_cost);
		return (1);
	}
	llm_hooks_of(c, &hooks);
	c->c_image_price = price;
	if (llm_images(c->c_client, OP_IMAGE_GENERATION, gs->gs_model_image,
	    body, COVER_REPLY_MAX, &hooks, out, outlen, &c->c_lerr) == -1) {
		(void)strlcpy(errbuf, c->c_lerr.e_message, errlen);
		return (strcmp(c->c_lerr.e_code, "cancelled") == 0 ? -2 : -1);
	}
	add_cost(c, OP_IMAGE_GENERATION, gs->gs_model_image, 0, 0, price);
	return (0);
}

/*
 * The cover (covermake.h): the first of COVER_SOURCES that gives one is
 * written to the static directory.  No cover is not an error: the
 * article is written without one.  Only a shutdown during the images
 * call stops the article.  A replaced post that has its own cover keeps
 * it and gets no new one.
 */
static int
step_cover(struct gen_ctx *c, struct gen_error *err)
{
	const struct gen_settings	*gs = c->c_gs;
	struct cover_request		 cr;
	char				 errbuf[512], *stem, *query = NULL;
	int				 ret;

	if (gs->gs_cover_sources == NULL || kept_cover(gs))
		return (0);
	memset(&cr, 0, sizeof(cr));
	stem = article_stem(c);
	cr.cr_sources = gs->gs_cover_sources;
	cr.cr_static_dir = gs->gs_static_dir != NULL ? gs->gs_static_dir :
	    "static";
	cr.cr_stem = stem;
	cr.cr_title = c->c_title;
	cr.cr_seed = c->c_item->it_id != NULL ? c->c_item->it_id :
	    c->c_item->it_url;
	if (c->c_item->it_ntopics > 0)
		query = text_tag(c->c_item->it_topics[0]);
	cr.cr_query = query;
	cr.cr_model_image = gs->gs_model_image != NULL ? gs->gs_model_image :
	    "dall-e-3";
	cr.cr_image_size = gs->gs_image_size;
	cr.cr_image_quality = gs->gs_image_quality;
	cr.cr_unsplash_url = gs->gs_unsplash_url;
	cr.cr_unsplash_key = gs->gs_unsplash_key;
	cr.cr_images = cover_images_call;
	cr.cr_images_arg = c;
	ret = cover_make(&cr, &c->c_cover, errbuf, sizeof(errbuf));
	free(stem);
	free(query);
	if (ret == -2) {
		err_from_llm(err, &c->c_lerr, "image");
		return (-1);
	}
	if (ret == -1)
		log_warnx("article written without a cover: %s", errbuf);
	return (0);
}

/*
 * Render the article file and publish it into the content directory;
 * fills the rest of the result.  0, or -1 with err set (nothing written).
 */
static int
render_and_publish(struct gen_ctx *c, struct gen_error *err)
{
	struct render_input	 in;
	struct render_cost	*rc;
	struct gen_result	*r = c->c_res;
	char			 errbuf[512];
	char			*summary, *text, *stem, *path, *plain;
	const char		*base;
	size_t			 i;
	int			 ret;

	r->gr_title = xstrdup(c->c_title);
	r->gr_slug = slug_from_title(c->c_title);
	r->gr_words = text_word_count(c->c_body);
	if (r->gr_words > c->c_diagram_words)	/* the prose's words */
		r->gr_words -= c->c_diagram_words;
	r->gr_minutes = text_reading_minutes(r->gr_words);
	plain = text_plain_markdown(c->c_body);
	summary = text_summary(plain, SUMMARY_MAX);
	free(plain);
	rc = xreallocarray(NULL, r->gr_ncosts + 1, sizeof(*rc));
	for (i = 0; i < r->gr_ncosts; i++) {
		rc[i].rc_op = r->gr_costs[i].gc_op;
		rc[i].rc_amount = r->gr_costs[i].gc_amount;
	}
	memset(&in, 0, sizeof(in));
	in.ri_item = c->c_item;
	in.ri_title = c->c_title;
	in.ri_body = c->c_body;
	in.ri_summary = summary;
	in.ri_words = r->gr_words;
	in.ri_minutes = r->gr_minutes;
	in.ri_generator = route_name(c->c_route);
	in.ri_model_content = c->c_gs->gs_model_content;
	in.ri_model_title = c->c_gs->gs_model_title;
	in.ri_run_id = c->c_gs->gs_run_id;
	in.ri_date = c->c_gs->gs_now;
	in.ri_costs = rc;
	in.ri_ncosts = r->gr_ncosts;
	in.ri_illustrations = c->c_illustrations;
	in.ri_draft = c->c_gs->gs_draft;
	in.ri_kept_fm = c->c_gs->gs_kept_fm;
	in.ri_cover_fm = c->c_cover.cm_front_matter;
	text = render_article(&in, c->c_raw);
	free(rc);
	free(summary);

	stem = article_stem(c);
	ret = publish_article(c->c_gs->gs_content_dir, stem, text,
	    strlen(text), c->c_gs->gs_replace_path, &path, errbuf,
	    sizeof(errbuf));
	free(stem);
	free(text);
	if (ret == -1) {
		(void)strlcpy(err->ge_code, "write_failed",
		    sizeof(err->ge_code));
		(void)strlcpy(err->ge_message, errbuf, sizeof(err->ge_message));
		err->ge_exit = EXIT_CANTCREAT;
		return (-1);
	}
	r->gr_path = path;
	base = strrchr(path, '/');
	r->gr_file = xstrdup(base != NULL ? base + 1 : path);
	return (0);
}

int
gen_article(struct llm_client *client, const struct item *it,
    const struct gen_settings *gs, const struct gen_hooks *hooks,
    struct gen_result *res, struct gen_error *err)
{
	struct gen_ctx	c;
	int64_t		start = monotime_ms();
	int		calls0 = llm_client_attempts(client);
	size_t		i;
	int		ret = -1;

	memset(res, 0, sizeof(*res));
	memset(err, 0, sizeof(*err));
	memset(&c, 0, sizeof(c));
	c.c_client = client;
	c.c_item = it;
	c.c_gs = gs;
	c.c_hooks = hooks;
	c.c_res = res;
	c.c_route = route_pick(it);
	for (i = 0; i < nitems(steps); i++) {
		if (hooks->gh_progress != NULL)
			hooks->gh_progress(hooks->gh_arg, steps[i].s_stage);
		c.c_step = &steps[i];
		if (steps[i].s_run(&c, err) == -1)
			goto done;
	}
	if (hooks->gh_progress != NULL)
		hooks->gh_progress(hooks->gh_arg, "writing");
	c.c_step = NULL;
	ret = render_and_publish(&c, err);
done:
	res->gr_calls = llm_client_attempts(client) - calls0;
	res->gr_elapsed_ms = monotime_ms() - start;
	if (ret == -1) {
		err->ge_calls = res->gr_calls;
		gen_result_release(res);
	}
	if (ret == -1)		/* a cover for no article */
		cover_made_unlink(&c.c_cover);
	cover_made_release(&c.c_cover);
	free(c.c_raw);
	free(c.c_body);
	free(c.c_title);
	return (ret);
}

void
gen_result_release(struct gen_result *r)
{
	size_t	i;

	free(r->gr_path);
	free(r->gr_file);
	free(r->gr_title);
	free(r->gr_slug);
	for (i = 0; i < r->gr_ncosts; i++) {
		free(r->gr_costs[i].gc_op);
		free(r->gr_costs[i].gc_model);
	}
	free(r->gr_costs);
	memset(r, 0, sizeof(*r));
}
