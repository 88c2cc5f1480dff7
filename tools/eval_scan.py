#!/usr/bin/env python3
"""Ranking evaluation of `jobtrack scan` on resume/job-description pairs.

Each resume is scored against every job description; it should rank its own
job description first (one resume may have none: a negative control, which is
reported but not counted). The same is done with the plain TF-IDF cosine
similarity (`jobtrack scan --baseline`) for comparison.

usage: eval_scan.py [--jobtrack BUILD/jobtrack] [--taxonomy DIR] [--data-dir D] [DIR]
DIR defaults to ../shared/fixtures/resumes/resume-matcher (beside the project);
--data-dir D: weigh words against the postings of D's store (as `jobtrack scan
--data-dir D` does); without it, no store and the built-in word weights.
when it is absent the evaluation is skipped (exit 0, "skipped" printed).
Resumes and job descriptions (PDF, DOCX, .txt, .md) are handed to `jobtrack
scan` as they are: their text comes from jobtrack's own extraction (src/resume,
the same code the web upload uses), not from an outside converter. Pairs: a file named job_desc_X is a
job description; the resume whose pair is X is taken from PAIRS below, or
from a pairs.tsv (resume<TAB>job, "-" for none) in DIR when present.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_DIR = os.path.join(ROOT, "..", "shared", "fixtures", "resumes", "resume-matcher")

# The resume-matcher sample's implied pairs (from its SOURCE.md; not labelled upstream).
PAIRS = {
    "alfred_pennyworth_pm": "job_desc_product_manager",
    "barry_allen_fe": "job_desc_front_end_engineer",
    "bruce_wayne_fullstack": "job_desc_full_stack_engineer",
    "john_doe": "job_desc_java_developer",
    "harvey_dent_mle": None,
}


def documents(src_dir):
    out = {}
    for name in sorted(os.listdir(src_dir)):
        stem, ext = os.path.splitext(name)
        if ext.lower() in (".pdf", ".docx", ".txt", ".md") and stem.upper() not in ("SOURCE", "README", "LICENSE"):
            out[stem] = os.path.join(src_dir, name)
    return out


def scan(jobtrack, resume, job, taxonomy, data_dir):
    cmd = [jobtrack, "scan", resume, "--job", job, "--json", "--baseline", "--now", "2026-12",
           "--data-dir", data_dir]
    if taxonomy:
        cmd += ["--taxonomy", taxonomy]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f"eval_scan: {' '.join(cmd)} failed: {res.stderr.strip()}")
    j = json.loads(res.stdout)
    return j["score"], j["baseline_tfidf_cosine"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", nargs="?", default=DEFAULT_DIR)
    ap.add_argument("--jobtrack", default=os.path.join(ROOT, "build", "jobtrack"))
    ap.add_argument("--taxonomy", default=None)
    ap.add_argument("--data-dir", default="/nonexistent-jobtrack-eval")
    args = ap.parse_args()
    if not os.path.isdir(args.dir):
        print(f"skipped: {args.dir} is absent")
        return 0
    pairs = dict(PAIRS)
    pairs_file = os.path.join(args.dir, "pairs.tsv")
    if os.path.exists(pairs_file):
        pairs = {}
        for line in open(pairs_file, encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                r, j = line.rstrip("\n").split("\t")
                pairs[r] = None if j == "-" else j
    texts = documents(args.dir)
    jobs = sorted(k for k in texts if k.startswith("job_desc_"))
    resumes = sorted(k for k in texts if not k.startswith("job_desc_"))
    if not jobs or not resumes:
        print(f"skipped: no resumes or job descriptions in {args.dir}")
        return 0
    ours_top1 = base_top1 = counted = 0
    ours_rr = base_rr = 0.0
    print(f"{'resume':24} {'own job':30} {'ours: rank (score, best other)':34} tf-idf: rank (cos, best other)")
    for r in resumes:
        results = {j: scan(args.jobtrack, texts[r], texts[j], args.taxonomy, args.data_dir) for j in jobs}
        own = pairs.get(r)
        ours = sorted(jobs, key=lambda j: (-results[j][0], j))
        base = sorted(jobs, key=lambda j: (-results[j][1], j))
        if own is None or own not in results:
            top = ours[0]
            print(f"{r:24} {'(none: control)':30} top: {top[9:]} {results[top][0]:.1f}; "
                  f"all {', '.join(f'{results[j][0]:.1f}' for j in jobs)}")
            continue
        counted += 1
        ro, rb = ours.index(own) + 1, base.index(own) + 1
        ours_top1 += ro == 1
        base_top1 += rb == 1
        ours_rr += 1 / ro
        base_rr += 1 / rb
        other_o = max(results[j][0] for j in jobs if j != own)
        other_b = max(results[j][1] for j in jobs if j != own)
        print(f"{r:24} {own[9:]:30} {ro} ({results[own][0]:5.1f} vs {other_o:5.1f}){'':14} "
              f"{rb} ({results[own][1]:.3f} vs {other_b:.3f})")
    print(f"\nown job ranked first: ours {ours_top1}/{counted}, TF-IDF cosine {base_top1}/{counted}; "
          f"MRR ours {ours_rr / counted:.3f}, TF-IDF {base_rr / counted:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
