/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * log.c: the logging state of a process (its name, verbosity and output
 * style) and the functions that format one line per message on stderr.
 * Control characters in a message are escaped, so no message can start a
 * line of its own or reach a terminal as an escape sequence.  It is the
 * only module with file-scope state besides the signal flags.
 */
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "utf8.h"

static const char	*log_procname = "articlegen";
static int		 log_verbose = 1;
static int		 log_timestamps;
static enum log_style	 log_style_cur = LOG_STYLE_PLAIN;
static int		 log_clear_line;

void
log_init(int verbose)
{
	log_verbose = verbose;
}

void
log_procinit(const char *name)
{
	if (name != NULL)
		log_procname = name;
}

void
log_setverbose(int verbose)
{
	log_verbose = verbose;
}

int
log_getverbose(void)
{
	return (log_verbose);
}

enum log_style
log_setstyle(enum log_style style)
{
	if (style == LOG_STYLE_JOURNAL && !log_stderr_is_journal())
		style = LOG_STYLE_PLAIN;
	log_style_cur = style;
	return (style);
}

void
log_settimestamps(int on)
{
	log_timestamps = on;
}

void
log_setclearline(int on)
{
	log_clear_line = on;
}

int
log_stderr_is_journal(void)
{
	const char	*js = getenv("JOURNAL_STREAM");
	struct stat	 sb;
	uintmax_t	 dev, ino;
	char		*end;
	int		 saved_errno = errno, match = 0;

	/* "DEV:INO", both decimal, nothing else */
	if (js == NULL || *js < '0' || *js > '9')
		return (0);
	errno = 0;
	dev = strtoumax(js, &end, 10);
	if (errno == 0 && *end == ':' && end[1] >= '0' && end[1] <= '9') {
		ino = strtoumax(end + 1, &end, 10);
		match = errno == 0 && *end == '\0' &&
		    fstat(STDERR_FILENO, &sb) == 0 &&
		    (uintmax_t)sb.st_dev == dev && (uintmax_t)sb.st_ino == ino;
	}
	errno = saved_errno;
	return (match);
}

size_t
log_escape(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*s = (const unsigned char *)src;
	char			 esc[8];
	size_t			 i = 0, o = 0, n, elen, k;
	uint32_t		 cp;

	if (dstlen == 0)
		return (0);
	while (i < srclen) {
		elen = 0;
		n = 1;
		if (s[i] < 0x20 || s[i] == 0x7f) {
			esc[elen++] = '\\';
			switch (s[i]) {
			case '\n': esc[elen++] = 'n'; break;
			case '\r': esc[elen++] = 'r'; break;
			case '\t': esc[elen++] = 't'; break;
			default:
				esc[elen++] = 'x';
				esc[elen++] = hex[s[i] >> 4];
				esc[elen++] = hex[s[i] & 0xf];
				break;
			}
		} else if (s[i] >= 0x80) {
			n = utf8_decode(src + i, srclen - i, &cp);
			if (cp == UTF8_REPLACEMENT && n == 1) {
				/* not UTF-8: a lone byte may be C1 to a terminal */
				esc[elen++] = '\\';
				esc[elen++] = 'x';
				esc[elen++] = hex[s[i] >> 4];
				esc[elen++] = hex[s[i] & 0xf];
			} else if (cp >= 0x80 && cp <= 0x9f) {
				esc[elen++] = '\\';
				esc[elen++] = 'u';
				esc[elen++] = '0';
				esc[elen++] = '0';
				esc[elen++] = hex[cp >> 4];
				esc[elen++] = hex[cp & 0xf];
			}
		}
		if (elen == 0) {
			/* printable: copy the whole character or nothing */
			if (o + n >= dstlen)
				break;
			for (k = 0; k < n; k++)
				dst[o++] = src[i + k];
		} else {
			if (o + elen >= dstlen)
				break;
			memcpy(dst + o, esc, elen);
			o += elen;
		}
		i += n;
	}
	dst[o] = '\0';
	return (o);
}

/*
 * Format one message into a single write(2) so that lines from several
 * processes sharing a stderr never interleave mid-line.  The journal style
 * has only the "<N>" priority in front: journald adds the name and pid.
 */
void
vlog(int prio, const char *fmt, va_list ap)
{
	char	 line[4096], msg[4096], stamp[32];
	int	 saved_errno = errno, n, off = 0;
	size_t	 len;

	if (((prio == LOG_PRIO_INFO || prio == LOG_PRIO_NOTICE) &&
	    log_verbose < 1) ||
	    (prio == LOG_PRIO_DEBUG && log_verbose < 2))
		return;
	stamp[0] = '\0';
	if (log_timestamps) {
		struct timespec	ts;
		struct tm	tm;

		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ ", &tm);
	}
	if (log_style_cur == LOG_STYLE_JOURNAL)
		off = snprintf(line, sizeof(line), "<%d>", prio);
	else
		off = snprintf(line, sizeof(line), "%s%s%s[%ld]: ",
		    log_clear_line ? "\r\033[K" : "", stamp, log_procname,
		    (long)getpid());
	if (off < 0 || (size_t)off >= sizeof(line))
		off = 0;
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(msg))
		n = sizeof(msg) - 1;
	/* one byte of line is kept for the newline */
	len = off + log_escape(line + off, sizeof(line) - off - 1, msg,
	    (size_t)n);
	line[len++] = '\n';
	(void)!write(STDERR_FILENO, line, len);
	errno = saved_errno;
}

static void PRINTFLIKE(2, 3)
log_prio(int prio, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(prio, fmt, ap);
	va_end(ap);
}

/* vlog() with ": strerror(errno)" appended, as log_warn() and fatal(). */
static void PRINTFLIKE(2, 0)
vlog_errno(int prio, const char *fmt, va_list ap)
{
	char	 msg[3072];
	int	 saved_errno = errno;

	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	log_prio(prio, "%s: %s", msg, strerror(saved_errno));
	errno = saved_errno;
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog_errno(LOG_PRIO_WARNING, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_PRIO_WARNING, fmt, ap);
	va_end(ap);
}

void
log_notice(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_PRIO_NOTICE, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_PRIO_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_PRIO_DEBUG, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog_errno(LOG_PRIO_ERR, fmt, ap);
	va_end(ap);
	exit(70);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_PRIO_ERR, fmt, ap);
	va_end(ap);
	exit(70);
}
