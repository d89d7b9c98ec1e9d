"""ipa_map: text in Spanish, French, Italian or Russian -> espeak-ng IPA -> our 39 ARPAbet phonemes.

    /usr/bin/python3 models/recipe/data/xlang/ipa_map.py es-419 "casa"      # prints: K AA S AA

Used by prepare_asterisk.py. espeak-ng is asked for IPA with its own phoneme boundaries
(`espeak-ng -q -v VOICE --ipa --sep=_ TEXT`: phonemes joined by `_`, words by spaces, clauses on separate
lines), so that a multi-letter phoneme (`tʃ`, `ts`, `ja`, `ɑ̃`) arrives as one token and no digraph has to be
guessed. Each token loses its stress marks (ˈ ˌ), length marks (ː ˑ), syllable dots, tie bars, zero-width
joiners and espeak's liaison hyphen (French `lə-`), and is then looked up in IPA_TO_ARPABET (with the
per-voice overrides in VOICE_OVERRIDES). A token that is not in the table is *unmapped*: it is counted and the
whole utterance is dropped, never mangled. A language-switch marker such as `(en)` (espeak reading a foreign
word with another language's rules) drops the utterance too. Within a word a phoneme repeated back to back
(Italian geminates `l_l`, es-419 `j_j` in "calle") is written once, as CMUdict writes "misspell" M IH S P EH L.
Words are joined with ' | ' as in the corpus manifests. The labels are approximate by nature: the goal is real
voices and channels, not faithful foreign phonetics.

Mapping choices (the nearest American English phoneme, judged by the vowel's quality or the consonant's place
and manner; where the two disagree, by what an American listener hears the sound as):
- Vowels: a (open central) -> AA, not AE (which is raised and fronted in American English); e -> EY and
  o -> OW (mid monophthongs: the nuclei of EY/OW are the nearest qualities, EH/AO are more open); ɛ -> EH,
  ɔ -> AO, i -> IY, u -> UW, unstressed ɪ/ʊ (espeak's Italian and Russian reductions) -> IH/UH, ʌ/ɐ/ə -> AH.
- French y (front rounded) -> UW: it shares /i/'s tongue position, but American listeners hear it as their
  fronted /u/ ("tu" as "too"), and American UW after coronals is itself fronted. ø -> UH, œ -> AH by the same
  listener criterion (close-mid and open-mid rounded, heard as "put"/"but" vowels; ER's r-colouring is absent).
- French nasal vowels -> vowel + N (ɑ̃ AA N, ɔ̃ AO N, ɛ̃ EH N, œ̃ AH N): American English itself says a nasalised
  vowel with a weak or no closure for /VN/ before voiceless stops ("sent", "can't"), which is labelled V + N;
  the bare vowel would teach the model to ignore nasality.
- Russian ɨ (espeak writes it `y` in Russian) -> IH (override; French `y` stays UW); ɵ (ё after a soft
  consonant) -> OW; espeak's `u"` (u fronted after a soft consonant) -> UW; `ɪ^` (reduced и before й) -> IH.
- Russian palatalised consonants -> the plain consonant (tʲ -> T, nʲ -> N, ...); ɭ/ɭʲ (espeak's Russian
  dark/soft l) -> L; ɕ (щ) -> SH, ʑ -> ZH; the iotated vowels ja/ju -> Y AA / Y UW.
- Spanish and Italian taps and trills ɾ/r, French uvular ʁ and English ɹ -> R (phonemic /r/; French ʁ is
  acoustically a fricative, but HH or G would be the wrong phoneme); x (jota, Russian х) -> HH (the only
  English dorsal/glottal fricative).
- Spanish approximants: β -> B, ð -> DH (the Spanish intervocalic d is nearly English "th" in "this"),
  ɣ -> G; ʝ (Latin American y/ll) -> Y.
- ɲ -> N Y, ʎ -> L Y, ŋ -> NG; affricates ts -> T S, dz -> D Z, tʃ -> CH, dʒ -> JH (soft tʃʲ/dʒʲ too);
  Italian long `ss` -> S.
- Diphthongs: aɪ AY, aʊ AW, eɪ EY, oɪ/ɔɪ OY, eʊ (Spanish "deuda") EY W; English-only ones that espeak emits in
  loan words: əʊ OW, eə EH R, iə IY AH, ʊə UH R, əl AH L.
"""
import collections
import html
import subprocess
import sys

# One entry per token espeak-ng 1.51 emits for es/es-419, fr, it and ru (found by running it on the
# Asterisk prompt texts and on every consonant-vowel pattern of each alphabet), plus the palatalised
# consonants and English loan-word phonemes that those languages' rules can emit.
IPA_TO_ARPABET = {
    # vowels
    'a': 'AA', 'ɑ': 'AA', 'ɒ': 'AA', 'ɐ': 'AH', 'ʌ': 'AH', 'ə': 'AH',
    'e': 'EY', 'ɛ': 'EH', 'i': 'IY', 'ɪ': 'IH', 'ɪ^': 'IH', 'ɨ': 'IH',
    'o': 'OW', 'ɔ': 'AO', 'ɵ': 'OW', 'u': 'UW', 'u"': 'UW', 'ʊ': 'UH',
    'y': 'UW', 'ø': 'UH', 'œ': 'AH',
    # French nasal vowels
    'ɑ̃': 'AA N', 'ɔ̃': 'AO N', 'ɛ̃': 'EH N', 'œ̃': 'AH N',
    # diphthongs and vowel sequences
    'aɪ': 'AY', 'aʊ': 'AW', 'eɪ': 'EY', 'oɪ': 'OY', 'ɔɪ': 'OY', 'eʊ': 'EY W', 'əʊ': 'OW',
    'eə': 'EH R', 'iə': 'IY AH', 'ʊə': 'UH R', 'əl': 'AH L', 'ja': 'Y AA', 'ju': 'Y UW',
    # stops
    'p': 'P', 'b': 'B', 't': 'T', 'd': 'D', 'k': 'K', 'ɡ': 'G', 'g': 'G', 't̪': 'T', 'd̪': 'D',
    'pʲ': 'P', 'bʲ': 'B', 'tʲ': 'T', 'dʲ': 'D', 'kʲ': 'K', 'ɡʲ': 'G',
    # fricatives
    'f': 'F', 'v': 'V', 's': 'S', 'ss': 'S', 'z': 'Z', 'ʃ': 'SH', 'ʒ': 'ZH', 'θ': 'TH', 'ð': 'DH',
    'h': 'HH', 'x': 'HH', 'β': 'B', 'ɣ': 'G', 'ɕ': 'SH', 'ʑ': 'ZH',
    'fʲ': 'F', 'vʲ': 'V', 'sʲ': 'S', 'zʲ': 'Z', 'xʲ': 'HH', 'ʃʲ': 'SH', 'ʒʲ': 'ZH',
    # affricates
    'tʃ': 'CH', 'dʒ': 'JH', 'tʃʲ': 'CH', 'dʒʲ': 'JH', 'ts': 'T S', 'dz': 'D Z', 'tsʲ': 'T S',
    # nasals
    'm': 'M', 'n': 'N', 'ŋ': 'NG', 'ɲ': 'N Y', 'mʲ': 'M', 'nʲ': 'N',
    # liquids and glides
    'l': 'L', 'ɭ': 'L', 'ɫ': 'L', 'lʲ': 'L', 'ɭʲ': 'L', 'ʎ': 'L Y',
    'r': 'R', 'ɾ': 'R', 'ʁ': 'R', 'ɹ': 'R', 'rʲ': 'R',
    'j': 'Y', 'ʝ': 'Y', 'w': 'W', 'ɥ': 'W',
}

# Per-voice exceptions: espeak's Russian `y` is ɨ (ы), its French `y` is [y].
VOICE_OVERRIDES = {'ru': {'y': 'IH'}}

# Marks removed from a token before the lookup: stress, length, syllable break, tie bars, zero-width
# joiner, and espeak's liaison hyphen.
STRIP = dict.fromkeys(map(ord, 'ˈˌːˑ.\u0361\u035c\u203f\u200d-'))


def espeak_ipa(text, voice, spell=False):
    """espeak-ng's IPA for `text`: one string per clause line, phonemes joined by '_', words by spaces.
    spell: say the text's characters by name (SSML say-as), for a letter prompt such as Spanish "y"
    ("i griega", not the word "y")."""
    if spell:
        text = '<speak><say-as interpret-as="characters">%s</say-as></speak>' % html.escape(text)
    p = subprocess.run(['espeak-ng', '-q', '-v', voice, '--ipa', '--sep=_'] + (['-m'] if spell else []) + [text],
                       capture_output=True, text=True)
    if p.returncode:
        raise SystemExit('espeak-ng -v %s failed: %s' % (voice, p.stderr.strip()))
    return p.stdout


def table_for(voice):
    table = dict(IPA_TO_ARPABET)
    table.update(VOICE_OVERRIDES.get(voice.split('-')[0], {}))
    return table


def word_to_arpabet(word, table):
    """One espeak word ('k_ˈa_s_a') -> (list of ARPAbet phonemes, list of unmapped tokens)."""
    phones, unmapped = [], []
    for token in word.split('_'):
        token = token.translate(STRIP)
        if not token:
            continue
        arpa = table.get(token)
        if arpa is None:
            unmapped.append(token)
            continue
        for p in arpa.split():
            if not phones or phones[-1] != p:
                phones.append(p)
    return phones, unmapped


def ipa_to_arpabet(ipa, voice):
    """espeak output -> (phoneme string with ' | ' between words, Counter of unmapped tokens, reason or None).
    The reason is 'language switch (xx)' or 'unmapped IPA' (the string is then empty) or 'no phonemes'."""
    table = table_for(voice)
    words, unmapped = [], collections.Counter()
    for w in ipa.split():
        if '(' in w:
            lang = w[w.index('(') + 1:].split(')')[0]
            return '', unmapped, 'language switch (%s)' % lang
        phones, bad = word_to_arpabet(w, table)
        unmapped.update(bad)
        if phones:
            words.append(' '.join(phones))
    if unmapped:
        return '', unmapped, 'unmapped IPA'
    if not words:
        return '', unmapped, 'no phonemes'
    return ' | '.join(words), unmapped, None


def phonemize(text, voice, spell=False):
    """Text -> (ARPAbet string, Counter of unmapped tokens, drop reason or None, raw espeak IPA)."""
    ipa = espeak_ipa(text, voice, spell)
    phones, unmapped, reason = ipa_to_arpabet(ipa, voice)
    return phones, unmapped, reason, ' '.join(ipa.split())


def main():
    if len(sys.argv) != 3:
        raise SystemExit('usage: ipa_map.py VOICE TEXT')
    phones, unmapped, reason, ipa = phonemize(sys.argv[2], sys.argv[1])
    print(phones if reason is None else 'dropped: %s %s (%s)' % (reason, dict(unmapped), ipa))


if __name__ == '__main__':
    main()
