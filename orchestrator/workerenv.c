/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * workerenv.c: the worker's environment and the lookup of the
 * articlegen-worker binary.  A worker inherits nothing it does not need:
 * its environment is built here from a short list, plus the API key.
 * The Reddit credentials are secrets like the key: they reach the
 * collect job through the environment, never in argv or a job message.
 */
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "workerenv.h"
#include "xmalloc.h"

char **
workerenv_new(const char *api_key)
{
	static const char *const keep[] = { "PATH", "HOME", "LANG", "LC_ALL",
	    "LC_CTYPE", "TZ", "TMPDIR", "SSL_CERT_FILE", "SSL_CERT_DIR",
	    "CURL_CA_BUNDLE", "http_proxy", "https_proxy", "HTTP_PROXY",
	    "HTTPS_PROXY", "no_proxy", "NO_PROXY", "ALL_PROXY", "all_proxy",
	    "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS",
	    "REDDIT_CLIENT_ID", "REDDIT_CLIENT_SECRET", "UNSPLASH_ACCESS_KEY",
	    "XDG_CACHE_HOME", "FONTCONFIG_FILE", "FONTCONFIG_PATH" };
	char		**envp;
	const char	 *v;
	size_t		  i, n = 0;

	envp = xcalloc(nitems(keep) + 2, sizeof(char *));
	for (i = 0; i < nitems(keep); i++)
		if ((v = getenv(keep[i])) != NULL)
			xasprintf(&envp[n++], "%s=%s", keep[i], v);
	if (api_key != NULL)
		xasprintf(&envp[n++], "OPENAI_API_KEY=%s", api_key);
	envp[n] = NULL;
	return (envp);
}

void
workerenv_free(char **envp)
{
	size_t	i;

	if (envp == NULL)
		return;
	for (i = 0; envp[i] != NULL; i++) {
		explicit_bzero(envp[i], strlen(envp[i]));
		free(envp[i]);
	}
	free(envp);
}

char *
workerenv_find_worker(const char *configured, int *bad)
{
	char	*dir, *path;

	*bad = 0;
	if (configured != NULL) {
		if (!is_executable(configured)) {
			*bad = 1;
			return (NULL);
		}
		return (xstrdup(configured));
	}
	if ((dir = exe_dir()) != NULL) {
		xasprintf(&path, "%s/articlegen-worker", dir);
		free(dir);
		if (is_executable(path))
			return (path);
		free(path);
	}
	path = xstrdup(ARTICLEGEN_LIBEXECDIR "/articlegen-worker");
	if (is_executable(path))
		return (path);
	free(path);
	return (NULL);
}
