/* scan/tfidf — the baseline the scanner is measured against: plain TF-IDF
 * cosine similarity of two texts' words (stop words out, tf = 1 + ln count,
 * idf from idf.h). Owned by the resume scanner; used by the evaluation
 * (`jobtrack scan --baseline`, tools/eval_scan.py), never by the score. */
#ifndef JT_SCAN_TFIDF_H
#define JT_SCAN_TFIDF_H

#include "scan/idf.h"
#include "scan/token.h"

/* 0..1; 0 when either text has no word. */
double tfidf_cosine(const struct scan_tokens *a, const struct scan_tokens *b, const struct idf_table *idf);

#endif
