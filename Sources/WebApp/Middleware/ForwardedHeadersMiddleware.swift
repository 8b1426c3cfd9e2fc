import HTTPTypes
import Hummingbird
import LeadgenCore

/// `X-Forwarded-Proto` and `X-Forwarded-Host` say what a TLS-terminating proxy in front of the server saw.
/// Only a proxy may say it: from any other peer they are removed before anything reads them, so nobody can
/// make the server believe a request came over https (Secure cookies, HSTS) or sign webhook URLs for another
/// host. The proxies are `LEADGEN_TRUSTED_PROXIES`, and this machine.
struct ForwardedHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trusted: [IPRange]

    static let forwarded: [HTTPField.Name] = ["X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-For", "Forwarded"]
        .compactMap { HTTPField.Name($0) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard Self.forwarded.contains(where: { request.headers[$0] != nil }), !isTrusted(context.clientAddress)
        else { return try await next(request, context) }
        var head = request.head
        for name in Self.forwarded { head.headerFields[name] = nil }
        return try await next(Request(head: head, body: request.body), context)
    }

    func isTrusted(_ address: String?) -> Bool {
        guard let address, let parsed = IPAddress(address) else { return false }
        let candidate = parsed.embeddedIPv4 ?? parsed
        return trusted.contains { $0.contains(candidate) }
    }

    /// This machine's addresses, trusted by default (a proxy on the same host).
    static let loopback = ["127.0.0.0/8", "::1/128"].compactMap { IPRange($0) }
}
