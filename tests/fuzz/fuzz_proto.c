/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * fuzz_proto.c: libFuzzer harness for the protocol's decoder and line
 * reader, the code that reads every byte a worker (or articlegen) sends.
 *
 * The first input byte picks the reader's line cap (1 to 256, or the real
 * PROTO_LINE_MAX) and the second the size of the writes; the rest is the
 * byte stream, written through a non-blocking pipe in pieces while the
 * reader drains it, as a slow peer would.  Checked properties:
 *   - each line the reader returns is exactly the next '\n'-terminated
 *     piece of the stream, and the reader reports an overflow exactly when
 *     a piece is longer than the cap;
 *   - at end of stream the bytes left pending are exactly the unterminated
 *     tail;
 *   - every line that decodes re-encodes (proto_encode) to a line that
 *     decodes again to the same type and id.
 * A violation aborts, which libFuzzer records as a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "compat.h"
#include "log.h"
#include "proto.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct stream {
	const char	*s_data;	/* the whole stream */
	size_t		 s_len;
	size_t		 s_pos;		/* start of the next expected line */
	size_t		 s_maxline;
	int		 s_overflow;
};

static __dead void
fail(const char *why)
{
	fprintf(stderr, "fuzz_proto: %s\n", why);
	abort();
}

/* Decode a line; when it decodes, the re-encoded line must decode too. */
static void
check_decode(const char *line, size_t len)
{
	struct proto_msg	 m, m2;
	char			 err[256], *enc;
	size_t			 elen;

	if (proto_decode(line, len, &m, err, sizeof(err)) == -1) {
		if (m.m_obj != NULL)
			fail("m_obj left set after a decode error");
		if (err[0] == '\0')
			fail("decode error without a message");
		return;
	}
	if (proto_type_name(m.m_type) == NULL || m.m_version != PROTO_VERSION)
		fail("decoded message with a bad envelope");
	enc = proto_encode(json_object_get(m.m_obj), &elen);
	if (enc == NULL) {
		/* Only a line over the cap may fail to encode. */
		if (errno != EMSGSIZE)
			fail("proto_encode failed");
	} else {
		if (elen == 0 || enc[elen - 1] != '\n' ||
		    memchr(enc, '\n', elen - 1) != NULL)
			fail("encoded line is not one line");
		if (proto_decode(enc, elen - 1, &m2, err, sizeof(err)) == -1) {
			fprintf(stderr, "fuzz_proto: re-decode: %s: %s\n",
			    err, enc);
			fail("an encoded message does not decode");
		}
		if (m2.m_type != m.m_type || m2.m_id != m.m_id)
			fail("round trip changed the type or the id");
		proto_msg_release(&m2);
		free(enc);
	}
	proto_msg_release(&m);
}

/* Take every complete line the reader has, checking each against st. */
static void
drain(struct proto_reader *r, struct stream *st)
{
	const char	*nl;
	char		*line;
	size_t		 len;
	int		 overflow;

	while (!st->s_overflow) {
		line = proto_reader_getline(r, &len, &overflow);
		if (overflow) {
			/* Only right when the next piece exceeds the cap. */
			nl = memchr(st->s_data + st->s_pos, '\n',
			    st->s_len - st->s_pos);
			if (nl != NULL &&
			    (size_t)(nl - (st->s_data + st->s_pos)) <=
			    st->s_maxline)
				fail("overflow reported for a short line");
			st->s_overflow = 1;
			return;
		}
		if (line == NULL)
			return;
		if (len > st->s_maxline)
			fail("line longer than the cap");
		if (st->s_pos + len >= st->s_len ||
		    memcmp(line, st->s_data + st->s_pos, len) != 0 ||
		    st->s_data[st->s_pos + len] != '\n')
			fail("line differs from the stream");
		st->s_pos += len + 1;
		check_decode(line, len);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_procinit("fuzz_proto");
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proto_reader	*r;
	struct stream		 st;
	const char		*p;
	char			*copy;
	size_t			 chunk, off, n;
	ssize_t			 got;
	int			 fds[2];

	if (size < 2)
		return (0);
	memset(&st, 0, sizeof(st));
	st.s_maxline = data[0] == 0xff ? PROTO_LINE_MAX : 1 + data[0];
	chunk = 1 + data[1] % 64;
	/* An exact-size copy, so that ASan sees any read past the end. */
	st.s_len = size - 2;
	if ((copy = malloc(st.s_len + 1)) == NULL)
		return (0);
	memcpy(copy, data + 2, st.s_len);
	st.s_data = copy;

	/* The whole stream as one line. */
	check_decode(copy, st.s_len);

	if (pipe(fds) == -1)
		fail("pipe");
	if (fcntl(fds[0], F_SETFL, O_NONBLOCK) == -1)
		fail("fcntl");
	if ((r = proto_reader_new(fds[0], st.s_maxline)) == NULL)
		fail("proto_reader_new");
	for (off = 0; off < st.s_len && !st.s_overflow; off += n) {
		n = st.s_len - off < chunk ? st.s_len - off : chunk;
		p = copy + off;
		if (write(fds[1], p, n) != (ssize_t)n)
			fail("write to the pipe");
		for (;;) {
			drain(r, &st);
			if (st.s_overflow)
				break;
			got = proto_reader_fill(r);
			if (got > 0)
				continue;
			if (got == 0)
				fail("EOF while the writer is open");
			if (errno == EAGAIN)
				break;
			if (errno != ENOBUFS)
				fail("proto_reader_fill failed");
			/* Full: a line must be waiting or have overflowed. */
			drain(r, &st);
			if (!st.s_overflow)
				fail("buffer full without a line");
			break;
		}
	}
	close(fds[1]);
	while (!st.s_overflow) {
		drain(r, &st);
		got = proto_reader_fill(r);
		if (got == 0)
			break;
		if (got == -1 && errno != ENOBUFS && errno != EAGAIN)
			fail("proto_reader_fill failed at the end");
	}
	if (!st.s_overflow) {
		drain(r, &st);
		if (memchr(copy + st.s_pos, '\n', st.s_len - st.s_pos) != NULL)
			fail("a complete line was never returned");
		if (proto_reader_pending(r) != st.s_len - st.s_pos)
			fail("pending bytes differ from the unterminated tail");
	}
	proto_reader_free(r);
	close(fds[0]);
	free(copy);
	return (0);
}
