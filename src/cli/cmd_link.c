/* grens link: how several feeds were joined into one timetable. */
#include <stdio.h>
#include <string.h>

#include "grens/report.h"
#include "cli.h"
#include "commands.h"
#include "grens/gtfs.h"
#include "grens/net.h"

static void help(FILE *out)
{
	fprintf(
	    out,
	    "usage: grens link [--feed [NAME=]PATH]... [--links FILE|none] [--overrides FILE]\n"
	    "                  [--radius M] [--walk-speed MPS] [--timezone ZONE]\n"
	    "                  [--tolerance S] [--no-merge]\n"
	    "                  [--report] [--format text|json|csv]\n"
	    "\n"
	    "Load several GTFS feeds into one timetable and report how they were joined:\n"
	    "every pair of stations matched across feeds (with the rule that matched and\n"
	    "the distance), the near misses (similar names or close stops that were not\n"
	    "matched, and why), the trips found in two feeds and merged, and the time\n"
	    "zone shift applied to each feed.\n"
	    "Without --feed, the embedded default feeds (%s/nl, /nrw and /be) are used.\n"
	    "\n"
	    "  --feed [NAME=]PATH  a feed; NAME scopes its ids (default: the file name)\n"
	    "  --links FILE        explicit station links, CSV feed_a,stop_id_a,feed_b,stop_id_b\n"
	    "                      (default: %s/links.csv when present; 'none' for none)\n"
	    "  --overrides FILE    the same columns plus action=force|forbid\n"
	    "  --radius M          footpaths between stops within M metres (default 400)\n"
	    "  --walk-speed MPS    walking speed in m/s (default 1.2; detour factor 1.3)\n"
	    "  --timezone ZONE     express all times in ZONE (default: the first feed's)\n"
	    "  --tolerance S       times of one train in two feeds differ by at most S s (120)\n"
	    "  --no-merge          keep trips found in two feeds apart\n"
	    "  --report            print the report (the default action)\n"
	    "  --format FORMAT     text (default), json or csv\n"
	    "\n"
	    "Exit status: 0 on success, 1 when a feed or links file is unusable, 2 on bad\n"
	    "arguments.\n",
	    cli_feeds_dir(), cli_feeds_dir());
}

int cmd_link(int argc, char **argv)
{
	cli_feed_list list;
	cli_link_args args;
	cli_format format = CLI_FORMAT_TEXT;
	bool report_flag = false;
	memset(&list, 0, sizeof(list));
	cli_link_args_init(&args);
	const cli_option options[] = {
		CLI_FEED_OPTION(&list),
		CLI_FORMAT_OPTION(&format, CLI_FORMAT_TEXT, CLI_FORMAT_JSON, CLI_FORMAT_CSV),
		{ .name = "report", .kind = CLI_OPT_FLAG, .dst = &report_flag },
		CLI_LINK_OPTIONS(&args),
		{ .name = NULL },
	};
	const cli_spec spec = { .cmd = "link", .usage = help, .options = options };
	int rc = cli_parse(&spec, argc, argv);
	if (rc)
		return cli_parse_exit(rc);
	cli_feed_list_default(&list);
	grens_timetable *tt = NULL;
	grens_net_link_report *report = NULL;
	if (cli_build_linked("link", &list, &args, &tt, &report) != 0)
		return CLI_EXIT_FAIL;
	int code = CLI_EXIT_OK;
	grens_error err;
	grens_error_clear(&err);
	rc = format == CLI_FORMAT_JSON  ? grens_report_link_write_json(stdout, tt, report, &err)
	     : format == CLI_FORMAT_CSV ? grens_report_link_write_csv(stdout, tt, report, &err)
					: grens_report_link_write_text(stdout, tt, report, &err);
	if (rc) {
		cli_report_error("link", &err);
		code = CLI_EXIT_FAIL;
	}
	grens_net_link_report_free(report);
	grens_net_free(tt);
	return code;
}
