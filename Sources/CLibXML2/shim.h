#ifndef KGFUSE_CLIBXML2_SHIM_H
#define KGFUSE_CLIBXML2_SHIM_H
/* Debian's libxml2 is built with ICU, so its encoding.h includes the system's <unicode/ucnv.h>. Swift's Foundation
 * carries its own copy of ICU, and a module that sees both fails to build ("UErrorCode has different definitions").
 * kgfuse never touches the ICU converter fields of xmlCharEncodingHandler (only pointers to it), so the ICU part
 * of the headers is switched off here. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/entities.h>
#include <libxml/c14n.h>
#endif
