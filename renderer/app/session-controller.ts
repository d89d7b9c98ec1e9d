/**
 * The session the transcript belongs to: where each run's text goes (a file import gets a session of
 * its own), autosave, "New", History (open, rename, delete) and the offer to recover a session that
 * was cut short. The transcript itself is the TranscriptDocument; the stored record is the keeper's.
 */
import type { Host } from '../host/host';
import type { Timeline } from '../worker/protocol';
import { byId } from './dom';
import {
  newSessionRecord,
  parseStoredSegments,
  pickRecoverable,
  SessionKeeper,
  type StoredSession,
} from './session/session-keeper';
import type { TranscriptDocument } from './session/transcript-document';
import type { Banners } from './view/banners';
import { HistoryDialog } from './view/history-dialog';
import type { Spectrogram } from './view/spectrogram';
import type { WordPopover } from './view/word-popover';

export interface SessionControllerDeps {
  host: Host;
  doc: TranscriptDocument;
  banners: Banners;
  spectrogram: Spectrogram;
  popover: WordPopover;
  /** A run (microphone or file) is going on: sessions are not switched under it. */
  busy(): boolean;
}

export class SessionController {
  private readonly keeper: SessionKeeper;
  private readonly historyDialog: HistoryDialog;
  /** First segment id of the current run: segments from it on are the run's words. */
  private runFirstSegmentId = 0;

  constructor(private readonly deps: SessionControllerDeps) {
    const { banners } = deps;
    this.keeper = new SessionKeeper(deps.host.sessions, newSessionRecord(new Date()), (error) => {
      if (error)
        banners.show({
          id: 'autosave',
          tone: 'warning',
          title: 'Autosave failed',
          detail: `${error.message}. The transcript is still here; export it to keep a copy.`,
        });
      else banners.dismiss('autosave');
    });
    this.historyDialog = new HistoryDialog(byId<HTMLDialogElement>('history-dialog'), byId('history-list'), {
      open: (id) => void this.openSession(id),
      remove: (id) => this.deleteSession(id),
      rename: (id, title) => this.renameSession(id, title),
    });
  }

  /** The open session's title (export file names, the heading above the transcript). */
  get title(): string {
    return this.keeper.current.title;
  }

  /** A run (microphone or file) begins: mark the session in progress, say where the run's text goes. */
  beginRun(fileName: string | null): Timeline {
    const { doc, spectrogram, popover } = this.deps;
    if (fileName !== null) {
      // an imported file gets its own session, named after it (the current one stays in History)
      if (!doc.isEmpty) this.openNewSession(fileName);
      else {
        // an empty session (a silent import, a recording without speech) is reused, but not its
        // clock: the file's words are timed from 00:00, as in a session of its own
        doc.load([]);
        this.keeper.rename(fileName);
      }
      this.renderTitle();
    }
    spectrogram.clear();
    popover.close(false);
    void this.keeper.save(doc.segments, doc.audioSeconds, { finished: false });
    const timeline = doc.nextTimeline();
    this.runFirstSegmentId = timeline.firstSegmentId;
    return timeline;
  }

  /** Whether the current (or just ended) run added any words to the transcript. */
  runHeardWords(): boolean {
    return this.deps.doc.segments.some((s) => s.id >= this.runFirstSegmentId);
  }

  autosave(): void {
    void this.keeper.save(this.deps.doc.segments, this.deps.doc.audioSeconds);
  }

  /** A run ended: the session is saved as finished (nothing to recover). */
  saveFinished(): void {
    void this.keeper.save(this.deps.doc.segments, this.deps.doc.audioSeconds, { finished: true });
  }

  /** "New": only between runs. */
  newSession(): void {
    if (!this.deps.busy()) this.openNewSession();
  }

  private openNewSession(title?: string): void {
    this.keeper.open(newSessionRecord(new Date(), title));
    this.deps.doc.load([]);
    this.deps.spectrogram.clear();
    this.deps.popover.close(false);
    this.renderTitle();
  }

  async offerRecovery(): Promise<void> {
    const { host, banners } = this.deps;
    const sessions = await host.sessions.list().catch(() => []);
    const candidate = pickRecoverable(sessions);
    if (!candidate) return;
    banners.show({
      id: 'recover',
      tone: 'warning',
      title: 'Recover your last session?',
      detail: `Earshot stopped while “${candidate.title}” was being transcribed. ${candidate.segmentCount} segment${candidate.segmentCount === 1 ? ' was' : 's were'} saved.`,
      actions: [
        { label: 'Recover', run: () => void this.openSession(candidate.id) },
        {
          label: 'Not now',
          run: () =>
            void host.sessions
              .read(candidate.id)
              .then((record) => (record ? host.sessions.write({ ...record, finished: true }) : undefined))
              .catch(() => undefined),
        },
      ],
    });
  }

  private async openSession(id: string): Promise<void> {
    const { host, doc, banners } = this.deps;
    if (this.deps.busy()) return;
    const record: StoredSession | null = await host.sessions.read(id).catch(() => null);
    if (!record) {
      banners.show({
        id: 'history',
        tone: 'error',
        title: 'That session could not be opened',
        detail: 'It may have been deleted or damaged.',
      });
      return;
    }
    const segments = parseStoredSegments(record.segments);
    this.keeper.open({ ...record, finished: true });
    this.keeper.markWritten();
    doc.load(segments, typeof record.audioSeconds === 'number' ? record.audioSeconds : undefined);
    this.deps.spectrogram.clear();
    this.renderTitle();
    banners.dismiss('recover');
    this.historyDialog.close();
    void this.keeper.save(doc.segments, doc.audioSeconds, { finished: true });
    banners.show({
      id: 'history',
      tone: 'info',
      title: `Opened “${record.title}”`,
      detail: `${segments.length} segment${segments.length === 1 ? '' : 's'}. New recordings continue this session.`,
      timeoutMs: 5000,
    });
  }

  private async deleteSession(id: string): Promise<void> {
    try {
      await this.deps.host.sessions.remove(id);
    } catch (error) {
      this.deps.banners.show({
        id: 'history',
        tone: 'error',
        title: 'Could not delete the session',
        detail: error instanceof Error ? error.message : String(error),
      });
    }
    if (id === this.keeper.current.id) this.newSession();
    await this.showHistory();
  }

  /** Renames a session from History (the open one too: its title above the transcript follows). */
  private async renameSession(id: string, title: string): Promise<void> {
    const { host, doc } = this.deps;
    const clean = title.replace(/\s+/g, ' ').trim().slice(0, 200);
    if (clean !== '') {
      try {
        if (id === this.keeper.current.id) {
          this.keeper.rename(clean);
          this.renderTitle();
          await this.keeper.save(doc.segments, doc.audioSeconds);
        } else {
          const record = await host.sessions.read(id);
          if (!record) throw new Error('It may have been deleted.');
          await host.sessions.write({ ...record, title: clean });
        }
      } catch (error) {
        this.deps.banners.show({
          id: 'history',
          tone: 'error',
          title: 'Could not rename the session',
          detail: error instanceof Error ? error.message : String(error),
        });
      }
    }
    await this.showHistory();
  }

  async showHistory(): Promise<void> {
    const sessions = await this.deps.host.sessions.list().catch(() => []);
    this.historyDialog.show(sessions, this.keeper.current.id, !this.deps.busy());
  }

  renderTitle(): void {
    byId('session-title').textContent = this.keeper.current.title;
  }
}
