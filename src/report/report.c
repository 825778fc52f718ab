/* The report document: built section by section into one JSON value, which
 * report.json holds as it is and every other output is rendered from. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report_internal.h"
#include "strings.h"

struct grens_report {
	json_t *doc;
	bool have_query;
	int32_t threshold;
	char lang[4];
};

const json_t *report_document(const grens_report *report)
{
	return report->doc;
}

static int oom(grens_error *err);

const char *report_lang(const grens_report *report)
{
	return report->lang[0] ? report->lang : "en";
}

int grens_report_set_lang(grens_report *report, const char *lang, grens_error *err)
{
	if (!report)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_set_lang: report is NULL");
	if (!lang || !report_catalogue(lang))
		return grens_error_set(err, GRENS_EARG,
				       "unknown language '%s' (one of en, nl, de)", lang ? lang : "");
	snprintf(report->lang, sizeof(report->lang), "%s", lang);
	return json_object_set_new(report->doc, "lang", json_string(lang)) ? oom(err) : 0;
}

json_t *report_document_mut(grens_report *report)
{
	return report->doc;
}

static int oom(grens_error *err)
{
	return grens_error_set(err, GRENS_ENOMEM, "out of memory");
}

/* Append v (stolen) to the array doc[key]. */
static int append(grens_report *r, const char *key, json_t *v, grens_error *err)
{
	if (!v || json_array_append_new(json_object_get(r->doc, key), v) != 0)
		return oom(err);
	return 0;
}

static bool utf8(const char *s)
{
	return s && grens_utf8_valid(s, strlen(s));
}

int grens_report_new(grens_report **out, const char *title, time_t run_time, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_new: out is NULL");
	if (!title)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_new: title is NULL");
	*out = NULL;
	if (!utf8(title))
		return grens_error_set(err, GRENS_EARG, "the title is not UTF-8");
	grens_report *r = calloc(1, sizeof(*r));
	struct tm tm;
	char when[32] = "";
	if (gmtime_r(&run_time, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (r)
		r->doc = json_pack("{s:i, s:s, s:s, s:s, s:n, s:[], s:[], s:[], s:[], s:[], s:[], "
				   "s:[], s:[], s:[], s:[]}",
				   "grens_report", 1, "title", title, "generated", when,
				   "grens_version", grens_version(), "query", "feeds", "scenarios",
				   "notes", "profiles", "opportunities", "stations", "journeys",
				   "savings", "border", "population");
	if (!r || !r->doc) {
		free(r);
		return oom(err);
	}
	*out = r;
	return 0;
}

void grens_report_free(grens_report *report)
{
	if (!report)
		return;
	json_decref(report->doc);
	free(report);
}

static void format_clock(int32_t secs, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%02d:%02d", secs / 3600, secs / 60 % 60);
}

int grens_report_set_query(grens_report *report, grens_date date, int32_t t0, int32_t t1,
			   int32_t step, int32_t threshold, grens_error *err)
{
	if (!report)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_set_query: report is NULL");
	if (t0 < 0 || t1 < t0 || step <= 0 || threshold < 0)
		return grens_error_set(err, GRENS_EARG, "bad window, step or threshold");
	char d[16], a[16], b[16], window[40];
	grens_date_format_iso(date, d, sizeof(d));
	format_clock(t0, a, sizeof(a));
	format_clock(t1, b, sizeof(b));
	snprintf(window, sizeof(window), "%s-%s", a, b);
	json_t *q = json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i}", "date", d, "window", window,
			      "window_start_s", (json_int_t)t0, "window_end_s", (json_int_t)t1,
			      "step_s", (json_int_t)step, "threshold_s", (json_int_t)threshold,
			      "percentile", (json_int_t)GRENS_REPORT_PERCENTILE);
	if (!q || json_object_set_new(report->doc, "query", q) != 0)
		return oom(err);
	report->have_query = true;
	report->threshold = threshold;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of a directory, sorted by name (caller frees). */
static int list_dir(const char *dir, char ***names, size_t *count, grens_error *err)
{
	DIR *d = opendir(dir);
	*names = NULL;
	*count = 0;
	if (!d)
		return grens_error_set(err, GRENS_EIO, "cannot read %s: %s", dir, strerror(errno));
	char **v = calloc(GRENS_REPORT_MAX_FEED_FILES, sizeof(char *));
	size_t n = 0;
	int rc = 0;
	struct dirent *e;
	if (!v)
		rc = oom(err);
	while (rc == 0 && (e = readdir(d)) != NULL) {
		char path[GRENS_REPORT_PATH_BYTES];
		struct stat st;
		if (e->d_name[0] == '.' ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path) ||
		    stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (n == GRENS_REPORT_MAX_FEED_FILES)
			rc = grens_error_set(err, GRENS_ELIMIT, "%s has more than %u files", dir,
					     GRENS_REPORT_MAX_FEED_FILES);
		else if (!(v[n++] = strdup(e->d_name)))
			rc = oom(err);
	}
	closedir(d);
	if (rc) {
		for (size_t i = 0; i < n; i++)
			free(v[i]);
		free(v);
		return rc;
	}
	qsort(v, n, sizeof(char *), cmp_str);
	*names = v;
	*count = n;
	return 0;
}

static int hash_entry(json_t *files, const char *path, const char *name, grens_error *err)
{
	char hex[65];
	struct stat st;
	int rc = grens_sha256_file(path, hex, NULL, err);
	if (rc)
		return rc;
	if (stat(path, &st) != 0)
		return grens_error_set(err, GRENS_EIO, "cannot stat %s", path);
	if (json_array_append_new(files, json_pack("{s:s, s:s, s:I}", "name", name, "sha256", hex,
						   "bytes", (json_int_t)st.st_size)) != 0)
		return oom(err);
	return 0;
}

/* The provenance object of one feed (grens_report_add_feed), new reference. */
static int feed_object(json_t **out, const char *name, const char *path, const char *version,
		       const char *publisher, grens_error *err)
{
	*out = NULL;
	if (!utf8(name) || !utf8(path) || !utf8(version) || !utf8(publisher))
		return grens_error_set(err, GRENS_EARG, "feed name, path, version or publisher "
							"is not UTF-8");
	json_t *files = json_array();
	json_t *feed = json_pack("{s:s, s:s, s:s, s:s, s:o}", "name", name, "path", path,
				 "version", version, "publisher", publisher, "files", files);
	char **names = NULL;
	size_t count = 0;
	struct stat st;
	int rc;
	if (!feed) {
		rc = oom(err);
		goto done;
	}
	if (stat(path, &st) != 0) {
		rc = grens_error_set(err, GRENS_EIO, "cannot read %s: %s", path, strerror(errno));
		goto done;
	}
	if (!S_ISDIR(st.st_mode)) {
		const char *base = strrchr(path, '/');
		rc = hash_entry(files, path, base ? base + 1 : path, err);
		goto done;
	}
	rc = list_dir(path, &names, &count, err);
	for (size_t i = 0; rc == 0 && i < count; i++) {
		char p[GRENS_REPORT_PATH_BYTES];
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", path, names[i]) >= sizeof(p))
			rc = grens_error_set(err, GRENS_ELIMIT, "path too long in %s", path);
		else
			rc = hash_entry(files, p, names[i], err);
	}
done:
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
	if (rc == 0)
		*out = feed;
	else
		json_decref(feed);
	return rc;
}

int grens_report_add_feed(grens_report *report, const char *name, const char *path,
			  const char *version, const char *publisher, grens_error *err)
{
	if (!report)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_feed: report is NULL");
	if (!name)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_feed: name is NULL");
	if (!path)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_feed: path is NULL");
	if (!version)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_feed: version is NULL");
	if (!publisher)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_add_feed: publisher is NULL");
	json_t *feed;
	int rc = feed_object(&feed, name, path, version, publisher, err);
	return rc ? rc : append(report, "feeds", feed, err);
}

int grens_report_feed_provenance(char **out, const char *name, const char *path,
				 const char *version, const char *publisher, grens_error *err)
{
	if (!name)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_feed_provenance: name is NULL");
	if (!path)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_feed_provenance: path is NULL");
	if (!version)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_feed_provenance: version is NULL");
	if (!publisher)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_feed_provenance: publisher is NULL");
	json_t *feed;
	*out = NULL;
	int rc = feed_object(&feed, name, path, version, publisher, err);
	if (rc)
		return rc;
	*out = json_dumps(feed, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(feed);
	return *out ? 0 : oom(err);
}

int grens_report_add_feed_provenance(grens_report *report, const char *text, grens_error *err)
{
	if (!report)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_add_feed_provenance: report is NULL");
	json_error_t je;
	json_t *feed = text ? json_loads(text, 0, &je) : NULL;
	if (!json_is_object(feed) || !json_is_string(json_object_get(feed, "name")) ||
	    !json_is_array(json_object_get(feed, "files"))) {
		json_decref(feed);
		return grens_error_set(err, GRENS_EFORMAT, "a feed's provenance is not an object "
							   "with a name and files");
	}
	return append(report, "feeds", feed, err);
}

int grens_report_add_scenario(grens_report *report, const char *name, const char *sha256,
			      const char *description, grens_error *err)
{
	if (!report)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_add_scenario: report is NULL");
	if (!name)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_add_scenario: name is NULL");
	if (!sha256)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_add_scenario: sha256 is NULL");
	if (!description)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_add_scenario: description is NULL");
	if (!utf8(name) || !utf8(sha256) || !utf8(description))
		return grens_error_set(err, GRENS_EARG, "scenario fields must be UTF-8");
	return append(report, "scenarios",
		      json_pack("{s:s, s:s, s:s}", "name", name, "sha256", sha256, "description",
				description),
		      err);
}

int grens_report_add_note(grens_report *report, const char *text, grens_error *err)
{
	if (!report)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_note: report is NULL");
	if (!text)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_note: text is NULL");
	if (!utf8(text))
		return grens_error_set(err, GRENS_EARG, "a note must be UTF-8");
	return append(report, "notes", json_string(text), err);
}

static json_t *place_json(const grens_report_place *p)
{
	if (!utf8(p->id) || !utf8(p->name))
		return NULL;
	return json_pack("{s:s, s:s, s:o, s:o}", "id", p->id, "name", p->name, "lat",
			 report_real(p->lat, 6), "lon", report_real(p->lon, 6));
}

int grens_report_add_profile(grens_report *report, const grens_report_place *from,
			     const grens_report_place *to, const char *scenario,
			     const grens_route_profile_step *steps, uint32_t step_count,
			     grens_error *err)
{
	if (!report)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_add_profile: report is NULL");
	if (!scenario)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_add_profile: scenario is NULL");
	if (!report->have_query)
		return grens_error_set(err, GRENS_EARG, "set the query before adding profiles");
	if (step_count > GRENS_REPORT_MAX_STEPS || !utf8(scenario))
		return grens_error_set(err, GRENS_EARG, "bad profile (steps or scenario name)");
	grens_route_profile_summary s;
	grens_route_profile_summarize(steps, step_count, report->threshold, &s);
	json_t *dep = json_array(), *travel = json_array(), *transfers = json_array();
	json_t *fj = place_json(from), *tj = place_json(to);
	json_t *summary = json_pack(
		"{s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "steps", (json_int_t)s.steps,
		"reached", (json_int_t)s.reached, "min_s", report_seconds(s.min), "p10_s",
		report_seconds(s.p10), "median_s", report_seconds(s.median), "p90_s",
		report_seconds(s.p90), "max_s", report_seconds(s.max), "mean_s",
		report_real(s.mean, 1), "mean_transfers", report_real(s.mean_transfers, 3),
		"share_under_threshold", report_real(s.share_under, 4));
	json_t *profile = json_pack("{s:o, s:o, s:s, s:o, s:{s:o, s:o, s:o}}", "from", fj, "to",
				    tj, "scenario", scenario, "summary", summary, "steps",
				    "departure_s", dep, "travel_s", travel, "transfers", transfers);
	if (!profile)
		return oom(err);
	for (uint32_t i = 0; i < step_count; i++) {
		bool ok = steps[i].arrival != GRENS_ROUTE_UNREACHED;
		if (json_array_append_new(dep, json_integer(steps[i].departure)) ||
		    json_array_append_new(travel, ok ? json_integer(steps[i].arrival -
								    steps[i].departure)
						     : json_null()) ||
		    json_array_append_new(transfers,
					  ok ? json_integer(steps[i].transfers) : json_null())) {
			json_decref(profile);
			return oom(err);
		}
	}
	return append(report, "profiles", profile, err);
}

int grens_report_add_opportunities(grens_report *report, const grens_report_place *origin,
				   const char *variant, const uint32_t *cutoff_min,
				   const double *population, uint32_t count, grens_error *err)
{
	if (!report)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_add_opportunities: report is NULL");
	if (!origin)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_add_opportunities: origin is NULL");
	if (!variant)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_add_opportunities: variant is NULL");
	if (!cutoff_min)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_add_opportunities: cutoff_min is NULL");
	if (!population && count)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_add_opportunities: population is NULL");
	if (!utf8(variant))
		return grens_error_set(err, GRENS_EARG, "the variant name must be UTF-8");
	json_t *cutoffs = json_array();
	json_t *o = json_pack("{s:o, s:s, s:o}", "origin", place_json(origin), "variant", variant,
			      "cutoffs", cutoffs);
	if (!o)
		return oom(err);
	for (uint32_t i = 0; i < count; i++) {
		if (json_array_append_new(cutoffs,
					  json_pack("{s:i, s:o}", "minutes",
						    (json_int_t)cutoff_min[i], "population",
						    isfinite(population[i])
							    ? json_integer((json_int_t)llround(
								      population[i]))
							    : json_null()))) {
			json_decref(o);
			return oom(err);
		}
	}
	return append(report, "opportunities", o, err);
}

int grens_report_add_station(grens_report *report, const grens_report_place *origin,
			     const grens_report_place *station, const char *feed,
			     const char *scenario, int32_t travel_s, const char *const *members,
			     uint32_t member_count, grens_error *err)
{
	if (!report)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_add_station: report is NULL");
	if (!origin)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_add_station: origin is NULL");
	if (!station)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_add_station: station is NULL");
	if (!feed)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_station: feed is NULL");
	if (!scenario)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_add_station: scenario is NULL");
	if (!utf8(feed) || !utf8(scenario) || !utf8(origin->id) || !utf8(station->id) ||
	    !utf8(station->name))
		return grens_error_set(err, GRENS_EARG, "station fields must be UTF-8");
	json_t *ids = json_array();
	for (uint32_t i = 0; ids && i < member_count; i++) {
		if (!utf8(members[i])) {
			json_decref(ids);
			return grens_error_set(err, GRENS_EARG, "station fields must be UTF-8");
		}
		if (json_array_append_new(ids, json_string(members[i])) != 0) {
			json_decref(ids);
			return oom(err);
		}
	}
	if (ids && member_count == 0 && json_array_append_new(ids, json_string(station->id)) != 0) {
		json_decref(ids);
		return oom(err);
	}
	if (!ids)
		return oom(err);
	return append(report, "stations",
		      json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "origin",
				origin->id, "scenario", scenario, "id", station->id, "name",
				station->name, "feed", feed, "country",
				grens_report_country(station->lat, station->lon), "lat",
				report_real(station->lat, 6), "lon", report_real(station->lon, 6),
				"travel_s", report_seconds(travel_s), "members", ids),
		      err);
}

int grens_report_add_journey(grens_report *report, const grens_timetable *tt, grens_date date,
			     const char *scenario, const grens_route_result *result,
			     uint32_t index, grens_error *err)
{
	if (!report)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_add_journey: report is NULL");
	if (!tt)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_journey: tt is NULL");
	if (!scenario)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_add_journey: scenario is NULL");
	if (!result)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_add_journey: result is NULL");
	if (index >= result->journey_count || !utf8(scenario))
		return grens_error_set(err, GRENS_EARG, "no journey %u in the result", index);
	/* the one journey encoding, after the scenario it was found under; no
	 * realtime: a report is about the timetable */
	json_t *jo = json_pack("{s:s}", "scenario", scenario);
	json_t *enc = report_journey_json(tt, NULL, date, result, index);
	if (!jo || !enc || json_object_update(jo, enc)) {
		json_decref(jo);
		json_decref(enc);
		return oom(err);
	}
	json_decref(enc);
	return append(report, "journeys", jo, err);
}

int grens_report_add_saving(grens_report *report, const grens_report_place *from,
			    const grens_report_place *to, const char *scenario,
			    int32_t base_median, int32_t median, int32_t delta_train,
			    int32_t train_departure, grens_error *err)
{
	if (!report)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_saving: report is NULL");
	if (!from)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_saving: from is NULL");
	if (!to)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_saving: to is NULL");
	if (!scenario)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_saving: scenario is NULL");
	if (!utf8(scenario))
		return grens_error_set(err, GRENS_EARG, "the scenario name must be UTF-8");
	bool both = base_median != GRENS_ROUTE_UNREACHED && median != GRENS_ROUTE_UNREACHED;
	return append(report, "savings",
		      json_pack("{s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "from",
				place_json(from), "to", place_json(to), "scenario", scenario,
				"base_median_s", report_seconds(base_median), "median_s",
				report_seconds(median), "delta_median_s",
				both ? json_integer(median - base_median) : json_null(),
				"delta_train_s", report_seconds(delta_train), "train_departure_s",
				report_seconds(train_departure)),
		      err);
}

int grens_report_add_population(grens_report *report, const char *country, uint32_t places,
				double people, const char *reference_date, const char *source,
				grens_error *err)
{
	if (!report)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_population: report is NULL");
	if (!country)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_population: country is NULL");
	if (!reference_date)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_population: reference_date is NULL");
	if (!source)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_population: source is NULL");
	if (!utf8(country) || !utf8(reference_date) || !utf8(source))
		return grens_error_set(err, GRENS_EARG, "population source fields must be UTF-8");
	return append(report, "population",
		      json_pack("{s:s, s:i, s:I, s:s, s:s}", "country", country, "places",
				(json_int_t)places, "people", (json_int_t)llround(people),
				"reference_date", reference_date, "source", source),
		      err);
}

/* [smallest, largest] over the assumption sets of one number. */
static json_t *range_json(const double *v, size_t stride, bool rank)
{
	double lo = v[0], hi = v[0];
	for (unsigned s = 1; s < GRENS_REPORT_BORDER_SETS; s++) {
		double x = v[s * stride];
		if (rank && x == 0)
			continue;
		lo = fmin(lo, x);
		hi = fmax(hi, x);
	}
	return json_pack("[I, I]", (json_int_t)llround(lo), (json_int_t)llround(hi));
}

static json_t *border_row_json(const grens_report_border_row *r)
{
	static const char *const views[3] = { "national", "closed_border", "today" };
	double v[GRENS_REPORT_BORDER_SETS][5];
	for (unsigned s = 0; s < GRENS_REPORT_BORDER_SETS; s++) {
		for (unsigned w = 0; w < 3; w++)
			v[s][w] = round(r->value[s][w]);
		v[s][3] = r->rank[s][0];
		v[s][4] = r->rank[s][1];
	}
	json_t *range = json_object();
	json_t *o = json_pack("{s:i, s:i, s:I, s:o}", "percentile", (json_int_t)r->percentile,
			      "cutoff_min", (json_int_t)r->cutoff_min, "border_effect",
			      (json_int_t)llround(v[0][2] - v[0][0]), "range", range);
	if (!o)
		return NULL;
	for (unsigned w = 0; w < 3; w++) {
		json_object_set_new(o, views[w], json_integer((json_int_t)llround(v[0][w])));
		json_object_set_new(range, views[w], range_json(&v[0][w], 5, false));
	}
	if (r->rank[0][0]) {
		json_object_set_new(o, "rank_national", json_integer(r->rank[0][0]));
		json_object_set_new(o, "rank_today", json_integer(r->rank[0][1]));
		json_object_set_new(range, "rank_national", range_json(&v[0][3], 5, true));
		json_object_set_new(range, "rank_today", range_json(&v[0][4], 5, true));
	}
	return o;
}

int grens_report_add_border(grens_report *report, const grens_report_place *origin,
			    const char *home, int32_t t0, int32_t t1, uint32_t ranked,
			    const grens_report_border_row *rows, uint32_t row_count,
			    grens_error *err)
{
	if (!report)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_border: report is NULL");
	if (!origin)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_border: origin is NULL");
	if (!home)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_border: home is NULL");
	if (!rows && row_count)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_border: rows is NULL");
	if (!utf8(home) || t1 < t0)
		return grens_error_set(err, GRENS_EARG, "bad home country or window");
	char a[16], b[16], window[40];
	format_clock(t0, a, sizeof(a));
	format_clock(t1, b, sizeof(b));
	snprintf(window, sizeof(window), "%s-%s", a, b);
	json_t *list = json_array();
	json_t *o = json_pack("{s:o, s:s, s:s, s:i, s:o}", "origin", place_json(origin), "home",
			      home, "window", window, "ranked", (json_int_t)ranked, "rows", list);
	if (!o)
		return oom(err);
	for (uint32_t i = 0; i < row_count; i++)
		if (json_array_append_new(list, border_row_json(&rows[i])) != 0) {
			json_decref(o);
			return oom(err);
		}
	return append(report, "border", o, err);
}

int grens_report_add_border_places(grens_report *report, const grens_report_border_place *places,
				   uint32_t count, grens_error *err)
{
	if (!report)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_border_places: report is NULL");
	if (!places && count)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_border_places: places is NULL");
	json_t *all = json_object_get(report->doc, "border");
	json_t *b = json_array_get(all, json_array_size(all) - 1);
	if (!b)
		return grens_error_set(err, GRENS_EARG, "no border views to add places to");
	json_t *list = json_array();
	if (!list || json_object_set_new(b, "places", list) != 0)
		return oom(err);
	for (uint32_t i = 0; i < count; i++) {
		const grens_report_border_place *pl = &places[i];
		if (isnan(pl->place.lat) || isnan(pl->place.lon))
			continue;
		if (!utf8(pl->place.id) || !utf8(pl->place.name) || !utf8(pl->country))
			return grens_error_set(err, GRENS_EARG, "a border place's id, name or country is not UTF-8");
		json_t *o = json_pack("{s:s, s:s, s:s, s:f, s:f, s:I, s:o, s:o}", "id", pl->place.id, "name",
				      pl->place.name, "country", pl->country, "lat", pl->place.lat, "lon",
				      pl->place.lon, "people", (json_int_t)llround(pl->people), "today_s",
				      report_seconds(pl->today_s), "national_s", report_seconds(pl->national_s));
		if (!o || json_array_append_new(list, o) != 0)
			return oom(err);
	}
	return 0;
}

int grens_report_write_json(const grens_report *report, FILE *f, grens_error *err)
{
	if (!report)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_write_json: report is NULL");
	if (!f)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_write_json: f is NULL");
	return report_dump(report->doc, f, "report.json", err);
}

/* ---- the CSV and GeoJSON files ---------------------------------------------- */

typedef int (*fill_fn)(const json_t *doc, grens_report_table *t, grens_error *err);

int report_put_value(grens_report_table *t, uint32_t col, const json_t *v, grens_error *err)
{
	if (json_is_string(v))
		return grens_report_table_set_string(t, col, json_string_value(v), err);
	if (json_is_integer(v))
		return grens_report_table_set_int(t, col, json_integer_value(v), err);
	if (json_is_real(v))
		return grens_report_table_set_real(t, col, json_real_value(v), err);
	if (json_is_boolean(v))
		return grens_report_table_set_int(t, col, json_is_true(v), err);
	return 0; /* null stays empty */
}

/* The value at a dotted path ("from.id") in o, or NULL. */
static const json_t *lookup(const json_t *o, const char *path)
{
	const json_t *v = o;
	char key[64];
	while (v && *path) {
		size_t len = strcspn(path, ".");
		if (len >= sizeof(key))
			return NULL;
		memcpy(key, path, len);
		key[len] = '\0';
		v = json_object_get(v, key);
		path += len + (path[len] == '.');
	}
	return v;
}

/* Fill columns first.. of the last row from the values at paths in o. */
int report_put_cells(grens_report_table *t, uint32_t first, const json_t *o,
		     const char *const *paths, uint32_t n, grens_error *err)
{
	int rc = 0;
	for (uint32_t i = 0; rc == 0 && i < n; i++) {
		const json_t *v = lookup(o, paths[i]);
		if (v)
			rc = report_put_value(t, first + i, v, err);
	}
	return rc;
}

/* A new row filled from the values at paths in o. */
static int put_row(grens_report_table *t, const json_t *o, const char *const *paths,
		   uint32_t n, grens_error *err)
{
	int rc = grens_report_table_add_row(t, err);
	return rc ? rc : report_put_cells(t, 0, o, paths, n, err);
}

/* Columns first and first + 1 of the last row from the query object of the
 * report (key2 may be NULL): the date, threshold or percentile a row depends
 * on, so that each CSV stands on its own. */
static int put_query(grens_report_table *t, uint32_t first, const json_t *doc, const char *key1,
		     const char *key2, grens_error *err)
{
	const json_t *q = json_object_get(doc, "query");
	int rc = report_put_value(t, first, json_object_get(q, key1), err);
	if (!rc && key2)
		rc = report_put_value(t, first + 1, json_object_get(q, key2), err);
	return rc;
}

static const grens_report_column profile_cols[] = {
	{ "from_id", GRENS_REPORT_STRING, 0 },	 { "from_name", GRENS_REPORT_STRING, 0 },
	{ "to_id", GRENS_REPORT_STRING, 0 },	 { "to_name", GRENS_REPORT_STRING, 0 },
	{ "scenario", GRENS_REPORT_STRING, 0 },	 { "steps", GRENS_REPORT_INT, 0 },
	{ "reached", GRENS_REPORT_INT, 0 },	 { "min_s", GRENS_REPORT_INT, 0 },
	{ "p10_s", GRENS_REPORT_INT, 0 },	 { "median_s", GRENS_REPORT_INT, 0 },
	{ "p90_s", GRENS_REPORT_INT, 0 },	 { "max_s", GRENS_REPORT_INT, 0 },
	{ "mean_s", GRENS_REPORT_REAL, 1 },	 { "mean_transfers", GRENS_REPORT_REAL, 3 },
	{ "share_under_threshold", GRENS_REPORT_REAL, 4 },
	{ "date", GRENS_REPORT_STRING, 0 },	 { "threshold_s", GRENS_REPORT_INT, 0 },
};

static int fill_profiles(const json_t *doc, grens_report_table *t, grens_error *err)
{
	static const char *const paths[] = {
		"from.id",	   "from.name",		"to.id",	      "to.name",
		"scenario",	   "summary.steps",	"summary.reached",    "summary.min_s",
		"summary.p10_s",   "summary.median_s",	"summary.p90_s",      "summary.max_s",
		"summary.mean_s",  "summary.mean_transfers", "summary.share_under_threshold",
	};
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(doc, "profiles"), i, p)
	{
		int rc = put_row(t, p, paths, 15, err);
		if (!rc)
			rc = put_query(t, 15, doc, "date", "threshold_s", err);
		if (rc)
			return rc;
	}
	return 0;
}

static const grens_report_column step_cols[] = {
	{ "from_id", GRENS_REPORT_STRING, 0 }, { "to_id", GRENS_REPORT_STRING, 0 },
	{ "scenario", GRENS_REPORT_STRING, 0 }, { "departure_s", GRENS_REPORT_INT, 0 },
	{ "travel_s", GRENS_REPORT_INT, 0 },	{ "transfers", GRENS_REPORT_INT, 0 },
	{ "date", GRENS_REPORT_STRING, 0 },
};

static int fill_steps(const json_t *doc, grens_report_table *t, grens_error *err)
{
	static const char *const paths[] = { "from.id", "to.id", "scenario" };
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(doc, "profiles"), i, p)
	{
		const json_t *steps = json_object_get(p, "steps");
		const json_t *dep = json_object_get(steps, "departure_s");
		for (size_t k = 0; k < json_array_size(dep); k++) {
			int rc = put_row(t, p, paths, 3, err);
			if (!rc)
				rc = report_put_value(t, 3, json_array_get(dep, k), err);
			if (!rc)
				rc = report_put_value(t, 4,
					       json_array_get(json_object_get(steps, "travel_s"), k),
					       err);
			if (!rc)
				rc = report_put_value(t, 5,
					       json_array_get(json_object_get(steps, "transfers"),
							      k),
					       err);
			if (!rc)
				rc = put_query(t, 6, doc, "date", NULL, err);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static const grens_report_column opp_cols[] = {
	{ "origin_id", GRENS_REPORT_STRING, 0 }, { "origin_name", GRENS_REPORT_STRING, 0 },
	{ "variant", GRENS_REPORT_STRING, 0 },	 { "cutoff_min", GRENS_REPORT_INT, 0 },
	{ "population", GRENS_REPORT_INT, 0 },	 { "date", GRENS_REPORT_STRING, 0 },
	{ "percentile", GRENS_REPORT_INT, 0 },
};

static int fill_opportunities(const json_t *doc, grens_report_table *t, grens_error *err)
{
	static const char *const paths[] = { "origin.id", "origin.name", "variant" };
	size_t i, k;
	json_t *o, *c;
	json_array_foreach(json_object_get(doc, "opportunities"), i, o)
	{
		json_array_foreach(json_object_get(o, "cutoffs"), k, c)
		{
			int rc = put_row(t, o, paths, 3, err);
			if (!rc)
				rc = report_put_value(t, 3, json_object_get(c, "minutes"), err);
			if (!rc)
				rc = report_put_value(t, 4, json_object_get(c, "population"), err);
			if (!rc)
				rc = put_query(t, 5, doc, "date", "percentile", err);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static const grens_report_column station_cols[] = {
	{ "origin", GRENS_REPORT_STRING, 0 }, { "scenario", GRENS_REPORT_STRING, 0 },
	{ "id", GRENS_REPORT_STRING, 0 },     { "name", GRENS_REPORT_STRING, 0 },
	{ "feed", GRENS_REPORT_STRING, 0 },   { "country", GRENS_REPORT_STRING, 0 },
	{ "lat", GRENS_REPORT_REAL, 6 },      { "lon", GRENS_REPORT_REAL, 6 },
	{ "travel_s", GRENS_REPORT_INT, 0 },
	{ "members", GRENS_REPORT_STRING, 0 }, { "date", GRENS_REPORT_STRING, 0 },
	{ "percentile", GRENS_REPORT_INT, 0 },
};

/* The member ids of a station as one cell: "nl:ahbf;nrw:de:05334:1008". */
static int put_members(grens_report_table *t, uint32_t col, const json_t *ids, grens_error *err)
{
	char cell[2048];
	size_t used = 0;
	size_t i;
	const json_t *id;
	cell[0] = '\0';
	json_array_foreach(ids, i, id)
	{
		const char *v = json_string_value(id);
		size_t len = v ? strlen(v) : 0;
		if (used + len + 2 > sizeof(cell))
			return grens_error_set(err, GRENS_ELIMIT, "too many station members");
		if (used)
			cell[used++] = ';';
		memcpy(cell + used, v, len);
		used += len;
		cell[used] = '\0';
	}
	return grens_report_table_set_string(t, col, cell, err);
}

static int fill_stations(const json_t *doc, grens_report_table *t, grens_error *err)
{
	static const char *const paths[] = { "origin", "scenario", "id",  "name",    "feed",
					     "country", "lat",	    "lon", "travel_s" };
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(doc, "stations"), i, s)
	{
		int rc = put_row(t, s, paths, 9, err);
		if (!rc)
			rc = put_members(t, 9, json_object_get(s, "members"), err);
		if (!rc)
			rc = put_query(t, 10, doc, "date", "percentile", err);
		if (rc)
			return rc;
	}
	return 0;
}

static int fill_legs(const json_t *doc, grens_report_table *t, grens_error *err)
{
	size_t i;
	json_t *j;
	json_array_foreach(json_object_get(doc, "journeys"), i, j)
	{
		int rc = report_journey_table_add(t, (uint32_t)i + 1, j, err);
		if (rc)
			return rc;
	}
	return 0;
}

enum { OUT_CSV, OUT_GEOJSON };

/* Fill t (taken: freed here) from doc and write it to dir/file. */
static int write_filled(const json_t *doc, const char *dir, const char *file, int kind,
			grens_report_table *t, fill_fn fill, grens_error *err)
{
	grens_report_file out = { 0 };
	char path[GRENS_REPORT_PATH_BYTES];
	int rc = 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path))
		rc = grens_error_set(err, GRENS_ELIMIT, "path too long: %s", dir);
	if (!rc)
		rc = fill(doc, t, err);
	if (!rc)
		rc = grens_report_file_open(&out, path, err);
	if (!rc)
		rc = kind == OUT_CSV ? grens_report_table_write_csv(t, out.f, err)
				     : grens_report_table_write_geojson(
					       t, grens_report_table_column(t, "lon"),
					       grens_report_table_column(t, "lat"), out.f, err);
	if (!rc)
		rc = grens_report_file_commit(&out, err);
	grens_report_file_abort(&out);
	grens_report_table_free(t);
	if (rc && err && !strstr(err->message, file)) {
		char msg[sizeof(err->message)];
		memcpy(msg, err->message, sizeof(msg));
		grens_error_set(err, rc, "%s: %s", file, msg);
	}
	return rc;
}

static int write_table(const json_t *doc, const char *dir, const char *file, int kind,
		       const grens_report_column *cols, uint32_t ncols, fill_fn fill,
		       grens_error *err)
{
	grens_report_table *t = NULL;
	int rc = grens_report_table_new(&t, cols, ncols, err);
	return rc ? rc : write_filled(doc, dir, file, kind, t, fill, err);
}

/* journeys.csv: the journey encoder's columns, with the scenario. */
static int write_legs(const json_t *doc, const char *dir, grens_error *err)
{
	grens_report_table *t = NULL;
	int rc = report_journey_table_new(&t, true, false, err);
	return rc ? rc : write_filled(doc, dir, "journeys.csv", OUT_CSV, t, fill_legs, err);
}

typedef int (*stream_fn)(const grens_report *report, FILE *f, grens_error *err);

static int write_stream(const grens_report *report, const char *dir, const char *file,
			stream_fn fn, grens_error *err)
{
	grens_report_file out = { 0 };
	char path[GRENS_REPORT_PATH_BYTES];
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path))
		return grens_error_set(err, GRENS_ELIMIT, "path too long: %s", dir);
	int rc = grens_report_file_open(&out, path, err);
	if (!rc)
		rc = fn(report, out.f, err);
	if (!rc)
		rc = grens_report_file_commit(&out, err);
	grens_report_file_abort(&out);
	return rc;
}

#define COLS(a) a, (uint32_t)(sizeof(a) / sizeof(a[0]))

int grens_report_write_dir(const grens_report *report, const char *dir, grens_error *err)
{
	if (!report)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_write_dir: report is NULL");
	if (!dir)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_write_dir: dir is NULL");
	const json_t *doc = report->doc;
	int rc = grens_report_mkdirs(dir, err);
	if (!rc)
		rc = write_stream(report, dir, "report.json", grens_report_write_json, err);
	if (!rc)
		rc = write_stream(report, dir, "report.html", grens_report_write_html, err);
	if (!rc)
		rc = write_table(doc, dir, "profiles.csv", OUT_CSV, COLS(profile_cols),
				 fill_profiles, err);
	if (!rc)
		rc = write_table(doc, dir, "profile_steps.csv", OUT_CSV, COLS(step_cols),
				 fill_steps, err);
	if (!rc)
		rc = write_table(doc, dir, "opportunities.csv", OUT_CSV, COLS(opp_cols),
				 fill_opportunities, err);
	if (!rc)
		rc = write_table(doc, dir, "stations.csv", OUT_CSV, COLS(station_cols),
				 fill_stations, err);
	if (!rc)
		rc = write_table(doc, dir, "stations.geojson", OUT_GEOJSON, COLS(station_cols),
				 fill_stations, err);
	if (!rc)
		rc = write_legs(doc, dir, err);
	return rc;
}
