import App
import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The container's health check: asks the server on this machine whether it answers, so an image needs no
/// curl. It neither opens the database nor migrates it.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract:
            "Asks the server on this machine for /healthz (or --ready: /readyz); exit status 0 when it answers 200.",
        discussion: "The port is LEADGEN_PORT's (or --port). Used by the container image's HEALTHCHECK.")

    @Option(help: "Overrides LEADGEN_PORT.")
    var port: String?

    @Flag(help: "Asks /readyz, which also checks the database, instead of /healthz.")
    var ready = false

    @Option(help: "Seconds to wait for the answer.")
    var timeout: Int64 = 3

    func run() async throws {
        var overrides: [String: String] = [:]
        overrides["LEADGEN_PORT"] = port
        let config: LeadgenConfig
        do {
            config = try await LeadgenConfig.load(overrides: overrides)
        } catch let error as ConfigError {
            throw CommandFailure(error.description)
        }
        guard (1...60).contains(timeout) else { throw ValidationError("--timeout: expected 1 to 60 seconds") }
        let url = "http://127.0.0.1:\(config.port)/\(ready ? "readyz" : "healthz")"
        let request = HTTPClientRequest(url: url)
        let status: UInt
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeout))
            status = response.status.code
        } catch {
            throw CommandFailure("\(url): no answer (\(error))")
        }
        guard status == 200 else { throw CommandFailure("\(url): answered \(status)") }
        print("\(url): ok")
    }
}
