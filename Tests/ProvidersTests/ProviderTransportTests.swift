import Foundation
import Hummingbird
import HummingbirdTesting
import LeadgenCore
import Logging
import TestSupport
import Testing

@testable import Providers

@Suite struct ProviderTransportTests {
    actor Counter {
        var calls: [String: Int] = [:]
        func next(_ key: String) -> Int {
            calls[key, default: 0] += 1
            return calls[key]!
        }
    }

    actor Sleeps {
        var waits: [TimeInterval] = []
        func add(_ seconds: TimeInterval) { waits.append(seconds) }
    }

    /// Every line a logger wrote, with its metadata, to search for secrets.
    final class LogLines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        var all: String { lock.withLock { lines.joined(separator: "\n") } }
        func add(_ line: String) { lock.withLock { lines.append(line) } }
    }

    struct Capturing: LogHandler {
        let lines: LogLines
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            lines.add("\(event.message) \(metadata.merging(event.metadata ?? [:]) { $1 })")
        }
    }

    static let secret = "sk_live_DO_NOT_LOG_0123456789"

    /// Runs `body` against a real HTTP server on loopback that misbehaves the way providers do.
    func withProviderServer(_ body: @Sendable (URL, Counter) async throws -> Void) async throws {
        let counter = Counter()
        let router = Router()
        router.get("flaky") { _, _ -> Response in
            await counter.next("flaky") == 1 ? Response(status: .serviceUnavailable) : Response(status: .ok)
        }
        router.post("flaky") { _, _ -> Response in
            _ = await counter.next("flaky-post")
            return Response(status: .badGateway)
        }
        router.post("limited") { _, _ -> Response in
            guard await counter.next("limited") > 1 else {
                return Response(
                    status: .tooManyRequests, headers: [.retryAfter: "7"],
                    body: .init(
                        byteBuffer: ByteBuffer(string: #"{"message":"The maximum number of api calls allowed"}"#)))
            }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"ok":true}"#)))
        }
        router.get("always-limited") { _, _ -> Response in
            _ = await counter.next("always-limited")
            return Response(status: .tooManyRequests, headers: [.retryAfter: "3"])
        }
        router.get("invalid") { _, _ -> Response in
            _ = await counter.next("invalid")
            return Response(
                status: .unprocessableContent,
                body: .init(byteBuffer: ByteBuffer(string: #"{"error":"Invalid parameters"}"#)))
        }
        router.get("slow") { _, _ -> Response in
            try await Task.sleep(for: .seconds(3))
            return Response(status: .ok)
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: TestDatabases.logger
        )
        try await app.test(.live) { client in
            try await body(URL(string: "http://127.0.0.1:\(client.port!)")!, counter)
        }
    }

    func transport(_ sleeps: Sleeps, lines: LogLines = LogLines()) -> ProviderTransport {
        ProviderTransport(
            logger: Logger(label: "test") { _ in Capturing(lines: lines) }, time: .system,
            sleep: { await sleeps.add($0) },
            backoff: { Double($0) })
    }

    func endpoint(_ url: URL, timeout: Duration = .seconds(5)) -> ProviderEndpoint {
        ProviderEndpoint(provider: "apollo", baseURL: url, headers: [("x-api-key", Self.secret)], timeout: timeout)
    }

    @Test func retriesA5xxOnlyWhenTheRequestIsIdempotent() async throws {
        try await withProviderServer { url, counter in
            let sleeps = Sleeps()
            let response = try await transport(sleeps).send(ProviderRequest(.get, "/flaky"), to: endpoint(url))
            #expect(response.status == 200)
            #expect(await counter.calls["flaky"] == 2)
            #expect(await sleeps.waits == [1])

            await #expect(throws: ProviderError.self) {
                _ = try await transport(sleeps).send(
                    ProviderRequest(.post, "/flaky", json: Data("{}".utf8)), to: endpoint(url))
            }
            #expect(await counter.calls["flaky-post"] == 1, "a POST whose outcome is unknown is not sent again")
        }
    }

    @Test func a429IsRetriedAfterItsRetryAfterEvenForAPost() async throws {
        try await withProviderServer { url, counter in
            let sleeps = Sleeps()
            let response = try await transport(sleeps).send(
                ProviderRequest(.post, "/limited", json: Data("{}".utf8)), to: endpoint(url))
            #expect(response.status == 200)
            #expect(await counter.calls["limited"] == 2)
            #expect(await sleeps.waits == [7])
        }
    }

    @Test func persistentRateLimitingEndsWithTheHint() async throws {
        try await withProviderServer { url, counter in
            do {
                _ = try await transport(Sleeps()).send(ProviderRequest(.get, "/always-limited"), to: endpoint(url))
                Issue.record("expected a rate-limit error")
            } catch ProviderError.rateLimited(let provider, let retryAfter, _) {
                #expect(provider == "apollo")
                #expect(retryAfter == 3)
            }
            #expect(await counter.calls["always-limited"] == 4)
        }
    }

    @Test func aClientErrorIsReportedAtOnceWithTheProvidersBody() async throws {
        try await withProviderServer { url, counter in
            do {
                _ = try await transport(Sleeps()).send(ProviderRequest(.get, "/invalid"), to: endpoint(url))
                Issue.record("expected an HTTP error")
            } catch ProviderError.http(_, let status, let body) {
                #expect(status == 422)
                #expect(body == #"{"error":"Invalid parameters"}"#)
            }
            #expect(await counter.calls["invalid"] == 1)
        }
    }

    @Test func aSlowProviderTimesOut() async throws {
        try await withProviderServer { url, _ in
            var ep = endpoint(url, timeout: .milliseconds(300))
            ep.maxAttempts = 1
            do {
                _ = try await transport(Sleeps()).send(ProviderRequest(.get, "/slow"), to: ep)
                Issue.record("expected a timeout")
            } catch ProviderError.timeout(let provider) {
                #expect(provider == "apollo")
            }
        }
    }

    @Test func noSecretReachesALogLine() async throws {
        try await withProviderServer { url, _ in
            let lines = LogLines()
            let request = ProviderRequest(
                .post, "/limited", query: [("api_key", Self.secret)],
                headers: [("Authorization", "Bearer \(Self.secret)")],
                json: Data(#"{"email":"jane@acme.com","api_key":"\#(Self.secret)"}"#.utf8))
            _ = try await transport(Sleeps(), lines: lines).send(request, to: endpoint(url))
            _ = try? await transport(Sleeps(), lines: lines).send(ProviderRequest(.get, "/invalid"), to: endpoint(url))
            #expect(lines.all.contains("provider request"), "the requests were logged")
            #expect(!lines.all.contains(Self.secret))
            #expect(!lines.all.contains("jane@acme.com"))
        }
    }

    @Test(arguments: [("120", 120.0), ("0", 0.0), ("soon", nil)] as [(String, Double?)])
    func readsRetryAfterSeconds(value: String, seconds: Double?) {
        #expect(RetryAfter.seconds(value, now: Date()) == seconds)
    }

    @Test func readsRetryAfterDates() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        #expect(RetryAfter.seconds(formatter.string(from: now.addingTimeInterval(90)), now: now) == 90)
    }
}

@Suite struct RateLimiterTests {
    /// A clock that moves only when the limiter sleeps, recording each wait.
    final class FakeTime: @unchecked Sendable {
        private let lock = NSLock()
        private var time = 0.0
        private var sleeps: [Double] = []
        var now: Double { lock.withLock { time } }
        var waits: [Double] { lock.withLock { sleeps } }
        func sleep(_ seconds: Double) {
            lock.withLock {
                sleeps.append(seconds)
                time += seconds
            }
        }
    }

    @Test func burstsUpToCapacityThenRefills() async throws {
        let time = FakeTime()
        let limiter = RateLimiter(capacity: 2, perSecond: 2, now: { time.now }, sleep: { time.sleep($0) })
        for _ in 0..<3 { try await limiter.acquire() }
        #expect(time.waits == [0.5])
    }

    @Test func aProviderOutOfQuotaPausesEveryRequest() async throws {
        let time = FakeTime()
        let limiter = RateLimiter(capacity: 10, perSecond: 10, now: { time.now }, sleep: { time.sleep($0) })
        await limiter.observe(remaining: 0, resetIn: 42)
        try await limiter.acquire()
        #expect(time.waits == [42])
        await limiter.observe(remaining: 5, resetIn: 60)
        try await limiter.acquire()
        #expect(time.waits == [42], "requests left: no pause")
    }
}
