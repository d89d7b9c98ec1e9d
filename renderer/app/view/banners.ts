/**
 * Error and notice banners above the transcript. One banner per `id` (a repeated problem updates
 * its banner instead of stacking), each dismissible, with an optional action. Banners live apart
 * from the transcript, so showing one never disturbs the text.
 */

export type BannerTone = 'error' | 'warning' | 'info';

export interface BannerSpec {
  id: string;
  tone: BannerTone;
  title: string;
  detail: string;
  action?: { label: string; run(): void };
}

export class Banners {
  constructor(private readonly container: HTMLElement) {}

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

    if (spec.action) {
      const { label, run } = spec.action;
      const action = document.createElement('button');
      action.type = 'button';
      action.className = 'banner-action';
      action.textContent = label;
      action.addEventListener('click', () => {
        this.dismiss(spec.id);
        run();
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

    const existing = this.find(spec.id);
    if (existing) existing.replaceWith(banner);
    else this.container.append(banner);
  }

  dismiss(id: string): void {
    this.find(id)?.remove();
  }

  private find(id: string): HTMLElement | null {
    return [...this.container.querySelectorAll<HTMLElement>('[data-banner]')].find((b) => b.dataset.banner === id) ?? null;
  }
}
