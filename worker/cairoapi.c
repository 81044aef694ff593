/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * cairoapi.c: owns the dlopen handle of cairo and the table of its entry
 * points, and fontconfig's FcFini() (cairoapi.h).  The handle is never
 * closed: cairo stays loaded until the process exits.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <fontconfig/fontconfig.h>

#include "cairoapi.h"

struct cairoapi	cairoapi;

/*
 * The table's entries and the functions that fill them.  Each entry's
 * type is checked against the prototype in cairo's and fontconfig's
 * headers at compile time (_Generic does not evaluate its operand, so
 * nothing here links against either library).
 */
#define CAIROAPI_SYMS(X)						\
	X(image_surface_create, cairo_image_surface_create)		\
	X(surface_status, cairo_surface_status)				\
	X(surface_flush, cairo_surface_flush)				\
	X(surface_write_to_png_stream, cairo_surface_write_to_png_stream) \
	X(surface_destroy, cairo_surface_destroy)			\
	X(create, cairo_create)						\
	X(status, cairo_status)						\
	X(destroy, cairo_destroy)					\
	X(set_source, cairo_set_source)					\
	X(set_source_rgb, cairo_set_source_rgb)				\
	X(set_source_rgba, cairo_set_source_rgba)			\
	X(move_to, cairo_move_to)					\
	X(arc, cairo_arc)						\
	X(rectangle, cairo_rectangle)					\
	X(paint, cairo_paint)						\
	X(fill, cairo_fill)						\
	X(pattern_create_linear, cairo_pattern_create_linear)		\
	X(pattern_add_color_stop_rgb, cairo_pattern_add_color_stop_rgb) \
	X(pattern_destroy, cairo_pattern_destroy)			\
	X(select_font_face, cairo_select_font_face)			\
	X(set_font_size, cairo_set_font_size)				\
	X(set_font_options, cairo_set_font_options)			\
	X(show_text, cairo_show_text)					\
	X(text_extents, cairo_text_extents)				\
	X(font_options_create, cairo_font_options_create)		\
	X(font_options_set_antialias, cairo_font_options_set_antialias)	\
	X(font_options_set_hint_style, cairo_font_options_set_hint_style) \
	X(font_options_set_hint_metrics, cairo_font_options_set_hint_metrics) \
	X(font_options_destroy, cairo_font_options_destroy)		\
	X(debug_reset_static_data, cairo_debug_reset_static_data)	\
	X(fc_fini, FcFini)

#define CAIROAPI_CHECK(field, fn)					\
	_Static_assert(_Generic((fn), __typeof__(cairoapi.field): 1,	\
	    default: 0), #fn " does not have the type of cairoapi." #field);
CAIROAPI_SYMS(CAIROAPI_CHECK)
#undef CAIROAPI_CHECK

int
cairoapi_load(char *errbuf, size_t errlen)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} syms[] = {
#define SYM(field, fn) { #fn, offsetof(struct cairoapi, field) },
		CAIROAPI_SYMS(SYM)
#undef SYM
	};
	struct cairoapi	 api;
	void		*h, *fn;
	size_t		 i;

	if (cairoapi.create != NULL)
		return (0);
	if ((h = dlopen(ARTICLEGEN_CAIRO_SONAME, RTLD_NOW | RTLD_LOCAL)) ==
	    NULL) {
		(void)snprintf(errbuf, errlen, "cannot load cairo: %s",
		    dlerror());
		return (-1);
	}
	memset(&api, 0, sizeof(api));
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		/* FcFini is found in cairo's dependencies (libfontconfig) */
		if ((fn = dlsym(h, syms[i].name)) == NULL) {
			(void)snprintf(errbuf, errlen, "%s: no %s",
			    ARTICLEGEN_CAIRO_SONAME, syms[i].name);
			(void)dlclose(h);
			return (-1);
		}
		/* POSIX guarantees a function pointer fits a void * here */
		memcpy((char *)&api + syms[i].off, &fn, sizeof(fn));
	}
	cairoapi = api;
	return (0);
}
