/* corpus — see corpus.h. Everything comes from one splitmix64 stream;
 * text is appended to one growing buffer (offsets while it grows, pointers
 * at the end). */
#include "corpus.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scrape/posting.h"
#include "search/index.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static size_t pick(size_t n)
{
	return (size_t)(rnd() % n);
}

static double unit(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

/* Zipf-like: index i with weight about 1/(i+1). */
static size_t zipf(size_t n)
{
	double x = unit();
	size_t i = (size_t)(exp(x * log((double)n + 1.0)) - 1.0);
	return i < n ? i : n - 1;
}

#define ANY(a) ((a)[pick(N_OF(a))])

enum field { F_TECH, F_DATA, F_HEALTH, F_FINANCE, F_SALES, F_LOGISTICS, F_TRADES, F_EDUCATION, F_SERVICE, F_OFFICE };

static const struct occupation {
	const char *title;
	enum field field;
	int weight;
} occupations[] = {
	{ "Software Engineer", F_TECH, 10 },
	{ "Backend Engineer", F_TECH, 5 },
	{ "Frontend Developer", F_TECH, 5 },
	{ "Full Stack Developer", F_TECH, 5 },
	{ "Mobile Developer", F_TECH, 2 },
	{ "DevOps Engineer", F_TECH, 3 },
	{ "Site Reliability Engineer", F_TECH, 2 },
	{ "QA Engineer", F_TECH, 2 },
	{ "Security Analyst", F_TECH, 2 },
	{ "Network Administrator", F_TECH, 2 },
	{ "Product Manager", F_TECH, 3 },
	{ "UX Designer", F_TECH, 2 },
	{ "Data Scientist", F_DATA, 3 },
	{ "Data Engineer", F_DATA, 3 },
	{ "Machine Learning Engineer", F_DATA, 2 },
	{ "Data Analyst", F_DATA, 3 },
	{ "Registered Nurse", F_HEALTH, 8 },
	{ "Nurse Practitioner", F_HEALTH, 2 },
	{ "Medical Assistant", F_HEALTH, 3 },
	{ "Pharmacist", F_HEALTH, 1 },
	{ "Dental Assistant", F_HEALTH, 1 },
	{ "Physical Therapist", F_HEALTH, 1 },
	{ "Accountant", F_FINANCE, 3 },
	{ "Financial Analyst", F_FINANCE, 2 },
	{ "Auditor", F_FINANCE, 1 },
	{ "Payroll Specialist", F_FINANCE, 1 },
	{ "Sales Representative", F_SALES, 5 },
	{ "Account Executive", F_SALES, 3 },
	{ "Marketing Manager", F_SALES, 2 },
	{ "Customer Success Manager", F_SALES, 2 },
	{ "Customer Service Representative", F_SALES, 5 },
	{ "Warehouse Associate", F_LOGISTICS, 6 },
	{ "Truck Driver", F_LOGISTICS, 5 },
	{ "Delivery Driver", F_LOGISTICS, 4 },
	{ "Forklift Operator", F_LOGISTICS, 2 },
	{ "Logistics Coordinator", F_LOGISTICS, 2 },
	{ "Electrician", F_TRADES, 2 },
	{ "Plumber", F_TRADES, 1 },
	{ "Maintenance Technician", F_TRADES, 3 },
	{ "Automotive Mechanic", F_TRADES, 2 },
	{ "HVAC Technician", F_TRADES, 1 },
	{ "Teacher", F_EDUCATION, 4 },
	{ "Substitute Teacher", F_EDUCATION, 1 },
	{ "Teaching Assistant", F_EDUCATION, 2 },
	{ "Line Cook", F_SERVICE, 3 },
	{ "Chef", F_SERVICE, 1 },
	{ "Barista", F_SERVICE, 2 },
	{ "Retail Sales Associate", F_SERVICE, 5 },
	{ "Store Manager", F_SERVICE, 2 },
	{ "Administrative Assistant", F_OFFICE, 3 },
	{ "Office Manager", F_OFFICE, 1 },
	{ "HR Generalist", F_OFFICE, 1 },
	{ "Recruiter", F_OFFICE, 2 },
	{ "Paralegal", F_OFFICE, 1 },
	{ "Project Manager", F_OFFICE, 3 },
};

static const char *const seniority[] = { "",        "",      "",           "",       "Senior ",    "Senior ",
					 "Junior ", "Lead ", "Principal ", "Staff ", "Associate ", "Head of " };
static const char *const title_suffix[] = { "",
					    "",
					    "",
					    "",
					    "",
					    "",
					    " II",
					    " III",
					    " (Remote)",
					    " - Night Shift",
					    " (Contract)",
					    " - Platform",
					    " - Payments",
					    " - Growth" };

static const char *const skills[][24] = {
	[F_TECH] = { "Python",     "Java",       "Rust",   "C++",     "C#",     ".NET",  "Node.js",   "React",
		     "TypeScript", "Kubernetes", "Docker", "AWS",     "GCP",    "Azure", "Terraform", "PostgreSQL",
		     "Kafka",      "CI/CD",      "Linux",  "GraphQL", "Kotlin", "Swift", "Redis",     "microservices" },
	[F_DATA] = { "Python",     "SQL",           "Spark",    "Airflow",    "dbt",         "Snowflake",
		     "TensorFlow", "PyTorch",       "pandas",   "statistics", "A/B testing", "machine learning",
		     "Tableau",    "Looker",        "BigQuery", "Kafka",      "forecasting", "experimentation",
		     "ETL",        "data modeling", "NLP",      "Scala",      "R",           "Databricks" },
	[F_HEALTH] = { "patient care",
		       "ICU",
		       "telemetry",
		       "medication administration",
		       "Epic",
		       "BLS",
		       "ACLS",
		       "charting",
		       "triage",
		       "wound care",
		       "pediatrics",
		       "oncology",
		       "infection control",
		       "vital signs",
		       "phlebotomy",
		       "EMR",
		       "HIPAA",
		       "care plans",
		       "discharge planning",
		       "surgery",
		       "rehabilitation",
		       "emergency department",
		       "geriatrics",
		       "cardiology" },
	[F_FINANCE] = { "GAAP",
			"reconciliations",
			"Excel",
			"QuickBooks",
			"month-end close",
			"audit",
			"forecasting",
			"budgeting",
			"tax",
			"payroll",
			"accounts payable",
			"accounts receivable",
			"SAP",
			"NetSuite",
			"financial reporting",
			"variance analysis",
			"IFRS",
			"SOX",
			"treasury",
			"journal entries",
			"cost accounting",
			"FP&A",
			"CPA",
			"general ledger" },
	[F_SALES] = { "Salesforce",
		      "HubSpot",
		      "pipeline",
		      "quota",
		      "prospecting",
		      "cold calling",
		      "SEO",
		      "campaigns",
		      "CRM",
		      "negotiation",
		      "account management",
		      "lead generation",
		      "B2B",
		      "SaaS",
		      "customer retention",
		      "upselling",
		      "social media",
		      "content marketing",
		      "Zendesk",
		      "customer support",
		      "call center",
		      "inbound calls",
		      "brand",
		      "presentations" },
	[F_LOGISTICS] = { "forklift",      "inventory",  "shipping",     "receiving", "pallet jack",
			  "CDL",           "routes",     "dispatch",     "loading",   "unloading",
			  "order picking", "RF scanner", "DOT",          "safety",    "warehouse management",
			  "last mile",     "freight",    "cycle counts", "packing",   "Class A",
			  "logbook",       "hazmat",     "supply chain", "fleet" },
	[F_TRADES] = { "wiring",
		       "conduit",
		       "troubleshooting",
		       "HVAC",
		       "plumbing",
		       "blueprints",
		       "OSHA",
		       "preventive maintenance",
		       "diagnostics",
		       "welding",
		       "hydraulics",
		       "PLC",
		       "electrical panels",
		       "brakes",
		       "engine repair",
		       "pipe fitting",
		       "refrigeration",
		       "hand tools",
		       "power tools",
		       "National Electrical Code",
		       "boilers",
		       "certification",
		       "work orders",
		       "schematics" },
	[F_EDUCATION] = { "curriculum",
			  "classroom management",
			  "lesson plans",
			  "students",
			  "grading",
			  "special education",
			  "ESL",
			  "STEM",
			  "literacy",
			  "mathematics",
			  "parent communication",
			  "assessment",
			  "differentiated instruction",
			  "early childhood",
			  "tutoring",
			  "IEP",
			  "Google Classroom",
			  "science",
			  "reading",
			  "teaching certificate",
			  "behavior support",
			  "after-school",
			  "small groups",
			  "K-12" },
	[F_SERVICE] = { "customers",
			"cash register",
			"merchandising",
			"food safety",
			"menu",
			"POS",
			"food preparation",
			"espresso",
			"opening shifts",
			"closing shifts",
			"visual standards",
			"stock room",
			"guest experience",
			"kitchen",
			"sanitation",
			"ServSafe",
			"upselling",
			"loss prevention",
			"scheduling",
			"catering",
			"grill",
			"prep",
			"plating",
			"store operations" },
	[F_OFFICE] = { "scheduling",
		       "calendar management",
		       "filing",
		       "contracts",
		       "litigation",
		       "onboarding",
		       "benefits administration",
		       "HRIS",
		       "Workday",
		       "Microsoft Office",
		       "travel arrangements",
		       "stakeholders",
		       "project planning",
		       "Jira",
		       "Agile",
		       "Scrum",
		       "risk management",
		       "sourcing",
		       "interviewing",
		       "Greenhouse",
		       "legal research",
		       "document management",
		       "vendor management",
		       "budgets" },
};

static const char *const duties[][8] = {
	[F_TECH] = { "design, build and operate services that handle millions of requests",
		     "write clean, tested code and review the code of your teammates",
		     "own features from the first design document to production monitoring",
		     "improve the reliability, performance and observability of our platform",
		     "work closely with product and design to ship features our users love",
		     "mentor engineers and help shape our engineering culture",
		     "participate in an on-call rotation and lead incident reviews",
		     "automate infrastructure and deployment pipelines" },
	[F_DATA] = { "build and maintain data pipelines that feed our analytics and models",
		     "design experiments and analyze their results with stakeholders",
		     "train, evaluate and deploy machine learning models",
		     "turn messy data into clear dashboards and reports",
		     "partner with engineering to improve data quality", "define metrics that guide product decisions",
		     "communicate insights to leadership in plain language",
		     "own the data warehouse and its documentation" },
	[F_HEALTH] = { "provide safe, compassionate patient care in a fast-paced unit",
		       "assess patients, administer medications and document care",
		       "collaborate with physicians and the interdisciplinary team",
		       "educate patients and families about treatment and recovery",
		       "respond to emergencies and changes in patient condition",
		       "maintain accurate records in the electronic medical record",
		       "follow infection control and safety protocols",
		       "support new staff members during orientation" },
	[F_FINANCE] = { "prepare monthly financial statements and reconciliations",
			"support the annual audit and tax filings", "analyze variances against budget and forecast",
			"process invoices, payments and expense reports",
			"improve accounting processes and internal controls",
			"build financial models for planning and decisions",
			"partner with business leaders on spending and headcount",
			"ensure compliance with accounting standards" },
	[F_SALES] = { "prospect new customers and build a healthy pipeline",
		      "manage the full sales cycle from first call to signed contract",
		      "answer customer questions by phone, email and chat",
		      "meet and exceed monthly and quarterly targets",
		      "plan and run marketing campaigns across channels",
		      "keep accurate records of every customer interaction",
		      "work with product teams to share customer feedback",
		      "grow relationships with existing accounts" },
	[F_LOGISTICS] = { "pick, pack and ship customer orders accurately",
			  "load and unload trucks safely and on schedule",
			  "operate forklifts and other warehouse equipment",
			  "deliver packages to customers along assigned routes",
			  "keep the warehouse clean, organized and safe", "count inventory and report discrepancies",
			  "inspect vehicles before and after each trip",
			  "coordinate shipments with carriers and dispatch" },
	[F_TRADES] = { "install, maintain and repair equipment and systems",
		       "diagnose problems and perform repairs quickly", "read blueprints and technical drawings",
		       "perform preventive maintenance on a regular schedule",
		       "follow safety procedures and keep work areas clean",
		       "complete work orders and keep service records", "respond to emergency service calls",
		       "train apprentices and junior technicians" },
	[F_EDUCATION] = { "plan and deliver engaging lessons to students",
			  "assess student progress and give helpful feedback", "create a safe and inclusive classroom",
			  "communicate with parents and guardians regularly",
			  "adapt instruction for students with different needs",
			  "collaborate with other teachers and school staff",
			  "support students in small groups and one on one",
			  "take part in school events and professional development" },
	[F_SERVICE] = { "greet guests and provide friendly, fast service",
			"prepare food and drinks to our recipes and standards",
			"keep the store and kitchen clean and well stocked", "handle cash and card payments accurately",
			"help customers find the products they need", "open and close the store following procedures",
			"train new team members on service standards", "follow food safety and sanitation rules" },
	[F_OFFICE] = { "manage calendars, meetings and travel for the team",
		       "coordinate projects, timelines and deliverables",
		       "recruit, interview and onboard new employees",
		       "prepare documents, contracts and correspondence",
		       "answer questions about benefits and policies", "keep records organized and up to date",
		       "support leadership with reports and presentations", "plan office events and manage vendors" },
};

static const char *const industries[] = { "healthcare",    "logistics",          "software",
					  "retail",        "financial services", "education",
					  "manufacturing", "hospitality",        "energy",
					  "media",         "insurance",          "construction",
					  "biotech",       "e-commerce",         "telecommunications" };
static const char *const adjectives[] = { "fast-growing",   "leading",    "family-owned", "award-winning",  "global",
					  "mission-driven", "innovative", "independent",  "employee-owned", "regional" };
static const char *const benefits[] = {
	"Competitive salary and annual bonus.",
	"Health, dental and vision insurance from day one.",
	"Generous paid time off and paid holidays.",
	"401(k) with company match.",
	"Flexible working hours and remote-friendly policies.",
	"Paid parental leave.",
	"Learning budget for courses, books and conferences.",
	"Employee discounts and wellness programs.",
	"Tuition reimbursement.",
	"Commuter benefits and free parking.",
	"A modern laptop and home office stipend.",
	"Career growth in a supportive team.",
};
static const char *const eeo =
    "We are an equal opportunity employer. All qualified applicants will receive consideration for employment "
    "without regard to race, color, religion, sex, sexual orientation, gender identity, national origin, "
    "disability, or veteran status. If you need an accommodation during the application process, please let us "
    "know.";
static const char *const closing[] = {
	"If this sounds like you, we would love to hear from you.",
	"Apply today and join a team that cares.",
	"Please submit your resume and a short cover letter.",
	"Interviews are held on a rolling basis.",
	"We look forward to meeting you.",
};

static const struct city {
	const char *name, *country;
	int weight;
} cities[] = {
	{ "New York", "US", 10 },   { "San Francisco", "US", 6 }, { "Seattle", "US", 4 },     { "Austin", "US", 4 },
	{ "Chicago", "US", 5 },     { "Boston", "US", 4 },        { "Denver", "US", 3 },      { "Atlanta", "US", 3 },
	{ "Dallas", "US", 4 },      { "Houston", "US", 4 },       { "Phoenix", "US", 3 },     { "Miami", "US", 3 },
	{ "Los Angeles", "US", 6 }, { "Portland", "US", 2 },      { "Minneapolis", "US", 2 }, { "Detroit", "US", 2 },
	{ "Nashville", "US", 2 },   { "Philadelphia", "US", 3 },  { "Toronto", "CA", 4 },     { "Vancouver", "CA", 2 },
	{ "Montreal", "CA", 2 },    { "London", "GB", 8 },        { "Manchester", "GB", 2 },  { "Edinburgh", "GB", 1 },
	{ "Berlin", "DE", 5 },      { "Munich", "DE", 3 },        { "Hamburg", "DE", 2 },     { "Frankfurt", "DE", 2 },
	{ "Köln", "DE", 1 },        { "Paris", "FR", 4 },         { "Lyon", "FR", 1 },        { "Amsterdam", "NL", 3 },
	{ "Rotterdam", "NL", 1 },   { "Madrid", "ES", 2 },        { "Barcelona", "ES", 2 },   { "Dublin", "IE", 2 },
	{ "Stockholm", "SE", 2 },   { "Zürich", "CH", 2 },        { "Warsaw", "PL", 2 },      { "Kraków", "PL", 1 },
	{ "Sydney", "AU", 3 },      { "Melbourne", "AU", 2 },     { "Bangalore", "IN", 3 },   { "São Paulo", "BR", 2 },
};

static const char *currency_of(const char *country)
{
	static const char *const map[][2] = { { "US", "USD" }, { "CA", "CAD" }, { "GB", "GBP" },
					      { "CH", "CHF" }, { "SE", "SEK" }, { "PL", "PLN" },
					      { "AU", "AUD" }, { "IN", "INR" }, { "BR", "BRL" } };
	for (size_t i = 0; i < N_OF(map); i++)
		if (!strcmp(map[i][0], country))
			return map[i][1];
	return "EUR";
}

static const double field_salary[] = {
	[F_TECH] = 120000,     [F_DATA] = 115000,  [F_HEALTH] = 80000,    [F_FINANCE] = 75000, [F_SALES] = 60000,
	[F_LOGISTICS] = 42000, [F_TRADES] = 55000, [F_EDUCATION] = 50000, [F_SERVICE] = 32000, [F_OFFICE] = 52000,
};

static const char *const sources[] = { "greenhouse",      "lever",    "ashby",    "workday",  "jsonld",
				       "smartrecruiters", "linkedin", "remoteok", "workable", "personio" };

/* Syllables for company names and the long tail of tool and product names. */
static const char *const syl[] = { "ka",  "lo", "mi", "ra", "ten", "vo",  "zi",  "bel", "cor", "dan", "fy",  "gra",
				   "hex", "ix", "jo", "nu", "or",  "pex", "qui", "sol", "tri", "ux",  "ven", "wex" };
static const char *const company_suffix[] = { "Labs",      "Health",   "Logistics",    "Systems",   "Foods",
					      "Group",     "Partners", "Technologies", "Retail",    "Energy",
					      "Solutions", "Capital",  "Medical",      "Transport", "Education" };

static void word_from(uint64_t x, char *out, size_t cap, bool capital)
{
	size_t n = 0;
	int parts = 2 + (int)(x % 3);
	x /= 3;
	for (int i = 0; i < parts && n + 4 < cap; i++) {
		const char *s = syl[x % N_OF(syl)];
		x /= N_OF(syl);
		size_t l = strlen(s);
		memcpy(out + n, s, l);
		n += l;
	}
	out[n] = '\0';
	if (capital && out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 32);
}

struct text {
	struct corpus *c;
	size_t start;
	int err;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
	struct corpus *c = t->c;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(c->text + c->text_len, c->text_cap - c->text_len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < c->text_cap - c->text_len) {
			c->text_len += (size_t)n;
			return;
		}
		size_t cap = c->text_cap * 2;
		char *p = realloc(c->text, cap);
		if (!p) {
			t->err = -ENOMEM;
			return;
		}
		c->text = p;
		c->text_cap = cap;
	}
}

/* Ends the current string; its offset. */
static size_t end_str(struct text *t)
{
	size_t s = t->start;
	put(t, "%c", '\0');
	t->start = t->c->text_len;
	return s;
}

static const char *tail_word(char *buf, size_t cap)
{
	word_from(zipf(120000) * 2654435761u + 17, buf, cap, true);
	return buf;
}

static const struct occupation *pick_occupation(void)
{
	static int total;
	if (!total)
		for (size_t i = 0; i < N_OF(occupations); i++)
			total += occupations[i].weight;
	int x = (int)pick((size_t)total);
	for (size_t i = 0; i < N_OF(occupations); i++)
		if ((x -= occupations[i].weight) < 0)
			return &occupations[i];
	return &occupations[0];
}

static const struct city *pick_city(void)
{
	static int total;
	if (!total)
		for (size_t i = 0; i < N_OF(cities); i++)
			total += cities[i].weight;
	int x = (int)pick((size_t)total);
	for (size_t i = 0; i < N_OF(cities); i++)
		if ((x -= cities[i].weight) < 0)
			return &cities[i];
	return &cities[0];
}

int corpus_generate(struct corpus *c, size_t n, uint64_t seed, const char *today)
{
	memset(c, 0, sizeof(*c));
	rng_state = seed;
	c->items = calloc(n ? n : 1, sizeof(*c->items));
	c->text_cap = 1u << 20;
	c->text = malloc(c->text_cap);
	size_t *offs = calloc(n ? n * 4 : 1, sizeof(*offs));
	if (!c->items || !c->text || !offs) {
		free(offs);
		corpus_free(c);
		return -ENOMEM;
	}
	struct text t = { .c = c };
	int32_t day0 = search_day(today);
	char w1[64], w2[64];
	for (size_t i = 0; i < n; i++) {
		struct gen_posting *p = &c->items[i];
		p->id = (int64_t)i + 1;
		const struct occupation *o = pick_occupation();
		enum field f = o->field;
		/* title */
		put(&t, "%s%s%s", ANY(seniority), o->title, ANY(title_suffix));
		offs[4 * i] = end_str(&t);
		/* company: a few big employers, a long tail of small ones */
		uint64_t cid = zipf(20000);
		word_from(cid * 7919 + 3, w1, sizeof(w1), true);
		put(&t, "%s %s", w1, company_suffix[cid % N_OF(company_suffix)]);
		offs[4 * i + 1] = end_str(&t);
		const struct city *city = pick_city();
		double r = unit();
		p->workplace = r < 0.25   ? WORKPLACE_REMOTE
			       : r < 0.5  ? WORKPLACE_HYBRID
			       : r < 0.95 ? WORKPLACE_ONSITE
					  : 0;
		if (f == F_LOGISTICS || f == F_TRADES || f == F_SERVICE || f == F_HEALTH)
			p->workplace = r < 0.95 ? WORKPLACE_ONSITE : 0;
		p->city = city->name;
		p->country = city->country;
		if (p->workplace == WORKPLACE_REMOTE)
			put(&t, "Remote - %s", city->country);
		else
			put(&t, "%s, %s", city->name, city->country);
		offs[4 * i + 2] = end_str(&t);
		/* description */
		uint64_t words_before = c->words;
		put(&t, "%s is a %s %s company based in %s. ", w1, ANY(adjectives), ANY(industries), city->name);
		put(&t, "We are looking for a %s%s to join our team.\n\n", ANY(seniority), o->title);
		c->words += 20;
		put(&t, "What you will do:\n");
		int nd = 4 + (int)pick(9);
		for (int k = 0; k < nd; k++) {
			put(&t, "- You will %s", duties[f][pick(8)]);
			if (pick(2))
				put(&t, " using %s and %s", skills[f][zipf(24)], skills[f][zipf(24)]);
			if (pick(3) == 0)
				put(&t, " with tools like %s", tail_word(w2, sizeof(w2)));
			put(&t, ".\n");
			c->words += 14;
		}
		put(&t, "\nWhat we are looking for:\n");
		int nr = 4 + (int)pick(7);
		for (int k = 0; k < nr; k++) {
			switch (pick(5)) {
			case 0:
				put(&t, "- %d+ years of experience with %s.\n", 1 + (int)pick(8), skills[f][zipf(24)]);
				break;
			case 1:
				put(&t, "- Strong knowledge of %s, %s or %s.\n", skills[f][zipf(24)],
				    skills[f][zipf(24)], skills[f][zipf(24)]);
				break;
			case 2:
				put(&t, "- Excellent communication skills and a positive attitude.\n");
				break;
			case 3:
				put(&t, "- Experience in %s is a plus, as is familiarity with %s.\n", ANY(industries),
				    tail_word(w2, sizeof(w2)));
				break;
			default:
				put(&t, "- Ability to work independently and as part of a team in a %s environment.\n",
				    ANY(adjectives));
			}
			c->words += 10;
		}
		if (pick(3)) {
			put(&t,
			    "\nAbout the team:\nOur %s team of %d people works on %s for %s customers. We value "
			    "curiosity, ownership and kindness, and we invest in the growth of every member.\n",
			    o->title, 4 + (int)pick(40), skills[f][zipf(24)], ANY(industries));
			c->words += 30;
		}
		put(&t, "\nBenefits:\n");
		int nb = 3 + (int)pick(6);
		for (int k = 0; k < nb; k++)
			put(&t, "- %s\n", ANY(benefits));
		c->words += (uint64_t)nb * 7;
		if (pick(10) < 7) {
			put(&t, "\n%s\n", eeo);
			c->words += 50;
		}
		put(&t, "\n%s", ANY(closing));
		c->words += 8;
		(void)words_before;
		offs[4 * i + 3] = end_str(&t);
		if (t.err)
			break;
		/* the rest */
		double r2 = unit();
		p->employment_types = r2 < 0.75   ? EMPLOYMENT_FULL_TIME
				      : r2 < 0.85 ? EMPLOYMENT_PART_TIME
				      : r2 < 0.95 ? EMPLOYMENT_CONTRACTOR
				      : r2 < 0.98 ? EMPLOYMENT_INTERN
						  : EMPLOYMENT_TEMPORARY;
		if (pick(20) == 0)
			p->employment_types |= EMPLOYMENT_CONTRACTOR;
		p->source = sources[zipf(N_OF(sources))];
		p->source2 = pick(10) == 0 ? sources[pick(N_OF(sources))] : NULL;
		if (p->source2 && !strcmp(p->source2, p->source))
			p->source2 = NULL;
		int32_t day = day0 - (int32_t)zipf(120);
		/* civil from days */
		int32_t z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
		int32_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		int32_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
		int32_t d = doy - (153 * mp + 2) / 5 + 1, m = mp + (mp < 10 ? 3 : -9);
		snprintf(p->date_posted, sizeof(p->date_posted), "%04u-%02u-%02u", (unsigned)(y + (m <= 2)) % 10000u,
			 (unsigned)m % 100u, (unsigned)d % 100u);
		if (pick(100) < 85) {
			double base = field_salary[f] * (0.7 + 0.6 * unit());
			if (strstr(o->title, "Senior") || strstr(o->title, "Lead"))
				base *= 1.3;
			p->salary_min = (double)((int64_t)(base / 1000) * 1000);
			p->salary_max = pick(4) ? p->salary_min * 1.25 : 0;
			p->currency = currency_of(city->country);
		}
	}
	if (t.err) {
		free(offs);
		corpus_free(c);
		return t.err;
	}
	for (size_t i = 0; i < n; i++) {
		c->items[i].title = c->text + offs[4 * i];
		c->items[i].company = c->text + offs[4 * i + 1];
		c->items[i].location = c->text + offs[4 * i + 2];
		c->items[i].description = c->text + offs[4 * i + 3];
	}
	free(offs);
	c->n = n;
	return 0;
}

void corpus_free(struct corpus *c)
{
	free(c->items);
	free(c->text);
	memset(c, 0, sizeof(*c));
}
