/* version.h — library version. */
#ifndef PCAPKIT_VERSION_H
#define PCAPKIT_VERSION_H
const char *pk_version(void);
#endif
