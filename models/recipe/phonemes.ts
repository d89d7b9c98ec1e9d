/**
 * The acoustic model's output alphabet: the CTC blank, then CMUdict's 39 ARPAbet phonemes
 * (stress digits stripped). The order is the order of the output layer's rows.
 */
export const ARPABET = [
  'AA',
  'AE',
  'AH',
  'AO',
  'AW',
  'AY',
  'B',
  'CH',
  'D',
  'DH',
  'EH',
  'ER',
  'EY',
  'F',
  'G',
  'HH',
  'IH',
  'IY',
  'JH',
  'K',
  'L',
  'M',
  'N',
  'NG',
  'OW',
  'OY',
  'P',
  'R',
  'S',
  'SH',
  'T',
  'TH',
  'UH',
  'UW',
  'V',
  'W',
  'Y',
  'Z',
  'ZH',
] as const;

export const BLANK = '<blank>';
export const PHONEME_ALPHABET: string[] = [BLANK, ...ARPABET];
