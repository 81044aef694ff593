/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * fetch.h: one capped HTTP request to the sources and pages that the
 * collect and enrich stages read, through the dlopen'ed libcurl
 * (curlapi.h).
 */
#ifndef FETCH_H
#define FETCH_H

#include <stddef.h>
#include <stdint.h>

/* Limits used when fetch_opts leaves them at 0. */
#define FETCH_MAX_BYTES_DEFAULT	(4 * 1024 * 1024)
#define FETCH_TIMEOUT_MS_DEFAULT 20000
#define FETCH_REDIRS_DEFAULT	5

struct fetch_opts {
	const char	*fo_method;	/* NULL: GET; or "POST" */
	const char	*fo_body;	/* POST body, or NULL */
	size_t		 fo_bodylen;
	const char	*fo_content_type; /* of the POST body */
	const char	*fo_accept;	/* Accept header, or NULL */
	const char	*fo_bearer;	/* "Authorization: Bearer" token */
	const char	*fo_authorization; /* a whole Authorization value */
	const char	*fo_user;	/* HTTP basic auth, with fo_password */
	const char	*fo_password;
	size_t		 fo_max_bytes;	/* 0: FETCH_MAX_BYTES_DEFAULT */
	long		 fo_timeout_ms;	/* 0: FETCH_TIMEOUT_MS_DEFAULT */
	long		 fo_max_redirs;	/* 0: default; -1: none */
	int		 fo_truncate_ok; /* keep the first max_bytes */
};

/*
 * A reply.  The rate-limit fields hold the headers' raw values ("" when
 * absent): X-RateLimit-Remaining and -Reset (GitHub, Reddit, Mastodon
 * spell them differently; any case is accepted) and Retry-After.
 */
struct fetch_result {
	long		 fr_status;
	char		*fr_body;	/* owned, NUL-terminated; never NULL on success */
	size_t		 fr_len;
	int		 fr_truncated;	/* cut at fo_max_bytes (fo_truncate_ok) */
	char		 fr_content_type[128];
	char		 fr_retry_after[64];
	char		 fr_rl_remaining[32];
	char		 fr_rl_reset[64];
	char		 fr_final_url[1024]; /* after redirects */
};

/*
 * The signature of a fetcher, so that the collectors can be driven by a
 * fake in unit tests.  arg is the fetcher's own state (NULL for
 * fetch_http()).
 */
typedef int (*fetch_fn)(void *arg, const char *url,
    const struct fetch_opts *, struct fetch_result *, char *errbuf,
    size_t errlen);

/*
 * Perform one request to an http:// or https:// URL (other schemes, also
 * after a redirect, are refused) with User-Agent "articlegen/VERSION".
 * Any HTTP status is a success here: the caller reads fr_status.
 * Returns 0 with fr filled (release with fetch_result_release()), or -1
 * with errbuf saying what failed (libcurl not loadable, connection,
 * timeout, a body over the cap without fo_truncate_ok, too many
 * redirects).
 */
int	 fetch_http(void *arg, const char *url, const struct fetch_opts *,
	    struct fetch_result *, char *errbuf, size_t errlen);
void	 fetch_result_release(struct fetch_result *);

/*
 * How long, in milliseconds, to wait before the next request to the same
 * API according to fr: Retry-After (seconds or an HTTP date) when set;
 * else, when X-RateLimit-Remaining is 0 or less, until X-RateLimit-Reset
 * (an epoch time as GitHub sends, seconds to go as Reddit sends, or an
 * ISO 8601 time as Mastodon sends).  0 when nothing asks for a wait, -1
 * when a wait is asked but its length is unknown.  now is the epoch time
 * in seconds.
 */
int64_t	 fetch_wait_ms(const struct fetch_result *fr, int64_t now);

/* "articlegen/VERSION": the User-Agent of every request. */
const char *fetch_user_agent(void);

#endif /* FETCH_H */
