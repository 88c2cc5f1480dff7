/* `jobtrack taxonomy import --stackoverflow FILE`: a Stack Overflow tag list CSV (TagName, Count),
 * parsed by import_parse_stackoverflow, then merged and written back (fuzz_import.h). */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import_run(data, size, FUZZ_SO);
}
