/* Resume extraction from a DOCX (resume_extract_text through libzip and
 * libxml2): an uploaded file, as it is (most mutations of a zip are still
 * detected as one; those that are not exercise detection and the text
 * reader). Checks as in fuzz_resume.h. */
#include "fuzz_resume.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (4u << 20))
		return 0;
	fuzz_resume_check(data, size, RESUME_TYPE_UNKNOWN);
	return 0;
}
