// The JSON API's viewer (/api/v1/docs/, Swagger UI served by SAU itself) in
// Chromium under SAU's Content-Security-Policy: it draws every operation of
// the document, asks nothing of another host, and "Try it out" signs in.
//
//   cargo build -p sau && (cd e2e && node --test api_docs.test.mjs)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, startServer } from './lib.mjs';

const TIMEOUT = { timeout: 120_000 };

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the API viewer draws every operation from SAU alone, and tries sign-in', TIMEOUT, async () => {
  const { context, page } = await newPage(browser, server.url, 'es-GT');
  try {
    const origin = new URL(server.url).origin;
    const elsewhere = [];
    const refused = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.origin !== origin && url.protocol !== 'data:') elsewhere.push(r.url());
    });
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) refused.push(m.text());
    });

    const documentAnswer = await page.request.get('/api/v1/openapi.json');
    const document = await documentAnswer.json();
    const operations = Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0);

    await page.goto('/api/v1/docs/');
    await page.locator('.opblock').first().waitFor();
    assert.equal(await page.locator('.opblock').count(), operations);

    // Sign-in tried from the page (open for trying at once), with the demo
    // dispatcher: the answer shown is the token the server gave.
    const login = page.locator('#operations-auth-login');
    await login.locator('.opblock-summary-control').click();
    await login.locator('textarea.body-param__text').fill('{"login":"soporte","password":"soporte"}');
    await login.locator('.execute').click();
    const answer = login.locator('.live-responses-table .response .response-col_status').first();
    await answer.waitFor();
    assert.equal((await answer.innerText()).trim(), '200');
    assert.match(await login.locator('.live-responses-table .microlight').first().innerText(), /"token"/);

    assert.deepEqual(elsewhere, [], 'requests to other hosts');
    assert.deepEqual(refused, [], 'Content-Security-Policy refusals');
  } finally {
    await context.close();
  }
});
