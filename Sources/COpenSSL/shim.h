#ifndef KGFUSE_COPENSSL_SHIM_H
#define KGFUSE_COPENSSL_SHIM_H
#include <openssl/evp.h>
#endif
