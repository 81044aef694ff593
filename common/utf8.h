/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * utf8.h: the few UTF-8 primitives the text rules need.  The original
 * pipeline measured strings in Python characters (code points), so lengths
 * and cuts here are in code points and never split a multi-byte sequence.
 */
#ifndef UTF8_H
#define UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT	0xfffdU

/*
 * Decode the code point at s (at most len bytes, len > 0) into *cpp and
 * return the number of bytes it takes (1 to 4).  A malformed, overlong,
 * surrogate or truncated sequence yields UTF8_REPLACEMENT and consumes one
 * byte, so every byte string walks as a string of characters.
 */
size_t	 utf8_decode(const char *s, size_t len, uint32_t *cpp);

/* Number of code points in the NUL-terminated s (malformed bytes count 1). */
size_t	 utf8_len(const char *s);

/*
 * Byte offset of code point number n in the first len bytes of s, or len
 * when s holds n or fewer code points.
 */
size_t	 utf8_offset(const char *s, size_t len, size_t n);

/* 1 when cp is whitespace for Python's str.isspace() (and so str.split()). */
int	 utf8_is_space(uint32_t cp);

/*
 * When the bytes at s (len of them) start with a whitespace character,
 * its length in bytes, else 0.
 */
size_t	 utf8_space_len(const char *s, size_t len);

/*
 * A NUL-terminated copy of the len bytes at s that is valid UTF-8 and
 * holds no NUL: every maximal ill-formed subsequence (as
 * translit_utf8_decode() counts them) and every NUL byte becomes U+FFFD.
 * For text from outside (a model's reply) that must reach a file or a
 * protocol line intact.  Owned by the caller.
 */
char	*utf8_scrub(const char *s, size_t len);

#endif /* UTF8_H */
