/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * escape.h: how a string from the input or from an API is made safe to
 * print.  Item ids, titles, file names and server messages reach logs,
 * the summary, GitHub Actions workflow commands and the journal; a
 * newline in one would forge a line (or a workflow command), an escape
 * sequence would drive the terminal.
 */
#ifndef ESCAPE_H
#define ESCAPE_H

#include <stdio.h>

struct buf;

/*
 * Append s to b for display on one line: every C0 control character
 * (newline, CR, tab, ESC, ...), DEL, every C1 control (U+0080-U+009F),
 * the line and paragraph separators U+2028/U+2029, the bidirectional
 * overrides and isolates (U+202A-U+202E, U+2066-U+2069) and every byte
 * that is not part of valid UTF-8 are written as \xNN per byte.  Other
 * text, valid UTF-8 included, is copied.  s may be NULL (nothing).
 */
void	 esc_display_buf(struct buf *, const char *s);
/* esc_display_buf() into a new string; owned by the caller. */
char	*esc_display(const char *s);
/* esc_display_buf() to f; 0, or EOF on a write error. */
int	 esc_fputs(FILE *, const char *s);

/*
 * GitHub Actions workflow commands ("::error title=T::message").  The
 * message (data) is display-escaped, then '%', CR and LF become %25, %0D
 * and %0A; a property value also has ':' and ',' as %3A and %2C, as the
 * runner decodes them.
 */
void	 esc_gha_data_buf(struct buf *, const char *s);
void	 esc_gha_property_buf(struct buf *, const char *s);

#endif /* ESCAPE_H */
