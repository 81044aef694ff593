/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * xmlapi.c: owns the dlopen handle of libxml2 and the table of its entry
 * points (xmlapi.h).  The handle is never closed: libxml2 stays loaded
 * until the process exits.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "xmlapi.h"

struct xmlapi	xmlapi;

/*
 * The table's entries and the functions that fill them.  Each entry's
 * type is checked against the prototype in libxml2's headers at compile
 * time (_Generic does not evaluate its operand, so nothing here links
 * against libxml2).
 */
#define XMLAPI_SYMS(X)						\
	X(init_parser, xmlInitParser)				\
	X(html_read_memory, htmlReadMemory)			\
	X(html_entity_lookup, htmlEntityLookup)			\
	X(free_doc, xmlFreeDoc)					\
	X(node_get_content, xmlNodeGetContent)			\
	X(has_prop, xmlHasProp)

#define XMLAPI_CHECK(field, fn)					\
	_Static_assert(_Generic((fn), __typeof__(xmlapi.field): 1,	\
	    default: 0), #fn " does not have the type of xmlapi." #field);
XMLAPI_SYMS(XMLAPI_CHECK)
XMLAPI_CHECK(free, xmlFree)
#undef XMLAPI_CHECK

/* Where libxml2 keeps its xmlFree: one of these is set by xmlapi_load(). */
static xmlFreeFunc	*(*xml_free_get)(void);	/* __xmlFree() */
static xmlFreeFunc	*xml_free_var;		/* the variable xmlFree */

static void
xml_free(void *p)
{
	xmlFreeFunc	fn;

	fn = xml_free_get != NULL ? *xml_free_get() : *xml_free_var;
	fn(p);
}

int
xmlapi_load(char *errbuf, size_t errlen)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} syms[] = {
#define SYM(field, fn) { #fn, offsetof(struct xmlapi, field) },
		XMLAPI_SYMS(SYM)
#undef SYM
	};
	struct xmlapi	 api;
	void		*h, *fn;
	size_t		 i;

	if (xmlapi.init_parser != NULL)
		return (0);
	if ((h = dlopen(ARTICLEGEN_XML2_SONAME, RTLD_NOW | RTLD_LOCAL)) ==
	    NULL) {
		(void)snprintf(errbuf, errlen, "cannot load libxml2: %s",
		    dlerror());
		return (-1);
	}
	memset(&api, 0, sizeof(api));
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		if ((fn = dlsym(h, syms[i].name)) == NULL) {
			(void)snprintf(errbuf, errlen, "%s: no %s",
			    ARTICLEGEN_XML2_SONAME, syms[i].name);
			(void)dlclose(h);
			return (-1);
		}
		/* POSIX guarantees a function pointer fits a void * here */
		memcpy((char *)&api + syms[i].off, &fn, sizeof(fn));
	}
	/*
	 * xmlFree: a build with per-thread allocators has the function
	 * __xmlFree() return where it is; otherwise it is a variable.
	 */
	if ((fn = dlsym(h, "__xmlFree")) != NULL) {
		memcpy(&xml_free_get, &fn, sizeof(fn));
		xml_free_var = NULL;
	} else if ((fn = dlsym(h, "xmlFree")) != NULL) {
		xml_free_get = NULL;
		xml_free_var = fn;
	}
	if (fn == NULL || (xml_free_get != NULL ? *xml_free_get() :
	    *xml_free_var) == NULL) {
		(void)snprintf(errbuf, errlen, "%s: no xmlFree",
		    ARTICLEGEN_XML2_SONAME);
		xml_free_get = NULL;
		xml_free_var = NULL;
		(void)dlclose(h);
		return (-1);
	}
	api.free = xml_free;
	xmlapi = api;
	return (0);
}
