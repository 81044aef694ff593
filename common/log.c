/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * log.c: the logging state of a process (its name, verbosity and output
 * style) and the functions that format one line per message on stderr.
 * It is the only module with file-scope state besides the signal flags.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

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

void
log_setstyle(enum log_style style)
{
	log_style_cur = style;
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

/*
 * Format one message into a single write(2) so that lines from several
 * processes sharing a stderr never interleave mid-line.
 */
void
vlog(int prio, const char *fmt, va_list ap)
{
	char	 line[4096], stamp[32];
	int	 saved_errno = errno, n, off = 0;
	size_t	 len;

	if ((prio == LOG_PRIO_INFO && log_verbose < 1) ||
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
		off = snprintf(line, sizeof(line), "<%d>%s[%ld]: ", prio,
		    log_procname, (long)getpid());
	else
		off = snprintf(line, sizeof(line), "%s%s%s[%ld]: ",
		    log_clear_line ? "\r\033[K" : "", stamp, log_procname,
		    (long)getpid());
	if (off < 0 || (size_t)off >= sizeof(line))
		off = 0;
	n = vsnprintf(line + off, sizeof(line) - off, fmt, ap);
	if (n < 0)
		n = 0;
	len = off + (size_t)n;
	if (len > sizeof(line) - 2)
		len = sizeof(line) - 2;
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
