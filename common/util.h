/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * util.h: exit codes, fd helpers, clocks and small path helpers shared by
 * every program.
 */
#ifndef UTIL_H
#define UTIL_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

/*
 * Exit codes of articlegen (documented in README.md and articlegen(1)) and
 * of articlegen-worker.  sysexits(3) values where one fits.
 */
enum exit_code {
	EXIT_OK = 0,
	EXIT_ARTICLES_FAILED = 1,	/* some selected articles failed */
	EXIT_USAGE = 64,		/* EX_USAGE: bad command line */
	EXIT_DATAERR = 65,		/* EX_DATAERR: bad input file / bad reply */
	EXIT_NOINPUT = 66,		/* EX_NOINPUT: input file missing */
	EXIT_UNAVAILABLE = 69,		/* EX_UNAVAILABLE: API refused us for good */
	EXIT_SOFTWARE = 70,		/* EX_SOFTWARE: internal error */
	EXIT_OSERR = 71,		/* EX_OSERR: a system call failed */
	EXIT_CANTCREAT = 73,		/* EX_CANTCREAT: cannot write output */
	EXIT_IOERR = 74,		/* EX_IOERR: ledger, report or summary lost */
	EXIT_TEMPFAIL = 75,		/* EX_TEMPFAIL: retryable / interrupted */
	EXIT_PROTOCOL = 76,		/* EX_PROTOCOL: protocol violation */
	EXIT_CONFIG = 78,		/* EX_CONFIG: bad configuration */
	EXIT_EXEC_FAILED = 127,		/* exec of the worker failed */
};

int	 fd_set_nonblock(int fd);
int	 fd_set_cloexec(int fd);
int	 write_full(int fd, const void *buf, size_t len);	/* -1 + errno */
int64_t	 monotime_ms(void);
int64_t	 monotime_us(void);
int64_t	 walltime_ms(void);
void	 sleep_ms(int64_t ms);

/* "2026-01-14T02:46:56Z" for a UTC time; buf must hold 21+ bytes. */
void	 format_utc_iso(char *buf, size_t len, int64_t epoch_sec);
/* "2026-01-14" for a UTC time. */
void	 format_utc_date(char *buf, size_t len, int64_t epoch_sec);

/*
 * The directory holding the running executable (from /proc/self/exe),
 * or NULL.  Owned by the caller.
 */
char	*exe_dir(void);
/* 64-bit FNV-1a of a string: stable across runs and machines. */
uint64_t hash_fnv1a(const char *s);
/* mkdir -p dir (mode 0755); 0, or -1 with errno set. */
int	 mkdir_p(const char *dir);
/* mkdir -p the directory part of path; 0, or -1 with errno set. */
int	 mkdir_parent(const char *path);
/* 1 when path names an executable regular file. */
int	 is_executable(const char *path);
/* 1 when path names an existing regular file. */
int	 is_regular_file(const char *path);

#endif /* UTIL_H */
