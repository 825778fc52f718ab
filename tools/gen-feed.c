/* gen-feed: write a seeded synthetic GTFS feed (a directory of .txt files)
 * for tests and benchmarks.
 *
 *   gen-feed --preset small|grid-m|nl-nrw|germany --out DIR [--seed N]
 *            [--start YYYYMMDD] [--days N]
 *
 * Presets:
 *   small   6 x 6 grid, lines along rows and columns every 20 minutes from
 *           05:00 to past 25:00, blocks turning trips at the ends, weekday and
 *           weekend calendars with calendar_dates exceptions, transfers.txt
 *           with same-stop and walking transfers.
 *   grid-m  100 x 100 grid (10,000 stops), a line along every row and column
 *           in both directions every 3 minutes from 05:00 to 24:00 (about
 *           150,000 trips and 15 M stop_times), run times jittered per trip
 *           and stop without overtaking, transfers.txt 120 s at every stop.
 *   nl-nrw  national scale: 200 towns of 300 stops (60,000 stops) with 30
 *           local bus lines each, and 40 rail lines with long stop spacing
 *           linking the towns' stations; service only in calendar_dates.txt
 *           (weekday and weekend services), about 20 M stop_times.
 * The same seed gives the same feed. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GRENS_NONE_LOCAL UINT32_MAX

static uint64_t rng;
static uint64_t next_random(void)
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}
static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(next_random() % n) : 0;
}

struct out {
	FILE *f;
	char path[4096];
};

static int open_table(struct out *o, const char *dir, const char *name, const char *header)
{
	snprintf(o->path, sizeof(o->path), "%s/%s", dir, name);
	o->f = fopen(o->path, "w");
	if (!o->f) {
		fprintf(stderr, "gen-feed: cannot write %s: %s\n", o->path, strerror(errno));
		return -1;
	}
	setvbuf(o->f, NULL, _IOFBF, 1 << 20);
	fprintf(o->f, "%s\n", header);
	return 0;
}

static int close_table(struct out *o)
{
	if (!o->f)
		return 0;
	int bad = ferror(o->f) | fclose(o->f);
	o->f = NULL;
	if (bad) {
		fprintf(stderr, "gen-feed: write error on %s\n", o->path);
		return -1;
	}
	return 0;
}

/* HH:MM:SS into buf (hours may pass 24). */
static void put_time(char *buf, int32_t t)
{
	int h = t / 3600, m = t / 60 % 60, s = t % 60;
	buf[0] = (char)('0' + h / 10 % 10);
	buf[1] = (char)('0' + h % 10);
	buf[2] = ':';
	buf[3] = (char)('0' + m / 10);
	buf[4] = (char)('0' + m % 10);
	buf[5] = ':';
	buf[6] = (char)('0' + s / 10);
	buf[7] = (char)('0' + s % 10);
	buf[8] = 0;
}

/* days since 1970-01-01 <-> y/m/d (proleptic Gregorian) */
static int32_t days_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int32_t era = (y >= 0 ? y : y - 399) / 400;
	int32_t yoe = y - era * 400;
	int32_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}
static void ymd_from_days(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int32_t era = (z >= 0 ? z : z - 146096) / 146097;
	int32_t doe = z - era * 146097;
	int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int32_t mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}
static void put_date(char *buf, size_t n, int32_t day)
{
	int y, m, d;
	ymd_from_days(day, &y, &m, &d);
	snprintf(buf, n, "%04d%02d%02d", y % 10000, m % 100, d % 100);
}

struct counts {
	uint64_t stops, routes, trips, stop_times, transfers;
};

struct feed {
	const char *dir;
	struct out agency, stops, routes, trips, stop_times, calendar, calendar_dates, transfers;
	struct counts n;
	int32_t start; /* first service day */
	uint32_t days;
};

static int open_feed(struct feed *f, bool with_calendar)
{
	if (mkdir(f->dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "gen-feed: cannot create %s: %s\n", f->dir, strerror(errno));
		return -1;
	}
	if (open_table(&f->agency, f->dir, "agency.txt",
		       "agency_id,agency_name,agency_url,agency_timezone") ||
	    open_table(&f->stops, f->dir, "stops.txt",
		       "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station") ||
	    open_table(&f->routes, f->dir, "routes.txt",
		       "route_id,agency_id,route_short_name,route_long_name,route_type") ||
	    open_table(&f->trips, f->dir, "trips.txt",
		       "route_id,service_id,trip_id,trip_headsign,direction_id,block_id") ||
	    open_table(&f->stop_times, f->dir, "stop_times.txt",
		       "trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,"
		       "drop_off_type") ||
	    open_table(&f->calendar_dates, f->dir, "calendar_dates.txt",
		       "service_id,date,exception_type") ||
	    open_table(&f->transfers, f->dir, "transfers.txt",
		       "from_stop_id,to_stop_id,transfer_type,min_transfer_time"))
		return -1;
	if (with_calendar && open_table(&f->calendar, f->dir, "calendar.txt",
					"service_id,monday,tuesday,wednesday,thursday,friday,"
					"saturday,sunday,start_date,end_date"))
		return -1;
	fprintf(f->agency.f, "A,Synthetic Transit,https://example.org,Europe/Amsterdam\n");
	return 0;
}

static int close_feed(struct feed *f)
{
	int rc = 0;
	struct out *all[] = { &f->agency, &f->stops, &f->routes, &f->trips, &f->stop_times,
			      &f->calendar, &f->calendar_dates, &f->transfers };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		rc |= close_table(all[i]);
	return rc;
}

/* One trip over stops[0..n) leaving at t0; hop[i] is the run time from stop i
 * to i+1, dwell added at intermediate stops. */
static void write_trip(struct feed *f, const char *trip_id, const char *route_id,
		       const char *service, const char *headsign, int direction, const char *block,
		       char (*stop_ids)[24], uint32_t n, int32_t t0, const int32_t *hop,
		       const int32_t *dwell)
{
	fprintf(f->trips.f, "%s,%s,%s,%s,%d,%s\n", route_id, service, trip_id, headsign, direction,
		block ? block : "");
	int32_t t = t0;
	char a[16], d[16];
	for (uint32_t i = 0; i < n; i++) {
		put_time(a, t);
		if (i > 0 && i + 1 < n && dwell)
			t += dwell[i];
		put_time(d, t);
		fprintf(f->stop_times.f, "%s,%s,%s,%s,%u,0,0\n", trip_id, a, d, stop_ids[i], i + 1);
		if (i + 1 < n)
			t += hop[i];
	}
	f->n.trips++;
	f->n.stop_times += n;
}

/* ---- grid presets ----------------------------------------------------------- */

struct grid {
	uint32_t rows, cols;
	int32_t headway, first, last; /* departures from the first stop */
	int32_t hop, jitter;          /* base run time per hop, per-stop jitter in [0, jitter] */
	int32_t dwell;
	bool blocks, walks, weekend;
};

static int write_grid(struct feed *f, const struct grid *g)
{
	char date[32], end[32];
	put_date(date, sizeof(date), f->start);
	put_date(end, sizeof(end), f->start + (int32_t)f->days - 1);
	fprintf(f->calendar.f, "wk,1,1,1,1,1,%d,%d,%s,%s\n", g->weekend ? 0 : 1, g->weekend ? 0 : 1,
		date, end);
	if (g->weekend) {
		fprintf(f->calendar.f, "we,0,0,0,0,0,1,1,%s,%s\n", date, end);
		/* exceptions: the third day has no weekday service, the sixth day
		 * (a Saturday when starting on a Monday) runs the weekday service */
		char x[32];
		put_date(x, sizeof(x), f->start + 2);
		fprintf(f->calendar_dates.f, "wk,%s,2\n", x);
		put_date(x, sizeof(x), f->start + 5);
		fprintf(f->calendar_dates.f, "wk,%s,1\n", x);
		fprintf(f->calendar_dates.f, "we,%s,2\n", x);
	}
	for (uint32_t r = 0; r < g->rows; r++)
		for (uint32_t c = 0; c < g->cols; c++) {
			fprintf(f->stops.f, "g%u-%u,Grid %u/%u,%.6f,%.6f,0,\n", r, c, r, c,
				52.0 + r * 0.005, 5.0 + c * 0.008);
			fprintf(f->transfers.f, "g%u-%u,g%u-%u,2,120\n", r, c, r, c);
			f->n.stops++;
			f->n.transfers++;
			if (g->walks && r + 1 < g->rows && c + 1 < g->cols) {
				fprintf(f->transfers.f, "g%u-%u,g%u-%u,2,420\n", r, c, r + 1, c + 1);
				fprintf(f->transfers.f, "g%u-%u,g%u-%u,2,420\n", r + 1, c + 1, r, c);
				f->n.transfers += 2;
			}
		}
	uint32_t maxn = g->rows > g->cols ? g->rows : g->cols;
	char(*ids)[24] = calloc(maxn, sizeof(*ids));
	int32_t *hop = calloc(maxn, sizeof(int32_t));
	int32_t *dwell = calloc(maxn, sizeof(int32_t));
	if (!ids || !hop || !dwell) {
		free(ids);
		free(hop);
		free(dwell);
		return -1;
	}
	/* lines: rows then columns; each in both directions */
	for (uint32_t axis = 0; axis < 2; axis++) {
		uint32_t lines = axis == 0 ? g->rows : g->cols;
		uint32_t n = axis == 0 ? g->cols : g->rows;
		for (uint32_t l = 0; l < lines; l++) {
			char route[32];
			snprintf(route, sizeof(route), "%c%u", axis == 0 ? 'R' : 'C', l);
			fprintf(f->routes.f, "%s,A,%s,%s line %u,3\n", route, route,
				axis == 0 ? "Row" : "Column", l);
			f->n.routes++;
			uint32_t k = 0;
			for (int32_t t0 = g->first; t0 <= g->last; t0 += g->headway, k++) {
				for (int dir = 0; dir < 2; dir++) {
					/* time at stop i: i * (hop + dwell) plus an offset in
					 * [0, jitter]; jitter < headway, so trips never overtake */
					int32_t prev = 0;
					for (uint32_t i = 0; i < n; i++) {
						uint32_t pos = dir == 0 ? i : n - 1 - i;
						uint32_t r = axis == 0 ? l : pos, c = axis == 0 ? pos : l;
						snprintf(ids[i], sizeof(ids[i]), "g%u-%u", r, c);
						int32_t off = i == 0 ? 0 : (int32_t)below((uint32_t)g->jitter + 1);
						if (i > 0)
							hop[i - 1] = g->hop + off - prev;
						prev = off;
						dwell[i] = g->dwell;
					}
					char trip[48], block[48], head[32];
					snprintf(trip, sizeof(trip), "%s-%d-%u", route, dir, k);
					snprintf(block, sizeof(block), "%s-b%u", route, k);
					snprintf(head, sizeof(head), "%s", ids[n - 1]);
					const char *svc = g->weekend && (k % 2) ? "we" : "wk";
					int32_t start = t0;
					/* with blocks, direction 1 leaves when direction 0 turns */
					if (g->blocks && dir == 1) {
						start = t0 + (int32_t)(n - 1) * g->hop + g->jitter +
							(int32_t)(n - 2) * g->dwell + 300;
						svc = g->weekend && (k % 2) ? "we" : "wk";
					}
					write_trip(f, trip, route, svc, head, dir, g->blocks ? block : NULL,
						   ids, n, start, hop, dwell);
				}
			}
		}
	}
	free(ids);
	free(hop);
	free(dwell);
	return 0;
}

/* ---- national preset ------------------------------------------------------------- */

/* The layout of a national preset: towns on a jittered grid from (lat0,
 * lon0), 0.22 degrees apart, each with TOWN_STOPS stops and TOWN_LINES bus
 * lines, and rail lines walking over neighbouring towns. */
struct national {
	uint32_t towns_x, towns_y, rail_lines;
	double lat0, lon0;
};
#define TOWN_STOPS 300
#define TOWN_LINES 30
#define LINE_STOPS 20

static int write_national(struct feed *f, const struct national *nat)
{
	const int TOWNS_X = (int)nat->towns_x, TOWNS_Y = (int)nat->towns_y;
	const uint32_t RAIL_LINES = nat->rail_lines;
	/* services only in calendar_dates: weekday and weekend */
	for (uint32_t d = 0; d < f->days; d++) {
		char date[32];
		put_date(date, sizeof(date), f->start + (int32_t)d);
		int weekday = (int)(((f->start + (int32_t)d) % 7 + 10) % 7); /* 0 = Monday */
		fprintf(f->calendar_dates.f, "%s,%s,1\n", weekday < 5 ? "wd" : "we", date);
	}
	uint32_t towns = TOWNS_X * TOWNS_Y;
	double *lat = calloc((size_t)towns * TOWN_STOPS, sizeof(double));
	double *lon = calloc((size_t)towns * TOWN_STOPS, sizeof(double));
	char(*ids)[24] = calloc(64, sizeof(*ids));
	int32_t hop[64], dwell[64];
	if (!lat || !lon || !ids) {
		free(lat);
		free(lon);
		free(ids);
		return -1;
	}
	/* towns on a jittered grid (nl-nrw: 20 x 10 over ~ 300 km x 250 km) */
	for (uint32_t t = 0; t < towns; t++) {
		double clat = nat->lat0 + (t / TOWNS_X) * 0.22 + below(1000) * 0.00008;
		double clon = nat->lon0 + (t % TOWNS_X) * 0.22 + below(1000) * 0.00012;
		for (uint32_t s = 0; s < TOWN_STOPS; s++) {
			double rr = s == 0 ? 0 : sqrt((double)below(1000) / 1000.0) * 0.04;
			double a = below(3600) * (3.14159265358979 / 1800.0);
			uint32_t i = t * TOWN_STOPS + s;
			lat[i] = clat + rr * sin(a);
			lon[i] = clon + rr * cos(a) * 1.6;
			if (s == 0)
				fprintf(f->stops.f, "t%u-0,Town %u Station,%.6f,%.6f,0,\n", t, t, lat[i],
					lon[i]);
			else
				fprintf(f->stops.f, "t%u-%u,Town %u Stop %u,%.6f,%.6f,0,\n", t, s, t, s,
					lat[i], lon[i]);
			f->n.stops++;
		}
	}
	/* local buses: from a random stop, repeatedly to the nearest unvisited of
	 * a few random candidates */
	uint8_t used[TOWN_STOPS];
	for (uint32_t t = 0; t < towns; t++) {
		for (uint32_t l = 0; l < TOWN_LINES; l++) {
			char route[32];
			snprintf(route, sizeof(route), "b%u-%u", t, l);
			fprintf(f->routes.f, "%s,A,%u,Town %u bus %u,3\n", route, l + 1, t, l + 1);
			f->n.routes++;
			memset(used, 0, sizeof(used));
			uint32_t seq[LINE_STOPS];
			seq[0] = l == 0 ? 0 : below(TOWN_STOPS);
			used[seq[0]] = 1;
			for (uint32_t i = 1; i < LINE_STOPS; i++) {
				uint32_t best = GRENS_NONE_LOCAL;
				double bd = 1e9;
				for (uint32_t c = 0; c < 12; c++) {
					uint32_t x = below(TOWN_STOPS);
					if (used[x])
						continue;
					uint32_t a = t * TOWN_STOPS + seq[i - 1], b = t * TOWN_STOPS + x;
					double dd = (lat[a] - lat[b]) * (lat[a] - lat[b]) +
						    (lon[a] - lon[b]) * (lon[a] - lon[b]) * 0.4;
					if (dd < bd) {
						bd = dd;
						best = x;
					}
				}
				if (best == GRENS_NONE_LOCAL)
					for (best = 0; used[best]; best++)
						;
				seq[i] = best;
				used[best] = 1;
			}
			uint32_t k = 0;
			for (int pass = 0; pass < 2; pass++) {
				/* weekdays every 15 min 06:00-21:00, weekends every 30 min
				 * 08:00-20:00 */
				int32_t first = pass == 0 ? 6 * 3600 : 8 * 3600;
				int32_t last = pass == 0 ? 21 * 3600 : 20 * 3600;
				int32_t headway = pass == 0 ? 900 : 1800;
				int32_t offset = (int32_t)below(headway / 60) * 60;
				for (int32_t t0 = first + offset; t0 <= last; t0 += headway, k++)
					for (int dir = 0; dir < 2; dir++) {
						for (uint32_t i = 0; i < LINE_STOPS; i++) {
							uint32_t s = seq[dir == 0 ? i : LINE_STOPS - 1 - i];
							snprintf(ids[i], sizeof(ids[i]), "t%u-%u", t, s);
							hop[i] = 60 + (int32_t)below(61);
							dwell[i] = 0;
						}
						char trip[48];
						snprintf(trip, sizeof(trip), "%s-%d-%u", route, dir, k);
						write_trip(f, trip, route, pass == 0 ? "wd" : "we",
							   ids[LINE_STOPS - 1], dir, NULL, ids, LINE_STOPS,
							   t0, hop, dwell);
					}
			}
		}
	}
	/* rail: a walk over neighbouring towns' stations, 8-14 min a hop */
	for (uint32_t l = 0; l < RAIL_LINES; l++) {
		char route[32];
		snprintf(route, sizeof(route), "rail%u", l);
		fprintf(f->routes.f, "%s,A,IC %u,Intercity %u,2\n", route, l + 1, l + 1);
		f->n.routes++;
		uint32_t n = 15 + below(16);
		uint32_t seq[32];
		uint32_t x = below(TOWNS_X), y = below(TOWNS_Y);
		int dx = below(2) ? 1 : -1, dy = below(2) ? 1 : -1;
		for (uint32_t i = 0; i < n; i++) {
			seq[i] = y * TOWNS_X + x;
			/* mostly straight, sometimes diagonal; bounce off the edges */
			if (below(3) == 0) {
				if ((int)y + dy < 0 || (int)y + dy >= TOWNS_Y)
					dy = -dy;
				y = (uint32_t)((int)y + dy);
			} else {
				if ((int)x + dx < 0 || (int)x + dx >= TOWNS_X)
					dx = -dx;
				x = (uint32_t)((int)x + dx);
			}
		}
		/* drop consecutive repeats (cannot happen) and revisits */
		uint32_t m = 0;
		for (uint32_t i = 0; i < n; i++) {
			bool seen = false;
			for (uint32_t j = 0; j < m; j++)
				seen |= seq[j] == seq[i];
			if (!seen)
				seq[m++] = seq[i];
		}
		int32_t runs[32];
		for (uint32_t i = 0; i < m; i++)
			runs[i] = 480 + (int32_t)below(7) * 60;
		uint32_t k = 0;
		for (int pass = 0; pass < 2; pass++)
			for (int32_t t0 = 6 * 3600 + (int32_t)below(30) * 60; t0 <= 23 * 3600;
			     t0 += pass == 0 ? 1800 : 3600, k++)
				for (int dir = 0; dir < 2; dir++) {
					for (uint32_t i = 0; i < m; i++) {
						uint32_t town = seq[dir == 0 ? i : m - 1 - i];
						snprintf(ids[i], sizeof(ids[i]), "t%u-0", town);
						hop[i] = runs[dir == 0 ? i : (m >= 2 + i ? m - 2 - i : 0)];
						dwell[i] = 60;
					}
					char trip[48];
					snprintf(trip, sizeof(trip), "%s-%d-%u", route, dir, k);
					write_trip(f, trip, route, pass == 0 ? "wd" : "we", ids[m - 1], dir,
						   NULL, ids, m, t0, hop, dwell);
				}
	}
	free(lat);
	free(lon);
	free(ids);
	return 0;
}

static void usage(FILE *o)
{
	fprintf(o, "usage: gen-feed --preset small|grid-m|nl-nrw|germany --out DIR [--seed N]\n"
		   "                [--start YYYYMMDD] [--days N]\n");
}

static int parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int main(int argc, char **argv)
{
	const char *preset = NULL, *dir = NULL;
	uint32_t seed = 1, days = 28, start = 20260302; /* a Monday */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (!v) {
			usage(stderr);
			return 2;
		}
		if (strcmp(a, "--preset") == 0)
			preset = v;
		else if (strcmp(a, "--out") == 0)
			dir = v;
		else if (strcmp(a, "--seed") == 0 && parse_u32(v, UINT32_MAX, &seed) == 0)
			;
		else if (strcmp(a, "--days") == 0 && parse_u32(v, 366, &days) == 0 && days > 0)
			;
		else if (strcmp(a, "--start") == 0 && parse_u32(v, 29991231, &start) == 0 &&
			 start >= 19700101)
			;
		else {
			fprintf(stderr, "gen-feed: bad argument %s %s\n", a, v);
			return 2;
		}
		i++;
	}
	if (!preset || !dir) {
		usage(stderr);
		return 2;
	}
	rng = seed;
	struct feed f;
	memset(&f, 0, sizeof(f));
	f.dir = dir;
	f.days = days;
	f.start = days_from_ymd((int)(start / 10000), (int)(start / 100 % 100), (int)(start % 100));
	int rc;
	if (strcmp(preset, "small") == 0) {
		struct grid g = { 6, 6, 1200, 5 * 3600, 25 * 3600, 120, 60, 30, true, true, true };
		rc = open_feed(&f, true) || write_grid(&f, &g);
	} else if (strcmp(preset, "grid-m") == 0) {
		struct grid g = { 100, 100, 180, 5 * 3600, 24 * 3600, 75, 60, 0, false, false, false };
		rc = open_feed(&f, true) || write_grid(&f, &g);
	} else if (strcmp(preset, "nl-nrw") == 0) {
		struct national n = { 20, 10, 40, 50.3, 4.5 };
		rc = open_feed(&f, false) || write_national(&f, &n);
	} else if (strcmp(preset, "germany") == 0) {
		/* 2.5 times nl-nrw: 500 towns over ~ 1,000 km x 450 km from the
		 * Dutch border eastward, NRW in its south-west */
		struct national n = { 50, 10, 100, 50.3, 4.5 };
		rc = open_feed(&f, false) || write_national(&f, &n);
	} else {
		fprintf(stderr, "gen-feed: unknown preset '%s'\n", preset);
		return 2;
	}
	rc |= close_feed(&f);
	if (rc)
		return 1;
	fprintf(stderr, "gen-feed: %s: %llu stops, %llu routes, %llu trips, %llu stop_times\n", dir,
		(unsigned long long)f.n.stops, (unsigned long long)f.n.routes,
		(unsigned long long)f.n.trips, (unsigned long long)f.n.stop_times);
	return 0;
}
