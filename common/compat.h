/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * compat.h: the one place for compiler attributes and small portability
 * macros shared by every module.
 */
#ifndef COMPAT_H
#define COMPAT_H

#ifndef __dead
#define __dead		__attribute__((__noreturn__))
#endif
#define UNUSED		__attribute__((__unused__))
#define PRINTFLIKE(f, a) __attribute__((__format__(__printf__, f, a)))

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#endif /* COMPAT_H */
