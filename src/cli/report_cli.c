/* The analyses behind `grens report` and `grens nightly`: everything here
 * asks route/ for results and hands them to report/. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grens/access.h"
#include "grens/gtfs.h"
#include "grens/net.h"
#include "grens/route.h"
#include "grens/rt.h"
#include "grens/scenario.h"
#include "places_cli.h"
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

/* The place of a stop: stations matched across feeds, their platforms and
 * the stop itself share one (net's stop_place). */
/* Stations of one place listed on the map, at most (more are left out of
 * its member list, never out of its time). */
#define MAP_MAX_MEMBERS 16

static uint32_t place_key(const grens_timetable *tt, uint32_t s)
{
	uint32_t root = tt->stop_parent[s] != GRENS_NONE ? tt->stop_parent[s] : s;
	return tt->stop_place ? tt->stop_place[root] : root;
}

/* Stations by median travel time from origin over the window (access/
 * with per-stop percentiles); a station's time is that of its quickest
 * platform, and stations matched across feeds are one station with the
 * best time of all and the ids of all. places may be an empty table. */
static int add_map(const char *cmd, const report_cli_spec *spec, grens_report *report,
		   const grens_timetable *tt, const grens_access_places *places,
		   const uint32_t *from, uint32_t nfrom, const char *scenario)
{
	uint32_t n = tt->stop_count;
	int32_t *best = malloc((n ? n : 1) * sizeof(int32_t));
	uint32_t *next_member = malloc((n ? n : 1) * sizeof(uint32_t));
	uint32_t *first_member = malloc((n ? n : 1) * sizeof(uint32_t));
	grens_access_network *net = NULL;
	grens_access_result *res = NULL;
	grens_error err;
	grens_error_clear(&err);
	int code = CLI_EXIT_FAIL;
	if (!best || !next_member || !first_member) {
		cli_errorf(cmd, "out of memory for the station map");
		goto done;
	}
	grens_access_link_options lo = GRENS_ACCESS_LINK_OPTIONS_INIT;
	grens_access_options ao = GRENS_ACCESS_OPTIONS_INIT;
	ao.date = spec->date;
	ao.window_start = spec->t0;
	ao.window_end = spec->t1;
	ao.step = spec->step;
	ao.keep_stop_times = true;
	ao.percentile_count = 1;
	ao.percentiles[0] = GRENS_REPORT_PERCENTILE;
	grens_access_origin origin = { GRENS_NONE, from, nfrom };
	grens_diag *diag = grens_diag_new();
	int rc = diag ? grens_access_network_new(&net, tt, places, &lo, diag, &err) : GRENS_ENOMEM;
	grens_diag_free(diag);
	if (rc || grens_access_run(&res, net, &origin, 1, &ao, &err)) {
		code = fail_err(cmd, &err);
		goto done;
	}
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
	grens_report_place o = place_of(tt, from[0], oid, sizeof(oid));
	for (uint32_t s = 0; s < n; s++) {
		/* a place is written once, as its first station */
		if (tt->stop_parent[s] != GRENS_NONE || !isfinite(tt->stop_lat[s]) ||
		    first_member[place_key(tt, s)] != s)
			continue;
		uint32_t count = 0;
		for (uint32_t m = s; m != GRENS_NONE && count < MAP_MAX_MEMBERS;
		     m = next_member[m]) {
			route_cli_stop_id(tt, m, member_id[count], sizeof(member_id[count]));
			members[count] = member_id[count];
			count++;
		}
		grens_report_place st = place_of(tt, s, sid, sizeof(sid));
		if (grens_report_add_station(report, &o, &st,
					     grens_net_str(tt, tt->feed_name[tt->stop_feed[s]]),
					     scenario, best[place_key(tt, s)], members, count,
					     &err)) {
			code = fail_err(cmd, &err);
			goto done;
		}
	}
	code = CLI_EXIT_OK;
done:
	grens_access_result_free(res);
	grens_access_network_free(net);
	free(first_member);
	free(next_member);
	free(best);
	return code;
}

/* Profiles and the fastest journey of each pair (grens_access_od_run), and
 * the station map. The base's run (scenario "base") is kept in *keep; a
 * scenario's savings are against base, that run. */
static int analyse(const char *cmd, const report_cli_spec *spec, grens_report *report,
		   const grens_timetable *tt, const grens_access_places *places,
		   const char *scenario, const grens_access_od_result *base,
		   grens_access_od_result **keep)
{
	bool is_base = strcmp(scenario, "base") == 0;
	uint32_t np = 2 * spec->pair_count;
	uint32_t *stops = calloc((size_t)(np ? np : 1) * GRENS_ROUTE_MAX_ENDPOINTS, sizeof(uint32_t));
	grens_access_od_stops sets[2 * REPORT_CLI_MAX_PAIRS];
	grens_access_od_pair pairs[REPORT_CLI_MAX_PAIRS];
	grens_access_od_result *od = NULL;
	grens_error err;
	grens_error_clear(&err);
	int code = CLI_EXIT_FAIL;
	if (!stops) {
		cli_errorf(cmd, "out of memory");
		goto done;
	}
	for (unsigned i = 0; i < spec->pair_count; i++) {
		uint32_t *from = stops + (size_t)2 * i * GRENS_ROUTE_MAX_ENDPOINTS,
			 *to = from + GRENS_ROUTE_MAX_ENDPOINTS, nfrom, nto;
		if ((code = route_cli_stops(cmd, tt, "from", spec->from[i], from,
					    GRENS_ROUTE_MAX_ENDPOINTS, &nfrom)) ||
		    (code = route_cli_stops(cmd, tt, "to", spec->to[i], to,
					    GRENS_ROUTE_MAX_ENDPOINTS, &nto)))
			goto done;
		sets[2 * i] = (grens_access_od_stops){ from, nfrom };
		sets[2 * i + 1] = (grens_access_od_stops){ to, nto };
		pairs[i] = (grens_access_od_pair){ 2 * i, 2 * i + 1 };
	}
	code = CLI_EXIT_FAIL;
	grens_access_od_network net = { tt, NULL, sets };
	grens_access_od_options oo = GRENS_ACCESS_OD_OPTIONS_INIT;
	oo.dates = &spec->date;
	oo.date_count = 1;
	oo.window_start = spec->t0;
	oo.window_end = spec->t1;
	oo.step = spec->step;
	oo.threshold = spec->threshold;
	oo.base = is_base ? NULL : base;
	if (grens_access_od_run(&od, &net, 1, np, pairs, spec->pair_count, &oo, &err))
		goto fail;
	for (unsigned i = 0; i < spec->pair_count; i++) {
		const grens_access_od_row *row = grens_access_od_result_row(od, i);
		uint32_t steps;
		const grens_route_profile_step *prof = grens_access_od_result_steps(od, i, &steps);
		char fid[512], tid[512];
		grens_report_place fp = place_of(tt, sets[2 * i].stops[0], fid, sizeof(fid));
		grens_report_place tp = place_of(tt, sets[2 * i + 1].stops[0], tid, sizeof(tid));
		if (grens_report_add_profile(report, &fp, &tp, scenario, prof, steps, &err))
			goto fail;
		if (!is_base) {
			const grens_access_od_row *b = grens_access_od_result_row(base, i);
			if (grens_report_add_saving(report, &fp, &tp, scenario, b->summary.median,
						    row->summary.median, row->delta_train,
						    row->train_departure, &err))
				goto fail;
		}
		grens_route_result res;
		if (grens_access_od_result_journey(od, i, &res, NULL, NULL) &&
		    grens_report_add_journey(report, tt, spec->date, scenario, &res, 0, &err))
			goto fail;
	}
	if (is_base && keep) {
		*keep = od;
		od = NULL;
	}
	{
		const char *origin = spec->map_origin ? spec->map_origin : spec->from[0];
		uint32_t n;
		if ((code = route_cli_stops(cmd, tt, "map origin", origin, stops,
					    GRENS_ROUTE_MAX_ENDPOINTS, &n)))
			goto done;
		code = add_map(cmd, spec, report, tt, places, stops, n, scenario);
	}
	goto done;
fail:
	code = fail_err(cmd, &err);
done:
	grens_access_od_result_free(od);
	free(stops);
	return code;
}

/* Linked as every command links (cli_net_build); with src, its timetable. */
static int build(const char *cmd, const cli_source *src, const grens_gtfs_feed *const *feeds,
		 uint32_t count, const grens_net_links *links, grens_timetable **out)
{
	cli_link_args args;
	cli_link_args_init(&args);
	int rc = src ? cli_source_build(cmd, src, &args, links, out)
		     : cli_net_build(cmd, feeds, count, &args, links, out, NULL);
	return rc ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

/* Reachable population from each distinct pair origin on tt, as `variant`,
 * with the places tied as in reference (the linked base network: every
 * variant reuses its ties, so that less network never ties a place to other
 * stops). */
static int add_access(const char *cmd, const report_cli_spec *spec, grens_report *report,
		      const grens_timetable *tt, const grens_access_network *reference,
		      const char *variant)
{
	enum { CAP = 256 };
	grens_access_network *net = NULL;
	grens_access_result *res = NULL;
	grens_access_origin origins[REPORT_CLI_MAX_PAIRS];
	uint32_t *stops = calloc((size_t)REPORT_CLI_MAX_PAIRS * CAP, sizeof(uint32_t));
	uint32_t norigins = 0;
	grens_error err;
	grens_error_clear(&err);
	int code = CLI_EXIT_FAIL;
	if (!stops) {
		cli_errorf(cmd, "out of memory");
		goto done;
	}
	for (unsigned i = 0; i < spec->pair_count; i++) {
		bool seen = false;
		for (unsigned j = 0; j < i; j++)
			seen = seen || strcmp(spec->from[i], spec->from[j]) == 0;
		if (seen)
			continue;
		uint32_t n;
		uint32_t *s = stops + (size_t)norigins * CAP;
		if ((code = route_cli_stops(cmd, tt, "from", spec->from[i], s, CAP, &n)))
			goto done;
		origins[norigins++] = (grens_access_origin){ GRENS_NONE, s, n };
	}
	code = CLI_EXIT_FAIL;
	grens_access_options ao = GRENS_ACCESS_OPTIONS_INIT;
	ao.date = spec->date;
	ao.window_start = spec->t0;
	ao.window_end = spec->t1;
	ao.step = spec->step;
	ao.percentile_count = 1;
	ao.percentiles[0] = GRENS_REPORT_PERCENTILE;
	ao.cutoff_count = spec->cutoff_count;
	for (unsigned c = 0; c < spec->cutoff_count; c++)
		ao.cutoffs[c] = spec->cutoffs_min[c] * 60;
	if (grens_access_network_new_like(&net, tt, reference, &err) ||
	    grens_access_run(&res, net, origins, norigins, &ao, &err)) {
		code = fail_err(cmd, &err);
		goto done;
	}
	for (uint32_t i = 0; i < grens_access_result_count(res); i++) {
		const grens_access_origin *o = &origins[grens_access_result_origin(res, i)];
		uint32_t cut[REPORT_CLI_MAX_CUTOFFS];
		double pop[REPORT_CLI_MAX_CUTOFFS];
		for (unsigned c = 0; c < spec->cutoff_count; c++) {
			cut[c] = (uint32_t)spec->cutoffs_min[c];
			pop[c] = grens_access_result_opportunities(res, i, 0, c, 0);
		}
		char id[512];
		grens_report_place origin = place_of(tt, o->stops[0], id, sizeof(id));
		if (grens_report_add_opportunities(report, &origin, variant, cut, pop,
						   spec->cutoff_count, &err)) {
			code = fail_err(cmd, &err);
			goto done;
		}
	}
	code = CLI_EXIT_OK;
done:
	grens_access_result_free(res);
	grens_access_network_free(net);
	free(stops);
	return code;
}

/* Tie the places once, on the linked base network (default options), and
 * say in the report how they were tied and what could not be placed. */
static int tie_places(const char *cmd, grens_report *report, const grens_timetable *tt,
		      const grens_access_places *places, grens_access_network **out)
{
	grens_error err;
	grens_error_clear(&err);
	grens_access_link_options lo = GRENS_ACCESS_LINK_OPTIONS_INIT;
	grens_diag *diag = grens_diag_new();
	if (!diag) {
		cli_errorf(cmd, "out of memory");
		return CLI_EXIT_FAIL;
	}
	int rc = grens_access_network_new(out, tt, places, &lo, diag, &err);
	grens_diag_free(diag);
	if (rc)
		return fail_err(cmd, &err);
	json_t *access = places_cli_access_json(&lo), *ties = places_cli_ties_json(*out),
	       *unplaced = places_cli_unplaced_json(places);
	char ties_text[512], unplaced_text[256];
	places_cli_ties_text(ties, access, ties_text, sizeof(ties_text));
	places_cli_unplaced_text(unplaced, unplaced_text, sizeof(unplaced_text));
	json_decref(access);
	json_decref(ties);
	json_decref(unplaced);
	if (grens_report_add_note(report, ties_text, &err) ||
	    grens_report_add_note(report, unplaced_text, &err))
		return fail_err(cmd, &err);
	return CLI_EXIT_OK;
}

/* The border effect's other side: the base feeds alone. */
static int nl_only(const char *cmd, const report_cli_spec *spec, grens_report *report,
		   const cli_source *src, const grens_net_links *links,
		   const grens_access_network *ties)
{
	const grens_gtfs_feed *subset[64];
	uint32_t count = src->name_count;
	uint32_t n = cli_source_subset(src, spec->base_feeds ? spec->base_feeds : "nl", subset, 64);
	if (n == 0 || n == count)
		return CLI_EXIT_OK; /* no border to speak of */
	if (src->snapshot) {
		/* a build of some of the feeds is not a part of the built whole */
		grens_error err;
		grens_error_clear(&err);
		if (grens_report_add_note(report,
					  "reachable population nl-only not computed: building "
					  "the base feeds alone needs --feed, not --snapshot",
					  &err))
			return fail_err(cmd, &err);
		return CLI_EXIT_OK;
	}
	grens_timetable *tt = NULL;
	int code = build(cmd, NULL, subset, n, links, &tt);
	if (!code)
		code = add_access(cmd, spec, report, tt, ties, "nl-only");
	grens_net_free(tt);
	return code;
}

/* The border views of spec->border_origin (grens access --border-effect
 * --rank --sensitivity, grens-access(1), BORDER EFFECT): each assumption set builds
 * the network and ties the places anew; the origin is ranked among the
 * places of home tied to a stop under the central set. The departures are
 * those of grens access (GRENS_ACCESS_OPTIONS_INIT), so both quote the same
 * numbers. */
static int add_border(const char *cmd, const report_cli_spec *spec, grens_report *report,
		      grens_gtfs_feed *const *feeds, uint32_t count, const grens_net_links *links,
		      const grens_access_places *places)
{
	const char *home = "NL";
	uint32_t np = grens_access_places_count(places);
	uint32_t q = grens_access_places_find(places, spec->border_origin);
	if (q == GRENS_NONE || strcmp(grens_access_places_get(places, q)->country, home) != 0) {
		cli_errorf(cmd, "--border-origin '%s' is not a place in %s of the places files",
			   spec->border_origin, home);
		return CLI_EXIT_USAGE;
	}
	grens_timetable *tt[GRENS_REPORT_BORDER_SETS] = { 0 };
	grens_access_network *net[GRENS_REPORT_BORDER_SETS] = { 0 };
	grens_access_border *b[GRENS_REPORT_BORDER_SETS] = { 0 };
	grens_access_origin *origins = calloc((size_t)np + 1, sizeof(*origins));
	uint8_t *among = calloc((size_t)np + 1, 1);
	uint32_t *rank = calloc((size_t)np + 1, sizeof(uint32_t));
	grens_report_border_row rows[2 * REPORT_CLI_MAX_CUTOFFS];
	uint32_t norigins = 0, ranked = 0, nrows = 0;
	grens_error err;
	grens_error_clear(&err);
	int code = CLI_EXIT_FAIL;
	if (!origins || !among || !rank) {
		cli_errorf(cmd, "out of memory");
		goto done;
	}
	grens_access_link_options lo0 = GRENS_ACCESS_LINK_OPTIONS_INIT;
	cli_link_args la0;
	cli_link_args_init(&la0);
	places_cli_assumption set[GRENS_REPORT_BORDER_SETS];
	places_cli_assumption_sets(&lo0, &la0, set);
	grens_access_options ao = GRENS_ACCESS_OPTIONS_INIT;
	ao.date = spec->date;
	ao.percentile_count = 2;
	ao.percentiles[0] = 50;
	ao.percentiles[1] = 90;
	ao.cutoff_count = spec->cutoff_count;
	for (unsigned c = 0; c < spec->cutoff_count; c++)
		ao.cutoffs[c] = spec->cutoffs_min[c] * 60;
	for (unsigned k = 0; k < GRENS_REPORT_BORDER_SETS; k++) {
		cli_link_args la = la0;
		la.net.min_change = set[k].min_change;
		la.net.link_min_change = set[k].link_min_change;
		la.net.walk_speed_mps = set[k].footpath_walk_speed_mps;
		grens_access_link_options lo = lo0;
		lo.max_distance_m = set[k].access_distance_m;
		lo.walk_speed_mps = set[k].walk_speed_mps;
		if (cli_net_build(cmd, (const grens_gtfs_feed *const *)feeds, count, &la, links,
				  &tt[k], NULL))
			goto done;
		grens_diag *diag = grens_diag_new();
		int rc = diag ? grens_access_network_new(&net[k], tt[k], places, &lo, diag, &err)
			      : GRENS_ENOMEM;
		grens_diag_free(diag);
		if (rc) {
			code = fail_err(cmd, &err);
			goto done;
		}
		if (k == 0) {
			/* the origin first, then every other place of home with a stop */
			const grens_access_link *l;
			origins[norigins++] = (grens_access_origin){ .place = q };
			for (uint32_t x = 0; x < np; x++)
				if (x != q &&
				    strcmp(grens_access_places_get(places, x)->country, home) == 0 &&
				    grens_access_network_links(net[0], x, &l) > 0)
					origins[norigins++] = (grens_access_origin){ .place = x };
		}
		if (grens_access_border_run(&b[k], net[k], home, origins, norigins, &ao, &err)) {
			code = fail_err(cmd, &err);
			goto done;
		}
	}
	/* the computed index of the origin, and who is ranked */
	const grens_access_result *r0 = grens_access_border_result(b[0], GRENS_ACCESS_VIEW_TODAY);
	uint32_t mine = GRENS_NONE;
	for (uint32_t i = 0; i < grens_access_result_count(r0); i++) {
		const grens_access_link *l;
		uint32_t o = grens_access_result_origin(r0, i);
		among[i] = o != 0 || grens_access_network_links(net[0], q, &l) > 0;
		ranked += among[i];
		if (o == 0)
			mine = i;
	}
	if (mine == GRENS_NONE) {
		cli_errorf(cmd, "the border views of '%s' were not computed", spec->border_origin);
		goto done;
	}
	for (uint32_t p = 0; p < ao.percentile_count; p++)
		for (uint32_t c = 0; c < ao.cutoff_count; c++) {
			grens_report_border_row *row = &rows[nrows++];
			row->percentile = ao.percentiles[p];
			row->cutoff_min = (uint32_t)(ao.cutoffs[c] / 60);
			for (unsigned k = 0; k < GRENS_REPORT_BORDER_SETS; k++) {
				for (unsigned w = 0; w < 3; w++)
					row->value[k][w] = grens_access_border_value(
						b[k], mine, (grens_access_view)w, p, c, 0);
				for (unsigned w = 0; w < 2; w++) {
					grens_access_view v = w ? GRENS_ACCESS_VIEW_TODAY
								: GRENS_ACCESS_VIEW_NATIONAL;
					if (grens_access_border_rank(rank, b[k], among, v, p, c, 0)) {
						cli_errorf(cmd, "out of memory");
						goto done;
					}
					row->rank[k][w] = rank[mine];
				}
			}
		}
	const grens_access_place *pl = grens_access_places_get(places, q);
	grens_report_place origin = { pl->municipality, pl->name, pl->lat, pl->lon };
	if (grens_report_add_border(report, &origin, home, ao.window_start, ao.window_end, ranked,
				    rows, nrows, &err)) {
		code = fail_err(cmd, &err);
		goto done;
	}
	/* The map of the views: every place's median time from the origin
	 * today and, for places at home, in the national view (first set). */
	grens_report_border_place *bp = calloc(np ? np : 1, sizeof(*bp));
	if (!bp) {
		cli_errorf(cmd, "out of memory");
		goto done;
	}
	const grens_access_result *rn = grens_access_border_result(b[0], GRENS_ACCESS_VIEW_NATIONAL);
	for (uint32_t x = 0; x < np; x++) {
		const grens_access_place *px = grens_access_places_get(places, x);
		bool at_home = strcmp(px->country, home) == 0;
		bp[x] = (grens_report_border_place){
			.place = { px->municipality, px->name, px->lat, px->lon },
			.country = px->country,
			.people = px->opportunities[0],
			.today_s = grens_access_result_place_time(r0, mine, 0, x),
			.national_s = at_home ? grens_access_result_place_time(rn, mine, 0, x)
					      : GRENS_ROUTE_UNREACHED,
		};
	}
	int brc = grens_report_add_border_places(report, bp, np, &err);
	free(bp);
	if (brc) {
		code = fail_err(cmd, &err);
		goto done;
	}
	code = CLI_EXIT_OK;
done:
	for (unsigned k = 0; k < GRENS_REPORT_BORDER_SETS; k++) {
		grens_access_border_free(b[k]);
		grens_access_network_free(net[k]);
		grens_net_free(tt[k]);
	}
	free(rank);
	free(among);
	free(origins);
	return code;
}

/* The population sources, one per country in order of first appearance. */
static int add_population(const char *cmd, grens_report *report,
			  const grens_access_places *places)
{
	enum { MAX_COUNTRIES = 16 };
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
		grens_error err;
		grens_error_clear(&err);
		if (grens_report_add_population(report, first[c]->country, count[c], people[c],
						first[c]->reference_date ? first[c]->reference_date
									 : "",
						first[c]->source ? first[c]->source : "", &err))
			return fail_err(cmd, &err);
	}
	return CLI_EXIT_OK;
}

/* One scenario: apply it to the feeds, rebuild, and analyse. */
static int scenario(const char *cmd, const report_cli_spec *spec, grens_report *report,
		    grens_gtfs_feed *const *feeds, uint32_t count, const char *path,
		    const grens_net_links *links, const grens_access_places *places,
		    const grens_access_network *ties, const grens_access_od_result *base)
{
	grens_scenario *sc = NULL;
	grens_scenario_result *res = NULL;
	grens_timetable *tt = NULL;
	grens_error err;
	grens_error_clear(&err);
	grens_diag *diag = grens_diag_new();
	int code = CLI_EXIT_FAIL;
	if (!diag || grens_scenario_load(&sc, path, &err) ||
	    grens_scenario_apply(&res, sc, (const grens_gtfs_feed *const *)feeds, count, diag,
				 &err) ||
	    grens_report_add_scenario(report, grens_scenario_name(sc), grens_scenario_hash(sc),
				      grens_scenario_description(sc), &err)) {
		code = fail_err(cmd, &err);
		goto done;
	}
	uint32_t n;
	const grens_gtfs_feed *const *modified = grens_scenario_result_feeds(res, &n);
	if ((code = build(cmd, NULL, modified, n, links, &tt)) ||
	    (code = analyse(cmd, spec, report, tt, places, grens_scenario_name(sc),
				  base, NULL)))
		goto done;
	if (spec->places_count)
		code = add_access(cmd, spec, report, tt, ties, grens_scenario_name(sc));
done:
	grens_net_free(tt);
	grens_scenario_result_free(res);
	grens_scenario_free(sc);
	grens_diag_free(diag);
	return code;
}

/* One note per realtime file: its time, what it holds, what matched the
 * base network. An unusable file is a note too: realtime never stops a
 * report. */
static int add_realtime(const char *cmd, const report_cli_spec *spec, grens_report *report,
			const grens_timetable *tt, grens_gtfs_feed *const *feeds, unsigned count)
{
	grens_error err;
	for (unsigned i = 0; i < spec->rt_count; i++) {
		char note[sizeof(err.message) + 512], when[64];
		grens_rt_feed *rf = NULL;
		grens_rt_overlay *ov = NULL;
		grens_rt_options opts = GRENS_RT_OPTIONS_INIT;
		grens_error_clear(&err);
		if (!feeds) {
			snprintf(note, sizeof(note),
				 "realtime %s: not used: matching it needs --feed, not --snapshot",
				 spec->rt_names[i]);
		} else if (grens_rt_decode_file(&rf, spec->rt_paths[i], &err) ||
		    grens_rt_apply(&ov, tt, (const grens_gtfs_feed *const *)feeds, count, rf, &opts,
				   NULL, &err)) {
			snprintf(note, sizeof(note), "realtime %s: not used: %s", spec->rt_names[i],
				 err.message);
		} else {
			const grens_rt_feed_summary *h = grens_rt_overlay_header(ov);
			const grens_rt_counts *c = grens_rt_overlay_counts(ov);
			if (h->timestamp && spec->rt_now) {
				char at[32];
				cli_format_utc(h->timestamp, at, sizeof(at));
				snprintf(when, sizeof(when), "%.24s, %lld min old", at,
					 (long long)((spec->rt_now - h->timestamp) / 60));
			} else if (h->timestamp) {
				cli_format_utc(h->timestamp, when, sizeof(when));
			} else {
				snprintf(when, sizeof(when), "no timestamp");
			}
			int n = snprintf(note, sizeof(note),
					 "realtime %s: message of %s; %u trip updates: %u matched "
					 "(%u cancelled), %u unknown trips, %u not running that day, "
					 "%u stale, %u added; %u stop updates, %u skipped stops; "
					 "%u vehicle positions, %u alerts",
					 spec->rt_names[i], when, c->trip_updates, c->matched,
					 c->cancelled, c->unknown_trip, c->no_service_on_date, c->stale,
					 c->added, c->stop_updates, c->skipped_stops,
					 c->vehicle_positions, c->alerts);
			if (n > 0 && (size_t)n < sizeof(note) && c->delay_samples)
				snprintf(note + n, sizeof(note) - (size_t)n,
					 "; delay p50 %d s, p90 %d s, max %d s", c->delay_p50,
					 c->delay_p90, c->delay_max);
		}
		grens_rt_overlay_release(ov);
		grens_rt_feed_free(rf);
		grens_error_clear(&err);
		if (grens_report_add_note(report, note, &err))
			return fail_err(cmd, &err);
	}
	return CLI_EXIT_OK;
}

/* Refuse a date outside the feeds' service periods; a feed without trips
 * that day is a note of the report. */
static int check_date(const char *cmd, const report_cli_spec *spec, grens_report *report,
		      const grens_timetable *tt)
{
	json_t *notes = json_array();
	int code = route_cli_check_date(cmd, tt, spec->date, notes);
	size_t i;
	json_t *note;
	json_array_foreach(notes, i, note) {
		grens_error err;
		grens_error_clear(&err);
		const char *text = json_string_value(json_object_get(note, "message"));
		if (!code && text && grens_report_add_note(report, text, &err))
			code = fail_err(cmd, &err);
	}
	json_decref(notes);
	return code;
}

/* The feeds' provenance: hashed now, or as the snapshot recorded it. */
static int add_feeds(grens_report *report, const cli_source *src, grens_error *err)
{
	for (unsigned i = 0; !src->snapshot && i < src->count; i++) {
		const grens_gtfs_feed *f = src->feeds[i];
		const grens_gtfs_feed_info *fi = &f->feed_info;
		int rc = grens_report_add_feed(
		    report, f->name, f->path, fi->present && fi->version ? fi->version : "",
		    fi->present && fi->publisher_name ? fi->publisher_name : "", err);
		if (rc)
			return rc;
	}
	size_t i;
	json_t *feed;
	json_array_foreach(src->snapshot ? json_object_get(src->provenance, "feeds") : NULL, i,
			   feed) {
		char *text = json_dumps(feed, JSON_COMPACT | JSON_PRESERVE_ORDER);
		int rc = grens_report_add_feed_provenance(report, text, err);
		free(text);
		if (rc)
			return rc;
	}
	return 0;
}

int report_cli_fill(const char *cmd, const report_cli_spec *given, grens_report *report)
{
	report_cli_spec chosen = *given; /* with the date chosen when none is given */
	const report_cli_spec *spec = &chosen;
	cli_source src;
	memset(&src, 0, sizeof(src));
	grens_timetable *tt = NULL;
	grens_access_places *places = NULL;
	grens_access_network *ties = NULL;
	grens_net_links *links = NULL;
	grens_access_od_result *base = NULL; /* the base's pairs, for the savings */
	grens_error err;
	grens_error_clear(&err);
	cli_link_args link;
	cli_link_args_init(&link);
	cli_feed_list list = spec->feeds;
	int code = CLI_EXIT_FAIL;
	if ((spec->links && cli_link_option(cmd, "--links", spec->links, &link)) ||
	    (!list.snapshot && cli_links_load(cmd, &link, &links)))
		goto done;
	/* An empty table when there are no places files: the station map
	 * needs one. */
	if (grens_access_places_new(&places, &err))
		goto fail;
	if (places_cli_read(cmd, spec->places, spec->places_count, places))
		goto done;
	if ((code = cli_source_load(cmd, &list, &link, &src)))
		goto done;
	code = CLI_EXIT_FAIL;
	if (chosen.date == GRENS_DATE_NONE) {
		chosen.date = cli_source_busiest_date(&src, 1);
		if (chosen.date == GRENS_DATE_NONE) {
			cli_errorf(cmd, "the feeds have no service dates; give --date");
			goto done;
		}
	}
	if (grens_report_set_query(report, spec->date, spec->t0, spec->t1, spec->step,
				   spec->threshold, &err))
		goto fail;
	if (add_feeds(report, &src, &err))
		goto fail;
	if ((code = build(cmd, &src, NULL, 0, links, &tt)) ||
	    (code = check_date(cmd, spec, report, tt)))
		goto done;
	if (spec->places_count && ((code = add_population(cmd, report, places)) ||
				   (code = tie_places(cmd, report, tt, places, &ties))))
		goto done;
	/* the border views rebuild the feeds with their cut: not on a snapshot */
	if ((spec->places_count && spec->border_origin && !src.snapshot &&
	     (code = add_border(cmd, spec, report, src.feeds, src.count, links, places))) ||
	    (spec->places_count &&
	     (code = nl_only(cmd, spec, report, &src, links, ties))) ||
	    (code = analyse(cmd, spec, report, tt, places, "base", NULL, &base)) ||
	    (code = add_realtime(cmd, spec, report, tt, src.snapshot ? NULL : src.feeds,
				 src.count)) ||
	    (spec->places_count && (code = add_access(cmd, spec, report, tt, ties, "linked"))))
		goto done;
	for (unsigned i = 0; i < spec->scenario_count; i++)
		if ((code = scenario(cmd, spec, report, src.feeds, src.count, spec->scenarios[i],
				     links, places, ties, base)))
			goto done;
	grens_access_network_free(ties);
	ties = NULL;
	grens_net_free(tt);
	tt = NULL;
	if (!spec->places_count && (code = grens_report_add_note(
				report, "no places file: reachable population not computed", &err)))
		goto fail;
	code = CLI_EXIT_OK;
	goto done;
fail:
	code = fail_err(cmd, &err);
done:
	grens_access_network_free(ties);
	grens_net_free(tt);
	grens_access_places_free(places);
	grens_net_links_free(links);
	cli_source_free(&src);
	grens_access_od_result_free(base);
	return code;
}
