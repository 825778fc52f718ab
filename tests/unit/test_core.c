#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

#include "grens/core.h"

static void test_time(void)
{
	int32_t t = 0;
	CHECK_INT(grens_time_parse("08:00:00", 8, 0, &t), 0);
	CHECK_INT(t, 8 * 3600);
	/* 25:30:00 = 25*3600 + 30*60 = 91800 */
	CHECK_INT(grens_time_parse("25:30:00", 8, 0, &t), 0);
	CHECK_INT(t, 91800);
	/* single-digit hour as GTFS allows: 7:05:09 = 25200 + 300 + 9 */
	CHECK_INT(grens_time_parse("7:05:09", 7, 0, &t), 0);
	CHECK_INT(t, 25509);
	CHECK_INT(grens_time_parse("08:00", 5, 0, &t), GRENS_EFORMAT);
	CHECK_INT(grens_time_parse("08:00", 5, 1, &t), 0);
	CHECK_INT(t, 28800);
	CHECK_INT(grens_time_parse("08:60:00", 8, 0, &t), GRENS_ELIMIT);
	CHECK_INT(grens_time_parse("08:0a:00", 8, 0, &t), GRENS_EFORMAT);
	CHECK_INT(grens_time_parse("", 0, 0, &t), GRENS_EFORMAT);
	CHECK_INT(grens_time_parse("999:00:00", 9, 0, &t), GRENS_ELIMIT);
	char buf[16];
	grens_time_format(91800, buf, sizeof(buf));
	CHECK_STR(buf, "25:30:00");
}

static void test_dates(void)
{
	grens_date d;
	CHECK_INT(grens_date_parse_gtfs("19700101", 8, &d), 0);
	CHECK_INT(d, 0);
	CHECK_INT(grens_date_parse_iso("2026-03-10", 10, &d), 0);
	/* 2026-03-10 is a Tuesday (1 with Monday = 0) */
	CHECK_INT(grens_date_weekday(d), 1);
	char buf[16];
	grens_date_format_iso(d + 1, buf, sizeof(buf));
	CHECK_STR(buf, "2026-03-11");
	/* leap day: 2024-02-29 valid, 2023-02-29 not */
	CHECK_INT(grens_date_parse_gtfs("20240229", 8, &d), 0);
	grens_date_format_iso(d + 1, buf, sizeof(buf));
	CHECK_STR(buf, "2024-03-01");
	CHECK_INT(grens_date_parse_gtfs("20230229", 8, &d), GRENS_EFORMAT);
	CHECK_INT(grens_date_parse_gtfs("2023-01-01", 10, &d), GRENS_EFORMAT);
	CHECK_INT(grens_date_parse_iso("2023-13-01", 10, &d), GRENS_EFORMAT);
	/* 2000-01-01 = 10957 days after 1970-01-01 (30 years, 7 leap days: 30*365+7) */
	CHECK_INT(grens_date_from_ymd(2000, 1, 1), 10957);
}

static void test_numbers(void)
{
	int64_t v;
	CHECK_INT(grens_parse_i64("42", 2, 0, 100, &v), 0);
	CHECK_INT(v, 42);
	CHECK_INT(grens_parse_i64("-1", 2, 0, 100, &v), GRENS_ELIMIT);
	CHECK_INT(grens_parse_i64("4x", 2, 0, 100, &v), GRENS_EFORMAT);
	CHECK_INT(grens_parse_i64("99999999999999999999999", 23, INT64_MIN, INT64_MAX, &v),
		  GRENS_ELIMIT);
	double x;
	CHECK_INT(grens_parse_double("52.37919", 8, &x), 0);
	CHECK_NEAR(x, 52.37919, 1e-9);
	CHECK_INT(grens_parse_double("nan", 3, &x), GRENS_EFORMAT);
	CHECK_INT(grens_parse_double("1.5x", 4, &x), GRENS_EFORMAT);
}

static void test_geo(void)
{
	/* Aachen Hbf (50.7678, 6.091499) to Heerlen (50.890693, 5.975844):
	 * about 16 km as the crow flies. */
	double d = grens_geo_distance_m(50.7678, 6.091499, 50.890693, 5.975844);
	CHECK(d > 15500 && d < 16500);
	/* One degree of latitude is 111.195 km on the mean sphere (pi/180 * 6371008.8). */
	CHECK_NEAR(grens_geo_distance_m(50, 6, 51, 6), 111195.0, 5.0);
}

static void test_text(void)
{
	char buf[64];
	grens_text_fold("Köln Hbf", strlen("Köln Hbf"), buf, sizeof(buf));
	CHECK_STR(buf, "koln hbf");
	grens_text_fold("  's-Hertogenbosch ", strlen("  's-Hertogenbosch "), buf, sizeof(buf));
	CHECK_STR(buf, "s hertogenbosch");
	grens_text_fold("Düsseldorf Straße", strlen("Düsseldorf Straße"), buf, sizeof(buf));
	CHECK_STR(buf, "dusseldorf strasse");
	grens_text_fold("Liège-Guillemins", strlen("Liège-Guillemins"), buf, sizeof(buf));
	CHECK_STR(buf, "liege guillemins");
	size_t need = grens_text_fold("Amsterdam Centraal", 18, buf, 4);
	CHECK_INT(need, 18);
	CHECK_STR(buf, "ams");
	CHECK(grens_utf8_valid("Köln", strlen("Köln")));
	CHECK(!grens_utf8_valid("K\xF6ln", 4)); /* Latin-1 byte, not UTF-8 */
	CHECK(!grens_utf8_valid("\xC0\x80", 2)); /* overlong NUL */
	CHECK(!grens_utf8_valid("\xED\xA0\x80", 3)); /* surrogate */
}

static void test_text_width(void)
{
	/* columns, not bytes: "Köln" is 5 bytes, 4 columns */
	CHECK_INT(grens_text_width("Köln", strlen("Köln")), 4);
	/* "o" + U+0308 COMBINING DIAERESIS: the mark takes no column */
	CHECK_INT(grens_text_width("Ko\xcc\x88ln", 6), 4);
	/* 東京 (two CJK ideographs, 3 bytes each): two columns each */
	CHECK_INT(grens_text_width("\xe6\x9d\xb1\xe4\xba\xac", 6), 4);
	CHECK_INT(grens_text_width("Δmedian", strlen("Δmedian")), 7);
	/* an invalid byte counts as one */
	CHECK_INT(grens_text_width("a\xff" "b", 3), 3);
	/* fitting into 2 columns keeps "Kö" (3 bytes), never half of the ö */
	size_t w = 0;
	CHECK_INT(grens_text_fit("Köln", strlen("Köln"), 2, &w), 3);
	CHECK_INT(w, 2);
	/* the combining mark stays with its base: "Ko" + U+0308 is 4 bytes */
	CHECK_INT(grens_text_fit("Ko\xcc\x88ln", 6, 2, &w), 4);
	/* a wide character that does not fit is left out whole */
	CHECK_INT(grens_text_fit("a\xe6\x9d\xb1", 4, 2, &w), 1);
	CHECK_INT(w, 1);
}

static void test_arena(void)
{
	grens_arena *a = grens_arena_new(64);
	CHECK(a != NULL);
	char *s = grens_arena_strndup(a, "hello", 5);
	CHECK_STR(s, "hello");
	uint64_t *big = grens_arena_calloc(a, 1000, sizeof(uint64_t), 8);
	CHECK(big != NULL);
	CHECK(((uintptr_t)big & 7) == 0);
	CHECK_INT(big[999], 0);
	CHECK(grens_arena_calloc(a, SIZE_MAX / 2, 4, 8) == NULL); /* overflow refused */
	CHECK_STR(s, "hello"); /* earlier allocation survives a big one */
	grens_arena_free(a);
}

static void test_array_reserve(void)
{
	uint32_t *v = NULL;
	size_t cap = 0;
	/* First growth gives 16 elements; 17 doubles to 32. */
	CHECK_INT(grens_array_reserve((void **)&v, &cap, sizeof(*v), 1), 0);
	CHECK_INT(cap, 16);
	v[15] = 7;
	CHECK_INT(grens_array_reserve((void **)&v, &cap, sizeof(*v), 17), 0);
	CHECK_INT(cap, 32);
	CHECK_INT(v[15], 7); /* contents kept */
	CHECK_INT(grens_array_reserve((void **)&v, &cap, sizeof(*v), 20), 0);
	CHECK_INT(cap, 32); /* enough room: unchanged */
	/* A size that overflows size_t is refused and leaves the array as it was. */
	CHECK_INT(grens_array_reserve((void **)&v, &cap, SIZE_MAX / 8, 64), GRENS_ENOMEM);
	CHECK_INT(cap, 32);
	free(v);
}

static void test_diag(void)
{
	grens_diag *d = grens_diag_new();
	grens_diag_add(d, "invalid_time", GRENS_SEVERITY_ERROR, "stop_times.txt", 3,
		       "arrival_time", "bad value '%s'", "8:6");
	grens_diag_add(d, "invalid_time", GRENS_SEVERITY_ERROR, "stop_times.txt", 9,
		       "departure_time", NULL);
	grens_diag_add(d, "unknown_column", GRENS_SEVERITY_INFO, "stops.txt", 1, "foo", NULL);
	CHECK_INT(grens_diag_summary_count(d), 2);
	CHECK_INT(grens_diag_count(d, "invalid_time"), 2);
	CHECK_INT(grens_diag_summary(d, 0)->first.line, 3);
	CHECK_STR(grens_diag_summary(d, 0)->first.field, "arrival_time");
	CHECK_STR(grens_diag_summary(d, 0)->first.message, "bad value '8:6'");
	CHECK_INT(grens_diag_total(d, GRENS_SEVERITY_ERROR), 2);
	CHECK_INT(grens_diag_total(d, GRENS_SEVERITY_INFO), 1);
	grens_diag_free(d);

	/* A notice keeps its whole file name and message, however deep the
	 * checkout: a 300-character path used to come back cut at 63. */
	char path[301], detail[701];
	memset(path, 'd', 300);
	path[300] = '\0';
	memcpy(path + 300 - 14, "nl-places.csv", 14);
	memset(detail, 'x', 700);
	detail[700] = '\0';
	d = grens_diag_new();
	grens_diag_add(d, "number_out_of_range", GRENS_SEVERITY_ERROR, path, 3, "lat", "%s", detail);
	grens_diag_add(d, "number_out_of_range", GRENS_SEVERITY_ERROR, path, 4, "lat", NULL);
	CHECK_STR(grens_diag_summary(d, 0)->first.file, path);
	CHECK_STR(grens_diag_summary(d, 0)->first.message, detail);
	CHECK_INT(grens_diag_kept_count(d), 2);
	CHECK_STR(grens_diag_kept(d, 1)->file, path);
	CHECK_STR(grens_diag_kept(d, 1)->message, "");
	/* Both notices share the one copy of the file name. */
	CHECK(grens_diag_kept(d, 0)->file == grens_diag_kept(d, 1)->file);
	grens_diag_free(d);

	/* An error message holds a path of PATH_MAX with its context. */
	grens_error err;
	char longpath[4000];
	memset(longpath, 'p', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	grens_error_set(&err, GRENS_EIO, "%s: No such file or directory", longpath);
	CHECK_INT(strlen(err.message), strlen(longpath) + strlen(": No such file or directory"));
	grens_error_at(&err, longpath, 1, 0, NULL);
	CHECK_STR(err.file, longpath);
}

/* The TZif reader against the system zoneinfo (package tzdata). */
static void test_tz(void)
{
	grens_error err;
	grens_error_clear(&err);
	grens_tz *ams = NULL;
	if (grens_tz_load(&ams, NULL, "Europe/Amsterdam", &err) != 0) {
		fprintf(stderr, "skip tz checks: %s\n", err.message);
		return;
	}
	/* 2024-03-31 02:00 CET the clocks go to 03:00 CEST: 01:00Z. */
	int64_t switch_utc = (int64_t)grens_date_from_ymd(2024, 3, 31) * 86400 + 3600;
	CHECK_INT(grens_tz_offset(ams, switch_utc - 1), 3600);
	CHECK_INT(grens_tz_offset(ams, switch_utc), 7200);
	/* GTFS 00:00:00 of that day is noon (CEST, 10:00Z) minus 12 h =
	 * 2024-03-30T22:00Z, an hour before local midnight (23:00Z). */
	CHECK_INT(grens_tz_day_start(ams, grens_date_from_ymd(2024, 3, 31)),
		  (int64_t)grens_date_from_ymd(2024, 3, 31) * 86400 - 7200);
	/* 2024-03-30T23:30Z is 00:30 CET on the 31st. */
	CHECK_INT(grens_tz_local_date(ams, switch_utc - 5400), grens_date_from_ymd(2024, 3, 31));
	CHECK_INT(grens_tz_local_date(ams, switch_utc - 5400 - 3600),
		  grens_date_from_ymd(2024, 3, 30));
	/* 2050: past the table, from the footer rule (last Sunday of March is
	 * 2050-03-27): noon offset the day before is CET, that day CEST. */
	CHECK_INT(grens_tz_noon_offset(ams, grens_date_from_ymd(2050, 3, 26)), 3600);
	CHECK_INT(grens_tz_noon_offset(ams, grens_date_from_ymd(2050, 3, 27)), 7200);
	/* NULL is UTC. */
	CHECK_INT(grens_tz_offset(NULL, switch_utc), 0);
	CHECK_INT(grens_tz_day_start(NULL, 10), 864000);
	grens_tz_free(ams);

	grens_tz *tz = NULL;
	CHECK_INT(grens_tz_load(&tz, NULL, "Mars/Olympus_Mons", &err), GRENS_ENOTFOUND);
	CHECK(strstr(err.message, "Mars/Olympus_Mons") != NULL);
	CHECK_INT(grens_tz_load(&tz, NULL, "/etc/passwd", &err), GRENS_ENOTFOUND);
	CHECK_INT(grens_tz_load(&tz, NULL, "Europe/../../etc/passwd", &err), GRENS_ENOTFOUND);
	CHECK(tz == NULL);
	/* A file that is not TZif, in a zoneinfo directory of our own. */
	char dir[] = "/tmp/grens-tz-XXXXXX";
	if (!mkdtemp(dir))
		return;
	char path[64];
	snprintf(path, sizeof(path), "%s/Fake", dir);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs("TZif2 but not really a zone file, far too short", f);
		fclose(f);
	}
	CHECK_INT(grens_tz_load(&tz, dir, "Fake", &err), GRENS_EFORMAT);
	CHECK(strstr(err.message, "not a valid TZif file") != NULL);
	CHECK(tz == NULL);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	test_time();
	test_dates();
	test_numbers();
	test_geo();
	test_text();
	test_text_width();
	test_arena();
	test_array_reserve();
	test_diag();
	test_tz();
	return check_exit();
}
