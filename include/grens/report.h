/* grens report: writers for results (CSV, JSON, GeoJSON), the
 * self-contained HTML report, provenance, and the diff between two reports.
 *
 * The module formats and writes, and it holds the jobs: grens compare,
 * access and report as one library call each (grens_report_compare_run_new,
 * grens_report_access_run, grens_report_fill), which build the networks
 * (net/, scenario/, rt/), route through access/ and fill the documents the
 * encoders here write. The CLI and a server only parse, call and write; the
 * routing itself stays in route/ and access/.
 *
 *  - A table (grens_report_table) is typed rows; the same table can be
 *    written as CSV (RFC 4180), as a JSON array of objects, or as a GeoJSON
 *    FeatureCollection of Points (RFC 7946: [lon, lat], WGS 84) when it has
 *    coordinate columns. Any command can use it (grens access --format).
 *  - A report (grens_report) collects the sections of `grens report`:
 *    provenance, travel-time profiles, reachable population, stations with
 *    travel times and the best journeys. grens_report_write_dir writes
 *    report.json (the source of truth), report.html (rendered from it, with
 *    data-value attributes on every number), CSV and GeoJSON files.
 *  - grens_report_diff compares two report.json files (a previous night and
 *    this one) and lists what changed beyond thresholds.
 *
 * Output files are written atomically (a temporary file beside the target,
 * fsync, rename), so a reader never sees half a file. */
#ifndef GRENS_REPORT_H
#define GRENS_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "grens/access.h"
#include "grens/core.h"
#include "grens/net.h"
#include "grens/route.h"
#include "grens/rt.h"
#include "grens/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bounds: columns of a table, rows of a table, files hashed per feed, the
 * largest report.json read back by the diff, a profile's steps. */
#define GRENS_REPORT_MAX_COLUMNS 64u
#define GRENS_REPORT_MAX_ROWS 10000000u
#define GRENS_REPORT_MAX_FEED_FILES 256u
#define GRENS_REPORT_MAX_JSON_BYTES (256u * 1024u * 1024u)
#define GRENS_REPORT_MAX_STEPS GRENS_ROUTE_MAX_STEPS
#define GRENS_REPORT_PATH_BYTES 4096u

/* ---- atomic output files ------------------------------------------------- */
typedef struct grens_report_file {
	FILE *f; /* write here between open and commit */
	char path[GRENS_REPORT_PATH_BYTES];
	char tmp[GRENS_REPORT_PATH_BYTES];
} grens_report_file;

/* Open a temporary file beside path for writing. GRENS_EIO (err names the
 * file) when it cannot be created, GRENS_ELIMIT when path is too long. */
GRENS_EXTERN int grens_report_file_open(grens_report_file *out, const char *path, grens_error *err);
/* Flush, fsync and rename the temporary file over path; closes f in every
 * case. GRENS_EIO when any step failed (the temporary file is removed). */
GRENS_EXTERN int grens_report_file_commit(grens_report_file *file, grens_error *err);
/* Close and remove the temporary file (after a failure). Safe on a file
 * that was never opened or already committed. */
GRENS_EXTERN void grens_report_file_abort(grens_report_file *file);

/* Make dir and its missing parents (mode 0755). GRENS_EIO with the path. */
GRENS_EXTERN int grens_report_mkdirs(const char *dir, grens_error *err);

/* ---- tables ---------------------------------------------------------------- */
typedef enum {
	GRENS_REPORT_STRING = 0,
	GRENS_REPORT_INT = 1,
	GRENS_REPORT_REAL = 2, /* rounded to `decimals` when set */
} grens_report_type;

typedef struct grens_report_column {
	const char *name; /* copied */
	grens_report_type type;
	uint8_t decimals; /* REAL only: digits after the point (at most 9) */
} grens_report_column;

typedef struct grens_report_table grens_report_table;

/* A table with the given columns (names must be distinct and non-empty).
 * On success *out is the caller's (grens_report_table_free). GRENS_EARG for
 * bad columns, GRENS_ELIMIT beyond GRENS_REPORT_MAX_COLUMNS, GRENS_ENOMEM. */
GRENS_EXTERN int grens_report_table_new(grens_report_table **out,
					const grens_report_column *columns, uint32_t column_count,
					grens_error *err);
GRENS_EXTERN void grens_report_table_free(grens_report_table *table);
/* Append a row whose cells are all empty (null); the set functions fill
 * the last row. GRENS_ELIMIT beyond GRENS_REPORT_MAX_ROWS, GRENS_ENOMEM. */
GRENS_EXTERN int grens_report_table_add_row(grens_report_table *table, grens_error *err);
/* Set a cell of the last row. GRENS_EARG when there is no row, the column
 * is out of range or of another type, or (strings) s is not UTF-8.
 * A NAN real stays empty. */
GRENS_EXTERN int grens_report_table_set_string(grens_report_table *table, uint32_t column,
					       const char *s, grens_error *err);
GRENS_EXTERN int grens_report_table_set_int(grens_report_table *table, uint32_t column, int64_t v,
					    grens_error *err);
GRENS_EXTERN int grens_report_table_set_real(grens_report_table *table, uint32_t column, double v,
					     grens_error *err);
GRENS_EXTERN uint32_t grens_report_table_row_count(const grens_report_table *table);
/* The index of the column named name, or GRENS_NONE. */
GRENS_EXTERN uint32_t grens_report_table_column(const grens_report_table *table, const char *name);

/* CSV: a header line, then one line per row; fields with a comma, quote
 * or line break are quoted; empty cells are empty. GRENS_EIO on a write
 * error. */
GRENS_EXTERN int grens_report_table_write_csv(const grens_report_table *table, FILE *f,
					      grens_error *err);
/* JSON: an array of objects, one per row, keys in column order, empty cells
 * null. GRENS_EIO on a write error. */
GRENS_EXTERN int grens_report_table_write_json(const grens_report_table *table, FILE *f,
					       grens_error *err);
/* GeoJSON FeatureCollection: one Feature per row with a Point geometry
 * [lon, lat] from the two REAL columns (a row without both gets a null
 * geometry), every other column as a property. GRENS_EARG when the columns
 * are not REAL columns of the table, GRENS_EIO on a write error. */
GRENS_EXTERN int grens_report_table_write_geojson(const grens_report_table *table,
						  uint32_t lon_column, uint32_t lat_column, FILE *f,
						  grens_error *err);

/* One CSV field to f: quoted (quotes doubled) when it holds a comma, quote
 * or line break. s NULL: an empty field. 0, GRENS_EIO on a write error,
 * GRENS_EINVAL when f is NULL. */
GRENS_EXTERN int grens_report_csv_field(FILE *f, const char *s);
/* s in a text table's cell of width columns (terminal columns, not bytes),
 * padded with spaces; cut: a longer s is cut to fit. s NULL: "". */
GRENS_EXTERN void grens_report_text_cell(FILE *f, const char *s, size_t width, bool cut,
					 bool align_right);

/* ---- the access document (grens access; grens-json(7)) ---------------------- */
/* The document of an accessibility run: {"meta": ..., "origins": [...]},
 * rendered as JSON, text, CSV or GeoJSON; shards of one run merge into it. */
typedef struct grens_report_access grens_report_access;

typedef enum {
	GRENS_REPORT_ACCESS_TEXT = 0,
	GRENS_REPORT_ACCESS_JSON = 1,
	GRENS_REPORT_ACCESS_CSV = 2,
	GRENS_REPORT_ACCESS_GEOJSON = 3,
} grens_report_access_format;

/* Shards one merge takes at the most. */
#define GRENS_REPORT_ACCESS_MAX_SHARDS 4096u

/* A document whose "meta" is the JSON object meta_json[0..len) (what was
 * asked, grens-json(7)), without origins. *out is the caller's
 * (grens_report_access_free). GRENS_EFORMAT when meta_json is not an
 * object, GRENS_ENOMEM. */
GRENS_EXTERN int grens_report_access_new(grens_report_access **out, const char *meta_json,
					 size_t len, grens_error *err);
GRENS_EXTERN void grens_report_access_free(grens_report_access *doc);
/* Append every origin of a plain run: its opportunities, travel times to
 * the places and, with stops, to the stops it reached. origins is what
 * result was run with. GRENS_ENOMEM. */
GRENS_EXTERN int grens_report_access_add_origins(grens_report_access *doc,
						 const grens_access_network *net,
						 const grens_access_places *places,
						 const grens_access_result *result,
						 const grens_access_origin *origins, bool stops,
						 grens_error *err);
/* Append every origin of a comparison: base, alternative and delta, from
 * deltas[0..delta_count) of grens_access_compare on result and its base. */
GRENS_EXTERN int grens_report_access_add_comparison(
    grens_report_access *doc, const grens_timetable *tt, const grens_access_places *places,
    const grens_access_result *result, const grens_access_origin *origins,
    const grens_access_delta *deltas, uint32_t delta_count, grens_error *err);
/* Append the border views of origins[0..shown) under sets[0..set_count)
 * (the central assumptions first, then low and high), with their ranks
 * among the origins marked in among (NULL: not ranked) when ranked of
 * them were. tt is sets[0]'s timetable. GRENS_EARG for set_count not 1..
 * GRENS_REPORT_BORDER_SETS. */
GRENS_EXTERN int grens_report_access_add_border(grens_report_access *doc,
						const grens_timetable *tt,
						const grens_access_places *places,
						const grens_access_border *const *sets,
						uint32_t set_count, const grens_access_origin *origins,
						uint32_t shown, const uint8_t *among, uint32_t ranked,
						grens_error *err);
/* Render doc to f. A document merged from CSV shards renders as CSV only
 * (GRENS_EARG otherwise). GRENS_EIO on a write error. */
GRENS_EXTERN int grens_report_access_write(const grens_report_access *doc,
					   grens_report_access_format format, FILE *f,
					   grens_error *err);
/* Render doc to path atomically; CSV writes the metadata beside it
 * (grens_report_access_meta_path), which a merge of CSV shards reads. */
GRENS_EXTERN int grens_report_access_save(const grens_report_access *doc,
					  grens_report_access_format format, const char *path,
					  grens_error *err);
/* The metadata file of a CSV output: X.csv gives X.meta.json, another name
 * gets .meta.json appended. GRENS_ELIMIT when it does not fit in buf. */
GRENS_EXTERN int grens_report_access_meta_path(char *buf, size_t bufsz, const char *csv_path,
					       grens_error *err);

/* A shard to merge: its file, and for a CSV shard its metadata file
 * (meta_text NULL for a JSON shard). Texts need no terminating NUL. */
typedef struct grens_report_access_shard {
	const char *path;
	const char *text;
	size_t len;
	const char *meta_path;
	const char *meta_text;
	size_t meta_len;
} grens_report_access_shard;

/* Merge the shards of one run (all JSON or all CSV) into the document of
 * the whole run, origins in index order. GRENS_EFORMAT (the message names
 * the shard) when one is no shard, belongs to another run, is given twice
 * or missing, or the origins do not add up; GRENS_EARG for none,
 * GRENS_ELIMIT beyond GRENS_REPORT_ACCESS_MAX_SHARDS. */
GRENS_EXTERN int grens_report_access_merge(grens_report_access **out,
					   const grens_report_access_shard *shards,
					   uint32_t count, grens_error *err);

/* How places were tied to stops (walk, bike, feeder, none) as one line,
 * and the places that could not be placed: the lines grens access and
 * grens report print. */
typedef struct grens_report_ties {
	int64_t places[4], people[4]; /* walk, bike, feeder, no stop */
	double feeder_kmh;
	int64_t feeder_wait_s;
} grens_report_ties;
GRENS_EXTERN void grens_report_ties_text(char *buf, size_t n, const grens_report_ties *ties);
GRENS_EXTERN void grens_report_unplaced_text(char *buf, size_t n, int64_t people,
					     int64_t municipalities);

/* ---- geography and hashes ---------------------------------------------------- */
/* "NL" or "DE" for a point in the Netherlands or Germany, by a coarse
 * outline of the border (right to about a kilometre in the border region),
 * else "" (Belgium, elsewhere, NAN). */
GRENS_EXTERN const char *grens_report_country(double lat, double lon);

/* ---- the report ------------------------------------------------------------------ */
typedef struct grens_report grens_report;

/* An empty report. title is shown on the page; run_time is the moment the
 * run started (UTC); version is grens_version(). *out is the caller's
 * (grens_report_free). GRENS_ENOMEM. */
GRENS_EXTERN int grens_report_new(grens_report **out, const char *title, time_t run_time,
				  grens_error *err);
GRENS_EXTERN void grens_report_free(grens_report *report);

/* The percentile of travel times the opportunities and the station map
 * are computed with (the median; the access options' default). */
#define GRENS_REPORT_PERCENTILE 50

/* The analysis settings shown with the charts: the service date, the
 * departure window (seconds since noon-minus-12h), the step between
 * departures and the threshold of "share under" (seconds). */
GRENS_EXTERN int grens_report_set_query(grens_report *report, grens_date date, int32_t t0,
					int32_t t1, int32_t step, int32_t threshold,
					grens_error *err);

/* Provenance of one feed: its name, the path it was loaded from (a .zip or a
 * directory: a directory's regular files are hashed one by one, sorted by
 * name), and feed_info's version and publisher ("" when absent). GRENS_EIO
 * when a file cannot be read, GRENS_ELIMIT beyond
 * GRENS_REPORT_MAX_FEED_FILES files. */
GRENS_EXTERN int grens_report_add_feed(grens_report *report, const char *name, const char *path,
				       const char *version, const char *publisher,
				       grens_error *err);
/* The same provenance as grens_report_add_feed records, as compact JSON
 * text into *out (the caller frees it), to be kept (a snapshot does) and
 * added later with grens_report_add_feed_provenance. Errors as
 * grens_report_add_feed. */
GRENS_EXTERN int grens_report_feed_provenance(char **out, const char *name, const char *path,
					      const char *version, const char *publisher,
					      grens_error *err);
/* Add a feed's provenance made by grens_report_feed_provenance. GRENS_EFORMAT
 * when text is not such an object. */
GRENS_EXTERN int grens_report_add_feed_provenance(grens_report *report, const char *text,
						  grens_error *err);
/* A scenario the report compares with "base": its name, SHA-256 of its
 * file and a description (may be ""). */
GRENS_EXTERN int grens_report_add_scenario(grens_report *report, const char *name,
					   const char *sha256, const char *description,
					   grens_error *err);
/* A line of free text for the provenance block (e.g. what is missing). */
GRENS_EXTERN int grens_report_add_note(grens_report *report, const char *text, grens_error *err);

/* A place as the report shows it. */
typedef struct grens_report_place {
	const char *id; /* "feed:stop_id" or a place id */
	const char *name;
	double lat, lon; /* NAN when unknown */
} grens_report_place;

/* A travel-time profile (range query) from one place to another under one
 * scenario ("base" or a scenario's name): steps as grens_route_raptor_profile
 * filled them, summarised with the report's threshold. Call
 * grens_report_set_query first (GRENS_EARG otherwise). */
GRENS_EXTERN int grens_report_add_profile(grens_report *report, const grens_report_place *from,
					  const grens_report_place *to, const char *scenario,
					  const grens_route_profile_step *steps,
					  uint32_t step_count, grens_error *err);

/* Reachable population from an origin within each cutoff (minutes) for one
 * variant of the network ("nl-only", "linked", or a scenario's name). */
GRENS_EXTERN int grens_report_add_opportunities(grens_report *report,
						const grens_report_place *origin,
						const char *variant, const uint32_t *cutoff_min,
						const double *population, uint32_t count,
						grens_error *err);

/* A station on the map with its travel time (seconds; GRENS_ROUTE_UNREACHED
 * when not reached) from origin under a scenario. The country comes from
 * the coordinates. members[0..member_count) are the ids of the stations it
 * stands for (stations of several feeds matched as one; station->id among
 * them); none: just station->id. */
GRENS_EXTERN int grens_report_add_station(grens_report *report, const grens_report_place *origin,
					  const grens_report_place *station, const char *feed,
					  const char *scenario, int32_t travel_s,
					  const char *const *members, uint32_t member_count,
					  grens_error *err);

/* One journey of a route result (journeys[index]) under a scenario, with
 * its legs, in the one journey encoding (below) without realtime, after a
 * "scenario" key; a leg crosses the border when its stops are in different
 * feeds or, by coordinates, in different countries. tt must be the
 * timetable the result was computed on, date the query date. */
GRENS_EXTERN int grens_report_add_journey(grens_report *report, const grens_timetable *tt,
					  grens_date date, const char *scenario,
					  const grens_route_result *result, uint32_t index,
					  grens_error *err);

/* ---- journeys: the one encoding (grens-json(7), JOURNEYS) ---------------------- */
/* Every command writes a journey the same way: departure, arrival,
 * duration_s, transfers, crosses_border, legs; every leg mode, from, to
 * (stops with id, name, feed, country, lat, lon), departure, arrival,
 * duration_s and border (the rule of grens_report_add_journey); transit
 * legs route, trip_id (feed:trip_id), headsign, feed, and stay_seated when
 * true. rt is the realtime overlay the result was computed with (NULL:
 * none): with it every transit leg also has realtime, scheduled_departure,
 * scheduled_arrival and delay_s. tt is the timetable of the result, date
 * the query date. */

/* journeys[index] of result as compact JSON text into *out (the caller
 * frees it with free()). GRENS_EINVAL for a NULL out, tt or result,
 * GRENS_EARG for an index beyond the result, GRENS_ENOMEM. */
GRENS_EXTERN int grens_report_journey_json(char **out, const grens_timetable *tt,
					   const grens_rt_overlay *rt, grens_date date,
					   const grens_route_result *result, uint32_t index,
					   grens_error *err);
/* Every journey of result as CSV, one row per leg: journey, leg, mode,
 * from_id, from_name, to_id, to_name, departure, arrival, duration_s, route,
 * trip_id, headsign, feed, from_country, to_country, border, stay_seated
 * (0/1), transfers, and with rt realtime, scheduled_departure,
 * scheduled_arrival, delay_s (empty on walk legs). journeys.csv of a report
 * has the same columns with scenario after journey. GRENS_EINVAL for a NULL
 * f, tt or result, GRENS_EIO. */
GRENS_EXTERN int grens_report_journeys_write_csv(FILE *f, const grens_timetable *tt,
						 const grens_rt_overlay *rt, grens_date date,
						 const grens_route_result *result,
						 grens_error *err);
/* Every journey of result as the text grens route prints ("no journey
 * found" for none); with rt, live times show their delay. Errors as
 * grens_report_journeys_write_csv. */
GRENS_EXTERN int grens_report_journeys_write_text(FILE *f, const grens_timetable *tt,
						  const grens_rt_overlay *rt, grens_date date,
						  const grens_route_result *result,
						  grens_error *err);

/* What a scenario saves on one pair against the base over the same
 * departures: the medians (seconds, GRENS_ROUTE_UNREACHED when none) and
 * the saving per train with that train's departure
 * (grens_route_profile_train_saving; GRENS_ROUTE_UNREACHED when no
 * departure gains). Kept in report.json "savings". */
GRENS_EXTERN int grens_report_add_saving(grens_report *report, const grens_report_place *from,
					 const grens_report_place *to, const char *scenario,
					 int32_t base_median, int32_t median, int32_t delta_train,
					 int32_t train_departure, grens_error *err);

/* Where the population of one country's places comes from: the number of
 * places and people, the reference date and source as the places file
 * gives them (its first row). Kept in report.json "population". */
GRENS_EXTERN int grens_report_add_population(grens_report *report, const char *country,
					     uint32_t places, double people,
					     const char *reference_date, const char *source,
					     grens_error *err);

/* Three sets of assumptions of the border views (grens-access(1), BORDER
 * EFFECT), in this order. */
enum { GRENS_REPORT_BORDER_SETS = 3 };

/* One percentile and cutoff of an origin's border views: value[set][view]
 * (grens_access_view order: national, closed border, today) and
 * rank[set][0 national, 1 today] (0: not ranked), set 0 the central
 * assumptions, 1 low, 2 high. */
typedef struct grens_report_border_row {
	uint32_t percentile, cutoff_min;
	double value[GRENS_REPORT_BORDER_SETS][3];
	uint32_t rank[GRENS_REPORT_BORDER_SETS][2];
} grens_report_border_row;

/* The border views of one origin of home ("NL"), departures t0..t1
 * (seconds), ranked among `ranked` places of home: report.json "border",
 * each number with its range over the assumption sets. */
GRENS_EXTERN int grens_report_add_border(grens_report *report, const grens_report_place *origin,
					 const char *home, int32_t t0, int32_t t1, uint32_t ranked,
					 const grens_report_border_row *rows, uint32_t row_count,
					 grens_error *err);

/* A place on the map of the border views last added: its people (the
 * first opportunity kind) and its median travel time from the origin today
 * and in the national view (seconds; GRENS_ROUTE_UNREACHED when not reached,
 * and in the national view for every place abroad, which that view leaves
 * out). */
typedef struct grens_report_border_place {
	grens_report_place place; /* id: the municipality code */
	const char *country;
	double people;
	int32_t today_s, national_s;
} grens_report_border_place;

/* Add places[0..count) to the border views last added (report.json
 * border[-1].places; GRENS_EARG when there are none). Places without
 * coordinates are left out: they cannot be drawn. */
GRENS_EXTERN int grens_report_add_border_places(grens_report *report,
						const grens_report_border_place *places,
						uint32_t count, grens_error *err);

/* The language of report.html's words: "en" (the default), "nl" or "de".
 * GRENS_EARG for another. Numbers and data (names, descriptions from the
 * scenario files) stay as they are. */
GRENS_EXTERN int grens_report_set_lang(grens_report *report, const char *lang, grens_error *err);

/* Write the report into dir (created when missing):
 *   report.json        everything, the source of the other files
 *   report.html        self-contained page (inline CSS and SVG)
 *   profiles.csv       one row per profile summary
 *   profile_steps.csv  one row per departure step
 *   opportunities.csv  one row per origin, variant and cutoff
 *   stations.csv, stations.geojson   stations with travel times
 *   journeys.csv       one row per leg, border crossings marked
 * Each file is replaced atomically. GRENS_EIO names the file that failed. */
GRENS_EXTERN int grens_report_write_dir(const grens_report *report, const char *dir,
					grens_error *err);

/* "What travellers got": realised times from a recording against the
 * schedule, a "realised" block of report.json and a section of the page.
 * grens_report_set_realised starts the block (again: replaces it), then one
 * grens_report_add_realised_pair per origin and destination. Strings are
 * copied. GRENS_ENOMEM, GRENS_EARG (text not UTF-8). */
typedef struct grens_report_realised {
	const char *archive;
	grens_date date;
	uint32_t snapshots_read, snapshots_corrupt, gaps;
	uint32_t trips_scheduled, trips_observed, trips_no_data, trips_cancelled, stops_skipped;
	bool no_data_as_scheduled;
} grens_report_realised;

typedef struct grens_report_realised_pair {
	const char *from, *to; /* display names */
	uint32_t steps, planned, held, broken, no_data;
	double share_held; /* NAN when nothing held or broke */
	int32_t scheduled_median, realised_median, extra_p50,
	    extra_p90;	       /* s; GRENS_ROUTE_UNREACHED */
	const char *top_break; /* "Heerlen: IC -> RE18 (late), 3 times", "" when none */
} grens_report_realised_pair;

GRENS_EXTERN int grens_report_set_realised(grens_report *report, const grens_report_realised *r,
					   grens_error *err);
GRENS_EXTERN int grens_report_add_realised_pair(grens_report *report,
						const grens_report_realised_pair *p,
						grens_error *err);
/* Only report.json / only report.html to a stream. */
GRENS_EXTERN int grens_report_write_json(const grens_report *report, FILE *f, grens_error *err);
GRENS_EXTERN int grens_report_write_html(const grens_report *report, FILE *f, grens_error *err);

/* ---- the diff between two runs ---------------------------------------------------- */
/* The struct's layout; bumped when it changes (docs/api.md). */
#define GRENS_REPORT_DIFF_OPTIONS_VERSION 1

typedef struct grens_report_diff_options {
	unsigned
	    version; /* GRENS_REPORT_DIFF_OPTIONS_VERSION (set by GRENS_REPORT_DIFF_OPTIONS_INIT) */
	int32_t travel_time_s; /* report a median travel time that moved by more (default 60) */
	double population;     /* report reachable population that moved by more (default 1000) */
	/* How the output names the two reports (NULL: by the paths read):
	 * a report read from a temporary folder is named by its final path. */
	const char *previous_name, *current_name;
} grens_report_diff_options;

#define GRENS_REPORT_DIFF_OPTIONS_INIT                                                             \
	{                                                                                          \
		.version = GRENS_REPORT_DIFF_OPTIONS_VERSION, .travel_time_s = 60,                 \
		.population = 1000.0                                                               \
	}

typedef struct grens_report_diff_counts {
	uint32_t feeds_changed; /* same feed name, different file hashes */
	uint32_t feeds_added, feeds_removed;
	uint32_t travel_times_changed;
	uint32_t opportunities_changed;
} grens_report_diff_counts;

/* Compare the report.json files at previous_path and current_path and
 * write the differences to out_json (a JSON file, replaced atomically) and
 * a plain-text summary to out_text (NULL: none). counts may be NULL.
 * GRENS_EIO when a file cannot be read or written, GRENS_EFORMAT when a
 * report.json is not one (err names the file and field). */
GRENS_EXTERN int grens_report_diff(const char *previous_path, const char *current_path,
				   const grens_report_diff_options *opts, const char *out_json,
				   const char *out_text, grens_report_diff_counts *counts,
				   grens_error *err);

/* ---- nightly runs -------------------------------------------------------------------- */
/* A night is the folder DIR/YYYY-MM-DD. It is built under a temporary name
 * in DIR, DIR/.partial-YYYY-MM-DD.PID.XXXXXX (hidden, never taken for a
 * night), and renamed to DIR/YYYY-MM-DD only when complete, with the marker
 * file GRENS_REPORT_NIGHT_MARKER written last; a folder without the marker
 * (left by a run that was killed or ran out of disk before this scheme) is
 * not a night. */
#define GRENS_REPORT_NIGHT_MARKER "COMPLETE"

typedef struct grens_report_night grens_report_night;

/* Start building the night of date in dir (created when missing). First
 * removes the temporaries that no live run holds (a run holds its own with
 * flock while it lives, and names its pid); *removed (may be NULL) gets how
 * many. The new temporary is the caller's (grens_report_night_free).
 * GRENS_EIO, GRENS_ELIMIT, GRENS_ENOMEM. */
GRENS_EXTERN int grens_report_night_begin(grens_report_night **out, const char *dir,
					  grens_date date, unsigned *removed, grens_error *err);
/* The temporary folder to write the night's files into. */
GRENS_EXTERN const char *grens_report_night_path(const grens_report_night *night);
/* Write the marker, fsync the folder and rename it to DIR/YYYY-MM-DD, then
 * fsync DIR. An existing folder of that date is swapped out in one atomic
 * step (renameat2 RENAME_EXCHANGE) and removed; where the filesystem cannot
 * exchange, it is renamed aside first, so for a moment no folder of that
 * date exists (never a partial one). *replaced (may be NULL) says whether
 * one existed. GRENS_EIO; the temporary stays for grens_report_night_free. */
GRENS_EXTERN int grens_report_night_commit(grens_report_night *night, bool *replaced,
					   grens_error *err);
/* Remove the temporary unless it was committed, release the lock, free.
 * NULL is fine. */
GRENS_EXTERN void grens_report_night_free(grens_report_night *night);
/* Whether dir/name holds the marker of a complete night. */
GRENS_EXTERN bool grens_report_night_complete(const char *dir, const char *name);

/* Point DIR/latest at DIR/name (a relative symlink), replacing an existing
 * link atomically (a new link under a temporary name, then rename).
 * GRENS_EIO. */
GRENS_EXTERN int grens_report_link_latest(const char *dir, const char *name, grens_error *err);
/* Point DIR/latest at the night of date unless it points at a later night
 * now: `latest` only moves forward, or anywhere when force is set. *kept
 * gets the later night's date when latest stayed, else GRENS_DATE_NONE.
 * GRENS_EIO. */
GRENS_EXTERN int grens_report_advance_latest(const char *dir, grens_date date, bool force,
					     grens_date *kept, grens_error *err);
/* The newest complete night (a folder YYYY-MM-DD with the marker) in dir
 * that is older than date, into name (>= 11 bytes). GRENS_ENOTFOUND when
 * there is none, GRENS_EIO when dir cannot be read. */
GRENS_EXTERN int grens_report_previous_run(const char *dir, grens_date date, char *name,
					   size_t namesz, grens_error *err);

/* The nightly configuration (grens-nightly.yaml(5)): a YAML mapping. Keys:
 * feeds (the feed list, relative to the config file), cache (the feed
 * cache, relative to the config file), max_age (with s/m/h/d suffix: a
 * feed whose last good download is older is stale), service_date
 * (YYYY-MM-DD; default the run date), window (HH:MM-HH:MM), step (seconds),
 * threshold (minutes), scenarios (a list of files), pairs (a list of
 * `FROM -> TO` or {from, to}), map_origin (a stop), places (a list of
 * places CSVs), cutoffs (a list of minutes, or "60, 90"), base_feeds (feed
 * names of the nl-only side), links (a links file joining stations across
 * feeds; default none), diff_travel_time (seconds), diff_population,
 * rt_archive (a folder of recorded GTFS-realtime, relative to the config
 * file), rt_record_urls (a list of [NAME=]URL to record into rt_archive).
 * The older syntax, `key = value` lines with `#` comments and scenario,
 * pair, places, rt_record_url repeated instead of lists, is still read
 * with a deprecation notice: a file is read so when its name ends in .conf
 * or its first line that is not blank or a comment is key = value. */
#define GRENS_REPORT_NIGHTLY_MAX_PAIRS 32u
#define GRENS_REPORT_NIGHTLY_MAX_SCENARIOS 8u
#define GRENS_REPORT_NIGHTLY_TEXT_BYTES 256u
#define GRENS_REPORT_NIGHTLY_MAX_PLACES 16u
#define GRENS_REPORT_NIGHTLY_MAX_CUTOFFS 8u

typedef struct grens_report_nightly_pair {
	char from[GRENS_REPORT_NIGHTLY_TEXT_BYTES];
	char to[GRENS_REPORT_NIGHTLY_TEXT_BYTES];
} grens_report_nightly_pair;

typedef struct grens_report_nightly_config {
	char feeds[GRENS_REPORT_PATH_BYTES]; /* resolved against the config's directory */
	char cache[GRENS_REPORT_PATH_BYTES];
	char scenarios[GRENS_REPORT_NIGHTLY_MAX_SCENARIOS][GRENS_REPORT_PATH_BYTES];
	uint32_t scenario_count;
	grens_report_nightly_pair pairs[GRENS_REPORT_NIGHTLY_MAX_PAIRS];
	uint32_t pair_count;
	char map_origin[GRENS_REPORT_NIGHTLY_TEXT_BYTES]; /* "" : the first pair's origin */
	char places[GRENS_REPORT_NIGHTLY_MAX_PLACES][GRENS_REPORT_PATH_BYTES];
	uint32_t places_count;
	int32_t cutoffs_min[GRENS_REPORT_NIGHTLY_MAX_CUTOFFS]; /* default 60, 90, 120 */
	uint32_t cutoff_count;
	char base_feeds[GRENS_REPORT_NIGHTLY_TEXT_BYTES]; /* "" : "nl" */
	char links[GRENS_REPORT_PATH_BYTES];		  /* "" : no links file */
	int64_t max_age_s;				  /* default 2 days */
	grens_date service_date;			  /* GRENS_DATE_NONE: the run date */
	int32_t window_start, window_end;		  /* default 06:00-22:00 */
	int32_t step_s;					  /* default GRENS_ROUTE_DEFAULT_STEP */
	int32_t threshold_s; /* default GRENS_ROUTE_DEFAULT_THRESHOLD */
	grens_report_diff_options diff;
	char rt_archive[GRENS_REPORT_PATH_BYTES]; /* "" : none; resolved like feeds */
	char rt_record_urls[GRENS_RT_RECORD_MAX_FEEDS]
			   [GRENS_RT_RECORD_URL_BYTES + 64]; /* [NAME=]URL */
	uint32_t rt_record_url_count;
} grens_report_nightly_config;

/* Parse text[0..len) (file names it in errors, anchors relative paths and
 * picks the syntax, see above). GRENS_EFORMAT with file, line (and column
 * for YAML) and key as field for an unknown key, a bad value or a missing
 * `feeds` / `pairs`, or rt_record_urls without rt_archive; GRENS_ELIMIT
 * when a list is full. The older syntax adds a `deprecated_syntax` warning
 * to diag (NULL: dropped). */
GRENS_EXTERN int grens_report_nightly_parse(grens_report_nightly_config *out, const char *text,
					    size_t len, const char *file, grens_diag *diag,
					    grens_error *err);
/* Read and parse a nightly configuration file; GRENS_EIO when unreadable. */
GRENS_EXTERN int grens_report_nightly_load(grens_report_nightly_config *out, const char *path,
					   grens_diag *diag, grens_error *err);
/* Write config, as read from file, to out as nightly.yaml: paths in file's
 * folder relative again, keys at their defaults left out. Parsing the
 * result at the same place gives the same configuration. GRENS_EIO when
 * out fails, GRENS_ENOMEM. */
GRENS_EXTERN int grens_report_nightly_write_yaml(const grens_report_nightly_config *config,
						 const char *file, FILE *out, grens_error *err);



/* ---- the compare document ----------------------------------------------------
 * What grens compare prints and writes (grens-json(7), "grens compare"):
 * the rows of an OD comparison (grens_access_od_run) with the names of the
 * places and networks, as JSON, CSV or a text table. */
typedef enum {
	GRENS_REPORT_COMPARE_TEXT = 0,
	GRENS_REPORT_COMPARE_CSV = 1,
	GRENS_REPORT_COMPARE_JSON = 2,
} grens_report_compare_format;

typedef struct grens_report_compare_network {
	const char *name;	 /* "base", or a scenario's name */
	const char *sha256;	 /* the scenario file's, "" for the base */
	const char *description; /* "" for none */
	uint32_t trips_no_data;	 /* with realised times: trips no snapshot names */
} grens_report_compare_network;

/* A note of the run, e.g. a feed without service on a date. */
typedef struct grens_report_compare_note {
	const char *code, *date, *feed, *message;
} grens_report_compare_note;

typedef struct grens_report_compare {
	const grens_access_od_result *od;
	const grens_access_od_pair *pairs;	       /* the run's pairs */
	const grens_report_place *places;	       /* id and name of each place */
	const grens_report_compare_network *networks; /* one per network of the run */
	uint32_t network_count;
	const char *rt;				       /* the live times' file, NULL: none */
	/* realised times: the archive (NULL: none), whether trips without data
	 * run as scheduled, and the "realised" block of the JSON (an object
	 * as JSON text; trips_no_data_by_network is added) */
	const char *realised_archive;
	bool no_data_as_scheduled;
	const char *realised_json;
	/* networks[0] is the schedule and networks[1] the same network on the
	 * realised times (grens compare --realised-vs-scheduled): the JSON
	 * says "comparison": "realised-vs-scheduled" and the realised counts are
	 * networks[1]'s */
	bool realised_vs_scheduled;
	const grens_report_compare_note *notes;
	uint32_t note_count;
} grens_report_compare;

/* Write doc to f in format. GRENS_EINVAL for a NULL doc, doc->od,
 * doc->networks (or no networks), doc->pairs or doc->places (with rows) or f,
 * GRENS_EFORMAT for realised_json that is not a JSON object, GRENS_EIO,
 * GRENS_ENOMEM. */
GRENS_EXTERN int grens_report_compare_write(const grens_report_compare *doc,
					    grens_report_compare_format format, FILE *f,
					    grens_error *err);
/* Write compare.txt, compare.csv and compare.json into dir (made when
 * missing), each atomically (grens_report_file_open). Errors as
 * grens_report_compare_write; GRENS_EIO names the file. */
GRENS_EXTERN int grens_report_compare_write_dir(const grens_report_compare *doc, const char *dir,
						grens_error *err);

/* ---- the compare job ---------------------------------------------------------
 * grens compare as one call: the base network of a source and each scenario
 * built, with live or realised times, the places resolved on every network,
 * the OD comparison run, and the document (grens_report_compare) ready to
 * write. The CLI and the server only parse, call and write. */

/* Where a job's progress lines go ("scenario ic-aken (sha256 ...): 3 edits,
 * ..."; a line starting "warning: " is one); fn NULL: nowhere. */
typedef struct grens_report_log {
	void (*fn)(void *ctx, const char *line);
	void *ctx;
} grens_report_log;

/* The struct's layout; bumped when it changes (docs/api.md). */
#define GRENS_REPORT_COMPARE_JOB_VERSION 3

typedef struct grens_report_compare_job {
	unsigned version; /* GRENS_REPORT_COMPARE_JOB_VERSION (GRENS_REPORT_COMPARE_JOB_INIT) */
	grens_net_source source;		 /* the base network's feeds or snapshot */
	const grens_scenario *const *scenarios; /* applied to the source's feeds, each a network */
	uint32_t scenario_count;
	/* [scenario_count] or NULL: scenarios[i] applied to the source's
	 * snapshot already (grens_scenario_derive on job.source.snapshot), so
	 * the run uses it instead of applying it again; NULL entries, and
	 * every entry with live or realised times, are applied as without. */
	const grens_timetable *const *scenario_timetables;
	/* live times: a decoded message (NULL: none) and its file, for names */
	const grens_rt_feed *rt;
	const char *rt_name;
	/* realised times: the archive (NULL: none) read on every network; with
	 * realised_vs_scheduled the base is run twice, as scheduled and on the
	 * realised times, and no scenario may be given */
	const char *realised_archive;
	bool realised_vs_scheduled, no_data_as_scheduled;
	const char *const *from, *const *to; /* stop ids or names, at least one each */
	uint32_t from_count, to_count;
	bool one_way; /* else every pair both ways */
	const grens_date *dates; /* at least one */
	uint32_t date_count;
	int32_t window_start, window_end, step, threshold; /* as grens_access_od_options */
	uint32_t max_transfers;
	grens_report_log log;
	uint32_t threads; /* networks run at once (grens_access_od_options) */
} grens_report_compare_job;

#define GRENS_REPORT_COMPARE_JOB_INIT                                                              \
	{                                                                                          \
		.version = GRENS_REPORT_COMPARE_JOB_VERSION, .window_start = 6 * 3600,             \
		.window_end = 22 * 3600, .step = GRENS_ROUTE_DEFAULT_STEP,                         \
		.threshold = GRENS_ROUTE_DEFAULT_THRESHOLD, .max_transfers = 8, .threads = 1,      \
	}

typedef struct grens_report_compare_run grens_report_compare_run;

/* Run job into *out (the caller's, grens_report_compare_run_free). Every
 * pointer of job must outlive the run. Notices of scenarios and realtime go
 * to diag (may be NULL). GRENS_EARG for a job that cannot run (no places,
 * no date, a scenario or realtime on a snapshot, a scenario with
 * realised_vs_scheduled, a place that matches no stop or several: the
 * message names the option, "--from 'X' matches no stop"); the errors of
 * building, applying and grens_access_od_run. */
GRENS_EXTERN int grens_report_compare_run_new(grens_report_compare_run **out,
					      const grens_report_compare_job *job,
					      grens_diag *diag, grens_error *err);
GRENS_EXTERN void grens_report_compare_run_free(grens_report_compare_run *run);

/* The run's document, valid while run is: the caller may set realised_json
 * (grens_report_realised_counts) in its copy before writing. */
GRENS_EXTERN grens_report_compare grens_report_compare_run_document(
    const grens_report_compare_run *run);
/* The realised counts of the network the archive was read on (the base, or
 * with realised_vs_scheduled the second), NULL without an archive. */
GRENS_EXTERN const grens_rt_realised_counts *grens_report_compare_run_realised(
    const grens_report_compare_run *run);
/* Seconds spent building the networks and answering the queries. */
GRENS_EXTERN void grens_report_compare_run_timings(const grens_report_compare_run *run,
						   double *build_s, double *query_s);

/* ---- the route job -------------------------------------------------------------
 * grens route as one call: the stops named resolved on a timetable, one
 * departure routed (RAPTOR: the Pareto set over arrival and transfers;
 * Dijkstra: the earliest arrival) and the document (grens-json(7), "grens
 * route") ready to write, so that the command and the server agree. */

/* The struct's layout; bumped when it changes (docs/api.md). */
#define GRENS_REPORT_ROUTE_JOB_VERSION 1

typedef struct grens_report_route_job {
	unsigned version;	   /* GRENS_REPORT_ROUTE_JOB_VERSION (GRENS_REPORT_ROUTE_JOB_INIT) */
	const grens_timetable *tt; /* the network, a scenario's derived one too */
	const grens_rt_overlay *rt; /* live or realised times, or NULL */
	const char *rt_name;	    /* its file, named in the document */
	const grens_scenario *scenario; /* the scenario tt carries (its name and hash), or NULL */
	/* A workspace of tt to route with, or NULL (one is made): the result
	 * points into it, so it serves no other query while the document is
	 * in use. */
	grens_route_raptor *raptor;
	const char *from, *to; /* stop ids or names (grens_net_find_stops) */
	/* The names of from and to in messages ("--from 'X' matches no
	 * stop"); NULL: "--from", "--to". */
	const char *from_label, *to_label;
	grens_date date;
	int32_t time; /* departure, seconds after midnight of date */
	bool dijkstra;
	uint32_t max_transfers;
	grens_report_log log; /* a "warning: " line per feed without trips on date */
} grens_report_route_job;

#define GRENS_REPORT_ROUTE_JOB_INIT                                                                \
	{                                                                                          \
		.version = GRENS_REPORT_ROUTE_JOB_VERSION, .max_transfers = 8,                     \
	}

typedef struct grens_report_route grens_report_route;

typedef enum {
	GRENS_REPORT_ROUTE_TEXT = 0,
	GRENS_REPORT_ROUTE_JSON = 1,
	GRENS_REPORT_ROUTE_CSV = 2,
} grens_report_route_format;

/* Run job into *out (the caller's, grens_report_route_free); job's
 * pointers must outlive the document. GRENS_EINVAL for a NULL out, job or
 * tt, or another version; GRENS_EARG when from or to is missing, names no
 * stop or is ambiguous (err->field "from" or "to"); the errors of
 * grens_net_check_date and of routing. */
GRENS_EXTERN int grens_report_route_new(grens_report_route **out,
					const grens_report_route_job *job, grens_error *err);
GRENS_EXTERN void grens_report_route_free(grens_report_route *doc);
/* The journeys, valid while doc is (and job->raptor serves no other query). */
GRENS_EXTERN const grens_route_result *grens_report_route_result(const grens_report_route *doc);
/* The document to f: text and CSV as grens_report_journeys_write_text and
 * _csv, JSON as {"query": ..., "journeys": [...], "notes": [...]}.
 * GRENS_EINVAL for a NULL doc or f or an unknown format, GRENS_EIO,
 * GRENS_ENOMEM. */
GRENS_EXTERN int grens_report_route_write(const grens_report_route *doc, FILE *f,
					  grens_report_route_format fmt, grens_error *err);

/* ---- the profile job -----------------------------------------------------------
 * grens profile as one call: the stops named resolved, every departure of
 * the window routed (range RAPTOR) and summarised, and the document
 * (grens-json(7), "grens profile") ready to write. */

#define GRENS_REPORT_PROFILE_JOB_VERSION 1

typedef struct grens_report_profile_job {
	unsigned version; /* GRENS_REPORT_PROFILE_JOB_VERSION (GRENS_REPORT_PROFILE_JOB_INIT) */
	const grens_timetable *tt;
	const grens_rt_overlay *rt; /* live or realised times, or NULL */
	const char *rt_name;
	const grens_scenario *scenario; /* the scenario tt carries, or NULL */
	grens_route_raptor *raptor; /* a workspace of tt, or NULL (as the route job) */
	const char *from, *to;
	const char *from_label, *to_label; /* as the route job */
	grens_date date;
	int32_t window_start, window_end, step; /* seconds */
	const char *window_text;		/* the window as given, or NULL: HH:MM-HH:MM */
	int32_t threshold_min;			/* the share under it */
	uint32_t max_transfers;
	const char *realised_json; /* a "realised" block (JSON object text) or NULL */
	grens_report_log log;
} grens_report_profile_job;

#define GRENS_REPORT_PROFILE_JOB_INIT                                                              \
	{                                                                                          \
		.version = GRENS_REPORT_PROFILE_JOB_VERSION, .step = GRENS_ROUTE_DEFAULT_STEP,     \
		.threshold_min = GRENS_ROUTE_DEFAULT_THRESHOLD / 60, .max_transfers = 8,           \
	}

typedef struct grens_report_profile grens_report_profile;

/* Run job into *out (the caller's, grens_report_profile_free). Errors as
 * grens_report_route_new, and GRENS_EARG for an empty window or step or
 * more than GRENS_ROUTE_MAX_STEPS departures (err->field "window"). */
GRENS_EXTERN int grens_report_profile_new(grens_report_profile **out,
					  const grens_report_profile_job *job, grens_error *err);
GRENS_EXTERN void grens_report_profile_free(grens_report_profile *doc);
/* The summary, valid while doc is. */
GRENS_EXTERN const grens_route_profile_summary *
grens_report_profile_summary(const grens_report_profile *doc);
/* The document to f: JSON {"query", "summary", "steps", "notes"[, "realised"]},
 * CSV departure,arrival,travel_time_s,transfers, or the text grens profile
 * prints. Errors as grens_report_route_write. */
GRENS_EXTERN int grens_report_profile_write(const grens_report_profile *doc, FILE *f,
					    grens_report_route_format fmt, grens_error *err);

/* ---- the network document (grens serve's map) ---- */
/* What a map draws of tt, as compact JSON text into *out (the caller frees
 * it with free()): {"stations": [{"id" (feed:stop_id), "name", "lat", "lon",
 * "country"}], "lines": [{"route", "type" (GTFS route_type), "feed",
 * "stations": [indices into stations]}], "border": [[lat, lon], ...] (the
 * NL-DE border, grens_geo_nl_de_border)}. Stations are the parent stations
 * of the stops the patterns serve (a stop without one is its own); a
 * pattern is a line, one with the same route and stations as the pattern
 * before it is not repeated. rail_only: only routes of GTFS route_type 2
 * and 100-199. GRENS_EINVAL for a NULL out or tt, GRENS_ENOMEM. */
GRENS_EXTERN int grens_report_network_json(char **out, const grens_timetable *tt, bool rail_only,
					   grens_error *err);

/* ---- the grens rt document ---- */
/* What grens rt says about an overlay (grens-json(7), "grens rt"): the
 * feed's header, every count of grens_rt_counts, the delay percentiles,
 * the alerts, the cancelled trips (feed, trip_id, date) and the added ones
 * with their stops. tt is the timetable ov was built on. */

/* The document as compact JSON text into *out (the caller frees it with
 * free()). GRENS_EINVAL for a NULL out, tt or ov, GRENS_ENOMEM. */
GRENS_EXTERN int grens_report_rt_json(char **out, const grens_timetable *tt,
				      const grens_rt_overlay *ov, grens_error *err);
/* The document as the text grens rt prints. GRENS_EINVAL for a NULL f, tt
 * or ov, GRENS_EIO. */
GRENS_EXTERN int grens_report_rt_write_text(FILE *f, const grens_timetable *tt,
					    const grens_rt_overlay *ov, grens_error *err);

/* ---- the stops document (grens stops; grens-json(7), GRENS STOPS) ---- */
/* What a station search asked: a name (grens_net_search_stops), or, with
 * name NULL, the stations within radius_m of (lat, lon)
 * (grens_net_nearest_stops); limit is the most stations asked for. */
typedef struct grens_report_stops_query {
	const char *name;
	double lat, lon, radius_m;
	uint32_t limit;
} grens_report_stops_query;

/* The stations hits[0..n) found for query, in their order, as compact JSON
 * text into *out (the caller frees it with free()): {"query": {"name",
 * "limit"} or {"near": {"lat", "lon", "radius_m"}, "limit"}, "stops": [{"id"
 * (feed:stop_id), "feed", "stop_id", "name", "lat", "lon", "distance_m"
 * (near a point only), "platforms"}]}. A station without coordinates is
 * placed at its first stop that has some (null when none has). GRENS_EINVAL
 * for a NULL out, tt or query, or NULL hits with n > 0; GRENS_EARG for a
 * hit that is no stop of tt or a name that is not UTF-8; GRENS_ENOMEM. */
GRENS_EXTERN int grens_report_stops_json(char **out, const grens_timetable *tt,
					 const grens_report_stops_query *query,
					 const grens_net_stop_hit *hits, uint32_t n,
					 grens_error *err);
/* The same stations as CSV: the header id,feed,stop_id,name,lat,lon,distance_m
 * and a row per station (distance_m empty for a name search). Errors as
 * grens_report_stops_json, and GRENS_EIO; f instead of out. */
GRENS_EXTERN int grens_report_stops_write_csv(FILE *f, const grens_timetable *tt,
					      const grens_net_stop_hit *hits, uint32_t n,
					      grens_error *err);
/* The same stations as the table grens stops prints: id, name, platforms
 * and, near a point, the distance; a line saying so when there are none.
 * Errors as grens_report_stops_json, and GRENS_EIO; f instead of out. */
GRENS_EXTERN int grens_report_stops_write_text(FILE *f, const grens_timetable *tt,
					       const grens_report_stops_query *query,
					       const grens_net_stop_hit *hits, uint32_t n,
					       grens_error *err);

/* ---- the access job ---- */
/* grens access as one call (grens-access(1)): the timetables built from a
 * source, the places tied to their stops, the origins resolved, one run or
 * a comparison (base against a scenario, scheduled against realised times,
 * or the border views) and the document with its meta (grens-json(7),
 * GRENS ACCESS), so that every caller gives the same document. Everything
 * is borrowed and must outlive grens_report_access_run. */
#define GRENS_REPORT_ACCESS_JOB_VERSION 1
/* Most origins given by name. */
#define GRENS_REPORT_ACCESS_MAX_FROM 1024u

struct grens_scenario;

/* One assumption set of the border views (grens-access(1), BORDER EFFECT):
 * the first and last mile (access distance, walking speed) and the
 * linker's footpath walking speed and change times. */
typedef struct grens_report_access_assumption {
	double access_distance_m, walk_speed_mps, footpath_walk_speed_mps;
	int32_t min_change, link_min_change;
} grens_report_access_assumption;

typedef struct grens_report_access_job {
	unsigned version; /* GRENS_REPORT_ACCESS_JOB_VERSION (set by GRENS_REPORT_ACCESS_JOB_INIT) */
	grens_net_source source; /* the network: feeds with their linking options, or a snapshot */
	const grens_access_places *places; /* required, with at least one place */
	/* The places files, named in meta by their last path component. */
	const char *const *places_files;
	uint32_t places_file_count;
	/* The origins as given: a place (grens_access_places_find) or else a
	 * stop query (grens_net_find_stops). None: every place (with border,
	 * every place of home; with rank, those tied to a stop). */
	const char *const *from;
	uint32_t from_count; /* at most GRENS_REPORT_ACCESS_MAX_FROM */
	/* options.date is required; options.max_duration -1: the largest
	 * cutoff (plus W/2 for linear decay); keep_stop_times follows stops. */
	grens_access_options options;
	grens_access_link_options link;
	bool stops; /* travel times to every stop reached, per origin */
	/* Base against the source's feeds with the scenario applied (NULL:
	 * none); needs feeds, not a snapshot. */
	const struct grens_scenario *scenario;
	/* The border views of origins in home ("NL" or "DE"); rank adds each
	 * origin's rank among home's places tied to a stop; sensitivity runs
	 * sets[1] (low) and sets[2] (high) too, which needs feeds. sets[0]
	 * (central) is the run's own: what the border views build with. */
	bool border, rank, sensitivity;
	const char *home;
	grens_report_access_assumption sets[GRENS_REPORT_BORDER_SETS];
	/* Realised times: the source's timetable realised_tt with its overlay
	 * (grens_rt_realised_build), and meta's "realised" block as a JSON
	 * object text. Alone the run is on them; with realised_vs_scheduled
	 * the schedule is the base and they are the alternative. */
	const grens_timetable *realised_tt;
	const grens_rt_overlay *realised;
	const char *realised_json;
	bool realised_vs_scheduled;
} grens_report_access_job;

#define GRENS_REPORT_ACCESS_JOB_INIT                                                              \
	{                                                                                          \
		.version = GRENS_REPORT_ACCESS_JOB_VERSION, .options = GRENS_ACCESS_OPTIONS_INIT,  \
		.link = GRENS_ACCESS_LINK_OPTIONS_INIT, .home = "NL",                              \
	}

/* Run job into a new document *out (the caller's, grens_report_access_free):
 * the timetables of job->source, the places tied once on the network with
 * the most in it (every other side reuses those ties), the origins
 * resolved, the run or comparison, and the document's meta. Linking
 * warnings of every build (codes "link..."), a "no_service_on_date" warning
 * per feed without trips on the date, and the scenario's notices go to diag
 * (may be NULL). GRENS_EINVAL for a NULL out or job, another version or no
 * places; GRENS_EARG for options that do not go together, an origin that
 * names no stop or several stations, or is not in home, and the errors of
 * applying the scenario other than GRENS_EIO and GRENS_ENOMEM;
 * GRENS_ENOTFOUND when the feeds do not serve the date (the message of
 * grens_net_check_date); the errors of building, tying and routing
 * (GRENS_EARG for bad options). */
GRENS_EXTERN int grens_report_access_run(grens_report_access **out,
					 const grens_report_access_job *job, grens_diag *diag,
					 grens_error *err);

/* ---- the report job ---- */
/* What grens report and grens nightly analyse, as loaded inputs, so that
 * any caller (the command line, a server) fills the same report:
 * profiles, best journeys and savings of each pair, the station map,
 * reachable population (the base feeds alone, linked, each scenario), the
 * border views of one place, the population sources and realtime notes.
 * Everything is borrowed and must outlive grens_report_fill. */
#define GRENS_REPORT_JOB_VERSION 1
#define GRENS_REPORT_JOB_MAX_PAIRS 32u
#define GRENS_REPORT_JOB_MAX_SCENARIOS 8u
#define GRENS_REPORT_JOB_MAX_CUTOFFS 8u
#define GRENS_REPORT_JOB_MAX_RT 16u


/* A realtime message matched against the base network: a note of what it
 * holds and how much matched, or why it was not used. */
typedef struct grens_report_job_rt {
	const char *name;
	const grens_rt_feed *feed; /* decoded, or NULL: not used because of error */
	const char *error;	   /* with feed NULL: the reason */
} grens_report_job_rt;

typedef struct grens_report_job {
	unsigned version; /* GRENS_REPORT_JOB_VERSION (set by GRENS_REPORT_JOB_INIT) */
	/* The base network: every feed, linked; scenarios edit these feeds, so
	 * they need feeds, not a snapshot. */
	grens_net_source source;
	const struct grens_scenario *const *scenarios;
	uint32_t scenario_count; /* at most GRENS_REPORT_JOB_MAX_SCENARIOS */
	/* Pairs as stop queries (grens_net_find_stops): an id, "feed:id" or a
	 * name. */
	const char *from[GRENS_REPORT_JOB_MAX_PAIRS], *to[GRENS_REPORT_JOB_MAX_PAIRS];
	uint32_t pair_count;
	const char *map_origin; /* the station map's origin; NULL: from[0] */
	/* Places with their population; NULL: no reachable population, border
	 * views or population sources (a note says so). */
	const grens_access_places *places;
	uint32_t cutoffs_min[GRENS_REPORT_JOB_MAX_CUTOFFS];
	uint32_t cutoff_count;
	/* The feeds of the "nl-only" side (comma-separated names; NULL: "nl"). */
	const char *base_feeds;
	/* The place of "NL" whose border views are shown (NULL: none; not on a
	 * snapshot), under each assumption set (central, low, high). */
	const char *border_origin;
	grens_report_access_assumption border_sets[GRENS_REPORT_BORDER_SETS];
	grens_date date; /* the service date; required */
	int32_t t0, t1, step, threshold;
	grens_report_job_rt rt[GRENS_REPORT_JOB_MAX_RT];
	uint32_t rt_count;
	int64_t rt_now; /* the run's time, for each message's age (0: not shown) */
	/* What travellers got (grens_report_fill_realised): the archive's name,
	 * the timetable and its realised overlay (NULL: could not be built),
	 * and the counts of building it. */
	const char *realised_archive;
	const grens_timetable *realised_tt;
	const grens_rt_overlay *realised;
	grens_rt_realised_counts realised_counts;
} grens_report_job;

#define GRENS_REPORT_JOB_INIT                                                                     \
	{                                                                                          \
		.version = GRENS_REPORT_JOB_VERSION, .map_origin = NULL, .places = NULL,           \
		.date = GRENS_DATE_NONE, .t0 = 6 * 3600, .t1 = 22 * 3600,                          \
		.step = GRENS_ROUTE_DEFAULT_STEP, .threshold = GRENS_ROUTE_DEFAULT_THRESHOLD,      \
	}

/* Fill report with the job's analyses, in the order of the page: the
 * query, the feeds' provenance (hashed now, or as the snapshot recorded
 * it), notes for feeds without trips on the date, population sources and
 * how places were tied, the border views, reachable population nl-only,
 * the base's profiles, journeys and station map, realtime notes, linked
 * population, then each scenario. Linking notices of every build, and a
 * "no_service_on_date" warning per feed without trips that day, go to diag
 * (may be NULL). GRENS_EINVAL for a NULL report or job or another version,
 * GRENS_EARG for a missing date or too many pairs, cutoffs, scenarios or
 * realtime messages, or a date the feeds do not serve (the message of
 * grens_net_check_date); GRENS_ENOTFOUND when a stop query matches no stop
 * or is ambiguous, or the border origin is no place of NL (err->message
 * names it); the errors of building, routing and adding to the report. */
GRENS_EXTERN int grens_report_fill(grens_report *report, const grens_report_job *job,
				   grens_diag *diag, grens_error *err);

/* The "realised" block of report (grens_report_set_realised) from the
 * job's realised inputs, and a row per pair on job->realised_tt. A pair
 * whose stops do not resolve or whose comparison fails is left out with a
 * "realised_pair" error notice in diag (may be NULL). GRENS_EINVAL for a
 * NULL report or job; GRENS_ENOTFOUND, err->message the note to show, when
 * the archive holds no snapshot of the date; GRENS_EARG without
 * realised_tt or realised; GRENS_ENOMEM. */
GRENS_EXTERN int grens_report_fill_realised(grens_report *report, const grens_report_job *job,
					    grens_diag *diag, grens_error *err);

/* ---- the info, link, realised and places documents ---- */
/* The stable documents of grens info, grens link --report, the realised
 * times (--realised) and the places of grens access (grens-json(7)). JSON
 * leaves the library as text: written to a stream, or as compact JSON
 * into *out (the caller frees it with free()) for a command to put into
 * its own document. */

/* grens info over feeds[0..feed_count): a NULL feed is one that could not
 * be used and is left out; diags[i] holds feeds[i]'s notices (NULL: none). */
typedef struct grens_report_info {
	const grens_gtfs_feed *const *feeds;
	const grens_diag *const *diags;
	const grens_gtfs_clip_counts *clips; /* one per feed (--clip); NULL: not clipped */
	uint32_t feed_count;
	const grens_timetable *tt;  /* built over the usable feeds in order; NULL: none */
	const grens_diag *net_diag; /* the notices of building tt; NULL: none */
	uint32_t max_notices;	    /* text: notices listed in full per feed */
} grens_report_info;

/* The document {"feeds": [...], "timetable": {...}} (two-space indent, then
 * a newline) to f. GRENS_EINVAL for a NULL f or doc (or feeds or diags
 * with feed_count > 0), GRENS_ENOMEM, GRENS_EIO. */
GRENS_EXTERN int grens_report_info_write_json(FILE *f, const grens_report_info *doc,
					      grens_error *err);
/* The same as the text grens info prints. Errors as
 * grens_report_info_write_json. */
GRENS_EXTERN int grens_report_info_write_text(FILE *f, const grens_report_info *doc,
					      grens_error *err);

/* How feeds were joined into tt (report as grens_net_link filled it): the
 * time zones, matched stations, near misses, explicit links beyond the
 * walking radius, merged trips and counts, as JSON (two-space indent, then
 * a newline), CSV (one row per pair) or text. GRENS_EINVAL for a NULL f, tt
 * or report, GRENS_ENOMEM, GRENS_EIO. */
GRENS_EXTERN int grens_report_link_write_json(FILE *f, const grens_timetable *tt,
					      const grens_net_link_report *report,
					      grens_error *err);
GRENS_EXTERN int grens_report_link_write_csv(FILE *f, const grens_timetable *tt,
					     const grens_net_link_report *report,
					     grens_error *err);
GRENS_EXTERN int grens_report_link_write_text(FILE *f, const grens_timetable *tt,
					      const grens_net_link_report *report,
					      grens_error *err);

/* What realised times were built from: {"archive", "first_date",
 * "last_date", "no_data_as": "scheduled"|"excluded", "snapshots_read", ...
 * every count of c}, compact, into *out. GRENS_EINVAL for a NULL out,
 * archive or c, GRENS_ENOMEM. */
GRENS_EXTERN int grens_report_realised_counts_json(char **out, const char *archive,
						   bool no_data_as_scheduled, grens_date first,
						   grens_date last,
						   const grens_rt_realised_counts *c,
						   grens_error *err);
/* The comparison cmp of realised times with the schedule on date (all: over
 * every date), summarised with threshold (seconds), and its most frequent
 * breaks, compact, into *out: {"steps", "planned", "held", "broken",
 * "no_data", "share_held", "extra_p50_s", "extra_p90_s", "scheduled":
 * {"median_s", "p90_s", "share_under_threshold"}, "realised": {...},
 * "delta_median_s", "breaks_distinct", "breaks": [{"station": {"id",
 * "name"}, "from_route", "to_route", "reason", "count"}]}. GRENS_EINVAL for
 * a NULL out, tt or cmp; the errors of grens_access_realised_summarize. */
GRENS_EXTERN int grens_report_realised_summary_json(char **out, const grens_timetable *tt,
						    const grens_access_realised *cmp, bool all,
						    grens_date date, int32_t threshold,
						    grens_error *err);
/* The same as text lines to f, each after prefix (NULL: ""); when the
 * summary cannot be made, a line saying so, and its error. GRENS_EINVAL
 * for a NULL f, tt or cmp, GRENS_EIO. */
GRENS_EXTERN int grens_report_realised_summary_write_text(FILE *f, const grens_timetable *tt,
							  const grens_access_realised *cmp,
							  bool all, grens_date date,
							  int32_t threshold, const char *prefix,
							  grens_error *err);
/* The header line of the CSV of summaries. GRENS_EINVAL for a NULL f,
 * GRENS_EIO. */
GRENS_EXTERN int grens_report_realised_csv_header(FILE *f, grens_error *err);
/* One CSV row of the summary (as grens_report_realised_summary_json)
 * labelled label (NULL: empty), with the most frequent break. Nothing is
 * written when the summary cannot be made. Errors as
 * grens_report_realised_summary_write_text. */
GRENS_EXTERN int grens_report_realised_summary_write_csv(FILE *f, const grens_timetable *tt,
							 const grens_access_realised *cmp,
							 bool all, grens_date date,
							 int32_t threshold, const char *label,
							 grens_error *err);

/* How places were tied to stops in net, compact, into *out: {"walk":
 * {"places", "population"}, "bike": ..., "feeder": ..., "none": ...}.
 * GRENS_EINVAL for a NULL out or net, GRENS_ENOMEM. */
GRENS_EXTERN int grens_report_places_ties_json(char **out, const grens_access_network *net,
					       grens_error *err);
/* {"municipalities", "population"} of the places that cannot be placed.
 * GRENS_EINVAL for a NULL out or places, GRENS_ENOMEM. */
GRENS_EXTERN int grens_report_places_unplaced_json(char **out, const grens_access_places *places,
						   grens_error *err);
/* The link options as grens access writes them (meta.access): modes,
 * distances, speeds and waits. GRENS_EINVAL for a NULL out or o,
 * GRENS_ENOMEM. */
GRENS_EXTERN int grens_report_places_access_json(char **out, const grens_access_link_options *o,
						 grens_error *err);
/* The sentences of the ties of net (with the feeder assumption of o) and
 * of the places that cannot be placed, as grens_report_ties_text and
 * grens_report_unplaced_text write them. A NULL net, o or places gives an
 * empty line. */
GRENS_EXTERN void grens_report_places_ties_text(char *buf, size_t n,
						const grens_access_network *net,
						const grens_access_link_options *o);
GRENS_EXTERN void grens_report_places_unplaced_text(char *buf, size_t n,
						    const grens_access_places *places);

#ifdef __cplusplus
}
#endif
#endif
