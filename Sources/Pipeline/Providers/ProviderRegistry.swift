import Foundation
import LeadgenCore
import Logging
import Providers
import Storage
import Synchronization

/// Provider credentials from the environment (`APOLLO_API_KEY`, `HUBSPOT_ACCESS_TOKEN`, …): they serve the
/// default workspace, or every workspace in sandbox mode.
public struct ProviderSettings: Sendable, Equatable {
    public var apolloAPIKey: String?
    public var apolloBaseURL = ApolloClient.defaultBaseURL
    public var hubspotAccessToken: String?
    public var hubspotBaseURL = HubSpotClient.defaultBaseURL
    public var hubspotWebhookSecret: String?
    /// A Slack incoming-webhook URL (`SLACK_WEBHOOK_URL`) for `slack:CreateMessage`.
    public var slackWebhookURL: URL?
    /// The keys messaging vendors' webhooks are checked with: SendGrid's event webhook public key
    /// (`SENDGRID_WEBHOOK_PUBLIC_KEY`), Mailgun's HTTP webhook signing key (`MAILGUN_WEBHOOK_SIGNING_KEY`),
    /// and Twilio's auth token (`TWILIO_AUTH_TOKEN`).
    public var sendgridWebhookPublicKey: String?
    public var mailgunWebhookSigningKey: String?
    public var twilioAuthToken: String?
    /// Sending: SendGrid (`SENDGRID_API_KEY`, `SENDGRID_BASE_URL`), Mailgun (`MAILGUN_API_KEY`,
    /// `MAILGUN_DOMAIN`, `MAILGUN_BASE_URL`: the US or the EU region) and Twilio (`TWILIO_ACCOUNT_SID`,
    /// `TWILIO_AUTH_TOKEN`, `TWILIO_BASE_URL`, and `TWILIO_FROM`, the number SMS go from when the workspace has
    /// no SMS sender of its own).
    public var sendgridAPIKey: String?
    /// The secret in the Inbound Parse URL (`SENDGRID_INBOUND_PARSE_TOKEN`): SendGrid signs nothing it parses,
    /// so `POST /webhooks/sendgrid/inbound?token=…` is accepted only with it.
    public var sendgridInboundParseToken: String?
    public var sendgridBaseURL = SendGridClient.defaultBaseURL
    public var mailgunAPIKey: String?
    public var mailgunDomain: String?
    public var mailgunBaseURL = MailgunClient.usBaseURL
    public var twilioAccountSID: String?
    public var twilioBaseURL = TwilioClient.defaultBaseURL
    public var twilioFrom: String?
    /// A Make API token (`MAKE_API_TOKEN`) and the API's base URL (`MAKE_ZONE` or `MAKE_BASE_URL`).
    public var makeAPIToken: String?
    public var makeBaseURL = MakeClient.baseURL(zone: "eu1.make.com")!
    /// Whether the settings serve every workspace (the sandbox) rather than the default one alone.
    public var servesAllWorkspaces = false
    /// Steady request rates this process keeps to, per credential; bursts of up to twice as many.
    /// HubSpot's Free/Starter limit is 100 per ten seconds; Apollo's tightest documented one is 200 a minute.
    public var apolloRequestsPerSecond = 3.0
    public var hubspotRequestsPerSecond = 9.0
    /// How long a provider call may take before it is abandoned.
    public var timeout: Duration = .seconds(30)

    public init() {}
}

/// A provider is not connected for the workspace.
public struct ProviderNotConfigured: Error, CustomStringConvertible, Sendable {
    public var provider: String

    public init(provider: String) { self.provider = provider }
    public var description: String {
        switch provider {
        case "apollo": "Apollo is not connected: set APOLLO_API_KEY, or connect it in the workspace's settings"
        case "hubspot": "HubSpot is not connected: set HUBSPOT_ACCESS_TOKEN, or connect it in the workspace's settings"
        case "make":
            "Make is not connected: set MAKE_API_TOKEN (and MAKE_ZONE), or connect it in the workspace's settings"
        case "slack":
            "Slack is not connected: set SLACK_WEBHOOK_URL, or connect it (its incoming-webhook URL as the secret)"
        case "sendgrid": "SendGrid is not connected: set SENDGRID_API_KEY, or connect it in the workspace's settings"
        case "mailgun":
            "Mailgun is not connected: set MAILGUN_API_KEY and MAILGUN_DOMAIN, or connect it in the workspace's settings"
        case "twilio":
            "Twilio is not connected: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, or connect it in the workspace's settings"
        default: "\(provider) is not connected"
        }
    }
}

/// Builds each workspace's provider clients from its stored connection, or from the environment for the
/// default workspace. One rate limiter per provider credential is shared by the whole process.
public final class ProviderRegistry: Sendable {
    public static let defaultWorkspaceSlug = "default"

    public let settings: ProviderSettings
    let connections: ConnectionStore
    let workspaces: WorkspaceStore
    public let transport: ProviderTransport
    /// Checks every URL a workspace or a scenario set before it is called; the environment's are trusted.
    public let outbound: OutboundURLPolicy
    private let limiters = Mutex<[String: RateLimiter]>([:])

    public init(
        settings: ProviderSettings, connections: ConnectionStore, workspaces: WorkspaceStore,
        transport: ProviderTransport, outbound: OutboundURLPolicy
    ) {
        self.settings = settings
        self.connections = connections
        self.workspaces = workspaces
        self.transport = transport
        self.outbound = outbound
    }

    public func apollo(for workspace: WorkspaceID) async throws -> ApolloClient {
        guard
            let (key, baseURL, userSet) = try await credential(
                "apollo", workspace, settings.apolloAPIKey, settings.apolloBaseURL)
        else { throw ProviderNotConfigured(provider: "apollo") }
        let limiter = limiter("apollo", key, perSecond: settings.apolloRequestsPerSecond)
        return ApolloClient(
            transport: transport,
            endpoint: guarded(
                ApolloClient.endpoint(apiKey: key, baseURL: baseURL, timeout: settings.timeout, limiter: limiter),
                userSet))
    }

    public func hubspot(for workspace: WorkspaceID) async throws -> HubSpotClient {
        guard
            let (token, baseURL, userSet) = try await credential(
                "hubspot", workspace, settings.hubspotAccessToken, settings.hubspotBaseURL)
        else { throw ProviderNotConfigured(provider: "hubspot") }
        let limiter = limiter("hubspot", token, perSecond: settings.hubspotRequestsPerSecond)
        return HubSpotClient(
            transport: transport,
            endpoint: guarded(
                HubSpotClient.endpoint(
                    accessToken: token, baseURL: baseURL, timeout: settings.timeout, limiter: limiter),
                userSet))
    }

    /// The workspace's Slack incoming webhook: its connection's secret is the webhook URL.
    public func slack(for workspace: WorkspaceID) async throws -> SlackWebhookClient {
        let url: URL?
        var userSet = false
        if let connection = try await connections.get("slack", in: workspace) {
            url = URL(string: connection.secret)
            userSet = true
        } else if let env = settings.slackWebhookURL, try await usesEnvironment(workspace) {
            url = env
        } else {
            url = nil
        }
        guard let url else { throw ProviderNotConfigured(provider: "slack") }
        let limiter = limiter("slack", url.absoluteString, perSecond: 1)
        return SlackWebhookClient(
            transport: transport,
            endpoint: guarded(SlackWebhookClient.endpoint(webhookURL: url, limiter: limiter), userSet))
    }

    /// The workspace's Make API client: its `make` connection (token, and base URL for another zone), or
    /// `MAKE_API_TOKEN`.
    public func make(for workspace: WorkspaceID) async throws -> MakeClient {
        guard
            let (token, baseURL, userSet) = try await credential(
                "make", workspace, settings.makeAPIToken, settings.makeBaseURL)
        else { throw ProviderNotConfigured(provider: "make") }
        return MakeClient(
            transport: transport, endpoint: guarded(MakeClient.endpoint(token: token, baseURL: baseURL), userSet))
    }

    public func sendgrid(for workspace: WorkspaceID) async throws -> SendGridClient {
        guard
            let (key, baseURL, userSet) = try await credential(
                "sendgrid", workspace, settings.sendgridAPIKey, settings.sendgridBaseURL)
        else { throw ProviderNotConfigured(provider: "sendgrid") }
        return SendGridClient(
            transport: transport,
            endpoint: guarded(
                SendGridClient.endpoint(apiKey: key, baseURL: baseURL, timeout: settings.timeout), userSet))
    }

    /// The workspace's Mailgun client: its connection (API key, `domain`, region's base URL), or the environment.
    public func mailgun(for workspace: WorkspaceID) async throws -> MailgunClient {
        if let connection = try await connections.get("mailgun", in: workspace) {
            return MailgunClient(
                transport: transport,
                endpoint: guarded(
                    MailgunClient.endpoint(
                        apiKey: connection.secret,
                        baseURL: connection.baseURL.flatMap(URL.init(string:)) ?? MailgunClient.usBaseURL,
                        timeout: settings.timeout),
                    connection.baseURL != nil),
                domain: connection.settings["domain"] ?? "")
        }
        guard let key = settings.mailgunAPIKey, let domain = settings.mailgunDomain,
            try await usesEnvironment(workspace)
        else { throw ProviderNotConfigured(provider: "mailgun") }
        return MailgunClient(
            transport: transport,
            endpoint: MailgunClient.endpoint(apiKey: key, baseURL: settings.mailgunBaseURL, timeout: settings.timeout),
            domain: domain)
    }

    /// The workspace's Twilio client and the number it sends from unless a sender says otherwise.
    public func twilio(for workspace: WorkspaceID) async throws -> (client: TwilioClient, from: String?) {
        if let connection = try await connections.get("twilio", in: workspace),
            let sid = connection.settings["account_sid"]
        {
            let client = TwilioClient(
                transport: transport,
                endpoint: guarded(
                    TwilioClient.endpoint(
                        accountSID: sid, authToken: connection.secret,
                        baseURL: connection.baseURL.flatMap(URL.init(string:)) ?? TwilioClient.defaultBaseURL,
                        timeout: settings.timeout),
                    connection.baseURL != nil),
                accountSID: sid)
            return (client, connection.settings["from"])
        }
        guard let sid = settings.twilioAccountSID, let token = settings.twilioAuthToken,
            try await usesEnvironment(workspace)
        else { throw ProviderNotConfigured(provider: "twilio") }
        let client = TwilioClient(
            transport: transport,
            endpoint: TwilioClient.endpoint(
                accountSID: sid, authToken: token, baseURL: settings.twilioBaseURL, timeout: settings.timeout),
            accountSID: sid)
        return (client, settings.twilioFrom)
    }

    /// Calls Make custom webhooks; their URLs are their own credentials.
    public var makeWebhooks: MakeWebhookClient { MakeWebhookClient(transport: transport, outbound: outbound) }

    /// The endpoint, checked by the outbound policy when its URL was set by a workspace.
    private func guarded(_ endpoint: ProviderEndpoint, _ userSet: Bool) -> ProviderEndpoint {
        var endpoint = endpoint
        if userSet { endpoint.outbound = outbound }
        return endpoint
    }

    /// Whether the environment's credentials serve the workspace: every one in the sandbox, else the default.
    private func usesEnvironment(_ workspace: WorkspaceID) async throws -> Bool {
        if settings.servesAllWorkspaces { return true }
        return try await workspaces.find(slug: Self.defaultWorkspaceSlug)?.id == workspace
    }

    /// The workspace's provider settings stored with its connection (a field mapping, say).
    public func connectionSettings(_ provider: String, for workspace: WorkspaceID) async throws -> [String: String] {
        try await connections.get(provider, in: workspace)?.settings ?? [:]
    }

    /// Whether the workspace can use the provider.
    public func isConnected(_ provider: String, _ workspace: WorkspaceID) async throws -> Bool {
        switch provider {
        case "apollo": try await credential(provider, workspace, settings.apolloAPIKey, settings.apolloBaseURL) != nil
        case "hubspot":
            try await credential(provider, workspace, settings.hubspotAccessToken, settings.hubspotBaseURL) != nil
        default: false
        }
    }

    /// Workspaces that use the environment's credential for `provider` or have their own.
    public func connectedWorkspaces(_ provider: String) async throws -> [WorkspaceID] {
        var result = Set(try await connections.workspaces(connectedTo: provider))
        let envSecret = provider == "apollo" ? settings.apolloAPIKey : settings.hubspotAccessToken
        if envSecret != nil {
            if settings.servesAllWorkspaces {
                result.formUnion(try await workspaces.all().map(\.id))
            } else if let workspace = try await workspaces.find(slug: Self.defaultWorkspaceSlug) {
                result.insert(workspace.id)
            }
        }
        return result.sorted { $0.rawValue < $1.rawValue }
    }

    /// The secret and base URL for the workspace, and whether the URL is the workspace's own (a connection's
    /// `base_url`) rather than the operator's.
    private func credential(_ provider: String, _ workspace: WorkspaceID, _ envSecret: String?, _ envURL: URL)
        async throws -> (String, URL, userSet: Bool)?
    {
        if let connection = try await connections.get(provider, in: workspace) {
            let own = connection.baseURL.flatMap(URL.init(string:))
            return (connection.secret, own ?? envURL, own != nil)
        }
        guard let envSecret else { return nil }
        return try await usesEnvironment(workspace) ? (envSecret, envURL, false) : nil
    }

    private func limiter(_ provider: String, _ secret: String, perSecond: Double) -> RateLimiter {
        limiters.withLock { limiters in
            let key = provider + ":" + String(secret.hashValue)
            if let existing = limiters[key] { return existing }
            let limiter = RateLimiter(capacity: max(1, Int(perSecond * 2)), perSecond: perSecond)
            limiters[key] = limiter
            return limiter
        }
    }
}
