#include <stdlib.h>
#include <string.h>

#include "grens/core.h"
#include "grens_mem.h"

/* Chunks are kept in a singly linked list; a request larger than the chunk
 * size gets a chunk of its own. */
struct chunk {
	struct chunk *next;
	size_t size;
	size_t used;
	_Alignas(64) unsigned char mem[];
};

struct grens_arena {
	struct chunk *head;
	size_t chunk_size;
	size_t bytes;
};

grens_arena *grens_arena_new(size_t chunk_size)
{
	grens_arena *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->chunk_size = chunk_size ? chunk_size : (size_t)1 << 20;
	return a;
}

void grens_arena_free(grens_arena *a)
{
	if (!a)
		return;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
	free(a);
}

void *grens_arena_alloc(grens_arena *a, size_t size, size_t align)
{
	if (!a || align == 0 || align > 64 || (align & (align - 1)))
		return NULL;
	if (size == 0)
		size = 1;
	struct chunk *c = a->head;
	if (c) {
		size_t off = (c->used + align - 1) & ~(align - 1);
		if (off <= c->size && size <= c->size - off) {
			c->used = off + size;
			return c->mem + off; /* chunks come from calloc: already zero */
		}
	}
	size_t want = size > a->chunk_size ? size : a->chunk_size;
	size_t total;
	if (grens_size_add(sizeof(struct chunk), want, &total))
		return NULL;
	c = calloc(1, total);
	if (!c)
		return NULL;
	if (total >= ((size_t)8 << 20))
		grens_mem_advise_huge(c, total); /* a timetable's stop events, say */
	c->size = want;
	c->used = size;
	a->bytes += total;
	if (a->head && size > a->chunk_size) {
		/* Keep the partly used chunk at the head for small requests. */
		c->next = a->head->next;
		a->head->next = c;
	} else {
		c->next = a->head;
		a->head = c;
	}
	return c->mem;
}

void *grens_arena_calloc(grens_arena *a, size_t n, size_t size, size_t align)
{
	if (!a && n)
		return NULL; /* NULL not allowed: docs/api.md */
	size_t total;
	if (grens_size_mul(n, size, &total))
		return NULL;
	return grens_arena_alloc(a, total, align);
}

char *grens_arena_strndup(grens_arena *a, const char *s, size_t len)
{
	if (!a || (!s && len))
		return NULL; /* NULL not allowed: docs/api.md */
	size_t total;
	if (grens_size_add(len, 1, &total))
		return NULL;
	char *p = grens_arena_alloc(a, total, 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

size_t grens_arena_bytes(const grens_arena *a)
{
	return a ? a->bytes : 0;
}

int grens_array_reserve(void **arr, size_t *cap, size_t elem, size_t need)
{
	if (!arr)
		return GRENS_EINVAL; /* NULL not allowed: docs/api.md */
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap : 16;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return GRENS_ENOMEM;
		ncap *= 2;
	}
	size_t bytes;
	if (grens_size_mul(ncap, elem, &bytes))
		return GRENS_ENOMEM;
	void *p = realloc(*arr, bytes);
	if (!p)
		return GRENS_ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}
