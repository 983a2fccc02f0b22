#ifndef HEARTH_HTTP_FETCH_H
#define HEARTH_HTTP_FETCH_H

#include <stddef.h>

// A blocking HTTP(S) GET through the system's libcurl, which is loaded with dlopen the first time
// a fetch happens: a process that never fetches (`hearth run`, the tests of the engine) never maps
// libcurl and the thirty libraries it pulls in, which linking Foundation's URLSession made every
// process pay at start-up.

/// What `hearth_http_get` produced: a response (any status) or an error message.
typedef struct {
    /// The HTTP status code of the response.
    long status;
    /// The body, `malloc`ed (NULL when empty); release with `hearth_http_result_free`.
    char *body;
    /// Bytes in `body`.
    size_t body_length;
    /// Nonzero when the transfer stopped because the body went over the limit.
    int body_too_large;
    /// Why the call failed, NUL-terminated, when it returns nonzero.
    char error[256];
} hearth_http_result;

/// GETs `url` (http or https only; redirects are not followed: a 3xx status is the answer) with a
/// total time limit of `timeout_ms` and at most `body_limit` body bytes. Returns 0 when a response
/// arrived, nonzero with `result->error` set otherwise (libcurl missing, connection refused,
/// timeout, body over the limit). Safe to call from any thread.
int hearth_http_get(const char *url, long timeout_ms, size_t body_limit, hearth_http_result *result);

/// Frees the body of a result `hearth_http_get` filled.
void hearth_http_result_free(hearth_http_result *result);

#endif
