/* The nightly configuration: nightly.yaml, or the older flat `key = value`
 * lines. One table of keys serves both syntaxes and the YAML writer, so a
 * new key is one row and one small function. */
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../core/grens_yaml.h"
#include "report_internal.h"

typedef grens_report_nightly_config nightly;

/* What a value is for; every setter returns 0, GRENS_EFORMAT or
 * GRENS_ELIMIT with the reason in why[WHY_BYTES]. `first` is set for the
 * first value of a key in the file (a list key's later items append). */
#define WHY_BYTES 160
struct nightly_key;
typedef int (*setter)(nightly *c, const struct nightly_key *k, const char *file, const char *v,
		      size_t len, bool first, char *why);

static int too(char *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int too(char *why, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, WHY_BYTES, fmt, ap);
	va_end(ap);
	return GRENS_EFORMAT;
}

static int copy(char *dst, size_t dstsz, const char *s, size_t len)
{
	if (len >= dstsz)
		return -1;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

/* A path relative to the directory of file (absolute paths as they are). */
static int resolve(char *dst, size_t dstsz, const char *file, const char *v, size_t len)
{
	const char *slash = strrchr(file, '/');
	if (v[0] == '/' || !slash)
		return copy(dst, dstsz, v, len);
	size_t dlen = (size_t)(slash - file) + 1;
	if (dlen + len >= dstsz)
		return -1;
	memcpy(dst, file, dlen);
	memcpy(dst + dlen, v, len);
	dst[dlen + len] = '\0';
	return 0;
}

static int path_into(char *dst, size_t dstsz, const char *file, const char *v, size_t len,
		     char *why)
{
	return resolve(dst, dstsz, file, v, len) ? too(why, "value too long") : 0;
}

static int text_into(char *dst, size_t dstsz, const char *v, size_t len, char *why)
{
	return copy(dst, dstsz, v, len) ? too(why, "value too long") : 0;
}

static int add_scenario(nightly *c, const struct nightly_key *k, const char *file, const char *v,
			size_t len, bool first, char *why)
{
	if (c->scenario_count == GRENS_REPORT_NIGHTLY_MAX_SCENARIOS) {
		too(why, "more than %u scenarios", GRENS_REPORT_NIGHTLY_MAX_SCENARIOS);
		return GRENS_ELIMIT;
	}
	return path_into(c->scenarios[c->scenario_count++], GRENS_REPORT_PATH_BYTES, file, v, len,
			 why);
}

static int add_places(nightly *c, const struct nightly_key *k, const char *file, const char *v,
		      size_t len, bool first, char *why)
{
	if (c->places_count == GRENS_REPORT_NIGHTLY_MAX_PLACES) {
		too(why, "more than %u places files", GRENS_REPORT_NIGHTLY_MAX_PLACES);
		return GRENS_ELIMIT;
	}
	return path_into(c->places[c->places_count++], GRENS_REPORT_PATH_BYTES, file, v, len, why);
}

static int add_rt_record_url(nightly *c, const struct nightly_key *k, const char *file,
			     const char *v, size_t len, bool first, char *why)
{
	if (c->rt_record_url_count == GRENS_RT_RECORD_MAX_FEEDS) {
		too(why, "too many feeds to record");
		return GRENS_ELIMIT;
	}
	return text_into(c->rt_record_urls[c->rt_record_url_count++], sizeof(c->rt_record_urls[0]),
			 v, len, why);
}

static int add_pair_parts(nightly *c, const char *from, size_t flen, const char *to, size_t tlen,
			  char *why)
{
	if (c->pair_count == GRENS_REPORT_NIGHTLY_MAX_PAIRS) {
		too(why, "more than %u pairs", GRENS_REPORT_NIGHTLY_MAX_PAIRS);
		return GRENS_ELIMIT;
	}
	if (flen == 0 || tlen == 0)
		return too(why, "expected 'FROM -> TO'");
	grens_report_nightly_pair *pr = &c->pairs[c->pair_count++];
	if (copy(pr->from, sizeof(pr->from), from, flen) || copy(pr->to, sizeof(pr->to), to, tlen))
		return too(why, "value too long");
	return 0;
}

/* "FROM -> TO" (the last arrow splits). */
static int add_pair(nightly *c, const struct nightly_key *k, const char *file, const char *v,
		    size_t len, bool first, char *why)
{
	const char *e = v + len, *arrow = NULL;
	for (const char *q = v; q + 1 < e; q++)
		if (q[0] == '-' && q[1] == '>')
			arrow = q;
	if (!arrow)
		return too(why, "expected 'FROM -> TO'");
	const char *fe = arrow, *ts = arrow + 2;
	while (fe > v && fe[-1] == ' ')
		fe--;
	while (ts < e && *ts == ' ')
		ts++;
	return add_pair_parts(c, v, (size_t)(fe - v), ts, (size_t)(e - ts), why);
}

/* "60, 90, 120", or one of a YAML list's items. */
static int set_cutoffs(nightly *c, const struct nightly_key *k, const char *file, const char *v,
		       size_t len, bool first, char *why)
{
	if (first)
		c->cutoff_count = 0;
	const char *e = v + len;
	for (const char *q = v; q < e;) {
		const char *comma = memchr(q, ',', (size_t)(e - q));
		const char *qe = comma ? comma : e;
		while (q < qe && *q == ' ')
			q++;
		while (qe > q && qe[-1] == ' ')
			qe--;
		int64_t n;
		if (c->cutoff_count == GRENS_REPORT_NIGHTLY_MAX_CUTOFFS ||
		    grens_parse_i64(q, (size_t)(qe - q), 1, 1440, &n))
			return too(why, "expected up to %u minutes 1..1440, comma-separated",
				   GRENS_REPORT_NIGHTLY_MAX_CUTOFFS);
		c->cutoffs_min[c->cutoff_count++] = (int32_t)n;
		q = comma ? comma + 1 : e;
	}
	return 0;
}

static int set_max_age(nightly *c, const struct nightly_key *k, const char *file, const char *v,
		       size_t len, bool first, char *why)
{
	int64_t mult = 1;
	if (len > 1) {
		char u = v[len - 1];
		mult = u == 's' ? 1 : u == 'm' ? 60 : u == 'h' ? 3600 : u == 'd' ? 86400 : 0;
		if (mult)
			len--;
		else
			mult = 1;
	}
	int64_t n;
	if (grens_parse_i64(v, len, 0, INT64_C(3650) * 86400, &n) != 0)
		return too(why, "expected a duration like 36h or 2d (s, m, h, d)");
	c->max_age_s = n * mult;
	return 0;
}

static int set_service_date(nightly *c, const struct nightly_key *k, const char *file,
			    const char *v, size_t len, bool first, char *why)
{
	return grens_date_parse_iso(v, len, &c->service_date) ? too(why, "expected YYYY-MM-DD") : 0;
}

static int set_window(nightly *c, const struct nightly_key *k, const char *file, const char *v,
		      size_t len, bool first, char *why)
{
	const char *dash = memchr(v, '-', len);
	int32_t t0, t1;
	if (!dash || grens_time_parse(v, (size_t)(dash - v), 1, &t0) ||
	    grens_time_parse(dash + 1, (size_t)(v + len - dash - 1), 1, &t1) || t1 < t0)
		return too(why, "expected HH:MM-HH:MM");
	c->window_start = t0;
	c->window_end = t1;
	return 0;
}

static int number(const char *v, size_t len, int64_t min, int64_t max, int64_t *n)
{
	return grens_parse_i64(v, len, min, max, n);
}

static int set_step(nightly *c, const struct nightly_key *k, const char *file, const char *v,
		    size_t len, bool first, char *why)
{
	int64_t n;
	if (number(v, len, 1, 86400, &n))
		return too(why, "expected seconds 1..86400");
	c->step_s = (int32_t)n;
	return 0;
}

static int set_threshold(nightly *c, const struct nightly_key *k, const char *file, const char *v,
			 size_t len, bool first, char *why)
{
	int64_t n;
	if (number(v, len, 0, 10000, &n))
		return too(why, "expected minutes 0..10000");
	c->threshold_s = (int32_t)n * 60;
	return 0;
}

static int set_diff_travel_time(nightly *c, const struct nightly_key *k, const char *file,
				const char *v, size_t len, bool first, char *why)
{
	int64_t n;
	if (number(v, len, 0, 86400, &n))
		return too(why, "expected seconds 0..86400");
	c->diff.travel_time_s = (int32_t)n;
	return 0;
}

static int set_diff_population(nightly *c, const struct nightly_key *k, const char *file,
			       const char *v, size_t len, bool first, char *why)
{
	double d;
	if (grens_parse_double(v, len, &d) || !(d >= 0))
		return too(why, "expected a number >= 0");
	c->diff.population = d;
	return 0;
}

/* The keys: the INI name, the YAML name (plural for lists), whether the
 * key takes several values (repeated lines, a YAML list), and its setter;
 * set_path and set_text write the field at off. */
static int set_path(nightly *c, const struct nightly_key *k, const char *file, const char *v,
		    size_t len, bool first, char *why);
static int set_text(nightly *c, const struct nightly_key *k, const char *file, const char *v,
		    size_t len, bool first, char *why);

static const struct nightly_key {
	const char *ini, *yaml;
	bool list;
	setter set;
	size_t off, size;
} keys[] = {
#define FIELD(f) offsetof(nightly, f), sizeof(((nightly *)0)->f)
    {"feeds", "feeds", false, set_path, FIELD(feeds)},
    {"cache", "cache", false, set_path, FIELD(cache)},
    {"scenario", "scenarios", true, add_scenario, 0, 0},
    {"pair", "pairs", true, add_pair, 0, 0},
    {"places", "places", true, add_places, 0, 0},
    {"cutoffs", "cutoffs", true, set_cutoffs, 0, 0},
    {"links", "links", false, set_path, FIELD(links)},
    {"base_feeds", "base_feeds", false, set_text, FIELD(base_feeds)},
    {"map_origin", "map_origin", false, set_text, FIELD(map_origin)},
    {"max_age", "max_age", false, set_max_age, 0, 0},
    {"service_date", "service_date", false, set_service_date, 0, 0},
    {"window", "window", false, set_window, 0, 0},
    {"step", "step", false, set_step, 0, 0},
    {"threshold", "threshold", false, set_threshold, 0, 0},
    {"diff_travel_time", "diff_travel_time", false, set_diff_travel_time, 0, 0},
    {"diff_population", "diff_population", false, set_diff_population, 0, 0},
    {"rt_archive", "rt_archive", false, set_path, FIELD(rt_archive)},
    {"rt_record_url", "rt_record_urls", true, add_rt_record_url, 0, 0},
#undef FIELD
};
#define KEY_COUNT (sizeof(keys) / sizeof(keys[0]))

static int set_path(nightly *c, const struct nightly_key *k, const char *file, const char *v,
		    size_t len, bool first, char *why)
{
	return path_into((char *)c + k->off, k->size, file, v, len, why);
}

static int set_text(nightly *c, const struct nightly_key *k, const char *file, const char *v,
		    size_t len, bool first, char *why)
{
	return text_into((char *)c + k->off, k->size, v, len, why);
}

static int bad(grens_error *err, int code, const char *file, uint32_t line, uint32_t column,
	       const char *key, const char *what)
{
	grens_error_set(err, code, "%s", what);
	grens_error_at(err, file, line, column, key);
	return code;
}

static void defaults(nightly *out)
{
	memset(out, 0, sizeof(*out));
	out->max_age_s = 2 * 86400;
	out->service_date = GRENS_DATE_NONE;
	out->window_start = 6 * 3600;
	out->window_end = 22 * 3600;
	out->step_s = GRENS_ROUTE_DEFAULT_STEP;
	out->threshold_s = GRENS_ROUTE_DEFAULT_THRESHOLD;
	out->diff = (grens_report_diff_options)GRENS_REPORT_DIFF_OPTIONS_INIT;
	out->cutoff_count = 3;
	out->cutoffs_min[0] = 60;
	out->cutoffs_min[1] = 90;
	out->cutoffs_min[2] = 120;
}

/* The older syntax: `key = value` lines, `#` starts a comment. */
static int parse_ini(nightly *out, const char *text, size_t len, const char *file, grens_error *err)
{
	uint32_t line = 0;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *next = eol ? eol + 1 : end;
		if (!eol)
			eol = end;
		line++;
		const char *hash = memchr(p, '#', (size_t)(eol - p));
		const char *e = hash ? hash : eol;
		while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		if (p == e) {
			p = next;
			continue;
		}
		const char *eq = memchr(p, '=', (size_t)(e - p));
		if (!eq)
			return bad(err, GRENS_EFORMAT, file, line, 0, "", "expected 'key = value'");
		const char *ke = eq, *v = eq + 1;
		while (ke > p && (ke[-1] == ' ' || ke[-1] == '\t'))
			ke--;
		while (v < e && (*v == ' ' || *v == '\t'))
			v++;
		char key[32];
		size_t vlen = (size_t)(e - v);
		if (copy(key, sizeof(key), p, (size_t)(ke - p)))
			return bad(err, GRENS_EFORMAT, file, line, 0, "", "key too long");
		if (vlen == 0)
			return bad(err, GRENS_EFORMAT, file, line, 0, key, "empty value");
		const struct nightly_key *k = NULL;
		for (size_t i = 0; i < KEY_COUNT && !k; i++)
			if (strcmp(keys[i].ini, key) == 0)
				k = &keys[i];
		if (!k)
			return bad(err, GRENS_EFORMAT, file, line, 0, key, "unknown key");
		char why[WHY_BYTES];
		int rc = k->set(out, k, file, v, vlen, true, why);
		if (rc)
			return bad(err, rc, file, line, 0, key, why);
		p = next;
	}
	return 0;
}

/* One scalar value of k at its node. */
static int yaml_value(grens_yaml *y, nightly *out, const struct nightly_key *k, yaml_node_t *node,
		      bool first, grens_error *err)
{
	const char *v;
	size_t len;
	char why[WHY_BYTES];
	int rc = 0;
	if (k->set == add_pair && node->type == YAML_MAPPING_NODE) {
		/* - from: A
		 *   to: B */
		static const char *const pair_keys[] = {"from", "to", NULL};
		rc = grens_yaml_check_keys(y, node, "pairs", pair_keys, err);
		if (rc)
			return rc;
		yaml_node_t *from = grens_yaml_get(y, node, "from"),
			    *to = grens_yaml_get(y, node, "to");
		if (!from || !to)
			return grens_yaml_fail(y, err, GRENS_EFORMAT, node, !from ? "from" : "to",
					       "a pair needs 'from' and 'to'");
		const char *f, *t;
		size_t flen, tlen;
		rc = grens_yaml_text(y, from, "from", &f, &flen, err);
		if (!rc)
			rc = grens_yaml_text(y, to, "to", &t, &tlen, err);
		if (rc)
			return rc;
		rc = add_pair_parts(out, f, flen, t, tlen, why);
	} else {
		rc = grens_yaml_text(y, node, k->yaml, &v, &len, err);
		if (rc)
			return rc;
		rc = len ? k->set(out, k, y->file, v, len, first, why) : too(why, "empty value");
	}
	if (rc)
		return grens_yaml_fail(y, err, rc, node, k->yaml, "%s", why);
	return 0;
}

static int parse_yaml(nightly *out, const char *text, size_t len, const char *file,
		      grens_error *err)
{
	const char *names[KEY_COUNT + 1];
	for (size_t i = 0; i < KEY_COUNT; i++)
		names[i] = keys[i].yaml;
	names[KEY_COUNT] = NULL;
	grens_yaml y;
	int rc = grens_yaml_load(&y, text, len, file, 8, err);
	yaml_node_t *root = rc ? NULL : grens_yaml_root(&y);
	if (rc || !root)
		goto done;
	rc = grens_yaml_check_keys(&y, root, "nightly configuration", names, err);
	for (size_t i = 0; i < KEY_COUNT && !rc; i++) {
		const struct nightly_key *k = &keys[i];
		yaml_node_t *v = grens_yaml_get(&y, root, k->yaml);
		if (!v)
			continue;
		if (v->type == YAML_SEQUENCE_NODE && k->list) {
			bool first = true;
			for (yaml_node_item_t *it = v->data.sequence.items.start;
			     it < v->data.sequence.items.top && !rc; it++, first = false)
				rc = yaml_value(&y, out, k, grens_yaml_node(&y, *it), first, err);
		} else {
			rc = yaml_value(&y, out, k, v, true, err);
		}
	}
done:
	grens_yaml_free(&y);
	return rc;
}

int grens_report_nightly_parse(grens_report_nightly_config *out, const char *text, size_t len,
			       const char *file, grens_diag *diag, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_nightly_parse: out is NULL");
	if (!text && len)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_nightly_parse: text is NULL");
	defaults(out);
	grens_error_clear(err);
	if (!file)
		file = "<nightly>";
	bool ini = grens_config_is_ini(file, text, len);
	int rc;
	if (ini) {
		grens_diag_add(diag, "deprecated_syntax", GRENS_SEVERITY_WARNING, file, 0, "",
			       "key = value syntax is deprecated; see grens-nightly.yaml(5); "
			       "convert with grens config convert");
		rc = parse_ini(out, text, len, file, err);
	} else {
		rc = parse_yaml(out, text, len, file, err);
	}
	if (rc)
		return rc;
	const char *pair_key = ini ? "pair" : "pairs";
	if (!out->feeds[0])
		return bad(err, GRENS_EFORMAT, file, 0, 0, "feeds",
			   ini ? "the configuration names no feed list (feeds =)"
			       : "the configuration names no feed list (feeds:)");
	if (!out->pair_count)
		return bad(err, GRENS_EFORMAT, file, 0, 0, pair_key,
			   ini ? "the configuration has no 'pair = FROM -> TO'"
			       : "the configuration has no pair (pairs: [FROM -> TO])");
	if (out->rt_record_url_count && !out->rt_archive[0])
		return bad(err, GRENS_EFORMAT, file, 0, 0, ini ? "rt_record_url" : "rt_record_urls",
			   "rt_record_url needs rt_archive (the folder to record into)");
	if (!out->cache[0] && resolve(out->cache, sizeof(out->cache), file, "cache", 5))
		return bad(err, GRENS_EFORMAT, file, 0, 0, "cache", "path too long");
	return 0;
}

int grens_report_nightly_load(grens_report_nightly_config *out, const char *path, grens_diag *diag,
			      grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_nightly_load: out is NULL");
	if (!path)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_nightly_load: path is NULL");
	FILE *f = fopen(path, "rb");
	if (!f)
		return grens_error_set(err, GRENS_EIO, "cannot read %s", path);
	char *buf = malloc(1024 * 1024);
	size_t n = buf ? fread(buf, 1, 1024 * 1024, f) : 0;
	int rc;
	if (!buf)
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
	else if (ferror(f))
		rc = grens_error_set(err, GRENS_EIO, "cannot read %s", path);
	else if (n == 1024 * 1024)
		rc = grens_error_set(err, GRENS_ELIMIT, "%s is larger than 1 MiB", path);
	else
		rc = grens_report_nightly_parse(out, buf, n, path, diag, err);
	free(buf);
	fclose(f);
	return rc;
}

/* A path as written in a file at `file`: relative again when it lies in
 * the file's folder. */
static const char *as_written(const char *file, const char *path)
{
	const char *slash = strrchr(file, '/');
	size_t dlen = slash ? (size_t)(slash - file) + 1 : 0;
	if (dlen && strncmp(path, file, dlen) == 0 && path[dlen])
		return path + dlen;
	return path;
}

static void write_key(FILE *out, const char *key, const char *value)
{
	fprintf(out, "%s: ", key);
	grens_yaml_write_scalar(out, value);
	fputc('\n', out);
}

static void write_list(FILE *out, const char *key, const char *file, const char *first,
		       size_t stride, uint32_t count, bool path)
{
	if (!count)
		return;
	fprintf(out, "%s:\n", key);
	for (uint32_t i = 0; i < count; i++) {
		const char *v = first + i * stride;
		fputs("  - ", out);
		grens_yaml_write_scalar(out, path ? as_written(file, v) : v);
		fputc('\n', out);
	}
}

int grens_report_nightly_write_yaml(const grens_report_nightly_config *c, const char *file,
				    FILE *out, grens_error *err)
{
	if (!c)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_nightly_write_yaml: config is NULL");
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_nightly_write_yaml: out is NULL");
	grens_error_clear(err);
	nightly *d = malloc(sizeof(*d));
	if (!d)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	defaults(d);
	char def_cache[GRENS_REPORT_PATH_BYTES];
	if (resolve(def_cache, sizeof(def_cache), file, "cache", 5))
		def_cache[0] = '\0';
	write_key(out, "feeds", as_written(file, c->feeds));
	if (strcmp(c->cache, def_cache) != 0)
		write_key(out, "cache", as_written(file, c->cache));
	fputs("pairs:\n", out);
	for (uint32_t i = 0; i < c->pair_count; i++) {
		fputs("  - from: ", out);
		grens_yaml_write_scalar(out, c->pairs[i].from);
		fputs("\n    to: ", out);
		grens_yaml_write_scalar(out, c->pairs[i].to);
		fputc('\n', out);
	}
	write_list(out, "scenarios", file, c->scenarios[0], sizeof(c->scenarios[0]),
		   c->scenario_count, true);
	write_list(out, "places", file, c->places[0], sizeof(c->places[0]), c->places_count, true);
	if (c->cutoff_count != d->cutoff_count ||
	    memcmp(c->cutoffs_min, d->cutoffs_min, sizeof(c->cutoffs_min[0]) * c->cutoff_count)) {
		fputs("cutoffs: [", out);
		for (uint32_t i = 0; i < c->cutoff_count; i++)
			fprintf(out, "%s%d", i ? ", " : "", (int)c->cutoffs_min[i]);
		fputs("]\n", out);
	}
	if (c->links[0])
		write_key(out, "links", as_written(file, c->links));
	if (c->base_feeds[0])
		write_key(out, "base_feeds", c->base_feeds);
	if (c->map_origin[0])
		write_key(out, "map_origin", c->map_origin);
	if (c->max_age_s != d->max_age_s) {
		int64_t a = c->max_age_s;
		if (a && a % 86400 == 0)
			fprintf(out, "max_age: %lldd\n", (long long)(a / 86400));
		else if (a && a % 3600 == 0)
			fprintf(out, "max_age: %lldh\n", (long long)(a / 3600));
		else
			fprintf(out, "max_age: %llds\n", (long long)a);
	}
	if (c->service_date != GRENS_DATE_NONE) {
		char day[16];
		grens_date_format_iso(c->service_date, day, sizeof(day));
		write_key(out, "service_date", day);
	}
	if (c->window_start != d->window_start || c->window_end != d->window_end) {
		char t0[16], t1[16], w[40];
		grens_time_format(c->window_start, t0, sizeof(t0));
		grens_time_format(c->window_end, t1, sizeof(t1));
		snprintf(w, sizeof(w), "%s-%s", t0, t1);
		write_key(out, "window", w);
	}
	if (c->step_s != d->step_s)
		fprintf(out, "step: %d\n", (int)c->step_s);
	if (c->threshold_s != d->threshold_s)
		fprintf(out, "threshold: %d\n", (int)(c->threshold_s / 60));
	if (c->diff.travel_time_s != d->diff.travel_time_s)
		fprintf(out, "diff_travel_time: %d\n", (int)c->diff.travel_time_s);
	if (c->diff.population != d->diff.population)
		fprintf(out, "diff_population: %.17g\n", c->diff.population);
	if (c->rt_archive[0])
		write_key(out, "rt_archive", as_written(file, c->rt_archive));
	write_list(out, "rt_record_urls", file, c->rt_record_urls[0], sizeof(c->rt_record_urls[0]),
		   c->rt_record_url_count, false);
	free(d);
	if (ferror(out) || fflush(out) != 0)
		return grens_error_set(err, GRENS_EIO, "write error");
	return 0;
}
