/* version.c — the library's version string. */
#include "pcapkit/version.h"

const char *
pk_version(void)
{
	return PK_VERSION;
}
