-- Generated from the migrations by `leadgen migrate --print-schema`. Do not edit.
-- Database: postgres

-- 0001_core_tables
CREATE TABLE workspaces (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    email TEXT NOT NULL UNIQUE,
    name TEXT,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    key_prefix TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
CREATE TABLE companies (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    name TEXT,
    domain TEXT,
    linkedin_url TEXT,
    industry TEXT,
    employee_count BIGINT,
    annual_revenue BIGINT,
    phone TEXT,
    city TEXT,
    state TEXT,
    country TEXT,
    apollo_organization_id TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX companies_workspace_domain ON companies (workspace_id, domain) WHERE domain IS NOT NULL;
CREATE INDEX companies_workspace_name ON companies (workspace_id, name);
CREATE TABLE leads (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    company_id TEXT REFERENCES companies (id),
    first_name TEXT,
    last_name TEXT,
    full_name TEXT,
    title TEXT,
    seniority TEXT,
    departments TEXT NOT NULL,
    email TEXT,
    email_status TEXT,
    other_emails TEXT NOT NULL,
    phones TEXT NOT NULL,
    linkedin_url TEXT,
    city TEXT,
    state TEXT,
    country TEXT,
    time_zone TEXT,
    status TEXT NOT NULL,
    owner TEXT,
    custom_fields TEXT NOT NULL,
    apollo_person_id TEXT,
    apollo_contact_id TEXT,
    search_text TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX leads_workspace_id ON leads (workspace_id, id);
CREATE INDEX leads_workspace_status ON leads (workspace_id, status);
CREATE INDEX leads_company ON leads (company_id);
CREATE TABLE lead_identities (
    workspace_id TEXT NOT NULL,
    match_key TEXT NOT NULL,
    lead_id TEXT NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    PRIMARY KEY (workspace_id, match_key)
);
CREATE INDEX lead_identities_lead ON lead_identities (lead_id);
CREATE TABLE lead_tags (
    workspace_id TEXT NOT NULL,
    lead_id TEXT NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (lead_id, tag)
);
CREATE INDEX lead_tags_workspace_tag ON lead_tags (workspace_id, tag);
CREATE TABLE lead_sources (
    workspace_id TEXT NOT NULL,
    record_hash TEXT NOT NULL,
    lead_id TEXT NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    reference TEXT,
    locator TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (workspace_id, record_hash)
);
CREATE INDEX lead_sources_lead ON lead_sources (lead_id);
CREATE TABLE lead_events (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    lead_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    field TEXT,
    old_value TEXT,
    new_value TEXT,
    detail TEXT,
    actor TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX lead_events_lead ON lead_events (workspace_id, lead_id, id);
CREATE TABLE imports (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    file_name TEXT NOT NULL,
    status TEXT NOT NULL,
    rows_read BIGINT NOT NULL DEFAULT 0,
    leads_created BIGINT NOT NULL DEFAULT 0,
    leads_merged BIGINT NOT NULL DEFAULT 0,
    rows_unchanged BIGINT NOT NULL DEFAULT 0,
    rows_rejected BIGINT NOT NULL DEFAULT 0,
    error TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);
CREATE INDEX imports_workspace ON imports (workspace_id, id);
CREATE TABLE import_rejects (
    import_id TEXT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    line BIGINT NOT NULL,
    reason TEXT NOT NULL,
    raw TEXT NOT NULL,
    PRIMARY KEY (import_id, line)
);

-- 0002_sessions
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- 0003_jobs
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    workspace_id TEXT,
    queue TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    priority INTEGER NOT NULL,
    state TEXT NOT NULL,
    run_at TIMESTAMPTZ NOT NULL,
    attempts INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    unique_key TEXT,
    locked_by TEXT,
    locked_until TIMESTAMPTZ,
    last_error TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);
CREATE INDEX jobs_ready ON jobs (queue, priority, run_at) WHERE state = 'pending';
CREATE INDEX jobs_leases ON jobs (locked_until) WHERE state = 'running';
CREATE INDEX jobs_state ON jobs (state, id);
CREATE UNIQUE INDEX jobs_unique_active ON jobs (unique_key)
WHERE unique_key IS NOT NULL AND state IN ('pending', 'running');

-- 0004_import_files
CREATE TABLE import_chunks (
    import_id TEXT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (import_id, seq)
);

-- 0005_job_schedules
CREATE TABLE job_schedules (
    name TEXT PRIMARY KEY,
    cron TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    queue TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    next_run_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX job_schedules_due ON job_schedules (next_run_at);

-- 0006_providers
CREATE TABLE provider_connections (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    sealed_secret TEXT NOT NULL,
    base_url TEXT,
    settings TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (workspace_id, provider)
);
CREATE TABLE enrichment_runs (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    filter TEXT NOT NULL,
    providers TEXT NOT NULL,
    budget_millicredits BIGINT,
    reserved_millicredits BIGINT NOT NULL DEFAULT 0,
    spent_millicredits BIGINT NOT NULL DEFAULT 0,
    leads_selected INTEGER NOT NULL DEFAULT 0,
    leads_enriched INTEGER NOT NULL DEFAULT 0,
    leads_not_found INTEGER NOT NULL DEFAULT 0,
    leads_from_cache INTEGER NOT NULL DEFAULT 0,
    leads_over_budget INTEGER NOT NULL DEFAULT 0,
    leads_interrupted INTEGER NOT NULL DEFAULT 0,
    leads_failed INTEGER NOT NULL DEFAULT 0,
    batches_total INTEGER NOT NULL DEFAULT 0,
    batches_done INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);
CREATE INDEX enrichment_runs_workspace ON enrichment_runs (workspace_id, created_at);
CREATE TABLE enrichment_batches (
    run_id TEXT NOT NULL REFERENCES enrichment_runs (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    workspace_id TEXT NOT NULL,
    lead_ids TEXT NOT NULL,
    state TEXT NOT NULL,
    calling_provider TEXT,
    reserved_millicredits BIGINT NOT NULL DEFAULT 0,
    spent_millicredits BIGINT NOT NULL DEFAULT 0,
    error TEXT,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (run_id, seq)
);
CREATE TABLE enrichment_cache (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    lookup_key TEXT NOT NULL,
    response TEXT NOT NULL,
    fetched_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (workspace_id, provider, lookup_key)
);
CREATE TABLE credit_ledger (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    run_id TEXT NOT NULL,
    batch_seq INTEGER NOT NULL,
    millicredits BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (run_id, batch_seq, provider)
);
CREATE INDEX credit_ledger_workspace ON credit_ledger (workspace_id, created_at);
CREATE TABLE lead_enrichments (
    lead_id TEXT PRIMARY KEY REFERENCES leads (id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL,
    provider TEXT,
    status TEXT NOT NULL,
    run_id TEXT,
    detail TEXT,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX lead_enrichments_status ON lead_enrichments (workspace_id, status);
CREATE TABLE sync_runs (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    status TEXT NOT NULL,
    scope TEXT NOT NULL,
    leads_selected INTEGER NOT NULL DEFAULT 0,
    leads_created INTEGER NOT NULL DEFAULT 0,
    leads_updated INTEGER NOT NULL DEFAULT 0,
    leads_unchanged INTEGER NOT NULL DEFAULT 0,
    leads_failed INTEGER NOT NULL DEFAULT 0,
    batches_total INTEGER NOT NULL DEFAULT 0,
    batches_done INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);
CREATE INDEX sync_runs_workspace ON sync_runs (workspace_id, created_at);
CREATE TABLE sync_batches (
    run_id TEXT NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    lead_ids TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, seq)
);
CREATE TABLE crm_records (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    object_type TEXT NOT NULL,
    local_id TEXT NOT NULL,
    remote_id TEXT,
    content_hash TEXT,
    synced_at TIMESTAMPTZ,
    last_error TEXT,
    PRIMARY KEY (provider, object_type, local_id)
);
CREATE INDEX crm_records_remote ON crm_records (workspace_id, provider, object_type, remote_id);
CREATE TABLE saved_searches (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    provider TEXT NOT NULL,
    query TEXT NOT NULL,
    max_results INTEGER,
    created_at TIMESTAMPTZ NOT NULL,
    last_run_at TIMESTAMPTZ,
    last_summary TEXT,
    UNIQUE (workspace_id, name)
);
CREATE TABLE webhook_deliveries (
    provider TEXT NOT NULL,
    delivery_key TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (provider, delivery_key)
);
CREATE TABLE webhook_tokens (
    token_hash TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    purpose TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

-- 0007_scenarios
CREATE TABLE scenarios (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    blueprint TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    hook_token TEXT NOT NULL UNIQUE,
    next_run_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX scenarios_workspace ON scenarios (workspace_id, name);
CREATE INDEX scenarios_due ON scenarios (next_run_at) WHERE next_run_at IS NOT NULL;
CREATE TABLE scenario_runs (
    id TEXT PRIMARY KEY,
    scenario_id TEXT NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL,
    trigger_kind TEXT NOT NULL,
    status TEXT NOT NULL,
    input TEXT,
    operations INTEGER NOT NULL DEFAULT 0,
    report TEXT,
    response TEXT,
    error TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);
CREATE INDEX scenario_runs_scenario ON scenario_runs (scenario_id, created_at);
CREATE TABLE data_store_records (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    data_store INTEGER NOT NULL,
    record_key TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (workspace_id, data_store, record_key)
);

-- 0008_automation_events
CREATE TABLE automation_events (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT,
    payload TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE scenario_subscriptions (
    scenario_id TEXT NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL,
    event TEXT NOT NULL,
    PRIMARY KEY (scenario_id, event)
);
CREATE INDEX scenario_subscriptions_event ON scenario_subscriptions (workspace_id, event);
CREATE TABLE scenario_incomplete (
    id TEXT PRIMARY KEY,
    scenario_id TEXT NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    module_id INTEGER NOT NULL,
    outputs TEXT,
    error TEXT NOT NULL,
    auto_retry INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    interval_minutes INTEGER NOT NULL,
    status TEXT NOT NULL,
    next_attempt_at TIMESTAMPTZ,
    last_run_id TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX scenario_incomplete_scenario ON scenario_incomplete (scenario_id, created_at);
CREATE INDEX scenario_incomplete_due ON scenario_incomplete (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX scenario_runs_finished ON scenario_runs (finished_at);
ALTER TABLE scenarios ADD COLUMN sequential INTEGER NOT NULL DEFAULT 0;
CREATE INDEX scenario_runs_open ON scenario_runs (scenario_id, status, created_at);
ALTER TABLE scenario_runs ADD COLUMN lease_until TIMESTAMPTZ;
CREATE INDEX scenario_runs_lease ON scenario_runs (lease_until) WHERE lease_until IS NOT NULL;
CREATE TABLE scenario_effects (
    run_id TEXT NOT NULL REFERENCES scenario_runs (id) ON DELETE CASCADE,
    effect_key TEXT NOT NULL,
    state TEXT NOT NULL,
    outputs TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (run_id, effect_key)
);

-- 0009_outreach_compliance
CREATE TABLE suppressions (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    reason TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (workspace_id, kind, value)
);
CREATE TABLE consent_events (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    action TEXT NOT NULL,
    reason TEXT NOT NULL,
    source TEXT NOT NULL,
    detail TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX consent_events_value ON consent_events (workspace_id, kind, value, created_at);
CREATE TABLE message_events (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    event_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    recipient TEXT,
    provider_message_id TEXT,
    payload TEXT NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    UNIQUE (provider, event_key)
);
CREATE INDEX message_events_message ON message_events (provider, provider_message_id);

-- 0010_sequences
CREATE TABLE sequences (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sequences_workspace ON sequences (workspace_id, name);

-- 0011_enrollments
CREATE TABLE enrollments (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    sequence_id TEXT NOT NULL REFERENCES sequences (id) ON DELETE CASCADE,
    lead_id TEXT NOT NULL,
    status TEXT NOT NULL,
    step_index INTEGER NOT NULL DEFAULT 0,
    next_action_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (sequence_id, lead_id)
);
CREATE INDEX enrollments_lead ON enrollments (workspace_id, lead_id, status);
CREATE INDEX enrollments_due ON enrollments (status, next_action_at);

-- 0012_outreach_messages
CREATE TABLE senders (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    provider TEXT NOT NULL,
    address TEXT NOT NULL,
    name TEXT NOT NULL,
    title TEXT,
    physical_address TEXT,
    daily_limit INTEGER,
    hourly_limit INTEGER,
    min_interval_seconds INTEGER NOT NULL DEFAULT 0,
    jitter_seconds INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (workspace_id, channel, address)
);
CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    sequence_id TEXT NOT NULL,
    enrollment_id TEXT NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    lead_id TEXT NOT NULL,
    step_index INTEGER NOT NULL,
    step_id TEXT NOT NULL,
    variant TEXT,
    channel TEXT NOT NULL,
    provider TEXT NOT NULL,
    sender_id TEXT,
    recipient TEXT NOT NULL,
    recipient_domain TEXT,
    subject TEXT,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    provider_message_id TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ,
    delivered_at TIMESTAMPTZ,
    opened_at TIMESTAMPTZ,
    clicked_at TIMESTAMPTZ,
    replied_at TIMESTAMPTZ,
    bounced_at TIMESTAMPTZ,
    unsubscribed_at TIMESTAMPTZ,
    spam_reported_at TIMESTAMPTZ,
    failed_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (enrollment_id, step_index)
);
CREATE INDEX messages_sender ON messages (sender_id, created_at);
CREATE INDEX messages_provider_id ON messages (provider, provider_message_id);
CREATE INDEX messages_sequence ON messages (sequence_id, step_index);
CREATE INDEX messages_recipient ON messages (workspace_id, recipient, created_at);
CREATE INDEX messages_domain ON messages (workspace_id, recipient_domain, created_at);
CREATE INDEX messages_status ON messages (status);
ALTER TABLE message_events ADD COLUMN message_id TEXT;
ALTER TABLE enrollments ADD COLUMN status_reason TEXT;

-- 0013_job_deaths
ALTER TABLE jobs ADD COLUMN worker_deaths INTEGER NOT NULL DEFAULT 0;

-- 0014_scenario_limits
ALTER TABLE workspaces ADD COLUMN scenario_limits TEXT;

-- 0015_login_throttle
CREATE TABLE login_throttle (
    throttle_key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    blocked_until TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL
);

-- 0016_api_key_roles
ALTER TABLE api_keys ADD COLUMN role TEXT NOT NULL DEFAULT 'admin';
ALTER TABLE api_keys ADD COLUMN expires_at TIMESTAMPTZ;

-- 0017_crm_accounts
CREATE TABLE crm_accounts (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    provider TEXT NOT NULL,
    account_id TEXT NOT NULL,
    credential TEXT NOT NULL,
    learned_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (workspace_id, provider)
);
CREATE INDEX crm_accounts_account ON crm_accounts (provider, account_id);

-- 0018_phone_reveals
CREATE TABLE phone_reveals (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    person_id TEXT NOT NULL,
    lead_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    status TEXT NOT NULL,
    request_id TEXT,
    detail TEXT,
    requested_at TIMESTAMPTZ NOT NULL,
    settled_at TIMESTAMPTZ,
    PRIMARY KEY (workspace_id, person_id)
);
CREATE INDEX phone_reveals_lead ON phone_reveals (workspace_id, lead_id);
CREATE INDEX phone_reveals_run ON phone_reveals (run_id, status);

-- 0019_job_kind_names
UPDATE jobs SET kind = 'outreach_dispatch' WHERE kind = 'outreach.dispatch';
UPDATE job_schedules SET kind = 'outreach_dispatch' WHERE kind = 'outreach.dispatch';
UPDATE jobs SET kind = 'outreach_tick' WHERE kind = 'outreach.tick';
UPDATE job_schedules SET kind = 'outreach_tick' WHERE kind = 'outreach.tick';

-- 0020_outgoing_webhooks
CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    url TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    previous_secret TEXT,
    previous_secret_until TIMESTAMPTZ,
    status TEXT NOT NULL,
    disabled_reason TEXT,
    failing_since TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_endpoints_workspace ON webhook_endpoints (workspace_id, status);
CREATE TABLE webhook_messages (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_type TEXT NOT NULL,
    subject TEXT,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_until TIMESTAMPTZ,
    last_status INTEGER,
    last_error TEXT,
    delivered_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_messages_due ON webhook_messages (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_messages_order ON webhook_messages (endpoint_id, subject, created_at)
WHERE state = 'pending';
CREATE INDEX webhook_messages_endpoint ON webhook_messages (endpoint_id, created_at);
CREATE TABLE webhook_attempts (
    id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES webhook_messages (id) ON DELETE CASCADE,
    endpoint_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    duration_ms INTEGER NOT NULL,
    status_code INTEGER,
    error TEXT,
    response_excerpt TEXT NOT NULL DEFAULT '',
    succeeded INTEGER NOT NULL
);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, started_at);
CREATE INDEX webhook_attempts_message ON webhook_attempts (message_id, started_at);

-- 0021_event_names
UPDATE scenario_subscriptions SET event = 'enrichment.finished' WHERE event = 'enrichment.completed';
UPDATE automation_events SET kind = 'enrichment.finished' WHERE kind = 'enrichment.completed';

-- 0022_inbound_hooks
CREATE TABLE inbound_hooks (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    mapping TEXT NOT NULL,
    received INTEGER NOT NULL DEFAULT 0,
    last_received_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX inbound_hooks_workspace ON inbound_hooks (workspace_id, created_at);

-- 0023_email_verifications
CREATE TABLE email_verifications (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    email TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL,
    mail_exchangers TEXT NOT NULL,
    role_account INTEGER NOT NULL,
    disposable INTEGER NOT NULL,
    checked_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (workspace_id, email)
);

-- 0024_lead_merges
CREATE TABLE duplicate_pairs (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    lead_a TEXT NOT NULL,
    lead_b TEXT NOT NULL,
    probability DOUBLE PRECISION NOT NULL,
    agreed TEXT NOT NULL,
    state TEXT NOT NULL,
    found_at TIMESTAMPTZ NOT NULL,
    decided_at TIMESTAMPTZ,
    decided_by TEXT,
    PRIMARY KEY (workspace_id, lead_a, lead_b)
);
CREATE INDEX duplicate_pairs_state ON duplicate_pairs (workspace_id, state, probability);
CREATE TABLE lead_merges (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    survivor_id TEXT NOT NULL,
    absorbed_id TEXT NOT NULL,
    probability DOUBLE PRECISION,
    record TEXT NOT NULL,
    actor TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    undone_at TIMESTAMPTZ
);
CREATE INDEX lead_merges_absorbed ON lead_merges (workspace_id, absorbed_id);
CREATE INDEX lead_merges_survivor ON lead_merges (workspace_id, survivor_id);

-- 0025_workspace_smtp_probe
ALTER TABLE workspaces ADD COLUMN smtp_probe INTEGER NOT NULL DEFAULT 0;

-- 0026_job_trace_parent
ALTER TABLE jobs ADD COLUMN trace_parent TEXT;
