// report: the printable report of one facility for the association's
// records — summary, counts by article and every device — laid out for
// paper by print.css.
import { api } from './api.js';
import { el, clear } from './dom.js';
import { t, loadCatalog, formatTime, article, byArticle } from './i18n.js';

const STATES = ['noncompliant', 'unknown', 'silent', 'compliant'];

async function start() {
  await loadCatalog();
  const main = document.getElementById('main');
  const nav = document.getElementById('report-nav');
  const id = new URLSearchParams(location.search).get('facility');
  try {
    const [session, fac, ov] = await Promise.all([api('GET', 'session'), api('GET', `facilities/${encodeURIComponent(id)}`), api('GET', 'overview')]);
    const f = ov.facilities.find((x) => String(x.id) === String(fac.facility.id));
    document.title = t('report.heading', { name: fac.facility.name });
    nav.appendChild(el('button', { type: 'button', onclick: () => window.print() }, t('report.print')));
    nav.appendChild(el('a', { href: `./#/facility/${fac.facility.id}` }, t('report.back')));
    main.appendChild(el('h1', { id: 'report-title' }, t('report.heading', { name: fac.facility.name })));
    main.appendChild(el('p', {}, t('report.date', { date: formatTime(fac.generated_at) }), ' / ', t('report.by', { name: session.admin.name })));
    main.appendChild(el('h2', {}, t('report.summary')));
    main.appendChild(el('table', { class: 'summary' }, el('tbody', {}, STATES.map((s) => el('tr', {}, el('th', { scope: 'row' }, t(`state.${s}`)), el('td', { class: 'num' }, f ? f.totals[s] : 0))))));
    if (f) {
      main.appendChild(el('h2', {}, t('report.articles')));
      main.appendChild(el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, ''), STATES.map((s) => el('th', { scope: 'col' }, t(`state.${s}`))))),
        el('tbody', {}, ov.articles.map((a) => el('tr', {}, el('th', { scope: 'row' }, article(a)), STATES.map((s) => el('td', { class: 'num' }, f.articles[a][s])))))));
    }
    main.appendChild(el('h2', {}, t('report.devices')));
    main.appendChild(el('table', { class: 'devices' }, el('thead', {}, el('tr', {}, [t('facility.col.hostname'), t('facility.col.state'), t('facility.col.failing'), t('facility.col.last_report'), t('facility.col.version')].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, fac.devices.map((d) => el('tr', {}, el('td', {}, d.hostname), el('td', {}, t(`state.${d.state}`)),
        el('td', {}, [...d.failing_articles].sort(byArticle).map((a) => article(a)).join(t('article.sep'))), el('td', {}, formatTime(d.last_report_at)), el('td', {}, d.agent_version))))));
  } catch (e) {
    clear(main);
    main.appendChild(el('p', { class: 'error' }, t('error.generic', { message: e.message })));
  }
  document.body.setAttribute('data-ready', '1');
}

start();
