/**
 * Past sessions (autosaved): newest first, each with its date, length and whether it was left
 * unfinished; Open loads it into the transcript, Rename edits its title in place (Enter saves,
 * Escape cancels), Delete asks once more, then removes it.
 */
import type { SessionSummary } from '../../host/host';

export interface HistoryDialogActions {
  open(id: string): void;
  remove(id: string): Promise<void>;
  /** Gives the session a new title (then the list is shown again). */
  rename(id: string, title: string): Promise<void>;
}

export class HistoryDialog {
  constructor(
    private readonly dialog: HTMLDialogElement,
    private readonly list: HTMLElement,
    private readonly actions: HistoryDialogActions,
  ) {
    dialog.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') event.stopPropagation();
    });
  }

  show(sessions: readonly SessionSummary[], currentId: string, canOpen: boolean): void {
    this.render(sessions, currentId, canOpen);
    if (!this.dialog.open) this.dialog.showModal();
  }

  close(): void {
    this.dialog.close();
  }

  render(sessions: readonly SessionSummary[], currentId: string, canOpen: boolean): void {
    if (sessions.length === 0) {
      const empty = document.createElement('p');
      empty.className = 'history-empty';
      empty.textContent = 'No saved sessions yet. Every final segment is saved as soon as it appears.';
      this.list.replaceChildren(empty);
      return;
    }
    const ul = document.createElement('ul');
    ul.className = 'history-list';
    for (const s of sessions) {
      const li = document.createElement('li');
      li.className = 'history-item';
      li.dataset.session = s.id;
      const text = document.createElement('div');
      text.className = 'history-text';
      const title = document.createElement('strong');
      title.textContent = s.title;
      const meta = document.createElement('span');
      meta.className = 'history-meta';
      const bits = [formatDate(s.updatedAt), `${s.segmentCount} segment${s.segmentCount === 1 ? '' : 's'}`];
      if (s.id === currentId) bits.push('open now');
      else if (!s.finished) bits.push('interrupted');
      meta.textContent = bits.join(' · ');
      text.append(title, meta);

      const rename = document.createElement('button');
      rename.type = 'button';
      rename.className = 'history-rename';
      rename.textContent = 'Rename';
      rename.setAttribute('aria-label', `Rename “${s.title}”`);
      rename.addEventListener('click', () => this.beginRename(s, title, rename));

      const open = document.createElement('button');
      open.type = 'button';
      open.className = 'history-open';
      open.textContent = 'Open';
      open.disabled = !canOpen || s.id === currentId;
      open.setAttribute('aria-label', `Open “${s.title}”`);
      open.addEventListener('click', () => this.actions.open(s.id));

      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'history-delete';
      remove.textContent = 'Delete';
      remove.disabled = !canOpen && s.id === currentId;
      remove.setAttribute('aria-label', `Delete “${s.title}”`);
      remove.addEventListener('click', () => {
        if (remove.dataset.confirm !== 'yes') {
          remove.dataset.confirm = 'yes';
          remove.textContent = 'Confirm delete';
          remove.setAttribute('aria-label', `Confirm: delete “${s.title}” for good`);
          return;
        }
        remove.disabled = true;
        void this.actions.remove(s.id);
      });
      li.append(text, rename, open, remove);
      ul.append(li);
    }
    this.list.replaceChildren(ul);
  }

  /** Swaps the title for a text field: Enter (or leaving the field) saves, Escape cancels. */
  private beginRename(session: SessionSummary, title: HTMLElement, button: HTMLButtonElement): void {
    const field = document.createElement('input');
    field.type = 'text';
    field.className = 'history-title-input';
    field.value = session.title;
    field.maxLength = 200;
    field.setAttribute('aria-label', `New title for “${session.title}”`);
    let done = false;
    const finish = (save: boolean): void => {
      if (done) return;
      done = true;
      const value = field.value.trim();
      field.replaceWith(title);
      button.disabled = false;
      if (save && value !== '' && value !== session.title) {
        title.textContent = value;
        void this.actions.rename(session.id, value);
      }
      button.focus();
    };
    field.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        finish(true);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation(); // cancel the rename, not close the dialog
        finish(false);
      }
    });
    field.addEventListener('blur', () => finish(true));
    title.replaceWith(field);
    button.disabled = true;
    field.focus();
    field.select();
  }
}

function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}
