/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * png.c: PNG files for llm-standin's images API, without zlib.  A PNG is
 * the 8-byte signature, then chunks (length, type, data, CRC-32 of type
 * and data): IHDR, IDAT and IEND here.  The IDAT chunks, taken together,
 * hold a zlib stream of the filtered rows (each row a filter byte, 0 for
 * "none", then its samples).  That stream is a two-byte header, deflate
 * blocks and the Adler-32 of the uncompressed bytes; deflate's "stored"
 * blocks (BTYPE 00) carry up to 65535 bytes each, as they are, so no
 * compressor is needed, only the two checksums.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "png.h"
#include "xmalloc.h"

#define PNG_STORED_MAX	65535		/* bytes in one stored block */
#define PNG_IDAT_MAX	(256 * 1024)	/* bytes of the stream per IDAT */
#define PNG_DIM_MAX	(1u << 24)

static const unsigned char png_signature[8] = {
	0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
};

static uint32_t	png_crc_table[256];
static int	png_crc_ready;

/* Fill the table of the reflected CRC-32 polynomial 0xedb88320. */
static void
png_crc_init(void)
{
	uint32_t	c;
	int		n, k;

	for (n = 0; n < 256; n++) {
		c = (uint32_t)n;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320U ^ (c >> 1) : c >> 1;
		png_crc_table[n] = c;
	}
	png_crc_ready = 1;
}

/*
 * The CRC-32 of len bytes at p continued from crc (0 to start), as PNG
 * and zlib define it (pre- and post-inverted).
 */
uint32_t
png_crc32(uint32_t crc, const unsigned char *p, size_t len)
{
	size_t	i;

	if (!png_crc_ready)
		png_crc_init();
	crc ^= 0xffffffffU;
	for (i = 0; i < len; i++)
		crc = png_crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return (crc ^ 0xffffffffU);
}

/* The Adler-32 of len bytes at p continued from adler (1 to start). */
uint32_t
png_adler32(uint32_t adler, const unsigned char *p, size_t len)
{
	uint32_t	a = adler & 0xffff, b = adler >> 16;
	size_t		i, n;

	/* 5552 bytes is the most that cannot overflow before the modulo */
	while (len > 0) {
		n = len < 5552 ? len : 5552;
		for (i = 0; i < n; i++) {
			a += p[i];
			b += a;
		}
		a %= 65521;
		b %= 65521;
		p += n;
		len -= n;
	}
	return ((b << 16) | a);
}

static void
png_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/*
 * Write the chunk "type" holding len bytes of data at out and return the
 * bytes written (12 + len).  data may already be at out + 8.
 */
static size_t
png_chunk(unsigned char *out, const char *type, const unsigned char *data,
    size_t len)
{
	png_put32(out, (uint32_t)len);
	memcpy(out + 4, type, 4);
	if (len > 0 && data != out + 8)
		memmove(out + 8, data, len);
	png_put32(out + 8 + len, png_crc32(0, out + 4, 4 + len));
	return (12 + len);
}

unsigned char *
png_encode(const unsigned char *pixels, uint32_t w, uint32_t h, int channels,
    size_t *lenp)
{
	unsigned char	*z, *out, *p, ihdr[13];
	size_t		 rowlen, raw, nblocks, zlen, nidat, cap, off, i, n;
	size_t		 y, left;
	uint32_t	 adler = 1;

	*lenp = 0;
	if (w == 0 || h == 0 || w > PNG_DIM_MAX || h > PNG_DIM_MAX ||
	    (channels != 1 && channels != 3))
		return (NULL);
	rowlen = (size_t)w * (size_t)channels;
	raw = (size_t)h * (rowlen + 1);
	nblocks = (raw + PNG_STORED_MAX - 1) / PNG_STORED_MAX;
	zlen = 2 + nblocks * 5 + raw + 4;

	/* the zlib stream: header, stored blocks of filtered rows, Adler-32 */
	z = xmalloc(zlen);
	z[0] = 0x78;	/* deflate, 32 KiB window */
	z[1] = 0x01;	/* no dictionary, fastest; (0x78 * 256 + 1) % 31 == 0 */
	p = z + 2;
	y = 0;
	off = 0;	/* bytes of the current row already written */
	left = raw;
	for (i = 0; i < nblocks; i++) {
		n = left < PNG_STORED_MAX ? left : PNG_STORED_MAX;
		left -= n;
		*p++ = left == 0 ? 1 : 0;	/* BFINAL, BTYPE 00 */
		p[0] = (unsigned char)(n & 0xff);
		p[1] = (unsigned char)(n >> 8);
		p[2] = (unsigned char)(~n & 0xff);
		p[3] = (unsigned char)((~n >> 8) & 0xff);
		p += 4;
		/* copy n bytes of the filtered image, rows split anywhere */
		while (n > 0) {
			size_t	take;

			if (off == 0) {
				*p = 0;		/* filter "none" */
				adler = png_adler32(adler, p, 1);
				p++;
				off = 1;
				n--;
				continue;
			}
			take = rowlen + 1 - off;
			if (take > n)
				take = n;
			memcpy(p, pixels + y * rowlen + (off - 1), take);
			adler = png_adler32(adler, p, take);
			p += take;
			n -= take;
			off += take;
			if (off == rowlen + 1) {
				off = 0;
				y++;
			}
		}
	}
	png_put32(p, adler);

	nidat = (zlen + PNG_IDAT_MAX - 1) / PNG_IDAT_MAX;
	cap = sizeof(png_signature) + (12 + 13) + nidat * 12 + zlen + 12;
	out = xmalloc(cap);
	memcpy(out, png_signature, sizeof(png_signature));
	off = sizeof(png_signature);
	png_put32(ihdr, w);
	png_put32(ihdr + 4, h);
	ihdr[8] = 8;				/* bits per sample */
	ihdr[9] = channels == 3 ? 2 : 0;	/* RGB or grey */
	ihdr[10] = 0;				/* deflate */
	ihdr[11] = 0;				/* adaptive filtering */
	ihdr[12] = 0;				/* not interlaced */
	off += png_chunk(out + off, "IHDR", ihdr, sizeof(ihdr));
	for (i = 0; i < zlen; i += n) {
		n = zlen - i < PNG_IDAT_MAX ? zlen - i : PNG_IDAT_MAX;
		off += png_chunk(out + off, "IDAT", z + i, n);
	}
	off += png_chunk(out + off, "IEND", NULL, 0);
	free(z);
	*lenp = off;
	return (out);
}

/* splitmix64: the next value of the generator whose state is *s. */
static uint64_t
png_next(uint64_t *s)
{
	uint64_t	z;

	z = (*s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return (z ^ (z >> 31));
}

unsigned char *
png_pattern(uint32_t w, uint32_t h, uint64_t seed, size_t *lenp)
{
	unsigned char	*pix, *out, c0[3], c1[3], *q;
	uint64_t	 r, s = seed;
	uint32_t	 x, y, cell, t, span;
	int		 k, v;

	*lenp = 0;
	if (w == 0 || h == 0 || w > PNG_DIM_MAX || h > PNG_DIM_MAX)
		return (NULL);
	r = png_next(&s);
	for (k = 0; k < 3; k++) {
		c0[k] = (unsigned char)(r >> (8 * k));
		c1[k] = (unsigned char)(r >> (8 * k + 24));
	}
	cell = 16u << (png_next(&s) % 3);	/* 16, 32 or 64 pixels */
	span = w + h - 2;
	pix = xreallocarray(NULL, (size_t)w * h, 3);
	q = pix;
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			t = span > 0 ? (uint32_t)(((uint64_t)(x + y) *
			    255) / span) : 0;
			for (k = 0; k < 3; k++) {
				v = (c0[k] * (int)(255 - t) + c1[k] * (int)t) /
				    255;
				if (((x / cell) + (y / cell)) % 2 == 1)
					v += (255 - v) / 4;
				*q++ = (unsigned char)v;
			}
		}
	}
	out = png_encode(pix, w, h, 3, lenp);
	free(pix);
	return (out);
}
