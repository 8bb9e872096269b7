#ifndef KGFUSE_CBLAS_SHIM_H
#define KGFUSE_CBLAS_SHIM_H
#include <cblas.h>
#endif
