import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Storage

/// Resolves the `leadgen_session` cookie to a session for the dashboard.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "leadgen_session"
    let sessions: SessionStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        if !request.uri.path.hasPrefix("/api/"), let token = request.cookies[Self.cookieName]?.value,
            let session = try await sessions.find(token: token)
        {
            context.session = session
            context.logger[metadataKey: "user"] = .string(session.user.id)
        }
        return try await next(request, context)
    }

    /// The cookie for a new session: not readable by scripts, not sent by other sites' forms, and marked
    /// Secure when the request came over HTTPS (directly or through a trusted proxy that says so).
    static func cookie(token: String, maxAge: Int, request: Request) -> Cookie {
        Cookie(
            name: cookieName, value: token, maxAge: maxAge, path: "/", secure: isHTTPS(request), httpOnly: true,
            sameSite: .lax)
    }

    static func isHTTPS(_ request: Request) -> Bool {
        request.uri.scheme?.rawValue == "https"
            || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }
}
