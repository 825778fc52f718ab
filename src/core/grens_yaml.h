/* Private to the library: reading configuration and scenario files through
 * libyaml's document API. Every reader walks the same node tree and reports
 * problems as file:line:column with the key as field, so these helpers are
 * shared rather than copied per module. */
#ifndef GRENS_CORE_YAML_H
#define GRENS_CORE_YAML_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <yaml.h>

#include "grens/core.h"

typedef struct grens_yaml {
	yaml_document_t doc;
	const char *file; /* names the text in errors; not owned */
	bool loaded;
} grens_yaml;

/* Parse text[0..len) into y. Nesting deeper than max_depth is refused while
 * the events arrive, before the document is built (libyaml's scanner time
 * grows with the square of the depth). GRENS_EFORMAT with line and column on
 * a syntax error, GRENS_ELIMIT when too deep, GRENS_ENOMEM. y needs
 * grens_yaml_free afterwards, also after a failure. */
int grens_yaml_load(grens_yaml *y, const char *text, size_t len, const char *file,
		    unsigned max_depth, grens_error *err);
void grens_yaml_free(grens_yaml *y);

/* The document's root node; NULL for an empty document. */
yaml_node_t *grens_yaml_root(grens_yaml *y);
yaml_node_t *grens_yaml_node(grens_yaml *y, int id);
/* 1-based line and column of a node. */
uint32_t grens_yaml_line(const yaml_node_t *node);
uint32_t grens_yaml_column(const yaml_node_t *node);

/* Set err to code at file:line:column with field, and return code. A
 * message starting with "FIELD: " loses that prefix, since the location
 * prints the field already. */
int grens_yaml_failv(grens_error *err, int code, const char *file, uint32_t line, uint32_t column,
		     const char *field, const char *fmt, va_list ap);
int grens_yaml_fail(const grens_yaml *y, grens_error *err, int code, const yaml_node_t *at,
		    const char *field, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The text of a scalar node (not a copy: it lives as long as y), checked to
 * be valid UTF-8 without NUL; an error naming field otherwise. */
int grens_yaml_text(const grens_yaml *y, const yaml_node_t *node, const char *field,
		    const char **text, size_t *len, grens_error *err);
/* Check that node is a mapping whose keys are scalars, each one of allowed
 * (NULL-terminated) and given once. what names the mapping in errors. */
int grens_yaml_check_keys(grens_yaml *y, yaml_node_t *map, const char *what,
			  const char *const *allowed, grens_error *err);
/* The value node of key in the mapping map, or NULL. */
yaml_node_t *grens_yaml_get(grens_yaml *y, yaml_node_t *map, const char *key);

/* Write s to out as a YAML scalar: plain when that reads back as the same
 * string, else double-quoted with escapes. */
void grens_yaml_write_scalar(FILE *out, const char *s);

#endif
