import Foundation
import LeadgenCore
import Pipeline
import Providers
import Storage
import Telemetry
import Testing

@testable import App

@Suite struct LeadgenConfigTests {
    let noDotEnv = "/nonexistent/.env"

    @Test func defaults() async throws {
        let config = try await LeadgenConfig.load(environment: [:], dotEnvPath: noDotEnv)
        #expect(config.databaseURL == .sqlite(path: "data/leadgen.sqlite"))
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 8080)
        #expect(config.logFormat == .text)
    }

    @Test func tracingIsOnlyOnWithAnEndpoint() async throws {
        let off = try await LeadgenConfig.load(environment: [:], dotEnvPath: noDotEnv)
        #expect(off.tracing.spanURL == nil)
        let on = try await LeadgenConfig.load(
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"], dotEnvPath: noDotEnv)
        #expect(on.tracing.spanURL == "http://collector:4318/v1/traces", "the signal's path is added to the base")
        let slash = OTLPTracing.Settings(endpoint: "https://otlp.example/base/")
        #expect(slash.spanURL == "https://otlp.example/base/v1/traces")
        let exact = OTLPTracing.Settings(
            endpoint: "http://collector:4318", tracesEndpoint: "https://traces.example/ingest")
        #expect(exact.spanURL == "https://traces.example/ingest", "the traces endpoint is used as it is")
        for switchedOff in [["OTEL_SDK_DISABLED": "true"], ["OTEL_TRACES_EXPORTER": "none"]] {
            let settings = OTLPTracing.Settings { name in
                (switchedOff.merging(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"]) { $1 })[name]
            }
            #expect(settings.spanURL == nil)
        }
        #expect(OTLPTracing.Settings { _ in "" }.spanURL == nil, "an empty setting is no setting")
    }

    @Test func flagsBeatEnvironmentWhichBeatsDotEnv() async throws {
        let dotEnv = FileManager.default.temporaryDirectory.appendingPathComponent("leadgen-\(UUID()).env").path
        try "LEADGEN_PORT=7000\nLEADGEN_HOST=0.0.0.0\nLEADGEN_LOG_FORMAT=json\n".write(
            toFile: dotEnv, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: dotEnv) }
        let config = try await LeadgenConfig.load(
            overrides: ["LEADGEN_PORT": "9000"],
            environment: [
                "LEADGEN_PORT": "8000", "LEADGEN_HOST": "10.1.2.3", "DATABASE_URL": "postgres://u:p@db:5432/lg",
            ],
            dotEnvPath: dotEnv)
        #expect(config.port == 9000)
        #expect(config.host == "10.1.2.3")
        #expect(config.logFormat == .json)
        #expect(config.databaseURL == .postgres(url: "postgres://u:p@db:5432/lg"))
        #expect(config.databaseURL.description == "postgres://u:redacted@db:5432/lg")
    }

    @Test(arguments: [
        (
            "LEADGEN_PORT", "http",
            "configuration error: LEADGEN_PORT: expected a port number from 1 to 65535, got 'http'"
        ),
        (
            "LEADGEN_PORT", "70000",
            "configuration error: LEADGEN_PORT: expected a port number from 1 to 65535, got '70000'"
        ),
        ("LEADGEN_LOG_FORMAT", "xml", "configuration error: LEADGEN_LOG_FORMAT: expected text or json, got 'xml'"),
        (
            "DATABASE_URL", "mysql://x",
            "configuration error: DATABASE_URL: expected sqlite:PATH or postgres://user:password@host:port/database"
        ),
        ("DATABASE_URL", "sqlite:", "configuration error: DATABASE_URL: sqlite: needs a file path"),
        (
            "APOLLO_BASE_URL", "api.apollo.io",
            "configuration error: APOLLO_BASE_URL: expected an http or https URL, got 'api.apollo.io'"
        ),
        (
            "LEADGEN_ENRICHMENT_CACHE_DAYS", "forever",
            "configuration error: LEADGEN_ENRICHMENT_CACHE_DAYS: expected a number of days from 0 to 3650, got 'forever'"
        ),
        ("LEADGEN_JOB_LEASE", "1", "configuration error: LEADGEN_JOB_LEASE: expected seconds from 2 to 3600, got '1'"),
        (
            "LEADGEN_TRUSTED_PROXIES", "10.0.0.0/8, proxy.internal",
            "configuration error: LEADGEN_TRUSTED_PROXIES: 'proxy.internal' is not an address or address block (10.0.0.0/8)"
        ),
        (
            "LEADGEN_EXTENSION_IDS", "abcdefghijklmnopabcdefghijklmnop, chrome-extension://x",
            "configuration error: LEADGEN_EXTENSION_IDS: 'chrome-extension://x' is not a Chrome extension id (32 letters from a to p)"
        ),
        (
            "LEADGEN_HOOKS_URL", "hooks.example.com",
            "configuration error: LEADGEN_HOOKS_URL: expected an http or https URL, got 'hooks.example.com'"
        ),
        (
            "LEADGEN_DNS_SERVER", "dns.example:53",
            "configuration error: LEADGEN_DNS_SERVER: expected an IP address and port such as 127.0.0.1:5353 or [::1]:53, got 'dns.example:53'"
        ),
        ("LEADGEN_SMTP_PROBE", "maybe", "configuration error: LEADGEN_SMTP_PROBE: expected 1 or 0, got 'maybe'"),
        (
            "LEADGEN_SMTP_PROBE", "1",
            "configuration error: LEADGEN_SMTP_PROBE_FROM: is needed when LEADGEN_SMTP_PROBE is on: the address the probe names as its sender"
        ),
    ])
    func malformedSettingsAreNamed(name: String, value: String, message: String) async {
        await #expect {
            _ = try await LeadgenConfig.load(environment: [name: value], dotEnvPath: noDotEnv)
        } throws: { error in
            (error as? ConfigError)?.description == message
        }
    }

    @Test func providerSettingsComeFromTheEnvironmentAndEmptyMeansUnset() async throws {
        let config = try await LeadgenConfig.load(
            environment: [
                "APOLLO_API_KEY": "k-123", "APOLLO_BASE_URL": "http://127.0.0.1:9090/api/v1",
                "HUBSPOT_ACCESS_TOKEN": "pat-1", "HUBSPOT_WEBHOOK_SECRET": "", "LEADGEN_PUBLIC_URL": "",
                "LEADGEN_MASTER_KEY": "passphrase", "APOLLO_REQUESTS_PER_SECOND": "0.5",
            ], dotEnvPath: noDotEnv)
        #expect(config.providers.apolloAPIKey == "k-123")
        #expect(config.providers.apolloBaseURL.absoluteString == "http://127.0.0.1:9090/api/v1")
        #expect(config.providers.hubspotAccessToken == "pat-1")
        #expect(config.providers.hubspotBaseURL.absoluteString == "https://api.hubapi.com")
        #expect(config.providers.hubspotWebhookSecret == nil)
        #expect(config.publicURL == nil)
        #expect(config.masterKey == "passphrase")
        #expect(config.providers.apolloRequestsPerSecond == 0.5)
    }

    @Test func theExampleEnvFileLoadsAsIs() async throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".env.example").path
        let config = try await LeadgenConfig.load(environment: [:], dotEnvPath: path)
        #expect(config.providers.apolloAPIKey == nil)
        #expect(config.enrichmentCacheDays == 30)
    }

    @Test func theSMTPProbeIsOffUnlessTurnedOnWithASender() async throws {
        let off = try await LeadgenConfig.load(environment: [:], dotEnvPath: noDotEnv)
        #expect(off.smtpProbe == nil && off.dnsServer == nil)
        let on = try await LeadgenConfig.load(
            environment: [
                "LEADGEN_SMTP_PROBE": "1", "LEADGEN_SMTP_PROBE_FROM": "Probe@Leadgen.example",
                "LEADGEN_SMTP_PROBE_PORT": "2525", "LEADGEN_DNS_SERVER": "127.0.0.1:5353",
                "LEADGEN_SMTP_PROBE_RATE": "0.5",
            ],
            dotEnvPath: noDotEnv)
        #expect(on.smtpProbe?.mailFrom == "probe@leadgen.example")
        #expect(on.smtpProbe?.heloName == "leadgen.example")
        #expect(on.smtpProbe?.port == 2525 && on.smtpProbe?.perExchangerPerSecond == 0.5)
        #expect(on.dnsServer?.description == "127.0.0.1:5353")
        let port = await #expect(throws: ConfigError.self) {
            try await LeadgenConfig.load(
                environment: [
                    "LEADGEN_SMTP_PROBE": "on", "LEADGEN_SMTP_PROBE_FROM": "p@leadgen.example",
                    "LEADGEN_SMTP_PROBE_PORT": "0",
                ], dotEnvPath: noDotEnv)
        }
        #expect(port?.description.contains("LEADGEN_SMTP_PROBE_PORT") == true)
        let rate = await #expect(throws: ConfigError.self) {
            try await LeadgenConfig.load(
                environment: [
                    "LEADGEN_SMTP_PROBE": "on", "LEADGEN_SMTP_PROBE_FROM": "p@leadgen.example",
                    "LEADGEN_SMTP_PROBE_RATE": "lots",
                ], dotEnvPath: noDotEnv)
        }
        #expect(rate?.description.contains("LEADGEN_SMTP_PROBE_RATE: expected probes a second") == true)
    }
}
