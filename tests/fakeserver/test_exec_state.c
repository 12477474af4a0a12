/* test_exec_state.c - executions: backlog bound per stream, order, states. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "exec_state.h"
#include "journal.h"

static size_t channel_bytes(const fs_exec *e, int channel) {
    size_t n = 0;
    for (size_t i = 0; i < e->backlog_count; i++)
        if (e->backlog[i].channel == channel) n += e->backlog[i].len;
    return n;
}

static void backlog_keeps_the_newest_256k_per_stream(void **state) {
    (void)state;
    fs_exec *e = fs_exec_create("e-1");
    uint8_t chunk[10 * 1024];
    fs_exec_record(e, 2, (const uint8_t *)"err", 3);
    for (int i = 0; i < 30; i++) {
        memset(chunk, 'a' + i % 26, sizeof chunk);
        fs_exec_record(e, 1, chunk, sizeof chunk);
    }
    assert_true(channel_bytes(e, 1) <= FS_BACKLOG_MAX);
    assert_true(channel_bytes(e, 1) > FS_BACKLOG_MAX - sizeof chunk);
    assert_int_equal(e->backlog_bytes[1], channel_bytes(e, 1));
    /* stderr is bounded on its own: the old stderr chunk survives. */
    assert_int_equal(channel_bytes(e, 2), 3);
    assert_int_equal(e->backlog[0].channel, 2);
    /* The newest stdout chunk is last, the oldest kept is chunk 5. */
    assert_int_equal(e->backlog[e->backlog_count - 1].data[0], 'a' + 29 % 26);
    assert_int_equal(e->backlog[1].data[0], 'a' + 5);
    fs_exec_free_all();
}

/* A flood of small frames: each record drops the oldest chunk, in order,
 * and the kept chunks are the newest, oldest first, both streams bounded. */
static void many_small_chunks_keep_order(void **state) {
    (void)state;
    fs_exec *e = fs_exec_create("e-many");
    uint8_t chunk[64];
    for (unsigned i = 0; i < 200000; i++) {
        memset(chunk, 0, sizeof chunk);
        memcpy(chunk, &i, sizeof i);
        fs_exec_record(e, i % 1000 == 0 ? 2 : 1, chunk, sizeof chunk);
    }
    assert_int_equal(channel_bytes(e, 1), FS_BACKLOG_MAX);
    assert_int_equal(channel_bytes(e, 2), 200 * sizeof chunk);
    unsigned prev = 0;
    for (size_t i = 0; i < e->backlog_count; i++) {
        unsigned v;
        memcpy(&v, e->backlog[i].data, sizeof v);
        if (i > 0) assert_true(v > prev);
        prev = v;
    }
    assert_int_equal(prev, 199999);
    fs_exec_free_all();
}

static void oversize_chunk_keeps_its_tail(void **state) {
    (void)state;
    fs_exec *e = fs_exec_create(NULL);
    assert_int_equal(strlen(e->id), 36);
    static uint8_t big[FS_BACKLOG_MAX + 100];
    big[sizeof big - 1] = 'z';
    fs_exec_record(e, 1, big, sizeof big);
    assert_int_equal(e->backlog_count, 1);
    assert_int_equal(e->backlog[0].len, FS_BACKLOG_MAX);
    assert_int_equal(e->backlog[0].data[FS_BACKLOG_MAX - 1], 'z');
    fs_exec_record(e, 3, big, 10); /* not an output channel */
    assert_int_equal(e->backlog_count, 1);
    fs_exec_free_all();
}

static void finish_happens_once(void **state) {
    (void)state;
    fs_exec *e = fs_exec_create("e-2");
    assert_ptr_equal(fs_exec_find("e-2"), e);
    assert_null(fs_exec_find("e-3"));
    fs_exec_finish(e, 1, 7);
    fs_exec_finish(e, 1, 9);
    assert_true(e->completed);
    assert_int_equal(e->exit_code, 7);
    fs_exec_free_all();
}

int main(void) {
    fs_journal_open(NULL, 0, 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(backlog_keeps_the_newest_256k_per_stream),
        cmocka_unit_test(many_small_chunks_keep_order),
        cmocka_unit_test(oversize_chunk_keeps_its_tail),
        cmocka_unit_test(finish_happens_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
