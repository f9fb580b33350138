// app: the dashboard's pages — login, password change, overview,
// facility, device, administrators — switched by the URL's #fragment.
// Every page reads the API; the API decides what this person may see.
import { api, ApiError, setCsrf } from './api.js';
import { el, clear } from './dom.js';
import { t, pick, loadCatalog, currentLang, setLang, formatTime, article, byArticle } from './i18n.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
let me = null;          // the logged-in administrator
let checkTitles = {};   // check id → {ja, en}
let notice = '';        // one message shown on the next page

const STATES = ['noncompliant', 'unknown', 'silent', 'compliant'];

function errorText(e) {
  if (e instanceof ApiError && e.key) {
    const k = `error.${e.key}`;
    const s = t(k);
    if (s !== k) return s;
  }
  return t('error.generic', { message: e.message });
}

function badge(state, text) {
  return el('span', { class: `badge ${state}` }, text !== undefined ? text : t(`state.${state}`));
}

function verdictBadge(v) {
  const cls = { pass: 'compliant', fail: 'noncompliant', unknown: 'unknown', not_applicable: 'na' }[v] || v;
  return el('span', { class: `badge ${cls}` }, t(`verdict.${v}`));
}

function flash(container) {
  if (notice) {
    container.appendChild(el('p', { class: 'notice', role: 'status' }, notice));
    notice = '';
  }
}

function table(head, rows, cls) {
  return el('table', { class: cls || '' },
    el('thead', {}, el('tr', {}, head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows));
}

function renderNav() {
  clear(nav);
  const langBtn = el('button', { type: 'button', id: 'lang', class: 'link', onclick: async () => {
    setLang(currentLang() === 'ja' ? 'en' : 'ja');
    await loadCatalog();
    document.title = t('app.title');
    renderNav();
    route();
  } }, t('lang.switch'));
  nav.appendChild(langBtn);
  if (!me) return;
  nav.appendChild(el('a', { href: '#/' }, t('nav.overview')));
  if (me.role === 'association') nav.appendChild(el('a', { href: '#/admin', id: 'nav-admin' }, t('nav.admin')));
  nav.appendChild(el('span', { class: 'who', id: 'who' }, t('nav.user', { name: me.name, role: t(`role.${me.role}`) })));
  nav.appendChild(el('button', { type: 'button', id: 'logout', class: 'link', onclick: logout }, t('nav.logout')));
  document.getElementById('app-title').textContent = t('app.title');
  document.getElementById('app-subtitle').textContent = t('app.subtitle');
}

async function logout() {
  try {
    await api('DELETE', 'session');
  } catch (e) { /* the session is gone either way */ }
  me = null;
  setCsrf('');
  notice = t('login.logged_out');
  renderNav();
  // A change of the fragment routes by itself (hashchange); route once.
  if (location.hash !== '#/' && location.hash !== '') location.hash = '#/';
  else route();
}

function field(label, input) {
  return el('label', { class: 'field' }, el('span', {}, label), input);
}

function showError(form, e) {
  let p = form.querySelector('.error');
  if (!p) {
    p = el('p', { class: 'error', role: 'alert' });
    form.appendChild(p);
  }
  p.textContent = typeof e === 'string' ? e : errorText(e);
}

function loginPage() {
  clear(main);
  const name = el('input', { name: 'name', id: 'login-name', autocomplete: 'username', required: true });
  const pw = el('input', { name: 'password', id: 'login-password', type: 'password', autocomplete: 'current-password', required: true });
  const form = el('form', { class: 'card narrow', id: 'login-form' },
    el('h2', {}, t('login.heading')), field(t('login.name'), name), field(t('login.password'), pw),
    el('button', { type: 'submit' }, t('login.submit')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const r = await api('POST', 'session', { name: name.value, password: pw.value });
      me = r.admin;
      setCsrf(r.csrf);
      renderNav();
      route();
    } catch (e) {
      showError(form, e);
    }
  });
  flash(main);
  main.appendChild(form);
  name.focus();
}

function passwordPage() {
  clear(main);
  const cur = el('input', { type: 'password', id: 'pw-current', autocomplete: 'current-password', required: true });
  const nw = el('input', { type: 'password', id: 'pw-new', autocomplete: 'new-password', required: true });
  const again = el('input', { type: 'password', id: 'pw-again', autocomplete: 'new-password', required: true });
  const form = el('form', { class: 'card narrow', id: 'password-form' },
    el('h2', {}, t('password.heading')), el('p', {}, t('password.why')), el('p', { class: 'hint' }, t('password.rule')),
    field(t('password.current'), cur), field(t('password.new'), nw), field(t('password.confirm'), again),
    el('button', { type: 'submit' }, t('password.submit')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (nw.value !== again.value) return showError(form, t('password.mismatch'));
    try {
      const r = await api('POST', 'password', { current: cur.value, new: nw.value });
      me = r.admin;
      notice = t('password.done');
      route();
    } catch (e) {
      showError(form, e);
    }
  });
  main.appendChild(form);
}

async function loadChecks() {
  if (Object.keys(checkTitles).length) return;
  const r = await api('GET', 'checks');
  for (const c of r.checks) checkTitles[c.id] = c.title;
}

function checkTitle(id) {
  return checkTitles[id] ? pick(checkTitles[id]) : id;
}

function counts(obj) {
  return el('span', { class: 'counts' }, STATES.filter((s) => obj[s] > 0).map((s) =>
    badge(s, `${t(`state.${s}`)} ${obj[s]}`)));
}

async function overviewPage() {
  const data = await api('GET', 'overview');
  clear(main);
  flash(main);
  const head = [t('overview.facility'), t('overview.devices'),
    ...data.articles.map((a) => article(a))];
  // The device totals sit under the facility's name: thirteen articles
  // must fit beside it on an office screen.
  const rows = data.facilities.map((f) => el('tr', { 'data-facility': f.id },
    el('th', { scope: 'row', class: 'facility' }, el('a', { href: `#/facility/${f.id}` }, f.name), el('div', {}, counts(f.totals))),
    el('td', { class: 'num' }, f.devices),
    data.articles.map((a) => {
      const c = f.articles[a];
      const worst = STATES.find((s) => c[s] > 0);
      return el('td', { class: `cell ${worst || 'empty'}`, title: STATES.map((s) => `${t(`state.${s}`)} ${c[s]}`).join(' / ') },
        STATES.filter((s) => s !== 'compliant' && c[s] > 0).map((s) => el('span', { class: `n ${s}` }, c[s])),
        c.compliant > 0 ? el('span', { class: 'n compliant' }, c.compliant) : null);
    })));
  main.appendChild(el('section', { class: 'card' },
    el('h2', {}, t('overview.heading')),
    el('p', { class: 'hint' }, t('overview.legend')),
    el('div', { class: 'legend' }, STATES.map((s) => badge(s))),
    data.facilities.length ? el('div', { class: 'scroll' }, table(head, rows, 'overview')) : el('p', {}, t('overview.none'))));
  if (me.role === 'association') {
    main.appendChild(el('section', { class: 'card' }, el('h2', {}, t('export.heading')),
      el('a', { class: 'button', id: 'export-all', href: '/api/v1/export/current.csv', download: '' }, t('export.all'))));
  }
}

const SORTS = {
  worst: (a, b) => STATES.indexOf(a.state) - STATES.indexOf(b.state) || b.failing_articles.length - a.failing_articles.length || a.hostname.localeCompare(b.hostname),
  hostname: (a, b) => a.hostname.localeCompare(b.hostname),
  last_report: (a, b) => String(a.last_report_at || '').localeCompare(String(b.last_report_at || '')),
};

async function facilityPage(id) {
  const data = await api('GET', `facilities/${id}`);
  const tokens = await api('GET', `facilities/${id}/tokens`);
  clear(main);
  flash(main);
  const state = el('select', { id: 'filter-state' }, ['all', ...STATES].map((s) => el('option', { value: s }, t(`state.${s}`))));
  const text = el('input', { id: 'filter-text', type: 'search', placeholder: t('facility.filter.text') });
  const sort = el('select', { id: 'sort' }, Object.keys(SORTS).map((s) => el('option', { value: s }, t(`facility.sort.${s}`))));
  const tbody = el('tbody', {});
  const count = el('p', { class: 'hint', id: 'device-count' });
  const draw = () => {
    const q = text.value.trim().toLowerCase();
    const list = data.devices.filter((d) => (state.value === 'all' || d.state === state.value) &&
      (!q || d.hostname.toLowerCase().includes(q))).sort(SORTS[sort.value]);
    clear(tbody);
    for (const d of list) {
      tbody.appendChild(el('tr', { 'data-device': d.device_id },
        el('th', { scope: 'row' }, el('a', { href: `#/device/${encodeURIComponent(d.device_id)}`, class: 'host' }, d.hostname || d.device_id)),
        el('td', {}, badge(d.state)),
        el('td', {}, [...d.failing_articles].sort(byArticle).map((a) => el('span', { class: 'article' }, article(a)))),
        el('td', { class: 'time' }, formatTime(d.last_report_at)),
        el('td', {}, d.agent_version)));
    }
    if (!list.length) tbody.appendChild(el('tr', {}, el('td', { colspan: 5 }, t('facility.none'))));
    count.textContent = t('facility.count', { shown: list.length, total: data.devices.length });
  };
  for (const c of [state, text, sort]) c.addEventListener('input', draw);
  const totals = {};
  for (const s of STATES) totals[s] = data.devices.filter((d) => d.state === s).length;
  main.appendChild(el('section', { class: 'card' },
    el('p', {}, el('a', { href: '#/' }, t('common.back_overview'))),
    el('h2', { id: 'facility-name' }, t('facility.heading', { name: data.facility.name })),
    el('div', { class: 'legend' }, counts(totals)),
    el('div', { class: 'filters' }, field(t('facility.filter.state'), state), field(t('facility.filter.text'), text), field(t('facility.sort'), sort)),
    count,
    el('div', { class: 'scroll' }, el('table', { class: 'devices', id: 'devices' },
      el('thead', {}, el('tr', {}, [t('facility.col.hostname'), t('facility.col.state'), t('facility.col.failing'), t('facility.col.last_report'), t('facility.col.version')].map((h) => el('th', { scope: 'col' }, h)))),
      tbody))));
  draw();
  main.appendChild(tokensSection(id, tokens.tokens));
  main.appendChild(exportSection(id));
}

function tokensSection(fid, list) {
  const uses = el('input', { id: 'token-uses', type: 'number', min: 1, max: 100000, value: 1 });
  const expires = el('select', { id: 'token-expires' }, ['1d', '7d', '30d'].map((v) => el('option', { value: v, selected: v === '7d' }, t(`tokens.expires.${v}`))));
  const shown = el('div', { id: 'token-shown' });
  const form = el('form', { class: 'inline', id: 'token-form' }, field(t('tokens.uses'), uses), field(t('tokens.expires'), expires),
    el('button', { type: 'submit' }, t('tokens.create')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const r = await api('POST', `facilities/${fid}/tokens`, { uses: Number(uses.value), expires: expires.value });
      notice = '';
      await facilityPage(fid);
      const box = document.getElementById('token-shown');
      box.appendChild(el('div', { class: 'notice' }, el('p', {}, t('tokens.created')), el('code', { id: 'new-token', class: 'token' }, r.token),
        el('p', {}, t('tokens.command')), el('code', { class: 'token' }, `sudo mamori enroll --server ${location.origin} --token ${r.token}`)));
    } catch (e) {
      showError(form, e);
    }
  });
  const rows = list.map((k) => el('tr', { 'data-token': k.id },
    el('td', {}, el('code', {}, `${k.prefix}…`)),
    el('td', { class: 'num' }, `${k.uses_left}/${k.uses_total}`),
    el('td', {}, formatTime(k.expires_at)),
    el('td', { class: 'token-state' }, t(`tokens.state.${k.state}`)),
    el('td', {}, k.state === 'active' ? el('button', { type: 'button', class: 'danger revoke', onclick: async () => {
      if (!confirm(t('tokens.revoke.confirm', { prefix: k.prefix }))) return;
      try {
        await api('POST', `tokens/${k.id}/revoke`);
        await facilityPage(fid);
      } catch (e) {
        alert(errorText(e));
      }
    } }, t('tokens.revoke')) : null)));
  return el('section', { class: 'card', id: 'tokens' }, el('h2', {}, t('tokens.heading')), el('p', { class: 'hint' }, t('tokens.help')),
    form, shown,
    list.length ? table([t('tokens.col.prefix'), t('tokens.col.uses'), t('tokens.col.expires'), t('tokens.col.state'), ''], rows, 'tokens') : el('p', {}, t('tokens.none')));
}

function isoDay(d) {
  return d.toISOString().slice(0, 10);
}

function exportSection(fid) {
  const today = new Date();
  const from = el('input', { type: 'date', id: 'export-from', value: isoDay(new Date(today.getTime() - 30 * 86400000)) });
  const to = el('input', { type: 'date', id: 'export-to', value: isoDay(today) });
  const hist = el('a', { class: 'button', id: 'export-history', download: '' }, t('export.download'));
  const upd = () => hist.setAttribute('href', `/api/v1/export/history.csv?facility=${fid}&from=${from.value}&to=${to.value}`);
  from.addEventListener('input', upd);
  to.addEventListener('input', upd);
  upd();
  return el('section', { class: 'card', id: 'export' }, el('h2', {}, t('export.heading')),
    el('p', {}, el('a', { class: 'button', id: 'export-current', href: `/api/v1/export/current.csv?facility=${fid}`, download: '' }, t('export.current')),
      ' ', el('a', { class: 'button', id: 'print-report', href: `report.html?facility=${fid}` }, t('export.print'))),
    el('div', { class: 'inline' }, el('strong', {}, t('export.history')), field(t('export.from'), from), field(t('export.to'), to), hist));
}

async function devicePage(id) {
  await loadChecks();
  const d = await api('GET', `devices/${encodeURIComponent(id)}`);
  const dev = d.device;
  clear(main);
  flash(main);
  const info = el('dl', { class: 'facts' },
    el('dt', {}, t('device.facility')), el('dd', {}, el('a', { href: `#/facility/${dev.facility.id}` }, dev.facility.name)),
    el('dt', {}, t('device.state')), el('dd', {}, badge(dev.state)),
    el('dt', {}, t('device.last_report')), el('dd', {}, formatTime(dev.last_report_at)),
    el('dt', {}, t('device.enrolled')), el('dd', {}, formatTime(dev.enrolled_at)),
    el('dt', {}, t('device.sequence')), el('dd', {}, dev.sequence),
    el('dt', {}, t('device.id')), el('dd', {}, el('code', {}, dev.device_id)));
  const order = { fail: 0, unknown: 1, pass: 2, not_applicable: 3 };
  const checks = [...d.checks].sort((a, b) => (order[a.verdict] ?? 4) - (order[b.verdict] ?? 4));
  const checkRows = [];
  for (const c of checks) {
    checkRows.push(el('tr', { class: `check ${c.verdict}`, 'data-check': c.id },
      el('th', { scope: 'row' }, pick(c.title) || c.id, el('div', { class: 'hint' }, c.id)),
      el('td', {}, article(c.article)),
      el('td', {}, t(`severity.${c.severity}`)),
      el('td', {}, verdictBadge(c.verdict)),
      el('td', { class: 'time' }, formatTime(c.since))));
    const bad = c.findings.filter((f) => f.verdict === 'fail' || f.verdict === 'unknown');
    if (bad.length) {
      checkRows.push(el('tr', { class: 'findings' }, el('td', { colspan: 5 }, el('ul', {}, bad.map((f) => el('li', { class: 'finding' },
        el('strong', { class: 'subject' }, f.subject), ' ', verdictBadge(f.verdict),
        f.reason_text ? el('p', {}, el('span', { class: 'label' }, t('device.finding.reason')), pick(f.reason_text)) : null,
        f.remediation_text ? el('p', { class: 'remediation' }, el('span', { class: 'label' }, t('device.finding.fix')), pick(f.remediation_text)) : null))))));
    }
  }
  const hist = d.history.map((h) => el('tr', {},
    el('td', { class: 'time' }, formatTime(h.at)), el('td', {}, checkTitle(h.check_id)),
    el('td', {}, h.from ? verdictBadge(h.from) : t('device.history.first'), ' → ', verdictBadge(h.to))));
  const retire = el('button', { type: 'button', class: 'danger', id: 'retire', onclick: async () => {
    if (!confirm(t('device.retire.confirm', { hostname: dev.hostname }))) return;
    try {
      await api('POST', `devices/${encodeURIComponent(id)}/retire`);
      notice = t('device.retired');
      location.hash = `#/facility/${dev.facility.id}`;
    } catch (e) {
      alert(errorText(e));
    }
  } }, t('device.retire'));
  main.appendChild(el('section', { class: 'card' },
    el('p', {}, el('a', { href: `#/facility/${dev.facility.id}` }, dev.facility.name)),
    el('h2', { id: 'device-name' }, t('device.heading', { hostname: dev.hostname || dev.device_id })), info));
  main.appendChild(el('section', { class: 'card' }, el('h2', {}, t('device.checks')),
    checks.length ? el('div', { class: 'scroll' }, table([t('device.col.check'), t('device.col.article'), t('device.col.severity'), t('device.col.verdict'), t('device.col.since')], checkRows, 'checks'))
      : el('p', {}, t('device.no_report'))));
  main.appendChild(el('section', { class: 'card two' },
    el('div', { id: 'gaps' }, el('h3', {}, t('device.gaps')), d.gaps.length ? el('ul', {}, d.gaps.map((g) => el('li', {}, t('device.gaps.item', g), ' (', formatTime(g.at), ')'))) : el('p', { class: 'hint' }, t('device.gaps.none'))),
    el('div', { id: 'dropped' }, el('h3', {}, t('device.dropped')), d.dropped.length ? el('ul', {}, d.dropped.map((g) => el('li', {}, t('device.dropped.item', g), ' (', formatTime(g.at), ')'))) : el('p', { class: 'hint' }, t('device.dropped.none')))));
  main.appendChild(el('section', { class: 'card', id: 'history' }, el('h2', {}, t('device.history')),
    hist.length ? table([t('device.history.col.at'), t('device.history.col.check'), t('device.history.col.change')], hist, 'history') : el('p', {}, t('device.history.none'))));
  main.appendChild(el('section', { class: 'card' }, retire));
}

async function adminPage() {
  const [admins, facs, audit] = await Promise.all([api('GET', 'admins'), api('GET', 'facilities'), api('GET', 'audit')]);
  clear(main);
  flash(main);
  const facName = {};
  for (const f of facs.facilities) facName[f.id] = f.name;
  const rows = admins.admins.map((a) => el('tr', {}, el('td', {}, a.name), el('td', {}, t(`role.${a.role}`)),
    el('td', {}, a.facility_id ? facName[a.facility_id] || a.facility_id : ''), el('td', {}, formatTime(a.password_changed_at))));
  const name = el('input', { id: 'admin-name', required: true });
  const role = el('select', { id: 'admin-role' }, ['facility', 'association'].map((r) => el('option', { value: r }, t(`role.${r}`))));
  const fac = el('select', { id: 'admin-facility' }, facs.facilities.map((f) => el('option', { value: f.id }, f.name)));
  const pw = el('input', { id: 'admin-password', type: 'password', autocomplete: 'new-password', required: true });
  const form = el('form', { class: 'inline', id: 'admin-form' }, field(t('admin.name'), name), field(t('admin.role'), role),
    field(t('admin.facility'), fac), field(t('admin.password'), pw), el('button', { type: 'submit' }, t('admin.add')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api('POST', 'admins', { name: name.value, role: role.value, facility_id: role.value === 'facility' ? Number(fac.value) : null, password: pw.value });
      notice = t('admin.added');
      await adminPage();
    } catch (e) {
      showError(form, e);
    }
  });
  const fname = el('input', { id: 'facility-new-name', required: true });
  const fform = el('form', { class: 'inline', id: 'facility-form' }, field(t('facility.add.name'), fname), el('button', { type: 'submit' }, t('facility.add')));
  fform.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api('POST', 'facilities', { name: fname.value });
      notice = t('facility.added');
      await adminPage();
    } catch (e) {
      showError(fform, e);
    }
  });
  const arows = audit.entries.map((a) => el('tr', {}, el('td', {}, formatTime(a.at)), el('td', {}, a.admin),
    el('td', {}, t(`action.${a.action}`)), el('td', {}, a.target), el('td', {}, a.address)));
  main.appendChild(el('section', { class: 'card' }, el('h2', {}, t('admin.heading')),
    table([t('admin.col.name'), t('admin.col.role'), t('admin.col.facility'), t('admin.col.changed')], rows), form));
  main.appendChild(el('section', { class: 'card' }, el('h2', {}, t('facility.add')), fform));
  main.appendChild(el('section', { class: 'card', id: 'audit' }, el('h2', {}, t('audit.heading')),
    el('div', { class: 'scroll' }, table([t('audit.col.at'), t('audit.col.admin'), t('audit.col.action'), t('audit.col.target'), t('audit.col.address')], arows, 'audit'))));
}

async function route() {
  if (!me) return loginPage();
  if (me.must_change_password) return passwordPage();
  const h = location.hash.replace(/^#/, '') || '/';
  const m = h.match(/^\/(facility|device)\/([^/]+)$/);
  try {
    if (m && m[1] === 'facility') await facilityPage(m[2]);
    else if (m && m[1] === 'device') await devicePage(decodeURIComponent(m[2]));
    else if (h === '/admin' && me.role === 'association') await adminPage();
    else await overviewPage();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return;
    clear(main);
    main.appendChild(el('section', { class: 'card' }, el('p', { class: 'error', role: 'alert' }, errorText(e)),
      el('p', {}, el('a', { href: '#/' }, t('common.back_overview')))));
  }
}

window.addEventListener('mamori-logged-out', (ev) => {
  me = null;
  setCsrf('');
  notice = ev.detail === 'session_expired' ? t('login.expired') : '';
  renderNav();
  loginPage();
});
window.addEventListener('hashchange', route);

async function start() {
  await loadCatalog();
  document.title = t('app.title');
  try {
    const r = await api('GET', 'session');
    me = r.admin;
    setCsrf(r.csrf);
  } catch (e) {
    me = null;
    if (e instanceof ApiError && e.key === 'session_expired') notice = t('login.expired');
  }
  renderNav();
  document.getElementById('app-title').textContent = t('app.title');
  document.getElementById('app-subtitle').textContent = t('app.subtitle');
  await route();
  document.body.setAttribute('data-ready', '1');
}

start();
