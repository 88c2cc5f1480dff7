/* scan/sections — recognising section headings: a posting's
 * ("Requirements", "Nice to have", "Benefits"…) and a resume's
 * ("Experience", "Education", "Skills"…). Owned by the resume scanner. A
 * heading is a short line whose words, decoration taken away (#, *, :, bold
 * markers, capitals), name a known section. */
#ifndef JT_SCAN_SECTIONS_H
#define JT_SCAN_SECTIONS_H

#include <stddef.h>

enum need { NEED_OTHER, NEED_PREFERRED, NEED_NONE, NEED_REQUIRED }; /* ascending strength */

enum jd_section { JD_NONE, JD_REQUIRED, JD_PREFERRED, JD_DUTIES, JD_OTHER };

enum resume_section {
	RS_NONE,
	RS_CONTACT,
	RS_SUMMARY,
	RS_EXPERIENCE,
	RS_EDUCATION,
	RS_SKILLS,
	RS_PROJECTS,
	RS_CERTIFICATIONS,
	RS_OTHER,
	RS_COUNT
};

/* The posting section line[0..len) opens, or JD_NONE when it is no heading. */
enum jd_section sections_jd_heading(const char *line, size_t len);
/* The resume section it opens, or RS_NONE. */
enum resume_section sections_resume_heading(const char *line, size_t len);
/* Within a line of a posting: "… is a plus" is preferred, "must …" required;
 * NEED_NONE when it says neither. */
enum need sections_line_need(const char *line, size_t len);
/* The same over text already in lower case (no copy). */
enum need sections_line_need_lower(const char *lower, size_t len);
/* 1 when lower[0..len) holds one of the NULL-terminated phrases. */
int sections_holds_any(const char *lower, size_t len, const char *const *phrases);

const char *need_name(enum need n);
const char *resume_section_name(enum resume_section s);

#endif
