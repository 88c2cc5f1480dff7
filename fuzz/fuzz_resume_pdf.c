/* Resume extraction from a PDF (resume_extract_text through MuPDF and
 * resume/layout): an uploaded file. Input without a PDF header gets one,
 * so every input reaches MuPDF. Checks: success gives tidy UTF-8 text
 * (its length as said, no CR, no ligature or private-use code points, no
 * empty line twice, at most the text bound), a failure a message. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_resume.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char head[] = "%PDF-1.7\n";
	if (size > (4u << 20))
		return 0;
	if (size >= 5 && memmem(data, size < 1024 ? size : 1024, "%PDF-", 5)) {
		fuzz_resume_check(data, size, RESUME_TYPE_PDF);
		return 0;
	}
	uint8_t *b = malloc(size + sizeof(head));
	if (!b)
		return 0;
	memcpy(b, head, sizeof(head) - 1);
	if (size)
		memcpy(b + sizeof(head) - 1, data, size);
	fuzz_resume_check(b, size + sizeof(head) - 1, RESUME_TYPE_PDF);
	free(b);
	return 0;
}
