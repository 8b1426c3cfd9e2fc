'use strict';

// Each perform function against the recording stub: the request Leadgen's API expects (docs/openapi.yaml),
// and what the function makes of the answer.
const test = require('node:test');
const assert = require('node:assert/strict');
const app = require('../index');
const { stub } = require('./stub');
const lead = require('../samples/lead.json');

test('the connection test calls /me with the key and the trailing slash of the URL dropped', async () => {
  const { z, bundle, calls } = stub([{ data: { workspace_id: 'w1', api_key_id: 'k1', role: 'admin' } }]);
  const me = await app.authentication.test(z, bundle);
  assert.equal(me.role, 'admin');
  assert.equal(calls[0].url, 'https://leadgen.example.com/api/v1/me');
  assert.equal(calls[0].headers.Authorization, 'Bearer lg_test_key');
});

test('a refused key reads as an authentication error with Leadgen\'s words', async () => {
  const { z, bundle } = stub([{ status: 401, data: { title: 'Unauthorized', detail: 'the API key is not valid' } }]);
  await assert.rejects(app.authentication.test(z, bundle), (error) => {
    assert.equal(error.code, 'AuthenticationError');
    assert.match(error.message, /the API key is not valid/);
    return true;
  });
});

test('a field error names the field', async () => {
  const { z, bundle } = stub([{ status: 422, data: { detail: 'invalid', errors: [{ field: 'email', message: 'not an e-mail address' }] } }]);
  bundle.inputData = { email: 'nope' };
  await assert.rejects(app.creates.create_or_update_lead.operation.perform(z, bundle), /email: not an e-mail address/);
});

test('new lead: subscribes its target URL to lead.created and unsubscribes by id', async () => {
  const { z, bundle, calls } = stub([{ status: 201, data: { id: 'ep_1', secret: 'whsec_x' } }, { status: 204 }]);
  bundle.targetUrl = 'https://hooks.zapier.com/hooks/standard/1/abc';
  const subscription = await app.triggers.new_lead.operation.performSubscribe(z, bundle);
  assert.equal(subscription.id, 'ep_1');
  assert.equal(calls[0].method, 'POST');
  assert.equal(calls[0].url, 'https://leadgen.example.com/api/v1/webhooks');
  assert.deepEqual(calls[0].body.events, ['lead.created']);
  assert.equal(calls[0].body.target_url, bundle.targetUrl);
  bundle.subscribeData = subscription;
  await app.triggers.new_lead.operation.performUnsubscribe(z, bundle);
  assert.equal(calls[1].method, 'DELETE');
  assert.equal(calls[1].url, 'https://leadgen.example.com/api/v1/webhooks/ep_1');
});

test('unsubscribing a webhook Leadgen already removed is fine', async () => {
  const { z, bundle } = stub([{ status: 404, data: { detail: 'not found' } }]);
  bundle.subscribeData = { id: 'ep_gone' };
  assert.deepEqual(await app.triggers.new_lead.operation.performUnsubscribe(z, bundle), {});
});

test('new lead: a delivery becomes the lead, and the fallback lists the newest leads', async () => {
  const { z, bundle, calls } = stub([{ data: { data: [lead] } }]);
  bundle.cleanedRequest = require('../samples/lead.created.json');
  const [record] = await app.triggers.new_lead.operation.perform(z, bundle);
  assert.equal(record.id, bundle.cleanedRequest.data.lead.id);
  assert.equal(record.source, 'webhook:Webinar form');
  const listed = await app.triggers.new_lead.operation.performList(z, bundle);
  assert.deepEqual(listed.map((l) => l.id), [lead.id]);
  assert.equal(calls[0].url, 'https://leadgen.example.com/api/v1/leads');
  assert.deepEqual(calls[0].params, { sort: '-created_at', limit: 3 });
});

test('status changed: each change is its own record, and the filter holds', async () => {
  const { z, bundle } = stub();
  bundle.cleanedRequest = require('../samples/lead.status_changed.json');
  const [change] = await app.triggers.lead_status_changed.operation.perform(z, bundle);
  assert.equal(change.id, `${change.lead_id}:qualified:2026-12-07T10:15:00.000Z`);
  assert.equal(change.from, 'contacted');
  bundle.inputData = { to: 'disqualified' };
  assert.deepEqual(await app.triggers.lead_status_changed.operation.perform(z, bundle), []);
});

test('new reply: the message is the record', async () => {
  const { z, bundle, calls } = stub([{ status: 201, data: { id: 'ep_2' } }]);
  bundle.targetUrl = 'https://hooks.zapier.com/x';
  await app.triggers.message_replied.operation.performSubscribe(z, bundle);
  assert.deepEqual(calls[0].body.events, ['message.replied']);
  bundle.cleanedRequest = require('../samples/message.replied.json');
  const [reply] = await app.triggers.message_replied.operation.perform(z, bundle);
  assert.equal(reply.id, 'msg-0193f2a4');
  assert.equal(reply.replied_at, '2026-12-07T10:20:00.000Z');
});

test('create or update: only the fields given, phones as a list, the company as an object', async () => {
  const { z, bundle, calls } = stub([{ status: 201, data: lead }]);
  bundle.inputData = { email: 'ada@acme.example', first_name: 'Ada', phone: '+1 415 555 0123', company: 'Acme', tags: ['zap'] };
  const created = await app.creates.create_or_update_lead.operation.perform(z, bundle);
  assert.equal(created.id, lead.id);
  assert.equal(calls[0].method, 'POST');
  assert.equal(calls[0].url, 'https://leadgen.example.com/api/v1/leads');
  assert.deepEqual(calls[0].body, {
    email: 'ada@acme.example', first_name: 'Ada', phones: ['+1 415 555 0123'], tags: ['zap'], company: { name: 'Acme' },
  });
});

test('add tag, change status and enrol call their endpoints', async () => {
  const { z, bundle, calls } = stub([{ data: lead }, { data: lead }, { data: { enrolled: 1, skipped: [] } }]);
  bundle.inputData = { lead_id: 'l/1', tags: 'webinar' };
  await app.creates.add_tag.operation.perform(z, bundle);
  assert.equal(calls[0].url, 'https://leadgen.example.com/api/v1/leads/l%2F1/tags');
  assert.deepEqual(calls[0].body, { tags: ['webinar'] });
  bundle.inputData = { lead_id: 'l1', status: 'qualified' };
  await app.creates.change_status.operation.perform(z, bundle);
  assert.equal(calls[1].method, 'PATCH');
  assert.deepEqual(calls[1].body, { status: 'qualified' });
  bundle.inputData = { lead_id: 'l1', sequence_id: 's1' };
  const enrolment = await app.creates.enroll_in_sequence.operation.perform(z, bundle);
  assert.equal(calls[2].url, 'https://leadgen.example.com/api/v1/sequences/s1/enroll');
  assert.deepEqual(calls[2].body, { lead_ids: ['l1'] });
  assert.equal(enrolment.id, 's1:l1');
  assert.equal(enrolment.enrolled, 1);
});

test('find lead: by e-mail, by LinkedIn URL, by id, and nothing found', async () => {
  const { z, bundle, calls } = stub([{ data: { data: [lead] } }, { data: { data: [] } }, { status: 404, data: {} }]);
  bundle.inputData = { email: 'Ada@Acme.example' };
  assert.equal((await app.searches.find_lead.operation.perform(z, bundle))[0].id, lead.id);
  assert.deepEqual(calls[0].params, { email: 'Ada@Acme.example', limit: 1 });
  bundle.inputData = { linkedin_url: 'https://www.linkedin.com/in/ada-lovelace/' };
  assert.deepEqual(await app.searches.find_lead.operation.perform(z, bundle), []);
  assert.deepEqual(calls[1].params, { linkedin_url: 'https://www.linkedin.com/in/ada-lovelace/', limit: 1 });
  bundle.inputData = { id: 'missing' };
  assert.deepEqual(await app.searches.find_lead.operation.perform(z, bundle), []);
  bundle.inputData = {};
  await assert.rejects(app.searches.find_lead.operation.perform(z, bundle), /e-mail, a LinkedIn URL or a lead id/);
});

test('the sequences dropdown lists id and name', async () => {
  const { z, bundle } = stub([{ data: { data: [{ id: 's1', name: 'Intro', status: 'active', steps: 2 }] } }]);
  assert.deepEqual(await app.triggers.sequence_list.operation.perform(z, bundle), [{ id: 's1', name: 'Intro', status: 'active' }]);
});
