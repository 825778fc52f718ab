/* grens build: link the feeds, build the timetable once and write it as a
 * snapshot that every other command maps with --snapshot. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "grens/gtfs.h"
#include "grens/net.h"
#include "source.h"

#define CMD "build"

static void help(FILE *out)
{
	fprintf(
	    out,
	    "usage: grens build --out FILE.grens [--feed [NAME=]PATH]... [--links FILE|none]\n"
	    "                   [--overrides FILE] [--radius M] [--walk-speed MPS]\n"
	    "                   [--timezone ZONE] [--tolerance S] [--no-merge]\n"
	    "                   [--min-transfer S] [--clip BBOX|FILE.geojson]\n"
	    "\n"
	    "Load the feeds, link them and build the timetable as every command does, and\n"
	    "write it to FILE as a snapshot: the timetable's arrays, its id and name\n"
	    "index, and the provenance (the feeds' names, paths, feed_info and the SHA-256\n"
	    "of every input file, the links files, the linking options, the grens\n"
	    "version). Every command that reads the timetable takes --snapshot FILE\n"
	    "instead of --feed and answers the same. The file is written beside FILE\n"
	    "and renamed onto it when complete, so a reader never sees half of one.\n"
	    "Without --feed, the embedded default feeds (%s/nl, /nrw and /be) are used.\n"
	    "\n"
	    "  --out FILE          the snapshot to write (required)\n"
	    "  --feed [NAME=]PATH  a feed; NAME scopes its ids (default: the file name)\n"
	    "  --links FILE        explicit station links (default: %s/links.csv\n"
	    "                      when present; 'none' for none)\n"
	    "  --overrides FILE    forced and forbidden links\n"
	    "  --radius M          footpaths between stops within M metres (default 400)\n"
	    "  --walk-speed MPS    walking speed in m/s (default 1.2)\n"
	    "  --timezone ZONE     express all times in ZONE (default: the first feed's)\n"
	    "  --tolerance S       times of one train in two feeds differ by at most S s (120)\n"
	    "  --no-merge          keep trips found in two feeds apart\n"
	    "  --min-transfer S    change time where transfers.txt gives none (default 120)\n"
	    "  --clip REGION       keep each feed's part inside REGION, as it is loaded:\n"
	    "                      min_lon,min_lat,max_lon,max_lat, or a GeoJSON file of\n"
	    "                      Polygons or MultiPolygons; trips are cut to their parts\n"
	    "                      inside (one that leaves and comes back becomes ID#1,\n"
	    "                      ID#2, ...), what is left empty is dropped\n"
	    "\n"
	    "A command given a snapshot uses these options as they were; one that asks for\n"
	    "others (e.g. --min-transfer) is refused: rebuild the snapshot or use --feed.\n"
	    "Exit status: 0 on success, 1 when a feed is unusable or FILE cannot be\n"
	    "written, 2 on bad arguments.\n",
	    cli_feeds_dir(), cli_feeds_dir());
}

/* Make dir's entry for the renamed file durable too. */
static void sync_dir(const char *path)
{
	char dir[4200];
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path) ? (int)(slash - path) : 1,
			 path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* Write the snapshot to a temporary file beside path, sync it and rename it
 * onto path. 0 or -1 after a message. */
static int write_atomic(const char *cmd, const char *path, const grens_timetable *tt,
			const char *provenance, const char *inputs)
{
	char tmp[4200];
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >= sizeof(tmp)) {
		cli_errorf(cmd, "--out path is too long");
		return -1;
	}
	int fd = mkstemp(tmp);
	if (fd < 0) {
		cli_errorf(cmd, "cannot create %s: %s", tmp, strerror(errno));
		return -1;
	}
	FILE *f = fdopen(fd, "wb");
	if (!f) {
		cli_errorf(cmd, "cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	grens_error err;
	grens_error_clear(&err);
	int rc = grens_net_snapshot_write(tt, f, provenance, inputs, &err);
	if (rc)
		cli_report_error(cmd, &err);
	if (!rc && (fflush(f) != 0 || fsync(fileno(f)) != 0)) {
		cli_errorf(cmd, "cannot write %s: %s", tmp, strerror(errno));
		rc = -1;
	}
	/* the mode a plain file gets (mkstemp makes it 0600) */
	mode_t mask = umask(0);
	umask(mask);
	if (!rc && fchmod(fileno(f), 0666 & ~mask) != 0)
		rc = -1;
	if (fclose(f) != 0 && !rc) {
		cli_errorf(cmd, "cannot write %s: %s", tmp, strerror(errno));
		rc = -1;
	}
	if (!rc && rename(tmp, path) != 0) {
		cli_errorf(cmd, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
		rc = -1;
	}
	if (rc) {
		unlink(tmp);
		return -1;
	}
	sync_dir(path);
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cli_build_snapshot(const char *cmd, cli_feed_list *list, const cli_link_args *args,
		       const char *out)
{
	double t0 = now_s();
	cli_feed_list_default(list);
	grens_gtfs_feed *feeds[64] = {0};
	grens_diag *diags[64] = {0};
	grens_net_links *links = NULL;
	grens_timetable *tt = NULL;
	char *provenance = NULL, inputs[65];
	int code = CLI_EXIT_FAIL;
	const grens_gtfs_feed *const *cf = (const grens_gtfs_feed *const *)feeds;
	if (cli_links_load(cmd, args, &links) || cli_load_feeds(cmd, list, feeds, diags) ||
	    cli_net_build(cmd, cf, list->count, args, links, &tt, NULL) ||
	    cli_source_provenance(cmd, cf, list, args, &provenance, inputs))
		goto done;
	double t1 = now_s();
	if (write_atomic(cmd, out, tt, provenance, inputs))
		goto done;
	struct stat st;
	uint64_t bytes = stat(out, &st) == 0 ? (uint64_t)st.st_size : 0;
	printf("%s: %u feeds, %u stops, %u patterns, %u trips, %llu stop events, %llu bytes "
	       "(%.1f per stop event), inputs sha256 %.12s\n",
	       out, tt->feed_count, tt->stop_count, tt->pattern_count, tt->trip_count,
	       (unsigned long long)tt->stop_time_count, (unsigned long long)bytes,
	       tt->stop_time_count ? (double)bytes / (double)tt->stop_time_count : 0.0, inputs);
	fprintf(stderr, "grens %s: loaded and built in %.2f s, wrote the snapshot in %.2f s\n", cmd,
		t1 - t0, now_s() - t1);
	code = CLI_EXIT_OK;
done:
	free(provenance);
	grens_net_free(tt);
	grens_net_links_free(links);
	cli_free_feeds(feeds, diags, list->count);
	return code;
}

int cmd_build(int argc, char **argv)
{
	cli_feed_list list;
	cli_link_args args;
	const char *out = NULL;
	memset(&list, 0, sizeof(list));
	cli_link_args_init(&args);
	const cli_option options[] = {
	    {.name = "out", .kind = CLI_OPT_STRING, .dst = &out, .required = true},
	    CLI_FEED_OPTION(&list),
	    CLI_CLIP_OPTION(&list),
	    CLI_LINK_OPTIONS(&args),
	    {.name = "min-transfer",
	     .kind = CLI_OPT_INT32,
	     .dst = &args.net.min_change,
	     .min = 0,
	     .max = 86400},
	    {.name = NULL},
	};
	const cli_spec spec = {.cmd = CMD, .usage = help, .options = options};
	int rc = cli_parse(&spec, argc, argv);
	if (rc)
		return cli_parse_exit(rc);
	if ((rc = cli_clip_check(CMD, list.clip)))
		return rc;
	return cli_build_snapshot(CMD, &list, &args, out);
}
