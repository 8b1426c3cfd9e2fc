import AsyncHTTPClient
import Foundation
import LeadgenCore
import NIOCore
import NIOHTTP1

/// Sends requests to URLs that users and workspaces set. The URL, and every redirect's, is checked by the
/// outbound policy before anything is sent. A plain-http request then goes to the very address that was
/// checked (with its `Host` header), so a DNS server cannot answer a public address to the check and a
/// private one to the connection; an https request is held to its host name by TLS, which a private
/// server cannot answer for.
public struct GuardedHTTPClient: Sendable {
    public let policy: OutboundURLPolicy
    let client: HTTPClient

    /// A client that never follows redirects itself: each hop is checked here instead.
    /// Its own tracing is off: its spans would record whole URLs, query values included, where some vendors
    /// take keys; `ProviderTransport` makes the spans of provider calls instead.
    public static let noRedirects: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    public init(policy: OutboundURLPolicy, client: HTTPClient = GuardedHTTPClient.noRedirects) {
        self.policy = policy
        self.client = client
    }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case refused(OutboundRefusal)
        case tooManyRedirects(Int)
        case notAURL(String)

        public var description: String {
            switch self {
            case .refused(let refusal): refusal.description
            case .tooManyRedirects(let count): "more than \(count) redirects"
            case .notAURL(let text): "'\(text.prefix(200))' is not an http or https URL"
            }
        }
    }

    /// Sends `request`, following up to `maxRedirects` redirects (each checked) when `followRedirects`.
    public func execute(
        _ request: HTTPClientRequest, timeout: TimeAmount, followRedirects: Bool = true, maxRedirects: Int = 5
    ) async throws -> HTTPClientResponse {
        var current = request
        var hops = 0
        while true {
            guard let url = URL(string: current.url) else { throw Failure.notAURL(current.url) }
            let response = try await client.execute(try await pinned(current, url), timeout: timeout)
            guard followRedirects, [301, 302, 303, 307, 308].contains(response.status.code),
                let location = response.headers.first(name: "location"),
                let next = URL(string: location, relativeTo: url)?.absoluteURL
            else { return response }
            hops += 1
            guard hops <= maxRedirects else { throw Failure.tooManyRedirects(maxRedirects) }
            _ = try? await response.body.collect(upTo: 64 * 1024)
            current = Self.redirected(current, from: url, to: next, status: response.status.code)
        }
    }

    /// The request to send for `url` once the policy allowed it: plain http to the checked address.
    func pinned(_ request: HTTPClientRequest, _ url: URL) async throws -> HTTPClientRequest {
        let addresses: [IPAddress]
        do { addresses = try await policy.check(url) } catch { throw Failure.refused(error) }
        guard url.scheme?.lowercased() == "http", let address = addresses.first, let host = url.host,
            var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        else { return request }
        if case .v6 = address { components.host = "[\(address)]" } else { components.host = "\(address)" }
        guard let direct = components.url?.absoluteString else { return request }
        var sent = request
        sent.url = direct
        if !sent.headers.contains(name: "host") {
            sent.headers.add(name: "Host", value: url.port.map { "\(host):\($0)" } ?? host)
        }
        return sent
    }

    /// The next hop's request: 303 (and 301/302 after a POST) become a GET without body; credentials are
    /// not carried to another host.
    static func redirected(_ request: HTTPClientRequest, from: URL, to next: URL, status: UInt) -> HTTPClientRequest {
        var following = request
        following.url = next.absoluteString
        if status == 303 || ((status == 301 || status == 302) && request.method == .POST) {
            following.method = .GET
            following.body = nil
            following.headers.remove(name: "content-type")
            following.headers.remove(name: "content-length")
        }
        following.headers.remove(name: "host")
        if from.host?.lowercased() != next.host?.lowercased() {
            following.headers.remove(name: "authorization")
            following.headers.remove(name: "cookie")
        }
        return following
    }
}
