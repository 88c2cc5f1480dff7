/* posting — the normalised job posting every source adapter produces and
 * ingest stores; also the shape of the API's posting representation.
 *
 * Ownership: every string in a posting lives in the arena of whoever filled
 * it (an adapter parse, an ingest batch); a posting is valid as long as that
 * arena is. NULL means "not known": adapters never invent values.
 */
#ifndef JT_SCRAPE_POSTING_H
#define JT_SCRAPE_POSTING_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct buf;

enum workplace {
	WORKPLACE_UNKNOWN = 0, /* rendered as JSON null */
	WORKPLACE_ONSITE,
	WORKPLACE_HYBRID,
	WORKPLACE_REMOTE,
};

/* Employment types as a bit set: a posting may be FULL_TIME and CONTRACTOR. */
enum employment_type {
	EMPLOYMENT_FULL_TIME = 1u << 0,
	EMPLOYMENT_PART_TIME = 1u << 1,
	EMPLOYMENT_CONTRACTOR = 1u << 2,
	EMPLOYMENT_TEMPORARY = 1u << 3,
	EMPLOYMENT_INTERN = 1u << 4,
	EMPLOYMENT_VOLUNTEER = 1u << 5,
	EMPLOYMENT_PER_DIEM = 1u << 6,
	EMPLOYMENT_OTHER = 1u << 7,
};
#define EMPLOYMENT_TYPE_COUNT 8

enum salary_period {
	SALARY_PERIOD_UNKNOWN = 0,
	SALARY_PERIOD_HOUR,
	SALARY_PERIOD_DAY,
	SALARY_PERIOD_WEEK,
	SALARY_PERIOD_MONTH,
	SALARY_PERIOD_YEAR,
};

struct posting_location {
	const char *raw;      /* as the source wrote it ("Hybrid - London"), or NULL */
	const char *locality; /* city */
	const char *region;   /* state, province, county */
	char country[3];      /* ISO 3166-1 alpha-2, upper case, "" when not known */
};

struct posting_salary {
	bool present;     /* false: the posting states no salary (JSON null) */
	double min, max;  /* in currency units (not cents); min == max for one figure; 0 = open end */
	char currency[4]; /* ISO 4217, upper case, "" when not known */
	enum salary_period period;
};

struct posting {
	const char *title;
	const char *company;
	struct posting_location location;
	enum workplace workplace;
	unsigned employment_types; /* OR of enum employment_type; 0 = not known */
	struct posting_salary salary;
	char date_posted[11];         /* YYYY-MM-DD, "" when not known */
	char valid_through[11];       /* YYYY-MM-DD, "" when not known */
	const char *description_html; /* sanitised (scrape/sanitize.h) before it leaves the adapter */
	const char *description_text; /* plain text of the description, for search and scans */
	const char *apply_url;
	const char *url;         /* the posting's page at its source */
	const char *source;      /* adapter name: "greenhouse", "jsonld", "lever", … */
	const char *external_id; /* the source's id; unique per source */
};

/* A growable list of postings in an arena (adapters append, callers iterate). */
struct posting_list {
	struct posting *items;
	size_t count, cap;
};

/* A new zeroed posting at the end of the list; NULL when out of memory. */
struct posting *posting_list_add(struct arena *a, struct posting_list *list);

/* Names used on the wire (JSON, the store, the API): "onsite", "FULL_TIME", "YEAR", … */
const char *workplace_name(enum workplace w);                   /* NULL for UNKNOWN */
int workplace_from_name(const char *name, enum workplace *out); /* 0, or -EINVAL */
const char *employment_type_name(enum employment_type t);
/* A set of employment types as a JSON array of their names, in enum order. */
void employment_types_to_json(unsigned types, struct buf *out);
unsigned employment_types_from_names(const char *const *names, size_t n);
const char *salary_period_name(enum salary_period p); /* NULL for UNKNOWN */
int salary_period_from_name(const char *name, enum salary_period *out);

/* Appends the posting as one JSON object in the normalised shape:
 * {"title":…, "company":…, "location":{"raw","locality","region","country"},
 *  "workplace":…|null, "employment_type":[…], "salary":{"min","max","currency","period"}|null,
 *  "date_posted":…, "valid_through":…, "description_html":…, "description_text":…,
 *  "apply_url":…, "url":…, "source":…, "external_id":…}
 * Unknown values are null. The buffer's sticky error reports failure. */
void posting_to_json(const struct posting *p, struct buf *out);

/* The same members without the braces, for a representation that wraps
 * them with its own (the API's posting adds id, sources, …): the one writer
 * of the normalised shape. The descriptions come only with
 * POSTING_JSON_DESCRIPTION (a list of postings leaves them out). */
#define POSTING_JSON_DESCRIPTION 1u
void posting_json_members(const struct posting *p, unsigned flags, struct buf *out);

/* The reverse, for messages read back from the bus: fills *p from a JSON
 * object of that shape, copying strings into the arena. Unknown names and
 * wrongly typed values are left unset. 0, -EINVAL (not an object) or -ENOMEM. */
struct json_t;
int posting_from_json(struct arena *a, struct json_t *obj, struct posting *p);

#endif
