/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * sources.c: what every collector shares.  The settings table of the four
 * sources (names, defaults, ranges), the dispatch from a source kind to
 * its collector (src_hn.c, src_mastodon.c, src_github.c, src_reddit.c),
 * the rate-limit-aware JSON request, and the builder of CollectedItem
 * objects.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <json.h>

#include "compat.h"
#include "sources.h"
#include "src_github.h"
#include "src_hn.h"
#include "src_mastodon.h"
#include "src_reddit.h"
#include "urlnorm.h"
#include "utf8.h"
#include "util.h"
#include "xmalloc.h"

/* How many times a 429 or 503 is retried after its Retry-After. */
#define SOURCE_RETRIES	2

struct source_def {
	const char	*sd_name;	/* the items' "source" */
	const char	*sd_prefix;	/* of the settings' names */
	int		 sd_count;
	const char	*sd_api_url;
	const char	*sd_api_name;	/* setting holding the API URL */
};

static const struct source_def source_defs[SOURCE_NKINDS] = {
	[SOURCE_HN] = { "hackernews", "HN", 30,
	    "https://hacker-news.firebaseio.com/v0", "HN_API_URL" },
	[SOURCE_MASTODON] = { "mastodon", "MASTODON", 40,
	    "https://hachyderm.io", "MASTODON_INSTANCES" },
	[SOURCE_GITHUB] = { "github", "GITHUB", 20,
	    "https://api.github.com", "GITHUB_API_URL" },
	[SOURCE_REDDIT] = { "reddit", "REDDIT", 16,
	    "https://oauth.reddit.com", "REDDIT_API_URL" },
};

#define SOURCE_REDDIT_AUTH_URL	"https://www.reddit.com/api/v1/access_token"
#define SOURCE_REDDIT_SUBS	"programming,technology,linux,rust,golang," \
				"python,devops,netsec"

const char *
source_name(enum source_kind kind)
{
	if ((unsigned)kind >= SOURCE_NKINDS)
		return ("unknown");
	return (source_defs[kind].sd_name);
}

int
source_lookup(const char *name, enum source_kind *kind)
{
	int	i;

	for (i = 0; i < SOURCE_NKINDS; i++)
		if (strcmp(name, source_defs[i].sd_name) == 0) {
			*kind = (enum source_kind)i;
			return (0);
		}
	return (-1);
}

static const char *
source_getenv(void *arg, const char *name)
{
	(void)arg;
	return (getenv(name));
}

/* The value of PREFIX_SUFFIX, or NULL when unset or empty. */
static const char *
source_setting(source_lookup_fn lookup, void *arg, const char *prefix,
    const char *suffix, char *name, size_t namelen)
{
	const char	*v;

	(void)snprintf(name, namelen, "%s_%s", prefix, suffix);
	v = lookup(arg, name);
	return (v != NULL && *v != '\0' ? v : NULL);
}

static int
source_int(source_lookup_fn lookup, void *arg, const char *prefix,
    const char *suffix, long long min, long long max, int *out,
    char *errbuf, size_t errlen)
{
	const char	*v, *errstr;
	char		 name[64];
	long long	 n;

	if ((v = source_setting(lookup, arg, prefix, suffix, name,
	    sizeof(name))) == NULL)
		return (0);
	n = strtonum(v, min, max, &errstr);
	if (errstr != NULL) {
		(void)snprintf(errbuf, errlen, "%s: '%.40s' is %s (%lld..%lld)",
		    name, v, errstr, min, max);
		return (-1);
	}
	*out = (int)n;
	return (0);
}

static int
source_bool(source_lookup_fn lookup, void *arg, const char *prefix,
    const char *suffix, int *out, char *errbuf, size_t errlen)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };
	const char	*v;
	char		 name[64];
	size_t		 i;

	if ((v = source_setting(lookup, arg, prefix, suffix, name,
	    sizeof(name))) == NULL)
		return (0);
	for (i = 0; i < nitems(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = 1;
			return (0);
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = 0;
			return (0);
		}
	}
	(void)snprintf(errbuf, errlen, "%s: '%.40s' is not a boolean "
	    "(true/false, yes/no, on/off, 1/0)", name, v);
	return (-1);
}

/* An http(s) URL setting without its trailing slashes. */
static int
source_url(const char *name, const char *v, char **out, char *errbuf,
    size_t errlen)
{
	size_t	n;

	if (!url_is_http(v)) {
		(void)snprintf(errbuf, errlen, "%s: '%.200s' is not an http(s) "
		    "URL", name, v);
		return (-1);
	}
	n = strlen(v);
	while (n > 0 && v[n - 1] == '/')
		n--;
	free(*out);
	*out = xstrndup(v, n);
	return (0);
}

/* Split a comma or blank separated list into ss_list. */
static int
source_list(struct source_settings *ss, const char *name, const char *v,
    int urls, char *errbuf, size_t errlen)
{
	char	*copy, *tok, *save = NULL, *one = NULL;

	copy = xstrdup(v);
	for (tok = strtok_r(copy, ", \t\n", &save); tok != NULL;
	    tok = strtok_r(NULL, ", \t\n", &save)) {
		if (urls) {
			if (source_url(name, tok, &one, errbuf, errlen) == -1) {
				free(copy);
				return (-1);
			}
		} else {
			if (tok[strspn(tok, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")] != '\0') {
				(void)snprintf(errbuf, errlen, "%s: '%.40s' is "
				    "not a subreddit name", name, tok);
				free(copy);
				return (-1);
			}
			one = xstrdup(tok);
		}
		ss->ss_list = xreallocarray(ss->ss_list, ss->ss_nlist + 1,
		    sizeof(*ss->ss_list));
		ss->ss_list[ss->ss_nlist++] = one;
		one = NULL;
	}
	free(copy);
	if (ss->ss_nlist == 0) {
		(void)snprintf(errbuf, errlen, "%s: empty list", name);
		return (-1);
	}
	return (0);
}

int
source_settings_load(enum source_kind kind, source_lookup_fn lookup,
    void *arg, struct source_settings *ss, char *errbuf, size_t errlen)
{
	const struct source_def	*d;
	const char		*v;
	char			 name[64];

	memset(ss, 0, sizeof(*ss));
	if ((unsigned)kind >= SOURCE_NKINDS) {
		(void)snprintf(errbuf, errlen, "unknown source %d", (int)kind);
		return (-1);
	}
	if (lookup == NULL)
		lookup = source_getenv;
	d = &source_defs[kind];
	ss->ss_kind = kind;
	ss->ss_enabled = 1;
	ss->ss_count = d->sd_count;
	ss->ss_timeout_s = 20;
	ss->ss_max_wait_s = 60;
	ss->ss_days = 7;
	ss->ss_min_chars = 50;
	ss->ss_max_chars = 2000;
	if (source_bool(lookup, arg, d->sd_prefix, "ENABLED", &ss->ss_enabled,
	    errbuf, errlen) == -1 ||
	    source_int(lookup, arg, d->sd_prefix, "COUNT", 1, 500,
	    &ss->ss_count, errbuf, errlen) == -1 ||
	    source_int(lookup, arg, d->sd_prefix, "TIMEOUT", 1, 600,
	    &ss->ss_timeout_s, errbuf, errlen) == -1 ||
	    source_int(lookup, arg, d->sd_prefix, "MAX_WAIT", 0, 3600,
	    &ss->ss_max_wait_s, errbuf, errlen) == -1)
		goto fail;

	v = lookup(arg, d->sd_api_name);
	if (v == NULL || *v == '\0')
		v = d->sd_api_url;
	if (kind == SOURCE_MASTODON) {
		if (source_list(ss, d->sd_api_name, v, 1, errbuf, errlen) == -1)
			goto fail;
		if (source_int(lookup, arg, d->sd_prefix, "MIN_CHARS", 0,
		    100000, &ss->ss_min_chars, errbuf, errlen) == -1 ||
		    source_int(lookup, arg, d->sd_prefix, "MAX_CHARS", 1,
		    100000, &ss->ss_max_chars, errbuf, errlen) == -1)
			goto fail;
	} else if (source_url(d->sd_api_name, v, &ss->ss_api_url, errbuf,
	    errlen) == -1)
		goto fail;
	if (kind == SOURCE_GITHUB && source_int(lookup, arg, d->sd_prefix,
	    "DAYS", 1, 365, &ss->ss_days, errbuf, errlen) == -1)
		goto fail;
	if (kind == SOURCE_REDDIT) {
		if ((v = source_setting(lookup, arg, "REDDIT", "AUTH_URL", name,
		    sizeof(name))) == NULL)
			v = SOURCE_REDDIT_AUTH_URL;
		if (source_url("REDDIT_AUTH_URL", v, &ss->ss_auth_url, errbuf,
		    errlen) == -1)
			goto fail;
		if ((v = source_setting(lookup, arg, "REDDIT", "SUBREDDITS",
		    name, sizeof(name))) == NULL)
			v = SOURCE_REDDIT_SUBS;
		if (source_list(ss, "REDDIT_SUBREDDITS", v, 0, errbuf,
		    errlen) == -1)
			goto fail;
		if ((v = source_setting(lookup, arg, "REDDIT", "CLIENT_ID", name,
		    sizeof(name))) != NULL)
			ss->ss_client_id = xstrdup(v);
		if ((v = source_setting(lookup, arg, "REDDIT", "CLIENT_SECRET",
		    name, sizeof(name))) != NULL)
			ss->ss_client_secret = xstrdup(v);
	}
	return (0);
 fail:
	source_settings_release(ss);
	return (-1);
}

void
source_settings_release(struct source_settings *ss)
{
	size_t	i;

	free(ss->ss_api_url);
	free(ss->ss_auth_url);
	for (i = 0; i < ss->ss_nlist; i++)
		free(ss->ss_list[i]);
	free(ss->ss_list);
	if (ss->ss_client_secret != NULL) {
		explicit_bzero(ss->ss_client_secret,
		    strlen(ss->ss_client_secret));
		free(ss->ss_client_secret);
	}
	free(ss->ss_client_id);
	memset(ss, 0, sizeof(*ss));
}

void
source_note(struct source_stats *st, const char *fmt, ...)
{
	va_list	ap;

	if (st->st_note[0] != '\0')
		return;
	va_start(ap, fmt);
	(void)vsnprintf(st->st_note, sizeof(st->st_note), fmt, ap);
	va_end(ap);
}

static void
source_sleep(struct source_ctx *ctx, struct source_stats *st, int64_t ms)
{
	if (ms <= 0)
		return;
	st->st_waited_ms += ms;
	if (ctx->sc_sleep != NULL)
		ctx->sc_sleep(ctx->sc_sleep_arg, ms);
	else
		sleep_ms(ms);
}

struct json_object *
source_parse_json(const char *data, size_t len, char *errbuf, size_t errlen)
{
	struct json_tokener	*tok;
	struct json_object	*obj;
	size_t			 end;

	if (len > SOURCE_REPLY_MAX || len >= (size_t)INT32_MAX) {
		(void)snprintf(errbuf, errlen, "reply of %zu bytes is too "
		    "large", len);
		return (NULL);
	}
	if ((tok = json_tokener_new_ex(64)) == NULL) {
		(void)snprintf(errbuf, errlen, "out of memory");
		return (NULL);
	}
	json_tokener_set_flags(tok, JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, data, (int)len);
	/* a bare literal at the very end needs the end of input to finish */
	end = len;
	if (obj == NULL && json_tokener_get_error(tok) == json_tokener_continue)
		obj = json_tokener_parse_ex(tok, "", 1);
	else
		end = json_tokener_get_parse_end(tok);
	if (obj == NULL && json_tokener_get_error(tok) == json_tokener_success) {
		(void)snprintf(errbuf, errlen, "null where a value was "
		    "expected");
		json_tokener_free(tok);
		return (NULL);
	}
	if (obj == NULL || json_tokener_get_error(tok) != json_tokener_success) {
		(void)snprintf(errbuf, errlen, "not JSON (%s at offset %zu)",
		    json_tokener_error_desc(json_tokener_get_error(tok)),
		    json_tokener_get_parse_end(tok));
		json_object_put(obj);
		json_tokener_free(tok);
		return (NULL);
	}
	for (; end < len; end++)
		if (data[end] != ' ' && data[end] != '\n' && data[end] != '\r' &&
		    data[end] != '\t' && data[end] != '\0') {
			(void)snprintf(errbuf, errlen, "trailing data after the "
			    "JSON value at offset %zu", end);
			json_object_put(obj);
			json_tokener_free(tok);
			return (NULL);
		}
	json_tokener_free(tok);
	return (obj);
}

int
source_get(const struct source_settings *ss, struct source_ctx *ctx,
    struct source_stats *st, const char *url, const struct fetch_opts *extra,
    struct fetch_result *out, long *status, char *errbuf, size_t errlen)
{
	struct fetch_opts	 o;
	struct fetch_result	 fr;
	char			 ebuf[256];
	int64_t			 wait;
	int			 attempt;

	memset(out, 0, sizeof(*out));
	if (status != NULL)
		*status = 0;
	if (ctx->sc_wait_ms > 0) {
		if (ctx->sc_wait_ms > (int64_t)ss->ss_max_wait_s * 1000) {
			(void)snprintf(errbuf, errlen, "%s: rate limit "
			    "exhausted; it resets in %lld s, more than the "
			    "%d s allowed", url,
			    (long long)(ctx->sc_wait_ms + 999) / 1000,
			    ss->ss_max_wait_s);
			return (-1);
		}
		source_sleep(ctx, st, ctx->sc_wait_ms);
		ctx->sc_wait_ms = 0;
	}
	if (extra != NULL)
		o = *extra;
	else
		memset(&o, 0, sizeof(o));
	o.fo_max_bytes = SOURCE_REPLY_MAX;
	o.fo_timeout_ms = (long)ss->ss_timeout_s * 1000;
	if (o.fo_accept == NULL)
		o.fo_accept = "application/json";
	for (attempt = 0; ; attempt++) {
		st->st_requests++;
		if (ctx->sc_fetch(ctx->sc_fetch_arg, url, &o, &fr, ebuf,
		    sizeof(ebuf)) == -1) {
			(void)snprintf(errbuf, errlen, "%s", ebuf);
			return (-1);
		}
		if (status != NULL)
			*status = fr.fr_status;
		wait = fetch_wait_ms(&fr, (int64_t)time(NULL));
		if (fr.fr_status != 429 && fr.fr_status != 503)
			break;
		/* no Retry-After: a second, like any other wait */
		if (wait == 0)
			wait = 1000;
		if (attempt >= SOURCE_RETRIES || wait < 0 ||
		    wait > (int64_t)ss->ss_max_wait_s * 1000) {
			if (wait > 0 && (fr.fr_retry_after[0] != '\0' ||
			    fr.fr_rl_remaining[0] != '\0'))
				(void)snprintf(errbuf, errlen, "%.200s: HTTP "
				    "%ld (retry after %lld s)", url,
				    fr.fr_status, (long long)(wait + 999) / 1000);
			else
				(void)snprintf(errbuf, errlen, "%.200s: HTTP "
				    "%ld", url, fr.fr_status);
			fetch_result_release(&fr);
			return (-1);
		}
		fetch_result_release(&fr);
		source_sleep(ctx, st, wait);
	}
	if (fr.fr_status < 200 || fr.fr_status > 299) {
		(void)snprintf(errbuf, errlen, "%.200s: HTTP %ld", url,
		    fr.fr_status);
		fetch_result_release(&fr);
		return (-1);
	}
	/* too few requests left: the next one waits for the reset */
	if (wait != 0)
		ctx->sc_wait_ms = wait < 0 ? (int64_t)ss->ss_max_wait_s * 1000 +
		    1 : wait;
	*out = fr;
	return (0);
}

const char *
source_json_str(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return (NULL);
	return (json_object_get_string(v));
}

int64_t
source_json_int(struct json_object *o, const char *key, int64_t fallback)
{
	struct json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v))
		return (fallback);
	if (json_object_is_type(v, json_type_int))
		return (json_object_get_int64(v));
	if (json_object_is_type(v, json_type_double))
		return ((int64_t)json_object_get_double(v));
	return (fallback);
}

int
source_json_bool(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_boolean))
		return (0);
	return (json_object_get_boolean(v));
}

struct json_object *
source_item_new(const char *id, const char *title, const char *content,
    const char *source, const char *url, const char *author, int64_t now,
    struct json_object *metadata)
{
	struct json_object	*o;
	char			 when[40];

	format_utc_iso(when, sizeof(when), now);
	/* "...Z" -> "...+00:00", the original's spelling */
	if (strlen(when) > 0 && when[strlen(when) - 1] == 'Z') {
		when[strlen(when) - 1] = '\0';
		(void)strlcat(when, "+00:00", sizeof(when));
	}
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_string(id));
	json_object_object_add(o, "title", json_object_new_string(title));
	json_object_object_add(o, "content", json_object_new_string(content));
	json_object_object_add(o, "source", json_object_new_string(source));
	json_object_object_add(o, "url", json_object_new_string(url));
	json_object_object_add(o, "author", json_object_new_string(author));
	json_object_object_add(o, "collected_at",
	    json_object_new_string(when));
	json_object_object_add(o, "metadata", metadata != NULL ? metadata :
	    json_object_new_object());
	return (o);
}

char *
source_title_from_text(const char *text)
{
	size_t	 n, off;
	char	*line, *t;

	while (*text == ' ' || *text == '\n' || *text == '\t')
		text++;
	n = strcspn(text, "\n");
	while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t' ||
	    text[n - 1] == '\r'))
		n--;
	line = xstrndup(text, n);
	if (utf8_len(line) <= 80)
		return (line);
	off = utf8_offset(line, n, 77);
	while (off > 0 && line[off - 1] == ' ')
		off--;
	xasprintf(&t, "%.*s...", (int)off, line);
	free(line);
	return (t);
}

int
source_collect(const struct source_settings *ss, struct source_ctx *ctx,
    struct json_object **items, struct source_stats *st, char *errbuf,
    size_t errlen)
{
	int	rc;

	*items = NULL;
	memset(st, 0, sizeof(*st));
	if (!ss->ss_enabled) {
		(void)snprintf(errbuf, errlen, "%s: disabled (%s_ENABLED)",
		    source_name(ss->ss_kind),
		    source_defs[ss->ss_kind].sd_prefix);
		return (1);
	}
	if (ctx->sc_fetch == NULL)
		ctx->sc_fetch = fetch_http;
	*items = json_object_new_array();
	switch (ss->ss_kind) {
	case SOURCE_HN:
		rc = hn_collect(ss, ctx, *items, st, errbuf, errlen);
		break;
	case SOURCE_MASTODON:
		rc = mastodon_collect(ss, ctx, *items, st, errbuf, errlen);
		break;
	case SOURCE_GITHUB:
		rc = github_collect(ss, ctx, *items, st, errbuf, errlen);
		break;
	case SOURCE_REDDIT:
		rc = reddit_collect(ss, ctx, *items, st, errbuf, errlen);
		break;
	case SOURCE_NKINDS:
	default:
		(void)snprintf(errbuf, errlen, "unknown source %d",
		    (int)ss->ss_kind);
		rc = -1;
		break;
	}
	if (rc != 0) {
		json_object_put(*items);
		*items = NULL;
	}
	if (rc == -1) {
		char	msg[512];

		(void)snprintf(msg, sizeof(msg), "%s: %s",
		    source_name(ss->ss_kind), errbuf);
		(void)strlcpy(errbuf, msg, errlen);
	} else if (rc == 0)
		st->st_kept = json_object_array_length(*items);
	return (rc);
}
