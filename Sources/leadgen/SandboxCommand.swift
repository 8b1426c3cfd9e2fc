import ArgumentParser
import Foundation
import Hummingbird
import LeadgenCore
import Logging
import Sandbox
import ServiceLifecycle
import UnixSignals

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Serves fake Apollo, HubSpot, Slack, Make, SendGrid, Mailgun and Twilio APIs on loopback.",
        discussion: """
            Point APOLLO_BASE_URL at http://HOST:PORT/api/v1 (key: \(SandboxOptions.apolloAPIKey)), \
            HUBSPOT_BASE_URL, SENDGRID_BASE_URL, MAILGUN_BASE_URL and TWILIO_BASE_URL at http://HOST:PORT; GET /__sandbox \
            lists every fake's keys. GET /__sandbox/{apollo,hubspot,sendgrid,mailgun,twilio}/ledger show what was \
            charged, created and delivered; POST /__sandbox/faults plans failures. With --callback-url the messaging \
            fakes post their signed events to that server's webhooks.
            """)

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 9090

    @Option(help: "People in the fake Apollo directory.")
    var people = 5_000

    @Option(help: "Multiplies every vendor rate limit (1 = the documented defaults).")
    var rateLimitScale = 1.0

    @Option(help: "Share of calls (0 to 1) answered with a 503 at random.")
    var errorRate = 0.0

    @Option(help: "Milliseconds added to every answer.")
    var latencyMs = 0

    @Option(help: "The root URL of the Leadgen server whose webhooks the messaging fakes call back.")
    var callbackURL: String?

    @Option(help: "Also serves DNS for the sandbox's mail domains on this port (UDP and TCP); 0 picks a free one.")
    var dnsPort: Int?

    @Option(help: "Also serves a mail exchanger for the sandbox's mail domains on this port; 0 picks a free one.")
    var smtpPort: Int?

    func validate() throws {
        guard (0...1).contains(errorRate) else { throw ValidationError("--error-rate: expected 0 to 1") }
        if let dnsPort, !(0...65535).contains(dnsPort) { throw ValidationError("--dns-port: expected 0 to 65535") }
        if let smtpPort, !(0...65535).contains(smtpPort) { throw ValidationError("--smtp-port: expected 0 to 65535") }
        guard people > 0, rateLimitScale > 0, latencyMs >= 0 else {
            throw ValidationError("--people and --rate-limit-scale must be positive, --latency-ms 0 or more")
        }
    }

    func run() async throws {
        var options = SandboxOptions()
        options.people = people
        options.rateLimitScale = rateLimitScale
        options.errorRate = errorRate
        options.latency = .milliseconds(latencyMs)
        options.callbackBaseURL = callbackURL.flatMap(URL.init(string:))
        let logger = Logger(label: "sandbox")
        let sandbox = Sandbox(options: options, now: TimeSource.system.now)
        announce("sandbox: Apollo at http://\(host):\(port)/api/v1, the other vendors at http://\(host):\(port)")
        if callbackURL != nil {
            announce("sandbox: SENDGRID_WEBHOOK_PUBLIC_KEY=\(sandbox.sendgridWebhookPublicKey)")
        }
        var dns: DNSFake?
        if let dnsPort {
            let server = try await DNSFake.start(host: host, port: dnsPort)
            announce(
                "sandbox: DNS at \(host):\(server.port) (LEADGEN_DNS_SERVER), for deliverable.example, nullmx.example, …"
            )
            dns = server
        }
        var smtp: SMTPFake?
        if let smtpPort {
            let server = try await SMTPFake.start(host: host, port: smtpPort)
            announce(
                "sandbox: SMTP at \(host):\(server.port), for deliverable.example, catchall.example, greylist.example, …"
            )
            smtp = server
        }
        let app = sandbox.application(host: host, port: port)
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await dns?.stop()
        await smtp?.stop()
    }

    /// A line on standard output at once, also into a pipe: scripts read the keys while the sandbox runs.
    private func announce(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
