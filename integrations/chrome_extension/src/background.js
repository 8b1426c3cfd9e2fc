// The service worker: it makes the extension's calls to Leadgen, so a capture goes on when the popup closes,
// and keeps each page's last capture in session storage, where the popup finds it when it opens again.

import { LeadgenClient, LeadgenError } from './api.js';
import { capture, lookUp } from './capture.js';
import { isConfigured, loadSettings } from './settings.js';

async function client() {
  const settings = await loadSettings(chrome.storage.local);
  if (!isConfigured(settings)) throw new LeadgenError('Set the Leadgen server and API key in the extension’s settings first.');
  return new LeadgenClient({ ...settings, fetch: (...args) => fetch(...args) });
}

const handlers = {
  async me() {
    return (await client()).me();
  },
  async sequences() {
    return (await client()).sequences();
  },
  async lookup({ people }) {
    return lookUp(await client(), people);
  },
  async capture({ people, tags, sequenceID, pageURL }) {
    const outcomes = await capture(await client(), { people, tags, sequenceID, pageURL });
    await chrome.storage.session.set({ [`capture:${pageURL}`]: { at: Date.now(), outcomes } });
    return outcomes;
  },
};

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  if (sender.id !== chrome.runtime.id) return false;
  const handler = handlers[message?.type];
  if (!handler) return false;
  handler(message)
    .then((result) => reply({ ok: true, result }))
    .catch((error) => reply({ ok: false, error: error instanceof LeadgenError ? error.message : String(error?.message ?? error), fieldErrors: error?.fieldErrors ?? [] }));
  return true; // the reply comes later
});

chrome.runtime.onInstalled.addListener(async ({ reason }) => {
  if (reason !== 'install') return;
  const settings = await loadSettings(chrome.storage.local);
  if (!isConfigured(settings)) chrome.runtime.openOptionsPage();
});
