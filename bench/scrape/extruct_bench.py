#!/usr/bin/python3
"""Extraction alone, the extruct side of bench/scrape.sh: reads every saved
posting page once into memory, then times extruct's JSON-LD extraction over
all of them (CPU time of this process), and prints pages per CPU-second and
how many JobPostings it found.

usage: extruct_bench.py SITE_DIR [LIMIT]
"""
import glob
import os
import sys
import time

from extruct.jsonld import JsonLdExtractor

site = sys.argv[1]
limit = int(sys.argv[2]) if len(sys.argv) > 2 else 0
files = sorted(glob.glob(os.path.join(site, "jobs", "J*.html")))
if limit:
    files = files[:limit]
pages = [open(f, encoding="utf-8").read() for f in files]
ex = JsonLdExtractor()
found = 0
start = time.process_time()
for doc in pages:
    for item in ex.extract(doc):
        if isinstance(item, dict) and item.get("@type") == "JobPosting":
            found += 1
cpu = time.process_time() - start
print("extruct: %d pages, %d postings, %.2f CPU s, %.0f pages per CPU-second" % (len(pages), found, cpu,
                                                                                  len(pages) / cpu))
