/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * llm.h: one chat call to an LLM API, with the run's single retry layer.
 *
 * The wire format is chosen by a provider (struct llm_provider); the only
 * one today is the OpenAI-compatible Chat Completions API, which OpenAI,
 * Ollama, vLLM and llama.cpp's server all speak.  Another provider (for
 * example Anthropic's Messages API) adds a table entry, not a new caller.
 */
#ifndef LLM_H
#define LLM_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

#define LLM_BODY_MAX		(8 * 1024 * 1024)
#define LLM_RETRY_AFTER_MAX_MS	(60 * 1000)

struct llm_call {
	const char	*c_op;		/* "content", "title": for logs and hooks */
	const char	*c_model;
	const char	*c_prompt;	/* one user message */
	int		 c_max_tokens;	/* output cap (reasoning included for gpt-5) */
	double		 c_temperature;	/* < 0: leave to the server */
	/* the request's response_format, or NULL; borrowed */
	struct json_object *lc_response_format;
};

struct llm_reply {
	char		*r_content;	/* owned; trimmed of nothing */
	long		 r_prompt_tokens;
	long		 r_completion_tokens;
	char		*r_finish_reason; /* owned, may be NULL */
};

struct llm_error {
	char		 e_code[32];	/* "http_500", "timeout", "insufficient_quota" */
	char		 e_message[512];
	int		 e_http_status;	/* 0 when no HTTP answer */
	int		 e_retryable;	/* another attempt might work */
	int		 e_fatal;	/* the whole run must stop (401/403/quota) */
	int		 e_attempts;
};

/*
 * Hooks the caller may set to see and pace each HTTP attempt.  before_call
 * runs before every attempt (the rate limiter); returning -1 cancels the
 * call.  after_call reports the outcome (status 0 on a transport error).
 * tick lets a worker send heartbeats and notice a shutdown request.
 */
struct llm_hooks {
	void	*h_arg;
	int	(*h_before_call)(void *arg, const char *op, long est_tokens);
	void	(*h_after_call)(void *arg, const char *op, const char *model,
		    int status, long prompt_tokens, long completion_tokens,
		    int64_t retry_after_ms);
	/* called about once a second while a call or a backoff is waiting */
	void	(*h_tick)(void *arg);
	volatile sig_atomic_t *h_cancel;	/* non-zero: abort now */
};

struct llm_config {
	const char	*lc_provider;	/* "openai" */
	const char	*lc_base_url;	/* "https://api.openai.com/v1" */
	const char	*lc_api_key;	/* may be NULL: no Authorization header */
	int		 lc_timeout_s;	/* whole request */
	int		 lc_connect_timeout_s;
	int		 lc_retries;	/* extra attempts after the first */
};

struct llm_client;

/*
 * A client for one process.  Copies what it needs from cfg.  Returns NULL
 * with errbuf set for an unknown provider or a bad base URL.
 */
struct llm_client *llm_client_new(const struct llm_config *cfg,
	    char *errbuf, size_t errlen);
void	 llm_client_free(struct llm_client *);

/*
 * Make the call, retrying connection errors, timeouts, 408, 409, 429,
 * 5xx and 200 replies that are not a completion ("bad_response") with
 * exponential backoff and jitter (honouring Retry-After up to
 * LLM_RETRY_AFTER_MAX_MS).  A reply cut off at the output cap is asked
 * once more with a larger cap (llm_grown_cap()).  Returns 0 with reply
 * filled (release with llm_reply_release()), or -1 with err filled.
 * Only a whole answer is a reply: an empty one ("empty_reply"), a
 * refusal ("refused"), a cut one ("truncated") or a filtered one
 * ("filtered") is an error; there is never a made-up answer.  Error
 * messages never hold the API key, even when the server quoted it.
 */
int	 llm_complete(struct llm_client *, const struct llm_call *,
	    const struct llm_hooks *, struct llm_reply *, struct llm_error *);
/*
 * The same with a request body the caller built (JSON text, borrowed),
 * for a request llm_call cannot describe (several messages, a
 * response_format); call names the operation, the model and the output
 * cap for the hooks and the token estimate (its c_prompt is not read).
 */
int	 llm_complete_body(struct llm_client *, const struct llm_call *,
	    const char *body, const struct llm_hooks *, struct llm_reply *,
	    struct llm_error *);
void	 llm_reply_release(struct llm_reply *);
/*
 * POST a request body to the images API (<base>/images/generations),
 * with the same retries and hooks as a chat call; max caps the reply.
 * 0 with the reply body in *out (owned), or -1 with err filled.
 */
int	 llm_images(struct llm_client *, const char *op, const char *model,
	    const char *body, size_t max, const struct llm_hooks *,
	    char **out, size_t *outlen, struct llm_error *);
/*
 * Ask the API whether it answers: GET <base>/models with the key.
 * Returns the HTTP status (200 when all is well), or -1 with errbuf set
 * when there was no HTTP answer.  The reply body is not kept.
 */
int	 llm_probe(struct llm_client *, char *errbuf, size_t errlen);
/* Total HTTP attempts made by this client so far. */
int	 llm_client_attempts(const struct llm_client *);

/*
 * Load libcurl (curlapi.h) and initialise it, once per process before the
 * first client.  0, or -1 with errbuf set.
 */
int	 llm_global_init(char *errbuf, size_t errlen);
/* Undo llm_global_init(); nothing when libcurl was never loaded. */
void	 llm_global_cleanup(void);
/* "libcurl 7.88.1 (OpenSSL/3.0.17)", or why libcurl cannot be loaded. */
void	 llm_library_version(char *buf, size_t len);

/* Provider internals, exposed for the unit tests. */
char	*llm_openai_body(const struct llm_call *);	/* owned JSON text */
int	 llm_openai_parse(const char *body, size_t len, int status,
	    struct llm_reply *, struct llm_error *);
int64_t	 llm_parse_retry_after(const char *ms_value, const char *s_value,
	    int64_t now_epoch);
int64_t	 llm_backoff_ms(int attempt, double rand01);
/*
 * The largest output cap (max_tokens / max_completion_tokens) model
 * accepts, from a table of known model families; 0 when unknown.
 */
int	 llm_model_output_max(const char *model);
/*
 * The cap for a second try after a reply cut off at cap: twice cap,
 * bounded by llm_model_output_max() when known; 0 when it cannot grow
 * (no cap was sent, or cap is already the model's maximum).
 */
int	 llm_grown_cap(const char *model, int cap);

#endif /* LLM_H */
