/* Shared inside report/: JSON dumping flags and small helpers. */
#ifndef GRENS_REPORT_INTERNAL_H
#define GRENS_REPORT_INTERNAL_H

#include <jansson.h>

#include "grens/report.h"

/* Reals with up to 15 significant digits: values are rounded before they
 * are stored, so 52.37919 prints as such and not as 52.379190000000001. */
#define REPORT_JSON_FLAGS (JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15) | JSON_ENSURE_ASCII)

/* v rounded to decimals digits after the point. */
double report_round(double v, unsigned decimals);
/* json_real of v rounded, or null for NAN. New reference (NULL on OOM). */
json_t *report_real(double v, unsigned decimals);
/* Seconds as JSON: null for GRENS_ROUTE_UNREACHED. */
json_t *report_seconds(int32_t v);
/* Write a JSON value to f with a trailing newline. GRENS_EIO. */
int report_dump(const json_t *v, FILE *f, const char *what, grens_error *err);
/* Write a JSON value as CSV: strings quoted when needed, integers, reals
 * with their stored digits, null empty. */
int report_csv_value(FILE *f, const json_t *v);

/* A JSON value into a cell of the last row of t: strings, integers, reals,
 * booleans as 0/1; null or NULL leaves the cell empty. */
int report_put_value(grens_report_table *t, uint32_t col, const json_t *v, grens_error *err);
/* Cells first.. of the last row of t from the values at the dotted paths
 * ("from.id") of o; a missing value leaves its cell empty. */
int report_put_cells(grens_report_table *t, uint32_t first, const json_t *o,
		     const char *const *paths, uint32_t n, grens_error *err);

/* ---- journeys (journey.c) ---- */
/* journeys[index] of result as the one journey object (grens-json(7),
 * JOURNEYS); rt: the overlay the result was computed with, NULL without
 * realtime (then no leg has realtime fields). NULL on OOM. The caller
 * checks index < journey_count. */
json_t *report_journey_json(const grens_timetable *tt, const grens_rt_overlay *rt,
			    grens_date date, const grens_route_result *result, uint32_t index);
/* The table of journey legs (journeys.csv, grens route --format csv):
 * journey, [scenario,] leg, the leg's columns, transfers, [the realtime
 * columns]. */
int report_journey_table_new(grens_report_table **out, bool scenario, bool realtime,
			     grens_error *err);
/* One row per leg of journey (an object of report_journey_json, with
 * "scenario" when the table has that column), numbered number. */
int report_journey_table_add(grens_report_table *table, uint32_t number, const json_t *journey,
			     grens_error *err);

/* The NL–DE border as (lon, lat) points, south to north; *n gets the count. */
const double (*report_border(size_t *n))[2];

/* The string o[key], "" when absent or not a string. */
const char *report_str(const json_t *o, const char *key);

/* Used by the HTML writer and the diff: the report document. */
const json_t *report_document(const grens_report *report);
/* The page's language as grens_report_set_lang set it ("en" when not). */
const char *report_lang(const grens_report *report);

/* The "What travellers got" section of the page from doc's "realised"
 * block (nothing when absent); returns nonzero when writing failed. */
int report_realised_html(FILE *f, const json_t *doc);
/* report->doc, writable: for the writers of other blocks in report/. */
json_t *report_document_mut(grens_report *report);

#endif
