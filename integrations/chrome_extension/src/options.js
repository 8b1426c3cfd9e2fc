import { checkAPIKey, checkServerURL, loadSettings, saveSettings } from './settings.js';

const form = document.getElementById('settings');
const serverInput = document.getElementById('server-url');
const keyInput = document.getElementById('api-key');
const result = document.getElementById('result');

function show(element, text, kind = '') {
  element.textContent = text;
  element.className = kind;
}

function read() {
  const server = checkServerURL(serverInput.value);
  const key = checkAPIKey(keyInput.value);
  show(document.getElementById('server-url-error'), server.error ?? '', 'error');
  show(document.getElementById('api-key-error'), key.error ?? '', 'error');
  serverInput.setAttribute('aria-invalid', String(Boolean(server.error)));
  keyInput.setAttribute('aria-invalid', String(Boolean(key.error)));
  return server.error || key.error ? null : { serverURL: server.url, apiKey: key.key };
}

async function save() {
  const settings = read();
  if (!settings) return null;
  await saveSettings(chrome.storage.local, settings);
  serverInput.value = settings.serverURL;
  return settings;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (await save()) show(result, 'Saved.', 'ok');
});

document.getElementById('test').addEventListener('click', async () => {
  if (!(await save())) return;
  show(result, 'Calling Leadgen…');
  const answer = await chrome.runtime.sendMessage({ type: 'me' });
  if (answer?.ok) {
    show(result, `Connected to Leadgen with a key of role “${answer.result.role}”.`, 'ok');
  } else {
    show(result, answer?.error ?? 'The extension could not reach its service worker; reload it.', 'error');
  }
});

document.getElementById('extension-id').textContent = chrome.runtime.id;
loadSettings(chrome.storage.local).then((settings) => {
  serverInput.value = settings.serverURL;
  keyInput.value = settings.apiKey;
});
