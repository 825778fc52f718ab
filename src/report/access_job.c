/* The access job (grens_report_access_run): what grens access computes,
 * from the timetables of a source to the document with its meta, so that
 * the command line and a server give the same document for one question.
 *
 * Places are tied once, on the network with the most in it, and every other
 * side reuses those ties: the feeds as they are for a scenario (an edit of
 * them, which may remove service), the schedule for realised times and, in
 * a plain run, the only side. The border views tie on the linked network
 * and cut it themselves (grens_access_border_run). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "grens/gtfs.h"
#include "grens/scenario.h"
#include "job_common.h"
#include "report_internal.h"

static const char *const set_names[GRENS_REPORT_BORDER_SETS] = {"central", "low", "high"};
static const char *const view_keys[3] = {"national", "closed_border", "today"};

/* One run of the job: what is asked, with the options resolved, where
 * notices and errors go, and the notes of the date (made on the first
 * timetable built). */
typedef struct job_run {
	const grens_report_access_job *job;
	grens_access_options opts;
	grens_diag *diag;
	grens_error *err;
	json_t *notes;
} job_run;

static int nomem(grens_error *err)
{
	return grens_error_set(err, GRENS_ENOMEM, "out of memory");
}

/* ---- timetables and the date ------------------------------------------------------------ */

/* The feeds without trips on the date into r->notes and r->diag; a date
 * the feeds do not serve at all is GRENS_ENOTFOUND (not a usage error: the
 * feeds, not the question, decide it). */
static int check_date(job_run *r, const grens_timetable *tt)
{
	grens_net_date_note *found = calloc(tt->feed_count + 1, sizeof(*found));
	uint32_t n = 0;
	r->notes = json_array();
	if (!found || !r->notes) {
		free(found);
		return nomem(r->err);
	}
	int rc = grens_net_check_date(tt, r->opts.date, found, tt->feed_count, &n, r->err);
	if (rc) {
		free(found);
		if (rc == GRENS_EARG && r->err)
			r->err->code = GRENS_ENOTFOUND;
		return rc == GRENS_EARG ? GRENS_ENOTFOUND : rc;
	}
	char day[16];
	grens_date_format_iso(r->opts.date, day, sizeof(day));
	for (uint32_t i = 0; i < n; i++) {
		grens_diag_add(r->diag, "no_service_on_date", GRENS_SEVERITY_WARNING, "", 0, NULL,
			       "%s", found[i].message);
		json_array_append_new(r->notes,
				      json_pack("{s:s, s:s, s:s, s:s}", "code",
						"no_service_on_date", "date", day, "feed",
						grens_net_str(tt, tt->feed_name[found[i].feed]),
						"message", found[i].message));
	}
	free(found);
	return 0;
}

/* A timetable of src (opts NULL: its own options) into *out; the linking
 * warnings go to the job's diag, the other notices of building are
 * dropped. The first timetable built checks the date. */
static int build(job_run *r, const grens_net_source *src, const grens_net_options *opts,
		 grens_timetable **out)
{
	grens_diag *own = grens_diag_new();
	if (!own)
		return nomem(r->err);
	int rc = grens_net_source_build(out, src, opts, own, r->err);
	for (size_t i = 0; i < grens_diag_kept_count(own); i++) {
		const grens_notice *no = grens_diag_kept(own, i);
		if (no->severity >= GRENS_SEVERITY_WARNING && strncmp(no->code, "link", 4) == 0)
			grens_diag_add(r->diag, no->code, no->severity, no->file, no->line,
				       no->field, "%s", no->message);
	}
	grens_diag_free(own);
	if (rc)
		return rc;
	return r->notes ? 0 : check_date(r, *out);
}

/* Tie the places to tt's stops (notices of places without a stop are
 * dropped: a place outside the feeds' area is normal, and the tie counts
 * in meta say how many there are). */
static int tie(job_run *r, const grens_timetable *tt, const grens_access_link_options *link,
	       grens_access_network **out)
{
	grens_diag *diag = grens_diag_new();
	if (!diag)
		return nomem(r->err);
	int rc = grens_access_network_new(out, tt, r->job->places, link, diag, r->err);
	grens_diag_free(diag);
	return rc;
}

/* ---- origins ---------------------------------------------------------------------------- */

typedef struct origin_set {
	grens_access_origin *o;
	uint32_t count;
	uint32_t *stops; /* [from_count * GRENS_ROUTE_MAX_ENDPOINTS] storage for stop origins */
} origin_set;

static void origin_set_free(origin_set *s)
{
	free(s->o);
	free(s->stops);
	memset(s, 0, sizeof(*s));
}

/* The origins as given (places, else stops of tt), or every place. */
static int make_origins(job_run *r, const grens_timetable *tt, origin_set *s)
{
	const grens_report_access_job *job = r->job;
	uint32_t np = grens_access_places_count(job->places);
	uint32_t n = job->from_count ? job->from_count : np;
	s->o = calloc((size_t)n + 1, sizeof(*s->o));
	s->count = n;
	if (!s->o)
		return nomem(r->err);
	if (!job->from_count) {
		for (uint32_t i = 0; i < np; i++)
			s->o[i].place = i;
		return 0;
	}
	s->stops = calloc((size_t)job->from_count * GRENS_ROUTE_MAX_ENDPOINTS, sizeof(uint32_t));
	if (!s->stops)
		return nomem(r->err);
	for (uint32_t i = 0; i < job->from_count; i++) {
		uint32_t p = grens_access_places_find(job->places, job->from[i]);
		if (p != GRENS_NONE) {
			s->o[i].place = p;
			continue;
		}
		uint32_t *st = s->stops + (size_t)i * GRENS_ROUTE_MAX_ENDPOINTS, k = 0;
		int rc = report_job_stops(tt, "--from", job->from[i], st,
					  GRENS_ROUTE_MAX_ENDPOINTS, &k, r->err);
		if (rc)
			return rc;
		s->o[i].place = GRENS_NONE;
		s->o[i].stops = st;
		s->o[i].stop_count = k;
	}
	return 0;
}

/* ---- the meta ----------------------------------------------------------------------------- */

static json_t *count_json(double v)
{
	return json_integer((json_int_t)llround(v));
}

/* {"walk": {"places", "population"}, "bike": ..., "feeder": ..., "none": ...} */
static json_t *ties_json(const grens_access_network *net)
{
	grens_access_tie_summary s;
	grens_access_network_summary(net, &s);
	json_t *j = json_object();
	/* the modes in the order a place tries them, then the untied */
	static const grens_access_mode order[] = {GRENS_ACCESS_MODE_WALK, GRENS_ACCESS_MODE_BIKE,
						  GRENS_ACCESS_MODE_FEEDER,
						  GRENS_ACCESS_MODE_NONE};
	for (unsigned i = 0; j && i < 4; i++) {
		grens_access_mode m = order[i];
		json_object_set_new(j, grens_access_mode_name(m),
				    json_pack("{s:i, s:o}", "places", (json_int_t)s.places[m],
					      "population", count_json(s.population[m])));
	}
	return j;
}

/* meta.access: how places reach their stops. */
static json_t *link_json(const grens_access_link_options *o)
{
	json_t *modes = json_array();
	for (unsigned m = GRENS_ACCESS_MODE_WALK; m < GRENS_ACCESS_MODE_COUNT; m++)
		if (o->modes & GRENS_ACCESS_MODE_BIT(m))
			json_array_append_new(modes, json_string(grens_access_mode_name(m)));
	return json_pack("{s:o, s:f, s:i, s:f, s:f, s:i, s:f, s:f, s:i, s:s, s:f, s:f, s:i}",
			 "modes", modes, "max_distance_m", o->max_distance_m, "max_stops",
			 (json_int_t)o->max_stops, "walk_speed_mps", o->walk_speed_mps,
			 "detour_factor", o->detour_factor, "access_time_s",
			 (json_int_t)o->access_time, "bike_speed_mps", o->bike_speed_mps,
			 "bike_max_distance_m", o->bike_max_distance_m, "bike_park_s",
			 (json_int_t)o->bike_park_s, "bike_countries",
			 o->bike_countries ? o->bike_countries : "", "feeder_speed_kmh",
			 o->feeder_speed_mps * 3.6, "feeder_max_distance_m",
			 o->feeder_max_distance_m, "feeder_wait_s", (json_int_t)o->feeder_wait_s);
}

static const char *decay_name(const grens_access_options *o, char *buf, size_t n)
{
	switch (o->decay) {
	case GRENS_ACCESS_DECAY_LINEAR:
		snprintf(buf, n, "linear:%d", o->decay_param / 60);
		return buf;
	case GRENS_ACCESS_DECAY_EXP:
		snprintf(buf, n, "exp:%d", o->decay_param / 60);
		return buf;
	default:
		return "step";
	}
}

/* The names of the source's feeds, as loaded or as the snapshot has them. */
static uint32_t feed_names(const grens_net_source *src, const char **names, uint32_t cap)
{
	uint32_t n = 0;
	if (src->snapshot) {
		const grens_timetable *tt = src->snapshot;
		for (uint32_t f = 0; f < tt->feed_count && n < cap; f++)
			names[n++] = grens_net_str(tt, tt->feed_name[f]);
		return n;
	}
	for (uint32_t i = 0; i < src->feed_count && n < cap; i++)
		names[n++] = src->feeds[i] ? src->feeds[i]->name : "";
	return n;
}

/* A comparison's sides in meta: its kind, the two networks' names and how
 * the base was tied. */
typedef struct meta_comparison {
	const char *kind, *base, *alternative;
	const grens_access_network *base_ties;
} meta_comparison;

/* Everything that must be equal for shards to belong to one run. */
static json_t *make_meta(const job_run *r, const char *const *names, uint32_t nfeeds,
			 uint32_t origins_total, const meta_comparison *cmp,
			 const grens_access_network *ties)
{
	const grens_report_access_job *job = r->job;
	const grens_access_options *o = &r->opts;
	const grens_access_places *places = job->places;
	char wbuf[64], t0[16], t1[16], dbuf[32];
	grens_time_format(o->window_start, t0, sizeof(t0));
	grens_time_format(o->window_end, t1, sizeof(t1));
	snprintf(wbuf, sizeof(wbuf), "%.5s-%.5s", t0, t1);
	json_t *feeds = json_array(), *cut = json_array(), *pct = json_array(),
	       *kinds = json_array(), *pfiles = json_array(), *from = json_array();
	for (uint32_t i = 0; i < nfeeds; i++)
		json_array_append_new(feeds, json_string(names[i]));
	for (uint32_t i = 0; i < o->cutoff_count; i++)
		json_array_append_new(cut, json_integer(o->cutoffs[i] / 60));
	for (uint32_t i = 0; i < o->percentile_count; i++)
		json_array_append_new(pct, json_integer(o->percentiles[i]));
	for (uint32_t i = 0; i < grens_access_places_kind_count(places); i++)
		json_array_append_new(kinds, json_string(grens_access_places_kind(places, i)));
	for (uint32_t i = 0; i < job->places_file_count; i++) {
		const char *slash = strrchr(job->places_files[i], '/');
		json_array_append_new(pfiles,
				      json_string(slash ? slash + 1 : job->places_files[i]));
	}
	for (uint32_t i = 0; i < job->from_count; i++)
		json_array_append_new(from, json_string(job->from[i]));
	char decay[32];
	json_t *meta = json_pack(
	    "{s:s, s:s, s:o, s:s, s:s, s:i, s:o, s:o, s:s, s:o, s:o, s:i, s:o, s:o, s:i, s:i, s:o}",
	    "command", "grens access", "version", grens_version(), "feeds", feeds, "date",
	    (grens_date_format_iso(o->date, dbuf, sizeof(dbuf)), dbuf), "window", wbuf, "step_s",
	    (json_int_t)o->step, "cutoffs_min", cut, "percentiles", pct, "decay",
	    decay_name(o, decay, sizeof(decay)), "kinds", kinds, "places_files", pfiles, "places",
	    (json_int_t)grens_access_places_count(places), "unplaced",
	    json_pack("{s:i, s:o}", "municipalities",
		      (json_int_t)grens_access_places_unplaced_count(places), "population",
		      count_json(grens_access_places_unplaced(places, 0))),
	    "from", from, "origins_total", (json_int_t)origins_total, "max_transfers",
	    (json_int_t)o->route.max_transfers, "access", link_json(&job->link));
	/* how the places were tied (the ties every other side reuses) */
	if (meta)
		json_object_set_new(json_object_get(meta, "access"), "ties", ties_json(ties));
	if (meta)
		json_object_set_new(meta, "max_duration_min",
				    json_integer((o->max_duration + 59) / 60));
	if (meta && cmp)
		json_object_set_new(meta, "comparison",
				    json_pack("{s:s, s:s, s:s, s:o}", "kind", cmp->kind, "base",
					      cmp->base, "alternative", cmp->alternative,
					      "base_ties", ties_json(cmp->base_ties)));
	if (meta && job->scenario)
		json_object_set_new(meta, "scenario",
				    json_pack("{s:s, s:s}", "name",
					      grens_scenario_name(job->scenario), "sha256",
					      grens_scenario_hash(job->scenario)));
	if (meta)
		json_object_set(meta, "notes", r->notes);
	/* last, so that merge (which drops and sets it again) keeps the order */
	if (meta)
		json_object_set_new(meta, "shard",
				    json_pack("{s:i, s:i}", "index", (json_int_t)o->shard_index,
					      "count", (json_int_t)o->shard_count));
	return meta;
}

/* meta (taken) as a document without origins: exact reals, so that the
 * document renders the numbers meta holds. */
static int new_doc(json_t *meta, grens_report_access **out, grens_error *err)
{
	char *text = meta ? json_dumps(meta, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)) : NULL;
	json_decref(meta);
	if (!text)
		return grens_error_set(err, GRENS_ENOMEM, "cannot build the output");
	int rc = grens_report_access_new(out, text, strlen(text), err);
	free(text);
	return rc;
}

/* ---- the border ----------------------------------------------------------------------- */

static json_t *assumption_json(const grens_report_access_assumption *s,
			       const grens_access_link_options *l)
{
	return json_pack("{s:f, s:i, s:f, s:f, s:i, s:f, s:i, s:i}", "access_distance_m",
			 s->access_distance_m, "access_stops", (json_int_t)l->max_stops,
			 "walk_speed_mps", s->walk_speed_mps, "detour_factor", l->detour_factor,
			 "access_time_s", (json_int_t)l->access_time, "footpath_walk_speed_mps",
			 s->footpath_walk_speed_mps, "min_change_s", (json_int_t)s->min_change,
			 "link_min_change_s", (json_int_t)s->link_min_change);
}

typedef struct border_side {
	grens_timetable *tt;
	grens_access_network *net;
	grens_access_border *b;
} border_side;

static void border_side_free(border_side *s)
{
	grens_access_border_free(s->b);
	grens_access_network_free(s->net);
	grens_net_free(s->tt);
	memset(s, 0, sizeof(*s));
}

static bool place_at_home(const job_run *r, uint32_t q)
{
	return strcmp(grens_access_places_get(r->job->places, q)->country, r->job->home) == 0;
}

/* The ranked and shown origins of a border run (border_origins). */
typedef struct border_origin_set {
	origin_set set;
	uint32_t shown, ranked;
	uint8_t *among; /* [set.count]: ranked */
} border_origin_set;

/* The origins of a border run: first those shown (from, else every place
 * of home, or with rank those with a stop), then for rank the other places
 * of home with a stop. among[i] marks the ranked ones (each place once). */
static int border_origins(job_run *r, const grens_timetable *tt, const grens_access_network *net,
			  border_origin_set *bo)
{
	const grens_report_access_job *job = r->job;
	const grens_access_places *places = job->places;
	origin_set *s = &bo->set;
	uint32_t np = grens_access_places_count(places);
	int rc = 0;
	uint8_t *seen = calloc((size_t)np + 1, 1);
	grens_access_origin *all = NULL;
	if (!seen)
		goto nomem;
	if (job->from_count) {
		if ((rc = make_origins(r, tt, s)))
			goto done;
		for (uint32_t i = 0; i < s->count; i++) {
			const grens_access_origin *o = &s->o[i];
			const char *c = o->place != GRENS_NONE
					    ? grens_access_places_get(places, o->place)->country
					    : grens_geo_country(tt->stop_lat[o->stops[0]],
								tt->stop_lon[o->stops[0]]);
			if (strcmp(c, job->home) != 0) {
				rc = grens_error_set(r->err, GRENS_EARG,
						     "--border-effect measures origins in %s "
						     "(--home); '%s' is in %s",
						     job->home, job->from[i],
						     *c ? c : "another country");
				goto done;
			}
		}
	} else {
		s->o = calloc((size_t)np + 1, sizeof(*s->o));
		if (!s->o)
			goto nomem;
		s->count = 0;
		for (uint32_t q = 0; q < np; q++) {
			const grens_access_link *l;
			if (place_at_home(r, q) &&
			    (!job->rank || grens_access_network_links(net, q, &l) > 0))
				s->o[s->count++].place = q;
		}
		if (s->count == 0) {
			rc = grens_error_set(r->err, GRENS_EARG,
					     "no place of the places files is in %s (--home)",
					     job->home);
			goto done;
		}
	}
	bo->shown = s->count;
	all = calloc((size_t)s->count + np + 1, sizeof(*all));
	bo->among = calloc((size_t)s->count + np + 1, 1);
	if (!all || !bo->among)
		goto nomem;
	memcpy(all, s->o, (size_t)s->count * sizeof(*all));
	uint32_t n = s->count;
	bo->ranked = 0;
	for (uint32_t pass = 0; job->rank && pass < 2; pass++) {
		/* the shown origins first, then the others of the home country */
		for (uint32_t i = 0; i < (pass == 0 ? s->count : np); i++) {
			uint32_t q = pass == 0 ? all[i].place : i;
			const grens_access_link *l;
			if (q == GRENS_NONE || seen[q] || !place_at_home(r, q) ||
			    grens_access_network_links(net, q, &l) == 0)
				continue;
			seen[q] = 1;
			if (pass == 1)
				all[n++] = (grens_access_origin){.place = q};
			bo->among[pass == 0 ? i : n - 1] = 1;
			bo->ranked++;
		}
	}
	free(s->o);
	s->o = all;
	s->count = n;
	all = NULL;
	goto done;
nomem:
	rc = nomem(r->err);
done:
	free(all);
	free(seen);
	return rc;
}

/* Build, tie and run one assumption set; the first set chooses the
 * origins. */
static int border_side_run(job_run *r, border_side *side, const grens_report_access_assumption *set,
			   border_origin_set *bo)
{
	const grens_report_access_job *job = r->job;
	grens_net_options no = job->source.options;
	no.default_min_change = set->min_change;
	no.link_min_change = set->link_min_change;
	no.walk_speed_mps = set->footpath_walk_speed_mps;
	/* a snapshot is one timetable, built with the central set's options */
	int rc = build(r, &job->source, job->source.snapshot ? NULL : &no, &side->tt);
	if (rc)
		return rc;
	grens_access_link_options lo = job->link;
	lo.max_distance_m = set->access_distance_m;
	lo.walk_speed_mps = set->walk_speed_mps;
	if ((rc = tie(r, side->tt, &lo, &side->net)))
		return rc;
	if (!bo->set.o && (rc = border_origins(r, side->tt, side->net, bo)))
		return rc;
	return grens_access_border_run(&side->b, side->net, job->home, bo->set.o, bo->set.count,
				       &r->opts, r->err);
}

/* The border run: every assumption set, then one document. */
static int border_run(job_run *r, const char *const *names, uint32_t nfeeds,
		      grens_report_access **out)
{
	const grens_report_access_job *job = r->job;
	border_side sides[GRENS_REPORT_BORDER_SETS] = {0};
	border_origin_set bo = {0};
	uint32_t nsets = job->sensitivity ? GRENS_REPORT_BORDER_SETS : 1;
	int rc = 0;
	for (uint32_t s = 0; s < nsets; s++) {
		if ((rc = border_side_run(r, &sides[s], &job->sets[s], &bo)))
			goto done;
		if (sides[s].tt->stop_count != sides[0].tt->stop_count) {
			/* the sets change times, not stops: origins given as stops
			 * must mean the same stops in every set */
			rc = grens_error_set(r->err, GRENS_EFORMAT,
					     "the assumption sets built different stops");
			goto done;
		}
	}
	json_t *meta = make_meta(r, names, nfeeds, bo.shown, NULL, sides[0].net);
	uint32_t kept, trips, trips_cut;
	grens_access_border_counts(sides[0].b, &kept, &trips, &trips_cut);
	json_t *assume = json_object();
	for (uint32_t s = 0; s < nsets; s++)
		json_object_set_new(assume, set_names[s],
				    assumption_json(&job->sets[s], &job->link));
	json_t *cmp = json_pack("{s:s, s:s, s:[s, s, s], s:i, s:i, s:i, s:i, s:o}", "kind",
				"border", "home", job->home, "views", view_keys[0], view_keys[1],
				view_keys[2], "stops", (json_int_t)sides[0].tt->stop_count,
				"stops_at_home", (json_int_t)kept, "trips", (json_int_t)trips,
				"trips_cut", (json_int_t)trips_cut, "assumptions", assume);
	if (cmp && job->rank)
		json_object_set_new(cmp, "rank",
				    json_pack("{s:s, s:i}", "among",
					      "places of the home country tied to a stop", "count",
					      (json_int_t)bo.ranked));
	if (!meta || !cmp) {
		json_decref(meta);
		json_decref(cmp);
		rc = grens_error_set(r->err, GRENS_ENOMEM, "cannot build the output");
		goto done;
	}
	/* before "notes" and "shard", as the other comparisons */
	json_t *notes = json_incref(json_object_get(meta, "notes"));
	json_t *shard = json_incref(json_object_get(meta, "shard"));
	json_object_del(meta, "notes");
	json_object_del(meta, "shard");
	json_object_set_new(meta, "comparison", cmp);
	json_object_set_new(meta, "notes", notes);
	json_object_set_new(meta, "shard", shard);
	if ((rc = new_doc(meta, out, r->err)))
		goto done;
	const grens_access_border *b[GRENS_REPORT_BORDER_SETS];
	for (uint32_t s = 0; s < nsets; s++)
		b[s] = sides[s].b;
	rc = grens_report_access_add_border(*out, sides[0].tt, job->places, b, nsets, bo.set.o,
					    bo.shown, job->rank ? bo.among : NULL, bo.ranked,
					    r->err);
done:
	for (uint32_t s = 0; s < GRENS_REPORT_BORDER_SETS; s++)
		border_side_free(&sides[s]);
	origin_set_free(&bo.set);
	free(bo.among);
	return rc;
}

/* ---- a run and a comparison ------------------------------------------------------------ */

typedef struct side {
	grens_timetable *own_tt;
	const grens_timetable *tt;
	grens_access_network *net;
	origin_set origins;
	grens_access_result *result;
} side;

static void side_free(side *s)
{
	grens_access_result_free(s->result);
	origin_set_free(&s->origins);
	grens_access_network_free(s->net);
	grens_net_free(s->own_tt);
}

/* One side of a run: the timetable of src (or tt as given), the places
 * tied (or, with a reference, its ties reused), the origins, the run (on
 * realised times with rt). */
static int run_side(job_run *r, side *s, const grens_net_source *src, const grens_timetable *tt,
		    const grens_access_network *reference, const grens_rt_overlay *rt)
{
	int rc;
	if (tt) {
		s->tt = tt;
		if (!r->notes && (rc = check_date(r, tt)))
			return rc;
	} else {
		if ((rc = build(r, src, NULL, &s->own_tt)))
			return rc;
		s->tt = s->own_tt;
	}
	rc = reference ? grens_access_network_new_like(&s->net, s->tt, reference, r->err)
		       : tie(r, s->tt, &r->job->link, &s->net);
	if (rc || (rc = make_origins(r, s->tt, &s->origins)))
		return rc;
	grens_access_options o = r->opts;
	o.route.rt = rt;
	return grens_access_run(&s->result, s->net, s->origins.o, s->origins.count, &o, r->err);
}

/* A plain run, base against a scenario, or scheduled against realised. */
static int sides_run(job_run *r, const char *const *names, uint32_t nfeeds,
		     grens_report_access **out)
{
	const grens_report_access_job *job = r->job;
	side alt = {0}, base = {0};
	grens_scenario_result *applied = NULL;
	grens_access_delta *deltas = NULL;
	uint32_t nd = 0;
	json_t *meta = NULL;
	char alt_list[1024] = "";
	int rc = 0;
	for (uint32_t i = 0; i < nfeeds; i++) {
		size_t l = strlen(alt_list);
		snprintf(alt_list + l, sizeof(alt_list) - l, "%s%s", i ? "," : "", names[i]);
	}
	grens_net_source alt_src = job->source;
	grens_timetable *alt_tt = NULL;
	bool vs = job->realised_vs_scheduled;
	if (job->scenario) {
		/* the base first: the scenario is applied to it as built */
		if ((rc = run_side(r, &base, &job->source, NULL, NULL, NULL)))
			goto done;
		rc = report_job_scenario_net_on(&alt_tt, &applied, job->scenario, &job->source,
						base.tt, r->diag, NULL, r->err);
		if (rc) {
			/* a scenario that does not fit the feeds is a bad argument */
			if (rc != GRENS_EIO && rc != GRENS_ENOMEM) {
				rc = GRENS_EARG;
				if (r->err)
					r->err->code = GRENS_EARG;
			}
			goto done;
		}
		if (applied)
			alt_src.feeds = grens_scenario_result_feeds(applied, &alt_src.feed_count);
	}
	if (job->scenario || vs) {
		if ((!job->scenario && (rc = run_side(r, &base, &job->source, NULL, NULL, NULL))) ||
		    (rc = run_side(r, &alt, &alt_src, vs ? job->realised_tt : alt_tt, base.net,
				   vs ? job->realised : NULL)))
			goto done;
		if ((rc = grens_access_compare(&deltas, &nd, base.result, alt.result, r->err)))
			goto done;
		char scen[1200];
		int n = snprintf(scen, sizeof(scen), "%s+%s", alt_list,
				 vs ? "realised" : grens_scenario_name(job->scenario));
		if (n < 0 || (size_t)n >= sizeof(scen))
			scen[sizeof(scen) - 1] = '\0'; /* a long list only loses its end */
		meta_comparison cmp = {vs ? "realised-vs-scheduled" : "scenario", alt_list, scen,
				       base.net};
		meta = make_meta(r, names, nfeeds, alt.origins.count, &cmp, alt.net);
	} else {
		if ((rc = run_side(r, &alt, &job->source, job->realised_tt, NULL, job->realised)))
			goto done;
		meta = make_meta(r, names, nfeeds, alt.origins.count, NULL, alt.net);
	}
	if (meta && job->realised_tt && job->realised_json) {
		json_error_t je;
		json_t *rz = json_loads(job->realised_json, 0, &je);
		if (!json_is_object(rz)) {
			json_decref(rz);
			json_decref(meta);
			rc = grens_error_set(r->err, GRENS_EFORMAT,
					     "the realised block is no JSON object");
			goto done;
		}
		json_object_set_new(meta, "realised", rz);
	}
	if ((rc = new_doc(meta, out, r->err)))
		goto done;
	rc = job->scenario || vs
		 ? grens_report_access_add_comparison(*out, alt.tt, job->places, alt.result,
						      alt.origins.o, deltas, nd, r->err)
		 : grens_report_access_add_origins(*out, alt.net, job->places, alt.result,
						   alt.origins.o, job->stops, r->err);
done:
	free(deltas);
	side_free(&alt);
	grens_net_free(alt_tt); /* before the base it may share */
	side_free(&base);
	grens_scenario_result_free(applied);
	return rc;
}

/* ---- the job ---------------------------------------------------------------------------- */

/* Options that cannot go together, or inputs the job cannot use. */
static int check_job(const grens_report_access_job *job, grens_error *err)
{
	const bool realised = job->realised_tt != NULL;
	if (job->from_count > GRENS_REPORT_ACCESS_MAX_FROM || (job->from_count && !job->from))
		return grens_error_set(err, GRENS_EARG, "up to %u origins",
				       GRENS_REPORT_ACCESS_MAX_FROM);
	if (job->options.date == GRENS_DATE_NONE)
		return grens_error_set(err, GRENS_EARG, "the access job needs a date");
	if (job->places_file_count && !job->places_files)
		return grens_error_set(err, GRENS_EARG, "places_files is NULL");
	if (job->sensitivity && job->source.snapshot)
		/* the other assumption sets are other timetables */
		return grens_error_set(err, GRENS_EARG,
				       "--sensitivity builds the timetable again with other change "
				       "times and walking speeds, which needs --feed, not "
				       "--snapshot");
	if ((job->rank || job->sensitivity) && !job->border)
		return grens_error_set(err, GRENS_EARG, "rank and sensitivity go with border");
	if (job->border && (!job->home || job->sets[0].walk_speed_mps <= 0))
		return grens_error_set(err, GRENS_EARG, "the border views need home and sets[0]");
	if (job->border && (job->scenario || realised))
		return grens_error_set(err, GRENS_EARG,
				       "the border views, a scenario and realised times are "
				       "separate comparisons: use one");
	if (job->scenario && realised)
		return grens_error_set(
		    err, GRENS_EARG,
		    "--realised runs alone: not with --border-effect or --scenario");
	if (job->rank && job->options.shard_count > 1)
		return grens_error_set(err, GRENS_EARG,
				       "--rank needs every municipality in one run: no --shard");
	if (realised != (job->realised != NULL) || (job->realised_vs_scheduled && !realised))
		return grens_error_set(err, GRENS_EARG,
				       "realised times need the timetable and its overlay");
	return 0;
}

int grens_report_access_run(grens_report_access **out, const grens_report_access_job *job,
			    grens_diag *diag, grens_error *err)
{
	if (out)
		*out = NULL;
	if (!out || !job)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_access_run: %s is NULL",
				       !out ? "out" : "job");
	if (job->version != GRENS_REPORT_ACCESS_JOB_VERSION)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_access_run: job version %u, not %u",
				       job->version, GRENS_REPORT_ACCESS_JOB_VERSION);
	if (!job->places || grens_access_places_count(job->places) == 0)
		return grens_error_set(err, GRENS_EINVAL, "the places files hold no usable place");
	int rc = check_job(job, err);
	if (rc)
		return rc;
	job_run r = {.job = job, .opts = job->options, .diag = diag, .err = err};
	r.opts.keep_stop_times = job->stops;
	if (r.opts.max_duration < 0) {
		int32_t most = 0;
		for (uint32_t c = 0; c < r.opts.cutoff_count; c++)
			if (r.opts.cutoffs[c] > most)
				most = r.opts.cutoffs[c];
		if (r.opts.decay == GRENS_ACCESS_DECAY_LINEAR)
			most += (r.opts.decay_param + 1) / 2;
		r.opts.max_duration = most > 0 ? most : 60;
	}
	const char *names[64];
	uint32_t nfeeds = feed_names(&job->source, names, 64);
	rc = job->border ? border_run(&r, names, nfeeds, out) : sides_run(&r, names, nfeeds, out);
	json_decref(r.notes);
	if (rc) {
		grens_report_access_free(*out);
		*out = NULL;
	}
	return rc;
}
