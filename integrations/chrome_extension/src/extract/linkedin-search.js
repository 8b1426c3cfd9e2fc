// LinkedIn's people search results (https://www.linkedin.com/search/results/people/?keywords=…) and the other
// lists of people LinkedIn draws with the same result cards ("People also viewed", a company's People tab):
// one person per card, named by the link to their profile. "LinkedIn Member" cards, whose profile is out of
// network, carry no profile link and are left out: there is nobody to tell apart.

import { emptyResult, isIdentifiable, makePerson } from './person.js';
import { canonicalLinkedIn } from './linkedin-url.js';
import { absolute, splitHeadline, textOf } from './text.js';

const MAX_CARDS = 200;

export function applies(url) {
  try {
    const { hostname, pathname } = new URL(url);
    return hostname.endsWith('linkedin.com') && (pathname.startsWith('/search/results/') || /^\/company\/[^/]+\/people/u.test(pathname));
  } catch {
    return false;
  }
}

export function extract(document, url) {
  const result = emptyResult();
  if (!applies(url)) return result;
  const seen = new Set();
  const cards = document.querySelectorAll(
    '.entity-result, .reusable-search__result-container, [data-chameleon-result-urn], .org-people-profile-card',
  );
  for (const card of [...cards].slice(0, MAX_CARDS)) {
    const profileOf = (a) => canonicalLinkedIn(absolute(a.getAttribute('href'), url), 'profile');
    const link = [...card.querySelectorAll('a[href]')].find(profileOf);
    const linkedin = link && profileOf(link);
    if (!linkedin || seen.has(linkedin)) continue;
    const name =
      textOf(link.querySelector('span[aria-hidden="true"]')) ||
      textOf(card.querySelector('.entity-result__title-text span[aria-hidden="true"], .org-people-profile-card__profile-title')) ||
      textOf(link);
    if (!name || /^linkedin member$/iu.test(name)) continue;
    const headline = textOf(card.querySelector('.entity-result__primary-subtitle, .artdeco-entity-lockup__subtitle, .lt-line-clamp--multi-line'));
    const location = textOf(card.querySelector('.entity-result__secondary-subtitle'));
    const { title, company } = splitHeadline(headline);
    const person = makePerson({ name, title, company_name: company, location, linkedin_url: linkedin }, url);
    if (!isIdentifiable(person)) continue;
    seen.add(linkedin);
    result.people.push(person);
  }
  return result;
}
