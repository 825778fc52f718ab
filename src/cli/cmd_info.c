/* grens info: validate feeds and summarise them. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "grens/gtfs.h"
#include "grens/net.h"
#include "grens/report.h"

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
	uint32_t nu = 0;
	for (unsigned i = 0; i < list.count; i++)
		if (feeds[i])
			usable[nu++] = feeds[i];
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

	const grens_report_info doc = {
		.feeds = (const grens_gtfs_feed *const *)feeds,
		.diags = (const grens_diag *const *)diags,
		.clips = list.clip ? clipped : NULL,
		.feed_count = list.count,
		.tt = tt,
		.net_diag = net_diag,
		.max_notices = (uint32_t)max_notices,
	};
	grens_error err;
	grens_error_clear(&err);
	if (format == CLI_FORMAT_JSON ? grens_report_info_write_json(stdout, &doc, &err)
				      : grens_report_info_write_text(stdout, &doc, &err)) {
		cli_report_error("info", &err);
		failed = 1;
	}
	grens_net_free(tt);
	grens_diag_free(net_diag);
	cli_free_feeds(feeds, diags, list.count);
	return failed ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}
