#ifndef DYADWATCH_CFUZZER_H
#define DYADWATCH_CFUZZER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt, linked by -sanitize=fuzzer): parses the libFuzzer flags in
/// argv and calls `callback` with each input. Used instead of libFuzzer's own `main`, because
/// SwiftPM links an executable's entry point as `<TARGET>_main`.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
