/* The border, measured three ways (access.h "the border"): the linked
 * network cut at the home country's border and the network as it is, with
 * places tied to stops once, on the network as it is. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "access_internal.h"

struct grens_access_border {
	char home[8];
	grens_timetable *cut;
	grens_access_network *cut_net;
	grens_access_result *on_cut, *today;
	uint8_t *domestic_place; /* [places] place in the home country */
	uint32_t stops_kept, trips_today, trips_cut;
	double *national; /* [count][percentiles][cutoffs][kinds] */
};

/* net's ties less those to stops the cut does not keep: the same ties in
 * both networks, so that adding the cross-border network can only make a
 * place easier to reach. */
static int restrict_network(grens_access_network **out, const grens_access_network *net,
			    const grens_timetable *cut, const uint8_t *keep)
{
	uint32_t np = grens_access_places_count(net->places);
	grens_access_network *r = calloc(1, sizeof(*r));
	if (!r)
		return GRENS_ENOMEM;
	r->tt = cut;
	r->places = net->places;
	r->link_offset = calloc((size_t)np + 1, sizeof(uint32_t));
	r->links = calloc((size_t)net->link_offset[np] + 1, sizeof(grens_access_link));
	if (!r->link_offset || !r->links) {
		grens_access_network_free(r);
		return GRENS_ENOMEM;
	}
	uint32_t used = 0;
	for (uint32_t p = 0; p < np; p++) {
		r->link_offset[p] = used;
		for (uint32_t i = net->link_offset[p]; i < net->link_offset[p + 1]; i++)
			if (keep[net->links[i].stop])
				r->links[used++] = net->links[i];
	}
	r->link_offset[np] = used;
	*out = r;
	return 0;
}

void grens_access_border_free(grens_access_border *b)
{
	if (!b)
		return;
	grens_access_result_free(b->on_cut);
	grens_access_result_free(b->today);
	grens_access_network_free(b->cut_net);
	grens_net_free(b->cut);
	free(b->domestic_place);
	free(b->national);
	free(b);
}

/* View 1 from the run on the cut network: the same sums as the run's, over
 * the places of the home country only. */
static void national_sums(grens_access_border *b, const grens_access_places *places)
{
	const grens_access_options *o = grens_access_result_options(b->on_cut);
	uint32_t n = grens_access_result_count(b->on_cut), np = grens_access_places_count(places);
	uint32_t P = o->percentile_count, C = o->cutoff_count;
	uint32_t K = grens_access_places_kind_count(places);
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t p = 0; p < P; p++)
			for (uint32_t q = 0; q < np; q++) {
				if (!b->domestic_place[q])
					continue;
				int32_t t = grens_access_result_place_time(b->on_cut, i, p, q);
				const double *v = grens_access_places_get(places, q)->opportunities;
				for (uint32_t c = 0; c < C; c++) {
					double w = grens_access_decay_weight(
					    o->decay, o->decay_param, o->cutoffs[c], t);
					if (w == 0.0)
						continue;
					double *sum = b->national + (((size_t)i * P + p) * C + c) * K;
					for (uint32_t k = 0; k < K; k++)
						sum[k] += w * v[k];
				}
			}
}

int grens_access_border_run(grens_access_border **out, const grens_access_network *today,
			    const char *home, const grens_access_origin *origins,
			    uint32_t origin_count, const grens_access_options *opts,
			    grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_border_run: out is NULL");
	if (!origins && origin_count)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_access_border_run: origins is NULL");
	if (opts && opts->version != GRENS_ACCESS_OPTIONS_VERSION)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_access_border_run: options version %u, not %u "
				       "(GRENS_ACCESS_OPTIONS_INIT)",
				       opts->version, GRENS_ACCESS_OPTIONS_VERSION);
	*out = NULL;
	if (!today || !home || !opts || strlen(home) != 2)
		return grens_error_set(err, GRENS_EARG, "the border needs a network and a home "
							"country (two letters)");
	const grens_timetable *tt = today->tt;
	const grens_access_places *places = today->places;
	uint32_t np = grens_access_places_count(places);
	int rc = GRENS_ENOMEM;
	uint8_t *keep = NULL;
	grens_access_border *b = calloc(1, sizeof(*b));
	if (!b)
		goto nomem;
	memcpy(b->home, home, 3);
	keep = calloc((size_t)tt->stop_count + 1, 1);
	b->domestic_place = calloc((size_t)np + 1, 1);
	if (!keep || !b->domestic_place)
		goto nomem;
	b->stops_kept = grens_net_stops_in_country(tt, home, keep);
	for (uint32_t q = 0; q < np; q++)
		b->domestic_place[q] = strcmp(grens_access_places_get(places, q)->country, home) == 0;
	if ((rc = grens_net_cut(&b->cut, tt, keep, err)))
		goto fail;
	b->trips_today = tt->trip_count;
	b->trips_cut = b->cut->trip_count;
	if ((rc = restrict_network(&b->cut_net, today, b->cut, keep)))
		goto nomem;
	if ((rc = grens_access_run(&b->today, today, origins, origin_count, opts, err)) ||
	    (rc = grens_access_run(&b->on_cut, b->cut_net, origins, origin_count, opts, err)))
		goto fail;
	size_t cells;
	uint32_t n = grens_access_result_count(b->on_cut);
	if (grens_size_mul((size_t)n * opts->percentile_count * opts->cutoff_count,
			   (size_t)grens_access_places_kind_count(places) + 1, &cells)) {
		rc = grens_error_set(err, GRENS_ELIMIT, "border result too large");
		goto fail;
	}
	b->national = calloc(cells, sizeof(double));
	if (!b->national)
		goto nomem;
	national_sums(b, places);
	free(keep);
	*out = b;
	return 0;
nomem:
	rc = grens_error_set(err, GRENS_ENOMEM, "out of memory for the border views");
fail:
	free(keep);
	grens_access_border_free(b);
	return rc;
}

const grens_access_result *grens_access_border_result(const grens_access_border *b,
						      grens_access_view view)
{
	if (!b)
		return NULL; /* NULL not allowed: docs/api.md */
	return view == GRENS_ACCESS_VIEW_TODAY ? b->today : b->on_cut;
}

const grens_access_network *grens_access_border_network(const grens_access_border *b)
{
	if (!b)
		return NULL; /* NULL not allowed: docs/api.md */
	return b->cut_net;
}

void grens_access_border_counts(const grens_access_border *b, uint32_t *stops_kept,
				uint32_t *trips_today, uint32_t *trips_cut)
{
	if (!b || !stops_kept || !trips_today || !trips_cut)
		return; /* NULL not allowed: docs/api.md */
	*stops_kept = b->stops_kept;
	*trips_today = b->trips_today;
	*trips_cut = b->trips_cut;
}

double grens_access_border_value(const grens_access_border *b, uint32_t i, grens_access_view view,
				 uint32_t p, uint32_t c, uint32_t kind)
{
	if (!b)
		return 0.0; /* NULL not allowed: docs/api.md */
	if (view == GRENS_ACCESS_VIEW_TODAY)
		return grens_access_result_opportunities(b->today, i, p, c, kind);
	if (view == GRENS_ACCESS_VIEW_CLOSED_BORDER)
		return grens_access_result_opportunities(b->on_cut, i, p, c, kind);
	const grens_access_options *o = grens_access_result_options(b->on_cut);
	uint32_t K = grens_access_places_kind_count(b->cut_net->places);
	if (i >= grens_access_result_count(b->on_cut) || p >= o->percentile_count ||
	    c >= o->cutoff_count || kind >= K)
		return NAN;
	return b->national[(((size_t)i * o->percentile_count + p) * o->cutoff_count + c) * K +
			   kind];
}

int grens_access_border_rank(uint32_t *rank, const grens_access_border *b, const uint8_t *among,
			     grens_access_view view, uint32_t p, uint32_t c, uint32_t kind)
{
	if (!rank || !b)
		return GRENS_EINVAL; /* NULL not allowed: docs/api.md */
	uint32_t n = grens_access_result_count(b->today);
	/* competition ranking (1 = most; equal values share the better rank)
	 * by counting: n is a few hundred municipalities */
	for (uint32_t i = 0; i < n; i++) {
		rank[i] = 0;
		if (among && !among[i])
			continue;
		double v = round(grens_access_border_value(b, i, view, p, c, kind));
		uint32_t more = 0;
		for (uint32_t j = 0; j < n; j++)
			if ((!among || among[j]) &&
			    round(grens_access_border_value(b, j, view, p, c, kind)) > v)
				more++;
		rank[i] = more + 1;
	}
	return 0;
}
