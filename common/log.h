/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * log.h: one-line-per-message logging to stderr, OpenBSD style.
 *
 * Every line reads "<procname>[<pid>]: <message>".  Levels: warnings and
 * notices are always shown, info from verbosity 1 (the default), debug from
 * verbosity 2.  errno is preserved across every call.
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>

#include "compat.h"

enum log_style {
	LOG_STYLE_PLAIN = 0,	/* "<proc>[<pid>]: msg" */
	LOG_STYLE_JOURNAL,	/* "<N>" priority prefix for journald */
};

void	log_init(int verbose);
void	log_procinit(const char *name);
void	log_setverbose(int verbose);
int	log_getverbose(void);
void	log_setstyle(enum log_style style);
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
