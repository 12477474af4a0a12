#include "http_head.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const struct { int status; const char *reason; } reasons[] = {
    {100, "Continue"}, {101, "Switching Protocols"}, {102, "Processing"},
    {200, "OK"}, {201, "Created"}, {202, "Accepted"}, {203, "Non-Authoritative Information"},
    {204, "No Content"}, {205, "Reset Content"}, {206, "Partial Content"},
    {300, "Multiple Choices"}, {301, "Moved Permanently"}, {302, "Found"},
    {303, "See Other"}, {304, "Not Modified"}, {307, "Temporary Redirect"},
    {308, "Permanent Redirect"},
    {400, "Bad Request"}, {401, "Unauthorized"}, {402, "Payment Required"},
    {403, "Forbidden"}, {404, "Not Found"}, {405, "Method Not Allowed"},
    {406, "Not Acceptable"}, {407, "Proxy Authentication Required"},
    {408, "Request Timeout"}, {409, "Conflict"}, {410, "Gone"}, {411, "Length Required"},
    {412, "Precondition Failed"}, {413, "Request Entity Too Large"},
    {414, "Request URI Too Long"}, {415, "Unsupported Media Type"},
    {416, "Requested Range Not Satisfiable"}, {417, "Expectation Failed"},
    {418, "I'm a teapot"}, {421, "Misdirected Request"}, {422, "Unprocessable Entity"},
    {423, "Locked"}, {424, "Failed Dependency"}, {425, "Too Early"},
    {426, "Upgrade Required"}, {428, "Precondition Required"}, {429, "Too Many Requests"},
    {431, "Request Header Fields Too Large"}, {451, "Unavailable For Legal Reasons"},
    {500, "Internal Server Error"}, {501, "Not Implemented"}, {502, "Bad Gateway"},
    {503, "Service Unavailable"}, {504, "Gateway Timeout"},
    {505, "HTTP Version Not Supported"}, {507, "Insufficient Storage"},
    {508, "Loop Detected"}, {511, "Network Authentication Required"},
};

const char *fs_http_reason(int status) {
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (reasons[i].status == status) return reasons[i].reason;
    return "";
}

int fs_http_has_body(int status) {
    return status >= 200 && status != 204 && status != 304;
}

/* RFC 9110's IMF-fixdate, as Go's net/http writes it on every answer. */
static int add_date(struct lws *wsi, uint8_t **p, uint8_t *end) {
    char date[40];
    struct tm tm;
    time_t now = time(NULL);
    gmtime_r(&now, &tm);
    size_t n = strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_DATE, (const unsigned char *)date,
                                        (int)n, p, end);
}

/* Whether extra names a field (case-insensitive). */
static int extra_has(const json_t *extra, const char *name) {
    size_t i;
    json_t *f;
    json_array_foreach(extra, i, f) {
        const char *n = json_string_value(json_array_get(f, 0));
        if (n && !strcasecmp(n, name)) return 1;
    }
    return 0;
}

static int add_extra(struct lws *wsi, const json_t *extra, uint8_t **p, uint8_t *end) {
    size_t i;
    json_t *f;
    json_array_foreach(extra, i, f) {
        const char *v = json_string_value(json_array_get(f, 1));
        char name[256];
        snprintf(name, sizeof name, "%s:", json_string_value(json_array_get(f, 0)));
        if (lws_add_http_header_by_name(wsi, (const unsigned char *)name,
                                        (const unsigned char *)v, (int)strlen(v), p, end))
            return -1;
    }
    return 0;
}

static int add_text(struct lws *wsi, enum lws_token_indexes tok, const char *v, uint8_t **p,
                    uint8_t *end) {
    return lws_add_http_header_by_token(wsi, tok, (const unsigned char *)v, (int)strlen(v), p, end);
}

int fs_http_head(struct lws *wsi, const fs_http_head_spec *h, uint8_t **p, uint8_t *end) {
    char line[64];
    const char *reason = fs_http_reason(h->status);
    /* Go's net/http (BoxLite's runner) writes "HTTP/1.1 599 status code 599"
     * for a status it has no text for; a bare trailing space is as valid. */
    int n = snprintf(line, sizeof line, "HTTP/1.1 %d %s", h->status, reason);
    if (lws_add_http_header_by_name(wsi, NULL, (const unsigned char *)line, n, p, end)) return -1;
    if (h->ctype && !extra_has(h->extra, "Content-Type") &&
        add_text(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE, h->ctype, p, end))
        return -1;
    if (h->extra && add_extra(wsi, h->extra, p, end)) return -1;
    int body = fs_http_has_body(h->status);
    if (body && h->chunked && add_text(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING, "chunked", p, end))
        return -1;
    if (!extra_has(h->extra, "Date") && add_date(wsi, p, end)) return -1;
    if (!body || h->chunked || h->length == FS_HTTP_NO_LENGTH) return 0;
    return lws_add_http_header_content_length(wsi, h->length, p, end) ? -1 : 0;
}

json_t *fs_http_head_fields(const uint8_t *head, size_t n) {
    json_t *fields = json_array();
    const char *at = memmem(head, n, "\r\n", 2), *end = (const char *)head + n;
    while (at && (at += 2) < end) {
        const char *eol = memmem(at, (size_t)(end - at), "\r\n", 2);
        const char *colon = memchr(at, ':', (size_t)((eol ? eol : end) - at));
        if (!eol || eol == at || !colon) break;
        const char *v = colon + 1;
        while (v < eol && *v == ' ') v++;
        json_t *name = json_stringn(at, (size_t)(colon - at)), *value = json_stringn(v, (size_t)(eol - v));
        json_array_append_new(fields, json_pack("[oo]", name ? name : json_null(),
                                                value ? value : json_null()));
        at = eol;
    }
    return fields;
}

size_t fs_http_chunk_head(char *buf, size_t data_len) {
    return (size_t)sprintf(buf, "%zx\r\n", data_len);
}

void fs_http_fix_upgrade(uint8_t *p, size_t n) {
    static const char status[] = "HTTP/1.1 101 ", field[] = "\r\nUpgrade: WebSocket\r\n";
    if (n < sizeof status - 1 || memcmp(p, status, sizeof status - 1)) return;
    uint8_t *f = memmem(p, n, field, sizeof field - 1);
    uint8_t *head_end = memmem(p, n, "\r\n\r\n", 4);
    if (!f || !head_end || f > head_end) return;
    memcpy(f + sizeof "\r\nUpgrade: " - 1, "websocket", 9);
}
