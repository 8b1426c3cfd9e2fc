import Configuration
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Providers
import Storage
import SystemPackage
import Telemetry

/// Everything Leadgen reads at start, from flags > environment > `.env` > defaults.
public struct LeadgenConfig: Sendable {
    public enum LogFormat: String, Sendable, CaseIterable { case text, json }

    public var databaseURL: DatabaseURL = .defaultValue
    public var host = "127.0.0.1"
    public var port = 8080
    public var logLevel: Logger.Level = .info
    public var logFormat: LogFormat = .text
    /// Largest request body accepted, in bytes (CSV uploads included).
    public var maxBodySize = 64 * 1024 * 1024
    /// Jobs `leadgen serve` runs at once in its own process; 0 leaves them to `leadgen worker` processes.
    public var workers = 4
    /// Seconds a worker holds a job between heartbeats; a crashed worker's jobs come back after it.
    public var jobLease: TimeInterval = 60
    /// Seconds an outgoing webhook's endpoint has to answer (`LEADGEN_WEBHOOK_TIMEOUT`).
    public var webhookTimeout: TimeInterval = 15
    /// Seconds `serve` and `worker` give requests and jobs in flight to finish after SIGTERM
    /// (`LEADGEN_SHUTDOWN_TIMEOUT`); then they are cancelled, and a job cut short runs again elsewhere.
    public var shutdownTimeout = 30
    /// Outreach: messages handed to vendors at the same time (`LEADGEN_OUTREACH_CONCURRENCY`), and the least
    /// time between two messages to one recipient domain (`LEADGEN_OUTREACH_DOMAIN_INTERVAL`, seconds).
    public var outreachConcurrency = 32
    public var outreachDomainInterval: TimeInterval = 20
    /// Provider credentials and base URLs from the environment; they serve the default workspace.
    public var providers = ProviderSettings()
    /// Seals provider credentials stored per workspace (AES-GCM); without it they can be neither stored nor read.
    public var masterKey: String?
    /// How long an enrichment answer stands in for a new (paid) call, in days.
    public var enrichmentCacheDays = 30
    /// How many days finished scenario runs are kept (`LEADGEN_SCENARIO_HISTORY_DAYS`, fractions allowed);
    /// 0 keeps them all.
    public var scenarioHistoryDays = 30.0
    /// Where the outside world reaches this server (for Apollo's phone-number webhook).
    public var publicURL: URL?
    /// Where scenario webhooks are reached when served under a host name of their own (`LEADGEN_HOOKS_URL`),
    /// apart from the dashboard's; the webhook URLs shown use it.
    public var hooksURL: URL?
    /// Exceptions to the outbound URL policy (`LEADGEN_OUTBOUND_ALLOW`): address blocks and host names that
    /// URLs set by users may reach although they are private.
    public var outboundAllowedRanges: [IPRange] = []
    public var outboundAllowedHosts: Set<String> = []
    /// OpenTelemetry tracing (`OTEL_EXPORTER_OTLP_ENDPOINT` and its companions); off when no endpoint is set.
    public var tracing = OTLPTracing.Settings()
    /// The bearer token `/metrics` asks for (`LEADGEN_METRICS_TOKEN`).
    public var metricsToken: String?
    /// Proxies whose `X-Forwarded-*` headers are believed (`LEADGEN_TRUSTED_PROXIES`), besides this machine.
    public var trustedProxies: [IPRange] = []
    /// The browser extensions whose pages may call the API from their own origin, `chrome-extension://<id>`
    /// (`LEADGEN_EXTENSION_IDS`): the ids Chrome shows for the installed Leadgen extension.
    public var extensionIDs: [String] = []
    /// The DNS server e-mail verification asks (`LEADGEN_DNS_SERVER`, host:port); unset, resolv.conf's.
    public var dnsServer: DNSServerAddress?
    /// The SMTP probe of e-mail verification for the default workspace (`LEADGEN_SMTP_PROBE=1`), with its
    /// envelope sender (`LEADGEN_SMTP_PROBE_FROM`), `EHLO` name (`LEADGEN_SMTP_PROBE_HELO`, default the
    /// sender's domain), port (`LEADGEN_SMTP_PROBE_PORT`, default 25) and pace (`LEADGEN_SMTP_PROBE_RATE`, probes
    /// a second to one mail server, default 1); nil when off.
    public var smtpProbe: SMTPProbe.Options?

    public init() {}

    /// Settings whose values never appear in logs or messages.
    static let secretNames: Set<String> = [
        "DATABASE_URL", "APOLLO_API_KEY", "HUBSPOT_ACCESS_TOKEN", "HUBSPOT_WEBHOOK_SECRET", "LEADGEN_MASTER_KEY",
        "SENDGRID_API_KEY", "SENDGRID_INBOUND_PARSE_TOKEN", "MAILGUN_API_KEY", "MAILGUN_WEBHOOK_SIGNING_KEY",
        "TWILIO_AUTH_TOKEN", "LEADGEN_METRICS_TOKEN", "MAKE_API_TOKEN", "SLACK_WEBHOOK_URL",
    ]

    /// Reads the settings. `overrides` are command-line flags, keyed by setting name; `.env` in the working
    /// directory is read when present.
    public static func load(
        overrides: [String: String] = [:], environment: [String: String] = ProcessInfo.processInfo.environment,
        dotEnvPath: String = ".env"
    ) async throws -> LeadgenConfig {
        let dotEnv: EnvironmentVariablesProvider
        do {
            dotEnv = try await EnvironmentVariablesProvider(environmentFilePath: .init(dotEnvPath), allowMissing: true)
        } catch {
            throw ConfigError(setting: dotEnvPath, problem: "cannot be read as KEY=value lines")
        }
        let reader = ConfigReader(providers: [
            EnvironmentVariablesProvider(environmentVariables: overrides.filter { !$0.value.isEmpty }),
            EnvironmentVariablesProvider(
                environmentVariables: environment, secretsSpecifier: .specific(secretNames)),
            dotEnv,
        ])
        func value(_ name: String) -> String? {
            // An empty value (`KEY=` in .env) means the setting is not set.
            reader.string(forKey: ConfigKey(name.lowercased().split(separator: "_").map(String.init)))
                .flatMap { $0.isEmpty ? nil : $0 }
        }

        var config = LeadgenConfig()
        if let text = value("DATABASE_URL") {
            do { config.databaseURL = try DatabaseURL(parsing: text) } catch {
                throw ConfigError(
                    setting: "DATABASE_URL",
                    problem: error.description.replacingOccurrences(of: "DATABASE_URL: ", with: ""))
            }
        }
        if let host = value("LEADGEN_HOST") {
            guard !host.isEmpty, !host.contains(" ") else {
                throw ConfigError(setting: "LEADGEN_HOST", problem: "expected a host name or address, got '\(host)'")
            }
            config.host = host
        }
        if let text = value("LEADGEN_PORT") {
            guard let port = Int(text), (1...65535).contains(port) else {
                throw ConfigError(
                    setting: "LEADGEN_PORT", problem: "expected a port number from 1 to 65535, got '\(text)'")
            }
            config.port = port
        }
        if let text = value("LEADGEN_LOG_LEVEL") {
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                throw ConfigError(setting: "LEADGEN_LOG_LEVEL", problem: "expected one of \(levels), got '\(text)'")
            }
            config.logLevel = level
        }
        if let text = value("LEADGEN_LOG_FORMAT") {
            guard let format = LogFormat(rawValue: text.lowercased()) else {
                throw ConfigError(setting: "LEADGEN_LOG_FORMAT", problem: "expected text or json, got '\(text)'")
            }
            config.logFormat = format
        }
        if let text = value("LEADGEN_MAX_BODY_SIZE") {
            guard let size = Int(text), size > 0 else {
                throw ConfigError(
                    setting: "LEADGEN_MAX_BODY_SIZE", problem: "expected a number of bytes, got '\(text)'")
            }
            config.maxBodySize = size
        }
        if let text = value("LEADGEN_WORKERS") {
            guard let workers = Int(text), (0...256).contains(workers) else {
                throw ConfigError(setting: "LEADGEN_WORKERS", problem: "expected a number from 0 to 256, got '\(text)'")
            }
            config.workers = workers
        }
        if let text = value("LEADGEN_JOB_LEASE") {
            guard let seconds = Int(text), (2...3600).contains(seconds) else {
                throw ConfigError(
                    setting: "LEADGEN_JOB_LEASE", problem: "expected seconds from 2 to 3600, got '\(text)'")
            }
            config.jobLease = TimeInterval(seconds)
        }
        if let text = value("LEADGEN_DNS_SERVER") {
            guard let address = DNSServerAddress(text) else {
                throw ConfigError(
                    setting: "LEADGEN_DNS_SERVER",
                    problem:
                        "expected an IP address and port such as 127.0.0.1:5353 or [::1]:53, got '\(text.prefix(100))'")
            }
            config.dnsServer = address
        }
        config.smtpProbe = try smtpProbe(value)
        config.tracing = OTLPTracing.Settings(value)
        if let text = value("LEADGEN_SHUTDOWN_TIMEOUT") {
            guard let seconds = Int(text), (1...3600).contains(seconds) else {
                throw ConfigError(
                    setting: "LEADGEN_SHUTDOWN_TIMEOUT", problem: "expected seconds from 1 to 3600, got '\(text)'")
            }
            config.shutdownTimeout = seconds
        }
        if let text = value("LEADGEN_WEBHOOK_TIMEOUT") {
            guard let seconds = Int(text), (1...60).contains(seconds) else {
                throw ConfigError(
                    setting: "LEADGEN_WEBHOOK_TIMEOUT", problem: "expected seconds from 1 to 60, got '\(text)'")
            }
            config.webhookTimeout = TimeInterval(seconds)
        }
        if let text = value("LEADGEN_OUTREACH_CONCURRENCY") {
            guard let number = Int(text), (1...512).contains(number) else {
                throw ConfigError(
                    setting: "LEADGEN_OUTREACH_CONCURRENCY", problem: "expected a number from 1 to 512, got '\(text)'")
            }
            config.outreachConcurrency = number
        }
        if let text = value("LEADGEN_OUTREACH_DOMAIN_INTERVAL") {
            guard let seconds = Double(text), (0...86400).contains(seconds) else {
                throw ConfigError(
                    setting: "LEADGEN_OUTREACH_DOMAIN_INTERVAL",
                    problem: "expected seconds from 0 to 86400, got '\(text)'")
            }
            config.outreachDomainInterval = seconds
        }
        config.providers.apolloAPIKey = value("APOLLO_API_KEY").flatMap { $0.isEmpty ? nil : $0 }
        config.providers.hubspotAccessToken = value("HUBSPOT_ACCESS_TOKEN").flatMap { $0.isEmpty ? nil : $0 }
        config.providers.hubspotWebhookSecret = value("HUBSPOT_WEBHOOK_SECRET").flatMap { $0.isEmpty ? nil : $0 }
        config.providers.makeAPIToken = value("MAKE_API_TOKEN").flatMap { $0.isEmpty ? nil : $0 }
        config.providers.sendgridWebhookPublicKey = value("SENDGRID_WEBHOOK_PUBLIC_KEY").flatMap {
            $0.isEmpty ? nil : $0
        }
        config.providers.mailgunWebhookSigningKey = value("MAILGUN_WEBHOOK_SIGNING_KEY").flatMap {
            $0.isEmpty ? nil : $0
        }
        config.providers.twilioAuthToken = value("TWILIO_AUTH_TOKEN").flatMap { $0.isEmpty ? nil : $0 }
        config.providers.sendgridAPIKey = value("SENDGRID_API_KEY").flatMap { $0.isEmpty ? nil : $0 }
        config.providers.sendgridInboundParseToken = value("SENDGRID_INBOUND_PARSE_TOKEN").flatMap {
            $0.isEmpty ? nil : $0
        }
        config.providers.mailgunAPIKey = value("MAILGUN_API_KEY").flatMap { $0.isEmpty ? nil : $0 }
        config.providers.mailgunDomain = value("MAILGUN_DOMAIN").flatMap { $0.isEmpty ? nil : $0 }
        config.providers.twilioAccountSID = value("TWILIO_ACCOUNT_SID").flatMap { $0.isEmpty ? nil : $0 }
        config.providers.twilioFrom = value("TWILIO_FROM").flatMap { $0.isEmpty ? nil : $0 }
        if let zone = value("MAKE_ZONE") {
            guard MakeClient.zones.contains(zone.lowercased()), let url = MakeClient.baseURL(zone: zone.lowercased())
            else {
                throw ConfigError(
                    setting: "MAKE_ZONE",
                    problem: "expected one of \(MakeClient.zones.joined(separator: ", ")), got '\(zone)'")
            }
            config.providers.makeBaseURL = url
        }
        if let text = value("MAKE_BASE_URL") {
            config.providers.makeBaseURL = try httpURL(text, setting: "MAKE_BASE_URL")
        }
        if let text = value("SLACK_WEBHOOK_URL") {
            config.providers.slackWebhookURL = try httpURL(text, setting: "SLACK_WEBHOOK_URL")
        }
        config.masterKey = value("LEADGEN_MASTER_KEY").flatMap { $0.isEmpty ? nil : $0 }
        for (name, keyPath) in [
            ("APOLLO_BASE_URL", \LeadgenConfig.providers.apolloBaseURL),
            ("HUBSPOT_BASE_URL", \LeadgenConfig.providers.hubspotBaseURL),
            ("SENDGRID_BASE_URL", \LeadgenConfig.providers.sendgridBaseURL),
            ("MAILGUN_BASE_URL", \LeadgenConfig.providers.mailgunBaseURL),
            ("TWILIO_BASE_URL", \LeadgenConfig.providers.twilioBaseURL),
        ] {
            guard let text = value(name) else { continue }
            config[keyPath: keyPath] = try httpURL(text, setting: name)
        }
        for (name, keyPath) in [
            ("APOLLO_REQUESTS_PER_SECOND", \LeadgenConfig.providers.apolloRequestsPerSecond),
            ("HUBSPOT_REQUESTS_PER_SECOND", \LeadgenConfig.providers.hubspotRequestsPerSecond),
        ] {
            guard let text = value(name) else { continue }
            guard let rate = Double(text), rate > 0, rate <= 10_000 else {
                throw ConfigError(setting: name, problem: "expected requests per second above 0, got '\(text)'")
            }
            config[keyPath: keyPath] = rate
        }
        if let text = value("LEADGEN_PUBLIC_URL") {
            config.publicURL = try httpURL(text, setting: "LEADGEN_PUBLIC_URL")
        }
        if let text = value("LEADGEN_HOOKS_URL") {
            config.hooksURL = try httpURL(text, setting: "LEADGEN_HOOKS_URL")
        }
        if let text = value("LEADGEN_METRICS_TOKEN"), !text.isEmpty { config.metricsToken = text }
        if let text = value("LEADGEN_TRUSTED_PROXIES") {
            for entry in text.split(whereSeparator: { $0 == "," || $0 == " " }).prefix(1000) {
                guard let range = IPRange(String(entry)) else {
                    throw ConfigError(
                        setting: "LEADGEN_TRUSTED_PROXIES",
                        problem: "'\(entry)' is not an address or address block (10.0.0.0/8)")
                }
                config.trustedProxies.append(range)
            }
        }
        if let text = value("LEADGEN_EXTENSION_IDS") {
            for entry in text.split(whereSeparator: { $0 == "," || $0 == " " }).prefix(100) {
                let id = entry.lowercased()
                // Chrome's extension ids: 32 letters from a to p (a hash written in base 16 with those letters).
                guard id.count == 32, id.allSatisfy({ ("a"..."p").contains($0) }) else {
                    throw ConfigError(
                        setting: "LEADGEN_EXTENSION_IDS",
                        problem: "'\(entry)' is not a Chrome extension id (32 letters from a to p)")
                }
                config.extensionIDs.append(id)
            }
        }
        if let text = value("LEADGEN_OUTBOUND_ALLOW") {
            let (ranges, hosts, problem) = OutboundURLPolicy.exceptions(text)
            if let problem { throw ConfigError(setting: "LEADGEN_OUTBOUND_ALLOW", problem: problem) }
            config.outboundAllowedRanges = ranges
            config.outboundAllowedHosts = hosts
        }
        if let text = value("LEADGEN_SCENARIO_HISTORY_DAYS") {
            guard let days = Double(text), (0...3650).contains(days) else {
                throw ConfigError(
                    setting: "LEADGEN_SCENARIO_HISTORY_DAYS",
                    problem: "expected a number of days from 0 (keep everything) to 3650, got '\(text)'")
            }
            config.scenarioHistoryDays = days
        }
        if let text = value("LEADGEN_ENRICHMENT_CACHE_DAYS") {
            guard let days = Int(text), (0...3650).contains(days) else {
                throw ConfigError(
                    setting: "LEADGEN_ENRICHMENT_CACHE_DAYS",
                    problem: "expected a number of days from 0 to 3650, got '\(text)'")
            }
            config.enrichmentCacheDays = days
        }
        return config
    }
}

/// An http(s) URL, or a clear error naming the setting.
public func httpURL(_ text: String, setting: String) throws -> URL {
    guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
        url.host != nil
    else {
        throw ConfigError(setting: setting, problem: "expected an http or https URL, got '\(text)'")
    }
    return url
}

/// A setting that is missing or malformed: start-up stops with this one line.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public var setting: String
    public var problem: String
    public var description: String { "configuration error: \(setting): \(problem)" }
}
