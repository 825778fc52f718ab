/* Station search (grens_net_search_stops, grens_net_nearest_stops) on
 * tests/fixtures/stops-search (read its stops.txt alongside): stations with
 * platforms, names with umlauts and ß, two stations of the same name at one
 * place, a station without coordinates of its own. All stops lie on the
 * meridian 6.0 E, so a distance is the latitude difference times
 * 6371008.8 m * pi / 180 = 111195.0802 m per degree. */
#include "check.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "grens/gtfs.h"
#include "grens/net.h"

static grens_timetable *load(void)
{
	char path[4096];
	check_source_path(path, sizeof(path), "tests/fixtures/stops-search");
	grens_gtfs_options opts = GRENS_GTFS_OPTIONS_INIT;
	opts.name = "t";
	grens_gtfs_feed *feed = NULL;
	grens_timetable *tt = NULL;
	grens_error err;
	grens_error_clear(&err);
	if (grens_gtfs_load(&feed, path, &opts, NULL, &err) != 0) {
		fprintf(stderr, "loading %s: %s\n", path, err.message);
		return NULL;
	}
	const grens_gtfs_feed *feeds[] = {feed};
	if (grens_net_build(&tt, feeds, 1, NULL, NULL, &err) != 0)
		fprintf(stderr, "building: %s\n", err.message);
	grens_gtfs_free(feed);
	return tt;
}

static uint32_t S(const grens_timetable *tt, const char *id)
{
	uint32_t s = grens_net_stop_by_id(tt, "t", id);
	CHECK(s != GRENS_NONE);
	return s;
}

/* The stop_ids of hits[0..n), space-separated, into buf. */
static const char *ids(const grens_timetable *tt, const grens_net_stop_hit *hits, uint32_t n,
		       char *buf, size_t bufsz)
{
	size_t used = 0;
	buf[0] = '\0';
	for (uint32_t i = 0; i < n && used < bufsz; i++)
		used += (size_t)snprintf(buf + used, bufsz - used, "%s%s", i ? " " : "",
					 grens_net_str(tt, tt->stop_id[hits[i].stop]));
	return buf;
}

/* The stop_ids a name search finds, or "ERROR <code>". */
static const char *search(const grens_timetable *tt, const char *text, uint32_t cap, char *buf,
			  size_t bufsz)
{
	grens_net_stop_hit hits[32];
	uint32_t n = 99;
	grens_error err;
	grens_error_clear(&err);
	int rc = grens_net_search_stops(tt, text, hits, cap, &n, &err);
	if (rc) {
		snprintf(buf, bufsz, "ERROR %d", rc);
		CHECK(err.message[0] != '\0');
		CHECK_INT(n, 0);
		return buf;
	}
	for (uint32_t i = 0; i < n; i++)
		CHECK(isnan(hits[i].distance_m));
	return ids(tt, hits, n, buf, bufsz);
}

static void test_by_name(grens_timetable *tt)
{
	char buf[512];
	/* Ranked: equal to the text, starting with it, the other matches; in a
	 * rank the shorter name first, then byte order, then stop index.
	 * "koln hbf" and "koln sud" (8 bytes) before "koln messe deutz"; the
	 * airport matches word by word only. The platforms ("Köln Hbf Gleis
	 * 1", "Köln Hbf") are never listed. */
	CHECK_STR(search(tt, "koln", 32, buf, sizeof(buf)), "kln ksd kmd cgn");
	CHECK_STR(search(tt, "Köln", 32, buf, sizeof(buf)), "kln ksd kmd cgn");
	CHECK_STR(search(tt, "KOELN", 32, buf, sizeof(buf)), "kln ksd kmd cgn");
	/* the first cap of that ranking, whatever cap is */
	CHECK_STR(search(tt, "koln", 2, buf, sizeof(buf)), "kln ksd");
	CHECK_STR(search(tt, "koln", 3, buf, sizeof(buf)), "kln ksd kmd");
	CHECK_STR(search(tt, "koln", 1, buf, sizeof(buf)), "kln");
	CHECK_STR(search(tt, "koln", 0, buf, sizeof(buf)), "");
	/* station words in one spelling: Hauptbahnhof is Hbf */
	CHECK_STR(search(tt, "Köln Hauptbahnhof", 32, buf, sizeof(buf)), "kln");
	CHECK_STR(search(tt, "koeln hbf", 32, buf, sizeof(buf)), "kln");
	CHECK_STR(search(tt, "  köln,  HBF ", 32, buf, sizeof(buf)), "kln");
	/* every word the start of some word, in any order */
	CHECK_STR(search(tt, "ko hb", 32, buf, sizeof(buf)), "kln");
	CHECK_STR(search(tt, "hbf koln", 32, buf, sizeof(buf)), "kln");
	CHECK_STR(search(tt, "bonn", 32, buf, sizeof(buf)), "cgn");
	CHECK_STR(search(tt, "messe deu", 32, buf, sizeof(buf)), "kmd");
	/* "hbf" starts neither name: "koln hbf" (8) before "aachen hbf" (10) */
	CHECK_STR(search(tt, "hbf", 32, buf, sizeof(buf)), "kln ach");
	/* not the start of a word, or a word the name lacks */
	CHECK_STR(search(tt, "aken", 32, buf, sizeof(buf)), "");
	CHECK_STR(search(tt, "oln", 32, buf, sizeof(buf)), "");
	CHECK_STR(search(tt, "kolnhbf", 32, buf, sizeof(buf)), "");
	CHECK_STR(search(tt, "koln hbf x", 32, buf, sizeof(buf)), "");
	/* only a platform is called so: its station is not named so either */
	CHECK_STR(search(tt, "gleis", 32, buf, sizeof(buf)), "");
	/* equal (Düren), starting with it (Dürener Straße), word by word */
	CHECK_STR(search(tt, "duren", 32, buf, sizeof(buf)), "dn dst mbd");
	CHECK_STR(search(tt, "Dueren", 32, buf, sizeof(buf)), "dn dst mbd");
	CHECK_STR(search(tt, "durener str", 32, buf, sizeof(buf)), "dst");
	/* ß is ss; one name twice: by stop index (bs2 comes first in the file) */
	CHECK_STR(search(tt, "Bahnhofstraße", 32, buf, sizeof(buf)), "bs2 bs1");
	CHECK_STR(search(tt, "bahnhofstrasse", 1, buf, sizeof(buf)), "bs2");
	/* a station without coordinates of its own is found by name */
	CHECK_STR(search(tt, "aachen", 32, buf, sizeof(buf)), "ach");

	/* Bad text. */
	char e[16];
	snprintf(e, sizeof(e), "ERROR %d", GRENS_EARG);
	CHECK_STR(search(tt, "", 32, buf, sizeof(buf)), e);
	CHECK_STR(search(tt, " \t ", 32, buf, sizeof(buf)), e);
	CHECK_STR(search(tt, "--/", 32, buf, sizeof(buf)), e);
	CHECK_STR(search(tt, "k\xf6ln", 32, buf, sizeof(buf)), e); /* Latin-1, not UTF-8 */
	char text[GRENS_LIMIT_SEARCH_BYTES + 2];
	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	CHECK_STR(search(tt, text, 32, buf, sizeof(buf)), e); /* 201 bytes */
	text[GRENS_LIMIT_SEARCH_BYTES] = '\0';
	CHECK_STR(search(tt, text, 32, buf, sizeof(buf)), ""); /* 200: searched */

	grens_net_stop_hit hits[4];
	uint32_t n = 99;
	grens_error err;
	grens_error_clear(&err);
	CHECK_INT(grens_net_search_stops(tt, "", hits, 4, &n, &err), GRENS_EARG);
	CHECK(strstr(err.message, "empty") != NULL);
	CHECK_INT(n, 0);
	CHECK_INT(grens_net_search_stops(tt, text, NULL, 1, &n, &err), GRENS_EINVAL);
	CHECK_INT(grens_net_search_stops(tt, "koln", NULL, 0, &n, &err), 0);
	CHECK_INT(n, 0);

	/* A cut has no name index of its own: its base is searched. */
	uint8_t keep[64];
	memset(keep, 1, sizeof(keep));
	grens_timetable *cut = NULL;
	CHECK(tt->stop_count <= sizeof(keep));
	CHECK_INT(grens_net_cut(&cut, tt, keep, &err), 0);
	if (cut) {
		grens_error_clear(&err);
		CHECK_INT(grens_net_search_stops(cut, "koln", hits, 4, &n, &err), GRENS_EARG);
		CHECK(strstr(err.message, "name index") != NULL);
		/* the nearest need no index */
		CHECK_INT(grens_net_nearest_stops(cut, 50.0003, 6.0, 1000, hits, 4, &n, &err), 0);
		CHECK_INT(n, 2);
		grens_net_free(cut);
	}
}

static void test_nearest(grens_timetable *tt)
{
	grens_net_stop_hit hits[32];
	uint32_t n = 99;
	char buf[512];
	grens_error err;
	grens_error_clear(&err);
	/* From 50.0003 N: Köln Hbf by its platform kln:2 at 50.0002, 0.0001
	 * deg = 11.1195 m (the station itself 33.36 m, kln:1 22.24 m); Köln
	 * Süd 50.0050: 0.0047 deg = 522.6169 m; Messe/Deutz 50.0100: 0.0097
	 * deg = 1078.5923 m, outside 1000 m. */
	CHECK_INT(grens_net_nearest_stops(tt, 50.0003, 6.0, 1000, hits, 32, &n, &err), 0);
	CHECK_STR(ids(tt, hits, n, buf, sizeof(buf)), "kln ksd");
	if (n == 2) {
		CHECK_NEAR(hits[0].distance_m, 11.1195, 1.0);
		CHECK_NEAR(hits[1].distance_m, 522.6169, 1.0);
	}
	CHECK_INT(grens_net_nearest_stops(tt, 50.0003, 6.0, 1100, hits, 32, &n, &err), 0);
	CHECK_STR(ids(tt, hits, n, buf, sizeof(buf)), "kln ksd kmd");
	if (n == 3)
		CHECK_NEAR(hits[2].distance_m, 1078.5923, 1.0);
	/* Every station within 100 km, none of the platforms: the airport
	 * 50.05 (0.0497 deg = 5526.3955 m), Düren 50.2 (0.1997 deg =
	 * 22205.6575 m), Dürener Straße 50.201 (22316.8526 m), Merzenich
	 * 50.21 (23317.6083 m), Aachen Hbf by its platform ach:1 at 50.5 (the
	 * station has no coordinates; 0.4997 deg = 55564.1816 m), the two
	 * Bahnhofstraße at 50.6 (0.5997 deg = 66683.6896 m), equal: by stop
	 * index. */
	CHECK_INT(grens_net_nearest_stops(tt, 50.0003, 6.0, GRENS_LIMIT_SEARCH_RADIUS_M, hits, 32,
					  &n, &err),
		  0);
	CHECK_STR(ids(tt, hits, n, buf, sizeof(buf)), "kln ksd kmd cgn dn dst mbd ach bs2 bs1");
	const double want[] = {11.1195,	   522.6169,   1078.5923,  5526.3955,  22205.6575,
			       22316.8526, 23317.6083, 55564.1816, 66683.6896, 66683.6896};
	for (uint32_t i = 0; i < n && i < 10; i++)
		CHECK_NEAR(hits[i].distance_m, want[i], 1.0);
	if (n == 10)
		CHECK(hits[8].distance_m == hits[9].distance_m && hits[8].stop < hits[9].stop);
	CHECK(hits[7].stop == S(tt, "ach"));
	/* the nearest cap of them, whatever cap is */
	CHECK_INT(grens_net_nearest_stops(tt, 50.0003, 6.0, 100000, hits, 3, &n, &err), 0);
	CHECK_STR(ids(tt, hits, n, buf, sizeof(buf)), "kln ksd kmd");
	CHECK_INT(grens_net_nearest_stops(tt, 50.6, 6.0, 10, hits, 32, &n, &err), 0);
	CHECK_STR(ids(tt, hits, n, buf, sizeof(buf)), "bs2 bs1");
	if (n == 2)
		CHECK(hits[0].distance_m == 0.0 && hits[1].distance_m == 0.0);
	/* nothing in reach: no error */
	CHECK_INT(grens_net_nearest_stops(tt, 52.0, 6.0, 1000, hits, 32, &n, &err), 0);
	CHECK_INT(n, 0);
	CHECK_INT(grens_net_nearest_stops(tt, 90.0, 180.0, 1000, hits, 32, &n, &err), 0);
	CHECK_INT(grens_net_nearest_stops(tt, -90.0, -180.0, 1000, hits, 32, &n, &err), 0);
	CHECK_INT(grens_net_nearest_stops(tt, 50.0, 6.0, 1000, NULL, 0, &n, &err), 0);
	CHECK_INT(n, 0);

	/* Not a point, or no radius. */
	const double bad[][3] = {
	    {NAN, 6.0, 1000},	 {50.0, NAN, 1000},	{90.5, 6.0, 1000},     {-91, 6.0, 1000},
	    {50.0, 180.5, 1000}, {50.0, -181, 1000},	{50.0, 6.0, 0},	       {50.0, 6.0, -5},
	    {50.0, 6.0, NAN},	 {50.0, 6.0, 100000.5}, {50.0, 6.0, INFINITY},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = 99;
		grens_error_clear(&err);
		CHECK_INT(grens_net_nearest_stops(tt, bad[i][0], bad[i][1], bad[i][2], hits, 32, &n,
						  &err),
			  GRENS_EARG);
		CHECK(err.message[0] != '\0');
		CHECK_INT(n, 0);
	}
	CHECK_INT(grens_net_nearest_stops(tt, 50.0, 6.0, 1000, NULL, 1, &n, &err), GRENS_EINVAL);
}

int main(void)
{
	grens_timetable *tt = load();
	CHECK(tt != NULL);
	if (tt) {
		test_by_name(tt);
		test_nearest(tt);
	}
	grens_net_free(tt);
	return check_exit();
}
