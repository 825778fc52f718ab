/* The nightly configuration: flat `key = value` lines. */
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

static int bad(grens_error *err, const char *file, uint32_t line, const char *key,
	       const char *what)
{
	grens_error_set(err, GRENS_EFORMAT, "%s", what);
	grens_error_at(err, file, line, 0, key);
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

static int parse_age(const char *v, size_t len, int64_t *out)
{
	int64_t mult = 1;
	if (len > 1) {
		char c = v[len - 1];
		mult = c == 's' ? 1 : c == 'm' ? 60 : c == 'h' ? 3600 : c == 'd' ? 86400 : 0;
		if (mult)
			len--;
		else
			mult = 1;
	}
	int64_t n;
	if (grens_parse_i64(v, len, 0, INT64_C(3650) * 86400, &n) != 0)
		return -1;
	*out = n * mult;
	return 0;
}

int grens_report_nightly_parse(grens_report_nightly_config *out, const char *text, size_t len,
			       const char *file, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_nightly_parse: out is NULL");
	if (!text && len)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_nightly_parse: text is NULL");
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
	if (!file)
		file = "<nightly>";
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
			return bad(err, file, line, "", "expected 'key = value'");
		const char *ke = eq, *v = eq + 1;
		while (ke > p && (ke[-1] == ' ' || ke[-1] == '\t'))
			ke--;
		while (v < e && (*v == ' ' || *v == '\t'))
			v++;
		char key[32];
		size_t vlen = (size_t)(e - v);
		if (copy(key, sizeof(key), p, (size_t)(ke - p)))
			return bad(err, file, line, "", "key too long");
		if (vlen == 0)
			return bad(err, file, line, key, "empty value");
		int64_t n;
		int32_t t;
		int rc = 0;
		if (strcmp(key, "feeds") == 0) {
			rc = resolve(out->feeds, sizeof(out->feeds), file, v, vlen);
		} else if (strcmp(key, "cache") == 0) {
			rc = resolve(out->cache, sizeof(out->cache), file, v, vlen);
		} else if (strcmp(key, "scenario") == 0) {
			if (out->scenario_count == GRENS_REPORT_NIGHTLY_MAX_SCENARIOS) {
				grens_error_set(err, GRENS_ELIMIT, "more than %u scenarios",
						GRENS_REPORT_NIGHTLY_MAX_SCENARIOS);
				grens_error_at(err, file, line, 0, key);
				return GRENS_ELIMIT;
			}
			rc = resolve(out->scenarios[out->scenario_count++], GRENS_REPORT_PATH_BYTES,
				     file, v, vlen);
		} else if (strcmp(key, "pair") == 0) {
			if (out->pair_count == GRENS_REPORT_NIGHTLY_MAX_PAIRS) {
				grens_error_set(err, GRENS_ELIMIT, "more than %u pairs",
						GRENS_REPORT_NIGHTLY_MAX_PAIRS);
				grens_error_at(err, file, line, 0, key);
				return GRENS_ELIMIT;
			}
			const char *arrow = NULL;
			for (const char *q = v; q + 1 < e; q++)
				if (q[0] == '-' && q[1] == '>')
					arrow = q;
			if (!arrow)
				return bad(err, file, line, key, "expected 'FROM -> TO'");
			const char *fe = arrow, *ts = arrow + 2;
			while (fe > v && fe[-1] == ' ')
				fe--;
			while (ts < e && *ts == ' ')
				ts++;
			grens_report_nightly_pair *pr = &out->pairs[out->pair_count++];
			if (fe == v || ts == e)
				return bad(err, file, line, key, "expected 'FROM -> TO'");
			rc = copy(pr->from, sizeof(pr->from), v, (size_t)(fe - v)) ||
			     copy(pr->to, sizeof(pr->to), ts, (size_t)(e - ts));
		} else if (strcmp(key, "places") == 0) {
			if (out->places_count == GRENS_REPORT_NIGHTLY_MAX_PLACES) {
				grens_error_set(err, GRENS_ELIMIT, "more than %u places files",
						GRENS_REPORT_NIGHTLY_MAX_PLACES);
				grens_error_at(err, file, line, 0, key);
				return GRENS_ELIMIT;
			}
			rc = resolve(out->places[out->places_count++], GRENS_REPORT_PATH_BYTES, file,
				     v, vlen);
		} else if (strcmp(key, "cutoffs") == 0) {
			out->cutoff_count = 0;
			for (const char *q = v; q < e;) {
				const char *c = memchr(q, ',', (size_t)(e - q));
				const char *qe = c ? c : e;
				while (q < qe && *q == ' ')
					q++;
				while (qe > q && qe[-1] == ' ')
					qe--;
				if (out->cutoff_count == GRENS_REPORT_NIGHTLY_MAX_CUTOFFS ||
				    grens_parse_i64(q, (size_t)(qe - q), 1, 1440, &n))
					return bad(err, file, line, key,
						   "expected up to 8 minutes 1..1440, comma-separated");
				out->cutoffs_min[out->cutoff_count++] = (int32_t)n;
				q = c ? c + 1 : e;
			}
		} else if (strcmp(key, "links") == 0) {
			rc = resolve(out->links, sizeof(out->links), file, v, vlen);
		} else if (strcmp(key, "base_feeds") == 0) {
			rc = copy(out->base_feeds, sizeof(out->base_feeds), v, vlen);
		} else if (strcmp(key, "map_origin") == 0) {
			rc = copy(out->map_origin, sizeof(out->map_origin), v, vlen);
		} else if (strcmp(key, "max_age") == 0) {
			if (parse_age(v, vlen, &out->max_age_s))
				return bad(err, file, line, key,
					   "expected a duration like 36h or 2d (s, m, h, d)");
		} else if (strcmp(key, "service_date") == 0) {
			if (grens_date_parse_iso(v, vlen, &out->service_date))
				return bad(err, file, line, key, "expected YYYY-MM-DD");
		} else if (strcmp(key, "window") == 0) {
			const char *dash = memchr(v, '-', vlen);
			if (!dash || grens_time_parse(v, (size_t)(dash - v), 1, &out->window_start) ||
			    grens_time_parse(dash + 1, (size_t)(e - dash - 1), 1, &t) ||
			    t < out->window_start)
				return bad(err, file, line, key, "expected HH:MM-HH:MM");
			out->window_end = t;
		} else if (strcmp(key, "step") == 0) {
			if (grens_parse_i64(v, vlen, 1, 86400, &n))
				return bad(err, file, line, key, "expected seconds 1..86400");
			out->step_s = (int32_t)n;
		} else if (strcmp(key, "threshold") == 0) {
			if (grens_parse_i64(v, vlen, 0, 10000, &n))
				return bad(err, file, line, key, "expected minutes 0..10000");
			out->threshold_s = (int32_t)n * 60;
		} else if (strcmp(key, "diff_travel_time") == 0) {
			if (grens_parse_i64(v, vlen, 0, 86400, &n))
				return bad(err, file, line, key, "expected seconds 0..86400");
			out->diff.travel_time_s = (int32_t)n;
		} else if (strcmp(key, "diff_population") == 0) {
			double d;
			if (grens_parse_double(v, vlen, &d) || !(d >= 0))
				return bad(err, file, line, key, "expected a number >= 0");
			out->diff.population = d;
		} else {
			return bad(err, file, line, key, "unknown key");
		}
		if (rc)
			return bad(err, file, line, key, "value too long");
		p = next;
	}
	if (!out->feeds[0])
		return bad(err, file, 0, "feeds", "the configuration names no feed list (feeds =)");
	if (!out->pair_count)
		return bad(err, file, 0, "pair", "the configuration has no 'pair = FROM -> TO'");
	if (!out->cache[0] && resolve(out->cache, sizeof(out->cache), file, "cache", 5))
		return bad(err, file, 0, "cache", "path too long");
	return 0;
}

int grens_report_nightly_load(grens_report_nightly_config *out, const char *path,
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
		rc = grens_report_nightly_parse(out, buf, n, path, err);
	free(buf);
	fclose(f);
	return rc;
}
