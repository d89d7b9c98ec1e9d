#!/usr/bin/python3
"""Smoke check of models/recipe/data/real/fotaq.py on a tiny synthetic game file (no game data): builds a
queen.1c-style resource with a dialogue (.DOG), a cutaway scene (.CUT), QUEEN.JAS/QUEEN2.JAS and speech clips in
the game's layout, runs the extractor on it and prints what came back as JSON (checked by real-fotaq.test.ts).

    /usr/bin/python3 test/models/recipe/real_fotaq_check.py TMPDIR [mp3]

Without "mp3" the container says "no compression" and each .SB is the uncompressed game's format (a 110-byte
version-104 header, then unsigned 8-bit PCM at 11,025 Hz); with "mp3" the .SB payloads are MP3 (encoded by sox).
"""
import json
import math
import os
import struct
import subprocess
import sys
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '../../../models/recipe/data/real'))
import fotaq  # noqa: E402

BANK = b'AmBk' + bytes(16)


def put_string(buf, s, align=2):
    buf.append(len(s))
    buf.extend(s.encode('latin-1'))
    if s:
        while len(buf) % align:
            buf.append(0)


def h(*values):
    return b''.join(struct.pack('>h', v) for v in values)


def dialogue(talk_key):
    """One level; person line 1 in two segments after a face command; Joe lines 0 (first greeting) and 6."""
    b = bytearray(32 + 96)
    joe = len(b)
    for ident, text in ((0, '*FR'), (6, "I'm fine, thanks.*03")):
        b.extend(h(0, ident))
        put_string(b, text, 4)
    person = len(b)
    b.extend(h(0, 1))
    put_string(b, '*FLHello there.*02How are you?*05', 4)
    cut = len(b)
    b.extend(h(0, 0))
    put_string(b, '')
    second = len(b)
    put_string(b, '0')
    put_string(b, '0')
    b[0:32] = h(1, 1, talk_key, 2, 1, 0, 0, 0, 0, 0, 0) + struct.pack('>HHH', person, cut, second) + bytes(4)
    assert joe == 32 + 96
    return BANK + bytes(b)


def cutaway():
    """Joe speaks (object 0, no animation list), then spoken text (object -2), then an animated object."""
    objects = bytearray()
    objects.extend(h(0, *([0] * 16)) + h(0))                     # Joe
    objects.extend(h(-2, *([0] * 16)) + h(0))                    # text to be spoken
    anim = [0] * 16
    anim[4 - 1], anim[5 - 1] = 3, 1                                # animation list, execute
    objects.extend(h(5, *anim) + h(0))                           # object 5, animated: frames follow
    objects.extend(h(1) + h(*([0] * 9)) + h(-2))
    b = bytearray(12) + objects + h(0)
    state = len(b)
    b.extend(h(0, 0, 0, 0))
    sentences = len(b)
    for s in ('*FL', 'Nice day.*03Too hot though.*04', 'The end is near.', 'Not spoken, animated.'):
        put_string(b, s)
    banks = len(b)
    b.extend(h(0))
    b[0:12] = struct.pack('>HhhHHH', 0, 3, 0, state, sentences, banks)
    return BANK + bytes(b)


def jas():
    objects = 5
    data = struct.pack('>4H', 1, 1, objects, 1) + b''.join(h(1, 0, 0, 0, 0, 1, 0, -1) for _ in range(objects))
    verbs = ['open', 'close', 'move', '----', 'give', 'use', 'pick up', 'talk to', 'look at', 'walk to', 'on', 'to']
    responses = ["I can't do that.*03"] + ['Response %d' % n for n in range(2, 41)]
    text = '\r\n'.join(['A plain wooden box.*24', 'box', 'ROOM1'] + verbs + responses + ['anim']) + '\r\n'
    return BANK + data, text.encode('latin-1')


def tone(seconds, freq, rate=11025):
    n = int(seconds * rate)
    return bytes(int(128 + 90 * math.sin(2 * math.pi * freq * i / rate)) for i in range(n))


def sb_raw(pcm):
    return b'\x00\x00' + struct.pack('<H', 104) + bytes(106) + pcm


def sb_mp3(pcm, tmp):
    raw, mp3 = os.path.join(tmp, 't.u8'), os.path.join(tmp, 't.mp3')
    open(raw, 'wb').write(pcm)
    subprocess.run(['sox', '-t', 'raw', '-r', '11025', '-e', 'unsigned-integer', '-b', '8', '-c', '1', raw,
                    '-C', '16', mp3], check=True, capture_output=True)
    return open(mp3, 'rb').read()


def zero_crossing_hz(path):
    with wave.open(path) as w:
        rate, n = w.getframerate(), w.getnframes()
        x = struct.unpack('<%dh' % n, w.readframes(n))
    mid = x[n // 10: n - n // 10]
    crossings = sum(1 for a, b in zip(mid, mid[1:]) if (a < 0) != (b < 0))
    return crossings / 2 / (len(mid) / rate), rate, max(abs(v) for v in mid) / 32768


def main():
    tmp, mode = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else 'raw')
    jas1, jas2 = jas()
    clips = {'070001P2': 0.6, '070001P3': 0.55, '070006J1': 0.5, 'C1A__011': 0.4, 'C1A__012': 0.3, 'C1A__021': 0.7,
             'JOE00011': 0.45, 'JOE00411': 0.35, '12SSSSSS': 0.2, 'MIK_0001': 0.25}
    files = [('TEST1.DOG', dialogue(7)), ('C1A.CUT', cutaway()), ('QUEEN.JAS', jas1), ('QUEEN2.JAS', jas2)]
    for i, (stem, seconds) in enumerate(sorted(clips.items())):
        pcm = tone(seconds, 300 + 50 * i)
        files.append((stem + '.SB', sb_mp3(pcm, tmp) if mode == 'mp3' else sb_raw(pcm)))
    game = os.path.join(tmp, 'queen.1c')
    fotaq.write_resource(game, sorted(files),
                         compression=fotaq.COMPRESSION_MP3 if mode == 'mp3' else fotaq.COMPRESSION_NONE)
    out = os.path.join(tmp, 'out')
    fotaq.main(['--game', game, '--out', out, '--no-match'])
    rows = [r.rstrip('\n').split('\t') for r in open(os.path.join(out, 'clips.tsv'), encoding='utf-8')]
    audio = {}
    for i, (stem, seconds) in enumerate(sorted(clips.items())):
        path = os.path.join(out, 'wav', fotaq.clip_id(stem) + '.wav')
        if os.path.exists(path):
            hz, rate, peak = zero_crossing_hz(path)
            audio[stem] = {'expected_hz': 300 + 50 * i, 'hz': hz, 'rate': rate, 'peak': peak,
                           'seconds': fotaq.wav_seconds(path), 'expected_seconds': seconds}
    meta = json.load(open(os.path.join(out, 'source.json')))
    print(json.dumps({'header': rows[0], 'rows': rows[1:], 'audio': audio, 'meta': meta}))


if __name__ == '__main__':
    main()
