import AsyncHTTPClient
import Foundation
import LeadgenCore
import Logging
import NIOCore
import NIOHTTP1
import Tracing

/// Sends requests to providers over one shared HTTP client that follows no redirects: applies the endpoint's headers and timeout,
/// retries what is safe to retry (429 always, after its Retry-After; timeouts, dropped connections and 5xx
/// only for idempotent requests), and logs one line per attempt with provider, method, path, status and
/// duration — never headers, query values or bodies, where credentials and personal data live.
public struct ProviderTransport: Sendable {
    let client: HTTPClient
    let logger: Logger
    let time: TimeSource
    public let metrics: ProviderMetrics
    let sleep: @Sendable (TimeInterval) async throws -> Void
    /// Waits before a retry with no Retry-After: 0.5 s, 1 s, 2 s … (capped at 30 s), plus jitter.
    let backoff: @Sendable (Int) -> TimeInterval

    public init(
        client: HTTPClient = GuardedHTTPClient.noRedirects, logger: Logger, time: TimeSource,
        metrics: ProviderMetrics = ProviderMetrics(),
        sleep: @escaping @Sendable (TimeInterval) async throws -> Void = { try await Task.sleep(for: .seconds($0)) },
        backoff: @escaping @Sendable (Int) -> TimeInterval = { attempt in
            let base = min(30, 0.5 * pow(2, Double(attempt - 1)))
            return base + Double.random(in: 0...(base * 0.2))
        }
    ) {
        self.client = client
        self.logger = logger
        self.time = time
        self.metrics = metrics
        self.sleep = sleep
        self.backoff = backoff
    }

    public func send(_ request: ProviderRequest, to endpoint: ProviderEndpoint) async throws -> ProviderResponse {
        var attempt = 0
        while true {
            attempt += 1
            let isLast = attempt >= endpoint.maxAttempts
            try await endpoint.limiter?.acquire()
            let started = ContinuousClock.now
            do {
                let response = try await traced(request, endpoint, attempt: attempt) {
                    try await execute(request, endpoint)
                }
                log(request, endpoint, attempt: attempt, status: response.status, since: started)
                if let quota = endpoint.quota?(response) {
                    await endpoint.limiter?.observe(remaining: quota.remaining, resetIn: quota.resetIn)
                }
                switch response.status {
                case 200..<300:
                    return response
                case 429:
                    let wait = RetryAfter.seconds(response.header("retry-after"), now: response.receivedAt)
                    await endpoint.limiter?.pause(for: wait ?? backoff(attempt))
                    guard !isLast else {
                        throw ProviderError.rateLimited(
                            provider: endpoint.provider, retryAfter: wait, body: Self.text(response.body))
                    }
                    try await sleep(wait ?? backoff(attempt))
                case 500..<600 where request.isIdempotent && !isLast:
                    try await sleep(
                        RetryAfter.seconds(response.header("retry-after"), now: response.receivedAt) ?? backoff(attempt)
                    )
                default:
                    throw ProviderError.http(
                        provider: endpoint.provider, status: response.status, body: Self.text(response.body))
                }
            } catch let error as ProviderError {
                throw error
            } catch let refusal as GuardedHTTPClient.Failure {
                // Refused before anything was sent: trying again would be refused again.
                metrics.record(
                    provider: endpoint.provider, outcome: "refused",
                    seconds: Self.seconds(ContinuousClock.now - started))
                throw ProviderError.unreachable(provider: endpoint.provider, reason: refusal.description)
            } catch {
                let failure = Self.classify(error, provider: endpoint.provider)
                let outcome: String = if case .timeout = failure { "timeout" } else { "unreachable" }
                metrics.record(
                    provider: endpoint.provider, outcome: outcome, seconds: Self.seconds(ContinuousClock.now - started))
                logger.warning(
                    "provider request failed",
                    metadata: [
                        "provider": "\(endpoint.provider)", "method": "\(request.method.rawValue)",
                        "path": "\(request.path)", "attempt": "\(attempt)", "error": "\(failure)",
                    ])
                guard request.isIdempotent, !isLast else { throw failure }
                try await sleep(backoff(attempt))
            }
        }
    }

    /// One client span per attempt, as OpenTelemetry's HTTP conventions have it: method, host, status, and the
    /// attempt's number. Neither the path's query nor any header or body goes into the span.
    private func traced(
        _ request: ProviderRequest, _ endpoint: ProviderEndpoint, attempt: Int,
        _ body: () async throws -> ProviderResponse
    ) async throws -> ProviderResponse {
        try await withSpan(request.method.rawValue, ofKind: .client) { span in
            span.attributes["http.request.method"] = request.method.rawValue
            span.attributes["server.address"] = endpoint.baseURL.host()
            span.attributes["server.port"] = endpoint.baseURL.port
            span.attributes["url.scheme"] = endpoint.baseURL.scheme
            span.attributes["leadgen.provider"] = endpoint.provider
            if attempt > 1 { span.attributes["http.request.resend_count"] = attempt - 1 }
            do {
                let response = try await body()
                span.attributes["http.response.status_code"] = response.status
                if response.status >= 400 {
                    span.attributes["error.type"] = String(response.status)
                    span.setStatus(SpanStatus(code: .error))
                }
                return response
            } catch {
                let failure = Self.classify(error, provider: endpoint.provider)
                span.attributes["error.type"] = if case .timeout = failure { "timeout" } else { "unreachable" }
                span.setStatus(SpanStatus(code: .error))
                throw error
            }
        }
    }

    private func execute(_ request: ProviderRequest, _ endpoint: ProviderEndpoint) async throws -> ProviderResponse {
        var components = URLComponents(url: endpoint.baseURL, resolvingAgainstBaseURL: false)!
        components.path = components.path.trimmingTrailingSlash + request.path
        if !request.query.isEmpty {
            components.queryItems = request.query.map { URLQueryItem(name: $0.name, value: $0.value) }
        }
        var http = HTTPClientRequest(url: components.url!.absoluteString)
        http.method = HTTPMethod(rawValue: request.method.rawValue)
        for (name, value) in endpoint.headers + request.headers { http.headers.add(name: name, value: value) }
        // `traceparent` (W3C Trace Context) when tracing is on, so a vendor or a proxy can join the trace.
        InstrumentationSystem.instrument.inject(
            ServiceContext.current ?? .topLevel, into: &http.headers, using: HTTPHeadersInjector())
        if let body = request.body {
            if !http.headers.contains(name: "content-type") {
                http.headers.add(name: "Content-Type", value: "application/json")
            }
            http.body = .bytes(ByteBuffer(bytes: body))
        }
        let timeout = TimeAmount.nanoseconds(
            Int64(endpoint.timeout.components.seconds) * 1_000_000_000
                + endpoint.timeout.components.attoseconds / 1_000_000_000)
        let response =
            if let policy = endpoint.outbound {
                try await GuardedHTTPClient(policy: policy, client: client).execute(
                    http, timeout: timeout, followRedirects: false)
            } else {
                try await client.execute(http, timeout: timeout)
            }
        let body = try await response.body.collect(upTo: 32 * 1024 * 1024)
        return ProviderResponse(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: Data(body.readableBytesView), receivedAt: time.now())
    }

    private func log(
        _ request: ProviderRequest, _ endpoint: ProviderEndpoint, attempt: Int, status: Int,
        since: ContinuousClock.Instant
    ) {
        let elapsed = ContinuousClock.now - since
        metrics.record(provider: endpoint.provider, outcome: String(status), seconds: Self.seconds(elapsed))
        logger.info(
            "provider request",
            metadata: [
                "provider": "\(endpoint.provider)", "method": "\(request.method.rawValue)", "path": "\(request.path)",
                "status": "\(status)", "attempt": "\(attempt)",
                "ms": "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)",
            ])
    }

    static func classify(_ error: any Error, provider: String) -> ProviderError {
        if let client = error as? HTTPClientError,
            client == .deadlineExceeded || client == .readTimeout
                || client == .connectTimeout
        {
            return .timeout(provider: provider)
        }
        return .unreachable(provider: provider, reason: ConnectionFailure.describe(error))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func text(_ body: Data) -> String {
        String(decoding: body.prefix(4096), as: UTF8.self)
    }
}

extension String {
    fileprivate var trimmingTrailingSlash: String { hasSuffix("/") ? String(dropLast()) : self }
}
