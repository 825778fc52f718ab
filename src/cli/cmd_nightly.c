/* grens nightly: fetch the feeds, rebuild, run the configured analyses,
 * write a dated report folder, point `latest` at it and diff it against
 * the previous night. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "grens/fetch.h"
#include "grens/gtfs.h"
#include "report_cli.h"
#include "nightly_realised.h"
#include "rt_record.h"
#include "source.h"

#define CMD "nightly"

_Static_assert(GRENS_REPORT_NIGHTLY_MAX_PAIRS <= REPORT_CLI_MAX_PAIRS &&
		       GRENS_REPORT_NIGHTLY_MAX_SCENARIOS <= REPORT_CLI_MAX_SCENARIOS &&
		       GRENS_REPORT_NIGHTLY_MAX_PLACES <= REPORT_CLI_MAX_PLACES_FILES &&
		       GRENS_REPORT_NIGHTLY_MAX_CUTOFFS <= REPORT_CLI_MAX_CUTOFFS,
	       "the nightly configuration fits the report's lists");
_Static_assert(sizeof(((cli_record_setup *)0)->archive) ==
		       sizeof(((grens_report_nightly_config *)0)->rt_archive) &&
		   sizeof(((cli_record_setup *)0)->urls) ==
		       sizeof(((grens_report_nightly_config *)0)->rt_record_urls),
	       "the recording keys fit the recorder's setup");

static void usage(FILE *o)
{
	fprintf(o, "usage: grens nightly --config FILE --out DIR [--date YYYY-MM-DD]\n"
		   "                     [--no-fetch] [--force]\n\n"
		   "Refresh every enabled GTFS feed of the configuration's feed list into its\n"
		   "cache, rebuild the network, run the configured pairs and scenarios, and\n"
		   "write the report into DIR/DATE/ (DATE: --date, else today), with the\n"
		   "timetable as DIR/DATE/timetable.grens (grens build; --snapshot reads it).\n"
		   "The folder is built as DIR/.partial-DATE.* and renamed into place when\n"
		   "complete (with a COMPLETE file), replacing an earlier one of that date.\n"
		   "DIR/latest then\n"
		   "points at it unless it points at a later night, and DIR/DATE/diff.json and\n"
		   "diff.txt list what changed since the newest earlier complete night: feeds\n"
		   "(by SHA-256), median travel times and reachable population beyond the\n"
		   "configured thresholds. Enabled GTFS-realtime feeds are refreshed too; each\n"
		   "gives a note in the report (its age, what matched the network, delays);\n"
		   "they never fail the run. With rt_archive and rt_record_urls it starts\n"
		   "grens rt record in the background until the next night (unless one runs\n"
		   "on that archive); with rt_archive alone it reads a folder recorded\n"
		   "elsewhere. Either way the report notes the archive's status.json.\n\n"
		   "  --config FILE  the nightly configuration (nightly.yaml; a key = value\n"
		   "                 file is still read, with a notice: grens config convert)\n"
		   "  --out DIR      where the dated report folders go\n"
		   "  --date DATE    the folder's date, YYYY-MM-DD (default: today)\n"
		   "  --no-fetch     use the cached feeds as they are (still checks their age)\n"
		   "  --force        point DIR/latest at DATE even when it is older\n\n"
		   "Exit status: 0; 1 when a feed is missing or stale (its last good download\n"
		   "is older than max_age), or the work failed, each reason on stderr; 2 bad\n"
		   "arguments or configuration. Format of FILE: grens-nightly.yaml(5).\n");
}

/* Seconds since the epoch of "YYYY-MM-DDTHH:MM:SSZ", or -1. */
static int64_t parse_utc(const char *s)
{
	grens_date d;
	int32_t t;
	if (strlen(s) != 20 || s[10] != 'T' || s[19] != 'Z' || grens_date_parse_iso(s, 10, &d) ||
	    grens_time_parse(s + 11, 8, 0, &t))
		return -1;
	return (int64_t)d * 86400 + t;
}

/* A download becomes current only when it is a GTFS archive with the
 * required files (as in grens fetch). */
/* Download one feed into the cache as grens fetch does; a failure is named
 * on stderr. Returns grens_fetch_run's result. */
static int fetch_one(const grens_report_nightly_config *cfg, grens_fetch_feed *feed,
		     grens_fetch_result *res, grens_error *err)
{
	grens_fetch_options opts = GRENS_FETCH_OPTIONS_INIT;
	cli_fetch_resolve_headers(CMD, feed);
	opts.verify = cli_fetch_verify;
	int rc = grens_fetch_run(feed, cfg->cache, &opts, res, err);
	if (rc)
		cli_errorf(CMD, "%s: download failed: %s", feed->name, err->message);
	return rc;
}

/* Fetch (unless no_fetch) every enabled GTFS-realtime feed and hand the
 * ones with a good copy in the cache to the report (a note each). Realtime
 * never fails the run: a failed download is a note, the last good copy is
 * used. Returns 0, or -1 when a path does not fit. */
static int refresh_rt(const grens_report_nightly_config *cfg, grens_fetch_config *feeds,
		      bool no_fetch, report_cli_spec *spec, grens_report *report,
		      char (*paths)[GRENS_REPORT_PATH_BYTES])
{
	grens_error err;
	for (size_t i = 0; i < grens_fetch_config_count(feeds); i++) {
		grens_fetch_feed *feed = grens_fetch_config_feed(feeds, i);
		if (!feed->enabled || feed->kind != GRENS_FETCH_GTFS_RT)
			continue;
		if (spec->rt_count == REPORT_CLI_MAX_RT) {
			cli_errorf(CMD, "%s: more than %u realtime feeds; the rest are not used",
				   feed->name, REPORT_CLI_MAX_RT);
			return 0;
		}
		grens_error_clear(&err);
		grens_fetch_result res;
		if (!no_fetch && fetch_one(cfg, feed, &res, &err) != 0) {
			char note[sizeof(err.message) + 512];
			snprintf(note, sizeof(note),
				 "realtime %s: download failed (%s); the last good copy is "
				 "used if there is one",
				 feed->name, err.message);
			grens_error_clear(&err);
			if (grens_report_add_note(report, note, &err))
				return -1;
		}
		char *path = paths[spec->rt_count];
		if ((size_t)snprintf(path, GRENS_REPORT_PATH_BYTES, "%s/%s/current.pb", cfg->cache,
				     feed->name) >= GRENS_REPORT_PATH_BYTES) {
			cli_errorf(CMD, "the cache path is too long");
			return -1;
		}
		if (access(path, R_OK) != 0) {
			char note[GRENS_FETCH_NAME_BYTES + 64];
			snprintf(note, sizeof(note), "realtime %s: no good download yet", feed->name);
			grens_error_clear(&err);
			if (grens_report_add_note(report, note, &err))
				return -1;
			continue;
		}
		spec->rt_names[spec->rt_count] = feed->name;
		spec->rt_paths[spec->rt_count++] = path;
	}
	return 0;
}

/* Fetch (unless no_fetch) and check every enabled GTFS feed; fills the feed
 * list with NAME=CACHE/NAME/current.zip. Returns the number of feeds that
 * are missing or stale (each named on stderr), or -1 on other errors. */
static int refresh(const grens_report_nightly_config *cfg, grens_fetch_config *feeds,
		   bool no_fetch, time_t now, report_cli_spec *spec, grens_report *report,
		   char (*paths)[GRENS_REPORT_PATH_BYTES])
{
	int bad = 0;
	unsigned used = 0;
	grens_error err;
	for (size_t i = 0; i < grens_fetch_config_count(feeds); i++) {
		grens_fetch_feed *feed = grens_fetch_config_feed(feeds, i);
		if (!feed->enabled || feed->kind != GRENS_FETCH_GTFS)
			continue;
		if (used == sizeof(spec->feeds.paths) / sizeof(spec->feeds.paths[0])) {
			cli_errorf(CMD, "too many feeds");
			return -1;
		}
		grens_error_clear(&err);
		char note[sizeof(err.message) + 512];
		if (!no_fetch) {
			grens_fetch_result res;
			if (fetch_one(cfg, feed, &res, &err) != 0) {
				snprintf(note, sizeof(note), "feed %s: download failed (%s)",
					 feed->name, err.message);
			} else {
				snprintf(note, sizeof(note), "feed %s: %s (%s)", feed->name,
					 grens_fetch_outcome_name(res.outcome), feed->url);
			}
			grens_error_clear(&err);
			if (grens_report_add_note(report, note, &err))
				return -1;
		}
		if ((size_t)snprintf(paths[used], GRENS_REPORT_PATH_BYTES, "%s=%s/%s/current.zip",
				     feed->name, cfg->cache,
				     feed->name) >= GRENS_REPORT_PATH_BYTES) {
			cli_errorf(CMD, "the cache path is too long");
			return -1;
		}
		const char *file = strchr(paths[used], '=') + 1;
		if (access(file, R_OK) != 0) {
			cli_errorf(CMD, "%s: missing: no good download in %s", feed->name, file);
			bad++;
			continue;
		}
		grens_fetch_status st;
		int64_t last = -1;
		if (grens_fetch_status_read(&st, cfg->cache, feed->name, &err) == 0)
			last = parse_utc(st.last_success);
		if (last < 0 || (int64_t)now - last > cfg->max_age_s) {
			cli_errorf(CMD,
				   "%s: stale: last good download %s, more than %lld s ago (max_age)",
				   feed->name, last < 0 ? "unknown" : st.last_success,
				   (long long)cfg->max_age_s);
			bad++;
			continue;
		}
		spec->feeds.paths[used] = paths[used];
		spec->feeds.clips[used] = feed->clip[0] ? feed->clip : NULL;
		spec->feeds.count = ++used;
	}
	if (used == 0 && bad == 0) {
		cli_errorf(CMD, "the feed list has no enabled GTFS feed");
		return -1;
	}
	return bad;
}

/* dir/name into buf (GRENS_REPORT_PATH_BYTES); -1 when too long. */
static int join(char *buf, const char *dir, const char *name)
{
	return (size_t)snprintf(buf, GRENS_REPORT_PATH_BYTES, "%s/%s", dir, name) >=
			       GRENS_REPORT_PATH_BYTES
		       ? -1
		       : 0;
}

int cmd_nightly(int argc, char **argv)
{
	const char *config = NULL, *out = NULL;
	bool no_fetch = false, date_given = false, force = false;
	grens_date run_date = GRENS_DATE_NONE;
	const cli_option options[] = {
		{ .name = "config", .kind = CLI_OPT_STRING, .dst = &config, .required = true },
		{ .name = "out", .kind = CLI_OPT_STRING, .dst = &out, .required = true },
		{ .name = "date", .kind = CLI_OPT_DATE, .dst = &run_date, .seen = &date_given },
		{ .name = "no-fetch", .kind = CLI_OPT_FLAG, .dst = &no_fetch },
		{ .name = "force", .kind = CLI_OPT_FLAG, .dst = &force },
		{ .name = NULL },
	};
	const cli_spec cs = { .cmd = CMD, .usage = usage, .options = options };
	int rc = cli_parse(&cs, argc, argv);
	if (rc)
		return cli_parse_exit(rc);
	time_t now = time(NULL);
	if (!date_given) {
		struct tm tm;
		localtime_r(&now, &tm);
		run_date = grens_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	}

	grens_report_nightly_config *cfg = calloc(1, sizeof(*cfg));
	cli_record_setup *rec = calloc(1, sizeof(*rec));
	char(*paths)[GRENS_REPORT_PATH_BYTES] = calloc(64, GRENS_REPORT_PATH_BYTES);
	char(*rt_paths)[GRENS_REPORT_PATH_BYTES] =
	    calloc(REPORT_CLI_MAX_RT, GRENS_REPORT_PATH_BYTES);
	grens_fetch_config *feeds = NULL;
	grens_report *report = NULL;
	grens_report_night *night = NULL;
	grens_error err;
	grens_error_clear(&err);
	int code = CLI_EXIT_USAGE;
	if (!cfg || !rec || !paths || !rt_paths) {
		cli_errorf(CMD, "out of memory");
		code = CLI_EXIT_FAIL;
		goto done;
	}
	grens_diag *diag = grens_diag_new();
	if (!diag) {
		cli_errorf(CMD, "out of memory");
		code = CLI_EXIT_FAIL;
		goto done;
	}
	rc = grens_report_nightly_load(cfg, config, diag, &err);
	cli_print_config_notices(CMD, diag);
	grens_diag_free(diag);
	if (rc) {
		cli_report_error(CMD, &err);
		goto done;
	}
	feeds = cli_load_feed_list(CMD, cfg->feeds);
	if (!feeds)
		goto done;
	/* the recording keys go to the recorder's command line */
	memset(rec, 0, sizeof(*rec));
	memcpy(rec->archive, cfg->rt_archive, sizeof(rec->archive));
	for (unsigned i = 0; i < cfg->rt_record_url_count; i++)
		memcpy(rec->urls[i], cfg->rt_record_urls[i], sizeof(rec->urls[i]));
	rec->url_count = cfg->rt_record_url_count;
	code = CLI_EXIT_FAIL;
	char day[16], title[64], dir[GRENS_REPORT_PATH_BYTES];
	grens_date_format_iso(run_date, day, sizeof(day));
	snprintf(title, sizeof(title), "grens nightly %s", day);
	if ((size_t)snprintf(dir, sizeof(dir), "%s/%s", out, day) >= sizeof(dir)) {
		cli_errorf(CMD, "--out is too long");
		goto done;
	}
	/* The night is built in a temporary folder from the start, so a run
	 * killed at any point leaves nothing that looks like a night. */
	unsigned removed = 0;
	if (grens_report_night_begin(&night, out, run_date, &removed, &err) ||
	    grens_report_new(&report, title, now, &err) || grens_fetch_global_init(&err)) {
		cli_report_error(CMD, &err);
		goto done;
	}
	if (removed)
		cli_errorf(CMD, "removed %u unfinished run folder(s) (.partial-*) left in %s",
			   removed, out);
	if (cli_nightly_record(CMD, rec, (int64_t)now, report) != 0) {
		cli_errorf(CMD, "out of memory");
		goto done;
	}
	const char *build = grens_report_night_path(night);
	report_cli_spec spec;
	memset(&spec, 0, sizeof(spec));
	int bad = refresh(cfg, feeds, no_fetch, now, &spec, report, paths);
	if (bad == 0 && refresh_rt(cfg, feeds, no_fetch, &spec, report, rt_paths) != 0)
		bad = -1;
	grens_fetch_global_cleanup();
	if (bad != 0) {
		if (bad > 0)
			cli_errorf(CMD, "%d feed(s) missing or stale; no report written", bad);
		goto done;
	}
	for (unsigned i = 0; i < cfg->pair_count; i++) {
		spec.from[i] = cfg->pairs[i].from;
		spec.to[i] = cfg->pairs[i].to;
	}
	spec.pair_count = cfg->pair_count;
	for (unsigned i = 0; i < cfg->scenario_count; i++)
		spec.scenarios[i] = cfg->scenarios[i];
	spec.scenario_count = cfg->scenario_count;
	spec.map_origin = cfg->map_origin[0] ? cfg->map_origin : NULL;
	for (unsigned i = 0; i < cfg->places_count; i++)
		spec.places[i] = cfg->places[i];
	spec.places_count = cfg->places_count;
	for (unsigned i = 0; i < cfg->cutoff_count; i++)
		spec.cutoffs_min[i] = cfg->cutoffs_min[i];
	spec.cutoff_count = cfg->cutoff_count;
	spec.base_feeds = cfg->base_feeds[0] ? cfg->base_feeds : NULL;
	spec.links = cfg->links[0] ? cfg->links : "none";
	spec.date = cfg->service_date != GRENS_DATE_NONE ? cfg->service_date : run_date;
	spec.t0 = cfg->window_start;
	spec.t1 = cfg->window_end;
	spec.step = cfg->step_s;
	spec.threshold = cfg->threshold_s;
	spec.rt_now = (int64_t)now;
	if ((code = report_cli_fill(CMD, &spec, report)) != CLI_EXIT_OK)
		goto done;
	if (rec->archive[0])
		nightly_realised(CMD, rec->archive, &spec, report);
	code = CLI_EXIT_FAIL;
	if (grens_report_write_dir(report, build, &err))
		goto fail;
	/* the night's timetable beside its report, for --snapshot */
	char snapshot[GRENS_REPORT_PATH_BYTES];
	cli_link_args snap_links;
	cli_link_args_init(&snap_links);
	if (join(snapshot, build, "timetable.grens") ||
	    cli_link_option(CMD, "--links", spec.links, &snap_links) ||
	    cli_build_snapshot(CMD, &spec.feeds, &snap_links, snapshot) != CLI_EXIT_OK)
		goto done;

	char prev[16], prev_json[GRENS_REPORT_PATH_BYTES], cur_json[GRENS_REPORT_PATH_BYTES];
	char diff_json[GRENS_REPORT_PATH_BYTES], diff_text[GRENS_REPORT_PATH_BYTES];
	char final_json[GRENS_REPORT_PATH_BYTES];
	rc = grens_report_previous_run(out, run_date, prev, sizeof(prev), &err);
	if (rc == 0) {
		if ((size_t)snprintf(prev_json, sizeof(prev_json), "%s/%s/report.json", out,
				     prev) >= sizeof(prev_json) ||
		    join(cur_json, build, "report.json") || join(final_json, dir, "report.json") ||
		    join(diff_json, build, "diff.json") || join(diff_text, build, "diff.txt")) {
			cli_errorf(CMD, "--out is too long");
			goto done;
		}
		grens_report_diff_counts c;
		grens_report_diff_options diff_opts = cfg->diff;
		diff_opts.current_name = final_json;
		if (grens_report_diff(prev_json, cur_json, &diff_opts, diff_json, diff_text, &c,
				      &err))
			goto fail;
		printf("%s: compared with %s: %u feed(s) changed, %u added, %u removed; %u "
		       "travel time(s) and %u population figure(s) changed\n",
		       day, prev, c.feeds_changed, c.feeds_added, c.feeds_removed,
		       c.travel_times_changed, c.opportunities_changed);
	} else if (rc == GRENS_ENOTFOUND) {
		printf("%s: first run in %s, nothing to compare with\n", day, out);
	} else {
		goto fail;
	}
	bool replaced = false;
	grens_date kept;
	if (grens_report_night_commit(night, &replaced, &err) ||
	    grens_report_advance_latest(out, run_date, force, &kept, &err))
		goto fail;
	printf("%s: wrote %s/report.html%s\n", day, dir,
	       replaced ? " (replacing the earlier run of this date)" : "");
	if (kept != GRENS_DATE_NONE) {
		char later[16];
		grens_date_format_iso(kept, later, sizeof(later));
		printf("%s: %s/latest stays at the later night %s (--force moves it)\n", day, out,
		       later);
	}
	code = CLI_EXIT_OK;
	goto done;
fail:
	cli_report_error(CMD, &err);
done:
	grens_report_night_free(night);
	grens_report_free(report);
	grens_fetch_config_free(feeds);
	free(cfg);
	free(rec);
	free(paths);
	free(rt_paths);
	return code;
}
