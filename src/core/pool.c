/* Units of work over threads (grens_pool.h). */
#include <pthread.h>
#include <stdlib.h>

#include "grens_pool.h"

struct pool {
	grens_pool_fn fn;
	void (*done)(void *ctx, uint32_t finished, uint32_t units);
	void *ctx;
	pthread_mutex_t lock;
	uint32_t next, units, finished;
	int rc;		   /* of the failed unit with the lowest index, */
	uint32_t err_unit; /* that unit, */
	grens_error err;   /* and its error */
};

struct pool_thread {
	struct pool *pool;
	uint32_t id;
	pthread_t thread;
};

static void *pool_worker(void *arg)
{
	struct pool_thread *th = arg;
	struct pool *p = th->pool;
	grens_error err;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		uint32_t u = p->rc == 0 && p->next < p->units ? p->next++ : p->units;
		pthread_mutex_unlock(&p->lock);
		if (u == p->units)
			return NULL;
		grens_error_clear(&err);
		int rc = p->fn(p->ctx, u, th->id, &err);
		pthread_mutex_lock(&p->lock);
		if (rc && u < p->err_unit) {
			p->rc = rc;
			p->err_unit = u;
			p->err = err;
		}
		p->finished++;
		if (p->done)
			p->done(p->ctx, p->finished, p->units);
		pthread_mutex_unlock(&p->lock);
	}
}

int grens_pool_run(uint32_t threads, uint32_t units, grens_pool_fn fn,
		   void (*done)(void *ctx, uint32_t finished, uint32_t units), void *ctx,
		   grens_error *err)
{
	struct pool p = { .fn = fn, .done = done, .ctx = ctx, .units = units,
			  .err_unit = units };
	if (threads == 0)
		threads = 1;
	if (threads > units)
		threads = units ? units : 1;
	struct pool_thread *th = calloc(threads, sizeof(*th));
	if (!th || pthread_mutex_init(&p.lock, NULL) != 0) {
		free(th);
		return grens_error_set(err, GRENS_ENOMEM, "out of memory for %u threads", threads);
	}
	uint32_t started = 1;
	for (uint32_t i = 0; i < threads; i++)
		th[i] = (struct pool_thread){ .pool = &p, .id = i };
	for (; started < threads; started++)
		if (pthread_create(&th[started].thread, NULL, pool_worker, &th[started]) != 0)
			break;
	pool_worker(&th[0]);
	for (uint32_t i = 1; i < started; i++)
		pthread_join(th[i].thread, NULL);
	pthread_mutex_destroy(&p.lock);
	free(th);
	if (p.rc && err)
		*err = p.err;
	return p.rc;
}
