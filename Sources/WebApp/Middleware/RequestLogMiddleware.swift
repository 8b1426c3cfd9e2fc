import Hummingbird
import Logging

/// Logs each request as it arrives (method and path), like Hummingbird's own middleware but without the
/// secrets that travel in URLs: the token segment of capability URLs (`/hooks/…`, `/u/…`,
/// `/webhooks/apollo/…`) and every query value (`?token=…` among them) are left out.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let level: Logger.Level

    init(_ level: Logger.Level) { self.level = level }

    /// Path prefixes whose next segment is a capability: whoever has it may call the URL.
    static var capabilityPrefixes: [String] { ["hooks", "u", "webhooks/apollo"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        context.logger.log(
            level: level, "Request",
            metadata: [
                "hb.request.path": .string(Self.redacted(path: request.uri.path, query: request.uri.query)),
                "hb.request.method": .string(request.method.rawValue),
            ])
        return try await next(request, context)
    }

    static func redacted(path: String, query: String?) -> String {
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for prefix in capabilityPrefixes {
            let parts = prefix.split(separator: "/").map(String.init)
            // segments[0] is the empty string before the leading slash.
            guard segments.count > parts.count + 1, Array(segments[1...parts.count]) == parts else { continue }
            segments[parts.count + 1] = "…"
        }
        var text = segments.joined(separator: "/")
        if let query, !query.isEmpty {
            let names = query.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).first ?? "" }
            text += "?" + names.map { "\($0)=…" }.joined(separator: "&")
        }
        return text
    }
}
