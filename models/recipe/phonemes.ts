import { ARPABET_39 } from '../../renderer/engine';

/**
 * The acoustic model's output alphabet: the CTC blank, then CMUdict's 39 ARPAbet phonemes
 * (stress digits stripped; the engine's list, ARPABET_39 in renderer/engine/decoding/lexicon.ts).
 * The order is the order of the output layer's rows.
 */
export const BLANK = '<blank>';
export const PHONEME_ALPHABET: string[] = [BLANK, ...ARPABET_39];
