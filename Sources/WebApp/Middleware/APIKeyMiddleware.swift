import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Storage

/// Resolves `Authorization: Bearer <key>` to the key's workspace. Routes that need it use `APIRequestContext`,
/// which answers 401 when no valid key was presented.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let keys: APIKeyStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            let secret = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
            if let key = try await keys.authenticate(secret: secret) {
                context.apiKey = key
                context.logger[metadataKey: "api_key"] = .string(key.keyID)
            }
        }
        return try await next(request, context)
    }
}
