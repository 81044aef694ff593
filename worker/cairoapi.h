/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * cairoapi.h: cairo, loaded with dlopen(3) the first time it is needed.
 *
 * Only cover.c draws, and only for an article whose cover falls through
 * to the drawn one.  Linked the usual way, cairo and the twenty or so
 * libraries Debian builds it with (pixman, libpng, FreeType, fontconfig,
 * X11 and xcb, ...) would be loaded and relocated at every start of
 * articlegen and of every worker.  So cover.c calls cairo through this
 * table, which cairoapi_load() fills on its first drawing.
 *
 * The table also holds fontconfig's FcFini(), which cover_release_caches()
 * calls: it is looked up through cairo's handle, whose dependencies
 * include the libfontconfig cairo draws its text with, so it is that
 * library's FcFini() and no other.
 */
#ifndef CAIROAPI_H
#define CAIROAPI_H

#include <stddef.h>

#include <cairo.h>

struct cairoapi {
	/* surfaces */
	cairo_surface_t	*(*image_surface_create)(cairo_format_t, int, int);
	cairo_status_t	 (*surface_status)(cairo_surface_t *);
	void		 (*surface_flush)(cairo_surface_t *);
	cairo_status_t	 (*surface_write_to_png_stream)(cairo_surface_t *,
			    cairo_write_func_t, void *);
	void		 (*surface_destroy)(cairo_surface_t *);
	/* contexts and drawing */
	cairo_t		*(*create)(cairo_surface_t *);
	cairo_status_t	 (*status)(cairo_t *);
	void		 (*destroy)(cairo_t *);
	void		 (*set_source)(cairo_t *, cairo_pattern_t *);
	void		 (*set_source_rgb)(cairo_t *, double, double, double);
	void		 (*set_source_rgba)(cairo_t *, double, double, double,
			    double);
	void		 (*move_to)(cairo_t *, double, double);
	void		 (*arc)(cairo_t *, double, double, double, double,
			    double);
	void		 (*rectangle)(cairo_t *, double, double, double,
			    double);
	void		 (*paint)(cairo_t *);
	void		 (*fill)(cairo_t *);
	/* patterns */
	cairo_pattern_t	*(*pattern_create_linear)(double, double, double,
			    double);
	void		 (*pattern_add_color_stop_rgb)(cairo_pattern_t *,
			    double, double, double, double);
	void		 (*pattern_destroy)(cairo_pattern_t *);
	/* text */
	void		 (*select_font_face)(cairo_t *, const char *,
			    cairo_font_slant_t, cairo_font_weight_t);
	void		 (*set_font_size)(cairo_t *, double);
	void		 (*set_font_options)(cairo_t *,
			    const cairo_font_options_t *);
	void		 (*show_text)(cairo_t *, const char *);
	void		 (*text_extents)(cairo_t *, const char *,
			    cairo_text_extents_t *);
	cairo_font_options_t *(*font_options_create)(void);
	void		 (*font_options_set_antialias)(cairo_font_options_t *,
			    cairo_antialias_t);
	void		 (*font_options_set_hint_style)(cairo_font_options_t *,
			    cairo_hint_style_t);
	void		 (*font_options_set_hint_metrics)(
			    cairo_font_options_t *, cairo_hint_metrics_t);
	void		 (*font_options_destroy)(cairo_font_options_t *);
	/* the caches, for leak checkers */
	void		 (*debug_reset_static_data)(void);
	void		 (*fc_fini)(void);	/* fontconfig's FcFini() */
};

/* Filled by cairoapi_load(); all NULL before. */
extern struct cairoapi	cairoapi;

/*
 * Load cairo (ARTICLEGEN_CAIRO_SONAME, found at build time) and fill
 * cairoapi.  Idempotent.  Returns 0, or -1 with errbuf naming the library
 * and what dlopen or dlsym said.
 */
int	cairoapi_load(char *errbuf, size_t errlen);

#endif /* CAIROAPI_H */
