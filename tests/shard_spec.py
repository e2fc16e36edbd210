#!/usr/bin/env python3
# shard_spec.py — the shard key and hash of include/pcapkit/shard.h written
# again from its text, independently of lib/shard.c: reads an Ethernet pcap
# (µs/ns, either byte order) and prints "shard" per packet for N and SEED.
# Handles what the test captures hold: 802.1Q/802.1ad tags, IPv4, IPv6,
# ARP; anything else is shard 0.
import struct, sys

def fnv(h, data):
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & 0xffffffffffffffff
    return h

def shard(ver, a, b, n, seed):
    if a > b:
        a, b = b, a
    h = fnv(0xcbf29ce484222325, seed.to_bytes(8, 'little') + bytes([ver]) + a + b)
    h ^= h >> 33
    h = (h * 0xff51afd7ed558ccd) & 0xffffffffffffffff
    h ^= h >> 33
    return h % n

def m4(x):
    return b'\0' * 10 + b'\xff\xff' + x

def key(p):
    off, et = 12, None
    while off + 2 <= len(p):
        et = struct.unpack('>H', p[off:off + 2])[0]
        if et in (0x8100, 0x88a8, 0x9100):
            off += 4
            continue
        off += 2
        break
    if et == 0x0800 and len(p) >= off + 20:
        return 4, m4(p[off + 12:off + 16]), m4(p[off + 16:off + 20])
    if et == 0x86dd and len(p) >= off + 40:
        return 6, p[off + 8:off + 24], p[off + 24:off + 40]
    if et == 0x0806 and len(p) >= off + 28:
        pro, pln = struct.unpack('>H', p[off + 2:off + 4])[0], p[off + 5]
        if pro == 0x0800 and pln == 4:
            hln = p[off + 4]
            spa = p[off + 8 + hln:off + 12 + hln]
            tpa = p[off + 12 + 2 * hln:off + 16 + 2 * hln]
            return 4, m4(spa), m4(tpa)
    return None

def main():
    path, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    d = open(path, 'rb').read()
    e = '<' if d[:4] in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
    off = 24
    while off + 16 <= len(d):
        _, _, cap, _ = struct.unpack(e + 'IIII', d[off:off + 16])
        p = d[off + 16:off + 16 + cap]
        off += 16 + cap
        k = key(p)
        print(shard(k[0], k[1], k[2], n, seed) if k else 0)

main()
