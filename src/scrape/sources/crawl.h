/* sources/crawl — what the jsonld adapter's crawl mode needs besides the
 * JobPosting mapping: URL normalisation (crawl_url.c), link scanning
 * (crawl_links.c), sitemap reading (sitemap.c) and the per-run set of
 * visited URLs (crawl_state.c). Strings live in the arena passed in. */
#ifndef JT_SCRAPE_SOURCES_CRAWL_H
#define JT_SCRAPE_SOURCES_CRAWL_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

/* ---- crawl_url.c ---------------------------------------------------------- */

/* href (as written in a page, entities already decoded) resolved against
 * base and normalised for crawling: scheme and host in lower case, default
 * port and fragment dropped, white space around it ignored. NULL for
 * anything that is not a page worth fetching: other schemes (mailto:,
 * javascript:, tel:, data:), assets by extension (.css .js .png .pdf .zip
 * …), and account or cart links (logout, login, sign-in, cart, wp-admin, …). */
const char *crawl_url_normalize(struct arena *a, const char *base, const char *href, size_t href_len);

/* true when url has the scheme, host and port of site (an origin as crawl_origin writes it). */
bool crawl_same_site(const char *url, const char *site);

/* "scheme://host[:port]" of url into out; false when it is not http(s). */
bool crawl_origin(const char *url, char *out, size_t outlen);

/* true when the URL's path looks like a posting or a listing (job, career,
 * position, opening, vacanc…, page=): crawled first. */
bool crawl_url_promising(const char *url);

/* ---- crawl_links.c -------------------------------------------------------- */

/* Called with each href of an <a> or <area> element (not rel=nofollow),
 * entities decoded; nonzero stops the scan. */
typedef int (*crawl_link_fn)(const char *href, size_t len, void *ctx);

/* A byte scan of the page (no tree is built): skips comments and the raw
 * text of script, style, textarea and similar elements, reads quoted and
 * unquoted attribute values. *base_href (may be NULL) receives the page's
 * <base href> when there is one (arena); fn may be NULL for that alone. Returns how many links were passed. */
size_t crawl_links(struct arena *a, const char *html, size_t len, const char **base_href, crawl_link_fn fn, void *ctx);

/* ---- sitemap.c ------------------------------------------------------------ */

enum sitemap_kind { SITEMAP_NONE = 0, SITEMAP_URLSET, SITEMAP_INDEX };

/* Called with each <loc> of a sitemap, entities and CDATA decoded, and the
 * kind of the file it is in (an index lists sitemaps, a urlset pages). */
typedef int (*sitemap_loc_fn)(enum sitemap_kind kind, const char *loc, size_t len, void *ctx);

/* Reads a sitemap (urlset) or sitemap index by a byte scan; a gzip file
 * (served as a file, not Content-Encoding) is inflated first, up to
 * SITEMAP_MAX_BYTES. Returns the kind found (SITEMAP_NONE for anything else). */
#define SITEMAP_MAX_BYTES (50u * 1024u * 1024u)
enum sitemap_kind sitemap_read(const char *body, size_t len, sitemap_loc_fn fn, void *ctx);

/* ---- crawl_state.c -------------------------------------------------------- */

/* The per-run state of a crawl (source_config.run_state): the URLs already
 * requested, and the budgets. Not thread-safe: one run's start and parse
 * calls come one at a time. */
struct crawl_state;

struct crawl_state *crawl_state_new(struct arena *run_arena);
/* true (and remembers url) when url was not seen before in this run. */
bool crawl_state_first_visit(struct crawl_state *s, const char *url);
/* Budgets: pages requested so far (the seed included), sitemap files. */
long *crawl_state_pages(struct crawl_state *s);
long *crawl_state_sitemaps(struct crawl_state *s);
/* Origins the crawl may visit (the seed's, and where it redirected to). */
bool crawl_state_site_ok(struct crawl_state *s, const char *url);
void crawl_state_add_site(struct crawl_state *s, const char *url);

#endif
