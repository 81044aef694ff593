/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * curlapi.c: owns the dlopen handle of libcurl and the table of its entry
 * points (curlapi.h).  The handle is never closed: libcurl stays loaded
 * until the process exits.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "curlapi.h"

struct curlapi	curlapi;

int
curlapi_load(char *errbuf, size_t errlen)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} syms[] = {
#define SYM(field, name) { name, offsetof(struct curlapi, field) }
		SYM(global_init, "curl_global_init"),
		SYM(global_cleanup, "curl_global_cleanup"),
		SYM(easy_init, "curl_easy_init"),
		SYM(easy_cleanup, "curl_easy_cleanup"),
		SYM(easy_reset, "curl_easy_reset"),
		SYM(easy_setopt, "curl_easy_setopt"),
		SYM(easy_perform, "curl_easy_perform"),
		SYM(easy_getinfo, "curl_easy_getinfo"),
		SYM(easy_strerror, "curl_easy_strerror"),
		SYM(slist_append, "curl_slist_append"),
		SYM(slist_free_all, "curl_slist_free_all"),
		SYM(version, "curl_version"),
		SYM(version_info, "curl_version_info"),
#undef SYM
	};
	struct curlapi	 api;
	void		*h, *fn;
	size_t		 i;

	if (curlapi.global_init != NULL)
		return (0);
	if ((h = dlopen(ARTICLEGEN_CURL_SONAME, RTLD_NOW | RTLD_LOCAL)) ==
	    NULL) {
		(void)snprintf(errbuf, errlen, "cannot load libcurl: %s",
		    dlerror());
		return (-1);
	}
	memset(&api, 0, sizeof(api));
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		if ((fn = dlsym(h, syms[i].name)) == NULL) {
			(void)snprintf(errbuf, errlen, "%s: no %s",
			    ARTICLEGEN_CURL_SONAME, syms[i].name);
			(void)dlclose(h);
			return (-1);
		}
		/* POSIX guarantees a function pointer fits a void * here */
		memcpy((char *)&api + syms[i].off, &fn, sizeof(fn));
	}
	curlapi = api;
	return (0);
}
