#!/usr/bin/python3
"""Writes the benchmark "job board": N posting pages of 25-35 KB each (site
navigation, an inline stylesheet, inline SVG icons, a description, a footer
and one schema.org JobPosting JSON-LD block), paginated listing pages linking
to them (20 per page, with next/previous links), a few content pages without
postings, robots.txt and sitemap.xml; plus expected.jsonl: the postings a
correct crawler must find (one line per posting: external id, title,
company). Deterministic for a given seed.

usage: gen_site.py OUT_DIR [N_POSTINGS=5000] [SEED=7]
"""
import html
import json
import os
import random
import sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
PER_PAGE = 20

COMPANIES = ["Northwind Trading", "Contoso Health", "Fabrikam Robotics", "Tailspin Toys", "Adatum Energy",
             "Litware Analytics", "Proseware Media", "Wingtip Logistics", "Woodgrove Bank", "Lucerne Publishing",
             "Margie's Travel", "Alpine Ski House", "Coho Winery", "Humongous Insurance", "Trey Research"]
ROLES = ["Backend Engineer", "Frontend Developer", "Data Analyst", "Staff Accountant", "Registered Nurse",
         "Sales Development Representative", "Warehouse Associate", "Product Designer", "HR Generalist",
         "Site Reliability Engineer", "Chef de Partie", "Electrician", "Teacher of Mathematics", "Paralegal",
         "Customer Success Manager", "Marketing Manager", "Machine Learning Engineer", "Civil Engineer"]
LEVELS = ["", "Senior ", "Junior ", "Lead ", "Principal ", "Associate "]
CITIES = [("London", "", "GB"), ("Berlin", "", "DE"), ("Austin", "TX", "US"), ("Toronto", "ON", "CA"),
          ("Amsterdam", "", "NL"), ("Paris", "", "FR"), ("Sydney", "NSW", "AU"), ("Madrid", "", "ES"),
          ("New York", "NY", "US"), ("Dublin", "", "IE"), ("Stockholm", "", "SE"), ("Warsaw", "", "PL")]
TYPES = ["FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN"]
WORDS = ("team customers build operate design review improve reliable secure data quality process growth "
         "support plan deliver lead mentor measure automate document learn share care safety patients "
         "accounts ledger reconcile kitchen menu classroom pupils contracts compliance budget forecast "
         "pipeline cloud service platform mobile web research experiment report stakeholder schedule").split()

CSS = "\n".join(
    ".c%d{margin:%dpx %dpx;padding:%dpx;color:#%06x;font:%dpx/1.%d system-ui,sans-serif;border-radius:%dpx}"
    % (i, i % 7, i % 11, i % 5, (i * 2654435761) & 0xFFFFFF, 12 + i % 6, i % 9, i % 4) for i in range(70))
SVG_PATH = " ".join("L%d %d" % ((i * 37) % 200, (i * 91) % 200) for i in range(160))
SVG = ''.join('<svg class="icon i%d" viewBox="0 0 200 200" aria-hidden="true"><path d="M0 0 %s Z"/></svg>'
              % (k, SVG_PATH) for k in range(4))
NAV = "".join('<li><a href="/%s">%s</a></li>' % (p, p.replace("-", " ").title())
              for p in ["about.html", "teams.html", "benefits.html", "locations.html", "students.html",
                        "blog.html", "press.html", "contact.html"])


def para(k):
    return " ".join(rng.choice(WORDS) for _ in range(k)).capitalize() + "."


def page(title, body, extra_head=""):
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title>"
            "<meta name=\"viewport\" content=\"width=device-width\"><style>%s</style>%s</head><body>"
            "<header class=\"c1\"><a href=\"/jobs/page/1.html\">Careers</a>%s<nav><ul>%s</ul></nav></header>"
            "<main class=\"c2\">%s</main><footer class=\"c3\"><p>%s</p><ul>%s</ul></footer></body></html>"
            % (html.escape(title), CSS, extra_head, SVG, NAV, body, para(40), NAV))


os.makedirs(os.path.join(out, "jobs", "page"), exist_ok=True)
expected = open(os.path.join(out, "expected.jsonl"), "w")
pages = (n + PER_PAGE - 1) // PER_PAGE
listing = [[] for _ in range(pages)]
sizes = []
for i in range(n):
    jid = "J%06d" % (i + 1)
    company = rng.choice(COMPANIES)
    title = rng.choice(LEVELS) + rng.choice(ROLES)
    city, region, country = rng.choice(CITIES)
    paras = []
    while sum(len(p) for p in paras) < rng.randint(2500, 7000):
        paras.append(para(rng.randint(30, 70)))
    desc = "".join("<p>%s</p>" % p for p in paras[:-2]) + "<ul>%s</ul>" % "".join(
        "<li>%s</li>" % para(8) for _ in range(5))
    posted = "2026-%02d-%02d" % (rng.randint(1, 11), rng.randint(1, 28))
    lo = rng.randrange(30, 150) * 1000
    ld = {"@context": "https://schema.org", "@type": "JobPosting", "title": title, "description": desc,
          "identifier": {"@type": "PropertyValue", "name": company, "value": jid},
          "datePosted": posted, "employmentType": rng.choice(TYPES),
          "hiringOrganization": {"@type": "Organization", "name": company},
          "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": city,
                                                         "addressRegion": region, "addressCountry": country}},
          "baseSalary": {"@type": "MonetaryAmount", "currency": "USD",
                         "value": {"@type": "QuantitativeValue", "minValue": lo, "maxValue": lo + 20000,
                                   "unitText": "YEAR"}}}
    if rng.random() < 0.2:
        ld["jobLocationType"] = "TELECOMMUTE"
    body = ('<article class="c4"><h1>%s</h1><p class="c5">%s &middot; %s</p>%s'
            '<a class="c6" href="/apply/%s.html">Apply</a></article>'
            '<aside><h2>Similar jobs</h2><ul>%s</ul></aside>'
            % (html.escape(title), html.escape(company), html.escape(city), desc, jid,
               "".join('<li><a href="/jobs/J%06d.html">Similar role</a></li>' % (rng.randrange(n) + 1)
                       for _ in range(6))))
    # The JSON-LD block at the end of <head>, as most career sites place it.
    script = '<script type="application/ld+json">%s</script>' % json.dumps(ld).replace("</", "<\\/")
    doc = page(title + " at " + company, body, script)
    # Pad with more inline CSS so that pages span 25-35 KB like real career pages.
    target = rng.randint(25 * 1024, 35 * 1024)
    if len(doc) < target:
        doc = doc.replace("</style>", "/*%s*/</style>" % ("x" * (target - len(doc))), 1)
    sizes.append(len(doc))
    with open(os.path.join(out, "jobs", jid + ".html"), "w") as f:
        f.write(doc)
    listing[i // PER_PAGE].append((jid, title, company, city))
    expected.write(json.dumps({"external_id": jid, "title": title, "company": company}) + "\n")
expected.close()

for k, items in enumerate(listing):
    links = "".join('<li class="c7"><a href="/jobs/%s.html">%s</a> <span>%s, %s</span></li>'
                    % (jid, html.escape(t), html.escape(c), html.escape(city)) for jid, t, c, city in items)
    nav = ""
    if k > 0:
        nav += '<a rel="prev" href="/jobs/page/%d.html">Previous</a> ' % k
    if k + 1 < pages:
        nav += '<a rel="next" href="/jobs/page/%d.html">Next</a>' % (k + 2)
    with open(os.path.join(out, "jobs", "page", "%d.html" % (k + 1)), "w") as f:
        f.write(page("Open positions, page %d" % (k + 1), "<h1>Open positions</h1><ul>%s</ul>%s" % (links, nav)))

for name in ["about", "teams", "benefits", "locations", "students", "blog", "press", "contact"]:
    with open(os.path.join(out, name + ".html"), "w") as f:
        f.write(page(name.title(), "<h1>%s</h1><p>%s</p>" % (name.title(), para(120))))
with open(os.path.join(out, "robots.txt"), "w") as f:
    f.write("User-agent: *\nDisallow: /apply/\nAllow: /\nSitemap: /sitemap.xml\n")
with open(os.path.join(out, "sitemap.xml"), "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    f.write("".join("<url><loc>/jobs/page/%d.html</loc></url>" % (k + 1) for k in range(pages)))
    f.write("</urlset>")
print("%d postings, %d listing pages, posting pages %d-%d bytes (mean %d)"
      % (n, pages, min(sizes), max(sizes), sum(sizes) // len(sizes)))
