/* Shared by `grens route` and `grens profile`: load feeds into a timetable,
 * resolve stop arguments, print stops. */
#ifndef GRENS_CLI_ROUTE_CLI_H
#define GRENS_CLI_ROUTE_CLI_H

#include <jansson.h>

#include "cli.h"
#include "grens/net.h"
#include "grens/route.h"

/* Load the listed feeds (the defaults when empty) and build the timetable
 * with default_min_change (or the builder's default when < 0). Returns
 * CLI_EXIT_OK with *out the caller's (grens_timetable_free), or an exit code
 * after printing the reason. */
int route_cli_load(const char *cmd, cli_feed_list *feeds, int32_t default_min_change,
		   grens_timetable **out);

/* Resolve a stop argument into out[0..*n); exit code after a message when
 * it names nothing or is ambiguous. */
int route_cli_stops(const char *cmd, const grens_timetable *tt, const char *what,
		    const char *query, uint32_t *out, uint32_t cap, uint32_t *n);

/* "feed:stop_id" into buf. */
void route_cli_stop_id(const grens_timetable *tt, uint32_t stop, char *buf, size_t bufsz);
/* {"id": "feed:stop_id", "name": "..."} (new reference). */
json_t *route_cli_stop_json(const grens_timetable *tt, uint32_t stop);

/* Parse helpers: 0 or -1 after a message. */
int route_cli_int(const char *cmd, const char *opt, const char *value, int64_t min, int64_t max,
		  int64_t *out);
int route_cli_date(const char *cmd, const char *value, grens_date *out);
int route_cli_time(const char *cmd, const char *opt, const char *value, int32_t *out);

#endif
