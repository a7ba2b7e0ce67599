/**
 * @module Versioned migrations: plain PostgreSQL, the same for PGlite and a
 * real server. Append new ones; never edit one that has shipped.
 */
import { type Kysely, sql } from 'kysely'
import type { Tables } from './schema'

/**
 * One step of the schema: plain PostgreSQL, applied once, in `version` order.
 *
 * @example
 * const next: Migration = {
 *   version: MIGRATIONS.length + 1,
 *   name: 'complaints by page',
 *   sql: "CREATE INDEX complaints_page ON complaints ((body->'page'->>'url'))",
 * }
 */
export interface Migration {
  /** 1, 2, 3…: the order they are applied in, and what `redress_migrations` records. */
  version: number
  /** What it does, for people reading the record. */
  name: string
  /** The statements, run in `migrate`'s transaction. */
  sql: string
}

/**
 * Every migration of the server's schema, oldest first. `openDatabase` applies
 * the ones a database lacks; `migrate` does it for a Kysely you opened yourself.
 *
 * @example
 * const latest = MIGRATIONS[MIGRATIONS.length - 1]!.version
 * await migrate(db, MIGRATIONS) // the versions it applied: [] when up to date
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sites, complaints, follow-ups, events',
    sql: `
      CREATE TABLE sites (
        id text PRIMARY KEY,
        public_key text NOT NULL UNIQUE,
        name text NOT NULL,
        origins jsonb NOT NULL DEFAULT '[]',
        categories jsonb NOT NULL,
        policy jsonb,
        admin_token_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE complaints (
        id text PRIMARY KEY,
        site_id text NOT NULL REFERENCES sites (id),
        reference text NOT NULL,
        idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
        request_hash text NOT NULL,
        token_hash text NOT NULL,
        body jsonb NOT NULL,
        category text NOT NULL,
        severity text NOT NULL CHECK (severity IN ('minor', 'major', 'critical')),
        status text NOT NULL DEFAULT 'received'
          CHECK (status IN ('received', 'in_progress', 'resolved', 'closed', 'reopened')),
        customer_id text,
        order_ref text,
        receipt text NOT NULL,
        received_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT complaints_site_idempotency_key UNIQUE (site_id, idempotency_key),
        CONSTRAINT complaints_site_reference UNIQUE (site_id, reference)
      );
      CREATE INDEX complaints_site_received ON complaints (site_id, received_at DESC);
      CREATE INDEX complaints_site_status ON complaints (site_id, status);
      CREATE INDEX complaints_site_customer ON complaints (site_id, customer_id, received_at)
        WHERE customer_id IS NOT NULL;

      CREATE TABLE follow_ups (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        complaint_id text NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
        score smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
        resolved boolean NOT NULL,
        comment text,
        fairness jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX follow_ups_complaint ON follow_ups (complaint_id);

      CREATE TABLE events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        complaint_id text NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
        type text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX events_complaint ON events (complaint_id, id);

      CREATE TABLE settings (
        key text PRIMARY KEY,
        value text NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'recoveries ledger, incidents, recovery budgets',
    sql: `
      CREATE TABLE recoveries (
        id text PRIMARY KEY,
        -- Insertion order: several rows of one complaint share created_at.
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        complaint_id text NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
        site_id text NOT NULL REFERENCES sites (id),
        customer_id text,
        -- The ledger key: which rule of the policy issued it ('apology', 'remedy',
        -- 'escalation'); one row per complaint and key makes issuance idempotent.
        policy_key text NOT NULL,
        kind text NOT NULL
          CHECK (kind IN ('apology', 'coupon', 'refund', 'replacement', 'correction', 'escalation')),
        value bigint NOT NULL DEFAULT 0 CHECK (value >= 0),
        currency text CHECK (currency ~ '^[A-Z]{3}$'),
        status text NOT NULL
          CHECK (status IN ('issued', 'pending_approval', 'approved', 'rejected')),
        -- Why a remedy waits for approval: 'customer_cap', 'site_day_cap', 'per_complaint_cap', 'currency'.
        reason text,
        code text,
        expires_at timestamptz,
        -- The Recovery as sent, byte for byte (text, not JSONB, which reorders keys);
        -- NULL while a remedy waits for approval.
        recovery text,
        -- Same incident, same remedy: the row this one repeats (its coupon is shared).
        reused_from text REFERENCES recoveries (id),
        policy_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT recoveries_ledger UNIQUE (complaint_id, policy_key)
      );
      CREATE UNIQUE INDEX recoveries_code ON recoveries (code)
        WHERE code IS NOT NULL AND reused_from IS NULL;
      CREATE INDEX recoveries_site_customer ON recoveries (site_id, customer_id, created_at)
        WHERE customer_id IS NOT NULL AND value > 0;
      CREATE INDEX recoveries_site_created ON recoveries (site_id, created_at);

      -- The first complaint about an incident decides its remedy; later ones reuse it.
      CREATE TABLE incidents (
        site_id text NOT NULL REFERENCES sites (id),
        category text NOT NULL,
        order_ref text NOT NULL,
        complaint_id text NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (site_id, category, order_ref)
      );

      -- Rows locked FOR UPDATE while a remedy is checked against the caps, made on
      -- demand: one per customer (the 30-day sum is read under it), one per site and
      -- UTC day (it also keeps the day's running total).
      CREATE TABLE recovery_customer_locks (
        site_id text NOT NULL REFERENCES sites (id),
        customer_id text NOT NULL,
        PRIMARY KEY (site_id, customer_id)
      );
      CREATE TABLE recovery_site_days (
        site_id text NOT NULL REFERENCES sites (id),
        day date NOT NULL,
        issued bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (site_id, day)
      );
    `,
  },
  {
    version: 3,
    name: 'rate limit counters',
    sql: `
      -- Fixed-window counters for POST /v1/complaints, shared by every server
      -- process: scope 'ip' (key: site id, space, client address or IPv6 /64)
      -- or 'site' (key: site id). Bumped with INSERT … ON CONFLICT DO UPDATE …
      -- RETURNING count; windows older than a day are deleted now and then.
      CREATE TABLE rate_limit_counters (
        scope text NOT NULL CHECK (scope IN ('ip', 'site')),
        key text NOT NULL,
        window_start timestamptz NOT NULL,
        count integer NOT NULL DEFAULT 1,
        PRIMARY KEY (scope, key, window_start)
      );
      CREATE INDEX rate_limit_counters_window ON rate_limit_counters (window_start);

      -- A site's own limits, merged over the server's: { perIp, perSite }, each
      -- { limit, windowSeconds } or false; NULL keeps the server's.
      ALTER TABLE sites ADD COLUMN rate_limits jsonb;
    `,
  },
  {
    version: 4,
    name: 'webhook endpoints and their outbox',
    sql: `
      CREATE TABLE webhook_endpoints (
        id text PRIMARY KEY,
        site_id text NOT NULL REFERENCES sites (id),
        url text NOT NULL CHECK (url ~ '^https?://'),
        -- 'whsec_' + base64 of 32 random bytes (Standard Webhooks); the receiver needs it
        -- to verify, so it is stored as is (unlike admin tokens, which are hashed).
        secret text NOT NULL CHECK (secret LIKE 'whsec_%'),
        -- The event types it receives, e.g. ["complaint.created", "recovery.issued"].
        event_types jsonb NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX webhook_endpoints_site ON webhook_endpoints (site_id) WHERE enabled;

      -- The outbox: one row per event and endpoint, written in the transaction of the change.
      CREATE TABLE webhook_deliveries (
        -- The Standard Webhooks 'webhook-id' ('msg_…'): the same on every attempt and replay.
        id text PRIMARY KEY,
        -- Insertion order, to send a site's events roughly in the order they happened.
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        endpoint_id text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        event_type text NOT NULL,
        -- The body as sent, byte for byte (text, not JSONB): the signature covers these bytes.
        payload text NOT NULL,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'delivered', 'failed', 'disabled')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        last_status integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz
      );
      -- The worker's query: due pending rows, oldest first.
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, seq)
        WHERE status = 'pending';
      CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, seq);
    `,
  },
  {
    version: 5,
    name: 'admin API: owner, root cause, recovery assessment, remedy decisions',
    sql: `
      -- Who owns the complaint (free text: a name or an e-mail), set by the admin API.
      ALTER TABLE complaints ADD COLUMN assignee text CHECK (length(assignee) BETWEEN 1 AND 200);
      -- The root cause once diagnosed, and whether the recovery given was appropriate.
      ALTER TABLE complaints ADD COLUMN root_cause text CHECK (root_cause IN
        ('people', 'process', 'technology', 'supplier', 'third_party', 'external_event', 'customer'));
      ALTER TABLE complaints ADD COLUMN recovery_appropriate boolean;
      -- Newest first with a stable tie-break: the admin list's order and cursor.
      CREATE INDEX complaints_site_received_id ON complaints (site_id, received_at DESC, id DESC);
      -- An admin token is looked up by its hash (then compared in constant time).
      CREATE INDEX sites_admin_token_hash ON sites (admin_token_hash);
      -- When a pending remedy was approved or rejected.
      ALTER TABLE recoveries ADD COLUMN decided_at timestamptz;
    `,
  },
  {
    version: 6,
    name: 'bot signals, replies, service guarantees, coupon pools, site audit',
    sql: `
      -- Why the complaint looks sent by a bot (a filled honeypot, a form sent faster
      -- than a person types): it is kept, and gets the apology but no remedy.
      ALTER TABLE complaints ADD COLUMN suspicion text CHECK (suspicion IN ('honeypot', 'too_fast'));
      -- When the owner first replied to the customer (the admin API).
      ALTER TABLE complaints ADD COLUMN first_reply_at timestamptz;
      -- The site's service guarantee as it stood when the complaint arrived, its
      -- deadline, and whether it was kept; the guarantee worker reads the due ones.
      ALTER TABLE complaints ADD COLUMN guarantee jsonb;
      ALTER TABLE complaints ADD COLUMN guarantee_due_at timestamptz;
      ALTER TABLE complaints ADD COLUMN guarantee_state text
        CHECK (guarantee_state IN ('pending', 'kept', 'broken'));
      CREATE INDEX complaints_guarantee_due ON complaints (guarantee_due_at)
        WHERE guarantee_state = 'pending';
      -- The site's service guarantee (text, deadline, promised remedy); NULL: none.
      ALTER TABLE sites ADD COLUMN guarantee jsonb;

      -- Coupon codes the owner uploaded (made in their shop system), each worth a
      -- fixed value; a policy remedy takes a free one instead of generating a code.
      CREATE TABLE coupon_pool (
        site_id text NOT NULL REFERENCES sites (id),
        code text NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
        value bigint NOT NULL CHECK (value > 0),
        expires_at timestamptz,
        -- The remedy that took it; NULL while free.
        recovery_id text REFERENCES recoveries (id),
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (site_id, code)
      );
      CREATE INDEX coupon_pool_free ON coupon_pool (site_id, value DESC) WHERE recovery_id IS NULL;

      -- Codes are unique per site: two sites may upload the same code to their pools.
      DROP INDEX recoveries_code;
      CREATE UNIQUE INDEX recoveries_site_code ON recoveries (site_id, code)
        WHERE code IS NOT NULL AND reused_from IS NULL;

      -- Every change to a site's settings: per field, what it was and what it became.
      CREATE TABLE site_changes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        site_id text NOT NULL REFERENCES sites (id),
        changes jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX site_changes_site ON site_changes (site_id, id DESC);
    `,
  },
  {
    version: 7,
    name: 'verified customers, incidents per customer, goodwill budgets',
    sql: `
      -- The keys a site's backend signs customer tokens with. Kept as written (an
      -- HMAC needs the key itself); the newest has no expiry, older ones stay
      -- valid until expires_at so tokens signed just before a rotation still verify.
      CREATE TABLE site_verification_secrets (
        id text PRIMARY KEY,
        site_id text NOT NULL REFERENCES sites (id),
        secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz
      );
      CREATE INDEX site_verification_secrets_site ON site_verification_secrets (site_id, created_at DESC);

      -- What a valid customer token said about the complaint ({customerId, email,
      -- name, order}); NULL for an unverified complaint.
      ALTER TABLE complaints ADD COLUMN verified jsonb;
      -- The client's address as the rate limits key it (an IPv6 /64 as one client).
      ALTER TABLE complaints ADD COLUMN client_key text;
      -- customer_id holds verified ids only from now on; what older complaints
      -- claimed stays in their body.
      UPDATE complaints SET customer_id = NULL;
      UPDATE recoveries SET customer_id = NULL;

      -- An incident is one verified customer's order: whoever else names the same
      -- order reference gets nothing of it. Incidents keyed by the order alone are dropped.
      DELETE FROM incidents;
      ALTER TABLE incidents ADD COLUMN customer_id text NOT NULL;
      ALTER TABLE incidents DROP CONSTRAINT incidents_pkey;
      ALTER TABLE incidents ADD PRIMARY KEY (site_id, customer_id, category, order_ref);

      -- Goodwill coupons for unverified complaints: the site's total per UTC day and
      -- the count per client per day, each row locked while it is checked.
      CREATE TABLE goodwill_days (
        site_id text NOT NULL REFERENCES sites (id),
        day date NOT NULL,
        issued bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (site_id, day)
      );
      CREATE TABLE goodwill_clients (
        site_id text NOT NULL REFERENCES sites (id),
        day date NOT NULL,
        client_key text NOT NULL,
        given integer NOT NULL DEFAULT 0,
        PRIMARY KEY (site_id, day, client_key)
      );
    `,
  },
  {
    version: 8,
    name: 'the policy texts per locale: old text overrides moved to policy.texts.en',
    sql: `
      -- The customer's texts moved from messages.*, coupon.label, coupon.terms,
      -- refund.message and escalation.message to texts.<locale>.<key>. What a
      -- site overrode was English (the only texts there were), so it goes to
      -- texts.en; only texts move: values of another type were ignored before.
      -- A text already under texts.en wins.
      UPDATE sites SET policy = jsonb_set(
          policy,
          '{texts}',
          CASE WHEN jsonb_typeof(policy->'texts') = 'object' THEN policy->'texts' ELSE '{}' END
          || jsonb_build_object('en', old.en || CASE
            WHEN jsonb_typeof(policy->'texts'->'en') = 'object' THEN policy->'texts'->'en'
            ELSE '{}' END))
        FROM (
          SELECT id, jsonb_build_object(
            'apology', policy->'messages'->'apology',
            'explanation', policy->'messages'->'explanation',
            'review', policy->'messages'->'review',
            'replacement', policy->'messages'->'replacement',
            'correction', policy->'messages'->'correction',
            'refund', policy->'refund'->'message',
            'escalation', policy->'escalation'->'message',
            'couponLabel', policy->'coupon'->'label',
            'couponTerms', policy->'coupon'->'terms'
          )
          FROM sites WHERE jsonb_typeof(policy) = 'object'
        ) AS moved (id, texts),
        LATERAL (
          SELECT COALESCE(jsonb_object_agg(key, value), '{}')
          FROM jsonb_each(moved.texts) WHERE jsonb_typeof(value) = 'string'
        ) AS old (en)
        WHERE sites.id = moved.id AND old.en <> '{}';

      -- Then the old places go, and an object left empty with them.
      UPDATE sites SET policy = policy - 'messages'
        WHERE jsonb_typeof(policy) = 'object' AND policy ? 'messages';
      UPDATE sites SET policy = CASE
          WHEN (policy->'coupon') - 'label' - 'terms' = '{}' THEN policy - 'coupon'
          ELSE jsonb_set(policy, '{coupon}', (policy->'coupon') - 'label' - 'terms') END
        WHERE jsonb_typeof(policy->'coupon') = 'object' AND policy->'coupon' ?| ARRAY['label', 'terms'];
      UPDATE sites SET policy = CASE
          WHEN (policy->'refund') - 'message' = '{}' THEN policy - 'refund'
          ELSE jsonb_set(policy, '{refund}', (policy->'refund') - 'message') END
        WHERE jsonb_typeof(policy->'refund') = 'object' AND policy->'refund' ? 'message';
      UPDATE sites SET policy = CASE
          WHEN (policy->'escalation') - 'message' = '{}' THEN policy - 'escalation'
          ELSE jsonb_set(policy, '{escalation}', (policy->'escalation') - 'message') END
        WHERE jsonb_typeof(policy->'escalation') = 'object' AND policy->'escalation' ? 'message';
    `,
  },
  {
    version: 9,
    name: 'mail: site settings, the mail outbox, suppressed addresses',
    sql: `
      -- The site's mail settings ({ from, team, acknowledge }); NULL: none.
      ALTER TABLE sites ADD COLUMN mail jsonb;

      -- The mail outbox: one row per message and recipient, written in the
      -- transaction of the change that causes it; the mail worker sends it.
      CREATE TABLE mail_messages (
        -- 'mail_…'; the message's Message-ID is built from it once, so every attempt carries the same.
        id text PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        site_id text NOT NULL REFERENCES sites (id),
        complaint_id text NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('acknowledgment', 'reply', 'follow_up',
          'team_critical', 'team_approval', 'team_guarantee')),
        recipient text NOT NULL,
        locale text NOT NULL CHECK (locale IN ('en', 'zh-CN')),
        -- What the template needs besides the complaint (a reply's words, the remedy waiting).
        data jsonb NOT NULL DEFAULT '{}',
        -- Written by the worker on the first attempt, then sent as is on every retry.
        subject text,
        message_id text,
        sender text,
        text_body text,
        html_body text,
        unsubscribe_url text,
        state text NOT NULL DEFAULT 'pending'
          CHECK (state IN ('pending', 'sent', 'bounced', 'failed', 'not_sent', 'suppressed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        -- Set when a worker takes the row, cleared with the attempt's outcome: still set
        -- when the row is taken again, the attempt before died and may have been delivered.
        sending_since timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        -- A follow-up mail's links record one answer, whichever of them is used how often.
        answered_at timestamptz
      );
      CREATE INDEX mail_messages_due ON mail_messages (next_attempt_at, seq) WHERE state = 'pending';
      CREATE INDEX mail_messages_complaint ON mail_messages (complaint_id, seq);
      -- The acknowledgments one address got lately (a cap against mail bombing through complaints).
      CREATE INDEX mail_messages_site_recipient ON mail_messages (site_id, lower(recipient), created_at);

      -- Addresses a site sends nothing more to: the customer unsubscribed, or the
      -- address was refused for good (a 5xx to RCPT TO). Lower case.
      CREATE TABLE mail_suppressions (
        site_id text NOT NULL REFERENCES sites (id),
        address text NOT NULL,
        reason text NOT NULL CHECK (reason IN ('unsubscribed', 'bounced')),
        -- The mail whose link or bounce it came from, and the SMTP server's words for a bounce.
        mail_id text,
        detail text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (site_id, address)
      );
    `,
  },
  {
    version: 10,
    name: 'early warning: alert rules per site, alerts, team mail about an alert or a customer writing back',
    sql: `
      -- The site's early-warning rules (AlertRule[]); NULL: the defaults, []: none.
      ALTER TABLE sites ADD COLUMN alerts jsonb;

      -- One row per episode: a rule crossed for one group (a category, a failure
      -- type, or '' for the whole site), open until the rule was not crossed for a
      -- whole window. At most one open episode per rule and group, whichever
      -- process checks: the partial unique index decides who raises it.
      CREATE TABLE alerts (
        id text PRIMARY KEY,
        site_id text NOT NULL REFERENCES sites (id),
        rule_id text NOT NULL,
        group_key text NOT NULL DEFAULT '',
        -- The rule as it was when raised: what the alert counted, whatever changes later.
        rule jsonb NOT NULL,
        count integer NOT NULL,
        baseline double precision,
        window_from timestamptz NOT NULL,
        raised_at timestamptz NOT NULL,
        last_crossed_at timestamptz NOT NULL,
        ended_at timestamptz,
        dismissed_at timestamptz
      );
      CREATE UNIQUE INDEX alerts_open ON alerts (site_id, rule_id, group_key) WHERE ended_at IS NULL;
      CREATE INDEX alerts_site_raised ON alerts (site_id, raised_at DESC);

      -- A team mail about an alert belongs to no complaint.
      ALTER TABLE mail_messages ALTER COLUMN complaint_id DROP NOT NULL;
      ALTER TABLE mail_messages ADD COLUMN alert_id text REFERENCES alerts (id) ON DELETE CASCADE;
      ALTER TABLE mail_messages DROP CONSTRAINT mail_messages_kind_check;
      ALTER TABLE mail_messages ADD CONSTRAINT mail_messages_kind_check CHECK (kind IN
        ('acknowledgment', 'reply', 'follow_up', 'team_critical', 'team_approval',
         'team_guarantee', 'team_alert', 'team_reply'));
      ALTER TABLE mail_messages ADD CONSTRAINT mail_messages_about
        CHECK ((complaint_id IS NULL) <> (alert_id IS NULL));
    `,
  },
  {
    version: 11,
    name: 'known-issue notices the owner publishes',
    sql: `
      -- Shown by the widget on matching pages while they run (starts_at..ends_at).
      CREATE TABLE notices (
        id text PRIMARY KEY,
        site_id text NOT NULL REFERENCES sites (id),
        -- { en?, "zh-CN"? }, at least one.
        messages jsonb NOT NULL,
        level text NOT NULL DEFAULT 'info' CHECK (level IN ('info', 'warning')),
        -- A path prefix or a pattern with * and **; NULL: every page.
        page text,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz,
        alert_id text REFERENCES alerts (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at IS NULL OR ends_at > starts_at)
      );
      CREATE INDEX notices_site_ends ON notices (site_id, ends_at);
    `,
  },
  {
    version: 12,
    name: 'self-help: forms closed after a help link',
    sql: `
      -- A customer opened a category's help link and closed the form without
      -- sending: once per client (clientKey), category and UTC day.
      CREATE TABLE help_deflections (
        site_id text NOT NULL REFERENCES sites (id),
        day date NOT NULL,
        category text NOT NULL,
        client_key text NOT NULL,
        PRIMARY KEY (site_id, day, category, client_key)
      );
    `,
  },
  {
    version: 13,
    name: 'people: team members, sessions, one-time links, API tokens',
    sql: `
      -- A person of one site's team. E-mail lower case, one account per address.
      CREATE TABLE users (
        id text PRIMARY KEY,
        site_id text NOT NULL REFERENCES sites (id),
        email text NOT NULL UNIQUE,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('owner', 'manager', 'agent', 'viewer')),
        -- Argon2id (PHC string); NULL until the invitation is accepted.
        password_hash text,
        totp_secret text,
        totp_enabled boolean NOT NULL DEFAULT false,
        -- Authority limits in minor units of the site's currency; NULL: none of their own.
        remedy_limit bigint,
        day_limit bigint,
        created_at timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz
      );
      CREATE INDEX users_site ON users (site_id);

      -- A signed-in browser: the cookie holds the id, the row its SHA-256.
      CREATE TABLE sessions (
        id_hash text PRIMARY KEY,
        user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      );
      CREATE INDEX sessions_user ON sessions (user_id);

      -- Invitation and one-time sign-in links: single use, expiring, only the hash kept.
      CREATE TABLE sign_in_links (
        token_hash text PRIMARY KEY,
        user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('invite', 'sign_in')),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      -- Named, scoped tokens for scripts; only the hash kept.
      CREATE TABLE api_tokens (
        id text PRIMARY KEY,
        site_id text NOT NULL REFERENCES sites (id),
        name text NOT NULL,
        scopes jsonb NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      );

      -- Sign-in attempts are counted per address and per account, as complaints are.
      ALTER TABLE rate_limit_counters DROP CONSTRAINT rate_limit_counters_scope_check;
      ALTER TABLE rate_limit_counters ADD CONSTRAINT rate_limit_counters_scope_check
        CHECK (scope IN ('ip', 'site', 'sign_in_ip', 'sign_in_account'));

      -- An invitation or a sign-in link is mailed to one person, about no complaint.
      ALTER TABLE mail_messages ADD COLUMN user_id text REFERENCES users (id) ON DELETE CASCADE;
      ALTER TABLE mail_messages DROP CONSTRAINT mail_messages_about;
      ALTER TABLE mail_messages ADD CONSTRAINT mail_messages_about
        CHECK (num_nonnulls(complaint_id, alert_id, user_id) = 1);
      ALTER TABLE mail_messages DROP CONSTRAINT mail_messages_kind_check;
      ALTER TABLE mail_messages ADD CONSTRAINT mail_messages_kind_check CHECK (kind IN
        ('acknowledgment', 'reply', 'follow_up', 'team_critical', 'team_approval',
         'team_guarantee', 'team_alert', 'team_reply', 'team_invite', 'sign_in_link'));
    `,
  },
  {
    version: 14,
    name: 'authority: what each person gave per day',
    sql: `
      -- Money a person gave or approved in a UTC day, in minor units of the site's
      -- currency: charged with one conditional UPDATE, so two requests at once
      -- cannot both pass the limit.
      CREATE TABLE authority_days (
        user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        day date NOT NULL,
        given bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (user_id, day)
      );
    `,
  },
  {
    version: 15,
    name: 'ownership by identity, and who changed the settings',
    sql: `
      -- The person who owns the complaint (assignee keeps their name as shown).
      ALTER TABLE complaints ADD COLUMN assignee_id text REFERENCES users (id) ON DELETE SET NULL;
      CREATE INDEX complaints_site_assignee ON complaints (site_id, assignee_id);
      -- Who made a settings change: { kind, id, name }; NULL before people existed.
      ALTER TABLE site_changes ADD COLUMN by jsonb;
    `,
  },
  {
    version: 16,
    name: 'photos with a complaint',
    sql: `
      -- The metadata of a complaint's photos; their bytes are in the blob store
      -- under blob_key (random, never the customer's file name).
      CREATE TABLE attachments (
        id text PRIMARY KEY,
        complaint_id text NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
        site_id text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
        idempotency_key text NOT NULL,
        seq integer NOT NULL,
        blob_key text NOT NULL UNIQUE,
        type text NOT NULL CHECK (type IN ('image/jpeg', 'image/png', 'image/webp')),
        size integer NOT NULL,
        width integer NOT NULL,
        height integer NOT NULL,
        sha256 text NOT NULL,
        name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- A retried upload stores one photo; a complaint numbers its photos 1, 2, 3.
        UNIQUE (complaint_id, idempotency_key),
        UNIQUE (complaint_id, seq)
      );
      CREATE INDEX attachments_site_created ON attachments (site_id, created_at);
      -- The site's photo settings ({ retentionDays }); NULL: the defaults (180 days).
      ALTER TABLE sites ADD COLUMN attachments jsonb;
    `,
  },
]

/** Arbitrary, fixed: the first half of the advisory lock key that guards migrations. */
const LOCK_NAMESPACE = 0x52_44_52_53 // "RDRS"

/**
 * Apply every migration not yet recorded, in order, in one transaction that
 * first takes a transaction-level advisory lock (per schema), so two
 * processes starting together apply each migration exactly once: the second
 * waits, then finds nothing left to do. Returns the versions it applied.
 *
 * @example
 * const applied = await migrate(db) // [1] on a new database, [] after
 */
export async function migrate(
  db: Kysely<Tables>,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(current_schema()))`.execute(
      trx,
    )
    await sql`
      CREATE TABLE IF NOT EXISTS redress_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`.execute(trx)
    const rows = await trx.selectFrom('redress_migrations').select('version').execute()
    const done = new Set(rows.map((row) => Number(row.version)))
    const applied: number[] = []
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue
      await sql.raw(migration.sql).execute(trx)
      await trx
        .insertInto('redress_migrations')
        .values({ version: migration.version, name: migration.name })
        .execute()
      applied.push(migration.version)
    }
    return applied
  })
}
