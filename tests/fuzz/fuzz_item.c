/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * fuzz_item.c: libFuzzer harness for the enriched-file loader and the
 * per-item validation, the code that reads the run's input file.
 *
 * The input is the file's bytes.  When item_load_buffer() accepts it,
 * every valid item must survive two round trips unchanged:
 * item_to_json() then item_from_json(), and the same through JSON text
 * (an "items" array serialised by json-c and loaded again), which is how
 * an item travels to a worker inside a job message.  Counts must add up
 * (valid + invalid = total).  A violation aborts, which libFuzzer records
 * as a crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "compat.h"
#include "item.h"
#include "log.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static __dead void
fail(const char *why, const char *id)
{
	fprintf(stderr, "fuzz_item: %s (item id \"%s\")\n", why, id);
	abort();
}

static int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

static int
strv_eq(char **a, size_t na, char **b, size_t nb)
{
	size_t	i;

	if (na != nb)
		return (0);
	for (i = 0; i < na; i++)
		if (!str_eq(a[i], b[i]))
			return (0);
	return (1);
}

/* Every field of a and b equal (it_index aside); doubles compared with ==. */
static void
check_same(const struct item *a, const struct item *b, const char *how)
{
	if (!str_eq(a->it_id, b->it_id) || !str_eq(a->it_title, b->it_title) ||
	    !str_eq(a->it_content, b->it_content) ||
	    !str_eq(a->it_source, b->it_source) ||
	    !str_eq(a->it_url, b->it_url) ||
	    !str_eq(a->it_author, b->it_author) ||
	    !str_eq(a->it_collected_at, b->it_collected_at) ||
	    a->it_collected_epoch != b->it_collected_epoch ||
	    !str_eq(a->it_research_summary, b->it_research_summary) ||
	    !strv_eq(a->it_related, a->it_nrelated, b->it_related,
	    b->it_nrelated) ||
	    !strv_eq(a->it_topics, a->it_ntopics, b->it_topics, b->it_ntopics) ||
	    a->it_quality != b->it_quality ||
	    a->it_heuristic != b->it_heuristic || a->it_ai != b->it_ai) {
		fprintf(stderr, "fuzz_item: %s\n", how);
		fail("round trip changed the item", a->it_id);
	}
}

static void
check_item(const struct item *it)
{
	struct json_object	*obj, *root, *arr;
	struct item_set		 set2;
	struct item		 back;
	const char		*text;
	char			 err[512];
	size_t			 len;

	obj = item_to_json(it);
	if (item_from_json(obj, &back, err, sizeof(err)) == -1) {
		fprintf(stderr, "fuzz_item: item_from_json: %s\n", err);
		fail("item_to_json gave an invalid item", it->it_id);
	}
	check_same(it, &back, "item_to_json/item_from_json");
	item_release(&back);

	root = json_object_new_object();
	arr = json_object_new_array();
	json_object_array_add(arr, obj);		/* moves obj in */
	json_object_object_add(root, "items", arr);
	text = json_object_to_json_string_length(root,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	if (item_load_buffer("round-trip.json", text, len, &set2, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "fuzz_item: reload: %s\n", err);
		fail("serialised item does not load", it->it_id);
	}
	if (set2.is_nitems != 1) {
		fprintf(stderr, "fuzz_item: %s\n", text);
		fail("serialised item is not valid", it->it_id);
	}
	check_same(it, &set2.is_items[0], "JSON text round trip");
	item_set_release(&set2);
	json_object_put(root);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_procinit("fuzz_item");
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct item_set	 set;
	char		 err[512], *copy;
	size_t		 i;

	/* An exact-size copy, not NUL-terminated: the loader gets a length. */
	if ((copy = malloc(size > 0 ? size : 1)) == NULL)
		return (0);
	memcpy(copy, data, size);
	if (item_load_buffer("fuzz.json", copy, size, &set, err,
	    sizeof(err)) == -1) {
		if (set.is_items != NULL || set.is_nitems != 0)
			fail("items left after a load error", "");
		if (strncmp(err, "fuzz.json: ", 11) != 0)
			fail("load error does not name the file", "");
		free(copy);
		return (0);
	}
	if (set.is_nitems + set.is_ninvalid != set.is_ntotal)
		fail("valid + invalid != total", "");
	for (i = 0; i < set.is_nitems; i++) {
		if (i > 0 && set.is_items[i].it_index <=
		    set.is_items[i - 1].it_index)
			fail("items out of file order", set.is_items[i].it_id);
		check_item(&set.is_items[i]);
	}
	item_set_release(&set);
	free(copy);
	return (0);
}
