/* scan/education — the degree vocabulary (see education.h). Ambiguous
 * abbreviations are case-sensitive ("BA", "BS", "MD") or left out ("MS" is
 * also Microsoft, "JD" also a job description); "master" needs a degree word
 * after it so that "Scrum Master" is not a degree. */
#include "scan/education.h"

const struct edu_form edu_forms[] = {
	{ "high school", EDU_SECONDARY },
	{ "high school diploma", EDU_SECONDARY },
	{ "ged", EDU_SECONDARY },
	{ "secondary school", EDU_SECONDARY },
	{ "associate degree", EDU_ASSOCIATE },
	{ "associates degree", EDU_ASSOCIATE },
	{ "associate of arts", EDU_ASSOCIATE },
	{ "associate of science", EDU_ASSOCIATE },
	{ "associate of applied science", EDU_ASSOCIATE },
	{ "aas", EDU_ASSOCIATE },
	{ "bachelor", EDU_BACHELOR },
	{ "bachelors", EDU_BACHELOR },
	{ "b.s", EDU_BACHELOR },
	{ "b.sc", EDU_BACHELOR },
	{ "bsc", EDU_BACHELOR },
	{ "b.a", EDU_BACHELOR },
	{ "=BA", EDU_BACHELOR },
	{ "=BS", EDU_BACHELOR },
	{ "b.eng", EDU_BACHELOR },
	{ "beng", EDU_BACHELOR },
	{ "b.tech", EDU_BACHELOR },
	{ "btech", EDU_BACHELOR },
	{ "bba", EDU_BACHELOR },
	{ "bsn", EDU_BACHELOR },
	{ "undergraduate degree", EDU_BACHELOR },
	{ "college degree", EDU_BACHELOR },
	{ "university degree", EDU_BACHELOR },
	{ "4 year degree", EDU_BACHELOR },
	{ "four year degree", EDU_BACHELOR },
	{ "master degree", EDU_MASTER },
	{ "masters degree", EDU_MASTER },
	{ "master of", EDU_MASTER },
	{ "masters of", EDU_MASTER },
	{ "masters in", EDU_MASTER },
	{ "master in", EDU_MASTER },
	{ "m.s", EDU_MASTER },
	{ "m.sc", EDU_MASTER },
	{ "msc", EDU_MASTER },
	{ "m.a", EDU_MASTER },
	{ "mba", EDU_MASTER },
	{ "m.eng", EDU_MASTER },
	{ "meng", EDU_MASTER },
	{ "msn", EDU_MASTER },
	{ "m.ed", EDU_MASTER },
	{ "graduate degree", EDU_MASTER },
	{ "postgraduate degree", EDU_MASTER },
	{ "advanced degree", EDU_MASTER },
	{ "phd", EDU_DOCTORATE },
	{ "ph.d", EDU_DOCTORATE },
	{ "doctorate", EDU_DOCTORATE },
	{ "doctoral degree", EDU_DOCTORATE },
	{ "doctor of", EDU_DOCTORATE },
	{ "=MD", EDU_DOCTORATE },
	{ "pharmd", EDU_DOCTORATE },
	{ "dnp", EDU_DOCTORATE },
	{ "ed.d", EDU_DOCTORATE },
};
const size_t n_edu_forms = sizeof(edu_forms) / sizeof(edu_forms[0]);

const char *edu_level_name(enum edu_level level)
{
	static const char *const names[] = { "none", "high school", "associate", "bachelor", "master", "doctorate" };
	return (unsigned)level < 6 ? names[level] : "?";
}
