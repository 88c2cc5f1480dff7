"""The Scrapy side of bench/scrape.sh: crawl the benchmark job board from
one listing URL, following every link within the site (as
`jobtrack scrape --seed` does), and extract the schema.org JobPosting JSON-LD
of every page. Run with Debian's scrapy:

  scrapy runspider spider.py -a seed=http://127.0.0.1:PORT/jobs/page/1.html \
      -s CONCURRENT_REQUESTS=16 -O items.jsonl
"""
import json
from urllib.parse import urlparse

import scrapy
from scrapy.linkextractors import LinkExtractor


class JobBoardSpider(scrapy.Spider):
    name = "jobboard"
    custom_settings = {
        "ROBOTSTXT_OBEY": True,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 10000,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "USER_AGENT": "scrapy-bench (+https://scrapy.org)",
    }

    def __init__(self, seed, **kw):
        super().__init__(**kw)
        self.start_urls = [seed]
        # allow_domains/allowed_domains do not match an IP address with a
        # port, so links are kept within the site by comparing netlocs.
        self.site = urlparse(seed).netloc
        self.links = LinkExtractor()

    def parse(self, response):
        for script in response.xpath('//script[@type="application/ld+json"]/text()').getall():
            try:
                data = json.loads(script)
            except ValueError:
                continue
            for item in data if isinstance(data, list) else [data]:
                if isinstance(item, dict) and item.get("@type") == "JobPosting":
                    ident = item.get("identifier") or {}
                    org = item.get("hiringOrganization") or {}
                    yield {"external_id": ident.get("value"), "title": item.get("title"),
                           "company": org.get("name")}
        for link in self.links.extract_links(response):
            if urlparse(link.url).netloc == self.site:
                yield response.follow(link.url, callback=self.parse)
