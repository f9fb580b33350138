// The dashboard in a real browser: Debian's headless Chromium driven by
// playwright-core, against a seeded collector (tests/e2e/dashboard_browser.sh
// starts it and passes BASE, the device ids and SHOTS). Speaks TAP.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';

const { BASE, SHOTS, PW, DEV_RECEPTION, DEV_HOUMON, DEV_SCRIPT } = process.env;
let n = 0;
let failed = 0;
function ok(cond, name, detail) {
  n += 1;
  if (cond) console.log(`ok ${n} - ${name}`);
  else {
    failed += 1;
    console.log(`not ok ${n} - ${name}`);
    if (detail) console.log(`# ${String(detail).split('\n').join('\n# ')}`);
  }
}
async function step(name, fn) {
  try {
    const r = await fn();
    ok(r !== false, name);
  } catch (e) {
    ok(false, name, e.stack || e.message);
  }
}

mkdirSync(SHOTS, { recursive: true });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const dialogs = [];

async function newPage() {
  const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo', acceptDownloads: true });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15000);
  page.on('dialog', async (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    if (d.type() === 'confirm') await d.accept();
    else await d.dismiss();
  });
  page.on('pageerror', (e) => dialogs.push(`pageerror: ${e.message}`));
  return page;
}

async function login(page, name, pw) {
  await page.goto(`${BASE}/`);
  await page.waitForSelector('#login-form');
  await page.fill('#login-name', name);
  await page.fill('#login-password', pw);
  await page.click('#login-form button[type=submit]');
}

const page = await newPage();

await step('the dashboard opens in Japanese with its login form', async () => {
  await page.goto(`${BASE}/`);
  await page.waitForSelector('#login-form');
  return (await page.textContent('#login-form h2')) === 'ログイン' && (await page.getAttribute('html', 'lang')) === 'ja';
});

await step('a wrong password is refused with a Japanese message', async () => {
  await page.fill('#login-name', 'assoc');
  await page.fill('#login-password', 'wrong-password1');
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#login-form .error');
  return (await page.textContent('#login-form .error')).includes('パスワードが違います');
});

await step('the association administrator logs in and sees every facility, worst first', async () => {
  await login(page, 'assoc', PW);
  await page.waitForSelector('table.overview');
  const names = await page.$$eval('table.overview tbody th a', (as) => as.map((a) => a.textContent));
  return names.length === 3 && names[0] === '松原クリニック' && names.includes('空の施設');
});

await step('the overview counts devices per article', async () => {
  const cell = await page.$$eval('table.overview tbody tr[data-facility="1"] td.cell.noncompliant', (c) => c.length);
  const who = await page.textContent('#who');
  return cell > 0 && who.includes('医師会管理者');
});
await page.screenshot({ path: `${SHOTS}/overview-ja.png`, fullPage: true });

await step('a <script> host name from a report is shown as text, never run', async () => {
  await page.click('table.overview a[href="#/facility/1"]');
  await page.waitForSelector('#devices tbody tr[data-device]');
  const text = await page.textContent(`#devices tr[data-device="${DEV_SCRIPT}"] a.host`);
  const title = await page.title();
  const injected = await page.$$eval('#main img[src="x"], #main script', (e) => e.length);
  return text.startsWith('<script>document.title="pwned"</script>') && title === 'mamori 管理画面' && injected === 0 &&
    !dialogs.some((d) => d.startsWith('alert'));
});

await step('the facility page filters and sorts its devices', async () => {
  await page.selectOption('#filter-state', 'silent');
  const silent = await page.$$eval('#devices tbody tr[data-device] a.host', (a) => a.map((x) => x.textContent));
  await page.selectOption('#filter-state', 'all');
  await page.fill('#filter-text', 'nurse');
  const nurse = await page.$$eval('#devices tbody tr[data-device] a.host', (a) => a.map((x) => x.textContent));
  await page.fill('#filter-text', '');
  await page.selectOption('#sort', 'hostname');
  const sorted = await page.$$eval('#devices tbody tr[data-device] a.host', (a) => a.map((x) => x.textContent));
  await page.selectOption('#sort', 'worst');
  return silent.join() === 'silent-pc' && nurse.join() === 'nurse-pc' && sorted.length === 4 && sorted[0].startsWith('<script>');
});
await page.screenshot({ path: `${SHOTS}/facility-ja.png`, fullPage: true });

await step('a noncompliant device leads to its remediation, in Japanese', async () => {
  await page.click(`#devices tr[data-device="${DEV_RECEPTION}"] a.host`);
  await page.waitForSelector('table.checks');
  const fixes = await page.$$eval('li.finding .remediation', (p) => p.map((x) => x.textContent));
  const heading = await page.textContent('#device-name');
  return heading === '端末 reception-pc' && fixes.length > 0 && fixes.every((f) => f.startsWith('対処方法') && /[ぁ-んァ-ン一-龥]/.test(f.slice(4)));
});

await step('the device page shows the history, the sequence gap and the dropped reports', async () => {
  const gaps = await page.textContent('#gaps');
  const dropped = await page.textContent('#dropped');
  const changes = await page.$$eval('#history tbody tr', (r) => r.length);
  return gaps.includes('報告 2 と 5 の間の 2 件') && dropped.includes('2 件') && changes > 5;
});
await page.screenshot({ path: `${SHOTS}/device-ja.png`, fullPage: true });

await step('a token is created, shown once, and revoked', async () => {
  await page.goto(`${BASE}/#/facility/1`);
  await page.waitForSelector('#token-form');
  await page.fill('#token-uses', '3');
  await page.click('#token-form button[type=submit]');
  await page.waitForSelector('#new-token');
  const token = await page.textContent('#new-token');
  const row = await page.$$eval('table.tokens tbody tr', (r) => r.length);
  await page.click('table.tokens tbody tr:last-child button.revoke');
  await page.waitForFunction(() => document.querySelector('table.tokens tbody tr:last-child .token-state')?.textContent === '無効');
  return /^mt1_[A-Za-z0-9_-]{43}$/.test(token) && row >= 2 && !(await page.textContent('#main')).includes(token);
});

await step('the CSV export downloads UTF-8 with a BOM and the facility\'s devices', async () => {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-current')]);
  const buf = readFileSync(await dl.path());
  const text = buf.toString('utf8');
  return buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf && text.includes(`,${DEV_RECEPTION},reception-pc,noncompliant,`) &&
    text.includes('松原クリニック') && !text.includes('houmon-pc') && dl.suggestedFilename().endsWith('.csv');
});

await step('the printable report lays the facility out for paper', async () => {
  const p2 = await page.context().newPage();
  await p2.goto(`${BASE}/report.html?facility=1`);
  await p2.waitForSelector('body[data-ready="1"]');
  const title = await p2.textContent('#report-title');
  const rows = await p2.$$eval('table.devices tbody tr', (r) => r.length);
  await p2.emulateMedia({ media: 'print' });
  const navHidden = await p2.$eval('#report-nav', (e) => getComputedStyle(e).display === 'none');
  await p2.pdf({ path: `${SHOTS}/report-facility1.pdf` }).catch(() => {});
  await p2.close();
  return title.includes('松原クリニック') && rows === 4 && navHidden;
});

await step('the language switches to English and back', async () => {
  await page.goto(`${BASE}/#/`);
  await page.waitForSelector('table.overview');
  await page.click('#lang');
  await page.waitForFunction(() => document.querySelector('#logout')?.textContent === 'Log out');
  const en = await page.textContent('#main h2');
  await page.click('#lang');
  await page.waitForFunction(() => document.querySelector('#logout')?.textContent === 'ログアウト');
  return en === 'Facilities by article';
});

await step('the audit log shows the token and the export', async () => {
  await page.click('#nav-admin');
  await page.waitForSelector('#audit tbody tr');
  const actions = await page.$$eval('#audit tbody tr td:nth-child(3)', (t) => t.map((x) => x.textContent));
  return actions.includes('トークン作成') && actions.includes('トークン無効化') && actions.includes('現状の出力');
});

await step('logging out returns to the login form, and the API refuses the old session', async () => {
  await page.click('#logout');
  await page.waitForSelector('#login-form');
  const r = await page.evaluate(async () => (await fetch('/api/v1/overview')).status);
  return r === 401 && (await page.textContent('#main .notice')) === 'ログアウトしました。';
});

const fac = await newPage();
await step('a facility administrator sees the own facility only', async () => {
  await login(fac, 'fac1', PW);
  await fac.waitForSelector('table.overview');
  const names = await fac.$$eval('table.overview tbody th a', (as) => as.map((a) => a.textContent));
  return names.join() === '松原クリニック' && (await fac.$('#nav-admin')) === null;
});

await step('another facility\'s page, by URL, says only "not found"', async () => {
  await fac.goto(`${BASE}/#/facility/2`);
  await fac.waitForSelector('#main .error');
  const msg = await fac.textContent('#main .error');
  const main = await fac.textContent('#main');
  return msg === '見つかりません。' && !main.includes('まつばら');
});

await step('another facility\'s device, report, export and token, by API, are 404', async () => {
  const codes = await fac.evaluate(async ([dev]) => {
    const s = await (await fetch('/api/v1/session')).json();
    const h = { 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json' };
    return [
      (await fetch(`/api/v1/devices/${dev}`)).status,
      (await fetch('/api/v1/export/current.csv?facility=2')).status,
      (await fetch('/api/v1/facilities/2/tokens')).status,
      (await fetch('/api/v1/facilities/2/tokens', { method: 'POST', headers: h, body: '{}' })).status,
      (await fetch(`/api/v1/devices/${dev}/retire`, { method: 'POST', headers: h })).status,
      (await fetch('/api/v1/audit')).status,
    ];
  }, [DEV_HOUMON]);
  return codes.join() === '404,404,404,404,404,403';
});

await step('no page raised a script error or an alert', async () => dialogs.every((d) => d.startsWith('confirm')) || (console.log(`# ${dialogs.join(' | ')}`), false));

await browser.close();
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
