/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * gen.h: generate one article end to end: the model calls, the text rules,
 * the file.  The article job kind's handler (article.c) calls it, in
 * articlegen-worker or, in single-process mode, in articlegen itself.
 */
#ifndef GEN_H
#define GEN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "llm.h"

struct item;
struct pricing;

struct gen_settings {
	const char		*gs_model_content;	/* MODEL_CONTENT */
	const char		*gs_model_title;	/* MODEL_TITLE */
	const char		*gs_content_dir;
	const char		*gs_run_id;		/* GITHUB_RUN_ID or NULL */
	int64_t			 gs_now;		/* article date, epoch s */
	const char		*gs_replace_path;	/* --force target or NULL */
	const struct pricing	*gs_pricing;
	double			 gs_max_cost;		/* per article; 0: none */
	int			 gs_diagrams_max;	/* DIAGRAMS_MAX; 0: off */
	double			 gs_diagram_budget;	/* DIAGRAM_BUDGET_USD */
	const char		*gs_model_diagram;	/* NULL: content's */
	int			 gs_draft;		/* front matter draft: true */
	/* YAML lines of the replaced post's own keys, or NULL (keptfm.h) */
	const char		*gs_kept_fm;
	/* covers (covermake.h, docs/COVERS.md) */
	const char		*gs_cover_sources;	/* COVER_SOURCES */
	const char		*gs_static_dir;		/* STATIC_DIR */
	const char		*gs_model_image;	/* MODEL_IMAGE */
	const char		*gs_image_size;		/* IMAGE_SIZE */
	const char		*gs_image_quality;	/* IMAGE_QUALITY */
	const char		*gs_unsplash_url;	/* UNSPLASH_API_URL */
	/* UNSPLASH_ACCESS_KEY, from the environment; never on the wire */
	const char		*gs_unsplash_key;
};

/* One priced operation of an article (a model call, later an image...). */
struct gen_cost {
	char	*gc_op;			/* "content_generation", ... */
	char	*gc_model;
	double	 gc_amount;		/* USD */
	long	 gc_prompt_tokens;
	long	 gc_completion_tokens;
};

struct gen_result {
	char		*gr_path;	/* the article file written */
	char		*gr_file;	/* its base name */
	char		*gr_title;
	char		*gr_slug;
	size_t		 gr_words;
	int		 gr_minutes;
	struct gen_cost	*gr_costs;
	size_t		 gr_ncosts;
	double		 gr_cost;	/* sum of gr_costs */
	int		 gr_calls;	/* HTTP attempts made */
	int64_t		 gr_elapsed_ms;
	long		 gr_peak_rss_kb;	/* the worker's, when it reports it */
};

struct gen_error {
	char	ge_code[32];		/* as llm_error, or "write_failed"... */
	char	ge_message[512];
	int	ge_http_status;
	int	ge_retryable;
	int	ge_fatal;
	int	ge_calls;
	int	ge_exit;		/* the worker's exit code for it */
};

/* One HTTP attempt at the API, as its caller is told of it. */
struct api_call {
	const char	*ac_op;		/* "content", "title" */
	const char	*ac_model;
	int		 ac_status;	/* HTTP status; 0: no answer */
	long		 ac_prompt_tokens;
	long		 ac_completion_tokens;
	double		 ac_cost;	/* USD, priced once, here */
	int64_t		 ac_retry_after_ms;	/* -1: none asked */
};

/*
 * What the process running a generation sees of it and how it paces it.
 * Every member may be NULL.
 */
struct gen_hooks {
	void			*gh_arg;
	/* a stage starts: "content", "title", "writing" */
	void			(*gh_progress)(void *arg, const char *stage);
	/* before each HTTP attempt; -1 cancels the call */
	int			(*gh_before_call)(void *arg, const char *op,
				    long est_tokens);
	/* after each HTTP attempt, with what it cost */
	void			(*gh_call_done)(void *arg,
				    const struct api_call *call);
	/* about once a second while a call or a backoff is waiting */
	void			(*gh_tick)(void *arg);
	volatile sig_atomic_t	*gh_cancel;	/* non-zero: abort now */
};

/*
 * Generate and write the article for it.  client is the caller's (one per
 * process, reused across articles).  Returns 0 with res filled (release
 * with gen_result_release()), or -1 with err filled; on failure nothing
 * is written to the content directory.
 */
int	gen_article(struct llm_client *client, const struct item *it,
	    const struct gen_settings *gs, const struct gen_hooks *hooks,
	    struct gen_result *res, struct gen_error *err);
void	gen_result_release(struct gen_result *);

#endif /* GEN_H */
