// Browser checks of the built site, run with `node --test` in this folder.
//
// The site is built with folio under a sub-path (/folio/), served by a tiny
// static server on 127.0.0.1 with an ephemeral port, and driven with
// playwright-core against the system's Chromium (never a downloaded one).
// Without Chromium (or Java, for the Nu Html Checker) the suites skip and
// say why; with FOLIO_REQUIRE_BROWSER=1 (set by .ci/run) they fail instead.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { chromiumPath, launchChromium } from './chromium.mjs';

const require = createRequire(import.meta.url);
const here = import.meta.dirname;
const repo = resolve(here, '../..');
const required = process.env.FOLIO_REQUIRE_BROWSER === '1';
const BASE = '/folio/';
const PORTS = `${BASE}posts/email-server-ports-table/`;

function hasJava() {
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
}

function hasModules() {
  try {
    require.resolve('playwright-core');
    require.resolve('axe-core');
    return true;
  } catch {
    return false;
  }
}

/** A reason to skip, or a failure under FOLIO_REQUIRE_BROWSER=1. */
function missing(what) {
  const why = `${what}; skipped (set FOLIO_REQUIRE_BROWSER=1 to make this a failure)`;
  if (required) throw new Error(`FOLIO_REQUIRE_BROWSER=1 but ${what}`);
  console.log(`# ${why}`);
  return why;
}

const browserSkip = !hasModules()
  ? missing('node modules are not installed (run `npm ci --ignore-scripts` in tests/browser)')
  : !chromiumPath
    ? missing('Chromium was not found (apt-get install chromium, or set CHROMIUM)')
    : false;
const vnuSkip = !hasJava()
  ? missing('Java was not found (apt-get install default-jre-headless)')
  : !existsSync(join(here, 'node_modules/vnu-jar/build/dist/vnu.jar'))
    ? missing('vnu-jar is not installed (run `npm ci --ignore-scripts` in tests/browser)')
    : false;

/** Builds the site at `root` under /folio/ into `out`. */
function build(root, out) {
  const bin = process.env.FOLIO_BIN || join(repo, 'target/release/folio');
  const args = ['build', '--root', root, '--out', out, '--base-url', `http://127.0.0.1${BASE}`];
  if (existsSync(bin)) execFileSync(bin, args, { stdio: 'inherit' });
  else execFileSync('cargo', ['run', '--release', '--quiet', '--', ...args], { cwd: repo, stdio: 'inherit' });
}

/** Builds the site once, under /folio/, into a temporary folder. */
let site;
function buildSite() {
  if (site) return site;
  const dir = mkdtempSync(join(tmpdir(), 'folio-browser-'));
  const out = join(dir, 'public');
  build(repo, out);
  site = { dir, out };
  return site;
}

/** A folder holding only Markdown (no templates/, no static/, no
 *  _index.md), built once with folio's built-in theme. */
let bare;
const BARE_POST = `${BASE}posts/hi/`;
function buildBareSite() {
  if (bare) return bare;
  const dir = mkdtempSync(join(tmpdir(), 'folio-bare-'));
  mkdirSync(join(dir, 'content/posts'), { recursive: true });
  writeFileSync(join(dir, 'content/posts/hi.md'), [
    '---', 'title: Hi', 'date: 2024-05-01', 'tags: [hello, first steps]', 'categories: notes', '---', '',
    'Hello, *world*. A table:', '',
    '| Name | Count | Kind |', '|---|---|---|', '| apples | 3 | fruit or snack |', '| pears | 5 | fruit |', '',
    '## A heading', '', 'More text.', '',
  ].join('\n'));
  const out = join(dir, 'public');
  build(dir, out);
  bare = { dir, out };
  return bare;
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.svg': 'image/svg+xml', '.json': 'application/json', '.xml': 'application/xml', '.csv': 'text/csv' };

/** Serves `root` at BASE on 127.0.0.1; resolves to the origin. */
function serve(root) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = path.startsWith(BASE) ? join(root, path.slice(BASE.length)) : null;
    if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file || !file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      res.end(readFileSync(join(root, '404.html')));
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () =>
    ok({ server, origin: `http://127.0.0.1:${server.address().port}` })));
}

describe('in a real browser', { skip: browserSkip }, () => {
  let browser, server, origin, bareServer, bareOrigin;
  const problems = [];

  before(async () => {
    ({ server, origin } = await serve(buildSite().out));
    ({ server: bareServer, origin: bareOrigin } = await serve(buildBareSite().out));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    server?.close();
    bareServer?.close();
  });

  /** A fresh page of the site at `at` (the real site's origin unless
   *  told); console errors, page errors and requests that leave the site
   *  are collected into `problems`. */
  async function open(path, options = {}, at = origin) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, ...options });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`${path}: console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`${path}: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(at) && !r.url().startsWith('data:')) problems.push(`${path}: request to ${r.url()}`);
    });
    await page.goto(at + path);
    return page;
  }

  const visibleIds = (page) => page.$$eval('#table-ports tbody tr',
    (rows) => rows.filter((r) => r.checkVisibility()).map((r) => r.id));
  const query = (page) => new URL(page.url()).searchParams.toString();

  test('protocol filter shows only that protocol, and the URL keeps it across a reload', async () => {
    const page = await open(PORTS);
    await page.getByRole('button', { name: 'SMTP', exact: true }).click();
    assert.deepEqual(await visibleIds(page), ['port-25', 'port-587', 'port-465']);
    assert.equal(query(page), 'protocol=SMTP');
    assert.match(await page.locator('[data-status]').textContent(), /3 of 7/);
    await page.reload();
    assert.deepEqual(await visibleIds(page), ['port-25', 'port-587', 'port-465']);
    assert.equal(await page.getByRole('button', { name: 'SMTP', exact: true }).getAttribute('aria-pressed'), 'true');
    await page.getByRole('button', { name: 'All', exact: true }).click();
    assert.equal((await visibleIds(page)).length, 7);
    assert.equal(query(page), '');
    await page.context().close();
  });

  test('"implicit TLS only" keeps the ports encrypted from the first byte', async () => {
    const page = await open(PORTS);
    await page.getByLabel('Implicit TLS only').check();
    assert.deepEqual(await visibleIds(page), ['port-465', 'port-993', 'port-995']);
    assert.equal(query(page), 'tls=1');
    await page.getByRole('button', { name: 'POP3', exact: true }).click();
    assert.deepEqual(await visibleIds(page), ['port-995']);
    await page.context().close();
  });

  test('search narrows the rows: "993" and "imap ssl"', async () => {
    const page = await open(PORTS);
    const box = page.getByRole('searchbox', { name: 'Search the ports' });
    await box.pressSequentially('993');
    assert.deepEqual(await visibleIds(page), ['port-993']);
    await box.fill('');
    await box.pressSequentially('imap ssl');
    assert.deepEqual(await visibleIds(page), ['port-993']);
    assert.equal(query(page), 'q=imap+ssl');
    await box.fill('no such port');
    assert.deepEqual(await visibleIds(page), []);
    assert.match(await page.locator('[data-status]').textContent(), /No port matches/);
    await page.reload();
    assert.equal(await box.inputValue(), 'no such port');
    await page.context().close();
  });

  test('columns sort, ascending then descending, and the sort is in the URL', async () => {
    const page = await open(PORTS);
    const header = page.getByRole('button', { name: 'Ports' });
    await header.click();
    assert.deepEqual(await visibleIds(page),
      ['port-25', 'port-110', 'port-143', 'port-465', 'port-587', 'port-993', 'port-995']);
    assert.equal(await page.locator('th[data-key=port]').getAttribute('aria-sort'), 'ascending');
    await header.click();
    assert.equal((await visibleIds(page))[0], 'port-995');
    assert.equal(query(page), 'sort=-0');
    await page.reload();
    assert.equal((await visibleIds(page))[0], 'port-995');
    await page.getByRole('button', { name: 'Protocol' }).click();
    assert.deepEqual((await visibleIds(page)).slice(0, 2), ['port-143', 'port-993']);
    await page.context().close();
  });

  test('a deep link to #port-993 targets and shows the row, even past a filter', async () => {
    for (const path of [`${PORTS}#port-993`, `${PORTS}?protocol=SMTP#port-993`]) {
      const page = await open(path, { viewport: { width: 1200, height: 600 } });
      const row = page.locator('#port-993');
      assert.ok(await row.evaluate((r) => r.matches(':target')), path);
      await page.waitForFunction(() => {
        const box = document.getElementById('port-993').getBoundingClientRect();
        return box.top >= 0 && box.bottom <= innerHeight;
      });
      assert.ok(await row.isVisible(), path);
      await page.context().close();
    }
  });

  test('the copy-link control copies the row address', async () => {
    const page = await open(PORTS);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.locator('#port-465 a.copy').click();
    assert.match(page.url(), /#port-465$/);
    await page.waitForFunction(() => document.querySelector('[data-status]').textContent === 'Link copied');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${origin}${PORTS}#port-465`);
    await page.context().close();
  });

  test('with JavaScript off the full table reads well and no control is dead', async () => {
    const page = await open(PORTS, { javaScriptEnabled: false });
    assert.equal((await visibleIds(page)).length, 7);
    assert.equal(await page.locator('.tools').isVisible(), false);
    const buttons = await page.$$eval('main button, main input',
      (els) => els.filter((e) => e.checkVisibility()).length);
    assert.equal(buttons, 0, 'no visible button or input without JavaScript');
    assert.deepEqual(await page.$$eval('#table-ports th', (ths) => ths.map((th) => th.innerText.trim().toLowerCase())),
      ['ports', 'protocol', 'service', 'security', 'authentication', 'direction', 'standards']);
    assert.equal(await page.locator('.quick').isVisible(), true);
    await page.context().close();
  });

  test('nothing scrolls sideways at 360 px, with and without JavaScript', async () => {
    for (const javaScriptEnabled of [true, false]) {
      for (const path of [BASE, PORTS]) {
        const page = await open(path, { viewport: { width: 360, height: 740 }, javaScriptEnabled });
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 360, `${path} (js ${javaScriptEnabled}) is ${width}px wide`);
        await page.context().close();
      }
    }
  });

  test('no layout shift when the script starts', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await context.addInitScript(() => {
      window.__shift = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    for (const width of [1200, 360]) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 800 });
      await page.goto(origin + PORTS);
      await page.waitForLoadState('load');
      await page.waitForTimeout(300);
      assert.equal(await page.evaluate(() => window.__shift), 0, `CLS at ${width}px`);
    }
    await context.close();
  });

  test('print hides the controls and prints every row', async () => {
    const page = await open(`${PORTS}?protocol=POP3`);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.tools').isVisible(), false);
    assert.equal((await visibleIds(page)).length, 7);
    await page.context().close();
  });

  const sites = [
    ['the real site', [BASE, PORTS], () => origin],
    ['a bare folder (built-in theme)', [BASE, BARE_POST, `${BASE}tags/`, `${BASE}tags/hello/`, `${BASE}404.html`],
      () => bareOrigin],
  ];
  test('a bare folder gets the built-in theme: styled, with its stylesheet loaded', async () => {
    const page = await open(BARE_POST, {}, bareOrigin);
    assert.equal(await page.locator('main article.post h1').textContent(), 'Hi');
    const maxWidth = await page.locator('main').evaluate((m) => getComputedStyle(m).maxWidth);
    assert.notEqual(maxWidth, 'none', 'the theme stylesheet did not apply');
    assert.equal(await page.locator('table th').count(), 3);
    await page.context().close();
  });

  for (const [name, paths, at] of sites) for (const colorScheme of ['light', 'dark']) {
    for (const path of paths) {
      test(`axe-core finds no violations on ${path} of ${name} (${colorScheme})`, async () => {
        const page = await open(path, { colorScheme }, at());
        await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
        const result = await page.evaluate(() => window.axe.run(document));
        const report = result.violations.map((v) =>
          `${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}`).join('\n')}`);
        assert.deepEqual(report, []);
        await page.context().close();
      });
    }
  }

  test('no console error, page error or outside request on any page visited', () => {
    assert.deepEqual(problems, []);
  });
});

describe('the Nu Html Checker', { skip: vnuSkip }, () => {
  test('finds 0 errors in every page of the site', () => {
    const { out } = buildSite();
    const jar = join(here, 'node_modules/vnu-jar/build/dist/vnu.jar');
    const run = spawnSync('java', ['-jar', jar, '--errors-only', '--skip-non-html', out], { encoding: 'utf8' });
    assert.equal(run.status, 0, `vnu reported:\n${run.stderr}${run.stdout}`);
  });

  test('finds 0 errors in every page of a bare folder built with the built-in theme', () => {
    const { out } = buildBareSite();
    assert.ok(existsSync(join(out, 'posts/hi/index.html')));
    const jar = join(here, 'node_modules/vnu-jar/build/dist/vnu.jar');
    const run = spawnSync('java', ['-jar', jar, '--errors-only', '--skip-non-html', out], { encoding: 'utf8' });
    assert.equal(run.status, 0, `vnu reported:\n${run.stderr}${run.stdout}`);
  });
});

after(() => {
  if (site) rmSync(site.dir, { recursive: true, force: true });
  if (bare) rmSync(bare.dir, { recursive: true, force: true });
});
