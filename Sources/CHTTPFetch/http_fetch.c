#include "hearth_http_fetch.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// libcurl's ABI, declared here rather than included: the development headers are not needed to
// build, only the shared library at run time. Option numbers are type base + index, as curl.h
// defines them; they are part of libcurl's stable ABI.
typedef void CURL;
enum {
    OPT_LONG = 0, OPT_OBJECT = 10000, OPT_FUNCTION = 20000,
    OPT_WRITEDATA = OPT_OBJECT + 1, OPT_URL = OPT_OBJECT + 2, OPT_ERRORBUFFER = OPT_OBJECT + 10,
    OPT_WRITEFUNCTION = OPT_FUNCTION + 11, OPT_FOLLOWLOCATION = OPT_LONG + 52,
    OPT_NOSIGNAL = OPT_LONG + 99, OPT_TIMEOUT_MS = OPT_LONG + 155, OPT_PROTOCOLS = OPT_LONG + 181,
    PROTO_HTTP = 1 << 0, PROTO_HTTPS = 1 << 1,
    INFO_RESPONSE_CODE = 0x200000 + 2,
    GLOBAL_ALL = 3, CURL_ERROR_BUFFER_SIZE = 256,
};

static struct {
    int (*global_init)(long flags);
    CURL *(*easy_init)(void);
    int (*easy_setopt)(CURL *, int option, ...);
    int (*easy_perform)(CURL *);
    int (*easy_getinfo)(CURL *, int info, ...);
    const char *(*easy_strerror)(int code);
    void (*easy_cleanup)(CURL *);
    char load_error[200];
} curl;

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void load_curl(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) library = dlopen("libcurl.so", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(curl.load_error, sizeof curl.load_error, "unsupported: fetch needs libcurl (libcurl.so.4), not found: %s", dlerror());
        return;
    }
    *(void **)&curl.global_init = dlsym(library, "curl_global_init");
    *(void **)&curl.easy_init = dlsym(library, "curl_easy_init");
    *(void **)&curl.easy_setopt = dlsym(library, "curl_easy_setopt");
    *(void **)&curl.easy_perform = dlsym(library, "curl_easy_perform");
    *(void **)&curl.easy_getinfo = dlsym(library, "curl_easy_getinfo");
    *(void **)&curl.easy_strerror = dlsym(library, "curl_easy_strerror");
    *(void **)&curl.easy_cleanup = dlsym(library, "curl_easy_cleanup");
    if (!curl.global_init || !curl.easy_init || !curl.easy_setopt || !curl.easy_perform ||
        !curl.easy_getinfo || !curl.easy_strerror || !curl.easy_cleanup) {
        snprintf(curl.load_error, sizeof curl.load_error, "unsupported: the libcurl found lacks the easy interface");
        curl.easy_init = NULL;
        return;
    }
    // Not thread-safe in older libcurl, hence inside the once.
    if (curl.global_init(GLOBAL_ALL) != 0) {
        snprintf(curl.load_error, sizeof curl.load_error, "libcurl failed to initialize");
        curl.easy_init = NULL;
    }
}

typedef struct {
    hearth_http_result *result;
    size_t limit;
    size_t capacity;
} body_sink;

static size_t write_body(char *data, size_t size, size_t count, void *context) {
    body_sink *sink = context;
    hearth_http_result *result = sink->result;
    size_t bytes = size * count;
    if (bytes > sink->limit - result->body_length) {
        result->body_too_large = 1;
        return 0;  // anything short of `bytes` makes libcurl stop the transfer
    }
    if (result->body_length + bytes > sink->capacity) {
        size_t capacity = sink->capacity ? sink->capacity * 2 : 16384;
        while (capacity < result->body_length + bytes) capacity *= 2;
        char *grown = realloc(result->body, capacity);
        if (!grown) return 0;
        result->body = grown;
        sink->capacity = capacity;
    }
    memcpy(result->body + result->body_length, data, bytes);
    result->body_length += bytes;
    return bytes;
}

int hearth_http_get(const char *url, long timeout_ms, size_t body_limit, hearth_http_result *result) {
    memset(result, 0, sizeof *result);
    pthread_once(&curl_once, load_curl);
    if (!curl.easy_init) {
        snprintf(result->error, sizeof result->error, "%s", curl.load_error);
        return -1;
    }
    CURL *handle = curl.easy_init();
    if (!handle) {
        snprintf(result->error, sizeof result->error, "libcurl could not create a transfer");
        return -1;
    }
    char curl_error[CURL_ERROR_BUFFER_SIZE] = {0};
    body_sink sink = {result, body_limit, 0};
    curl.easy_setopt(handle, OPT_URL, url);
    curl.easy_setopt(handle, OPT_PROTOCOLS, (long)(PROTO_HTTP | PROTO_HTTPS));
    // A redirect could lead anywhere, past the host allow-list the URL was checked against.
    curl.easy_setopt(handle, OPT_FOLLOWLOCATION, 0L);
    // Signals for DNS time-outs are process-wide; this call runs on arbitrary threads.
    curl.easy_setopt(handle, OPT_NOSIGNAL, 1L);
    curl.easy_setopt(handle, OPT_TIMEOUT_MS, timeout_ms);
    curl.easy_setopt(handle, OPT_ERRORBUFFER, curl_error);
    curl.easy_setopt(handle, OPT_WRITEFUNCTION, write_body);
    curl.easy_setopt(handle, OPT_WRITEDATA, &sink);
    int code = curl.easy_perform(handle);
    if (code == 0) curl.easy_getinfo(handle, INFO_RESPONSE_CODE, &result->status);
    curl.easy_cleanup(handle);
    if (code == 0) return 0;
    if (result->body_too_large) {
        snprintf(result->error, sizeof result->error, "response body larger than %zu bytes", body_limit);
    } else {
        snprintf(result->error, sizeof result->error, "%s", curl_error[0] ? curl_error : curl.easy_strerror(code));
    }
    hearth_http_result_free(result);
    return -1;
}

void hearth_http_result_free(hearth_http_result *result) {
    free(result->body);
    result->body = NULL;
    result->body_length = 0;
}
