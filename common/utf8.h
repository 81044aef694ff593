/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * utf8.h: the program's one UTF-8 decoder and the primitives built on it.
 * The original pipeline measured strings in Python characters (code
 * points), so lengths and cuts here are in code points and never split a
 * multi-byte sequence.  Every other module decodes through utf8_next()
 * or one of its variants below; none has a decoder of its own.
 */
#ifndef UTF8_H
#define UTF8_H

#include <stddef.h>
#include <stdint.h>

struct buf;

#define UTF8_REPLACEMENT	0xfffdU
/* Code point utf8_next() reports for an ill-formed sequence. */
#define UTF8_INVALID		0xffffffffU

/*
 * The decoder.  Decode the character at s (len >= 1 bytes available) into
 * *cpp and return how many bytes it used (1 to 4).  An ill-formed sequence
 * sets *cpp to UTF8_INVALID and consumes its maximal ill-formed prefix (at
 * least one byte), the way Unicode recommends counting replacements:
 * overlong forms, surrogates, values above U+10FFFF and truncated
 * sequences are all ill-formed.  Slugs drop what it rejects, YAML and
 * utf8_scrub() replace it by U+FFFD.
 */
size_t	 utf8_next(const char *s, size_t len, uint32_t *cpp);

/*
 * The text rules' variant of utf8_next(): an ill-formed sequence yields
 * UTF8_REPLACEMENT and consumes one byte, so every byte string walks as
 * a string of characters and each stray byte counts as one.
 */
size_t	 utf8_decode(const char *s, size_t len, uint32_t *cpp);

/* 1 when the len bytes at s are well-formed UTF-8 (NUL bytes allowed). */
int	 utf8_valid(const char *s, size_t len);

/* Number of code points in the len bytes at s (as utf8_decode() walks). */
size_t	 utf8_count(const char *s, size_t len);

/* Number of code points in the NUL-terminated s (malformed bytes count 1). */
size_t	 utf8_len(const char *s);

/*
 * Byte offset of code point number n in the first len bytes of s, or len
 * when s holds n or fewer code points.
 */
size_t	 utf8_offset(const char *s, size_t len, size_t n);

/*
 * Start of the character that ends at byte offset i of s (i > 0): i - 1
 * stepped back over at most three continuation bytes.
 */
size_t	 utf8_prev(const char *s, size_t i);

/* Append the UTF-8 encoding of cp (at most U+10FFFF, not a surrogate). */
void	 utf8_put(struct buf *out, uint32_t cp);

/* 1 when cp is whitespace for Python's str.isspace() (and so str.split()). */
int	 utf8_is_space(uint32_t cp);

/*
 * When the bytes at s (len of them) start with a whitespace character,
 * its length in bytes, else 0.
 */
size_t	 utf8_space_len(const char *s, size_t len);

/*
 * A NUL-terminated copy of the len bytes at s that is valid UTF-8 and
 * holds no NUL: every maximal ill-formed subsequence (as utf8_next()
 * counts them) and every NUL byte becomes U+FFFD.  For text from outside
 * (a model's reply) that must reach a file or a protocol line intact.
 * Owned by the caller.
 */
char	*utf8_scrub(const char *s, size_t len);

#endif /* UTF8_H */
