/* The route job: grens route as one call (grens_report_route_new), so that
 * the command and the server give one document for one query. */
#include <jansson.h>
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
static int check_date(grens_report_route *doc, grens_error *err)
{
	const grens_timetable *tt = doc->job.tt;
	grens_net_date_note found[MAX_NOTES];
	uint32_t n = 0;
	int rc = grens_net_check_date(tt, doc->job.date, found, MAX_NOTES, &n, err);
	if (rc)
		return rc;
	char day[16];
	grens_date_format_iso(doc->job.date, day, sizeof(day));
	for (uint32_t i = 0; i < n; i++) {
		report_job_logf(&doc->job.log, "warning: %s", found[i].message);
		json_t *note = json_pack("{s:s, s:s, s:s, s:s}", "code", "no_service_on_date", "date",
					 day, "feed", grens_net_str(tt, tt->feed_name[found[i].feed]),
					 "message", found[i].message);
		if (!note || json_array_append_new(doc->notes, note))
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
		rc = check_date(doc, err);
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
	json_t *q = root ? json_object_get(root, "query") : NULL;
	if (q && job->scenario) {
		json_object_set_new(q, "scenario", json_string(grens_scenario_name(job->scenario)));
		json_object_set_new(q, "scenario_sha256",
				    json_string(grens_scenario_hash(job->scenario)));
	}
	if (q && job->rt && job->rt_name)
		json_object_set_new(q, "rt", json_string(job->rt_name));
	if (root && json_object_set(root, "notes", doc->notes)) {
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
