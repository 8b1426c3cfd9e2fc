import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LeadgenCore
import Probes
import Storage
import TestSupport
import Testing

@testable import WebApp

/// What the server shows about itself: metrics only to this machine or to whoever has the token, no
/// capability tokens in its logs, and HSTS once it is reached over https.
@Suite struct ExposureTests {
    func withApp(
        metricsToken: String?, _ test: TestingSetup = .router,
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await TestDatabases.withFresh(.sqlite) { database, _ in
            var web = WebSettings(maxBodySize: 1024)
            web.metricsToken = metricsToken
            let app = Application(
                router: try await buildRouter(AppRoot.testing(database), web: web), logger: TestDatabases.logger)
            try await app.test(test) { client in try await body(client) }
        }
    }

    @Test func metricsNeedTheTokenWhenOneIsSet() async throws {
        try await withApp(metricsToken: "s3cret-metrics") { client in
            let anonymous = try await client.execute(uri: "/metrics", method: .get)
            #expect(anonymous.status == .unauthorized)
            let wrong = try await client.execute(
                uri: "/metrics", method: .get, headers: [.authorization: "Bearer nope"])
            #expect(wrong.status == .unauthorized)
            let right = try await client.execute(
                uri: "/metrics", method: .get, headers: [.authorization: "Bearer s3cret-metrics"])
            #expect(right.status == .ok)
            #expect(right.headers[.contentType] == "text/plain; version=0.0.4")
        }
    }

    @Test func withoutATokenMetricsAreForThisMachineOnly() async throws {
        try await withApp(metricsToken: nil, .live) { client in
            let local = try await client.execute(uri: "/metrics", method: .get)
            #expect(local.status == .ok, "the test client is on loopback")
        }
        #expect(MetricsController.isLoopback("127.0.0.1") && MetricsController.isLoopback("::1"))
    }

    @Test func metricsCountRequestsByRoutePatternAndStatus() async throws {
        try await withApp(metricsToken: nil, .live) { client in
            _ = try await client.execute(uri: "/api/v1/leads/some-lead-id", method: .get)
            _ = try await client.execute(uri: "/hooks/secret-capability", method: .post)
            _ = try await client.execute(uri: "/no/such/page", method: .get)
            let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(
                text.contains(#"leadgen_http_requests_total{method="GET",route="/api/v1/leads/{id}",status="401"} 1"#))
            #expect(text.contains(#"leadgen_http_request_seconds_sum{method="GET",route="/api/v1/leads/{id}""#))
            #expect(
                text.contains(
                    #"leadgen_http_request_seconds_bucket{method="GET",route="/api/v1/leads/{id}",status="401",le="+Inf"} 1"#
                ))
            #expect(text.contains(#"route="NotFound",status="404"} 1"#), "Hummingbird names what matches no route")
            #expect(!text.contains("some-lead-id") && !text.contains("secret-capability"), "patterns, not paths")
        }
        #expect(!MetricsController.isLoopback("10.0.0.5") && !MetricsController.isLoopback("203.0.113.9"))
    }

    @Test(arguments: [
        ("/hooks/abcdef123", nil as String?, "/hooks/…"),
        ("/u/opaque-token", nil, "/u/…"),
        ("/webhooks/apollo/tok123", nil, "/webhooks/apollo/…"),
        ("/webhooks/sendgrid/inbound", "token=secret&x=1", "/webhooks/sendgrid/inbound?token=…&x=…"),
        ("/api/v1/leads/L-1", nil, "/api/v1/leads/L-1"),
        ("/hooks", nil, "/hooks"),
    ])
    func logsLeaveCapabilityTokensOut(_ path: String, _ query: String?, _ logged: String) {
        #expect(RequestLogMiddleware<AppRequestContext>.redacted(path: path, query: query) == logged)
    }

    @Test func httpsAnswersCarryHSTS() async throws {
        // The live client connects from loopback: a proxy on this machine, trusted by default.
        try await withApp(metricsToken: nil, .live) { client in
            let plain = try await client.execute(uri: "/healthz", method: .get)
            #expect(plain.headers[HTTPField.Name("Strict-Transport-Security")!] == nil)
            let secure = try await client.execute(
                uri: "/healthz", method: .get, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(secure.headers[HTTPField.Name("Strict-Transport-Security")!] == "max-age=31536000")
        }
    }

    @Test func forwardedHeadersCountOnlyFromTrustedProxies() async throws {
        // The in-memory client has no peer address: not a proxy, so what it forwards is dropped.
        try await withApp(metricsToken: nil) { client in
            let claimed = try await client.execute(
                uri: "/healthz", method: .get, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(claimed.headers[HTTPField.Name("Strict-Transport-Security")!] == nil)
        }
        let middleware = ForwardedHeadersMiddleware(
            trusted: ForwardedHeadersMiddleware.loopback + ["10.1.0.0/16"].compactMap { IPRange($0) })
        #expect(middleware.isTrusted("127.0.0.1") && middleware.isTrusted("::1") && middleware.isTrusted("10.1.2.3"))
        #expect(middleware.isTrusted("::ffff:10.1.2.3"))
        #expect(!middleware.isTrusted("10.2.0.1") && !middleware.isTrusted("203.0.113.7") && !middleware.isTrusted(nil))
    }

    @Test func signedURLsUseWhatATrustedProxyForwarded() {
        func request(_ headers: HTTPFields) -> Request {
            Request(
                head: HTTPRequest(
                    method: .post, scheme: nil, authority: "10.0.0.9:8080", path: "/webhooks/twilio/status?x=1",
                    headerFields: headers),
                body: .init(buffer: ByteBuffer()))
        }
        #expect(PublicRequestURL.of(request([:]), publicURL: nil) == "http://10.0.0.9:8080/webhooks/twilio/status?x=1")
        let forwarded = request([
            HTTPField.Name("X-Forwarded-Proto")!: "https", HTTPField.Name("X-Forwarded-Host")!: "leadgen.example",
        ])
        #expect(PublicRequestURL.of(forwarded, publicURL: nil) == "https://leadgen.example/webhooks/twilio/status?x=1")
        #expect(
            PublicRequestURL.of(forwarded, publicURL: URL(string: "https://public.example/"))
                == "https://public.example/webhooks/twilio/status?x=1", "LEADGEN_PUBLIC_URL comes first")
    }
}
