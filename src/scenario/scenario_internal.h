/* Private to scenario/: the parsed form of a scenario file. Everything lives
 * in the scenario's arena; every value keeps the line and column it came
 * from so that applying can name them in errors. */
#ifndef GRENS_SCENARIO_INTERNAL_H
#define GRENS_SCENARIO_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "grens/scenario.h"

typedef struct sc_loc {
	uint32_t line, column; /* 1-based */
} sc_loc;

typedef struct sc_str {
	const char *s; /* NULL when absent */
	sc_loc at;
} sc_str;

typedef struct sc_list {
	sc_str *items;
	uint32_t count;
} sc_list;

/* One stop of a line description or an extension. */
typedef struct sc_hop {
	sc_str stop;
	sc_str platform;
	int32_t run;	  /* seconds from the previous departure; -1: from speed */
	int32_t run_back; /* seconds for the backward direction; -1: same as run */
	int32_t dwell;	  /* seconds between arrival and departure */
	sc_loc at;
} sc_hop;

enum { SC_FORWARD = 1, SC_BACKWARD = 2, SC_BOTH = 3 };

typedef struct sc_service {
	uint8_t weekdays;	      /* bit 0 Monday .. bit 6 Sunday; 0 with dates only */
	uint8_t directions;	      /* SC_FORWARD | SC_BACKWARD */
	int32_t first, last, headway; /* headway 0: explicit departures */
	int32_t *departures;
	uint32_t departure_count;
	grens_date *dates, *except;
	uint32_t date_count, except_count;
	sc_str service_id; /* run on the days of this service of the feed instead */
	sc_loc at;
} sc_service;

typedef enum {
	SC_ADD_LINE,
	SC_EXTEND,
	SC_TRUNCATE,
	SC_REMOVE,
	SC_HEADWAY,
	SC_OVERLAY,
} sc_kind;

typedef struct sc_edit {
	sc_kind kind;
	sc_loc at;
	sc_str feed; /* target feed name (NULL: see each kind) */
	/* add-line */
	sc_str id, name, long_name, agency, color, text_color, headsign;
	int32_t route_type; /* -1 when not given */
	double speed_kmh;   /* 0 when not given */
	sc_hop *hops;
	uint32_t hop_count;
	sc_service *services;
	uint32_t service_count;
	/* extend / truncate / headway */
	sc_str route;	/* short name or route_id */
	sc_str stop_at; /* extend: the end stop that trips run on from; truncate: the cut */
	sc_str toward;	/* truncate: the side to drop */
	uint8_t directions;
	int32_t at_dwell;
	int32_t *minutes; /* extend: only trips at stop_at at these minutes past the hour */
	uint32_t minute_count;
	int32_t band_start, band_end, headway;
	/* remove */
	sc_list routes, route_ids, trips, stops;
	/* overlay */
	sc_str path; /* resolved against the scenario file's directory */
} sc_edit;

struct grens_scenario {
	grens_arena *arena;
	const char *file; /* for errors */
	const char *name;
	const char *description;
	char hash[65];
	sc_edit *edits;
	uint32_t edit_count;
};

/* ---- what applying to feeds (apply.c) and to a built timetable (derive.c)
 * share; defined in apply.c ---- */

/* A warning that edit e (`what`: "remove", ...) matched no trip. */
void sc_no_effect(const grens_scenario *sc, grens_diag *diag, const sc_edit *e, const char *what);
/* Is time t (s) at one of the edit's minutes past the hour (all without)? */
bool sc_minute_selected(const sc_edit *e, int32_t t);
/* The latest time an edit may give a stop (GRENS_LIMIT_MAX_HOURS). */
int32_t sc_max_time(void);
/* The run time (s) over meters at speed_kmh: whole minutes, at least one. */
int32_t sc_speed_run(double meters, double speed_kmh);

/* A headway edit's trips of one service between two end stations with one
 * stop count, and the earliest of them, which the new trips copy. */
struct sc_hw_group {
	uint32_t service, first_station, last_station, count;
	uint32_t template_trip;
	int32_t template_dep;
};

/* Set err with the scenario file and a location. Returns code. */
int sc_fail(const grens_scenario *sc, grens_error *err, int code, sc_loc at, const char *field,
	    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
