/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * diagram.h: llm-standin's answers to the diagram calls of an article: a
 * Mermaid flowchart for a diagram request, a JSON verdict for a
 * validation request.  A fault or a marker in the prompt turns them into
 * an invalid diagram or a rejecting verdict.
 */
#ifndef STANDIN_DIAGRAM_H
#define STANDIN_DIAGRAM_H

#include "fault.h"

/* Markers a test puts in an article's text to steer the answers. */
#define DIAGRAM_MARK_INVALID	"STANDIN_DIAGRAM_INVALID"
#define DIAGRAM_MARK_REJECT	"STANDIN_DIAGRAM_REJECT"

/*
 * The answer to the user message of a chat request when it is a diagram
 * or a validation request, given the fault the request took (only
 * FAULT_DIAGRAM_INVALID and FAULT_DIAGRAM_REJECT change anything).
 * Owned by the caller; NULL when the request is neither.
 */
char	*diagram_answer(const char *user, enum fault_kind);

#endif /* STANDIN_DIAGRAM_H */
