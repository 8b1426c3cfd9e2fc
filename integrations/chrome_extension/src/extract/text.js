// Small, pure helpers the extractors share: whitespace, names, places, e-mail addresses, phone numbers and
// domains, read the way a person would read them off a page.

/** Whitespace collapsed and trimmed; '' for anything that is not text. */
export function clean(value) {
  if (typeof value !== 'string') return '';
  return value.replace(/[\s\u200b\u200e\u200f]+/gu, ' ').trim().slice(0, 500);
}

/** The visible text of an element, cleaned; '' for none. */
export function textOf(element) {
  return element ? clean(element.textContent) : '';
}

const HONORIFICS = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'dame']);

/**
 * First and last name from a full name as pages write it: "Jane Doe", "Dr. Jane Q. Doe, MBA", "Jane Doe 🚀",
 * "Doe, Jane" is left as written (it cannot be told from "Jane Doe, PhD" without knowing the name).
 */
export function splitName(full) {
  let name = clean(full).split(',')[0]; // "Jane Doe, MBA": the credentials go
  name = name.replace(/\(.*?\)/gu, ' '); // "(she/her)", "(Jim)"
  name = name.replace(/[^\p{L}\p{M}\s.'’-]/gu, ' '); // emoji and symbols
  let words = clean(name).split(' ').filter(Boolean);
  while (words.length > 1 && HONORIFICS.has(words[0].replace(/\./g, '').toLowerCase())) words = words.slice(1);
  if (words.length === 0) return { first_name: '', last_name: '' };
  if (words.length === 1) return { first_name: words[0], last_name: '' };
  return { first_name: words[0], last_name: words.slice(1).join(' ') };
}

/** Whether a text reads as a person's name: two to five words of letters, not an address or a sentence. */
export function looksLikeName(text) {
  const value = clean(text);
  if (value.length < 3 || value.length > 80 || /[@\d:/]/u.test(value)) return false;
  const words = value.split(' ');
  return words.length >= 2 && words.length <= 5 && words.every((word) => /^[\p{Lu}][\p{L}\p{M}.'’-]*$/u.test(word) || /^(van|von|de|der|da|di|la|le|del|du|bin|al)$/u.test(word));
}

// Country names as LinkedIn and company sites write them; the server reads these (and many more spellings).
const COUNTRIES = new Set(
  ('united states,usa,united kingdom,uk,canada,australia,new zealand,ireland,germany,france,spain,portugal,' +
    'italy,netherlands,belgium,luxembourg,switzerland,austria,denmark,sweden,norway,finland,iceland,poland,' +
    'czechia,czech republic,slovakia,hungary,romania,bulgaria,greece,turkey,türkiye,israel,' +
    'united arab emirates,saudi arabia,qatar,egypt,south africa,nigeria,kenya,morocco,india,pakistan,' +
    'bangladesh,sri lanka,singapore,malaysia,indonesia,philippines,thailand,vietnam,japan,south korea,china,' +
    'hong kong,taiwan,brazil,argentina,chile,colombia,peru,mexico,uruguay,estonia,latvia,lithuania,ukraine,' +
    'serbia,croatia,slovenia,cyprus,malta')
    .split(','),
);

/** City, state and country from "San Francisco, California, United States" and shorter forms. */
export function parseLocation(raw) {
  const location = clean(raw);
  const parts = location.split(',').map((part) => clean(part)).filter(Boolean);
  const place = { location, city: '', state: '', country: '' };
  const isCountry = (text) => COUNTRIES.has(text.toLowerCase());
  if (parts.length >= 3) {
    [place.city, place.state, place.country] = [parts[0], parts[parts.length - 2], parts[parts.length - 1]];
  } else if (parts.length === 2) {
    place.city = parts[0];
    if (isCountry(parts[1])) place.country = parts[1];
    else place.state = parts[1];
  } else if (parts.length === 1 && isCountry(parts[0])) {
    place.country = parts[0];
  }
  return place;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$/u;

/** An e-mail address from a `mailto:` link or text, lower-cased; '' when it is not one. */
export function emailFrom(raw) {
  let text = clean(raw);
  if (/^mailto:/iu.test(text)) text = text.slice(7).split('?')[0];
  try {
    text = decodeURIComponent(text);
  } catch {
    // Left as written: a stray % is not an escape.
  }
  text = text.trim().toLowerCase();
  return EMAIL.test(text) ? text : '';
}

/** A phone number from a `tel:` link or text, as written (the server reads it into E.164); '' for none. */
export function phoneFrom(raw) {
  let text = clean(raw);
  if (/^tel:/iu.test(text)) text = text.slice(4);
  try {
    text = decodeURIComponent(text);
  } catch {
    // Left as written.
  }
  text = clean(text);
  const digits = text.replace(/\D/gu, '');
  return digits.length >= 7 && digits.length <= 15 && /^[+\d(][\d\s().\-/]*(?:\s*(?:x|ext\.?)\s*\d{1,6})?$/iu.test(text) ? text : '';
}

/** The host of a web address without `www.`, lower-cased; '' for anything else. */
export function domainOf(raw) {
  const text = clean(raw);
  if (!text) return '';
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:/iu.test(text) ? text : `https://${text}`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return '';
    const host = url.hostname.toLowerCase().replace(/^www\./u, '');
    return host.includes('.') && !host.endsWith('linkedin.com') ? host : '';
  } catch {
    return '';
  }
}

/** "VP Sales at Acme Corp" → title and company; a headline with no " at " is all title. */
export function splitHeadline(headline) {
  const text = clean(headline);
  const match = /^(.*?)\s+(?:at|@|bei|chez|en)\s+(.+)$/u.exec(text);
  if (!match) return { title: text.split(' | ')[0], company: '' };
  return { title: clean(match[1]), company: clean(match[2].split(' | ')[0]) };
}

/** Addresses that belong to a function, not a person: a footer's info@ is nobody to call. */
export function isRoleAddress(email) {
  const local = email.split('@')[0];
  return /^(info|sales|support|contact|hello|hi|admin|office|team|press|media|jobs|careers|billing|accounts|noreply|no-reply|donotreply|privacy|legal|webmaster|marketing|hr|help|enquiries|inquiries|service|mail)$/u.test(local);
}

/** A link's address made absolute against the page's; '' when it is not an address. */
export function absolute(href, base) {
  try {
    return new URL(href ?? '', base || undefined).href;
  } catch {
    return '';
  }
}
