/* `jobtrack taxonomy import --onet FILE`: O*NET's Technology Skills file (tab-separated, a header naming Example and
 * Commodity Title),
 * parsed by import_parse_onet, then merged and written back (fuzz_import.h). */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import_run(data, size, FUZZ_ONET);
}
