/* report.html: one self-contained page (inline CSS, inline SVG, no script,
 * no external resource) rendered from the report document. Every number
 * drawn or printed carries data-ref (its path in report.json, e.g.
 * "profiles/0/summary/median_s") and data-value (the value as report.json
 * holds it), so a test can check the page against the JSON beside it. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "strings.h"

typedef struct page {
	FILE *f;
	int failed;
	const char *const *t; /* the catalogue of the page's language */
	json_t *base_index;   /* "origin\nid" -> the base's station entry, built on first use */
} page;

/* One word or sentence of the page's language (strings.c). */
#define T(k) (p->t[(k)])

static void out(page *p, const char *s)
{
	if (fputs(s, p->f) == EOF)
		p->failed = 1;
}

static void outf(page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void outf(page *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (vfprintf(p->f, fmt, ap) < 0)
		p->failed = 1;
	va_end(ap);
}

/* Text with &, <, >, " and ' escaped (for content and attribute values). */
static void esc(page *p, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': out(p, "&amp;"); break;
		case '<': out(p, "&lt;"); break;
		case '>': out(p, "&gt;"); break;
		case '"': out(p, "&quot;"); break;
		case '\'': out(p, "&#39;"); break;
		default:
			if (fputc(*s, p->f) == EOF)
				p->failed = 1;
		}
	}
}

/* data-ref="section/i/key" data-value="v" for a JSON number or null. */
static void ref(page *p, const char *section, size_t i, const char *path, const json_t *v)
{
	outf(p, " data-ref=\"%s/%zu/%s\" data-value=\"", section, i, path);
	if (json_is_integer(v))
		outf(p, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		outf(p, "%.15g", json_real_value(v));
	else
		out(p, "null");
	out(p, "\"");
}

/* A duration as "2:51" (h:mm), "–" when null. */
static void duration(page *p, const json_t *v)
{
	if (!json_is_integer(v)) {
		out(p, "&#8211;");
		return;
	}
	long long m = ((long long)json_integer_value(v) + 30) / 60;
	outf(p, "%lld:%02lld", m / 60, m % 60);
}

/* A whole number with thousands separators: 1,293,298. */
static void thousands(page *p, double v)
{
	char digits[32], grouped[48];
	long long n = llround(v);
	int len = snprintf(digits, sizeof(digits), "%lld", n < 0 ? -n : n);
	size_t k = 0;
	if (n < 0)
		grouped[k++] = '-';
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			grouped[k++] = *T(T_THOUSANDS);
		grouped[k++] = digits[i];
	}
	grouped[k] = '\0';
	out(p, grouped);
}

static void fill(page *p, const char *sentence, const char *value);

static void clock_label(page *p, long long s)
{
	outf(p, "%02lld:%02lld", s / 3600, s / 60 % 60);
}

/* Base (today's network) blue, the national view brown, scenarios from
 * their own colours in order of first appearance: no two series share one. */
static const char *const scenario_palette[] = { "#c8372d", "#2b8a3e", "#6f42c1", "#0b7f86", "#b8510d" };

static const char *scenario_colour(const json_t *doc, const char *name)
{
	if (strcmp(name, "base") == 0 || strcmp(name, "linked") == 0)
		return "#1f5fa6";
	if (strcmp(name, "nl-only") == 0)
		return "#7a5200";
	size_t i, n = sizeof(scenario_palette) / sizeof(*scenario_palette);
	json_t *s;
	json_array_foreach(json_object_get(doc, "scenarios"), i, s)
	{
		if (strcmp(report_str(s, "name"), name) == 0)
			return scenario_palette[i % n];
	}
	return "#555555";
}

static const char css[] =
	"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;"
	"color:#1d2430;background:#fafafa}"
	"main{max-width:1100px;margin:0 auto;padding:1.5em}"
	"h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin:1.6em 0 .4em;"
	"border-bottom:2px solid #d8dde6}h3{font-size:1.05em;margin:1.1em 0 .3em}"
	".lead{color:#4a515c}table{border-collapse:collapse;margin:.4em 0 1em;background:#fff}"
	"td,th{border:1px solid #d8dde6;padding:.25em .55em;text-align:left;"
	"vertical-align:top}th{background:#eef1f6}td.num{text-align:right;"
	"font-variant-numeric:tabular-nums}"
	"svg{background:#fff;border:1px solid #d8dde6;max-width:100%;height:auto}"
	"svg text{font:11px sans-serif;fill:#333}.axis{stroke:#888;stroke-width:1}"
	".grid{stroke:#e4e7ec;stroke-width:1}.zero{stroke:#333;stroke-width:1.4}"
	".key{display:inline-block;width:1.6em;height:0;border-top:3px solid;"
	"margin:0 .4em .15em 1em;vertical-align:middle}.key.dashed{border-top-style:dashed}"
	".key.nojourney{height:.8em;border:1px solid #ccc;background:#eceef2}"
	".dot{display:inline-block;width:.8em;height:.8em;border-radius:50%;margin:0 .3em 0 .2em;"
	"vertical-align:-.05em}rect.nojourney{fill:#eceef2}.pair{display:flex;flex-wrap:wrap;gap:.5em}"
	".pair svg{flex:1 1 430px;max-width:540px}"
	"h1 .hl{display:block;font-size:.62em;font-weight:500;color:#3a4350;margin-top:.3em}"
	"tr.border td{background:#fff4e0}.badge{background:#a63a00;color:#fff;"
	"border-radius:3px;padding:0 .35em;font-size:.8em;margin-left:.4em}"
	"code{font-size:.85em;word-break:break-all}.muted{color:#5b6270}"
	".legend{font-size:.9em;margin:.2em 0 .6em}"
	".findings{background:#fff;border:1px solid #d8dde6;border-left:5px solid #1f5fa6;"
	"padding:.3em 1.1em;margin:1em 0}.findings a{color:#0b4a8f;font-weight:600}"
	".wide{overflow-x:auto}.data{background:#fff;border:1px solid #d8dde6;"
	"padding:.3em 1.1em;margin:1em 0}"
	/* a phone: no page-wide horizontal scroll, tables scroll in their box */
	"@media (max-width:600px){main{padding:.6em}body{font-size:14px}}"
	/* paper: A4, each section on a new page, charts and tables kept whole */
	"@media print{@page{size:A4;margin:14mm}body{background:#fff;font-size:10.5pt}"
	"main{max-width:none;padding:0}h2{break-before:page;break-after:avoid}"
	".findings h2{break-before:avoid}h3{break-after:avoid}"
	"svg,tr{break-inside:avoid}.wide{overflow:visible}"
	"a{color:inherit;text-decoration:none}}";

static const json_t *border_row(const json_t *rows, long long percentile, long long cutoff,
				size_t *at);

/* The headline, made from report.json: the first proposal's largest
 * saving per train, and the people within 120 min of the border views'
 * origin today against the national view (medians). False when the
 * report has neither. */
static bool headline(page *p, const json_t *doc)
{
	const json_t *sc = json_array_get(json_object_get(doc, "scenarios"), 0);
	const json_t *border = json_array_get(json_object_get(doc, "border"), 0);
	size_t best = 0, i, at = 0;
	bool found = false;
	long long min = 0;
	json_t *sv;
	json_array_foreach(json_object_get(doc, "savings"), i, sv)
	{
		const json_t *d = json_object_get(sv, "delta_train_s");
		if (!sc || strcmp(report_str(sv, "scenario"), report_str(sc, "name")) || !json_is_integer(d) ||
		    json_integer_value(d) >= min)
			continue;
		min = (long long)json_integer_value(d);
		best = i;
		found = true;
	}
	const json_t *r = border ? border_row(json_object_get(border, "rows"), 50, 120, &at) : NULL;
	if (!found && !r)
		return false;
	if (found) {
		sv = json_array_get(json_object_get(doc, "savings"), best);
		esc(p, report_str(sc, "name"));
		outf(p, ": %s <a href=\"#savings\"", T(T_HL_UPTO));
		ref(p, "savings", best, "delta_train_s", json_object_get(sv, "delta_train_s"));
		outf(p, ">%lld&#8239;min</a> %s ", (-min + 30) / 60, T(T_HL_FASTER_TO));
		esc(p, report_str(json_object_get(sv, "to"), "name"));
	}
	if (r) {
		out(p, found ? "; " : "");
		out(p, "<a href=\"#border\"");
		ref(p, "border/0/rows", at, "today", json_object_get(r, "today"));
		out(p, ">");
		thousands(p, (double)json_integer_value(json_object_get(r, "today")));
		outf(p, "</a> %s ", T(T_HL_PEOPLE));
		esc(p, report_str(json_object_get(border, "origin"), "name"));
		outf(p, " %s <a href=\"#border\"", T(T_HL_TODAY));
		ref(p, "border/0/rows", at, "national", json_object_get(r, "national"));
		out(p, ">");
		thousands(p, (double)json_integer_value(json_object_get(r, "national")));
		outf(p, "</a> %s", T(T_HL_NATIONAL));
	}
	return true;
}

static void head(page *p, const json_t *doc)
{
	outf(p, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>", T(T_LANG));
	out(p, "\n<meta charset=\"utf-8\">\n"
	       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	       "<title>");
	esc(p, report_str(doc, "title"));
	outf(p, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n<h1>", css);
	/* The default title says nothing: the headline takes its place. A
	 * title of the user's own stays, the headline under it. */
	bool own = strcmp(report_str(doc, "title"), "grens report") != 0;
	if (own)
		esc(p, report_str(doc, "title"));
	if (own)
		out(p, "<span class=\"hl\">");
	if (!headline(p, doc) && !own)
		esc(p, report_str(doc, "title"));
	if (own)
		out(p, "</span>");
	out(p, "</h1>\n<p class=\"lead\">");
	const json_t *q = json_object_get(doc, "query");
	if (json_is_object(q)) {
		outf(p, "%s <b id=\"query-date\">", T(T_SERVICE_DATE));
		esc(p, report_str(q, "date"));
		outf(p, "</b>, %s ", T(T_DEPARTURES));
		esc(p, report_str(q, "window"));
		outf(p, " %s <span data-ref=\"query/step_s\" data-value=\"%lld\">%lld</span> s; "
			"%s <span data-ref=\"query/threshold_s\" data-value=\"%lld\">%lld"
			"</span> min. ",
		     T(T_EVERY), (long long)json_integer_value(json_object_get(q, "step_s")),
		     (long long)json_integer_value(json_object_get(q, "step_s")), T(T_THRESHOLD),
		     (long long)json_integer_value(json_object_get(q, "threshold_s")),
		     (long long)json_integer_value(json_object_get(q, "threshold_s")) / 60);
	}
	outf(p, "%s ", T(T_GENERATED));
	esc(p, report_str(doc, "generated"));
	outf(p, " %s grens ", T(T_BY));
	esc(p, report_str(doc, "grens_version"));
	out(p, ".</p>\n");
}

/* ---- travel time by departure time ------------------------------------------ */

enum { CW = 760, CH = 300, ML = 56, MR = 16, MT = 14, MB = 38 };
/* The two charts of a pair sit side by side: travel time and difference. */
enum { PW = 540, PH = 280 };

static bool same_pair(const json_t *a, const json_t *b)
{
	return strcmp(report_str(json_object_get(a, "from"), "id"), report_str(json_object_get(b, "from"), "id")) ==
		       0 &&
	       strcmp(report_str(json_object_get(a, "to"), "id"), report_str(json_object_get(b, "to"), "id")) == 0;
}

/* A tick step for an axis spanning span seconds: 5, 10, 15 or 30 min, or
 * hours, so that there are about four to eight ticks. */
static long long tick_step(long long span)
{
	static const long long steps[] = { 60, 120, 300, 600, 900, 1800, 3600, 7200 };
	for (size_t i = 0; i < sizeof(steps) / sizeof(*steps); i++)
		if (span / steps[i] <= 8)
			return steps[i];
	return 14400;
}

/* "+5", "0", "−10": a difference in minutes. */
static void signed_minutes(page *p, long long s)
{
	long long m = (llabs(s) + 30) / 60;
	outf(p, "%s%lld", s > 0 ? "+" : s < 0 ? "&#8722;" : "", m);
}

/* The x axis of both profile charts: hours of the departure window. */
static void time_axis(page *p, long long t0, long long t1, double pw, double ph)
{
	long long span = (t1 - t0) / 3600;
	for (long long t = (t0 + 3599) / 3600 * 3600; t <= t1; t += 3600) {
		if (span > 8 && (t / 3600) % 2)
			continue;
		double px = ML + pw * (double)(t - t0) / (double)(t1 - t0);
		outf(p, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.1f\"/>"
			"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
		     px, px, MT, MT + ph, px, MT + ph + 16);
		clock_label(p, t);
		out(p, "</text>\n");
	}
	outf(p, "<line class=\"axis\" x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
		"<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
	     ML, ML + pw, MT + ph, MT + ph, ML + pw / 2, PH - 4, T(T_AXIS_DEPARTURE));
}

static void y_title(page *p, double ph, const char *title)
{
	outf(p, "<text x=\"14\" y=\"%.1f\" transform=\"rotate(-90 14 %.1f)\" "
		"text-anchor=\"middle\">%s</text>\n",
	     MT + ph / 2, MT + ph / 2, title);
}

/* <svg ... role="img" aria-label="..."> with the words of the chart. */
static void svg_open(page *p, const char *cls, int w, int h, const char *what, const json_t *pf)
{
	outf(p, "<svg class=\"%s\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
		"aria-label=\"",
	     cls, w, h, w, h);
	esc(p, what);
	if (pf) {
		out(p, ": ");
		esc(p, report_str(json_object_get(pf, "from"), "name"));
		out(p, " &#8594; ");
		esc(p, report_str(json_object_get(pf, "to"), "name"));
	}
	outf(p, " (%s)\">\n", T(T_SEE_TABLE));
}

/* Runs of valid points as polylines, a gap where a point is not valid;
 * a point on the straight line through its neighbours is left out (the
 * travel time falls by the step between trains, so most points are). */
static void polylines(page *p, const double *x, const double *y, const bool *valid, size_t n)
{
	bool open = false;
	for (size_t k = 0; k < n; k++) {
		if (!valid[k]) {
			if (open)
				out(p, "\"/>\n");
			open = false;
			continue;
		}
		bool inner = open && k + 1 < n && valid[k + 1];
		if (inner) {
			double cross = (x[k] - x[k - 1]) * (y[k + 1] - y[k]) - (y[k] - y[k - 1]) * (x[k + 1] - x[k]);
			if (fabs(cross) < 0.02)
				continue;
		}
		outf(p, "%s%.1f,%.1f", open ? " " : "<polyline points=\"", x[k], y[k]);
		open = true;
	}
	if (open)
		out(p, "\"/>\n");
}

static void profile_chart(page *p, const json_t *doc, size_t first)
{
	const json_t *profiles = json_object_get(doc, "profiles");
	const json_t *pf = json_array_get(profiles, first);
	const json_t *q = json_object_get(doc, "query");
	long long t0 = (long long)json_integer_value(json_object_get(q, "window_start_s"));
	long long t1 = (long long)json_integer_value(json_object_get(q, "window_end_s"));
	if (t1 <= t0)
		t1 = t0 + 3600;
	/* The y axis fits the data: from the shortest to the longest travel
	 * time of any series, widened to whole ticks. The differences against
	 * the base are the point, and an axis from 0:00 flattens them. */
	long long ylo = -1, yhi = 0, dmax = 300;
	const json_t *base = NULL;
	size_t i, k;
	json_t *pr, *v;
	json_array_foreach(profiles, i, pr)
	{
		if (i < first || !same_pair(pr, pf))
			continue;
		if (!strcmp(report_str(pr, "scenario"), "base") && !base)
			base = pr;
		json_array_foreach(json_object_get(json_object_get(pr, "steps"), "travel_s"), k, v)
		{
			if (!json_is_integer(v))
				continue;
			long long t = (long long)json_integer_value(v);
			ylo = ylo < 0 || t < ylo ? t : ylo;
			yhi = t > yhi ? t : yhi;
		}
	}
	const json_t *btr = json_object_get(json_object_get(base, "steps"), "travel_s");
	json_array_foreach(profiles, i, pr)
	{
		if (i < first || !same_pair(pr, pf) || pr == base)
			continue;
		json_array_foreach(json_object_get(json_object_get(pr, "steps"), "travel_s"), k, v)
		{
			const json_t *b = json_array_get(btr, k);
			if (json_is_integer(v) && json_is_integer(b)) {
				long long d = llabs((long long)(json_integer_value(v) - json_integer_value(b)));
				dmax = d > dmax ? d : dmax;
			}
		}
	}
	if (ylo < 0)
		ylo = 0, yhi = 3600;
	long long step = tick_step(yhi - ylo + 600);
	ylo = ylo / step * step;
	yhi = (yhi + step - 1) / step * step;
	if (yhi <= ylo)
		yhi = ylo + step;
	long long dstep = tick_step(2 * dmax);
	dmax = (dmax + dstep - 1) / dstep * dstep;
	const double pw = PW - ML - MR, ph = PH - MT - MB;
	size_t nmax = 1;
	json_array_foreach(profiles, i, pr)
	{
		size_t n = json_array_size(json_object_get(json_object_get(pr, "steps"), "travel_s"));
		nmax = n > nmax ? n : nmax;
	}
	double *xs = calloc(nmax, sizeof(*xs)), *ys = calloc(nmax, sizeof(*ys));
	bool *ok = calloc(nmax, sizeof(*ok));
	if (!xs || !ys || !ok) {
		free(xs), free(ys), free(ok);
		p->failed = 1;
		return;
	}
	out(p, "<h3>");
	esc(p, report_str(json_object_get(pf, "from"), "name"));
	out(p, " &#8594; ");
	esc(p, report_str(json_object_get(pf, "to"), "name"));
	out(p, "</h3>\n<div class=\"legend\">");
	json_array_foreach(profiles, i, pr)
	{
		if (i < first || !same_pair(pr, pf))
			continue;
		const char *sc = report_str(pr, "scenario");
		outf(p, "<span class=\"key%s\" style=\"border-color:%s\"></span>",
		     strcmp(sc, "base") ? " dashed" : "", scenario_colour(doc, sc));
		esc(p, sc);
	}
	outf(p, "<span class=\"key nojourney\"></span>%s</div>\n<div class=\"pair\">",
	     T(T_NO_JOURNEY_BASE));
	svg_open(p, "profile", PW, PH, T(T_CHART_PROFILE), pf);
	/* Departures without a journey in the base network, shaded: a line
	 * that starts there is a journey the scenario adds, not a jump. */
	const json_t *bdep = json_object_get(json_object_get(base, "steps"), "departure_s");
	double colw = pw / (double)(json_array_size(bdep) ? json_array_size(bdep) : 1);
	json_array_foreach(btr, k, v)
	{
		if (json_is_integer(v))
			continue;
		long long d = (long long)json_integer_value(json_array_get(bdep, k));
		outf(p, "<rect class=\"nojourney\" x=\"%.1f\" y=\"%d\" width=\"%.2f\" height=\"%.1f\"/>",
		     ML + pw * (double)(d - t0) / (double)(t1 - t0), MT, colw + 0.05, ph);
	}
	out(p, "\n");
	for (long long y = ylo; y <= yhi; y += step) {
		double py = MT + ph - ph * (double)(y - ylo) / (double)(yhi - ylo);
		outf(p, "<line class=\"grid\" x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%lld:%02lld</text>\n",
		     ML, ML + pw, py, py, ML - 6, py + 4, y / 3600, y / 60 % 60);
	}
	time_axis(p, t0, t1, pw, ph);
	y_title(p, ph, T(T_AXIS_TRAVEL));
	json_array_foreach(profiles, i, pr)
	{
		if (i < first || !same_pair(pr, pf))
			continue;
		const json_t *steps = json_object_get(pr, "steps");
		const json_t *dep = json_object_get(steps, "departure_s");
		const json_t *tr = json_object_get(steps, "travel_s");
		const char *sc = report_str(pr, "scenario");
		outf(p, "<g class=\"series\" data-ref=\"profiles/%zu/steps/travel_s\" "
			"data-values=\"",
		     i);
		json_array_foreach(tr, k, v)
		{
			if (k)
				out(p, ",");
			if (json_is_integer(v))
				outf(p, "%lld", (long long)json_integer_value(v));
		}
		out(p, "\" data-scenario=\"");
		esc(p, sc);
		outf(p, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s>\n", scenario_colour(doc, sc),
		     strcmp(sc, "base") ? " stroke-dasharray=\"6 3\"" : "");
		/* One polyline per run of reached steps: a gap means no journey. */
		json_array_foreach(tr, k, v)
		{
			long long d = (long long)json_integer_value(json_array_get(dep, k));
			xs[k] = ML + pw * (double)(d - t0) / (double)(t1 - t0);
			ys[k] = MT + ph - ph * (double)(json_integer_value(v) - ylo) / (double)(yhi - ylo);
			ok[k] = json_is_integer(v);
		}
		polylines(p, xs, ys, ok, json_array_size(tr));
		out(p, "</g>\n");
	}
	out(p, "</svg>\n");
	/* The difference, scenario minus base, per departure minute; a tick on
	 * the top edge where only the scenario has a journey, on the bottom
	 * edge where only the base has one. */
	svg_open(p, "difference", PW, PH, T(T_CHART_DIFF), pf);
	for (long long y = -dmax; y <= dmax; y += dstep) {
		double py = MT + ph / 2 - ph / 2 * (double)y / (double)dmax;
		outf(p, "<line class=\"%s\" x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">",
		     y ? "grid" : "zero", ML, ML + pw, py, py, ML - 6, py + 4);
		signed_minutes(p, y);
		out(p, "</text>\n");
	}
	time_axis(p, t0, t1, pw, ph);
	y_title(p, ph, T(T_AXIS_DIFF));
	json_array_foreach(profiles, i, pr)
	{
		if (i < first || !same_pair(pr, pf) || pr == base || !base)
			continue;
		const json_t *steps = json_object_get(pr, "steps");
		const json_t *dep = json_object_get(steps, "departure_s");
		const json_t *tr = json_object_get(steps, "travel_s");
		const char *colour = scenario_colour(doc, report_str(pr, "scenario"));
		outf(p, "<g class=\"delta\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\">\n", colour);
		json_array_foreach(tr, k, v)
		{
			const json_t *b = json_array_get(btr, k);
			long long d = (long long)json_integer_value(json_array_get(dep, k));
			xs[k] = ML + pw * (double)(d - t0) / (double)(t1 - t0);
			ok[k] = json_is_integer(v) && json_is_integer(b);
			ys[k] = ok[k] ? MT + ph / 2 - ph / 2 * (double)(json_integer_value(v) - json_integer_value(b)) /
							(double)dmax
				      : 0;
			if (json_is_integer(v) != json_is_integer(b))
				outf(p, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>\n", xs[k], xs[k],
				     json_is_integer(v) ? (double)MT : MT + ph - 6,
				     json_is_integer(v) ? (double)MT + 6 : MT + ph);
		}
		polylines(p, xs, ys, ok, json_array_size(tr));
		out(p, "</g>\n");
	}
	free(xs), free(ys), free(ok);
	outf(p, "</svg></div>\n<p class=\"legend\">%s</p>\n<div class=\"wide\"><table "
		"class=\"summary\"><tr>%s</tr>\n",
	     T(T_DIFF_NOTE), T(T_SUMMARY_HEAD));
	static const char *keys[] = { "min_s", "median_s", "p90_s", "max_s" };
	json_array_foreach(profiles, i, pr)
	{
		if (i < first || !same_pair(pr, pf))
			continue;
		const json_t *s = json_object_get(pr, "summary");
		out(p, "<tr><td>");
		esc(p, report_str(pr, "scenario"));
		out(p, "</td>");
		for (k = 0; k < 4; k++) {
			char path[40];
			snprintf(path, sizeof(path), "summary/%s", keys[k]);
			out(p, "<td class=\"num\"");
			ref(p, "profiles", i, path, json_object_get(s, keys[k]));
			out(p, ">");
			duration(p, json_object_get(s, keys[k]));
			out(p, "</td>");
		}
		const json_t *mt = json_object_get(s, "mean_transfers");
		const json_t *sh = json_object_get(s, "share_under_threshold");
		out(p, "<td class=\"num\"");
		ref(p, "profiles", i, "summary/mean_transfers", mt);
		if (json_is_real(mt))
			outf(p, ">%.2f</td>", json_real_value(mt));
		else
			out(p, ">&#8211;</td>");
		out(p, "<td class=\"num\"");
		ref(p, "profiles", i, "summary/share_under_threshold", sh);
		outf(p, ">%.1f%%</td><td class=\"num\"", 100.0 * json_number_value(sh));
		ref(p, "profiles", i, "summary/reached", json_object_get(s, "reached"));
		outf(p, ">%lld / %lld</td></tr>\n",
		     (long long)json_integer_value(json_object_get(s, "reached")),
		     (long long)json_integer_value(json_object_get(s, "steps")));
	}
	out(p, "</table></div>\n");
}

/* ---- reachable population ------------------------------------------------------ */

static bool same_origin(const json_t *a, const json_t *b)
{
	return strcmp(report_str(json_object_get(a, "origin"), "id"),
		      report_str(json_object_get(b, "origin"), "id")) == 0;
}

/* Round v up to 1, 2, 2.5 or 5 times a power of ten. */
static double nice_ceil(double v)
{
	if (v <= 0)
		return 1;
	double scale = pow(10.0, floor(log10(v)));
	return v <= scale	  ? scale
	       : v <= 2 * scale	  ? 2 * scale
	       : v <= 2.5 * scale ? 2.5 * scale
	       : v <= 5 * scale	  ? 5 * scale
				  : 10 * scale;
}

static const json_t *cutoff_population(const json_t *o, size_t k)
{
	return json_object_get(json_array_get(json_object_get(o, "cutoffs"), k), "population");
}

/* The people each variant reaches within each cutoff, drawn as the
 * difference from today's network ("linked"): three nearly equal bars of
 * millions hide what the border and a proposal change. */
static void opportunity_chart(page *p, const json_t *doc, size_t first)
{
	const json_t *all = json_object_get(doc, "opportunities");
	const json_t *o0 = json_array_get(all, first);
	const json_t *today = NULL;
	size_t i, k, nvar = 0, ncut = json_array_size(json_object_get(o0, "cutoffs"));
	json_t *o, *c;
	json_array_foreach(all, i, o)
	{
		if (i >= first && same_origin(o, o0) && !strcmp(report_str(o, "variant"), "linked"))
			today = o;
	}
	double dlo = 0, dhi = 0;
	json_array_foreach(all, i, o)
	{
		if (i < first || !same_origin(o, o0) || o == today)
			continue;
		nvar++;
		for (k = 0; today && k < ncut; k++) {
			double d = json_number_value(cutoff_population(o, k)) -
				   json_number_value(cutoff_population(today, k));
			dlo = fmin(dlo, d), dhi = fmax(dhi, d);
		}
	}
	/* Ticks at a round step, from a multiple of it below the lowest bar to
	 * one above the highest. */
	double tick = nice_ceil((dhi - dlo) / 4 > 0 ? (dhi - dlo) / 4 : 1);
	double bottom = floor(dlo / tick) * tick, top = ceil(dhi / tick) * tick;
	if (top <= bottom)
		top = bottom + tick;
	int nticks = (int)llround((top - bottom) / tick);
	out(p, "<h3>");
	outf(p, "%s ", T(T_FROM));
	esc(p, report_str(json_object_get(o0, "origin"), "name"));
	out(p, "</h3>\n");
	if (today && nvar) {
		out(p, "<div class=\"legend\">");
		json_array_foreach(all, i, o)
		{
			if (i < first || !same_origin(o, o0) || o == today)
				continue;
			outf(p, "<span class=\"key\" style=\"border-color:%s\"></span>",
			     scenario_colour(doc, report_str(o, "variant")));
			esc(p, report_str(o, "variant"));
		}
		out(p, "</div>\n");
		const double lm = ML + 40, pw = CW - lm - MR, ph = CH - MT - MB;
		double group = pw / (double)(ncut ? ncut : 1);
		double bar = (group * 0.8) / (double)nvar;
		double span = top - bottom;
		svg_open(p, "opportunities", CW, CH, T(T_CHART_OPPORTUNITIES), NULL);
		for (int t = 0; t <= nticks; t++) {
			double v = bottom + tick * t, py = MT + ph - ph * (v - bottom) / span;
			outf(p, "<line class=\"%s\" x1=\"%.1f\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
				"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s",
			     fabs(v) < span * 1e-9 ? "zero" : "grid", lm, CW - MR, py, py, lm - 6,
			     py + 4, v > 0 ? "+" : "");
			thousands(p, v);
			out(p, "</text>\n");
		}
		y_title(p, ph, T(T_AXIS_PEOPLE));
		size_t vi = 0;
		double zero_y = MT + ph - ph * (0 - bottom) / span;
		json_array_foreach(all, i, o)
		{
			if (i < first || !same_origin(o, o0) || o == today)
				continue;
			const char *colour = scenario_colour(doc, report_str(o, "variant"));
			for (k = 0; k < ncut; k++) {
				const json_t *pop = cutoff_population(o, k);
				double d = json_number_value(pop) -
					   json_number_value(cutoff_population(today, k));
				double y = MT + ph - ph * (d - bottom) / span;
				double x = lm + group * (double)k + group * 0.1 + bar * (double)vi;
				char path[48];
				snprintf(path, sizeof(path), "cutoffs/%zu/population", k);
				outf(p, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
					"fill=\"%s\"",
				     x, fmin(y, zero_y), bar * 0.92, fmax(fabs(zero_y - y), 0.8), colour);
				ref(p, "opportunities", i, path, pop);
				out(p, "><title>");
				esc(p, report_str(o, "variant"));
				outf(p, ", %lld min: %s",
				     (long long)json_integer_value(json_object_get(
					     json_array_get(json_object_get(o, "cutoffs"), k), "minutes")),
				     d > 0 ? "+" : "");
				thousands(p, d);
				outf(p, " %s</title></rect>\n", T(T_PEOPLE));
			}
			vi++;
		}
		json_array_foreach(json_object_get(o0, "cutoffs"), k, c)
		{
			outf(p, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">&#8804; %lld min</text>\n",
			     lm + group * ((double)k + 0.5), MT + ph + 16,
			     (long long)json_integer_value(json_object_get(c, "minutes")));
		}
		outf(p, "</svg>\n<p class=\"legend\">%s</p>\n", T(T_OPP_NOTE));
	}
	outf(p, "<div class=\"wide\"><table class=\"opportunities\"><tr><th>%s</th>", T(T_VARIANT));
	json_array_foreach(json_object_get(o0, "cutoffs"), k, c)
	{
		outf(p, "<th>&#8804; %lld min (%s)</th>",
		     (long long)json_integer_value(json_object_get(c, "minutes")), T(T_PEOPLE));
	}
	out(p, "</tr>\n");
	json_array_foreach(all, i, o)
	{
		if (i < first || !same_origin(o, o0))
			continue;
		out(p, "<tr><td>");
		esc(p, report_str(o, "variant"));
		out(p, "</td>");
		json_array_foreach(json_object_get(o, "cutoffs"), k, c)
		{
			char path[48];
			snprintf(path, sizeof(path), "cutoffs/%zu/population", k);
			out(p, "<td class=\"num\"");
			ref(p, "opportunities", i, path, json_object_get(c, "population"));
			out(p, ">");
			thousands(p, json_number_value(json_object_get(c, "population")));
			if (today && o != today) {
				double d = json_number_value(json_object_get(c, "population")) -
					   json_number_value(cutoff_population(today, k));
				outf(p, " <span class=\"muted\">(%s", d > 0 ? "+" : "");
				thousands(p, d);
				out(p, ")</span>");
			}
			out(p, "</td>");
		}
		out(p, "</tr>\n");
	}
	out(p, "</table></div>\n");
}

/* ---- the maps -------------------------------------------------------------------- */

/* Colour from green (0) over yellow to red (1). */
static void ramp(double t, char *buf, size_t bufsz)
{
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	int r = t < 0.5 ? (int)(40 + 2 * t * 200) : 240;
	int g = t < 0.5 ? 180 : (int)(180 - (t - 0.5) * 2 * 150);
	snprintf(buf, bufsz, "#%02x%02x%02x", r, g, 40);
}

/* Diverging colour for a change in [-1, 1]: blue (faster) over white to
 * red (slower). */
static void diverging(double t, char *buf, size_t bufsz)
{
	t = t < -1 ? -1 : t > 1 ? 1 : t;
	double a = fabs(t);
	int r = t < 0 ? (int)(247 - a * (247 - 33)) : (int)(247 - a * (247 - 178));
	int g = t < 0 ? (int)(247 - a * (247 - 102)) : (int)(247 - a * (247 - 24));
	int b = t < 0 ? (int)(247 - a * (247 - 172)) : (int)(247 - a * (247 - 43));
	snprintf(buf, bufsz, "#%02x%02x%02x", r, g, b);
}

/* Station names on a map, placed first come first served: a name that
 * would overlap one already placed is left to the tooltip. */
enum { MAX_LABELS = 256 };
typedef struct label_set {
	double x0[MAX_LABELS], y0[MAX_LABELS], x1[MAX_LABELS], y1[MAX_LABELS];
	unsigned n;
} label_set;

static bool place_label(label_set *l, double x, double y, const char *name)
{
	/* 11 px sans-serif: at most about 7 px per character (wide capitals,
	 * UTF-8 bytes count as characters), 12 px high. */
	double x1 = x + 7.0 * (double)strlen(name), y0 = y - 10, y1 = y + 2;
	if (l->n == MAX_LABELS)
		return false;
	for (unsigned i = 0; i < l->n; i++)
		if (x < l->x1[i] && l->x0[i] < x1 && y0 < l->y1[i] && l->y0[i] < y1)
			return false;
	l->x0[l->n] = x;
	l->x1[l->n] = x1;
	l->y0[l->n] = y0;
	l->y1[l->n] = y1;
	l->n++;
	return true;
}

typedef struct frame {
	double lat0, lat1, lon0, k, sc;
	int h;
} frame;

static double fx(const frame *m, double lon)
{
	return 20 + (lon - m->lon0) * m->k * m->sc;
}

static double fy(const frame *m, double lat)
{
	return 20 + (m->lat1 - lat) * m->sc;
}

/* Scale the frame's box (lat0..lat1, lon0..lon1) into the page width and
 * at most max_h high, with extra pixels below for a legend. */
static void frame_fit(frame *m, double lon1, double max_h, int extra)
{
	m->k = cos((m->lat0 + m->lat1) / 2 * M_PI / 180);
	double w = fmax((lon1 - m->lon0) * m->k, 1e-3), h = fmax(m->lat1 - m->lat0, 1e-3);
	m->sc = fmin((CW - 40) / w, (max_h - 40) / h);
	m->h = (int)(h * m->sc) + 40 + extra;
}

/* The NL–DE border outline, for orientation. */
static void border_outline(page *p, const frame *m, const char *stroke)
{
	size_t nb;
	const double(*b)[2] = report_border(&nb);
	outf(p, "<polyline fill=\"none\" stroke=\"%s\" stroke-dasharray=\"4 3\" points=\"", stroke);
	for (size_t j = 0; j < nb; j++)
		outf(p, "%s%.1f,%.1f", j ? " " : "", fx(m, b[j][0]), fy(m, b[j][1]));
	out(p, "\"/>\n");
}

/* A name dx px right of its point, unless it would overlap one placed. */
static void map_label(page *p, label_set *labels, const frame *m, const json_t *at, double dx)
{
	double x = dx + fx(m, json_number_value(json_object_get(at, "lon")));
	double y = 4 + fy(m, json_number_value(json_object_get(at, "lat")));
	if (!place_label(labels, x, y, report_str(at, "name")))
		return;
	outf(p, "<text class=\"station-label\" x=\"%.1f\" y=\"%.1f\">", x, y);
	esc(p, report_str(at, "name"));
	out(p, "</text>\n");
}

static bool same_map(const json_t *a, const json_t *b)
{
	return !strcmp(report_str(a, "origin"), report_str(b, "origin"));
}

/* The base's entry for station s (same origin and id), NULL if none. The
 * stations of every scenario are looked up against the base's, so they are
 * indexed once instead of searched per station. */
static const json_t *base_station(page *p, const json_t *all, const json_t *s)
{
	char key[1024];
	if (!p->base_index) {
		p->base_index = json_object();
		if (!p->base_index) {
			p->failed = 1;
			return NULL;
		}
		size_t i;
		json_t *b;
		json_array_foreach(all, i, b)
		{
			if (strcmp(report_str(b, "scenario"), "base"))
				continue;
			snprintf(key, sizeof(key), "%s\n%s", report_str(b, "origin"), report_str(b, "id"));
			if (!json_object_get(p->base_index, key))
				json_object_set(p->base_index, key, b);
		}
	}
	snprintf(key, sizeof(key), "%s\n%s", report_str(s, "origin"), report_str(s, "id"));
	return json_object_get(p->base_index, key);
}

/* A horizontal colour bar with its end labels under a map. */
static void scale_bar(page *p, const frame *m, bool change, long long span)
{
	double y = m->h - 26, x0 = CW - 250, w = 200;
	for (int i = 0; i < 20; i++) {
		char colour[16];
		double t = (i + 0.5) / 20;
		if (change)
			diverging(2 * t - 1, colour, sizeof(colour));
		else
			ramp(t, colour, sizeof(colour));
		outf(p, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"10\" fill=\"%s\"/>", x0 + w * i / 20, y,
		     w / 20 + 0.3, colour);
	}
	outf(p, "\n<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"10\" fill=\"none\" stroke=\"#555\"/>"
		"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"start\">",
	     x0, y, w, x0, y + 22);
	if (change) {
		signed_minutes(p, -span);
		outf(p, " min</text><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">0</text>"
			"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
		     x0 + w / 2, y + 22, x0 + w, y + 22);
		signed_minutes(p, span);
		out(p, " min</text>\n");
	} else {
		outf(p, "0:00</text><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%lld:%02lld</text>\n",
		     x0 + w, y + 22, span / 3600, span / 60 % 60);
	}
}

/* One map of the stations reached from an origin in a scenario: for the
 * base, coloured by travel time; for another scenario, by the change
 * against the base. */
static void one_map(page *p, const json_t *doc, const frame *m, const char *origin,
		    const char *oname, const char *scenario, long long tmax, long long cmax)
{
	const json_t *all = json_object_get(doc, "stations");
	bool change = strcmp(scenario, "base") != 0;
	size_t i;
	json_t *s;
	out(p, "<h3>");
	outf(p, "%s ", T(T_FROM));
	esc(p, oname);
	out(p, ": ");
	if (change) {
		fill(p, T(T_MAP_CHANGE), scenario);
	} else {
		out(p, T(T_MAP_BASE));
	}
	out(p, "</h3>\n");
	outf(p, "<svg class=\"map\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
		"aria-label=\"",
	     CW, m->h, CW, m->h);
	outf(p, "%s ", T(T_FROM));
	esc(p, oname);
	out(p, ": ");
	if (change)
		fill(p, T(T_MAP_CHANGE), scenario);
	else
		out(p, T(T_MAP_BASE));
	outf(p, " (%s)\">\n", T(T_SEE_HOVER));
	border_outline(p, m, "#888");
	json_array_foreach(all, i, s)
	{
		if (strcmp(report_str(s, "origin"), origin) || strcmp(report_str(s, "scenario"), scenario) ||
		    !json_is_number(json_object_get(s, "lat")))
			continue;
		double x = fx(m, json_number_value(json_object_get(s, "lon")));
		double y = fy(m, json_number_value(json_object_get(s, "lat")));
		const json_t *t = json_object_get(s, "travel_s");
		const json_t *bt = change ? json_object_get(base_station(p, all, s), "travel_s") : NULL;
		char colour[16] = "#bbbbbb";
		bool added = change && json_is_integer(t) && !json_is_integer(bt);
		if (change && json_is_integer(t) && json_is_integer(bt))
			diverging((double)(json_integer_value(t) - json_integer_value(bt)) / (double)cmax,
				  colour, sizeof(colour));
		else if (!change && json_is_integer(t))
			ramp((double)json_integer_value(t) / (double)tmax, colour, sizeof(colour));
		else if (added)
			snprintf(colour, sizeof(colour), "#2166ac");
		outf(p, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"",
		     x, y, colour, added ? "#000" : "#444", added ? "2.5" : "1");
		ref(p, "stations", i, "travel_s", t);
		out(p, "><title>");
		esc(p, report_str(s, "name"));
		out(p, " (");
		esc(p, report_str(s, "country"));
		out(p, "): ");
		duration(p, t);
		if (change && json_is_integer(t) && json_is_integer(bt)) {
			out(p, ", ");
			signed_minutes(p, (long long)(json_integer_value(t) - json_integer_value(bt)));
			out(p, " min");
		}
		out(p, "</title></circle>\n");
	}
	/* Names over the circles: the origin's first, then in order. */
	label_set *labels = calloc(1, sizeof(*labels)); /* NULL: no labels */
	for (int pass = 0; labels && pass < 2; pass++) {
		json_array_foreach(all, i, s)
		{
			bool is_origin = strcmp(report_str(s, "id"), origin) == 0;
			if ((pass == 0) != is_origin || strcmp(report_str(s, "origin"), origin) ||
			    strcmp(report_str(s, "scenario"), scenario) ||
			    !json_is_number(json_object_get(s, "lat")))
				continue;
			map_label(p, labels, m, s, 7);
		}
	}
	free(labels);
	scale_bar(p, m, change, change ? cmax : tmax);
	outf(p, "</svg>\n<p class=\"legend\">%s %s</p>\n", change ? T(T_MAP_CHANGE_LEGEND) : T(T_MAP_BASE_LEGEND),
	     T(T_MAP_BORDER_NOTE));
}

/* The maps of one origin: the base, then the change each scenario brings. */
static void map_for(page *p, const json_t *doc, size_t first)
{
	const json_t *all = json_object_get(doc, "stations");
	const json_t *s0 = json_array_get(all, first);
	const char *origin = report_str(s0, "origin");
	frame m = { 90, -90, 180, 0, 0, 0 };
	double lon1 = -180;
	long long tmax = 1, cmax = 60;
	size_t i;
	json_t *s;
	json_array_foreach(all, i, s)
	{
		if (!json_is_number(json_object_get(s, "lat")))
			continue;
		double lat = json_number_value(json_object_get(s, "lat"));
		double lon = json_number_value(json_object_get(s, "lon"));
		m.lat0 = fmin(m.lat0, lat), m.lat1 = fmax(m.lat1, lat);
		m.lon0 = fmin(m.lon0, lon), lon1 = fmax(lon1, lon);
		if (strcmp(report_str(s, "origin"), origin))
			continue;
		const json_t *t = json_object_get(s, "travel_s");
		if (json_is_integer(t) && json_integer_value(t) > tmax)
			tmax = (long long)json_integer_value(t);
		const json_t *bt = json_object_get(base_station(p, all, s), "travel_s");
		if (strcmp(report_str(s, "scenario"), "base") && json_is_integer(t) && json_is_integer(bt)) {
			long long d = llabs((long long)(json_integer_value(t) - json_integer_value(bt)));
			cmax = d > cmax ? d : cmax;
		}
	}
	if (m.lat1 < m.lat0)
		return;
	cmax = (cmax + 299) / 300 * 300;
	frame_fit(&m, lon1, 560, 34); /* room for the colour bar */
	const char *oname = origin;
	json_array_foreach(all, i, s)
	{
		if (strcmp(report_str(s, "id"), origin) == 0)
			oname = report_str(s, "name");
	}
	/* Scenarios in order of first appearance, the base first. */
	one_map(p, doc, &m, origin, oname, "base", tmax, cmax);
	json_array_foreach(all, i, s)
	{
		const char *sc = report_str(s, "scenario");
		if (strcmp(report_str(s, "origin"), origin) || !strcmp(sc, "base"))
			continue;
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++) {
			const json_t *e = json_array_get(all, j);
			seen = !strcmp(report_str(e, "origin"), origin) && !strcmp(report_str(e, "scenario"), sc);
		}
		if (!seen)
			one_map(p, doc, &m, origin, oname, sc, tmax, cmax);
	}
}

/* ---- sections of grouped charts ------------------------------------------------- */

typedef bool (*same_fn)(const json_t *a, const json_t *b);
typedef void (*chart_fn)(page *p, const json_t *doc, size_t first);

/* A heading, then the intro (HTML) and one chart per group of doc[key]'s
 * entries that `same` puts together, in order of first appearance; the
 * `empty` text when there are none. */
static void grouped_section(page *p, const json_t *doc, const char *key, const char *heading,
			    const char *empty, const char *intro, same_fn same, chart_fn chart)
{
	const json_t *all = json_object_get(doc, key);
	outf(p, "<h2 id=\"%s\">%s</h2>\n", key, heading);
	if (json_array_size(all) == 0) {
		outf(p, "<p class=\"muted\">%s</p>\n", empty);
		return;
	}
	outf(p, "<p>%s</p>\n", intro);
	size_t i, j;
	json_t *a, *b;
	json_array_foreach(all, i, a)
	{
		bool seen = false;
		json_array_foreach(all, j, b)
		{
			if (j >= i || seen)
				break;
			seen = same(a, b);
		}
		if (!seen)
			chart(p, doc, i);
	}
}

/* ---- findings: sentences made from the numbers ---------------------------------- */

/* A catalogue sentence with one "%s" slot, filled with value (escaped);
 * not printf, so a translation cannot pass a stray directive. */
static void fill(page *p, const char *sentence, const char *value)
{
	const char *slot = strstr(sentence, "%s");
	if (!slot) {
		out(p, sentence);
		return;
	}
	outf(p, "%.*s", (int)(slot - sentence), sentence);
	esc(p, value);
	out(p, slot + 2);
}

/* <a href="#table" data-ref=... data-value=...>text</a>: every number of the
 * findings links to the table it comes from. */
static void link_open(page *p, const char *table, const char *section, size_t i,
		      const char *path, const json_t *v)
{
	outf(p, "<a href=\"#%s\"", table);
	ref(p, section, i, path, v);
	out(p, ">");
}

/* "13 min faster", "2 min slower", "no faster" for a saving in seconds. */
static void saving_words(page *p, const json_t *v)
{
	long long s = json_integer_value(v);
	long long m = (llabs(s) + 30) / 60;
	if (!json_is_integer(v))
		out(p, T(T_NO_FASTER));
	else if (m == 0)
		out(p, T(T_NO_FASTER));
	else
		outf(p, "%lld&#8239;min %s", m, s < 0 ? T(T_FASTER) : T(T_SLOWER));
}

static void savings_sentence(page *p, const json_t *doc, const char *scenario, const char *key)
{
	size_t i, n = 0;
	json_t *sv;
	json_array_foreach(json_object_get(doc, "savings"), i, sv)
	{
		if (strcmp(report_str(sv, "scenario"), scenario) != 0)
			continue;
		out(p, n++ ? "; " : "");
		esc(p, report_str(json_object_get(sv, "from"), "name"));
		out(p, " ");
		link_open(p, "savings", "savings", i, key, json_object_get(sv, key));
		saving_words(p, json_object_get(sv, key));
		out(p, "</a>");
	}
}

/* A border number with its link: "1,712,755". */
static void border_number(page *p, size_t row, const json_t *r, const char *key)
{
	link_open(p, "border", "border/0/rows", row, key, json_object_get(r, key));
	thousands(p, (double)json_integer_value(json_object_get(r, key)));
	out(p, "</a>");
}

/* "(p90 1,234; assumptions 1,000–1,300)" after a p50 figure. */
static void border_spread(page *p, size_t row, const json_t *r, size_t row90,
			  const json_t *r90, const char *key)
{
	char path[64];
	outf(p, " (%s ", T(T_P90));
	if (r90)
		border_number(p, row90, r90, key);
	else
		out(p, "&#8211;");
	outf(p, "; %s ", T(T_ASSUMPTIONS));
	for (int k = 0; k < 2; k++) {
		const json_t *v = json_array_get(json_object_get(json_object_get(r, "range"), key),
						 (size_t)k);
		snprintf(path, sizeof(path), "range/%s/%d", key, k);
		link_open(p, "border", "border/0/rows", row, path, v);
		thousands(p, (double)json_integer_value(v));
		out(p, k ? "</a>)" : "</a>&#8211;");
	}
}

static const json_t *border_row(const json_t *rows, long long percentile, long long cutoff,
				size_t *at)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		if (json_integer_value(json_object_get(r, "percentile")) == percentile &&
		    json_integer_value(json_object_get(r, "cutoff_min")) == cutoff) {
			*at = i;
			return r;
		}
	}
	return NULL;
}

static void findings_section(page *p, const json_t *doc)
{
	const json_t *scenarios = json_object_get(doc, "scenarios");
	const json_t *border = json_array_get(json_object_get(doc, "border"), 0);
	if (!json_array_size(json_object_get(doc, "savings")) && !border)
		return;
	outf(p, "<section class=\"findings\" id=\"findings\"><h2>%s</h2>\n", T(T_FINDINGS));
	size_t i;
	json_t *sc;
	const json_t *first = json_array_get(json_object_get(doc, "savings"), 0);
	json_array_foreach(scenarios, i, sc)
	{
		const char *name = report_str(sc, "name");
		out(p, "<p><b>");
		esc(p, name);
		out(p, "</b>");
		if (*report_str(sc, "description")) {
			out(p, " (<span class=\"about\">");
			esc(p, report_str(sc, "description"));
			out(p, "</span>)");
		}
		outf(p, ". %s ", T(T_TRAIN_ITSELF));
		esc(p, report_str(json_object_get(first, "to"), "name"));
		out(p, ": ");
		savings_sentence(p, doc, name, "delta_train_s");
		outf(p, ". %s ", T(T_ON_MEDIAN));
		savings_sentence(p, doc, name, "delta_median_s");
		out(p, ".</p>\n");
	}
	if (border) {
		const json_t *rows = json_object_get(border, "rows");
		const char *who = report_str(json_object_get(border, "origin"), "name");
		outf(p, "<p>%s ", T(T_REACH_INTRO));
		esc(p, who);
		out(p, " ");
		fill(p, T(T_REACH_BRACKETS), report_str(border, "window"));
		out(p, "</p>\n<ul>\n");
		static const long long cutoffs[] = { 60, 90, 120 };
		for (unsigned c = 0; c < 3; c++) {
			size_t at = 0, at90 = 0;
			const json_t *r = border_row(rows, 50, cutoffs[c], &at);
			const json_t *r90 = border_row(rows, 90, cutoffs[c], &at90);
			if (!r)
				continue;
			outf(p, "<li>%s %lld&#8239;min: ", T(T_WITHIN), cutoffs[c]);
			border_number(p, at, r, "national");
			border_spread(p, at, r, at90, r90, "national");
			outf(p, " %s, ", T(T_NATIONALLY));
			border_number(p, at, r, "today");
			border_spread(p, at, r, at90, r90, "today");
			outf(p, " %s.</li>\n", T(T_TODAY));
		}
		out(p, "</ul>\n");
		size_t at = 0, at90 = 0;
		const json_t *r = border_row(rows, 50, 120, &at);
		const json_t *r90 = border_row(rows, 90, 120, &at90);
		if (r && json_object_get(r, "rank_national")) {
			outf(p, "<p>%s 120&#8239;min, ", T(T_RANK_WITHIN));
			esc(p, who);
			outf(p, " %s ", T(T_RANKS));
			border_number(p, at, r, "rank_national");
			outf(p, " %s %s ", T(T_NATIONALLY), T(T_AND));
			border_number(p, at, r, "rank_today");
			outf(p, " %s <a href=\"#border\" data-ref=\"border/0/ranked\" "
				"data-value=\"%lld\">%lld</a> %s",
			     T(T_RANK_AMONG), (long long)json_integer_value(json_object_get(border, "ranked")),
			     (long long)json_integer_value(json_object_get(border, "ranked")),
			     T(T_RANK_UNITS));
			if (r90 && json_object_get(r90, "rank_national")) {
				outf(p, "; %s ", T(T_AT_P90));
				border_number(p, at90, r90, "rank_national");
				outf(p, " %s ", T(T_AND));
				border_number(p, at90, r90, "rank_today");
			}
			out(p, ".</p>\n");
		}
	}
	outf(p, "<p class=\"muted\">%s %s <a href=\"#data\">%s</a>.</p>\n</section>\n",
	     T(T_NOT_INCLUDED_SHORT), T(T_SEE), T(T_DATA));
}

/* The tables the findings link to. */
static void savings_table(page *p, const json_t *doc)
{
	const json_t *all = json_object_get(doc, "savings");
	if (!json_array_size(all))
		return;
	outf(p, "<h2 id=\"savings\">%s</h2>\n<p>%s</p>\n<div class=\"wide\"><table><tr>%s</tr>\n",
	     T(T_SAVINGS), T(T_SAVINGS_INTRO), T(T_SAVINGS_HEAD));
	size_t i;
	json_t *sv;
	json_array_foreach(all, i, sv)
	{
		static const char *const keys[4] = { "base_median_s", "median_s", "delta_median_s",
						     "delta_train_s" };
		out(p, "<tr><td>");
		esc(p, report_str(sv, "scenario"));
		out(p, "</td><td>");
		esc(p, report_str(json_object_get(sv, "from"), "name"));
		out(p, "</td><td>");
		esc(p, report_str(json_object_get(sv, "to"), "name"));
		out(p, "</td>");
		for (int k = 0; k < 4; k++) {
			const json_t *v = json_object_get(sv, keys[k]);
			out(p, "<td class=\"num\"");
			ref(p, "savings", i, keys[k], v);
			out(p, ">");
			if (k < 2)
				duration(p, v);
			else if (json_is_integer(v))
				outf(p, "%+lld", (long long)json_integer_value(v) / 60);
			else
				out(p, "&#8211;");
			out(p, "</td>");
		}
		out(p, "</tr>\n");
	}
	out(p, "</table></div>\n");
}

static void border_table(page *p, const json_t *doc)
{
	const json_t *b = json_array_get(json_object_get(doc, "border"), 0);
	if (!b)
		return;
	outf(p, "<h2 id=\"border\">%s ", T(T_BORDER));
	esc(p, report_str(json_object_get(b, "origin"), "name"));
	outf(p, "</h2>\n<p>%s ", T(T_BORDER_INTRO1));
	esc(p, report_str(b, "window"));
	outf(p, "%s</p>\n<div class=\"wide\"><table><tr>%s</tr>\n", T(T_BORDER_INTRO2),
	     T(T_BORDER_HEAD));
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(b, "rows"), i, r)
	{
		static const char *const keys[6] = { "national",      "closed_border",
						     "today",	      "border_effect",
						     "rank_national", "rank_today" };
		outf(p, "<tr><td>p%lld</td><td class=\"num\">%lld</td>",
		     (long long)json_integer_value(json_object_get(r, "percentile")),
		     (long long)json_integer_value(json_object_get(r, "cutoff_min")));
		for (int k = 0; k < 6; k++) {
			const json_t *v = json_object_get(r, keys[k]);
			const json_t *range = json_object_get(json_object_get(r, "range"), keys[k]);
			out(p, "<td class=\"num\"");
			ref(p, "border/0/rows", i, keys[k], v);
			out(p, ">");
			if (json_is_integer(v))
				thousands(p, (double)json_integer_value(v));
			else
				out(p, "&#8211;");
			if (range)
				for (int e = 0; e < 2; e++) {
					char path[64];
					snprintf(path, sizeof(path), "range/%s/%d", keys[k], e);
					out(p, e ? "&#8211;<span" : " <span class=\"muted\">[<span");
					ref(p, "border/0/rows", i, path, json_array_get(range, (size_t)e));
					out(p, ">");
					thousands(p, (double)json_integer_value(
							     json_array_get(range, (size_t)e)));
					out(p, e ? "</span>]</span>" : "</span>");
				}
			out(p, "</td>");
		}
		out(p, "</tr>\n");
	}
	out(p, "</table></div>\n");
}

typedef struct by_people {
	double people;
	size_t index;
} by_people;

/* More people first; equal ones in their order in report.json. */
static int larger_first(const void *a, const void *b)
{
	const by_people *x = a, *y = b;
	if (x->people != y->people)
		return x->people < y->people ? 1 : -1;
	return (x->index > y->index) - (x->index < y->index);
}

/* The border views on a map: every place sized by its people, coloured by
 * whether it is within the cutoff from the origin in the national view,
 * only today (across the border, or by the cross-border network), or not
 * at all. */
static void border_map(page *p, const json_t *doc)
{
	const json_t *b = json_array_get(json_object_get(doc, "border"), 0);
	const json_t *places = json_object_get(b, "places");
	if (!json_array_size(places))
		return;
	const long long cutoff = 7200;
	frame m = { 90, -90, 180, 0, 0, 0 };
	double lon1 = -180, pmax = 1, sum[3] = { 0, 0, 0 };
	size_t i;
	json_t *pl;
	json_array_foreach(places, i, pl)
	{
		double lat = json_number_value(json_object_get(pl, "lat"));
		double lon = json_number_value(json_object_get(pl, "lon"));
		m.lat0 = fmin(m.lat0, lat), m.lat1 = fmax(m.lat1, lat);
		m.lon0 = fmin(m.lon0, lon), lon1 = fmax(lon1, lon);
		pmax = fmax(pmax, json_number_value(json_object_get(pl, "people")));
	}
	frame_fit(&m, lon1, 640, 0);
	static const char *const fills[3] = { "#1f5fa6", "#e8590c", "#e4e7ec" };
	outf(p, "<h3 id=\"border-map\">%s</h3>\n<svg class=\"placemap\" viewBox=\"0 0 %d %d\" width=\"%d\" "
		"height=\"%d\" role=\"img\" aria-label=\"%s (%s)\">\n",
	     T(T_BORDER_MAP), CW, m.h, CW, m.h, T(T_BORDER_MAP), T(T_SEE_HOVER_PLACE));
	border_outline(p, &m, "#666");
	/* Largest first, so a small place is drawn over a large neighbour. */
	size_t n = json_array_size(places);
	by_people *sorted = calloc(n ? n : 1, sizeof(*sorted));
	size_t *order = calloc(n ? n : 1, sizeof(*order));
	if (!sorted || !order) {
		free(sorted), free(order);
		p->failed = 1;
		return;
	}
	json_array_foreach(places, i, pl)
		sorted[i] = (by_people){ json_number_value(json_object_get(pl, "people")), i };
	qsort(sorted, n, sizeof(*sorted), larger_first);
	for (i = 0; i < n; i++)
		order[i] = sorted[i].index;
	free(sorted);
	for (size_t o = 0; o < n; o++) {
		pl = json_array_get(places, order[o]);
		const json_t *tn = json_object_get(pl, "national_s"), *tt = json_object_get(pl, "today_s");
		double people = json_number_value(json_object_get(pl, "people"));
		int cls = json_is_integer(tn) && json_integer_value(tn) <= cutoff   ? 0
			  : json_is_integer(tt) && json_integer_value(tt) <= cutoff ? 1
										    : 2;
		sum[cls] += people;
		outf(p, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" fill-opacity=\"0.8\" "
			"stroke=\"#fff\" stroke-width=\"0.6\"",
		     fx(&m, json_number_value(json_object_get(pl, "lon"))),
		     fy(&m, json_number_value(json_object_get(pl, "lat"))), 1.5 + 10 * sqrt(people / pmax),
		     fills[cls]);
		ref(p, "border/0/places", order[o], "today_s", tt);
		out(p, "><title>");
		esc(p, report_str(pl, "name"));
		out(p, " (");
		esc(p, report_str(pl, "country"));
		out(p, "), ");
		thousands(p, people);
		outf(p, " %s: %s ", T(T_PEOPLE), T(T_TODAY));
		duration(p, tt);
		outf(p, ", %s ", T(T_NATIONALLY));
		duration(p, tn);
		out(p, "</title></circle>\n");
	}
	/* Names of the largest places that fit, the origin's first. */
	label_set *labels = calloc(1, sizeof(*labels));
	const char *origin = report_str(json_object_get(b, "origin"), "id");
	for (int pass = 0; labels && pass < 2; pass++)
		for (size_t o = 0; o < n && (pass == 0 || o < 60); o++) {
			pl = json_array_get(places, order[o]);
			bool is_origin = strcmp(report_str(pl, "id"), origin) == 0;
			if ((pass == 0) != is_origin)
				continue;
			if (is_origin)
				outf(p, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"7\" fill=\"none\" stroke=\"#000\" "
					"stroke-width=\"2\"/>\n",
				     fx(&m, json_number_value(json_object_get(pl, "lon"))),
				     fy(&m, json_number_value(json_object_get(pl, "lat"))));
			map_label(p, labels, &m, pl, 8);
		}
	free(labels);
	free(order);
	out(p, "</svg>\n<p class=\"legend\">");
	static const report_text keys[3] = { T_BM_NATIONAL, T_BM_TODAY, T_BM_NONE };
	for (int c = 0; c < 3; c++) {
		outf(p, "<span class=\"dot\" style=\"background:%s\"></span>%s: <span class=\"bm-sum\" "
			"data-class=\"%d\">",
		     fills[c], T(keys[c]), c);
		thousands(p, sum[c]);
		outf(p, "</span> %s. ", T(T_PEOPLE));
	}
	outf(p, "%s %s</p>\n", T(T_BM_NOTE), T(T_MAP_BORDER_NOTE));
}

/* ---- journeys and provenance ---------------------------------------------------- */

static void journeys_section(page *p, const json_t *doc)
{
	const json_t *all = json_object_get(doc, "journeys");
	outf(p, "<h2 id=\"journeys\">%s</h2>\n", T(T_JOURNEYS));
	if (json_array_size(all) == 0) {
		outf(p, "<p class=\"muted\">%s</p>\n", T(T_JOURNEYS_EMPTY));
		return;
	}
	outf(p, "<p>%s</p>\n", T(T_JOURNEYS_INTRO));
	size_t i, k;
	json_t *j, *leg;
	json_array_foreach(all, i, j)
	{
		const json_t *legs = json_object_get(j, "legs");
		const json_t *first = json_array_get(legs, 0);
		const json_t *last = json_array_get(legs, json_array_size(legs) - 1);
		out(p, "<h3>");
		esc(p, report_str(json_object_get(first, "from"), "name"));
		out(p, " &#8594; ");
		esc(p, report_str(json_object_get(last, "to"), "name"));
		out(p, " <span class=\"muted\">(");
		esc(p, report_str(j, "scenario"));
		out(p, ")</span></h3>\n<p>");
		esc(p, report_str(j, "departure"));
		out(p, " &#8594; ");
		esc(p, report_str(j, "arrival"));
		out(p, ": <b");
		ref(p, "journeys", i, "duration_s", json_object_get(j, "duration_s"));
		out(p, ">");
		duration(p, json_object_get(j, "duration_s"));
		out(p, "</b>, <span");
		ref(p, "journeys", i, "transfers", json_object_get(j, "transfers"));
		outf(p, ">%lld</span> %s.</p>\n",
		     (long long)json_integer_value(json_object_get(j, "transfers")), T(T_TRANSFERS));
		outf(p, "<div class=\"wide\"><table class=\"journey\"><tr>%s</tr>\n",
		     T(T_JOURNEY_HEAD));
		json_array_foreach(legs, k, leg)
		{
			bool border = json_is_true(json_object_get(leg, "border"));
			outf(p, "<tr%s><td>", border ? " class=\"border\"" : "");
			esc(p, report_str(json_object_get(leg, "from"), "name"));
			out(p, " <span class=\"muted\">");
			esc(p, report_str(json_object_get(leg, "from"), "country"));
			out(p, "</span></td><td>");
			esc(p, report_str(leg, "departure") + (strlen(report_str(leg, "departure")) > 11 ? 11 : 0));
			out(p, "</td><td>");
			esc(p, report_str(json_object_get(leg, "to"), "name"));
			out(p, " <span class=\"muted\">");
			esc(p, report_str(json_object_get(leg, "to"), "country"));
			out(p, "</span></td><td>");
			esc(p, report_str(leg, "arrival") + (strlen(report_str(leg, "arrival")) > 11 ? 11 : 0));
			out(p, "</td><td>");
			if (strcmp(report_str(leg, "mode"), "walk") == 0)
				out(p, T(T_WALK));
			else
				esc(p, report_str(leg, "route"));
			if (border)
				outf(p, "<span class=\"badge\">%s</span>", T(T_BORDER_CROSSING));
			out(p, "</td></tr>\n");
		}
		out(p, "</table></div>\n");
	}
}

/* What the numbers rest on, in plain words: the timetables (feed_info), the
 * population (the places files' sources), how places reach a stop (the
 * notes) and what is left out. */
static void data_section(page *p, const json_t *doc)
{
	outf(p, "<section class=\"data\" id=\"data\"><h2>%s</h2>\n<h3>%s</h3>\n<ul>\n",
	     T(T_DATA), T(T_TIMETABLES));
	size_t i;
	json_t *f;
	bool reconstruction = false;
	json_array_foreach(json_object_get(doc, "feeds"), i, f)
	{
		const char *pub = report_str(f, "publisher");
		reconstruction = reconstruction || strstr(pub, "reconstruction");
		out(p, "<li><b>");
		esc(p, report_str(f, "name"));
		out(p, "</b>: ");
		if (*pub)
			esc(p, pub);
		else
			out(p, T(T_NO_PUBLISHER));
		if (*report_str(f, "version")) {
			outf(p, ", %s ", T(T_VERSION));
			esc(p, report_str(f, "version"));
		}
		out(p, "</li>\n");
	}
	out(p, "</ul>\n");
	outf(p, "<p>%s</p>\n", reconstruction ? T(T_RECONSTRUCTION) : T(T_OFFICIAL));
	const json_t *pop = json_object_get(doc, "population");
	if (json_array_size(pop)) {
		outf(p, "<h3>%s</h3>\n<p>%s</p>\n<div class=\"wide\"><table><tr>%s</tr>\n",
		     T(T_POPULATION), T(T_POPULATION_INTRO), T(T_POPULATION_HEAD));
		json_array_foreach(pop, i, f)
		{
			out(p, "<tr><td>");
			esc(p, report_str(f, "country"));
			out(p, "</td><td class=\"num\"");
			ref(p, "population", i, "places", json_object_get(f, "places"));
			outf(p, ">%lld</td><td class=\"num\"",
			     (long long)json_integer_value(json_object_get(f, "places")));
			ref(p, "population", i, "people", json_object_get(f, "people"));
			out(p, ">");
			thousands(p, (double)json_integer_value(json_object_get(f, "people")));
			out(p, "</td><td>");
			esc(p, report_str(f, "reference_date"));
			out(p, "</td><td>");
			esc(p, report_str(f, "source"));
			out(p, "</td></tr>\n");
		}
		outf(p, "</table></div>\n<p class=\"attribution\">%s</p>\n", T(T_ATTRIBUTION));
	}
	const json_t *notes = json_object_get(doc, "notes");
	if (json_array_size(notes)) {
		outf(p, "<h3>%s</h3>\n<ul>\n", T(T_ACCESS));
		json_array_foreach(notes, i, f)
		{
			out(p, "<li>");
			esc(p, json_string_value(f));
			out(p, "</li>\n");
		}
		out(p, "</ul>\n");
	}
	outf(p, "<h3>%s</h3>\n<p>%s</p>\n</section>\n", T(T_NOT_INCLUDED),
	     T(T_NOT_INCLUDED_TEXT));
}

static void provenance_section(page *p, const json_t *doc)
{
	outf(p, "<h2 id=\"provenance\">%s</h2>\n<div class=\"wide\"><table "
		"class=\"provenance\"><tr>%s</tr>\n",
	     T(T_PROVENANCE), T(T_PROVENANCE_HEAD));
	size_t i, k;
	json_t *f, *file;
	json_array_foreach(json_object_get(doc, "feeds"), i, f)
	{
		json_array_foreach(json_object_get(f, "files"), k, file)
		{
			out(p, "<tr><td>");
			esc(p, report_str(f, "name"));
			out(p, "</td><td>");
			esc(p, report_str(f, "version"));
			out(p, "</td><td>");
			esc(p, report_str(file, "name"));
			out(p, "</td><td><code>");
			esc(p, report_str(file, "sha256"));
			out(p, "</code></td></tr>\n");
		}
	}
	out(p, "</table></div>\n");
	const json_t *sc = json_object_get(doc, "scenarios");
	if (json_array_size(sc)) {
		outf(p, "<div class=\"wide\"><table class=\"provenance\"><tr>%s</tr>\n",
		     T(T_SCENARIO_HEAD));
		json_array_foreach(sc, i, f)
		{
			out(p, "<tr><td>");
			esc(p, report_str(f, "name"));
			out(p, "</td><td><code>");
			esc(p, report_str(f, "sha256"));
			out(p, "</code></td><td>");
			esc(p, report_str(f, "description"));
			out(p, "</td></tr>\n");
		}
		out(p, "</table></div>\n");
	}
	out(p, "<p>grens ");
	esc(p, report_str(doc, "grens_version"));
	outf(p, ", %s ", T(T_RUN));
	esc(p, report_str(doc, "generated"));
	out(p, ".</p>\n");
}

int grens_report_write_html(const grens_report *report, FILE *f, grens_error *err)
{
	if (!report)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_write_html: report is NULL");
	if (!f)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_write_html: f is NULL");
	const json_t *doc = report_document(report);
	page p = { f, 0, report_catalogue(report_lang(report)), NULL };
	head(&p, doc);
	findings_section(&p, doc);
	savings_table(&p, doc);
	border_table(&p, doc);
	border_map(&p, doc);
	grouped_section(&p, doc, "profiles", p.t[T_PROFILES], p.t[T_PROFILES_EMPTY],
			p.t[T_PROFILES_INTRO], same_pair, profile_chart);
	grouped_section(&p, doc, "opportunities", p.t[T_OPPORTUNITIES],
			p.t[T_OPPORTUNITIES_EMPTY], p.t[T_OPPORTUNITIES_INTRO], same_origin,
			opportunity_chart);
	grouped_section(&p, doc, "stations", p.t[T_STATIONS], p.t[T_STATIONS_EMPTY],
			p.t[T_STATIONS_INTRO], same_map, map_for);
	journeys_section(&p, doc);
	data_section(&p, doc);
	if (report_realised_html(f, doc))
		p.failed = 1;
	provenance_section(&p, doc);
	out(&p, "</main>\n</body>\n</html>\n");
	json_decref(p.base_index);
	if (p.failed)
		return grens_error_set(err, GRENS_EIO, "cannot write report.html");
	return 0;
}
