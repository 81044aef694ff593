/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * tests.h: helpers shared by the Check suites.  Every suite is a function
 * "Suite *\nNAME_suite(void)" in a tests/check_*.c file; the Makefile finds
 * them and check_main.c runs them all in one runner.
 */
#ifndef TESTS_H
#define TESTS_H

#include <check.h>

/* Prototypes of every suite, generated from tests/check_*.c. */
#define SUITE(f) Suite *f(void);
#include "suites.inc"
#undef SUITE

/* Absolute path of the source tree / build directory (from the Makefile). */
const char	*test_srcdir(void);
const char	*test_builddir(void);
/* A fresh empty directory under $TMPDIR; owned by the caller. */
char		*test_tmpdir(const char *tag);
/* Remove a tree made by test_tmpdir(). */
void		 test_rmtree(const char *path);
/* Read a whole file into an owned NUL-terminated string, or NULL. */
char		*test_read_file(const char *path, size_t *lenp);
/* Write s to path; 0 or -1. */
int		 test_write_file(const char *path, const char *s);

#endif /* TESTS_H */
