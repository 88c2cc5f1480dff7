/* currency — currency symbols, ISO 4217 codes and names as sources write
 * them before or after an amount ("$", "US$", "€", "45.000 €", "3750 EUR",
 * "zł", "R$", "₹", "CHF"), as ISO 4217 codes.
 *
 * Rules, so that words around a salary are not read as money:
 * - Codes count in upper case ("USD", "ALL"); only the common ones also in
 *   lower case ("usd", "eur"), since "all", "try", "top" or "mad" are words.
 * - A token ending in a letter must not be followed by a letter ("EURO"
 *   is no "EUR" + "O"); a digit may follow ("USD100").
 * - "$" alone is USD (the schema.org and LinkedIn reading); "¥" alone is
 *   JPY ("CN¥", "RMB", "元" are CNY); "kr" alone is SEK (salary_parse_text
 *   prefers NOK, DKK or ISK when that is the default currency); "R" is
 *   ZAR only when a number follows.
 */
#include <errno.h>
#include <string.h>

#include "scrape/normalize.h"
#include "scrape/normalize/lex.h"

enum token_case {
	ANY_CASE,   /* ASCII letters in any case */
	EXACT_CASE, /* as written in the table */
};

struct currency_token {
	const char *token;
	const char *code;
	enum token_case tcase;
};

static const struct currency_token tokens[] = {
	/* symbols, with and without a country prefix */
	{ "$", "USD", ANY_CASE },
	{ "us$", "USD", ANY_CASE },
	{ "usd$", "USD", ANY_CASE },
	{ "u$s", "USD", ANY_CASE },
	{ "a$", "AUD", ANY_CASE },
	{ "au$", "AUD", ANY_CASE },
	{ "aud$", "AUD", ANY_CASE },
	{ "c$", "CAD", ANY_CASE },
	{ "ca$", "CAD", ANY_CASE },
	{ "can$", "CAD", ANY_CASE },
	{ "cad$", "CAD", ANY_CASE },
	{ "nz$", "NZD", ANY_CASE },
	{ "hk$", "HKD", ANY_CASE },
	{ "s$", "SGD", ANY_CASE },
	{ "sg$", "SGD", ANY_CASE },
	{ "r$", "BRL", ANY_CASE },
	{ "mx$", "MXN", ANY_CASE },
	{ "mex$", "MXN", ANY_CASE },
	{ "nt$", "TWD", ANY_CASE },
	{ "€", "EUR", ANY_CASE },
	{ "£", "GBP", ANY_CASE },
	{ "¥", "JPY", ANY_CASE },
	{ "￥", "JPY", ANY_CASE },
	{ "cn¥", "CNY", ANY_CASE },
	{ "元", "CNY", ANY_CASE },
	{ "₹", "INR", ANY_CASE },
	{ "₩", "KRW", ANY_CASE },
	{ "₽", "RUB", ANY_CASE },
	{ "₺", "TRY", ANY_CASE },
	{ "₪", "ILS", ANY_CASE },
	{ "₱", "PHP", ANY_CASE },
	{ "₫", "VND", ANY_CASE },
	{ "฿", "THB", ANY_CASE },
	{ "₦", "NGN", ANY_CASE },
	{ "₴", "UAH", ANY_CASE },
	{ "₸", "KZT", ANY_CASE },
	{ "₾", "GEL", ANY_CASE },
	{ "e£", "EGP", ANY_CASE },
	/* local abbreviations */
	{ "zł", "PLN", ANY_CASE },
	{ "zl", "PLN", ANY_CASE },
	{ "kč", "CZK", ANY_CASE },
	{ "Ft", "HUF", EXACT_CASE },
	{ "lei", "RON", ANY_CASE },
	{ "лв", "BGN", ANY_CASE },
	{ "лв.", "BGN", ANY_CASE },
	{ "kr", "SEK", ANY_CASE },
	{ "kr.", "SEK", ANY_CASE },
	{ "Fr.", "CHF", EXACT_CASE },
	{ "SFr.", "CHF", EXACT_CASE },
	{ "Rs.", "INR", EXACT_CASE },
	{ "Rs", "INR", EXACT_CASE },
	{ "rmb", "CNY", ANY_CASE },
	/* names */
	{ "dollars", "USD", ANY_CASE },
	{ "dollar", "USD", ANY_CASE },
	{ "euros", "EUR", ANY_CASE },
	{ "euro", "EUR", ANY_CASE },
	{ "pounds", "GBP", ANY_CASE },
	{ "pound sterling", "GBP", ANY_CASE },
	{ "rupees", "INR", ANY_CASE },
	{ "yen", "JPY", ANY_CASE },
	{ "złotych", "PLN", ANY_CASE },
	/* the common codes in any case */
	{ "usd", "USD", ANY_CASE },
	{ "eur", "EUR", ANY_CASE },
	{ "gbp", "GBP", ANY_CASE },
	{ "chf", "CHF", ANY_CASE },
	{ "cad", "CAD", ANY_CASE },
	{ "aud", "AUD", ANY_CASE },
	{ "nzd", "NZD", ANY_CASE },
	{ "inr", "INR", ANY_CASE },
	{ "sek", "SEK", ANY_CASE },
	{ "nok", "NOK", ANY_CASE },
	{ "dkk", "DKK", ANY_CASE },
	{ "pln", "PLN", ANY_CASE },
	{ "jpy", "JPY", ANY_CASE },
	{ "cny", "CNY", ANY_CASE },
	{ "brl", "BRL", ANY_CASE },
	{ "mxn", "MXN", ANY_CASE },
	{ "zar", "ZAR", ANY_CASE },
	{ "sgd", "SGD", ANY_CASE },
	{ "hkd", "HKD", ANY_CASE },
	{ "czk", "CZK", ANY_CASE },
	{ "huf", "HUF", ANY_CASE },
	{ "ron", "RON", ANY_CASE },
};

/* ISO 4217 codes recognised when written in upper case. */
static const char *const upper_codes[] = {
	"AED", "AMD", "ARS", "AUD", "AZN", "BAM", "BDT", "BGN", "BHD", "BOB", "BRL", "BYN", "CAD", "CHF", "CLP",
	"CNY", "COP", "CRC", "CZK", "DKK", "DOP", "DZD", "EGP", "ETB", "EUR", "GBP", "GEL", "GHS", "GTQ", "HKD",
	"HRK", "HUF", "IDR", "ILS", "INR", "IQD", "ISK", "JMD", "JOD", "JPY", "KES", "KRW", "KWD", "KZT", "LBP",
	"LKR", "MAD", "MDL", "MKD", "MNT", "MUR", "MXN", "MYR", "NGN", "NOK", "NPR", "NZD", "OMR", "PEN", "PHP",
	"PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SEK", "SGD", "THB", "TND", "TRY", "TTD",
	"TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VES", "VND", "XAF", "XOF", "ZAR", "ZMW",
};

/* Bytes of token at s (0 when it does not match), with the boundary rule. */
static size_t token_at(const char *s, const struct currency_token *t)
{
	size_t n = strlen(t->token);
	for (size_t i = 0; i < n; i++) {
		char c = t->tcase == ANY_CASE ? lex_lower(s[i]) : s[i];
		if (c != t->token[i])
			return 0; /* stops at the NUL too */
	}
	if (!lex_boundary_before(t->token, t->token + n) && lex_word_char_at(s + n) && !lex_is_digit(s[n]))
		return 0;
	return n;
}

static bool upper_code_at(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return false;
	if (lex_word_char_at(s + 3) && !lex_is_digit(s[3]))
		return false;
	for (size_t i = 0; i < sizeof(upper_codes) / sizeof(upper_codes[0]); i++)
		if (memcmp(s, upper_codes[i], 3) == 0)
			return true;
	return false;
}

int currency_parse(const char *text, char out[4], size_t *used)
{
	if (!text)
		return -ENOENT;
	const char *p = lex_skip_spaces(text);
	size_t best = 0;
	const char *code = NULL;
	for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
		size_t n = token_at(p, &tokens[i]);
		if (n > best) {
			best = n;
			code = tokens[i].code;
		}
	}
	if (best < 3 && upper_code_at(p)) {
		best = 3;
		code = p; /* the code as written */
	}
	/* "R 50 000": the rand only when an amount follows. */
	if (!best && p[0] == 'R' && (lex_is_digit(p[1]) || (p[1] == ' ' && lex_is_digit(p[2])))) {
		best = 1;
		code = "ZAR";
	}
	if (!best)
		return -ENOENT;
	memcpy(out, code, 3);
	out[3] = '\0';
	if (used)
		*used = (size_t)(p - text) + best;
	return 0;
}
