/* The document of grens access (grens-json(7): the stable shape of
 * --format json) and its text, CSV and GeoJSON renderings, and the merge
 * of shards. Every output is rendered from the one JSON document, so a
 * merged set of shards renders exactly like a run done in one piece. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "grens/access.h"
#include "report_internal.h"

/* How the access document is printed: two-space indent, keys in the order
 * they were set, ten significant digits. */
#define ACCESS_JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))

/* A document; or, merged from CSV shards, the merged CSV and the run's
 * metadata (doc["meta"]), which render only as CSV. */
struct grens_report_access {
	json_t *doc; /* {"meta": {...}, "origins": [...]} */
	bool csv;
	char *header;  /* CSV: the header line */
	char **lines;  /* CSV: the rows in origin order */
	size_t line_count;
	char *text;    /* CSV: the storage of header and lines */
};

static void stop_id(const grens_timetable *tt, uint32_t stop, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%s:%s", grens_net_str(tt, tt->feed_name[tt->stop_feed[stop]]),
		 grens_net_str(tt, tt->stop_id[stop]));
}

/* ---- lines of text shared with grens report ------------------------------------------------ */

void grens_report_ties_text(char *buf, size_t n, const grens_report_ties *t)
{
	if (!buf || !n)
		return; /* NULL not allowed: docs/api.md */
	if (!t) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, n,
		 "places tied to stops: walk %lld (%lld people), bicycle %lld (%lld people), "
		 "feeder %lld (%lld people; ASSUMPTION: %.0f km/h after %lld min waiting), "
		 "no stop %lld (%lld people)",
		 (long long)t->places[0], (long long)t->people[0], (long long)t->places[1],
		 (long long)t->people[1], (long long)t->places[2], (long long)t->people[2],
		 t->feeder_kmh, (long long)(t->feeder_wait_s / 60), (long long)t->places[3],
		 (long long)t->people[3]);
}

void grens_report_unplaced_text(char *buf, size_t n, int64_t people, int64_t municipalities)
{
	if (!buf || !n)
		return; /* NULL not allowed: docs/api.md */
	snprintf(buf, n, "%lld people in %lld municipalities could not be placed (no coordinates)",
		 (long long)people, (long long)municipalities);
}

static long long jint2(const json_t *o, const char *a, const char *b)
{
	return (long long)json_integer_value(json_object_get(json_object_get(o, a), b));
}

/* The ties line of a document's meta.access.ties (or comparison.base_ties). */
static void report_access_ties_text(const json_t *ties, const json_t *access, char *buf, size_t n)
{
	static const char *const modes[4] = {"walk", "bike", "feeder", "none"};
	grens_report_ties t = {
		.feeder_kmh = json_number_value(json_object_get(access, "feeder_speed_kmh")),
		.feeder_wait_s = json_integer_value(json_object_get(access, "feeder_wait_s"))};
	for (int m = 0; m < 4; m++) {
		t.places[m] = jint2(ties, modes[m], "places");
		t.people[m] = jint2(ties, modes[m], "population");
	}
	grens_report_ties_text(buf, n, &t);
}

static void report_access_unplaced_text(const json_t *unplaced, char *buf, size_t n)
{
	grens_report_unplaced_text(buf, n,
				   json_integer_value(json_object_get(unplaced, "population")),
				   json_integer_value(json_object_get(unplaced, "municipalities")));
}

/* ---- the document ------------------------------------------------------------------------ */

static json_t *time_or_null(int32_t t)
{
	return t == GRENS_ACCESS_UNREACHED ? json_null() : json_integer(t);
}

static json_t *origin_head(const grens_timetable *tt, const grens_access_places *places,
			   const grens_access_origin *o, uint32_t index)
{
	char id[512];
	if (o->place != GRENS_NONE) {
		const grens_access_place *p = grens_access_places_get(places, o->place);
		return json_pack("{s:i, s:s, s:s, s:s, s:s, s:f, s:f}", "index", (json_int_t)index,
				 "type", "place", "id", p->municipality, "name", p->name, "country",
				 p->country, "lat", p->lat, "lon", p->lon);
	}
	uint32_t s = o->stops[0];
	stop_id(tt, s, id, sizeof(id));
	json_t *j = json_pack("{s:i, s:s, s:s, s:s}", "index", (json_int_t)index, "type", "stop",
			      "id", id, "name", grens_net_str(tt, tt->stop_name[s]));
	if (j && !isnan(tt->stop_lat[s]) && !isnan(tt->stop_lon[s])) {
		json_object_set_new(j, "lat", json_real(tt->stop_lat[s]));
		json_object_set_new(j, "lon", json_real(tt->stop_lon[s]));
	}
	return j;
}

/* A count of people (or of any opportunity kind) as a JSON integer: the
 * decayed sums are rounded to whole ones, the delta of a comparison is the
 * difference of the rounded sums. */
static json_t *count_json(double v)
{
	return isfinite(v) ? json_integer((json_int_t)llround(v)) : json_null();
}

/* One origin of a plain run: accessibility, travel times to places, and to
 * stops when asked. */
static json_t *origin_json(bool stops, const grens_access_network *net,
			   const grens_access_places *places, const grens_access_result *r,
			   const grens_access_origin *origins, uint32_t i)
{
	const grens_timetable *tt = grens_access_network_timetable(net);
	const grens_access_options *o = grens_access_result_options(r);
	uint32_t idx = grens_access_result_origin(r, i);
	json_t *j = origin_head(tt, places, &origins[idx], idx);
	json_t *acc = json_array(), *pl = json_array();
	uint32_t K = grens_access_places_kind_count(places);
	for (uint32_t p = 0; p < o->percentile_count; p++)
		for (uint32_t c = 0; c < o->cutoff_count; c++) {
			json_t *e =
			    json_pack("{s:i, s:i}", "percentile", (json_int_t)o->percentiles[p],
				      "cutoff_min", (json_int_t)(o->cutoffs[c] / 60));
			for (uint32_t k = 0; k < K; k++)
				json_object_set_new(
				    e, grens_access_places_kind(places, k),
				    count_json(grens_access_result_opportunities(r, i, p, c, k)));
			json_array_append_new(acc, e);
		}
	for (uint32_t q = 0; q < grens_access_places_count(places); q++) {
		const grens_access_place *pp = grens_access_places_get(places, q);
		json_t *times = json_array();
		for (uint32_t p = 0; p < o->percentile_count; p++)
			json_array_append_new(
			    times, time_or_null(grens_access_result_place_time(r, i, p, q)));
		json_array_append_new(
		    pl, json_pack("{s:s, s:s, s:o, s:i, s:s}", "id", pp->municipality, "name",
				  pp->name, "time_s", times, "reached_steps",
				  (json_int_t)grens_access_result_place_reached(r, i, q), "tie",
				  grens_access_mode_name(grens_access_network_place_mode(net, q))));
	}
	json_object_set_new(j, "accessibility", acc);
	json_object_set_new(j, "places", pl);
	if (stops) {
		json_t *st = json_array();
		char id[512];
		for (uint32_t s = 0; s < tt->stop_count; s++) {
			bool any = false;
			json_t *times = json_array();
			for (uint32_t p = 0; p < o->percentile_count; p++) {
				int32_t t = grens_access_result_stop_time(r, i, p, s);
				any |= t != GRENS_ACCESS_UNREACHED;
				json_array_append_new(times, time_or_null(t));
			}
			if (!any) {
				json_decref(times);
				continue;
			}
			stop_id(tt, s, id, sizeof(id));
			json_array_append_new(st, json_pack("{s:s, s:s, s:o}", "id", id, "name",
							    grens_net_str(tt, tt->stop_name[s]),
							    "time_s", times));
		}
		json_object_set_new(j, "stops", st);
	}
	return j;
}

/* One origin of a comparison: base, alternative and delta per percentile,
 * cutoff and kind. */
static json_t *compare_json(const grens_timetable *tt, const grens_access_places *places,
			    const grens_access_result *r, const grens_access_origin *origins,
			    const grens_access_delta *d, uint32_t per_origin, uint32_t i)
{
	const grens_access_options *o = grens_access_result_options(r);
	uint32_t idx = grens_access_result_origin(r, i);
	json_t *j = origin_head(tt, places, &origins[idx], idx);
	json_t *acc = json_array();
	for (uint32_t m = 0; m < per_origin; m++) {
		const grens_access_delta *x = &d[(size_t)i * per_origin + m];
		json_array_append_new(
		    acc, json_pack("{s:i, s:i, s:s, s:o, s:o, s:o}", "percentile",
				   (json_int_t)o->percentiles[x->percentile], "cutoff_min",
				   (json_int_t)(o->cutoffs[x->cutoff] / 60), "kind",
				   grens_access_places_kind(places, x->kind), "base",
				   count_json(x->base), "alternative", count_json(x->alternative),
				   "delta",
				   count_json(round(x->alternative) - round(x->base))));
	}
	json_object_set_new(j, "accessibility", acc);
	return j;
}

/* ---- rendering ----------------------------------------------------------------------------- */

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static double jnum(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return v ? json_number_value(v) : NAN;
}

static bool is_comparison(const json_t *doc)
{
	return json_object_get(json_object_get(doc, "meta"), "comparison") != NULL;
}

static void print_number(FILE *f, double v)
{
	if (isnan(v))
		fputs("-", f);
	else if (fabs(v - round(v)) < 1e-9)
		fprintf(f, "%.0f", v);
	else
		fprintf(f, "%.4f", v);
}

#define BORDER_SETS GRENS_REPORT_BORDER_SETS

static const char *const set_names[BORDER_SETS] = {"central", "low", "high"};
/* border_effect = today - national, cross_border_network = today - closed
 * border, neighbours = closed border - national */
static const char *const number_keys[6] = {"national",	    "closed_border",
					   "today",	    "border_effect",
					   "cross_border_network", "neighbours"};

static bool is_border(const json_t *doc)
{
	const json_t *c = json_object_get(json_object_get(doc, "meta"), "comparison");
	return strcmp(jstr(c, "kind"), "border") == 0;
}

static const char *const border_labels[6] = {"national",		 "closed border",
					     "today",			 "border effect",
					     "cross-border network", "neighbours"};

/* One of the six numbers, signed for the parts, with its range over the
 * assumption sets when there are several. */
static void print_border_number(FILE *f, const json_t *e, int m)
{
	const char *key = number_keys[m];
	double v = jnum(e, key);
	if (m >= 3 && v > 0)
		fputc('+', f);
	print_number(f, v);
	const json_t *sens = json_object_get(e, "sensitivity");
	if (!sens)
		return;
	double lo = v, hi = v;
	const char *name;
	const json_t *set;
	json_object_foreach((json_t *)sens, name, set)
	{
		lo = fmin(lo, jnum(set, key));
		hi = fmax(hi, jnum(set, key));
	}
	fputs(" [", f);
	print_number(f, lo);
	fputs("–", f);
	print_number(f, hi);
	fputc(']', f);
	size_t z;
	const json_t *zk;
	json_array_foreach(json_object_get(e, "may_be_zero_or_negative"), z, zk)
	    if (strcmp(json_string_value(zk), key) == 0) fputs(" may be zero or negative", f);
}

static void render_border_text(FILE *f, const json_t *doc)
{
	const json_t *meta = json_object_get(doc, "meta");
	const json_t *c = json_object_get(meta, "comparison");
	const char *home = jstr(c, "home");
	fprintf(f, "accessibility on %s, departures %s every %lld s, decay %s\n", jstr(meta, "date"),
		jstr(meta, "window"),
		(long long)json_integer_value(json_object_get(meta, "step_s")),
		jstr(meta, "decay"));
	fprintf(f,
		"national: %s opportunities only, on the network cut at the %s border (%lld of "
		"%lld stops)\n"
		"closed border: the same cut network, opportunities abroad where still in reach\n"
		"today: every opportunity on the linked network\n",
		home, home, (long long)json_integer_value(json_object_get(c, "stops_at_home")),
		(long long)json_integer_value(json_object_get(c, "stops")));
	/* every run says how places were tied and what could not be placed;
	 * the cut network reuses these ties, less those to stops abroad */
	char line[512];
	const json_t *access = json_object_get(meta, "access");
	report_access_ties_text(json_object_get(access, "ties"), access, line, sizeof(line));
	fprintf(f, "%s (today; the cut keeps those to stops at home)\n", line);
	report_access_unplaced_text(json_object_get(meta, "unplaced"), line, sizeof(line));
	fprintf(f, "%s\n", line);
	const json_t *assume = json_object_get(c, "assumptions");
	if (json_object_get(assume, "low"))
		fputs("[low–high]: the range over the low, central and high assumption sets\n", f);
	fputc('\n', f);
	size_t i;
	const json_t *o;
	json_array_foreach(json_object_get(doc, "origins"), i, o)
	{
		fprintf(f, "%s (%s)\n", jstr(o, "name"), jstr(o, "id"));
		size_t m;
		const json_t *e;
		json_array_foreach(json_object_get(o, "border"), m, e)
		{
			fprintf(f, "  p%lld within %3lld min, %s:\n    ",
				(long long)json_integer_value(json_object_get(e, "percentile")),
				(long long)json_integer_value(json_object_get(e, "cutoff_min")),
				jstr(e, "kind"));
			for (int k = 0; k < 3; k++) {
				fprintf(f, "%s%s ", k ? ", " : "", border_labels[k]);
				print_border_number(f, e, k);
			}
			fputs("\n    border effect ", f);
			print_border_number(f, e, 3);
			fputs(" = cross-border network ", f);
			print_border_number(f, e, 4);
			fputs(" + neighbours ", f);
			print_border_number(f, e, 5);
			fputc('\n', f);
			const json_t *r = json_object_get(e, "rank");
			if (r) {
				fprintf(f, "    rank %lld of %lld nationally, %lld today",
					(long long)json_integer_value(json_object_get(r, "national")),
					(long long)json_integer_value(json_object_get(r, "of")),
					(long long)json_integer_value(json_object_get(r, "today")));
				const json_t *sens = json_object_get(e, "sensitivity");
				const char *name;
				const json_t *set;
				json_object_foreach((json_t *)sens, name, set)
				{
					const json_t *sr = json_object_get(set, "rank");
					fprintf(f, "; %s %lld, %lld", name,
						(long long)json_integer_value(
						    json_object_get(sr, "national")),
						(long long)json_integer_value(
						    json_object_get(sr, "today")));
				}
				fputc('\n', f);
			}
		}
	}
}

/* The first columns of a CSV row: index,origin_id,origin_name,date,percentile,cutoff_min */
static void csv_row_head(FILE *f, const json_t *meta, const json_t *o, const json_t *e)
{
	fprintf(f, "%lld,", (long long)json_integer_value(json_object_get(o, "index")));
	grens_report_csv_field(f, jstr(o, "id"));
	fputc(',', f);
	grens_report_csv_field(f, jstr(o, "name"));
	fprintf(f, ",%s,%lld,%lld", jstr(meta, "date"),
		(long long)json_integer_value(json_object_get(e, "percentile")),
		(long long)json_integer_value(json_object_get(e, "cutoff_min")));
}

static void render_border_csv(FILE *f, const json_t *doc)
{
	const json_t *meta = json_object_get(doc, "meta");
	const json_t *c = json_object_get(meta, "comparison");
	bool rank = json_object_get(c, "rank") != NULL;
	bool sens = json_object_get(json_object_get(c, "assumptions"), "low") != NULL;
	fputs("index,origin_id,origin_name,date,percentile,cutoff_min,kind", f);
	for (int m = 0; m < 6; m++)
		fprintf(f, ",%s", number_keys[m]);
	if (rank)
		fputs(",rank_national,rank_today,ranked", f);
	for (int s = 1; sens && s < BORDER_SETS; s++) {
		for (int m = 0; m < 6; m++)
			fprintf(f, ",%s_%s", number_keys[m], set_names[s]);
		if (rank)
			fprintf(f, ",rank_national_%s,rank_today_%s", set_names[s], set_names[s]);
	}
	fputc('\n', f);
	size_t i;
	const json_t *o;
	json_array_foreach(json_object_get(doc, "origins"), i, o)
	{
		size_t n;
		const json_t *e;
		json_array_foreach(json_object_get(o, "border"), n, e)
		{
			csv_row_head(f, meta, o, e);
			fputc(',', f);
			grens_report_csv_field(f, jstr(e, "kind"));
			for (int s = 0; s < (sens ? BORDER_SETS : 1); s++) {
				const json_t *x =
				    s == 0 ? e
					   : json_object_get(json_object_get(e, "sensitivity"),
							     set_names[s]);
				for (int m = 0; m < 6; m++) {
					fputc(',', f);
					print_number(f, jnum(x, number_keys[m]));
				}
				const json_t *r = json_object_get(x, "rank");
				if (rank)
					fprintf(f, ",%lld,%lld",
						(long long)json_integer_value(
						    json_object_get(r, "national")),
						(long long)json_integer_value(
						    json_object_get(r, "today")));
				if (rank && s == 0)
					fprintf(f, ",%lld",
						(long long)json_integer_value(
						    json_object_get(r, "of")));
			}
			fputc('\n', f);
		}
	}
}

/* GeoJSON properties of a border origin: kind_pP_Cmin_number (and _rank_*). */
static void border_props(json_t *props, const json_t *o)
{
	size_t n;
	const json_t *e;
	json_array_foreach(json_object_get(o, "border"), n, e)
	{
		char key[200];
		long long p = (long long)json_integer_value(json_object_get(e, "percentile"));
		long long c = (long long)json_integer_value(json_object_get(e, "cutoff_min"));
		for (int m = 0; m < 6; m++) {
			snprintf(key, sizeof(key), "%s_p%lld_%lldmin_%s", jstr(e, "kind"), p, c,
				 number_keys[m]);
			json_object_set_new(props, key, count_json(jnum(e, number_keys[m])));
		}
		const json_t *r = json_object_get(e, "rank");
		for (int v = 0; r && v < 2; v++) {
			const char *which = v == 0 ? "national" : "today";
			snprintf(key, sizeof(key), "%s_p%lld_%lldmin_rank_%s", jstr(e, "kind"), p,
				 c, which);
			json_object_set(props, key, json_object_get(r, which));
		}
	}
}

static void render_text(FILE *f, const json_t *doc)
{
	if (is_border(doc)) {
		render_border_text(f, doc);
		return;
	}
	const json_t *meta = json_object_get(doc, "meta");
	const json_t *origins = json_object_get(doc, "origins");
	const json_t *kinds = json_object_get(meta, "kinds");
	bool cmp = is_comparison(doc);
	fprintf(f, "accessibility on %s, departures %s every %lld s, decay %s", jstr(meta, "date"),
		jstr(meta, "window"),
		(long long)json_integer_value(json_object_get(meta, "step_s")),
		jstr(meta, "decay"));
	if (cmp) {
		const json_t *c = json_object_get(meta, "comparison");
		fprintf(f, "\n%s effect: base [%s] vs alternative [%s]", jstr(c, "kind"),
			jstr(c, "base"), jstr(c, "alternative"));
	}
	char line[512];
	const json_t *access = json_object_get(meta, "access");
	report_access_ties_text(json_object_get(access, "ties"), access, line, sizeof(line));
	fprintf(f, "\n%s", line);
	if (cmp) {
		report_access_ties_text(
		    json_object_get(json_object_get(meta, "comparison"), "base_ties"), access, line,
		    sizeof(line));
		fprintf(f, "\n  on the base feeds (the same ties, stops of the base only): %s",
			line + strlen("places tied to stops: "));
	}
	report_access_unplaced_text(json_object_get(meta, "unplaced"), line, sizeof(line));
	fprintf(f, "\n%s\n\n", line);
	size_t i;
	const json_t *o;
	json_array_foreach(origins, i, o)
	{
		fprintf(f, "%s (%s)\n", jstr(o, "name"), jstr(o, "id"));
		size_t m;
		const json_t *e;
		json_array_foreach(json_object_get(o, "accessibility"), m, e)
		{
			fprintf(f, "  p%lld within %3lld min:",
				(long long)json_integer_value(json_object_get(e, "percentile")),
				(long long)json_integer_value(json_object_get(e, "cutoff_min")));
			if (cmp) {
				fprintf(f, " %s ", jstr(e, "kind"));
				print_number(f, jnum(e, "base"));
				fputs(" -> ", f);
				print_number(f, jnum(e, "alternative"));
				fputs(" (", f);
				double d = jnum(e, "delta");
				if (d > 0)
					fputc('+', f);
				print_number(f, d);
				fputs(")", f);
			} else {
				size_t k;
				const json_t *kn;
				json_array_foreach(kinds, k, kn)
				{
					fprintf(f, " %s ", json_string_value(kn));
					print_number(f, jnum(e, json_string_value(kn)));
				}
			}
			fputc('\n', f);
		}
		if (!cmp && json_array_size(origins) == 1) {
			fprintf(f, "  travel time to places (first percentile):\n");
			size_t q;
			const json_t *p;
			json_array_foreach(json_object_get(o, "places"), q, p)
			{
				const json_t *t = json_array_get(json_object_get(p, "time_s"), 0);
				fputs("    ", f);
				grens_report_text_cell(f, jstr(p, "name"), 24, false, false);
				fputc(' ', f);
				if (json_is_integer(t)) {
					json_int_t s = json_integer_value(t);
					fprintf(f, "%lld:%02lld\n", (long long)(s / 3600),
						(long long)(s / 60 % 60));
				} else {
					fprintf(f, "-\n");
				}
			}
		}
	}
}

static void render_csv(FILE *f, const json_t *doc)
{
	if (is_border(doc)) {
		render_border_csv(f, doc);
		return;
	}
	const json_t *meta = json_object_get(doc, "meta");
	const json_t *kinds = json_object_get(meta, "kinds");
	bool cmp = is_comparison(doc);
	/* Plain CSV: the metadata goes to a file beside it (write_meta). */
	fputs("index,origin_id,origin_name,date,percentile,cutoff_min", f);
	size_t k;
	const json_t *kn;
	if (cmp) {
		fputs(",kind,base,alternative,delta", f);
	} else {
		json_array_foreach(kinds, k, kn)
		{
			fputc(',', f);
			grens_report_csv_field(f, json_string_value(kn));
		}
	}
	fputc('\n', f);
	size_t i;
	const json_t *o;
	json_array_foreach(json_object_get(doc, "origins"), i, o)
	{
		size_t n;
		const json_t *e;
		json_array_foreach(json_object_get(o, "accessibility"), n, e)
		{
			csv_row_head(f, meta, o, e);
			if (cmp) {
				fputc(',', f);
				grens_report_csv_field(f, jstr(e, "kind"));
				static const char *const parts[] = {"base", "alternative", "delta"};
				for (unsigned q = 0; q < 3; q++) {
					fputc(',', f);
					print_number(f, jnum(e, parts[q]));
				}
			} else {
				json_array_foreach(kinds, k, kn)
				{
					fputc(',', f);
					print_number(f, jnum(e, json_string_value(kn)));
				}
			}
			fputc('\n', f);
		}
	}
}

static json_t *geojson_of(const json_t *doc)
{
	json_t *features = json_array();
	bool cmp = is_comparison(doc);
	const json_t *kinds = json_object_get(json_object_get(doc, "meta"), "kinds");
	size_t i;
	const json_t *o;
	json_array_foreach(json_object_get(doc, "origins"), i, o)
	{
		const json_t *lat = json_object_get(o, "lat"), *lon = json_object_get(o, "lon");
		if (!json_is_number(lat) || !json_is_number(lon))
			continue;
		json_t *props =
		    json_pack("{s:O, s:O, s:O, s:O}", "index", json_object_get(o, "index"), "id",
			      json_object_get(o, "id"), "name", json_object_get(o, "name"), "type",
			      json_object_get(o, "type"));
		if (is_border(doc))
			border_props(props, o);
		size_t n;
		const json_t *e;
		json_array_foreach(json_object_get(o, "accessibility"), n, e)
		{
			char key[160];
			long long p =
			    (long long)json_integer_value(json_object_get(e, "percentile"));
			long long c =
			    (long long)json_integer_value(json_object_get(e, "cutoff_min"));
			if (cmp) {
				static const char *const parts[] = {"base", "alternative", "delta"};
				for (unsigned q = 0; q < 3; q++) {
					snprintf(key, sizeof(key), "%s_p%lld_%lldmin_%s",
						 jstr(e, "kind"), p, c, parts[q]);
					json_object_set_new(props, key,
							    count_json(jnum(e, parts[q])));
				}
			} else {
				size_t k;
				const json_t *kn;
				json_array_foreach(kinds, k, kn)
				{
					snprintf(key, sizeof(key), "%s_p%lld_%lldmin",
						 json_string_value(kn), p, c);
					json_object_set_new(
					    props, key, count_json(jnum(e, json_string_value(kn))));
				}
			}
		}
		json_array_append_new(features,
				      json_pack("{s:s, s:{s:s, s:[O, O]}, s:o}", "type", "Feature",
						"geometry", "type", "Point", "coordinates", lon,
						lat, "properties", props));
	}
	return json_pack("{s:s, s:O, s:o}", "type", "FeatureCollection", "grens_access",
			 json_object_get(doc, "meta"), "features", features);
}

/* The six numbers of one origin, percentile, cutoff and kind in one set;
 * the parts are differences of the rounded views, so they add up. */
static void border_numbers(const grens_access_border *b, uint32_t i, uint32_t p, uint32_t c,
			   uint32_t k, double *v)
{
	for (int w = 0; w < 3; w++)
		v[w] = round(grens_access_border_value(b, i, (grens_access_view)w, p, c, k));
	v[3] = v[2] - v[0];
	v[4] = v[2] - v[1];
	v[5] = v[1] - v[0];
}

static json_t *numbers_json(const double *v, const uint32_t *rank, uint32_t ranked)
{
	json_t *j = json_object();
	for (int m = 0; m < 6; m++)
		json_object_set_new(j, number_keys[m], count_json(v[m]));
	if (rank && rank[0])
		json_object_set_new(j, "rank",
				    json_pack("{s:i, s:i, s:i}", "national", (json_int_t)rank[0],
					      "today", (json_int_t)rank[1], "of",
					      (json_int_t)ranked));
	return j;
}

/* The border document's origins: per shown origin its head and one entry
 * per percentile x cutoff x kind. */
static json_t *border_origins_json(const grens_timetable *tt,
				   const grens_access_border *const *sets, uint32_t nsets,
				   const grens_access_places *places,
				   const grens_access_origin *origins, uint32_t shown,
				   const uint8_t *among, uint32_t ranked)
{
	bool rank = among != NULL;
	const grens_access_result *r0 = grens_access_border_result(sets[0],
								   GRENS_ACCESS_VIEW_TODAY);
	const grens_access_options *o = grens_access_result_options(r0);
	uint32_t n = grens_access_result_count(r0), K = grens_access_places_kind_count(places);
	json_t *out = json_array();
	json_t **entries = calloc((size_t)n + 1, sizeof(json_t *));
	uint32_t *ranks = calloc((size_t)BORDER_SETS * 2 * n + 1, sizeof(uint32_t));
	uint8_t *in = calloc((size_t)n + 1, 1);
	if (!out || !entries || !ranks || !in)
		goto fail;
	for (uint32_t i = 0; i < n; i++) {
		entries[i] = json_array();
		in[i] = among && among[grens_access_result_origin(r0, i)];
	}
	for (uint32_t p = 0; p < o->percentile_count; p++)
		for (uint32_t c = 0; c < o->cutoff_count; c++)
			for (uint32_t k = 0; k < K; k++) {
				for (uint32_t s = 0; rank && s < nsets; s++) {
					grens_access_border_rank(ranks + (s * 2) * n, sets[s], in,
								 GRENS_ACCESS_VIEW_NATIONAL, p, c,
								 k);
					grens_access_border_rank(ranks + (s * 2 + 1) * n,
								 sets[s], in,
								 GRENS_ACCESS_VIEW_TODAY, p, c, k);
				}
				for (uint32_t i = 0; i < n; i++) {
					if (grens_access_result_origin(r0, i) >= shown)
						continue;
					double v[BORDER_SETS][6];
					uint32_t rk[BORDER_SETS][2];
					for (uint32_t s = 0; s < nsets; s++) {
						border_numbers(sets[s], i, p, c, k, v[s]);
						rk[s][0] = rank ? ranks[(s * 2) * n + i] : 0;
						rk[s][1] = rank ? ranks[(s * 2 + 1) * n + i] : 0;
					}
					json_t *e = json_pack(
					    "{s:i, s:i, s:s}", "percentile",
					    (json_int_t)o->percentiles[p], "cutoff_min",
					    (json_int_t)(o->cutoffs[c] / 60), "kind",
					    grens_access_places_kind(places, k));
					json_t *nums = numbers_json(v[0], rk[0], ranked);
					json_object_update(e, nums);
					json_decref(nums);
					if (nsets > 1) {
						json_t *sens = json_object(), *zero = json_array();
						for (uint32_t s = 1; s < nsets; s++)
							json_object_set_new(
							    sens, set_names[s],
							    numbers_json(v[s], rk[s], ranked));
						for (int m = 0; m < 6; m++) {
							double lo = v[0][m], hi = v[0][m];
							for (uint32_t s = 1; s < nsets; s++) {
								lo = fmin(lo, v[s][m]);
								hi = fmax(hi, v[s][m]);
							}
							if (lo <= 0 && hi > 0)
								json_array_append_new(
								    zero, json_string(number_keys[m]));
						}
						json_object_set_new(e, "sensitivity", sens);
						json_object_set_new(e, "may_be_zero_or_negative",
								    zero);
					}
					json_array_append_new(entries[i], e);
				}
			}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t idx = grens_access_result_origin(r0, i);
		if (idx >= shown) {
			json_decref(entries[i]);
			continue;
		}
		json_t *j = origin_head(tt, places, &origins[idx], idx);
		json_object_set_new(j, "border", entries[i]);
		json_array_append_new(out, j);
	}
	free(entries);
	free(ranks);
	free(in);
	return out;
fail:
	for (uint32_t i = 0; entries && i < n; i++)
		json_decref(entries[i]);
	free(entries);
	free(ranks);
	free(in);
	json_decref(out);
	return NULL;
}

/* ---- the public document ------------------------------------------------------------------ */

void grens_report_access_free(grens_report_access *doc)
{
	if (!doc)
		return;
	json_decref(doc->doc);
	free(doc->lines);
	free(doc->text);
	free(doc);
}

static grens_report_access *access_new(json_t *meta)
{
	grens_report_access *d = calloc(1, sizeof(*d));
	if (!d || !meta) {
		free(d);
		json_decref(meta);
		return NULL;
	}
	d->doc = json_pack("{s:o, s:o}", "meta", meta, "origins", json_array());
	if (!d->doc) {
		free(d);
		return NULL;
	}
	return d;
}

int grens_report_access_new(grens_report_access **out, const char *meta_json, size_t len,
			    grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_access_new: out is NULL");
	*out = NULL;
	if (!meta_json)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_access_new: meta_json is NULL");
	json_error_t je;
	json_t *meta = json_loadb(meta_json, len, 0, &je);
	if (!json_is_object(meta)) {
		json_decref(meta);
		return grens_error_set(err, GRENS_EFORMAT, "the access metadata is no JSON object: %s",
				       meta ? "another value" : je.text);
	}
	*out = access_new(meta);
	return *out ? 0 : grens_error_set(err, GRENS_ENOMEM, "out of memory");
}

/* Append origin (a new reference) to the document; GRENS_ENOMEM. */
static int add_origin(grens_report_access *doc, json_t *origin, grens_error *err)
{
	if (!origin || json_array_append_new(json_object_get(doc->doc, "origins"), origin) != 0)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	return 0;
}

int grens_report_access_add_origins(grens_report_access *doc, const grens_access_network *net,
				    const grens_access_places *places,
				    const grens_access_result *result,
				    const grens_access_origin *origins, bool stops,
				    grens_error *err)
{
	if (!doc || !net || !places || !result || !origins)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_access_add_origins: %s is NULL",
				       !doc ? "doc" : !net ? "net" : !places ? "places"
							 : !result ? "result" : "origins");
	for (uint32_t i = 0; i < grens_access_result_count(result); i++) {
		int rc = add_origin(doc, origin_json(stops, net, places, result, origins, i), err);
		if (rc)
			return rc;
	}
	return 0;
}

int grens_report_access_add_comparison(grens_report_access *doc, const grens_timetable *tt,
				       const grens_access_places *places,
				       const grens_access_result *result,
				       const grens_access_origin *origins,
				       const grens_access_delta *deltas, uint32_t delta_count,
				       grens_error *err)
{
	if (!doc || !tt || !places || !result || !origins || (!deltas && delta_count))
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_access_add_comparison: %s is NULL",
				       !doc ? "doc" : !tt ? "tt" : !places ? "places"
						: !result ? "result" : !origins ? "origins" : "deltas");
	uint32_t count = grens_access_result_count(result);
	uint32_t per = count ? delta_count / count : 0;
	for (uint32_t i = 0; i < count; i++) {
		int rc = add_origin(doc, compare_json(tt, places, result, origins, deltas, per, i),
				    err);
		if (rc)
			return rc;
	}
	return 0;
}

int grens_report_access_add_border(grens_report_access *doc, const grens_timetable *tt,
				   const grens_access_places *places,
				   const grens_access_border *const *sets, uint32_t set_count,
				   const grens_access_origin *origins, uint32_t shown,
				   const uint8_t *among, uint32_t ranked, grens_error *err)
{
	if (!doc || !tt || !places || !sets || !origins)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_access_add_border: %s is NULL",
				       !doc ? "doc" : !tt ? "tt" : !places ? "places"
						: !sets ? "sets" : "origins");
	if (set_count < 1 || set_count > GRENS_REPORT_BORDER_SETS)
		return grens_error_set(err, GRENS_EARG, "%u assumption sets, not 1 to %u", set_count,
				       GRENS_REPORT_BORDER_SETS);
	for (uint32_t s = 0; s < set_count; s++)
		if (!sets[s])
			return grens_error_set(err, GRENS_EINVAL,
					       "grens_report_access_add_border: sets[%u] is NULL",
					       s);
	json_t *og = border_origins_json(tt, sets, set_count, places, origins, shown, among,
					 ranked);
	if (!og || json_array_extend(json_object_get(doc->doc, "origins"), og) != 0) {
		json_decref(og);
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	}
	json_decref(og);
	return 0;
}

int grens_report_access_meta_path(char *buf, size_t bufsz, const char *csv_path,
				  grens_error *err)
{
	if (!buf || !csv_path)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_access_meta_path: %s is NULL",
				       !buf ? "buf" : "csv_path");
	size_t len = strlen(csv_path);
	if (len >= 4 && strcmp(csv_path + len - 4, ".csv") == 0)
		len -= 4;
	int w = len > INT32_MAX ? -1 : snprintf(buf, bufsz, "%.*s.meta.json", (int)len, csv_path);
	if (w < 0 || (size_t)w >= bufsz)
		return grens_error_set(err, GRENS_ELIMIT, "path too long: %s", csv_path);
	return 0;
}

static int write_csv(const grens_report_access *doc, FILE *f)
{
	if (!doc->csv) {
		render_csv(f, doc->doc);
		return 0;
	}
	fprintf(f, "%s\n", doc->header ? doc->header : "");
	for (size_t i = 0; i < doc->line_count; i++)
		fprintf(f, "%s\n", doc->lines[i]);
	return 0;
}

int grens_report_access_write(const grens_report_access *doc, grens_report_access_format format,
			      FILE *f, grens_error *err)
{
	if (!doc || !f)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_access_write: %s is NULL",
				       !doc ? "doc" : "f");
	if (doc->csv && format != GRENS_REPORT_ACCESS_CSV)
		return grens_error_set(err, GRENS_EARG, "merge: CSV shards merge into CSV only");
	int rc = 0;
	switch (format) {
	case GRENS_REPORT_ACCESS_JSON:
		rc = json_dumpf(doc->doc, f, ACCESS_JSON_FLAGS);
		fputc('\n', f);
		break;
	case GRENS_REPORT_ACCESS_GEOJSON: {
		json_t *g = geojson_of(doc->doc);
		rc = g ? json_dumpf(g, f, ACCESS_JSON_FLAGS) : -1;
		fputc('\n', f);
		json_decref(g);
		break;
	}
	case GRENS_REPORT_ACCESS_CSV:
		rc = write_csv(doc, f);
		break;
	case GRENS_REPORT_ACCESS_TEXT:
		render_text(f, doc->doc);
		break;
	default:
		return grens_error_set(err, GRENS_EARG, "no access format %d", (int)format);
	}
	if (rc || ferror(f))
		return grens_error_set(err, GRENS_EIO, "cannot write the output");
	return 0;
}

/* meta as the metadata file beside the CSV at csv_path, atomically. */
static int save_meta(const json_t *meta, const char *csv_path, grens_error *err)
{
	char path[GRENS_REPORT_PATH_BYTES];
	grens_report_file file = {0};
	int rc = grens_report_access_meta_path(path, sizeof(path), csv_path, err);
	if (!rc)
		rc = grens_report_file_open(&file, path, err);
	if (!rc && (json_dumpf(meta, file.f, ACCESS_JSON_FLAGS) != 0 || fputc('\n', file.f) == EOF))
		rc = grens_error_set(err, GRENS_EIO, "cannot write %s", path);
	if (!rc)
		rc = grens_report_file_commit(&file, err);
	grens_report_file_abort(&file);
	return rc;
}

int grens_report_access_save(const grens_report_access *doc, grens_report_access_format format,
			     const char *path, grens_error *err)
{
	if (!doc || !path)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_access_save: %s is NULL",
				       !doc ? "doc" : "path");
	grens_report_file file = {0};
	int rc = grens_report_file_open(&file, path, err);
	if (rc)
		return rc;
	rc = grens_report_access_write(doc, format, file.f, err);
	if (rc == GRENS_EIO)
		grens_error_set(err, GRENS_EIO, "cannot write the output to %s", path);
	if (!rc)
		rc = grens_report_file_commit(&file, err);
	grens_report_file_abort(&file);
	if (!rc && format == GRENS_REPORT_ACCESS_CSV)
		rc = save_meta(json_object_get(doc->doc, "meta"), path, err);
	return rc;
}

/* ---- merge ----------------------------------------------------------------------------------- */

/* Check that meta matches the first shard's (all but the shard index) and
 * note the index. */
static int check_shard(const char *path, json_t *meta, json_t **first, uint8_t *seen,
		       uint32_t *count, grens_error *err)
{
	json_t *shard = json_object_get(meta, "shard");
	json_int_t idx = json_integer_value(json_object_get(shard, "index"));
	json_int_t n = json_integer_value(json_object_get(shard, "count"));
	if (!json_is_object(meta) || !json_is_integer(json_object_get(shard, "count")) || n < 1 ||
	    n > GRENS_REPORT_ACCESS_MAX_SHARDS || idx < 0 || idx >= n)
		return grens_error_set(err, GRENS_EFORMAT,
				       "merge: '%s' has no grens access shard metadata", path);
	json_t *bare = json_deep_copy(meta);
	if (!bare)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	json_object_del(bare, "shard");
	if (!*first) {
		*first = bare;
		*count = (uint32_t)n;
	} else {
		bool same = json_equal(bare, *first) && (uint32_t)n == *count;
		json_decref(bare);
		if (!same)
			return grens_error_set(err, GRENS_EFORMAT,
					       "merge: '%s' belongs to another run (feeds, date, "
					       "window, cutoffs, percentiles, decay, places, origins "
					       "or shard count differ)",
					       path);
	}
	if (seen[idx])
		return grens_error_set(err, GRENS_EFORMAT, "merge: shard %lld/%lld given twice ('%s')",
				       (long long)idx, (long long)n, path);
	seen[idx] = 1;
	return 0;
}

static int cmp_origin_index(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "index"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "index"));
	return (x > y) - (x < y);
}

struct csv_row {
	long long index;
	uint32_t order;
	char *line;
};

static int cmp_csv_row(const void *a, const void *b)
{
	const struct csv_row *x = a, *y = b;
	if (x->index != y->index)
		return (x->index > y->index) - (x->index < y->index);
	return (x->order > y->order) - (x->order < y->order);
}

/* The text of every CSV shard, one after the other, NUL-terminated, in
 * doc->text; its header and its rows sorted by origin index (in the order
 * of the shards given within one index). */
static int merge_csv(grens_report_access *doc, const grens_report_access_shard *shards,
		     uint32_t n, grens_error *err)
{
	struct csv_row *rows = NULL;
	size_t count = 0, cap = 0, total = 0;
	int rc = GRENS_ENOMEM;
	for (uint32_t i = 0; i < n; i++)
		total += shards[i].len + 1;
	if (!(doc->text = malloc(total + 1)))
		goto fail;
	char *at = doc->text;
	for (uint32_t i = 0; i < n; i++) {
		char *hdr = at;
		memcpy(hdr, shards[i].text, shards[i].len);
		hdr[shards[i].len] = '\0';
		at += shards[i].len + 1;
		char *body = strchr(hdr, '\n');
		if (!body) {
			rc = grens_error_set(err, GRENS_EFORMAT, "merge: '%s' has no CSV header",
					     shards[i].path);
			goto fail;
		}
		*body++ = '\0';
		if (!doc->header) {
			doc->header = hdr;
		} else if (strcmp(doc->header, hdr) != 0) {
			rc = grens_error_set(err, GRENS_EFORMAT, "merge: '%s' has other CSV columns",
					     shards[i].path);
			goto fail;
		}
		for (char *line = body; *line;) {
			char *nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			if (*line) {
				char *end;
				errno = 0;
				long long idx = strtoll(line, &end, 10);
				if (errno || *end != ',') {
					rc = grens_error_set(err, GRENS_EFORMAT,
							     "merge: '%s': a row without an "
							     "origin index",
							     shards[i].path);
					goto fail;
				}
				if (count == cap) {
					cap = cap ? cap * 2 : 1024;
					struct csv_row *nr = realloc(rows, cap * sizeof(*rows));
					if (!nr)
						goto fail;
					rows = nr;
				}
				rows[count] = (struct csv_row){idx, (uint32_t)count, line};
				count++;
			}
			if (!nl)
				break;
			line = nl + 1;
		}
	}
	if (count)
		qsort(rows, count, sizeof(*rows), cmp_csv_row);
	if (!(doc->lines = calloc(count + 1, sizeof(char *))))
		goto fail;
	for (size_t i = 0; i < count; i++)
		doc->lines[i] = rows[i].line;
	doc->line_count = count;
	free(rows);
	return 0;
fail:
	if (rc == GRENS_ENOMEM)
		grens_error_set(err, rc, "out of memory");
	free(rows);
	return rc;
}

/* The origins of every JSON shard, sorted by index, into doc. */
static int merge_origins(grens_report_access *doc, json_t *const *docs, uint32_t n,
			 const json_t *first, grens_error *err)
{
	json_t *all = json_array(), **sorted = NULL;
	for (uint32_t i = 0; all && i < n; i++) {
		size_t k;
		json_t *o;
		json_array_foreach(json_object_get(docs[i], "origins"), k, o)
		{
			if (json_array_append(all, o) != 0)
				goto nomem;
		}
	}
	size_t m = json_array_size(all);
	if (!all || !(sorted = calloc(m + 1, sizeof(json_t *))))
		goto nomem;
	for (size_t k = 0; k < m; k++)
		sorted[k] = json_array_get(all, k);
	qsort(sorted, m, sizeof(json_t *), cmp_origin_index);
	json_t *origins = json_object_get(doc->doc, "origins");
	for (size_t k = 0; k < m; k++)
		if (json_array_append(origins, sorted[k]) != 0)
			goto nomem;
	free(sorted);
	json_decref(all);
	json_int_t total = json_integer_value(json_object_get(first, "origins_total"));
	if ((json_int_t)m != total)
		return grens_error_set(err, GRENS_EFORMAT,
				       "merge: %zu origins in the shards, the run had %lld", m,
				       (long long)total);
	return 0;
nomem:
	free(sorted);
	json_decref(all);
	return grens_error_set(err, GRENS_ENOMEM, "out of memory");
}

int grens_report_access_merge(grens_report_access **out, const grens_report_access_shard *shards,
			      uint32_t count, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_access_merge: out is NULL");
	*out = NULL;
	if (!shards && count)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_access_merge: shards is NULL");
	if (count == 0)
		return grens_error_set(err, GRENS_EARG, "merge: no shard files given");
	if (count > GRENS_REPORT_ACCESS_MAX_SHARDS)
		return grens_error_set(err, GRENS_ELIMIT, "merge: more than %u shard files",
				       GRENS_REPORT_ACCESS_MAX_SHARDS);
	json_t **docs = calloc(count, sizeof(json_t *));
	uint8_t *seen = calloc(GRENS_REPORT_ACCESS_MAX_SHARDS, 1);
	json_t *first = NULL;
	grens_report_access *doc = NULL;
	uint32_t shard_count = 0;
	bool csv = shards[0].meta_text != NULL;
	int rc = GRENS_ENOMEM;
	if (!docs || !seen)
		goto nomem;
	for (uint32_t i = 0; i < count; i++) {
		const grens_report_access_shard *s = &shards[i];
		if (!s->path || !s->text || (s->meta_text != NULL) != csv ||
		    (csv && !s->meta_path)) {
			rc = grens_error_set(err, GRENS_EINVAL,
					     "grens_report_access_merge: shard %u: a path, text "
					     "or metadata is NULL",
					     i);
			goto fail;
		}
		json_error_t je;
		const char *name = csv ? s->meta_path : s->path;
		docs[i] = csv ? json_loadb(s->meta_text, s->meta_len, 0, &je)
			      : json_loadb(s->text, s->len, 0, &je);
		if (!docs[i]) {
			rc = grens_error_set(err, GRENS_EFORMAT, "merge: '%s':%d: %s", name,
					     je.line, je.text);
			goto fail;
		}
		json_t *meta = csv ? docs[i] : json_object_get(docs[i], "meta");
		if ((rc = check_shard(s->path, meta, &first, seen, &shard_count, err)))
			goto fail;
	}
	for (uint32_t s = 0; s < shard_count; s++) {
		if (!seen[s]) {
			rc = grens_error_set(err, GRENS_EFORMAT, "merge: shard %u/%u is missing", s,
					     shard_count);
			goto fail;
		}
	}
	/* the metadata of the whole run: the shards' with shard 0 of 1 */
	json_t *meta = json_deep_copy(first);
	if (!meta ||
	    json_object_set_new(meta, "shard", json_pack("{s:i, s:i}", "index", 0, "count", 1)) !=
		0) {
		json_decref(meta);
		goto nomem;
	}
	if (!(doc = access_new(meta)))
		goto nomem;
	doc->csv = csv;
	rc = csv ? merge_csv(doc, shards, count, err) : merge_origins(doc, docs, count, first, err);
	if (rc)
		goto fail;
	*out = doc;
	doc = NULL;
	rc = 0;
	goto done;
nomem:
	rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
fail:
done:
	for (uint32_t i = 0; docs && i < count; i++)
		json_decref(docs[i]);
	free(docs);
	free(seen);
	json_decref(first);
	grens_report_access_free(doc);
	return rc;
}
