"""Shared pieces of the small real-speech extractors (kajongg, qabcs, warzone2100): fetching a Debian
package into the cache, converting a clip to 16 kHz mono 16-bit with sox, and writing clips.tsv and
source.json in the format of notes/real-speech-interface.md. Standard library only.
"""
import glob
import gzip
import json
import os
import shutil
import subprocess
import sys
import wave

CLIPS_HEADER = 'id\twav\tduration_s\tspeaker\tgroup\ttext\n'


def repo_root():
    return os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../..'))


def need_sox(name):
    if shutil.which('sox') is None:
        raise SystemExit('%s: sox is missing (apt-get install sox libsox-fmt-all)' % name)


def fetch(package, cache, marker, log=None):
    """<cache>/pkgs/<package>, apt-get downloading and dpkg -x extracting the package when `marker`
    (a path inside the extracted tree) is missing."""
    log = log or (lambda m: print(m, file=sys.stderr))
    root = os.path.join(cache, 'pkgs', package)
    if os.path.exists(os.path.join(root, marker)):
        return root
    debs = os.path.join(cache, 'debs')
    os.makedirs(debs, exist_ok=True)
    found = sorted(glob.glob(os.path.join(debs, package + '_*.deb')))
    if not found:
        log('[%s] apt-get download %s' % (package, package))
        if subprocess.run(['apt-get', 'download', package], cwd=debs).returncode:
            raise SystemExit('apt-get download %s failed (try apt-get update)' % package)
        found = sorted(glob.glob(os.path.join(debs, package + '_*.deb')))
    os.makedirs(root, exist_ok=True)
    subprocess.run(['dpkg', '-x', found[-1], root], check=True)
    if not os.path.exists(os.path.join(root, marker)):
        raise SystemExit('%s: %s not found in the package' % (package, marker))
    return root


def package_version(root, package):
    p = os.path.join(root, 'usr/share/doc', package, 'changelog.Debian.gz')
    if not os.path.exists(p):
        return ''
    with gzip.open(p, 'rt', encoding='utf-8', errors='replace') as f:
        first = f.readline()
    return first.split('(')[1].split(')')[0] if '(' in first else ''


def copyright_text(root, package):
    with open(os.path.join(root, 'usr/share/doc', package, 'copyright'), encoding='utf-8', errors='replace') as f:
        return f.read()


def check_quote(text, quote, package):
    """The licence sentence quoted in source.json must still be in the copyright file (whitespace-folded)."""
    flat = ' '.join(text.replace('\n .', ' ').split())
    if ' '.join(quote.split()) not in flat:
        raise SystemExit('%s: the copyright file no longer says what source.json quotes; read it again' % package)
    return quote


def to_wav(src, dst, src_type=None, data=None):
    """Convert an audio file (or bytes `data` of type `src_type`) to 16 kHz mono 16-bit PCM with sox.
    The band limit stays as it is; sox's resampler adds nothing. Written to a temp name, then renamed."""
    tmp = dst + '.tmp.wav'
    inp = ['-t', src_type, '-'] if data is not None else [src]
    cmd = ['sox', '-V1'] + inp + ['-r', '16000', '-c', '1', '-b', '16', '-e', 'signed-integer', tmp]
    p = subprocess.run(cmd, input=data, stderr=subprocess.PIPE)
    if p.returncode:
        raise SystemExit('sox failed on %s: %s' % (src, p.stderr.decode(errors='replace')))
    os.replace(tmp, dst)


def wav_seconds(path):
    with wave.open(path, 'rb') as w:
        return w.getnframes() / w.getframerate()


def write_clips(rows, out):
    """rows: dicts with id, wav, duration_s, speaker, group, text -> <out>/clips.tsv (atomically)."""
    path = os.path.join(out, 'clips.tsv')
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write(CLIPS_HEADER)
        for r in rows:
            cells = [r['id'], r['wav'], '%.3f' % r['duration_s'], r['speaker'], r['group'], r['text']]
            f.write('\t'.join(' '.join(str(c).split()) for c in cells) + '\n')
    os.replace(tmp, path)


def read_clips(path):
    """clips.tsv -> list of dicts (extra columns, like `mapping`, are kept under their header names)."""
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    head = lines[0].split('\t')
    rows = []
    for line in lines[1:]:
        if not line.strip():
            continue
        cells = line.split('\t')
        cells += [''] * (len(head) - len(cells))
        rows.append(dict(zip(head, cells)))
    return rows


def write_json(path, data):
    """`data` as indented UTF-8 JSON at `path`, written to a temporary file first and moved into place."""
    with open(path + '.tmp', 'w', encoding='utf-8') as f:
        json.dump(data, f, indent=1, ensure_ascii=False)
        f.write('\n')
    os.replace(path + '.tmp', path)


def write_source(out, info):
    write_json(os.path.join(out, 'source.json'), info)


def summary_counts(rows):
    speakers = sorted({r['speaker'] for r in rows if r['speaker']})
    groups = sorted({r['group'] for r in rows})
    return dict(clips=len(rows), hours=round(sum(r['duration_s'] for r in rows) / 3600, 4),
                speakers=len(speakers), groups=len(groups),
                clips_per_group={g: sum(1 for r in rows if r['group'] == g) for g in groups})
