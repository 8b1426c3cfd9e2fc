'use strict';

const { api } = require('../http');

// REST hooks: a Zap that is turned on subscribes its target URL to one event type through Leadgen's
// outgoing webhooks, and unsubscribes when it is turned off. Leadgen signs each delivery (Standard
// Webhooks) and retries it; Zapier deduplicates on each record's `id`.

function subscribe(eventType) {
  return async (z, bundle) => {
    const response = await z.request({
      url: api(bundle, '/webhooks'),
      method: 'POST',
      body: { target_url: bundle.targetUrl, events: [eventType], description: `Zapier: ${eventType}` },
    });
    return response.data;
  };
}

async function unsubscribe(z, bundle) {
  const id = bundle.subscribeData && bundle.subscribeData.id;
  if (!id) return {};
  const response = await z.request({
    url: api(bundle, `/webhooks/${encodeURIComponent(id)}`),
    method: 'DELETE',
    skipThrowForStatus: true,
  });
  // Already gone (deleted in Leadgen, or disabled after a 410): nothing left to undo.
  if (response.status !== 204 && response.status !== 404) {
    throw new z.errors.Error(`Leadgen did not remove the webhook (HTTP ${response.status})`, 'LeadgenError', response.status);
  }
  return {};
}

/** The event a delivery carries: `{type, timestamp, data}`. */
function event(bundle) {
  const body = bundle.cleanedRequest || {};
  return { type: body.type, timestamp: body.timestamp, data: body.data || {} };
}

/** The newest leads, as samples and as the polling fallback: newest first, each with its own stable id. */
async function newestLeads(z, bundle, limit = 3) {
  const response = await z.request({ url: api(bundle, '/leads'), params: { sort: '-created_at', limit } });
  return (response.data && response.data.data) || [];
}

module.exports = { subscribe, unsubscribe, event, newestLeads };
