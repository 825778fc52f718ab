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

typedef struct page {
	FILE *f;
	int failed;
} page;

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
			grouped[k++] = ',';
		grouped[k++] = digits[i];
	}
	grouped[k] = '\0';
	out(p, grouped);
}

static void clock_label(page *p, long long s)
{
	outf(p, "%02lld:%02lld", s / 3600, s / 60 % 60);
}

static const char *palette[] = { "#1f5fa6", "#c8372d", "#2b8a3e", "#8a5a00", "#6f42c1" };

/* Colour of scenario name: base first, then in order of first appearance. */
static const char *scenario_colour(const json_t *doc, const char *name)
{
	if (strcmp(name, "base") == 0 || strcmp(name, "linked") == 0)
		return palette[0];
	if (strcmp(name, "nl-only") == 0)
		return palette[3];
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(doc, "scenarios"), i, s)
	{
		if (strcmp(report_str(s, "name"), name) == 0)
			return palette[1 + i % 4];
	}
	return palette[4];
}

static const char css[] =
	"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;"
	"color:#1d2430;background:#fafafa}"
	"main{max-width:1100px;margin:0 auto;padding:1.5em}"
	"h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin:1.6em 0 .4em;"
	"border-bottom:2px solid #d8dde6}h3{font-size:1.05em;margin:1.1em 0 .3em}"
	".lead{color:#555}table{border-collapse:collapse;margin:.4em 0 1em;background:#fff}"
	"td,th{border:1px solid #d8dde6;padding:.25em .55em;text-align:left;"
	"vertical-align:top}th{background:#eef1f6}td.num{text-align:right;"
	"font-variant-numeric:tabular-nums}"
	"svg{background:#fff;border:1px solid #d8dde6;max-width:100%;height:auto}"
	"svg text{font:11px sans-serif;fill:#333}.axis{stroke:#888;stroke-width:1}"
	".grid{stroke:#e4e7ec;stroke-width:1}.key{display:inline-block;width:1.6em;"
	"height:.35em;margin:0 .4em .15em 1em;vertical-align:middle}"
	"tr.border td{background:#fff4e0}.badge{background:#e8590c;color:#fff;"
	"border-radius:3px;padding:0 .35em;font-size:.8em;margin-left:.4em}"
	"code{font-size:.85em;word-break:break-all}.muted{color:#777}"
	".legend{font-size:.9em;margin:.2em 0 .6em}";

static void head(page *p, const json_t *doc)
{
	out(p, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	       "<title>");
	esc(p, report_str(doc, "title"));
	outf(p, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n<h1>", css);
	esc(p, report_str(doc, "title"));
	out(p, "</h1>\n<p class=\"lead\">");
	const json_t *q = json_object_get(doc, "query");
	if (json_is_object(q)) {
		out(p, "Service date <b id=\"query-date\">");
		esc(p, report_str(q, "date"));
		out(p, "</b>, departures ");
		esc(p, report_str(q, "window"));
		outf(p, " every <span data-ref=\"query/step_s\" data-value=\"%lld\">%lld</span> s; "
			"threshold <span data-ref=\"query/threshold_s\" data-value=\"%lld\">%lld"
			"</span> min. ",
		     (long long)json_integer_value(json_object_get(q, "step_s")),
		     (long long)json_integer_value(json_object_get(q, "step_s")),
		     (long long)json_integer_value(json_object_get(q, "threshold_s")),
		     (long long)json_integer_value(json_object_get(q, "threshold_s")) / 60);
	}
	out(p, "Generated ");
	esc(p, report_str(doc, "generated"));
	out(p, " by grens ");
	esc(p, report_str(doc, "grens_version"));
	out(p, ".</p>\n");
}

/* ---- travel time by departure time ------------------------------------------ */

enum { CW = 760, CH = 300, ML = 56, MR = 16, MT = 14, MB = 38 };

static bool same_pair(const json_t *a, const json_t *b)
{
	return strcmp(report_str(json_object_get(a, "from"), "id"), report_str(json_object_get(b, "from"), "id")) ==
		       0 &&
	       strcmp(report_str(json_object_get(a, "to"), "id"), report_str(json_object_get(b, "to"), "id")) == 0;
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
	/* y axis: 0 .. the longest travel time, rounded up to 30 min. */
	long long ymax = 1800;
	size_t i, k;
	json_t *pr, *v;
	json_array_foreach(profiles, i, pr)
	{
		if (i < first || !same_pair(pr, pf))
			continue;
		json_array_foreach(json_object_get(json_object_get(pr, "steps"), "travel_s"), k, v)
		{
			if (json_is_integer(v) && json_integer_value(v) > ymax)
				ymax = (long long)json_integer_value(v);
		}
	}
	ymax = (ymax + 1799) / 1800 * 1800;
	const double pw = CW - ML - MR, ph = CH - MT - MB;
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
		outf(p, "<span class=\"key\" style=\"background:%s\"></span>",
		     scenario_colour(doc, sc));
		esc(p, sc);
	}
	outf(p, "</div>\n<svg class=\"profile\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
		"role=\"img\">\n",
	     CW, CH, CW, CH);
	for (long long y = 0; y <= ymax; y += 1800) {
		double py = MT + ph - ph * (double)y / (double)ymax;
		outf(p, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%lld:%02lld</text>\n",
		     ML, CW - MR, py, py, ML - 6, py + 4, y / 3600, y / 60 % 60);
	}
	for (long long t = (t0 + 3599) / 3600 * 3600; t <= t1; t += 3600) {
		double px = ML + pw * (double)(t - t0) / (double)(t1 - t0);
		long long span = (t1 - t0) / 3600;
		if (span > 12 && (t / 3600) % 2)
			continue;
		outf(p, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.1f\"/>"
			"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
		     px, px, MT, MT + ph, px, MT + ph + 16);
		clock_label(p, t);
		out(p, "</text>\n");
	}
	outf(p, "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
		"<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">departure time</text>"
		"<text x=\"14\" y=\"%.1f\" transform=\"rotate(-90 14 %.1f)\" "
		"text-anchor=\"middle\">travel time (h:mm)</text>\n",
	     ML, CW - MR, MT + ph, MT + ph, ML + (CW - ML - MR) / 2, CH - 4, MT + ph / 2,
	     MT + ph / 2);
	json_array_foreach(profiles, i, pr)
	{
		if (i < first || !same_pair(pr, pf))
			continue;
		const json_t *steps = json_object_get(pr, "steps");
		const json_t *dep = json_object_get(steps, "departure_s");
		const json_t *tr = json_object_get(steps, "travel_s");
		const char *sc = report_str(pr, "scenario");
		const char *colour = scenario_colour(doc, sc);
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
		outf(p, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s>\n", colour,
		     strcmp(sc, "base") ? " stroke-dasharray=\"6 3\"" : "");
		/* One polyline per run of reached steps: a gap means no journey. */
		bool open = false;
		json_array_foreach(tr, k, v)
		{
			if (!json_is_integer(v)) {
				if (open)
					out(p, "\"/>\n");
				open = false;
				continue;
			}
			long long d = (long long)json_integer_value(json_array_get(dep, k));
			double px = ML + pw * (double)(d - t0) / (double)(t1 - t0);
			double py = MT + ph - ph * (double)json_integer_value(v) / (double)ymax;
			outf(p, "%s%.1f,%.1f", open ? " " : "<polyline points=\"", px, py);
			open = true;
		}
		if (open)
			out(p, "\"/>\n");
		out(p, "</g>\n");
	}
	out(p, "</svg>\n<table class=\"summary\"><tr><th>scenario</th><th>min</th><th>median"
	       "</th><th>p90</th><th>max</th><th>mean transfers</th><th>share under threshold"
	       "</th><th>departures reached</th></tr>\n");
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
	out(p, "</table>\n");
}

/* ---- reachable population ------------------------------------------------------ */

static bool same_origin(const json_t *a, const json_t *b)
{
	return strcmp(report_str(json_object_get(a, "origin"), "id"),
		      report_str(json_object_get(b, "origin"), "id")) == 0;
}

static void opportunity_chart(page *p, const json_t *doc, size_t first)
{
	const json_t *all = json_object_get(doc, "opportunities");
	const json_t *o0 = json_array_get(all, first);
	size_t i, k, nvar = 0, ncut = json_array_size(json_object_get(o0, "cutoffs"));
	double vmax = 1;
	json_t *o, *c;
	json_array_foreach(all, i, o)
	{
		if (i < first || !same_origin(o, o0))
			continue;
		nvar++;
		json_array_foreach(json_object_get(o, "cutoffs"), k, c)
		{
			double v = json_number_value(json_object_get(c, "population"));
			if (v > vmax)
				vmax = v;
		}
	}
	/* Round the axis up to 1, 2 or 5 times a power of ten. */
	double scale = pow(10.0, floor(log10(vmax)));
	double top = vmax <= scale	   ? scale
		     : vmax <= 2 * scale   ? 2 * scale
		     : vmax <= 2.5 * scale ? 2.5 * scale
		     : vmax <= 5 * scale   ? 5 * scale
					   : 10 * scale;
	out(p, "<h3>From ");
	esc(p, report_str(json_object_get(o0, "origin"), "name"));
	out(p, "</h3>\n<div class=\"legend\">");
	json_array_foreach(all, i, o)
	{
		if (i < first || !same_origin(o, o0))
			continue;
		outf(p, "<span class=\"key\" style=\"background:%s\"></span>",
		     scenario_colour(doc, report_str(o, "variant")));
		esc(p, report_str(o, "variant"));
	}
	out(p, "</div>\n");
	const double pw = CW - ML - MR - 30, ph = CH - MT - MB;
	double group = pw / (double)(ncut ? ncut : 1);
	double bar = (group * 0.8) / (double)(nvar ? nvar : 1);
	outf(p, "<svg class=\"opportunities\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
		"role=\"img\">\n",
	     CW, CH, CW, CH);
	for (int t = 0; t <= 5; t++) {
		double v = top * t / 5, py = MT + ph - ph * t / 5;
		outf(p, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">",
		     ML + 30, CW - MR, py, py, ML + 24, py + 4);
		thousands(p, v);
		out(p, "</text>\n");
	}
	size_t vi = 0;
	json_array_foreach(all, i, o)
	{
		if (i < first || !same_origin(o, o0))
			continue;
		const char *colour = scenario_colour(doc, report_str(o, "variant"));
		json_array_foreach(json_object_get(o, "cutoffs"), k, c)
		{
			const json_t *pop = json_object_get(c, "population");
			double v = json_number_value(pop);
			double h = ph * v / top;
			double x = ML + 30 + group * (double)k + group * 0.1 + bar * (double)vi;
			char path[48];
			snprintf(path, sizeof(path), "cutoffs/%zu/population", k);
			outf(p, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
				"fill=\"%s\"",
			     x, MT + ph - h, bar * 0.92, h, colour);
			ref(p, "opportunities", i, path, pop);
			out(p, "><title>");
			esc(p, report_str(o, "variant"));
			outf(p, ", %lld min: ",
			     (long long)json_integer_value(json_object_get(c, "minutes")));
			thousands(p, v);
			out(p, "</title></rect>\n");
		}
		vi++;
	}
	json_array_foreach(json_object_get(o0, "cutoffs"), k, c)
	{
		outf(p, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%lld min</text>\n",
		     ML + 30 + group * ((double)k + 0.5), MT + ph + 16,
		     (long long)json_integer_value(json_object_get(c, "minutes")));
	}
	out(p, "</svg>\n<table class=\"opportunities\"><tr><th>variant</th>");
	json_array_foreach(json_object_get(o0, "cutoffs"), k, c)
	{
		outf(p, "<th>&#8804; %lld min</th>",
		     (long long)json_integer_value(json_object_get(c, "minutes")));
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
			out(p, "</td>");
		}
		out(p, "</tr>\n");
	}
	out(p, "</table>\n");
}

/* ---- the map --------------------------------------------------------------------- */

/* Colour from green (0) over yellow to red (1). */
static void ramp(double t, char *buf, size_t bufsz)
{
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	int r = t < 0.5 ? (int)(40 + 2 * t * 200) : 240;
	int g = t < 0.5 ? 180 : (int)(180 - (t - 0.5) * 2 * 150);
	snprintf(buf, bufsz, "#%02x%02x%02x", r, g, 40);
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
	/* 11 px sans-serif: about 6 px per character, 12 px high. */
	double x1 = x + 6.0 * (double)strlen(name), y0 = y - 10, y1 = y + 2;
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

static void map_for(page *p, const json_t *doc, size_t first)
{
	label_set *labels = calloc(1, sizeof(*labels)); /* NULL: no labels */
	const json_t *all = json_object_get(doc, "stations");
	const json_t *s0 = json_array_get(all, first);
	const char *origin = report_str(s0, "origin"), *scenario = report_str(s0, "scenario");
	double lat0 = 90, lat1 = -90, lon0 = 180, lon1 = -180;
	long long tmax = 1;
	size_t i;
	json_t *s;
	json_array_foreach(all, i, s)
	{
		double lat = json_number_value(json_object_get(s, "lat"));
		double lon = json_number_value(json_object_get(s, "lon"));
		if (!json_is_number(json_object_get(s, "lat")))
			continue;
		lat0 = fmin(lat0, lat), lat1 = fmax(lat1, lat);
		lon0 = fmin(lon0, lon), lon1 = fmax(lon1, lon);
		const json_t *t = json_object_get(s, "travel_s");
		if (json_is_integer(t) && json_integer_value(t) > tmax)
			tmax = (long long)json_integer_value(t);
	}
	if (lat1 < lat0)
		return;
	double k = cos((lat0 + lat1) / 2 * M_PI / 180);
	double w = fmax((lon1 - lon0) * k, 1e-3), h = fmax(lat1 - lat0, 1e-3);
	double sc = fmin((CW - 40) / w, (560.0 - 40) / h);
	int H = (int)(h * sc) + 40;
	out(p, "<h3>From ");
	const char *oname = origin;
	json_array_foreach(all, i, s)
	{
		if (strcmp(report_str(s, "id"), origin) == 0)
			oname = report_str(s, "name");
	}
	esc(p, oname);
	out(p, ", ");
	esc(p, scenario);
	outf(p, "</h3>\n<svg class=\"map\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
		"role=\"img\">\n",
	     CW, H, CW, H);
	/* The NL–DE border, for orientation. */
	size_t nb;
	const double(*b)[2] = report_border(&nb);
	out(p, "<polyline fill=\"none\" stroke=\"#999\" stroke-dasharray=\"4 3\" points=\"");
	for (size_t j = 0; j < nb; j++)
		outf(p, "%s%.1f,%.1f", j ? " " : "", 20 + (b[j][0] - lon0) * k * sc,
		     20 + (lat1 - b[j][1]) * sc);
	out(p, "\"/>\n");
	json_array_foreach(all, i, s)
	{
		if (strcmp(report_str(s, "origin"), origin) || strcmp(report_str(s, "scenario"), scenario) ||
		    !json_is_number(json_object_get(s, "lat")))
			continue;
		double x = 20 + (json_number_value(json_object_get(s, "lon")) - lon0) * k * sc;
		double y = 20 + (lat1 - json_number_value(json_object_get(s, "lat"))) * sc;
		const json_t *t = json_object_get(s, "travel_s");
		char colour[16] = "#bbbbbb";
		if (json_is_integer(t))
			ramp((double)json_integer_value(t) / (double)tmax, colour, sizeof(colour));
		outf(p, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\" stroke=\"#333\"", x, y,
		     colour);
		ref(p, "stations", i, "travel_s", t);
		out(p, "><title>");
		esc(p, report_str(s, "name"));
		out(p, " (");
		esc(p, report_str(s, "country"));
		out(p, "): ");
		duration(p, t);
		out(p, "</title></circle>\n");
	}
	/* Names over the circles: the origin's first, then in order. */
	for (int pass = 0; labels && pass < 2; pass++) {
		json_array_foreach(all, i, s)
		{
			bool is_origin = strcmp(report_str(s, "id"), origin) == 0;
			if ((pass == 0) != is_origin || strcmp(report_str(s, "origin"), origin) ||
			    strcmp(report_str(s, "scenario"), scenario) ||
			    !json_is_number(json_object_get(s, "lat")))
				continue;
			double x = 27 + (json_number_value(json_object_get(s, "lon")) - lon0) * k * sc;
			double y = 24 + (lat1 - json_number_value(json_object_get(s, "lat"))) * sc;
			if (!place_label(labels, x, y, report_str(s, "name")))
				continue;
			outf(p, "<text x=\"%.1f\" y=\"%.1f\">", x, y);
			esc(p, report_str(s, "name"));
			out(p, "</text>\n");
		}
	}
	free(labels);
	outf(p, "</svg>\n<p class=\"legend\">Colour: travel time from green (short) to red "
		"(long, %lld:%02lld); grey: not reached. Dashed line: the NL&#8211;DE border.</p>\n",
	     tmax / 3600, tmax / 60 % 60);
}

/* ---- sections of grouped charts ------------------------------------------------- */

typedef bool (*same_fn)(const json_t *a, const json_t *b);
typedef void (*chart_fn)(page *p, const json_t *doc, size_t first);

static bool same_map(const json_t *a, const json_t *b)
{
	return !strcmp(report_str(a, "origin"), report_str(b, "origin")) &&
	       !strcmp(report_str(a, "scenario"), report_str(b, "scenario"));
}

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

/* ---- journeys and provenance ---------------------------------------------------- */

static void journeys_section(page *p, const json_t *doc)
{
	const json_t *all = json_object_get(doc, "journeys");
	out(p, "<h2 id=\"journeys\">Best journeys</h2>\n");
	if (json_array_size(all) == 0) {
		out(p, "<p class=\"muted\">No journeys in this report.</p>\n");
		return;
	}
	out(p, "<p>Legs that cross the border (stops in different countries or different "
	       "feeds) are marked.</p>\n");
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
		out(p, ")</span></h3>\n<p>Departure ");
		esc(p, report_str(j, "departure"));
		out(p, ", arrival ");
		esc(p, report_str(j, "arrival"));
		out(p, ": <b");
		ref(p, "journeys", i, "duration_s", json_object_get(j, "duration_s"));
		out(p, ">");
		duration(p, json_object_get(j, "duration_s"));
		out(p, "</b>, <span");
		ref(p, "journeys", i, "transfers", json_object_get(j, "transfers"));
		outf(p, ">%lld</span> transfer(s).</p>\n",
		     (long long)json_integer_value(json_object_get(j, "transfers")));
		out(p, "<table class=\"journey\"><tr><th>from</th><th>departure</th><th>to</th>"
		       "<th>arrival</th><th>by</th></tr>\n");
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
				out(p, "walk");
			else
				esc(p, report_str(leg, "route"));
			if (border)
				out(p, "<span class=\"badge\">border crossing</span>");
			out(p, "</td></tr>\n");
		}
		out(p, "</table>\n");
	}
}

static void provenance_section(page *p, const json_t *doc)
{
	out(p, "<h2 id=\"provenance\">Provenance</h2>\n<table class=\"provenance\">"
	       "<tr><th>feed</th><th>version</th><th>file</th><th>SHA-256</th></tr>\n");
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
	out(p, "</table>\n");
	const json_t *sc = json_object_get(doc, "scenarios");
	if (json_array_size(sc)) {
		out(p, "<table class=\"provenance\"><tr><th>scenario</th><th>SHA-256</th>"
		       "<th>description</th></tr>\n");
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
		out(p, "</table>\n");
	}
	out(p, "<p>grens ");
	esc(p, report_str(doc, "grens_version"));
	out(p, ", run ");
	esc(p, report_str(doc, "generated"));
	out(p, ".</p>\n");
	const json_t *notes = json_object_get(doc, "notes");
	if (json_array_size(notes)) {
		out(p, "<ul class=\"notes\">\n");
		json_array_foreach(notes, i, f)
		{
			out(p, "<li>");
			esc(p, json_string_value(f));
			out(p, "</li>\n");
		}
		out(p, "</ul>\n");
	}
}

int grens_report_write_html(const grens_report *report, FILE *f, grens_error *err)
{
	if (!report)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_write_html: report is NULL");
	if (!f)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_write_html: f is NULL");
	const json_t *doc = report_document(report);
	page p = { f, 0 };
	head(&p, doc);
	grouped_section(&p, doc, "profiles", "Travel time by departure time",
			"No travel-time profiles in this report.",
			"For every departure in the window: the time from leaving the origin to "
			"arriving, waiting for the first train included. Lower is better; a gap "
			"means no journey. Solid: base network; dashed: scenario.",
			same_pair, profile_chart);
	grouped_section(&p, doc, "opportunities", "Reachable population by cutoff",
			"No reachable-population figures in this report.",
			"Inhabitants of the places reachable within each travel time. "
			"<i>nl-only</i>: the Dutch network alone; <i>linked</i>: the Dutch and "
			"German networks joined at the border; a scenario adds its change to the "
			"linked network. The difference between nl-only and linked is the border "
			"effect.",
			same_origin, opportunity_chart);
	grouped_section(&p, doc, "stations", "Stations by travel time",
			"No stations in this report.",
			"A schematic map (stations at their coordinates, no background) coloured "
			"by the median travel time over the departure window. Hover a station for "
			"its name and time.",
			same_map, map_for);
	journeys_section(&p, doc);
	provenance_section(&p, doc);
	out(&p, "</main>\n</body>\n</html>\n");
	if (p.failed)
		return grens_error_set(err, GRENS_EIO, "cannot write report.html");
	return 0;
}
