/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * check_mermaid.c: the Mermaid syntax and safety check on diagrams that
 * must pass and diagrams that must fail for a stated reason, taking the
 * code out of a model's reply, and captions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "buf.h"
#include "compat.h"
#include "mermaid.h"
#include "tests.h"
#include "xmalloc.h"

static const char *const valid_diagrams[] = {
	"flowchart LR\n  A --> B",
	"graph TD\n  A[Start] --> B{Decision}\n  B -->|yes| C[Do it]\n"
	    "  B -->|no| D[Skip]",
	"flowchart TB\n  A[\"Parse (step 1)\"] --> B([Stadium])\n"
	    "  B -.-> C[(Database)]\n  C ==> D((Circle))",
	"flowchart LR\n  A -- text --> B\n  B == strong ==> C\n"
	    "  C -. maybe .-> D",
	"flowchart LR\n  subgraph one [Group]\n    direction TB\n"
	    "    A --> B\n  end\n  B --> C",
	"flowchart\n  A & B --> C & D;",
	"flowchart LR\n  A --- B\n  B --o C\n  C --x D\n  A <--> D",
	"%% a comment first\nflowchart LR\n  A[Client] --> B[Server]\n"
	    "  %% inside\n  B --> C[DB]",
	"flowchart LR\n  A{{Hex}} --> B[/Para/]\n  B --> C[\\Alt\\]\n"
	    "  C --> D>Flag]",
	"flowchart LR\n  A[Line one<br>line two] --> B[Next<br/>step]",
	"flowchart LR\n  A:::hot --> B\n  classDef hot fill:#f96",
	"graph LR;\n  A-->B;\n  B-->C;",
	"flowchart TD\n  A[Request] --> B[Router] --> C[Handler] --> "
	    "D[Response]",
	"flowchart LR\n  A --->|slow path| B\n  A ---- C",
	"sequenceDiagram\n  participant C as Client\n"
	    "  participant S as Server\n  C->>S: GET /index\n"
	    "  S-->>C: 200 OK",
	"sequenceDiagram\n  autonumber\n  actor U as User\n"
	    "  U->>+API: request\n  API-->>-U: response\n"
	    "  Note over U,API: TLS everywhere\n  Note right of API: logs",
	"sequenceDiagram\n  A->>B: ping\n  alt healthy\n    B-->>A: pong\n"
	    "  else down\n    B--xA: timeout\n  end\n  loop every minute\n"
	    "    A-)B: heartbeat\n  end",
	"sequenceDiagram\n  par fetch\n    A->>B: one\n  and store\n"
	    "    A->>C: two\n  end\n  activate B\n  B->A: done\n"
	    "  deactivate B",
	"sequenceDiagram\n  participant A\n  participant B\n"
	    "  Note left of A: starts\n  Note over A: alone\n"
	    "  A ->> B : spaced\n  rect rgb(200, 220, 255)\n"
	    "    B-->>A: inside\n  end",
	"erDiagram\n  CUSTOMER ||--o{ LINE-ITEM : orders\n"
	    "  LINE-ITEM }|..|| PRODUCT : \"refers to\"",
	"classDiagram\n  class Animal {\n    +String name\n"
	    "    +speak() void\n  }\n  Animal <|-- Dog\n  Dog : +bark()",
	"classDiagram\n  class Shape {\n    <<interface>>\n    +area() float\n"
	    "  }\n  Shape <|.. Circle",
	"stateDiagram-v2\n  [*] --> Idle\n  Idle --> Running : start\n"
	    "  Running --> Idle : stop\n  Running --> [*]",
	"stateDiagram\n  state Running {\n    [*] --> Busy\n  }\n"
	    "  [*] --> Running",
	"erDiagram\n  CUSTOMER ||--o{ ORDER : places\n"
	    "  ORDER ||--|{ LINE_ITEM : contains\n  CUSTOMER {\n"
	    "    string name\n    string id PK\n  }",
	"pie title Share of requests\n  \"Reads\" : 70\n  \"Writes\" : 30.5",
	"pie\n  title Split\n  showData\n  \"A\" : 1",
	"gantt\n  title Plan\n  dateFormat YYYY-MM-DD\n  section Build\n"
	    "  Design :a1, 2026-01-01, 10d\n  Code :after a1, 20d",
	"mindmap\n  root((Caching))\n    Browser\n    CDN\n    Server",
	"timeline\n  title Releases\n  2024 : v1.0\n  2025 : v2.0 : v2.1",
};

struct invalid_case {
	const char	*code;
	const char	*why;	/* a part of the expected message */
};

static const struct invalid_case invalid_diagrams[] = {
	{ "", "no diagram type" },
	{ "%% only a comment\n", "no diagram type" },
	{ "flowchart XY\n  A --> B", "not a direction" },
	{ "journey\n  title Day", "not a known diagram type" },
	{ "Flowchart LR\n  A --> B", "not a known diagram type" },
	{ "flowchart LR", "no content" },
	{ "flowchart LR\n  A[Unclosed --> B", "not closed" },
	{ "flowchart LR\n  A[foo (bar)] --> B", "without being quoted" },
	{ "flowchart LR\n  A[\"unclosed] --> B", "unclosed '\"'" },
	{ "flowchart LR\n  A -> B", "expected an arrow" },
	{ "flowchart LR\n  A --> ", "no target" },
	{ "flowchart LR\n  A[Start]", "without any arrow" },
	{ "flowchart LR\n  A -- B", "no closing arrow" },
	{ "flowchart LR\n  A --B", "at least three" },
	{ "flowchart LR\n  subgraph S\n  A --> B", "without 'end'" },
	{ "flowchart LR\n  A --> B\n  end", "'end' without 'subgraph'" },
	{ "flowchart LR\n  end --> B", "'end' cannot be a node id" },
	{ "flowchart LR\n  A ---oB", "sticks to an arrow" },
	{ "flowchart LR\n  A -->|| B", "empty '|' link label" },
	{ "flowchart LR\n  A -->|yes B", "unclosed '|'" },
	{ "flowchart LR\n  A --> B\n  click A callback", "click" },
	{ "flowchart LR\n  A --> B\n  click A href \"javascript:alert(1)\"",
	    "javascript:" },
	{ "flowchart LR\n  A[<script>alert(1)</script>] --> B", "<script" },
	{ "flowchart LR\n  A[<img src=x onerror=alert(1)>] --> B",
	    "HTML tags" },
	{ "flowchart LR\n  A[<a>x</a>] --> B", "HTML tags" },
	{ "%%{init: {'securityLevel': 'loose'}}%%\nflowchart LR\n  A --> B",
	    "%%{" },
	{ "flowchart LR\n  A --> B\n```", "```" },
	{ "mindmap\n  root\n~~~\n    leaf", "~~~" },
	{ "flowchart LR\n  A[{{< shortcode >}}] --> B", "{{<" },
	{ "flowchart LR\n  A --> B\n  style A fill:url(x)", "url(" },
	{ "flowchart LR\n  A[x] --> B\001", "control character" },
	{ "flowchart LR\n  A[&#60;b&#62;] --> B", "&#" },
	{ "sequenceDiagram\n  A->>B hello", "': text'" },
	{ "sequenceDiagram\n  A=>B: hi", "message arrow" },
	{ "sequenceDiagram\n  A->>: hi", "no target" },
	{ "sequenceDiagram\n  loop forever\n  A->>B: x", "without 'end'" },
	{ "sequenceDiagram\n  participant A\n", "without any message" },
	{ "sequenceDiagram\n  A->>B: x\n  else y", "outside an 'alt'" },
	{ "sequenceDiagram\n  A->>B: x\n  end", "without an open block" },
	{ "sequenceDiagram\n  link A: Dash @ https://example.com/x",
	    "links are not allowed" },
	{ "sequenceDiagram\n  A->>B: x\n  Note A: text", "left of" },
	{ "sequenceDiagram\n  participant A Alice", "'as <label>'" },
	{ "sequenceDiagram\n  A->>B: x\n  Note left of : x", "a participant" },
	{ "sequenceDiagram\n  A->>B: x\n  Note over A,: x", "after ','" },
	{ "erDiagram\n  A ||--xx B : rel", "cardinality" },
	{ "erDiagram\n  A ||--o{ B", "': label'" },
	{ "classDiagram\n  class A {\n  +x int", "not closed" },
	{ "classDiagram\n  A <|-- B\n  }", "without an open block" },
	{ "stateDiagram-v2\n  --> Idle", "two states" },
	{ "pie\n  Reads : 70", "pie slice" },
	{ "pie\n  \"Reads\" : lots", "a number" },
	{ "gantt\n  title X\n  Design 10d", "name : value" },
	{ "mindmap\n  root((Caching)\n    CDN", "unclosed '('" },
};

/*
 * A flowchart of n - 1 links: a chain A0 --> A1 --> ... of n nodes, or
 * (same_nodes) the link A0 --> A1 repeated.
 */
static char *
chain(size_t n, int same_nodes)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	buf_puts(&b, "flowchart LR\n");
	for (i = 0; i + 1 < n; i++)
		buf_printf(&b, "  A%zu --> A%zu\n", same_nodes ? 0 : i,
		    same_nodes ? 1 : i + 1);
	return (buf_detach(&b));
}

START_TEST(test_valid_diagrams)
{
	char	errbuf[256];
	size_t	i;

	for (i = 0; i < nitems(valid_diagrams); i++) {
		errbuf[0] = '\0';
		ck_assert_msg(mermaid_check(valid_diagrams[i], errbuf,
		    sizeof(errbuf)) == 0, "valid diagram %zu refused: %s\n%s",
		    i, errbuf, valid_diagrams[i]);
	}
}
END_TEST

START_TEST(test_invalid_diagrams)
{
	char	errbuf[256];
	size_t	i;

	for (i = 0; i < nitems(invalid_diagrams); i++) {
		errbuf[0] = '\0';
		ck_assert_msg(mermaid_check(invalid_diagrams[i].code, errbuf,
		    sizeof(errbuf)) == -1, "invalid diagram %zu accepted:\n%s",
		    i, invalid_diagrams[i].code);
		ck_assert_msg(strstr(errbuf, invalid_diagrams[i].why) != NULL,
		    "invalid diagram %zu: message '%s' lacks '%s'", i, errbuf,
		    invalid_diagrams[i].why);
	}
}
END_TEST

START_TEST(test_size_caps)
{
	char	 errbuf[256], *code;
	size_t	 n;

	/* 30 distinct nodes pass, 31 do not */
	code = chain(MERMAID_MAX_NODES, 0);
	ck_assert_msg(mermaid_check(code, errbuf, sizeof(errbuf)) == 0, "%s",
	    errbuf);
	free(code);
	code = chain(MERMAID_MAX_NODES + 1, 0);
	ck_assert_int_eq(mermaid_check(code, errbuf, sizeof(errbuf)), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "more than 30 nodes"));
	free(code);
	/* lines */
	code = chain(MERMAID_MAX_LINES + 5, 1);
	ck_assert_int_eq(mermaid_check(code, errbuf, sizeof(errbuf)), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "lines, more than"));
	free(code);
	/* bytes, in few lines */
	n = MERMAID_MAX_BYTES + 10;
	code = xmalloc(n + 64);
	(void)snprintf(code, n + 64, "flowchart LR\n  A[%0*d] --> B",
	    (int)n, 0);
	ck_assert_int_eq(mermaid_check(code, errbuf, sizeof(errbuf)), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "bytes, more than"));
	free(code);
}
END_TEST

START_TEST(test_error_names_line)
{
	char	errbuf[256];

	ck_assert_int_eq(mermaid_check("flowchart LR\n  A --> B\n"
	    "  B --> C[oops\n", errbuf, sizeof(errbuf)), -1);
	ck_assert_msg(strncmp(errbuf, "line 3: ", 8) == 0, "%s", errbuf);
}
END_TEST

START_TEST(test_extract_fenced)
{
	char	*code, *cap;

	code = mermaid_extract("Here is the diagram:\n\n```mermaid\n"
	    "flowchart LR\n  A --> B\n```\n\nCaption: **The *flow* of "
	    "[data]**.\n", &cap);
	ck_assert_str_eq(code, "flowchart LR\n  A --> B");
	ck_assert_str_eq(cap, "The flow of data");
	free(code);
	free(cap);
	/* another fence first, then the diagram */
	code = mermaid_extract("```json\n{\"a\": 1}\n```\n```mermaid\n"
	    "sequenceDiagram\n  A->>B: x\n```\n", &cap);
	ck_assert_str_eq(code, "sequenceDiagram\n  A->>B: x");
	ck_assert_ptr_null(cap);
	free(code);
	/* a fence without info that starts with a type */
	code = mermaid_extract("```\ngraph TD\n  A --> B\n```", NULL);
	ck_assert_str_eq(code, "graph TD\n  A --> B");
	free(code);
	/* an unclosed fence runs to the end */
	code = mermaid_extract("```mermaid\nflowchart LR\n  A --> B\n\n", NULL);
	ck_assert_str_eq(code, "flowchart LR\n  A --> B");
	free(code);
	/* a caption before the fence */
	code = mermaid_extract("Caption: Request path\n```mermaid\n"
	    "flowchart LR\n  A --> B\n```", &cap);
	ck_assert_str_eq(cap, "Request path");
	free(code);
	free(cap);
}
END_TEST

START_TEST(test_extract_bare_and_none)
{
	char	*code, *cap;

	code = mermaid_extract("Sure.\nflowchart LR\n  A --> B\n\n"
	    "Caption: Two steps\n", &cap);
	ck_assert_str_eq(code, "flowchart LR\n  A --> B");
	ck_assert_str_eq(cap, "Two steps");
	free(code);
	free(cap);
	ck_assert_ptr_null(mermaid_extract("Sorry, I cannot draw that.",
	    &cap));
	ck_assert_ptr_null(cap);
	ck_assert_ptr_null(mermaid_extract("```mermaid\n\n```\n", NULL));
	ck_assert_ptr_null(mermaid_extract("", NULL));
	/* "graphic" is not "graph" */
	ck_assert_ptr_null(mermaid_extract("graphics are nice\n", NULL));
}
END_TEST

START_TEST(test_caption_clean)
{
	struct buf	 b;
	char		*c;
	size_t		 i;

	c = mermaid_clean_caption("  \"A <b>bold</b> {{< x >}} `claim`\" ");
	ck_assert_str_eq(c, "A bbold/b x claim");
	free(c);
	c = mermaid_clean_caption("first line\nsecond line");
	ck_assert_str_eq(c, "first line");
	free(c);
	c = mermaid_clean_caption("tab\tand\001control\x7f");
	ck_assert_str_eq(c, "tab andcontrol");
	free(c);
	c = mermaid_clean_caption("***");
	ck_assert_str_eq(c, "");
	free(c);
	buf_init(&b);
	for (i = 0; i < 40; i++)
		buf_puts(&b, "word ");
	c = mermaid_clean_caption(buf_cstr(&b));
	ck_assert_uint_le(strlen(c), MERMAID_CAPTION_MAX);
	ck_assert_uint_gt(strlen(c), MERMAID_CAPTION_MAX - 6);
	ck_assert(c[strlen(c) - 1] == 'd');	/* cut at a word */
	free(c);
	buf_release(&b);
}
END_TEST

Suite *
mermaid_suite(void)
{
	Suite	*s = suite_create("mermaid");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_valid_diagrams);
	tcase_add_test(tc, test_invalid_diagrams);
	tcase_add_test(tc, test_size_caps);
	tcase_add_test(tc, test_error_names_line);
	tcase_add_test(tc, test_extract_fenced);
	tcase_add_test(tc, test_extract_bare_and_none);
	tcase_add_test(tc, test_caption_clean);
	suite_add_tcase(s, tc);
	return (s);
}
