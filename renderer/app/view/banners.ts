/**
 * Error and notice banners above the transcript. One banner per `id` (a repeated problem updates
 * its banner instead of stacking), each dismissible, with optional actions. Banners live apart
 * from the transcript, so showing one never disturbs the text.
 *
 * Passing confirmations (an info with a timeout: "Exported", "Copied") appear as a toast in the
 * status bar instead, so they never push the live view down while someone dictates nor cover the
 * transcript. There is one toast at a time: a new one replaces the one before.
 */

export type BannerTone = 'error' | 'warning' | 'info';

export interface BannerSpec {
  id: string;
  tone: BannerTone;
  title: string;
  detail: string;
  /** Buttons beside the message; each dismisses the banner, then runs. The first is the main one. */
  actions?: BannerAction[];
  /** Dismiss by itself after this long (confirmations such as "Exported"); errors stay until dismissed. */
  timeoutMs?: number;
}

export interface BannerAction {
  label: string;
  run(): void;
}

export class Banners {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly container: HTMLElement,
    private readonly toasts: HTMLElement = container,
  ) {}

  show(spec: BannerSpec): void {
    const banner = document.createElement('div');
    banner.className = `banner banner-${spec.tone}`;
    banner.dataset.banner = spec.id;
    // errors interrupt (alert); notices wait their turn (status)
    banner.setAttribute('role', spec.tone === 'info' ? 'status' : 'alert');

    const body = document.createElement('div');
    body.className = 'banner-body';
    const title = document.createElement('strong');
    title.className = 'banner-title';
    title.textContent = spec.title;
    const detail = document.createElement('p');
    detail.className = 'banner-detail';
    detail.textContent = spec.detail;
    body.append(title, detail);
    banner.append(body);

    for (const [i, act] of (spec.actions ?? []).entries()) {
      const action = document.createElement('button');
      action.type = 'button';
      action.className = i === 0 ? 'banner-action primary' : 'banner-action';
      action.textContent = act.label;
      action.addEventListener('click', () => {
        this.dismiss(spec.id);
        act.run();
      });
      banner.append(action);
    }
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'banner-close';
    close.setAttribute('aria-label', `Dismiss: ${spec.title}`);
    close.textContent = '×';
    close.addEventListener('click', () => this.dismiss(spec.id));
    banner.append(close);

    const toast = spec.tone === 'info' && spec.timeoutMs !== undefined;
    if (toast) {
      banner.classList.add('toast');
      for (const other of this.toasts.querySelectorAll<HTMLElement>('.toast[data-banner]')) {
        if (other.dataset.banner !== spec.id) this.dismiss(other.dataset.banner!);
      }
    }
    const existing = this.find(spec.id);
    if (existing && existing.parentElement === (toast ? this.toasts : this.container)) existing.replaceWith(banner);
    else {
      existing?.remove();
      (toast ? this.toasts : this.container).append(banner);
    }
    clearTimeout(this.timers.get(spec.id));
    this.timers.delete(spec.id);
    if (spec.timeoutMs !== undefined) {
      this.timers.set(
        spec.id,
        setTimeout(() => {
          if (this.find(spec.id) === banner) this.dismiss(spec.id);
        }, spec.timeoutMs),
      );
    }
  }

  dismiss(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.find(id)?.remove();
  }

  private find(id: string): HTMLElement | null {
    const all = [
      ...this.container.querySelectorAll<HTMLElement>('[data-banner]'),
      ...this.toasts.querySelectorAll<HTMLElement>('[data-banner]'),
    ];
    return all.find((b) => b.dataset.banner === id) ?? null;
  }
}
