/* Reading a scenario file: YAML through libyaml's document API, then a walk
 * over the nodes that checks the shape of every edit and records where each
 * value came from. Nothing here knows the feeds; apply.c checks the edits
 * against them. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../core/grens_yaml.h"
#include "scenario_internal.h"

int sc_fail(const grens_scenario *sc, grens_error *err, int code, sc_loc at, const char *field,
	    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	grens_yaml_failv(err, code, sc->file, at.line, at.column, field, fmt, ap);
	va_end(ap);
	return code;
}

struct walk {
	grens_scenario *sc;
	grens_yaml *y;
	grens_error *err;
	const char *dir; /* directory of the file, "" for the current one */
};

static sc_loc loc_of(const yaml_node_t *node)
{
	sc_loc l = {(uint32_t)node->start_mark.line + 1, (uint32_t)node->start_mark.column + 1};
	return l;
}

static yaml_node_t *node_at(struct walk *w, int id)
{
	return grens_yaml_node(w->y, id);
}

/* The text of a scalar node (arena copy) or an error naming field. */
static int scalar(struct walk *w, yaml_node_t *node, const char *field, sc_str *out)
{
	const char *v;
	size_t len;
	int rc = grens_yaml_text(w->y, node, field, &v, &len, w->err);
	if (rc)
		return rc;
	out->s = grens_arena_strndup(w->sc->arena, v, len);
	out->at = loc_of(node);
	return out->s ? 0 : grens_error_set(w->err, GRENS_ENOMEM, "out of memory");
}

/* A number of minutes (decimals allowed) in [0, max_min], as seconds. */
static int minutes(struct walk *w, yaml_node_t *node, const char *field, double max_min,
		   int32_t *out)
{
	sc_str s;
	int rc = scalar(w, node, field, &s);
	if (rc)
		return rc;
	double v;
	if (grens_parse_double(s.s, strlen(s.s), &v) || !isfinite(v) || v < 0 || v > max_min)
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, s.at, field,
			       "%s: '%s' is not a number of minutes between 0 and %g", field, s.s,
			       max_min);
	*out = (int32_t)lround(v * 60.0);
	return 0;
}

static int time_of_day(struct walk *w, yaml_node_t *node, const char *field, int32_t *out)
{
	sc_str s;
	int rc = scalar(w, node, field, &s);
	if (rc)
		return rc;
	if (grens_time_parse(s.s, strlen(s.s), 1, out))
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, s.at, field,
			       "%s: '%s' is not a time (HH:MM or HH:MM:SS, hours up to %d)", field,
			       s.s, GRENS_LIMIT_MAX_HOURS);
	return 0;
}

/* "HH:MM-HH:MM" */
static int band(struct walk *w, yaml_node_t *node, const char *field, int32_t *t0, int32_t *t1)
{
	sc_str s;
	int rc = scalar(w, node, field, &s);
	if (rc)
		return rc;
	const char *dash = strchr(s.s, '-');
	if (!dash || grens_time_parse(s.s, (size_t)(dash - s.s), 1, t0) ||
	    grens_time_parse(dash + 1, strlen(dash + 1), 1, t1))
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, s.at, field,
			       "%s: '%s' is not a time band HH:MM-HH:MM", field, s.s);
	if (*t1 <= *t0)
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, s.at, field,
			       "%s: '%s' ends before it starts", field, s.s);
	return 0;
}

static int items(struct walk *w, yaml_node_t *node, const char *field, yaml_node_item_t **first,
		 uint32_t *count)
{
	if (node->type != YAML_SEQUENCE_NODE)
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, loc_of(node), field,
			       "%s: expected a list", field);
	ptrdiff_t n = node->data.sequence.items.top - node->data.sequence.items.start;
	if (n > (ptrdiff_t)GRENS_SCENARIO_MAX_ITEMS)
		return sc_fail(w->sc, w->err, GRENS_ELIMIT, loc_of(node), field,
			       "%s: more than %u entries", field, GRENS_SCENARIO_MAX_ITEMS);
	*first = node->data.sequence.items.start;
	*count = (uint32_t)n;
	return 0;
}

/* A list of values; a single value is taken as a list of one. */
static int str_list(struct walk *w, yaml_node_t *node, const char *field, sc_list *out)
{
	if (node->type == YAML_SCALAR_NODE) {
		out->items = grens_arena_calloc(w->sc->arena, 1, sizeof(sc_str), 8);
		if (!out->items)
			return grens_error_set(w->err, GRENS_ENOMEM, "out of memory");
		out->count = 1;
		return scalar(w, node, field, &out->items[0]);
	}
	yaml_node_item_t *it;
	uint32_t n;
	int rc = items(w, node, field, &it, &n);
	if (rc)
		return rc;
	out->items = grens_arena_calloc(w->sc->arena, n ? n : 1, sizeof(sc_str), 8);
	if (!out->items)
		return grens_error_set(w->err, GRENS_ENOMEM, "out of memory");
	for (uint32_t i = 0; i < n; i++) {
		rc = scalar(w, node_at(w, it[i]), field, &out->items[i]);
		if (rc)
			return rc;
	}
	out->count = n;
	return 0;
}

static int check_keys(struct walk *w, yaml_node_t *map, const char *what,
		      const char *const *allowed)
{
	return grens_yaml_check_keys(w->y, map, what, allowed, w->err);
}

/* The value node of key in map, or NULL. */
static yaml_node_t *get(struct walk *w, yaml_node_t *map, const char *key)
{
	return grens_yaml_get(w->y, map, key);
}

static int opt_str(struct walk *w, yaml_node_t *map, const char *key, sc_str *out)
{
	yaml_node_t *v = get(w, map, key);
	out->s = NULL;
	out->at = loc_of(map);
	return v ? scalar(w, v, key, out) : 0;
}

static int need_str(struct walk *w, yaml_node_t *map, const char *what, const char *key,
		    sc_str *out)
{
	int rc = opt_str(w, map, key, out);
	if (rc)
		return rc;
	if (!out->s || !out->s[0])
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, loc_of(map), key,
			       "%s: '%s' is required", what, key);
	return 0;
}

static int direction(struct walk *w, yaml_node_t *map, uint8_t *out)
{
	sc_str s;
	int rc = opt_str(w, map, "direction", &s);
	if (rc)
		return rc;
	*out = SC_BOTH;
	if (!s.s)
		return 0;
	if (strcmp(s.s, "forward") == 0)
		*out = SC_FORWARD;
	else if (strcmp(s.s, "backward") == 0)
		*out = SC_BACKWARD;
	else if (strcmp(s.s, "both") != 0)
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, s.at, "direction",
			       "direction: '%s' is not forward, backward or both", s.s);
	return 0;
}

/* "weekday+saturday", "daily", "mon+wed", ... as a weekday mask. */
static int days(struct walk *w, const sc_str *s, uint8_t *out)
{
	static const struct {
		const char *word;
		uint8_t mask;
	} words[] = {
	    {"daily", 0x7f},	{"weekday", 0x1f}, {"saturday", 0x20}, {"sunday", 0x40},
	    {"weekend", 0x60},	{"monday", 0x01},  {"tuesday", 0x02},  {"wednesday", 0x04},
	    {"thursday", 0x08}, {"friday", 0x10},
	};
	*out = 0;
	const char *p = s->s;
	while (*p) {
		const char *end = strchr(p, '+');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool found = false;
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]) && !found; i++) {
			if (strlen(words[i].word) == len && memcmp(words[i].word, p, len) == 0) {
				*out |= words[i].mask;
				found = true;
			}
		}
		if (!found)
			return sc_fail(
			    w->sc, w->err, GRENS_EFORMAT, s->at, "days",
			    "days: '%.*s' is not one of daily, weekday, saturday, sunday, "
			    "weekend, monday .. friday (joined by +)",
			    (int)len, p);
		p += len;
		if (*p == '+')
			p++;
	}
	return 0;
}

static int date_list(struct walk *w, yaml_node_t *node, const char *field, grens_date **out,
		     uint32_t *count)
{
	sc_list l = {0};
	int rc = str_list(w, node, field, &l);
	if (rc)
		return rc;
	*out = grens_arena_calloc(w->sc->arena, l.count ? l.count : 1, sizeof(grens_date), 8);
	if (!*out)
		return grens_error_set(w->err, GRENS_ENOMEM, "out of memory");
	for (uint32_t i = 0; i < l.count; i++)
		if (grens_date_parse_iso(l.items[i].s, strlen(l.items[i].s), &(*out)[i]))
			return sc_fail(w->sc, w->err, GRENS_EFORMAT, l.items[i].at, field,
				       "%s: '%s' is not a date YYYY-MM-DD", field, l.items[i].s);
	*count = l.count;
	return 0;
}

static int parse_service(struct walk *w, yaml_node_t *node, sc_service *sv)
{
	static const char *const keys[] = {"days",	"direction", "first",	   "last",
					   "headway",	"departures", "dates",	   "except",
					   "service-id", NULL};
	int rc = check_keys(w, node, "service", keys);
	if (rc)
		return rc;
	sv->at = loc_of(node);
	sc_str d;
	rc = opt_str(w, node, "days", &d);
	if (rc)
		return rc;
	rc = d.s ? days(w, &d, &sv->weekdays) : 0;
	if (rc)
		return rc;
	rc = direction(w, node, &sv->directions);
	if (rc)
		return rc;
	yaml_node_t *v;
	v = get(w, node, "dates");
	rc = v ? date_list(w, v, "dates", &sv->dates, &sv->date_count) : 0;
	if (rc)
		return rc;
	v = get(w, node, "except");
	rc = v ? date_list(w, v, "except", &sv->except, &sv->except_count) : 0;
	if (rc)
		return rc;
	rc = opt_str(w, node, "service-id", &sv->service_id);
	if (rc)
		return rc;
	if (sv->service_id.s && (d.s || sv->date_count || sv->except_count))
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, sv->service_id.at, "service-id",
			       "service-id: give either 'service-id' or 'days' / 'dates' / "
			       "'except', not both");
	if (!d.s && !sv->date_count && !sv->service_id.s)
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, sv->at, "days",
			       "service: give 'days' (e.g. weekday+saturday), 'dates' or "
			       "'service-id'");
	yaml_node_t *deps = get(w, node, "departures");
	yaml_node_t *first = get(w, node, "first"), *last = get(w, node, "last"),
		    *hw = get(w, node, "headway");
	if (deps && (first || last || hw))
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, loc_of(deps), "departures",
			       "service: give either 'departures' or 'first', 'last' and "
			       "'headway', not both");
	if (deps) {
		yaml_node_item_t *it;
		uint32_t n;
		rc = items(w, deps, "departures", &it, &n);
		if (rc)
			return rc;
		if (n == 0)
			return sc_fail(w->sc, w->err, GRENS_EFORMAT, loc_of(deps), "departures",
				       "departures: the list is empty");
		sv->departures = grens_arena_calloc(w->sc->arena, n, sizeof(int32_t), 8);
		if (!sv->departures)
			return grens_error_set(w->err, GRENS_ENOMEM, "out of memory");
		for (uint32_t i = 0; i < n; i++) {
			rc = time_of_day(w, node_at(w, it[i]), "departures", &sv->departures[i]);
			if (rc)
				return rc;
		}
		sv->departure_count = n;
		return 0;
	}
	if (!first || !last || !hw)
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, sv->at,
			       !first  ? "first"
			       : !last ? "last"
				       : "headway",
			       "service: give 'first', 'last' and 'headway' (or 'departures')");
	rc = time_of_day(w, first, "first", &sv->first);
	if (!rc)
		rc = time_of_day(w, last, "last", &sv->last);
	if (!rc)
		rc = minutes(w, hw, "headway", 24 * 60, &sv->headway);
	if (rc)
		return rc;
	if (sv->headway <= 0)
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, loc_of(hw), "headway",
			       "headway: must be more than 0 minutes");
	if (sv->last < sv->first)
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, loc_of(last), "last",
			       "last: the last departure is before the first");
	return 0;
}

static int parse_hops(struct walk *w, yaml_node_t *node, bool first_has_run, sc_hop **out,
		      uint32_t *count)
{
	static const char *const keys[] = {"stop", "run", "run-back", "dwell", "platform", NULL};
	yaml_node_item_t *it;
	uint32_t n;
	int rc = items(w, node, "stops", &it, &n);
	if (rc)
		return rc;
	*out = grens_arena_calloc(w->sc->arena, n ? n : 1, sizeof(sc_hop), 8);
	if (!*out)
		return grens_error_set(w->err, GRENS_ENOMEM, "out of memory");
	for (uint32_t i = 0; i < n; i++) {
		yaml_node_t *h = node_at(w, it[i]);
		sc_hop *hop = &(*out)[i];
		hop->at = loc_of(h);
		hop->run = hop->run_back = -1;
		if (h->type == YAML_SCALAR_NODE) { /* a bare stop name */
			rc = scalar(w, h, "stop", &hop->stop);
			if (rc)
				return rc;
			continue;
		}
		rc = check_keys(w, h, "stop", keys);
		if (!rc)
			rc = need_str(w, h, "stop", "stop", &hop->stop);
		if (!rc)
			rc = opt_str(w, h, "platform", &hop->platform);
		if (rc)
			return rc;
		yaml_node_t *v;
		v = get(w, h, "run");
		rc = v ? minutes(w, v, "run", 24 * 60, &hop->run) : 0;
		if (rc)
			return rc;
		v = get(w, h, "run-back");
		rc = v ? minutes(w, v, "run-back", 24 * 60, &hop->run_back) : 0;
		if (rc)
			return rc;
		v = get(w, h, "dwell");
		rc = v ? minutes(w, v, "dwell", 24 * 60, &hop->dwell) : 0;
		if (rc)
			return rc;
		if (i == 0 && !first_has_run && (hop->run >= 0 || hop->run_back >= 0))
			return sc_fail(
			    w->sc, w->err, GRENS_EFORMAT, hop->at, "run",
			    "stops: the first stop has no run time (nothing runs to it)");
	}
	*count = n;
	return 0;
}

static int parse_add_line(struct walk *w, yaml_node_t *node, sc_edit *e)
{
	static const char *const keys[] = {"feed",  "id",     "name",	  "long-name",	"mode",
					   "type",  "agency", "color",	  "text-color", "headsign",
					   "speed", "stops",  "services", NULL};
	int rc = check_keys(w, node, "add-line", keys);
	if (rc)
		return rc;
	rc = opt_str(w, node, "feed", &e->feed);
	if (!rc)
		rc = need_str(w, node, "add-line", "name", &e->name);
	if (!rc)
		rc = opt_str(w, node, "id", &e->id);
	if (!rc)
		rc = opt_str(w, node, "long-name", &e->long_name);
	if (!rc)
		rc = opt_str(w, node, "agency", &e->agency);
	if (!rc)
		rc = opt_str(w, node, "color", &e->color);
	if (!rc)
		rc = opt_str(w, node, "text-color", &e->text_color);
	if (!rc)
		rc = opt_str(w, node, "headsign", &e->headsign);
	if (rc)
		return rc;
	e->route_type = -1;
	sc_str mode, type;
	rc = opt_str(w, node, "mode", &mode);
	if (!rc)
		rc = opt_str(w, node, "type", &type);
	if (rc)
		return rc;
	if (type.s) {
		int64_t t;
		if (grens_parse_i64(type.s, strlen(type.s), 0, 1799, &t))
			return sc_fail(w->sc, w->err, GRENS_EFORMAT, type.at, "type",
				       "type: '%s' is not a GTFS route_type", type.s);
		e->route_type = (int32_t)t;
	} else if (mode.s) {
		static const struct {
			const char *word;
			int32_t type;
		} modes[] = {{"tram", 0}, {"metro", 1}, {"rail", 2},
			     {"bus", 3},  {"ferry", 4}, {"coach", 200}};
		for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
			if (strcmp(modes[i].word, mode.s) == 0)
				e->route_type = modes[i].type;
		if (e->route_type < 0)
			return sc_fail(w->sc, w->err, GRENS_EFORMAT, mode.at, "mode",
				       "mode: '%s' is not rail, bus, tram, metro, ferry or coach",
				       mode.s);
	} else {
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, loc_of(node), "mode",
			       "add-line: 'mode' (or 'type') is required");
	}
	sc_str speed;
	rc = opt_str(w, node, "speed", &speed);
	if (rc)
		return rc;
	if (speed.s && (grens_parse_double(speed.s, strlen(speed.s), &e->speed_kmh) ||
			!(e->speed_kmh > 0 && e->speed_kmh <= 1000)))
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, speed.at, "speed",
			       "speed: '%s' is not a speed in km/h (more than 0, at most 1000)",
			       speed.s);
	yaml_node_t *stops = get(w, node, "stops"), *services = get(w, node, "services");
	if (!stops)
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, loc_of(node), "stops",
			       "add-line: 'stops' is required");
	rc = parse_hops(w, stops, false, &e->hops, &e->hop_count);
	if (rc)
		return rc;
	if (e->hop_count < 2)
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, loc_of(stops), "stops",
			       "add-line: a line needs at least two stops");
	for (uint32_t i = 1; i < e->hop_count; i++)
		if (e->hops[i].run < 0 && !(e->speed_kmh > 0))
			return sc_fail(w->sc, w->err, GRENS_EFORMAT, e->hops[i].at, "run",
				       "stops: '%s' has no run time and the line has no 'speed'",
				       e->hops[i].stop.s);
	if (!services)
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, loc_of(node), "services",
			       "add-line: 'services' is required");
	yaml_node_item_t *it;
	uint32_t n;
	rc = items(w, services, "services", &it, &n);
	if (rc)
		return rc;
	if (n == 0)
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, loc_of(services), "services",
			       "services: the list is empty");
	e->services = grens_arena_calloc(w->sc->arena, n, sizeof(sc_service), 8);
	if (!e->services)
		return grens_error_set(w->err, GRENS_ENOMEM, "out of memory");
	for (uint32_t i = 0; i < n; i++) {
		rc = parse_service(w, node_at(w, it[i]), &e->services[i]);
		if (rc)
			return rc;
	}
	e->service_count = n;
	return 0;
}

static int parse_extend(struct walk *w, yaml_node_t *node, sc_edit *e)
{
	static const char *const keys[] = {"feed",    "route", "at",	"direction",
					   "minutes", "dwell", "stops", NULL};
	int rc = check_keys(w, node, "extend", keys);
	if (rc)
		return rc;
	rc = opt_str(w, node, "feed", &e->feed);
	if (!rc)
		rc = need_str(w, node, "extend", "route", &e->route);
	if (!rc)
		rc = need_str(w, node, "extend", "at", &e->stop_at);
	if (!rc)
		rc = direction(w, node, &e->directions);
	if (rc)
		return rc;
	yaml_node_t *v;
	v = get(w, node, "dwell");
	rc = v ? minutes(w, v, "dwell", 24 * 60, &e->at_dwell) : 0;
	if (rc)
		return rc;
	v = get(w, node, "minutes");
	if (v) {
		sc_list l = {0};
		rc = str_list(w, v, "minutes", &l);
		if (rc)
			return rc;
		e->minutes =
		    grens_arena_calloc(w->sc->arena, l.count ? l.count : 1, sizeof(int32_t), 8);
		if (!e->minutes)
			return grens_error_set(w->err, GRENS_ENOMEM, "out of memory");
		for (uint32_t i = 0; i < l.count; i++) {
			int64_t m;
			if (grens_parse_i64(l.items[i].s, strlen(l.items[i].s), 0, 59, &m))
				return sc_fail(
				    w->sc, w->err, GRENS_EFORMAT, l.items[i].at, "minutes",
				    "minutes: '%s' is not a minute past the hour (0..59)",
				    l.items[i].s);
			e->minutes[i] = (int32_t)m;
		}
		e->minute_count = l.count;
	}
	yaml_node_t *stops = get(w, node, "stops");
	if (!stops)
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, loc_of(node), "stops",
			       "extend: 'stops' is required");
	rc = parse_hops(w, stops, true, &e->hops, &e->hop_count);
	if (rc)
		return rc;
	if (e->hop_count == 0)
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, loc_of(stops), "stops",
			       "extend: the list of stops is empty");
	for (uint32_t i = 0; i < e->hop_count; i++)
		if (e->hops[i].run < 0)
			return sc_fail(w->sc, w->err, GRENS_EFORMAT, e->hops[i].at, "run",
				       "stops: '%s' needs a run time", e->hops[i].stop.s);
	return 0;
}

static int parse_truncate(struct walk *w, yaml_node_t *node, sc_edit *e)
{
	static const char *const keys[] = {"feed", "route", "at", "toward", NULL};
	int rc = check_keys(w, node, "truncate", keys);
	if (rc)
		return rc;
	rc = opt_str(w, node, "feed", &e->feed);
	if (!rc)
		rc = need_str(w, node, "truncate", "route", &e->route);
	if (!rc)
		rc = need_str(w, node, "truncate", "at", &e->stop_at);
	if (!rc)
		rc = need_str(w, node, "truncate", "toward", &e->toward);
	if (rc)
		return rc;
	return 0;
}

static int parse_remove(struct walk *w, yaml_node_t *node, sc_edit *e)
{
	static const char *const keys[] = {"feed", "routes", "route-ids", "trips", "stops", NULL};
	int rc = check_keys(w, node, "remove", keys);
	if (rc)
		return rc;
	rc = opt_str(w, node, "feed", &e->feed);
	if (rc)
		return rc;
	yaml_node_t *v;
	v = get(w, node, "routes");
	rc = v ? str_list(w, v, "routes", &e->routes) : 0;
	if (rc)
		return rc;
	v = get(w, node, "route-ids");
	rc = v ? str_list(w, v, "route-ids", &e->route_ids) : 0;
	if (rc)
		return rc;
	v = get(w, node, "trips");
	rc = v ? str_list(w, v, "trips", &e->trips) : 0;
	if (rc)
		return rc;
	v = get(w, node, "stops");
	rc = v ? str_list(w, v, "stops", &e->stops) : 0;
	if (rc)
		return rc;
	if (!e->routes.count && !e->route_ids.count && !e->trips.count && !e->stops.count)
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, loc_of(node), "remove",
			       "remove: give 'routes', 'route-ids', 'trips' or 'stops'");
	return 0;
}

static int parse_headway(struct walk *w, yaml_node_t *node, sc_edit *e)
{
	static const char *const keys[] = {"feed", "route", "band", "headway", NULL};
	int rc = check_keys(w, node, "headway", keys);
	if (rc)
		return rc;
	rc = opt_str(w, node, "feed", &e->feed);
	if (!rc)
		rc = need_str(w, node, "headway", "route", &e->route);
	if (rc)
		return rc;
	yaml_node_t *b = get(w, node, "band"), *h = get(w, node, "headway");
	if (!b || !h)
		return sc_fail(
		    w->sc, w->err, GRENS_EFORMAT, loc_of(node), b ? "headway" : "band",
		    "headway: 'band' (HH:MM-HH:MM) and 'headway' (minutes) are required");
	rc = band(w, b, "band", &e->band_start, &e->band_end);
	if (!rc)
		rc = minutes(w, h, "headway", 24 * 60, &e->headway);
	if (rc)
		return rc;
	if (e->headway <= 0)
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, loc_of(h), "headway",
			       "headway: must be more than 0 minutes");
	return 0;
}

static int parse_overlay(struct walk *w, yaml_node_t *node, sc_edit *e)
{
	static const char *const keys[] = {"path", "into", NULL};
	int rc = check_keys(w, node, "overlay", keys);
	if (rc)
		return rc;
	sc_str p;
	rc = need_str(w, node, "overlay", "path", &p);
	if (!rc)
		rc = opt_str(w, node, "into", &e->feed);
	if (rc)
		return rc;
	e->path = p;
	if (p.s[0] != '/' && w->dir[0]) {
		size_t n = strlen(w->dir) + 1 + strlen(p.s) + 1;
		char *full = grens_arena_alloc(w->sc->arena, n, 1);
		if (!full)
			return grens_error_set(w->err, GRENS_ENOMEM, "out of memory");
		snprintf(full, n, "%s/%s", w->dir, p.s);
		e->path.s = full;
	}
	return 0;
}

static int parse_edit(struct walk *w, yaml_node_t *node, sc_edit *e)
{
	static const struct {
		const char *key;
		sc_kind kind;
		int (*parse)(struct walk *, yaml_node_t *, sc_edit *);
	} kinds[] = {
	    {"add-line", SC_ADD_LINE, parse_add_line}, {"extend", SC_EXTEND, parse_extend},
	    {"truncate", SC_TRUNCATE, parse_truncate}, {"remove", SC_REMOVE, parse_remove},
	    {"headway", SC_HEADWAY, parse_headway},    {"overlay", SC_OVERLAY, parse_overlay},
	};
	e->at = loc_of(node);
	if (node->type != YAML_MAPPING_NODE ||
	    node->data.mapping.pairs.top - node->data.mapping.pairs.start != 1)
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, e->at, "edits",
			       "edits: each edit is one of add-line, extend, truncate, remove, "
			       "headway, overlay with its fields below it");
	yaml_node_pair_t *p = node->data.mapping.pairs.start;
	sc_str key;
	int rc = scalar(w, node_at(w, p->key), "edits", &key);
	if (rc)
		return rc;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(kinds[i].key, key.s) == 0) {
			e->kind = kinds[i].kind;
			e->at = key.at;
			return kinds[i].parse(w, node_at(w, p->value), e);
		}
	}
	return sc_fail(w->sc, w->err, GRENS_EFORMAT, key.at, key.s,
		       "edits: unknown edit '%s' (known: add-line, extend, truncate, remove, "
		       "headway, overlay)",
		       key.s);
}

static int parse_document(struct walk *w)
{
	static const char *const keys[] = {"name", "description", "edits", NULL};
	yaml_node_t *root = grens_yaml_root(w->y);
	sc_loc top = {1, 1};
	if (!root)
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, top, "", "the file is empty");
	int rc = check_keys(w, root, "scenario", keys);
	if (rc)
		return rc;
	sc_str name, desc;
	rc = opt_str(w, root, "name", &name);
	if (!rc)
		rc = opt_str(w, root, "description", &desc);
	if (rc)
		return rc;
	if (name.s) {
		if (!name.s[0] || strlen(name.s) > 64)
			return sc_fail(w->sc, w->err, GRENS_EFORMAT, name.at, "name",
				       "name: give 1 to 64 characters");
		w->sc->name = name.s;
	}
	w->sc->description = desc.s ? desc.s : "";
	yaml_node_t *edits = get(w, root, "edits");
	if (!edits)
		return sc_fail(w->sc, w->err, GRENS_EFORMAT, loc_of(root), "edits",
			       "scenario: 'edits' (a list) is required");
	yaml_node_item_t *it;
	uint32_t n;
	rc = items(w, edits, "edits", &it, &n);
	if (rc)
		return rc;
	if (n > GRENS_SCENARIO_MAX_EDITS)
		return sc_fail(w->sc, w->err, GRENS_ELIMIT, loc_of(edits), "edits",
			       "edits: more than %u edits", GRENS_SCENARIO_MAX_EDITS);
	w->sc->edits = grens_arena_calloc(w->sc->arena, n ? n : 1, sizeof(sc_edit), 8);
	if (!w->sc->edits)
		return grens_error_set(w->err, GRENS_ENOMEM, "out of memory");
	for (uint32_t i = 0; i < n; i++) {
		rc = parse_edit(w, node_at(w, it[i]), &w->sc->edits[i]);
		if (rc)
			return rc;
		w->sc->edit_count = i + 1;
	}
	return 0;
}

/* The base name of path without directory and extension. */
static const char *stem(grens_arena *arena, const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	const char *dot = strrchr(b, '.');
	size_t len = dot && dot != b ? (size_t)(dot - b) : strlen(b);
	return grens_arena_strndup(arena, b, len);
}

int grens_scenario_parse(grens_scenario **out, const char *text, size_t len, const char *file,
			 grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_scenario_parse: out is NULL");
	if (!text && len)
		return grens_error_set(err, GRENS_EINVAL, "grens_scenario_parse: text is NULL");
	grens_error_clear(err);
	*out = NULL;
	int rc = 0;
	grens_yaml y;
	memset(&y, 0, sizeof(y));
	grens_scenario *sc = NULL;
	grens_arena *arena = grens_arena_new(0);
	if (!arena)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	sc = grens_arena_alloc(arena, sizeof(*sc), 8);
	if (!sc) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto fail;
	}
	sc->arena = arena;
	sc->file = grens_arena_strndup(arena, file ? file : "<scenario>",
				       strlen(file ? file : "<scenario>"));
	if (!sc->file) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto fail;
	}
	if (len > GRENS_SCENARIO_MAX_BYTES) {
		sc_loc top = {0, 0};
		rc = sc_fail(sc, err, GRENS_ELIMIT, top, "", "larger than %u bytes",
			     GRENS_SCENARIO_MAX_BYTES);
		goto fail;
	}
	grens_sha256_hex(text, len, sc->hash);
	sc->name = stem(arena, sc->file);
	sc->description = "";
	const char *slash = file ? strrchr(file, '/') : NULL;
	const char *dir = slash ? grens_arena_strndup(arena, file, (size_t)(slash - file)) : "";
	if (!sc->name || !dir) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto fail;
	}
	if (slash == file)
		dir = "/";
	rc = grens_yaml_load(&y, text, len, sc->file, GRENS_LIMIT_SCENARIO_DEPTH, err);
	if (rc)
		goto fail;
	struct walk w = {sc, &y, err, dir};
	rc = parse_document(&w);
	if (rc)
		goto fail;
	grens_yaml_free(&y);
	*out = sc;
	return 0;
fail:
	grens_yaml_free(&y);
	grens_arena_free(arena);
	return rc;
}

int grens_scenario_load(grens_scenario **out, const char *path, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_scenario_load: out is NULL");
	if (!path)
		return grens_error_set(err, GRENS_EINVAL, "grens_scenario_load: path is NULL");
	grens_error_clear(err);
	*out = NULL;
	int rc = 0;
	char *buf = NULL;
	FILE *f = fopen(path, "rb");
	if (!f) {
		rc = grens_error_set(err, GRENS_EIO, "cannot open: %s", strerror(errno));
		grens_error_at(err, path, 0, 0, NULL);
		return rc;
	}
	size_t cap = 4096, len = 0;
	buf = malloc(cap);
	if (!buf) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto fail;
	}
	for (;;) {
		if (len == cap) {
			if (cap > GRENS_SCENARIO_MAX_BYTES) {
				rc = grens_error_set(err, GRENS_ELIMIT, "larger than %u bytes",
						     GRENS_SCENARIO_MAX_BYTES);
				grens_error_at(err, path, 0, 0, NULL);
				goto fail;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
				goto fail;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		rc = grens_error_set(err, GRENS_EIO, "read error");
		grens_error_at(err, path, 0, 0, NULL);
		goto fail;
	}
	rc = grens_scenario_parse(out, buf, len, path, err);
fail:
	free(buf);
	fclose(f);
	return rc;
}

void grens_scenario_free(grens_scenario *sc)
{
	if (sc)
		grens_arena_free(sc->arena);
}

const char *grens_scenario_name(const grens_scenario *sc)
{
	if (!sc)
		return NULL; /* NULL not allowed: docs/api.md */
	return sc->name;
}

const char *grens_scenario_hash(const grens_scenario *sc)
{
	if (!sc)
		return NULL; /* NULL not allowed: docs/api.md */
	return sc->hash;
}

const char *grens_scenario_description(const grens_scenario *sc)
{
	if (!sc)
		return NULL; /* NULL not allowed: docs/api.md */
	return sc->description;
}

uint32_t grens_scenario_edit_count(const grens_scenario *sc)
{
	if (!sc)
		return 0; /* NULL not allowed: docs/api.md */
	return sc->edit_count;
}
