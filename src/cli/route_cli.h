/* Shared by `grens route` and `grens profile`: load feeds into a timetable,
 * resolve stop arguments, print stops. */
#ifndef GRENS_CLI_ROUTE_CLI_H
#define GRENS_CLI_ROUTE_CLI_H

#include <jansson.h>

#include "cli.h"
#include "grens/net.h"
#include "grens/route.h"
#include "grens/rt.h"
#include "grens/scenario.h"
#include "grens/report.h"
#include "realised_cli.h"

/* A timetable with what was applied to it. */
typedef struct route_cli_net {
	grens_timetable *tt;
	grens_scenario *sc;     /* the applied scenario or NULL (its name and hash) */
	grens_rt_overlay *ov;   /* live times or NULL */
	grens_timetable *base;  /* a snapshot tt was derived from (the scenario), or NULL */
} route_cli_net;

/* Load the listed feeds (the defaults when empty) and build the linked
 * timetable as every command does (cli_links_load, cli_net_build with
 * link), and: with scenario (a file, or NULL) apply it to the loaded feeds
 * before building; with rt (a GTFS-realtime file; a URL is refused
 * and points to grens fetch) decode it and apply it to the timetable built.
 * Returns CLI_EXIT_OK with *out the caller's (route_cli_net_free), or an
 * exit code after printing the reason: CLI_EXIT_USAGE for a URL or an
 * unreadable or malformed scenario file, CLI_EXIT_FAIL otherwise. */
int route_cli_load_net(const char *cmd, cli_feed_list *feeds, const cli_link_args *link,
		       const char *scenario, const char *rt, route_cli_net *out);
/* As route_cli_load_net, and with rz->archive set the realised times of
 * the service dates [first, last] from that archive as the overlay
 * (realised_cli_build; its counts into *counts). */
int route_cli_load_net_realised(const char *cmd, cli_feed_list *feeds, const cli_link_args *link,
				const char *scenario, const char *rt, const realised_cli_args *rz,
				grens_date first, grens_date last, route_cli_net *out,
				grens_rt_realised_counts *counts);
void route_cli_net_free(route_cli_net *net);


/* The pieces of route_cli_load_net, for commands that build several
 * networks (grens compare). Each prints its reason and returns an exit
 * code, 0 on success:
 * - a URL for --rt is refused (CLI_EXIT_USAGE: download it with grens fetch);
 * - a scenario file that cannot be read or parsed is CLI_EXIT_USAGE;
 * - applying a scenario prints its notices and a one-line summary;
 * - applying a realtime feed to tt prints its notices and a summary naming
 *   label (the file, and for compare the network). */
int route_cli_rt_check_path(const char *cmd, const char *rt);
int route_cli_scenario_load(const char *cmd, const char *path, grens_scenario **out);
/* sc applied to feeds[0..n) into *applied, or with base (a built
 * timetable) to it into *derived (grens_scenario_derive). */
int route_cli_scenario_apply(const char *cmd, const grens_scenario *sc,
			     const grens_gtfs_feed *const *feeds, uint32_t n,
			     const grens_timetable *base, grens_scenario_result **applied,
			     grens_timetable **derived);
int route_cli_rt_apply(const char *cmd, const char *label, const grens_timetable *tt,
		       const grens_gtfs_feed *const *feeds, uint32_t n, const grens_rt_feed *rtf,
		       grens_rt_overlay **out);

/* Resolve a stop argument into out[0..*n); exit code after a message when
 * it names nothing or is ambiguous. */
int route_cli_stops(const char *cmd, const grens_timetable *tt, const char *what,
		    const char *query, uint32_t *out, uint32_t cap, uint32_t *n);

/* The endpoints of a query: --from and --to resolved into stop lists. */
typedef struct route_cli_ends {
	uint32_t *from, *to; /* GRENS_ROUTE_MAX_ENDPOINTS each */
	uint32_t nfrom, nto;
} route_cli_ends;
/* Resolve the --from and --to arguments (route_cli_stops). CLI_EXIT_OK, or
 * an exit code after a message; free with route_cli_ends_free either way. */
int route_cli_ends_resolve(const char *cmd, const grens_timetable *tt, const char *from,
			   const char *to, route_cli_ends *out);
void route_cli_ends_free(route_cli_ends *ends);
/* ["feed:stop_id", ...] of stops[0..n) (new reference). */
json_t *route_cli_ids_json(const grens_timetable *tt, const uint32_t *stops, uint32_t n);

/* Table entries of the required --from STOP, --to STOP and --date. */
#define ROUTE_CLI_QUERY_OPTIONS(from, to, date)                                                   \
	{ .name = "from", .kind = CLI_OPT_STRING, .dst = (from), .required = true },              \
	{ .name = "to", .kind = CLI_OPT_STRING, .dst = (to), .required = true },                  \
	{ .name = "date", .kind = CLI_OPT_DATE, .dst = (date), .required = true }

/* Table entries of --max-transfers and --min-transfer (the change time the
 * timetable assumes where transfers.txt gives none). */
#define ROUTE_CLI_TRANSFER_OPTIONS(max_transfers, link)                                          \
	{ .name = "max-transfers", .kind = CLI_OPT_UINT32, .dst = (max_transfers), .min = 0,     \
	  .max = GRENS_ROUTE_MAX_TRANSFERS },                                                     \
	{ .name = "min-transfer", .kind = CLI_OPT_INT32, .dst = &(link)->net.min_change,          \
	  .min = 0, .max = 86400 }

/* Table entries of --scenario FILE and --rt FILE (route_cli_load_net). */
#define ROUTE_CLI_NET_OPTIONS(scenario, rt)                                                      \
	{ .name = "scenario", .kind = CLI_OPT_STRING, .dst = (scenario) },                        \
	{ .name = "rt", .kind = CLI_OPT_STRING, .dst = (rt) }

/* Check a query date against the service periods of tt's feeds
 * (grens_net_check_date). CLI_EXIT_FAIL after printing the reason when the
 * date is refused (outside every feed's period, or in a part of a feed's
 * period that was cut). Else CLI_EXIT_OK after a warning on stderr for each
 * feed that runs no trips that day; with notes not NULL each warning is
 * also appended to it as {"code": "no_service_on_date", "date", "feed",
 * "message"}. */
int route_cli_check_date(const char *cmd, const grens_timetable *tt, grens_date date,
			 json_t *notes);

/* "feed:stop_id" into buf. */
void route_cli_stop_id(const grens_timetable *tt, uint32_t stop, char *buf, size_t bufsz);

/* The format of the route and profile jobs' writers for --format. */
grens_report_route_format route_cli_format(cli_format format);
/* The exit code of a route or profile job that failed with rc, after the
 * message: a stop that names nothing or several stations is a bad argument
 * (CLI_EXIT_USAGE), the rest CLI_EXIT_FAIL. */
int route_cli_job_failed(const char *cmd, int rc, const grens_error *err);

#endif
