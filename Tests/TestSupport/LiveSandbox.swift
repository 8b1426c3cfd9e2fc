import Foundation
import Hummingbird
import HummingbirdTesting
import Sandbox

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Runs the provider sandbox on a loopback port for the duration of `body`, so clients talk to it over real
/// HTTP. `body` gets the server's root URL ("http://127.0.0.1:PORT") and the sandbox, to plan faults. The
/// fakes read `now`, the test's clock (the machine's unless the test fixes one).
public func withLiveSandbox<R: Sendable>(
    _ options: SandboxOptions = SandboxOptions(), now: @escaping @Sendable () -> Date = { Date() },
    _ body: @Sendable (URL, Sandbox) async throws -> R
) async throws -> R {
    let sandbox = Sandbox(options: options, now: now)
    let router = Router()
    sandbox.addRoutes(to: router)
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: TestDatabases.logger)
    return try await app.test(.live) { client in
        try await body(URL(string: "http://127.0.0.1:\(client.port!)")!, sandbox)
    }
}

/// Reads one of the sandbox's ledgers (`/__sandbox/apollo/ledger`, `/__sandbox/hubspot/ledger`).
public func sandboxLedger(_ root: URL, _ name: String) async throws -> [String: Any] {
    let (data, _) = try await URLSession.shared.data(from: root.appendingPathComponent("__sandbox/\(name)/ledger"))
    return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
}

/// Plans a fault: the next `count` calls whose path ends with `path` answer `status`.
public func planSandboxFault(
    _ root: URL, path: String, status: Int, count: Int = 1, retryAfter: Int? = nil, delayMilliseconds: Int? = nil
) async throws {
    var request = URLRequest(url: root.appendingPathComponent("__sandbox/faults"))
    request.httpMethod = "POST"
    var fault: [String: Any] = ["path": path, "status": status, "count": count]
    fault["retryAfter"] = retryAfter
    fault["delayMilliseconds"] = delayMilliseconds
    request.httpBody = try JSONSerialization.data(withJSONObject: fault)
    _ = try await URLSession.shared.data(for: request)
}
