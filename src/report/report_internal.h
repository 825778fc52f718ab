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
