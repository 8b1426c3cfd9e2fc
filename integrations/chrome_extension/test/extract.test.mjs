import assert from 'node:assert/strict';
import { test } from 'node:test';

import { extractAll, extractors } from '../src/extract/index.js';
import { fixture, html, page } from './dom.mjs';

const PROFILE = 'https://www.linkedin.com/in/maria-okafor-3b1a2c/';

function person(fields) {
  return {
    first_name: '', last_name: '', title: '', company_name: '', company_domain: '', company_linkedin_url: '',
    location: '', city: '', state: '', country: '', emails: [], phones: [], linkedin_url: '', source_url: '',
    ...fields,
  };
}

test('a LinkedIn profile yields its person, and not the people beside it', () => {
  const found = extractAll(page('linkedin-profile.html', PROFILE), PROFILE);
  assert.deepEqual(found.people, [
    person({
      first_name: 'Maria', last_name: 'Okafor', title: 'Head of Revenue Operations',
      company_name: 'Northwind Analytics', company_linkedin_url: 'https://www.linkedin.com/company/northwind-analytics',
      location: 'Austin, Texas, United States', city: 'Austin', state: 'Texas', country: 'United States',
      linkedin_url: 'https://www.linkedin.com/in/maria-okafor-3b1a2c', source_url: PROFILE,
    }),
  ]);
  assert.deepEqual(found.companies.map((c) => c.name), ['Northwind Analytics']);
});

test("a profile's open contact-info overlay adds its e-mail and phone", () => {
  const url = 'https://www.linkedin.com/in/tom%C3%A1s-herrera/overlay/contact-info/';
  const found = extractAll(page('linkedin-profile-contact-info.html', url), url);
  assert.equal(found.people.length, 1);
  const [tomas] = found.people;
  assert.equal(tomas.first_name, 'Tomás');
  assert.equal(tomas.last_name, 'Herrera');
  assert.equal(tomas.title, 'Account Executive');
  assert.equal(tomas.company_name, 'Fabrikam Cloud');
  assert.deepEqual(tomas.emails, ['tomas.herrera@fabrikam.example']);
  assert.deepEqual(tomas.phones, ['+34 600 123 456']);
  assert.equal(tomas.linkedin_url, 'https://www.linkedin.com/in/tomás-herrera');
  assert.equal(tomas.country, 'Spain');
});

test('people search results yield each person once, with canonical LinkedIn URLs, and no "LinkedIn Member"', () => {
  const url = 'https://www.linkedin.com/search/results/people/?keywords=revops&origin=GLOBAL_SEARCH_HEADER';
  const found = extractAll(page('linkedin-search.html', url), url);
  assert.deepEqual(
    found.people.map((p) => [p.first_name, p.last_name, p.title, p.company_name, p.linkedin_url]),
    [
      ['Aiko', 'Tanaka', 'Revenue Operations Lead', 'Tailspin Toys', 'https://www.linkedin.com/in/aiko-tanaka-8812'],
      ['Jonas', 'Becker', 'RevOps Manager', 'Contoso GmbH', 'https://www.linkedin.com/in/jonas-becker-revops'],
      ['Sam', 'Whitfield', 'Fractional CFO', '', 'https://www.linkedin.com/in/sam-whitfield'],
    ],
  );
  assert.deepEqual(found.people.map((p) => [p.city, p.state, p.country]), [
    ['Osaka', 'Osaka', 'Japan'],
    ['Berlin', '', 'Germany'],
    ['', '', ''],
  ]);
  assert.equal(found.people[2].location, 'Greater Manchester');
  assert.deepEqual(found.companies, []);
});

test('a LinkedIn company page yields the company with its website domain, and no people', () => {
  const url = 'https://www.linkedin.com/company/northwind-analytics/about/';
  const found = extractAll(page('linkedin-company.html', url), url);
  assert.deepEqual(found.people, []);
  assert.deepEqual(found.companies, [
    {
      name: 'Northwind Analytics', domain: 'northwind-analytics.example',
      linkedin_url: 'https://www.linkedin.com/company/northwind-analytics', industry: 'Software Development',
      location: 'Austin, Texas',
    },
  ]);
});

test('schema.org JSON-LD and microdata yield their people and the page\'s organization', () => {
  const url = 'https://www.tailspin.example/team';
  const found = extractAll(page('schema-org.html', url), url);
  assert.deepEqual(found.people, [
    person({
      first_name: 'Grace', last_name: 'Liu', title: 'VP of Marketing', company_name: 'Tailspin Toys',
      company_domain: 'tailspin.example', location: 'Portland, Oregon, United States', city: 'Portland',
      state: 'Oregon', country: 'United States', emails: ['grace.liu@tailspin.example'], phones: ['+1 503 555 0142'],
      linkedin_url: 'https://www.linkedin.com/in/grace-liu-tailspin', source_url: url,
    }),
    person({
      first_name: 'Ravi', last_name: 'Shankar', title: 'Head of Partnerships', company_name: 'Tailspin Toys',
      linkedin_url: 'https://www.linkedin.com/in/ravi-shankar-partnerships', source_url: url,
    }),
    person({
      first_name: 'Elena', last_name: 'Petrova', title: 'Chief Technology Officer', company_name: 'Tailspin Toys',
      // Her address is at the page's own site: the mailto: extractor adds the company's domain.
      company_domain: 'tailspin.example', emails: ['elena.petrova@tailspin.example'], linkedin_url: 'https://www.linkedin.com/in/elena-petrova-cto',
      source_url: url,
    }),
  ]);
  assert.deepEqual(found.companies.map((c) => [c.name, c.domain, c.linkedin_url]), [
    ['Tailspin Toys', 'tailspin.example', 'https://www.linkedin.com/company/tailspin-toys'],
  ]);
});

test('mailto: and tel: links yield the people beside them, and not the addresses nobody owns', () => {
  const url = 'https://www.contoso-logistics.example/contact';
  const found = extractAll(page('team-page.html', url), url);
  const site = { company_name: 'Contoso Logistics', company_domain: 'contoso-logistics.example', source_url: url };
  assert.deepEqual(found.people, [
    person({
      ...site, first_name: 'Olivia', last_name: 'Brandt', title: 'Director of Sales, EMEA',
      emails: ['olivia.brandt@contoso-logistics.example'], phones: ['+49 30 901820'],
      linkedin_url: 'https://www.linkedin.com/in/olivia-brandt-emea',
    }),
    person({
      ...site, first_name: 'Marcus', last_name: 'Webb', title: 'Key Account Manager',
      emails: ['marcus.webb@contoso-logistics.example'], phones: ['+1-212-555-0187'],
    }),
    person({ ...site, first_name: 'Chen', last_name: 'Wei', emails: ['chen.wei@contoso-logistics.example'] }),
  ]);
});

test('vCards: inline ones always, linked ones when their text is given', () => {
  const url = 'https://summit.example/speakers';
  const document = page('vcard-page.html', url);
  const inline = extractAll(document, url);
  assert.deepEqual(inline.people.map((p) => [p.first_name, p.last_name, p.title, p.company_name, p.emails]), [
    ['Noah', 'Fischer', 'VP Sales', 'Fabrikam Cloud', ['noah.fischer@fabrikam.example']],
  ]);
  const vcards = { 'https://summit.example/speakers/lena-novak.vcf': fixture('lena-novak.vcf') };
  const both = extractAll(document, url, { vcards });
  assert.equal(both.people.length, 2);
  assert.deepEqual(both.people[1], person({
    first_name: 'Lena', last_name: 'Novak', title: 'Senior Account Executive', company_name: 'Northwind Analytics',
    location: 'Austin, TX, United States', city: 'Austin', state: 'TX', country: 'United States',
    emails: ['lena.novak@northwind-analytics.example'], phones: ['+1 (512) 555-0199'],
    linkedin_url: 'https://www.linkedin.com/in/lena-novak-ae', source_url: url,
  }));
});

test('a page with no people yields empty lists', () => {
  const url = 'https://blog.fabrikam.example/clean-your-crm';
  assert.deepEqual(extractAll(page('no-people.html', url), url), { people: [], companies: [] });
});

test('every extractor degrades to nothing on empty, odd and hostile pages, and never throws', () => {
  const deep = '<div>'.repeat(5000) + '<a href="mailto:x@y.example">x</a>' + '</div>'.repeat(5000);
  const nested = JSON.stringify(JSON.parse('['.repeat(500) + ']'.repeat(500)));
  const pages = [
    '', '<html></html>', '<h1></h1><div class="text-body-medium"></div>', deep,
    `<script type="application/ld+json">${nested}</script>`,
    '<script type="application/ld+json">{"@type": "Person", "name": {"@value": 7}, "email": ["not-an-address"]}</script>',
    '<a href="data:text/vcard;base64,@@@">x</a><a href="tel:12">y</a><a href="mailto:">z</a>',
  ];
  const urls = [PROFILE, 'https://www.linkedin.com/search/results/people/', 'https://www.linkedin.com/company/x/', 'not a url', ''];
  for (const markup of pages) {
    for (const url of urls) {
      for (const [name, extractor] of Object.entries(extractors)) {
        const result = extractor.extract(html(markup, 'https://example.com/'), url);
        assert.deepEqual(result.companies.filter((c) => !c.name && !c.domain), [], `${name} on ${url}`);
        assert.deepEqual(result.people.filter((p) => !p.linkedin_url && p.emails.length === 0 && !p.last_name), [], `${name}`);
      }
      assert.doesNotThrow(() => extractAll(html(markup), url));
    }
  }
});

test('extraction sends nothing anywhere', () => {
  const saved = { fetch: globalThis.fetch, XMLHttpRequest: globalThis.XMLHttpRequest };
  const calls = [];
  globalThis.fetch = (...args) => calls.push(args);
  globalThis.XMLHttpRequest = function () {
    calls.push('xhr');
  };
  try {
    for (const [name, url] of [
      ['linkedin-profile.html', PROFILE], ['schema-org.html', 'https://www.tailspin.example/team'],
      ['team-page.html', 'https://www.contoso-logistics.example/contact'], ['vcard-page.html', 'https://summit.example/speakers'],
    ]) {
      extractAll(page(name, url), url);
    }
  } finally {
    Object.assign(globalThis, saved);
  }
  assert.deepEqual(calls, []);
});
