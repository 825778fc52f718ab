/* The route and profile jobs: grens route and grens profile as one call
 * each (grens_report_route_new, grens_report_profile_new), so that the
 * commands and the server give one document for one query. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "grens/route.h"
#include "grens/scenario.h"
#include "job_common.h"

/* Notes of the feeds without trips on the date: one for each feed. */
#define MAX_NOTES 64

struct grens_report_route {
	grens_report_route_job job;
	uint32_t from[GRENS_ROUTE_MAX_ENDPOINTS], to[GRENS_ROUTE_MAX_ENDPOINTS];
	uint32_t nfrom, nto;
	grens_route_raptor *own_raptor;
	grens_route_dijkstra *dijkstra;
	grens_route_result result;
	json_t *notes;
};

/* A stop argument resolved, the error naming its parameter. */
static int resolve(const grens_timetable *tt, const char *label, const char *field,
		   const char *query, uint32_t *out, uint32_t *n, grens_error *err)
{
	if (!query || !*query) {
		grens_error_set(err, GRENS_EARG, "%s is required", label);
	} else if (report_job_stops(tt, label, query, out, GRENS_ROUTE_MAX_ENDPOINTS, n, err) ==
		   0) {
		return 0;
	}
	if (err && err->code == GRENS_EARG)
		snprintf(err->field, sizeof(err->field), "%s", field);
	return err ? err->code : GRENS_EARG;
}

/* A note and a warning line per feed without trips on the date. */
static int check_date(const grens_timetable *tt, grens_date date, const grens_report_log *log,
		      json_t *notes, grens_error *err)
{
	grens_net_date_note found[MAX_NOTES];
	uint32_t n = 0;
	int rc = grens_net_check_date(tt, date, found, MAX_NOTES, &n, err);
	if (rc)
		return rc;
	char day[16];
	grens_date_format_iso(date, day, sizeof(day));
	for (uint32_t i = 0; i < n; i++) {
		report_job_logf(log, "warning: %s", found[i].message);
		json_t *note = json_pack("{s:s, s:s, s:s, s:s}", "code", "no_service_on_date", "date",
					 day, "feed", grens_net_str(tt, tt->feed_name[found[i].feed]),
					 "message", found[i].message);
		if (!note || json_array_append_new(notes, note))
			return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	}
	return 0;
}

int grens_report_route_new(grens_report_route **out, const grens_report_route_job *job,
			   grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_route_new: out is NULL");
	*out = NULL;
	if (!job || !job->tt)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_route_new: no job or timetable");
	if (job->version != GRENS_REPORT_ROUTE_JOB_VERSION)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_route_new: job of version %u, expected %u "
				       "(GRENS_REPORT_ROUTE_JOB_INIT)",
				       job->version, GRENS_REPORT_ROUTE_JOB_VERSION);
	grens_report_route *doc = calloc(1, sizeof(*doc));
	if (!doc)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	doc->job = *job;
	doc->notes = json_array();
	int rc = doc->notes ? 0 : grens_error_set(err, GRENS_ENOMEM, "out of memory");
	const char *fl = job->from_label ? job->from_label : "--from";
	const char *tl = job->to_label ? job->to_label : "--to";
	if (!rc)
		rc = check_date(job->tt, job->date, &job->log, doc->notes, err);
	if (!rc)
		rc = resolve(job->tt, fl, "from", job->from, doc->from, &doc->nfrom, err);
	if (!rc)
		rc = resolve(job->tt, tl, "to", job->to, doc->to, &doc->nto, err);
	if (rc)
		goto fail;
	grens_route_query q = {doc->from, doc->nfrom, doc->to, doc->nto, job->date, job->time};
	grens_route_options o = GRENS_ROUTE_OPTIONS_INIT;
	o.max_transfers = job->max_transfers;
	o.rt = job->rt;
	if (job->dijkstra) {
		rc = grens_route_dijkstra_new(&doc->dijkstra, job->tt, err);
		if (!rc)
			rc = grens_route_dijkstra_route(doc->dijkstra, &q, &o, &doc->result, err);
	} else {
		grens_route_raptor *ws = job->raptor;
		if (!ws) {
			rc = grens_route_raptor_new(&doc->own_raptor, job->tt, job->max_transfers, err);
			ws = doc->own_raptor;
		}
		if (!rc)
			rc = grens_route_raptor_route(ws, &q, &o, &doc->result, err);
	}
	if (rc)
		goto fail;
	*out = doc;
	return 0;
fail:
	grens_report_route_free(doc);
	return rc;
}

void grens_report_route_free(grens_report_route *doc)
{
	if (!doc)
		return;
	json_decref(doc->notes);
	grens_route_raptor_free(doc->own_raptor);
	grens_route_dijkstra_free(doc->dijkstra);
	free(doc);
}

const grens_route_result *grens_report_route_result(const grens_report_route *doc)
{
	return doc ? &doc->result : NULL;
}

static json_t *ids_json(const grens_timetable *tt, const uint32_t *stops, uint32_t n)
{
	char id[512];
	json_t *arr = json_array();
	for (uint32_t i = 0; arr && i < n; i++) {
		report_job_stop_id(tt, stops[i], id, sizeof(id));
		if (json_array_append_new(arr, json_string(id))) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

/* The journeys in the one encoding of report/ (grens-json(7), JOURNEYS). */
static json_t *journeys_json(const grens_report_route *doc, grens_error *err)
{
	json_t *arr = json_array();
	for (uint32_t j = 0; arr && j < doc->result.journey_count; j++) {
		char *text = NULL;
		json_t *jo = NULL;
		if (!grens_report_journey_json(&text, doc->job.tt, doc->job.rt, doc->job.date,
					       &doc->result, j, err))
			jo = json_loads(text, 0, NULL);
		free(text);
		if (!jo || json_array_append_new(arr, jo)) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

/* The network a document's query ran on, and its notes. -1 when out of
 * memory. */
static int finish_document(json_t *root, const grens_scenario *sc, const grens_rt_overlay *rt,
			   const char *rt_name, json_t *notes)
{
	json_t *q = json_object_get(root, "query");
	if (q && sc) {
		json_object_set_new(q, "scenario", json_string(grens_scenario_name(sc)));
		json_object_set_new(q, "scenario_sha256", json_string(grens_scenario_hash(sc)));
	}
	if (q && rt && rt_name)
		json_object_set_new(q, "rt", json_string(rt_name));
	return json_object_set(root, "notes", notes);
}

static json_t *document(const grens_report_route *doc, grens_error *err)
{
	const grens_report_route_job *job = &doc->job;
	char dbuf[16], tbuf[16];
	grens_date_format_iso(job->date, dbuf, sizeof(dbuf));
	grens_time_format(job->time, tbuf, sizeof(tbuf));
	json_t *root = json_pack("{s:{s:o, s:o, s:s, s:s, s:s}, s:o}", "query", "from",
				 ids_json(job->tt, doc->from, doc->nfrom), "to",
				 ids_json(job->tt, doc->to, doc->nto), "date", dbuf, "time", tbuf,
				 "algo", job->dijkstra ? "dijkstra" : "raptor", "journeys",
				 journeys_json(doc, err));
	if (root && finish_document(root, job->scenario, job->rt, job->rt_name, doc->notes)) {
		json_decref(root);
		root = NULL;
	}
	return root;
}

int grens_report_route_write(const grens_report_route *doc, FILE *f, grens_report_route_format fmt,
			     grens_error *err)
{
	if (!doc || !f)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_route_write: no document");
	const grens_report_route_job *job = &doc->job;
	switch (fmt) {
	case GRENS_REPORT_ROUTE_TEXT:
		return grens_report_journeys_write_text(f, job->tt, job->rt, job->date, &doc->result,
							err);
	case GRENS_REPORT_ROUTE_CSV:
		return grens_report_journeys_write_csv(f, job->tt, job->rt, job->date, &doc->result,
						       err);
	case GRENS_REPORT_ROUTE_JSON:
		break;
	default:
		return grens_error_set(err, GRENS_EINVAL, "grens_report_route_write: format %d",
				       (int)fmt);
	}
	json_t *root = document(doc, err);
	if (!root)
		return err && err->code ? err->code : grens_error_set(err, GRENS_ENOMEM,
								      "out of memory");
	int rc = json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (rc != 0 || fputc('\n', f) == EOF)
		return grens_error_set(err, GRENS_EIO, "writing the route document failed");
	return 0;
}

/* ---- the profile job ---------------------------------------------------------- */

struct grens_report_profile {
	grens_report_profile_job job;
	uint32_t from[GRENS_ROUTE_MAX_ENDPOINTS], to[GRENS_ROUTE_MAX_ENDPOINTS];
	uint32_t nfrom, nto;
	grens_route_raptor *own_raptor;
	grens_route_profile_step *steps;
	uint32_t n;
	grens_route_profile_summary sum;
	json_t *notes;
};

int grens_report_profile_new(grens_report_profile **out, const grens_report_profile_job *job,
			     grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_profile_new: out is NULL");
	*out = NULL;
	if (!job || !job->tt)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_profile_new: no job or timetable");
	if (job->version != GRENS_REPORT_PROFILE_JOB_VERSION)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_profile_new: job of version %u, expected %u "
				       "(GRENS_REPORT_PROFILE_JOB_INIT)",
				       job->version, GRENS_REPORT_PROFILE_JOB_VERSION);
	if (job->step < 1 || job->window_end < job->window_start)
		return grens_error_set(err, GRENS_EARG, "the window or the step is empty");
	uint64_t n = (uint64_t)(job->window_end - job->window_start) / (uint64_t)job->step + 1;
	if (n > GRENS_ROUTE_MAX_STEPS) {
		grens_error_set(err, GRENS_EARG, "the window has %llu steps, more than %u",
				(unsigned long long)n, GRENS_ROUTE_MAX_STEPS);
		if (err)
			snprintf(err->field, sizeof(err->field), "window");
		return GRENS_EARG;
	}
	grens_report_profile *doc = calloc(1, sizeof(*doc));
	if (!doc)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	doc->job = *job;
	doc->n = (uint32_t)n;
	doc->notes = json_array();
	doc->steps = calloc(n, sizeof(*doc->steps));
	int rc = doc->notes && doc->steps ? 0 : grens_error_set(err, GRENS_ENOMEM, "out of memory");
	const char *fl = job->from_label ? job->from_label : "--from";
	const char *tl = job->to_label ? job->to_label : "--to";
	if (!rc)
		rc = check_date(job->tt, job->date, &job->log, doc->notes, err);
	if (!rc)
		rc = resolve(job->tt, fl, "from", job->from, doc->from, &doc->nfrom, err);
	if (!rc)
		rc = resolve(job->tt, tl, "to", job->to, doc->to, &doc->nto, err);
	grens_route_raptor *ws = job->raptor;
	if (!rc && !ws) {
		rc = grens_route_raptor_new(&doc->own_raptor, job->tt, job->max_transfers, err);
		ws = doc->own_raptor;
	}
	if (!rc) {
		grens_route_query q = {doc->from, doc->nfrom, doc->to,
				       doc->nto,  job->date, job->window_start};
		grens_route_options o = GRENS_ROUTE_OPTIONS_INIT;
		o.max_transfers = job->max_transfers;
		o.rt = job->rt;
		rc = grens_route_raptor_profile(ws, &q, job->window_start, job->window_end, job->step,
						&o, doc->steps, err);
	}
	if (rc) {
		grens_report_profile_free(doc);
		return rc;
	}
	grens_route_profile_summarize(doc->steps, doc->n, job->threshold_min * 60, &doc->sum);
	*out = doc;
	return 0;
}

void grens_report_profile_free(grens_report_profile *doc)
{
	if (!doc)
		return;
	json_decref(doc->notes);
	grens_route_raptor_free(doc->own_raptor);
	free(doc->steps);
	free(doc);
}

const grens_route_profile_summary *grens_report_profile_summary(const grens_report_profile *doc)
{
	return doc ? &doc->sum : NULL;
}

static json_t *seconds_or_null(int32_t v)
{
	return v == GRENS_ROUTE_UNREACHED ? json_null() : json_integer(v);
}

static json_t *real_or_null(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static json_t *profile_document(const grens_report_profile *doc)
{
	const grens_report_profile_job *job = &doc->job;
	const grens_route_profile_summary *sum = &doc->sum;
	char dbuf[16], dep[40], arv[40], wbuf[40];
	grens_date_format_iso(job->date, dbuf, sizeof(dbuf));
	if (job->window_text) {
		snprintf(wbuf, sizeof(wbuf), "%s", job->window_text);
	} else {
		char a[16], b[16];
		grens_time_format(job->window_start, a, sizeof(a));
		grens_time_format(job->window_end, b, sizeof(b));
		snprintf(wbuf, sizeof(wbuf), "%.5s-%.5s", a, b);
	}
	json_t *js = json_array();
	for (uint32_t i = 0; js && i < doc->n; i++) {
		const grens_route_profile_step *st = &doc->steps[i];
		bool ok = st->arrival != GRENS_ROUTE_UNREACHED;
		grens_route_format_time(job->date, st->departure, dep, sizeof(dep));
		grens_route_format_time(job->date, st->arrival, arv, sizeof(arv));
		json_array_append_new(
		    js, json_pack("{s:s, s:o, s:o, s:o}", "departure", dep, "arrival",
				  ok ? json_string(arv) : json_null(), "travel_time_s",
				  ok ? json_integer(st->arrival - st->departure) : json_null(),
				  "transfers", ok ? json_integer(st->transfers) : json_null()));
	}
	json_t *root = json_pack(
	    "{s:{s:o, s:o, s:s, s:s, s:i, s:i}, s:{s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:o, "
	    "s:o, s:f}, s:o}",
	    "query", "from", ids_json(job->tt, doc->from, doc->nfrom), "to",
	    ids_json(job->tt, doc->to, doc->nto), "date", dbuf, "window", wbuf, "step_s",
	    (json_int_t)job->step, "threshold_min", (json_int_t)job->threshold_min, "summary",
	    "steps", (json_int_t)sum->steps, "reached", (json_int_t)sum->reached, "min_s",
	    seconds_or_null(sum->min), "p10_s", seconds_or_null(sum->p10), "median_s",
	    seconds_or_null(sum->median), "p90_s", seconds_or_null(sum->p90), "max_s",
	    seconds_or_null(sum->max), "mean_s", real_or_null(sum->mean), "mean_transfers",
	    real_or_null(sum->mean_transfers), "share_under_threshold", sum->share_under, "steps",
	    js);
	if (root && finish_document(root, job->scenario, job->rt, job->rt_name, doc->notes)) {
		json_decref(root);
		return NULL;
	}
	if (root && job->realised_json) {
		json_t *rz = json_loads(job->realised_json, 0, NULL);
		if (!rz || json_object_set_new(root, "realised", rz)) {
			json_decref(root);
			return NULL;
		}
	}
	return root;
}

static void print_secs(FILE *f, int32_t v)
{
	if (v == GRENS_ROUTE_UNREACHED)
		fprintf(f, "-");
	else
		fprintf(f, "%d:%02d:%02d", v / 3600, v / 60 % 60, v % 60);
}

int grens_report_profile_write(const grens_report_profile *doc, FILE *f,
			       grens_report_route_format fmt, grens_error *err)
{
	if (!doc || !f)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_profile_write: no document");
	const grens_report_profile_job *job = &doc->job;
	const grens_route_profile_summary *sum = &doc->sum;
	char dep[40], arv[40];
	int rc = 0;
	switch (fmt) {
	case GRENS_REPORT_ROUTE_JSON: {
		json_t *root = profile_document(doc);
		if (!root)
			return grens_error_set(err, GRENS_ENOMEM, "out of memory");
		rc = json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(root);
		if (rc == 0 && fputc('\n', f) == EOF)
			rc = -1;
		break;
	}
	case GRENS_REPORT_ROUTE_CSV:
		fprintf(f, "departure,arrival,travel_time_s,transfers\n");
		for (uint32_t i = 0; i < doc->n; i++) {
			const grens_route_profile_step *st = &doc->steps[i];
			grens_route_format_time(job->date, st->departure, dep, sizeof(dep));
			if (st->arrival == GRENS_ROUTE_UNREACHED) {
				fprintf(f, "%s,,,\n", dep);
				continue;
			}
			grens_route_format_time(job->date, st->arrival, arv, sizeof(arv));
			fprintf(f, "%s,%s,%d,%d\n", dep, arv, st->arrival - st->departure,
				st->transfers);
		}
		break;
	case GRENS_REPORT_ROUTE_TEXT:
		fprintf(f, "%u departures, %u with a journey\n", sum->steps, sum->reached);
		fprintf(f, "travel time: min ");
		print_secs(f, sum->min);
		fprintf(f, ", p10 ");
		print_secs(f, sum->p10);
		fprintf(f, ", median ");
		print_secs(f, sum->median);
		fprintf(f, ", p90 ");
		print_secs(f, sum->p90);
		fprintf(f, ", max ");
		print_secs(f, sum->max);
		fprintf(f, "\n");
		if (sum->reached)
			fprintf(f, "mean %.0f s (over departures with a journey), mean transfers %.2f\n",
				sum->mean, sum->mean_transfers);
		fprintf(f, "share under %d min: %.1f%%\n", job->threshold_min,
			100.0 * sum->share_under);
		break;
	default:
		return grens_error_set(err, GRENS_EINVAL, "grens_report_profile_write: format %d",
				       (int)fmt);
	}
	if (rc != 0 || ferror(f))
		return grens_error_set(err, GRENS_EIO, "writing the profile document failed");
	return 0;
}
