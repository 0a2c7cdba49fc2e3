// `folio serve` in a real browser: a page reloads by itself after its
// Markdown is saved, and shows a build error in an overlay. Run with
// `node --test` in this folder (see site.test.mjs for the skip rules).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromiumPath, launchChromium } from './chromium.mjs';

const require = createRequire(import.meta.url);
const repo = resolve(import.meta.dirname, '../..');
const required = process.env.FOLIO_REQUIRE_BROWSER === '1';
const bin = process.env.FOLIO_BIN || join(repo, 'target/release/folio');

function skipReason() {
  let what = null;
  try { require.resolve('playwright-core'); } catch { what = 'node modules are not installed'; }
  if (!what && !chromiumPath) what = 'Chromium was not found';
  if (!what && !existsSync(bin)) what = `no folio binary at ${bin} (cargo build --release)`;
  if (!what) return false;
  if (required) throw new Error(`FOLIO_REQUIRE_BROWSER=1 but ${what}`);
  console.log(`# ${what}; skipped (set FOLIO_REQUIRE_BROWSER=1 to make this a failure)`);
  return what;
}

describe('folio serve in a real browser', { skip: skipReason() }, () => {
  let server, browser, origin, root, post;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'folio-serve-'));
    for (const dir of ['content', 'templates', 'static']) cpSync(join(repo, dir), join(root, dir), { recursive: true });
    post = join(root, 'content/posts/email-server-ports-table.md');
    server = spawn(bin, ['serve', '--port', '0', '--root', root], { stdio: ['ignore', 'ignore', 'pipe'] });
    origin = await new Promise((ok, fail) => {
      const lines = createInterface({ input: server.stderr });
      lines.on('line', (line) => {
        const m = line.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
        if (m) ok(`http://127.0.0.1:${m[1]}`);
      });
      server.on('exit', (code) => fail(new Error(`folio serve exited with ${code}`)));
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    server?.kill();
  });

  test('the page reloads by itself after the Markdown is saved', async () => {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/posts/email-server-ports-table/`);
    // Wait until the live-reload connection is open before editing.
    await page.waitForSelector('html[data-folio-live]', { timeout: 10000 });
    const original = readFileSync(post, 'utf8');
    const reloaded = page.waitForEvent('load', { timeout: 15000 });
    writeFileSync(post, original.replace('Here’s a table of the email server ports.',
      'Here’s a table of the email server ports, edited live.'));
    await reloaded;
    assert.match(await page.textContent('main'), /edited live/);
    writeFileSync(post, original);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a broken file shows an overlay, and fixing it reloads the page', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/posts/email-server-ports-table/`);
    await page.waitForSelector('html[data-folio-live]', { timeout: 10000 });
    const original = readFileSync(post, 'utf8');
    writeFileSync(post, original.replace('title: Email Server Ports Table', 'title: [unclosed'));
    const overlay = await page.waitForSelector('#folio-error', { timeout: 15000 });
    assert.match(await overlay.textContent(), /content\/posts\/email-server-ports-table\.md:\d+:\d+/);
    const reloaded = page.waitForEvent('load', { timeout: 15000 });
    writeFileSync(post, original);
    await reloaded;
    assert.equal(await page.$('#folio-error'), null);
    await page.close();
  });
});
