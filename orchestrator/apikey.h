/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * apikey.h: the API key: where it comes from, and wiping it.
 */
#ifndef APIKEY_H
#define APIKEY_H

#include <stddef.h>

/*
 * The API key, from keyfile (--api-key-file), then
 * $CREDENTIALS_DIRECTORY/openai_api_key (systemd LoadCredential=), then
 * OPENAI_API_KEY.  Sets *key to an owned string (NULL when none is set)
 * and *from to the source's name (never the key), NULL when none.
 * Returns 0, or -1 with errbuf saying why a key file cannot be used.
 */
int	apikey_load(const char *keyfile, char **key, const char **from,
	    char *errbuf, size_t errlen);
/*
 * 1 when a run against base_url needs a key: the default API.  A local
 * OpenAI-compatible server (a stand-in, a self-hosted model) may not.
 */
int	apikey_needed(const char *base_url);
/* Wipe and free a key (NULL is fine). */
void	apikey_free(char *key);

#endif /* APIKEY_H */
