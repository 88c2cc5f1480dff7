/* countries — ISO 3166-1: every country's alpha-2 and alpha-3 code and
 * English short name, and the aliases and native names postings use
 * ("USA", "U.S.", "UK", "Great Britain", "England", "Deutschland",
 * "España", "Schweiz", "Türkiye", "Czech Republic", "Korea").
 *
 * Names and aliases match folded (lex_fold: case, accents, dots and
 * punctuation do not matter; a leading "the" is dropped). Codes match in
 * any case through country_code(); inside location text (country_lookup
 * without codes_any_case) only as written in upper case, so that "in", "de"
 * or "per" stay words. "European Union", "EU" and "Europe" name no country.
 * XK (Kosovo) is not in ISO 3166-1 but is the code every source uses.
 */
#include <errno.h>
#include <string.h>

#include "scrape/normalize.h"
#include "scrape/normalize/internal.h"
#include "scrape/normalize/lex.h"

struct country {
	char alpha2[3];
	char alpha3[4];
	const char *name;
};

/* Sorted by alpha-2 code. */
static const struct country countries[] = {
	{ "AD", "AND", "Andorra" },
	{ "AE", "ARE", "United Arab Emirates" },
	{ "AF", "AFG", "Afghanistan" },
	{ "AG", "ATG", "Antigua and Barbuda" },
	{ "AI", "AIA", "Anguilla" },
	{ "AL", "ALB", "Albania" },
	{ "AM", "ARM", "Armenia" },
	{ "AO", "AGO", "Angola" },
	{ "AQ", "ATA", "Antarctica" },
	{ "AR", "ARG", "Argentina" },
	{ "AS", "ASM", "American Samoa" },
	{ "AT", "AUT", "Austria" },
	{ "AU", "AUS", "Australia" },
	{ "AW", "ABW", "Aruba" },
	{ "AX", "ALA", "Åland Islands" },
	{ "AZ", "AZE", "Azerbaijan" },
	{ "BA", "BIH", "Bosnia and Herzegovina" },
	{ "BB", "BRB", "Barbados" },
	{ "BD", "BGD", "Bangladesh" },
	{ "BE", "BEL", "Belgium" },
	{ "BF", "BFA", "Burkina Faso" },
	{ "BG", "BGR", "Bulgaria" },
	{ "BH", "BHR", "Bahrain" },
	{ "BI", "BDI", "Burundi" },
	{ "BJ", "BEN", "Benin" },
	{ "BL", "BLM", "Saint Barthélemy" },
	{ "BM", "BMU", "Bermuda" },
	{ "BN", "BRN", "Brunei" },
	{ "BO", "BOL", "Bolivia" },
	{ "BQ", "BES", "Bonaire, Sint Eustatius and Saba" },
	{ "BR", "BRA", "Brazil" },
	{ "BS", "BHS", "Bahamas" },
	{ "BT", "BTN", "Bhutan" },
	{ "BV", "BVT", "Bouvet Island" },
	{ "BW", "BWA", "Botswana" },
	{ "BY", "BLR", "Belarus" },
	{ "BZ", "BLZ", "Belize" },
	{ "CA", "CAN", "Canada" },
	{ "CC", "CCK", "Cocos (Keeling) Islands" },
	{ "CD", "COD", "Democratic Republic of the Congo" },
	{ "CF", "CAF", "Central African Republic" },
	{ "CG", "COG", "Congo" },
	{ "CH", "CHE", "Switzerland" },
	{ "CI", "CIV", "Côte d'Ivoire" },
	{ "CK", "COK", "Cook Islands" },
	{ "CL", "CHL", "Chile" },
	{ "CM", "CMR", "Cameroon" },
	{ "CN", "CHN", "China" },
	{ "CO", "COL", "Colombia" },
	{ "CR", "CRI", "Costa Rica" },
	{ "CU", "CUB", "Cuba" },
	{ "CV", "CPV", "Cabo Verde" },
	{ "CW", "CUW", "Curaçao" },
	{ "CX", "CXR", "Christmas Island" },
	{ "CY", "CYP", "Cyprus" },
	{ "CZ", "CZE", "Czechia" },
	{ "DE", "DEU", "Germany" },
	{ "DJ", "DJI", "Djibouti" },
	{ "DK", "DNK", "Denmark" },
	{ "DM", "DMA", "Dominica" },
	{ "DO", "DOM", "Dominican Republic" },
	{ "DZ", "DZA", "Algeria" },
	{ "EC", "ECU", "Ecuador" },
	{ "EE", "EST", "Estonia" },
	{ "EG", "EGY", "Egypt" },
	{ "EH", "ESH", "Western Sahara" },
	{ "ER", "ERI", "Eritrea" },
	{ "ES", "ESP", "Spain" },
	{ "ET", "ETH", "Ethiopia" },
	{ "FI", "FIN", "Finland" },
	{ "FJ", "FJI", "Fiji" },
	{ "FK", "FLK", "Falkland Islands" },
	{ "FM", "FSM", "Micronesia" },
	{ "FO", "FRO", "Faroe Islands" },
	{ "FR", "FRA", "France" },
	{ "GA", "GAB", "Gabon" },
	{ "GB", "GBR", "United Kingdom" },
	{ "GD", "GRD", "Grenada" },
	{ "GE", "GEO", "Georgia" },
	{ "GF", "GUF", "French Guiana" },
	{ "GG", "GGY", "Guernsey" },
	{ "GH", "GHA", "Ghana" },
	{ "GI", "GIB", "Gibraltar" },
	{ "GL", "GRL", "Greenland" },
	{ "GM", "GMB", "Gambia" },
	{ "GN", "GIN", "Guinea" },
	{ "GP", "GLP", "Guadeloupe" },
	{ "GQ", "GNQ", "Equatorial Guinea" },
	{ "GR", "GRC", "Greece" },
	{ "GS", "SGS", "South Georgia and the South Sandwich Islands" },
	{ "GT", "GTM", "Guatemala" },
	{ "GU", "GUM", "Guam" },
	{ "GW", "GNB", "Guinea-Bissau" },
	{ "GY", "GUY", "Guyana" },
	{ "HK", "HKG", "Hong Kong" },
	{ "HM", "HMD", "Heard Island and McDonald Islands" },
	{ "HN", "HND", "Honduras" },
	{ "HR", "HRV", "Croatia" },
	{ "HT", "HTI", "Haiti" },
	{ "HU", "HUN", "Hungary" },
	{ "ID", "IDN", "Indonesia" },
	{ "IE", "IRL", "Ireland" },
	{ "IL", "ISR", "Israel" },
	{ "IM", "IMN", "Isle of Man" },
	{ "IN", "IND", "India" },
	{ "IO", "IOT", "British Indian Ocean Territory" },
	{ "IQ", "IRQ", "Iraq" },
	{ "IR", "IRN", "Iran" },
	{ "IS", "ISL", "Iceland" },
	{ "IT", "ITA", "Italy" },
	{ "JE", "JEY", "Jersey" },
	{ "JM", "JAM", "Jamaica" },
	{ "JO", "JOR", "Jordan" },
	{ "JP", "JPN", "Japan" },
	{ "KE", "KEN", "Kenya" },
	{ "KG", "KGZ", "Kyrgyzstan" },
	{ "KH", "KHM", "Cambodia" },
	{ "KI", "KIR", "Kiribati" },
	{ "KM", "COM", "Comoros" },
	{ "KN", "KNA", "Saint Kitts and Nevis" },
	{ "KP", "PRK", "North Korea" },
	{ "KR", "KOR", "South Korea" },
	{ "KW", "KWT", "Kuwait" },
	{ "KY", "CYM", "Cayman Islands" },
	{ "KZ", "KAZ", "Kazakhstan" },
	{ "LA", "LAO", "Laos" },
	{ "LB", "LBN", "Lebanon" },
	{ "LC", "LCA", "Saint Lucia" },
	{ "LI", "LIE", "Liechtenstein" },
	{ "LK", "LKA", "Sri Lanka" },
	{ "LR", "LBR", "Liberia" },
	{ "LS", "LSO", "Lesotho" },
	{ "LT", "LTU", "Lithuania" },
	{ "LU", "LUX", "Luxembourg" },
	{ "LV", "LVA", "Latvia" },
	{ "LY", "LBY", "Libya" },
	{ "MA", "MAR", "Morocco" },
	{ "MC", "MCO", "Monaco" },
	{ "MD", "MDA", "Moldova" },
	{ "ME", "MNE", "Montenegro" },
	{ "MF", "MAF", "Saint Martin" },
	{ "MG", "MDG", "Madagascar" },
	{ "MH", "MHL", "Marshall Islands" },
	{ "MK", "MKD", "North Macedonia" },
	{ "ML", "MLI", "Mali" },
	{ "MM", "MMR", "Myanmar" },
	{ "MN", "MNG", "Mongolia" },
	{ "MO", "MAC", "Macao" },
	{ "MP", "MNP", "Northern Mariana Islands" },
	{ "MQ", "MTQ", "Martinique" },
	{ "MR", "MRT", "Mauritania" },
	{ "MS", "MSR", "Montserrat" },
	{ "MT", "MLT", "Malta" },
	{ "MU", "MUS", "Mauritius" },
	{ "MV", "MDV", "Maldives" },
	{ "MW", "MWI", "Malawi" },
	{ "MX", "MEX", "Mexico" },
	{ "MY", "MYS", "Malaysia" },
	{ "MZ", "MOZ", "Mozambique" },
	{ "NA", "NAM", "Namibia" },
	{ "NC", "NCL", "New Caledonia" },
	{ "NE", "NER", "Niger" },
	{ "NF", "NFK", "Norfolk Island" },
	{ "NG", "NGA", "Nigeria" },
	{ "NI", "NIC", "Nicaragua" },
	{ "NL", "NLD", "Netherlands" },
	{ "NO", "NOR", "Norway" },
	{ "NP", "NPL", "Nepal" },
	{ "NR", "NRU", "Nauru" },
	{ "NU", "NIU", "Niue" },
	{ "NZ", "NZL", "New Zealand" },
	{ "OM", "OMN", "Oman" },
	{ "PA", "PAN", "Panama" },
	{ "PE", "PER", "Peru" },
	{ "PF", "PYF", "French Polynesia" },
	{ "PG", "PNG", "Papua New Guinea" },
	{ "PH", "PHL", "Philippines" },
	{ "PK", "PAK", "Pakistan" },
	{ "PL", "POL", "Poland" },
	{ "PM", "SPM", "Saint Pierre and Miquelon" },
	{ "PN", "PCN", "Pitcairn" },
	{ "PR", "PRI", "Puerto Rico" },
	{ "PS", "PSE", "Palestine" },
	{ "PT", "PRT", "Portugal" },
	{ "PW", "PLW", "Palau" },
	{ "PY", "PRY", "Paraguay" },
	{ "QA", "QAT", "Qatar" },
	{ "RE", "REU", "Réunion" },
	{ "RO", "ROU", "Romania" },
	{ "RS", "SRB", "Serbia" },
	{ "RU", "RUS", "Russia" },
	{ "RW", "RWA", "Rwanda" },
	{ "SA", "SAU", "Saudi Arabia" },
	{ "SB", "SLB", "Solomon Islands" },
	{ "SC", "SYC", "Seychelles" },
	{ "SD", "SDN", "Sudan" },
	{ "SE", "SWE", "Sweden" },
	{ "SG", "SGP", "Singapore" },
	{ "SH", "SHN", "Saint Helena, Ascension and Tristan da Cunha" },
	{ "SI", "SVN", "Slovenia" },
	{ "SJ", "SJM", "Svalbard and Jan Mayen" },
	{ "SK", "SVK", "Slovakia" },
	{ "SL", "SLE", "Sierra Leone" },
	{ "SM", "SMR", "San Marino" },
	{ "SN", "SEN", "Senegal" },
	{ "SO", "SOM", "Somalia" },
	{ "SR", "SUR", "Suriname" },
	{ "SS", "SSD", "South Sudan" },
	{ "ST", "STP", "Sao Tome and Principe" },
	{ "SV", "SLV", "El Salvador" },
	{ "SX", "SXM", "Sint Maarten" },
	{ "SY", "SYR", "Syria" },
	{ "SZ", "SWZ", "Eswatini" },
	{ "TC", "TCA", "Turks and Caicos Islands" },
	{ "TD", "TCD", "Chad" },
	{ "TF", "ATF", "French Southern Territories" },
	{ "TG", "TGO", "Togo" },
	{ "TH", "THA", "Thailand" },
	{ "TJ", "TJK", "Tajikistan" },
	{ "TK", "TKL", "Tokelau" },
	{ "TL", "TLS", "Timor-Leste" },
	{ "TM", "TKM", "Turkmenistan" },
	{ "TN", "TUN", "Tunisia" },
	{ "TO", "TON", "Tonga" },
	{ "TR", "TUR", "Türkiye" },
	{ "TT", "TTO", "Trinidad and Tobago" },
	{ "TV", "TUV", "Tuvalu" },
	{ "TW", "TWN", "Taiwan" },
	{ "TZ", "TZA", "Tanzania" },
	{ "UA", "UKR", "Ukraine" },
	{ "UG", "UGA", "Uganda" },
	{ "UM", "UMI", "United States Minor Outlying Islands" },
	{ "US", "USA", "United States" },
	{ "UY", "URY", "Uruguay" },
	{ "UZ", "UZB", "Uzbekistan" },
	{ "VA", "VAT", "Holy See" },
	{ "VC", "VCT", "Saint Vincent and the Grenadines" },
	{ "VE", "VEN", "Venezuela" },
	{ "VG", "VGB", "British Virgin Islands" },
	{ "VI", "VIR", "U.S. Virgin Islands" },
	{ "VN", "VNM", "Vietnam" },
	{ "VU", "VUT", "Vanuatu" },
	{ "WF", "WLF", "Wallis and Futuna" },
	{ "WS", "WSM", "Samoa" },
	{ "XK", "XKX", "Kosovo" },
	{ "YE", "YEM", "Yemen" },
	{ "YT", "MYT", "Mayotte" },
	{ "ZA", "ZAF", "South Africa" },
	{ "ZM", "ZMB", "Zambia" },
	{ "ZW", "ZWE", "Zimbabwe" },
};

#define COUNTRY_COUNT (sizeof(countries) / sizeof(countries[0]))

/* Aliases, already folded (the unit tests check that they are). */
static const struct {
	const char *key;
	char alpha2[3];
} aliases[] = {
	{ "usa", "US" },
	{ "us", "US" },
	{ "united states of america", "US" },
	{ "america", "US" },
	{ "estados unidos", "US" },
	{ "eeuu", "US" },
	{ "etats unis", "US" },
	{ "vereinigte staaten", "US" },
	{ "uk", "GB" },
	{ "great britain", "GB" },
	{ "britain", "GB" },
	{ "england", "GB" },
	{ "scotland", "GB" },
	{ "wales", "GB" },
	{ "northern ireland", "GB" },
	{ "reino unido", "GB" },
	{ "royaume uni", "GB" },
	{ "vereinigtes konigreich", "GB" },
	{ "united kingdom of great britain and northern ireland", "GB" },
	{ "deutschland", "DE" },
	{ "allemagne", "DE" },
	{ "alemania", "DE" },
	{ "duitsland", "DE" },
	{ "niemcy", "DE" },
	{ "germania", "DE" },
	{ "espana", "ES" },
	{ "espagne", "ES" },
	{ "spanien", "ES" },
	{ "nederland", "NL" },
	{ "holland", "NL" },
	{ "pays bas", "NL" },
	{ "niederlande", "NL" },
	{ "paises bajos", "NL" },
	{ "schweiz", "CH" },
	{ "suisse", "CH" },
	{ "svizzera", "CH" },
	{ "svizra", "CH" },
	{ "osterreich", "AT" },
	{ "oesterreich", "AT" },
	{ "autriche", "AT" },
	{ "polska", "PL" },
	{ "pologne", "PL" },
	{ "polen", "PL" },
	{ "italia", "IT" },
	{ "italien", "IT" },
	{ "italie", "IT" },
	{ "brasil", "BR" },
	{ "brasilien", "BR" },
	{ "turkey", "TR" },
	{ "turkei", "TR" },
	{ "turquie", "TR" },
	{ "turquia", "TR" },
	{ "czech republic", "CZ" },
	{ "cesko", "CZ" },
	{ "ceska republika", "CZ" },
	{ "tschechien", "CZ" },
	{ "korea", "KR" },
	{ "republic of korea", "KR" },
	{ "korea republic of", "KR" },
	{ "korea south", "KR" },
	{ "dprk", "KP" },
	{ "russian federation", "RU" },
	{ "rossiya", "RU" },
	{ "francia", "FR" },
	{ "frankreich", "FR" },
	{ "frankrijk", "FR" },
	{ "belgique", "BE" },
	{ "belgie", "BE" },
	{ "belgien", "BE" },
	{ "belgica", "BE" },
	{ "sverige", "SE" },
	{ "schweden", "SE" },
	{ "suede", "SE" },
	{ "norge", "NO" },
	{ "norwegen", "NO" },
	{ "norvege", "NO" },
	{ "danmark", "DK" },
	{ "danemark", "DK" },
	{ "daenemark", "DK" },
	{ "suomi", "FI" },
	{ "finnland", "FI" },
	{ "eire", "IE" },
	{ "republic of ireland", "IE" },
	{ "irland", "IE" },
	{ "irlande", "IE" },
	{ "hellas", "GR" },
	{ "ellada", "GR" },
	{ "griechenland", "GR" },
	{ "grece", "GR" },
	{ "magyarorszag", "HU" },
	{ "ungarn", "HU" },
	{ "hongrie", "HU" },
	{ "rumanien", "RO" },
	{ "roumanie", "RO" },
	{ "bulgarien", "BG" },
	{ "hrvatska", "HR" },
	{ "kroatien", "HR" },
	{ "srbija", "RS" },
	{ "serbien", "RS" },
	{ "slovensko", "SK" },
	{ "slowakei", "SK" },
	{ "slovak republic", "SK" },
	{ "slovenija", "SI" },
	{ "slowenien", "SI" },
	{ "lietuva", "LT" },
	{ "latvija", "LV" },
	{ "eesti", "EE" },
	{ "estland", "EE" },
	{ "ukraina", "UA" },
	{ "uae", "AE" },
	{ "emirates", "AE" },
	{ "ksa", "SA" },
	{ "saudi", "SA" },
	{ "kingdom of saudi arabia", "SA" },
	{ "viet nam", "VN" },
	{ "ivory coast", "CI" },
	{ "macedonia", "MK" },
	{ "republic of north macedonia", "MK" },
	{ "burma", "MM" },
	{ "swaziland", "SZ" },
	{ "cape verde", "CV" },
	{ "vatican", "VA" },
	{ "vatican city", "VA" },
	{ "lao pdr", "LA" },
	{ "lao peoples democratic republic", "LA" },
	{ "syrian arab republic", "SY" },
	{ "iran islamic republic of", "IR" },
	{ "republic of moldova", "MD" },
	{ "united republic of tanzania", "TZ" },
	{ "hong kong sar", "HK" },
	{ "hong kong sar china", "HK" },
	{ "macau", "MO" },
	{ "state of palestine", "PS" },
	{ "palestinian territories", "PS" },
	{ "drc", "CD" },
	{ "dr congo", "CD" },
	{ "congo kinshasa", "CD" },
	{ "democratic republic of congo", "CD" },
	{ "republic of the congo", "CG" },
	{ "congo brazzaville", "CG" },
	{ "prc", "CN" },
	{ "mainland china", "CN" },
	{ "peoples republic of china", "CN" },
	{ "zhongguo", "CN" },
	{ "nippon", "JP" },
	{ "nihon", "JP" },
	{ "bharat", "IN" },
	{ "aotearoa", "NZ" },
	{ "rsa", "ZA" },
	{ "brunei darussalam", "BN" },
	{ "federated states of micronesia", "FM" },
	{ "east timor", "TL" },
	{ "bosnia", "BA" },
	{ "bosnia herzegovina", "BA" },
	{ "trinidad", "TT" },
	{ "st kitts and nevis", "KN" },
	{ "st lucia", "LC" },
	{ "st vincent and the grenadines", "VC" },
	{ "us virgin islands", "VI" },
	{ "bvi", "VG" },
	{ "luxemburg", "LU" },
	{ "kyrgyz republic", "KG" },
	{ "mexiko", "MX" },
	{ "japon", "JP" },
	{ "chine", "CN" },
	{ "inde", "IN" },
	{ "indien", "IN" },
	{ "kanada", "CA" },
	{ "australien", "AU" },
	{ "australie", "AU" },
	{ "singapur", "SG" },
	{ "singapour", "SG" },
};

static const char *const gb_nations[] = { "england", "scotland", "wales", "northern ireland" };

static const struct country *by_alpha2(const char *code)
{
	size_t lo = 0, hi = COUNTRY_COUNT;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(countries[mid].alpha2, code, 2);
		if (c == 0)
			return &countries[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* as_written as a code: two or three letters, dots dropped ("U.S." → "US"),
 * upper case unless any_case. Returns its length, or 0. */
static size_t code_form(const char *as_written, bool any_case, char code[4])
{
	size_t n = 0;
	for (const char *p = lex_skip_spaces(as_written); *p; p++) {
		if (*p == '.')
			continue;
		if (lex_space_len(p)) {
			if (*lex_skip_spaces(p))
				return 0;
			break;
		}
		char c = any_case && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
		if (c < 'A' || c > 'Z' || n == 3)
			return 0;
		code[n++] = c;
	}
	code[n] = '\0';
	return n >= 2 ? n : 0;
}

int country_lookup(const char *key, const char *as_written, bool codes_any_case, char out[3])
{
	char code[4];
	size_t n = as_written ? code_form(as_written, codes_any_case, code) : 0;
	if (n == 2) {
		const struct country *c = by_alpha2(code);
		if (c) {
			memcpy(out, c->alpha2, 3);
			return 0;
		}
	} else if (n == 3) {
		for (size_t i = 0; i < COUNTRY_COUNT; i++)
			if (memcmp(countries[i].alpha3, code, 3) == 0) {
				memcpy(out, countries[i].alpha2, 3);
				return 0;
			}
	}
	if (strncmp(key, "the ", 4) == 0)
		key += 4;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(key, aliases[i].key) == 0) {
			memcpy(out, aliases[i].alpha2, 3);
			return 0;
		}
	for (size_t i = 0; i < COUNTRY_COUNT; i++) {
		/* Most names differ from the key in their first letter: fold only the others. */
		char first = countries[i].name[0];
		if ((unsigned char)first < 0x80 && lex_lower(first) != key[0])
			continue;
		char name[96];
		if (lex_fold(countries[i].name, strlen(countries[i].name), false, name, sizeof(name)) &&
		    strcmp(key, name) == 0) {
			memcpy(out, countries[i].alpha2, 3);
			return 0;
		}
	}
	return -ENOENT;
}

bool country_is_gb_nation(const char *key)
{
	for (size_t i = 0; i < sizeof(gb_nations) / sizeof(gb_nations[0]); i++)
		if (strcmp(key, gb_nations[i]) == 0)
			return true;
	return false;
}

int country_code(const char *name, char out[3])
{
	char key[256];
	size_t n = name ? strnlen(name, 129) : 0;
	if (n > 128 || !lex_fold(name, n, false, key, sizeof(key))) /* no country's name is that long */
		return -ENOENT;
	return country_lookup(key, name, true, out);
}

const char *country_name(const char *code)
{
	if (!code || !code[0] || !code[1] || code[2])
		return NULL;
	char upper[3] = { code[0], code[1], '\0' };
	for (int i = 0; i < 2; i++)
		if (upper[i] >= 'a' && upper[i] <= 'z')
			upper[i] = (char)(upper[i] - 'a' + 'A');
	const struct country *c = by_alpha2(upper);
	return c ? c->name : NULL;
}

size_t country_table_size(void)
{
	return COUNTRY_COUNT;
}

const char *country_table_alpha2(size_t i)
{
	return i < COUNTRY_COUNT ? countries[i].alpha2 : NULL;
}

size_t country_alias_count(void)
{
	return sizeof(aliases) / sizeof(aliases[0]);
}

const char *country_alias_key(size_t i)
{
	return i < country_alias_count() ? aliases[i].key : NULL;
}
