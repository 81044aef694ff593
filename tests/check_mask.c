/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_mask.c: secret masking (common/mask.c).
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "mask.h"
#include "tests.h"

/* mask_secrets() on a copy of in; the result must equal want. */
static void
masked_eq(const char *in, const char *key, const char *want, size_t nwant)
{
	char	buf[512];
	size_t	n;

	ck_assert_uint_lt(strlen(in), sizeof(buf));
	strcpy(buf, in);
	n = mask_secrets(buf, key);
	ck_assert_str_eq(buf, want);
	ck_assert_uint_eq(n, nwant);
}

START_TEST(test_mask_key)
{
	/* the key as a server echoes it */
	masked_eq("Incorrect API key provided: sk-e2e-SECRET-7f3a9c. You can "
	    "find your API key at https://example.invalid.",
	    "sk-e2e-SECRET-7f3a9c",
	    "Incorrect API key provided: sk-***. You can find your API key "
	    "at https://example.invalid.", 1);
	/* a key that does not look like one, twice, glued to other text */
	masked_eq("key=Zq81PLMv9x;again:Zq81PLMv9x!", "Zq81PLMv9x",
	    "key=sk-***;again:sk-***!", 2);
	/* a key shorter than the mask is starred, not lengthened */
	masked_eq("a k3y b", "k3y", "a *** b", 1);
	/* a part of the key is not the key, but here it has the key shape */
	masked_eq("Incorrect API key provided: sk-proj-AbCdEf12****wxyz",
	    "sk-proj-AbCdEf1234567890wxyz",
	    "Incorrect API key provided: sk-*******wxyz", 1);
}
END_TEST

START_TEST(test_mask_shapes)
{
	masked_eq("token sk-abcdefgh1234 rejected", NULL,
	    "token sk-*** rejected", 1);
	masked_eq("\"Bearer sk-proj-x_Y-z0123456789\"", "",
	    "\"Bearer sk-***\"", 1);
	masked_eq("sk-AAAAAAAA,sk-BBBBBBBB", NULL, "sk-***,sk-***", 2);
	/* too short, or inside a word: not a key */
	masked_eq("sk-short and task-listing and desk-12345678", NULL,
	    "sk-short and task-listing and desk-12345678", 0);
	/* idempotent: the mask itself is not masked again */
	masked_eq("sk-*** sk-***", NULL, "sk-*** sk-***", 0);
	masked_eq("", "sk-whatever-12345", "", 0);
	ck_assert_uint_eq(mask_secrets(NULL, "x"), 0);
}
END_TEST

/* url_redact_userinfo(in) must equal want. */
static void
redacted_eq(const char *in, const char *want)
{
	char	*s = url_redact_userinfo(in);

	ck_assert_str_eq(s, want);
	free(s);
}

START_TEST(test_url_redact)
{
	redacted_eq("https://user:pa55w0rd@llm.example.invalid:8443/v1",
	    "https://***@llm.example.invalid:8443/v1");
	/* the last '@' of the authority ends the user information */
	redacted_eq("http://u:p@ss@127.0.0.1/v1", "http://***@127.0.0.1/v1");
	redacted_eq("https://token@host", "https://***@host");
	/* an '@' after the authority is not user information */
	redacted_eq("https://host/v1/a@b?x=c@d#e@f",
	    "https://host/v1/a@b?x=c@d#e@f");
	redacted_eq("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1");
	/* no scheme: read as starting with the authority */
	redacted_eq("me:secret@host:1/v1", "***@host:1/v1");
	/* a key in the query string */
	redacted_eq("https://host/v1?api_key=sk-abcdefgh12345678",
	    "https://host/v1?api_key=sk-***");
	ck_assert_ptr_null(url_redact_userinfo(NULL));
}
END_TEST

Suite *
mask_suite(void)
{
	Suite	*s = suite_create("mask");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_mask_key);
	tcase_add_test(tc, test_mask_shapes);
	tcase_add_test(tc, test_url_redact);
	suite_add_tcase(s, tc);
	return (s);
}
