import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { canonicalLinkedIn } from '../src/extract/linkedin-url.js';

// The same cases the server's LinkedInURLParityTests read: both sides must write every address alike.
const { cases } = JSON.parse(readFileSync(new URL('./fixtures/linkedin-urls.json', import.meta.url), 'utf8'));

test('LinkedIn addresses are written as the server writes them', () => {
  assert.ok(cases.length >= 20);
  for (const { input, canonical } of cases) assert.equal(canonicalLinkedIn(input), canonical, input);
});

test('an address of the other kind is not taken for this one', () => {
  assert.equal(canonicalLinkedIn('https://www.linkedin.com/company/acme', 'profile'), null);
  assert.equal(canonicalLinkedIn('https://www.linkedin.com/in/jane', 'company'), null);
  assert.equal(canonicalLinkedIn(undefined), null);
  assert.equal(canonicalLinkedIn(`https://www.linkedin.com/in/${'a'.repeat(100000)}`)?.length <= 2100, true);
});
