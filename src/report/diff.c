/* The difference between two report.json files: feeds whose files changed
 * (by SHA-256), median travel times and reachable population that moved
 * beyond thresholds. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report_internal.h"

static int load(const char *path, json_t **out, grens_error *err)
{
	struct stat st;
	json_error_t je;
	*out = NULL;
	if (stat(path, &st) != 0)
		return grens_error_set(err, GRENS_EIO, "cannot read %s", path);
	if ((uint64_t)st.st_size > GRENS_REPORT_MAX_JSON_BYTES)
		return grens_error_set(err, GRENS_ELIMIT, "%s is larger than %u bytes", path,
				       GRENS_REPORT_MAX_JSON_BYTES);
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		grens_error_set(err, GRENS_EFORMAT, "%s", je.text);
		grens_error_at(err, path, (uint32_t)(je.line > 0 ? je.line : 0),
			       (uint32_t)(je.column > 0 ? je.column : 0), NULL);
		return GRENS_EFORMAT;
	}
	static const char *arrays[] = { "feeds", "profiles", "opportunities" };
	const char *bad = !json_is_integer(json_object_get(doc, "grens_report")) ? "grens_report"
											: NULL;
	for (int i = 0; !bad && i < 3; i++)
		if (!json_is_array(json_object_get(doc, arrays[i])))
			bad = arrays[i];
	if (bad) {
		json_decref(doc);
		grens_error_set(err, GRENS_EFORMAT, "not a grens report: '%s' missing or of the "
						    "wrong type",
				bad);
		grens_error_at(err, path, 0, 0, bad);
		return GRENS_EFORMAT;
	}
	*out = doc;
	return 0;
}

static const json_t *find_feed(const json_t *doc, const char *name)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(doc, "feeds"), i, f)
	{
		if (strcmp(report_str(f, "name"), name) == 0)
			return f;
	}
	return NULL;
}

/* "name=sha256" per file, for the diff output. */
static json_t *file_hashes(const json_t *feed)
{
	json_t *o = json_object();
	size_t i;
	json_t *file;
	json_array_foreach(json_object_get(feed, "files"), i, file)
	{
		json_object_set_new(o, report_str(file, "name"), json_string(report_str(file, "sha256")));
	}
	return o;
}

static int diff_feeds(const json_t *prev, const json_t *cur, json_t *out, FILE *text,
		      grens_report_diff_counts *c)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(cur, "feeds"), i, f)
	{
		const json_t *p = find_feed(prev, report_str(f, "name"));
		json_t *ph = p ? file_hashes(p) : json_object(), *ch = file_hashes(f);
		const char *change = !p ? "added" : json_equal(ph, ch) ? NULL : "changed";
		if (change) {
			if (!p)
				c->feeds_added++;
			else
				c->feeds_changed++;
			if (text)
				fprintf(text, "feed %s: %s (version %s -> %s)\n", report_str(f, "name"),
					change, p ? report_str(p, "version") : "-", report_str(f, "version"));
			json_array_append_new(out,
					      json_pack("{s:s, s:s, s:s, s:s, s:O, s:O}", "name",
							report_str(f, "name"), "change", change,
							"previous_version", p ? report_str(p, "version") : "",
							"current_version", report_str(f, "version"),
							"previous_files", ph, "current_files", ch));
		}
		json_decref(ph);
		json_decref(ch);
	}
	json_array_foreach(json_object_get(prev, "feeds"), i, f)
	{
		if (find_feed(cur, report_str(f, "name")))
			continue;
		c->feeds_removed++;
		if (text)
			fprintf(text, "feed %s: removed\n", report_str(f, "name"));
		json_array_append_new(out, json_pack("{s:s, s:s}", "name", report_str(f, "name"), "change",
						     "removed"));
	}
	return 0;
}

static bool same_profile(const json_t *a, const json_t *b)
{
	return strcmp(report_str(json_object_get(a, "from"), "id"),
		      report_str(json_object_get(b, "from"), "id")) == 0 &&
	       strcmp(report_str(json_object_get(a, "to"), "id"), report_str(json_object_get(b, "to"), "id")) ==
		       0 &&
	       strcmp(report_str(a, "scenario"), report_str(b, "scenario")) == 0;
}

static void diff_profiles(const json_t *prev, const json_t *cur, int32_t threshold, json_t *out,
			  FILE *text, grens_report_diff_counts *c)
{
	size_t i, j;
	json_t *p, *q;
	json_array_foreach(json_object_get(cur, "profiles"), i, p)
	{
		const json_t *match = NULL;
		json_array_foreach(json_object_get(prev, "profiles"), j, q)
		{
			if (same_profile(p, q)) {
				match = q;
				break;
			}
		}
		if (!match)
			continue; /* new pairs have nothing to compare with */
		const json_t *a = json_object_get(json_object_get(match, "summary"), "median_s");
		const json_t *b = json_object_get(json_object_get(p, "summary"), "median_s");
		bool changed;
		long long delta = 0;
		if (json_is_integer(a) && json_is_integer(b)) {
			delta = (long long)(json_integer_value(b) - json_integer_value(a));
			changed = llabs(delta) > threshold;
		} else {
			changed = json_is_integer(a) != json_is_integer(b);
		}
		if (!changed)
			continue;
		c->travel_times_changed++;
		const char *from = report_str(json_object_get(p, "from"), "name");
		const char *to = report_str(json_object_get(p, "to"), "name");
		if (text)
			fprintf(text, "median travel time %s -> %s (%s): %lld s -> %lld s (%+lld s)\n",
				from, to, report_str(p, "scenario"),
				json_is_integer(a) ? (long long)json_integer_value(a) : -1LL,
				json_is_integer(b) ? (long long)json_integer_value(b) : -1LL, delta);
		json_array_append_new(
			out, json_pack("{s:s, s:s, s:s, s:s, s:s, s:O, s:O, s:o}", "from",
				       report_str(json_object_get(p, "from"), "id"), "from_name", from, "to",
				       report_str(json_object_get(p, "to"), "id"), "to_name", to, "scenario",
				       report_str(p, "scenario"), "previous_median_s", a, "current_median_s",
				       b,
				       "delta_s",
				       json_is_integer(a) && json_is_integer(b) ? json_integer(delta)
										: json_null()));
	}
}

static void diff_opportunities(const json_t *prev, const json_t *cur, double threshold,
			       json_t *out, FILE *text, grens_report_diff_counts *c)
{
	size_t i, j, k, m;
	json_t *o, *q, *cut, *pc;
	json_array_foreach(json_object_get(cur, "opportunities"), i, o)
	{
		const char *origin = report_str(json_object_get(o, "origin"), "id");
		json_array_foreach(json_object_get(prev, "opportunities"), j, q)
		{
			if (strcmp(origin, report_str(json_object_get(q, "origin"), "id")) ||
			    strcmp(report_str(o, "variant"), report_str(q, "variant")))
				continue;
			json_array_foreach(json_object_get(o, "cutoffs"), k, cut)
			{
				json_array_foreach(json_object_get(q, "cutoffs"), m, pc)
				{
					if (!json_equal(json_object_get(cut, "minutes"),
							json_object_get(pc, "minutes")))
						continue;
					double a = json_number_value(json_object_get(pc, "population"));
					double b = json_number_value(json_object_get(cut, "population"));
					if (fabs(b - a) <= threshold)
						continue;
					c->opportunities_changed++;
					long long minutes = (long long)json_integer_value(
						json_object_get(cut, "minutes"));
					if (text)
						fprintf(text,
							"population within %lld min of %s (%s): %.0f "
							"-> %.0f (%+.0f)\n",
							minutes, report_str(json_object_get(o, "origin"), "name"),
							report_str(o, "variant"), a, b, b - a);
					json_array_append_new(
						out, json_pack("{s:s, s:s, s:I, s:f, s:f, s:f}", "origin",
							       origin, "variant", report_str(o, "variant"),
							       "minutes", (json_int_t)minutes,
							       "previous", a, "current", b, "delta",
							       b - a));
				}
			}
		}
	}
}

int grens_report_diff(const char *previous_path, const char *current_path,
		      const grens_report_diff_options *opts, const char *out_json,
		      const char *out_text, grens_report_diff_counts *counts, grens_error *err)
{
	if (!previous_path)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_diff: previous_path is NULL");
	if (!current_path)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_diff: current_path is NULL");
	if (!out_json)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_diff: out_json is NULL");
	if (opts && opts->version != GRENS_REPORT_DIFF_OPTIONS_VERSION)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_diff: options version %u, not %u "
				       "(GRENS_REPORT_DIFF_OPTIONS_INIT)",
				       opts->version, GRENS_REPORT_DIFF_OPTIONS_VERSION);
	grens_report_diff_options defaults = GRENS_REPORT_DIFF_OPTIONS_INIT;
	grens_report_diff_counts c = { 0 };
	grens_report_file jf = { 0 }, tf = { 0 };
	json_t *prev = NULL, *cur = NULL, *result = NULL;
	if (!opts)
		opts = &defaults;
	int rc = load(previous_path, &prev, err);
	if (!rc)
		rc = load(current_path, &cur, err);
	if (rc)
		goto done;
	json_t *feeds = json_array(), *tts = json_array(), *opps = json_array();
	const char *prev_name = opts->previous_name ? opts->previous_name : previous_path;
	const char *cur_name = opts->current_name ? opts->current_name : current_path;
	result = json_pack("{s:{s:s, s:s}, s:{s:s, s:s}, s:{s:i, s:f}, s:o, s:o, s:o}", "previous",
			   "path", prev_name, "generated", report_str(prev, "generated"), "current",
			   "path", cur_name, "generated", report_str(cur, "generated"), "thresholds",
			   "travel_time_s", (json_int_t)opts->travel_time_s, "population",
			   opts->population, "feeds", feeds, "travel_times", tts, "opportunities",
			   opps);
	if (!result) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto done;
	}
	if (out_text && (rc = grens_report_file_open(&tf, out_text, err)) != 0)
		goto done;
	FILE *text = out_text ? tf.f : NULL;
	if (text)
		fprintf(text, "changes from %s (%s) to %s (%s)\n", prev_name,
			report_str(prev, "generated"), cur_name, report_str(cur, "generated"));
	diff_feeds(prev, cur, feeds, text, &c);
	diff_profiles(prev, cur, opts->travel_time_s, tts, text, &c);
	diff_opportunities(prev, cur, opts->population, opps, text, &c);
	if (text && !c.feeds_changed && !c.feeds_added && !c.feeds_removed &&
	    !c.travel_times_changed && !c.opportunities_changed)
		fprintf(text, "no changes beyond the thresholds\n");
	json_object_set_new(result, "counts",
			    json_pack("{s:i, s:i, s:i, s:i, s:i}", "feeds_changed",
				      (json_int_t)c.feeds_changed, "feeds_added",
				      (json_int_t)c.feeds_added, "feeds_removed",
				      (json_int_t)c.feeds_removed, "travel_times_changed",
				      (json_int_t)c.travel_times_changed, "opportunities_changed",
				      (json_int_t)c.opportunities_changed));
	rc = grens_report_file_open(&jf, out_json, err);
	if (!rc)
		rc = report_dump(result, jf.f, out_json, err);
	if (!rc)
		rc = grens_report_file_commit(&jf, err);
	if (!rc && text)
		rc = grens_report_file_commit(&tf, err);
	if (!rc && counts)
		*counts = c;
done:
	grens_report_file_abort(&jf);
	grens_report_file_abort(&tf);
	json_decref(prev);
	json_decref(cur);
	json_decref(result);
	return rc;
}
