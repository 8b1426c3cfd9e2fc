'use strict';

// Every request: the workspace's Leadgen URL and its API key, and Leadgen's problem+json errors turned into
// messages a Zap's owner can act on.

/** The API's base URL from the connection, without a trailing slash. */
function api(bundle, path) {
  const base = String(bundle.authData.base_url || '').trim().replace(/\/+$/, '');
  return `${base}/api/v1${path}`;
}

/** Adds the key to every request to Leadgen, as a bearer token. */
function addApiKey(request, z, bundle) {
  if (bundle.authData && bundle.authData.api_key) {
    request.headers = request.headers || {};
    request.headers.Authorization = `Bearer ${bundle.authData.api_key}`;
  }
  request.headers = request.headers || {};
  request.headers.Accept = 'application/json';
  return request;
}

/** The problem's words: its detail, and each field at fault. */
function describe(response) {
  const problem = response.data && typeof response.data === 'object' ? response.data : {};
  const fields = Array.isArray(problem.errors)
    ? problem.errors.map((e) => `${e.field}: ${e.message}`).join('; ')
    : '';
  const detail = problem.detail || problem.title || `HTTP ${response.status}`;
  return fields ? `${detail} (${fields})` : detail;
}

/** Throws Leadgen's own explanation for any answer that is not a success. */
function handleErrors(response, z) {
  // A perform that reads the status itself (a 404 that means "not found") asks for no throw.
  if (response.request && response.request.skipThrowForStatus) return response;
  if (response.status === 401) {
    throw new z.errors.Error(
      `Leadgen refused the API key: ${describe(response)}`, 'AuthenticationError', response.status);
  }
  if (response.status === 403) {
    throw new z.errors.Error(
      `This API key's role cannot do that: ${describe(response)}. Use an admin key for triggers.`,
      'ForbiddenError', response.status);
  }
  if (response.status >= 400) {
    throw new z.errors.Error(describe(response), 'LeadgenError', response.status);
  }
  return response;
}

module.exports = { api, addApiKey, handleErrors, describe };
