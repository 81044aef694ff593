/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * pipeline.h: the stages before generation (docs/PIPELINE.md) as runs of
 * jobs: collect (one job per source) and enrich (one job per item that
 * passed the gate), and the whole pipeline (articlegen run).
 */
#ifndef PIPELINE_H
#define PIPELINE_H

struct options;
struct output;
struct settings;

/*
 * The command opt names (collect, enrich, run; generate is
 * session_run()).  Returns the exit code after printing the summary.
 */
int	pipeline_main(const struct options *, const struct settings *,
	    struct output *, const char *api_key, const char *key_from,
	    int wakefd);

#endif /* PIPELINE_H */
