/* test_wsframe.c - the frame observer on split, long and garbage input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wsframe.h"

typedef struct seen {
    int count;
    fs_wsframe last;
    uint8_t data[256];
} seen;

static void collect(void *user, const fs_wsframe *f) {
    seen *s = user;
    s->count++;
    s->last = *f;
    memcpy(s->data, f->data, f->kept < sizeof s->data ? f->kept : sizeof s->data);
}

static void masked_frame_fed_byte_by_byte(void **state) {
    (void)state;
    const uint8_t mask[4] = {1, 2, 3, 4};
    uint8_t buf[64];
    size_t n = fs_wsframe_encode(buf, sizeof buf, 1, FS_WS_TEXT, (const uint8_t *)"hello", 5, mask);
    assert_int_equal(n, 2 + 4 + 5);
    fs_wsdec d;
    seen s = {0};
    fs_wsdec_init(&d, 64);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(s.count, 0);
        fs_wsdec_feed(&d, buf + i, 1, collect, &s);
    }
    assert_int_equal(s.count, 1);
    assert_int_equal(s.last.opcode, FS_WS_TEXT);
    assert_true(s.last.masked);
    assert_true(s.last.fin);
    assert_int_equal(s.last.len, 5);
    assert_memory_equal(s.data, "hello", 5);
    assert_false(fs_wsdec_midframe(&d));
    fs_wsdec_free(&d);
}

static void two_frames_in_one_feed_and_empty_payload(void **state) {
    (void)state;
    uint8_t buf[300];
    uint8_t big[200];
    memset(big, 'x', sizeof big);
    size_t n = fs_wsframe_encode(buf, sizeof buf, 1, FS_WS_PING, NULL, 0, NULL);
    n += fs_wsframe_encode(buf + n, sizeof buf - n, 1, FS_WS_BINARY, big, sizeof big, NULL);
    fs_wsdec d;
    seen s = {0};
    fs_wsdec_init(&d, 64);
    assert_int_equal(fs_wsdec_feed(&d, buf, n, collect, &s), 2);
    assert_int_equal(s.last.opcode, FS_WS_BINARY);
    assert_int_equal(s.last.len, 200); /* 16-bit length form */
    assert_int_equal(s.last.kept, 64); /* only the keep limit is stored */
    assert_false(s.last.masked);
    fs_wsdec_free(&d);
}

static void huge_announced_length_is_counted_not_stored(void **state) {
    (void)state;
    uint8_t head[10] = {0x82, 127, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    uint8_t junk[4096];
    memset(junk, 0xee, sizeof junk);
    fs_wsdec d;
    seen s = {0};
    fs_wsdec_init(&d, 16);
    fs_wsdec_feed(&d, head, sizeof head, collect, &s);
    for (int i = 0; i < 100; i++) fs_wsdec_feed(&d, junk, sizeof junk, collect, &s);
    assert_int_equal(s.count, 0);
    assert_true(fs_wsdec_midframe(&d));
    fs_wsdec_free(&d);
}

static void garbage_never_crashes_and_yields_frames(void **state) {
    (void)state;
    uint8_t g[1 << 14];
    srand(7);
    for (size_t i = 0; i < sizeof g; i++) g[i] = (uint8_t)rand();
    fs_wsdec d;
    seen s = {0};
    fs_wsdec_init(&d, 32);
    for (size_t at = 0; at < sizeof g;) {
        size_t step = 1 + (size_t)(rand() % 97);
        if (at + step > sizeof g) step = sizeof g - at;
        fs_wsdec_feed(&d, g + at, step, collect, &s);
        at += step;
    }
    /* Random headers mostly announce short payloads: many frames complete. */
    assert_true(s.count > 0);
    assert_true(s.last.kept <= 32);
    fs_wsdec_free(&d);
}

static void encoder_reports_size_without_writing_when_small(void **state) {
    (void)state;
    uint8_t out[4] = {9, 9, 9, 9};
    uint8_t payload[70000] = {0};
    size_t need = fs_wsframe_encode(out, sizeof out, 1, FS_WS_BINARY, payload, sizeof payload, NULL);
    assert_int_equal(need, 10 + sizeof payload); /* 64-bit length form */
    assert_int_equal(out[0], 9);
    assert_string_equal(fs_wsframe_opname(0x3), "reserved");
    assert_string_equal(fs_wsframe_opname(FS_WS_CLOSE), "close");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(masked_frame_fed_byte_by_byte),
        cmocka_unit_test(two_frames_in_one_feed_and_empty_payload),
        cmocka_unit_test(huge_announced_length_is_counted_not_stored),
        cmocka_unit_test(garbage_never_crashes_and_yields_frames),
        cmocka_unit_test(encoder_reports_size_without_writing_when_small),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
