#!/usr/bin/python3
"""Flight of the Amazon Queen (Debian `flight-of-the-amazon-queen`, the ScummVM "talkie" release, MP3 speech)
-> real English speech clips.

    /usr/bin/python3 models/recipe/data/real/fotaq.py [--out data/real/fotaq] [--cache data/cache] [--limit N]
        [--review N] [--calibrate N] [--no-match]

Writes <out>/wav/<id>.wav (16 kHz mono 16-bit, decoded and converted by sox from the game's 11,025 Hz MP3),
<out>/clips.tsv (the interface's columns plus a last column `mapping`: exact | matched:<score>) and
<out>/source.json (see notes/real-speech-interface.md). Resumable (converted clips are kept) and deterministic.

The game's formats, as this reader understands them (learnt by reading ScummVM's engines/queen sources and by
checking the package's data; no code was copied, the code below is this project's own):
  queen.1c  "QTBL", an 8-byte version string, a compression byte (0 none, 1 MP3, 2 Ogg, 3 FLAC), u16 BE entry
            count, then 21-byte entries: 12-byte NUL-padded name, bundle byte, u32 BE offset, u32 BE size
            (offsets are absolute in this file). The files follow.
  .DOG .CUT QUEEN.JAS  a 20-byte AMOS "AmBk" bank header, then the data (all integers 16-bit big-endian).
  string    one length byte, the characters, then the offset rounds up to an even number (to a multiple of 4 in
            a dialogue's line lists); a zero length is one byte.
  .DOG      (dialogue) levels (negative: cannot quit), unique key, talk key, Joe line count, person line count,
            2 x (game state, test value, item), offsets of the person lines, the cutaway name, the person's
            second-visit strings; from 32 a tree of levels x 6 nodes x 16 bytes; Joe's lines at 32 + 96 x levels.
            A line list entry: 2 bytes, the line's id, the string. The second-visit block holds the person's
            and then Joe's second-visit greeting; Joe's first-visit greeting is Joe's line with id 0.
  .CUT      (cutaway scene) panel mode, object count (negative: cannot quit), flags, offsets of the game-state
            block, of the sentences and of the bank names; from 12 the objects: 17 values (object number,
            moves, bank, animation list, execute, limits, special move, animation type, from-object, bob
            start, room, scale), a people count and the people, then, for an animated object (one that is not
            a person, Joe or text, has an animation list or executes, and copies no other object), animation
            frames of a header and 9 values until a header of -2. Object 0 or -1 is Joe; -2 and -3 are spoken
            text, -4 shown text. The sentences: one entry string, then one sentence per object in order.
  QUEEN.JAS rooms, names, objects, descriptions; then objects of 8 values (name, x, y, description, entry
            object, room, state, image; image -3/-4: a person). QUEEN2.JAS: text lines (CR LF): object
            descriptions, names, room names, 12 verbs, 40 Joe responses, ...
  speech    A spoken line is cut at each "*" command ("*" and two characters; "*XY" and 11 more) into
            segments numbered from 1, and segment k plays clip PREFIX + k (one hex digit), ".SB":
              dialogue  "%02d%04X" % (talk key, line id) + "J"/"P"; first-visit greeting "%02dSSSSJ"; the
                        second-visit greetings "%02dXXXXP" (person) and "%02dXXXXJ" (Joe);
              Joe       "JOE%04d" % n: Joe response n (n <= 40) or object description n - 40;
              cutaway   the scene's name padded with "_" to 5 characters + object number as 2 digits; a
                        spoken-text object plays only segment 1, for the whole sentence.
            In this release a .SB entry is bare MPEG-2.5 layer III at 11,025 Hz (the uncompressed game's .SB has
            a 110- or 122-byte header, version 104/110 as u16 LE at byte 2, then unsigned 8-bit PCM at 11,025 Hz).
Clips whose name maps to no line, or to a segment the line does not have, are given to PocketSphinx, which
chooses among candidate lines (the scene's or dialogue's segments and whole lines, and the 20 lines of the game
nearest a free decoding) with a JSGF grammar; only confident matches are kept (see choose()). Sound effects
("NNSSSSSS"-style names) and lines that are only a noise ("<gulp>") are not speech and are skipped.
"""
import argparse
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import wave

PACKAGE = 'flight-of-the-amazon-queen'
GAME_FILE = 'usr/share/scummvm/flight-of-the-amazon-queen/queen.1c'
COPYRIGHT = 'usr/share/doc/flight-of-the-amazon-queen/copyright'
SAMPLE_RATE = 11025
BANK_HEADER = 20          # AMOS "AmBk" header ahead of .DOG/.CUT/.JAS data
JOE_RESPONSE_MAX = 40     # Joe responses in QUEEN2.JAS (ScummVM defs.h JOE_RESPONSE_MAX)
COMPRESSION_NONE, COMPRESSION_MP3 = 0, 1
SB_HEADER_SIZE = {104: 110, 110: 122}
PS_MODEL = '/usr/share/pocketsphinx/model/en-us'
PS_BATCH = '/usr/bin/pocketsphinx_batch'
# The dialogue files are named after the person; a few names are short forms of the game's own names for them.
DOG_PERSON = {'AND': 'Anderson', 'BOB': 'Trader Bob', 'PRIN': 'Princess Azura'}
SFX_NAME = re.compile(r'^\d{1,4}[A-C]?S+$')
DIALOGUE_NAME = re.compile(r'^(\d\d)([0-9A-F]{4}|SSSS|XXXX)([JP])([0-9A-F])$')
JOE_NAME = re.compile(r'^JOE(\d{4})([0-9A-F])$')
CUT_NAME = re.compile(r'^([A-Z0-9_]{5})(\d\d)([0-9A-F])$')
# choose(): a PocketSphinx choice among candidate lines is kept when its path score beats the best path through
# FILLER_WORDS common words by at least MIN_MARGIN per 10-ms frame (log domain). Measured with --calibrate 60 on
# exact dialogue clips hidden among their dialogue's segments: at 12.5, 26 of 60 kept, all 26 right; with the
# true line removed from the candidates, 1 of 60 (wrongly) kept. At 5.0: 45 kept, 43 right; 10 of 60 wrongly.
MIN_MARGIN = 12.5
FILLER_WORDS = 150
GLOBAL_SHORTLIST = 20
WHOLE = '+'               # table key suffix of a whole multi-segment line (never a clip name)


# ---------------------------------------------------------------- resource container
class Resource:
    def __init__(self, data):
        if data[:4] != b'QTBL':
            raise ValueError('not a Queen resource file with an embedded table (no QTBL)')
        self.data = data
        self.version = data[4:12].split(b'\0')[0].decode('latin-1')
        self.compression = data[12]
        count = struct.unpack('>H', data[13:15])[0]
        self.entries = {}
        p = 15
        for _ in range(count):
            name = data[p:p + 12].split(b'\0')[0].decode('latin-1').upper()
            offset, size = struct.unpack('>II', data[p + 13:p + 21])
            self.entries[name] = (offset, size)
            p += 21

    def get(self, name):
        offset, size = self.entries[name]
        return self.data[offset:offset + size]

    def names(self, ext):
        return sorted(n for n in self.entries if n.endswith(ext))


def write_resource(path, files, compression=COMPRESSION_MP3, version=b'CEM10'):
    """Write a resource file in the game's layout (for tests): files = [(name, bytes)]."""
    head = 15 + 21 * len(files)
    table, blob, offset = [], [], head
    for name, payload in files:
        table.append(name.encode('latin-1').ljust(12, b'\0') + b'\x01' + struct.pack('>II', offset, len(payload)))
        blob.append(payload)
        offset += len(payload)
    with open(path, 'wb') as f:
        f.write(b'QTBL' + version.ljust(8, b'\0') + bytes([compression]) + struct.pack('>H', len(files)))
        f.write(b''.join(table) + b''.join(blob))


def bank(payload):
    """The data of a .DOG/.CUT/.JAS file (after the 20-byte bank header)."""
    return payload[BANK_HEADER:]


def i16(buf, off):
    return struct.unpack('>h', buf[off:off + 2])[0]


def u16(buf, off):
    return struct.unpack('>H', buf[off:off + 2])[0]


def get_string(buf, off, align=2):
    n = buf[off]
    off += 1
    if n == 0:
        return '', off
    s = buf[off:off + n].decode('latin-1')
    return s, (off + n + align - 1) & ~(align - 1)


# ---------------------------------------------------------------- text
def segments(sentence):
    """Split a spoken line at its '*' commands; segment k (1-based) is element k - 1."""
    out, start, i = [], 0, 0
    while i < len(sentence):
        if sentence[i] == '*':
            out.append(sentence[start:i])
            i += 3 + (11 if sentence[i + 1:i + 3] == 'XY' else 0)
            start = i
        else:
            i += 1
    if start != i:
        out.append(sentence[start:i])
    return out


def clean(text):
    """Markup out: '*' commands' leftovers, '^_' (a trademark sign in the game's font), '@' (a music note around
    sung words) and <noises> such as <gulp> (a clip of only a noise is no speech: its text becomes empty)."""
    text = re.sub(r'<[^>]*>', ' ', text.replace('^_', '').replace('@', ' ').replace('*', ' '))
    return re.sub(r'\s+', ' ', text).strip()


def spoken(text):
    return bool(re.search(r'[A-Za-z]', text))


class Line:
    __slots__ = ('text', 'speaker', 'group', 'scene', 'source')

    def __init__(self, text, speaker, group, scene, source):
        self.text, self.speaker, self.group, self.scene, self.source = text, speaker, group, scene, source


def add_segments(table, prefix, sentence, speaker, group, scene, source, whole=False):
    """Register the clip names a spoken sentence plays: PREFIX + segment number (or PREFIX1 = whole)."""
    if whole:
        parts = [sentence]
    else:
        parts = segments(sentence)
    said = [clean(part) for part in parts if spoken(clean(part))]
    if len(said) > 1:
        # the whole line: no clip name of its own, a candidate for clips whose mapping is uncertain
        table[prefix + WHOLE] = Line(' '.join(said), speaker, group, scene, source)
    for k, part in enumerate(parts, 1):
        if k > 15:
            break
        text = clean(part)
        if spoken(text):
            table[prefix + '%X' % k] = Line(text, speaker, group, scene, source)
        elif part.strip():                          # a noise only: its clip, if any, is no speech
            table.setdefault(prefix + '%X' % k, Line('', speaker, group, scene, source))


def dog_person(name):
    stem = re.sub(r'\d+$', '', name[:-4])
    return DOG_PERSON.get(stem, stem.capitalize())


def parse_dialogue(buf, name, table):
    """Lines of one .DOG file into table (clip stem -> Line). Returns the talk key."""
    levels = abs(i16(buf, 0))
    talk_key = i16(buf, 4)
    j_max, p_max = i16(buf, 6), i16(buf, 8)
    person_off, second_off = u16(buf, 22), u16(buf, 26)
    joe_off = 32 + levels * 96
    person = dog_person(name)
    scene = name[:-4]

    def line_list(off, count, tag, speaker):
        for _ in range(count):
            ident = i16(buf, off + 2)
            s, off = get_string(buf, off + 4, 4)
            if 0 <= ident <= 0xFFFF:
                add_segments(table, '%02d%04X%s' % (talk_key, ident, tag), s, speaker, speaker, scene, 'dialogue')

    line_list(person_off, p_max, 'P', person)
    line_list(joe_off, j_max, 'J', 'Joe')
    if u16(buf, joe_off + 2) == 0:                       # Joe's first-visit greeting: his line with id 0
        s, _ = get_string(buf, joe_off + 4)
        if s != '0':
            add_segments(table, '%02dSSSSJ' % talk_key, s, 'Joe', 'Joe', scene, 'dialogue')
    person2, off = get_string(buf, second_off)
    joe2, _ = get_string(buf, off)
    if person2 != '0':
        add_segments(table, '%02dXXXXP' % talk_key, person2, person, person, scene, 'dialogue')
    if joe2 != '0':
        add_segments(table, '%02dXXXXJ' % talk_key, joe2, 'Joe', 'Joe', scene, 'dialogue')
    return talk_key


def parse_jas(jas, jas2):
    """Object images (index = object number) and Joe's lines {number: text} from QUEEN.JAS / QUEEN2.JAS."""
    rooms, names, objects, descriptions = struct.unpack('>4H', jas[:8])
    images = [None] + [i16(jas, 8 + 16 * i + 14) for i in range(objects)]
    lines = jas2.decode('latin-1').replace('\r\n', '\n').split('\n')
    first_response = descriptions + names + rooms + 12
    joe = {}
    for n in range(1, JOE_RESPONSE_MAX + 1):
        if first_response + n - 1 < len(lines):
            joe[n] = lines[first_response + n - 1]
    for n in range(1, descriptions + 1):
        if n - 1 < len(lines):
            joe[JOE_RESPONSE_MAX + n] = lines[n - 1]
    return images, joe


def cut_prefix(base):
    return (base + '_____')[:5] if len(base) < 5 else base[:5]


def parse_cutaway(buf, base, images, table):
    """Spoken sentences of one .CUT file into table. Returns False if the object walk did not end where the
    game-state block starts (then speakers other than Joe are unknown for this scene and all records are
    treated as people)."""
    count = abs(i16(buf, 2))
    state_off, sentence_off = u16(buf, 6), u16(buf, 8)
    kinds, p, ok = [], 12, True
    try:
        for _ in range(count):
            v = struct.unpack('>17h', buf[p:p + 34])
            p += 34
            number, anim_list, execute, from_object = v[0], v[4], v[5], v[12]
            p += 2 + 2 * i16(buf, p)
            if number == -1:                                 # room fade: Joe
                number = 0
            kind = 'anim'
            if number > 0 and not anim_list and images[number] in (-3, -4):
                kind = 'person'
            elif number == 0 and not anim_list:
                kind = 'joe'
            if from_object > 0:
                kind = 'none'
            if number in (-2, -3):
                kind = 'text'
            elif number == -4:
                kind = 'none'
            if kind == 'anim' and not execute:
                kind = 'none'
            if kind == 'anim':
                while i16(buf, p) != -2:
                    p += 20
                p += 2
            kinds.append(kind)
        ok = p + 2 == state_off
    except (IndexError, struct.error, TypeError):
        ok = False
    if not ok:
        kinds = ['person'] * count
    off = sentence_off
    _, off = get_string(buf, off)                            # the entry string
    scene = base
    for index in range(1, count + 1):
        sentence, off = get_string(buf, off)
        kind = kinds[index - 1]
        if kind == 'none' or kind == 'anim' or sentence in ('', '*') or sentence.startswith('#'):
            continue
        prefix = cut_prefix(base) + ('%02d' % index)[:2]
        speaker = 'Joe' if kind == 'joe' else ''
        group = 'Joe' if kind == 'joe' else 'scene:' + scene
        add_segments(table, prefix, sentence, speaker, group, scene, 'scene', whole=(kind == 'text'))
    return ok


def build_lines(res):
    """All spoken lines the game data names a clip for: {clip stem: Line}, plus per-scene candidate lists."""
    table, scenes = {}, {}
    for name in res.names('.DOG'):
        before = set(table)
        key = parse_dialogue(bank(res.get(name)), name, table)
        scenes.setdefault('dialogue:%02d' % key, []).extend(k for k in table if k not in before)
    images, joe = [None], {}
    if 'QUEEN.JAS' in res.entries and 'QUEEN2.JAS' in res.entries:
        images, joe = parse_jas(bank(res.get('QUEEN.JAS')), res.get('QUEEN2.JAS'))
    for n, text in sorted(joe.items()):
        add_segments(table, 'JOE%04d' % n, text, 'Joe', 'Joe', 'joe', 'joe')
    walked = 0
    for name in res.names('.CUT'):
        base = name[:-4]
        before = set(table)
        walked += parse_cutaway(bank(res.get(name)), base, images, table)
        scenes.setdefault('cut:' + cut_prefix(base), []).extend(k for k in table if k not in before)
    return table, scenes, walked


def classify(res, table, scenes):
    """Split the speech clips into exact (name -> Line) and uncertain (name -> candidate clip stems or None);
    also counts the clips that are no speech (sound effects, a line that is only a noise like <gulp>)."""
    exact, uncertain, sfx = {}, {}, 0
    for name in res.names('.SB'):
        stem = name[:-3]
        if stem in table:
            if table[stem].text:
                exact[stem] = table[stem]
            else:
                sfx += 1
            continue
        if SFX_NAME.match(stem):
            sfx += 1
            continue
        m = DIALOGUE_NAME.match(stem)
        if m and 'dialogue:' + m.group(1) in scenes:
            uncertain[stem] = scenes['dialogue:' + m.group(1)]
            continue
        m = CUT_NAME.match(stem)
        if m and 'cut:' + m.group(1) in scenes:
            uncertain[stem] = scenes['cut:' + m.group(1)]
            continue
        prefix = re.match(r'^([A-Z]+)', stem)
        near = [k for s, ks in scenes.items() if prefix and s.startswith('cut:' + prefix.group(1)) for k in ks]
        uncertain[stem] = near or None
    return exact, uncertain, sfx


# ---------------------------------------------------------------- audio
def sox_reads_mp3():
    r = subprocess.run(['sox', '-h'], capture_output=True, text=True)
    return ' mp3 ' in (r.stdout + ' ')


def decode_clip(res, stem, dest):
    """Write the clip as 16 kHz mono 16-bit PCM WAV (sox; MP3 through sox's mp3 handler or mpg123)."""
    payload = res.get(stem + '.SB')
    tmp = dest + '.tmp.wav'
    out = ['-D', '-r', '16000', '-c', '1', '-b', '16', '-e', 'signed-integer', tmp]
    if res.compression == COMPRESSION_NONE:
        version = struct.unpack('<H', payload[2:4])[0]
        pcm = payload[SB_HEADER_SIZE.get(version, SB_HEADER_SIZE[104]):]
        cmd = ['sox', '-t', 'raw', '-r', str(SAMPLE_RATE), '-e', 'unsigned-integer', '-b', '8', '-c', '1', '-'] + out
        subprocess.run(cmd, input=pcm, check=True, capture_output=True)
    elif res.compression == COMPRESSION_MP3:
        if sox_reads_mp3.cached:
            subprocess.run(['sox', '-t', 'mp3', '-'] + out, input=payload, check=True, capture_output=True)
        else:
            mid = dest + '.mp3.wav'
            subprocess.run(['mpg123', '-q', '-w', mid, '-'], input=payload, check=True, capture_output=True)
            subprocess.run(['sox', mid] + out, check=True, capture_output=True)
            os.remove(mid)
    else:
        raise SystemExit('fotaq: compression type %d (Ogg/FLAC) is not handled' % res.compression)
    os.replace(tmp, dest)


sox_reads_mp3.cached = None


def check_tools(compression):
    if not shutil.which('sox'):
        raise SystemExit('fotaq: needs sox (apt-get install sox)')
    sox_reads_mp3.cached = compression == COMPRESSION_MP3 and sox_reads_mp3()
    if compression == COMPRESSION_MP3 and not sox_reads_mp3.cached and not shutil.which('mpg123'):
        raise SystemExit('fotaq: the speech is MP3: apt-get install libsox-fmt-mp3 (sox reads MP3) or mpg123')


def wav_seconds(path):
    with wave.open(path) as w:
        return w.getnframes() / w.getframerate()


# ---------------------------------------------------------------- PocketSphinx
def words(text):
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)*", text.lower().replace('-', ' '))


def wer(ref, hyp):
    r, h = words(ref), words(hyp)
    if not r:
        return 1.0 if h else 0.0
    d = list(range(len(h) + 1))
    for i, rw in enumerate(r, 1):
        prev, d[0] = d[0], i
        for j, hw in enumerate(h, 1):
            cur = min(d[j] + 1, d[j - 1] + 1, prev + (rw != hw))
            prev, d[j] = d[j], cur
    return d[len(h)] / len(r)


def ps_available():
    return os.path.exists(PS_BATCH) and os.path.isdir(os.path.join(PS_MODEL, 'en-us'))


def load_dict():
    vocab = set()
    with open(os.path.join(PS_MODEL, 'cmudict-en-us.dict'), encoding='latin-1') as f:
        for row in f:
            w = row.split(' ', 1)[0]
            vocab.add(re.sub(r'\(\d+\)$', '', w))
    return vocab


def ps_decode(wavs, grammar=None):
    """PocketSphinx batch decoding of whole files, with the trigram LM or constrained to a JSGF grammar:
    [(hypothesis, path score)] (the score is the log-domain total that pocketsphinx_batch reports)."""
    d = tempfile.mkdtemp(prefix='fotaq-ps-')
    try:
        with open(os.path.join(d, 'ctl'), 'w') as f:
            for i, path in enumerate(wavs):
                os.symlink(os.path.abspath(path), os.path.join(d, '%d.wav' % i))
                f.write('%d\n' % i)
        args = [PS_BATCH, '-adcin', 'yes', '-adchdr', '44', '-cepdir', d, '-cepext', '.wav',
                '-ctl', os.path.join(d, 'ctl'), '-hmm', os.path.join(PS_MODEL, 'en-us'),
                '-dict', os.path.join(PS_MODEL, 'cmudict-en-us.dict'), '-hyp', os.path.join(d, 'hyp'),
                '-logfn', os.path.join(d, 'log')]
        if grammar is None:
            args += ['-lm', os.path.join(PS_MODEL, 'en-us.lm.bin')]
        else:
            with open(os.path.join(d, 'g.gram'), 'w') as f:
                f.write(grammar)
            args += ['-jsgf', os.path.join(d, 'g.gram')]
        subprocess.run(['nice', '-n', '10'] + args, check=True, capture_output=True)
        hyps = {}
        with open(os.path.join(d, 'hyp')) as f:
            for row in f:
                m = re.match(r'^(.*?)\s*\((\d+)(?:\s+(-?\d+))?\)\s*$', row)
                if m:
                    hyps[int(m.group(2))] = (m.group(1).strip(), int(m.group(3) or 0))
        return [hyps.get(i, ('', 0)) for i in range(len(wavs))]
    finally:
        shutil.rmtree(d, ignore_errors=True)


def free_decoding(out, stems, paths):
    """PocketSphinx hypotheses with the trigram LM, cached in <out>/free_decoding.json (slow on a busy machine)."""
    cache_path = os.path.join(out, 'free_decoding.json')
    cache = json.load(open(cache_path)) if os.path.exists(cache_path) else {}
    todo = [(s, p) for s, p in zip(stems, paths) if s not in cache]
    if todo:
        for (s, _), (hyp, _) in zip(todo, ps_decode([p for _, p in todo])):
            cache[s] = hyp
        with open(cache_path, 'w') as f:
            json.dump(cache, f, indent=0, sort_keys=True)
    return [cache[s] for s in stems]


def grammar_of(alternatives, filler=()):
    """A JSGF grammar: one of the alternatives, or (with filler words) any sequence of filler words."""
    body = ' | '.join('( %s )' % x for x in alternatives)
    rules = ''
    if filler:
        body = (body + ' | ' if body else '') + '<filler>+'
        rules = '<filler> = %s ;\n' % ' | '.join(filler)
    return '#JSGF V1.0;\ngrammar cand;\npublic <s> = %s ;\n%s' % (body, rules)


def filler_words(lines, vocab, n=FILLER_WORDS):
    """The game's n most frequent in-dictionary words: a background path for the grammar."""
    count = {}
    for text in lines:
        for w in words(text):
            if w in vocab:
                count[w] = count.get(w, 0) + 1
    return sorted(sorted(count, key=lambda w: (-count[w], w))[:n])


def choose(wav, candidates, vocab, filler, min_margin=None):
    """candidates: [(stem, text)]. PocketSphinx, constrained by a JSGF grammar whose alternatives are the
    candidates' in-dictionary words, chooses one; the choice is kept when its path score, less the best path
    through any sequence of filler words (the game's common words: a background path that fits any speech),
    is at least min_margin per 10-ms frame (default MIN_MARGIN, measured with --calibrate).
    Returns (stem or None, margin, why)."""
    min_margin = MIN_MARGIN if min_margin is None else min_margin
    alts = {}
    for stem, text in candidates:
        if not text:
            continue
        ws = [w for w in words(text) if w in vocab]
        if ws:
            alts.setdefault(' '.join(ws), []).append(stem)
    if not alts:
        return None, 0.0, 'no candidate in the dictionary'
    try:
        pick, s1 = ps_decode([wav], grammar_of(sorted(alts)))[0]
        if pick not in alts:
            return None, 0.0, 'no path through the candidates'
        _, s2 = ps_decode([wav], grammar_of([], filler))[0]
    except subprocess.CalledProcessError:
        return None, 0.0, 'grammar decoding failed'
    frames = max(1, int(round(wav_seconds(wav) * 100)))
    margin = (s1 - s2) / frames
    stem = sorted(alts[pick])[0]
    if margin < min_margin:
        return None, round(margin, 2), 'margin %.2f per frame (%s)' % (margin, stem)
    return stem, round(margin, 2), 'ok'


# ---------------------------------------------------------------- package
def fetch(cache):
    root = os.path.join(cache, 'pkgs', PACKAGE)
    if not os.path.exists(os.path.join(root, GAME_FILE)):
        debs = os.path.join(cache, 'debs')
        os.makedirs(debs, exist_ok=True)
        have = [f for f in os.listdir(debs) if f.startswith(PACKAGE + '_') and f.endswith('.deb')]
        if not have:
            print('[fotaq] apt-get download %s' % PACKAGE, file=sys.stderr)
            subprocess.run(['apt-get', 'download', PACKAGE], cwd=debs, check=True, capture_output=True)
            have = [f for f in os.listdir(debs) if f.startswith(PACKAGE + '_') and f.endswith('.deb')]
        os.makedirs(root, exist_ok=True)
        subprocess.run(['dpkg', '-x', os.path.join(debs, sorted(have)[-1]), root], check=True)
    debs = os.path.join(cache, 'debs')
    have = sorted(f for f in os.listdir(debs) if f.startswith(PACKAGE + '_')) if os.path.isdir(debs) else []
    version = have[-1].split('_')[1] if have else ''
    return root, version


def licence_of(root):
    """Name the licence and quote its key clauses from the package's copyright file."""
    path = os.path.join(root, COPYRIGHT)
    quotes = []
    if os.path.exists(path):
        text = re.sub(r'\s+', ' ', open(path, encoding='utf-8').read().replace('\n .\n', '\n'))
        for clause in ('1)', '3)', '4)'):
            m = re.search(re.escape(clause) + r' (.*?)(?= \d\) |$)', text)
            if m:
                quotes.append('%s %s' % (clause, m.group(1).strip()))
    return ('Flight-of-the-Amazon-Queen-License: freeware, free redistribution and modification with the readme and '
            'notices kept, no fee for the game itself; game content (C) John Passfield and Steven Stamatiadis. '
            + ' '.join('"%s"' % q for q in quotes))


def clip_id(stem):
    return 'fotaq-' + stem.lower()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default='data/real/fotaq')
    ap.add_argument('--cache', default='data/cache')
    ap.add_argument('--game', help='a queen.1c to read instead of the Debian package (tests)')
    ap.add_argument('--limit', type=int, default=0, help='convert only the first N exact clips')
    ap.add_argument('--no-match', action='store_true', help='leave out clips whose line is uncertain')
    ap.add_argument('--review', type=int, default=0, help='print N exact clips: text vs PocketSphinx free decoding')
    ap.add_argument('--calibrate', type=int, default=0,
                    help='run the matcher on N exact dialogue clips (their line hidden among the dialogue) '
                         'and write <out>/calibration.json')
    a = ap.parse_args(argv)

    if a.game:
        root, version, game = None, '', a.game
    else:
        root, version = fetch(a.cache)
        game = os.path.join(root, GAME_FILE)
    with open(game, 'rb') as f:
        res = Resource(f.read())
    check_tools(res.compression)
    table, scenes, walked = build_lines(res)
    exact, uncertain, sfx = classify(res, table, scenes)
    print('[fotaq] %d speech clips with an exact line, %d uncertain, %d sound effects; %d/%d scenes walked'
          % (len(exact), len(uncertain), sfx, walked, len(res.names('.CUT'))), file=sys.stderr)

    wav_dir = os.path.join(a.out, 'wav')
    os.makedirs(wav_dir, exist_ok=True)
    stems = sorted(exact)
    if a.limit:
        stems = stems[:a.limit]
    for i, stem in enumerate(stems):
        dest = os.path.join(wav_dir, clip_id(stem) + '.wav')
        if not os.path.exists(dest):
            decode_clip(res, stem, dest)
        if (i + 1) % 500 == 0:
            print('[fotaq] %d/%d converted' % (i + 1, len(stems)), file=sys.stderr)

    rows = [(stem, exact[stem], 'exact') for stem in stems]
    matched, dropped = {}, {}
    use_ps = ps_available()
    if uncertain and not use_ps and not a.no_match:
        print('[fotaq] PocketSphinx not found (apt-get install pocketsphinx pocketsphinx-en-us): '
              'uncertain clips left out', file=sys.stderr)
    if use_ps and (uncertain or a.review or a.calibrate):
        vocab = load_dict()
        filler = filler_words([line.text for line in table.values()], vocab)
    if use_ps and uncertain and not a.limit and not a.no_match:
        every = sorted(k for k in table if table[k].text)
        tmp_dir = os.path.join(a.out, 'uncertain')
        os.makedirs(tmp_dir, exist_ok=True)
        names = sorted(uncertain)
        paths = []
        for stem in names:
            p = os.path.join(tmp_dir, clip_id(stem) + '.wav')
            if not os.path.exists(p):
                decode_clip(res, stem, p)
            paths.append(p)
        free = free_decoding(a.out, names, paths)
        for stem, path, hyp in zip(names, paths, free):
            # the scene's or dialogue's segments and whole lines, plus the lines nearest a free decoding (an
            # outtake may repeat a line that has its own clip)
            cands = list(uncertain[stem] or [])
            near = sorted(every, key=lambda k: (wer(table[k].text, hyp), k))[:GLOBAL_SHORTLIST]
            cands += [k for k in near if k not in cands]
            pick, margin, why = choose(path, [(k, table[k].text) for k in cands], vocab, filler)
            if pick:
                dest = os.path.join(wav_dir, clip_id(stem) + '.wav')
                shutil.copyfile(path, dest)
                matched[stem] = (table[pick], margin, pick, hyp)
            else:
                dropped[stem] = (why, hyp)
            print('[fotaq] uncertain %s: %s %s (free decoding: %r)'
                  % (stem, 'matched ' + pick if pick else 'dropped', why, hyp), file=sys.stderr)
        shutil.rmtree(tmp_dir, ignore_errors=True)
        for stem in sorted(matched):
            rows.append((stem, matched[stem][0], 'matched:%.2f' % matched[stem][1]))
        rows.sort(key=lambda r: r[0])
    elif not a.limit:
        dropped = {stem: ('not matched (no PocketSphinx or --no-match)', '') for stem in uncertain}

    total, speakers, groups = 0.0, set(), set()
    with open(os.path.join(a.out, 'clips.tsv'), 'w', encoding='utf-8') as f:
        f.write('id\twav\tduration_s\tspeaker\tgroup\ttext\tmapping\n')
        for stem, line, mapping in rows:
            cid = clip_id(stem)
            dur = wav_seconds(os.path.join(wav_dir, cid + '.wav'))
            total += dur
            if line.speaker:
                speakers.add(line.speaker)
            groups.add(line.group)
            f.write('%s\twav/%s.wav\t%.3f\t%s\t%s\t%s\t%s\n' % (cid, cid, dur, line.speaker, line.group,
                                                               line.text.replace('\t', ' '), mapping))
    if not a.limit:                                    # wavs of clips no longer listed (an earlier version's)
        listed = {clip_id(stem) + '.wav' for stem, _, _ in rows}
        for f in os.listdir(wav_dir):
            if f.startswith('fotaq-') and f.endswith('.wav') and f not in listed:
                os.remove(os.path.join(wav_dir, f))
    counts = {'exact': len(stems), 'matched': len(matched), 'dropped': len(dropped)}
    meta = {
        'source': 'fotaq', 'package': PACKAGE, 'version': version,
        'licence': licence_of(root) if root else '',
        'clips': len(rows), 'hours': round(total / 3600, 3), 'speakers': len(speakers), 'groups': len(groups),
        'mapping': {'exact': counts['exact'], 'matched': counts['matched'],
                    'dropped': counts['dropped'], 'sound_effects_skipped': sfx},
        'mapping_method': ('exact: the clip name is built from the line\'s dialogue/scene/Joe numbering and its '
                           'segment (see fotaq.py); matched: PocketSphinx with a JSGF grammar of the candidate lines '
                           '(the scene\'s or dialogue\'s segments and whole lines, and the %d lines nearest a free '
                           'decoding) '
                           'chose it with a path score at least %.1f per 10-ms frame above the best path through the '
                           'game\'s %d commonest words (a background path); the per-clip score is that margin. '
                           'Calibration (--calibrate 60, exact dialogue clips hidden among their dialogue\'s '
                           'segments): 26/60 kept, all right; true line removed: 1/60 wrongly kept'
                           % (GLOBAL_SHORTLIST, MIN_MARGIN, FILLER_WORDS)),
        'dropped': {k: v[0] for k, v in sorted(dropped.items())},
        'matched': {k: {'line': v[2], 'text': v[0].text, 'margin': v[1]} for k, v in sorted(matched.items())},
        'notes': ('Speakers: "Joe" for Joe King\'s lines (dialogue J lines, Joe responses and object descriptions, '
                  'Joe in cutaway scenes); a dialogue\'s other person is named after its .DOG file (AND -> '
                  'Anderson, BOB -> Trader Bob, PRIN -> Princess Azura, otherwise the file stem). Other voices '
                  'in cutaway scenes are unknown (the game resolves them at run time): speaker empty, group '
                  '"scene:<cutaway>". One actor may voice several characters. MP3 at 16 kbit/s, 11,025 Hz, '
                  'converted to 16 kHz without added content.'),
    }
    with open(os.path.join(a.out, 'source.json'), 'w') as f:
        json.dump(meta, f, indent=1)
        f.write('\n')
    print('[fotaq] %d clips, %.2f h (exact %d, matched %d, dropped %d)'
          % (len(rows), total / 3600, counts['exact'], counts['matched'], counts['dropped']), file=sys.stderr)

    if use_ps and a.review:
        rng = random.Random(12)
        pick = sorted(rng.sample(stems, min(a.review, len(stems))))
        hyps = free_decoding(a.out, pick, [os.path.join(wav_dir, clip_id(s) + '.wav') for s in pick])
        for s, h in zip(pick, hyps):
            print('%s\t%s\tWER %.2f\n  text: %s\n  hyp:  %s' % (clip_id(s), exact[s].speaker or exact[s].group,
                                                                 wer(exact[s].text, h), exact[s].text, h))
    if use_ps and a.calibrate:
        calibrate(a, stems, exact, scenes, table, wav_dir, vocab, filler)


def calibrate(a, stems, exact, scenes, table, wav_dir, vocab, filler):
    """Margins of choose() on exact dialogue clips: with the true line among its dialogue's segments (is the
    choice right?) and without it (every choice is wrong: how large can a wrong choice's margin be?)."""
    rng = random.Random(7)
    pool = [s for s in stems if DIALOGUE_NAME.match(s)]
    rows = []
    for stem in sorted(rng.sample(pool, min(a.calibrate, len(pool)))):
        path = os.path.join(wav_dir, clip_id(stem) + '.wav')
        truth = words(exact[stem].text)
        cands = [(k, table[k].text) for k in scenes['dialogue:' + stem[:2]]]
        got, margin, _ = choose(path, cands, vocab, filler, min_margin=-1e9)
        rows.append({'clip': stem, 'trial': 'true line among candidates', 'margin': margin if got else None,
                     'right': got is not None and words(table[got].text) == truth})
        got, margin, _ = choose(path, [c for c in cands if words(c[1]) != truth], vocab, filler, min_margin=-1e9)
        rows.append({'clip': stem, 'trial': 'true line removed', 'margin': margin if got else None, 'right': False})
    table_ = []
    for t in (0.0, 2.0, 5.0, 8.0, 10.0, 12.5, 15.0):
        kept = [r for r in rows if r['trial'].startswith('true line among') and (r['margin'] or -1e9) >= t]
        false = [r for r in rows if r['trial'].startswith('true line removed') and (r['margin'] or -1e9) >= t]
        table_.append({'min_margin': t, 'kept': len(kept), 'right_of_kept': sum(r['right'] for r in kept),
                       'kept_without_true_line': len(false)})
    summary = {'clips': len(rows) // 2, 'thresholds': table_, 'rows': rows}
    with open(os.path.join(a.out, 'calibration.json'), 'w') as f:
        json.dump(summary, f, indent=1)
    for r in table_:
        print('[fotaq] calibration: margin >= %.2f: %d/%d kept, %d of them right; %d/%d kept with the true line '
              'removed' % (r['min_margin'], r['kept'], len(rows) // 2, r['right_of_kept'],
                           r['kept_without_true_line'], len(rows) // 2), file=sys.stderr)


if __name__ == '__main__':
    main()
