// `mailto:` and `tel:` links with the names around them: a team page, a staff directory, a conference's
// speaker list. Each link is read with the smallest block around it that holds one person's contact links
// (a card, a list item, a table row); the name is that block's heading or strong text, or the link's own
// text when it reads as a name. Addresses that belong to a function (info@, sales@) are nobody's unless a
// name stands beside them.

import { emptyResult, isIdentifiable, makePerson } from './person.js';
import { canonicalLinkedIn } from './linkedin-url.js';
import { absolute, clean, domainOf, emailFrom, isRoleAddress, looksLikeName, phoneFrom, textOf } from './text.js';

const MAX_LINKS = 500;
const MAX_CLIMB = 6;

export function applies() {
  return true;
}

export function extract(document, url) {
  const result = emptyResult();
  const links = [...document.querySelectorAll('a[href^="mailto:" i], a[href^="tel:" i]')].slice(0, MAX_LINKS);
  const blocks = new Map();
  for (const link of links) {
    const block = personBlock(link);
    if (!blocks.has(block)) blocks.set(block, []);
    blocks.get(block).push(link);
  }
  const site = siteCompany(document, url);
  for (const [block, blockLinks] of blocks) {
    const emails = blockLinks.map((a) => emailFrom(a.getAttribute('href'))).filter(Boolean);
    const phones = blockLinks.map((a) => phoneFrom(a.getAttribute('href'))).filter(Boolean);
    const name = nameIn(block, blockLinks);
    if (!name) {
      if (emails.every(isRoleAddress)) continue;
      if (emails.length === 0) continue;
    }
    const linkedin = [...block.querySelectorAll('a[href]')].map((a) => canonicalLinkedIn(absolute(a.getAttribute('href'), url), 'profile')).find(Boolean) ?? '';
    const sameSite = emails.some((email) => site.domain && (email.endsWith(`@${site.domain}`) || email.endsWith(`.${site.domain}`)));
    const person = makePerson(
      {
        name,
        title: titleIn(block, name),
        company_name: sameSite ? site.name : '',
        company_domain: sameSite ? site.domain : '',
        emails: name ? emails : emails.filter((email) => !isRoleAddress(email)),
        phones,
        linkedin_url: linkedin,
      },
      url,
    );
    if (isIdentifiable(person)) result.people.push(person);
  }
  return result;
}

/**
 * The smallest block around a link that holds one person's links: it climbs while the parent holds no other
 * person's address, and stops at a card, list item or table row with a name in it.
 */
function personBlock(link) {
  let block = link.parentElement ?? link;
  for (let step = 0; step < MAX_CLIMB && block.parentElement && block.tagName !== 'BODY'; step++) {
    const card = /^(LI|TR|ARTICLE|DD|ADDRESS|FIGURE)$/u.test(block.tagName) || /card|person|member|profile|team|staff|speaker|author|contact/iu.test(block.className ?? '');
    if (card && hasHeading(block)) return block;
    const parent = block.parentElement;
    if (parent.tagName === 'BODY' || parent.tagName === 'MAIN') return block;
    if (addresses(parent) > Math.max(1, addresses(block))) return block;
    block = parent;
  }
  return block;
}

function addresses(element) {
  const emails = [...element.querySelectorAll('a[href^="mailto:" i]')].map((a) => emailFrom(a.getAttribute('href')));
  return new Set(emails.filter(Boolean)).size;
}

function hasHeading(block) {
  return Boolean(block.querySelector('h1, h2, h3, h4, h5, h6, strong, b, [itemprop="name"], .name'));
}

function nameIn(block, links) {
  const candidates = [
    ...[...block.querySelectorAll('[itemprop="name"], .name, h1, h2, h3, h4, h5, h6, strong, b')].map(textOf),
    ...links.map(textOf),
    ...(block.firstChild && block.firstChild.nodeType === 3 ? [clean(block.firstChild.textContent).replace(/[:,–—-]+$/u, '')] : []),
  ];
  return candidates.find(looksLikeName) ?? '';
}

function titleIn(block, name) {
  const labelled = textOf(block.querySelector('[itemprop="jobTitle"], .title, .role, .position, .job-title'));
  if (labelled) return labelled;
  // The line after the name, when it is short and says a role.
  const heading = [...block.querySelectorAll('h1, h2, h3, h4, h5, h6, strong, b')].find((element) => textOf(element) === name);
  const next = heading?.nextElementSibling;
  const line = next && !next.querySelector('a') ? textOf(next) : '';
  return line.length > 1 && line.length <= 80 && !emailFrom(line) && !phoneFrom(line) ? line : '';
}

/** The site's own company: its name (og:site_name) and its domain, for people with an address there. */
function siteCompany(document, url) {
  const name = clean(document.querySelector('meta[property="og:site_name"]')?.getAttribute('content') ?? '');
  let domain = '';
  try {
    const parsed = new URL(url);
    domain = parsed.protocol.startsWith('http') ? domainOf(parsed.href) : '';
  } catch {
    domain = '';
  }
  return { name, domain };
}
