/* The report job's border views of one place (grens access --border-effect
 * --rank --sensitivity, grens-access(1), BORDER EFFECT). */
#include <stdlib.h>
#include <string.h>

#include "job.h"

/* Each assumption set builds the network and ties the places anew; the
 * origin is ranked among the places of home tied to a stop under the
 * central set. The departures are those of grens access
 * (GRENS_ACCESS_OPTIONS_INIT), so both quote the same numbers. */
int job_add_border(const job_fill *jf)
{
	const grens_report_job *job = jf->job;
	const grens_access_places *places = job->places;
	grens_error *err = jf->err;
	const char *home = "NL";
	uint32_t np = grens_access_places_count(places);
	uint32_t q = grens_access_places_find(places, job->border_origin);
	if (q == GRENS_NONE || strcmp(grens_access_places_get(places, q)->country, home) != 0)
		return grens_error_set(err, GRENS_ENOTFOUND,
				       "--border-origin '%s' is not a place in %s of the places "
				       "files",
				       job->border_origin, home);
	grens_timetable *tt[GRENS_REPORT_BORDER_SETS] = { 0 };
	grens_access_network *net[GRENS_REPORT_BORDER_SETS] = { 0 };
	grens_access_border *b[GRENS_REPORT_BORDER_SETS] = { 0 };
	grens_access_origin *origins = calloc((size_t)np + 1, sizeof(*origins));
	uint8_t *among = calloc((size_t)np + 1, 1);
	uint32_t *rank = calloc((size_t)np + 1, sizeof(uint32_t));
	grens_report_border_place *bp = NULL;
	grens_report_border_row rows[2 * GRENS_REPORT_JOB_MAX_CUTOFFS];
	uint32_t norigins = 0, ranked = 0, nrows = 0;
	int rc = 0;
	if (!origins || !among || !rank) {
		rc = job_nomem(err);
		goto done;
	}
	grens_access_options ao = GRENS_ACCESS_OPTIONS_INIT;
	ao.date = job->date;
	ao.percentile_count = 2;
	ao.percentiles[0] = 50;
	ao.percentiles[1] = 90;
	ao.cutoff_count = job->cutoff_count;
	for (uint32_t c = 0; c < job->cutoff_count; c++)
		ao.cutoffs[c] = (int32_t)job->cutoffs_min[c] * 60;
	for (unsigned k = 0; k < GRENS_REPORT_BORDER_SETS; k++) {
		const grens_report_access_assumption *set = &job->border_sets[k];
		grens_net_options no = job->source.options;
		no.default_min_change = set->min_change;
		no.link_min_change = set->link_min_change;
		no.walk_speed_mps = set->footpath_walk_speed_mps;
		grens_access_link_options lo = GRENS_ACCESS_LINK_OPTIONS_INIT;
		lo.max_distance_m = set->access_distance_m;
		lo.walk_speed_mps = set->walk_speed_mps;
		if ((rc = job_build(jf, job->source.feeds, job->source.feed_count, &no, &tt[k])))
			goto done;
		grens_diag *diag = grens_diag_new();
		rc = diag ? grens_access_network_new(&net[k], tt[k], places, &lo, diag, err)
			  : job_nomem(err);
		grens_diag_free(diag);
		if (rc)
			goto done;
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
		if ((rc = grens_access_border_run(&b[k], net[k], home, origins, norigins, &ao,
						  err)))
			goto done;
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
		rc = grens_error_set(err, GRENS_EARG, "the border views of '%s' were not computed",
				     job->border_origin);
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
						rc = job_nomem(err);
						goto done;
					}
					row->rank[k][w] = rank[mine];
				}
			}
		}
	const grens_access_place *pl = grens_access_places_get(places, q);
	grens_report_place origin = { pl->municipality, pl->name, pl->lat, pl->lon };
	if ((rc = grens_report_add_border(jf->report, &origin, home, ao.window_start,
					  ao.window_end, ranked, rows, nrows, err)))
		goto done;
	/* The map of the views: every place's median time from the origin
	 * today and, for places at home, in the national view (first set). */
	bp = calloc(np ? np : 1, sizeof(*bp));
	if (!bp) {
		rc = job_nomem(err);
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
	rc = grens_report_add_border_places(jf->report, bp, np, err);
done:
	for (unsigned k = 0; k < GRENS_REPORT_BORDER_SETS; k++) {
		grens_access_border_free(b[k]);
		grens_access_network_free(net[k]);
		grens_net_free(tt[k]);
	}
	free(bp);
	free(rank);
	free(among);
	free(origins);
	return rc;
}
