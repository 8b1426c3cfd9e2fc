'use strict';

// A recording stand-in for Zapier's `z`: each request goes through the app's own beforeRequest and
// afterResponse middleware, is recorded, and gets the next scripted answer.
const app = require('../index');

class ZapierError extends Error {
  constructor(message, code, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

function stub(answers = []) {
  const calls = [];
  const bundle = {
    authData: { base_url: 'https://leadgen.example.com/', api_key: 'lg_test_key' },
    inputData: {},
  };
  const z = {
    errors: { Error: ZapierError },
    console: { log() {} },
    request: async (options) => {
      let request = { method: 'GET', headers: {}, ...options };
      for (const middleware of app.beforeRequest) request = middleware(request, z, bundle);
      calls.push(request);
      const next = answers.shift() || { status: 200, data: {} };
      let response = { status: next.status || 200, data: next.data, headers: {}, request };
      for (const middleware of app.afterResponse) response = middleware(response, z, bundle);
      return response;
    },
  };
  return { z, bundle, calls };
}

module.exports = { stub, ZapierError };
