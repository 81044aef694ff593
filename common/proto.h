/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * proto.h: the articlegen <-> articlegen-worker JSON-lines protocol
 * (docs/PROTOCOL.md is the normative description).
 *
 * One JSON object per '\n'-terminated line.  Every message carries "v"
 * (PROTO_VERSION) and "type"; messages about a job carry "id" (>= 1).
 * Unknown fields are ignored; an unknown type, a wrong version, a value
 * that is not an object, trailing garbage or a line over the cap is a
 * protocol error.
 */
#ifndef PROTO_H
#define PROTO_H

#include <sys/types.h>

#include <stddef.h>

struct json_object;

#define PROTO_VERSION	2
#define PROTO_LINE_MAX	(1024 * 1024)

enum proto_type {
	PROTO_HELLO = 1,	/* O->W: worker (its slot) */
	PROTO_READY,		/* W->O: pid, version (of the program) */
	PROTO_JOB,		/* O->W: id, kind, the kind's input */
	PROTO_PROGRESS,		/* W->O: id, stage */
	PROTO_RESULT,		/* W->O: id, the kind's outcome */
	PROTO_ERROR,		/* W->O: id, code, message, retryable */
	PROTO_SHUTDOWN,		/* O->W */
	PROTO_ACQUIRE,		/* W->O: id, op, tokens: may I call the API? */
	PROTO_GRANT,		/* O->W: id, wait_ms: go (after wait_ms) */
	PROTO_CALLDONE,		/* W->O: id, op, model, status, tokens, cost,
				   retry_after_ms */
	PROTO_SPAWN,		/* O->F: worker, verbose (fork server channel) */
	PROTO_SPAWNED,		/* F->O: pid (fork server channel) */
};
#define PROTO_TYPE_MAX	PROTO_SPAWNED

const char	*proto_type_name(enum proto_type);	/* NULL if unknown */
int		 proto_type_lookup(const char *, enum proto_type *); /* 0/-1 */

/* A decoded message.  m_obj is owned; proto_msg_release() puts it. */
struct proto_msg {
	enum proto_type		 m_type;
	int			 m_version;
	long long		 m_id;		/* 0 when absent */
	struct json_object	*m_obj;
};

/*
 * Decode one line (without its '\n').  Returns 0 and fills msg, or -1 with
 * errbuf describing the protocol error ("not valid JSON at offset 12",
 * "unknown type 'foo'", "version 2, expected 1", ...).  On error m_obj is
 * NULL and m_version is 0, except for a wrong "v": then m_version is that
 * version (-1 when not in 1..INT_MAX), so a worker can answer bad_version.
 */
int	 proto_decode(const char *line, size_t len, struct proto_msg *msg,
	    char *errbuf, size_t errlen);
void	 proto_msg_release(struct proto_msg *);

/* Field getters.  Strings are borrowed from msg->m_obj. */
const char *proto_get_str(const struct proto_msg *, const char *key);
int	 proto_get_int(const struct proto_msg *, const char *key,
	    long long min, long long max, long long *out);	/* 0/-1 */
int	 proto_get_bool(const struct proto_msg *, const char *key, int *out);
struct json_object *proto_get_obj(const struct proto_msg *, const char *key);

/*
 * A new message object with "v", "type" and, when id > 0, "id".  The
 * caller adds fields and passes it to proto_encode().
 */
struct json_object *proto_new(enum proto_type, long long id);

/*
 * Serialise msg (moved in: it is put here) as one line ending in '\n'.
 * Returns an owned string, or NULL when the line would exceed
 * PROTO_LINE_MAX.
 */
char	*proto_encode(struct json_object *msg, size_t *lenp);

/* proto_encode() then write_full() to fd.  0, or -1 with errno set. */
int	 proto_send(int fd, struct json_object *msg);

/*
 * Line framing over a file descriptor, for non-blocking fds (articlegen)
 * and blocking fds (worker).  The reader does not own fd.
 */
struct proto_reader;

struct proto_reader *proto_reader_new(int fd, size_t maxline);
void	 proto_reader_free(struct proto_reader *);
/*
 * read(2) once into the buffer.  Returns bytes read, 0 at EOF, -1 with
 * errno set (EAGAIN when a non-blocking fd has nothing).
 */
ssize_t	 proto_reader_fill(struct proto_reader *);
/*
 * The next complete line without its '\n' (NUL-terminated), borrowed until
 * the next call on the reader; NULL when no complete line is buffered.
 * Sets *overflow to 1 (and returns NULL) when the buffered line has
 * exceeded maxline: the stream is then unusable.
 */
char	*proto_reader_getline(struct proto_reader *, size_t *lenp,
	    int *overflow);
/* Bytes buffered but not yet returned as a line. */
size_t	 proto_reader_pending(const struct proto_reader *);

#endif /* PROTO_H */
