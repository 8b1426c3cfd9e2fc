import App
import Foundation
import Hummingbird
import LeadgenCore
import Logging
import Pipeline
import Sandbox
import Storage
import TestSupport

@testable import WebApp

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The real application served on a loopback port, its providers pointed at a live sandbox whose messaging
/// fakes call the application's webhooks back, signed; the clock is the test's.
struct OutreachLiveHarness {
    let root: AppRoot
    let sandbox: Sandbox
    let sandboxURL: URL
    let appURL: URL
    let apiKey: String
    let workspace: WorkspaceID
    let clock: ManualClock

    static let masterKey = "outreach-test-master-key"

    static func run(
        _ kind: SQLDialectKind, start: Date, domainInterval: TimeInterval = 0,
        _ body: @Sendable (OutreachLiveHarness) async throws -> Void
    ) async throws {
        let clock = ManualClock(start)
        try await TestDatabases.withFresh(kind) { database, _ in
            try await withLiveSandbox(now: { clock.now }) { sandboxURL, sandbox in
                let port = try freeLoopbackPort()
                let appURL = URL(string: "http://127.0.0.1:\(port)")!
                sandbox.setCallbackBaseURL(appURL)
                var providers = ProviderSettings.sandbox(
                    root: sandboxURL, sendgridWebhookPublicKey: sandbox.sendgridWebhookPublicKey)
                providers.timeout = .seconds(5)
                var outreach = OutreachDispatcher.Options()
                outreach.domainInterval = domainInterval
                outreach.masterKey = masterKey
                let root = AppRoot.testing(database, time: clock.source) {
                    $0.workers = 0
                    $0.providers = providers
                    $0.masterKey = masterKey
                    $0.publicURL = appURL
                    $0.outreach = outreach
                }
                let workspace = try await root.stores.workspaces.findOrCreate(slug: "default").id
                let key = try await root.stores.apiKeys.create(workspace: workspace, name: "test").secret
                let (started, signal) = AsyncStream<Void>.makeStream()
                let app = Application(
                    router: try await buildRouter(root, web: WebSettings(maxBodySize: 1 << 20)),
                    configuration: .init(address: .hostname("127.0.0.1", port: port)),
                    onServerRunning: { _ in signal.yield() }, logger: TestDatabases.logger)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await app.runService(gracefulShutdownSignals: []) }
                    for await _ in started { break }
                    try await body(
                        OutreachLiveHarness(
                            root: root, sandbox: sandbox, sandboxURL: sandboxURL, appURL: appURL, apiKey: key,
                            workspace: workspace, clock: clock))
                    group.cancelAll()
                }
            }
        }
    }

    /// Calls the application's API; returns the status and the JSON body.
    @discardableResult
    func api(_ method: String, _ path: String, json: Any? = nil) async throws -> (Int, Any?) {
        var request = URLRequest(url: appURL.appendingPathComponent(path))
        request.httpMethod = method
        request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization")
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, try? JSONSerialization.jsonObject(with: data))
    }

    /// Calls a sandbox control endpoint.
    @discardableResult
    func control(_ path: String, json: [String: Any]) async throws -> Int {
        var request = URLRequest(url: sandboxURL.appendingPathComponent("__sandbox/" + path))
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: json)
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as! HTTPURLResponse).statusCode
    }

    /// Runs the dispatcher, then waits for the webhooks the sandbox posts back.
    @discardableResult
    func dispatch() async throws -> OutreachDispatcher.Report {
        let report = try await root.outreach.run()
        await sandbox.settleCallbacks()
        return report
    }
}
