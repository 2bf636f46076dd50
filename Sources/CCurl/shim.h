// libcurl for Swift: typed wrappers for the variadic setopt/getinfo calls, which do not import.
#ifndef DYADWATCH_CCURL_SHIM_H
#define DYADWATCH_CCURL_SHIM_H

#include <curl/curl.h>

static inline CURLcode dyad_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode dyad_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode dyad_easy_setopt_ptr(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode dyad_easy_setopt_str(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode dyad_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }

typedef size_t (*dyad_data_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);
static inline CURLcode dyad_easy_setopt_datacb(CURL *h, CURLoption o, dyad_data_cb v) { return curl_easy_setopt(h, o, v); }
typedef int (*dyad_xferinfo_cb)(void *clientp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);
static inline CURLcode dyad_easy_setopt_xferinfo(CURL *h, CURLoption o, dyad_xferinfo_cb v) { return curl_easy_setopt(h, o, v); }

static inline CURLcode dyad_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode dyad_easy_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode dyad_easy_getinfo_str(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode dyad_easy_getinfo_ptr(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }

static inline CURLMcode dyad_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }

/// The easy handle and result of a finished transfer (CURLMsg's union does not import cleanly everywhere).
static inline CURLcode dyad_msg_result(CURLMsg *msg) { return msg->data.result; }

#endif
