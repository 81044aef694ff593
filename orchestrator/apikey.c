/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * apikey.c: owns the API key from the moment it is read until it is
 * wiped.  The key is passed to workers in their environment only
 * (workerenv.c), never in argv, and never logged.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apikey.h"
#include "util.h"
#include "xmalloc.h"

#define API_KEY_MAX	4096

/* Trim trailing whitespace and newlines from a key read from a file. */
static void
chomp(char *s)
{
	size_t	n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' ||
	    s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

/* Read the key file path into an owned string; NULL + errbuf on error. */
static char *
read_key_file(const char *path, char *errbuf, size_t errlen)
{
	FILE	*f;
	char	*key;
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(errbuf, errlen, "cannot read the API key file %s: %s",
		    path, strerror(errno));
		return (NULL);
	}
	key = xcalloc(1, API_KEY_MAX);
	n = fread(key, 1, API_KEY_MAX - 1, f);
	(void)fclose(f);
	key[n] = '\0';
	chomp(key);
	if (*key == '\0') {
		snprintf(errbuf, errlen, "the API key file %s is empty", path);
		apikey_free(key);
		return (NULL);
	}
	return (key);
}

int
apikey_load(const char *keyfile, char **key, const char **from,
    char *errbuf, size_t errlen)
{
	const char	*cred, *env;
	char		*path = NULL;

	*key = NULL;
	*from = NULL;
	if (keyfile != NULL)
		*from = "--api-key-file";
	else if ((cred = getenv("CREDENTIALS_DIRECTORY")) != NULL &&
	    *cred != '\0') {
		xasprintf(&path, "%s/openai_api_key", cred);
		if (access(path, F_OK) == 0) {
			keyfile = path;
			*from = "systemd credential openai_api_key";
		}
	}
	if (keyfile != NULL) {
		*key = read_key_file(keyfile, errbuf, errlen);
		free(path);
		if (*key == NULL) {
			*from = NULL;
			return (-1);
		}
		return (0);
	}
	free(path);
	if ((env = getenv("OPENAI_API_KEY")) != NULL && *env != '\0') {
		*from = "environment OPENAI_API_KEY";
		*key = xstrdup(env);
	}
	return (0);
}

int
apikey_needed(const char *base_url)
{
	return (base_url != NULL &&
	    strcmp(base_url, "https://api.openai.com/v1") == 0);
}

void
apikey_free(char *key)
{
	if (key == NULL)
		return;
	explicit_bzero(key, strlen(key));
	free(key);
}
