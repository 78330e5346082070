/**
 * Headless Firefox for the browser tests: Debian's /usr/bin/firefox-esr (installed by .ci/run), driven by
 * puppeteer-core over WebDriver BiDi. Firefox ESR has no WebGPU, so it is also the real "browser without
 * WebGPU". A missing browser fails the tests that need it; it never skips them.
 */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** Preferences that keep Firefox off the network (this machine has none beyond localhost). */
const QUIET_PREFS: Record<string, unknown> = {
  'app.update.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'extensions.update.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
};

export async function launchFirefox(): Promise<Browser> {
  if (!existsSync(FIREFOX)) throw new Error(`no Firefox at ${FIREFOX}: run .ci/run (it installs Debian's firefox-esr) or set FIREFOX_PATH`);
  return puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, extraPrefsFirefox: QUIET_PREFS });
}
