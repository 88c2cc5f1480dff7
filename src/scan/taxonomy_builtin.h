/* scan/taxonomy_builtin — the taxonomy files embedded into the binary by
 * tools/embed_taxonomy.py (generated taxonomy_data.c): their contents in
 * TAX_* order (taxonomy.h), and the folder they came from. */
#ifndef JT_SCAN_TAXONOMY_BUILTIN_H
#define JT_SCAN_TAXONOMY_BUILTIN_H

extern const char *const taxonomy_builtin_text[4];
extern const char taxonomy_builtin_origin[];

#endif
