/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * covermake.c: an article's cover from the sources COVER_SOURCES lists,
 * tried in its order until one gives an image.  The pieces that need no
 * network (drawing, request bodies, reply parsers, the writer, the front
 * matter) are in cover.c; this file holds the order, the stock photo's
 * downloads and the fall-through.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cover.h"
#include "covermake.h"
#include "fetch.h"
#include "log.h"
#include "util.h"
#include "xmalloc.h"

/* Stock photo requests: the search reply and the photo itself. */
#define UNSPLASH_TIMEOUT_MS	20000

static const char *const known_sources[] = {
	COVER_SOURCE_IMAGES, COVER_SOURCE_UNSPLASH, COVER_SOURCE_DRAW,
};

int
cover_sources_parse(const char *list, const char *names[COVER_SOURCES_MAX],
    char *errbuf, size_t errlen)
{
	const char	*p = list, *end;
	size_t		 len, i, k;
	int		 n = 0;

	if (list == NULL || list[0] == '\0' || strcmp(list, "off") == 0 ||
	    strcmp(list, "none") == 0)
		return (0);
	for (;;) {
		while (*p == ' ')
			p++;
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		while (len > 0 && p[len - 1] == ' ')
			len--;
		for (k = 0; k < nitems(known_sources); k++)
			if (strlen(known_sources[k]) == len &&
			    strncmp(known_sources[k], p, len) == 0)
				break;
		if (k == nitems(known_sources)) {
			(void)snprintf(errbuf, errlen, "unknown cover source "
			    "'%.*s' (known: images, unsplash, draw; or off)",
			    (int)(len > 40 ? 40 : len), p);
			return (-1);
		}
		for (i = 0; i < (size_t)n; i++)
			if (names[i] == known_sources[k]) {
				(void)snprintf(errbuf, errlen, "cover source "
				    "'%s' is listed twice", known_sources[k]);
				return (-1);
			}
		names[n++] = known_sources[k];
		if (end == NULL)
			break;
		p = end + 1;
	}
	return (n);
}

void
cover_made_release(struct cover_made *cm)
{
	cover_files_release(&cm->cm_files);
	free(cm->cm_front_matter);
	memset(cm, 0, sizeof(*cm));
}

void
cover_made_unlink(const struct cover_made *cm)
{
	if (cm->cm_files.cf_image_path != NULL)
		(void)unlink(cm->cm_files.cf_image_path);
	if (cm->cm_files.cf_icon_path != NULL)
		(void)unlink(cm->cm_files.cf_icon_path);
}

/* The drawn icon alone, for a cover from elsewhere.  0, or -1. */
static int
draw_icon(const struct cover_request *cr, struct cover_image *icon,
    char *errbuf, size_t errlen)
{
	struct cover_image	cover;

	if (cover_draw(cr->cr_title, cr->cr_seed, &cover, icon, errbuf,
	    errlen) == -1)
		return (-1);
	cover_image_release(&cover);
	return (0);
}

/*
 * Write cover (and the drawn icon) and fill out: files and front matter.
 * Takes nothing; 0, or -1 with errbuf set.
 */
static int
store(const struct cover_request *cr, const struct cover_image *cover,
    const struct cover_image *icon, const struct cover_meta *meta_in,
    struct cover_made *out, char *errbuf, size_t errlen)
{
	struct cover_meta	 meta = *meta_in;
	char			*alt = NULL;

	if (cover_write(cr->cr_static_dir, cr->cr_stem, cover, icon,
	    &out->cm_files, errbuf, errlen) == -1)
		return (-1);
	if (meta.cm_alt == NULL || meta.cm_alt[0] == '\0') {
		xasprintf(&alt, "Cover image: %s", cr->cr_title);
		meta.cm_alt = alt;
	}
	meta.cm_image = out->cm_files.cf_image;
	meta.cm_icon = out->cm_files.cf_icon;
	out->cm_front_matter = cover_front_matter(&meta);
	free(alt);
	return (0);
}

/* The "images" source: the endpoint's images API.  0, 1 (skipped), -1. */
static int
from_images(const struct cover_request *cr, struct cover_made *out,
    char *errbuf, size_t errlen)
{
	struct cover_image	 cover, icon;
	struct cover_meta	 meta;
	char			*body, *reply = NULL;
	size_t			 replylen = 0;
	int			 ret;

	if (cr->cr_images == NULL) {
		(void)snprintf(errbuf, errlen, "no images API call");
		return (1);
	}
	body = cover_images_request(cr->cr_model_image, cr->cr_title,
	    cr->cr_image_size, cr->cr_image_quality);
	ret = cr->cr_images(cr->cr_images_arg, body, &reply, &replylen,
	    errbuf, errlen);
	free(body);
	if (ret != 0)
		return (ret);
	ret = cover_images_reply(reply, replylen, &cover, errbuf, errlen);
	free(reply);
	if (ret == -1)
		return (-1);
	if (draw_icon(cr, &icon, errbuf, errlen) == -1) {
		cover_image_release(&cover);
		return (-1);
	}
	memset(&meta, 0, sizeof(meta));
	ret = store(cr, &cover, &icon, &meta, out, errbuf, errlen);
	cover_image_release(&cover);
	cover_image_release(&icon);
	return (ret);
}

/* One GET of the stock photo source, through cr_fetch or fetch_http(). */
static int
photo_get(const struct cover_request *cr, const char *url, size_t max,
    const char *authorization, struct fetch_result *fr, char *errbuf,
    size_t errlen)
{
	struct fetch_opts	fo;
	fetch_fn		fetch = cr->cr_fetch != NULL ? cr->cr_fetch :
				    fetch_http;

	memset(&fo, 0, sizeof(fo));
	fo.fo_authorization = authorization;
	fo.fo_accept = "application/json";
	fo.fo_max_bytes = max;
	fo.fo_timeout_ms = UNSPLASH_TIMEOUT_MS;
	return (fetch(cr->cr_fetch_arg, url, &fo, fr, errbuf, errlen));
}

/* The search words: the request's, or the title. */
static const char *
photo_query(const struct cover_request *cr)
{
	if (cr->cr_query != NULL && cr->cr_query[0] != '\0')
		return (cr->cr_query);
	return (cr->cr_title);
}

/*
 * The "unsplash" source: search, download the first photo (never
 * hot-linked), tell Unsplash of the download as its guidelines ask.
 * 0, 1 (no key or no result), or -1 with errbuf set.
 */
static int
from_unsplash(const struct cover_request *cr, struct cover_made *out,
    char *errbuf, size_t errlen)
{
	struct fetch_result	 fr;
	struct cover_photo	 photo;
	struct cover_image	 cover, icon;
	struct cover_meta	 meta;
	const char		*base = cr->cr_unsplash_url;
	const char		*type;
	char			*url, *auth;
	int			 https_only, ret;

	if (cr->cr_unsplash_key == NULL || cr->cr_unsplash_key[0] == '\0') {
		(void)snprintf(errbuf, errlen,
		    "UNSPLASH_ACCESS_KEY is not set");
		return (1);
	}
	if (base == NULL || base[0] == '\0')
		base = COVER_UNSPLASH_API;
	/* an http API URL is a local stand-in's: its photos are http too */
	https_only = strncmp(base, "http://", 7) != 0;
	url = cover_unsplash_search_url(base, photo_query(cr));
	xasprintf(&auth, "Client-ID %s", cr->cr_unsplash_key);
	ret = photo_get(cr, url, COVER_REPLY_MAX, auth, &fr, errbuf, errlen);
	free(url);
	if (ret == -1)
		goto out;
	if (fr.fr_status != 200) {
		(void)snprintf(errbuf, errlen, "photo search: HTTP %ld",
		    fr.fr_status);
		fetch_result_release(&fr);
		ret = -1;
		goto out;
	}
	ret = cover_unsplash_reply(fr.fr_body, fr.fr_len, https_only, &photo,
	    errbuf, errlen);
	fetch_result_release(&fr);
	if (ret == 1)
		(void)snprintf(errbuf, errlen, "photo search: no photo for "
		    "'%.60s'", photo_query(cr));
	if (ret != 0)
		goto out;

	/* the photo: only the search needs the key */
	ret = photo_get(cr, photo.cp_image_url, COVER_PNG_MAX, NULL, &fr,
	    errbuf, errlen);
	if (ret == -1)
		goto photo;
	type = fr.fr_status == 200 ? cover_image_type((unsigned char *)
	    fr.fr_body, fr.fr_len) : NULL;
	if (type == NULL) {
		if (fr.fr_status != 200)
			(void)snprintf(errbuf, errlen, "photo download: HTTP "
			    "%ld", fr.fr_status);
		else
			(void)snprintf(errbuf, errlen, "photo download: not "
			    "a PNG, JPEG or WebP image");
		fetch_result_release(&fr);
		ret = -1;
		goto photo;
	}
	cover.ci_data = (unsigned char *)fr.fr_body;
	cover.ci_len = fr.fr_len;
	fr.fr_body = NULL;
	fetch_result_release(&fr);
	if (draw_icon(cr, &icon, errbuf, errlen) == -1) {
		cover_image_release(&cover);
		ret = -1;
		goto photo;
	}
	memset(&meta, 0, sizeof(meta));
	meta.cm_alt = photo.cp_alt;
	meta.cm_source = "Unsplash";
	meta.cm_source_url = photo.cp_page_url;
	meta.cm_photographer = photo.cp_photographer;
	meta.cm_photographer_url = photo.cp_photographer_url;
	ret = store(cr, &cover, &icon, &meta, out, errbuf, errlen);
	cover_image_release(&cover);
	cover_image_release(&icon);
	if (ret == 0 && photo.cp_download_location != NULL) {
		char	ebuf[256];

		/* counts the download; its failure changes nothing */
		if (photo_get(cr, photo.cp_download_location, 64 * 1024, auth,
		    &fr, ebuf, sizeof(ebuf)) == -1)
			log_debug("cover: photo download report: %s", ebuf);
		else {
			if (fr.fr_status != 200)
				log_debug("cover: photo download report: "
				    "HTTP %ld", fr.fr_status);
			fetch_result_release(&fr);
		}
	}
photo:
	cover_photo_release(&photo);
out:
	explicit_bzero(auth, strlen(auth));
	free(auth);
	return (ret);
}

/* The "draw" source.  0, or -1 with errbuf set. */
static int
from_draw(const struct cover_request *cr, struct cover_made *out,
    char *errbuf, size_t errlen)
{
	struct cover_image	cover, icon;
	struct cover_meta	meta;
	int			ret;

	if (cover_draw(cr->cr_title, cr->cr_seed, &cover, &icon, errbuf,
	    errlen) == -1)
		return (-1);
	memset(&meta, 0, sizeof(meta));
	ret = store(cr, &cover, &icon, &meta, out, errbuf, errlen);
	cover_image_release(&cover);
	cover_image_release(&icon);
	return (ret);
}

int
cover_make(const struct cover_request *cr, struct cover_made *out,
    char *errbuf, size_t errlen)
{
	const char	*names[COVER_SOURCES_MAX];
	char		 why[256];
	int		 n, i, ret;

	memset(out, 0, sizeof(*out));
	n = cover_sources_parse(cr->cr_sources, names, errbuf, errlen);
	if (n == -1)
		return (-1);
	if (n == 0)
		return (1);
	(void)snprintf(errbuf, errlen, "no cover source gave a cover");
	for (i = 0; i < n; i++) {
		why[0] = '\0';
		if (strcmp(names[i], COVER_SOURCE_IMAGES) == 0)
			ret = from_images(cr, out, why, sizeof(why));
		else if (strcmp(names[i], COVER_SOURCE_UNSPLASH) == 0)
			ret = from_unsplash(cr, out, why, sizeof(why));
		else
			ret = from_draw(cr, out, why, sizeof(why));
		if (ret == 0) {
			out->cm_source = names[i];
			return (0);
		}
		cover_made_release(out);
		if (ret == -2) {
			(void)strlcpy(errbuf, why, errlen);
			return (-2);
		}
		if (ret == 1)
			log_debug("cover: %s skipped: %s", names[i], why);
		else
			log_warnx("cover: %s failed: %s", names[i], why);
		(void)snprintf(errbuf, errlen, "cover source %s: %s",
		    names[i], why);
	}
	return (-1);
}
