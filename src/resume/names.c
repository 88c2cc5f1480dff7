/* resume/names — the bounds and names of extract.h that need no reader:
 * here, apart from the readers (MuPDF, libzip), so that the web server and
 * the vault use them without linking those. */
#include "resume/extract.h"

void resume_limits_default(struct resume_limits *lim)
{
	lim->max_bytes = RESUME_MAX_BYTES_DEFAULT;
	lim->max_pages = 30;
	lim->max_text = 1u << 20;
	lim->max_unpacked = 64u << 20;
	lim->max_memory = 512u << 20;
	lim->max_seconds = 5.0;
}

const char *resume_error_name(enum resume_error e)
{
	switch (e) {
	case RESUME_OK:
		return "ok";
	case RESUME_ERR_EMPTY:
		return "empty";
	case RESUME_ERR_TOO_LARGE:
		return "too_large";
	case RESUME_ERR_UNSUPPORTED:
		return "unsupported";
	case RESUME_ERR_CORRUPT:
		return "corrupt";
	case RESUME_ERR_ENCRYPTED:
		return "encrypted";
	case RESUME_ERR_NO_TEXT_LAYER:
		return "no_text_layer";
	case RESUME_ERR_TOO_COMPLEX:
		return "too_complex";
	case RESUME_ERR_NOMEM:
		return "out_of_memory";
	}
	return "unknown";
}

const char *resume_type_name(enum resume_type t)
{
	switch (t) {
	case RESUME_TYPE_PDF:
		return "pdf";
	case RESUME_TYPE_DOCX:
		return "docx";
	case RESUME_TYPE_TEXT:
		return "text";
	case RESUME_TYPE_MARKDOWN:
		return "markdown";
	case RESUME_TYPE_UNKNOWN:
		break;
	}
	return "unknown";
}
