// libxml2 for Swift. See ../shared/notes/PLATFORM.md (ICU clash, xmlFree).
#ifndef DYADWATCH_CLIBXML2_SHIM_H
#define DYADWATCH_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU; its ICU headers clash with Foundation's own copy on clean
// builds. We never use the ICU-specific fields, so hide them.
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/HTMLparser.h>
#include <libxml/encoding.h>
#include <libxml/entities.h>
#include <libxml/uri.h>

/// `xmlFree` is a global function pointer, which Swift 6 rejects as not concurrency-safe.
static inline void dyad_xmlFree(void *ptr) { xmlFree(ptr); }

/// libxml2's dotted version string (`xmlParserVersion` does not import).
static inline const char *dyad_xmlVersion(void) { return LIBXML_DOTTED_VERSION; }

/// Refuses every external entity / DTD load (XXE, network): libxml2 asks this loader for any
/// external resource; returning NULL makes the parser report an error and carry on without it.
static xmlParserInputPtr dyad_refuseExternalLoad(const char *URL, const char *ID, xmlParserCtxtPtr ctxt) {
    (void)URL; (void)ID; (void)ctxt;
    return NULL;
}

/// Installs `dyad_refuseExternalLoad` as libxml2's process-wide external entity loader.
static inline void dyad_installSafeEntityLoader(void) { xmlSetExternalEntityLoader(dyad_refuseExternalLoad); }

/// Swallows libxml2's unstructured (printf-style) error output, which would otherwise go to stderr;
/// parser errors reach us through the structured `serror` SAX callback instead.
static void dyad_ignoreGenericError(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }

/// Silences generic error output on the calling thread (libxml2 keeps this per thread).
static inline void dyad_silenceGenericErrors(void) { xmlSetGenericErrorFunc(NULL, dyad_ignoreGenericError); }

#endif
