import Foundation

/// The sandbox's knobs: who may call it, how much it holds, and how badly it behaves.
public struct SandboxOptions: Sendable {
    /// The Apollo API keys it accepts in `x-api-key`.
    public var apolloAPIKeys: Set<String> = [SandboxOptions.apolloAPIKey]
    /// Apollo keys scoped to some endpoints only (not master keys): any other endpoint answers 403.
    public var apolloScopedKeys: [String: Set<String>] = [
        SandboxOptions.apolloSearchOnlyKey: ["mixed_people/api_search"]
    ]
    /// The HubSpot private-app tokens it accepts as `Authorization: Bearer`.
    public var hubspotTokens: Set<String> = [SandboxOptions.hubspotToken]
    /// The SendGrid API keys it accepts as `Authorization: Bearer`.
    public var sendgridAPIKeys: Set<String> = [SandboxOptions.sendgridAPIKey]
    /// The Slack incoming-webhook paths it knows; any other answers `no_service`.
    public var slackWebhookPaths: Set<String> = [SandboxOptions.slackWebhookPath]
    /// People in the Apollo directory, generated from `seed`.
    public var people = 5_000
    public var seed: UInt64 = 42
    /// Records one Apollo search can show (Apollo's is 500 pages of 100); past it pages come back empty.
    public var searchRecordCap = 50_000
    /// Multiplies every rate limit: 1 is the vendors' documented defaults, larger for benchmarks.
    public var rateLimitScale = 1.0
    /// Added to every answer.
    public var latency: Duration = .zero
    /// Share of calls (0…1) answered with a 503, at random.
    public var errorRate = 0.0
    /// How long Apollo takes to deliver revealed phone numbers to the webhook ("several minutes" for real).
    public var phoneWebhookDelay: Duration = .seconds(2)
    /// Where the messaging fakes send their signed events and inbound messages (our server's root); nil: they
    /// send none until `POST /__sandbox/callbacks` sets it.
    public var callbackBaseURL: URL?

    public static let apolloAPIKey = "sandbox-apollo-key"
    /// A key that may only search, as a key created with a narrow scope in Apollo's settings.
    public static let apolloSearchOnlyKey = "sandbox-apollo-search-only-key"
    public static let hubspotToken = "pat-sandbox-hubspot-token"
    /// Make's API token in the sandbox (a UUID, so it is sent as `Token …`), its team, and a custom
    /// webhook a cloud scenario listens to.
    public static let makeAPIToken = "5f0b4c3e-8a1d-4e2f-9b6a-0c1d2e3f4a5b"
    public static let makeTeamID = 4711
    public static let makeHookToken = "sandboxmakehook6ds4"
    public static let sendgridAPIKey = "SG.sandbox-sendgrid-key"
    /// The secret the SendGrid fake's Inbound Parse posts carry (`SENDGRID_INBOUND_PARSE_TOKEN`).
    public static let sendgridInboundParseToken = "sandbox-inbound-parse-token"
    /// Mailgun's sandbox API key and sending domain.
    public static let mailgunAPIKey = "key-sandbox-mailgun"
    public static let mailgunDomain = "mg.sandbox.example"
    /// The key the Mailgun fake signs its webhooks with (`MAILGUN_WEBHOOK_SIGNING_KEY`).
    public static let mailgunWebhookSigningKey = "sandbox-mailgun-webhook-signing-key"
    /// Twilio's sandbox account, its auth token and its one SMS number.
    public static let twilioAccountSID = "AC00000000000000000000000000sandbox"
    public static let twilioAuthToken = "sandbox-twilio-auth-token"
    public static let twilioFromNumber = "+15005550006"
    public static let slackWebhookPath = "/services/TSANDBOX0/BSANDBOX0/sandboxslackwebhooksecret"

    public init() {}
}
