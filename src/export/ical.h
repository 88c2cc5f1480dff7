/* ical — iCalendar text (RFC 5545): content lines with TEXT values escaped
 * (backslash, semicolon, comma, newlines), every line folded so that no
 * line is longer than 75 octets (a fold never splits a UTF-8 character),
 * CRLF line ends, and times in UTC ("…Z"). */
#ifndef JT_EXPORT_ICAL_H
#define JT_EXPORT_ICAL_H

#include <stdint.h>

#include "base/buf.h"

#define ICAL_LINE_MAX 75 /* octets per line, without the CRLF */

/* NAME:VALUE where value is TEXT (escaped). name may carry parameters
 * ("SUMMARY;LANGUAGE=en"). A NULL or empty value writes nothing. Control
 * characters other than newlines are dropped (TEXT may not hold them). */
void ical_text(struct buf *out, const char *name, const char *value);
/* NAME:VALUE with value written as it is (a date, an identifier the caller
 * made of safe characters), folded. */
void ical_raw(struct buf *out, const char *name, const char *value);
/* NAME:YYYYMMDDTHHMMSSZ of t (seconds since 1970) in UTC. */
void ical_time(struct buf *out, const char *name, int64_t t);
/* NAME;VALUE=DATE:YYYYMMDD from "YYYY-MM-DD" plus `days`; 0, or -1 when
 * date is not a valid date (nothing is written). */
int ical_date(struct buf *out, const char *name, const char *date, int days);

#endif
