/* grens scenario: what-if edits applied to loaded feeds before the timetable
 * is built (grens-scenario(5)).
 *
 * A scenario file is YAML (parsed with libyaml): a name, an optional
 * description, and a list of edits: add a line, extend or truncate a
 * route's trips, remove routes / trips / everything calling at a stop,
 * change a route's headway in a time band, merge a GTFS overlay directory.
 *
 * Loading parses and checks the file's shape (unknown keys, bad times,
 * missing fields); applying checks each edit against the feeds (unknown stop
 * or route, impossible times). Both report errors with the scenario file,
 * line and column in grens_error. Applying never changes the given feeds: it
 * returns modified copies, which share unchanged strings with the originals
 * (so the originals must outlive the copies). */
#ifndef GRENS_SCENARIO_H
#define GRENS_SCENARIO_H

#include <stdint.h>

#include "grens/core.h"
#include "grens/gtfs.h"
#include "grens/net.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest scenario file read, and most edits / stops / departures in one. */
#define GRENS_SCENARIO_MAX_BYTES (4u * 1024u * 1024u)
#define GRENS_SCENARIO_MAX_EDITS 1000u
#define GRENS_SCENARIO_MAX_ITEMS 10000u

typedef struct grens_scenario grens_scenario;

/* What applying a scenario changed, summed over all feeds. */
typedef struct grens_scenario_stats {
	uint32_t edits;
	uint32_t trips_added;	/* new trips (add-line, headway, overlay) */
	uint32_t trips_removed; /* removed trips (remove, headway, truncate to < 2 stops) */
	uint32_t trips_changed; /* extended or truncated trips */
	uint32_t stops_added;	/* stops copied from another feed or an overlay */
	uint32_t routes_added;
} grens_scenario_stats;

/* The modified feeds of one application. */
typedef struct grens_scenario_result grens_scenario_result;

/* Read and parse a scenario file. On success *out is the caller's (free with
 * grens_scenario_free). GRENS_EIO when it cannot be read, GRENS_EFORMAT
 * for a YAML or shape error (err has file, line, column and field),
 * GRENS_ELIMIT beyond the limits above, GRENS_ENOMEM. */
GRENS_EXTERN int grens_scenario_load(grens_scenario **out, const char *path, grens_error *err);

/* The same from a buffer; `file` names it in errors and resolves relative
 * overlay paths (its directory); NULL means "<scenario>" and the current
 * directory. */
GRENS_EXTERN int grens_scenario_parse(grens_scenario **out, const char *text, size_t len,
				      const char *file, grens_error *err);

GRENS_EXTERN void grens_scenario_free(grens_scenario *sc);

/* The scenario's name (the `name:` key, else the file's base name without
 * extension) and the SHA-256 of the file bytes as 64 hex digits. Both are
 * owned by the scenario. */
GRENS_EXTERN const char *grens_scenario_name(const grens_scenario *sc);
GRENS_EXTERN const char *grens_scenario_hash(const grens_scenario *sc);
GRENS_EXTERN const char *grens_scenario_description(const grens_scenario *sc); /* "" when none */
GRENS_EXTERN uint32_t grens_scenario_edit_count(const grens_scenario *sc);

/* Apply the edits in order to copies of feeds[0..feed_count). Edits name
 * feeds by their name (grens_gtfs_feed.name). Notices (an edit that matched
 * nothing it could change) go to diag. On success *out is the caller's
 * (grens_scenario_result_free); the feeds must outlive it.
 * GRENS_ENOTFOUND for an unknown feed, stop, route or trip, GRENS_EFORMAT
 * for impossible times, GRENS_EARG for an ambiguous stop name; err names the
 * scenario file, line and column of the offending value. */
GRENS_EXTERN int grens_scenario_apply(grens_scenario_result **out, const grens_scenario *sc,
				      const grens_gtfs_feed *const *feeds, uint32_t feed_count,
				      grens_diag *diag, grens_error *err);

/* The modified feeds, one per input feed in the same order (an overlay is
 * merged into a feed, never added as a new one). Owned by the result. */
GRENS_EXTERN const grens_gtfs_feed *const *
grens_scenario_result_feeds(const grens_scenario_result *res, uint32_t *count);
GRENS_EXTERN const grens_scenario_stats *
grens_scenario_result_stats(const grens_scenario_result *res);
GRENS_EXTERN void grens_scenario_result_free(grens_scenario_result *res);

/* Apply the edits to a built timetable instead (one from grens_net_build or
 * a snapshot), building nothing: the result shares the base's stops,
 * footpaths, strings and id and name index, keeps the base's trip indices
 * (a removed or changed trip runs on no day) and adds the new and changed
 * trips in patterns of their own, so it costs the copied trip and pattern
 * arrays, not a rebuild. Edits read as grens_scenario_apply reads them;
 * grens-scenario(5) "Applied to a built timetable" lists where the answers
 * can differ (a trip merged across feeds is edited as one run, a stop of
 * another feed is called at as it is) and what needs the feeds: overlay
 * edits, add-line `service-id`, and edits that set times in a feed whose
 * time zone keeps another offset than the query's (GRENS_EARG, naming the
 * edit's line). stats (may be NULL) gets the counts. On success *out is the
 * caller's (grens_net_free) and must not outlive base. Errors as
 * grens_scenario_apply. */
GRENS_EXTERN int grens_scenario_derive(grens_timetable **out, grens_scenario_stats *stats,
				       const grens_scenario *sc, const grens_timetable *base,
				       grens_diag *diag, grens_error *err);

#ifdef __cplusplus
}
#endif
#endif
