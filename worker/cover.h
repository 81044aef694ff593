/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * cover.h: an article's cover image and icon, from three sources tried in
 * the order a setting gives: the images API of the configured endpoint, a
 * stock photo (Unsplash search), and a cover drawn here with cairo (the
 * title on a background derived from the item).  This module holds the
 * parts that need no network: the drawing, the images API request body
 * and reply decoder, the Unsplash search URL and reply parser, the PNG
 * check, the atomic writer of static/images/<stem>.png and -icon.png, and
 * the front matter lines.  docs/COVERS.md describes the whole feature.
 */
#ifndef COVER_H
#define COVER_H

#include <stddef.h>

/* The drawn cover: the Open Graph size (1.91:1), and a square icon. */
#define COVER_WIDTH		1200
#define COVER_HEIGHT		630
#define COVER_ICON_SIZE		256

/* The largest image accepted from a reply or a download (bytes). */
#define COVER_PNG_MAX		(20u * 1024 * 1024)
/* The largest images API or Unsplash reply body parsed (bytes). */
#define COVER_REPLY_MAX		(32u * 1024 * 1024)

/* Default images API size: landscape, priced in config/pricing.json. */
#define COVER_IMAGES_SIZE	"1792x1024"
#define COVER_UNSPLASH_API	"https://api.unsplash.com"

/* Encoded image bytes; owned, freed by cover_image_release(). */
struct cover_image {
	unsigned char	*ci_data;
	size_t		 ci_len;
};

void	cover_image_release(struct cover_image *);

/*
 * Check that data is a whole PNG file: the signature, an IHDR chunk of
 * sane size first and an IEND chunk last.  Returns 0 with *wp and *hp set
 * (either may be NULL), or -1.
 */
int	cover_png_info(const unsigned char *data, size_t len, unsigned *wp,
	    unsigned *hp);

/*
 * The file extension for image bytes: "png" (checked as cover_png_info()
 * does), "jpg" (SOI first, EOI last) or "webp" (a RIFF WEBP container of
 * the right size), or NULL for anything else.  A downloaded stock photo
 * is checked with this before it is stored.
 */
const char *cover_image_type(const unsigned char *data, size_t len);

/*
 * Draw the cover (COVER_WIDTH x COVER_HEIGHT) and the icon
 * (COVER_ICON_SIZE square) as PNG: colours derived from a hash of seed
 * (the item's id or URL), the title wrapped in DejaVu Sans Bold on the
 * cover, its first letter on the icon.  The same title and seed give the
 * same bytes.  cairo is loaded on the first call (cairoapi.h).  Returns
 * 0 with both filled (owned), or -1 with errbuf set and nothing to free,
 * also when cairo cannot be loaded.
 */
int	cover_draw(const char *title, const char *seed,
	    struct cover_image *cover, struct cover_image *icon, char *errbuf,
	    size_t errlen);

/*
 * The JSON body of POST /v1/images/generations for a cover of title:
 * model, a prompt naming the title, n 1, size (COVER_IMAGES_SIZE when
 * NULL), quality when not NULL, and response_format b64_json.  Owned.
 */
char	*cover_images_request(const char *model, const char *title,
	    const char *size, const char *quality);

/*
 * Decode an images API reply, {"data":[{"b64_json":"..."}]}, into the
 * PNG it carries (checked with cover_png_info()).  Returns 0 with *out
 * filled (owned), or -1 with errbuf naming what was wrong (an API error
 * message is quoted, cut to errlen).
 */
int	cover_images_reply(const char *body, size_t len,
	    struct cover_image *out, char *errbuf, size_t errlen);

/* A stock photo chosen from a search reply; every string owned. */
struct cover_photo {
	char	*cp_id;
	char	*cp_image_url;		/* urls.regular: what to download */
	char	*cp_page_url;		/* links.html: the photo's page */
	char	*cp_download_location;	/* links.download_location, may be NULL */
	char	*cp_photographer;	/* user.name */
	char	*cp_photographer_url;	/* user.links.html */
	char	*cp_alt;		/* alt_description or description, may be NULL */
};

void	cover_photo_release(struct cover_photo *);

/*
 * The Unsplash search URL for query: base (COVER_UNSPLASH_API when NULL)
 * + "/search/photos?query=...&per_page=1&orientation=landscape
 * &content_filter=high", the query percent-encoded.  The access key is
 * not in it: it goes in an "Authorization: Client-ID" header.  Owned.
 */
char	*cover_unsplash_search_url(const char *base, const char *query);

/*
 * Parse an Unsplash search reply and take results[0].  The image URL must
 * be https (http too when https_only is 0: an http API URL, which only a
 * local stand-in has); the page and photographer links http or https; a
 * photographer name is required (it is the credit).  Returns 0 with *out
 * filled, 1 when there are no results, or -1 with errbuf set.
 */
int	cover_unsplash_reply(const char *body, size_t len, int https_only,
	    struct cover_photo *out, char *errbuf, size_t errlen);

/* Where cover_write() put the files; owned, cover_files_release(). */
struct cover_files {
	char	*cf_image;	/* "images/<name>.png" (or .jpg, .webp), from the site root */
	char	*cf_icon;	/* "images/<name>-icon.png" */
	char	*cf_image_path;	/* the files on disk */
	char	*cf_icon_path;
};

void	cover_files_release(struct cover_files *);

/*
 * Write cover and icon as <static_dir>/images/<stem>.png (.jpg or .webp
 * for a photo in that format, see cover_image_type()) and
 * <stem>-icon.png (which must be a PNG: for a photo, the drawn icon; when
 * icon is NULL, none is written and cf_icon stays NULL),
 * each through a temporary file, fsync and link(2), so a reader sees a
 * whole file or none, and no existing file is replaced: when either name
 * is taken, "<stem>-2", "-3", ... is tried.  The directory is created if
 * missing and fsynced.  Returns 0 with *files filled, or -1 with errbuf
 * set and nothing left behind (also when the bytes are no such image).
 */
int	cover_write(const char *static_dir, const char *stem,
	    const struct cover_image *cover, const struct cover_image *icon,
	    struct cover_files *files, char *errbuf, size_t errlen);

/* What the front matter says about the cover; all borrowed. */
struct cover_meta {
	const char	*cm_image;		/* "images/<name>.png" */
	const char	*cm_icon;		/* may be NULL */
	const char	*cm_alt;
	const char	*cm_source;		/* "Unsplash", NULL for our own */
	const char	*cm_source_url;		/* the photo's page */
	const char	*cm_photographer;
	const char	*cm_photographer_url;
};

/*
 * The front matter lines for a cover (cover: image, alt and, for a stock
 * photo, photographer, photographer_url, image_source, image_source_url
 * and caption; icon; images: [image]), every string double-quoted by
 * yaml_quote().  A leading '/' is taken off the paths, so that a site
 * under a sub-path resolves them.  Owned; NULL when cm_image is empty.
 */
char	*cover_front_matter(const struct cover_meta *);

/*
 * Free the font caches cairo and fontconfig keep for the life of the
 * process, so that a leak checker sees none.  Only for the end of a
 * process or a test: no drawing may be in progress or follow soon.
 * Nothing when cairo was never loaded.
 */
void	cover_release_caches(void);

#endif /* COVER_H */
