// The popup: reads the page it was opened on, shows who is on it and who Leadgen already knows, and captures
// the chosen people with tags and a sequence. What the user chose or typed is kept per page in session
// storage as they go, so closing the popup, or an error, loses nothing.

import { extractAll } from './extract/index.js';
import { capturePage } from './page-capture.js';
import { parseTags, personKey } from './capture.js';
import { describeKnown, describeOutcome, describeRole, displayName } from './people-view.js';
import { isConfigured, loadSettings } from './settings.js';

const $ = (id) => document.getElementById(id);
const state = { pageURL: '', people: [], companies: [], draft: { selected: null, tags: '', sequence: '' } };

function say(text, kind = '') {
  $('message').textContent = text;
  $('message').className = kind;
}

async function ask(type, payload = {}) {
  const answer = await chrome.runtime.sendMessage({ type, ...payload });
  if (!answer?.ok) throw new Error(answer?.error ?? 'The extension’s service worker did not answer; reload the extension.');
  return answer.result;
}

/** The tab to read: the one named by ?tab= (when the popup is opened as a page), else the active tab. */
async function targetTab() {
  const named = Number.parseInt(new URLSearchParams(location.search).get('tab') ?? '', 10);
  if (Number.isInteger(named)) return chrome.tabs.get(named);
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab;
}

const draftKey = () => `draft:${state.pageURL}`;

async function saveDraft() {
  state.draft.selected = [...document.querySelectorAll('#people input[type=checkbox]:checked')].map((box) => box.value);
  state.draft.tags = $('tags').value;
  state.draft.sequence = $('sequence').value;
  await chrome.storage.session.set({ [draftKey()]: state.draft });
  updateButton();
}

function updateButton() {
  const count = document.querySelectorAll('#people input[type=checkbox]:checked').length;
  $('capture').disabled = count === 0;
  $('capture').textContent = count === 1 ? 'Capture 1 person' : `Capture ${count} people`;
  const boxes = document.querySelectorAll('#people input[type=checkbox]');
  $('select-all').checked = boxes.length > 0 && count === boxes.length;
}

function renderPeople(outcomes = new Map()) {
  const list = $('people');
  list.replaceChildren();
  const now = Date.now();
  for (const person of state.people) {
    const key = personKey(person);
    const item = document.createElement('li');
    item.className = `person${person.known ? ' known' : ''}`;
    item.dataset.key = key;
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = key;
    box.checked = state.draft.selected ? state.draft.selected.includes(key) : true;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = displayName(person);
    label.append(box, ' ', name);
    const role = document.createElement('div');
    role.className = 'role';
    role.textContent = [describeRole(person), person.location].filter(Boolean).join(' · ');
    item.append(label, role);
    if (person.known) {
      const known = document.createElement('div');
      known.className = 'known-facts';
      known.textContent = describeKnown(person.known, now).join(' · ');
      item.append(known);
    }
    if (person.lookupError) {
      const problem = document.createElement('div');
      problem.className = 'error';
      problem.textContent = person.lookupError;
      item.append(problem);
    }
    const outcome = outcomes.get(key);
    if (outcome) {
      const line = document.createElement('div');
      line.className = `outcome ${outcome.outcome}`;
      line.textContent = describeOutcome(outcome);
      item.append(line);
    }
    list.append(item);
  }
  $('summary').textContent = summary();
  $('companies').replaceChildren(
    ...state.companies.map((company) => {
      const item = document.createElement('li');
      item.textContent = [company.name, company.domain, company.industry].filter(Boolean).join(' · ');
      return item;
    }),
  );
  updateButton();
}

function summary() {
  const known = state.people.filter((person) => person.known).length;
  const people = state.people.length === 1 ? '1 person' : `${state.people.length} people`;
  return known > 0 ? `${people} on this page · ${known} already in Leadgen` : `${people} on this page`;
}

async function refreshKnown() {
  try {
    state.people = await ask('lookup', { people: state.people });
  } catch (error) {
    say(`${error.message} The people below are not marked.`, 'error');
  }
}

async function loadSequences() {
  try {
    const sequences = await ask('sequences');
    for (const sequence of sequences) {
      const option = document.createElement('option');
      option.value = sequence.id;
      option.textContent = sequence.name;
      $('sequence').append(option);
    }
  } catch {
    // Without the list, a capture still works; only enrolment waits.
  }
  $('sequence').value = state.draft.sequence;
}

async function onCapture(event) {
  event.preventDefault();
  await saveDraft();
  const chosen = new Set(state.draft.selected);
  const people = state.people.filter((person) => chosen.has(personKey(person)));
  if (people.length === 0) return;
  $('capture').disabled = true;
  say(`Capturing ${people.length === 1 ? '1 person' : `${people.length} people`}…`);
  try {
    const outcomes = await ask('capture', {
      people,
      tags: parseTags($('tags').value),
      sequenceID: $('sequence').value || null,
      pageURL: state.pageURL,
    });
    const byKey = new Map(outcomes.map((outcome) => [outcome.key, outcome]));
    await refreshKnown();
    renderPeople(byKey);
    const rejected = outcomes.filter((outcome) => outcome.outcome === 'rejected').length;
    say(rejected > 0 ? `Done, but ${rejected} could not be captured: see below.` : 'Captured.', rejected > 0 ? 'error' : 'ok');
  } catch (error) {
    say(`${error.message} Your choices are kept; try again.`, 'error');
  } finally {
    updateButton();
  }
}

async function main() {
  const settings = await loadSettings(chrome.storage.local);
  if (!isConfigured(settings)) {
    say('');
    $('setup').hidden = false;
    $('open-settings').addEventListener('click', () => chrome.runtime.openOptionsPage());
    return;
  }
  const tab = await targetTab();
  if (!tab?.id || !/^(https?|file):/u.test(tab.url ?? tab.pendingUrl ?? 'https:')) {
    say('Leadgen cannot read this page: open it on a web page.', 'error');
    return;
  }
  let captured;
  try {
    [{ result: captured }] = await chrome.scripting.executeScript({ target: { tabId: tab.id }, func: capturePage });
  } catch (error) {
    say(`Leadgen cannot read this page (${error.message}).`, 'error');
    return;
  }
  state.pageURL = captured.url;
  const page = new DOMParser().parseFromString(captured.html, 'text/html');
  const found = extractAll(page, captured.url, { vcards: captured.vcards });
  state.people = found.people;
  state.companies = found.companies;
  const stored = await chrome.storage.session.get([draftKey(), `capture:${state.pageURL}`]);
  state.draft = { selected: null, tags: '', sequence: '', ...(stored[draftKey()] ?? {}) };
  $('tags').value = state.draft.tags;
  if (state.people.length === 0) {
    say(found.companies.length > 0 ? 'No people on this page, only the company below.' : 'No people found on this page.');
  } else {
    say('');
  }
  await Promise.all([refreshKnown(), loadSequences()]);
  const last = stored[`capture:${state.pageURL}`];
  renderPeople(new Map((last?.outcomes ?? []).map((outcome) => [outcome.key, outcome])));
  $('capture-form').hidden = state.people.length === 0 && state.companies.length === 0;
  $('capture').hidden = state.people.length === 0;
}

$('people').addEventListener('change', saveDraft);
$('tags').addEventListener('input', saveDraft);
$('sequence').addEventListener('change', saveDraft);
$('select-all').addEventListener('change', () => {
  for (const box of document.querySelectorAll('#people input[type=checkbox]')) box.checked = $('select-all').checked;
  saveDraft();
});
$('capture-form').addEventListener('submit', onCapture);
main().catch((error) => say(String(error?.message ?? error), 'error'));
