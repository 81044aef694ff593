/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * urlnorm.h: URL checks and the normalisation of original-pipeline.md §2.2,
 * used to match an item's source against existing posts.
 */
#ifndef URLNORM_H
#define URLNORM_H

/* 1 when url is an absolute http:// or https:// URL with a host. */
int	 url_is_http(const char *url);

/*
 * The normalised form of url (lower-case scheme and host, no default port,
 * no trailing host dot, percent-encoding normalised with upper-case hex,
 * dot segments removed, empty path "/", tracking parameters dropped,
 * remaining query pairs sorted, fragment dropped).  Owned by the caller;
 * NULL when url is not an absolute http(s) URL.
 */
char	*url_normalize(const char *url);

/* The host of an http(s) URL, lower-cased, owned by the caller, or NULL. */
char	*url_host(const char *url);

#endif /* URLNORM_H */
