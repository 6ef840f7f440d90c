// The page's words in the reader's language. English is what index.html and app.js write; every
// other language is one file, i18n/LANG.json, that maps the English text to its own, listed in
// i18n/languages.json: a third language is two files, no code. Text nodes and a few attributes are
// translated as they appear (a MutationObserver), so app.js keeps writing English. In a key,
// "{name}" stands for any text inside it (translated too where it is itself a key), and a
// "·" between spaces separates phrases that are translated one by one.

const STORED = 'mattepipe.lang';
const ATTRIBUTES = ['title', 'aria-label', 'placeholder', 'alt'];
const SEPARATOR = /(?<=\s|^)·(?=\s|$)/;

/** The reader's choice on this page, else the first of the browser's languages (what it sends as Accept-Language) that the page has. */
function chosenLanguage(available) {
  let stored = null;
  try {
    stored = localStorage.getItem(STORED);
  } catch {
    // storage may be off: the browser's languages decide
  }
  if (stored && available[stored]) return stored;
  const codes = Object.keys(available);
  for (const wanted of navigator.languages || [navigator.language]) {
    const lower = String(wanted).toLowerCase();
    const exact = codes.find((code) => code.toLowerCase() === lower);
    if (exact) return exact;
    const primary = codes.find((code) => code.toLowerCase().split('-')[0] === lower.split('-')[0]);
    if (primary) return primary;
  }
  return 'en';
}

function compile(dictionary) {
  const exact = new Map();
  const patterns = [];
  for (const [english, translated] of Object.entries(dictionary)) {
    if (!english.includes('{')) {
      exact.set(english, translated);
      continue;
    }
    const names = [];
    const source = english.split(/(\{[a-z]+\})/).map((part) => {
      const name = /^\{([a-z]+)\}$/.exec(part);
      if (name) {
        names.push(name[1]);
        return '(.+?)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }).join('');
    patterns.push({ regex: new RegExp(`^${source}$`), names, translated });
  }
  return { exact, patterns };
}

function translator({ exact, patterns }) {
  const translate = (text) => {
    if (exact.has(text)) return exact.get(text);
    for (const { regex, names, translated } of patterns) {
      const match = regex.exec(text);
      if (match) {
        return names.reduce((out, name, i) => out.replaceAll(`{${name}}`, translate(match[i + 1])), translated);
      }
    }
    return text;
  };
  // leading and trailing spaces stay as they are: they separate the node from its neighbours
  const phrase = (text) => {
    const core = text.trim();
    if (!core) return text;
    const done = translate(core);
    return done === core ? text : text.replace(core, done);
  };
  return (text) => (exact.has(text.trim()) ? phrase(text) : text.split(SEPARATOR).map(phrase).join('·'));
}

function translateTree(root, translate) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let node = root; node; node = walker.nextNode()) {
    if (node.nodeType === Node.TEXT_NODE) {
      const done = translate(node.data);
      if (done !== node.data) node.data = done;
    } else if (node.nodeType === Node.ELEMENT_NODE && node.tagName !== 'SCRIPT' && node.tagName !== 'STYLE') {
      for (const name of ATTRIBUTES) {
        const value = node.getAttribute(name);
        if (value) {
          const done = translate(value);
          if (done !== value) node.setAttribute(name, done);
        }
      }
    }
  }
}

/** The language switch's options, and the page in the chosen language from now on. */
export async function startTranslation(select) {
  let available = { en: 'English' };
  try {
    available = await (await fetch('/web/i18n/languages.json')).json();
  } catch {
    // without the list the page stays in English
  }
  const lang = chosenLanguage(available);
  select.replaceChildren(...Object.entries(available).map(([code, name]) => new Option(name, code, false, code === lang)));
  select.addEventListener('change', () => {
    try {
      localStorage.setItem(STORED, select.value);
    } catch {
      // the choice then lasts for this load only
    }
    location.reload();
  });
  document.documentElement.lang = lang;
  if (lang === 'en') return;
  const translate = translator(compile(await (await fetch(`/web/i18n/${lang}.json`)).json()));
  document.title = translate(document.title);
  translateTree(document.body, translate);
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === 'characterData') translateTree(m.target, translate);
      else if (m.type === 'attributes') translateTree(m.target, translate);
      else m.addedNodes.forEach((node) => translateTree(node, translate));
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES });
  document.documentElement.dataset.translated = lang;
}
