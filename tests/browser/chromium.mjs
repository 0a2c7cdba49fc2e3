// The system's Chromium, shared by the browser suites: where it is, and
// how to start it headless as root on a machine with no network (the
// background-networking flags stop it calling home at every start).

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The first of the usual Chromium paths that exists, or CHROMIUM. */
export const chromiumPath = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome'].filter(Boolean).find((p) => existsSync(p));

/** Starts headless Chromium with playwright-core. */
export function launchChromium() {
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
