/* grens rt: decode a GTFS-realtime file, apply it to the timetable built from
 * the feeds, and print what matched and what did not (the document is
 * report/'s grens_report_rt_*). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "grens/gtfs.h"
#include "grens/net.h"
#include "grens/report.h"
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
		char *text = NULL;
		if (grens_report_rt_json(&text, tt, ov, &err) != 0) {
			cli_report_error("rt", &err);
			goto done;
		}
		if (cli_write_json("rt", cli_json_take(text)) != 0)
			goto done;
	} else if (grens_report_rt_write_text(stdout, tt, ov, &err) != 0) {
		goto done; /* a failed write: the exit status says it */
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
