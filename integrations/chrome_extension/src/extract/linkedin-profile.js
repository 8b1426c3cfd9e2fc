// A LinkedIn person profile page (https://www.linkedin.com/in/<slug>/), as a signed-in member sees it and as
// its public version shows it to everyone else. The page's own address is the person's LinkedIn URL; the top
// card gives the name, headline and location; the experience section the current title and company; the
// contact-info overlay, when open, e-mails and phones.

import { emptyResult, isIdentifiable, makeCompany, makePerson } from './person.js';
import { canonicalLinkedIn } from './linkedin-url.js';
import { absolute, clean, splitHeadline, textOf } from './text.js';

export function applies(url) {
  return canonicalLinkedIn(url, 'profile') !== null;
}

export function extract(document, url) {
  const result = emptyResult();
  const linkedin = canonicalLinkedIn(url, 'profile');
  if (!linkedin) return result;
  const card = document.querySelector('main section') ?? document.body;
  const name = textOf(card?.querySelector('h1')) || textOf(document.querySelector('.top-card-layout__title'));
  if (!name) return result;
  const headline =
    textOf(card.querySelector('.text-body-medium')) || textOf(document.querySelector('.top-card-layout__headline'));
  const location =
    textOf(card.querySelector('.text-body-small.inline.t-black--light')) ||
    textOf(document.querySelector('.top-card__subline-item, .top-card-layout__first-subline .not-first-middot span'));
  const fromHeadline = splitHeadline(headline);
  const current = currentPosition(document);
  const companyLink = current.companyLink || document.querySelector('a[href*="/company/"][data-field="experience_company_logo"]');
  const contact = contactInfo(document);
  const person = makePerson(
    {
      name,
      title: current.title || fromHeadline.title,
      company_name: current.company || companyFromButton(document) || fromHeadline.company,
      company_linkedin_url: absolute(companyLink?.getAttribute('href'), url),
      location,
      emails: contact.emails,
      phones: contact.phones,
      linkedin_url: linkedin,
    },
    url,
  );
  if (isIdentifiable(person)) result.people.push(person);
  if (person.company_name) {
    result.companies.push(makeCompany({ name: person.company_name, linkedin_url: person.company_linkedin_url }));
  }
  return result;
}

/** The first entry of the experience section: the current title and company. */
function currentPosition(document) {
  const anchor = document.querySelector('#experience');
  const section = anchor?.closest('section');
  const entry = section?.querySelector('li');
  if (!entry) return { title: '', company: '', companyLink: null };
  const spans = [...entry.querySelectorAll('span[aria-hidden="true"]')].map(textOf).filter(Boolean);
  const company = clean((spans[1] ?? '').split('·')[0]);
  return {
    title: spans[0] ?? '',
    company,
    companyLink: entry.querySelector('a[href*="/company/"]'),
  };
}

/** "Current company: Acme Corp. Click to skip to experience card" */
function companyFromButton(document) {
  for (const button of document.querySelectorAll('[aria-label^="Current company:"]')) {
    const match = /^Current company:\s*(.+?)\.\s*Click/u.exec(button.getAttribute('aria-label') ?? '');
    if (match) return clean(match[1]);
  }
  return '';
}

/** The contact-info overlay's e-mails and phones, when it is open. */
function contactInfo(document) {
  const overlay = document.querySelector('.pv-contact-info, section.pv-contact-info__contact-type')?.closest('div') ?? null;
  const found = { emails: [], phones: [] };
  if (!overlay) return found;
  for (const link of overlay.querySelectorAll('a[href^="mailto:"]')) found.emails.push(link.getAttribute('href'));
  for (const section of overlay.querySelectorAll('section.pv-contact-info__contact-type')) {
    const heading = textOf(section.querySelector('h3')).toLowerCase();
    if (heading.startsWith('phone')) {
      for (const item of section.querySelectorAll('li span.t-14.t-black')) found.phones.push(textOf(item));
      for (const link of section.querySelectorAll('a[href^="tel:"]')) found.phones.push(link.getAttribute('href'));
    }
  }
  return found;
}
