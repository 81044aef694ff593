/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * item.c: reading the enriched file, the input of every run.  The file is
 * one JSON object whose "items" array holds the stories to write about
 * (original-pipeline.md §1.2-1.4).  The file as a whole must parse; each
 * element of "items" is then checked on its own, and a bad element is
 * skipped with a warning that names the file, the element and the field,
 * so one broken story never costs the whole run.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "item.h"
#include "log.h"
#include "proto.h"
#include "urlnorm.h"
#include "utf8.h"
#include "xmalloc.h"

/* The largest enriched file we read; real ones are well under 1 MiB. */
#define ITEM_FILE_MAX	(256UL * 1024 * 1024)
/* Nesting allowed in the file (envelope, item, original, metadata...). */
#define ITEM_JSON_DEPTH	64
/* Longest id quoted in a log line. */
#define ITEM_ID_LOGMAX	100

static int
is_leap(int64_t y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

/* Read exactly n digits at *pp into *v and advance; -1 if not digits. */
static int
digits(const char **pp, int n, int *v)
{
	const char	*p = *pp;
	int		 i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return (-1);
		*v = *v * 10 + (p[i] - '0');
	}
	*pp = p + n;
	return (0);
}

/*
 * Accepted: "YYYY-MM-DD", optionally followed by 'T', 't' or ' ' and
 * "HH:MM[:SS[.fraction]]", optionally followed by 'Z', 'z', "+HH:MM",
 * "+HHMM" or "+HH" (or '-').  A time without an offset is taken as UTC,
 * as the enrichment stage writes UTC.  The fraction is dropped.
 */
int
item_parse_time(const char *s, int64_t *epoch)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	const char	*p = s;
	int		 y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0;
	int		 sign = 0, dim;

	if (s == NULL)
		return (-1);
	if (digits(&p, 4, &y) == -1 || *p++ != '-' ||
	    digits(&p, 2, &mo) == -1 || *p++ != '-' ||
	    digits(&p, 2, &d) == -1)
		return (-1);
	if (mo < 1 || mo > 12 || d < 1)
		return (-1);
	dim = mdays[mo - 1] + (mo == 2 && is_leap(y));
	if (d > dim)
		return (-1);
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) == -1 || *p++ != ':' ||
		    digits(&p, 2, &mi) == -1)
			return (-1);
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec) == -1)
				return (-1);
			if (*p == '.' || *p == ',') {
				p++;
				if (*p < '0' || *p > '9')
					return (-1);
				while (*p >= '0' && *p <= '9')
					p++;
			}
		}
		if (h > 23 || mi > 59 || sec > 59)
			return (-1);
		if (*p == 'Z' || *p == 'z')
			p++;
		else if (*p == '+' || *p == '-') {
			sign = *p++ == '+' ? 1 : -1;
			if (digits(&p, 2, &oh) == -1)
				return (-1);
			if (*p == ':')
				p++;
			if (*p != '\0' && digits(&p, 2, &om) == -1)
				return (-1);
			if (oh > 23 || om > 59)
				return (-1);
		}
	}
	if (*p != '\0')
		return (-1);
	*epoch = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	    sign * (oh * 3600 + om * 60);
	return (0);
}

void
item_release(struct item *it)
{
	size_t	i;

	if (it == NULL)
		return;
	free(it->it_id);
	free(it->it_title);
	free(it->it_content);
	free(it->it_source);
	free(it->it_url);
	free(it->it_author);
	free(it->it_collected_at);
	free(it->it_research_summary);
	for (i = 0; i < it->it_nrelated; i++)
		free(it->it_related[i]);
	free(it->it_related);
	for (i = 0; i < it->it_ntopics; i++)
		free(it->it_topics[i]);
	free(it->it_topics);
	memset(it, 0, sizeof(*it));
}

/*
 * Check that v is a usable string for the field called name: a JSON
 * string, valid UTF-8, without NUL characters and, when nonempty is set,
 * not empty.  Returns the string (borrowed from v) or NULL with errbuf
 * set to "name: why".
 */
static const char *
check_string(struct json_object *v, const char *name, int nonempty,
    char *errbuf, size_t errlen)
{
	const char	*s;
	int		 len;

	if (!json_object_is_type(v, json_type_string)) {
		snprintf(errbuf, errlen, "%s: not a string", name);
		return (NULL);
	}
	s = json_object_get_string(v);
	len = json_object_get_string_len(v);
	if (len < 0 || strlen(s) != (size_t)len) {
		snprintf(errbuf, errlen, "%s: contains a NUL character", name);
		return (NULL);
	}
	if ((size_t)len > ITEM_FIELD_MAX) {
		snprintf(errbuf, errlen, "%s: %d bytes, more than the %d "
		    "allowed", name, len, ITEM_FIELD_MAX);
		return (NULL);
	}
	if (!utf8_valid(s, (size_t)len)) {
		snprintf(errbuf, errlen, "%s: invalid UTF-8", name);
		return (NULL);
	}
	if (nonempty && len == 0) {
		snprintf(errbuf, errlen, "%s: empty", name);
		return (NULL);
	}
	return (s);
}

/*
 * Copy the string member key of obj into *out (owned).  name is the field
 * as error messages spell it.  A missing member is an error when required,
 * else leaves *out NULL.  Returns 0 or -1 with errbuf set.
 */
static int
get_string(struct json_object *obj, const char *key, const char *name,
    int required, int nonempty, char **out, char *errbuf, size_t errlen)
{
	struct json_object	*v;
	const char		*s;

	*out = NULL;
	if (!json_object_object_get_ex(obj, key, &v)) {
		if (!required)
			return (0);
		snprintf(errbuf, errlen, "%s: missing", name);
		return (-1);
	}
	if ((s = check_string(v, name, nonempty, errbuf, errlen)) == NULL)
		return (-1);
	*out = xstrdup(s);
	return (0);
}

/*
 * The number member key of obj into *out: an integer or a float, finite,
 * at least min and, when max >= min, at most max.  A missing member is an
 * error when required, else *out = 0.  Returns 0 or -1 with errbuf set.
 */
static int
get_number(struct json_object *obj, const char *key, int required,
    double min, double max, double *out, char *errbuf, size_t errlen)
{
	struct json_object	*v;
	double			 d;

	*out = 0.0;
	if (!json_object_object_get_ex(obj, key, &v)) {
		if (!required)
			return (0);
		snprintf(errbuf, errlen, "%s: missing", key);
		return (-1);
	}
	if (!json_object_is_type(v, json_type_int) &&
	    !json_object_is_type(v, json_type_double)) {
		snprintf(errbuf, errlen, "%s: not a number", key);
		return (-1);
	}
	d = json_object_get_double(v);
	if (!isfinite(d)) {
		snprintf(errbuf, errlen, "%s: not a finite number", key);
		return (-1);
	}
	if (max >= min && (d < min || d > max)) {
		snprintf(errbuf, errlen, "%s: %g is outside [%g, %g]", key, d,
		    min, max);
		return (-1);
	}
	if (d < min) {
		snprintf(errbuf, errlen, "%s: %g is below %g", key, d, min);
		return (-1);
	}
	*out = d;
	return (0);
}

/*
 * The optional array of strings member key of obj into *arrp / *np (owned
 * by the caller even on error, which item_release() takes care of).  When
 * need_url is set every element must be an absolute http(s) URL.  Returns
 * 0 or -1 with errbuf set ("topics[2]: not a string").
 */
static int
get_string_array(struct json_object *obj, const char *key, int need_url,
    char ***arrp, size_t *np, char *errbuf, size_t errlen)
{
	struct json_object	*v;
	const char		*s;
	char			 name[64];
	size_t			 i, n;

	*arrp = NULL;
	*np = 0;
	if (!json_object_object_get_ex(obj, key, &v))
		return (0);
	if (!json_object_is_type(v, json_type_array)) {
		snprintf(errbuf, errlen, "%s: not an array", key);
		return (-1);
	}
	n = json_object_array_length(v);
	if (n == 0)
		return (0);
	*arrp = xreallocarray(NULL, n, sizeof(**arrp));
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s[%zu]", key, i);
		s = check_string(json_object_array_get_idx(v, i), name, 0,
		    errbuf, errlen);
		if (s == NULL)
			return (-1);
		if (need_url && !url_is_http(s)) {
			snprintf(errbuf, errlen,
			    "%s: not an absolute http(s) URL", name);
			return (-1);
		}
		(*arrp)[i] = xstrdup(s);
		*np = i + 1;
	}
	return (0);
}

/* The optional date-time member key of obj must parse.  0 or -1. */
static int
check_time(struct json_object *obj, const char *key, const char *name,
    char **out, int64_t *epoch, char *errbuf, size_t errlen)
{
	if (get_string(obj, key, name, 0, 0, out, errbuf, errlen) == -1)
		return (-1);
	*epoch = 0;
	if (*out != NULL && item_parse_time(*out, epoch) == -1) {
		snprintf(errbuf, errlen, "%s: not a date-time", name);
		return (-1);
	}
	return (0);
}

/*
 * Fill it from one element of "items" (borrowed).  On success the
 * strings and arrays of it are owned by the caller (item_release()); on
 * failure nothing is left to free, it is zeroed and errbuf names the field
 * that is wrong.  it_index is left 0 for the caller to set.
 */
int
item_from_json(struct json_object *obj, struct item *it, char *errbuf,
    size_t errlen)
{
	struct json_object	*orig, *v;
	char			*enriched = NULL;
	int64_t			 t;

	memset(it, 0, sizeof(*it));
	if (!json_object_is_type(obj, json_type_object)) {
		snprintf(errbuf, errlen, "not an object");
		return (-1);
	}
	if (!json_object_object_get_ex(obj, "original", &orig)) {
		snprintf(errbuf, errlen, "original: missing");
		return (-1);
	}
	if (!json_object_is_type(orig, json_type_object)) {
		snprintf(errbuf, errlen, "original: not an object");
		return (-1);
	}
	if (get_string(orig, "id", "original.id", 1, 1, &it->it_id,
	    errbuf, errlen) == -1 ||
	    get_string(orig, "title", "original.title", 1, 0, &it->it_title,
	    errbuf, errlen) == -1 ||
	    get_string(orig, "content", "original.content", 1, 0,
	    &it->it_content, errbuf, errlen) == -1 ||
	    get_string(orig, "source", "original.source", 1, 1,
	    &it->it_source, errbuf, errlen) == -1 ||
	    get_string(orig, "url", "original.url", 1, 1, &it->it_url,
	    errbuf, errlen) == -1 ||
	    get_string(orig, "author", "original.author", 1, 0,
	    &it->it_author, errbuf, errlen) == -1)
		goto fail;
	if (!url_is_http(it->it_url)) {
		snprintf(errbuf, errlen,
		    "original.url: not an absolute http(s) URL");
		goto fail;
	}
	if (check_time(orig, "collected_at", "original.collected_at",
	    &it->it_collected_at, &it->it_collected_epoch, errbuf,
	    errlen) == -1)
		goto fail;
	if (json_object_object_get_ex(orig, "metadata", &v) &&
	    !json_object_is_type(v, json_type_object)) {
		snprintf(errbuf, errlen, "original.metadata: not an object");
		goto fail;
	}
	if (get_string(obj, "research_summary", "research_summary", 1, 0,
	    &it->it_research_summary, errbuf, errlen) == -1 ||
	    get_string_array(obj, "related_sources", 1, &it->it_related,
	    &it->it_nrelated, errbuf, errlen) == -1 ||
	    get_string_array(obj, "topics", 0, &it->it_topics,
	    &it->it_ntopics, errbuf, errlen) == -1 ||
	    get_number(obj, "quality_score", 1, 0.0, 1.0, &it->it_quality,
	    errbuf, errlen) == -1 ||
	    get_number(obj, "heuristic_score", 0, 0.0, -1.0,
	    &it->it_heuristic, errbuf, errlen) == -1 ||
	    get_number(obj, "ai_score", 0, 0.0, -1.0, &it->it_ai,
	    errbuf, errlen) == -1)
		goto fail;
	if (check_time(obj, "enriched_at", "enriched_at", &enriched, &t,
	    errbuf, errlen) == -1)
		goto fail;
	free(enriched);
	return (0);

 fail:
	free(enriched);
	item_release(it);
	return (-1);
}

/*
 * A JSON number that prints as the shortest text reading back as exactly
 * d ("0.82", not "0.81999999999999995").  A new reference.
 */
static struct json_object *
new_number(double d)
{
	char	buf[40];
	int	prec;

	for (prec = 15; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	if (prec == 17)
		snprintf(buf, sizeof(buf), "%.17g", d);
	return (json_object_new_double_s(d, buf));
}

static struct json_object *
string_array(char **v, size_t n)
{
	struct json_object	*a;
	size_t			 i;

	a = json_object_new_array_ext((int)n);
	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return (a);
}

/*
 * The item in the enriched file's shape, so that item_from_json() gives
 * the same item back.  A new reference owned by the caller.
 */
struct json_object *
item_to_json(const struct item *it)
{
	struct json_object	*obj, *orig;

	orig = json_object_new_object();
	json_object_object_add(orig, "id", json_object_new_string(it->it_id));
	json_object_object_add(orig, "title",
	    json_object_new_string(it->it_title));
	json_object_object_add(orig, "content",
	    json_object_new_string(it->it_content));
	json_object_object_add(orig, "source",
	    json_object_new_string(it->it_source));
	json_object_object_add(orig, "url", json_object_new_string(it->it_url));
	json_object_object_add(orig, "author",
	    json_object_new_string(it->it_author));
	if (it->it_collected_at != NULL)
		json_object_object_add(orig, "collected_at",
		    json_object_new_string(it->it_collected_at));

	obj = json_object_new_object();
	json_object_object_add(obj, "original", orig);
	json_object_object_add(obj, "research_summary",
	    json_object_new_string(it->it_research_summary));
	json_object_object_add(obj, "related_sources",
	    string_array(it->it_related, it->it_nrelated));
	json_object_object_add(obj, "topics",
	    string_array(it->it_topics, it->it_ntopics));
	json_object_object_add(obj, "quality_score",
	    new_number(it->it_quality));
	json_object_object_add(obj, "heuristic_score",
	    new_number(it->it_heuristic));
	json_object_object_add(obj, "ai_score",
	    new_number(it->it_ai));
	return (obj);
}

void
item_set_release(struct item_set *set)
{
	size_t	i;

	if (set == NULL)
		return;
	for (i = 0; i < set->is_nitems; i++)
		item_release(&set->is_items[i]);
	free(set->is_items);
	free(set->is_path);
	memset(set, 0, sizeof(*set));
}

/* 1-based line and column (in characters) of byte offset off of data. */
static void
line_col(const char *data, size_t off, size_t *line, size_t *col)
{
	size_t		 i, n;
	uint32_t	 cp;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i += n) {
		n = utf8_decode(data + i, off - i, &cp);
		if (cp == '\n') {
			(*line)++;
			*col = 1;
		} else if (cp != '\r')
			(*col)++;
	}
}

/* The id of an element of "items" fit for a log line, borrowed, or "?". */
static const char *
log_id(struct json_object *el)
{
	struct json_object	*orig, *v;
	const char		*s;
	size_t			 i;

	if (!json_object_object_get_ex(el, "original", &orig) ||
	    !json_object_object_get_ex(orig, "id", &v) ||
	    !json_object_is_type(v, json_type_string))
		return ("?");
	s = json_object_get_string(v);
	for (i = 0; s[i] != '\0'; i++)
		if (i >= ITEM_ID_LOGMAX || (unsigned char)s[i] < 0x20 ||
		    (unsigned char)s[i] >= 0x7f)
			return ("?");
	return (i > 0 ? s : "?");
}

static const char *
json_type_label(struct json_object *v)
{
	if (v == NULL)
		return ("null");
	return (json_type_to_name(json_object_get_type(v)));
}

/*
 * Whether the valid item it fits in a job message: its JSON, encoded the
 * way a protocol line encodes it, leaves ITEM_JOB_RESERVE bytes of the
 * line for the rest.  Returns 0, or -1 with errbuf giving the size and
 * it released (the caller skips the item).
 */
static int
item_check_size(struct item *it, char *errbuf, size_t errlen)
{
	struct json_object	*obj;
	size_t			 len = 0;

	obj = item_to_json(it);
	if (json_object_to_json_string_length(obj, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE, &len) == NULL)
		fatalx("%s: out of memory", __func__);
	json_object_put(obj);
	if (len <= PROTO_LINE_MAX - ITEM_JOB_RESERVE)
		return (0);
	snprintf(errbuf, errlen, "the item is %zu bytes as JSON, more than "
	    "the %d a worker's job message has room for", len,
	    PROTO_LINE_MAX - ITEM_JOB_RESERVE);
	item_release(it);
	return (-1);
}

/*
 * Parse len bytes of data (borrowed; they need not be NUL-terminated) as
 * an enriched file called path.  On success set is filled and owned by
 * the caller (item_set_release()).  On error set is empty and errbuf says
 * where the file breaks.
 */
int
item_load_buffer(const char *path, const char *data, size_t len,
    struct item_set *set, char *errbuf, size_t errlen)
{
	struct json_tokener	*tok = NULL;
	struct json_object	*root = NULL, *items, *el;
	enum json_tokener_error	 jerr;
	struct item		 it;
	char			 ierr[256];
	size_t			 i, n, end, line, col;
	int			 ret = -1;

	memset(set, 0, sizeof(*set));
	if (len > ITEM_FILE_MAX || len > INT_MAX) {
		snprintf(errbuf, errlen, "%s: larger than %lu MiB", path,
		    ITEM_FILE_MAX / (1024 * 1024));
		return (-1);
	}
	if ((tok = json_tokener_new_ex(ITEM_JSON_DEPTH)) == NULL)
		fatalx("%s: json_tokener_new_ex", __func__);
	root = json_tokener_parse_ex(tok, data, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_success) {
		/* json-c stops after the value; only blanks may follow. */
		while (end < len && (data[end] == ' ' || data[end] == '\t' ||
		    data[end] == '\r' || data[end] == '\n'))
			end++;
		if (end < len) {
			line_col(data, end, &line, &col);
			snprintf(errbuf, errlen, "%s: not valid JSON: line "
			    "%zu, column %zu: data after the top-level value",
			    path, line, col);
			goto done;
		}
	} else {
		if (end > len)
			end = len;
		line_col(data, end, &line, &col);
		snprintf(errbuf, errlen, "%s: not valid JSON: line %zu, "
		    "column %zu: %s", path, line, col,
		    jerr == json_tokener_continue ? "unexpected end of input" :
		    json_tokener_error_desc(jerr));
		goto done;
	}
	if (!json_object_is_type(root, json_type_object)) {
		snprintf(errbuf, errlen, "%s: not a JSON object but %s", path,
		    json_type_label(root));
		goto done;
	}
	if (!json_object_object_get_ex(root, "items", &items)) {
		snprintf(errbuf, errlen, "%s: no \"items\" array", path);
		goto done;
	}
	if (!json_object_is_type(items, json_type_array)) {
		snprintf(errbuf, errlen, "%s: no \"items\" array (\"items\" is "
		    "%s)", path, json_type_label(items));
		goto done;
	}

	n = json_object_array_length(items);
	set->is_path = xstrdup(path);
	set->is_ntotal = n;
	if (n > 0)
		set->is_items = xreallocarray(NULL, n, sizeof(*set->is_items));
	for (i = 0; i < n; i++) {
		el = json_object_array_get_idx(items, i);
		if (item_from_json(el, &it, ierr, sizeof(ierr)) == -1 ||
		    item_check_size(&it, ierr, sizeof(ierr)) == -1) {
			log_warnx("%s: items[%zu] (id %s): %s; skipped", path,
			    i, log_id(el), ierr);
			set->is_ninvalid++;
			continue;
		}
		it.it_index = i;
		set->is_items[set->is_nitems++] = it;
	}
	ret = 0;

 done:
	json_object_put(root);
	json_tokener_free(tok);
	return (ret);
}

/*
 * Read the whole file at path (at most ITEM_FILE_MAX bytes) and parse it
 * with item_load_buffer().  *is_missing (when not NULL) is set to 1 only
 * when the file does not exist.  Returns 0, or -1 with errbuf set.
 */
int
item_load_file(const char *path, struct item_set *set, int *is_missing,
    char *errbuf, size_t errlen)
{
	struct stat	 st;
	char		*data = NULL, *p;
	size_t		 len = 0, cap;
	ssize_t		 r;
	int		 fd, ret = -1;

	memset(set, 0, sizeof(*set));
	if (is_missing != NULL)
		*is_missing = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT && is_missing != NULL)
			*is_missing = 1;
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == -1) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(errbuf, errlen, "%s: not a regular file", path);
		goto done;
	}
	if ((uintmax_t)st.st_size > ITEM_FILE_MAX) {
		snprintf(errbuf, errlen, "%s: larger than %lu MiB", path,
		    ITEM_FILE_MAX / (1024 * 1024));
		goto done;
	}
	/* The size is a hint; the file may change while we read it. */
	cap = (size_t)st.st_size + 1;
	if ((data = malloc(cap)) == NULL) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		goto done;
	}
	for (;;) {
		if (len == cap) {
			if (cap > ITEM_FILE_MAX) {
				snprintf(errbuf, errlen, "%s: larger than %lu "
				    "MiB", path, ITEM_FILE_MAX / (1024 * 1024));
				goto done;
			}
			if ((p = realloc(data, cap * 2)) == NULL) {
				snprintf(errbuf, errlen, "%s: %s", path,
				    strerror(errno));
				goto done;
			}
			data = p;
			cap *= 2;
		}
		r = read(fd, data + len, cap - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			snprintf(errbuf, errlen, "%s: %s", path,
			    strerror(errno));
			goto done;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	ret = item_load_buffer(path, data, len, set, errbuf, errlen);

 done:
	free(data);
	close(fd);
	return (ret);
}

/*
 * The newest "enriched_*.json" regular file directly in datadir, by
 * modification time; on a tie the greatest name wins, so the choice does
 * not depend on directory order.  Returns "datadir/name" owned by the
 * caller, or NULL when there is none or datadir cannot be read (errno
 * then tells which).
 */
char *
item_find_newest(const char *datadir)
{
	return (item_find_newest_stage(datadir, "enriched_"));
}

char *
item_find_newest_stage(const char *datadir, const char *prefix)
{
	DIR		*dir;
	struct dirent	*de;
	struct stat	 st;
	struct timespec	 best_t = { 0, 0 };
	char		*best = NULL, *path;
	size_t		 n;
	int		 newer;

	if ((dir = opendir(datadir)) == NULL)
		return (NULL);
	while ((de = readdir(dir)) != NULL) {
		n = strlen(de->d_name);
		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0 ||
		    n < strlen(prefix) + 5 ||
		    strcmp(de->d_name + n - 5, ".json") != 0)
			continue;
		xasprintf(&path, "%s/%s", datadir, de->d_name);
		if (stat(path, &st) == -1 || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		if (best == NULL)
			newer = 1;
		else if (st.st_mtim.tv_sec != best_t.tv_sec)
			newer = st.st_mtim.tv_sec > best_t.tv_sec;
		else if (st.st_mtim.tv_nsec != best_t.tv_nsec)
			newer = st.st_mtim.tv_nsec > best_t.tv_nsec;
		else
			newer = strcmp(path, best) > 0;
		if (newer) {
			free(best);
			best = path;
			best_t = st.st_mtim;
		} else
			free(path);
	}
	closedir(dir);
	if (best == NULL)
		errno = ENOENT;
	return (best);
}
