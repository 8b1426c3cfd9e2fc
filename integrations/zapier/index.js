'use strict';

// Leadgen's Zapier integration, defined in plain JavaScript for the Zapier Platform CLI: perform functions
// take `z` and `bundle`, and nothing here needs zapier-platform-core to load or to be tested.
const { version } = require('./package.json');
const authentication = require('./lib/authentication');
const { addApiKey, handleErrors } = require('./lib/http');

const triggers = [
  require('./lib/triggers/new_lead'),
  require('./lib/triggers/lead_status_changed'),
  require('./lib/triggers/message_replied'),
  require('./lib/triggers/sequence_list'),
];
const creates = [
  require('./lib/creates/create_or_update_lead'),
  require('./lib/creates/add_tag'),
  require('./lib/creates/enroll_in_sequence'),
  require('./lib/creates/change_status'),
];
const searches = [require('./lib/searches/find_lead')];

const byKey = (items) => Object.fromEntries(items.map((item) => [item.key, item]));

module.exports = {
  version,
  platformVersion: require('./package.json').dependencies['zapier-platform-core'],
  authentication,
  beforeRequest: [addApiKey],
  afterResponse: [handleErrors],
  triggers: byKey(triggers),
  creates: byKey(creates),
  searches: byKey(searches),
  searchOrCreates: {
    find_lead: {
      key: 'find_lead',
      display: { label: 'Find or Create Lead', description: 'Finds a lead by e-mail, or creates it.' },
      search: 'find_lead',
      create: 'create_or_update_lead',
    },
  },
};
