// Where the Leadgen server is and the API key it knows this extension by, kept in chrome.storage.local (this
// browser profile only, never synced). `storage` is passed in so the logic runs in tests without Chrome.

export const SETTINGS_KEYS = ['serverURL', 'apiKey'];

/** A server address the extension can call: http(s), no credentials, no path past the root; else a reason. */
export function checkServerURL(text) {
  const value = String(text ?? '').trim();
  if (!value) return { error: 'Enter the address of your Leadgen server, such as https://leadgen.example.com.' };
  let url;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//iu.test(value) ? value : `https://${value}`);
  } catch {
    return { error: `“${value}” is not a web address.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { error: 'The address must start with https:// (or http:// on your own machine).' };
  if (url.username || url.password) return { error: 'Leave the user name and password out of the address: the API key signs in.' };
  return { url: url.origin + url.pathname.replace(/\/+$/u, '') };
}

export function checkAPIKey(text) {
  const value = String(text ?? '').trim();
  if (!value) return { error: 'Paste an API key: create one with `leadgen api-key create` or in the dashboard.' };
  if (/\s/u.test(value) || value.length > 500) return { error: 'That does not look like an API key: it has spaces or is far too long.' };
  return { key: value };
}

export async function loadSettings(storage) {
  const stored = await storage.get(SETTINGS_KEYS);
  return { serverURL: stored.serverURL ?? '', apiKey: stored.apiKey ?? '' };
}

export async function saveSettings(storage, settings) {
  await storage.set({ serverURL: settings.serverURL, apiKey: settings.apiKey });
}

export function isConfigured(settings) {
  return Boolean(settings.serverURL && settings.apiKey);
}
