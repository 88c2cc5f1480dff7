/* The first bytes of a connection as the server peeks at them for an
 * unreadable Content-Length (length_check_head): the input is those bytes. */
#include <stdlib.h>

#include "fuzz_support.h"
#include "web/length_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int status = length_check_head((const char *)data, size);
	if (status != 0 && status != 400 && status != 413)
		abort();
	return 0;
}
