/* grens/serve.h: what-if queries over HTTP (grens-serve(1)).
 *
 * A server answers the JSON API /api/v1/... over one immutable timetable
 * (a snapshot, shared by every request) with the documents the commands
 * write with --format json: the same library calls make them. Scenarios
 * are applied to the timetable as overlays (grens_scenario_derive) once,
 * cached by their SHA-256. Built on libmicrohttpd: one thread per
 * connection, at most `threads` requests answered at once and `queue`
 * waiting; the rest get 503 with Retry-After. */
#ifndef GRENS_SERVE_H
#define GRENS_SERVE_H

#include <stddef.h>
#include <stdint.h>

#include "grens/access.h"
#include "grens/core.h"
#include "grens/export.h"
#include "grens/net.h"
#include "grens/report.h"
#include "grens/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct grens_serve grens_serve;

/* The struct's layout; bumped when it changes (docs/api.md). */
#define GRENS_SERVE_OPTIONS_VERSION 1

/* Upper bounds of the options (GRENS_EARG beyond). */
#define GRENS_SERVE_MAX_THREADS 64u
#define GRENS_SERVE_MAX_QUEUE 1024u
#define GRENS_SERVE_MAX_SCENARIOS 256u

typedef struct grens_serve_options {
	unsigned version; /* GRENS_SERVE_OPTIONS_VERSION (GRENS_SERVE_OPTIONS_INIT) */
	const char *host; /* IPv4 or IPv6 address to listen on (default 127.0.0.1) */
	uint16_t port;	  /* 0: a free port, see grens_serve_port */
	uint32_t threads; /* requests answered at once (default 2) */
	uint32_t queue;	  /* requests waiting for one of those; more get 503 (default 16) */
	uint32_t wait_ms; /* a request waits at most this long for its turn, then 503 */
	size_t max_body_bytes;	 /* a POST body (a scenario) at most (default 256 KiB) */
	size_t max_value_bytes;	 /* one query parameter's value at most (default 1 KiB) */
	uint32_t max_scenarios;	 /* uploaded scenarios kept (default 16; the oldest unused go) */
	uint32_t max_departures; /* departures x pairs x networks of one compare (default 20000) */
	uint32_t idle_timeout_s; /* a connection idle this long is closed (default 15) */
	grens_report_log log;	 /* one line per request (common log format + seconds) */
} grens_serve_options;

#define GRENS_SERVE_OPTIONS_INIT                                                                   \
	{                                                                                          \
		.version = GRENS_SERVE_OPTIONS_VERSION, .host = "127.0.0.1", .port = 0,            \
		.threads = 2, .queue = 16, .wait_ms = 10000, .max_body_bytes = 256 * 1024,         \
		.max_value_bytes = 1024, .max_scenarios = 16, .max_departures = 20000,             \
		.idle_timeout_s = 15, .log = { NULL, NULL },                                       \
	}

/* A server over tt (a timetable opened from a snapshot: grens_net_snapshot_load
 * or _open; it must outlive the server), not yet listening. On success *out
 * is the caller's (grens_serve_free). GRENS_EINVAL for a NULL out, tt or
 * opts or another version; GRENS_EARG for a timetable not from a snapshot
 * or an option out of range. */
GRENS_EXTERN int grens_serve_new(grens_serve **out, const grens_timetable *tt,
				 const grens_serve_options *opts, grens_error *err);

/* Add a scenario every client may name (one of the shipped proposals):
 * parsed from text[0..len) (file names it in errors) and applied to the
 * timetable now. Never evicted. Before grens_serve_start only. The errors
 * of grens_scenario_parse and grens_scenario_derive; GRENS_ELIMIT beyond
 * GRENS_SERVE_MAX_SCENARIOS. */
GRENS_EXTERN int grens_serve_add_scenario(grens_serve *srv, const char *text, size_t len,
					  const char *file, grens_error *err);

/* The places (population tables) /api/v1/access ties to the timetable,
 * named in its documents by files[0..n) (their last path component).
 * Borrowed: they must outlive the server. Before grens_serve_start only.
 * Without places /api/v1/access answers 404. GRENS_EINVAL for a NULL srv or
 * places, GRENS_EARG after the start. */
GRENS_EXTERN int grens_serve_set_places(grens_serve *srv, const grens_access_places *places,
					const char *const *files, uint32_t n, grens_error *err);

/* Listen and answer (on threads of the server's own). GRENS_EIO when the
 * address cannot be bound, GRENS_EARG for an address that is not one. */
GRENS_EXTERN int grens_serve_start(grens_serve *srv, grens_error *err);

/* The port listened on (after grens_serve_start), 0 before. */
GRENS_EXTERN uint16_t grens_serve_port(const grens_serve *srv);

/* Stop: accept no new connections, let the requests being answered and
 * those waiting finish, then close. Safe to call more than once. */
GRENS_EXTERN void grens_serve_stop(grens_serve *srv);

/* Stop (as grens_serve_stop) and free. NULL is accepted. */
GRENS_EXTERN void grens_serve_free(grens_serve *srv);

#ifdef __cplusplus
}
#endif
#endif
