/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * diagram.h: Mermaid diagrams for a generated article.  Picks the sections
 * that explain a structure, a flow or a comparison, asks the model for
 * one diagram per picked section, checks it (mermaid.h) and asks the
 * model to judge it, and inserts the diagrams that pass after their
 * section's first paragraph with a caption.  Every call is priced and
 * recorded, rejected diagrams included, and a per-article budget decides
 * before each call whether it may be made.  See docs/DIAGRAMS.md.
 */
#ifndef DIAGRAM_H
#define DIAGRAM_H

#include <stddef.h>

#include <json.h>

#include "llm.h"

struct pricing;
struct render_cost;

#define DIAGRAM_OP_GENERATION	"diagram_generation"	/* cost and llm op */
#define DIAGRAM_OP_VALIDATION	"diagram_validation"

#define DIAGRAM_SCORE_MIN	3	/* a section below this is never picked */
#define DIAGRAM_MIN_WORDS	40	/* nor one with fewer words of text */
#define DIAGRAM_SECTION_MAX	6000	/* bytes of section text in a prompt */
#define DIAGRAM_NODES_MAX	15	/* what the prompt asks for */

/* Output caps; reasoning models spend part of theirs on reasoning. */
#define DIAGRAM_GEN_MAX_TOKENS			900
#define DIAGRAM_GEN_MAX_TOKENS_REASONING	6000
#define DIAGRAM_VAL_MAX_TOKENS			200
#define DIAGRAM_VAL_MAX_TOKENS_REASONING	3000
/* Bytes a validation prompt adds to its section and diagram, at most. */
#define DIAGRAM_VAL_OVERHEAD			1200

/* The phrases the stand-in server recognises (docs/STANDIN.md). */
#define DIAGRAM_GEN_PHRASE	"Write one Mermaid diagram"
#define DIAGRAM_VAL_PHRASE	"Judge the Mermaid diagram"

/* One "##" or "###" section of an article body (offsets into the body). */
struct diagram_section {
	char	*ds_title;	/* heading text without the #s; owned */
	size_t	 ds_start;	/* the heading line */
	size_t	 ds_text;	/* the line after the heading */
	size_t	 ds_end;	/* the next heading of level <= 3, or the end */
	int	 ds_level;	/* 2 or 3 */
	int	 ds_score;	/* diagram_section_score() */
	int	 ds_has_mermaid; /* its text holds a ```mermaid block */
};

/*
 * Split body into its "##" and "###" sections (headings inside fenced
 * code are text) and score each.  Text before the first such heading is
 * no section.  Returns the count and *out (owned: diagram_sections_free();
 * NULL when there is none).
 */
size_t	 diagram_sections(const char *body, struct diagram_section **out);
void	 diagram_sections_free(struct diagram_section *, size_t);

/*
 * How much a section explains a structure, a flow or a comparison:
 * keywords in the heading (3 points each, at most 6) and in the text (1
 * each, at most 4), a numbered list of three or more steps (3), a table
 * with two or more rows (3), "->" or "=>" arrows in the prose (2).  0 for
 * a section with fewer than DIAGRAM_MIN_WORDS words of prose, one that
 * already holds a Mermaid block, and the article's takeaways, summary,
 * conclusion, references and further reading.
 */
int	 diagram_section_score(const char *body, const struct diagram_section *);

/*
 * Choose up to max sections to illustrate: the best scores of at least
 * DIAGRAM_SCORE_MIN (the earlier section on a tie), never one with a
 * Mermaid block.  Writes their indexes into picked (room for max) in
 * document order; returns how many.
 */
size_t	 diagram_pick(const struct diagram_section *, size_t n, size_t max,
	    size_t *picked);

/*
 * The prompts of the generation call (it contains DIAGRAM_GEN_PHRASE) and
 * of the validation call (DIAGRAM_VAL_PHRASE) for section sec of body.
 * Owned by the caller.
 */
char	*diagram_prompt(const char *body, const struct diagram_section *sec);
char	*diagram_validation_prompt(const char *body,
	    const struct diagram_section *sec, const char *code);

/*
 * Fill call for the generation (validation 0) or the validation call
 * (validation 1): op, model, the prompt (borrowed), output cap and
 * temperature.  reasoning: the model spends output tokens on reasoning.
 */
void	 diagram_call_init(struct llm_call *call, int validation,
	    const char *model, int reasoning, const char *prompt);
/*
 * The response_format of the validation call: a strict json_schema for
 * {"ok": boolean, "reason": string}.  Owned (json_object_put()).
 */
struct json_object *diagram_response_format(void);
/*
 * The Chat Completions body of call as llm_openai_body() writes it, with
 * the response_format added for a validation call.  Owned.
 */
struct json_object *diagram_request_body(const struct llm_call *call,
	    int validation);

/*
 * The model's verdict: a JSON object {"ok": bool, "reason": string},
 * alone, fenced (```json) or surrounded by text.  Returns 0 with *ok and
 * reason (may be "") set, or -1 when the reply holds no such object.
 */
int	 diagram_parse_verdict(const char *reply, int *ok, char *reason,
	    size_t reasonlen);

/*
 * Where a diagram goes in sec: after the first paragraph when the
 * section opens with prose, else straight after the heading line.  An
 * offset into body at the start of a line (or body's end).
 */
size_t	 diagram_insert_point(const char *body,
	    const struct diagram_section *sec);
/*
 * body with, at offset at, a ```mermaid fence holding code and the line
 * "*Figure N: caption*", blank lines around both.  A NULL or empty
 * caption is not allowed: pass the section title.  Owned.
 */
char	*diagram_insert(const char *body, size_t at, const char *code,
	    const char *caption, int figure);

/* One recorded diagram call. */
struct diagram_cost {
	char	*dc_op;			/* DIAGRAM_OP_* */
	char	*dc_model;
	long	 dc_prompt_tokens;
	long	 dc_completion_tokens;
	double	 dc_amount;		/* USD */
};

/*
 * The money side of an article's diagrams.  The caller owns the struct:
 * diagram_budget_init() and diagram_budget_release().
 */
struct diagram_budget {
	const struct pricing	*db_pricing;	/* borrowed */
	double			 db_limit;	/* USD, when db_capped */
	int			 db_capped;
	int			 db_max;	/* generation calls allowed */
	int			 db_generations;	/* made */
	int			 db_stopped;	/* a call was refused: no more */
	double			 db_spent;
	struct diagram_cost	*db_calls;
	size_t			 db_ncalls;
};

/*
 * Start a budget of max_diagrams generation calls costing at most
 * diagram_usd (DIAGRAM_BUDGET_USD) and at most what is left of the
 * article's cap (MAX_COST_PER_ARTICLE minus article_spent).  A usd or
 * cap of 0 is no limit.
 */
void	 diagram_budget_init(struct diagram_budget *, const struct pricing *,
	    double diagram_usd, double article_cap, double article_spent,
	    int max_diagrams);
void	 diagram_budget_release(struct diagram_budget *);
/*
 * The most a call can cost: its prompt at about 4 bytes a token and
 * max_tokens of output.  0 for a model without a price.
 */
double	 diagram_estimate(const struct pricing *, const char *model,
	    size_t prompt_bytes, int max_tokens);
/*
 * 1 when a generation call (gen_prompt_bytes long) may be made: fewer
 * than max made, and it and the validation of its largest answer
 * (gen_prompt_bytes + 4 * gen_max_tokens + DIAGRAM_VAL_OVERHEAD bytes of
 * prompt) fit in what is left.  0 otherwise, and from then on for every call.
 */
int	 diagram_budget_may_generate(struct diagram_budget *, const char *model,
	    size_t gen_prompt_bytes, int gen_max_tokens, int val_max_tokens);
/* The same for a validation call. */
int	 diagram_budget_may_validate(struct diagram_budget *, const char *model,
	    size_t val_prompt_bytes, int val_max_tokens);
/* Record a call that was made (generation or validation) and its cost. */
void	 diagram_budget_record(struct diagram_budget *, const char *op,
	    const char *model, long prompt_tokens, long completion_tokens);
/*
 * The recorded calls as render_cost entries for the front matter's
 * generation_costs: *out (owned, free(); the strings are borrowed from
 * the budget).  Returns the count.
 */
size_t	 diagram_render_costs(const struct diagram_budget *,
	    struct render_cost **out);

/* What happened to one picked section. */
enum diagram_outcome {
	DIAGRAM_INSERTED = 0,
	DIAGRAM_NO_CODE,	/* the reply held no diagram */
	DIAGRAM_INVALID,	/* mermaid_check() refused it */
	DIAGRAM_REJECTED,	/* the model's verdict, or no verdict */
	DIAGRAM_NO_BUDGET,	/* a call did not fit: not made */
	DIAGRAM_CALL_FAILED,	/* a call failed (not fatally) */
};

struct diagram_attempt {
	char			*da_section;	/* owned heading text */
	enum diagram_outcome	 da_outcome;
	char			 da_reason[256];
};

struct diagram_report {
	struct diagram_attempt	*dr_attempts;	/* one per picked section */
	size_t			 dr_nattempts;
	int			 dr_inserted;	/* illustrations_count */
};

void	 diagram_report_release(struct diagram_report *);
const char *diagram_outcome_name(enum diagram_outcome);

/* The diagram settings of a run. */
struct diagram_settings {
	const char	*dg_model;	/* MODEL_DIAGRAM */
	int		 dg_max;	/* DIAGRAMS_MAX; 0: no diagram */
	int		 dg_reasoning;	/* dg_model reasons (bigger caps) */
};

/*
 * The whole step: pick, generate, check, judge and insert, through
 * client with hooks (may be NULL), spending from budget (initialised by
 * the caller with dg_max) and recording in report (zeroed by the caller;
 * release it with diagram_report_release()).  Each diagram not inserted
 * is logged at info level.  A call that fails without being fatal ends
 * the step (no further diagram call) but not the article.  Returns 0
 * with *out_body (owned) the body with the diagrams that passed, or -1
 * with err filled when a call failed fatally or was cancelled: the
 * article must stop as for any other call (costs recorded so far stay in
 * budget).
 */
int	 diagram_illustrate(struct llm_client *client,
	    const struct llm_hooks *hooks, const char *body,
	    const struct diagram_settings *, struct diagram_budget *budget,
	    struct diagram_report *report, char **out_body,
	    struct llm_error *err);

#endif /* DIAGRAM_H */
