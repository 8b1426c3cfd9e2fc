import Crypto
import Foundation
import Hummingbird
import LeadgenCore

/// `GET /metrics` (Prometheus text): with `LEADGEN_METRICS_TOKEN` set, for whoever presents it as a bearer
/// token; without it, for this machine only (a scraper on loopback, or a sidecar).
public struct MetricsController: Sendable {
    let token: String?
    let sources: [any MetricsSource]

    public init(token: String?, sources: [any MetricsSource]) {
        self.token = token
        self.sources = sources
    }

    public func register<Context: PeerAddressContext>(on router: Router<Context>) {
        router.get("metrics") { request, context in try await read(request, peer: context.clientAddress) }
    }

    @Sendable func read(_ request: Request, peer: String?) async throws -> Response {
        if let token {
            let presented = request.headers[.authorization].flatMap { header -> String? in
                header.hasPrefix("Bearer ") ? String(header.dropFirst("Bearer ".count)) : nil
            }
            guard let presented, Self.same(presented, token) else {
                return Self.plain(.unauthorized, "metrics need Authorization: Bearer <LEADGEN_METRICS_TOKEN>\n")
            }
        } else {
            guard let address = peer, Self.isLoopback(address) else {
                return Self.plain(
                    .forbidden, "metrics are served to this machine only unless LEADGEN_METRICS_TOKEN is set\n")
            }
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
            body: .init(byteBuffer: ByteBuffer(string: await text())))
    }

    /// Every source's samples, one after another.
    func text() async -> String {
        var text = ""
        for source in sources { text += await source.prometheusText() }
        return text
    }

    public static func isLoopback(_ address: String) -> Bool {
        address == "::1" || address.hasPrefix("127.") || address.hasPrefix("::ffff:127.")
    }

    /// Compares digests, so the time taken says nothing about how much of the token was right.
    static func same(_ a: String, _ b: String) -> Bool {
        SHA256.hash(data: Data(a.utf8)) == SHA256.hash(data: Data(b.utf8))
    }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
