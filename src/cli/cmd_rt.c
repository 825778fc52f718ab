/* grens rt: decode a GTFS-realtime file, apply it to the timetable built from
 * the feeds, and print what matched and what did not. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "grens/gtfs.h"
#include "grens/net.h"
#include "grens/rt.h"
#include "rt_record.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: grens rt [--feed PATH]... FILE [--format text|json] [--max-age S]\n"
		"                [--now ISO] [--feed-name NAME] [--reject-decreasing] [--lang L]\n"
		"                [--links FILE|none]\n"
		"       grens rt record ...   record feeds into an archive (grens rt record --help)\n"
		"\n"
		"Decode the GTFS-realtime FeedMessage in FILE and apply it to the timetable of\n"
		"the feeds: counts of matched, unknown and stale updates, cancellations, added\n"
		"trips, skipped stops, the delay distribution and the alerts.\n"
		"\n"
		"  --feed [NAME=]PATH   a GTFS feed (.zip or directory); repeatable; default the\n"
		"                       embedded feeds\n"
		"  --format text|json   output format (default text)\n"
		"  --max-age S          updates older than S seconds before --now are stale\n"
		"  --now ISO            the current time, YYYY-MM-DDTHH:MM:SS with Z or +HH:MM\n"
		"                       (UTC when no offset); default the clock\n"
		"  --feed-name NAME     the feed the realtime ids refer to (default: any)\n"
		"  --reject-decreasing  drop updates whose times decrease (default: raise them)\n"
		"  --lang L             preferred language of alert texts\n"
		"  --links FILE|none    stations that are the same across feeds (default:\n"
		"                       links.csv of the feeds directory when it exists)\n");
}

int cli_parse_iso_time(const char *s, int64_t *out)
{
	size_t n = strlen(s);
	grens_date d;
	int32_t tod;
	if (n < 16 || (s[10] != 'T' && s[10] != ' '))
		return -1;
	if (grens_date_parse_iso(s, 10, &d) != 0)
		return -1;
	size_t end = 11;
	while (end < n && s[end] != 'Z' && s[end] != '+' && s[end] != '-')
		end++;
	if (grens_time_parse(s + 11, end - 11, 1, &tod) != 0 || tod >= 86400)
		return -1;
	int64_t offset = 0;
	if (end < n && s[end] == 'Z') {
		if (end + 1 != n)
			return -1;
	} else if (end < n) {
		int32_t off;
		if (grens_time_parse(s + end + 1, n - end - 1, 1, &off) != 0 || off > 18 * 3600)
			return -1;
		offset = s[end] == '-' ? -off : off;
	}
	*out = (int64_t)d * 86400 + tod - offset;
	return 0;
}

static void format_time(int32_t t, char *buf, size_t n)
{
	grens_time_format(t, buf, n);
}

static const char *trip_feed_name(const grens_timetable *tt, uint32_t trip)
{
	return grens_net_str(tt, tt->feed_name[tt->trip_feed[trip]]);
}

static void print_text(const grens_timetable *tt, const grens_rt_overlay *ov)
{
	const grens_rt_feed_summary *h = grens_rt_overlay_header(ov);
	const grens_rt_counts *c = grens_rt_overlay_counts(ov);
	char when[40], date[16], a[16], b[16];
	cli_format_utc(h->timestamp, when, sizeof(when));
	printf("header: version %s, %s, timestamp %lld (%s)\n", h->version,
	       h->incrementality == GRENS_RT_DIFFERENTIAL ? "DIFFERENTIAL" : "FULL_DATASET",
	       (long long)h->timestamp, when);
	printf("entities %u: trip_updates %u, vehicle_positions %u (%u on known trips), "
	       "alerts %u, deleted %u\n",
	       c->entities, c->trip_updates, c->vehicle_positions, c->vehicle_positions_matched,
	       c->alerts, c->deleted);
	printf("trip updates: matched %u, unknown_trip %u, no_service_on_date %u, stale %u, "
	       "added %u, invalid %u, unsupported %u\n",
	       c->matched, c->unknown_trip, c->no_service_on_date, c->stale, c->added, c->invalid,
	       c->unsupported);
	printf("of the matched: cancelled %u, decreasing times fixed %u, rejected %u, "
	       "duplicates %u\n",
	       c->cancelled, c->decreasing_fixed, c->decreasing_rejected, c->duplicates);
	printf("stop time updates: applied %u, unknown_stop %u, skipped_stops %u\n",
	       c->stop_updates, c->unknown_stop, c->skipped_stops);
	if (c->delay_samples)
		printf("delay_s: p50 %d, p90 %d, max %d (%u samples)\n", c->delay_p50, c->delay_p90,
		       c->delay_max, c->delay_samples);
	else
		printf("delay_s: no samples\n");
	if (c->cancelled) {
		printf("cancelled trips:\n");
		for (uint32_t i = 0; i < grens_rt_trip_count(ov); i++) {
			const grens_rt_trip *t = grens_rt_trip_at(ov, i);
			if (!t->cancelled)
				continue;
			grens_date_format_iso(t->date, date, sizeof(date));
			printf("  %s:%s %s\n", trip_feed_name(tt, t->trip),
			       grens_net_str(tt, tt->trip_id[t->trip]), date);
		}
	}
	if (grens_rt_added_count(ov)) {
		printf("added trips:\n");
		for (uint32_t i = 0; i < grens_rt_added_count(ov); i++) {
			const grens_rt_added_trip *t = grens_rt_added_at(ov, i);
			grens_date_format_iso(t->date, date, sizeof(date));
			format_time(t->times[0].departure, a, sizeof(a));
			format_time(t->times[t->stop_count - 1].arrival, b, sizeof(b));
			printf("  %s %s%s%s: %s %s -> %s %s (%u stops)\n", t->trip_id, date,
			       t->route_id[0] ? " route " : "", t->route_id,
			       grens_net_str(tt, tt->stop_id[t->stops[0]]), a,
			       grens_net_str(tt, tt->stop_id[t->stops[t->stop_count - 1]]), b,
			       t->stop_count);
		}
	}
	if (grens_rt_alert_count(ov)) {
		printf("alerts:\n");
		for (uint32_t i = 0; i < grens_rt_alert_count(ov); i++) {
			const grens_rt_alert *al = grens_rt_alert_at(ov, i);
			printf("  [%s] %s / %s / %s: %s\n", al->entity_id, al->cause, al->effect,
			       al->severity, al->header[0] ? al->header : "(no header)");
			if (al->description[0])
				printf("      %s\n", al->description);
			for (uint32_t k = 0; k < al->entity_count; k++) {
				const grens_rt_informed_entity *e = &al->entities[k];
				printf("      affects%s%s%s%s%s%s%s%s\n",
				       e->agency_id[0] ? " agency " : "", e->agency_id,
				       e->route_id[0] ? " route " : "", e->route_id,
				       e->trip_id[0] ? " trip " : "", e->trip_id,
				       e->stop_id[0] ? " stop " : "", e->stop_id);
			}
		}
	}
}

static json_t *json_alert(const grens_rt_alert *al)
{
	json_t *periods = json_array(), *entities = json_array();
	for (uint32_t k = 0; k < al->period_count; k++)
		json_array_append_new(periods, json_pack("{s:I,s:I}", "start",
							 (json_int_t)al->periods[k].start, "end",
							 (json_int_t)al->periods[k].end));
	for (uint32_t k = 0; k < al->entity_count; k++) {
		const grens_rt_informed_entity *e = &al->entities[k];
		json_t *o = json_object();
		if (e->agency_id[0])
			json_object_set_new(o, "agency_id", json_string(e->agency_id));
		if (e->route_id[0])
			json_object_set_new(o, "route_id", json_string(e->route_id));
		if (e->route_type >= 0)
			json_object_set_new(o, "route_type", json_integer(e->route_type));
		if (e->direction_id >= 0)
			json_object_set_new(o, "direction_id", json_integer(e->direction_id));
		if (e->trip_id[0])
			json_object_set_new(o, "trip_id", json_string(e->trip_id));
		if (e->stop_id[0])
			json_object_set_new(o, "stop_id", json_string(e->stop_id));
		json_array_append_new(entities, o);
	}
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "id", al->entity_id, "cause",
			 al->cause, "effect", al->effect, "severity", al->severity, "header",
			 al->header, "description", al->description, "url", al->url,
			 "active_periods", periods, "informed_entities", entities);
}

static int print_json(const grens_timetable *tt, const grens_rt_overlay *ov)
{
	const grens_rt_feed_summary *h = grens_rt_overlay_header(ov);
	const grens_rt_counts *c = grens_rt_overlay_counts(ov);
	char date[16], a[16], b[16];
	json_t *root = json_object();
	json_object_set_new(
	    root, "header",
	    json_pack("{s:I,s:s,s:s}", "timestamp", (json_int_t)h->timestamp, "incrementality",
		      h->incrementality == GRENS_RT_DIFFERENTIAL ? "DIFFERENTIAL" : "FULL_DATASET",
		      "version", h->version));
#define COUNT(name) json_object_set_new(root, #name, json_integer(c->name))
	COUNT(entities);
	COUNT(trip_updates);
	COUNT(matched);
	COUNT(unknown_trip);
	COUNT(unknown_stop);
	COUNT(no_service_on_date);
	COUNT(cancelled);
	COUNT(added);
	COUNT(skipped_stops);
	COUNT(stale);
	COUNT(invalid);
	COUNT(unsupported);
	COUNT(decreasing_fixed);
	COUNT(decreasing_rejected);
	COUNT(duplicates);
	COUNT(stop_updates);
	COUNT(deleted);
	COUNT(delay_samples);
	COUNT(vehicle_positions);
	COUNT(vehicle_positions_matched);
#undef COUNT
	if (c->delay_samples)
		json_object_set_new(root, "delay_s",
				    json_pack("{s:i,s:i,s:i}", "p50", c->delay_p50, "p90",
					      c->delay_p90, "max", c->delay_max));
	else
		json_object_set_new(root, "delay_s",
				    json_pack("{s:n,s:n,s:n}", "p50", "p90", "max"));
	json_t *alerts = json_array();
	for (uint32_t i = 0; i < grens_rt_alert_count(ov); i++)
		json_array_append_new(alerts, json_alert(grens_rt_alert_at(ov, i)));
	json_object_set_new(root, "alerts", alerts);
	json_t *cancelled = json_array();
	for (uint32_t i = 0; i < grens_rt_trip_count(ov); i++) {
		const grens_rt_trip *t = grens_rt_trip_at(ov, i);
		if (!t->cancelled)
			continue;
		grens_date_format_iso(t->date, date, sizeof(date));
		json_array_append_new(cancelled, json_pack("{s:s,s:s,s:s}", "feed",
							   trip_feed_name(tt, t->trip), "trip_id",
							   grens_net_str(tt, tt->trip_id[t->trip]),
							   "date", date));
	}
	json_object_set_new(root, "cancelled_trips", cancelled);
	json_t *added = json_array();
	for (uint32_t i = 0; i < grens_rt_added_count(ov); i++) {
		const grens_rt_added_trip *t = grens_rt_added_at(ov, i);
		json_t *stops = json_array();
		for (uint32_t k = 0; k < t->stop_count; k++) {
			format_time(t->times[k].arrival, a, sizeof(a));
			format_time(t->times[k].departure, b, sizeof(b));
			json_array_append_new(stops,
					      json_pack("{s:s,s:s,s:s}", "stop_id",
							grens_net_str(tt, tt->stop_id[t->stops[k]]),
							"arrival", a, "departure", b));
		}
		grens_date_format_iso(t->date, date, sizeof(date));
		json_array_append_new(added, json_pack("{s:s,s:s,s:s,s:o}", "trip_id", t->trip_id,
						       "route_id", t->route_id, "date", date,
						       "stops", stops));
	}
	json_object_set_new(root, "added_trips", added);
	return cli_write_json("rt", root);
}

static int parse_now(const char *cmd, const char *opt, const char *value, void *dst)
{
	if (cli_parse_iso_time(value, dst) != 0) {
		cli_errorf(cmd, "%s must be YYYY-MM-DDTHH:MM:SS[Z|+HH:MM], not '%s'", opt, value);
		return -1;
	}
	return 0;
}

int cmd_rt(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "record") == 0)
		return cli_rt_record(argc - 1, argv + 1);
	cli_feed_list feeds;
	cli_link_args link;
	memset(&feeds, 0, sizeof(feeds));
	cli_link_args_init(&link);
	grens_rt_options opts = GRENS_RT_OPTIONS_INIT;
	cli_format format = CLI_FORMAT_TEXT;
	const char *file = NULL;
	unsigned file_count = 0;
	int64_t now = 0;
	int exit_code = CLI_EXIT_FAIL;

	const cli_option options[] = {
		CLI_FEED_OPTION(&feeds),
		CLI_FORMAT_OPTION(&format, CLI_FORMAT_TEXT, CLI_FORMAT_JSON),
		{ .name = "max-age", .kind = CLI_OPT_INT, .dst = &opts.max_age_s, .min = 1,
		  .max = 10.0 * 365 * 86400 },
		{ .name = "now", .kind = CLI_OPT_CALL, .dst = &now, .call = parse_now },
		{ .name = "feed-name", .kind = CLI_OPT_STRING, .dst = &opts.feed_name },
		{ .name = "reject-decreasing", .kind = CLI_OPT_FLAG, .dst = &opts.reject_decreasing },
		{ .name = "lang", .kind = CLI_OPT_STRING, .dst = &opts.lang },
		CLI_LINKS_OPTION(&link),
		{ .name = NULL },
	};
	const cli_spec spec = { .cmd = "rt", .usage = usage, .options = options,
				.args = &file, .max_args = 1, .arg_count = &file_count };
	int rc = cli_parse(&spec, argc, argv);
	if (rc)
		return cli_parse_exit(rc);
	if (!file) {
		cli_errorf("rt", "no realtime FILE given");
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (strncmp(file, "http://", 7) == 0 || strncmp(file, "https://", 8) == 0) {
		cli_errorf("rt",
			   "%s: reading a URL directly is not supported; download it with "
			   "grens fetch --kind gtfs-rt and pass the cached file",
			   file);
		return CLI_EXIT_USAGE;
	}
	cli_feed_list_default(&feeds);

	grens_error err;
	grens_error_clear(&err);
	grens_diag *diag = grens_diag_new();
	grens_rt_feed *rt = NULL;
	grens_gtfs_feed *gtfs[64] = {NULL};
	grens_diag *gtfs_diags[64] = {NULL};
	grens_timetable *tt = NULL;
	grens_rt_overlay *ov = NULL;
	grens_net_links *links = NULL;
	if (!diag) {
		cli_errorf("rt", "out of memory");
		return CLI_EXIT_FAIL;
	}
	/* The realtime file first: a bad download fails fast. */
	if (grens_rt_decode_file(&rt, file, &err) != 0) {
		cli_report_error("rt", &err);
		goto done;
	}
	if (cli_links_load("rt", &link, &links) != 0 ||
	    cli_load_feeds("rt", &feeds, gtfs, gtfs_diags) != 0 ||
	    cli_net_build("rt", (const grens_gtfs_feed *const *)gtfs, feeds.count, &link, links,
			  &tt, NULL) != 0)
		goto done;
	/* A maximum age needs a "now": the wall clock unless --now says. */
	if (opts.max_age_s && !now)
		now = (int64_t)time(NULL);
	opts.now = now;
	grens_diag *rt_diag = grens_diag_new();
	rc = grens_rt_apply(&ov, tt, (const grens_gtfs_feed *const *)gtfs, feeds.count, rt,
				&opts, rt_diag ? rt_diag : diag, &err);
	if (rc != 0) {
		cli_report_error("rt", &err);
		grens_diag_free(rt_diag);
		exit_code = rc == GRENS_EARG ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
		goto done;
	}
	if (rt_diag) {
		cli_print_notices(rt_diag, 20);
		grens_diag_free(rt_diag);
	}
	if (format == CLI_FORMAT_JSON) {
		if (print_json(tt, ov) != 0)
			goto done;
	} else {
		print_text(tt, ov);
	}
	exit_code = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
done:
	grens_rt_overlay_release(ov);
	grens_net_free(tt);
	cli_free_feeds(gtfs, gtfs_diags, feeds.count);
	grens_rt_feed_free(rt);
	grens_net_links_free(links);
	grens_diag_free(diag);
	return exit_code;
}
