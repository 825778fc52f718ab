/* Private to the library: memory advice shared by the loaders and the
 * arena. */
#ifndef GRENS_MEM_H
#define GRENS_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

/* Large blocks written once front to back (row arrays, a timetable's stop
 * events): huge pages save most of their page faults. The advice covers
 * every page of the block: advising only its 2 MB aligned middle would split
 * the mapping in three, and a later realloc could then not move it with
 * mremap but would copy it. Only advice; failure is harmless. */
static inline void grens_mem_advise_huge(void *p, size_t bytes)
{
	uintptr_t lo = (uintptr_t)p & ~(uintptr_t)0xFFF;
	uintptr_t hi = ((uintptr_t)p + bytes + 0xFFF) & ~(uintptr_t)0xFFF;
	madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
}

#endif
