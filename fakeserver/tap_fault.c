/* tap_fault.c - byte-level faults on the server->client stream.
 *
 * Each fault first takes in everything lws has written so far, so it lands
 * after those bytes in stream order. A fault is a mode of the pump (hold,
 * mute, the client not read) or a mark on the stream: bytes up to a cut's
 * end then `then`, a range dripped one byte per interval, a FIN or RST once
 * the queue is out (tap.c acts on that mark, which lws's own hang-up sets too). */
#include "tap_private.h"

/* ---- what may leave now -------------------------------------------------- */

int tap_fault_dripping(const fs_tap *t) {
    return t->drip_to > t->drip_from && t->s2c_out > t->drip_from && t->s2c_out <= t->drip_to;
}

size_t tap_fault_limit(const fs_tap *t, size_t limit) {
    if (t->drip_to > t->drip_from && t->s2c_out < t->drip_to) {
        if (t->s2c_out < t->drip_from) {
            if (limit > t->drip_from - t->s2c_out) limit = (size_t)(t->drip_from - t->s2c_out);
        } else {
            limit = t->drip_waiting ? 0 : (limit ? 1 : 0);
        }
    }
    if (t->cut_pending && limit > t->cut_at - t->s2c_out) limit = (size_t)(t->cut_at - t->s2c_out);
    return limit;
}

static void drip_resume(lws_sorted_usec_list_t *sul) {
    fs_tap *t = lws_container_of(sul, fs_tap, drip_sul);
    t->drip_waiting = 0;
    tap_want_client_writable(t);
}

void tap_fault_sent(fs_tap *t) {
    if (t->s2c_out <= t->drip_from || t->s2c_out > t->drip_to) return;
    if (t->s2c_out < t->drip_to) {
        t->drip_waiting = 1;
        lws_sul_schedule(tap_context(), 0, &t->drip_sul, drip_resume, t->drip_us);
        return;
    }
    t->drip_from = t->drip_to = 0;
    tap_done(t);
}

int tap_fault_cut_reached(fs_tap *t) {
    if (!t->cut_pending || t->s2c_out != t->cut_at) return 0;
    t->cut_pending = 0;
    if (t->cut_then == FS_TAP_THEN_FIN) tap_send_fin(t);
    else if (t->cut_then == FS_TAP_THEN_RST) tap_send_rst(t);
    else t->hold = 1;
    tap_done(t);
    return 1;
}

/* ---- the faults ---------------------------------------------------------- */

static void hold_expired(lws_sorted_usec_list_t *sul) {
    fs_tap *t = lws_container_of(sul, fs_tap, hold_sul);
    t->client_paused = 0;
    tap_send_fin(t);
    tap_update_flow(t);
}

void fs_tap_hold(fs_tap *t, lws_usec_t fin_after_us) {
    tap_drain_pair(t);
    t->hold = 1;
    if (fin_after_us >= 0) lws_sul_schedule(tap_context(), 0, &t->hold_sul, hold_expired, fin_after_us);
    tap_pump_to_client(t); /* what lws wrote before the hold still goes out */
}

static void fin_due(lws_sorted_usec_list_t *sul) {
    fs_tap *t = lws_container_of(sul, fs_tap, hold_sul);
    tap_drain_pair(t);
    tap_pump_to_client(t);
    tap_send_fin(t);
}

void fs_tap_fin_after(fs_tap *t, lws_usec_t us) {
    lws_sul_schedule(tap_context(), 0, &t->hold_sul, fin_due, us);
}

void fs_tap_half_open(fs_tap *t, lws_usec_t fin_after_us) {
    t->client_paused = 1;
    fs_tap_hold(t, fin_after_us);
}

/* Queued bytes still leave first; lws output after this point does not. */
static void end_after_queue(fs_tap *t, int rst) {
    tap_drain_pair(t);
    t->hold = 1;
    t->fin_pending = 1;
    t->fin_is_rst = rst;
    t->fin_at = t->s2c_out + t->s2c.len;
    tap_pump_to_client(t);
}

void fs_tap_fin(fs_tap *t) { end_after_queue(t, 0); }

void fs_tap_rst(fs_tap *t) { end_after_queue(t, 1); }

void fs_tap_drip(fs_tap *t, const uint8_t *raw, size_t n, lws_usec_t interval_us) {
    tap_drain_pair(t);
    t->drip_from = t->s2c_out + t->s2c.len;
    t->drip_to = t->drip_from + n;
    t->drip_us = interval_us;
    t->drip_waiting = 0;
    fs_bytequeue_push(&t->s2c, raw, n);
    tap_pump_to_client(t);
}

void fs_tap_cut(fs_tap *t, const uint8_t *raw, size_t keep, fs_tap_then then, json_t *note) {
    tap_drain_pair(t);
    fs_bytequeue_push(&t->s2c, raw, keep);
    t->hold = 1; /* nothing lws writes later may follow the broken frame */
    t->cut_pending = 1;
    t->cut_at = t->s2c_out + t->s2c.len;
    t->cut_then = then;
    if (note) tap_note_at(t, t->cut_at, note); /* journaled as its last byte leaves */
    tap_pump_to_client(t);
}

void fs_tap_mute(fs_tap *t, int on) {
    tap_drain_pair(t); /* on: what came before still goes; off: what came during does not */
    t->mute = on;
    tap_pump_to_client(t);
}

/* ---- life ---------------------------------------------------------------- */

void tap_fault_stop(fs_tap *t) {
    lws_sul_cancel(&t->hold_sul);
    lws_sul_cancel(&t->drip_sul);
}

void tap_fault_free(fs_tap *t) { tap_fault_stop(t); }
