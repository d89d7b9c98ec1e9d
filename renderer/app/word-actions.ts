/**
 * What a click on a word leads to: its popover (confidence, time, the decoder's alternatives), an
 * alternative replacing the word, and a spelled guess added to Settings → Pronunciations.
 */
import type { Settings } from '../host/host';
import type { TranscriptDocument } from './session/transcript-document';
import type { Banners } from './view/banners';
import type { TranscriptView } from './view/transcript-view';
import type { WordPopover } from './view/word-popover';
import { pronunciationOffer, withPronunciation } from './view/word-label';

export interface WordActionsDeps {
  doc: TranscriptDocument;
  popover: WordPopover;
  view(): TranscriptView;
  banners: Banners;
  settings(): Settings;
  changeSettings(patch: Partial<Settings>): Promise<void>;
  /** The transcript was edited: save it. */
  autosave(): void;
}

export class WordActions {
  constructor(private readonly deps: WordActionsDeps) {}

  showWord(id: number, index: number, anchor: HTMLElement): void {
    const { doc } = this.deps;
    const word = doc.find(id)?.words[index];
    if (!word) return;
    // a guess is added as the bare word: "incilopech", not the "Incilopech." the sentence shows
    const offer = pronunciationOffer(word);
    this.deps.popover.open({
      word,
      anchor,
      choose: (alternative) => {
        if (doc.replaceWord(id, index, alternative)) this.deps.autosave();
        this.deps.view().wordElement(id, index)?.focus();
      },
      pronunciation: offer
        ? { ...offer, add: () => void this.addPronunciation(offer.spelling, offer.line) }
        : undefined,
    });
  }

  /**
   * One click on a spelled guess: `spelling PH PH` becomes a line of Settings → Pronunciations (the recognizer
   * is rebuilt with it).
   */
  private async addPronunciation(spelling: string, line: string): Promise<void> {
    const { banners } = this.deps;
    const userLexicon = withPronunciation(this.deps.settings().userLexicon, line);
    if (userLexicon === null) {
      banners.show({
        id: 'pronunciation',
        tone: 'info',
        title: `“${spelling}” is already in your pronunciations`,
        detail: line,
        timeoutMs: 4000,
      });
      return;
    }
    await this.deps.changeSettings({ userLexicon });
    banners.show({
      id: 'pronunciation',
      tone: 'info',
      title: `Added “${spelling}” to your pronunciations`,
      detail: `Settings → Pronunciations: ${line}`,
      timeoutMs: 5000,
    });
  }
}
