// vCards (RFC 6350, and the 3.0 and 2.1 forms still about): a page's links to `.vcf` files and `data:` vCards.
// An extractor sends nothing anywhere, so a linked file is read only when the caller has fetched it and passes
// its text in `resources.vcards` (the popup fetches a page's own vCards from the page itself).

import { emptyResult, isIdentifiable, makePerson } from './person.js';
import { canonicalLinkedIn } from './linkedin-url.js';
import { clean } from './text.js';

const MAX_CARDS = 500;
const MAX_TEXT = 1_000_000;
const MAX_LINKS = 20;

export function applies() {
  return true;
}

/** The `.vcf` links of a page (absolute), and its `data:` vCards decoded, as far as the caps allow. */
export function vcardLinks(document, url) {
  const links = [];
  for (const anchor of document.querySelectorAll('a[href]')) {
    const href = anchor.getAttribute('href') ?? '';
    if (/^data:text\/(x-)?vcard/iu.test(href) || /\.vcf(?:$|[?#])/iu.test(href)) {
      try {
        links.push(new URL(href, url).href);
      } catch {
        // Not an address: skipped.
      }
    }
    if (links.length >= MAX_LINKS) break;
  }
  return [...new Set(links)];
}

export function extract(document, url, resources = {}) {
  const result = emptyResult();
  for (const link of vcardLinks(document, url)) {
    const text = link.startsWith('data:') ? dataText(link) : resources.vcards?.[link];
    if (typeof text !== 'string') continue;
    for (const card of parseVCards(text)) {
      const person = personFrom(card, url);
      if (isIdentifiable(person)) result.people.push(person);
    }
  }
  return result;
}

function dataText(link) {
  const comma = link.indexOf(',');
  if (comma < 0) return null;
  const meta = link.slice(5, comma);
  const body = link.slice(comma + 1, comma + 1 + MAX_TEXT * 2);
  try {
    if (/;base64$/iu.test(meta)) return new TextDecoder().decode(Uint8Array.from(atob(body), (c) => c.charCodeAt(0)));
    return decodeURIComponent(body);
  } catch {
    return null;
  }
}

/**
 * The cards of a vCard text: each a map from property name (upper case) to its values, each value with its
 * parameters. Folded lines are unfolded, escapes undone; a malformed line is skipped, not the card.
 */
export function parseVCards(text) {
  if (typeof text !== 'string') return [];
  const lines = text.slice(0, MAX_TEXT).replace(/\r\n?/gu, '\n').replace(/\n[ \t]/gu, '').split('\n');
  const cards = [];
  let card = null;
  for (const line of lines) {
    const match = /^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$/u.exec(line);
    if (!match) continue;
    const name = match[1].toUpperCase();
    const value = match[3];
    if (name === 'BEGIN' && value.trim().toUpperCase() === 'VCARD') {
      card = new Map();
      continue;
    }
    if (name === 'END' && card) {
      cards.push(card);
      card = null;
      if (cards.length >= MAX_CARDS) break;
      continue;
    }
    if (!card) continue;
    const params = match[2].split(';').filter(Boolean).map((param) => param.toUpperCase());
    if (!card.has(name)) card.set(name, []);
    card.get(name).push({ params, value: params.some((p) => p === 'ENCODING=QUOTED-PRINTABLE') ? quotedPrintable(value) : value });
  }
  return cards;
}

/** A property's value with vCard escapes undone; a structured value's components split first. */
function components(value) {
  const parts = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    if (char === '\\' && i + 1 < value.length) {
      const next = value[++i];
      current += next === 'n' || next === 'N' ? '\n' : next;
    } else if (char === ';') {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map((part) => clean(part));
}

function quotedPrintable(value) {
  try {
    const bytes = [];
    for (let i = 0; i < value.length; i++) {
      if (value[i] === '=' && /^[0-9A-Fa-f]{2}$/u.test(value.slice(i + 1, i + 3))) {
        bytes.push(Number.parseInt(value.slice(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.push(value.charCodeAt(i) & 0xff);
      }
    }
    return new TextDecoder().decode(new Uint8Array(bytes));
  } catch {
    return value;
  }
}

function one(card, name) {
  return card.get(name)?.[0]?.value ?? '';
}

function all(card, name) {
  return (card.get(name) ?? []).map((entry) => entry.value);
}

function personFrom(card, url) {
  const [family = '', given = ''] = components(one(card, 'N'));
  const [organization = ''] = components(one(card, 'ORG'));
  const address = components(one(card, 'ADR'));
  // ADR: post office box; extended address; street; locality; region; postal code; country.
  const location = [address[3], address[4], address[6]].filter(Boolean).join(', ');
  const links = [...all(card, 'URL'), ...all(card, 'X-SOCIALPROFILE'), ...all(card, 'X-LINKEDIN')].map((link) => components(link).join(';'));
  const urls = links.map((link) => link.replace(/^(?:x-apple:|linkedin:)/iu, ''));
  return makePerson(
    {
      name: components(one(card, 'FN'))[0],
      first_name: given,
      last_name: family,
      title: components(one(card, 'TITLE'))[0] ?? '',
      company_name: organization,
      company_domain: urls.find((link) => !canonicalLinkedIn(link) && /^https?:/iu.test(link)) ?? '',
      location,
      emails: all(card, 'EMAIL').map((value) => components(value)[0]),
      phones: all(card, 'TEL').map((value) => components(value)[0]),
      linkedin_url: urls.find((link) => canonicalLinkedIn(link, 'profile')) ?? '',
    },
    url,
  );
}
