// i18n: every word the dashboard shows comes from one catalog per
// language (i18n/ja.json, i18n/en.json). Japanese unless the person
// switched to English; the choice is kept in this browser.
let lang = 'ja';
let catalog = {};

export async function loadCatalog() {
  const saved = localStorage.getItem('mamori.lang');
  lang = saved === 'en' ? 'en' : 'ja';
  document.documentElement.lang = lang;
  const r = await fetch(`i18n/${lang}.json`, { cache: 'no-store' });
  catalog = await r.json();
}

export function currentLang() {
  return lang;
}

export function setLang(l) {
  localStorage.setItem('mamori.lang', l === 'en' ? 'en' : 'ja');
}

// t('facility.count', {shown: 3, total: 9}): the catalog's text with its
// {holes} filled; the key itself if the catalog lacks it.
export function t(key, vars) {
  const text = Object.prototype.hasOwnProperty.call(catalog, key) ? catalog[key] : key;
  return text.replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? String(vars[k]) : m));
}

// An article as the policy writes it: "15-3" → 第15条(3) / Art. 15(3);
// "15-3,16-1" (a check under two articles) → both, joined.
export function article(a) {
  return String(a).split(',').map((part) => {
    const [art, para] = part.split('-');
    return para === undefined ? t('article.whole', { art }) : t('article.part', { art, para });
  }).join(t('article.sep'));
}

// Articles in the policy's order: 15-2 before 15-10 before 16-1.
export function byArticle(a, b) {
  const [x1, x2] = String(a).split('-').map(Number);
  const [y1, y2] = String(b).split('-').map(Number);
  return x1 - y1 || (x2 || 0) - (y2 || 0);
}

// A check text from the API: {ja, en}.
export function pick(texts) {
  if (!texts) return '';
  return texts[lang] || texts.en || '';
}

export function formatTime(iso) {
  if (!iso || iso === '-') return t('common.never');
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
