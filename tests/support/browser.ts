import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Debian's Chromium, headless, with the flags this machine needs (no sandbox as root, no
 * background networking: the network is closed). Never a downloaded browser.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface SideScrollOptions {
  /** The screen's width (default: the viewport's). */
  width?: number;
  /** Boxes that scroll inside themselves (a wide table's frame): only the box itself is measured, not what it holds. */
  scrollers?: string[];
}

/**
 * How wide the document is, and the elements that stick out of the screen (to say which).
 * Skipped: what is never seen — clipped screen-reader-only boxes (e.g. a chart's table) and
 * elements hidden by a closed <details> or `visibility` — and what sits inside a scroller.
 */
export function sideOverflow(page: Page, scrollers: string[] = []): Promise<{ scrollWidth: number; innerWidth: number; culprits: string[] }> {
  // Run in the page (a string: the tests are compiled without the DOM's types).
  return page.evaluate(`(() => {
    const scrollers = ${JSON.stringify(scrollers)};
    const culprits = [];
    for (const el of document.querySelectorAll('body *')) {
      if (scrollers.some((s) => el.parentElement && el.parentElement.closest(s))) continue;
      const rect = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (style.position === 'absolute' && style.clip !== 'auto') continue;
      if (el.closest('.visually-hidden')) continue;
      if (!el.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true })) continue;
      if (rect.width > 1 && rect.right > window.innerWidth + 1) {
        const id = el.getAttribute('data-testid') || String(el.className);
        culprits.push(el.tagName.toLowerCase() + (id ? '[' + id + ']' : '') + ' right=' + Math.round(rect.right));
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, culprits: culprits.slice(0, 8) };
  })()`);
}

/** The page does not scroll sideways, and nothing sticks out of the screen (`what` names the moment in a failure). */
export async function expectNoSideScroll(page: Page, what: string, options: SideScrollOptions = {}): Promise<void> {
  const result = await sideOverflow(page, options.scrollers);
  const width = options.width ?? result.innerWidth;
  expect(result.scrollWidth, `${what}: ${result.scrollWidth}px wide; ${result.culprits.join(', ')}`).toBeLessThanOrEqual(width);
  expect(result.culprits, what).toEqual([]);
}
