/* bench-serve: a load test of grens serve over loopback (not a test).
 *
 *   bench-serve --port P [--clients N] [--seconds S] QUERIES
 *
 * QUERIES holds one request path per line ("/api/v1/route?from=..."). N
 * clients, each on its own keep-alive connection, send them in turn (client
 * i starts at line i) for S seconds, then stop by themselves. Prints the
 * requests answered, their rate, the latency p50 / p99 / max and the answers
 * by status (and connection errors). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 256
#define MAX_QUERIES 100000
#define MAX_LATENCIES (1u << 22)
#define BUF_BYTES (1u << 20)

static char *queries[MAX_QUERIES];
static unsigned query_count;
static int port;
static double seconds = 10;

struct client {
	pthread_t thread;
	unsigned index;
	double *lat; /* seconds of each answered request (the first lat_cap) */
	unsigned lat_n, lat_cap;
	unsigned ok2xx, s4xx, s5xx, errors;
	char *buf;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int connect_once(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One request on fd: the status, or -1 when the connection failed. */
static int request(int fd, const char *path, char *buf, bool *closed)
{
	char head[8192];
	int n = snprintf(head, sizeof(head), "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", path);
	if (n <= 0 || (size_t)n >= sizeof(head) || send(fd, head, (size_t)n, MSG_NOSIGNAL) != n)
		return -1;
	size_t have = 0;
	char *body = NULL;
	long length = -1;
	int status = -1;
	for (;;) {
		ssize_t got = recv(fd, buf + have, BUF_BYTES - 1 - have, 0);
		if (got <= 0)
			return -1;
		have += (size_t)got;
		buf[have] = '\0';
		if (!body && (body = strstr(buf, "\r\n\r\n"))) {
			body += 4;
			if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
				return -1;
			const char *cl = strcasestr(buf, "\r\nContent-Length:");
			length = cl ? strtol(cl + 17, NULL, 10) : -1;
			*closed = strcasestr(buf, "\r\nConnection: close") != NULL;
			if (length < 0)
				return -1;
		}
		if (body && (size_t)(buf + have - body) >= (size_t)length)
			return status;
		if (have >= BUF_BYTES - 1)
			return -1;
	}
}

static void *run_client(void *arg)
{
	struct client *c = arg;
	double end = now() + seconds;
	unsigned q = c->index % query_count;
	int fd = -1;
	while (now() < end) {
		if (fd < 0 && (fd = connect_once()) < 0) {
			c->errors++;
			usleep(10000);
			continue;
		}
		bool closed = false;
		double t0 = now();
		int status = request(fd, queries[q], c->buf, &closed);
		double t = now() - t0;
		q = (q + 1) % query_count;
		if (status < 0) {
			c->errors++;
			close(fd);
			fd = -1;
			continue;
		}
		if (c->lat_n < c->lat_cap)
			c->lat[c->lat_n++] = t;
		if (status < 300)
			c->ok2xx++;
		else if (status < 500)
			c->s4xx++;
		else
			c->s5xx++;
		if (closed) {
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int clients = 4;
	const char *file = NULL;
	for (int i = 1; i < argc; i++) {
		char *end = NULL;
		if (strcmp(argv[i], "--port") == 0 && i + 1 < argc)
			port = (int)strtol(argv[++i], &end, 10);
		else if (strcmp(argv[i], "--clients") == 0 && i + 1 < argc)
			clients = (int)strtol(argv[++i], &end, 10);
		else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
			seconds = strtod(argv[++i], &end);
		else
			file = argv[i];
		if (end && *end)
			port = 0; /* not a number: the usage below */
	}
	if (!file || port <= 0 || port > 65535 || clients < 1 || clients > MAX_CLIENTS ||
	    !(seconds > 0 && seconds <= 600)) {
		fprintf(stderr, "usage: bench-serve --port P [--clients 1-%d] [--seconds 1-600] "
				"QUERIES\n",
			MAX_CLIENTS);
		return 2;
	}
	FILE *f = fopen(file, "r");
	if (!f) {
		fprintf(stderr, "bench-serve: %s: %s\n", file, strerror(errno));
		return 1;
	}
	char line[8192];
	while (query_count < MAX_QUERIES && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '/')
			queries[query_count++] = strdup(line);
	}
	fclose(f);
	if (!query_count) {
		fprintf(stderr, "bench-serve: %s holds no request path\n", file);
		return 1;
	}
	struct client *cs = calloc((size_t)clients, sizeof(*cs));
	for (int i = 0; i < clients; i++) {
		cs[i].index = (unsigned)i;
		cs[i].lat_cap = MAX_LATENCIES / (unsigned)clients;
		cs[i].lat = malloc(sizeof(double) * cs[i].lat_cap);
		cs[i].buf = malloc(BUF_BYTES);
	}
	double t0 = now();
	for (int i = 0; i < clients; i++)
		pthread_create(&cs[i].thread, NULL, run_client, &cs[i]);
	for (int i = 0; i < clients; i++)
		pthread_join(cs[i].thread, NULL);
	double wall = now() - t0;
	unsigned n = 0, ok = 0, c4 = 0, c5 = 0, errs = 0;
	for (int i = 0; i < clients; i++) {
		n += cs[i].lat_n;
		ok += cs[i].ok2xx;
		c4 += cs[i].s4xx;
		c5 += cs[i].s5xx;
		errs += cs[i].errors;
	}
	double *all = malloc(sizeof(double) * (n ? n : 1));
	for (int i = 0, k = 0; i < clients; i++)
		for (unsigned j = 0; j < cs[i].lat_n; j++)
			all[k++] = cs[i].lat[j];
	qsort(all, n, sizeof(double), cmp_double);
	double p50 = n ? all[n / 2] : 0, p99 = n ? all[(size_t)((n - 1) * 0.99)] : 0,
	       max = n ? all[n - 1] : 0;
	unsigned answers = ok + c4 + c5;
	printf("%d clients, %.1f s: %u answers (%.1f/s), latency p50 %.2f ms, p99 %.2f ms, max "
	       "%.2f ms; 2xx %u, 4xx %u, 5xx %u, connection errors %u\n",
	       clients, wall, answers, answers / wall, p50 * 1e3, p99 * 1e3, max * 1e3, ok, c4, c5,
	       errs);
	for (int i = 0; i < clients; i++) {
		free(cs[i].lat);
		free(cs[i].buf);
	}
	free(cs);
	free(all);
	for (unsigned i = 0; i < query_count; i++)
		free(queries[i]);
	return 0;
}
