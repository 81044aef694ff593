/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * curlapi.h: libcurl, loaded with dlopen(3) the first time it is needed.
 *
 * articlegen talks HTTP only in single-process mode and for --check
 * --online; its workers do the rest.  Linked the usual way, libcurl and
 * the thirty-odd libraries Debian builds it with (OpenSSL, GnuTLS,
 * Kerberos, LDAP, ...) would be loaded and relocated at every start of
 * articlegen, about 3 ms of CPU before selection can begin.  So the
 * generation code calls libcurl through this table, which curlapi_load()
 * fills; the worker loads it once, before its first job (and the fork
 * server before its first fork).
 */
#ifndef CURLAPI_H
#define CURLAPI_H

#include <stddef.h>

#include <curl/curl.h>

struct curlapi {
	CURLcode	 (*global_init)(long);
	void		 (*global_cleanup)(void);
	CURL		*(*easy_init)(void);
	void		 (*easy_cleanup)(CURL *);
	void		 (*easy_reset)(CURL *);
	CURLcode	 (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode	 (*easy_perform)(CURL *);
	CURLcode	 (*easy_getinfo)(CURL *, CURLINFO, ...);
	const char	*(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void		 (*slist_free_all)(struct curl_slist *);
	char		*(*version)(void);
	curl_version_info_data *(*version_info)(CURLversion);
};

/* Filled by curlapi_load(); all NULL before. */
extern struct curlapi	curlapi;

/*
 * Load libcurl (ARTICLEGEN_CURL_SONAME, found at build time) and fill
 * curlapi.  Idempotent.  Returns 0, or -1 with errbuf naming the library
 * and what dlopen or dlsym said.
 */
int	curlapi_load(char *errbuf, size_t errlen);

#endif /* CURLAPI_H */
