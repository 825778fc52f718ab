/* grens serve: the JSON API over libmicrohttpd (grens/serve.h). It only
 * parses requests, calls the library's jobs and writes their documents
 * (DESIGN.md): routing, formatting and applying scenarios are theirs. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "grens/limits.h"
#include "grens/route.h"
#include "grens/serve.h"

/* openapi.json and the page's files, embedded at build time
 * (src/serve/meson.build) */
extern const char grens_serve_openapi[];
struct serve_asset {
	const char *name, *type;
	const unsigned char *bytes;
	size_t size;
};
extern const struct serve_asset grens_serve_assets[];

/* What a request is answered with. */
typedef struct serve_reply {
	unsigned status;
	char *body; /* malloc'd */
	size_t len;
	const char *type;
	const char *allow; /* the Allow header of a 405 */
	bool page;	   /* a file of the page: its security headers */
	bool retry_after;  /* a 503 */
	char location[128];
} serve_reply;

static void serve_reply_error(serve_reply *r, unsigned status, const char *parameter,
			      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Repeated parameters a request may give (from, to, date, scenario). */
#define MAX_LIST 8
/* Parameters of one request at most. */
#define MAX_ARGS 32
/* Seconds a stop waits for answers still being sent. */
#define STOP_GRACE_S 30u

/* A network: the base timetable or a scenario derived from it, with the
 * routing workspaces its route requests use. */
struct network {
	grens_scenario *sc;  /* NULL for the base */
	grens_timetable *tt; /* derived (owned), or the base (borrowed) */
	grens_scenario_stats stats;
	bool shipped;
	uint32_t users;	    /* requests using it now (under the server's lock) */
	uint64_t last_used; /* the server's request counter when last used */
	pthread_mutex_t ws_lock; /* making the workspaces and the map document */
	grens_route_raptor **ws; /* [threads], all made on the first route request */
	bool *ws_busy;		 /* under the server's lock */
	/* the network document, all routes and rail only: made on the first
	 * request for it (under ws_lock), then the same bytes for every one */
	char *map_json[2];
};

struct grens_serve {
	grens_serve_options opts;
	char host[64];
	const grens_timetable *base;
	struct MHD_Daemon *daemon;
	uint16_t port;
	pthread_mutex_t lock;
	pthread_cond_t turn, idle;
	uint32_t running, waiting;
	uint32_t active; /* requests arrived and not yet answered in full */
	bool stopping, stopped;
	uint64_t requests;
	/* networks[0] is the base; then the shipped scenarios, then uploaded */
	struct network **networks;
	uint32_t network_count;
	/* the places of /api/v1/access (borrowed) */
	const grens_access_places *places;
	const char *const *places_files;
	uint32_t places_file_count;
};

/* ---- networks ----------------------------------------------------------------- */

static void network_free(struct network *n, uint32_t threads)
{
	if (!n)
		return;
	for (uint32_t i = 0; n->ws && i < threads; i++)
		grens_route_raptor_free(n->ws[i]);
	free(n->ws);
	free(n->ws_busy);
	free(n->map_json[0]);
	free(n->map_json[1]);
	pthread_mutex_destroy(&n->ws_lock);
	if (n->sc)
		grens_net_free(n->tt);
	grens_scenario_free(n->sc);
	free(n);
}

static struct network *network_new(grens_serve *s, grens_scenario *sc, grens_timetable *tt)
{
	struct network *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->ws = calloc(s->opts.threads, sizeof(*n->ws));
	n->ws_busy = calloc(s->opts.threads, sizeof(*n->ws_busy));
	if (!n->ws || !n->ws_busy || pthread_mutex_init(&n->ws_lock, NULL) != 0) {
		free(n->ws);
		free(n->ws_busy);
		free(n);
		return NULL;
	}
	n->sc = sc;
	n->tt = tt;
	return n;
}

/* sc applied to the base into a new network (sc becomes its). */
static int network_derive(grens_serve *s, grens_scenario *sc, struct network **out,
			  grens_error *err)
{
	grens_timetable *tt = NULL;
	grens_scenario_stats st;
	int rc = grens_scenario_derive(&tt, &st, sc, s->base, NULL, err);
	if (rc)
		return rc;
	*out = network_new(s, sc, tt);
	if (!*out) {
		grens_net_free(tt);
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	}
	(*out)->stats = st;
	return 0;
}

/* The network a request names (NULL or "": the base; a SHA-256; a shipped
 * scenario's name), its user count raised; NULL when none is. */
static struct network *network_take(grens_serve *s, const char *name)
{
	struct network *found = NULL;
	pthread_mutex_lock(&s->lock);
	if (!name || !*name || strcmp(name, "none") == 0) {
		found = s->networks[0];
	} else {
		for (uint32_t i = 1; i < s->network_count && !found; i++) {
			struct network *n = s->networks[i];
			if (strcmp(grens_scenario_hash(n->sc), name) == 0 ||
			    (n->shipped && strcmp(grens_scenario_name(n->sc), name) == 0))
				found = n;
		}
	}
	if (found) {
		found->users++;
		found->last_used = ++s->requests;
	}
	pthread_mutex_unlock(&s->lock);
	return found;
}

static void network_give(grens_serve *s, struct network *n)
{
	pthread_mutex_lock(&s->lock);
	n->users--;
	pthread_mutex_unlock(&s->lock);
}

/* A free workspace of n (made, all of them, on first use). */
static int workspace_take(grens_serve *s, struct network *n, uint32_t *slot, grens_error *err)
{
	pthread_mutex_lock(&n->ws_lock);
	int rc = 0;
	if (!n->ws[0]) {
		/* every workspace at once, before any of them routes: the later
		 * ones share the first one's departure index and bounds */
		rc = grens_route_raptor_new(&n->ws[0], n->tt, GRENS_ROUTE_MAX_TRANSFERS, err);
		for (uint32_t i = 1; !rc && i < s->opts.threads; i++)
			rc = grens_route_raptor_new_like(&n->ws[i], n->ws[0], GRENS_ROUTE_MAX_TRANSFERS,
							 err);
		if (rc) {
			for (uint32_t i = 0; i < s->opts.threads; i++) {
				grens_route_raptor_free(n->ws[i]);
				n->ws[i] = NULL;
			}
		}
	}
	pthread_mutex_unlock(&n->ws_lock);
	if (rc)
		return rc;
	pthread_mutex_lock(&s->lock);
	/* a request holds one of `threads` turns, so one workspace is free */
	uint32_t i = 0;
	while (i < s->opts.threads && n->ws_busy[i])
		i++;
	if (i < s->opts.threads)
		n->ws_busy[i] = true;
	pthread_mutex_unlock(&s->lock);
	if (i == s->opts.threads)
		return grens_error_set(err, GRENS_ELIMIT, "no free workspace");
	*slot = i;
	return 0;
}

static void workspace_give(grens_serve *s, struct network *n, uint32_t slot)
{
	pthread_mutex_lock(&s->lock);
	n->ws_busy[slot] = false;
	pthread_mutex_unlock(&s->lock);
}

/* ---- turns: at most `threads` requests answered, `queue` waiting ---------------- */

static void deadline_after(struct timespec *ts, uint32_t ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* 0 with a turn, or the reason there is none (the 503's message). */
static const char *turn_take(grens_serve *s)
{
	const char *why = NULL;
	pthread_mutex_lock(&s->lock);
	if (s->stopping) {
		why = "the server is stopping";
	} else if (s->running < s->opts.threads) {
		s->running++;
	} else if (s->waiting >= s->opts.queue) {
		why = "too many requests are waiting";
	} else {
		struct timespec until;
		deadline_after(&until, s->opts.wait_ms);
		s->waiting++;
		int rc = 0;
		while (s->running >= s->opts.threads && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&s->turn, &s->lock, &until);
		s->waiting--;
		if (s->running >= s->opts.threads)
			why = "no turn within the wait limit";
		else
			s->running++;
		pthread_cond_broadcast(&s->idle);
	}
	pthread_mutex_unlock(&s->lock);
	return why;
}

static void turn_give(grens_serve *s)
{
	pthread_mutex_lock(&s->lock);
	s->running--;
	pthread_cond_signal(&s->turn);
	pthread_cond_broadcast(&s->idle);
	pthread_mutex_unlock(&s->lock);
}

/* ---- replies ---------------------------------------------------------------------- */

static void reply_json(serve_reply *r, unsigned status, json_t *doc)
{
	r->status = status;
	free(r->body);
	r->body = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(doc);
	if (!r->body) {
		r->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		r->body = strdup("{\"error\": \"out of memory\"}");
	}
	r->len = r->body ? strlen(r->body) : 0;
	r->type = "application/json";
}

static void serve_reply_error(serve_reply *r, unsigned status, const char *parameter,
			      const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_t *doc = json_pack("{s:s}", "error", msg);
	if (doc && parameter)
		json_object_set_new(doc, "parameter", json_string(parameter));
	reply_json(r, status, doc);
}

/* An error of the library as the reply: bad arguments are the client's
 * (400, naming the parameter), the rest the server's. */
static void reply_grens_error(serve_reply *r, int rc, const grens_error *err, bool in_body)
{
	const char *msg = err->message[0] ? err->message : grens_strerror(rc);
	char param[64] = "";
	snprintf(param, sizeof(param), "%s", err->field);
	/* the jobs name a place by its option ("--from 'X' matches no
	 * stop"): the parameter of the same name */
	if (!param[0] && strncmp(msg, "--", 2) == 0) {
		size_t n = strcspn(msg + 2, " ");
		if (n < sizeof(param))
			snprintf(param, sizeof(param), "%.*s", (int)n, msg + 2);
		msg += 2;
	}
	for (char *p = param; *p; p++)
		if (*p == '-')
			*p = '_';
	unsigned status = rc == GRENS_EARG || rc == GRENS_ENOTFOUND || rc == GRENS_EFORMAT
				  ? MHD_HTTP_BAD_REQUEST
			  : rc == GRENS_ELIMIT ? MHD_HTTP_SERVICE_UNAVAILABLE
					       : MHD_HTTP_INTERNAL_SERVER_ERROR;
	json_t *doc = json_pack("{s:s}", "error", msg);
	/* an error in a posted file names its key, not a parameter */
	if (doc && param[0])
		json_object_set_new(doc, in_body ? "field" : "parameter", json_string(param));
	if (doc && err->line) {
		json_object_set_new(doc, "line", json_integer(err->line));
		json_object_set_new(doc, "column", json_integer(err->column));
	}
	reply_json(r, status, doc);
	if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
		r->retry_after = true;
}

/* A document a library writer put into a FILE, as the reply's body. */
static FILE *reply_stream(serve_reply *r)
{
	free(r->body);
	r->body = NULL;
	r->len = 0;
	return open_memstream(&r->body, &r->len);
}

/* A library writer's JSON document as the reply: 200, or rc's error. */
typedef int (*doc_writer)(const void *doc, FILE *f, grens_error *err);

static void reply_document(serve_reply *r, int rc, const void *doc, doc_writer write,
			   grens_error *err)
{
	FILE *f = rc ? NULL : reply_stream(r);
	if (!rc && !f)
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
	if (!rc)
		rc = write(doc, f, err);
	if (f)
		fclose(f);
	if (rc) {
		reply_grens_error(r, rc, err, false);
		return;
	}
	r->status = MHD_HTTP_OK;
	r->type = "application/json";
}

static int write_route(const void *doc, FILE *f, grens_error *err)
{
	return grens_report_route_write(doc, f, GRENS_REPORT_ROUTE_JSON, err);
}

static int write_profile(const void *doc, FILE *f, grens_error *err)
{
	return grens_report_profile_write(doc, f, GRENS_REPORT_ROUTE_JSON, err);
}

static int write_compare(const void *run, FILE *f, grens_error *err)
{
	grens_report_compare doc = grens_report_compare_run_document(run);
	return grens_report_compare_write(&doc, GRENS_REPORT_COMPARE_JSON, f, err);
}

static int write_access(const void *doc, FILE *f, grens_error *err)
{
	return grens_report_access_write(doc, GRENS_REPORT_ACCESS_JSON, f, err);
}

/* ---- parameters ----------------------------------------------------------------- */

typedef struct args {
	const char *name[MAX_ARGS], *value[MAX_ARGS];
	uint32_t n;
	bool overflow;
} args;

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	(void)kind;
	args *a = cls;
	if (a->n == MAX_ARGS) {
		a->overflow = true;
		return MHD_NO;
	}
	a->name[a->n] = key;
	a->value[a->n++] = value ? value : "";
	return MHD_YES;
}

/* Every parameter known to the endpoint (allowed, NULL-ended), and no
 * value longer than the limit: 0, or -1 with the reply set. */
static int args_check(const grens_serve *s, const args *a, const char *const *allowed,
		      serve_reply *r)
{
	if (a->overflow) {
		serve_reply_error(r, MHD_HTTP_BAD_REQUEST, NULL, "more than %u parameters",
				  MAX_ARGS);
		return -1;
	}
	for (uint32_t i = 0; i < a->n; i++) {
		bool known = false;
		for (const char *const *k = allowed; *k && !known; k++)
			known = strcmp(*k, a->name[i]) == 0;
		if (!known) {
			serve_reply_error(r, MHD_HTTP_BAD_REQUEST, a->name[i],
					  "unknown parameter '%.64s'", a->name[i]);
			return -1;
		}
		if (strlen(a->value[i]) > s->opts.max_value_bytes) {
			serve_reply_error(r, MHD_HTTP_BAD_REQUEST, a->name[i],
					  "%s is longer than %zu bytes", a->name[i],
					  s->opts.max_value_bytes);
			return -1;
		}
	}
	return 0;
}

/* The values of name into out[0..*n), at most cap: -1 with the reply set
 * when there are more. */
static int args_list(const args *a, const char *name, const char **out, uint32_t cap,
		     uint32_t *n, serve_reply *r)
{
	*n = 0;
	for (uint32_t i = 0; i < a->n; i++) {
		if (strcmp(a->name[i], name) != 0)
			continue;
		if (*n == cap) {
			serve_reply_error(r, MHD_HTTP_BAD_REQUEST, name, "%s given more than %u times",
					  name, cap);
			return -1;
		}
		out[(*n)++] = a->value[i];
	}
	return 0;
}

/* The one value of name (NULL when absent): -1 with the reply set when it
 * is given twice, or is required and absent. */
static int args_one(const args *a, const char *name, bool required, const char **out,
		    serve_reply *r)
{
	uint32_t n;
	const char *v[2];
	if (args_list(a, name, v, 1, &n, r)) {
		serve_reply_error(r, MHD_HTTP_BAD_REQUEST, name, "%s given more than once", name);
		return -1;
	}
	*out = n ? v[0] : NULL;
	if (required && !*out) {
		serve_reply_error(r, MHD_HTTP_BAD_REQUEST, name, "%s is required", name);
		return -1;
	}
	return 0;
}

static int arg_date(const char *name, const char *v, grens_date *out, serve_reply *r)
{
	if (grens_date_parse_iso(v, strlen(v), out) != 0) {
		serve_reply_error(r, MHD_HTTP_BAD_REQUEST, name, "%s needs YYYY-MM-DD, not '%.64s'",
				  name, v);
		return -1;
	}
	return 0;
}

static int arg_time(const char *name, const char *v, int32_t *out, serve_reply *r)
{
	if (grens_time_parse(v, strlen(v), 1, out) != 0) {
		serve_reply_error(r, MHD_HTTP_BAD_REQUEST, name,
				  "%s needs HH:MM or HH:MM:SS, not '%.64s'", name, v);
		return -1;
	}
	return 0;
}

/* An optional window HH:MM-HH:MM into *start, *end (left as they are when
 * v is NULL). */
static int arg_window(const char *name, const char *v, int32_t *start, int32_t *end,
		      serve_reply *r)
{
	if (!v)
		return 0;
	const char *dash = strchr(v, '-');
	if (!dash || grens_time_parse(v, (size_t)(dash - v), 1, start) ||
	    grens_time_parse(dash + 1, strlen(dash + 1), 1, end) || *end < *start) {
		serve_reply_error(r, MHD_HTTP_BAD_REQUEST, name,
				  "%s needs HH:MM-HH:MM with the end not before the start, not "
				  "'%.64s'",
				  name, v);
		return -1;
	}
	return 0;
}

static void no_scenario(serve_reply *r, const char *scenario)
{
	serve_reply_error(r, MHD_HTTP_BAD_REQUEST, "scenario",
			  "no scenario '%.80s': give the SHA-256 of one posted to "
			  "/api/v1/scenarios, or a shipped one's name",
			  scenario);
}

static int arg_int(const char *name, const char *v, int64_t min, int64_t max, int64_t *out,
		   serve_reply *r)
{
	if (grens_parse_i64(v, strlen(v), min, max, out) != 0) {
		serve_reply_error(r, MHD_HTTP_BAD_REQUEST, name,
				  "%s needs a whole number from %lld to %lld, not '%.64s'", name,
				  (long long)min, (long long)max, v);
		return -1;
	}
	return 0;
}

/* An optional whole number into *out (left as it is when v is NULL). */
static int arg_int32(const char *name, const char *v, int32_t min, int32_t max, int32_t *out,
		     serve_reply *r)
{
	int64_t x;
	if (!v)
		return 0;
	if (arg_int(name, v, min, max, &x, r))
		return -1;
	*out = (int32_t)x;
	return 0;
}

static int arg_uint32(const char *name, const char *v, uint32_t max, uint32_t *out,
		      serve_reply *r)
{
	int64_t x;
	if (!v)
		return 0;
	if (arg_int(name, v, 0, max, &x, r))
		return -1;
	*out = (uint32_t)x;
	return 0;
}

/* The departures a request would route, refused (naming the window) above
 * the server's limit; what says what they are made of, or NULL. */
static int work_limit(const grens_serve *s, uint64_t work, const char *what, serve_reply *r)
{
	if (work <= s->opts.max_departures)
		return 0;
	serve_reply_error(r, MHD_HTTP_BAD_REQUEST, "window",
			  "%llu departures to route%s%s%s, more than the server's %u: narrow "
			  "the window or raise the step",
			  (unsigned long long)work, what ? " (" : "", what ? what : "",
			  what ? ")" : "", s->opts.max_departures);
	return -1;
}

static int arg_bool(const char *name, const char *v, bool *out, serve_reply *r)
{
	if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "") == 0) {
		*out = true;
	} else if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0) {
		*out = false;
	} else {
		serve_reply_error(r, MHD_HTTP_BAD_REQUEST, name, "%s needs true or false, not '%.64s'",
				  name, v);
		return -1;
	}
	return 0;
}

/* ---- endpoints -------------------------------------------------------------------- */

static void get_health(grens_serve *s, serve_reply *r)
{
	pthread_mutex_lock(&s->lock);
	uint32_t running = s->running, waiting = s->waiting, nets = s->network_count - 1;
	pthread_mutex_unlock(&s->lock);
	reply_json(r, MHD_HTTP_OK,
		   json_pack("{s:s, s:I, s:I, s:i, s:i, s:i}", "status", "ok", "stops",
			     (json_int_t)s->base->stop_count, "stop_events",
			     (json_int_t)s->base->stop_time_count, "scenarios", (int)nets, "running",
			     (int)running, "waiting", (int)waiting));
}

static void get_index(serve_reply *r)
{
	reply_json(r, MHD_HTTP_OK,
		   json_pack("{s:s, s:s, s:[s,s,s,s,s,s,s,s]}", "api", "/api/v1/", "openapi",
			     "/api/v1/openapi.json", "endpoints", "/api/v1/stops", "/api/v1/route",
			     "/api/v1/profile", "/api/v1/compare", "/api/v1/access",
			     "/api/v1/network", "/api/v1/scenarios", "/healthz"));
}

static void get_openapi(serve_reply *r)
{
	r->status = MHD_HTTP_OK;
	r->body = strdup(grens_serve_openapi);
	r->len = r->body ? strlen(r->body) : 0;
	r->type = "application/json";
	if (!r->body)
		serve_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
}

static void get_route(grens_serve *s, const args *a, serve_reply *r)
{
	static const char *const allowed[] = {"from", "to", "date", "time", "scenario",
					      "algo", "max_transfers", NULL};
	const char *from, *to, *date, *time, *scenario, *algo, *mt;
	if (args_check(s, a, allowed, r) || args_one(a, "from", true, &from, r) ||
	    args_one(a, "to", true, &to, r) || args_one(a, "date", true, &date, r) ||
	    args_one(a, "time", true, &time, r) || args_one(a, "scenario", false, &scenario, r) ||
	    args_one(a, "algo", false, &algo, r) || args_one(a, "max_transfers", false, &mt, r))
		return;
	grens_report_route_job job = GRENS_REPORT_ROUTE_JOB_INIT;
	if (arg_date("date", date, &job.date, r) || arg_time("time", time, &job.time, r) ||
	    arg_uint32("max_transfers", mt, GRENS_ROUTE_MAX_TRANSFERS, &job.max_transfers, r))
		return;
	if (algo && strcmp(algo, "raptor") != 0 && strcmp(algo, "dijkstra") != 0) {
		serve_reply_error(r, MHD_HTTP_BAD_REQUEST, "algo",
				  "algo must be raptor or dijkstra, not '%.64s'", algo);
		return;
	}
	struct network *net = network_take(s, scenario);
	if (!net) {
		no_scenario(r, scenario);
		return;
	}
	job.tt = net->tt;
	job.scenario = net->sc;
	job.from = from;
	job.to = to;
	job.from_label = "from";
	job.to_label = "to";
	job.dijkstra = algo && strcmp(algo, "dijkstra") == 0;
	grens_error err;
	grens_error_clear(&err);
	uint32_t slot = 0;
	bool have_ws = false;
	int rc = 0;
	if (!job.dijkstra) {
		rc = workspace_take(s, net, &slot, &err);
		have_ws = rc == 0;
		job.raptor = have_ws ? net->ws[slot] : NULL;
	}
	grens_report_route *doc = NULL;
	if (!rc)
		rc = grens_report_route_new(&doc, &job, &err);
	reply_document(r, rc, doc, write_route, &err); /* before the workspace goes */
	grens_report_route_free(doc);
	if (have_ws)
		workspace_give(s, net, slot);
	network_give(s, net);
}

static void get_profile(grens_serve *s, const args *a, serve_reply *r)
{
	static const char *const allowed[] = {"from", "to", "date", "window", "step",
					      "threshold", "scenario", "max_transfers", NULL};
	const char *from, *to, *date, *window, *step, *threshold, *scenario, *mt;
	if (args_check(s, a, allowed, r) || args_one(a, "from", true, &from, r) ||
	    args_one(a, "to", true, &to, r) || args_one(a, "date", true, &date, r) ||
	    args_one(a, "window", true, &window, r) || args_one(a, "step", false, &step, r) ||
	    args_one(a, "threshold", false, &threshold, r) ||
	    args_one(a, "scenario", false, &scenario, r) ||
	    args_one(a, "max_transfers", false, &mt, r))
		return;
	grens_report_profile_job job = GRENS_REPORT_PROFILE_JOB_INIT;
	if (arg_date("date", date, &job.date, r) ||
	    arg_window("window", window, &job.window_start, &job.window_end, r) ||
	    arg_int32("step", step, 1, 3600, &job.step, r) ||
	    arg_int32("threshold", threshold, 0, 10000, &job.threshold_min, r) ||
	    arg_uint32("max_transfers", mt, GRENS_ROUTE_MAX_TRANSFERS, &job.max_transfers, r))
		return;
	job.window_text = window;
	uint64_t departures =
	    (uint64_t)(job.window_end - job.window_start) / (uint64_t)job.step + 1;
	if (work_limit(s, departures, NULL, r))
		return;
	struct network *net = network_take(s, scenario);
	if (!net) {
		no_scenario(r, scenario);
		return;
	}
	job.tt = net->tt;
	job.scenario = net->sc;
	job.from = from;
	job.to = to;
	job.from_label = "from";
	job.to_label = "to";
	grens_error err;
	grens_error_clear(&err);
	uint32_t slot = 0;
	int rc = workspace_take(s, net, &slot, &err);
	bool have_ws = rc == 0;
	job.raptor = have_ws ? net->ws[slot] : NULL;
	grens_report_profile *doc = NULL;
	if (!rc)
		rc = grens_report_profile_new(&doc, &job, &err);
	reply_document(r, rc, doc, write_profile, &err);
	grens_report_profile_free(doc);
	if (have_ws)
		workspace_give(s, net, slot);
	network_give(s, net);
}

static void get_compare(grens_serve *s, const args *a, serve_reply *r)
{
	static const char *const allowed[] = {"from", "to", "date", "window", "step",
					      "threshold", "scenario", "one_way",
					      "max_transfers", NULL};
	const char *from[MAX_LIST], *to[MAX_LIST], *dates[MAX_LIST], *scen[MAX_LIST];
	uint32_t nf, nt, nd, ns;
	const char *window, *step, *threshold, *one_way, *mt;
	if (args_check(s, a, allowed, r) || args_list(a, "from", from, MAX_LIST, &nf, r) ||
	    args_list(a, "to", to, MAX_LIST, &nt, r) || args_list(a, "date", dates, 4, &nd, r) ||
	    args_list(a, "scenario", scen, MAX_LIST, &ns, r) ||
	    args_one(a, "window", false, &window, r) || args_one(a, "step", false, &step, r) ||
	    args_one(a, "threshold", false, &threshold, r) ||
	    args_one(a, "one_way", false, &one_way, r) ||
	    args_one(a, "max_transfers", false, &mt, r))
		return;
	const char *missing = !nf ? "from" : !nt ? "to" : !nd ? "date" : NULL;
	if (missing) {
		serve_reply_error(r, MHD_HTTP_BAD_REQUEST, missing, "%s is required", missing);
		return;
	}
	grens_report_compare_job job = GRENS_REPORT_COMPARE_JOB_INIT;
	grens_date date_v[MAX_LIST];
	for (uint32_t i = 0; i < nd; i++)
		if (arg_date("date", dates[i], &date_v[i], r))
			return;
	int32_t threshold_min = job.threshold / 60;
	if (arg_window("window", window, &job.window_start, &job.window_end, r) ||
	    arg_int32("step", step, 1, 3600, &job.step, r) ||
	    arg_int32("threshold", threshold, 1, 24 * 60, &threshold_min, r) ||
	    arg_uint32("max_transfers", mt, GRENS_ROUTE_MAX_TRANSFERS, &job.max_transfers, r) ||
	    (one_way && arg_bool("one_way", one_way, &job.one_way, r)))
		return;
	job.threshold = threshold_min * 60;
	/* the work a request may ask for: every departure of every pair on
	 * every network and date is a query */
	uint64_t departures = (uint64_t)(job.window_end - job.window_start) / (uint64_t)job.step + 1;
	uint64_t work = departures * nf * nt * (job.one_way ? 1u : 2u) * (1u + ns) * nd;
	if (work_limit(s, work, "window, step, places, dates and scenarios", r))
		return;
	struct network *nets[MAX_LIST];
	const grens_scenario *scs[MAX_LIST];
	const grens_timetable *tts[MAX_LIST];
	uint32_t taken = 0;
	for (; taken < ns; taken++) {
		nets[taken] = strcmp(scen[taken], "none") ? network_take(s, scen[taken]) : NULL;
		if (!nets[taken] || !nets[taken]->sc) {
			if (nets[taken])
				network_give(s, nets[taken]);
			no_scenario(r, scen[taken]);
			goto out;
		}
		scs[taken] = nets[taken]->sc;
		tts[taken] = nets[taken]->tt;
	}
	job.source.snapshot = s->base;
	job.scenarios = scs;
	job.scenario_timetables = tts; /* applied once, when posted */
	job.scenario_count = ns;
	job.from = from;
	job.from_count = nf;
	job.to = to;
	job.to_count = nt;
	job.dates = date_v;
	job.date_count = nd;
	job.threads = 1;
	grens_error err;
	grens_error_clear(&err);
	grens_report_compare_run *run = NULL;
	int rc = grens_report_compare_run_new(&run, &job, NULL, &err);
	reply_document(r, rc, run, write_compare, &err);
	grens_report_compare_run_free(run);
out:
	for (uint32_t i = 0; i < taken; i++)
		network_give(s, nets[i]);
}

/* "60,90,120" (minutes) into seconds; -1 with the reply set. */
static int arg_minutes(const char *name, const char *v, int32_t *out, uint32_t cap, uint32_t *n,
		       int64_t min, int64_t max, serve_reply *r)
{
	*n = 0;
	const char *p = v;
	while (*p) {
		size_t len = strcspn(p, ",");
		int64_t x;
		if (*n == cap || grens_parse_i64(p, len, min, max, &x) != 0) {
			serve_reply_error(r, MHD_HTTP_BAD_REQUEST, name,
					  "%s needs up to %u numbers from %lld to %lld separated by "
					  "commas, not '%.64s'",
					  name, cap, (long long)min, (long long)max, v);
			return -1;
		}
		out[(*n)++] = (int32_t)x;
		p += len;
		if (*p == ',')
			p++;
	}
	if (!*n) {
		serve_reply_error(r, MHD_HTTP_BAD_REQUEST, name, "%s is empty", name);
		return -1;
	}
	return 0;
}

static void get_access(grens_serve *s, const args *a, serve_reply *r)
{
	static const char *const allowed[] = {"from", "date", "window", "step", "cutoffs",
					      "percentiles", "border", "home", NULL};
	if (!s->places) {
		serve_reply_error(r, MHD_HTTP_NOT_FOUND, NULL, "this server has no places");
		return;
	}
	const char *from[MAX_LIST];
	uint32_t nf;
	const char *date, *window, *step, *cutoffs, *percentiles, *border, *home;
	if (args_check(s, a, allowed, r) || args_list(a, "from", from, MAX_LIST, &nf, r) ||
	    args_one(a, "date", true, &date, r) || args_one(a, "window", false, &window, r) ||
	    args_one(a, "step", false, &step, r) || args_one(a, "cutoffs", false, &cutoffs, r) ||
	    args_one(a, "percentiles", false, &percentiles, r) ||
	    args_one(a, "border", false, &border, r) || args_one(a, "home", false, &home, r))
		return;
	if (!nf) {
		serve_reply_error(r, MHD_HTTP_BAD_REQUEST, "from", "from is required");
		return;
	}
	grens_report_access_job job = GRENS_REPORT_ACCESS_JOB_INIT;
	grens_access_options *o = &job.options;
	int32_t mins[GRENS_ACCESS_MAX_CUTOFFS];
	uint32_t n;
	if (arg_date("date", date, &o->date, r) || arg_int32("step", step, 1, 3600, &o->step, r) ||
	    arg_window("window", window, &o->window_start, &o->window_end, r))
		return;
	if (cutoffs) {
		if (arg_minutes("cutoffs", cutoffs, mins, GRENS_ACCESS_MAX_CUTOFFS, &n, 0, 10080, r))
			return;
		o->cutoff_count = n;
		for (uint32_t i = 0; i < n; i++)
			o->cutoffs[i] = mins[i] * 60;
	}
	if (percentiles) {
		if (arg_minutes("percentiles", percentiles, mins, GRENS_ACCESS_MAX_PERCENTILES, &n, 1,
				100, r))
			return;
		o->percentile_count = n;
		for (uint32_t i = 0; i < n; i++)
			o->percentiles[i] = (uint8_t)mins[i];
	}
	if (border && arg_bool("border", border, &job.border, r))
		return;
	if (job.border && !percentiles) {
		/* a border figure is quoted with its spread, as grens access does */
		o->percentiles[0] = 50;
		o->percentiles[1] = 90;
		o->percentile_count = 2;
	}
	if (home && strcmp(home, "NL") != 0 && strcmp(home, "DE") != 0) {
		serve_reply_error(r, MHD_HTTP_BAD_REQUEST, "home", "home must be NL or DE, not '%.8s'",
				  home);
		return;
	}
	uint64_t departures = (uint64_t)(o->window_end - o->window_start) / (uint64_t)o->step + 1;
	uint64_t work = departures * nf * (job.border ? 3u : 1u);
	if (work_limit(s, work, "window, step, origins and border views", r))
		return;
	o->max_duration = -1; /* the largest cutoff, as grens access */
	o->threads = 1;
	job.source.snapshot = s->base;
	job.places = s->places;
	job.places_files = s->places_files;
	job.places_file_count = s->places_file_count;
	job.from = from;
	job.from_count = nf;
	job.home = home ? home : "NL";
	/* the border views' central assumptions: the first and last mile of
	 * job.link and the linker's defaults (a snapshot keeps its own) */
	const grens_net_options d = GRENS_NET_OPTIONS_INIT;
	for (uint32_t k = 0; k < GRENS_REPORT_BORDER_SETS; k++)
		job.sets[k] = (grens_report_access_assumption){
		    .access_distance_m = job.link.max_distance_m,
		    .walk_speed_mps = job.link.walk_speed_mps,
		    .footpath_walk_speed_mps = d.walk_speed_mps,
		    .min_change = d.default_min_change,
		    .link_min_change = d.link_min_change};
	grens_error err;
	grens_error_clear(&err);
	grens_report_access *doc = NULL;
	int rc = grens_report_access_run(&doc, &job, NULL, &err);
	reply_document(r, rc, doc, write_access, &err);
	grens_report_access_free(doc);
}

/* Stations the page's search box and map clicks ask for (grens stops). */
static void get_stops(grens_serve *s, const args *a, serve_reply *r)
{
	static const char *const allowed[] = {"name", "near", "radius", "limit", NULL};
	const char *name, *near, *radius, *limit;
	if (args_check(s, a, allowed, r) || args_one(a, "name", false, &name, r) ||
	    args_one(a, "near", false, &near, r) || args_one(a, "radius", false, &radius, r) ||
	    args_one(a, "limit", false, &limit, r))
		return;
	if (!name == !near) {
		serve_reply_error(r, MHD_HTTP_BAD_REQUEST, name ? "near" : "name",
				  "give name or near, one of them");
		return;
	}
	grens_report_stops_query q = {.name = name, .radius_m = GRENS_NET_NEAR_RADIUS_M,
				      .limit = 10};
	int32_t lim = (int32_t)q.limit;
	if (arg_int32("limit", limit, 1, 100, &lim, r))
		return;
	q.limit = (uint32_t)lim;
	if (radius && !near) {
		serve_reply_error(r, MHD_HTTP_BAD_REQUEST, "radius", "radius goes with near");
		return;
	}
	if (near) {
		const char *comma = strchr(near, ',');
		const char *lon = comma ? comma + 1 : NULL;
		if (!comma || grens_parse_double(near, (size_t)(comma - near), &q.lat) != 0 ||
		    grens_parse_double(lon, strlen(lon), &q.lon) != 0 ||
		    !(q.lat >= -90.0 && q.lat <= 90.0) || !(q.lon >= -180.0 && q.lon <= 180.0)) {
			serve_reply_error(r, MHD_HTTP_BAD_REQUEST, "near",
					  "near needs LAT,LON in decimal degrees, not '%.64s'", near);
			return;
		}
		if (radius && (grens_parse_double(radius, strlen(radius), &q.radius_m) != 0 ||
			       !(q.radius_m > 0 && q.radius_m <= GRENS_LIMIT_SEARCH_RADIUS_M))) {
			serve_reply_error(r, MHD_HTTP_BAD_REQUEST, "radius",
					  "radius needs metres above 0, at most %.0f, not '%.64s'",
					  GRENS_LIMIT_SEARCH_RADIUS_M, radius);
			return;
		}
	}
	grens_net_stop_hit hits[100];
	uint32_t n = 0;
	grens_error err;
	grens_error_clear(&err);
	int rc = name ? grens_net_search_stops(s->base, name, hits, q.limit, &n, &err)
		      : grens_net_nearest_stops(s->base, q.lat, q.lon, q.radius_m, hits, q.limit,
						&n, &err);
	if (rc && !err.field[0])
		snprintf(err.field, sizeof(err.field), "%s", name ? "name" : "near");
	char *text = NULL;
	if (!rc)
		rc = grens_report_stops_json(&text, s->base, &q, hits, n, &err);
	if (rc) {
		reply_grens_error(r, rc, &err, false);
		return;
	}
	/* printed as grens stops prints it */
	json_t *doc = json_loads(text, 0, NULL);
	free(text);
	r->status = MHD_HTTP_OK;
	r->type = "application/json";
	r->body = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
					    JSON_REAL_PRECISION(15))
		      : NULL;
	json_decref(doc);
	r->len = r->body ? strlen(r->body) : 0;
	if (!r->body)
		serve_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
}

/* What the page's map draws (grens_report_network_json), made once per
 * network and kind. */
static void get_network(grens_serve *s, const args *a, serve_reply *r)
{
	static const char *const allowed[] = {"rail", "scenario", NULL};
	const char *rail, *scenario;
	bool rail_only = false;
	if (args_check(s, a, allowed, r) || args_one(a, "rail", false, &rail, r) ||
	    args_one(a, "scenario", false, &scenario, r) ||
	    (rail && arg_bool("rail", rail, &rail_only, r)))
		return;
	struct network *net = network_take(s, scenario);
	if (!net) {
		no_scenario(r, scenario);
		return;
	}
	grens_error err;
	grens_error_clear(&err);
	int rc = 0;
	pthread_mutex_lock(&net->ws_lock);
	char **doc = &net->map_json[rail_only];
	if (!*doc)
		rc = grens_report_network_json(doc, net->tt, rail_only, &err);
	r->body = rc ? NULL : strdup(*doc);
	pthread_mutex_unlock(&net->ws_lock);
	network_give(s, net);
	if (!rc && !r->body)
		rc = grens_error_set(&err, GRENS_ENOMEM, "out of memory");
	if (rc) {
		reply_grens_error(r, rc, &err, false);
		return;
	}
	r->status = MHD_HTTP_OK;
	r->type = "application/json";
	r->len = strlen(r->body);
}

static json_t *scenario_json(const struct network *n)
{
	const grens_scenario_stats *st = &n->stats;
	return json_pack("{s:s, s:s, s:s, s:b, s:i, s:{s:i, s:i, s:i, s:i, s:i}}", "sha256",
			 grens_scenario_hash(n->sc), "name", grens_scenario_name(n->sc),
			 "description", grens_scenario_description(n->sc), "shipped", n->shipped,
			 "edits", (int)st->edits, "changes", "trips_added", (int)st->trips_added,
			 "trips_removed", (int)st->trips_removed, "trips_changed",
			 (int)st->trips_changed, "stops_added", (int)st->stops_added,
			 "routes_added", (int)st->routes_added);
}

static void get_scenarios(grens_serve *s, const char *hash, serve_reply *r)
{
	json_t *list = json_array();
	json_t *one = NULL;
	pthread_mutex_lock(&s->lock);
	for (uint32_t i = 1; list && i < s->network_count; i++) {
		const struct network *n = s->networks[i];
		if (hash && strcmp(grens_scenario_hash(n->sc), hash) == 0)
			one = scenario_json(n);
		else if (!hash)
			json_array_append_new(list, scenario_json(n));
	}
	pthread_mutex_unlock(&s->lock);
	if (hash) {
		json_decref(list);
		if (one)
			reply_json(r, MHD_HTTP_OK, one);
		else
			serve_reply_error(r, MHD_HTTP_NOT_FOUND, NULL, "no scenario %.64s", hash);
		return;
	}
	reply_json(r, MHD_HTTP_OK, json_pack("{s:o}", "scenarios", list));
}

/* Room for one more uploaded network: the least recently used one nobody
 * uses goes when the cache is full. false when all are in use. */
static bool make_room(grens_serve *s, struct network **evicted)
{
	*evicted = NULL;
	uint32_t uploaded = 0, oldest = 0;
	for (uint32_t i = 1; i < s->network_count; i++) {
		const struct network *n = s->networks[i];
		if (n->shipped)
			continue;
		uploaded++;
		if (n->users == 0 &&
		    (!oldest || n->last_used < s->networks[oldest]->last_used))
			oldest = i;
	}
	if (uploaded < s->opts.max_scenarios)
		return true;
	if (!oldest)
		return false;
	*evicted = s->networks[oldest];
	memmove(&s->networks[oldest], &s->networks[oldest + 1],
		(s->network_count - oldest - 1) * sizeof(*s->networks));
	s->network_count--;
	return true;
}

static void post_scenario(grens_serve *s, const char *body, size_t len, serve_reply *r)
{
	grens_error err;
	grens_error_clear(&err);
	grens_scenario *sc = NULL;
	int rc = grens_scenario_parse(&sc, body ? body : "", len, "scenario.yaml", &err);
	if (rc) {
		reply_grens_error(r, rc == GRENS_ENOMEM ? rc : GRENS_EFORMAT, &err, true);
		return;
	}
	char hash[65];
	snprintf(hash, sizeof(hash), "%s", grens_scenario_hash(sc));
	struct network *have = network_take(s, hash);
	if (have) {
		pthread_mutex_lock(&s->lock);
		json_t *doc = scenario_json(have);
		pthread_mutex_unlock(&s->lock);
		network_give(s, have);
		grens_scenario_free(sc);
		reply_json(r, MHD_HTTP_OK, doc);
		return;
	}
	struct network *n = NULL;
	rc = network_derive(s, sc, &n, &err);
	if (rc) {
		grens_scenario_free(sc);
		reply_grens_error(r, rc == GRENS_ENOMEM || rc == GRENS_EIO ? rc : GRENS_EARG, &err, true);
		return;
	}
	struct network *evicted = NULL, *dup = NULL;
	pthread_mutex_lock(&s->lock);
	/* another request may have posted the same file meanwhile */
	for (uint32_t i = 1; i < s->network_count && !dup; i++)
		if (strcmp(grens_scenario_hash(s->networks[i]->sc), grens_scenario_hash(sc)) == 0)
			dup = s->networks[i];
	bool room = !dup && make_room(s, &evicted);
	json_t *doc = NULL;
	unsigned status = MHD_HTTP_CREATED;
	if (dup) {
		doc = scenario_json(dup);
		status = MHD_HTTP_OK;
	} else if (room) {
		n->last_used = ++s->requests;
		s->networks[s->network_count++] = n;
		doc = scenario_json(n);
		n = NULL;
	}
	pthread_mutex_unlock(&s->lock);
	network_free(n, s->opts.threads);
	network_free(evicted, s->opts.threads);
	if (!dup && !room) {
		serve_reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL,
				  "every cached scenario is in use; try again");
		r->retry_after = true;
		return;
	}
	reply_json(r, status, doc);
	if (status == MHD_HTTP_CREATED)
		snprintf(r->location, sizeof(r->location), "/api/v1/scenarios/%s", hash);
}

/* A file of the page by its name, from the embedded table only: a path
 * is never a file name. */
static void get_asset(const char *name, serve_reply *r)
{
	for (const struct serve_asset *a = grens_serve_assets; a->name; a++) {
		if (strcmp(a->name, name) != 0)
			continue;
		r->body = malloc(a->size + 1);
		if (!r->body) {
			serve_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
			return;
		}
		memcpy(r->body, a->bytes, a->size);
		r->len = a->size;
		r->type = a->type;
		r->status = MHD_HTTP_OK;
		r->page = true;
		return;
	}
	serve_reply_error(r, MHD_HTTP_NOT_FOUND, NULL, "no such file of the page: %.100s", name);
}

/* ---- dispatch --------------------------------------------------------------------- */

/* The work of an endpoint in a turn; without one, 503 with Retry-After. */
#define serve_answer(s, r, call)                                                                   \
	do {                                                                                       \
		const char *why_ = turn_take(s);                                                   \
		if (why_) {                                                                        \
			serve_reply_error((r), MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "%s; try again", \
					  why_);                                                   \
			(r)->retry_after = true;                                                   \
		} else {                                                                           \
			call;                                                                      \
			turn_give(s);                                                              \
		}                                                                                  \
	} while (0)

static bool is_hash(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return false;
	return n == 64;
}

static void dispatch(grens_serve *s, struct MHD_Connection *c, const char *url,
		     const char *method, const char *body, size_t len, serve_reply *r)
{
	bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	bool post = strcmp(method, "POST") == 0;
	args a = {.n = 0};
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect, &a);
	const char *allow = "GET, HEAD";
	if (strcmp(url, "/healthz") == 0) {
		if (get)
			get_health(s, r);
	} else if (strcmp(url, "/") == 0) {
		if (get)
			get_asset("index.html", r);
	} else if (strncmp(url, "/page/", 6) == 0) {
		if (get)
			get_asset(url + 6, r);
	} else if (strcmp(url, "/api/v1") == 0 || strcmp(url, "/api/v1/") == 0) {
		if (get)
			get_index(r);
	} else if (strcmp(url, "/api/v1/openapi.json") == 0) {
		if (get)
			get_openapi(r);
	} else if (strcmp(url, "/api/v1/route") == 0) {
		if (get)
			serve_answer(s, r, get_route(s, &a, r));
	} else if (strcmp(url, "/api/v1/profile") == 0) {
		if (get)
			serve_answer(s, r, get_profile(s, &a, r));
	} else if (strcmp(url, "/api/v1/compare") == 0) {
		if (get)
			serve_answer(s, r, get_compare(s, &a, r));
	} else if (strcmp(url, "/api/v1/network") == 0) {
		if (get)
			serve_answer(s, r, get_network(s, &a, r));
	} else if (strcmp(url, "/api/v1/stops") == 0) {
		if (get)
			serve_answer(s, r, get_stops(s, &a, r));
	} else if (strcmp(url, "/api/v1/access") == 0) {
		if (get)
			serve_answer(s, r, get_access(s, &a, r));
	} else if (strcmp(url, "/api/v1/scenarios") == 0) {
		allow = "GET, HEAD, POST";
		if (get)
			get_scenarios(s, NULL, r);
		else if (post)
			serve_answer(s, r, post_scenario(s, body, len, r));
	} else if (strncmp(url, "/api/v1/scenarios/", 18) == 0 && is_hash(url + 18)) {
		if (get)
			get_scenarios(s, url + 18, r);
	} else {
		serve_reply_error(r, MHD_HTTP_NOT_FOUND, NULL, "no such path: %.200s", url);
		return;
	}
	if (!r->status) {
		serve_reply_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, NULL, "%s is not allowed here (%s)",
				  method, allow);
		r->allow = allow;
	}
}

/* ---- the HTTP side ------------------------------------------------------------------ */

/* One request while it arrives: its POST body and when it began. */
struct request {
	char *body;
	size_t len;
	bool too_big;
	struct timespec t0;
};

static void log_request(grens_serve *s, struct MHD_Connection *c, const char *method,
			const char *url, const char *version, unsigned status, size_t bytes,
			const struct timespec *t0)
{
	if (!s->opts.log.fn)
		return;
	char host[INET6_ADDRSTRLEN] = "-";
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
				  host, sizeof(host));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, host,
				  sizeof(host));
	}
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
	time_t now = time(NULL);
	struct tm tm;
	char when[64];
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%d/%b/%Y:%H:%M:%S +0000", &tm);
	char line[1200];
	snprintf(line, sizeof(line), "%s - - [%s] \"%s %.800s %s\" %u %zu %.3f", host, when, method,
		 url, version, status, bytes, secs);
	s->opts.log.fn(s->opts.log.ctx, line);
}

static enum MHD_Result send_reply(grens_serve *s, struct MHD_Connection *c, const char *method,
				  const char *url, const char *version, struct request *rq,
				  serve_reply *r)
{
	bool head = strcmp(method, "HEAD") == 0;
	struct MHD_Response *resp = MHD_create_response_from_buffer(
	    r->len, r->body ? r->body : (void *)"", r->body ? MHD_RESPMEM_MUST_FREE
							    : MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(r->body);
		return MHD_NO;
	}
	size_t bytes = head ? 0 : r->len;
	r->body = NULL;
	char type[96];
	snprintf(type, sizeof(type), "%s; charset=utf-8", r->type ? r->type : "application/json");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (r->allow)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
	if (r->retry_after)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "1");
	if (r->location[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
	if (r->page) {
		/* the page runs its own files only and talks to this server only */
		MHD_add_response_header(resp, "Content-Security-Policy",
					"default-src 'self'; img-src 'self' data:; "
					"frame-ancestors 'none'");
		MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	}
	enum MHD_Result ok = MHD_queue_response(c, r->status, resp);
	MHD_destroy_response(resp);
	log_request(s, c, method, url, version, r->status, bytes, &rq->t0);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	grens_serve *s = cls;
	struct request *rq = *con_cls;
	serve_reply r = {0};
	if (!rq) {
		rq = calloc(1, sizeof(*rq));
		if (!rq)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &rq->t0);
		*con_cls = rq;
		pthread_mutex_lock(&s->lock);
		s->active++;
		pthread_mutex_unlock(&s->lock);
		/* a body announced too long is refused before it is read */
		const char *cl =
		    MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		int64_t n = 0;
		if (cl && (grens_parse_i64(cl, strlen(cl), 0, INT64_MAX, &n) != 0 ||
			   (uint64_t)n > s->opts.max_body_bytes)) {
			serve_reply_error(&r, MHD_HTTP_CONTENT_TOO_LARGE, NULL,
					  "the body is longer than %zu bytes", s->opts.max_body_bytes);
			return send_reply(s, c, method, url, version, rq, &r);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (rq->too_big)
			return MHD_YES;
		if (rq->len + n > s->opts.max_body_bytes) {
			rq->too_big = true;
			free(rq->body);
			rq->body = NULL;
			rq->len = 0;
			return MHD_YES;
		}
		char *grown = realloc(rq->body, rq->len + n + 1);
		if (!grown)
			return MHD_NO;
		memcpy(grown + rq->len, upload, n);
		rq->len += n;
		grown[rq->len] = '\0';
		rq->body = grown;
		return MHD_YES;
	}
	if (rq->too_big)
		serve_reply_error(&r, MHD_HTTP_CONTENT_TOO_LARGE, NULL,
				  "the body is longer than %zu bytes", s->opts.max_body_bytes);
	else
		dispatch(s, c, url, method, rq->body, rq->len, &r);
	return send_reply(s, c, method, url, version, rq, &r);
}

/* A request answered in full (or its connection gone). */
static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)c;
	(void)toe;
	grens_serve *s = cls;
	struct request *rq = *con_cls;
	if (rq) {
		free(rq->body);
		free(rq);
		pthread_mutex_lock(&s->lock);
		s->active--;
		pthread_cond_broadcast(&s->idle);
		pthread_mutex_unlock(&s->lock);
	}
	*con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	grens_serve *s = cls;
	if (!s->opts.log.fn)
		return;
	char line[1024];
	int n = snprintf(line, sizeof(line), "libmicrohttpd: ");
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	size_t len = strlen(line);
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	s->opts.log.fn(s->opts.log.ctx, line);
}

int grens_serve_new(grens_serve **out, const grens_timetable *tt, const grens_serve_options *opts,
		    grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_serve_new: out is NULL");
	*out = NULL;
	if (!tt || !opts)
		return grens_error_set(err, GRENS_EINVAL, "grens_serve_new: no timetable or options");
	if (opts->version != GRENS_SERVE_OPTIONS_VERSION)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_serve_new: options of version %u, expected %u "
				       "(GRENS_SERVE_OPTIONS_INIT)",
				       opts->version, GRENS_SERVE_OPTIONS_VERSION);
	if (!grens_net_snapshot_inputs(tt))
		return grens_error_set(err, GRENS_EARG,
				       "the server needs a timetable opened from a snapshot");
	if (opts->threads < 1 || opts->threads > GRENS_SERVE_MAX_THREADS)
		return grens_error_set(err, GRENS_EARG, "threads must be 1 to %u, not %u",
				       GRENS_SERVE_MAX_THREADS, opts->threads);
	if (opts->queue > GRENS_SERVE_MAX_QUEUE)
		return grens_error_set(err, GRENS_EARG, "queue must be at most %u, not %u",
				       GRENS_SERVE_MAX_QUEUE, opts->queue);
	if (opts->max_scenarios > GRENS_SERVE_MAX_SCENARIOS || !opts->max_body_bytes ||
	    !opts->max_value_bytes || !opts->max_departures || !opts->idle_timeout_s)
		return grens_error_set(err, GRENS_EARG, "a server limit is 0 or out of range");
	grens_serve *s = calloc(1, sizeof(*s));
	if (!s)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	s->opts = *opts;
	s->opts.host = NULL; /* only used in start, from opts there */
	s->base = tt;
	s->networks = calloc(GRENS_SERVE_MAX_SCENARIOS * 2 + 1, sizeof(*s->networks));
	bool locks = pthread_mutex_init(&s->lock, NULL) == 0;
	bool conds = locks && pthread_cond_init(&s->turn, NULL) == 0 &&
		     pthread_cond_init(&s->idle, NULL) == 0;
	if (s->networks)
		s->networks[0] = network_new(s, NULL, (grens_timetable *)tt);
	if (!s->networks || !s->networks[0] || !conds) {
		if (s->networks)
			network_free(s->networks[0], opts->threads);
		free(s->networks);
		if (locks)
			pthread_mutex_destroy(&s->lock);
		free(s);
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	}
	s->network_count = 1;
	snprintf(s->host, sizeof(s->host), "%s", opts->host ? opts->host : "127.0.0.1");
	*out = s;
	return 0;
}

int grens_serve_add_scenario(grens_serve *s, const char *text, size_t len, const char *file,
			     grens_error *err)
{
	if (!s || (!text && len))
		return grens_error_set(err, GRENS_EINVAL, "grens_serve_add_scenario: no server");
	if (s->daemon)
		return grens_error_set(err, GRENS_EARG, "scenarios are added before the start");
	uint32_t shipped = 0;
	for (uint32_t i = 1; i < s->network_count; i++)
		shipped += s->networks[i]->shipped;
	if (shipped >= GRENS_SERVE_MAX_SCENARIOS)
		return grens_error_set(err, GRENS_ELIMIT, "more than %u scenarios",
				       GRENS_SERVE_MAX_SCENARIOS);
	grens_scenario *sc = NULL;
	int rc = grens_scenario_parse(&sc, text ? text : "", len, file ? file : "scenario.yaml",
				      err);
	if (rc)
		return rc;
	for (uint32_t i = 1; i < s->network_count; i++) {
		if (strcmp(grens_scenario_hash(s->networks[i]->sc), grens_scenario_hash(sc)) == 0) {
			grens_scenario_free(sc);
			return 0; /* the same file twice */
		}
	}
	struct network *n = NULL;
	rc = network_derive(s, sc, &n, err);
	if (rc) {
		grens_scenario_free(sc);
		return rc;
	}
	n->shipped = true;
	s->networks[s->network_count++] = n;
	return 0;
}

int grens_serve_set_places(grens_serve *s, const grens_access_places *places,
			   const char *const *files, uint32_t n, grens_error *err)
{
	if (!s || !places || (n && !files))
		return grens_error_set(err, GRENS_EINVAL, "grens_serve_set_places: no server or places");
	if (s->daemon)
		return grens_error_set(err, GRENS_EARG, "places are set before the start");
	s->places = places;
	s->places_files = files;
	s->places_file_count = n;
	return 0;
}

int grens_serve_start(grens_serve *s, grens_error *err)
{
	if (!s)
		return grens_error_set(err, GRENS_EINVAL, "grens_serve_start: no server");
	if (s->daemon)
		return 0;
	struct sockaddr_in a4;
	struct sockaddr_in6 a6;
	memset(&a4, 0, sizeof(a4));
	memset(&a6, 0, sizeof(a6));
	const struct sockaddr *sa;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
			 MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (inet_pton(AF_INET, s->host, &a4.sin_addr) == 1) {
		a4.sin_family = AF_INET;
		a4.sin_port = htons(s->opts.port);
		sa = (const struct sockaddr *)&a4;
	} else if (inet_pton(AF_INET6, s->host, &a6.sin6_addr) == 1) {
		a6.sin6_family = AF_INET6;
		a6.sin6_port = htons(s->opts.port);
		sa = (const struct sockaddr *)&a6;
		flags |= MHD_USE_IPv6;
	} else {
		return grens_error_set(err, GRENS_EARG, "'%s' is not an IPv4 or IPv6 address",
				       s->host);
	}
	/* beyond those answered and waiting, room to tell more clients 503 */
	unsigned limit = s->opts.threads + s->opts.queue + 64;
	s->daemon = MHD_start_daemon(
	    flags, s->opts.port, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log,
	    s, MHD_OPTION_SOCK_ADDR, sa, MHD_OPTION_CONNECTION_LIMIT, limit,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)s->opts.idle_timeout_s,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
	if (!s->daemon)
		return grens_error_set(err, GRENS_EIO, "cannot listen on %s port %u: %s", s->host,
				       (unsigned)s->opts.port, strerror(errno));
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : s->opts.port;
	return 0;
}

uint16_t grens_serve_port(const grens_serve *s)
{
	return s ? s->port : 0;
}

void grens_serve_stop(grens_serve *s)
{
	if (!s || !s->daemon)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	pthread_mutex_unlock(&s->lock);
	MHD_socket fd = MHD_quiesce_daemon(s->daemon);
	/* the requests answered and waiting finish and their answers go out
	 * (new ones on open connections get 503); a client that does not
	 * read its answer is given STOP_GRACE_S */
	struct timespec until;
	deadline_after(&until, STOP_GRACE_S * 1000u);
	pthread_mutex_lock(&s->lock);
	int rc = 0;
	while ((s->running || s->waiting) && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&s->idle, &s->lock, &until);
	while (s->running || s->waiting)
		pthread_cond_wait(&s->idle, &s->lock); /* a request's work cannot be cut */
	rc = 0;
	while (s->active && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&s->idle, &s->lock, &until);
	pthread_mutex_unlock(&s->lock);
	MHD_stop_daemon(s->daemon);
	s->daemon = NULL;
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
}

void grens_serve_free(grens_serve *s)
{
	if (!s)
		return;
	grens_serve_stop(s);
	for (uint32_t i = 0; i < s->network_count; i++)
		network_free(s->networks[i], s->opts.threads);
	free(s->networks);
	pthread_cond_destroy(&s->turn);
	pthread_cond_destroy(&s->idle);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
