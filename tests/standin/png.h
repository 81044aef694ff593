/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * png.h: a small PNG writer for llm-standin's images API.  It needs no
 * zlib: the image data is held in "stored" (uncompressed) deflate blocks,
 * which every PNG decoder reads, with the zlib header, the Adler-32 and
 * each chunk's CRC-32 computed here.
 */
#ifndef STANDIN_PNG_H
#define STANDIN_PNG_H

#include <stddef.h>
#include <stdint.h>

/* The sizes the images API accepts, in pixels, for each side. */
#define PNG_SIDE_MIN	64
#define PNG_SIDE_MAX	2048

uint32_t	 png_crc32(uint32_t, const unsigned char *, size_t);
uint32_t	 png_adler32(uint32_t, const unsigned char *, size_t);

/*
 * Encode w x h pixels of 8 bits per sample, channels 1 (grey) or 3 (RGB),
 * rows top to bottom without padding, as a PNG file.  Returns the file
 * (owned) and its length in *lenp; NULL when the arguments are out of
 * range (a side of 0, or above 2^24).  Allocation failure is fatal.
 */
unsigned char	*png_encode(const unsigned char *pixels, uint32_t w,
		    uint32_t h, int channels, size_t *lenp);

/*
 * An RGB test pattern of w x h pixels derived from seed (a hash of the
 * prompt): a diagonal gradient between two colours with a checkerboard
 * of lighter squares over it.  The same seed and size give the same
 * bytes.  Returns the PNG file (owned) as png_encode() does.
 */
unsigned char	*png_pattern(uint32_t w, uint32_t h, uint64_t seed,
		    size_t *lenp);

#endif /* STANDIN_PNG_H */
