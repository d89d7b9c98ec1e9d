"""Smoke test of bass.py without game data: builds a tiny sky.dnr/sky.dsk in the game's format (Huffman-coded text
section, RNC-packed speech files) and checks that the reader gives back the exact texts and PCM.

    cd models/recipe/data/real && /usr/bin/python3 -m unittest test_bass
"""
import math
import os
import shutil
import struct
import tempfile
import unittest

import bass


def huff_bits(text):
    """Code bits of a line (MSB-first string), ending with the code of byte 0."""
    first = {}
    for b, c in bass.HUFF_CODES_V372:
        first.setdefault(b, c)
    return ''.join(first[b] for b in text + b'\0')


def text_file(lines):
    """A text section file: {line number: bytes}; lines missing from the dict are empty. One length byte per line
    (2-bit units, or 16-bit units with bit 7 set when longer), u16 block lengths, MSB-first bits."""
    n = max(lines) + 1
    n_blocks = (n + 31) // 32
    lens, bits = [], ''
    for i in range(n):
        b = huff_bits(lines.get(i, b''))
        units = (len(b) + 1) // 2
        if units > 127:
            eighths = (units + 7) // 8
            assert eighths < 128
            lens.append(0x80 | eighths)
            units = eighths * 8
        else:
            lens.append(units)
        bits += b.ljust(units * 2, '0')
    blocks = [sum(x if x < 128 else (x & 0x7F) * 8 for x in lens[k * 32:(k + 1) * 32]) for k in range(n_blocks - 1)]
    len_table = 4 + 2 * len(blocks)
    head = struct.pack('<HH', len_table, len_table + n) + struct.pack('<%dH' % len(blocks), *blocks)
    bits = bits.ljust((len(bits) + 7) // 8 * 8, '0')
    return head + bytes(lens) + bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))


class _Writer:
    """LSB-first bits in 16-bit LE words, a word placed in the stream when its first bit is written, literal bytes
    placed where they fall: the layout the RNC reader expects."""

    def __init__(self):
        self.out = bytearray()
        self.word = None
        self.used = 16

    def bits(self, v, k):
        for i in range(k):
            if self.used == 16:
                self.word = len(self.out)
                self.out += b'\0\0'
                self.used = 0
            if v >> i & 1:
                self.out[self.word + self.used // 8] |= 1 << (self.used % 8)
            self.used += 1

    def value(self, v):
        """Through a table of 16 four-bit codes: symbol s is code s, stored bit-reversed."""
        s = v if v < 2 else v.bit_length()
        self.bits(int(format(s, '04b')[::-1], 2), 4)
        if s >= 2:
            self.bits(v - (1 << (s - 1)), s - 1)


def rnc_pack(data):
    """RNC method 1, one chunk, greedy longest-match LZ (distances and lengths < 32768)."""
    runs, lit, i = [], bytearray(), 0
    while i < len(data):
        best_len = best_off = 0
        for j in range(max(0, i - 4096), i):
            k = 0
            while i + k < len(data) and data[j + k] == data[i + k] and k < 4000:
                k += 1
            if k > best_len:
                best_len, best_off = k, i - j
        if best_len >= 3:
            runs.append((bytes(lit), best_off, best_len))
            lit = bytearray()
            i += best_len
        else:
            lit.append(data[i])
            i += 1
    runs.append((bytes(lit), None, None))
    w = _Writer()
    w.bits(0, 2)
    for _ in range(3):
        w.bits(16, 5)
        for _ in range(16):
            w.bits(4, 4)
    w.bits(len(runs), 16)
    for lit, off, ln in runs:
        w.value(len(lit))
        w.out += lit
        if off is not None:
            w.value(off - 1)
            w.value(ln - 2)
    body = bytes(w.out)
    return (b'RNC\x01' + struct.pack('>IIHH', len(data), len(body), bass.crc16(data), bass.crc16(body)) +
            bytes([0, 1]) + body)


def speech_file(pcm):
    head = struct.pack('<11H', 0x81, 0, 0, 0, 0, 0, 22 + len(pcm), 0, 0, 0, 0)
    return head + rnc_pack(pcm)


def noise(n, seed=12345):
    out = bytearray()
    for _ in range(n):
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        out.append(seed >> 23)
    return bytes(out)


def tone(seconds, hz, amp=60):
    n = int(seconds * bass.SAMPLE_RATE)
    return bytes([128] * 300) + bytes(128 + int(amp * math.sin(2 * math.pi * hz * t / bass.SAMPLE_RATE)) for t in range(n))


LINE_A = b'Hello, DAH-LING!'
LINE_B = b"`FIRE EXIT - do not obstruct.' It's attached to some BRICKS, via a PULLEY... I CONCUR with your OBSERVATION!"


def build_game(folder, pcm_a, pcm_b):
    """Section 1 with lines 1 and 33 (so the second sits in block 1 and needs the long length form), a speech file
    for each (file 50000 + 600 + line), padded with dummy entries to v0.0372's 5097 index entries."""
    files = [(60601, text_file({0: b'?', 1: LINE_A, 33: LINE_B}), 0x800000, False),
             (50601, speech_file(pcm_a), 0, False),
             (50633, speech_file(pcm_b), 0, True)]       # this one's offset is stored in 16-byte units
    dsk = bytearray()
    entries = []
    for num, data, flags, units in files:
        while len(dsk) % 16:
            dsk.append(0)
        off = len(dsk) >> 4 | 0x800000 if units else len(dsk)
        entries.append(struct.pack('<H', num) + off.to_bytes(3, 'little') + (len(data) | flags).to_bytes(3, 'little'))
        dsk += data
    for k in range(5097 - len(files)):
        entries.append(struct.pack('<H', 1 + k) + bytes(6))
    with open(os.path.join(folder, 'sky.dnr'), 'wb') as f:
        f.write(struct.pack('<I', len(entries)) + b''.join(entries))
    with open(os.path.join(folder, 'sky.dsk'), 'wb') as f:
        f.write(dsk)


class BassRoundTrip(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='bass-test-')
        self.pcm_a = tone(0.25, 440)
        self.pcm_b = tone(0.4, 700) + noise(400) + bytes([128] * 500)
        build_game(self.dir, self.pcm_a, self.pcm_b)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_text_and_pcm(self):
        disk = bass.SkyDisk(os.path.join(self.dir, 'sky.dnr'), os.path.join(self.dir, 'sky.dsk'))
        try:
            self.assertEqual(disk.version, 372)
            lines = bass.game_lines(disk)
            self.assertEqual([(c['section'], c['line'], c['speech_file']) for c in lines], [(1, 1, 50601), (1, 33, 50633)])
            self.assertEqual(lines[0]['raw'], LINE_A)
            self.assertEqual(lines[1]['raw'], LINE_B)
            self.assertEqual(lines[1]['text'], LINE_B.decode().replace('`', "'"))
            self.assertEqual(lines[1]['textnum'], 1 << 12 | 33)
            self.assertEqual(bass.speech_pcm(disk, 50601), self.pcm_a)
            self.assertEqual(bass.speech_pcm(disk, 50633), self.pcm_b)
            self.assertIsNone(bass.speech_pcm(disk, 50602))
        finally:
            disk.close()

    def test_rnc_rejects_corruption(self):
        packed = bytearray(rnc_pack(self.pcm_b))
        self.assertEqual(bass.rnc_unpack(bytes(packed)), self.pcm_b)
        packed[40] ^= 0x10
        with self.assertRaises(ValueError):
            bass.rnc_unpack(bytes(packed))

    @unittest.skipUnless(shutil.which('sox'), 'sox not installed')
    def test_extract_writes_clips(self):
        out = os.path.join(self.dir, 'out')
        rows, info = bass.extract(self.dir, out, log=lambda m: None)
        self.assertEqual([r['id'] for r in rows], ['bass_s1_0001', 'bass_s1_0033'])
        with open(os.path.join(out, 'clips.tsv'), encoding='utf-8') as f:
            tsv = f.read().splitlines()
        self.assertEqual(tsv[0], 'id\twav\tduration_s\tspeaker\tgroup\ttext')
        self.assertEqual(tsv[1].split('\t')[4:], ['section1-block0', LINE_A.decode()])
        for r, pcm in zip(rows, (self.pcm_a, self.pcm_b)):
            self.assertAlmostEqual(r['duration_s'], len(pcm) / bass.SAMPLE_RATE, delta=0.002)
        mtime = os.path.getmtime(os.path.join(out, 'wav/bass_s1_0001.wav'))
        bass.extract(self.dir, out, log=lambda m: None)        # rerun: converted clips are kept
        self.assertEqual(os.path.getmtime(os.path.join(out, 'wav/bass_s1_0001.wav')), mtime)
        out2 = os.path.join(self.dir, 'out2')                  # a fresh run gives the same bytes
        bass.extract(self.dir, out2, log=lambda m: None)
        for name in ('clips.tsv', 'wav/bass_s1_0001.wav', 'wav/bass_s1_0033.wav'):
            with open(os.path.join(out, name), 'rb') as a, open(os.path.join(out2, name), 'rb') as b:
                self.assertEqual(a.read(), b.read(), name)


if __name__ == '__main__':
    unittest.main()
