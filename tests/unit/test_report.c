/* Unit tests of report/: table writers, countries, SHA-256, atomic files,
 * the nightly configuration, the diff, and the dated-folder helpers. */
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "grens/gtfs.h"
#include "grens/net.h"
#include "grens/report.h"
#include "grens/rt.h"
#include "gtfs-realtime.pb-c.h"

#include "grens/scenario.h"

static char tmpdir[256];

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
}

/* Read a whole (small) file into a static buffer. */
static const char *read_text(const char *path)
{
	static char buf[1 << 16];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
	return buf;
}

static grens_report_table *sample_table(void)
{
	static const grens_report_column cols[] = {
		{ "name", GRENS_REPORT_STRING, 0 },
		{ "minutes", GRENS_REPORT_INT, 0 },
		{ "lat", GRENS_REPORT_REAL, 6 },
		{ "lon", GRENS_REPORT_REAL, 6 },
	};
	grens_report_table *t = NULL;
	grens_error err;
	CHECK_INT(grens_report_table_new(&t, cols, 4, &err), 0);
	/* Row 1: a name with a comma and a quote, coordinates with more digits
	 * than kept (rounded to 6 decimals: 50.7678004 -> 50.7678). */
	CHECK_INT(grens_report_table_add_row(t, &err), 0);
	CHECK_INT(grens_report_table_set_string(t, 0, "Aachen, \"Hbf\"", &err), 0);
	CHECK_INT(grens_report_table_set_int(t, 1, 171, &err), 0);
	CHECK_INT(grens_report_table_set_real(t, 2, 50.7678004, &err), 0);
	CHECK_INT(grens_report_table_set_real(t, 3, 6.091499, &err), 0);
	/* Row 2: no coordinates, no minutes. */
	CHECK_INT(grens_report_table_add_row(t, &err), 0);
	CHECK_INT(grens_report_table_set_string(t, 0, "Köln", &err), 0);
	return t;
}

static void test_table(void)
{
	grens_report_table *t = sample_table();
	grens_error err;
	char path[512];

	/* Type and range errors. */
	CHECK_INT(grens_report_table_set_int(t, 0, 1, &err), GRENS_EARG);
	CHECK_INT(grens_report_table_set_string(t, 9, "x", &err), GRENS_EARG);
	CHECK_INT(grens_report_table_set_string(t, 0, "\xff", &err), GRENS_EARG);
	CHECK_INT(grens_report_table_column(t, "lon"), 3);
	CHECK_INT(grens_report_table_column(t, "nope"), GRENS_NONE);
	CHECK_INT(grens_report_table_row_count(t), 2);
	grens_report_column dup[] = {{"a", GRENS_REPORT_INT, 0}, {"a", GRENS_REPORT_INT, 0}};
	grens_report_table *bad = NULL;
	CHECK_INT(grens_report_table_new(&bad, dup, 2, &err), GRENS_EARG);
	CHECK(bad == NULL);

	snprintf(path, sizeof(path), "%s/t.csv", tmpdir);
	FILE *f = fopen(path, "w");
	CHECK_INT(grens_report_table_write_csv(t, f, &err), 0);
	fclose(f);
	CHECK_STR(read_text(path), "name,minutes,lat,lon\n"
				   "\"Aachen, \"\"Hbf\"\"\",171,50.7678,6.091499\n"
				   "Köln,,,\n");

	snprintf(path, sizeof(path), "%s/t.json", tmpdir);
	f = fopen(path, "w");
	CHECK_INT(grens_report_table_write_json(t, f, &err), 0);
	fclose(f);
	json_t *j = json_load_file(path, 0, NULL);
	CHECK(json_is_array(j) && json_array_size(j) == 2);
	CHECK_STR(json_string_value(json_object_get(json_array_get(j, 0), "name")),
		  "Aachen, \"Hbf\"");
	CHECK_INT(json_integer_value(json_object_get(json_array_get(j, 0), "minutes")), 171);
	CHECK(json_is_null(json_object_get(json_array_get(j, 1), "minutes")));
	json_decref(j);

	/* GeoJSON: RFC 7946 shape, [lon, lat] order, null geometry without
	 * coordinates, the other columns as properties. */
	snprintf(path, sizeof(path), "%s/t.geojson", tmpdir);
	f = fopen(path, "w");
	CHECK_INT(grens_report_table_write_geojson(t, 1, 2, f, &err), GRENS_EARG); /* INT col */
	CHECK_INT(grens_report_table_write_geojson(t, 3, 2, f, &err), 0);
	fclose(f);
	j = json_load_file(path, 0, NULL);
	CHECK_STR(json_string_value(json_object_get(j, "type")), "FeatureCollection");
	json_t *features = json_object_get(j, "features");
	CHECK_INT(json_array_size(features), 2);
	json_t *f0 = json_array_get(features, 0);
	CHECK_STR(json_string_value(json_object_get(f0, "type")), "Feature");
	json_t *geom = json_object_get(f0, "geometry");
	CHECK_STR(json_string_value(json_object_get(geom, "type")), "Point");
	CHECK_NEAR(json_real_value(json_array_get(json_object_get(geom, "coordinates"), 0)),
		   6.091499, 1e-9);
	CHECK_NEAR(json_real_value(json_array_get(json_object_get(geom, "coordinates"), 1)), 50.7678,
		   1e-9);
	json_t *props = json_object_get(f0, "properties");
	CHECK(json_object_get(props, "lat") == NULL && json_object_get(props, "lon") == NULL);
	CHECK_INT(json_integer_value(json_object_get(props, "minutes")), 171);
	CHECK(json_is_null(json_object_get(json_array_get(features, 1), "geometry")));
	json_decref(j);
	grens_report_table_free(t);
}

/* Every station of feeds/stations.csv with a country_guess of NL or DE lies
 * on that side of the outline (the list is independent of the outline). */
static void test_country(void)
{
	const char *root = getenv("GRENS_SOURCE_ROOT");
	char path[512];
	snprintf(path, sizeof(path), "%s/feeds/stations.csv", root ? root : ".");
	FILE *f = fopen(path, "r");
	CHECK(f != NULL);
	if (!f)
		return;
	char line[512];
	int checked = 0;
	while (fgets(line, sizeof(line), f)) {
		/* eva_id,name,lat,lon,ifopt_dhid,country_guess; names have no commas
		 * except quoted ones, which we skip. */
		char *field[6];
		int n = 0;
		if (strchr(line, '"'))
			continue;
		for (char *p = line; n < 6 && p; n++) {
			field[n] = p;
			p = strchr(p, ',');
			if (p)
				*p++ = '\0';
		}
		if (n < 6)
			continue;
		field[5][strcspn(field[5], "\r\n")] = '\0';
		if (strcmp(field[5], "NL") && strcmp(field[5], "DE"))
			continue;
		const char *c = grens_report_country(atof(field[2]), atof(field[3]));
		if (strcmp(c, field[5]) != 0)
			fprintf(stderr, "%s (%s, %s) is %s, not %s\n", field[1], field[2], field[3],
				c, field[5]);
		CHECK_STR(c, field[5]);
		checked++;
	}
	fclose(f);
	CHECK(checked > 20);
	/* The pairs either side of the border that matter most. */
	CHECK_STR(grens_report_country(50.870916, 6.094486), "DE"); /* Herzogenrath */
	CHECK_STR(grens_report_country(50.891700, 6.056400), "NL"); /* Eygelshoven Markt */
	CHECK_STR(grens_report_country(51.364407, 6.171838), "NL"); /* Venlo */
	CHECK_STR(grens_report_country(51.327184, 6.203225), "DE"); /* Kaldenkirchen */
	CHECK_STR(grens_report_country(50.6333, 5.5667), "");	    /* Liège */
	CHECK_STR(grens_report_country(NAN, 6.0), "");
}

static void test_files(void)
{
	char path[512], hex[65];
	grens_error err;
	/* FIPS 180-2 example: SHA-256("abc"). */
	snprintf(path, sizeof(path), "%s/abc", tmpdir);
	write_text(path, "abc");
	CHECK_INT(grens_sha256_file(path, hex, NULL, &err), 0);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	snprintf(path, sizeof(path), "%s/none", tmpdir);
	CHECK_INT(grens_sha256_file(path, hex, NULL, &err), GRENS_EIO);

	/* Atomic files: nothing at the path until commit; abort leaves nothing. */
	grens_report_file out;
	snprintf(path, sizeof(path), "%s/a/b/out.txt", tmpdir);
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/a/b", tmpdir);
	CHECK_INT(grens_report_mkdirs(dir, &err), 0);
	CHECK_INT(grens_report_file_open(&out, path, &err), 0);
	fputs("one\n", out.f);
	CHECK(access(path, F_OK) != 0);
	CHECK_INT(grens_report_file_commit(&out, &err), 0);
	CHECK_STR(read_text(path), "one\n");
	CHECK_INT(grens_report_file_open(&out, path, &err), 0);
	fputs("two\n", out.f);
	grens_report_file_abort(&out);
	CHECK_STR(read_text(path), "one\n");
	snprintf(path, sizeof(path), "%s/no/such/dir/out.txt", tmpdir);
	CHECK_INT(grens_report_file_open(&out, path, &err), GRENS_EIO);
}

static void test_nightly_config(void)
{
	grens_report_nightly_config c;
	grens_error err;
	const char *good = "# nightly\n"
			   "feeds = feeds.conf\n"
			   "max_age = 36h   # a comment\n"
			   "service_date = 2026-03-10\n"
			   "window = 07:00-09:30\n"
			   "step = 600\n"
			   "threshold = 90\n"
			   "pair = Amsterdam Centraal -> Aachen Hbf\n"
			   "pair = ut->ahbf\n"
			   "scenario = /abs/ic.yaml\n"
			   "places = places/nl.csv\n"
			   "places = places/nrw.csv\n"
			   "cutoffs = 45, 90,180\n"
			   "base_feeds = nl,be\n"
			   "links = links.csv\n"
			   "diff_travel_time = 120\n"
			   "diff_population = 2500.5\n";
	CHECK_INT(grens_report_nightly_parse(&c, good, strlen(good), "/etc/grens/nightly.conf",
					     NULL, &err),
		  0);
	CHECK_STR(c.feeds, "/etc/grens/feeds.conf");
	CHECK_STR(c.cache, "/etc/grens/cache");
	CHECK_INT(c.max_age_s, 36 * 3600);
	CHECK_INT(c.service_date, grens_date_from_ymd(2026, 3, 10));
	CHECK_INT(c.window_start, 7 * 3600);
	CHECK_INT(c.window_end, 9 * 3600 + 30 * 60);
	CHECK_INT(c.step_s, 600);
	CHECK_INT(c.threshold_s, 90 * 60);
	CHECK_INT(c.pair_count, 2);
	CHECK_STR(c.pairs[0].from, "Amsterdam Centraal");
	CHECK_STR(c.pairs[0].to, "Aachen Hbf");
	CHECK_STR(c.pairs[1].from, "ut");
	CHECK_STR(c.pairs[1].to, "ahbf");
	CHECK_INT(c.scenario_count, 1);
	CHECK_STR(c.scenarios[0], "/abs/ic.yaml");
	CHECK_INT(c.places_count, 2);
	CHECK_STR(c.places[1], "/etc/grens/places/nrw.csv");
	CHECK_INT(c.cutoff_count, 3);
	CHECK_INT(c.cutoffs_min[0], 45);
	CHECK_INT(c.cutoffs_min[2], 180);
	CHECK_STR(c.base_feeds, "nl,be");
	CHECK_STR(c.links, "/etc/grens/links.csv");
	CHECK_INT(c.diff.travel_time_s, 120);
	CHECK_NEAR(c.diff.population, 2500.5, 1e-9);

	/* Errors name the file, the line and the key. */
	const char *bad_key = "feeds = f\npair = a -> b\ncolour = red\n";
	CHECK_INT(grens_report_nightly_parse(&c, bad_key, strlen(bad_key), "n.conf", NULL, &err),
		  GRENS_EFORMAT);
	CHECK_STR(err.file, "n.conf");
	CHECK_INT(err.line, 3);
	CHECK_STR(err.field, "colour");
	const char *bad_age = "feeds = f\nmax_age = 2w\n";
	CHECK_INT(grens_report_nightly_parse(&c, bad_age, strlen(bad_age), "n.conf", NULL, &err),
		  GRENS_EFORMAT);
	CHECK_INT(err.line, 2);
	CHECK_STR(err.field, "max_age");
	const char *bad_pair = "feeds = f\npair = Amsterdam\n";
	CHECK_INT(grens_report_nightly_parse(&c, bad_pair, strlen(bad_pair), "n.conf", NULL, &err),
		  GRENS_EFORMAT);
	CHECK_STR(err.field, "pair");
	const char *bad_cut = "feeds = f\npair = a -> b\ncutoffs = 60,,90\n";
	CHECK_INT(grens_report_nightly_parse(&c, bad_cut, strlen(bad_cut), "n.conf", NULL, &err),
		  GRENS_EFORMAT);
	CHECK_STR(err.field, "cutoffs");
	const char *no_pair = "feeds = f\n";
	CHECK_INT(grens_report_nightly_parse(&c, no_pair, strlen(no_pair), "n.conf", NULL, &err),
		  GRENS_EFORMAT);
	const char *bad_window = "feeds = f\npair = a -> b\nwindow = 09:00-08:00\n";
	CHECK_INT(
	    grens_report_nightly_parse(&c, bad_window, strlen(bad_window), "n.conf", NULL, &err),
	    GRENS_EFORMAT);
	CHECK_INT(err.line, 3);
}

static void check_same_nightly(const grens_report_nightly_config *a,
			       const grens_report_nightly_config *b)
{
	CHECK_STR(a->feeds, b->feeds);
	CHECK_STR(a->cache, b->cache);
	CHECK_INT(a->scenario_count, b->scenario_count);
	for (uint32_t i = 0; i < a->scenario_count && i < b->scenario_count; i++)
		CHECK_STR(a->scenarios[i], b->scenarios[i]);
	CHECK_INT(a->pair_count, b->pair_count);
	for (uint32_t i = 0; i < a->pair_count && i < b->pair_count; i++) {
		CHECK_STR(a->pairs[i].from, b->pairs[i].from);
		CHECK_STR(a->pairs[i].to, b->pairs[i].to);
	}
	CHECK_STR(a->map_origin, b->map_origin);
	CHECK_INT(a->places_count, b->places_count);
	for (uint32_t i = 0; i < a->places_count && i < b->places_count; i++)
		CHECK_STR(a->places[i], b->places[i]);
	CHECK_INT(a->cutoff_count, b->cutoff_count);
	for (uint32_t i = 0; i < a->cutoff_count && i < b->cutoff_count; i++)
		CHECK_INT(a->cutoffs_min[i], b->cutoffs_min[i]);
	CHECK_STR(a->base_feeds, b->base_feeds);
	CHECK_STR(a->links, b->links);
	CHECK_INT(a->max_age_s, b->max_age_s);
	CHECK_INT(a->service_date, b->service_date);
	CHECK_INT(a->window_start, b->window_start);
	CHECK_INT(a->window_end, b->window_end);
	CHECK_INT(a->step_s, b->step_s);
	CHECK_INT(a->threshold_s, b->threshold_s);
	CHECK_INT(a->diff.travel_time_s, b->diff.travel_time_s);
	CHECK_NEAR(a->diff.population, b->diff.population, 0);
	CHECK_STR(a->rt_archive, b->rt_archive);
	CHECK_INT(a->rt_record_url_count, b->rt_record_url_count);
	for (uint32_t i = 0; i < a->rt_record_url_count && i < b->rt_record_url_count; i++)
		CHECK_STR(a->rt_record_urls[i], b->rt_record_urls[i]);
}

static void test_nightly_yaml(void)
{
	static grens_report_nightly_config y, ini, back;
	grens_error err;
	grens_diag *diag = grens_diag_new();
	const char *yaml = "# every key\n"
			   "feeds: feeds.yaml\n"
			   "cache: /var/cache/grens\n"
			   "max_age: 36h\n"
			   "service_date: 2026-03-10\n"
			   "window: 07:00-09:30\n"
			   "step: 600\n"
			   "threshold: 90\n"
			   "pairs:\n"
			   "  - Amsterdam Centraal -> Aachen Hbf\n"
			   "  - from: Utrecht -> Centraal\n"
			   "    to: Köln Hbf\n"
			   "scenarios: [/abs/ic.yaml, scenarios/b.yaml]\n"
			   "places:\n"
			   "  - places/nl.csv\n"
			   "  - places/nrw.csv\n"
			   "cutoffs: [45, 90, 180]\n"
			   "base_feeds: nl,be\n"
			   "map_origin: Maastricht\n"
			   "links: links.csv\n"
			   "diff_travel_time: 120\n"
			   "diff_population: 2500.5\n"
			   "rt_archive: archive\n"
			   "rt_record_urls:\n"
			   "  - nl-rt=https://example.org/rt.pb\n"
			   "  - https://example.org/other.pb\n";
	CHECK_INT(grens_report_nightly_parse(&y, yaml, strlen(yaml), "/etc/grens/nightly.yaml",
					     diag, &err),
		  0);
	CHECK_INT(grens_diag_count(diag, "deprecated_syntax"), 0);
	CHECK_STR(y.feeds, "/etc/grens/feeds.yaml");
	CHECK_STR(y.cache, "/var/cache/grens");
	CHECK_INT(y.max_age_s, 36 * 3600);
	CHECK_INT(y.service_date, grens_date_from_ymd(2026, 3, 10));
	CHECK_INT(y.window_start, 7 * 3600);
	CHECK_INT(y.window_end, 9 * 3600 + 30 * 60);
	CHECK_INT(y.step_s, 600);
	CHECK_INT(y.threshold_s, 90 * 60);
	CHECK_INT(y.pair_count, 2);
	CHECK_STR(y.pairs[0].to, "Aachen Hbf");
	/* a from/to pair needs no arrow, so a name may hold one */
	CHECK_STR(y.pairs[1].from, "Utrecht -> Centraal");
	CHECK_STR(y.pairs[1].to, "Köln Hbf");
	CHECK_INT(y.scenario_count, 2);
	CHECK_STR(y.scenarios[1], "/etc/grens/scenarios/b.yaml");
	CHECK_INT(y.places_count, 2);
	CHECK_STR(y.places[1], "/etc/grens/places/nrw.csv");
	CHECK_INT(y.cutoff_count, 3);
	CHECK_INT(y.cutoffs_min[2], 180);
	CHECK_STR(y.base_feeds, "nl,be");
	CHECK_STR(y.map_origin, "Maastricht");
	CHECK_STR(y.links, "/etc/grens/links.csv");
	CHECK_INT(y.diff.travel_time_s, 120);
	CHECK_NEAR(y.diff.population, 2500.5, 1e-9);
	CHECK_STR(y.rt_archive, "/etc/grens/archive");
	CHECK_INT(y.rt_record_url_count, 2);
	CHECK_STR(y.rt_record_urls[0], "nl-rt=https://example.org/rt.pb");

	/* The older syntax says the same (bar the arrow in a name), with a notice. */
	const char *old = "feeds = feeds.yaml\ncache = /var/cache/grens\nmax_age = 36h\n"
			  "service_date = 2026-03-10\nwindow = 07:00-09:30\nstep = 600\n"
			  "threshold = 90\npair = Amsterdam Centraal -> Aachen Hbf\n"
			  "pair = Utrecht Centraal -> Köln Hbf\n"
			  "scenario = /abs/ic.yaml\nscenario = scenarios/b.yaml\n"
			  "places = places/nl.csv\nplaces = places/nrw.csv\ncutoffs = 45,90,180\n"
			  "base_feeds = nl,be\nmap_origin = Maastricht\nlinks = links.csv\n"
			  "diff_travel_time = 120\ndiff_population = 2500.5\n"
			  "rt_archive = archive\nrt_record_url = nl-rt=https://example.org/rt.pb\n"
			  "rt_record_url = https://example.org/other.pb\n";
	CHECK_INT(grens_report_nightly_parse(&ini, old, strlen(old), "/etc/grens/nightly.conf",
					     diag, &err),
		  0);
	CHECK_INT(grens_diag_count(diag, "deprecated_syntax"), 1);
	snprintf(y.pairs[1].from, sizeof(y.pairs[1].from), "Utrecht Centraal");
	check_same_nightly(&y, &ini);

	/* Written as YAML and read back at the same place: the same again, and
	 * the paths relative as they were written. */
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	CHECK_INT(grens_report_nightly_write_yaml(&ini, "/etc/grens/nightly.conf", mem, &err), 0);
	fclose(mem);
	CHECK(strstr(buf, "feeds: feeds.yaml\n") != NULL);
	CHECK(strstr(buf, "  - /abs/ic.yaml\n  - scenarios/b.yaml\n") != NULL);
	CHECK_INT(
	    grens_report_nightly_parse(&back, buf, len, "/etc/grens/nightly.yaml", diag, &err), 0);
	CHECK_INT(grens_diag_count(diag, "deprecated_syntax"), 1);
	check_same_nightly(&ini, &back);
	free(buf);

	/* Errors: file, line, column and key. */
	const struct {
		const char *text;
		uint32_t line, column;
		const char *field, *needle;
	} bad[] = {
	    {"feeds: f\npairs: [a -> b]\nwindow: 9-8\n", 3, 9, "window", "HH:MM-HH:MM"},
	    {"feeds: f\npairs: [a -> b]\nmax_age: 2w\n", 3, 10, "max_age", "duration"},
	    {"feeds: f\npairs: [a -> b]\ncutoffs: [60, 0]\n", 3, 15, "cutoffs", "1..1440"},
	    {"feeds: f\npairs: [a -> b]\nstep: many\n", 3, 7, "step", "seconds"},
	    {"feeds: f\npairs: [Amsterdam]\n", 2, 9, "pairs", "FROM -> TO"},
	    {"feeds: f\npairs:\n  - from: a\n", 3, 5, "to", "'from' and 'to'"},
	    {"feeds: f\npairs: [a -> b]\ncolour: red\n", 3, 1, "colour", "unknown key 'colour'"},
	    {"feeds: f\npair: a -> b\n", 2, 1, "pair", "unknown key 'pair'"},
	    {"feeds: [a, b]\npairs: [a -> b]\n", 1, 8, "feeds", "expected a single value"},
	    {"feeds: f\npairs: [a -> b]\nstep: {a: 1}\n", 3, 7, "step", "not a mapping"},
	    {"feeds: f\npairs: [a -> b]\nrt_record_urls: [x]\n", 0, 0, "rt_record_urls",
	     "needs rt_archive"},
	    {"feeds: f\n", 0, 0, "pairs", "no pair"},
	    {"feeds: f\npairs: [a -> b\n", 3, 1, "", "YAML:"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		grens_error_clear(&err);
		CHECK(grens_report_nightly_parse(&back, bad[i].text, strlen(bad[i].text), "n.yaml",
						 NULL, &err) < 0);
		CHECK_STR(err.file, "n.yaml");
		CHECK_INT(err.line, bad[i].line);
		CHECK_INT(err.column, bad[i].column);
		CHECK_STR(err.field, bad[i].field);
		if (!strstr(err.message, bad[i].needle))
			fprintf(stderr, "case %zu: '%s' lacks '%s'\n", i, err.message,
				bad[i].needle);
		CHECK(strstr(err.message, bad[i].needle) != NULL);
	}
	grens_diag_free(diag);
}

/* A report with one feed (a directory holding one file with `content`),
 * one profile whose reached steps all take travel_s, and population. */
static void write_report(const char *dir, const char *content, int32_t travel_s, double population)
{
	char feed[512], file[600];
	grens_error err;
	grens_report *r = NULL;
	snprintf(feed, sizeof(feed), "%s/feed", dir);
	CHECK_INT(grens_report_mkdirs(feed, &err), 0);
	snprintf(file, sizeof(file), "%s/stops.txt", feed);
	write_text(file, content);
	CHECK_INT(grens_report_new(&r, "t", 0, &err), 0);
	CHECK_INT(grens_report_add_profile(r, NULL, NULL, "base", NULL, 0, &err), GRENS_EARG);
	CHECK_INT(grens_report_set_query(r, grens_date_from_ymd(2026, 3, 10), 3600, 7200, 1800,
					 3600, &err),
		  0);
	CHECK_INT(grens_report_add_feed(r, "x", feed, "1", "p", &err), 0);
	grens_route_profile_step steps[3] = {
		{ 3600, 3600 + travel_s, 0 },
		{ 5400, 5400 + travel_s, 0 },
		{ 7200, GRENS_ROUTE_UNREACHED, -1 },
	};
	grens_report_place a = {"x:a", "A", 50.0, 6.0}, b = {"x:b", "B", 51.0, 6.5};
	CHECK_INT(grens_report_add_profile(r, &a, &b, "base", steps, 3, &err), 0);
	uint32_t cut[2] = { 60, 90 };
	double pop[2] = { population, population * 2 };
	CHECK_INT(grens_report_add_opportunities(r, &a, "linked", cut, pop, 2, &err), 0);
	CHECK_INT(grens_report_add_station(r, &a, &b, "x", "base", travel_s, NULL, 0, &err), 0);
	CHECK_INT(grens_report_write_dir(r, dir, &err), 0);
	grens_report_free(r);
}

/* The night grens_report_previous_run finds before 2026-03-day: want, or
 * none (NULL). */
static void previous_is(const char *runs, int day, const char *want)
{
	grens_error err;
	char name[16] = "";
	int rc = grens_report_previous_run(runs, grens_date_from_ymd(2026, 3, day), name,
					   sizeof(name), &err);
	CHECK_INT(rc, want ? 0 : GRENS_ENOTFOUND);
	if (want)
		CHECK_STR(name, want);
}

/* grens_report_advance_latest(runs, 2026-03-day, force): latest stays on
 * 2026-03-kept_day (0: it moved) and then points at target. */
static void advance(const char *runs, int day, bool force, int kept_day, const char *target)
{
	grens_error err;
	grens_date kept;
	char link[600], now[64] = "";
	CHECK_INT(grens_report_advance_latest(runs, grens_date_from_ymd(2026, 3, day), force, &kept,
					      &err),
		  0);
	CHECK(kept == (kept_day ? grens_date_from_ymd(2026, 3, kept_day) : GRENS_DATE_NONE));
	snprintf(link, sizeof(link), "%s/latest", runs);
	ssize_t n = readlink(link, now, sizeof(now) - 1);
	if (n > 0)
		now[n] = '\0';
	CHECK_STR(now, target);
}

static void test_report_and_diff(void)
{
	char d1[512], d2[512], p1[600], p2[600], out[600], text[600];
	grens_error err;
	snprintf(d1, sizeof(d1), "%s/runs/2026-03-09", tmpdir);
	snprintf(d2, sizeof(d2), "%s/runs/2026-03-10", tmpdir);
	write_report(d1, "stop_id\na\n", 1200, 10000);
	write_report(d2, "stop_id\nb\n", 1500, 10500);
	snprintf(p1, sizeof(p1), "%s/report.json", d1);
	snprintf(p2, sizeof(p2), "%s/report.json", d2);

	/* The summary: steps 2 reached of 3; nearest-rank median of
	 * {1200, 1200, inf} is the 2nd value, 1200. */
	json_t *doc = json_load_file(p1, 0, NULL);
	json_t *sum = json_object_get(json_array_get(json_object_get(doc, "profiles"), 0), "summary");
	CHECK_INT(json_integer_value(json_object_get(sum, "reached")), 2);
	CHECK_INT(json_integer_value(json_object_get(sum, "median_s")), 1200);
	CHECK(json_is_null(json_object_get(sum, "max_s")));
	json_t *station = json_array_get(json_object_get(doc, "stations"), 0);
	CHECK_STR(json_string_value(json_object_get(station, "country")), "DE"); /* 51.0, 6.5 */
	json_decref(doc);

	/* Feed changed (other bytes), median 1200 -> 1500 (+300 > 60), population
	 * +500 (<= 1000, not reported) and +1000 at 90 min (not > 1000). */
	grens_report_diff_counts c;
	snprintf(out, sizeof(out), "%s/diff.json", tmpdir);
	snprintf(text, sizeof(text), "%s/diff.txt", tmpdir);
	CHECK_INT(grens_report_diff(p1, p2, NULL, out, text, &c, &err), 0);
	CHECK_INT(c.feeds_changed, 1);
	CHECK_INT(c.feeds_added, 0);
	CHECK_INT(c.travel_times_changed, 1);
	CHECK_INT(c.opportunities_changed, 0);
	json_t *diff = json_load_file(out, 0, NULL);
	json_t *tt = json_array_get(json_object_get(diff, "travel_times"), 0);
	CHECK_INT(json_integer_value(json_object_get(tt, "delta_s")), 300);
	CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(diff, "feeds"), 0),
						    "change")),
		  "changed");
	json_decref(diff);
	CHECK(strstr(read_text(text), "feed x: changed") != NULL);

	/* A lower population threshold reports both cutoffs (+500, +1000). */
	grens_report_diff_options o = GRENS_REPORT_DIFF_OPTIONS_INIT;
	o.population = 100;
	o.travel_time_s = 300; /* +300 is not more than 300 */
	CHECK_INT(grens_report_diff(p1, p2, &o, out, NULL, &c, &err), 0);
	CHECK_INT(c.opportunities_changed, 2);
	CHECK_INT(c.travel_times_changed, 0);

	/* Same report on both sides: nothing changed. */
	CHECK_INT(grens_report_diff(p2, p2, NULL, out, NULL, &c, &err), 0);
	CHECK_INT(c.feeds_changed + c.travel_times_changed + c.opportunities_changed, 0);

	/* Not a report. */
	snprintf(text, sizeof(text), "%s/bad.json", tmpdir);
	write_text(text, "{\"feeds\": []}");
	CHECK_INT(grens_report_diff(text, p2, NULL, out, NULL, &c, &err), GRENS_EFORMAT);
	CHECK_STR(err.field, "grens_report");
	write_text(text, "{\"grens_report\": 1,");
	CHECK_INT(grens_report_diff(text, p2, NULL, out, NULL, &c, &err), GRENS_EFORMAT);
	CHECK_STR(err.file, text);

	/* Dated folders: the newest complete one before a date, and the latest
	 * link. A folder without the marker is half a night: never compared
	 * with, even when its report.json is there. */
	char runs[512], marker[600];
	snprintf(runs, sizeof(runs), "%s/runs", tmpdir);
	previous_is(runs, 11, NULL);
	snprintf(marker, sizeof(marker), "%s/" GRENS_REPORT_NIGHT_MARKER, d1);
	write_text(marker, "complete\n");
	previous_is(runs, 11, "2026-03-09");
	snprintf(marker, sizeof(marker), "%s/" GRENS_REPORT_NIGHT_MARKER, d2);
	write_text(marker, "complete\n");
	previous_is(runs, 11, "2026-03-10");
	previous_is(runs, 10, "2026-03-09");
	previous_is(runs, 9, NULL);
	CHECK_INT(grens_report_link_latest(runs, "2026-03-09", &err), 0);
	CHECK_INT(grens_report_link_latest(runs, "2026-03-10", &err), 0);
	char link[600], target[64] = "";
	snprintf(link, sizeof(link), "%s/latest", runs);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	CHECK(n > 0);
	if (n > 0)
		target[n] = '\0';
	CHECK_STR(target, "2026-03-10");

	/* latest only moves forward, unless forced. */
	advance(runs, 9, false, 10, "2026-03-10");
	advance(runs, 9, true, 0, "2026-03-09");
	advance(runs, 10, false, 0, "2026-03-10");
}

static bool exists(const char *dir, const char *name)
{
	char path[700];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return lstat(path, &st) == 0;
}

/* The names in dir that start with prefix. */
static unsigned count_prefixed(const char *dir, const char *prefix)
{
	unsigned n = 0;
	DIR *d = opendir(dir);
	const struct dirent *de;
	while (d && (de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	if (d)
		closedir(d);
	return n;
}

static void test_night(void)
{
	char out[512], path[1024], stale[700];
	grens_error err;
	grens_report_night *night = NULL, *other = NULL;
	unsigned removed = 99;
	snprintf(out, sizeof(out), "%s/nights", tmpdir);

	/* A night is built under a hidden name and appears only when complete. */
	CHECK_INT(
	    grens_report_night_begin(&night, out, grens_date_from_ymd(2026, 3, 10), &removed, &err),
	    0);
	CHECK_INT(removed, 0);
	const char *build = grens_report_night_path(night);
	CHECK(strstr(build, "/.partial-2026-03-10.") != NULL);
	snprintf(path, sizeof(path), "%s/report.json", build);
	write_text(path, "{}\n");
	CHECK(!exists(out, "2026-03-10"));
	CHECK(!grens_report_night_complete(out, "2026-03-10"));

	/* A second run does not take the first one's folder: it is held. */
	CHECK_INT(
	    grens_report_night_begin(&other, out, grens_date_from_ymd(2026, 3, 11), &removed, &err),
	    0);
	CHECK_INT(removed, 0);
	CHECK_INT(count_prefixed(out, ".partial-"), 2);
	grens_report_night_free(other); /* not committed: removed */
	CHECK_INT(count_prefixed(out, ".partial-"), 1);

	bool replaced = true;
	CHECK_INT(grens_report_night_commit(night, &replaced, &err), 0);
	CHECK(!replaced);
	grens_report_night_free(night);
	CHECK(grens_report_night_complete(out, "2026-03-10"));
	CHECK(exists(out, "2026-03-10/report.json"));
	CHECK_INT(count_prefixed(out, ".partial-"), 0);

	/* The same date again replaces the folder as a whole. */
	CHECK_INT(
	    grens_report_night_begin(&night, out, grens_date_from_ymd(2026, 3, 10), NULL, &err), 0);
	snprintf(path, sizeof(path), "%s/second.txt", grens_report_night_path(night));
	write_text(path, "2\n");
	CHECK_INT(grens_report_night_commit(night, &replaced, &err), 0);
	CHECK(replaced);
	grens_report_night_free(night);
	CHECK(exists(out, "2026-03-10/second.txt") && !exists(out, "2026-03-10/report.json"));
	CHECK(grens_report_night_complete(out, "2026-03-10"));
	CHECK_INT(count_prefixed(out, ".partial-"), 0);

	/* A temporary of a run that is gone (pid 2^22 + 1 is above the largest
	 * pid_max Linux allows) is removed by the next run, with what it holds;
	 * a name that only looks alike is left alone. */
	snprintf(stale, sizeof(stale), "%s/.partial-2026-03-11.4194305.abcdef", out);
	CHECK(mkdir(stale, 0755) == 0);
	snprintf(path, sizeof(path), "%s/report.json.tmp.123456", stale);
	write_text(path, "{");
	snprintf(path, sizeof(path), "%s/.partial-notes", out);
	write_text(path, "mine\n");
	snprintf(path, sizeof(path), "%s/.latest.4194305", out);
	CHECK(symlink("2026-03-10", path) == 0);
	CHECK_INT(
	    grens_report_night_begin(&night, out, grens_date_from_ymd(2026, 3, 12), &removed, &err),
	    0);
	CHECK_INT(removed, 1);
	CHECK(!exists(out, ".partial-2026-03-11.4194305.abcdef"));
	CHECK(exists(out, ".partial-notes"));
	CHECK(!exists(out, ".latest.4194305"));
	grens_report_night_free(night);
	CHECK_INT(count_prefixed(out, ".partial-2026"), 0);
}

/* ---- the journey encoder -------------------------------------------------------- */
static grens_gtfs_feed *load_feed(const char *dir, const char *name)
{
	char path[4096];
	check_source_path(path, sizeof(path), dir);
	grens_gtfs_options opts = GRENS_GTFS_OPTIONS_INIT;
	opts.name = name;
	grens_gtfs_feed *feed = NULL;
	grens_error err;
	grens_error_clear(&err);
	if (grens_gtfs_load(&feed, path, &opts, NULL, &err) != 0)
		fprintf(stderr, "loading %s: %s\n", path, err.message);
	return feed;
}

static const json_t *leg_at(const json_t *journey, size_t i)
{
	return json_array_get(json_object_get(journey, "legs"), i);
}

static const char *leg_str(const json_t *journey, size_t i, const char *path)
{
	const json_t *o = leg_at(journey, i);
	const char *dot = strchr(path, '.');
	if (dot) {
		char key[8];
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		o = json_object_get(o, key);
		path = dot + 1;
	}
	const char *v = json_string_value(json_object_get(o, path));
	return v ? v : "(none)";
}

static json_int_t leg_int(const json_t *journey, size_t i, const char *key)
{
	const json_t *v = json_object_get(leg_at(journey, i), key);
	return json_is_integer(v) ? json_integer_value(v) : -999999;
}

static bool leg_flag(const json_t *journey, size_t i, const char *key)
{
	return json_is_true(json_object_get(leg_at(journey, i), key));
}

/* ---- the stops document ----------------------------------------------------------- */
/* What grens_report_stops_* write for searches on tests/fixtures/stops-search
 * (tests/unit/test_net_search.c has the searches themselves): Düren has
 * one platform, Dürener Straße is a stop of its own; from 50.0003 N, 6.0 E
 * Köln Hbf is 0.0001 deg * 111195.08 m = 11.1 m away by its platform
 * kln:2 and Köln Süd 0.0047 deg = 522.6 m; Aachen Hbf has no coordinates
 * of its own and is placed at its first platform, ach:1 (50.5, 6.0). */
static char *stops_csv(const grens_timetable *tt, const grens_net_stop_hit *hits, uint32_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	grens_error err;
	grens_error_clear(&err);
	if (!f)
		return NULL;
	CHECK_INT(grens_report_stops_write_csv(f, tt, hits, n, &err), 0);
	fclose(f);
	return buf;
}

static char *stops_text(const grens_timetable *tt, const grens_report_stops_query *q,
			const grens_net_stop_hit *hits, uint32_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	grens_error err;
	grens_error_clear(&err);
	if (!f)
		return NULL;
	CHECK_INT(grens_report_stops_write_text(f, tt, q, hits, n, &err), 0);
	fclose(f);
	return buf;
}

static void test_stops_doc(void)
{
	grens_gtfs_feed *feed = load_feed("tests/fixtures/stops-search", "t");
	grens_timetable *tt = NULL;
	grens_error err;
	grens_error_clear(&err);
	CHECK(feed != NULL);
	if (!feed)
		return;
	const grens_gtfs_feed *feeds[] = { feed };
	CHECK_INT(grens_net_build(&tt, feeds, 1, NULL, NULL, &err), 0);
	grens_gtfs_free(feed);
	if (!tt)
		return;
	grens_net_stop_hit hits[8];
	uint32_t n = 0;
	char *text = NULL, *csv = NULL, *table = NULL;

	grens_report_stops_query q = { .name = "duren", .limit = 2 };
	CHECK_INT(grens_net_search_stops(tt, q.name, hits, q.limit, &n, &err), 0);
	CHECK_INT(grens_report_stops_json(&text, tt, &q, hits, n, &err), 0);
	CHECK_STR(text, "{\"query\":{\"name\":\"duren\",\"limit\":2},\"stops\":["
			"{\"id\":\"t:dn\",\"feed\":\"t\",\"stop_id\":\"dn\",\"name\":\"D\xc3\xbcren\","
			"\"lat\":50.2,\"lon\":6.0,\"platforms\":1},"
			"{\"id\":\"t:dst\",\"feed\":\"t\",\"stop_id\":\"dst\","
			"\"name\":\"D\xc3\xbcrener Stra\xc3\x9f" "e\",\"lat\":50.201,\"lon\":6.0,"
			"\"platforms\":0}]}");
	free(text);
	text = NULL;
	csv = stops_csv(tt, hits, n);
	CHECK_STR(csv, "id,feed,stop_id,name,lat,lon,distance_m\n"
		       "t:dn,t,dn,D\xc3\xbcren,50.2,6,\n"
		       "t:dst,t,dst,D\xc3\xbcrener Stra\xc3\x9f" "e,50.201,6,\n");
	free(csv);
	table = stops_text(tt, &q, hits, n);
	CHECK_STR(table, "id     name            platforms\n"
			 "t:dn   D\xc3\xbcren                   1\n"
			 "t:dst  D\xc3\xbcrener Stra\xc3\x9f" "e          0\n");
	free(table);

	/* a station placed at its first platform */
	q = (grens_report_stops_query){ .name = "aachen", .limit = 10 };
	CHECK_INT(grens_net_search_stops(tt, q.name, hits, q.limit, &n, &err), 0);
	CHECK_INT(grens_report_stops_json(&text, tt, &q, hits, n, &err), 0);
	CHECK(text && strstr(text, "\"stop_id\":\"ach\",\"name\":\"Aachen Hbf\",\"lat\":50.5,"
				   "\"lon\":6.0,\"platforms\":2}") != NULL);
	free(text);
	text = NULL;

	q = (grens_report_stops_query){ .lat = 50.0003, .lon = 6.0, .radius_m = 1000, .limit = 5 };
	CHECK_INT(grens_net_nearest_stops(tt, q.lat, q.lon, q.radius_m, hits, q.limit, &n, &err), 0);
	CHECK_INT(grens_report_stops_json(&text, tt, &q, hits, n, &err), 0);
	CHECK_STR(text, "{\"query\":{\"near\":{\"lat\":50.0003,\"lon\":6.0,\"radius_m\":1000.0},"
			"\"limit\":5},\"stops\":["
			"{\"id\":\"t:kln\",\"feed\":\"t\",\"stop_id\":\"kln\",\"name\":\"K\xc3\xb6ln Hbf\","
			"\"lat\":50.0,\"lon\":6.0,\"distance_m\":11.1,\"platforms\":2},"
			"{\"id\":\"t:ksd\",\"feed\":\"t\",\"stop_id\":\"ksd\",\"name\":\"K\xc3\xb6ln S\xc3\xbc" "d\","
			"\"lat\":50.005,\"lon\":6.0,\"distance_m\":522.6,\"platforms\":0}]}");
	free(text);
	text = NULL;
	csv = stops_csv(tt, hits, n);
	CHECK_STR(csv, "id,feed,stop_id,name,lat,lon,distance_m\n"
		       "t:kln,t,kln,K\xc3\xb6ln Hbf,50,6,11.1\n"
		       "t:ksd,t,ksd,K\xc3\xb6ln S\xc3\xbc" "d,50.005,6,522.6\n");
	free(csv);
	table = stops_text(tt, &q, hits, n);
	CHECK_STR(table, "id     name      platforms  distance\n"
			 "t:kln  K\xc3\xb6ln Hbf          2      11 m\n"
			 "t:ksd  K\xc3\xb6ln S\xc3\xbc" "d          0     523 m\n");
	free(table);

	/* nothing found: an empty list, a sentence */
	CHECK_INT(grens_report_stops_json(&text, tt, &q, hits, 0, &err), 0);
	CHECK_STR(text, "{\"query\":{\"near\":{\"lat\":50.0003,\"lon\":6.0,\"radius_m\":1000.0},"
			"\"limit\":5},\"stops\":[]}");
	free(text);
	text = NULL;
	table = stops_text(tt, &q, hits, 0);
	CHECK_STR(table, "no station within 1000 m of 50.000300,6.000000\n");
	free(table);
	csv = stops_csv(tt, hits, 0);
	CHECK_STR(csv, "id,feed,stop_id,name,lat,lon,distance_m\n");
	free(csv);

	/* what is not a search's result */
	grens_net_stop_hit bad = { .stop = tt->stop_count, .distance_m = NAN };
	CHECK_INT(grens_report_stops_json(&text, tt, &q, &bad, 1, &err), GRENS_EARG);
	CHECK(text == NULL);
	CHECK_INT(grens_report_stops_write_csv(stdout, tt, &bad, 1, &err), GRENS_EARG);
	q.name = "k\xf6ln";
	CHECK_INT(grens_report_stops_json(&text, tt, &q, hits, 0, &err), GRENS_EARG);
	CHECK_INT(grens_report_stops_json(&text, tt, NULL, hits, 0, &err), GRENS_EINVAL);
	CHECK_INT(grens_report_stops_json(&text, tt, &q, NULL, 1, &err), GRENS_EINVAL);
	grens_net_free(tt);
}

/* Encode a hand-built journey on link-nl (feed nl) and link-de (feed de),
 * built apart (merge_trips off, so both halves of the RE18 32027 stay):
 *   1 walk    nl:hrl -> nl:hrl:1 (Heerlen station to its platform)
 *             07:16:00 -> 07:21:00 = 300 s
 *   2 transit nl-re18-1 (RE18 to Herzogenrath) Heerlen hrl:1 07:21 (position 1)
 *             -> Herzogenrath hzr:1 07:34 (position 2) = 13 min = 780 s
 *   3 transit de-re18-1 (RE18 to Aachen Hauptbahnhof) Herzogenrath
 *             de:05334:3690:1:1 07:35 (position 0) -> Aachen Hauptbahnhof
 *             de:05334:1008:1:6 07:50 (position 1) = 900 s, staying seated:
 *             the same train, continued in the other feed
 * Journey 07:16 -> 07:50 = 34 min = 2040 s, 0 transfers (staying seated is
 * none). Countries by the stops' coordinates: Heerlen (50.8910, 5.9740) NL,
 * Herzogenrath (50.8709, 6.0940) and Aachen (50.7678, 6.0918) DE. So leg 2
 * crosses the border by countries (one feed), leg 3 does not (one feed, one
 * country), leg 1 does not. With a realtime overlay, leg 2 runs 2 minutes
 * late (07:23 -> 07:36: delay 120 s at the arrival), leg 3 has no live
 * times (delay 0). The overlay itself is empty: the legs carry the times. */
static void test_journey_encoder(void)
{
	grens_gtfs_feed *nl = load_feed("tests/fixtures/link-nl", "nl");
	grens_gtfs_feed *de = load_feed("tests/fixtures/link-de", "de");
	grens_timetable *tt = NULL;
	grens_rt_feed *rf = NULL;
	grens_rt_overlay *ov = NULL;
	grens_report *rep = NULL;
	json_t *j = NULL, *jr = NULL;
	char *text = NULL;
	grens_error err;
	grens_error_clear(&err);
	CHECK(nl && de);
	if (!nl || !de)
		goto out;
	const grens_gtfs_feed *feeds[] = { nl, de };
	grens_net_options no = GRENS_NET_OPTIONS_INIT;
	no.merge_trips = false;
	CHECK_INT(grens_net_build(&tt, feeds, 2, &no, NULL, &err), 0);
	if (!tt)
		goto out;
	uint32_t hrl = grens_net_stop_by_id(tt, "nl", "hrl");
	uint32_t hrl1 = grens_net_stop_by_id(tt, "nl", "hrl:1");
	uint32_t hzr1 = grens_net_stop_by_id(tt, "nl", "hzr:1");
	uint32_t dhzr = grens_net_stop_by_id(tt, "de", "de:05334:3690:1:1");
	uint32_t dahbf = grens_net_stop_by_id(tt, "de", "de:05334:1008:1:6");
	uint32_t t_nl = grens_net_trip_by_id(tt, "nl", "nl-re18-1");
	uint32_t t_de = grens_net_trip_by_id(tt, "de", "de-re18-1");
	CHECK(hrl != GRENS_NONE && hrl1 != GRENS_NONE && hzr1 != GRENS_NONE &&
	      dhzr != GRENS_NONE && dahbf != GRENS_NONE && t_nl != GRENS_NONE &&
	      t_de != GRENS_NONE);
	if (t_nl == GRENS_NONE || t_de == GRENS_NONE || dahbf == GRENS_NONE)
		goto out;
	const int32_t h = 3600, m = 60;
	grens_route_leg legs[3] = {
		{ .mode = GRENS_ROUTE_LEG_WALK, .from_stop = hrl, .to_stop = hrl1,
		  .departure = 7 * h + 16 * m, .arrival = 7 * h + 21 * m, .trip = GRENS_NONE },
		{ .mode = GRENS_ROUTE_LEG_TRANSIT, .from_stop = hrl1, .to_stop = hzr1,
		  .departure = 7 * h + 21 * m, .arrival = 7 * h + 34 * m, .trip = t_nl,
		  .board_position = 1, .alight_position = 2,
		  .scheduled_departure = 7 * h + 21 * m, .scheduled_arrival = 7 * h + 34 * m },
		{ .mode = GRENS_ROUTE_LEG_TRANSIT, .from_stop = dhzr, .to_stop = dahbf,
		  .departure = 7 * h + 35 * m, .arrival = 7 * h + 50 * m, .trip = t_de,
		  .board_position = 0, .alight_position = 1, .stay_seated = true,
		  .scheduled_departure = 7 * h + 35 * m, .scheduled_arrival = 7 * h + 50 * m },
	};
	grens_route_journey jn = { .departure = 7 * h + 16 * m, .arrival = 7 * h + 50 * m,
				   .transfers = 0, .leg_offset = 0, .leg_count = 3 };
	grens_route_result res = { .journeys = &jn, .journey_count = 1, .legs = legs };
	grens_date date;
	CHECK_INT(grens_date_parse_iso("2026-03-10", 10, &date), 0);

	/* ---- JSON without realtime ---- */
	CHECK_INT(grens_report_journey_json(&text, tt, NULL, date, &res, 0, &err), 0);
	j = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	text = NULL;
	CHECK(j != NULL);
	if (!j)
		goto out;
	CHECK_STR(json_string_value(json_object_get(j, "departure")), "2026-03-10T07:16:00");
	CHECK_STR(json_string_value(json_object_get(j, "arrival")), "2026-03-10T07:50:00");
	CHECK_INT(json_integer_value(json_object_get(j, "duration_s")), 2040);
	CHECK_INT(json_integer_value(json_object_get(j, "transfers")), 0);
	CHECK(json_is_true(json_object_get(j, "crosses_border")));
	CHECK_INT(json_array_size(json_object_get(j, "legs")), 3);
	CHECK_INT(json_object_size(j), 6); /* departure ... legs, nothing else */
	/* leg 1: the walk has times, duration and border like every leg */
	CHECK_STR(leg_str(j, 0, "mode"), "walk");
	CHECK_STR(leg_str(j, 0, "from.id"), "nl:hrl");
	CHECK_STR(leg_str(j, 0, "to.id"), "nl:hrl:1");
	CHECK_STR(leg_str(j, 0, "to.name"), "Heerlen");
	CHECK_STR(leg_str(j, 0, "to.feed"), "nl");
	CHECK_STR(leg_str(j, 0, "to.country"), "NL");
	CHECK_NEAR(json_real_value(json_object_get(json_object_get(leg_at(j, 0), "to"), "lat")),
		   50.8910, 1e-9);
	CHECK_NEAR(json_real_value(json_object_get(json_object_get(leg_at(j, 0), "to"), "lon")),
		   5.9740, 1e-9);
	CHECK_STR(leg_str(j, 0, "departure"), "2026-03-10T07:16:00");
	CHECK_STR(leg_str(j, 0, "arrival"), "2026-03-10T07:21:00");
	CHECK_INT(leg_int(j, 0, "duration_s"), 300);
	CHECK(json_is_false(json_object_get(leg_at(j, 0), "border")));
	CHECK(!json_object_get(leg_at(j, 0), "trip_id") && !json_object_get(leg_at(j, 0), "feed"));
	CHECK_INT(json_object_size(leg_at(j, 0)), 7);
	/* leg 2: the Dutch half of the RE18, NL -> DE by coordinates */
	CHECK_STR(leg_str(j, 1, "mode"), "transit");
	CHECK_STR(leg_str(j, 1, "from.id"), "nl:hrl:1");
	CHECK_STR(leg_str(j, 1, "to.id"), "nl:hzr:1");
	CHECK_STR(leg_str(j, 1, "to.name"), "Herzogenrath");
	CHECK_STR(leg_str(j, 1, "from.country"), "NL");
	CHECK_STR(leg_str(j, 1, "to.country"), "DE");
	CHECK_STR(leg_str(j, 1, "departure"), "2026-03-10T07:21:00");
	CHECK_STR(leg_str(j, 1, "arrival"), "2026-03-10T07:34:00");
	CHECK_INT(leg_int(j, 1, "duration_s"), 780);
	CHECK(leg_flag(j, 1, "border"));
	CHECK_STR(leg_str(j, 1, "route"), "RE18");
	CHECK_STR(leg_str(j, 1, "trip_id"), "nl:nl-re18-1");
	CHECK_STR(leg_str(j, 1, "headsign"), "Herzogenrath");
	CHECK_STR(leg_str(j, 1, "feed"), "nl");
	CHECK(!json_object_get(leg_at(j, 1), "stay_seated"));
	CHECK(!json_object_get(leg_at(j, 1), "realtime") &&
	      !json_object_get(leg_at(j, 1), "delay_s"));
	CHECK_INT(json_object_size(leg_at(j, 1)), 11);
	/* leg 3: the German half, same train: stay_seated, no border */
	CHECK_STR(leg_str(j, 2, "from.id"), "de:de:05334:3690:1:1");
	CHECK_STR(leg_str(j, 2, "from.feed"), "de");
	CHECK_STR(leg_str(j, 2, "to.id"), "de:de:05334:1008:1:6");
	CHECK_STR(leg_str(j, 2, "to.name"), "Aachen Hauptbahnhof");
	CHECK_STR(leg_str(j, 2, "to.country"), "DE");
	CHECK_STR(leg_str(j, 2, "departure"), "2026-03-10T07:35:00");
	CHECK_STR(leg_str(j, 2, "arrival"), "2026-03-10T07:50:00");
	CHECK_INT(leg_int(j, 2, "duration_s"), 900);
	CHECK(json_is_false(json_object_get(leg_at(j, 2), "border")));
	CHECK_STR(leg_str(j, 2, "trip_id"), "de:de-re18-1");
	CHECK_STR(leg_str(j, 2, "headsign"), "Aachen Hauptbahnhof");
	CHECK_STR(leg_str(j, 2, "feed"), "de");
	CHECK(leg_flag(j, 2, "stay_seated"));

	/* ---- with realtime: leg 2 two minutes late ---- */
	static const uint8_t empty_feed[] = { 0x0a, 0x05, 0x0a, 0x03, '2', '.', '0' };
	grens_rt_options ro = GRENS_RT_OPTIONS_INIT;
	CHECK_INT(grens_rt_decode(&rf, empty_feed, sizeof(empty_feed), "empty", &err), 0);
	if (rf)
		CHECK_INT(grens_rt_apply(&ov, tt, feeds, 2, rf, &ro, NULL, &err), 0);
	if (!ov)
		goto out;
	legs[1].realtime = true;
	legs[1].departure = 7 * h + 23 * m;
	legs[1].arrival = 7 * h + 36 * m;
	CHECK_INT(grens_report_journey_json(&text, tt, ov, date, &res, 0, &err), 0);
	jr = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	text = NULL;
	CHECK(jr != NULL);
	if (!jr)
		goto out;
	CHECK(leg_flag(jr, 1, "realtime"));
	CHECK_STR(leg_str(jr, 1, "departure"), "2026-03-10T07:23:00");
	CHECK_STR(leg_str(jr, 1, "scheduled_departure"), "2026-03-10T07:21:00");
	CHECK_STR(leg_str(jr, 1, "scheduled_arrival"), "2026-03-10T07:34:00");
	CHECK_INT(leg_int(jr, 1, "delay_s"), 120); /* 07:36 - 07:34 */
	CHECK(json_is_false(json_object_get(leg_at(jr, 2), "realtime")));
	CHECK_INT(leg_int(jr, 2, "delay_s"), 0);
	CHECK(!json_object_get(leg_at(jr, 0), "realtime")); /* walks have none */

	/* ---- CSV: one row per leg, the realtime columns at the end ---- */
	char path[512];
	snprintf(path, sizeof(path), "%s/journeys.csv", tmpdir);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		goto out;
	CHECK_INT(grens_report_journeys_write_csv(f, tt, ov, date, &res, &err), 0);
	fclose(f);
	CHECK_STR(read_text(path),
		  "journey,leg,mode,from_id,from_name,to_id,to_name,departure,arrival,duration_s,"
		  "route,trip_id,headsign,feed,from_country,to_country,border,stay_seated,"
		  "transfers,realtime,scheduled_departure,scheduled_arrival,delay_s\n"
		  "1,1,walk,nl:hrl,Heerlen,nl:hrl:1,Heerlen,2026-03-10T07:16:00,"
		  "2026-03-10T07:21:00,300,,,,,NL,NL,0,0,0,,,,\n"
		  "1,2,transit,nl:hrl:1,Heerlen,nl:hzr:1,Herzogenrath,2026-03-10T07:23:00,"
		  "2026-03-10T07:36:00,780,RE18,nl:nl-re18-1,Herzogenrath,nl,NL,DE,1,0,0,1,"
		  "2026-03-10T07:21:00,2026-03-10T07:34:00,120\n"
		  "1,3,transit,de:de:05334:3690:1:1,Herzogenrath,de:de:05334:1008:1:6,"
		  "Aachen Hauptbahnhof,2026-03-10T07:35:00,2026-03-10T07:50:00,900,RE18,"
		  "de:de-re18-1,Aachen Hauptbahnhof,de,DE,DE,0,1,0,0,2026-03-10T07:35:00,"
		  "2026-03-10T07:50:00,0\n");

	/* ---- text: live times with their delay ---- */
	snprintf(path, sizeof(path), "%s/journeys.txt", tmpdir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		goto out;
	CHECK_INT(grens_report_journeys_write_text(f, tt, ov, date, &res, &err), 0);
	fclose(f);
	CHECK_STR(read_text(path),
		  "journey 1: 2026-03-10T07:16:00 -> 2026-03-10T07:50:00, 0:34, 0 transfers\n"
		  "  walk 300 s: Heerlen (nl:hrl) -> Heerlen (nl:hrl:1)\n"
		  "  07:23:00 (+2) Heerlen (nl:hrl:1) -> 07:36:00 (+2) Herzogenrath (nl:hzr:1)  "
		  "RE18 to Herzogenrath, trip nl-re18-1 [nl] live\n"
		  "  07:35:00 Herzogenrath (de:de:05334:3690:1:1) -> 07:50:00 Aachen Hauptbahnhof "
		  "(de:de:05334:1008:1:6)  RE18 to Aachen Hauptbahnhof, trip de-re18-1 [de] "
		  "(stay seated)\n");

	/* ---- the report: the same journey after its scenario, no realtime ---- */
	CHECK_INT(grens_report_new(&rep, "t", 0, &err), 0);
	if (!rep)
		goto out;
	legs[1].realtime = false;
	legs[1].departure = 7 * h + 21 * m;
	legs[1].arrival = 7 * h + 34 * m;
	CHECK_INT(grens_report_add_journey(rep, tt, date, "base", &res, 0, &err), 0);
	snprintf(path, sizeof(path), "%s/report.json", tmpdir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		goto out;
	CHECK_INT(grens_report_write_json(rep, f, &err), 0);
	fclose(f);
	json_t *doc = json_load_file(path, 0, NULL);
	const json_t *rj = json_array_get(json_object_get(doc, "journeys"), 0);
	CHECK_STR(json_string_value(json_object_get(rj, "scenario")), "base");
	json_t *bare = json_deep_copy(rj);
	json_object_del(bare, "scenario");
	CHECK(json_equal(bare, j)); /* exactly the encoder's object */
	json_decref(bare);
	json_decref(doc);

	/* bad calls */
	CHECK_INT(grens_report_journey_json(&text, tt, NULL, date, &res, 1, &err), GRENS_EARG);
	CHECK(text == NULL);
	CHECK_INT(grens_report_journeys_write_csv(NULL, tt, NULL, date, &res, &err), GRENS_EINVAL);
out:
	json_decref(j);
	json_decref(jr);
	grens_report_free(rep);
	grens_rt_overlay_release(ov);
	grens_rt_feed_free(rf);
	grens_net_free(tt);
	grens_gtfs_free(nl);
	grens_gtfs_free(de);
}


/* ---- the grens rt document -------------------------------------------------------
 * tests/fixtures/rt-small (Europe/Amsterdam; 2023-11-08 starts at
 * 1699398000, CET) with a message made here: T1 two minutes late at S2,
 * T2 cancelled, an added trip X1 S1 12:00 -> S5 12:30, and an alert. */
#define RT_DAY0 1699398000LL

static grens_rt_feed *rt_doc_feed(void)
{
	TransitRealtime__FeedMessage msg = TRANSIT_REALTIME__FEED_MESSAGE__INIT;
	TransitRealtime__FeedHeader hdr = TRANSIT_REALTIME__FEED_HEADER__INIT;
	hdr.gtfs_realtime_version = "2.0";
	hdr.has_timestamp = 1;
	hdr.timestamp = (uint64_t)RT_DAY0 + 9 * 3600;
	msg.header = &hdr;
	TransitRealtime__FeedEntity e[4] = {
		TRANSIT_REALTIME__FEED_ENTITY__INIT, TRANSIT_REALTIME__FEED_ENTITY__INIT,
		TRANSIT_REALTIME__FEED_ENTITY__INIT, TRANSIT_REALTIME__FEED_ENTITY__INIT
	};
	TransitRealtime__FeedEntity *ents[4] = { &e[0], &e[1], &e[2], &e[3] };
	TransitRealtime__TripUpdate tu[3] = { TRANSIT_REALTIME__TRIP_UPDATE__INIT,
					      TRANSIT_REALTIME__TRIP_UPDATE__INIT,
					      TRANSIT_REALTIME__TRIP_UPDATE__INIT };
	TransitRealtime__TripDescriptor td[3] = { TRANSIT_REALTIME__TRIP_DESCRIPTOR__INIT,
						  TRANSIT_REALTIME__TRIP_DESCRIPTOR__INIT,
						  TRANSIT_REALTIME__TRIP_DESCRIPTOR__INIT };
	TransitRealtime__TripUpdate__StopTimeUpdate su[3] = {
		TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_UPDATE__INIT,
		TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_UPDATE__INIT,
		TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_UPDATE__INIT
	};
	TransitRealtime__TripUpdate__StopTimeEvent ev[3] = {
		TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_EVENT__INIT,
		TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_EVENT__INIT,
		TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_EVENT__INIT
	};
	TransitRealtime__TripUpdate__StopTimeUpdate *t1_su[1] = { &su[0] };
	TransitRealtime__TripUpdate__StopTimeUpdate *x1_su[2] = { &su[1], &su[2] };
	const char *ids[3] = { "T1", "T2", "X1" }, *eids[4] = { "t1", "t2", "x1", "al" };
	for (int i = 0; i < 4; i++)
		e[i].id = (char *)eids[i];
	for (int i = 0; i < 3; i++) {
		td[i].trip_id = (char *)ids[i];
		td[i].start_date = "20231108";
		tu[i].trip = &td[i];
		e[i].trip_update = &tu[i];
	}
	ev[0].has_delay = 1;
	ev[0].delay = 120;
	su[0].has_stop_sequence = 1;
	su[0].stop_sequence = 20;
	su[0].arrival = &ev[0];
	tu[0].n_stop_time_update = 1;
	tu[0].stop_time_update = t1_su;
	td[1].has_schedule_relationship = 1;
	td[1].schedule_relationship =
		TRANSIT_REALTIME__TRIP_DESCRIPTOR__SCHEDULE_RELATIONSHIP__CANCELED;
	td[2].has_schedule_relationship = 1;
	td[2].schedule_relationship =
		TRANSIT_REALTIME__TRIP_DESCRIPTOR__SCHEDULE_RELATIONSHIP__ADDED;
	td[2].route_id = "R1";
	ev[1].has_time = 1;
	ev[1].time = RT_DAY0 + 12 * 3600;
	su[1].stop_id = "S1";
	su[1].departure = &ev[1];
	ev[2].has_time = 1;
	ev[2].time = RT_DAY0 + 12 * 3600 + 30 * 60;
	su[2].stop_id = "S5";
	su[2].arrival = &ev[2];
	tu[2].n_stop_time_update = 2;
	tu[2].stop_time_update = x1_su;

	TransitRealtime__Alert al = TRANSIT_REALTIME__ALERT__INIT;
	TransitRealtime__TimeRange tr = TRANSIT_REALTIME__TIME_RANGE__INIT;
	TransitRealtime__TimeRange *trs[1] = { &tr };
	TransitRealtime__EntitySelector sel = TRANSIT_REALTIME__ENTITY_SELECTOR__INIT;
	TransitRealtime__EntitySelector *sels[1] = { &sel };
	TransitRealtime__TranslatedString head = TRANSIT_REALTIME__TRANSLATED_STRING__INIT;
	TransitRealtime__TranslatedString__Translation works =
		TRANSIT_REALTIME__TRANSLATED_STRING__TRANSLATION__INIT;
	TransitRealtime__TranslatedString__Translation *tl[1] = { &works };
	al.has_cause = 1;
	al.cause = TRANSIT_REALTIME__ALERT__CAUSE__MAINTENANCE;
	al.has_effect = 1;
	al.effect = TRANSIT_REALTIME__ALERT__EFFECT__SIGNIFICANT_DELAYS;
	tr.has_start = 1;
	tr.start = (uint64_t)RT_DAY0 + 9 * 3600;
	al.n_active_period = 1;
	al.active_period = trs;
	sel.route_id = "R1";
	sel.stop_id = "S3";
	al.n_informed_entity = 1;
	al.informed_entity = sels;
	works.text = "Works at Derde";
	head.n_translation = 1;
	head.translation = tl;
	al.header_text = &head;
	e[3].alert = &al;
	msg.n_entity = 4;
	msg.entity = ents;

	size_t len = transit_realtime__feed_message__get_packed_size(&msg);
	uint8_t *buf = malloc(len);
	grens_rt_feed *feed = NULL;
	grens_error err;
	grens_error_clear(&err);
	if (buf) {
		transit_realtime__feed_message__pack(&msg, buf);
		if (grens_rt_decode(&feed, buf, len, "built", &err) != 0)
			fprintf(stderr, "decode: %s\n", err.message);
	}
	free(buf);
	return feed;
}

static const char *rt_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static json_int_t rt_int(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static void test_rt_doc(void)
{
	grens_gtfs_feed *small = load_feed("tests/fixtures/rt-small", "small");
	grens_timetable *tt = NULL;
	grens_rt_feed *rf = rt_doc_feed();
	grens_rt_overlay *ov = NULL, *none = NULL;
	json_t *j = NULL;
	char *text = NULL, *page = NULL;
	size_t page_len = 0;
	grens_error err;
	grens_error_clear(&err);
	CHECK(small && rf);
	if (!small || !rf)
		goto out;
	const grens_gtfs_feed *feeds[] = { small };
	grens_net_options no = GRENS_NET_OPTIONS_INIT;
	CHECK_INT(grens_net_build(&tt, feeds, 1, &no, NULL, &err), 0);
	grens_rt_options ro = GRENS_RT_OPTIONS_INIT;
	if (tt)
		CHECK_INT(grens_rt_apply(&ov, tt, feeds, 1, rf, &ro, NULL, &err), 0);
	if (!ov)
		goto out;

	CHECK_INT(grens_report_rt_json(NULL, tt, ov, &err), GRENS_EINVAL);
	CHECK_INT(grens_report_rt_json(&text, NULL, ov, &err), GRENS_EINVAL);
	CHECK_INT(grens_report_rt_json(&text, tt, NULL, &err), GRENS_EINVAL);
	CHECK_INT(grens_report_rt_write_text(NULL, tt, ov, &err), GRENS_EINVAL);

	CHECK_INT(grens_report_rt_json(&text, tt, ov, &err), 0);
	j = text ? json_loads(text, 0, NULL) : NULL;
	CHECK(j != NULL);
	if (!j)
		goto out;
	const grens_rt_counts *c = grens_rt_overlay_counts(ov);
	const json_t *h = json_object_get(j, "header");
	CHECK_INT(rt_int(h, "timestamp"), RT_DAY0 + 9 * 3600);
	CHECK_STR(rt_str(h, "incrementality"), "FULL_DATASET");
	CHECK_STR(rt_str(h, "version"), "2.0");
	CHECK_INT(rt_int(j, "entities"), 4);
	CHECK_INT(rt_int(j, "trip_updates"), 3);
	CHECK_INT(rt_int(j, "matched"), 2);
	CHECK_INT(rt_int(j, "cancelled"), 1);
	CHECK_INT(rt_int(j, "added"), 1);
	CHECK_INT(rt_int(j, "stop_updates"), c->stop_updates);
	CHECK_INT(rt_int(j, "vehicle_positions"), 0);
	CHECK_INT(rt_int(j, "delay_samples"), c->delay_samples);
	CHECK(c->delay_samples > 0);
	CHECK_INT(rt_int(json_object_get(j, "delay_s"), "max"), c->delay_max);
	CHECK_INT(c->delay_max, 120);
	/* the keys in the documented order */
	const char *order[] = { "header", "entities", "trip_updates", "matched", "unknown_trip" };
	void *it = json_object_iter(j);
	for (size_t k = 0; k < 5 && it; k++, it = json_object_iter_next(j, it))
		CHECK_STR(json_object_iter_key(it), order[k]);
	const json_t *ct = json_array_get(json_object_get(j, "cancelled_trips"), 0);
	CHECK_INT(json_array_size(json_object_get(j, "cancelled_trips")), 1);
	CHECK_STR(rt_str(ct, "feed"), "small");
	CHECK_STR(rt_str(ct, "trip_id"), "T2");
	CHECK_STR(rt_str(ct, "date"), "2023-11-08");
	const json_t *at = json_array_get(json_object_get(j, "added_trips"), 0);
	CHECK_STR(rt_str(at, "trip_id"), "X1");
	CHECK_STR(rt_str(at, "route_id"), "R1");
	const json_t *stops = json_object_get(at, "stops");
	CHECK_INT(json_array_size(stops), 2);
	CHECK_STR(rt_str(json_array_get(stops, 0), "stop_id"), "S1");
	CHECK_STR(rt_str(json_array_get(stops, 0), "departure"), "12:00:00");
	CHECK_STR(rt_str(json_array_get(stops, 1), "arrival"), "12:30:00");
	const json_t *al = json_array_get(json_object_get(j, "alerts"), 0);
	CHECK_STR(rt_str(al, "id"), "al");
	CHECK_STR(rt_str(al, "cause"), "MAINTENANCE");
	CHECK_STR(rt_str(al, "effect"), "SIGNIFICANT_DELAYS");
	CHECK_STR(rt_str(al, "header"), "Works at Derde");
	CHECK_INT(rt_int(json_array_get(json_object_get(al, "active_periods"), 0), "start"),
		  RT_DAY0 + 9 * 3600);
	const json_t *ie = json_array_get(json_object_get(al, "informed_entities"), 0);
	CHECK_STR(rt_str(ie, "route_id"), "R1");
	CHECK_STR(rt_str(ie, "stop_id"), "S3");
	CHECK(json_object_get(ie, "route_type") == NULL); /* not named: left out */
	CHECK_INT(json_object_size(ie), 2);

	FILE *m = open_memstream(&page, &page_len);
	CHECK(m != NULL);
	if (!m)
		goto out;
	CHECK_INT(grens_report_rt_write_text(m, tt, ov, &err), 0);
	fclose(m);
	const char *start = "header: version 2.0, FULL_DATASET, timestamp 1699430400 "
			    "(2023-11-08T08:00:00Z)\n"
			    "entities 4: trip_updates 3, vehicle_positions 0 (0 on known trips), "
			    "alerts 1, deleted 0\n";
	CHECK(page && strncmp(page, start, strlen(start)) == 0);
	CHECK(strstr(page, "\ncancelled trips:\n  small:T2 2023-11-08\n") != NULL);
	CHECK(strstr(page, "\nadded trips:\n  X1 2023-11-08 route R1: S1 12:00:00 -> S5 "
			   "12:30:00 (2 stops)\n") != NULL);
	CHECK(strstr(page, "\nalerts:\n  [al] MAINTENANCE / SIGNIFICANT_DELAYS / ") != NULL);
	CHECK(strstr(page, ": Works at Derde\n      affects route R1 stop S3\n") != NULL);

	/* a message without updates: no delay samples, null percentiles */
	static const uint8_t empty_feed[] = { 0x0a, 0x05, 0x0a, 0x03, '2', '.', '0' };
	grens_rt_feed_free(rf);
	rf = NULL;
	CHECK_INT(grens_rt_decode(&rf, empty_feed, sizeof(empty_feed), "empty", &err), 0);
	if (rf)
		CHECK_INT(grens_rt_apply(&none, tt, feeds, 1, rf, &ro, NULL, &err), 0);
	if (!none)
		goto out;
	free(text);
	text = NULL;
	json_decref(j);
	CHECK_INT(grens_report_rt_json(&text, tt, none, &err), 0);
	j = text ? json_loads(text, 0, NULL) : NULL;
	CHECK(json_is_null(json_object_get(json_object_get(j, "delay_s"), "p50")));
	CHECK_INT(json_array_size(json_object_get(j, "alerts")), 0);
	CHECK_INT(json_array_size(json_object_get(j, "added_trips")), 0);
out:
	json_decref(j);
	free(text);
	free(page);
	grens_rt_overlay_release(ov);
	grens_rt_overlay_release(none);
	grens_rt_feed_free(rf);
	grens_net_free(tt);
	grens_gtfs_free(small);
}

/* The access document's writers: CSV quoting, the metadata path, and the
 * merge of shards (origins in index order, refusals). */
static char *write_access(const grens_report_access *doc, grens_report_access_format f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	CHECK(m != NULL);
	CHECK(grens_report_access_write(doc, f, m, NULL) == 0);
	fclose(m);
	return buf;
}

static void test_access_doc(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	CHECK(grens_report_csv_field(m, "plain") == 0 && fputc(',', m) != EOF);
	CHECK(grens_report_csv_field(m, "a,\"b\"") == 0);
	CHECK(grens_report_csv_field(NULL, "x") == GRENS_EINVAL);
	fclose(m);
	/* a comma and quotes: quoted, the quotes doubled */
	CHECK(strcmp(buf, "plain,\"a,\"\"b\"\"\"") == 0);
	free(buf);

	char path[64];
	CHECK(grens_report_access_meta_path(path, sizeof(path), "out/x.csv", NULL) == 0);
	CHECK(strcmp(path, "out/x.meta.json") == 0);
	CHECK(grens_report_access_meta_path(path, sizeof(path), "x.txt", NULL) == 0);
	CHECK(strcmp(path, "x.txt.meta.json") == 0);
	CHECK(grens_report_access_meta_path(path, 8, "long.csv", NULL) == GRENS_ELIMIT);

	/* three origins in two shards of one run, given in reverse order */
	const char *s0 = "{\"meta\": {\"date\": \"2026-03-10\", \"origins_total\": 3, "
			 "\"shard\": {\"index\": 0, \"count\": 2}}, \"origins\": "
			 "[{\"index\": 0, \"id\": \"a\"}, {\"index\": 2, \"id\": \"c\"}]}";
	const char *s1 = "{\"meta\": {\"date\": \"2026-03-10\", \"origins_total\": 3, "
			 "\"shard\": {\"index\": 1, \"count\": 2}}, \"origins\": "
			 "[{\"index\": 1, \"id\": \"b\"}]}";
	const char *other = "{\"meta\": {\"date\": \"2026-03-11\", \"origins_total\": 3, "
			    "\"shard\": {\"index\": 1, \"count\": 2}}, \"origins\": []}";
	grens_report_access_shard sh[2] = {{.path = "s1", .text = s1, .len = strlen(s1)},
					   {.path = "s0", .text = s0, .len = strlen(s0)}};
	grens_report_access *doc = NULL;
	grens_error err;
	grens_error_clear(&err);
	CHECK(grens_report_access_merge(&doc, sh, 2, &err) == 0);
	char *out = write_access(doc, GRENS_REPORT_ACCESS_JSON);
	json_t *j = json_loads(out, 0, NULL);
	json_t *o = json_object_get(j, "origins");
	CHECK(json_array_size(o) == 3);
	CHECK(strcmp(json_string_value(json_object_get(json_array_get(o, 0), "id")), "a") == 0);
	CHECK(strcmp(json_string_value(json_object_get(json_array_get(o, 1), "id")), "b") == 0);
	CHECK(strcmp(json_string_value(json_object_get(json_array_get(o, 2), "id")), "c") == 0);
	/* the whole run is shard 0 of 1 */
	CHECK(json_integer_value(json_object_get(json_object_get(json_object_get(j, "meta"),
								  "shard"), "count")) == 1);
	json_decref(j);
	free(out);
	grens_report_access_free(doc);
	/* a shard missing, given twice, or of another run */
	CHECK(grens_report_access_merge(&doc, sh, 1, &err) == GRENS_EFORMAT);
	CHECK(strstr(err.message, "shard 0/2 is missing") != NULL);
	sh[1] = sh[0];
	CHECK(grens_report_access_merge(&doc, sh, 2, &err) == GRENS_EFORMAT);
	CHECK(strstr(err.message, "given twice") != NULL);
	sh[1] = (grens_report_access_shard){.path = "o", .text = other, .len = strlen(other)};
	CHECK(grens_report_access_merge(&doc, sh, 2, &err) == GRENS_EFORMAT);
	CHECK(strstr(err.message, "another run") != NULL);
	CHECK(doc == NULL);

	/* CSV shards: rows sorted by origin index, the header once */
	const char *meta0 = "{\"origins_total\": 2, \"shard\": {\"index\": 0, \"count\": 2}}";
	const char *meta1 = "{\"origins_total\": 2, \"shard\": {\"index\": 1, \"count\": 2}}";
	const char *c0 = "index,v\n0,x\n0,y\n", *c1 = "index,v\n1,z\n";
	grens_report_access_shard cs[2] = {
	    {.path = "c1", .text = c1, .len = strlen(c1), .meta_path = "m1", .meta_text = meta1,
	     .meta_len = strlen(meta1)},
	    {.path = "c0", .text = c0, .len = strlen(c0), .meta_path = "m0", .meta_text = meta0,
	     .meta_len = strlen(meta0)}};
	CHECK(grens_report_access_merge(&doc, cs, 2, &err) == 0);
	out = write_access(doc, GRENS_REPORT_ACCESS_CSV);
	CHECK(strcmp(out, "index,v\n0,x\n0,y\n1,z\n") == 0);
	free(out);
	/* merged CSV renders as CSV only */
	CHECK(grens_report_access_write(doc, GRENS_REPORT_ACCESS_JSON, stdout, &err) == GRENS_EARG);
	grens_report_access_free(doc);
}

/* ---- the report job -------------------------------------------------------------- */
/* report.json of rep, parsed (the caller's). */
static json_t *report_doc(const grens_report *rep)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	grens_error err;
	grens_error_clear(&err);
	int rc = f ? grens_report_write_json(rep, f, &err) : -1;
	if (f)
		fclose(f);
	json_error_t je;
	json_t *doc = rc == 0 ? json_loadb(text, len, 0, &je) : NULL;
	free(text);
	return doc;
}

/* grens_report_fill on link-nl and link-de (linked, defaults), Tuesday
 * 2026-03-10, departures 06:50 and 07:00 (step 10 min), one pair
 * Maastricht -> Heerlen: the only train is the RE18 nl-re18-1, Maastricht
 * mt:1 07:00 -> Heerlen hrl:1 07:20, so the best journey leaves at 07:00
 * and takes 20 min, and the 06:50 departure waits 10 min for it (30 min).
 * A scenario without edits ("same") is the base again: the same journey,
 * a saving of 0. No places: the note says so. */
/* ---- the compare job ------------------------------------------------------------
 * grens_report_compare_run_new on link-nl + link-de, Maastricht -> Heerlen one
 * way on Tue 2026-03-10, steps 06:50 and 07:00 (600 s). The only trip from
 * Maastricht is nl-re18-1 (RE18): mt:1 d 07:00, hrl:1 a 07:20.
 *   base:    06:50 -> wait 10 min + 20 min = 1800 s; 07:00 -> 1200 s;
 *            min 1200, max 1800, both steps reached; first and last
 *            departure 07:00 = 25200 s.
 *   no-re18: `remove: {feed: nl, routes: [RE18]}` leaves Maastricht without
 *            trips: no step reached, delta_min unreached.
 * Mon 2026-03-16: link-nl (calendar_dates 9-13 March) runs nothing, link-de
 * (calendar to 20 March) runs: the run goes on with a no_service_on_date
 * note for nl. Tue 2027-01-05: neither runs: GRENS_ENOTFOUND. */
/* ---- the route job --------------------------------------------------------------- */
/* The route document on tests/fixtures/route-basic, the journeys worked out
 * by hand in its expected.txt: Aachen 08:00 -> Bonn on Tuesday 2026-03-10
 * is re1 to Düren (08:20, 180 s change there) and s12_0823 to Bonn 09:00,
 * one transfer; the direct SB20 leaves 08:10 and arrives 09:30. */
static void test_route_job(void)
{
	grens_gtfs_feed *feed = load_feed("tests/fixtures/route-basic", "rb");
	CHECK(feed != NULL);
	if (!feed)
		return;
	const grens_gtfs_feed *feeds[] = {feed};
	grens_net_options no = GRENS_NET_OPTIONS_INIT;
	grens_timetable *tt = NULL;
	grens_error err;
	grens_error_clear(&err);
	CHECK_INT(grens_net_build(&tt, feeds, 1, &no, NULL, &err), 0);
	grens_report_route_job job = GRENS_REPORT_ROUTE_JOB_INIT;
	job.tt = tt;
	job.from = "AACH";
	job.to = "BONN";
	CHECK_INT(grens_date_parse_iso("2026-03-10", 10, &job.date), 0);
	job.time = 8 * 3600;
	grens_report_route *doc = NULL;
	CHECK_INT(tt ? grens_report_route_new(&doc, &job, &err) : -1, 0);
	const grens_route_result *r = grens_report_route_result(doc);
	CHECK(r && r->journey_count == 2);
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	CHECK_INT(doc && m ? grens_report_route_write(doc, m, GRENS_REPORT_ROUTE_JSON, &err) : -1,
		  0);
	if (m)
		fclose(m);
	json_t *root = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	const json_t *q = json_object_get(root, "query");
	CHECK_STR(json_string_value(json_array_get(json_object_get(q, "from"), 0)), "rb:AACH");
	CHECK_STR(json_string_value(json_object_get(q, "algo")), "raptor");
	const json_t *js = json_object_get(root, "journeys");
	CHECK_INT(json_array_size(js), 2);
	/* 08:00 -> 09:00 with one transfer, then 08:10 -> 09:30 direct */
	CHECK_STR(json_string_value(json_object_get(json_array_get(js, 0), "departure")),
		  "2026-03-10T08:00:00");
	CHECK_STR(json_string_value(json_object_get(json_array_get(js, 0), "arrival")),
		  "2026-03-10T09:00:00");
	CHECK_STR(json_string_value(json_object_get(json_array_get(js, 1), "arrival")),
		  "2026-03-10T09:30:00");
	CHECK_INT(json_array_size(json_object_get(root, "notes")), 0);
	json_decref(root);
	grens_report_route_free(doc);
	doc = NULL;

	/* Dijkstra: the earliest arrival only */
	job.dijkstra = true;
	CHECK_INT(tt ? grens_report_route_new(&doc, &job, &err) : -1, 0);
	r = grens_report_route_result(doc);
	CHECK(r && r->journey_count == 1 && r->journeys[0].arrival == 9 * 3600);
	grens_report_route_free(doc);
	doc = NULL;

	/* a stop that names nothing: GRENS_EARG naming the parameter */
	job.dijkstra = false;
	job.to = "Nowhere at all";
	job.to_label = "to";
	grens_error_clear(&err);
	CHECK_INT(tt ? grens_report_route_new(&doc, &job, &err) : -1, GRENS_EARG);
	CHECK(doc == NULL);
	CHECK_STR(err.field, "to");
	CHECK(strncmp(err.message, "to 'Nowhere at all'", 19) == 0);
	job.to = NULL;
	CHECK_INT(tt ? grens_report_route_new(&doc, &job, &err) : -1, GRENS_EARG);
	CHECK_STR(err.field, "to");

	/* another version of the job */
	job.version = GRENS_REPORT_ROUTE_JOB_VERSION + 1;
	CHECK_INT(grens_report_route_new(&doc, &job, &err), GRENS_EINVAL);
	CHECK_INT(grens_report_route_new(NULL, &job, &err), GRENS_EINVAL);
	CHECK_INT(grens_report_route_write(NULL, stdout, GRENS_REPORT_ROUTE_JSON, &err),
		  GRENS_EINVAL);
	grens_report_route_free(NULL);
	grens_net_free(tt);
	grens_gtfs_free(feed);
}

static void test_compare_job(void)
{
	grens_gtfs_feed *nl = load_feed("tests/fixtures/link-nl", "nl");
	grens_gtfs_feed *de = load_feed("tests/fixtures/link-de", "de");
	grens_scenario *sc = NULL;
	grens_report_compare_run *run = NULL;
	char *buf = NULL;
	size_t len = 0;
	json_t *doc = NULL;
	grens_error err;
	grens_error_clear(&err);
	CHECK(nl && de);
	if (!nl || !de)
		goto out;
	const char *yaml = "name: no-re18\nedits:\n  - remove: { feed: nl, routes: [RE18] }\n";
	CHECK_INT(grens_scenario_parse(&sc, yaml, strlen(yaml), "no-re18.yaml", &err), 0);
	const grens_gtfs_feed *feeds[] = { nl, de };
	const grens_scenario *scs[] = { sc };
	const char *from[] = { "Maastricht" }, *to[] = { "Heerlen" };
	grens_date dates[] = { grens_date_from_ymd(2026, 3, 10) };
	grens_report_compare_job job = GRENS_REPORT_COMPARE_JOB_INIT;
	job.source.feeds = feeds;
	job.source.feed_count = 2;
	grens_net_options no = GRENS_NET_OPTIONS_INIT;
	job.source.options = no;
	job.scenarios = scs;
	job.scenario_count = 1;
	job.from = from;
	job.from_count = 1;
	job.to = to;
	job.to_count = 1;
	job.one_way = true;
	job.dates = dates;
	job.date_count = 1;
	job.window_start = 6 * 3600 + 50 * 60;
	job.window_end = 7 * 3600;
	job.step = 600;
	CHECK_INT(grens_report_compare_run_new(&run, &job, NULL, &err), 0);
	if (!run)
		goto out;
	grens_report_compare d = grens_report_compare_run_document(run);
	CHECK_INT(d.network_count, 2);
	CHECK_STR(d.networks[1].name, "no-re18");
	CHECK_STR(d.networks[1].sha256, grens_scenario_hash(sc));
	CHECK_INT(grens_access_od_result_count(d.od), 2);
	const grens_access_od_row *b = grens_access_od_result_row(d.od, 0);
	const grens_access_od_row *s = grens_access_od_result_row(d.od, 1);
	CHECK(b && s);
	if (!b || !s)
		goto out;
	CHECK_INT(b->network, 0);
	CHECK_INT(b->summary.steps, 2);
	CHECK_INT(b->summary.reached, 2);
	CHECK_INT(b->summary.min, 1200);
	CHECK_INT(b->summary.max, 1800);
	CHECK_INT(b->first_departure, 7 * 3600);
	CHECK_INT(b->last_departure, 7 * 3600);
	CHECK_INT(s->network, 1);
	CHECK_INT(s->summary.reached, 0);
	CHECK_INT(s->delta_min, GRENS_ROUTE_UNREACHED);
	CHECK_INT(d.note_count, 0);
	/* the same rows through the JSON encoder */
	FILE *f = open_memstream(&buf, &len);
	CHECK_INT(grens_report_compare_write(&d, GRENS_REPORT_COMPARE_JSON, f, &err), 0);
	fclose(f);
	doc = buf ? json_loads(buf, 0, NULL) : NULL;
	CHECK(doc != NULL);
	const json_t *rows = json_object_get(doc, "rows");
	CHECK_INT(json_array_size(rows), 2);
	const json_t *r0 = json_array_get(rows, 0), *r1 = json_array_get(rows, 1);
	CHECK_STR(json_string_value(json_object_get(json_object_get(r0, "from"), "id")), "nl:mt");
	CHECK_STR(json_string_value(json_object_get(r0, "scenario")), "base");
	CHECK_INT(json_integer_value(json_object_get(r0, "min_s")), 1200);
	CHECK_STR(json_string_value(json_object_get(r0, "first_departure")),
		  "2026-03-10T07:00:00");
	CHECK_STR(json_string_value(json_object_get(r1, "scenario")), "no-re18");
	CHECK(json_is_null(json_object_get(r1, "min_s")));
	CHECK(json_is_null(json_object_get(r1, "best_journey")));
	grens_report_compare_run_free(run);
	run = NULL;

	/* nl runs nothing on Mon 2026-03-16: a note, the run goes on */
	dates[0] = grens_date_from_ymd(2026, 3, 16);
	job.scenario_count = 0;
	CHECK_INT(grens_report_compare_run_new(&run, &job, NULL, &err), 0);
	if (run) {
		d = grens_report_compare_run_document(run);
		CHECK_INT(d.note_count, 1);
		if (d.note_count == 1) {
			CHECK_STR(d.notes[0].code, "no_service_on_date");
			CHECK_STR(d.notes[0].feed, "nl");
			CHECK_STR(d.notes[0].date, "2026-03-16");
		}
		grens_report_compare_run_free(run);
		run = NULL;
	}
	/* no feed runs on 2027-01-05; an unknown place is a bad argument */
	dates[0] = grens_date_from_ymd(2027, 1, 5);
	CHECK_INT(grens_report_compare_run_new(&run, &job, NULL, &err), GRENS_ENOTFOUND);
	CHECK(run == NULL);
	dates[0] = grens_date_from_ymd(2026, 3, 10);
	from[0] = "Nowhere";
	CHECK_INT(grens_report_compare_run_new(&run, &job, NULL, &err), GRENS_EARG);
	CHECK(strstr(err.message, "Nowhere") != NULL);
	CHECK(run == NULL);
out:
	grens_report_compare_run_free(run);
	json_decref(doc);
	free(buf);
	grens_scenario_free(sc);
	grens_gtfs_free(nl);
	grens_gtfs_free(de);
}

static void test_report_job(void)
{
	grens_gtfs_feed *nl = load_feed("tests/fixtures/link-nl", "nl");
	grens_gtfs_feed *de = load_feed("tests/fixtures/link-de", "de");
	grens_scenario *sc = NULL;
	grens_report *rep = NULL;
	json_t *doc = NULL;
	grens_error err;
	grens_error_clear(&err);
	CHECK(nl && de);
	if (!nl || !de)
		goto out;
	const char *yaml = "name: same\nedits: []\n";
	CHECK_INT(grens_scenario_parse(&sc, yaml, strlen(yaml), "same.yaml", &err), 0);
	const grens_gtfs_feed *feeds[] = { nl, de };
	const grens_scenario *scs[] = { sc };
	grens_report_job job = GRENS_REPORT_JOB_INIT;
	job.source.feeds = feeds;
	job.source.feed_count = 2;
	grens_net_options no = GRENS_NET_OPTIONS_INIT;
	job.source.options = no;
	job.scenarios = scs;
	job.scenario_count = 1;
	job.from[0] = "Maastricht";
	job.to[0] = "Heerlen";
	job.pair_count = 1;
	job.date = grens_date_from_ymd(2026, 3, 10);
	job.t0 = 6 * 3600 + 50 * 60;
	job.t1 = 7 * 3600;
	job.step = 600;
	job.threshold = 25 * 60;
	CHECK_INT(grens_report_new(&rep, "job", 0, &err), 0);
	grens_diag *diag = grens_diag_new();
	CHECK_INT(grens_report_fill(rep, &job, diag, &err), 0);
	grens_diag_free(diag);
	doc = report_doc(rep);
	CHECK(doc != NULL);
	const json_t *prof = json_array_get(json_object_get(doc, "profiles"), 0);
	const json_t *sum = json_object_get(prof, "summary");
	CHECK_STR(json_string_value(json_object_get(json_object_get(prof, "from"), "id")), "nl:mt");
	CHECK_STR(json_string_value(json_object_get(json_object_get(prof, "to"), "id")), "nl:hrl");
	CHECK_INT(json_integer_value(json_object_get(sum, "min_s")), 1200);
	CHECK_INT(json_integer_value(json_object_get(sum, "max_s")), 1800);
	CHECK_INT(json_array_size(json_object_get(doc, "profiles")), 2); /* base, same */
	const json_t *jy = json_array_get(json_object_get(doc, "journeys"), 0);
	CHECK_STR(json_string_value(json_object_get(jy, "departure")), "2026-03-10T07:00:00");
	CHECK_INT(json_integer_value(json_object_get(jy, "duration_s")), 1200);
	CHECK_STR(leg_str(jy, 0, "trip_id"), "nl:nl-re18-1");
	const json_t *sv = json_array_get(json_object_get(doc, "savings"), 0);
	CHECK_STR(json_string_value(json_object_get(sv, "scenario")), "same");
	CHECK_INT(json_integer_value(json_object_get(sv, "delta_median_s")), 0);
	/* the map: Heerlen 20 min; Herzogenrath one station of both feeds */
	size_t i;
	const json_t *st;
	int heerlen = -1;
	size_t hzr_members = 0;
	json_array_foreach(json_object_get(doc, "stations"), i, st) {
		const char *id = json_string_value(json_object_get(st, "id"));
		const char *scn = json_string_value(json_object_get(st, "scenario"));
		if (!id || !scn || strcmp(scn, "base") != 0)
			continue;
		if (strcmp(id, "nl:hrl") == 0)
			heerlen = (int)json_integer_value(json_object_get(st, "travel_s"));
		if (strcmp(id, "nl:hzr") == 0)
			hzr_members = json_array_size(json_object_get(st, "members"));
	}
	CHECK_INT(heerlen, 1200);
	CHECK_INT(hzr_members, 2);
	CHECK_STR(json_string_value(json_array_get(json_object_get(doc, "notes"), 0)),
		  "no places file: reachable population not computed");
	CHECK_INT(json_array_size(json_object_get(doc, "opportunities")), 0);

	/* With places: their sources, how they were tied, and the people
	 * reached within 60 min on each variant. Maastricht and Heerlen sit on
	 * their stations (0 m to walk): from Maastricht both are reached in
	 * time on the nl feed alone, linked, and under "same". */
	const char *csv = "name,country,municipality_code,lat,lon,population,reference_date,source\n"
			  "Maastricht,NL,GM0935,50.8497,5.7053,120000,2020,test\n"
			  "Heerlen,NL,GM0917,50.8910,5.9740,87000,2020,test\n";
	grens_access_places *places = NULL;
	grens_report *withp = NULL;
	json_t *pdoc = NULL;
	CHECK_INT(grens_access_places_new(&places, &err), 0);
	CHECK_INT(grens_access_places_parse(places, "p.csv", csv, strlen(csv), NULL, NULL, &err), 0);
	grens_report_job pj = job;
	pj.places = places;
	pj.cutoffs_min[0] = 60;
	pj.cutoff_count = 1;
	CHECK_INT(grens_report_new(&withp, "places", 0, &err), 0);
	CHECK_INT(grens_report_fill(withp, &pj, NULL, &err), 0);
	pdoc = report_doc(withp);
	const json_t *pop = json_array_get(json_object_get(pdoc, "population"), 0);
	CHECK_STR(json_string_value(json_object_get(pop, "country")), "NL");
	CHECK_INT(json_array_size(json_object_get(pdoc, "population")), 1);
	const char *tied = json_string_value(json_array_get(json_object_get(pdoc, "notes"), 0));
	CHECK(tied && strncmp(tied, "places tied to stops: walk 2 (207000 people)", 44) == 0);
	const json_t *op;
	const char *variants[3] = { NULL, NULL, NULL };
	size_t nv = 0;
	json_array_foreach(json_object_get(pdoc, "opportunities"), i, op) {
		const json_t *cut = json_array_get(json_object_get(op, "cutoffs"), 0);
		CHECK_INT(json_integer_value(json_object_get(cut, "population")), 207000);
		if (nv < 3)
			variants[nv++] = json_string_value(json_object_get(op, "variant"));
	}
	CHECK_INT(nv, 3);
	CHECK_STR(variants[0], "nl-only");
	CHECK_STR(variants[1], "linked");
	CHECK_STR(variants[2], "same");
	json_decref(pdoc);
	grens_report_free(withp);
	withp = NULL;

	/* The border views of Heerlen, every assumption set the central one;
	 * a place abroad or unknown is refused. */
	grens_access_link_options lo = GRENS_ACCESS_LINK_OPTIONS_INIT;
	for (unsigned k = 0; k < GRENS_REPORT_BORDER_SETS; k++)
		pj.border_sets[k] = (grens_report_access_assumption){
			lo.max_distance_m, lo.walk_speed_mps, no.walk_speed_mps,
			no.default_min_change, no.link_min_change
		};
	pj.border_origin = "Heerlen";
	CHECK_INT(grens_report_new(&withp, "border", 0, &err), 0);
	CHECK_INT(grens_report_fill(withp, &pj, NULL, &err), 0);
	pdoc = report_doc(withp);
	const json_t *border = json_array_get(json_object_get(pdoc, "border"), 0);
	CHECK_INT(json_array_size(json_object_get(pdoc, "border")), 1);
	CHECK_STR(json_string_value(json_object_get(json_object_get(border, "origin"), "name")),
		  "Heerlen");
	json_decref(pdoc);
	grens_report_free(withp);
	pj.border_origin = "Aachen";
	CHECK_INT(grens_report_new(&withp, "border", 0, &err), 0);
	CHECK_INT(grens_report_fill(withp, &pj, NULL, &err), GRENS_ENOTFOUND);
	CHECK_STR(err.message, "--border-origin 'Aachen' is not a place in NL of the places files");
	grens_report_free(withp);
	grens_access_places_free(places);

	/* bad inputs: a stop nothing matches, another version, no date */
	grens_report *bad = NULL;
	CHECK_INT(grens_report_new(&bad, "bad", 0, &err), 0);
	grens_report_job nowhere = job;
	nowhere.to[0] = "Nowhere Centraal";
	CHECK_INT(grens_report_fill(bad, &nowhere, NULL, &err), GRENS_ENOTFOUND);
	CHECK(strstr(err.message, "to 'Nowhere Centraal'") != NULL);
	grens_report_job old = job;
	old.version = 0;
	CHECK_INT(grens_report_fill(bad, &old, NULL, &err), GRENS_EINVAL);
	CHECK(strstr(err.message, "GRENS_REPORT_JOB_INIT") != NULL);
	grens_report_job undated = job;
	undated.date = GRENS_DATE_NONE;
	CHECK_INT(grens_report_fill(bad, &undated, NULL, &err), GRENS_EARG);
	CHECK_INT(grens_report_fill(NULL, &job, NULL, &err), GRENS_EINVAL);
	/* the realised block: no snapshot of the date is the note's text */
	grens_report_job rz = job;
	rz.realised_archive = "arch";
	CHECK_INT(grens_report_fill_realised(bad, &rz, NULL, &err), GRENS_ENOTFOUND);
	CHECK_STR(err.message,
		  "arch holds no snapshot for 2026-03-10: no 'what travellers got' section");
	rz.realised_counts.snapshots_read = 1;
	CHECK_INT(grens_report_fill_realised(bad, &rz, NULL, &err), GRENS_EARG);
	grens_report_free(bad);
out:
	json_decref(doc);
	grens_report_free(rep);
	grens_scenario_free(sc);
	grens_gtfs_free(nl);
	grens_gtfs_free(de);
}

/* ---- the info, link, realised and places documents ------------------------------ */
static char *doc_text(int (*write)(FILE *, const grens_report_info *, grens_error *),
		      const grens_report_info *doc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	grens_error err;
	grens_error_clear(&err);
	CHECK_INT(write(f, doc, &err), 0);
	fclose(f);
	return buf;
}

static char *link_text(int (*write)(FILE *, const grens_timetable *, const grens_net_link_report *,
				    grens_error *),
		       const grens_timetable *tt, const grens_net_link_report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	grens_error err;
	grens_error_clear(&err);
	CHECK_INT(write(f, tt, r, &err), 0);
	fclose(f);
	return buf;
}

static void test_command_docs(void)
{
	grens_gtfs_feed *nl = load_feed("tests/fixtures/link-nl", "nl");
	grens_gtfs_feed *de = load_feed("tests/fixtures/link-de", "de");
	grens_diag *diag = grens_diag_new(), *net_diag = grens_diag_new();
	grens_timetable *tt = NULL;
	grens_net_link_report *lr = NULL;
	grens_access_places *places = NULL;
	char *text = NULL;
	json_t *j = NULL;
	grens_error err;
	grens_error_clear(&err);
	CHECK(nl && de && diag && net_diag);
	if (!nl || !de || !diag || !net_diag)
		goto out;
	const grens_gtfs_feed *feeds[] = {nl, de};
	grens_net_options no = GRENS_NET_OPTIONS_INIT;
	CHECK_INT(grens_net_build_linked(&tt, &lr, feeds, 2, &no, net_diag, &err), 0);
	if (!tt || !lr)
		goto out;

	/* info: an unusable feed is left out, a notice is summarised */
	grens_diag_add(diag, "invalid_time", GRENS_SEVERITY_ERROR, "stop_times.txt", 7,
		       "arrival_time", "25:61:00");
	const grens_gtfs_feed *ifeeds[] = {nl, NULL, de};
	const grens_diag *idiags[] = {diag, NULL, NULL};
	grens_report_info info = {.feeds = ifeeds,
				  .diags = idiags,
				  .feed_count = 3,
				  .tt = tt,
				  .net_diag = net_diag,
				  .max_notices = 5};
	text = doc_text(grens_report_info_write_json, &info);
	j = text ? json_loads(text, 0, NULL) : NULL;
	CHECK(j != NULL);
	json_t *jf = json_object_get(j, "feeds");
	CHECK_INT(json_array_size(jf), 2);
	CHECK_STR(json_string_value(json_object_get(json_array_get(jf, 0), "name")), "nl");
	CHECK_STR(json_string_value(json_object_get(json_array_get(jf, 1), "name")), "de");
	json_t *n0 = json_array_get(json_object_get(json_array_get(jf, 0), "notices"), 0);
	CHECK_STR(json_string_value(json_object_get(n0, "code")), "invalid_time");
	CHECK_STR(json_string_value(json_object_get(n0, "severity")), "error");
	CHECK_INT(json_integer_value(json_object_get(json_object_get(n0, "first"), "line")), 7);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(j, "timetable"), "stops")),
		  tt->stop_count);
	CHECK(json_object_get(json_array_get(jf, 0), "clip") == NULL);
	json_decref(j);
	j = NULL;
	free(text);
	text = doc_text(grens_report_info_write_text, &info);
	CHECK(text && strncmp(text, "feed nl (", 9) == 0);
	CHECK(text && strstr(text, "  notices  1 errors, 0 warnings, 0 info\n"));
	CHECK(text &&
	      strstr(text, "stop_times.txt:7: arrival_time: error: invalid_time: 25:61:00"));
	CHECK(text && strstr(text, "\nfeed de ("));
	free(text);
	text = NULL;
	CHECK_INT(grens_report_info_write_json(NULL, &info, &err), GRENS_EINVAL);

	/* link: the three renderings agree on the matches */
	text = link_text(grens_report_link_write_json, tt, lr);
	j = text ? json_loads(text, 0, NULL) : NULL;
	CHECK(j != NULL);
	CHECK_INT(json_array_size(json_object_get(j, "matches")), lr->match_count);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(j, "counts"), "stops")),
		  tt->stop_count);
	CHECK_INT(json_array_size(json_object_get(j, "feeds")), 2);
	json_decref(j);
	j = NULL;
	free(text);
	text = link_text(grens_report_link_write_csv, tt, lr);
	CHECK(text && strncmp(text, "section,rule,distance_m,feed_a,", 31) == 0);
	CHECK(lr->match_count == 0 || (text && strstr(text, "\nmatch,")));
	free(text);
	text = link_text(grens_report_link_write_text, tt, lr);
	char want[64];
	snprintf(want, sizeof(want), "\nmatched stations: %u\n", lr->match_count);
	CHECK(text && strstr(text, want));
	snprintf(want, sizeof(want), "timetable: %u stops, %u trips\n", tt->stop_count,
		 tt->trip_count);
	CHECK(text && strstr(text, want));
	free(text);
	text = NULL;
	CHECK_INT(grens_report_link_write_csv(stdout, tt, NULL, &err), GRENS_EINVAL);

	/* realised counts: dates, the no-data rule and a moment in UTC */
	grens_rt_realised_counts rc = {0};
	rc.snapshots_read = 3;
	rc.first_snapshot = 86400; /* 1970-01-02T00:00:00Z */
	CHECK_INT(grens_report_realised_counts_json(&text, "arch", true,
						    grens_date_from_ymd(2026, 6, 16),
						    grens_date_from_ymd(2026, 6, 17), &rc, &err),
		  0);
	j = text ? json_loads(text, 0, NULL) : NULL;
	CHECK_STR(json_string_value(json_object_get(j, "first_date")), "2026-06-16");
	CHECK_STR(json_string_value(json_object_get(j, "last_date")), "2026-06-17");
	CHECK_STR(json_string_value(json_object_get(j, "no_data_as")), "scheduled");
	CHECK_STR(json_string_value(json_object_get(j, "first_snapshot")), "1970-01-02T00:00:00Z");
	CHECK(json_is_null(json_object_get(j, "last_snapshot")));
	CHECK_INT(json_integer_value(json_object_get(j, "snapshots_read")), 3);
	json_decref(j);
	j = NULL;
	free(text);
	text = NULL;
	CHECK_INT(grens_report_realised_counts_json(&text, NULL, true, 0, 0, &rc, &err),
		  GRENS_EINVAL);
	CHECK(text == NULL);

	/* places: the link options and the empty unplaced set */
	grens_access_link_options lo = GRENS_ACCESS_LINK_OPTIONS_INIT;
	CHECK_INT(grens_report_places_access_json(&text, &lo, &err), 0);
	j = text ? json_loads(text, 0, NULL) : NULL;
	CHECK(json_is_array(json_object_get(j, "modes")));
	CHECK(json_real_value(json_object_get(j, "feeder_speed_kmh")) == lo.feeder_speed_mps * 3.6);
	json_decref(j);
	j = NULL;
	free(text);
	text = NULL;
	CHECK_INT(grens_access_places_new(&places, &err), 0);
	CHECK_INT(grens_report_places_unplaced_json(&text, places, &err), 0);
	CHECK_STR(text, "{\"municipalities\":0,\"population\":0}");
	char line[256];
	grens_report_places_unplaced_text(line, sizeof(line), places);
	CHECK_STR(line, "0 people in 0 municipalities could not be placed (no coordinates)");
	grens_report_places_ties_text(line, sizeof(line), NULL, &lo);
	CHECK_STR(line, "");
	CHECK_INT(grens_report_places_ties_json(NULL, NULL, &err), GRENS_EINVAL);
out:
	free(text);
	json_decref(j);
	grens_access_places_free(places);
	grens_net_link_report_free(lr);
	grens_net_free(tt);
	grens_diag_free(diag);
	grens_diag_free(net_diag);
	grens_gtfs_free(nl);
	grens_gtfs_free(de);
}

int main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/grens-test-report-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_table();
	test_country();
	test_files();
	test_nightly_config();
	test_nightly_yaml();
	test_report_and_diff();
	test_night();
	test_journey_encoder();
	test_access_doc();
	test_rt_doc();
	test_stops_doc();

	test_route_job();
	test_compare_job();
	test_report_job();
	test_command_docs();
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	return check_exit();
}
