/* The document of grens link --report (grens-json(7), "grens link"): how
 * feeds were joined into one timetable, as JSON, CSV or text. */
#include <math.h>
#include <string.h>

#include "report_internal.h"

static const char *feed_of(const grens_timetable *tt, uint32_t feed)
{
	return grens_net_str(tt, tt->feed_name[feed]);
}

static json_t *stop_json(const grens_timetable *tt, uint32_t s)
{
	json_t *o = json_object();
	json_object_set_new(o, "feed", json_string(feed_of(tt, tt->stop_feed[s])));
	json_object_set_new(o, "id", json_string(grens_net_str(tt, tt->stop_id[s])));
	json_object_set_new(o, "name", json_string(grens_net_str(tt, tt->stop_name[s])));
	return o;
}

static json_t *distance_json(double d)
{
	return isnan(d) ? json_null() : json_real(round(d * 10.0) / 10.0);
}

static json_t *trip_json(const grens_timetable *tt, uint32_t feed, uint32_t id)
{
	json_t *o = json_object();
	json_object_set_new(o, "feed", json_string(feed_of(tt, feed)));
	json_object_set_new(o, "trip_id", json_string(grens_net_str(tt, id)));
	return o;
}

/* Add "distance_m", "a" and "b" of a pair of stops to o; returns o. */
static json_t *add_pair(json_t *o, const grens_timetable *tt, double d, uint32_t a, uint32_t b)
{
	json_object_set_new(o, "distance_m", distance_json(d));
	json_object_set_new(o, "a", stop_json(tt, a));
	json_object_set_new(o, "b", stop_json(tt, b));
	return o;
}

static json_t *link_json(const grens_timetable *tt, const grens_net_link_report *r)
{
	json_t *root = json_object();
	json_object_set_new(root, "timezone", json_string(grens_net_str(tt, tt->timezone)));
	json_t *feeds = json_array();
	for (uint32_t f = 0; f < r->zone_count; f++) {
		const grens_net_feed_zone *z = &r->zones[f];
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(feed_of(tt, f)));
		json_object_set_new(o, "timezone", json_string(grens_net_str(tt, z->timezone)));
		json_object_set_new(o, "shift_min_s", json_integer(z->shift_min));
		json_object_set_new(o, "shift_max_s", json_integer(z->shift_max));
		json_object_set_new(o, "services_split", json_integer(z->services_split));
		json_object_set_new(o, "trips_moved", json_integer(z->trips_moved));
		json_array_append_new(feeds, o);
	}
	json_object_set_new(root, "feeds", feeds);
	json_t *matches = json_array();
	for (uint32_t i = 0; i < r->match_count; i++) {
		const grens_net_stop_match *m = &r->matches[i];
		json_t *o = json_object();
		json_object_set_new(o, "rule", json_string(grens_net_rule_name(m->rule)));
		json_array_append_new(matches,
				      add_pair(o, tt, m->distance_m, m->stop_a, m->stop_b));
	}
	json_object_set_new(root, "matches", matches);
	json_t *misses = json_array();
	for (uint32_t i = 0; i < r->near_miss_count; i++) {
		const grens_net_near_miss *m = &r->near_misses[i];
		json_t *o = json_object();
		json_object_set_new(o, "reason", json_string(m->reason));
		json_array_append_new(misses, add_pair(o, tt, m->distance_m, m->stop_a, m->stop_b));
	}
	json_object_set_new(root, "near_misses", misses);
	json_t *far = json_array();
	for (uint32_t i = 0; i < r->far_link_count; i++) {
		const grens_net_far_link *m = &r->far_links[i];
		json_t *o = json_object();
		json_object_set_new(o, "file", json_string(m->file));
		json_object_set_new(o, "line", json_integer(m->line));
		json_object_set_new(o, "radius_m", distance_json(m->limit_m));
		json_array_append_new(far, add_pair(o, tt, m->distance_m, m->stop_a, m->stop_b));
	}
	json_object_set_new(root, "far_links", far);
	json_t *merges = json_array();
	for (uint32_t i = 0; i < r->merge_count; i++) {
		const grens_net_trip_merge *m = &r->merges[i];
		json_t *o = json_object();
		json_object_set_new(o, "kind", json_string(grens_net_merge_kind_name(m->kind)));
		json_object_set_new(o, "short_name", json_string(grens_net_str(tt, m->short_name)));
		json_object_set_new(o, "a", trip_json(tt, m->feed_a, m->trip_id_a));
		json_object_set_new(o, "b", trip_json(tt, m->feed_b, m->trip_id_b));
		json_object_set_new(o, "shared_stops", json_integer(m->shared_stops));
		json_object_set_new(o, "days", json_integer(m->days));
		json_object_set_new(o, "max_difference_s", json_integer(m->max_difference));
		json_array_append_new(merges, o);
	}
	json_object_set_new(root, "merged_trips", merges);
	json_t *counts = json_object();
	json_object_set_new(counts, "matches", json_integer(r->match_count));
	json_object_set_new(counts, "near_misses", json_integer(r->near_miss_count));
	json_object_set_new(counts, "far_links", json_integer(r->far_link_count));
	json_object_set_new(counts, "merged_trips", json_integer(r->merge_count));
	json_object_set_new(counts, "link_footpaths", json_integer(r->link_footpaths));
	json_object_set_new(counts, "links_unresolved", json_integer(r->links_unresolved));
	json_object_set_new(counts, "near_misses_not_listed",
			    json_integer(r->near_misses_over_limit));
	json_object_set_new(counts, "stops", json_integer(tt->stop_count));
	json_object_set_new(counts, "trips", json_integer(tt->trip_count));
	json_object_set_new(root, "counts", counts);
	return root;
}

static int check_args(const char *fn, FILE *f, const grens_timetable *tt,
		      const grens_net_link_report *r, grens_error *err)
{
	if (!f)
		return grens_error_set(err, GRENS_EINVAL, "%s: f is NULL", fn);
	if (!tt)
		return grens_error_set(err, GRENS_EINVAL, "%s: tt is NULL", fn);
	if (!r)
		return grens_error_set(err, GRENS_EINVAL, "%s: report is NULL", fn);
	return 0;
}

int grens_report_link_write_json(FILE *f, const grens_timetable *tt,
				 const grens_net_link_report *report, grens_error *err)
{
	int rc = check_args("grens_report_link_write_json", f, tt, report, err);
	if (rc)
		return rc;
	json_t *root = link_json(tt, report);
	if (!root)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	rc = json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (fputc('\n', f) == EOF || rc != 0)
		return grens_error_set(err, GRENS_EIO, "cannot write JSON");
	return 0;
}

static void csv_field(FILE *f, const char *s, int last)
{
	(void)grens_report_csv_field(f, s);
	fputc(last ? '\n' : ',', f);
}

static void csv_pair(FILE *f, const grens_timetable *tt, const char *section, const char *what,
		     double d, uint32_t a, uint32_t b, const char *detail)
{
	char dist[32] = "";
	if (!isnan(d))
		snprintf(dist, sizeof(dist), "%.1f", d);
	csv_field(f, section, 0);
	csv_field(f, what, 0);
	csv_field(f, dist, 0);
	csv_field(f, feed_of(tt, tt->stop_feed[a]), 0);
	csv_field(f, grens_net_str(tt, tt->stop_id[a]), 0);
	csv_field(f, grens_net_str(tt, tt->stop_name[a]), 0);
	csv_field(f, feed_of(tt, tt->stop_feed[b]), 0);
	csv_field(f, grens_net_str(tt, tt->stop_id[b]), 0);
	csv_field(f, grens_net_str(tt, tt->stop_name[b]), 0);
	csv_field(f, detail, 1);
}

int grens_report_link_write_csv(FILE *f, const grens_timetable *tt, const grens_net_link_report *r,
				grens_error *err)
{
	int rc = check_args("grens_report_link_write_csv", f, tt, r, err);
	if (rc)
		return rc;
	fprintf(f, "section,rule,distance_m,feed_a,id_a,name_a,feed_b,id_b,name_b,detail\n");
	for (uint32_t i = 0; i < r->match_count; i++) {
		const grens_net_stop_match *m = &r->matches[i];
		csv_pair(f, tt, "match", grens_net_rule_name(m->rule), m->distance_m, m->stop_a,
			 m->stop_b, "");
	}
	for (uint32_t i = 0; i < r->near_miss_count; i++) {
		const grens_net_near_miss *m = &r->near_misses[i];
		csv_pair(f, tt, "near_miss", "", m->distance_m, m->stop_a, m->stop_b, m->reason);
	}
	for (uint32_t i = 0; i < r->far_link_count; i++) {
		const grens_net_far_link *m = &r->far_links[i];
		char detail[128];
		snprintf(detail, sizeof(detail), "%s:%u;radius_m=%.0f", m->file, m->line,
			 m->limit_m);
		csv_pair(f, tt, "far_link", "", m->distance_m, m->stop_a, m->stop_b, detail);
	}
	for (uint32_t i = 0; i < r->merge_count; i++) {
		const grens_net_trip_merge *m = &r->merges[i];
		char detail[128];
		snprintf(
		    detail, sizeof(detail), "train=%s;shared_stops=%u;days=%u;max_difference_s=%d",
		    grens_net_str(tt, m->short_name), m->shared_stops, m->days, m->max_difference);
		csv_field(f, "merged_trip", 0);
		csv_field(f, grens_net_merge_kind_name(m->kind), 0);
		csv_field(f, "", 0);
		csv_field(f, feed_of(tt, m->feed_a), 0);
		csv_field(f, grens_net_str(tt, m->trip_id_a), 0);
		csv_field(f, "", 0);
		csv_field(f, feed_of(tt, m->feed_b), 0);
		csv_field(f, grens_net_str(tt, m->trip_id_b), 0);
		csv_field(f, "", 0);
		csv_field(f, detail, 1);
	}
	return ferror(f) ? grens_error_set(err, GRENS_EIO, "cannot write CSV") : 0;
}

int grens_report_link_write_text(FILE *f, const grens_timetable *tt, const grens_net_link_report *r,
				 grens_error *err)
{
	int rc = check_args("grens_report_link_write_text", f, tt, r, err);
	if (rc)
		return rc;
	fprintf(f, "times in %s\n",
		grens_net_str(tt, tt->timezone)[0] ? grens_net_str(tt, tt->timezone)
						   : "(no time zone given)");
	for (uint32_t i = 0; i < r->zone_count; i++) {
		const grens_net_feed_zone *z = &r->zones[i];
		/* feed names are the user's (--feed NAME=PATH): padded by display width */
		fputs("  feed ", f);
		grens_report_text_cell(f, feed_of(tt, i), 8, false, false);
		fprintf(f, " %-20s shift %+d..%+d s, %u services split, %u trips moved a day\n",
			grens_net_str(tt, z->timezone), z->shift_min, z->shift_max,
			z->services_split, z->trips_moved);
	}
	fprintf(f, "\nmatched stations: %u\n", r->match_count);
	for (uint32_t i = 0; i < r->match_count; i++) {
		const grens_net_stop_match *m = &r->matches[i];
		fprintf(f, "  %-8s %7.0f m  %s:%s \"%s\" = %s:%s \"%s\"\n",
			grens_net_rule_name(m->rule), isnan(m->distance_m) ? -1.0 : m->distance_m,
			feed_of(tt, tt->stop_feed[m->stop_a]),
			grens_net_str(tt, tt->stop_id[m->stop_a]),
			grens_net_str(tt, tt->stop_name[m->stop_a]),
			feed_of(tt, tt->stop_feed[m->stop_b]),
			grens_net_str(tt, tt->stop_id[m->stop_b]),
			grens_net_str(tt, tt->stop_name[m->stop_b]));
	}
	fprintf(f, "\nnear misses: %u\n", r->near_miss_count);
	for (uint32_t i = 0; i < r->near_miss_count; i++) {
		const grens_net_near_miss *m = &r->near_misses[i];
		fprintf(f, "  %7.0f m  %s:%s \"%s\" / %s:%s \"%s\": %s\n",
			isnan(m->distance_m) ? -1.0 : m->distance_m,
			feed_of(tt, tt->stop_feed[m->stop_a]),
			grens_net_str(tt, tt->stop_id[m->stop_a]),
			grens_net_str(tt, tt->stop_name[m->stop_a]),
			feed_of(tt, tt->stop_feed[m->stop_b]),
			grens_net_str(tt, tt->stop_id[m->stop_b]),
			grens_net_str(tt, tt->stop_name[m->stop_b]), m->reason);
	}
	if (r->near_misses_over_limit)
		fprintf(f, "  (%u more near misses not listed)\n", r->near_misses_over_limit);
	fprintf(f, "\nexplicit links longer than the walking radius: %u\n", r->far_link_count);
	for (uint32_t i = 0; i < r->far_link_count; i++) {
		const grens_net_far_link *m = &r->far_links[i];
		fprintf(f, "  %7.0f m  %s:%s \"%s\" = %s:%s \"%s\"  (%s:%u, radius %.0f m)\n",
			m->distance_m, feed_of(tt, tt->stop_feed[m->stop_a]),
			grens_net_str(tt, tt->stop_id[m->stop_a]),
			grens_net_str(tt, tt->stop_name[m->stop_a]),
			feed_of(tt, tt->stop_feed[m->stop_b]),
			grens_net_str(tt, tt->stop_id[m->stop_b]),
			grens_net_str(tt, tt->stop_name[m->stop_b]), m->file, m->line, m->limit_m);
	}
	fprintf(f, "\nmerged trips: %u\n", r->merge_count);
	for (uint32_t i = 0; i < r->merge_count; i++) {
		const grens_net_trip_merge *m = &r->merges[i];
		fprintf(f, "  %-9s train ", grens_net_merge_kind_name(m->kind));
		grens_report_text_cell(f, grens_net_str(tt, m->short_name), 6, false, false);
		fprintf(f, " %s:%s + %s:%s  %u shared stops, %u days, max %d s apart\n",
			feed_of(tt, m->feed_a), grens_net_str(tt, m->trip_id_a),
			feed_of(tt, m->feed_b), grens_net_str(tt, m->trip_id_b), m->shared_stops,
			m->days, m->max_difference);
	}
	fprintf(f, "\nfootpaths between matched stations: %u\n", r->link_footpaths);
	if (r->links_unresolved)
		fprintf(f, "links rows naming unknown stops: %u\n", r->links_unresolved);
	fprintf(f, "timetable: %u stops, %u trips\n", tt->stop_count, tt->trip_count);
	return ferror(f) ? grens_error_set(err, GRENS_EIO, "cannot write the link report") : 0;
}
