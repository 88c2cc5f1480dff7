/* `jobtrack taxonomy import --esco FILE`: an ESCO skills CSV (quoted multi-line fields, columns in any order),
 * parsed by import_parse_esco, then merged and written back (fuzz_import.h). */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import_run(data, size, FUZZ_ESCO);
}
