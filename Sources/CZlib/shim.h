// zlib for Swift (Debian: zlib1g-dev; scripts/bootstrap.sh installs it).
#ifndef DYADWATCH_CZLIB_SHIM_H
#define DYADWATCH_CZLIB_SHIM_H
#include <zlib.h>

/// `inflateInit2` is a macro and does not import.
static inline int dyad_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2_(strm, windowBits, ZLIB_VERSION, (int)sizeof(z_stream));
}
#endif
