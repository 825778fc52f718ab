/* "What travellers got": the realised block of report.json and its section
 * of the page, kept apart from the rest of the page's writer. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "grens/route.h"
#include "report_internal.h"

static int oom(grens_error *err)
{
	return grens_error_set(err, GRENS_ENOMEM, "out of memory");
}

static bool utf8(const char *s)
{
	return s && grens_utf8_valid(s, strlen(s));
}

int grens_report_set_realised(grens_report *report, const grens_report_realised *r,
			      grens_error *err)
{
	if (!report)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_set_realised: report is NULL");
	if (!r)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_set_realised: r is NULL");
	if (!utf8(r->archive))
		return grens_error_set(err, GRENS_EARG, "the archive path is not UTF-8");
	char day[16];
	grens_date_format_iso(r->date, day, sizeof(day));
	json_t *o = json_pack(
	    "{s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:[]}", "archive", r->archive,
	    "date", day, "no_data_as", r->no_data_as_scheduled ? "scheduled" : "excluded",
	    "snapshots_read", (json_int_t)r->snapshots_read, "snapshots_corrupt",
	    (json_int_t)r->snapshots_corrupt, "gaps", (json_int_t)r->gaps, "trips_scheduled",
	    (json_int_t)r->trips_scheduled, "trips_observed", (json_int_t)r->trips_observed,
	    "trips_no_data", (json_int_t)r->trips_no_data, "trips_cancelled",
	    (json_int_t)r->trips_cancelled, "stops_skipped", (json_int_t)r->stops_skipped, "pairs");
	if (!o || json_object_set_new(report_document_mut(report), "realised", o) != 0)
		return oom(err);
	return 0;
}

int grens_report_add_realised_pair(grens_report *report, const grens_report_realised_pair *p,
				   grens_error *err)
{
	if (!report)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_realised_pair: report is NULL");
	if (!p)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_add_realised_pair: p is NULL");
	json_t *block = json_object_get(report_document(report), "realised");
	if (!block)
		return grens_error_set(err, GRENS_EARG, "grens_report_set_realised comes first");
	if (!utf8(p->from) || !utf8(p->to) || !utf8(p->top_break))
		return grens_error_set(err, GRENS_EARG, "a realised pair's text is not UTF-8");
	json_t *o = json_pack(
	    "{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:s}", "from", p->from,
	    "to", p->to, "steps", (json_int_t)p->steps, "planned", (json_int_t)p->planned, "held",
	    (json_int_t)p->held, "broken", (json_int_t)p->broken, "no_data", (json_int_t)p->no_data,
	    "share_held", report_real(p->share_held, 4), "scheduled_median_s",
	    report_seconds(p->scheduled_median), "realised_median_s",
	    report_seconds(p->realised_median), "extra_p50_s", report_seconds(p->extra_p50),
	    "extra_p90_s", report_seconds(p->extra_p90), "top_break", p->top_break);
	if (!o || json_array_append_new(json_object_get(block, "pairs"), o) != 0)
		return oom(err);
	return 0;
}

static void esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static void minutes(FILE *f, const json_t *v)
{
	if (json_is_integer(v))
		fprintf(f, "%.1f", (double)json_integer_value(v) / 60.0);
	else
		fputs("&ndash;", f);
}

int report_realised_html(FILE *f, const json_t *doc)
{
	const json_t *r = json_object_get(doc, "realised");
	if (!r)
		return 0;
	fputs("<h2 id=\"realised\">What travellers got</h2>\n<p>Realised times on ", f);
	esc(f, report_str(r, "date"));
	fprintf(f,
		" from %lld recorded GTFS-realtime snapshots (%lld unreadable, skipped; %lld "
		"gaps): for every departure, did the planned journey's changes hold, and how "
		"much later did travellers arrive? %lld of %lld trips were observed; %lld had "
		"no realtime at all and count as <i>no data</i>%s, not as on time.</p>\n",
		(long long)json_integer_value(json_object_get(r, "snapshots_read")),
		(long long)json_integer_value(json_object_get(r, "snapshots_corrupt")),
		(long long)json_integer_value(json_object_get(r, "gaps")),
		(long long)json_integer_value(json_object_get(r, "trips_observed")),
		(long long)json_integer_value(json_object_get(r, "trips_scheduled")),
		(long long)json_integer_value(json_object_get(r, "trips_no_data")),
		strcmp(report_str(r, "no_data_as"), "scheduled") == 0 ? " (run as scheduled)" : "");
	fputs("<table class=\"realised\"><tr><th>from</th><th>to</th><th>held</th>"
	      "<th>broken</th><th>no data</th><th>median scheduled (min)</th>"
	      "<th>median realised (min)</th><th>extra p50 / p90 (min)</th>"
	      "<th>change that broke most</th></tr>\n",
	      f);
	size_t i;
	const json_t *p;
	json_array_foreach(json_object_get(r, "pairs"), i, p)
	{
		fputs("<tr><td>", f);
		esc(f, report_str(p, "from"));
		fputs("</td><td>", f);
		esc(f, report_str(p, "to"));
		const json_t *sh = json_object_get(p, "share_held");
		fprintf(f, "</td><td>%lld", (long long)json_integer_value(json_object_get(p, "held")));
		if (json_is_real(sh))
			fprintf(f, " (%.0f%%)", 100.0 * json_real_value(sh));
		fprintf(f, "</td><td>%lld</td><td>%lld</td><td>",
			(long long)json_integer_value(json_object_get(p, "broken")),
			(long long)json_integer_value(json_object_get(p, "no_data")));
		minutes(f, json_object_get(p, "scheduled_median_s"));
		fputs("</td><td>", f);
		minutes(f, json_object_get(p, "realised_median_s"));
		fputs("</td><td>", f);
		minutes(f, json_object_get(p, "extra_p50_s"));
		fputs(" / ", f);
		minutes(f, json_object_get(p, "extra_p90_s"));
		fputs("</td><td>", f);
		esc(f, report_str(p, "top_break"));
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
	return ferror(f) ? 1 : 0;
}
