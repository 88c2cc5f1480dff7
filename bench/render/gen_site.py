#!/usr/bin/env python3
"""The rendered-crawl benchmark's site (bench/render.sh): N job pages and a
listing linking them, twice — static/ with the JSON-LD and links in the HTML,
js/ where scripts build both (the listing fetches its links from
js/api/jobs.json; each job page writes its JSON-LD from a timer).

usage: gen_site.py DIR N"""
import json
import os
import sys

out, n = sys.argv[1], int(sys.argv[2])


def posting(i):
    return {"@context": "https://schema.org", "@type": "JobPosting", "title": "Engineer %d" % i,
            "description": "<p>Build things, number %d. %s</p>" % (i, "Lorem ipsum dolor sit amet. " * 40),
            "identifier": "job-%d" % i, "datePosted": "2026-12-01",
            "hiringOrganization": {"@type": "Organization", "name": "Acme"},
            "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "Berlin"}}}


for mode in ("static", "js"):
    os.makedirs(os.path.join(out, mode, "jobs"), exist_ok=True)
    os.makedirs(os.path.join(out, mode, "api"), exist_ok=True)
    links = ["/%s/jobs/%d.html" % (mode, i) for i in range(1, n + 1)]
    if mode == "static":
        listing = "<!doctype html><html><body><ul>%s</ul></body></html>" % "".join(
            '<li><a href="%s">Job %d</a></li>' % (h, i + 1) for i, h in enumerate(links))
    else:
        with open(os.path.join(out, mode, "api", "jobs.json"), "w") as f:
            json.dump(links, f)
        listing = ("<!doctype html><html><body><ul id=\"jobs\"></ul><script>"
                   "fetch('/js/api/jobs.json').then(r => r.json()).then(links => links.forEach((h, i) => {"
                   "const li = document.createElement('li'), a = document.createElement('a');"
                   "a.href = h; a.textContent = 'Job ' + (i + 1); li.appendChild(a);"
                   "document.getElementById('jobs').appendChild(li); }));</script></body></html>")
    with open(os.path.join(out, mode, "index.html"), "w") as f:
        f.write(listing)
    for i in range(1, n + 1):
        data = json.dumps(posting(i))
        if mode == "static":
            body = ('<!doctype html><html><head><script type="application/ld+json">%s</script></head>'
                    "<body><h1>Engineer %d</h1></body></html>" % (data, i))
        else:
            body = ("<!doctype html><html><head></head><body><h1 id=\"t\"></h1><script>const d = %s;"
                    "setTimeout(() => { const s = document.createElement('script');"
                    "s.type = 'application/ld+json'; s.textContent = JSON.stringify(d);"
                    "document.head.appendChild(s); document.getElementById('t').textContent = d.title; },"
                    " 200);</script></body></html>" % data)
        with open(os.path.join(out, mode, "jobs", "%d.html" % i), "w") as f:
            f.write(body)
