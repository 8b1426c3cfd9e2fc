'use strict';

// The app's definition holds together as the Zapier CLI expects: keys match, every operation has a perform
// and a sample with an id, every dynamic dropdown and search link names an operation that exists.
const test = require('node:test');
const assert = require('node:assert/strict');
const app = require('../index');

const groups = ['triggers', 'creates', 'searches'];

test('every operation is complete and named by its key', () => {
  for (const group of groups) {
    for (const [key, item] of Object.entries(app[group])) {
      assert.equal(item.key, key, `${group}.${key}`);
      assert.ok(item.noun && item.display.label && item.display.description, `${group}.${key} display`);
      assert.equal(typeof item.operation.perform, 'function', `${group}.${key} perform`);
      assert.ok(item.operation.sample && item.operation.sample.id, `${group}.${key} sample id`);
      if (item.operation.type === 'hook') {
        for (const fn of ['performSubscribe', 'performUnsubscribe', 'performList']) {
          assert.equal(typeof item.operation[fn], 'function', `${group}.${key} ${fn}`);
        }
      }
    }
  }
});

test('dynamic fields and search links point at operations that exist', () => {
  for (const group of groups) {
    for (const item of Object.values(app[group])) {
      for (const field of item.operation.inputFields || []) {
        if (field.dynamic) assert.ok(app.triggers[field.dynamic.split('.')[0]], `${item.key}.${field.key} dynamic`);
        if (field.search) assert.ok(app.searches[field.search.split('.')[0]], `${item.key}.${field.key} search`);
      }
    }
  }
  for (const pair of Object.values(app.searchOrCreates)) {
    assert.ok(app.searches[pair.search] && app.creates[pair.create]);
  }
});

test('the version and platform are the package\'s', () => {
  const pkg = require('../package.json');
  assert.equal(app.version, pkg.version);
  assert.match(app.platformVersion, /^\d+\.\d+\.\d+$/);
});
