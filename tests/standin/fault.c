/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * fault.c: parsing and consuming the fault list of llm-standin.  The list
 * is kept as runs ("status:500" three times) rather than expanded, so a
 * test may ask for "100000*ok" without the stand-in allocating for each.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "fault.h"
#include "xmalloc.h"

#define FAULT_REPEAT_MAX	1000000
#define FAULT_TOKEN_MAX		64

struct fault_run {
	struct fault	 fr_fault;
	uint64_t	 fr_count;
};

struct fault_queue {
	struct fault_run *fq_runs;
	size_t		  fq_nruns;
	size_t		  fq_head;	/* first run not yet used up */
};

struct fault_queue *
fault_queue_new(void)
{
	return (xcalloc(1, sizeof(struct fault_queue)));
}

void
fault_queue_free(struct fault_queue *fq)
{
	if (fq == NULL)
		return;
	free(fq->fq_runs);
	free(fq);
}

/*
 * Parse a decimal number in [min, max] from the whole of s.  Returns 0, or
 * -1 when s is empty, has other characters or is out of range.
 */
static int
fault_number(const char *s, int64_t min, int64_t max, int64_t *out)
{
	const char	*errstr;
	long long	 v;

	if (*s == '\0' || !isdigit((unsigned char)*s))
		return (-1);
	v = strtonum(s, min, max, &errstr);
	if (errstr != NULL)
		return (-1);
	*out = v;
	return (0);
}

/*
 * Parse one token (already trimmed, without the "N*" prefix) into f.
 * Returns 0, or -1 with a message in errbuf.
 */
static int
fault_parse_token(const char *tok, struct fault *f, char *errbuf,
    size_t errlen)
{
	static const struct {
		const char	*name;
		enum fault_kind	 kind;
	} plain[] = {
		{ "ok",		FAULT_OK },
		{ "quota",	FAULT_QUOTA },
		{ "hang",	FAULT_HANG },
		{ "malformed",	FAULT_MALFORMED },
		{ "truncated",	FAULT_TRUNCATED },
		{ "empty",	FAULT_EMPTY },
		{ "close",	FAULT_CLOSE },
		{ "big",	FAULT_BIG },
		{ "length",	FAULT_LENGTH },
		{ "filtered",	FAULT_FILTERED },
		{ "refusal",	FAULT_REFUSAL },
		{ "sorry",	FAULT_SORRY },
		{ "parts",	FAULT_PARTS },
		{ "parts-refusal", FAULT_PARTS_REFUSAL },
		{ "short",	FAULT_SHORT },
		{ "no-choices",	FAULT_NO_CHOICES },
		{ "key-echo",	FAULT_KEY_ECHO },
		{ "echokey",	FAULT_KEY_ECHO },
		{ "diagram_invalid", FAULT_DIAGRAM_INVALID },
		{ "diagram_reject", FAULT_DIAGRAM_REJECT },
		{ "badschema",	FAULT_BADSCHEMA },
		{ "hostile",	FAULT_HOSTILE },
	};
	size_t	i;

	f->f_arg = 0;
	for (i = 0; i < nitems(plain); i++) {
		if (strcmp(tok, plain[i].name) == 0) {
			f->f_kind = plain[i].kind;
			return (0);
		}
	}
	if (strncmp(tok, "status:", 7) == 0) {
		f->f_kind = FAULT_STATUS;
		if (fault_number(tok + 7, 400, 599, &f->f_arg) == -1)
			goto bad_arg;
		return (0);
	}
	if (strncmp(tok, "rate:", 5) == 0) {
		f->f_kind = FAULT_RATE;
		if (fault_number(tok + 5, 0, 86400, &f->f_arg) == -1)
			goto bad_arg;
		return (0);
	}
	if (strncmp(tok, "slow:", 5) == 0) {
		f->f_kind = FAULT_SLOW;
		if (fault_number(tok + 5, 0, 3600000, &f->f_arg) == -1)
			goto bad_arg;
		return (0);
	}
	snprintf(errbuf, errlen, "unknown fault '%s'", tok);
	return (-1);
bad_arg:
	snprintf(errbuf, errlen, "bad argument in fault '%s' (status:400-599, "
	    "rate:0-86400, slow:0-3600000)", tok);
	return (-1);
}

/*
 * Replace the queue with the list in s (len bytes, not necessarily
 * NUL-terminated).  Tokens are separated by commas; blanks around them
 * are ignored, and a list of only blanks empties the queue.  On error
 * the queue is left as it was and -1 is returned with a message in
 * errbuf.
 */
int
fault_queue_set(struct fault_queue *fq, const char *s, size_t len,
    char *errbuf, size_t errlen)
{
	struct fault_run	*runs = NULL;
	struct fault		 f;
	const char		*p, *end, *comma, *a, *b;
	char			 tok[FAULT_TOKEN_MAX], *star;
	size_t			 nruns = 0, n;
	int64_t			 count;

	p = s;
	end = s + len;
	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p == end) {
		free(fq->fq_runs);
		fq->fq_runs = NULL;
		fq->fq_nruns = fq->fq_head = 0;
		return (0);
	}
	for (;;) {
		if ((comma = memchr(p, ',', (size_t)(end - p))) == NULL)
			comma = end;
		a = p;
		b = comma;
		while (a < b && isspace((unsigned char)*a))
			a++;
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		n = (size_t)(b - a);
		if (n == 0) {
			snprintf(errbuf, errlen, "empty fault token");
			goto fail;
		}
		if (n >= sizeof(tok) || memchr(a, '\0', n) != NULL) {
			snprintf(errbuf, errlen, "fault token too long or "
			    "not text");
			goto fail;
		}
		memcpy(tok, a, n);
		tok[n] = '\0';
		count = 1;
		if ((star = strchr(tok, '*')) != NULL) {
			*star = '\0';
			if (fault_number(tok, 1, FAULT_REPEAT_MAX,
			    &count) == -1) {
				snprintf(errbuf, errlen, "bad repeat count "
				    "'%s' (1-%d)", tok, FAULT_REPEAT_MAX);
				goto fail;
			}
			memmove(tok, star + 1, strlen(star + 1) + 1);
		}
		if (fault_parse_token(tok, &f, errbuf, errlen) == -1)
			goto fail;
		runs = xreallocarray(runs, nruns + 1, sizeof(*runs));
		runs[nruns].fr_fault = f;
		runs[nruns].fr_count = (uint64_t)count;
		nruns++;
		if (comma == end)
			break;
		p = comma + 1;
	}
	free(fq->fq_runs);
	fq->fq_runs = runs;
	fq->fq_nruns = nruns;
	fq->fq_head = 0;
	return (0);
fail:
	free(runs);
	return (-1);
}

/*
 * Take the next fault into f; FAULT_OK when the queue is empty.
 */
void
fault_queue_pop(struct fault_queue *fq, struct fault *f)
{
	struct fault_run	*r;

	f->f_kind = FAULT_OK;
	f->f_arg = 0;
	while (fq->fq_head < fq->fq_nruns) {
		r = &fq->fq_runs[fq->fq_head];
		if (r->fr_count == 0) {
			fq->fq_head++;
			continue;
		}
		*f = r->fr_fault;
		if (--r->fr_count == 0)
			fq->fq_head++;
		return;
	}
}

/* The number of faults still queued. */
uint64_t
fault_queue_pending(const struct fault_queue *fq)
{
	uint64_t	n = 0;
	size_t		i;

	for (i = fq->fq_head; i < fq->fq_nruns; i++)
		n += fq->fq_runs[i].fr_count;
	return (n);
}

/* Write the token spelling of f ("status:503") into buf. */
void
fault_name(const struct fault *f, char *buf, size_t len)
{
	switch (f->f_kind) {
	case FAULT_OK:
		snprintf(buf, len, "ok");
		break;
	case FAULT_STATUS:
		snprintf(buf, len, "status:%" PRId64, f->f_arg);
		break;
	case FAULT_RATE:
		snprintf(buf, len, "rate:%" PRId64, f->f_arg);
		break;
	case FAULT_QUOTA:
		snprintf(buf, len, "quota");
		break;
	case FAULT_HANG:
		snprintf(buf, len, "hang");
		break;
	case FAULT_MALFORMED:
		snprintf(buf, len, "malformed");
		break;
	case FAULT_TRUNCATED:
		snprintf(buf, len, "truncated");
		break;
	case FAULT_EMPTY:
		snprintf(buf, len, "empty");
		break;
	case FAULT_SLOW:
		snprintf(buf, len, "slow:%" PRId64, f->f_arg);
		break;
	case FAULT_CLOSE:
		snprintf(buf, len, "close");
		break;
	case FAULT_BIG:
		snprintf(buf, len, "big");
		break;
	case FAULT_LENGTH:
		snprintf(buf, len, "length");
		break;
	case FAULT_FILTERED:
		snprintf(buf, len, "filtered");
		break;
	case FAULT_REFUSAL:
		snprintf(buf, len, "refusal");
		break;
	case FAULT_SORRY:
		snprintf(buf, len, "sorry");
		break;
	case FAULT_PARTS:
		snprintf(buf, len, "parts");
		break;
	case FAULT_PARTS_REFUSAL:
		snprintf(buf, len, "parts-refusal");
		break;
	case FAULT_SHORT:
		snprintf(buf, len, "short");
		break;
	case FAULT_NO_CHOICES:
		snprintf(buf, len, "no-choices");
		break;
	case FAULT_KEY_ECHO:
		snprintf(buf, len, "key-echo");
		break;
	case FAULT_DIAGRAM_INVALID:
		snprintf(buf, len, "diagram_invalid");
		break;
	case FAULT_DIAGRAM_REJECT:
		snprintf(buf, len, "diagram_reject");
		break;
	case FAULT_BADSCHEMA:
		snprintf(buf, len, "badschema");
		break;
	case FAULT_HOSTILE:
		snprintf(buf, len, "hostile");
		break;
	}
}
