/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * log.h: one-line-per-message logging to stderr, OpenBSD style.
 *
 * Every line reads "<procname>[<pid>]: <message>", or "<N><message>" in
 * the journal style.  Control characters of the message are escaped
 * (log_escape()).  Levels: warnings and notices are always shown, info from
 * verbosity 1 (the default), debug from verbosity 2.  errno is preserved
 * across every call.
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>
#include <stddef.h>

#include "compat.h"

enum log_style {
	LOG_STYLE_PLAIN = 0,	/* "<proc>[<pid>]: msg" */
	LOG_STYLE_JOURNAL,	/* "<N>msg": journald adds name and pid */
};

/*
 * 1 when stderr is the journal stream that $JOURNAL_STREAM names (its
 * "device:inode" matches fstat(2) of stderr), else 0.  A shell started
 * from a service inherits the variable with another stderr, so the
 * variable alone proves nothing (systemd.exec(5)).
 */
int	log_stderr_is_journal(void);
/*
 * Copy srclen bytes of src into dst (dstlen bytes, NUL-terminated) with
 * every control character escaped: \n, \r, \t, other C0 and DEL as \xNN,
 * C1 characters (U+0080 to U+009F) as \u00NN, and bytes that are not
 * UTF-8 as \xNN.  Stops before an escape or character that does not fit.
 * Returns the length written (without the NUL).
 */
size_t	log_escape(char *dst, size_t dstlen, const char *src, size_t srclen);

void	log_init(int verbose);
void	log_procinit(const char *name);
void	log_setverbose(int verbose);
int	log_getverbose(void);
/*
 * Choose the line style.  LOG_STYLE_JOURNAL takes effect only when
 * log_stderr_is_journal(); otherwise the plain style stays.  Returns the
 * style in effect.
 */
enum log_style log_setstyle(enum log_style style);
void	log_settimestamps(int on);
/* Start each line by erasing the terminal line (a progress line). */
void	log_setclearline(int on);

void	log_warn(const char *, ...) PRINTFLIKE(1, 2);
void	log_warnx(const char *, ...) PRINTFLIKE(1, 2);
void	log_notice(const char *, ...) PRINTFLIKE(1, 2);
void	log_info(const char *, ...) PRINTFLIKE(1, 2);
void	log_debug(const char *, ...) PRINTFLIKE(1, 2);
void	vlog(int prio, const char *, va_list) PRINTFLIKE(2, 0);
__dead void fatal(const char *, ...) PRINTFLIKE(1, 2);
__dead void fatalx(const char *, ...) PRINTFLIKE(1, 2);

/* Priorities as in syslog(3), used by vlog() and the journal style. */
#define LOG_PRIO_ERR	3
#define LOG_PRIO_WARNING 4
#define LOG_PRIO_NOTICE	5
#define LOG_PRIO_INFO	6
#define LOG_PRIO_DEBUG	7

#endif /* LOG_H */
