/**
 * The README's pictures of the first-visit view, on a desktop (1280 × 900) and a phone (390 × 844): a bare
 * link opened in headless Chromium (Debian's, with SwiftShader for WebGPU), Play pressed, the run played to
 * the end and its claims checked, then the top of the page drawn.
 *
 *   npx tsx scripts/screenshots.ts          (writes docs/first-visit-desktop.png, docs/first-visit-phone.png)
 */
import { launchChromium, startVite } from '../test/support/chromium';

const vite = await startVite();
const browser = await launchChromium();
try {
  for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]] as const) {
    const page = await browser.newPage({ viewport });
    await page.goto(`${vite.url}/`);
    await page.locator('.start-network svg circle').first().waitFor({ timeout: 60_000 });
    await page.getByLabel('pace').selectOption({ label: 'as fast as possible' });
    await page.locator('.big-play').click();
    await page.waitForFunction(() => /^Claims: \d+ of \d+ hold$/.test(document.querySelector('.start .claims-head')?.textContent ?? ''), undefined, { timeout: 120_000 });
    await page.waitForTimeout(1500); // the static chart replaces the live one
    // the phone's picture starts at the figure (the text above it is the desktop picture's)
    if (name === 'phone') await page.locator('.start-figure').evaluate((el) => el.scrollIntoView());
    await page.screenshot({ path: `docs/first-visit-${name}.png` });
    await page.close();
  }
} finally {
  await browser.close();
  await vite.server.close();
}
