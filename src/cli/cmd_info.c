/* grens info: validate feeds and summarise them. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "grens/gtfs.h"
#include "grens/net.h"

static const char *severity_name[] = { "info", "warning", "error" };

static void help(FILE *out)
{
	fprintf(out,
		"usage: grens info [--feed [NAME=]PATH]... [--format text|json] [--notices N]\n"
		"                  [--clip BBOX|FILE.geojson]\n"
		"       grens info --snapshot FILE [--format text|json]\n"
		"\n"
		"Load and validate GTFS feeds (.zip files or directories) and summarise them:\n"
		"agencies, rows per table, service date range, routable patterns and the\n"
		"data problems found (notices), with file, line and field. With --snapshot:\n"
		"check the snapshot whole and print its timetable's counts, the feeds it was\n"
		"built from (with the SHA-256 of each file) and the linking options.\n"
		"Without --feed, the embedded default feeds (%s/nl, /nrw and /be) are used.\n"
		"\n"
		"  --feed [NAME=]PATH  a feed; NAME scopes its ids (default: the file name)\n"
		"  --format FORMAT     text (default) or json\n"
		"  --notices N         text: list up to N notices per feed in full (default 20)\n"
		"  --clip REGION       clip each feed to REGION as grens build does\n"
		"                      (min_lon,min_lat,max_lon,max_lat or a GeoJSON file) and\n"
		"                      give the counts before and after\n"
		"\n"
		"Exit status: 0 when every feed is usable (rows with errors are skipped and\n"
		"counted), 1 when a feed is unusable, 2 on bad arguments.\n",
		cli_feeds_dir());
}

static void date_or_null(json_t *obj, const char *key, grens_date d)
{
	char buf[16];
	if (d == GRENS_DATE_NONE) {
		json_object_set_new(obj, key, json_null());
		return;
	}
	grens_date_format_iso(d, buf, sizeof(buf));
	json_object_set_new(obj, key, json_string(buf));
}

static uint32_t feed_patterns(const grens_timetable *tt, uint32_t feed)
{
	uint32_t n = 0;
	for (uint32_t p = 0; tt && p < tt->pattern_count; p++)
		n += tt->route_feed[tt->pattern_route[p]] == feed;
	return n;
}

static json_t *notices_json(const grens_diag *diag)
{
	json_t *notices = json_array();
	for (size_t i = 0; i < grens_diag_summary_count(diag); i++) {
		const grens_notice_summary *s = grens_diag_summary(diag, i);
		json_t *n = json_object();
		json_object_set_new(n, "code", json_string(s->code));
		json_object_set_new(n, "severity", json_string(severity_name[s->severity]));
		json_object_set_new(n, "count", json_integer((json_int_t)s->count));
		json_t *first = json_object();
		json_object_set_new(first, "file", json_string(s->first.file));
		json_object_set_new(first, "line", json_integer(s->first.line));
		json_object_set_new(first, "field", json_string(s->first.field));
		json_object_set_new(first, "message", json_string(s->first.message));
		json_object_set_new(n, "first", first);
		json_array_append_new(notices, n);
	}
	return notices;
}

static json_t *feed_json(const grens_gtfs_feed *f, const grens_diag *diag, uint32_t patterns)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(f->name));
	json_object_set_new(o, "path", json_string(f->path));
	json_t *ag = json_array();
	for (uint32_t i = 0; i < f->agency_count; i++) {
		json_t *a = json_object();
		json_object_set_new(a, "id", json_string(f->agencies[i].id));
		json_object_set_new(a, "name", json_string(f->agencies[i].name));
		json_object_set_new(a, "timezone", json_string(f->agencies[i].timezone));
		json_array_append_new(ag, a);
	}
	json_object_set_new(o, "agencies", ag);
	json_t *c = json_object();
	const grens_gtfs_counts *k = &f->counts;
	json_object_set_new(c, "agency", json_integer((json_int_t)k->agency));
	json_object_set_new(c, "stops", json_integer((json_int_t)k->stops));
	json_object_set_new(c, "routes", json_integer((json_int_t)k->routes));
	json_object_set_new(c, "trips", json_integer((json_int_t)k->trips));
	json_object_set_new(c, "stop_times", json_integer((json_int_t)k->stop_times));
	json_object_set_new(c, "calendar", json_integer((json_int_t)k->calendar));
	json_object_set_new(c, "calendar_dates", json_integer((json_int_t)k->calendar_dates));
	json_object_set_new(c, "transfers", json_integer((json_int_t)k->transfers));
	json_object_set_new(c, "frequencies", json_integer((json_int_t)k->frequencies));
	json_object_set_new(c, "rows_skipped", json_integer((json_int_t)k->rows_skipped));
	json_object_set_new(o, "counts", c);
	json_t *sd = json_object();
	date_or_null(sd, "first", f->first_service_date);
	date_or_null(sd, "last", f->last_service_date);
	json_object_set_new(o, "service_dates", sd);
	json_object_set_new(o, "patterns", json_integer(patterns));
	if (f->feed_info.present) {
		json_t *fi = json_object();
		json_object_set_new(fi, "publisher_name", json_string(f->feed_info.publisher_name));
		json_object_set_new(fi, "version", json_string(f->feed_info.version));
		date_or_null(fi, "start_date", f->feed_info.start_date);
		date_or_null(fi, "end_date", f->feed_info.end_date);
		json_object_set_new(o, "feed_info", fi);
	}
	json_object_set_new(o, "notices", notices_json(diag));
	return o;
}

static void feed_text(const grens_gtfs_feed *f, const grens_diag *diag, uint32_t patterns,
		      int max_notices)
{
	const grens_gtfs_counts *k = &f->counts;
	char first[16] = "-", last[16] = "-";
	printf("feed %s (%s)\n", f->name, f->path);
	for (uint32_t i = 0; i < f->agency_count; i++)
		printf("  agency   %s%s%s [%s]\n", f->agencies[i].name,
		       f->agencies[i].id[0] ? " id " : "", f->agencies[i].id,
		       f->agencies[i].timezone);
	if (f->feed_info.present)
		printf("  feed_info %s, version %s\n", f->feed_info.publisher_name,
		       f->feed_info.version[0] ? f->feed_info.version : "-");
	printf("  rows     agency %llu, stops %llu, routes %llu, trips %llu, stop_times %llu,\n"
	       "           calendar %llu, calendar_dates %llu, transfers %llu, frequencies %llu"
	       " (skipped %llu)\n",
	       (unsigned long long)k->agency, (unsigned long long)k->stops,
	       (unsigned long long)k->routes, (unsigned long long)k->trips,
	       (unsigned long long)k->stop_times, (unsigned long long)k->calendar,
	       (unsigned long long)k->calendar_dates, (unsigned long long)k->transfers,
	       (unsigned long long)k->frequencies, (unsigned long long)k->rows_skipped);
	if (f->first_service_date != GRENS_DATE_NONE) {
		grens_date_format_iso(f->first_service_date, first, sizeof(first));
		grens_date_format_iso(f->last_service_date, last, sizeof(last));
	}
	printf("  service  %s .. %s\n", first, last);
	printf("  patterns %u\n", patterns);
	printf("  notices  %llu errors, %llu warnings, %llu info\n",
	       (unsigned long long)grens_diag_total(diag, GRENS_SEVERITY_ERROR),
	       (unsigned long long)grens_diag_total(diag, GRENS_SEVERITY_WARNING),
	       (unsigned long long)grens_diag_total(diag, GRENS_SEVERITY_INFO));
	for (size_t i = 0; i < grens_diag_summary_count(diag); i++) {
		const grens_notice_summary *s = grens_diag_summary(diag, i);
		printf("    %-7s %-50s x%llu  first at %s:%u%s%s\n", severity_name[s->severity],
		       s->code, (unsigned long long)s->count, s->first.file, s->first.line,
		       s->first.field[0] ? " " : "", s->first.field);
	}
	size_t kept = grens_diag_kept_count(diag);
	for (size_t i = 0; i < kept && i < (size_t)max_notices; i++) {
		const grens_notice *n = grens_diag_kept(diag, i);
		printf("    %s:%u: %s%s%s: %s%s%s\n", n->file, n->line, n->field,
		       n->field[0] ? ": " : "", severity_name[n->severity], n->code,
		       n->message[0] ? ": " : "", n->message);
	}
	if (kept > (size_t)max_notices)
		printf("    (%zu more notices not listed; --notices N shows more)\n",
		       kept - (size_t)max_notices);
}

/* What --clip kept of a feed: [before, after] per count. */
static json_t *clip_json(const grens_gtfs_clip_counts *c)
{
	return json_pack("{s:[i, i], s:[i, i], s:[i, i], s:[I, I], s:i}", "stops",
			 (json_int_t)c->stops_before, (json_int_t)c->stops, "routes",
			 (json_int_t)c->routes_before, (json_int_t)c->routes, "trips",
			 (json_int_t)c->trips_before, (json_int_t)c->trips, "stop_times",
			 (json_int_t)c->stop_times_before, (json_int_t)c->stop_times,
			 "trips_cut_in_parts", (json_int_t)c->trips_split);
}

static void clip_text(const grens_gtfs_clip_counts *c)
{
	printf("  clip     stops %u -> %u, routes %u -> %u, trips %u -> %u (%u cut in parts), "
	       "stop_times %llu -> %llu\n",
	       c->stops_before, c->stops, c->routes_before, c->routes, c->trips_before, c->trips,
	       c->trips_split, (unsigned long long)c->stop_times_before,
	       (unsigned long long)c->stop_times);
}

/* grens info --snapshot: the timetable's counts and the provenance. */
static int snapshot_info(cli_feed_list *list, cli_format format)
{
	cli_source src;
	int code = cli_source_load("info", list, NULL, &src);
	if (code) {
		cli_source_free(&src);
		return code;
	}
	const grens_timetable *tt = src.snapshot;
	const json_t *prov = src.provenance;
	FILE *f = fopen(src.path, "rb");
	long bytes = -1;
	if (f && fseek(f, 0, SEEK_END) == 0)
		bytes = ftell(f);
	if (f)
		fclose(f);
	const char *written_by = json_string_value(json_object_get(prov, "grens_version"));
	uint32_t footpaths = tt->footpath_offset[tt->stop_count];
	double per_event = tt->stop_time_count && bytes > 0
				   ? (double)bytes / (double)tt->stop_time_count
				   : 0.0;
	if (format == CLI_FORMAT_JSON) {
		json_t *root = json_pack(
		    "{s:{s:s, s:I, s:i, s:s?, s:s}, s:O, s:{s:i, s:i, s:i, s:I, s:i, s:f}, s:O, "
		    "s:O, s:O}",
		    "snapshot", "file", src.path, "bytes", (json_int_t)bytes, "format_version",
		    GRENS_NET_SNAPSHOT_VERSION, "grens_version", written_by, "inputs_sha256",
		    grens_net_snapshot_inputs(tt), "feeds", json_object_get(prov, "feeds"),
		    "timetable", "stops", (json_int_t)tt->stop_count, "patterns",
		    (json_int_t)tt->pattern_count, "trips", (json_int_t)tt->trip_count,
		    "stop_events", (json_int_t)tt->stop_time_count, "footpaths",
		    (json_int_t)footpaths, "bytes_per_stop_event", per_event, "link_options",
		    json_object_get(prov, "link_options"), "links", json_object_get(prov, "links"),
		    "overrides", json_object_get(prov, "overrides"));
		code = cli_write_json("info", root) ? CLI_EXIT_FAIL : CLI_EXIT_OK;
		cli_source_free(&src);
		return code;
	}
	printf("snapshot %s: format %d, written by grens %s, %ld bytes, inputs sha256 %s\n",
	       src.path, GRENS_NET_SNAPSHOT_VERSION, written_by ? written_by : "?", bytes,
	       grens_net_snapshot_inputs(tt));
	size_t i;
	const json_t *feed;
	json_array_foreach(json_object_get(prov, "feeds"), i, feed) {
		const char *version = json_string_value(json_object_get(feed, "version"));
		printf("feed %s (%s), version %s, %zu files\n",
		       json_string_value(json_object_get(feed, "name")),
		       json_string_value(json_object_get(feed, "path")),
		       version && version[0] ? version : "-",
		       json_array_size(json_object_get(feed, "files")));
		size_t k;
		const json_t *file;
		json_array_foreach(json_object_get(feed, "files"), k, file)
			printf("  %-24s %.12s  %lld bytes\n",
			       json_string_value(json_object_get(file, "name")),
			       json_string_value(json_object_get(file, "sha256")),
			       (long long)json_integer_value(json_object_get(file, "bytes")));
	}
	printf("timetable %u stops, %u patterns, %u trips, %llu stop events, %u footpaths, "
	       "%.1f bytes per stop event\n",
	       tt->stop_count, tt->pattern_count, tt->trip_count,
	       (unsigned long long)tt->stop_time_count, footpaths, per_event);
	char *opts = json_dumps(json_object_get(prov, "link_options"), JSON_COMPACT);
	printf("linked with %s\n", opts ? opts : "?");
	free(opts);
	cli_source_free(&src);
	return CLI_EXIT_OK;
}

int cmd_info(int argc, char **argv)
{
	cli_feed_list list;
	cli_format format = CLI_FORMAT_TEXT;
	int32_t max_notices = 20;
	memset(&list, 0, sizeof(list));
	const cli_option options[] = {
		CLI_FEED_OPTION(&list),
		CLI_SNAPSHOT_OPTION(&list),
		CLI_CLIP_OPTION(&list),
		CLI_FORMAT_OPTION(&format, CLI_FORMAT_TEXT, CLI_FORMAT_JSON),
		{ .name = "notices", .kind = CLI_OPT_INT32, .dst = &max_notices, .min = 0,
		  .max = 1000000 },
		{ .name = NULL },
	};
	const cli_spec spec = { .cmd = "info", .usage = help, .options = options };
	int rc = cli_parse(&spec, argc, argv);
	if (rc)
		return cli_parse_exit(rc);
	if (list.snapshot && list.count) {
		cli_errorf("info", "give --feed or --snapshot, not both");
		return CLI_EXIT_USAGE;
	}
	if (list.snapshot)
		return snapshot_info(&list, format);
	if ((rc = cli_clip_check("info", list.clip)))
		return rc;
	cli_feed_list_default(&list);

	grens_gtfs_feed *feeds[64] = { 0 };
	grens_diag *diags[64] = { 0 };
	grens_gtfs_clip_counts clipped[64];
	memset(clipped, 0, sizeof(clipped));
	list.clip_counts = clipped;
	int failed = cli_load_feeds("info", &list, feeds, diags) != 0;

	/* Build one timetable over the usable feeds to count patterns. */
	const grens_gtfs_feed *usable[64];
	uint32_t usable_index[64], nu = 0;
	for (unsigned i = 0; i < list.count; i++)
		if (feeds[i]) {
			usable_index[i] = nu;
			usable[nu++] = feeds[i];
		}
	grens_timetable *tt = NULL;
	grens_diag *net_diag = grens_diag_new();
	if (nu) {
		grens_net_options opts = GRENS_NET_OPTIONS_INIT;
		grens_error err;
		grens_error_clear(&err);
		cli_progress_init(&opts.progress);
		if (grens_net_build(&tt, usable, nu, &opts, net_diag, &err) != 0) {
			cli_report_error("info", &err);
			failed = 1;
		}
	}

	if (format == CLI_FORMAT_JSON) {
		json_t *root = json_object();
		json_t *arr = json_array();
		for (unsigned i = 0; i < list.count; i++)
			if (feeds[i]) {
				json_t *fj = feed_json(feeds[i], diags[i],
						       feed_patterns(tt, usable_index[i]));
				if (list.clip)
					json_object_set_new(fj, "clip", clip_json(&clipped[i]));
				json_array_append_new(arr, fj);
			}
		json_object_set_new(root, "feeds", arr);
		if (tt) {
			json_t *t = json_object();
			json_object_set_new(t, "stops", json_integer(tt->stop_count));
			json_object_set_new(t, "patterns", json_integer(tt->pattern_count));
			json_object_set_new(t, "trips", json_integer(tt->trip_count));
			json_object_set_new(t, "stop_events",
					    json_integer((json_int_t)tt->stop_time_count));
			json_object_set_new(t, "footpaths",
					    json_integer(tt->footpath_offset[tt->stop_count]));
			json_object_set_new(t, "bytes", json_integer((json_int_t)grens_net_bytes(tt)));
			json_object_set_new(t, "notices", notices_json(net_diag));
			json_object_set_new(root, "timetable", t);
		}
		char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (s)
			puts(s);
		free(s);
		json_decref(root);
	} else {
		for (unsigned i = 0; i < list.count; i++)
			if (feeds[i]) {
				feed_text(feeds[i], diags[i], feed_patterns(tt, usable_index[i]),
					  max_notices);
				if (list.clip)
					clip_text(&clipped[i]);
			}
		if (tt)
			printf("timetable %u stops, %u patterns, %u trips, %llu stop events, "
			       "%u footpaths, %.1f MB\n",
			       tt->stop_count, tt->pattern_count, tt->trip_count,
			       (unsigned long long)tt->stop_time_count,
			       tt->footpath_offset[tt->stop_count],
			       (double)grens_net_bytes(tt) / 1e6);
		for (size_t i = 0; i < grens_diag_summary_count(net_diag); i++) {
			const grens_notice_summary *s = grens_diag_summary(net_diag, i);
			printf("  %-7s %-50s x%llu  first: %s\n", severity_name[s->severity], s->code,
			       (unsigned long long)s->count, s->first.message);
		}
	}
	grens_net_free(tt);
	grens_diag_free(net_diag);
	cli_free_feeds(feeds, diags, list.count);
	return failed ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}
