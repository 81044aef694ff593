/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_proto.c: the JSON-lines protocol module.  Every message type goes
 * through encode and decode with awkward strings; every way a peer's line
 * can be refused is checked against its exact error text; the line reader
 * is driven through real pipes (several lines per read, a line cut across
 * reads, the cap, EOF, a non-blocking fd).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <json.h>

#include "compat.h"
#include "proto.h"
#include "tests.h"
#include "util.h"

/* Strings a worker may well carry: newlines, quotes, non-ASCII, emoji. */
static const char *const awkward[] = {
	"line one\nline two\n",
	"she said \"hi\" \\ and left / then\ttabbed",
	"caf\xc3\xa9 na\xc3\xafve \xe2\x80\x93 "
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
	"rocket \xf0\x9f\x9a\x80 and grin \xf0\x9f\x98\x80",
	"control \x01\x1f bytes and \r carriage",
	"",
};

static void
add_str(struct json_object *o, const char *key, const char *val)
{
	json_object_object_add(o, key, json_object_new_string(val));
}

static void
add_int(struct json_object *o, const char *key, long long val)
{
	json_object_object_add(o, key, json_object_new_int64(val));
}

/*
 * Encode o (moved in), check the framing, decode it into msg and check
 * the envelope.
 */
static void
round_trip(struct json_object *o, enum proto_type type, long long id,
    struct proto_msg *msg)
{
	char	 err[128];
	char	*line;
	size_t	 len;

	line = proto_encode(o, &len);
	ck_assert_ptr_nonnull(line);
	ck_assert_uint_eq(len, strlen(line));
	ck_assert_int_eq(line[len - 1], '\n');
	ck_assert_ptr_eq(memchr(line, '\n', len), line + len - 1);
	err[0] = '\0';
	ck_assert_msg(proto_decode(line, len - 1, msg, err, sizeof(err)) == 0,
	    "decode '%s': %s", line, err);
	free(line);
	ck_assert_int_eq(msg->m_type, type);
	ck_assert_int_eq(msg->m_version, PROTO_VERSION);
	ck_assert_int_eq(msg->m_id, id);
	ck_assert_ptr_nonnull(msg->m_obj);
	ck_assert_str_eq(proto_get_str(msg, "type"), proto_type_name(type));
}

START_TEST(test_type_table)
{
	static const char *const names[] = { "hello", "ready", "job",
	    "progress", "result", "error", "shutdown", "acquire", "grant",
	    "calldone", "spawn", "spawned" };
	enum proto_type	 t;
	int		 i;

	ck_assert_int_eq(PROTO_TYPE_MAX, 12);
	for (i = 1; i <= PROTO_TYPE_MAX; i++) {
		ck_assert_str_eq(proto_type_name((enum proto_type)i),
		    names[i - 1]);
		t = 0;
		ck_assert_int_eq(proto_type_lookup(names[i - 1], &t), 0);
		ck_assert_int_eq(t, i);
	}
	ck_assert_ptr_null(proto_type_name((enum proto_type)0));
	ck_assert_ptr_null(proto_type_name((enum proto_type)(PROTO_TYPE_MAX +
	    1)));
	ck_assert_int_eq(proto_type_lookup("Hello", &t), -1);
	ck_assert_int_eq(proto_type_lookup("", &t), -1);
	ck_assert_int_eq(proto_type_lookup("results", &t), -1);
	ck_assert_int_eq(proto_type_lookup(NULL, &t), -1);
}
END_TEST

START_TEST(test_roundtrip_handshake)
{
	struct proto_msg	 msg;
	struct json_object	*o;
	long long		 n;

	o = proto_new(PROTO_HELLO, 0);
	add_int(o, "worker", 3);
	add_int(o, "deadline_ms", 600000);
	round_trip(o, PROTO_HELLO, 0, &msg);
	ck_assert_ptr_null(proto_get_obj(&msg, "id"));
	ck_assert_int_eq(proto_get_int(&msg, "worker", 0, 1000, &n), 0);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(proto_get_int(&msg, "deadline_ms", 0, INT64_MAX, &n),
	    0);
	ck_assert_int_eq(n, 600000);
	proto_msg_release(&msg);
	ck_assert_ptr_null(msg.m_obj);

	o = proto_new(PROTO_READY, 0);
	add_int(o, "pid", 4242);
	add_str(o, "version", "0.1.0 \xf0\x9f\x9a\x80");
	round_trip(o, PROTO_READY, 0, &msg);
	ck_assert_int_eq(proto_get_int(&msg, "pid", 1, INT32_MAX, &n), 0);
	ck_assert_int_eq(n, 4242);
	ck_assert_str_eq(proto_get_str(&msg, "version"),
	    "0.1.0 \xf0\x9f\x9a\x80");
	proto_msg_release(&msg);

	o = proto_new(PROTO_SHUTDOWN, 0);
	round_trip(o, PROTO_SHUTDOWN, 0, &msg);
	ck_assert_int_eq(json_object_object_length(msg.m_obj), 2);
	proto_msg_release(&msg);
}
END_TEST

START_TEST(test_roundtrip_job)
{
	struct proto_msg	 msg;
	struct json_object	*o, *item, *set, *got, *v;
	long long		 n;
	size_t			 i;
	int			 b;
	char			 key[16];

	item = json_object_new_object();
	for (i = 0; i < nitems(awkward); i++) {
		snprintf(key, sizeof(key), "s%zu", i);
		add_str(item, key, awkward[i]);
	}
	json_object_object_add(item, "original", json_object_new_object());
	set = json_object_new_object();
	add_str(set, "base_url", "http://127.0.0.1:8080/v1");
	add_int(set, "timeout_s", 120);
	json_object_object_add(set, "run_id", NULL);
	json_object_object_add(set, "rate_limited",
	    json_object_new_boolean(1));
	add_int(set, "now", 1768358816);
	o = proto_new(PROTO_JOB, 9007199254740993LL);
	json_object_object_add(o, "item", item);
	json_object_object_add(o, "settings", set);
	round_trip(o, PROTO_JOB, 9007199254740993LL, &msg);

	got = proto_get_obj(&msg, "item");
	ck_assert_ptr_nonnull(got);
	ck_assert(json_object_is_type(got, json_type_object));
	for (i = 0; i < nitems(awkward); i++) {
		snprintf(key, sizeof(key), "s%zu", i);
		ck_assert(json_object_object_get_ex(got, key, &v));
		ck_assert_str_eq(json_object_get_string(v), awkward[i]);
	}
	got = proto_get_obj(&msg, "settings");
	ck_assert(json_object_object_get_ex(got, "run_id", &v));
	ck_assert_ptr_null(v);
	ck_assert(json_object_object_get_ex(got, "rate_limited", &v));
	ck_assert_int_eq(json_object_get_boolean(v), 1);
	ck_assert(json_object_object_get_ex(got, "now", &v));
	ck_assert_int_eq(json_object_get_int64(v), 1768358816);
	/* Top-level getters do not reach into nested objects. */
	ck_assert_int_eq(proto_get_bool(&msg, "rate_limited", &b), -1);
	ck_assert_int_eq(proto_get_int(&msg, "now", 0, INT64_MAX, &n), -1);
	proto_msg_release(&msg);
}
END_TEST

START_TEST(test_roundtrip_worker_messages)
{
	struct proto_msg	 msg;
	struct json_object	*o, *costs, *arr, *usage, *u, *v;
	long long		 n;
	size_t			 i;
	int			 b;

	o = proto_new(PROTO_PROGRESS, 7);
	add_str(o, "stage", "content");
	add_int(o, "attempt", 2);
	round_trip(o, PROTO_PROGRESS, 7, &msg);
	ck_assert_str_eq(proto_get_str(&msg, "stage"), "content");
	ck_assert_int_eq(proto_get_int(&msg, "attempt", 1, 10, &n), 0);
	ck_assert_int_eq(n, 2);
	proto_msg_release(&msg);

	o = proto_new(PROTO_ACQUIRE, 7);
	add_str(o, "op", "title");
	add_int(o, "tokens", 1500);
	round_trip(o, PROTO_ACQUIRE, 7, &msg);
	ck_assert_str_eq(proto_get_str(&msg, "op"), "title");
	ck_assert_int_eq(proto_get_int(&msg, "tokens", 0, 1000000, &n), 0);
	ck_assert_int_eq(n, 1500);
	proto_msg_release(&msg);

	o = proto_new(PROTO_GRANT, 7);
	add_int(o, "wait_ms", 0);
	round_trip(o, PROTO_GRANT, 7, &msg);
	ck_assert_int_eq(proto_get_int(&msg, "wait_ms", 0, 3600000, &n), 0);
	ck_assert_int_eq(n, 0);
	proto_msg_release(&msg);

	o = proto_new(PROTO_CALLDONE, 7);
	add_str(o, "op", "content");
	add_int(o, "status", 429);
	add_int(o, "prompt_tokens", 0);
	add_int(o, "completion_tokens", 0);
	add_int(o, "retry_after_ms", 20000);
	round_trip(o, PROTO_CALLDONE, 7, &msg);
	ck_assert_int_eq(proto_get_int(&msg, "status", 0, 599, &n), 0);
	ck_assert_int_eq(n, 429);
	ck_assert_int_eq(proto_get_int(&msg, "retry_after_ms", 0, INT64_MAX,
	    &n), 0);
	ck_assert_int_eq(n, 20000);
	proto_msg_release(&msg);

	o = proto_new(PROTO_RESULT, 7);
	add_str(o, "path", "content/posts/2026-01-14-caf\xc3\xa9.md");
	add_str(o, "file", "2026-01-14-caf\xc3\xa9.md");
	add_str(o, "title", awkward[1]);
	add_str(o, "slug", "cafe-naive");
	add_int(o, "words", 812);
	add_int(o, "reading_time", 4);
	json_object_object_add(o, "cost", json_object_new_double(0.0123456));
	costs = json_object_new_object();
	arr = json_object_new_array();
	json_object_array_add(arr, json_object_new_double(0.01));
	json_object_array_add(arr, json_object_new_double(0.0023456));
	json_object_object_add(costs, "content", arr);
	json_object_object_add(o, "costs", costs);
	usage = json_object_new_object();
	u = json_object_new_object();
	add_int(u, "prompt_tokens", 900);
	add_int(u, "completion_tokens", 1100);
	json_object_object_add(usage, "content", u);
	json_object_object_add(o, "usage", usage);
	add_int(o, "calls", 2);
	add_int(o, "elapsed_ms", 15432);
	round_trip(o, PROTO_RESULT, 7, &msg);
	ck_assert_str_eq(proto_get_str(&msg, "path"),
	    "content/posts/2026-01-14-caf\xc3\xa9.md");
	ck_assert_str_eq(proto_get_str(&msg, "title"), awkward[1]);
	ck_assert_int_eq(proto_get_int(&msg, "words", 0, INT32_MAX, &n), 0);
	ck_assert_int_eq(n, 812);
	/* A double is not an integer, whatever its value. */
	ck_assert_int_eq(proto_get_int(&msg, "cost", INT64_MIN, INT64_MAX,
	    &n), -1);
	v = proto_get_obj(&msg, "cost");
	ck_assert(json_object_is_type(v, json_type_double));
	ck_assert_double_eq_tol(json_object_get_double(v), 0.0123456, 1e-15);
	arr = json_object_object_get(proto_get_obj(&msg, "costs"), "content");
	ck_assert_uint_eq(json_object_array_length(arr), 2);
	ck_assert_double_eq_tol(json_object_get_double(
	    json_object_array_get_idx(arr, 1)), 0.0023456, 1e-15);
	u = json_object_object_get(proto_get_obj(&msg, "usage"), "content");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(u,
	    "completion_tokens")), 1100);
	proto_msg_release(&msg);

	for (i = 0; i < nitems(awkward); i++) {
		o = proto_new(PROTO_ERROR, 7);
		add_str(o, "code", "http_429");
		add_str(o, "message", awkward[i]);
		json_object_object_add(o, "retryable",
		    json_object_new_boolean(1));
		json_object_object_add(o, "fatal",
		    json_object_new_boolean(0));
		add_int(o, "http_status", 429);
		add_int(o, "calls", 1);
		round_trip(o, PROTO_ERROR, 7, &msg);
		ck_assert_str_eq(proto_get_str(&msg, "message"), awkward[i]);
		ck_assert_str_eq(proto_get_str(&msg, "code"), "http_429");
		b = -1;
		ck_assert_int_eq(proto_get_bool(&msg, "retryable", &b), 0);
		ck_assert_int_eq(b, 1);
		ck_assert_int_eq(proto_get_bool(&msg, "fatal", &b), 0);
		ck_assert_int_eq(b, 0);
		proto_msg_release(&msg);
	}
}
END_TEST

START_TEST(test_getters)
{
	static const char line[] = "{\"v\":2,\"type\":\"calldone\",\"id\":3,"
	    "\"s\":\"x\",\"i\":-5,\"d\":3.0,\"t\":true,\"f\":false,\"n\":null,"
	    "\"a\":[1],\"o\":{\"k\":1},\"big\":9223372036854775807,"
	    "\"huge\":9223372036854775808}";
	struct proto_msg	 msg;
	long long		 n;
	int			 b;
	char			 err[128];

	ck_assert_int_eq(proto_decode(line, sizeof(line) - 1, &msg, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(proto_get_str(&msg, "s"), "x");
	ck_assert_ptr_null(proto_get_str(&msg, "i"));
	ck_assert_ptr_null(proto_get_str(&msg, "n"));
	ck_assert_ptr_null(proto_get_str(&msg, "absent"));

	n = 99;
	ck_assert_int_eq(proto_get_int(&msg, "i", -5, -5, &n), 0);
	ck_assert_int_eq(n, -5);
	n = 99;
	ck_assert_int_eq(proto_get_int(&msg, "i", -4, 10, &n), -1);
	ck_assert_int_eq(proto_get_int(&msg, "i", -10, -6, &n), -1);
	ck_assert_int_eq(proto_get_int(&msg, "d", 0, 10, &n), -1);
	ck_assert_int_eq(proto_get_int(&msg, "s", 0, 10, &n), -1);
	ck_assert_int_eq(proto_get_int(&msg, "t", 0, 10, &n), -1);
	ck_assert_int_eq(proto_get_int(&msg, "n", 0, 10, &n), -1);
	ck_assert_int_eq(proto_get_int(&msg, "absent", 0, 10, &n), -1);
	ck_assert_int_eq(n, 99);
	ck_assert_int_eq(proto_get_int(&msg, "big", 0, INT64_MAX, &n), 0);
	ck_assert(n == INT64_MAX);
	ck_assert_int_eq(proto_get_int(&msg, "huge", 0, INT64_MAX, &n), -1);

	b = 7;
	ck_assert_int_eq(proto_get_bool(&msg, "t", &b), 0);
	ck_assert_int_eq(b, 1);
	ck_assert_int_eq(proto_get_bool(&msg, "f", &b), 0);
	ck_assert_int_eq(b, 0);
	b = 7;
	ck_assert_int_eq(proto_get_bool(&msg, "i", &b), -1);
	ck_assert_int_eq(proto_get_bool(&msg, "s", &b), -1);
	ck_assert_int_eq(proto_get_bool(&msg, "absent", &b), -1);
	ck_assert_int_eq(b, 7);

	ck_assert(json_object_is_type(proto_get_obj(&msg, "a"),
	    json_type_array));
	ck_assert(json_object_is_type(proto_get_obj(&msg, "o"),
	    json_type_object));
	ck_assert(json_object_is_type(proto_get_obj(&msg, "d"),
	    json_type_double));
	ck_assert(json_object_is_type(proto_get_obj(&msg, "s"),
	    json_type_string));
	ck_assert_ptr_null(proto_get_obj(&msg, "n"));
	ck_assert_ptr_null(proto_get_obj(&msg, "absent"));
	proto_msg_release(&msg);
	ck_assert_ptr_null(proto_get_str(&msg, "s"));
}
END_TEST

/* A well-formed envelope is accepted, with optional trailing whitespace. */
START_TEST(test_decode_ok)
{
	static const struct {
		const char	*line;
		enum proto_type	 type;
		long long	 id;
	} cases[] = {
		{ "{\"v\":2,\"type\":\"hello\"}", PROTO_HELLO, 0 },
		{ "{\"type\":\"grant\",\"id\":12,\"v\":2,\"x\":[{}]}",
		    PROTO_GRANT, 12 },
		{ "  {\"v\":2,\"type\":\"shutdown\"} \t \r", PROTO_SHUTDOWN,
		    0 },
		{ "{\"v\":2,\"type\":\"job\",\"id\":1,\"unknown\":{\"a\":1}}",
		    PROTO_JOB, 1 },
	};
	struct proto_msg	msg;
	size_t			i;
	char			err[128];

	for (i = 0; i < nitems(cases); i++) {
		err[0] = '\0';
		ck_assert_msg(proto_decode(cases[i].line,
		    strlen(cases[i].line), &msg, err, sizeof(err)) == 0,
		    "case %zu: %s", i, err);
		ck_assert_int_eq(msg.m_type, cases[i].type);
		ck_assert_int_eq(msg.m_id, cases[i].id);
		proto_msg_release(&msg);
	}
}
END_TEST

START_TEST(test_decode_errors)
{
	static const struct {
		const char	*line;
		size_t		 len;	/* 0: strlen(line) */
		const char	*err;
	} cases[] = {
		{ "not json", 0, "not valid JSON at offset 1: null expected" },
		{ "{\"v\":2,\"type\":\"hello\"", 0,
		    "truncated JSON at offset 21" },
		{ "{\"v\":2,\"type\":\"hel", 0, "truncated JSON at offset 18" },
		{ "", 0, "empty line" },
		{ "   ", 0, "truncated JSON at offset 3" },
		{ "42", 0, "expected an object, got int" },
		{ "\"hello\"", 0, "expected an object, got string" },
		{ "[{\"v\":2,\"type\":\"hello\"}]", 0,
		    "expected an object, got array" },
		{ "null", 0, "expected an object, got null" },
		{ "{\"v\":2,\"type\":\"hello\"} x", 0,
		    "trailing data at offset 23" },
		{ "{\"v\":2,\"type\":\"hello\"}{}", 0,
		    "trailing data at offset 22" },
		{ "{\"type\":\"hello\"}", 0, "missing v" },
		{ "{\"v\":3,\"type\":\"hello\"}", 0, "version 3, expected 2" },
		{ "{\"v\":0,\"type\":\"hello\"}", 0, "version 0, expected 2" },
		{ "{\"v\":\"1\",\"type\":\"hello\"}", 0, "v is not an integer" },
		{ "{\"v\":2.0,\"type\":\"hello\"}", 0, "v is not an integer" },
		{ "{\"v\":null,\"type\":\"hello\"}", 0, "v is not an integer" },
		{ "{\"v\":2}", 0, "missing type" },
		{ "{\"v\":2,\"type\":\"hullo\"}", 0, "unknown type 'hullo'" },
		{ "{\"v\":2,\"type\":\"a\\nb\"}", 0, "unknown type 'a?b'" },
		{ "{\"v\":2,\"type\":\"HELLO\"}", 0, "unknown type 'HELLO'" },
		{ "{\"v\":2,\"type\":3}", 0, "type is not a string" },
		{ "{\"v\":2,\"type\":[\"hello\"]}", 0, "type is not a string" },
		{ "{\"v\":2,\"type\":\"job\",\"id\":0}", 0, "id 0 out of range" },
		{ "{\"v\":2,\"type\":\"job\",\"id\":-3}", 0,
		    "id -3 out of range" },
		{ "{\"v\":2,\"type\":\"job\",\"id\":\"5\"}", 0,
		    "id is not an integer" },
		{ "{\"v\":2,\"type\":\"job\",\"id\":5.5}", 0,
		    "id is not an integer" },
		{ "{\"v\":2,\"type\":\"job\",\"id\":null}", 0,
		    "id is not an integer" },
		{ "{\"v\":2,\"type\":\"job\",\"id\":18446744073709551615}", 0,
		    "id is not an integer" },
		{ "{\"v\":2,\"type\":\"error\",\"message\":\"caf\xe9\"}", 0,
		    "invalid UTF-8 at offset 37" },
		{ "{\"v\":2,\"type\":\"error\",\"message\":\"\xf0\x9f\x9a\"}", 0,
		    "invalid UTF-8 at offset 36" },
		{ "{\"v\":2,\"type\":\"hello\"}\0", 23, "NUL byte at offset 22" },
		{ "{\"v\":2,\"ty\0pe\":\"hello\"}", 23, "NUL byte at offset 10" },
		/* The object, 15 arrays and the number: 17 levels. */
		{ "{\"v\":2,\"type\":\"job\",\"x\":[[[[[[[[[[[[[[[1]]]]]]]]]]]]"
		    "]]]}", 0, "nesting deeper than 16 at offset 39" },
	};
	struct proto_msg	msg;
	size_t			i, len;
	char			err[128];

	for (i = 0; i < nitems(cases); i++) {
		len = cases[i].len != 0 ? cases[i].len : strlen(cases[i].line);
		memset(err, 'X', sizeof(err));
		memset(&msg, 0xa5, sizeof(msg));
		ck_assert_msg(proto_decode(cases[i].line, len, &msg, err,
		    sizeof(err)) == -1, "case %zu accepted", i);
		ck_assert_msg(strcmp(err, cases[i].err) == 0,
		    "case %zu: got '%s', want '%s'", i, err, cases[i].err);
		ck_assert_ptr_null(msg.m_obj);
		ck_assert_int_eq(msg.m_id, 0);
		ck_assert_int_eq(msg.m_type, 0);
	}
}
END_TEST

/*
 * 16 levels are fine: json_tokener_new_ex(16) counts every value on the
 * path, the innermost scalar included, so this is the object, 14 arrays
 * and the number.
 */
START_TEST(test_decode_depth_limit)
{
	static const char line[] = "{\"v\":2,\"type\":\"job\",\"x\":"
	    "[[[[[[[[[[[[[[1]]]]]]]]]]]]]]}";
	struct proto_msg	msg;
	char			err[128];

	ck_assert_int_eq(proto_decode(line, sizeof(line) - 1, &msg, err,
	    sizeof(err)), 0);
	proto_msg_release(&msg);
	/* The decoder also survives a NULL error buffer. */
	ck_assert_int_eq(proto_decode("[]", 2, &msg, NULL, 0), -1);
}
END_TEST

/* A wrong version is reported in m_version; other errors leave 0. */
START_TEST(test_decode_version)
{
	struct proto_msg	msg;
	char			err[128];

	ck_assert_int_eq(proto_decode("{\"v\":3,\"type\":\"hello\"}", 22, &msg,
	    err, sizeof(err)), -1);
	ck_assert_int_eq(msg.m_version, 3);
	ck_assert_ptr_null(msg.m_obj);
	ck_assert_int_eq(proto_decode("{\"v\":-4,\"type\":\"hello\"}", 23,
	    &msg, err, sizeof(err)), -1);
	ck_assert_int_eq(msg.m_version, -1);
	ck_assert_int_eq(proto_decode("{\"v\":2,\"type\":\"hullo\"}", 22,
	    &msg, err, sizeof(err)), -1);
	ck_assert_int_eq(msg.m_version, 0);
	ck_assert_int_eq(proto_decode("{\"v\":\"2\"}", 9, &msg, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(msg.m_version, 0);
}
END_TEST

START_TEST(test_encode_cap)
{
	struct json_object	*o;
	struct proto_msg	 msg;
	char			*line, *big;
	size_t			 base, len;
	int			 fds[2];
	char			 err[128];

	/* The envelope with an empty string, to size the filler exactly. */
	o = proto_new(PROTO_ERROR, 1);
	add_str(o, "message", "");
	line = proto_encode(o, &base);
	ck_assert_ptr_nonnull(line);
	ck_assert_str_eq(line,
	    "{\"v\":2,\"type\":\"error\",\"id\":1,\"message\":\"\"}\n");
	free(line);
	base--;				/* without the '\n' */

	big = malloc(PROTO_LINE_MAX + 2);
	ck_assert_ptr_nonnull(big);
	memset(big, 'a', PROTO_LINE_MAX - base);
	big[PROTO_LINE_MAX - base] = '\0';
	o = proto_new(PROTO_ERROR, 1);
	add_str(o, "message", big);
	line = proto_encode(o, &len);
	ck_assert_ptr_nonnull(line);
	ck_assert_uint_eq(len, PROTO_LINE_MAX + 1);
	ck_assert_int_eq(proto_decode(line, len - 1, &msg, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(strlen(proto_get_str(&msg, "message")),
	    PROTO_LINE_MAX - base);
	proto_msg_release(&msg);
	free(line);

	/* One byte more does not fit. */
	memset(big, 'a', PROTO_LINE_MAX - base + 1);
	big[PROTO_LINE_MAX - base + 1] = '\0';
	o = proto_new(PROTO_ERROR, 1);
	add_str(o, "message", big);
	errno = 0;
	len = 12345;
	ck_assert_ptr_null(proto_encode(o, &len));
	ck_assert_int_eq(errno, EMSGSIZE);
	ck_assert_uint_eq(len, 12345);

	/* proto_send refuses it too and writes nothing. */
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(fd_set_nonblock(fds[0]), 0);
	o = proto_new(PROTO_ERROR, 1);
	add_str(o, "message", big);
	errno = 0;
	ck_assert_int_eq(proto_send(fds[1], o), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
	ck_assert_int_eq(read(fds[0], err, sizeof(err)), -1);
	ck_assert_int_eq(errno, EAGAIN);
	close(fds[0]);
	close(fds[1]);
	free(big);

	/* And a line over the cap is refused by the decoder. */
	ck_assert_int_eq(proto_decode("{}", PROTO_LINE_MAX + 1, &msg, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "line of 1048577 bytes exceeds 1048576");
}
END_TEST

START_TEST(test_send)
{
	struct proto_reader	*r;
	struct proto_msg	 msg;
	void			(*old)(int);
	char			*line;
	size_t			 len;
	int			 fds[2], of;
	char			 err[128];

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_ptr_nonnull(r = proto_reader_new(fds[0], PROTO_LINE_MAX));
	ck_assert_int_eq(proto_send(fds[1], proto_new(PROTO_SHUTDOWN, 0)), 0);
	ck_assert_int_eq(proto_send(fds[1], proto_new(PROTO_GRANT, 5)), 0);
	ck_assert_int_eq(proto_reader_fill(r), 26 + 30);
	line = proto_reader_getline(r, &len, &of);
	ck_assert_str_eq(line, "{\"v\":2,\"type\":\"shutdown\"}");
	ck_assert_int_eq(proto_decode(line, len, &msg, err, sizeof(err)), 0);
	ck_assert_int_eq(msg.m_type, PROTO_SHUTDOWN);
	proto_msg_release(&msg);
	line = proto_reader_getline(r, &len, &of);
	ck_assert_str_eq(line, "{\"v\":2,\"type\":\"grant\",\"id\":5}");
	proto_reader_free(r);
	close(fds[0]);

	/* A gone peer: -1 with errno from write(2). */
	old = signal(SIGPIPE, SIG_IGN);
	errno = 0;
	ck_assert_int_eq(proto_send(fds[1], proto_new(PROTO_SHUTDOWN, 0)), -1);
	ck_assert_int_eq(errno, EPIPE);
	signal(SIGPIPE, old);
	close(fds[1]);
}
END_TEST

/* Several lines arriving in one read come out one by one, in order. */
START_TEST(test_reader_many_lines)
{
	static const char data[] = "{\"a\":1}\n{\"b\":2}\n\n{\"c\":3}\npart";
	struct proto_reader	*r;
	char			*line;
	size_t			 len;
	int			 fds[2], of;

	ck_assert_int_eq(pipe(fds), 0);
	r = proto_reader_new(fds[0], 64);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(proto_reader_pending(r), 0);
	ck_assert_ptr_null(proto_reader_getline(r, &len, &of));
	ck_assert_int_eq(of, 0);
	ck_assert_int_eq(write(fds[1], data, sizeof(data) - 1),
	    sizeof(data) - 1);
	ck_assert_int_eq(proto_reader_fill(r), sizeof(data) - 1);
	ck_assert_uint_eq(proto_reader_pending(r), sizeof(data) - 1);

	line = proto_reader_getline(r, &len, &of);
	ck_assert_str_eq(line, "{\"a\":1}");
	ck_assert_uint_eq(len, 7);
	ck_assert_int_eq(of, 0);
	line = proto_reader_getline(r, &len, &of);
	ck_assert_str_eq(line, "{\"b\":2}");
	line = proto_reader_getline(r, &len, &of);
	ck_assert_str_eq(line, "");
	ck_assert_uint_eq(len, 0);
	line = proto_reader_getline(r, &len, &of);
	ck_assert_str_eq(line, "{\"c\":3}");
	ck_assert_ptr_null(proto_reader_getline(r, &len, &of));
	ck_assert_int_eq(of, 0);
	ck_assert_uint_eq(proto_reader_pending(r), 4);

	ck_assert_int_eq(write(fds[1], "ial\n", 4), 4);
	ck_assert_int_eq(proto_reader_fill(r), 4);
	line = proto_reader_getline(r, &len, &of);
	ck_assert_str_eq(line, "partial");
	ck_assert_uint_eq(proto_reader_pending(r), 0);
	proto_reader_free(r);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

/* A line cut across several reads is returned whole once its '\n' lands. */
START_TEST(test_reader_split)
{
	static const char *const parts[] = { "{\"v\":2,", "\"type\":\"sh",
	    "utdown\"", "}\n{\"v\"" };
	struct proto_reader	*r;
	struct proto_msg	 msg;
	char			*line;
	size_t			 i, len, total = 0;
	int			 fds[2], of;
	char			 err[128];

	ck_assert_int_eq(pipe(fds), 0);
	r = proto_reader_new(fds[0], PROTO_LINE_MAX);
	for (i = 0; i < 3; i++) {
		len = strlen(parts[i]);
		ck_assert_int_eq(write(fds[1], parts[i], len), (ssize_t)len);
		ck_assert_int_eq(proto_reader_fill(r), (ssize_t)len);
		total += len;
		ck_assert_ptr_null(proto_reader_getline(r, &len, &of));
		ck_assert_int_eq(of, 0);
		ck_assert_uint_eq(proto_reader_pending(r), total);
	}
	ck_assert_int_eq(write(fds[1], parts[3], strlen(parts[3])),
	    (ssize_t)strlen(parts[3]));
	ck_assert_int_eq(proto_reader_fill(r), (ssize_t)strlen(parts[3]));
	line = proto_reader_getline(r, &len, &of);
	ck_assert_str_eq(line, "{\"v\":2,\"type\":\"shutdown\"}");
	ck_assert_int_eq(proto_decode(line, len, &msg, err, sizeof(err)), 0);
	ck_assert_int_eq(msg.m_type, PROTO_SHUTDOWN);
	proto_msg_release(&msg);
	ck_assert_ptr_null(proto_reader_getline(r, &len, &of));
	ck_assert_uint_eq(proto_reader_pending(r), 4);
	proto_reader_free(r);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

/*
 * With maxline 16, a line of 16 bytes passes and one of 17 overflows,
 * also when an earlier line shared its read.  The overflow sticks.
 */
START_TEST(test_reader_cap)
{
	struct proto_reader	*r;
	char			*line;
	size_t			 len;
	int			 fds[2], of;

	ck_assert_int_eq(pipe(fds), 0);
	r = proto_reader_new(fds[0], 16);
	ck_assert_int_eq(write(fds[1], "0123456789abcdef\n", 17), 17);
	ck_assert_int_eq(proto_reader_fill(r), 17);
	line = proto_reader_getline(r, &len, &of);
	ck_assert_str_eq(line, "0123456789abcdef");
	ck_assert_uint_eq(len, 16);
	ck_assert_int_eq(of, 0);

	/* "ab" and 14 bytes of the long line come in the first read. */
	ck_assert_int_eq(write(fds[1], "ab\n0123456789abcdefg\n", 21), 21);
	ck_assert_int_eq(proto_reader_fill(r), 17);
	line = proto_reader_getline(r, &len, &of);
	ck_assert_str_eq(line, "ab");
	ck_assert_ptr_null(proto_reader_getline(r, &len, &of));
	ck_assert_int_eq(of, 0);
	ck_assert_uint_eq(proto_reader_pending(r), 14);
	ck_assert_int_eq(proto_reader_fill(r), 3);
	ck_assert_uint_eq(proto_reader_pending(r), 17);
	ck_assert_ptr_null(proto_reader_getline(r, &len, &of));
	ck_assert_int_eq(of, 1);
	ck_assert_ptr_null(proto_reader_getline(r, &len, &of));
	ck_assert_int_eq(of, 1);
	errno = 0;
	ck_assert_int_eq(proto_reader_fill(r), -1);
	ck_assert_int_eq(errno, ENOBUFS);
	proto_reader_free(r);

	close(fds[0]);
	close(fds[1]);

	/* A buffer full of unread lines must be drained before a fill. */
	ck_assert_int_eq(pipe(fds), 0);
	r = proto_reader_new(fds[0], 3);
	ck_assert_int_eq(write(fds[1], "ab\ncd\n", 6), 6);
	ck_assert_int_eq(proto_reader_fill(r), 4);
	errno = 0;
	ck_assert_int_eq(proto_reader_fill(r), -1);
	ck_assert_int_eq(errno, ENOBUFS);
	ck_assert_str_eq(proto_reader_getline(r, &len, &of), "ab");
	ck_assert_int_eq(proto_reader_fill(r), 2);
	ck_assert_str_eq(proto_reader_getline(r, &len, &of), "cd");
	ck_assert_int_eq(of, 0);
	proto_reader_free(r);

	ck_assert_ptr_null(proto_reader_new(fds[0], 0));
	ck_assert_int_eq(errno, EINVAL);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

/* The real cap: a line of PROTO_LINE_MAX bytes passes, one more overflows. */
START_TEST(test_reader_cap_full_size)
{
	struct proto_reader	*r;
	char			*line;
	size_t			 len, sent, n, total;
	ssize_t			 got;
	int			 fds[2], of, extra;
	char			 chunk[4096];

	memset(chunk, 'x', sizeof(chunk));
	for (extra = 0; extra <= 1; extra++) {
		ck_assert_int_eq(pipe(fds), 0);
		r = proto_reader_new(fds[0], PROTO_LINE_MAX);
		total = (size_t)PROTO_LINE_MAX + (size_t)extra;
		for (sent = 0; sent < total; sent += n) {
			n = total - sent;
			if (n > sizeof(chunk))
				n = sizeof(chunk);
			ck_assert_int_eq(write(fds[1], chunk, n), (ssize_t)n);
			while (proto_reader_pending(r) < sent + n) {
				got = proto_reader_fill(r);
				ck_assert_int_gt(got, 0);
			}
			ck_assert_ptr_null(proto_reader_getline(r, &len, &of));
			ck_assert_int_eq(of, sent + n > (size_t)PROTO_LINE_MAX);
		}
		if (!extra) {
			ck_assert_int_eq(write(fds[1], "\n", 1), 1);
			ck_assert_int_eq(proto_reader_fill(r), 1);
			line = proto_reader_getline(r, &len, &of);
			ck_assert_ptr_nonnull(line);
			ck_assert_uint_eq(len, PROTO_LINE_MAX);
			ck_assert_uint_eq(strspn(line, "x"), PROTO_LINE_MAX);
			ck_assert_int_eq(of, 0);
		} else {
			ck_assert_uint_eq(proto_reader_pending(r),
			    PROTO_LINE_MAX + 1);
		}
		proto_reader_free(r);
		close(fds[0]);
		close(fds[1]);
	}
}
END_TEST

/*
 * Thousands of lines through a reader whose cap is less than two lines:
 * reads end in the middle of lines, and only compaction lets this work,
 * since the buffer may never grow past the cap.
 */
START_TEST(test_reader_stream)
{
	struct proto_reader	*r;
	char			*line;
	size_t			 len;
	ssize_t			 n;
	int			 fds[2], of, i, want = 0;
	char			 buf[32], exp[32];

	ck_assert_int_eq(pipe(fds), 0);
	r = proto_reader_new(fds[0], 20);
	for (i = 0; i < 5000; i++) {
		len = (size_t)snprintf(buf, sizeof(buf), "line %07d\n", i);
		ck_assert_int_eq(write(fds[1], buf, len), (ssize_t)len);
		if (i % 7 != 6 && i != 4999)
			continue;
		/* Drain everything written so far. */
		while (want < i + 1) {
			n = proto_reader_fill(r);
			ck_assert_int_gt(n, 0);
			while ((line = proto_reader_getline(r, &len,
			    &of)) != NULL) {
				snprintf(exp, sizeof(exp), "line %07d", want++);
				ck_assert_str_eq(line, exp);
				ck_assert_uint_eq(len, 12);
			}
			ck_assert_int_eq(of, 0);
		}
		ck_assert_uint_eq(proto_reader_pending(r), 0);
	}
	ck_assert_int_eq(want, 5000);
	proto_reader_free(r);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

START_TEST(test_reader_eof)
{
	struct proto_reader	*r;
	size_t			 len;
	int			 fds[2], of;

	ck_assert_int_eq(pipe(fds), 0);
	r = proto_reader_new(fds[0], PROTO_LINE_MAX);
	ck_assert_int_eq(write(fds[1], "{\"v\":2,\"ty", 10), 10);
	close(fds[1]);
	ck_assert_int_eq(proto_reader_fill(r), 10);
	ck_assert_ptr_null(proto_reader_getline(r, &len, &of));
	ck_assert_int_eq(proto_reader_fill(r), 0);
	ck_assert_ptr_null(proto_reader_getline(r, &len, &of));
	ck_assert_int_eq(of, 0);
	ck_assert_uint_eq(proto_reader_pending(r), 10);
	proto_reader_free(r);
	close(fds[0]);
}
END_TEST

START_TEST(test_reader_nonblock)
{
	struct proto_reader	*r;
	size_t			 len;
	int			 fds[2], of;

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(fd_set_nonblock(fds[0]), 0);
	r = proto_reader_new(fds[0], 64);
	errno = 0;
	ck_assert_int_eq(proto_reader_fill(r), -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(write(fds[1], "ok\n", 3), 3);
	ck_assert_int_eq(proto_reader_fill(r), 3);
	ck_assert_str_eq(proto_reader_getline(r, &len, &of), "ok");
	errno = 0;
	ck_assert_int_eq(proto_reader_fill(r), -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_uint_eq(proto_reader_pending(r), 0);
	proto_reader_free(r);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

Suite *
proto_suite(void)
{
	Suite	*s = suite_create("proto");
	TCase	*tc;

	tc = tcase_create("codec");
	tcase_add_test(tc, test_type_table);
	tcase_add_test(tc, test_roundtrip_handshake);
	tcase_add_test(tc, test_roundtrip_job);
	tcase_add_test(tc, test_roundtrip_worker_messages);
	tcase_add_test(tc, test_getters);
	tcase_add_test(tc, test_decode_ok);
	tcase_add_test(tc, test_decode_errors);
	tcase_add_test(tc, test_decode_depth_limit);
	tcase_add_test(tc, test_decode_version);
	tcase_add_test(tc, test_encode_cap);
	suite_add_tcase(s, tc);

	tc = tcase_create("reader");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_send);
	tcase_add_test(tc, test_reader_many_lines);
	tcase_add_test(tc, test_reader_split);
	tcase_add_test(tc, test_reader_cap);
	tcase_add_test(tc, test_reader_cap_full_size);
	tcase_add_test(tc, test_reader_stream);
	tcase_add_test(tc, test_reader_eof);
	tcase_add_test(tc, test_reader_nonblock);
	suite_add_tcase(s, tc);
	return (s);
}
