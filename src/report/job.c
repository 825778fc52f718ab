/* The report job: the analyses behind grens report and grens nightly. Each
 * asks net/, scenario/, route/ and access/ for results and adds them to
 * the report; nothing here prints. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grens/scenario.h"
#include "job.h"
#include "job_common.h"

int job_stops(const grens_timetable *tt, const char *what, const char *query, uint32_t *out,
	      uint32_t cap, uint32_t *n, grens_error *err)
{
	/* the report job's convention: a stop it cannot find is ENOTFOUND
	 * (a date it cannot run is EARG) */
	int rc = report_job_stops(tt, what, query, out, cap, n, err);
	if (rc == GRENS_EARG && err)
		err->code = rc = GRENS_ENOTFOUND;
	return rc;
}

void job_stop_id(const grens_timetable *tt, uint32_t stop, char *buf, size_t bufsz)
{
	report_job_stop_id(tt, stop, buf, bufsz);
}

grens_report_place job_place(const grens_timetable *tt, uint32_t stop, char *id, size_t idsz)
{
	/* Report the station, not the platform, when the stop has one. */
	uint32_t s = tt->stop_parent[stop] != GRENS_NONE ? tt->stop_parent[stop] : stop;
	job_stop_id(tt, s, id, idsz);
	grens_report_place p = { id, grens_net_str(tt, tt->stop_name[s]), tt->stop_lat[s],
				 tt->stop_lon[s] };
	return p;
}

int job_nomem(grens_error *err)
{
	return grens_error_set(err, GRENS_ENOMEM, "out of memory");
}

/* The place of a stop: stations matched across feeds, their platforms and
 * the stop itself share one (net's stop_place). */
static uint32_t place_key(const grens_timetable *tt, uint32_t s)
{
	uint32_t root = tt->stop_parent[s] != GRENS_NONE ? tt->stop_parent[s] : s;
	return tt->stop_place ? tt->stop_place[root] : root;
}

/* Stations of one place listed on the map, at most (more are left out of
 * its member list, never out of its time). */
#define MAP_MAX_MEMBERS 16

/* Stations by median travel time from origin over the window (access/
 * with per-stop percentiles); a station's time is that of its quickest
 * platform, and stations matched across feeds are one station with the
 * best time of all and the ids of all. places may be an empty table. */
static int add_map(const job_fill *jf, const grens_timetable *tt,
		   const grens_access_places *places, const uint32_t *from, uint32_t nfrom,
		   const char *scenario)
{
	const grens_report_job *job = jf->job;
	grens_error *err = jf->err;
	uint32_t n = tt->stop_count;
	int32_t *best = malloc((n ? n : 1) * sizeof(int32_t));
	uint32_t *next_member = malloc((n ? n : 1) * sizeof(uint32_t));
	uint32_t *first_member = malloc((n ? n : 1) * sizeof(uint32_t));
	grens_access_network *net = NULL;
	grens_access_result *res = NULL;
	int rc = GRENS_ENOMEM;
	if (!best || !next_member || !first_member) {
		grens_error_set(err, rc, "out of memory for the station map");
		goto done;
	}
	grens_access_link_options lo = GRENS_ACCESS_LINK_OPTIONS_INIT;
	grens_access_options ao = GRENS_ACCESS_OPTIONS_INIT;
	ao.date = job->date;
	ao.window_start = job->t0;
	ao.window_end = job->t1;
	ao.step = job->step;
	ao.keep_stop_times = true;
	ao.percentile_count = 1;
	ao.percentiles[0] = GRENS_REPORT_PERCENTILE;
	grens_access_origin origin = { GRENS_NONE, from, nfrom };
	grens_diag *diag = grens_diag_new();
	rc = diag ? grens_access_network_new(&net, tt, places, &lo, diag, err) : job_nomem(err);
	grens_diag_free(diag);
	if (rc || (rc = grens_access_run(&res, net, &origin, 1, &ao, err)))
		goto done;
	for (uint32_t s = 0; s < n; s++) {
		best[s] = GRENS_ROUTE_UNREACHED;
		first_member[s] = GRENS_NONE;
	}
	for (uint32_t s = 0; s < n; s++) {
		uint32_t place = place_key(tt, s);
		int32_t t = grens_access_result_stop_time(res, 0, 0, s);
		if (t < best[place])
			best[place] = t;
	}
	/* The stations of each place, in stop order (built backwards). */
	for (uint32_t s = n; s-- > 0;) {
		if (tt->stop_parent[s] != GRENS_NONE || !isfinite(tt->stop_lat[s]))
			continue;
		uint32_t place = place_key(tt, s);
		next_member[s] = first_member[place];
		first_member[place] = s;
	}
	char oid[512], sid[512];
	char member_id[MAP_MAX_MEMBERS][512];
	const char *members[MAP_MAX_MEMBERS];
	grens_report_place o = job_place(tt, from[0], oid, sizeof(oid));
	for (uint32_t s = 0; s < n; s++) {
		/* a place is written once, as its first station */
		if (tt->stop_parent[s] != GRENS_NONE || !isfinite(tt->stop_lat[s]) ||
		    first_member[place_key(tt, s)] != s)
			continue;
		uint32_t count = 0;
		for (uint32_t m = s; m != GRENS_NONE && count < MAP_MAX_MEMBERS;
		     m = next_member[m]) {
			job_stop_id(tt, m, member_id[count], sizeof(member_id[count]));
			members[count] = member_id[count];
			count++;
		}
		grens_report_place st = job_place(tt, s, sid, sizeof(sid));
		rc = grens_report_add_station(jf->report, &o, &st,
					      grens_net_str(tt, tt->feed_name[tt->stop_feed[s]]),
					      scenario, best[place_key(tt, s)], members, count, err);
		if (rc)
			goto done;
	}
	rc = 0;
done:
	grens_access_result_free(res);
	grens_access_network_free(net);
	free(first_member);
	free(next_member);
	free(best);
	return rc;
}

int job_analyse(const job_fill *jf, const grens_timetable *tt, const grens_access_places *places,
		const char *scenario, const grens_access_od_result *base,
		grens_access_od_result **keep)
{
	const grens_report_job *job = jf->job;
	grens_error *err = jf->err;
	bool is_base = strcmp(scenario, "base") == 0;
	uint32_t np = 2 * job->pair_count;
	uint32_t *stops = calloc((size_t)(np ? np : 1) * GRENS_ROUTE_MAX_ENDPOINTS, sizeof(uint32_t));
	grens_access_od_stops sets[2 * GRENS_REPORT_JOB_MAX_PAIRS];
	grens_access_od_pair pairs[GRENS_REPORT_JOB_MAX_PAIRS];
	grens_access_od_result *od = NULL;
	int rc = stops ? 0 : job_nomem(err);
	for (uint32_t i = 0; !rc && i < job->pair_count; i++) {
		uint32_t *from = stops + (size_t)2 * i * GRENS_ROUTE_MAX_ENDPOINTS,
			 *to = from + GRENS_ROUTE_MAX_ENDPOINTS, nfrom, nto;
		if ((rc = job_stops(tt, "from", job->from[i], from, GRENS_ROUTE_MAX_ENDPOINTS,
				    &nfrom, err)) ||
		    (rc = job_stops(tt, "to", job->to[i], to, GRENS_ROUTE_MAX_ENDPOINTS, &nto,
				    err)))
			break;
		sets[2 * i] = (grens_access_od_stops){ from, nfrom };
		sets[2 * i + 1] = (grens_access_od_stops){ to, nto };
		pairs[i] = (grens_access_od_pair){ 2 * i, 2 * i + 1 };
	}
	if (rc)
		goto done;
	grens_access_od_network net = { tt, NULL, sets };
	grens_access_od_options oo = GRENS_ACCESS_OD_OPTIONS_INIT;
	oo.dates = &job->date;
	oo.date_count = 1;
	oo.window_start = job->t0;
	oo.window_end = job->t1;
	oo.step = job->step;
	oo.threshold = job->threshold;
	oo.base = is_base ? NULL : base;
	if ((rc = grens_access_od_run(&od, &net, 1, np, pairs, job->pair_count, &oo, err)))
		goto done;
	for (uint32_t i = 0; i < job->pair_count; i++) {
		const grens_access_od_row *row = grens_access_od_result_row(od, i);
		uint32_t steps;
		const grens_route_profile_step *prof = grens_access_od_result_steps(od, i, &steps);
		char fid[512], tid[512];
		grens_report_place fp = job_place(tt, sets[2 * i].stops[0], fid, sizeof(fid));
		grens_report_place tp = job_place(tt, sets[2 * i + 1].stops[0], tid, sizeof(tid));
		if ((rc = grens_report_add_profile(jf->report, &fp, &tp, scenario, prof, steps,
						   err)))
			goto done;
		if (!is_base) {
			const grens_access_od_row *b = grens_access_od_result_row(base, i);
			if ((rc = grens_report_add_saving(jf->report, &fp, &tp, scenario,
							  b->summary.median, row->summary.median,
							  row->delta_train, row->train_departure,
							  err)))
				goto done;
		}
		grens_route_result res;
		if (grens_access_od_result_journey(od, i, &res, NULL, NULL) &&
		    (rc = grens_report_add_journey(jf->report, tt, job->date, scenario, &res, 0,
						   err)))
			goto done;
	}
	if (is_base && keep) {
		*keep = od;
		od = NULL;
	}
	const char *origin = job->map_origin ? job->map_origin : job->from[0];
	uint32_t n;
	if (!(rc = job_stops(tt, "map origin", origin, stops, GRENS_ROUTE_MAX_ENDPOINTS, &n, err)))
		rc = add_map(jf, tt, places, stops, n, scenario);
done:
	grens_access_od_result_free(od);
	free(stops);
	return rc;
}

int job_build(const job_fill *jf, const grens_gtfs_feed *const *feeds, uint32_t count,
	      const grens_net_options *opts, grens_timetable **out)
{
	if (!feeds)
		return grens_net_source_build(out, &jf->job->source, NULL, jf->diag, jf->err);
	grens_net_source src = jf->job->source;
	src.feeds = feeds;
	src.feed_count = count;
	src.snapshot = NULL;
	return grens_net_source_build(out, &src, opts, jf->diag, jf->err);
}

int job_add_access(const job_fill *jf, const grens_timetable *tt,
		   const grens_access_network *reference, const char *variant)
{
	enum { CAP = 256 };
	const grens_report_job *job = jf->job;
	grens_error *err = jf->err;
	grens_access_network *net = NULL;
	grens_access_result *res = NULL;
	grens_access_origin origins[GRENS_REPORT_JOB_MAX_PAIRS];
	uint32_t *stops = calloc((size_t)GRENS_REPORT_JOB_MAX_PAIRS * CAP, sizeof(uint32_t));
	uint32_t norigins = 0;
	int rc = stops ? 0 : job_nomem(err);
	for (uint32_t i = 0; !rc && i < job->pair_count; i++) {
		bool seen = false;
		for (uint32_t j = 0; j < i; j++)
			seen = seen || strcmp(job->from[i], job->from[j]) == 0;
		if (seen)
			continue;
		uint32_t n;
		uint32_t *s = stops + (size_t)norigins * CAP;
		if ((rc = job_stops(tt, "from", job->from[i], s, CAP, &n, err)))
			break;
		origins[norigins++] = (grens_access_origin){ GRENS_NONE, s, n };
	}
	if (rc)
		goto done;
	grens_access_options ao = GRENS_ACCESS_OPTIONS_INIT;
	ao.date = job->date;
	ao.window_start = job->t0;
	ao.window_end = job->t1;
	ao.step = job->step;
	ao.percentile_count = 1;
	ao.percentiles[0] = GRENS_REPORT_PERCENTILE;
	ao.cutoff_count = job->cutoff_count;
	for (uint32_t c = 0; c < job->cutoff_count; c++)
		ao.cutoffs[c] = (int32_t)job->cutoffs_min[c] * 60;
	if ((rc = grens_access_network_new_like(&net, tt, reference, err)) ||
	    (rc = grens_access_run(&res, net, origins, norigins, &ao, err)))
		goto done;
	for (uint32_t i = 0; i < grens_access_result_count(res); i++) {
		const grens_access_origin *o = &origins[grens_access_result_origin(res, i)];
		double pop[GRENS_REPORT_JOB_MAX_CUTOFFS];
		for (uint32_t c = 0; c < job->cutoff_count; c++)
			pop[c] = grens_access_result_opportunities(res, i, 0, c, 0);
		char id[512];
		grens_report_place origin = job_place(tt, o->stops[0], id, sizeof(id));
		if ((rc = grens_report_add_opportunities(jf->report, &origin, variant,
							 job->cutoffs_min, pop, job->cutoff_count,
							 err)))
			goto done;
	}
done:
	grens_access_result_free(res);
	grens_access_network_free(net);
	free(stops);
	return rc;
}

/* Tie the places once, on the linked base network (default options), and
 * say in the report how they were tied and what could not be placed (the
 * sentences grens access prints). */
static int tie_places(const job_fill *jf, const grens_timetable *tt,
		      grens_access_network **out)
{
	const grens_access_places *places = jf->job->places;
	grens_access_link_options lo = GRENS_ACCESS_LINK_OPTIONS_INIT;
	grens_diag *diag = grens_diag_new();
	if (!diag)
		return job_nomem(jf->err);
	int rc = grens_access_network_new(out, tt, places, &lo, diag, jf->err);
	grens_diag_free(diag);
	if (rc)
		return rc;
	grens_access_tie_summary s;
	grens_access_network_summary(*out, &s);
	/* the modes in the order a place tries them, then the untied */
	static const grens_access_mode order[4] = { GRENS_ACCESS_MODE_WALK, GRENS_ACCESS_MODE_BIKE,
						    GRENS_ACCESS_MODE_FEEDER,
						    GRENS_ACCESS_MODE_NONE };
	grens_report_ties t = { .feeder_kmh = lo.feeder_speed_mps * 3.6,
				.feeder_wait_s = lo.feeder_wait_s };
	for (int m = 0; m < 4; m++) {
		t.places[m] = s.places[order[m]];
		t.people[m] = llround(s.population[order[m]]);
	}
	char ties_text[512], unplaced_text[256];
	grens_report_ties_text(ties_text, sizeof(ties_text), &t);
	grens_report_unplaced_text(unplaced_text, sizeof(unplaced_text),
				   llround(grens_access_places_unplaced(places, 0)),
				   grens_access_places_unplaced_count(places));
	if ((rc = grens_report_add_note(jf->report, ties_text, jf->err)))
		return rc;
	return grens_report_add_note(jf->report, unplaced_text, jf->err);
}

/* The border effect's other side: the base feeds alone. */
static int nl_only(const job_fill *jf, const grens_access_network *ties)
{
	const grens_report_job *job = jf->job;
	const grens_net_source *src = &job->source;
	const char *list = job->base_feeds ? job->base_feeds : "nl";
	const grens_gtfs_feed *subset[64];
	uint32_t n = 0, count = 0;
	if (src->snapshot) {
		const grens_timetable *tt = src->snapshot;
		for (count = 0; count < tt->feed_count && count < 64; count++)
			n += grens_list_has(list, grens_net_str(tt, tt->feed_name[count]));
	} else {
		for (count = 0; count < src->feed_count; count++)
			if (n < 64 && grens_list_has(list, src->feeds[count]->name))
				subset[n++] = src->feeds[count];
	}
	if (n == 0 || n == count)
		return 0; /* no border to speak of */
	if (src->snapshot)
		/* a build of some of the feeds is not a part of the built whole */
		return grens_report_add_note(jf->report,
					     "reachable population nl-only not computed: building "
					     "the base feeds alone needs --feed, not --snapshot",
					     jf->err);
	grens_timetable *tt = NULL;
	int rc = job_build(jf, subset, n, NULL, &tt);
	if (!rc)
		rc = job_add_access(jf, tt, ties, "nl-only");
	grens_net_free(tt);
	return rc;
}

/* The population sources, one per country in order of first appearance. */
static int add_population(const job_fill *jf)
{
	enum { MAX_COUNTRIES = 16 };
	const grens_access_places *places = jf->job->places;
	const grens_access_place *first[MAX_COUNTRIES];
	uint32_t count[MAX_COUNTRIES] = { 0 }, n = 0;
	double people[MAX_COUNTRIES] = { 0 };
	for (uint32_t q = 0; q < grens_access_places_count(places); q++) {
		const grens_access_place *pl = grens_access_places_get(places, q);
		uint32_t c = 0;
		while (c < n && strcmp(first[c]->country, pl->country) != 0)
			c++;
		if (c == n) {
			if (n == MAX_COUNTRIES)
				continue; /* the page lists the first few */
			first[n++] = pl;
		}
		count[c]++;
		people[c] += grens_access_places_kind_count(places) ? pl->opportunities[0] : 0;
	}
	for (uint32_t c = 0; c < n; c++) {
		int rc = grens_report_add_population(
		    jf->report, first[c]->country, count[c], people[c],
		    first[c]->reference_date ? first[c]->reference_date : "",
		    first[c]->source ? first[c]->source : "", jf->err);
		if (rc)
			return rc;
	}
	return 0;
}

/* One scenario: applied to the base as built (the edited feeds rebuilt when it
 * needs them), and analysed. */
static int scenario(const job_fill *jf, const grens_scenario *sc,
		    const grens_timetable *built,
		    const grens_access_places *places, const grens_access_network *ties,
		    const grens_access_od_result *base)
{
	const grens_net_source *src = &jf->job->source;
	grens_scenario_result *res = NULL;
	grens_timetable *tt = NULL;
	/* the scenario's own notices are not the report's */
	grens_diag *diag = grens_diag_new();
	int rc = diag ? 0 : job_nomem(jf->err);
	if (rc || (rc = report_job_scenario_net_on(&tt, &res, sc, src, built, diag, NULL, jf->err)) ||
	    (rc = grens_report_add_scenario(jf->report, grens_scenario_name(sc),
					    grens_scenario_hash(sc), grens_scenario_description(sc),
					    jf->err)) ||
	    (rc = job_analyse(jf, tt, places, grens_scenario_name(sc), base, NULL)))
		goto done;
	if (jf->job->places)
		rc = job_add_access(jf, tt, ties, grens_scenario_name(sc));
done:
	grens_net_free(tt);
	grens_scenario_result_free(res);
	grens_diag_free(diag);
	return rc;
}

/* "YYYY-MM-DDTHH:MM:SSZ" of POSIX seconds t. */
static void format_utc(int64_t t, char *buf, size_t n)
{
	int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	char date[16], tod[16];
	grens_date_format_iso((grens_date)day, date, sizeof(date));
	grens_time_format((int32_t)(t - day * 86400), tod, sizeof(tod));
	if (snprintf(buf, n, "%sT%sZ", date, tod) < 0 && n)
		buf[0] = '\0';
}

/* One note per realtime message: its time, what it holds, what matched the
 * base network. An unusable message is a note too: realtime never stops a
 * report. */
static int add_realtime(const job_fill *jf, const grens_timetable *tt)
{
	const grens_report_job *job = jf->job;
	const grens_net_source *src = &job->source;
	for (uint32_t i = 0; i < job->rt_count; i++) {
		const grens_report_job_rt *rt = &job->rt[i];
		grens_error e;
		grens_error_clear(&e);
		char note[sizeof(e.message) + 512], when[64];
		grens_rt_overlay *ov = NULL;
		grens_rt_options opts = GRENS_RT_OPTIONS_INIT;
		if (src->snapshot) {
			snprintf(note, sizeof(note),
				 "realtime %s: not used: matching it needs --feed, not --snapshot",
				 rt->name);
		} else if (!rt->feed) {
			snprintf(note, sizeof(note), "realtime %s: not used: %s", rt->name,
				 rt->error ? rt->error : "");
		} else if (grens_rt_apply(&ov, tt, src->feeds, src->feed_count, rt->feed, &opts,
					  NULL, &e)) {
			snprintf(note, sizeof(note), "realtime %s: not used: %s", rt->name,
				 e.message);
		} else {
			const grens_rt_feed_summary *h = grens_rt_overlay_header(ov);
			const grens_rt_counts *c = grens_rt_overlay_counts(ov);
			if (h->timestamp && job->rt_now) {
				char at[32];
				format_utc(h->timestamp, at, sizeof(at));
				snprintf(when, sizeof(when), "%.24s, %lld min old", at,
					 (long long)((job->rt_now - h->timestamp) / 60));
			} else if (h->timestamp) {
				format_utc(h->timestamp, when, sizeof(when));
			} else {
				snprintf(when, sizeof(when), "no timestamp");
			}
			int n = snprintf(note, sizeof(note),
					 "realtime %s: message of %s; %u trip updates: %u matched "
					 "(%u cancelled), %u unknown trips, %u not running that day, "
					 "%u stale, %u added; %u stop updates, %u skipped stops; "
					 "%u vehicle positions, %u alerts",
					 rt->name, when, c->trip_updates, c->matched, c->cancelled,
					 c->unknown_trip, c->no_service_on_date, c->stale, c->added,
					 c->stop_updates, c->skipped_stops, c->vehicle_positions,
					 c->alerts);
			if (n > 0 && (size_t)n < sizeof(note) && c->delay_samples)
				snprintf(note + n, sizeof(note) - (size_t)n,
					 "; delay p50 %d s, p90 %d s, max %d s", c->delay_p50,
					 c->delay_p90, c->delay_max);
		}
		grens_rt_overlay_release(ov);
		int rc = grens_report_add_note(jf->report, note, jf->err);
		if (rc)
			return rc;
	}
	return 0;
}

/* Refuse a date outside the feeds' service periods; a feed without trips
 * that day is a note of the report and a warning in diag. */
static int check_date(const job_fill *jf, const grens_timetable *tt)
{
	grens_net_date_note *found = calloc(tt->feed_count + 1, sizeof(*found));
	uint32_t n = 0;
	if (!found)
		return job_nomem(jf->err);
	int rc = grens_net_check_date(tt, jf->job->date, found, tt->feed_count, &n, jf->err);
	for (uint32_t i = 0; !rc && i < n; i++) {
		grens_diag_add(jf->diag, "no_service_on_date", GRENS_SEVERITY_WARNING, "", 0,
			       grens_net_str(tt, tt->feed_name[found[i].feed]), "%s",
			       found[i].message);
		rc = grens_report_add_note(jf->report, found[i].message, jf->err);
	}
	free(found);
	return rc;
}

/* The feeds' provenance: hashed now, or as the snapshot recorded it. */
static int add_feeds(const job_fill *jf)
{
	const grens_net_source *src = &jf->job->source;
	for (uint32_t i = 0; !src->snapshot && i < src->feed_count; i++) {
		const grens_gtfs_feed *f = src->feeds[i];
		const grens_gtfs_feed_info *fi = &f->feed_info;
		int rc = grens_report_add_feed(
		    jf->report, f->name, f->path, fi->present && fi->version ? fi->version : "",
		    fi->present && fi->publisher_name ? fi->publisher_name : "", jf->err);
		if (rc)
			return rc;
	}
	if (!src->snapshot)
		return 0;
	const char *text = grens_net_snapshot_provenance(src->snapshot);
	json_error_t je;
	json_t *prov = text ? json_loads(text, 0, &je) : NULL;
	if (!json_is_array(json_object_get(prov, "feeds"))) {
		json_decref(prov);
		return grens_error_set(jf->err, GRENS_EFORMAT,
				       "the snapshot was not written by grens build (no "
				       "provenance); rebuild it");
	}
	size_t i;
	json_t *feed;
	int rc = 0;
	json_array_foreach(json_object_get(prov, "feeds"), i, feed) {
		char *one = json_dumps(feed, JSON_COMPACT | JSON_PRESERVE_ORDER);
		rc = one ? grens_report_add_feed_provenance(jf->report, one, jf->err)
			 : job_nomem(jf->err);
		free(one);
		if (rc)
			break;
	}
	json_decref(prov);
	return rc;
}

static int check_job(const grens_report *report, const grens_report_job *job, grens_error *err)
{
	if (!report || !job)
		return grens_error_set(err, GRENS_EINVAL, "a report and a job are required");
	if (job->version != GRENS_REPORT_JOB_VERSION)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_fill: job version %u, not %u "
				       "(GRENS_REPORT_JOB_INIT)",
				       job->version, GRENS_REPORT_JOB_VERSION);
	if (job->date == GRENS_DATE_NONE)
		return grens_error_set(err, GRENS_EARG, "the report job needs a date");
	if (job->pair_count == 0 || job->pair_count > GRENS_REPORT_JOB_MAX_PAIRS ||
	    job->cutoff_count > GRENS_REPORT_JOB_MAX_CUTOFFS ||
	    job->scenario_count > GRENS_REPORT_JOB_MAX_SCENARIOS ||
	    job->rt_count > GRENS_REPORT_JOB_MAX_RT)
		return grens_error_set(err, GRENS_EARG,
				       "a report job has 1 to %u pairs, at most %u cutoffs, %u "
				       "scenarios and %u realtime messages",
				       GRENS_REPORT_JOB_MAX_PAIRS, GRENS_REPORT_JOB_MAX_CUTOFFS,
				       GRENS_REPORT_JOB_MAX_SCENARIOS, GRENS_REPORT_JOB_MAX_RT);
	if (job->scenario_count && !job->source.feeds)
		return grens_error_set(err, GRENS_EARG,
				       "scenarios edit the feeds: the job's source needs feeds");
	return 0;
}

int grens_report_fill(grens_report *report, const grens_report_job *job, grens_diag *diag,
		      grens_error *err)
{
	int rc = check_job(report, job, err);
	if (rc)
		return rc;
	job_fill jf = { report, job, diag, err };
	grens_timetable *tt = NULL;
	grens_access_places *empty = NULL;
	grens_access_network *ties = NULL;
	grens_access_od_result *base = NULL; /* the base's pairs, for the savings */
	const grens_access_places *places = job->places;
	/* An empty table when there are no places: the station map needs one. */
	if (!places && (rc = grens_access_places_new(&empty, err)))
		goto done;
	if (!places)
		places = empty;
	if ((rc = grens_report_set_query(report, job->date, job->t0, job->t1, job->step,
					 job->threshold, err)) ||
	    (rc = add_feeds(&jf)) || (rc = job_build(&jf, NULL, 0, NULL, &tt)) ||
	    (rc = check_date(&jf, tt)))
		goto done;
	if (job->places && ((rc = add_population(&jf)) || (rc = tie_places(&jf, tt, &ties))))
		goto done;
	/* the border views rebuild the feeds with their cut: not on a snapshot */
	if ((job->places && job->border_origin && !job->source.snapshot &&
	     (rc = job_add_border(&jf))) ||
	    (job->places && (rc = nl_only(&jf, ties))) ||
	    (rc = job_analyse(&jf, tt, places, "base", NULL, &base)) ||
	    (rc = add_realtime(&jf, tt)) ||
	    (job->places && (rc = job_add_access(&jf, tt, ties, "linked"))))
		goto done;
	for (uint32_t i = 0; i < job->scenario_count; i++)
		if ((rc = scenario(&jf, job->scenarios[i], tt, places, ties, base)))
			goto done;
	if (!job->places)
		rc = grens_report_add_note(report,
					   "no places file: reachable population not computed", err);
done:
	grens_access_network_free(ties);
	grens_net_free(tt);
	grens_access_od_result_free(base);
	grens_access_places_free(empty);
	return rc;
}
