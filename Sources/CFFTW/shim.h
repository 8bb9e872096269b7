#ifndef KGFUSE_CFFTW_SHIM_H
#define KGFUSE_CFFTW_SHIM_H
#include <fftw3.h>
#endif
