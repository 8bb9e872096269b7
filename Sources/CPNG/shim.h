#ifndef KGFUSE_CPNG_SHIM_H
#define KGFUSE_CPNG_SHIM_H
#include <png.h>
#endif
