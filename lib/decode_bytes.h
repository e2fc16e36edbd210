/* decode_bytes.h — bounds-checked, endian-explicit reads over packet bytes (internal).
 *
 * Every reader takes the buffer length and an offset and checks with a
 * comparison that cannot wrap (`off > len || n > len - off`).  The *_at
 * variants return 0 when the bytes are missing and set *ok to 0; callers that
 * have already checked a range use the unchecked be16/be32 on a pointer.
 */
#ifndef PK_DECODE_BYTES_H
#define PK_DECODE_BYTES_H

#include <stdint.h>

static inline int
pk_has(uint32_t len, uint32_t off, uint32_t n)
{
	return !(off > len || n > len - off);
}

static inline uint16_t
pk_be16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline uint32_t
pk_be24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static inline uint32_t
pk_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint16_t
pk_le16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[1] << 8 | p[0]);
}

static inline uint32_t
pk_le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

#endif
