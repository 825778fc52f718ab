/* The analyses behind `grens report` and `grens nightly`: everything here
 * asks route/ for results and hands them to report/. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "grens/gtfs.h"
#include "grens/net.h"
#include "grens/route.h"
#include "report_cli.h"
#include "route_cli.h"

static int fail_err(const char *cmd, const grens_error *err)
{
	cli_report_error(cmd, err);
	return CLI_EXIT_FAIL;
}

static grens_report_place place_of(const grens_timetable *tt, uint32_t stop, char *id,
				   size_t idsz)
{
	/* Report the station, not the platform, when the stop has one. */
	uint32_t s = tt->stop_parent[stop] != GRENS_NONE ? tt->stop_parent[stop] : stop;
	route_cli_stop_id(tt, s, id, idsz);
	grens_report_place p = { id, grens_net_str(tt, tt->stop_name[s]), tt->stop_lat[s],
				 tt->stop_lon[s] };
	return p;
}

static int cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

/* Stations by median travel time from origin over the window: one
 * one-to-all query per departure step; a station's time at a step is the
 * earliest arrival at it or any of its platforms. */
static int add_map(const char *cmd, const report_cli_spec *spec, grens_report *report,
		   const grens_timetable *tt, grens_raptor *raptor, const uint32_t *from,
		   uint32_t nfrom, const char *scenario)
{
	uint32_t steps = (uint32_t)((spec->t1 - spec->t0) / spec->step) + 1;
	uint32_t n = tt->stop_count;
	int32_t *arrival = calloc(n ? n : 1, sizeof(int32_t));
	int32_t *times = NULL;
	size_t cells;
	int code = CLI_EXIT_FAIL;
	grens_error err;
	grens_error_clear(&err);
	if (grens_size_mul(n ? n : 1, steps, &cells) || !arrival ||
	    !(times = malloc(cells * sizeof(int32_t)))) {
		cli_errorf(cmd, "out of memory for the station map");
		goto done;
	}
	for (size_t i = 0; i < cells; i++)
		times[i] = GRENS_ROUTE_UNREACHED;
	grens_route_options o = GRENS_ROUTE_OPTIONS_INIT;
	for (uint32_t k = 0; k < steps; k++) {
		int32_t t = spec->t0 + (int32_t)k * spec->step;
		grens_route_query q = { from, nfrom, NULL, 0, spec->date, t };
		if (grens_raptor_one_to_all(raptor, &q, &o, arrival, &err)) {
			code = fail_err(cmd, &err);
			goto done;
		}
		for (uint32_t s = 0; s < n; s++) {
			if (arrival[s] == GRENS_ROUTE_UNREACHED)
				continue;
			uint32_t root = tt->stop_parent[s] != GRENS_NONE ? tt->stop_parent[s] : s;
			int32_t *cell = &times[(size_t)root * steps + k];
			if (arrival[s] - t < *cell)
				*cell = arrival[s] - t;
		}
	}
	char oid[512], sid[512];
	grens_report_place origin = place_of(tt, from[0], oid, sizeof(oid));
	for (uint32_t s = 0; s < n; s++) {
		if (tt->stop_parent[s] != GRENS_NONE || !isfinite(tt->stop_lat[s]))
			continue;
		int32_t *row = &times[(size_t)s * steps];
		/* Nearest-rank median; unreached steps sort last as "infinite". */
		qsort(row, steps, sizeof(int32_t), cmp_i32);
		int32_t median = row[(steps + 1) / 2 - 1];
		grens_report_place st = place_of(tt, s, sid, sizeof(sid));
		if (grens_report_add_station(report, &origin, &st,
					     grens_net_str(tt, tt->feed_name[tt->stop_feed[s]]),
					     scenario, median, &err)) {
			code = fail_err(cmd, &err);
			goto done;
		}
	}
	code = CLI_EXIT_OK;
done:
	free(arrival);
	free(times);
	return code;
}

/* Profiles and the fastest journey of each pair, and the station map. */
static int analyse(const char *cmd, const report_cli_spec *spec, grens_report *report,
		   const grens_timetable *tt, const char *scenario)
{
	uint32_t steps = (uint32_t)((spec->t1 - spec->t0) / spec->step) + 1;
	uint32_t *from = calloc(GRENS_ROUTE_MAX_ENDPOINTS, sizeof(uint32_t));
	uint32_t *to = calloc(GRENS_ROUTE_MAX_ENDPOINTS, sizeof(uint32_t));
	grens_route_profile_step *prof = calloc(steps, sizeof(*prof));
	grens_raptor *raptor = NULL;
	grens_error err;
	grens_error_clear(&err);
	int code = CLI_EXIT_FAIL;
	if (!from || !to || !prof) {
		cli_errorf(cmd, "out of memory");
		goto done;
	}
	if (grens_raptor_new(&raptor, tt, 8, &err)) {
		code = fail_err(cmd, &err);
		goto done;
	}
	grens_route_options o = GRENS_ROUTE_OPTIONS_INIT;
	for (unsigned i = 0; i < spec->pair_count; i++) {
		uint32_t nfrom, nto;
		if ((code = route_cli_stops(cmd, tt, "from", spec->from[i], from,
					    GRENS_ROUTE_MAX_ENDPOINTS, &nfrom)) ||
		    (code = route_cli_stops(cmd, tt, "to", spec->to[i], to,
					    GRENS_ROUTE_MAX_ENDPOINTS, &nto)))
			goto done;
		code = CLI_EXIT_FAIL;
		grens_route_query q = { from, nfrom, to, nto, spec->date, spec->t0 };
		if (grens_raptor_profile(raptor, &q, spec->t0, spec->t1, spec->step, &o, prof,
					 &err))
			goto fail;
		char fid[512], tid[512];
		grens_report_place fp = place_of(tt, from[0], fid, sizeof(fid));
		grens_report_place tp = place_of(tt, to[0], tid, sizeof(tid));
		if (grens_report_add_profile(report, &fp, &tp, scenario, prof, steps, &err))
			goto fail;
		/* The fastest journey of the window: route at its departure step. */
		uint32_t best = GRENS_NONE;
		for (uint32_t k = 0; k < steps; k++)
			if (prof[k].arrival != GRENS_ROUTE_UNREACHED &&
			    (best == GRENS_NONE || prof[k].arrival - prof[k].departure <
							   prof[best].arrival - prof[best].departure))
				best = k;
		if (best != GRENS_NONE) {
			grens_route_result res;
			q.time = prof[best].departure;
			if (grens_raptor_route(raptor, &q, &o, &res, &err))
				goto fail;
			if (res.journey_count &&
			    grens_report_add_journey(report, tt, spec->date, scenario, &res, 0, &err))
				goto fail;
		}
	}
	{
		const char *origin = spec->map_origin ? spec->map_origin : spec->from[0];
		uint32_t n;
		if ((code = route_cli_stops(cmd, tt, "map origin", origin, from,
					    GRENS_ROUTE_MAX_ENDPOINTS, &n)))
			goto done;
		code = add_map(cmd, spec, report, tt, raptor, from, n, scenario);
	}
	goto done;
fail:
	code = fail_err(cmd, &err);
done:
	grens_raptor_free(raptor);
	free(from);
	free(to);
	free(prof);
	return code;
}

static int build(const char *cmd, const grens_gtfs_feed *const *feeds, uint32_t count,
		 grens_timetable **out)
{
	grens_net_options no = GRENS_NET_OPTIONS_INIT;
	grens_error err;
	grens_error_clear(&err);
	grens_diag *diag = grens_diag_new();
	cli_progress_init(&no.progress);
	int rc = diag ? grens_net_build(out, feeds, count, &no, diag, &err) : GRENS_ENOMEM;
	grens_diag_free(diag);
	if (rc) {
		cli_errorf(cmd, "cannot build the timetable");
		if (err.code)
			cli_report_error(cmd, &err);
		*out = NULL;
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

int report_cli_fill(const char *cmd, const report_cli_spec *spec, grens_report *report)
{
	grens_gtfs_feed *feeds[64] = { 0 };
	grens_diag *diags[64] = { 0 };
	grens_timetable *tt = NULL;
	grens_error err;
	grens_error_clear(&err);
	cli_feed_list list = spec->feeds;
	cli_feed_list_default(&list);
	int code = CLI_EXIT_FAIL;
	if (grens_report_set_query(report, spec->date, spec->t0, spec->t1, spec->step,
				   spec->threshold, &err))
		goto fail;
	if (cli_load_feeds(cmd, &list, feeds, diags) != 0)
		goto done;
	for (unsigned i = 0; i < list.count; i++) {
		const grens_gtfs_feed_info *fi = &feeds[i]->feed_info;
		if (grens_report_add_feed(report, feeds[i]->name, feeds[i]->path,
					  fi->present && fi->version ? fi->version : "",
					  fi->present && fi->publisher_name ? fi->publisher_name
									    : "",
					  &err))
			goto fail;
	}
	if ((code = build(cmd, (const grens_gtfs_feed *const *)feeds, list.count, &tt)) ||
	    (code = analyse(cmd, spec, report, tt, "base")))
		goto done;
	if (spec->scenario_count) {
		cli_errorf(cmd, "scenarios are not supported by this build");
		code = CLI_EXIT_USAGE;
		goto done;
	}
	code = CLI_EXIT_OK;
	goto done;
fail:
	code = fail_err(cmd, &err);
done:
	grens_timetable_free(tt);
	cli_free_feeds(feeds, diags, list.count);
	return code;
}
