#!/usr/bin/python3
"""Beneath a Steel Sky (Debian `beneath-a-steel-sky`, the CD "talkie" v0.0372) -> real English speech clips.

    /usr/bin/python3 models/recipe/data/real/bass.py [--out data/real/bass] [--cache data/cache] [--limit N]

Writes <out>/wav/<id>.wav (16 kHz mono 16-bit, converted by sox from the game's 11,025 Hz unsigned 8-bit),
<out>/clips.tsv and <out>/source.json (see notes/real-speech-interface.md). Resumable and deterministic.

The game's formats, as this reader understands them (learnt from format write-ups and by reading ScummVM's
engines/sky sources; no code was copied, the code below is this project's own):
  sky.dnr   u32 LE entry count, then 8-byte entries: u16 file number, u24 offset, u24 size+flags.
            offset bit 23: the offset counts 16-byte units; size bits 0-21: bytes stored in sky.dsk;
            size bit 23 set: stored plain; bit 22 set: the loaded file leaves out its 22-byte header.
  sky.dsk   the files. A file that may be compressed starts with a 22-byte header of eleven u16 LE
            (flag, x, y, width, height, sprite size, total size, sprites, offset x, offset y, compressed size);
            flag bit 7 set: an RNC "ProPack" method-1 stream follows the header.
  RNC 1     "RNC\\x01", unpacked and packed length (u32 BE), CRC-16 of both (u16 BE, poly 0xA001), leeway, chunk
            count; then a bit stream read LSB-first from 16-bit LE words, with literal bytes stored between the
            words: per chunk three Huffman tables (literal-run length, match distance, match length) given as
            5-bit count + 4-bit code lengths (canonical codes, bit-reversed), a 16-bit count of runs, and per
            run a literal-run length then (except for the last run) a distance + 1 and a length + 2.
            A table value symbol s >= 2 means (1 << (s - 1)) | (the next s - 1 bits).
  text      file 60600 + 8 * language + section (English = language 0, sections 0-7). u16 LE at 0: offset of a
            one-byte-per-line length table; u16 at 2: offset of the Huffman-coded bits; u16s from 4: length
            of each 32-line block. Lengths count 2-bit units; a line length byte with bit 7 set means
            (byte & 0x7F) * 8 units. Bits are read MSB-first; each line ends with the code for byte 0.
  speech    text number = section << 12 | line; its clip is file 50000 + SPEECH_BASE[section] + line, a
            22-byte header (total size at offset 12, size bits 16-23 in the flag's high byte) then unsigned
            8-bit mono PCM at 11,025 Hz.
The CD intro's narration (files 59494 and up) has no text in the text files and is left out.
"""
import argparse
import glob
import gzip
import json
import os
import struct
import subprocess
import sys
import wave

PACKAGE = 'beneath-a-steel-sky'
GAME_DIR = 'usr/share/scummvm/beneath-a-steel-sky'
SAMPLE_RATE = 11025
HEADER_LEN = 22
TEXT_FILE_BASE = 60600
TEXT_SECTIONS = 8
SPEECH_FILE_BASE = 50000
# First speech file (after 50000) of each text section; a fact of the game's numbering (the game's speech table,
# also in ScummVM's engines/sky/sound.cpp `_speechConvertTable`: 600, 500, 1330, 950, 1150, 550, 150 per section).
SPEECH_BASE = (0, 600, 1100, 2430, 3380, 4530, 5080, 5230)
# Game version by the number of sky.dnr entries (fact of the releases, as in ScummVM's Disk::determineGameVersion).
DNR_VERSIONS = {5097: 372, 5099: 368, 1711: 365}

# Huffman code of the text of version 0.0372, as (byte, code bits read MSB-first). A fact of the game's format:
# derived from the decoding tree for v0.0372 listed in ScummVM's engines/sky/hufftext.cpp (_huffTree_00372),
# rewritten here as the code of each byte. Byte 0 ends a line. 33 ('!') has two codes in that tree.
HUFF_CODES_V372 = (
    (32, '000'), (101, '0010'), (97, '0011'), (114, '0111'), (111, '01000'), (115, '01001'), (116, '01010'),
    (110, '01011'), (46, '01100'), (105, '01101'), (117, '10001'), (109, '10010'), (65, '10011'), (84, '10111'),
    (0, '100000'), (69, '100001'), (108, '101000'), (73, '101001'), (100, '101010'), (82, '101011'), (78, '101100'),
    (83, '101101'), (99, '110001'), (68, '110010'), (103, '110011'), (77, '110111'), (79, '1100000'),
    (104, '1100001'), (76, '1101000'), (67, '1101001'), (112, '1101010'), (85, '1101011'), (33, '1101100'),
    (121, '1101101'), (72, '1110001'), (63, '1110010'), (98, '1110011'), (44, '1110101'), (71, '1110110'),
    (66, '1110111'), (80, '11100000'), (118, '11100001'), (39, '11101000'), (102, '11101001'), (70, '11110001'),
    (113, '11110010'), (119, '11110011'), (87, '11110101'), (74, '11110110'), (42, '11110111'), (86, '111100000'),
    (107, '111100001'), (75, '111101000'), (45, '111101001'), (122, '111110000'), (89, '111110001'),
    (106, '111110010'), (43, '111110011'), (41, '111110101'), (60, '111110111'), (81, '1111101000'),
    (133, '1111101001'), (90, '1111101100'), (139, '1111101101'), (138, '1111110001'), (135, '1111110010'),
    (58, '1111110011'), (35, '1111110101'), (145, '1111110111'), (149, '11111100000'), (126, '11111100001'),
    (127, '11111101000'), (93, '11111101001'), (120, '11111101100'), (88, '11111101101'), (50, '11111110001'),
    (49, '11111110011'), (61, '11111110101'), (134, '11111110110'), (94, '11111110111'), (136, '111111100000'),
    (96, '111111100001'), (48, '111111100100'), (131, '111111100101'), (47, '111111101000'), (40, '111111101001'),
    (51, '111111110000'), (57, '111111110001'), (152, '111111110010'), (52, '111111110011'), (92, '111111110101'),
    (34, '111111110110'), (144, '111111110111'), (125, '1111111101000'), (56, '1111111101001'),
    (38, '1111111110000'), (141, '1111111110001'), (53, '1111111110010'), (54, '1111111110011'),
    (146, '1111111110100'), (143, '1111111110101'), (142, '1111111110110'), (147, '1111111110111'),
    (128, '1111111111001'), (140, '11111111110000'), (55, '11111111110001'), (129, '11111111110100'),
    (153, '11111111110101'), (36, '11111111110110'), (64, '11111111110111'), (95, '11111111111001'),
    (62, '11111111111010'), (150, '11111111111011'), (9, '11111111111101'), (91, '111111111110000'),
    (154, '111111111110001'), (130, '111111111111000'), (37, '111111111111001'), (156, '111111111111100'),
    (151, '111111111111101'), (123, '111111111111110'), (148, '1111111111111110'), (33, '1111111111111111'),
)


def crc16(data):
    """CRC-16 with the reflected polynomial 0xA001 and initial value 0 (the RNC header's checksums)."""
    table = _CRC_TABLE
    crc = 0
    for b in data:
        crc = (crc >> 8) ^ table[(crc ^ b) & 0xFF]
    return crc


def _crc_table():
    out = []
    for i in range(256):
        v = i
        for _ in range(8):
            v = (v >> 1) ^ 0xA001 if v & 1 else v >> 1
        out.append(v)
    return out


_CRC_TABLE = _crc_table()


class _RncBits:
    """LSB-first bit reader over 16-bit LE words; a word is taken from the stream only when its bits are needed,
    so that literal bytes can sit between the words (pos is where the next word or literal starts)."""

    def __init__(self, data):
        self.data = data
        self.pos = 0
        self.buf = 0
        self.n = 0

    def _word(self, p):
        d = self.data
        if p + 1 < len(d):
            return d[p] | d[p + 1] << 8
        return d[p] if p < len(d) else 0   # reading past the end only ever feeds unused look-ahead bits

    def bits(self, k):
        if self.n < k:
            self.buf |= self._word(self.pos) << self.n
            self.pos += 2
            self.n += 16
        v = self.buf & ((1 << k) - 1)
        self.buf >>= k
        self.n -= k
        return v

    def peek16(self):
        if self.n >= 16:
            return self.buf & 0xFFFF
        return (self.buf | self._word(self.pos) << self.n) & 0xFFFF

    def table(self, previous):
        """A Huffman table: [(length, {bit-reversed code: symbol})] by increasing length. A table with no
        codes keeps the previous one."""
        count = self.bits(5)
        if not count:
            return previous
        lengths = [self.bits(4) for _ in range(count)]
        by_len = []
        code = 0
        for bl in range(1, 17):
            codes = {}
            for sym, ln in enumerate(lengths):
                if ln == bl:
                    canon = code >> (16 - bl)
                    rev = int(format(canon, '0%db' % bl)[::-1], 2)
                    codes[rev] = sym
                    code += 1 << (16 - bl)
            if codes:
                by_len.append((bl, (1 << bl) - 1, codes))
        return by_len

    def value(self, table):
        peek = self.peek16()
        for bl, mask, codes in table:
            sym = codes.get(peek & mask)
            if sym is not None:
                self.bits(bl)
                if sym >= 2:
                    return (1 << (sym - 1)) | self.bits(sym - 1)
                return sym
        raise ValueError('RNC: no Huffman code matches')


def rnc_unpack(buf):
    """Unpack an RNC ProPack method-1 stream (header included); checks both CRCs and the length."""
    if bytes(buf[:4]) != b'RNC\x01':
        raise ValueError('not an RNC method-1 stream')
    unpacked_len, packed_len, crc_unpacked, crc_packed = struct.unpack_from('>IIHH', buf, 4)
    chunks = buf[17]
    body = bytes(buf[18:18 + packed_len])
    if len(body) != packed_len:
        raise ValueError('RNC: stream shorter than its header says')
    if crc16(body) != crc_packed:
        raise ValueError('RNC: packed CRC mismatch')
    r = _RncBits(body)
    r.bits(2)                       # lock and key flags
    out = bytearray()
    raw = dist = length = []
    for _ in range(chunks):
        raw = r.table(raw)
        dist = r.table(dist)
        length = r.table(length)
        runs = r.bits(16)
        for k in range(runs):
            n = r.value(raw)
            if n:
                out += body[r.pos:r.pos + n]
                r.pos += n
            if k < runs - 1:
                off = r.value(dist) + 1
                ln = r.value(length) + 2
                start = len(out) - off
                if start < 0:
                    raise ValueError('RNC: match before the start of the output')
                if off >= ln:
                    out += out[start:start + ln]
                else:
                    pat = out[start:]
                    out += (pat * (ln // off + 1))[:ln]
    if len(out) != unpacked_len:
        raise ValueError('RNC: unpacked %d bytes, header says %d' % (len(out), unpacked_len))
    if crc16(out) != crc_unpacked:
        raise ValueError('RNC: unpacked CRC mismatch')
    return bytes(out)


def read_dnr(data):
    """sky.dnr -> {file number: (offset in sky.dsk, stored size, flags)}; flags keeps bits 22-23 of the size word."""
    count = struct.unpack_from('<I', data, 0)[0]
    if len(data) < 4 + 8 * count:
        raise ValueError('sky.dnr: %d entries announced, file too short' % count)
    out = {}
    for i in range(count):
        e = data[4 + 8 * i:12 + 8 * i]
        num = e[0] | e[1] << 8
        off = e[2] | e[3] << 8 | e[4] << 16
        sz = e[5] | e[6] << 8 | e[7] << 16
        offset = (off & 0x7FFFFF) << 4 if off & 0x800000 else off
        out[num] = (offset, sz & 0x3FFFFF, sz >> 22)
    return out, count


class SkyDisk:
    """Random access to the files of sky.dsk through the sky.dnr index."""

    def __init__(self, dnr_path, dsk_path):
        with open(dnr_path, 'rb') as f:
            self.index, self.entries = read_dnr(f.read())
        self.version = DNR_VERSIONS.get(self.entries)
        self._dsk = open(dsk_path, 'rb')

    def close(self):
        self._dsk.close()

    def raw(self, num):
        offset, size, _ = self.index[num]
        self._dsk.seek(offset)
        data = self._dsk.read(size)
        if len(data) != size:
            raise ValueError('sky.dsk: file %d truncated' % num)
        return data

    def load(self, num):
        """A file as the game loads it: unpacked when compressed, with its 22-byte header unless flagged off."""
        data = self.raw(num)
        flags = self.index[num][2]
        if flags & 2 or len(data) < HEADER_LEN + 18:
            return data                                     # stored plain
        flag = data[0] | data[1] << 8
        if not flag & 0x80 or data[HEADER_LEN:HEADER_LEN + 4] != b'RNC\x01':
            return data
        body = rnc_unpack(data[HEADER_LEN:])
        return body if flags & 1 else data[:HEADER_LEN] + body


def huff_decoder(codes=HUFF_CODES_V372):
    """{(length, value of the code bits): byte}."""
    return {(len(c), int(c, 2)): b for b, c in codes}


def text_section_lines(data, decoder=None):
    """All lines of one text file: list of (line number in the section, bytes without the final 0).
    Checks that every line ends inside the room its length byte gives it."""
    decoder = decoder or huff_decoder()
    max_len = max(k[0] for k in decoder)
    len_table, bits_at = struct.unpack_from('<HH', data, 0)
    n_blocks = (len_table - 4) // 2 + 1
    block_len = list(struct.unpack_from('<%dH' % (n_blocks - 1), data, 4)) if n_blocks > 1 else []
    n_lines = bits_at - len_table
    lines = []
    block_start = 0
    for i in range(n_lines):
        b, j = divmod(i, 32)
        if j == 0:
            block_start = sum(block_len[:b])
            unit = block_start
        raw = data[len_table + i]
        room = (raw & 0x7F) << 3 if raw & 0x80 else raw
        bit = (bits_at << 3) + unit * 2
        end = bit + room * 2
        out = bytearray()
        code = clen = 0
        while True:
            byte = data[bit >> 3] if (bit >> 3) < len(data) else 0
            code = code << 1 | (byte >> (7 - (bit & 7))) & 1
            clen += 1
            bit += 1
            sym = decoder.get((clen, code))
            if sym is not None:
                if sym == 0:
                    break
                out.append(sym)
                code = clen = 0
            elif clen > max_len:
                raise ValueError('text: no code matches at line %d' % i)
        if room and bit > end:
            raise ValueError('text: line %d runs %d bits past its length' % (i, bit - end))
        lines.append((i, bytes(out)))
        unit += room
    return lines


def clean_text(raw):
    """Printable text: control characters become spaces, runs of spaces collapse, the game's opening quote mark
    ` becomes ', and bytes >= 128 (accented letters of the game's font, not in the English lines that have speech)
    are read as Latin-1."""
    s = raw.decode('latin-1').replace('`', "'")
    s = ''.join(ch if ch >= ' ' else ' ' for ch in s)
    return ' '.join(s.split())


def speech_pcm(disk, num):
    """Unsigned 8-bit PCM of speech file `num`, or None when the game has no such file."""
    if num not in disk.index:
        return None
    data = disk.load(num)
    flag, tot = struct.unpack_from('<H', data, 0)[0], struct.unpack_from('<H', data, 12)[0]
    total = (flag & 0xFF00) << 8 | tot
    if total != len(data):
        raise ValueError('speech file %d: header total %d, loaded %d bytes' % (num, total, len(data)))
    return data[HEADER_LEN:]


def game_lines(disk, language=0):
    """Every English text line that has a speech file: dicts with section, line, text number, speech file."""
    if disk.version != 372:
        raise SystemExit('bass: sky.dnr has %d entries: version %s, but only v0.0372 (5097 entries, the Debian '
                         'package) has its Huffman code here' % (disk.entries, disk.version))
    decoder = huff_decoder()
    out = []
    for section in range(TEXT_SECTIONS):
        tnum = TEXT_FILE_BASE + language * TEXT_SECTIONS + section
        if tnum not in disk.index:
            continue
        for line, raw in text_section_lines(disk.load(tnum), decoder):
            snum = SPEECH_FILE_BASE + SPEECH_BASE[section] + line
            nxt = SPEECH_BASE[section + 1] if section + 1 < len(SPEECH_BASE) else 1 << 16
            if SPEECH_BASE[section] + line >= nxt or snum not in disk.index:
                continue
            out.append(dict(section=section, line=line, textnum=section << 12 | line, speech_file=snum,
                            raw=raw, text=clean_text(raw)))
    return out


def fetch(cache):
    """The package's game folder, apt-get downloading and dpkg -x extracting it when missing."""
    root = os.path.join(cache, 'pkgs', PACKAGE)
    game = os.path.join(root, GAME_DIR)
    if os.path.exists(os.path.join(game, 'sky.dsk')):
        return root
    debs = os.path.join(cache, 'debs')
    os.makedirs(debs, exist_ok=True)
    found = sorted(glob.glob(os.path.join(debs, PACKAGE + '_*.deb')))
    if not found:
        print('[bass] apt-get download %s' % PACKAGE, file=sys.stderr)
        if subprocess.run(['apt-get', 'download', PACKAGE], cwd=debs).returncode:
            raise SystemExit('bass: apt-get download %s failed (try apt-get update)' % PACKAGE)
        found = sorted(glob.glob(os.path.join(debs, PACKAGE + '_*.deb')))
    os.makedirs(root, exist_ok=True)
    subprocess.run(['dpkg', '-x', found[-1], root], check=True)
    return root


def package_version(root):
    with gzip.open(os.path.join(root, 'usr/share/doc', PACKAGE, 'changelog.Debian.gz'), 'rt') as f:
        first = f.readline()
    return first.split('(')[1].split(')')[0]


LICENCE_QUOTE = ('You may distribute this game for free on any medium, provided this readme and all associated '
                 'copyright notices and disclaimers are left intact.')


def licence(root):
    text = open(os.path.join(root, 'usr/share/doc', PACKAGE, 'copyright'), encoding='utf-8').read()
    flat = ' '.join(text.replace('\n .', ' ').split())
    if LICENCE_QUOTE not in flat or 'You may modify the game as you wish.' not in flat:
        raise SystemExit('bass: the copyright file no longer says what source.json quotes; read it again')
    return ('Beneath-a-Steel-Sky-License (freeware, BSD-like; (C) Revolution Software Ltd): "%s" It also says: '
            '"You may modify the game as you wish." and that the game may not be sold on its own.' % LICENCE_QUOTE)


def write_wav(pcm, path):
    """Unsigned 8-bit 11,025 Hz PCM -> 16 kHz 16-bit mono WAV through sox, without dither (nothing added, and the
    same bytes on every run); written to a temp name, then renamed."""
    tmp = path + '.tmp.wav'
    cmd = ['sox', '-D', '-t', 'raw', '-r', str(SAMPLE_RATE), '-e', 'unsigned-integer', '-b', '8', '-c', '1', '-',
           '-r', '16000', '-e', 'signed-integer', '-b', '16', '-c', '1', tmp]
    p = subprocess.run(cmd, input=pcm, stderr=subprocess.PIPE)
    if p.returncode:
        raise SystemExit('bass: sox failed: %s' % p.stderr.decode(errors='replace'))
    os.replace(tmp, path)
    return 'clipped' in p.stderr.decode(errors='replace')


def wav_seconds(path):
    with wave.open(path, 'rb') as w:
        return w.getnframes() / w.getframerate()


GROUP_LINES = 128


def group_of(c):
    """The split unit: a block of GROUP_LINES consecutive lines of one text section. Consecutive lines are
    mostly one conversation in one location, and the eight sections differ too much in size (4 to 900 lines) to
    give dev and test sets of a useful size on their own."""
    return 'section%d-block%d' % (c['section'], c['line'] // GROUP_LINES)


def clip_id(c):
    return 'bass_s%d_%04d' % (c['section'], c['line'])


def extract(game_dir, out, limit=None, log=print):
    """Decode the lines and clips of a game folder (sky.dnr + sky.dsk) into out/. Returns the clip rows."""
    disk = SkyDisk(os.path.join(game_dir, 'sky.dnr'), os.path.join(game_dir, 'sky.dsk'))
    try:
        lines = game_lines(disk)
        wav_dir = os.path.join(out, 'wav')
        os.makedirs(wav_dir, exist_ok=True)
        rows = []
        skipped_empty = 0
        clipped = []
        for c in lines:
            if limit is not None and len(rows) >= limit:
                break
            if not c['text']:
                skipped_empty += 1
                continue
            cid = clip_id(c)
            path = os.path.join(wav_dir, cid + '.wav')
            if not os.path.exists(path):
                pcm = speech_pcm(disk, c['speech_file'])
                if write_wav(pcm, path):
                    clipped.append(cid)
            rows.append(dict(id=cid, wav='wav/%s.wav' % cid, duration_s=round(wav_seconds(path), 3), speaker='',
                             group=group_of(c), text=c['text'], speech_file=c['speech_file'],
                             textnum=c['textnum']))
            if len(rows) % 250 == 0:
                log('[bass] %d clips' % len(rows))
        write_tsv(rows, os.path.join(out, 'clips.tsv'))
        if clipped:
            log('[bass] sox reports clipped samples in %d of the clips converted this run (the recordings reach '
                'the 8-bit rails; resampling overshoots at those peaks)' % len(clipped))
        return rows, dict(lines_with_speech=len(lines), empty_text=skipped_empty, version=disk.version, clipped=clipped,
                          speech_files=sum(1 for k in disk.index if SPEECH_FILE_BASE <= k < TEXT_FILE_BASE - 600))
    finally:
        disk.close()


def write_tsv(rows, path):
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write('id\twav\tduration_s\tspeaker\tgroup\ttext\n')
        for r in rows:
            text = r['text'].replace('\t', ' ').replace('\n', ' ')
            f.write('%s\t%s\t%.3f\t%s\t%s\t%s\n' % (r['id'], r['wav'], r['duration_s'], r['speaker'], r['group'], text))
    os.replace(tmp, path)


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.abspath(os.path.join(here, '../../../..'))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default=os.path.join(repo, 'data/real/bass'))
    ap.add_argument('--cache', default=os.path.join(repo, 'data/cache'))
    ap.add_argument('--limit', type=int, default=None)
    a = ap.parse_args(argv)
    if not subprocess.run(['which', 'sox'], stdout=subprocess.DEVNULL).returncode == 0:
        raise SystemExit('bass: sox is missing (apt-get install sox)')
    root = fetch(a.cache)
    rows, info = extract(os.path.join(root, GAME_DIR), a.out, a.limit, log=lambda m: print(m, file=sys.stderr))
    hours = sum(r['duration_s'] for r in rows) / 3600
    groups = sorted({r['group'] for r in rows})
    src = dict(source='bass', package=PACKAGE, version=package_version(root), licence=licence(root),
               clips=len(rows), hours=round(hours, 4), speakers=0, groups=len(groups),
               clips_per_group={g: sum(1 for r in rows if r['group'] == g) for g in groups},
               notes=('CD version v0.0%d. Text from the English Huffman-coded text files (60600-60607), clip = speech '
                      'file 50000 + section base + line (the game\'s own mapping, no alignment needed). %d text lines '
                      'have a speech file (%d with empty text left out); the CD intro narration (files 59494+) has no '
                      'text and is left out. The game does not say who speaks a line: speaker is empty and group is '
                      'a block of %d consecutive lines of a text section (sections follow the game\'s locations; groups '
                      'are not speaker-disjoint: Foster, the player character, speaks in most of them). Audio: 11,025 Hz '
                      'unsigned 8-bit, converted by '
                      'sox (no dither) to 16 kHz 16-bit. The recordings are '
                      'normalised to full scale: in every 35th clip 0.33%% of the samples sit at 0 or 255, and sox clips '
                      '0.18%% of the 16 kHz samples, at those same peaks.%s'
                      % (info['version'], info['lines_with_speech'], info['empty_text'], GROUP_LINES,
                         ' Partial run (--limit %d).' % a.limit if a.limit is not None else '')))
    with open(os.path.join(a.out, 'source.json'), 'w') as f:
        json.dump(src, f, indent=1)
        f.write('\n')
    print('[bass] %d clips, %.3f h, %d groups -> %s' % (len(rows), hours, len(groups), a.out), file=sys.stderr)


if __name__ == '__main__':
    main()
