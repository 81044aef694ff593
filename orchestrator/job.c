/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * job.c: what is the same for a job of any kind (job.h).
 */
#include <stddef.h>

#include "job.h"

const char *
job_name(const struct job *j)
{
	static char	buf[300];

	j->j_kind->jk_describe(j, buf, sizeof(buf));
	return (buf);
}

void
job_release(struct job *j)
{
	if (j->j_outcome != NULL)
		j->j_kind->jk_release(j);
	j->j_outcome = NULL;
}
