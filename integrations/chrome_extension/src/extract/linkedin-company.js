// A LinkedIn company page (https://www.linkedin.com/company/<slug>/ and its about/people tabs): the company,
// with its website's domain from the About section when it is shown, its industry and its head office. The
// people on its People tab are found by the search-results extractor, and given this company here.

import { emptyResult, makeCompany } from './person.js';
import { canonicalLinkedIn } from './linkedin-url.js';
import { textOf } from './text.js';
import * as results from './linkedin-search.js';

export function applies(url) {
  return canonicalLinkedIn(url, 'company') !== null;
}

export function extract(document, url) {
  const result = emptyResult();
  const linkedin = canonicalLinkedIn(url, 'company');
  if (!linkedin) return result;
  const name =
    textOf(document.querySelector('.org-top-card-summary__title, h1.top-card-layout__title')) ||
    textOf(document.querySelector('main h1'));
  if (!name) return result;
  const company = makeCompany({
    name,
    domain: website(document),
    linkedin_url: linkedin,
    industry: textOf(document.querySelector('.org-top-card-summary-info-list__info-item, .top-card-layout__first-subline')),
    location: about(document, 'headquarters'),
  });
  result.companies.push(company);
  for (const person of results.extract(document, url).people) {
    result.people.push({
      ...person,
      company_name: company.name,
      company_domain: company.domain,
      company_linkedin_url: company.linkedin_url,
    });
  }
  return result;
}

/** The company's website, from the About section ("Website") or the top card's "Visit website" button. */
function website(document) {
  const listed = aboutElement(document, 'website')?.querySelector('a[href]');
  const button = document.querySelector('a[data-tracking-control-name*="visit_website"], a.org-top-card-primary-actions__action[href^="http"]');
  const href = (listed ?? button)?.getAttribute('href') ?? '';
  // LinkedIn sends outgoing links through its redirector: the address is in its `url` parameter.
  try {
    const parsed = new URL(href, 'https://www.linkedin.com');
    if (parsed.hostname.endsWith('linkedin.com') && parsed.searchParams.get('url')) return parsed.searchParams.get('url');
  } catch {
    return '';
  }
  return href;
}

/** The value beside a label of the About section's definition list ("Website", "Industry", "Headquarters"). */
function aboutElement(document, label) {
  for (const term of document.querySelectorAll('dl dt')) {
    if (textOf(term).toLowerCase() === label) return term.nextElementSibling;
  }
  return null;
}

function about(document, label) {
  return textOf(aboutElement(document, label));
}
