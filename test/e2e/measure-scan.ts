// For the integrator's benchmark: how long from the end of a wedge-scanner burst (the Enter
// key) until the cart shows the change, measured inside the page with performance.now() and a
// MutationObserver on the cart. Logs in as the demo cashier (opening a shift if none is open).
import { launchChromium, loginToTill, newTillPage, widenWedgeWindow } from './till-page';

export async function measureScanToLine(url: string, codes: string[]): Promise<number[]> {
  await widenWedgeWindow(url);
  const browser = await launchChromium();
  try {
    // Registered before the app's own listeners, so it sees Enter even though the wedge
    // listener swallows the keys of a recognised scan.
    const page = await newTillPage(browser, url, () => {
      window.addEventListener(
        'keydown',
        (ev) => {
          if (ev.key === 'Enter') (window as unknown as { __enterAt: number }).__enterAt = performance.now();
        },
        true,
      );
    });
    await loginToTill(page, '1234');
    const out: number[] = [];
    for (const code of codes) {
      // Arm the observer: resolves with ms from Enter's keydown to the cart's next re-render
      // (a new line, or a changed line for a repeated code: the cart's updatedAt changes).
      await page.evaluate(() => {
        const w = window as unknown as { __scan?: Promise<number>; __enterAt: number };
        const cart = document.querySelector('[data-testid="cart"]')!;
        const before = cart.getAttribute('data-cart-updated');
        w.__enterAt = 0;
        w.__scan = new Promise<number>((resolve, reject) => {
          const obs = new MutationObserver(() => {
            const el = document.querySelector('[data-testid="cart"]');
            if (w.__enterAt > 0 && el && el.getAttribute('data-cart-updated') !== before) {
              const t1 = performance.now();
              obs.disconnect();
              resolve(t1 - w.__enterAt);
            }
          });
          obs.observe(document.body, {
            subtree: true,
            childList: true,
            attributes: true,
            attributeFilter: ['data-cart-updated'],
          });
          setTimeout(() => {
            obs.disconnect();
            reject(new Error('no cart change within 10 s (scan not recognised or rejected)'));
          }, 10_000);
        });
      });
      await page.keyboard.type(code, { delay: 5 });
      await page.keyboard.press('Enter');
      out.push(await page.evaluate(() => (window as unknown as { __scan: Promise<number> }).__scan));
    }
    return out;
  } finally {
    await browser.close();
  }
}
