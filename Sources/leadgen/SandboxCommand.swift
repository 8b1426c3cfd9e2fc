import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Sandbox
import ServiceLifecycle

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Serves fake Apollo and HubSpot APIs on loopback for trying Leadgen and for tests.",
        discussion: """
            Point APOLLO_BASE_URL at http://HOST:PORT/api/v1 (key: \(SandboxOptions.apolloAPIKey)) and \
            HUBSPOT_BASE_URL at http://HOST:PORT (token: \(SandboxOptions.hubspotToken)). GET /__sandbox/apollo/ledger \
            and /__sandbox/hubspot/ledger show what was charged and created; POST /__sandbox/faults plans failures.
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

    func validate() throws {
        guard (0...1).contains(errorRate) else { throw ValidationError("--error-rate: expected 0 to 1") }
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
        let logger = Logger(label: "sandbox")
        let sandbox = Sandbox(options: options)
        print("sandbox: Apollo at http://\(host):\(port)/api/v1, HubSpot at http://\(host):\(port)")
        let app = sandbox.application(host: host, port: port)
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
