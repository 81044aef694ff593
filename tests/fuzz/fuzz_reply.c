/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * fuzz_reply.c: libFuzzer harness for the LLM reply parser and the text
 * rules applied to what it returns.
 *
 * The input is an HTTP body as a server (or anything in between) might
 * send it, parsed as the answer to a request that got status 200, 429 and
 * 500.  Checked properties: exactly one of reply and error is filled; an
 * error has a code and a one-line message; a 200 reply has non-blank
 * content; non-200 statuses never yield a reply.  A reply's content then
 * goes through what the generator does with it: render_clean_body() for
 * both generators (the result must hold no Hugo shortcode opener),
 * text_clean_title() (at most TITLE_MAX characters, plus "...") and
 * slug_from_title().  A violation aborts, which libFuzzer records as a
 * crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "llm.h"
#include "render.h"
#include "route.h"
#include "slug.h"
#include "text.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static __dead void
fail(const char *why)
{
	fprintf(stderr, "fuzz_reply: %s\n", why);
	abort();
}

/* 1 when s is valid UTF-8 (no overlongs, surrogates or values > U+10FFFF). */
static int
is_utf8(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned char		 lo, hi;
	size_t			 n, k;

	while (*p != '\0') {
		if (*p < 0x80) {
			p++;
			continue;
		}
		lo = 0x80;
		hi = 0xbf;
		if (*p >= 0xc2 && *p <= 0xdf)
			n = 1;
		else if (*p >= 0xe0 && *p <= 0xef) {
			n = 2;
			lo = *p == 0xe0 ? 0xa0 : 0x80;
			hi = *p == 0xed ? 0x9f : 0xbf;
		} else if (*p >= 0xf0 && *p <= 0xf4) {
			n = 3;
			lo = *p == 0xf0 ? 0x90 : 0x80;
			hi = *p == 0xf4 ? 0x8f : 0xbf;
		} else
			return (0);
		for (k = 1; k <= n; k++) {
			if (p[k] < lo || p[k] > hi)
				return (0);
			lo = 0x80;
			hi = 0xbf;
		}
		p += n + 1;
	}
	return (1);
}

/* Characters (not bytes) of a UTF-8 string; invalid bytes count as one. */
static size_t
nchars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return (n);
}

static void
check_content(const char *content)
{
	char	*body, *title, *slug;
	int	 gen;

	for (gen = ROUTE_GENERAL; gen <= ROUTE_INTEGRATIVE; gen++) {
		body = render_clean_body(content, (enum route_generator)gen);
		if (strstr(body, "{{<") != NULL || strstr(body, "{{%") != NULL)
			fail("a shortcode opener survived render_clean_body");
		free(body);
	}
	title = text_clean_title(content);
	if (nchars(title) > TITLE_MAX)
		fail("cleaned title longer than TITLE_MAX characters");
	if (strchr(title, '\n') != NULL)
		fail("cleaned title holds a newline");
	slug = slug_from_title(title);
	if (*slug == '\0' || strlen(slug) > 60)
		fail("bad slug");
	free(slug);
	free(title);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int	 statuses[] = { 200, 429, 500 };
	struct llm_reply	 reply;
	struct llm_error	 err;
	char			*body;
	size_t			 i, k;
	int			 rc;

	/* An exact-size copy, not NUL-terminated, as the write callback's
	 * length is what the parser must honour. */
	if ((body = malloc(size > 0 ? size : 1)) == NULL)
		return (0);
	memcpy(body, data, size);
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		memset(&err, 0, sizeof(err));
		rc = llm_openai_parse(body, size, statuses[i], &reply, &err);
		if (rc == 0) {
			if (statuses[i] != 200)
				fail("a reply for an error status");
			if (err.e_code[0] != '\0')
				fail("both reply and error");
			if (reply.r_content == NULL ||
			    reply.r_content[strspn(reply.r_content,
			    " \t\r\n")] == '\0')
				fail("blank content accepted");
			if (!is_utf8(reply.r_content))
				fail("content is not valid UTF-8");
			if (reply.r_prompt_tokens < 0 ||
			    reply.r_completion_tokens < 0)
				fail("negative token counts");
			check_content(reply.r_content);
			llm_reply_release(&reply);
		} else {
			if (rc != -1 || reply.r_content != NULL)
				fail("error with a reply");
			for (k = 0; err.e_message[k] != '\0'; k++)
				if ((unsigned char)err.e_message[k] < 0x20)
					fail("error message is not one line");
			if (err.e_code[0] == '\0' ||
			    memchr(err.e_code, '\0', sizeof(err.e_code)) ==
			    NULL ||
			    memchr(err.e_message, '\0',
			    sizeof(err.e_message)) == NULL)
				fail("error without a code or message");
			if (statuses[i] == 429 && !err.e_retryable &&
			    strcmp(err.e_code, "insufficient_quota") != 0)
				fail("a plain 429 is not retryable");
			if (statuses[i] == 500 && !err.e_retryable)
				fail("a 500 is not retryable");
		}
	}
	free(body);
	return (0);
}
