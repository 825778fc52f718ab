/* The report job's "what travellers got": the realised times of the job's
 * date against the schedule, for every pair. */
#include <stdio.h>
#include <stdlib.h>

#include "job.h"

static const char *reason_text(grens_access_break_reason r)
{
	return r == GRENS_ACCESS_BREAK_CANCELLED ? "cancelled"
	       : r == GRENS_ACCESS_BREAK_SKIPPED ? "skipped"
						 : "late";
}

/* One pair: the comparison of its window and the report's row. */
static int add_pair(const job_fill *jf, grens_route_raptor *ws, uint32_t i,
		    uint32_t *stops)
{
	const grens_report_job *job = jf->job;
	const grens_timetable *tt = job->realised_tt;
	grens_error *err = jf->err;
	grens_access_realised *cmp = NULL;
	uint32_t *from = stops, *to = stops + GRENS_ROUTE_MAX_ENDPOINTS, nfrom, nto;
	int rc;
	if ((rc = job_stops(tt, "--from", job->from[i], from, GRENS_ROUTE_MAX_ENDPOINTS, &nfrom,
			    err)) ||
	    (rc = job_stops(tt, "--to", job->to[i], to, GRENS_ROUTE_MAX_ENDPOINTS, &nto, err)))
		return rc;
	grens_route_query q = { from, nfrom, to, nto, job->date, 0 };
	grens_route_options o = GRENS_ROUTE_OPTIONS_INIT;
	grens_access_realised_summary s;
	grens_access_realised_break br;
	if ((rc = grens_access_realised_new(&cmp, err)) ||
	    (rc = grens_access_realised_add_day(cmp, ws, tt, job->realised, &q, job->t0, job->t1,
						job->step, &o, err)) ||
	    (rc = grens_access_realised_summarize(cmp, tt, true, 0, job->threshold, &s, err)))
		goto done;
	char top[512] = "";
	if (grens_access_realised_breaks(cmp, tt, true, 0, &br, 1))
		snprintf(top, sizeof(top), "%s: %s -> %s (%s), %u times",
			 grens_net_str(tt, tt->stop_name[br.station]),
			 br.from_route[0] ? br.from_route : "(start)", br.to_route,
			 reason_text(br.reason), br.count);
	grens_report_realised_pair p = {
		.from = grens_net_str(tt, tt->stop_name[from[0]]),
		.to = grens_net_str(tt, tt->stop_name[to[0]]),
		.steps = s.steps,
		.planned = s.planned,
		.held = s.held,
		.broken = s.broken,
		.no_data = s.no_data,
		.share_held = s.share_held,
		.scheduled_median = s.scheduled.median,
		.realised_median = s.realised.median,
		.extra_p50 = s.extra_p50,
		.extra_p90 = s.extra_p90,
		.top_break = top,
	};
	rc = grens_report_add_realised_pair(jf->report, &p, err);
done:
	grens_access_realised_free(cmp);
	return rc;
}

int grens_report_fill_realised(grens_report *report, const grens_report_job *job,
			       grens_diag *diag, grens_error *err)
{
	if (!report || !job)
		return grens_error_set(err, GRENS_EINVAL, "a report and a job are required");
	const grens_rt_realised_counts *c = &job->realised_counts;
	const char *archive = job->realised_archive ? job->realised_archive : "";
	if (!c->snapshots_read) {
		char day[16];
		grens_date_format_iso(job->date, day, sizeof(day));
		return grens_error_set(err, GRENS_ENOTFOUND,
				       "%s holds no snapshot for %s: no 'what travellers got' "
				       "section",
				       archive, day);
	}
	if (!job->realised_tt || !job->realised || job->pair_count > GRENS_REPORT_JOB_MAX_PAIRS)
		return grens_error_set(err, GRENS_EARG,
				       "the realised times need a timetable, its realised overlay "
				       "and at most %u pairs",
				       GRENS_REPORT_JOB_MAX_PAIRS);
	grens_report_realised r = {
		.archive = archive,
		.date = job->date,
		.snapshots_read = c->snapshots_read,
		.snapshots_corrupt = c->snapshots_corrupt,
		.gaps = c->gaps,
		.trips_scheduled = c->trips_scheduled,
		.trips_observed = c->trips_observed,
		.trips_no_data = c->trips_no_data,
		.trips_cancelled = c->trips_cancelled,
		.stops_skipped = c->stops_skipped,
		.no_data_as_scheduled = false,
	};
	grens_route_raptor *ws = NULL;
	uint32_t *stops = calloc(2 * GRENS_ROUTE_MAX_ENDPOINTS, sizeof(uint32_t));
	int rc = stops ? 0 : job_nomem(err);
	if (rc || (rc = grens_report_set_realised(report, &r, err)) ||
	    (rc = grens_route_raptor_new(&ws, job->realised_tt, GRENS_ROUTE_MAX_TRANSFERS, err)))
		goto done;
	job_fill jf = { report, job, diag, err };
	for (uint32_t i = 0; i < job->pair_count; i++) {
		/* a pair that fails is left out; the others still count */
		grens_error e;
		grens_error_clear(&e);
		jf.err = &e;
		if (add_pair(&jf, ws, i, stops))
			grens_diag_add(diag, "realised_pair", GRENS_SEVERITY_ERROR, "", 0, "", "%s",
				       e.message[0] ? e.message : grens_strerror(e.code));
	}
done:
	grens_route_raptor_free(ws);
	free(stops);
	return rc;
}
