/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * proto.c: the JSON-lines protocol spoken between articlegen and each
 * articlegen-worker over the worker's stdin and stdout.  This file owns
 * everything about the wire: the table of message types, the strict
 * decoder that turns one line into a checked envelope, the encoder that
 * turns a json-c object into one line, and the line reader that frames a
 * byte stream with a hard cap.  docs/PROTOCOL.md is the normative spec;
 * the code and that document must change together.
 *
 * Every byte that reaches the decoder or the reader comes from another
 * process, so nothing here trusts sizes it did not choose: the reader's
 * buffer is capped and allocated with plain malloc/reallocarray so that a
 * runaway peer costs us a recoverable error, never the process.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "compat.h"
#include "log.h"
#include "proto.h"
#include "util.h"

/* json-c nesting limit: deep enough for a job's item, small for a peer. */
#define PROTO_DEPTH_MAX		16

/* First allocation of a reader buffer; it doubles up to the cap. */
#define PROTO_READER_INIT	4096

/* How much of a peer's unknown type name goes into an error message. */
#define PROTO_ERRNAME_MAX	32

static const struct {
	enum proto_type	 pt_type;
	const char	*pt_name;
} proto_types[] = {
	{ PROTO_HELLO,		"hello" },
	{ PROTO_READY,		"ready" },
	{ PROTO_JOB,		"job" },
	{ PROTO_PROGRESS,	"progress" },
	{ PROTO_RESULT,		"result" },
	{ PROTO_ERROR,		"error" },
	{ PROTO_SHUTDOWN,	"shutdown" },
	{ PROTO_ACQUIRE,	"acquire" },
	{ PROTO_GRANT,		"grant" },
	{ PROTO_CALLDONE,	"calldone" },
	{ PROTO_SPAWN,		"spawn" },
	{ PROTO_SPAWNED,	"spawned" },
};

/*
 * The reader's buffer holds bytes [r_off, r_len) not yet returned as
 * lines.  r_size is what is allocated, r_cap the most it may ever be
 * (maxline plus one byte for the '\n').  r_scan is where the search for
 * the next '\n' resumes, so a line arriving in many small reads is not
 * rescanned from its start each time.
 */
struct proto_reader {
	int	 r_fd;
	int	 r_overflow;
	char	*r_buf;
	size_t	 r_size;
	size_t	 r_cap;
	size_t	 r_maxline;
	size_t	 r_off;
	size_t	 r_len;
	size_t	 r_scan;
};

const char *
proto_type_name(enum proto_type type)
{
	size_t	i;

	for (i = 0; i < nitems(proto_types); i++)
		if (proto_types[i].pt_type == type)
			return (proto_types[i].pt_name);
	return (NULL);
}

int
proto_type_lookup(const char *name, enum proto_type *typep)
{
	size_t	i;

	if (name == NULL)
		return (-1);
	for (i = 0; i < nitems(proto_types); i++) {
		if (strcmp(proto_types[i].pt_name, name) == 0) {
			*typep = proto_types[i].pt_type;
			return (0);
		}
	}
	return (-1);
}

/*
 * Store the value of a json-c integer in *out.  json-c keeps integers
 * above INT64_MAX as unsigned and clamps them when read as int64; those
 * are refused instead of being silently clamped.  Returns 0, or -1 when
 * obj is not an integer (doubles included) or does not fit.
 */
static int
json_int_value(struct json_object *obj, long long *out)
{
	int64_t	v;

	if (obj == NULL || !json_object_is_type(obj, json_type_int))
		return (-1);
	v = json_object_get_int64(obj);
	if (v == INT64_MAX && json_object_get_uint64(obj) > INT64_MAX)
		return (-1);
	*out = (long long)v;
	return (0);
}

static int
is_json_space(char c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\n');
}

/*
 * Copy at most PROTO_ERRNAME_MAX bytes of a peer-supplied name into dst
 * with control bytes replaced, so that an error message built from it
 * stays on one log line.
 */
static void
safe_name(char *dst, size_t dstlen, const char *src)
{
	size_t	i;

	for (i = 0; src[i] != '\0' && i + 1 < dstlen; i++) {
		if ((unsigned char)src[i] < 0x20 || src[i] == 0x7f)
			dst[i] = '?';
		else
			dst[i] = src[i];
	}
	dst[i] = '\0';
}

static void PRINTFLIKE(3, 4)
seterr(char *errbuf, size_t errlen, const char *fmt, ...)
{
	va_list	ap;

	if (errbuf == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(errbuf, errlen, fmt, ap);
	va_end(ap);
}

/*
 * Parse line[0..len) as exactly one JSON object followed by nothing but
 * whitespace.  Returns the object (owned by the caller), or NULL with
 * errbuf set.  json-c reports a value that could still go on (a bare
 * number, an object cut short) as "continue"; feeding it the terminating
 * NUL tells it the input is over, so a short object is reported as
 * truncated and a bare number as what it is.
 */
static struct json_object *
parse_object(const char *line, size_t len, char *errbuf, size_t errlen)
{
	struct json_tokener	*tok = NULL;
	struct json_object	*obj = NULL;
	enum json_tokener_error	 jerr;
	const char		*nul;
	size_t			 end, i;

	if (len == 0) {
		seterr(errbuf, errlen, "empty line");
		goto fail;
	}
	if (len > PROTO_LINE_MAX) {
		seterr(errbuf, errlen, "line of %zu bytes exceeds %d", len,
		    PROTO_LINE_MAX);
		goto fail;
	}
	if ((nul = memchr(line, '\0', len)) != NULL) {
		seterr(errbuf, errlen, "NUL byte at offset %zu",
		    (size_t)(nul - line));
		goto fail;
	}
	if ((tok = json_tokener_new_ex(PROTO_DEPTH_MAX)) == NULL) {
		seterr(errbuf, errlen, "out of memory");
		goto fail;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, line, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_continue) {
		obj = json_tokener_parse_ex(tok, "", 1);
		jerr = json_tokener_get_error(tok);
		if (jerr != json_tokener_success) {
			seterr(errbuf, errlen, "truncated JSON at offset %zu",
			    len);
			goto fail;
		}
		end = len;
	}
	switch (jerr) {
	case json_tokener_success:
		break;
	case json_tokener_error_depth:
		seterr(errbuf, errlen, "nesting deeper than %d at offset %zu",
		    PROTO_DEPTH_MAX, end);
		goto fail;
	case json_tokener_error_parse_utf8_string:
		seterr(errbuf, errlen, "invalid UTF-8 at offset %zu", end);
		goto fail;
	default:
		seterr(errbuf, errlen, "not valid JSON at offset %zu: %s", end,
		    json_tokener_error_desc(jerr));
		goto fail;
	}
	if (!json_object_is_type(obj, json_type_object)) {
		seterr(errbuf, errlen, "expected an object, got %s",
		    json_type_to_name(json_object_get_type(obj)));
		goto fail;
	}
	for (i = end; i < len; i++) {
		if (!is_json_space(line[i])) {
			seterr(errbuf, errlen, "trailing data at offset %zu",
			    i);
			goto fail;
		}
	}
	json_tokener_free(tok);
	return (obj);

fail:
	json_object_put(obj);
	if (tok != NULL)
		json_tokener_free(tok);
	return (NULL);
}

/*
 * Decode one line without its '\n'.  On success msg->m_obj is a new
 * reference owned by msg (release it with proto_msg_release()) and the
 * envelope fields are filled in.  On a protocol error returns -1 with
 * errbuf describing it; msg is then zeroed (m_obj NULL) and nothing is
 * left to free, except that when the line was a JSON object whose "v" is
 * an integer other than PROTO_VERSION, m_version holds that integer (-1
 * when it is not in 1..INT_MAX), so that the receiver of a "hello" can
 * answer "bad_version" rather than a generic protocol error.
 */
int
proto_decode(const char *line, size_t len, struct proto_msg *msg,
    char *errbuf, size_t errlen)
{
	struct json_object	*obj, *val;
	enum proto_type		 type;
	const char		*name;
	long long		 n, id = 0;
	int			 version = 0;
	char			 safe[PROTO_ERRNAME_MAX + 1];

	memset(msg, 0, sizeof(*msg));
	if ((obj = parse_object(line, len, errbuf, errlen)) == NULL)
		return (-1);

	if (!json_object_object_get_ex(obj, "v", &val)) {
		seterr(errbuf, errlen, "missing v");
		goto fail;
	}
	if (json_int_value(val, &n) == -1) {
		seterr(errbuf, errlen, "v is not an integer");
		goto fail;
	}
	if (n != PROTO_VERSION) {
		seterr(errbuf, errlen, "version %lld, expected %d", n,
		    PROTO_VERSION);
		/* Let a worker tell "bad_version" from other errors. */
		version = n > 0 && n <= INT_MAX ? (int)n : -1;
		goto fail;
	}

	if (!json_object_object_get_ex(obj, "type", &val)) {
		seterr(errbuf, errlen, "missing type");
		goto fail;
	}
	if (!json_object_is_type(val, json_type_string)) {
		seterr(errbuf, errlen, "type is not a string");
		goto fail;
	}
	name = json_object_get_string(val);
	if (proto_type_lookup(name, &type) == -1) {
		safe_name(safe, sizeof(safe), name);
		seterr(errbuf, errlen, "unknown type '%s'", safe);
		goto fail;
	}

	if (json_object_object_get_ex(obj, "id", &val)) {
		if (json_int_value(val, &id) == -1) {
			seterr(errbuf, errlen, "id is not an integer");
			goto fail;
		}
		if (id < 1) {
			seterr(errbuf, errlen, "id %lld out of range", id);
			goto fail;
		}
	}

	msg->m_type = type;
	msg->m_version = PROTO_VERSION;
	msg->m_id = id;
	msg->m_obj = obj;
	return (0);

fail:
	json_object_put(obj);
	msg->m_version = version;
	return (-1);
}

void
proto_msg_release(struct proto_msg *msg)
{
	if (msg == NULL)
		return;
	json_object_put(msg->m_obj);
	memset(msg, 0, sizeof(*msg));
}

/* The value under key, borrowed; NULL when absent or JSON null. */
static struct json_object *
get_field(const struct proto_msg *msg, const char *key)
{
	struct json_object	*val;

	if (msg == NULL || msg->m_obj == NULL)
		return (NULL);
	if (!json_object_object_get_ex(msg->m_obj, key, &val))
		return (NULL);
	return (val);
}

/*
 * The string under key, borrowed from msg->m_obj (valid until
 * proto_msg_release()).  NULL when absent, null or not a string.
 */
const char *
proto_get_str(const struct proto_msg *msg, const char *key)
{
	struct json_object	*val;

	val = get_field(msg, key);
	if (val == NULL || !json_object_is_type(val, json_type_string))
		return (NULL);
	return (json_object_get_string(val));
}

/*
 * The JSON integer under key, in [min, max], into *out.  Returns -1 and
 * leaves *out alone when the field is absent, not an integer (a double
 * such as 3.0 is refused) or out of range.
 */
int
proto_get_int(const struct proto_msg *msg, const char *key, long long min,
    long long max, long long *out)
{
	long long	n;

	if (json_int_value(get_field(msg, key), &n) == -1)
		return (-1);
	if (n < min || n > max)
		return (-1);
	*out = n;
	return (0);
}

/* The JSON boolean under key as 0/1 in *out; -1 when absent or not one. */
int
proto_get_bool(const struct proto_msg *msg, const char *key, int *out)
{
	struct json_object	*val;

	val = get_field(msg, key);
	if (val == NULL || !json_object_is_type(val, json_type_boolean))
		return (-1);
	*out = json_object_get_boolean(val) ? 1 : 0;
	return (0);
}

/*
 * The value under key, whatever its JSON type, borrowed from msg->m_obj:
 * take json_object_get() on it to keep it past proto_msg_release().  NULL
 * when absent or JSON null.
 */
struct json_object *
proto_get_obj(const struct proto_msg *msg, const char *key)
{
	return (get_field(msg, key));
}

/*
 * A new object holding the envelope: "v", "type" and, when id > 0, "id".
 * Owned by the caller, who normally moves it into proto_encode() or
 * proto_send().  These are small allocations of ours, so running out of
 * memory here is fatal.
 */
struct json_object *
proto_new(enum proto_type type, long long id)
{
	struct json_object	*obj;
	const char		*name;

	if ((name = proto_type_name(type)) == NULL)
		fatalx("%s: bad message type %d", __func__, (int)type);
	if ((obj = json_object_new_object()) == NULL)
		fatalx("%s: out of memory", __func__);
	if (json_object_object_add(obj, "v",
	    json_object_new_int(PROTO_VERSION)) != 0 ||
	    json_object_object_add(obj, "type",
	    json_object_new_string(name)) != 0)
		fatalx("%s: out of memory", __func__);
	if (id > 0 && json_object_object_add(obj, "id",
	    json_object_new_int64(id)) != 0)
		fatalx("%s: out of memory", __func__);
	return (obj);
}

/*
 * Serialise msg as one line ending in '\n'.  msg is moved in: it is put
 * on every path.  Returns an owned NUL-terminated string (free(3) it) and
 * its length including the '\n' in *lenp (if not NULL), or NULL with
 * errno EMSGSIZE when the line without its '\n' would be longer than
 * PROTO_LINE_MAX, ENOMEM when out of memory, EINVAL when msg is NULL.
 * json-c escapes control characters inside strings, so the only raw
 * '\n' in the result is the terminator.
 */
char *
proto_encode(struct json_object *msg, size_t *lenp)
{
	const char	*s;
	char		*line = NULL;
	size_t		 len;

	if (msg == NULL) {
		errno = EINVAL;
		return (NULL);
	}
	s = json_object_to_json_string_length(msg,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	if (s == NULL) {
		errno = ENOMEM;
		goto done;
	}
	if (len > PROTO_LINE_MAX) {
		errno = EMSGSIZE;
		goto done;
	}
	if ((line = malloc(len + 2)) == NULL)
		goto done;
	memcpy(line, s, len);
	line[len] = '\n';
	line[len + 1] = '\0';
	if (lenp != NULL)
		*lenp = len + 1;
done:
	json_object_put(msg);
	return (line);
}

/*
 * Encode msg (moved in) and write the whole line to fd.  Returns 0, or -1
 * with errno from proto_encode() or from write(2) (EPIPE when the peer is
 * gone, EAGAIN when a non-blocking fd is full: the line may then be
 * partly written and the stream is unusable).
 */
int
proto_send(int fd, struct json_object *msg)
{
	char	*line;
	size_t	 len;
	int	 rc, saved;

	if ((line = proto_encode(msg, &len)) == NULL)
		return (-1);
	rc = write_full(fd, line, len);
	saved = errno;
	free(line);
	errno = saved;
	return (rc);
}

/*
 * A reader for lines of at most maxline bytes (not counting the '\n') on
 * fd, which stays the caller's.  Owned by the caller, freed with
 * proto_reader_free().  Returns NULL with errno EINVAL for a zero or
 * absurd maxline, ENOMEM when out of memory.
 */
struct proto_reader *
proto_reader_new(int fd, size_t maxline)
{
	struct proto_reader	*r;

	if (maxline == 0 || maxline >= SIZE_MAX / 2) {
		errno = EINVAL;
		return (NULL);
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return (NULL);
	r->r_fd = fd;
	r->r_maxline = maxline;
	r->r_cap = maxline + 1;
	r->r_size = r->r_cap < PROTO_READER_INIT ? r->r_cap :
	    PROTO_READER_INIT;
	if ((r->r_buf = malloc(r->r_size)) == NULL) {
		free(r);
		return (NULL);
	}
	return (r);
}

void
proto_reader_free(struct proto_reader *r)
{
	if (r == NULL)
		return;
	free(r->r_buf);
	r->r_buf = NULL;
	free(r);
}

/*
 * Make room at the end of the buffer: move the unread bytes to the front,
 * then grow (doubling, never past r_cap) when the buffer is still full.
 * Returns the free space, which is 0 only when r_cap unread bytes are
 * buffered; -1 with errno ENOMEM when growing fails (the reader is then
 * unchanged and still usable).
 */
static ssize_t
reader_make_room(struct proto_reader *r)
{
	size_t	 nsize;
	char	*nbuf;

	if (r->r_off > 0) {
		if (r->r_len > r->r_off)
			memmove(r->r_buf, r->r_buf + r->r_off,
			    r->r_len - r->r_off);
		r->r_len -= r->r_off;
		r->r_scan -= r->r_off;
		r->r_off = 0;
	}
	if (r->r_len == r->r_size && r->r_size < r->r_cap) {
		nsize = r->r_size > r->r_cap / 2 ? r->r_cap : r->r_size * 2;
		if ((nbuf = reallocarray(r->r_buf, nsize, 1)) == NULL)
			return (-1);
		r->r_buf = nbuf;
		r->r_size = nsize;
	}
	return ((ssize_t)(r->r_size - r->r_len));
}

/*
 * One read(2) into the buffer, retried on EINTR.  Returns the bytes read,
 * 0 at end of file, or -1 with errno set: EAGAIN when a non-blocking fd
 * has nothing, ENOBUFS when the buffer is full (a whole line of maxline
 * bytes is waiting to be taken, or the line has overflowed: see
 * proto_reader_getline()), ENOMEM when growing the buffer fails.
 */
ssize_t
proto_reader_fill(struct proto_reader *r)
{
	ssize_t	room, n;

	if (r->r_overflow) {
		errno = ENOBUFS;
		return (-1);
	}
	if ((room = reader_make_room(r)) == -1)
		return (-1);
	if (room == 0) {
		errno = ENOBUFS;
		return (-1);
	}
	do {
		n = read(r->r_fd, r->r_buf + r->r_len, (size_t)room);
	} while (n == -1 && errno == EINTR);
	if (n > 0)
		r->r_len += (size_t)n;
	return (n);
}

/*
 * The next complete line, with its '\n' replaced by a NUL, and its length
 * in *lenp (if not NULL).  The line lives in the reader's buffer and is
 * borrowed until the next call on the reader.  Returns NULL when no whole
 * line is buffered yet.  When more than maxline bytes are buffered
 * without a '\n', the line is over the cap: returns NULL with *overflow
 * (if not NULL) set to 1, for this and every later call; the stream can
 * no longer be framed and the peer should be dropped.
 */
char *
proto_reader_getline(struct proto_reader *r, size_t *lenp, int *overflow)
{
	char	*line, *nl;
	size_t	 len;

	if (overflow != NULL)
		*overflow = 0;
	if (r->r_overflow)
		goto overflowed;
	if (r->r_scan < r->r_off)
		r->r_scan = r->r_off;
	nl = memchr(r->r_buf + r->r_scan, '\n', r->r_len - r->r_scan);
	if (nl == NULL) {
		r->r_scan = r->r_len;
		if (r->r_len - r->r_off > r->r_maxline) {
			r->r_overflow = 1;
			goto overflowed;
		}
		return (NULL);
	}
	line = r->r_buf + r->r_off;
	len = (size_t)(nl - line);
	/* Cannot trigger with a cap of maxline + 1; kept as a guard. */
	if (len > r->r_maxline) {
		r->r_overflow = 1;
		goto overflowed;
	}
	*nl = '\0';
	r->r_off += len + 1;
	r->r_scan = r->r_off;
	if (r->r_off == r->r_len)
		r->r_off = r->r_len = r->r_scan = 0;
	if (lenp != NULL)
		*lenp = len;
	return (line);

overflowed:
	if (overflow != NULL)
		*overflow = 1;
	return (NULL);
}

size_t
proto_reader_pending(const struct proto_reader *r)
{
	return (r->r_len - r->r_off);
}
