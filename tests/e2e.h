/*
 * e2e.h: helpers for the end-to-end suites: the stand-in server and runs
 * of the real articlegen binary.
 */
#ifndef E2E_H
#define E2E_H

#include <sys/types.h>

#include <stddef.h>

struct standin {
	pid_t	 pid;
	int	 port;
	char	*dir;
	char	*log;
	char	*base_url;	/* http://127.0.0.1:PORT/v1 */
};

extern struct standin	e2e_standin;	/* started by the e2e fixtures */

void	 standin_start(struct standin *, const char *const extra[]);
void	 standin_stop(struct standin *);
int	 standin_requests(const struct standin *);
int	 run_articlegen(const char *cwd, const char *const args[],
	    const char *const env[], char **out, char **err);
char	*list_dir(const char *dir, const char *suffix);
size_t	 count_lines(const char *);
char	*e2e_workdir(const char *tag);
char	*e2e_env_base_url(void);

#endif /* E2E_H */
