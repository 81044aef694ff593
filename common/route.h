/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * route.h: which generator an item goes to (original-pipeline.md §3.2).
 */
#ifndef ROUTE_H
#define ROUTE_H

struct item;

enum route_generator {
	ROUTE_GENERAL = 0,	/* "General Article Generator" */
	ROUTE_INTEGRATIVE,	/* "Integrative List Generator" */
};

/* 1 when the Integrative List Generator can handle it (§3.2 rules 1-4). */
int		 route_is_integrative(const struct item *);
enum route_generator route_pick(const struct item *);
const char	*route_name(enum route_generator);

#endif /* ROUTE_H */
