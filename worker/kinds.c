/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * kinds.c: the job kinds articlegen-worker runs.  A new kind is one entry
 * here and its handler (jobhost.h); its supervisor half is an entry in
 * orchestrator/kinds.c.  The test build links its own table instead
 * (tests/toy/).
 */
#include <stddef.h>

#include "jobhost.h"

const struct worker_kind *const worker_kinds[] = {
	&article_worker_kind,
	&collect_worker_kind,
	&enrich_worker_kind,
	NULL,
};
