/* scan/education — degree levels and the words that name them, for the
 * resume's highest degree and the level a posting asks for. Owned by the
 * resume scanner; the matcher compiles the forms into an automaton. */
#ifndef JT_SCAN_EDUCATION_H
#define JT_SCAN_EDUCATION_H

#include <stddef.h>

enum edu_level { EDU_NONE, EDU_SECONDARY, EDU_ASSOCIATE, EDU_BACHELOR, EDU_MASTER, EDU_DOCTORATE };

struct edu_form {
	const char *form; /* tokenized like a skill alias; '=' = case-sensitive */
	enum edu_level level;
};

extern const struct edu_form edu_forms[];
extern const size_t n_edu_forms;

const char *edu_level_name(enum edu_level level);

#endif
