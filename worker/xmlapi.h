/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * xmlapi.h: libxml2, loaded with dlopen(3) the first time it is needed.
 *
 * Only the HTML work uses libxml2: htmltext.c (the pages enrichment
 * fetches, Mastodon's status HTML) and htmlsafe.c (raw HTML in an
 * article body).  Linked the usual way, libxml2 and what Debian builds
 * it with (ICU, libstdc++, zlib, liblzma) would be loaded and relocated
 * at every start of articlegen and of every worker, about 3 ms of CPU
 * that the benchmark's start-up and per-article figures count, whether
 * or not a job reads any HTML.  So those files call libxml2 through this
 * table, which xmlapi_load() fills on their first call.
 */
#ifndef XMLAPI_H
#define XMLAPI_H

#include <stddef.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

struct xmlapi {
	void		 (*init_parser)(void);
	htmlDocPtr	 (*html_read_memory)(const char *, int, const char *,
			    const char *, int);
	const htmlEntityDesc *(*html_entity_lookup)(const xmlChar *);
	void		 (*free_doc)(xmlDocPtr);
	xmlChar		*(*node_get_content)(const xmlNode *);
	xmlAttrPtr	 (*has_prop)(const xmlNode *, const xmlChar *);
	/*
	 * libxml2's deallocator, for what node_get_content() returns.  In
	 * libxml2 xmlFree is not a function but a variable holding one (or,
	 * in builds with per-thread allocators, a macro over __xmlFree()):
	 * this calls whichever function it holds at the time.
	 */
	void		 (*free)(void *);
};

/* Filled by xmlapi_load(); all NULL before. */
extern struct xmlapi	xmlapi;

/*
 * Load libxml2 (ARTICLEGEN_XML2_SONAME, found at build time) and fill
 * xmlapi.  Idempotent.  Returns 0, or -1 with errbuf naming the library
 * and what dlopen or dlsym said.
 */
int	xmlapi_load(char *errbuf, size_t errlen);

#endif /* XMLAPI_H */
