#!/usr/bin/env python3
"""Write the fuzz targets' seed corpora (native/fuzz/corpus/<target>/): a few small, well-formed inputs per target,
in the layout its LLVMFuzzerTestOneInput reads, so the fuzzer starts from messages that pass the first checks.
Run from anywhere; it replaces the seed files it writes and leaves any other file (a finding's reproducer) alone."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA_ID = 101
SCHEMA_VERSION = 13
SESSION = 1
CORRELATION = 2


def write(target, name, data):
    directory = os.path.join(HERE, "corpus", target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as out:
        out.write(data)


def sbe(template_id, block_length, body):
    return struct.pack("<HHHH", block_length, template_id, SCHEMA_ID, SCHEMA_VERSION) + body


def var_string(text):
    raw = text.encode("ascii")
    return struct.pack("<I", len(raw)) + raw


def fragment(data):
    return struct.pack("<H", len(data)) + data


def control_response(code, relevant_id, message, session=SESSION, correlation=CORRELATION):
    body = struct.pack("<qqqii", session, correlation, relevant_id, code, 0x10000) + var_string(message)
    return sbe(1, 32, body)


def challenge(data):
    return sbe(59, 20, struct.pack("<qqi", SESSION, CORRELATION, 0x10000) + struct.pack("<I", len(data)) + data)


def signal(recording_id, code):
    return sbe(24, 44, struct.pack("<qqqqqi", SESSION, CORRELATION, recording_id, 7, 1024, code))


def recording_descriptor(recording_id):
    body = struct.pack("<qqqqqqqiiiiii", SESSION, CORRELATION, recording_id, 1000, 2000, 0, 4096, 5,
                       128 * 1024 * 1024, 64 * 1024, 1408, 77, 1001)
    body += var_string("aeron:ipc") + var_string("aeron:ipc?alias=rec") + var_string("aeron:ipc")
    return sbe(22, 80, body)


def subscription_descriptor(subscription_id):
    return sbe(23, 28, struct.pack("<qqqi", SESSION, CORRELATION, subscription_id, 1001) + var_string("aeron:udp?endpoint=localhost:8010"))


def channel_uri():
    for i, uri in enumerate([
            b"aeron:ipc",
            b"aeron:udp?endpoint=localhost:8010|term-length=64k|mtu=1408",
            b"aeron-spy:aeron:udp?endpoint=224.0.1.1:40456|interface=localhost|session-id=tag:7",
            b"aeron:udp?control=localhost:0|control-mode=response|alias=a=b",
            b"aeron:udp?endpoint=localhost:0|session-id=-5|sparse=true|linger=0"]):
        write("fuzz_channel_uri", "seed-%d" % i, uri)


def control_responses():
    write("fuzz_control_response", "seed-ok", fragment(control_response(0, 42, "")))
    write("fuzz_control_response", "seed-error", fragment(control_response(1, 5, "unknown recording id: 42")))
    write("fuzz_control_response", "seed-challenge", fragment(challenge(b"challenge!")))
    write("fuzz_control_response", "seed-signal-then-response",
          fragment(signal(3, 0)) + fragment(control_response(0, 3, "")))


def recording_descriptors():
    write("fuzz_recording_descriptor", "seed-recordings",
          bytes([2]) + fragment(recording_descriptor(0)) + fragment(signal(0, 1)) + fragment(recording_descriptor(1)))
    write("fuzz_recording_descriptor", "seed-recordings-end",
          bytes([4]) + fragment(recording_descriptor(0)) + fragment(control_response(2, 0, "")))
    write("fuzz_recording_descriptor", "seed-subscriptions",
          bytes([3]) + fragment(subscription_descriptor(9)) + fragment(control_response(3, 0, "")))
    write("fuzz_recording_descriptor", "seed-error", bytes([0]) + fragment(control_response(1, 5, "no such recording")))


def fragments():
    def frag(session, flags, data):
        return struct.pack("<BBH", session, flags, len(data)) + data
    write("fuzz_fragment_assembler", "seed-whole", frag(1, 0xC0, b"hello"))
    write("fuzz_fragment_assembler", "seed-three-parts",
          frag(1, 0x80, b"begin-") + frag(1, 0x00, b"middle-") + frag(1, 0x40, b"end"))
    write("fuzz_fragment_assembler", "seed-interleaved",
          frag(1, 0x80, b"a1") + frag(2, 0x80, b"b1") + frag(1, 0x40, b"a2") + frag(6, 0x40, b"b2"))


def broadcast():
    def record(msg_type, payload):
        length = 8 + len(payload)
        aligned = (length + 7) & ~7
        return struct.pack("<ii", length, msg_type) + payload + b"\0" * (aligned - length)
    records = record(0x0F0D, struct.pack("<qi", 8, 55)) + record(0x0F01, struct.pack("<qi", 5, 2) + var_string("bad"))
    tail = len(records)
    write("fuzz_broadcast_receiver", "seed-two-records",
          bytes([4]) + struct.pack("<qqq", tail, tail, 0) + records + b"\0" * (1024 - len(records)))
    # A record that wraps: padding to the end of a 64-byte buffer, then the record at the start.
    pad = struct.pack("<ii", 16, -1) + b"\0" * 8
    first = record(7, b"wrapped!")
    data64 = first + b"\0" * (48 - len(first)) + pad
    write("fuzz_broadcast_receiver", "seed-padding-wrap", bytes([0]) + struct.pack("<qqq", 80, 80, 48) + data64)


def ring_buffer():
    header = struct.pack("<qqqq", 0, 0, 0, 100)
    ops = bytes([0x03]) + struct.pack("<H", 64) + bytes([0x02]) + bytes([0x05]) + struct.pack("<H", 1000) + bytes([0x10])
    write("fuzz_ring_buffer", "seed-write-read", header + struct.pack("<H", 0) + ops)
    near_end = struct.pack("<qqqq", 1000, 1000, 1000, 1)
    write("fuzz_ring_buffer", "seed-wrap", near_end + struct.pack("<H", 0) + bytes([0x03]) + struct.pack("<H", 100) + bytes([0x00]))


def driver_responses():
    def response(selector, body):
        return struct.pack("<BH", selector, len(body)) + body
    log = "/tmp/abr-fuzz-driver-responses.logbuffer"
    write("fuzz_driver_responses", "seed-session-and-error",
          response(8, struct.pack("<qi", 8, 1234)) + response(0, struct.pack("<qi", 5, 2) + var_string("no way")))
    write("fuzz_driver_responses", "seed-subscription-image",
          response(6, struct.pack("<qi", 7, 3)) +
          response(1, struct.pack("<qiiqi", 100, 11, 1001, 9, 2) + var_string(log) + b"\0" * ((4 - len(log) % 4) % 4) +
                   var_string("127.0.0.1:40123")) +
          response(4, struct.pack("<qq", 100, 9)))
    write("fuzz_driver_responses", "seed-publications",
          response(2, struct.pack("<qqiiii", 5, 50, 11, 1001, 1, 2) + var_string(log)) +
          response(5, struct.pack("<qqiiii", 6, 6, 12, 1001, 3, -1) + var_string(log)))
    write("fuzz_driver_responses", "seed-client-timeout", response(7, struct.pack("<q", 1)))


def counters():
    def metadata(state, type_id, key, label):
        record = struct.pack("<ii", state, type_id) + b"\0" * 8 + key + b"\0" * (112 - len(key))
        record += struct.pack("<i", len(label)) + label
        return record + b"\0" * (512 - len(record))
    def value(v, registration):
        return struct.pack("<qq", v, registration) + b"\0" * 112
    key = struct.pack("<ii", 5, 9) + b"127.0.0.1"
    data = bytes([0x02]) + metadata(1, 14, key, b"rcv-local-addr") + metadata(1, 11, struct.pack("<q", 1), b"client-heartbeat")
    data += value(1, 3) + value(123456, 4)
    data += struct.pack("<i", 14) * 2 + struct.pack("<q", 1) + struct.pack("<iiiii", 11, 11, 5, 5, 1)
    write("fuzz_counters_reader", "seed-two-counters", data)


def cnc():
    to_driver = 1024 + 768
    to_clients = 1024 + 128
    meta_len = 2 * 512
    values_len = 2 * 128
    header = struct.pack("<iiiiiiq", 0x000200, to_driver, to_clients, meta_len, values_len, 0, 10_000_000_000)
    header += b"\0" * (128 - len(header))
    write("fuzz_cnc_header", "seed-layout", header + b"\0" * (to_driver + to_clients + meta_len + values_len))
    write("fuzz_cnc_header", "seed-short", header[:64])


def term():
    def frame(length, flags, frame_type, term_offset, payload):
        aligned = (length + 31) & ~31
        head = struct.pack("<iBBhiiiiq", length, 0, flags, frame_type, term_offset, 11, 1001, 0, 0)
        return head + payload + b"\0" * (aligned - len(head) - len(payload))
    frames = frame(40, 0xC0, 1, 0, b"12345678") + frame(64, 0x80, 1, 64, b"x" * 32) + frame(33, 0x40, 1, 128, b"y")
    write("fuzz_term_reader", "seed-frames", struct.pack("<qH", 0, len(frames)) + frames + bytes([3, 2, 1, 4, 4]))
    pad = frame(64, 0xC0, 0, 65536 - 64, b"")
    write("fuzz_term_reader", "seed-padding-at-end", struct.pack("<qH", 65536 - 64, len(pad)) + pad + bytes([1, 1]))


def log_appenders():
    def tail(term_id, offset):
        return struct.pack("<Q", ((term_id & 0xFFFFFFFF) << 32) | offset)
    def metadata(active_term_count, initial, tails):
        return b"".join(tails) + struct.pack("<ii", active_term_count, initial)
    offers = bytes([0]) + struct.pack("<H", 100) + bytes([0]) + struct.pack("<H", 4000) + bytes([3]) + struct.pack("<H", 200)
    for mode in (0, 1):
        write("fuzz_log_appenders", "seed-fresh-%d" % mode,
              bytes([mode]) + metadata(0, 7, [tail(7, 0), tail(5, 0), tail(6, 0)]) + offers)
        # A term nearly full at the largest active term count: the next offers rotate.
        write("fuzz_log_appenders", "seed-rotate-at-int32-max-%d" % mode,
              bytes([mode]) + metadata(0x7FFFFFFF, 7, [tail(5, 0), tail(7 + 0x7FFFFFFF, 65536 - 64), tail(6, 0)]) +
              offers * 3)


if __name__ == "__main__":
    channel_uri()
    control_responses()
    recording_descriptors()
    fragments()
    broadcast()
    ring_buffer()
    driver_responses()
    counters()
    cnc()
    term()
    log_appenders()
